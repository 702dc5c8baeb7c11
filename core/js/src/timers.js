// timers.js — setTimeout/setInterval on the core's clock. The core asks for the next due time
// (`nextTimerAt`) and runs one due timer per task (`runNextTimer`), so each timer callback is
// its own JS task with its own frame, as on a device.
const timers = new Map()
let timerSeq = 0
function addTimer(fn, delay, args, repeat) {
  if (typeof fn !== 'function') throw new TypeError('setTimeout/setInterval: callback must be a function')
  const ms = Math.max(0, Number(delay) || 0)
  const id = ++timerSeq
  timers.set(id, { id, at: native.now() + ms, fn, args, interval: repeat ? Math.max(1, ms) : 0 })
  return id
}
globalThis.setTimeout = (fn, delay, ...args) => addTimer(fn, delay, args, false)
globalThis.setInterval = (fn, delay, ...args) => addTimer(fn, delay, args, true)
globalThis.clearTimeout = (id) => {
  timers.delete(id)
}
globalThis.clearInterval = globalThis.clearTimeout

function nextDueTimer() {
  let best = null
  for (const t of timers.values()) {
    if (!best || t.at < best.at || (t.at === best.at && t.id < best.id)) best = t
  }
  return best
}
function nextTimerAt() {
  const t = nextDueTimer()
  return t ? t.at : -1
}
function runNextTimer(now) {
  const t = nextDueTimer()
  if (!t || t.at > now) return false
  if (t.interval) t.at += t.interval
  else timers.delete(t.id)
  try {
    t.fn(...t.args)
  } catch (err) {
    reportError(err, 'timer callback')
  }
  return true
}
