// automator.launch() spawns `miniapp auto --project DIR --auto-port PORT` itself, as it would
// spawn the developer tool's CLI; close() must make that process exit.
const net = require('net')
const path = require('path')
const automator = require('miniprogram-automator')
const { BIN, ROOT } = require('./server')

function freePort() {
  return new Promise((resolve) => {
    const srv = net.createServer()
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

function portOpen(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1')
    s.on('connect', () => {
      s.destroy()
      resolve(true)
    })
    s.on('error', () => resolve(false))
  })
}

test('launch() starts miniapp auto and close() stops it', async () => {
  const port = await freePort()
  const mp = await automator.launch({
    cliPath: BIN,
    projectPath: path.join(ROOT, 'examples/campus'),
    port,
  })
  const page = await mp.currentPage()
  expect(page.path).toBe('pages/index/index')
  expect(await (await page.$('#refresh')).text()).toBe('Refresh')
  await mp.close()
  let open = true
  for (let i = 0; i < 40 && open; i++) {
    await new Promise((r) => setTimeout(r, 100))
    open = await portOpen(port)
  }
  expect(open).toBe(false)
})
