// selectors.js — CSS selectors over glass-easel shadow trees (the automator's page.$/el.$).
//
// As WXSS writes them: type (`view`, `my-comp`, `*`), `#id`, `.class`, `[attr]`,
// `[attr=value]` (also `~=`, `^=`, `$=`, `*=`, `|=`), compounds, descendant and child (`>`)
// combinators, and lists (`a, b`). Classes match as written in WXML, after data binding.

import * as glassEasel from 'glass-easel'

const COMPOUND_PART =
  /^(?:(\*|[a-zA-Z][\w-]*)|#(-?[_a-zA-Z][\w-]*)|\.(-?[_a-zA-Z][\w-]*)|\[\s*([\w-]+)\s*(?:([~^$*|]?=)\s*(?:"([^"]*)"|'([^']*)'|([^\]\s"']+))\s*)?\])/

function parseCompound(text, selector) {
  const c = { tag: null, ids: [], classes: [], attrs: [] }
  let at = 0
  for (;;) {
    const m = COMPOUND_PART.exec(text.slice(at))
    if (!m) break
    if (m[1] !== undefined) {
      if (at > 0) throw new Error(`invalid selector \`${selector}\`: a type must come first in \`${text}\``)
      c.tag = m[1]
    } else if (m[2] !== undefined) c.ids.push(m[2])
    else if (m[3] !== undefined) c.classes.push(m[3])
    else
      c.attrs.push({
        name: m[4],
        op: m[5] || null,
        value: m[6] !== undefined ? m[6] : m[7] !== undefined ? m[7] : m[8],
      })
    at += m[0].length
  }
  if (at === 0) throw new Error(`invalid selector \`${selector}\`: unexpected \`${text[0]}\``)
  return { compound: c, length: at }
}

function parseSelectorList(text) {
  const list = []
  for (const part of text.split(/,(?![^\[]*\])/)) {
    const steps = []
    let rest = part.trim()
    if (!rest) throw new Error(`invalid selector \`${text}\`: empty selector`)
    let combinator = null
    while (rest) {
      const gap = /^\s*>\s*|^\s+/.exec(rest)
      if (gap) {
        if (!steps.length || combinator === '>') throw new Error(`invalid selector \`${text}\`: misplaced \`>\``)
        combinator = gap[0].includes('>') ? '>' : ' '
        rest = rest.slice(gap[0].length)
        continue
      }
      const { compound, length } = parseCompound(rest, text)
      steps.push({ compound, combinator: steps.length ? combinator || ' ' : null })
      combinator = null
      rest = rest.slice(length)
    }
    if (combinator) throw new Error(`invalid selector \`${text}\`: nothing after a combinator`)
    list.push(steps)
  }
  return list
}

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

function attributeMatches(actual, op, want) {
  if (actual === undefined) return false
  switch (op) {
    case null:
      return true
    case '=':
      return actual === want
    case '~=':
      return actual.split(/\s+/).includes(want)
    case '^=':
      return want !== '' && actual.startsWith(want)
    case '$=':
      return want !== '' && actual.endsWith(want)
    case '*=':
      return want !== '' && actual.includes(want)
    default: // |=
      return actual === want || actual.startsWith(`${want}-`)
  }
}

function matchesCompound(el, c) {
  if (c.tag && c.tag !== '*' && el.getBackendElement()._tag !== c.tag) return false
  for (const id of c.ids) if (el.id !== id) return false
  for (const cls of c.classes) if (!el.classList || !el.classList.contains(cls)) return false
  for (const a of c.attrs) if (!attributeMatches(attributeOf(el, a.name), a.op, a.value)) return false
  return true
}

function matchesSteps(el, steps, i, root) {
  const step = steps[i]
  if (!matchesCompound(el, step.compound)) return false
  if (i === 0) return true
  let up = shadowParent(el, root)
  if (step.combinator === '>') return up !== null && matchesSteps(up, steps, i - 1, root)
  for (; up; up = shadowParent(up, root)) if (matchesSteps(up, steps, i - 1, root)) return true
  return false
}

export { attributeOf, matchesSteps, parseSelectorList, shadowDescendants }
