// The server under misuse: several clients, clients that vanish mid-call, unknown methods and
// garbage frames. Each must leave the server running and answering.
const WebSocket = require('ws')
const automator = require('miniprogram-automator')
const { startServer } = require('./server')

let server

beforeAll(async () => {
  server = await startServer('tests/automator/app')
})

afterAll(() => {
  if (server) server.stop()
})

// A raw client: send(frame) resolves with the reply to a request id.
function rawClient() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(server.endpoint)
    const waiting = new Map()
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data))
      if (msg.id && waiting.has(msg.id)) {
        waiting.get(msg.id)(msg)
        waiting.delete(msg.id)
      }
    })
    ws.on('error', reject)
    ws.on('open', () =>
      resolve({
        ws,
        request(id, method, params) {
          return this.raw(id, JSON.stringify({ id, method, params }))
        },
        raw(id, text) {
          return new Promise((r) => {
            if (id) waiting.set(id, r)
            ws.send(text)
            if (!id) r(null)
          })
        },
        close: () => ws.close(),
      }),
    )
  })
}

async function stillAnswers() {
  const c = await rawClient()
  const reply = await c.request('ping', 'App.getCurrentPage', {})
  c.close()
  return reply.result
}

test('two clients at once see the same app', async () => {
  const a = await automator.connect({ wsEndpoint: server.endpoint })
  const b = await automator.connect({ wsEndpoint: server.endpoint })
  const pa = await a.currentPage()
  const pb = await b.currentPage()
  expect(pa.id).toBe(pb.id)
  await pa.setData({ name: 'from a' })
  expect(await pb.data('name')).toBe('from a')
  a.disconnect()
  b.disconnect()
})

test('unknown and unsupported methods answer with an error', async () => {
  const c = await rawClient()
  const unknown = await c.request('u1', 'Page.flyToTheMoon', {})
  expect(unknown.error.message).toBe('Page.flyToTheMoon unimplemented')
  const xpath = await c.request('u2', 'Page.getElementByXpath', { pageId: 1, selector: '//view' })
  expect(xpath.error.message).toMatch(/^Page.getElementByXpath unimplemented: /)
  const stale = await c.request('u3', 'Page.getData', { pageId: 999999 })
  expect(stale.error.message).toBe('page destroyed')
  c.close()
})

test('malformed frames are answered or ignored, never fatal', async () => {
  const c = await rawClient()
  await c.raw(null, 'this is not json')
  await c.raw(null, '[1,2,3]')
  await c.raw(null, JSON.stringify({ method: 'App.getCurrentPage' })) // no id
  const noMethod = await c.raw('m1', JSON.stringify({ id: 'm1', params: {} }))
  expect(noMethod.error.message).toMatch(/method/)
  const badParams = await c.raw('m2', JSON.stringify({ id: 'm2', method: 'Page.getData', params: [1] }))
  expect(badParams.error.message).toMatch(/params/)
  const badSelector = await c.request('m3', 'Page.getElements', { pageId: (await stillAnswers()).pageId, selector: '>>' })
  expect(badSelector.error.message).toMatch(/invalid selector/)
  c.ws.send(Buffer.from([0xff, 0xfe, 0x00]), { binary: true })
  const after = await c.request('m4', 'App.getPageStack', {})
  expect(after.result.pageStack).toHaveLength(1)
  c.close()
})

test('a client that disconnects mid-call does not stall the server', async () => {
  const c = await rawClient()
  c.ws.send(
    JSON.stringify({
      id: 'slow',
      method: 'App.callFunction',
      params: { functionDeclaration: '() => new Promise((r) => setTimeout(() => r(1), 300))', args: [] },
    }),
  )
  c.ws.terminate()
  expect((await stillAnswers()).path).toBe('pages/index/index')
  await new Promise((r) => setTimeout(r, 400))
  expect((await stillAnswers()).path).toBe('pages/index/index')
})

test('a runaway evaluate is interrupted and reported', async () => {
  const c = await rawClient()
  const reply = await c.request('loop', 'App.callFunction', { functionDeclaration: '() => { for (;;) {} }', args: [] })
  expect(reply.error.message).toMatch(/interrupt/i)
  c.close()
  expect((await stillAnswers()).path).toBe('pages/index/index')
})
