// timers.js — setTimeout/setInterval on the core's clock. The core asks for the next due time
// (`nextTimerAt`) and runs one due timer per task (`runNextTimer`), so each timer callback is
// its own JS task with its own frame, as on a device. Pending timers sit in a binary heap
// ordered by (due time, id): finding the next one is O(1), adding or running one O(log n);
// cleared timers are dropped when they reach the top. As in browsers, a timer set from a
// timer callback nested more than 5 deep waits at least 4 ms, so a zero-delay chain
// (`const t = () => setTimeout(t, 0)`) lets virtual time move instead of spinning at one instant.

import { native } from './bridge.js'
import { reportError } from './errors.js'

const timers = new Map()
const heap = []
let timerSeq = 0
let nesting = 0

function before(a, b) {
  return a.at < b.at || (a.at === b.at && a.id < b.id)
}
function heapPush(t) {
  heap.push(t)
  let i = heap.length - 1
  while (i > 0) {
    const p = (i - 1) >> 1
    if (!before(heap[i], heap[p])) break
    ;[heap[i], heap[p]] = [heap[p], heap[i]]
    i = p
  }
}
function heapPop() {
  const top = heap[0]
  const last = heap.pop()
  if (heap.length > 0) {
    heap[0] = last
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < heap.length && before(heap[l], heap[m])) m = l
      if (r < heap.length && before(heap[r], heap[m])) m = r
      if (m === i) break
      ;[heap[i], heap[m]] = [heap[m], heap[i]]
      i = m
    }
  }
  return top
}

function addTimer(fn, delay, args, repeat) {
  if (typeof fn !== 'function') throw new TypeError('setTimeout/setInterval: callback must be a function')
  let ms = Math.max(0, Number(delay) || 0)
  if (nesting >= 5) ms = Math.max(ms, 4)
  const id = ++timerSeq
  const t = { id, at: native.now() + ms, fn, args, interval: repeat ? Math.max(1, ms) : 0, nesting: nesting + 1 }
  timers.set(id, t)
  heapPush(t)
  return id
}
globalThis.setTimeout = (fn, delay, ...args) => addTimer(fn, delay, args, false)
globalThis.setInterval = (fn, delay, ...args) => addTimer(fn, delay, args, true)
globalThis.clearTimeout = (id) => {
  timers.delete(id)
}
globalThis.clearInterval = globalThis.clearTimeout

function nextDueTimer() {
  // drop cleared timers (and stale entries of intervals that moved) from the top
  while (heap.length > 0 && timers.get(heap[0].id) !== heap[0]) heapPop()
  return heap.length > 0 ? heap[0] : null
}
function nextTimerAt() {
  const t = nextDueTimer()
  return t ? t.at : -1
}
function runNextTimer(now) {
  const t = nextDueTimer()
  if (!t || t.at > now) return false
  heapPop()
  if (t.interval) {
    const next = Object.assign({}, t, { at: t.at + t.interval })
    timers.set(t.id, next)
    heapPush(next)
  } else timers.delete(t.id)
  const outer = nesting
  nesting = t.nesting
  try {
    t.fn(...t.args)
  } catch (err) {
    reportError(err, 'timer callback')
  } finally {
    nesting = outer
  }
  return true
}

export { nextTimerAt, runNextTimer }
