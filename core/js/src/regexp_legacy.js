// regexp_legacy.js — the legacy static properties of RegExp (`RegExp.$1`…`$9`, `lastMatch`
// and `$&`, `lastParen` and `$+`, `leftContext` and `` $` ``, `rightContext` and `$'`, `input`
// and `$_`), which the engines WeChat runs on (V8, JavaScriptCore) have and QuickJS does not.
// App code reads them after a match: the date formatter copied into many mini programs does
// `if (/(y+)/.test(fmt)) fmt = fmt.replace(RegExp.$1, …)`.
//
// As in those engines, every successful match of the built-in `exec` sets them; `test`,
// `match`, `replace`, `split` and `search` all match through `exec`, so one wrapper covers them.
// Before any match each reads as the empty string.

;(function installLegacyRegExpStatics() {
  const builtinExec = RegExp.prototype.exec
  let last = null
  let input = ''
  Object.defineProperty(RegExp.prototype, 'exec', {
    value: function exec(string) {
      const match = builtinExec.call(this, string)
      if (match !== null) {
        last = match
        input = match.input
      }
      return match
    },
    writable: true,
    configurable: true,
  })

  const text = (value) => (value === undefined ? '' : String(value))
  const readers = {
    lastMatch: () => (last ? last[0] : ''),
    lastParen: () => (last && last.length > 1 ? text(last[last.length - 1]) : ''),
    leftContext: () => (last ? last.input.slice(0, last.index) : ''),
    rightContext: () => (last ? last.input.slice(last.index + last[0].length) : ''),
  }
  const aliases = { lastMatch: '$&', lastParen: '$+', leftContext: '$`', rightContext: "$'" }
  const define = (name, get, set) =>
    Object.defineProperty(RegExp, name, { get, set, enumerable: false, configurable: true })
  for (const name of Object.keys(readers)) {
    define(name, readers[name])
    define(aliases[name], readers[name])
  }
  for (let i = 1; i <= 9; i++) define('$' + i, () => (last ? text(last[i]) : ''))
  const setInput = (value) => {
    input = String(value)
  }
  define('input', () => input, setInput)
  define('$_', () => input, setInput)
})()
