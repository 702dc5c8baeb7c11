// selectors.js — glass-easel's shadow trees as selector queries see them (the automator's
// page.$/el.$): the elements of one shadow tree in document order, each one's parent inside
// it, and its attributes as text. Matching is the core's selector engine
// (core/src/view/select.rs), which automation.js hands these to.

import * as glassEasel from 'glass-easel'

function isVirtual(node) {
  return node instanceof glassEasel.VirtualNode
}

// Elements of a shadow tree below `node`, document order; virtual nodes (blocks, wx:if) are
// passed through, component shadow roots are not entered.
function* shadowDescendants(node) {
  for (const child of node.childNodes || []) {
    if (!(child instanceof glassEasel.Element)) continue
    if (!isVirtual(child) && child.getBackendElement()) yield child
    yield* shadowDescendants(child)
  }
}

// The nearest non-virtual ancestor inside `root`, or null at the root.
function shadowParent(el, root) {
  let p = el.parentNode
  while (p && p !== root && isVirtual(p)) p = p.parentNode
  return !p || p === root || p instanceof glassEasel.ShadowRoot ? null : p
}

// `data-user-id` → `userId`, as glass-easel keys datasets and component data.
function camelCase(name) {
  return name.replace(/-([a-z])/g, (m, c) => c.toUpperCase())
}

function presentText(v) {
  return v === undefined || v === null ? undefined : String(v)
}

function attributeOf(el, name) {
  if (name === 'id') return el.id
  if (name === 'class') return el.class
  if (name.startsWith('data-')) return presentText(el.dataset ? el.dataset[camelCase(name.slice(5))] : undefined)
  if (glassEasel.Component.isComponent(el)) return presentText(el.data[camelCase(name)])
  const found = (el.attributes || []).find((a) => a.name === name)
  return found ? presentText(found.value) : undefined
}

export { attributeOf, shadowDescendants, shadowParent }
