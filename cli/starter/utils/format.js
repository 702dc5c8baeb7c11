// Helpers pages share through require().
const pad = (n) => (n < 10 ? '0' + n : '' + n)

/** `2026-05-01 09:30:00` for a time in milliseconds. */
function formatTime(ms) {
  const d = new Date(ms)
  const date = [d.getFullYear(), d.getMonth() + 1, d.getDate()].map(pad).join('-')
  const time = [d.getHours(), d.getMinutes(), d.getSeconds()].map(pad).join(':')
  return date + ' ' + time
}

module.exports = { formatTime }
