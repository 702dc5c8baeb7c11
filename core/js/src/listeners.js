// listeners.js — an event's listener list (wx.onAppShow and friends): each listener once, in the
// order added; a listener that throws is reported (errors.js sets how) and the rest still run.

let reportFailure = () => {}

// How a listener's failure is reported: errors.js hands its reportError over.
function reportListenerFailures(report) {
  reportFailure = report
}

function listenerList() {
  const list = []
  return {
    get size() {
      return list.length
    },
    on(fn) {
      if (typeof fn === 'function' && !list.includes(fn)) list.push(fn)
    },
    off(fn) {
      if (fn === undefined) list.length = 0
      else {
        const i = list.indexOf(fn)
        if (i >= 0) list.splice(i, 1)
      }
    },
    emit(arg, where) {
      for (const fn of list.slice()) {
        try {
          fn(arg)
        } catch (err) {
          reportFailure(err, where)
        }
      }
    },
  }
}

export { listenerList, reportListenerFailures }
