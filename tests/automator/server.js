// Starts `miniapp serve` on a free port for one test file and stops it afterwards.
// The binary comes from MINIAPP_BIN (set by cli/tests/automator.rs), else the debug build.
const { spawn } = require('child_process')
const path = require('path')

const ROOT = path.resolve(__dirname, '../..')
const BIN = process.env.MINIAPP_BIN || path.join(ROOT, 'target/debug/miniapp')

function startServer(project, extraArgs = []) {
  return new Promise((resolve, reject) => {
    const dir = path.resolve(ROOT, project)
    const child = spawn(BIN, ['serve', '--automator-port', '0', ...extraArgs, dir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let log = ''
    const timer = setTimeout(() => reject(new Error(`miniapp serve did not start:\n${log}`)), 30000)
    child.stderr.on('data', (chunk) => {
      log += chunk
      const m = /listening on (ws:\/\/127\.0\.0\.1:\d+)/.exec(log)
      if (m && !child.endpoint) {
        child.endpoint = m[1]
        clearTimeout(timer)
        resolve({
          endpoint: m[1],
          process: child,
          log: () => log,
          exited: () => new Promise((r) => (child.exitCode !== null ? r(child.exitCode) : child.on('exit', (code) => r(code)))),
          stop: () => {
            if (child.exitCode === null) child.kill()
          },
        })
      }
    })
    child.on('error', (err) => {
      clearTimeout(timer)
      reject(new Error(`cannot start ${BIN}: ${err.message}`))
    })
    child.on('exit', (code) => {
      if (!child.endpoint) {
        clearTimeout(timer)
        reject(new Error(`miniapp serve exited with ${code}:\n${log}`))
      }
    })
  })
}

module.exports = { startServer, BIN, ROOT }
