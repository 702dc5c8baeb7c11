// wxs_runtime.js — what WXS has that JavaScript does not, for the modules the core rewrote
// (core/src/compile/wxs.rs): `x.constructor` is the name of x's type.
function __wxsConstructor(value) {
  if (value === null || value === undefined) {
    throw new TypeError(`cannot read property 'constructor' of ${value}`)
  }
  if (Array.isArray(value)) return 'Array'
  if (value instanceof Date) return 'Date'
  if (value instanceof RegExp) return 'RegExp'
  switch (typeof value) {
    case 'number':
      return 'Number'
    case 'string':
      return 'String'
    case 'boolean':
      return 'Boolean'
    case 'function':
      return 'Function'
    default:
      return 'Object'
  }
}
globalThis.__wxsConstructor = __wxsConstructor
