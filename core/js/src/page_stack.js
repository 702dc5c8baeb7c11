// page_stack.js — the pages open now, bottom first (WeChat's page stack); the router alone
// pushes and pops them. What reads the shown page imports `topPage` from here.

const pageStack = []

// The page shown now, or undefined before the first page opens.
function topPage() {
  return pageStack[pageStack.length - 1]
}

export { pageStack, topPage }
