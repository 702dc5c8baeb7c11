// A fixture app covering what suites do beyond navigation: input, custom components, events,
// mocks, wx calls, evaluate, bindings, console and exception events.
const automator = require('miniprogram-automator')
const { startServer } = require('./server')

let server
let mp
let page

beforeAll(async () => {
  server = await startServer('tests/automator/app')
  mp = await automator.connect({ wsEndpoint: server.endpoint })
  page = await mp.currentPage()
})

afterAll(async () => {
  if (mp) mp.disconnect()
  if (server) server.stop()
})

test('input types into the field and fires bindinput', async () => {
  const input = await page.$('#name')
  expect(input.tagName).toBe('input')
  await input.input('Ann')
  expect(await page.data('name')).toBe('Ann')
  expect(await (await page.$('#title')).text()).toBe('Hello Ann')
  expect(await input.value()).toBe('Ann')
  expect(await input.property('placeholder')).toBe('your name')
  expect(await input.property('maxlength')).toBe(140)
})

test('model:value writes typed text back to page data', async () => {
  const bound = await page.$('#bound')
  await bound.input('two-way')
  expect(await page.data('bound')).toBe('two-way')
})

test('switch.tap toggles checked and fires change', async () => {
  const sw = await page.$('#agree')
  await sw.tap()
  expect(await page.data('agree')).toBe(true)
  expect(await sw.property('checked')).toBe(true)
  await sw.tap()
  expect(await page.data('agree')).toBe(false)
})

test('attributes, dataset and WXML of rendered elements', async () => {
  const title = await page.$('#title')
  expect(await title.attribute('class')).toBe('title big')
  const items = await page.$$('#items > .item')
  expect(items).toHaveLength(3)
  expect(await items[2].attribute('data-index')).toBe('2')
  expect(await page.$$('view.item[data-index="1"]')).toHaveLength(1)
  expect(await (await page.$('#items')).wxml()).toContain('<view class="item">beta</view>')
  expect(await title.outerWxml()).toMatch(/^<text id="title" class="title big">Hello/)
  await items[1].tap()
  expect(await page.data('picked')).toBe(1)
})

test('custom component data, setData, callMethod and its events', async () => {
  const counter = await page.$('counter')
  expect(counter.id).toBeTruthy()
  expect(await counter.data('n')).toBe(0)
  expect(await counter.property('label')).toBe('apples')
  expect(await counter.callMethod('add', 5)).toBe(5)
  await counter.setData({ n: 10 })
  expect(await counter.data()).toMatchObject({ n: 10, label: 'apples', step: 2 })
  const inc = await counter.$('.inc')
  await inc.tap()
  expect(await counter.data('n')).toBe(12)
  expect(await page.data('counter')).toBe(12)
  expect(await (await counter.$('.value')).text()).toBe('12')
  await counter.trigger('changed', { n: 99 })
  expect(await page.data('counter')).toBe(99)
})

test('page setData and callMethod', async () => {
  await page.setData({ 'items[0]': 'ALPHA' })
  expect(await (await page.$('.item')).text()).toBe('ALPHA')
  expect(await page.callMethod('greet', 'QA')).toBe('hi QA from pages/index/index')
  await expect(page.callMethod('missing')).rejects.toThrow('page.missing not exists')
})

test('a short touch is a tap, a long one a longpress', async () => {
  const press = await page.$('#press')
  await press.touchstart()
  await press.touchend()
  await press.longpress()
  expect(await page.data('presses')).toEqual(['tap', 'long'])
})

test('mockWxMethod answers app code; restore brings the real API back', async () => {
  const ask = await page.$('#ask')
  await mp.mockWxMethod('showModal', { confirm: false, cancel: true })
  await ask.tap()
  await page.waitFor(100)
  expect(await page.data('answer')).toBe('no')

  await page.setData({ answer: '' })
  // a function mock runs in the app; `this.origin` is the real API (the host confirms)
  await mp.mockWxMethod('showModal', function (options) {
    return new Promise((resolve) =>
      this.origin({ title: options.title, success: (res) => resolve({ confirm: !res.confirm, cancel: res.confirm }) }),
    )
  })
  await ask.tap()
  await page.waitFor(300)
  expect(await page.data('answer')).toBe('no')

  // the headless host confirms modals by default
  await mp.restoreWxMethod('showModal')
  await ask.tap()
  await page.waitFor(100)
  expect(await page.data('answer')).toBe('yes')
})

test('callWxMethod succeeds and fails like app code', async () => {
  await mp.callWxMethod('setStorage', { key: 'k', data: { v: 1 } })
  expect((await mp.callWxMethod('getStorage', { key: 'k' })).data).toEqual({ v: 1 })
  expect(await mp.callWxMethod('getStorageSync', 'k')).toEqual({ v: 1 })
  await expect(mp.callWxMethod('getStorage', { key: 'missing' })).rejects.toThrow(/getStorage:fail/)
  await expect(mp.callWxMethod('noSuchApi')).rejects.toThrow('wx.noSuchApi not exists')
})

test('evaluate runs source text in the app, awaiting promises on real time', async () => {
  expect(await mp.evaluate((a, b) => a + b, 2, 3)).toBe(5)
  expect(await mp.evaluate(() => getApp().globalData)).toEqual({ user: 'tester' })
  const waited = await mp.evaluate(() => new Promise((resolve) => setTimeout(() => resolve('later'), 100)))
  expect(waited).toBe('later')
  await expect(mp.evaluate(() => { throw new Error('bad') })).rejects.toThrow('bad')
})

test('console, exception and binding events reach the test', async () => {
  const logs = []
  const errors = []
  mp.on('console', (m) => logs.push(m))
  mp.on('exception', (e) => errors.push(e))
  const calls = []
  await mp.exposeFunction('reportBack', (...args) => calls.push(args))
  await mp.evaluate(() => {
    console.warn('careful', { z: 1 })
    reportBack('hello', 42)
  })
  await (await page.$('#boom')).tap()
  await page.waitFor(200)
  expect(logs).toContainEqual({ type: 'warn', args: ['careful', { z: 1 }] })
  expect(calls).toEqual([['hello', 42]])
  expect(errors.map((e) => e.message)).toContain('boom from a handler')
})

test('size, offset, style and page.size come from the layout', async () => {
  const item = await page.$('.item')
  // .page has 10px padding: items are 375 − 20 wide and 30 tall
  expect(await item.size()).toEqual({ width: 355, height: 30 })
  const offset = await item.offset()
  expect(offset.left).toBe(10)
  expect(offset.top).toBeGreaterThan(20)
  expect(await item.style('color')).toBe('rgb(51, 102, 153)')
  expect(await item.style('height')).toBe('30px')
  const size = await page.size()
  expect(size.width).toBe(375)
  expect(size.height).toBeGreaterThan(offset.top)
})

test('callContextMethod drives a video context and an editor context through the host', async () => {
  const clip = await page.$('#clip')
  expect(clip.tagName).toBe('video')
  await expect(clip.callContextMethod('seek', 12)).resolves.toBeUndefined()
  await expect(clip.callContextMethod('rewind')).rejects.toThrow('context.rewind not exists')
  // the client gives only <video> callContextMethod; any element may send the request
  const notes = await page.$('#notes')
  await notes.send('Element.callContextMethod', { method: 'setContents', args: [{ html: '<p>Draft</p>' }] })
  const { result } = await notes.send('Element.callContextMethod', { method: 'getContents', args: [] })
  expect(result.text).toBe('Draft\n')
  expect(result.errMsg).toBe('EditorContext.getContents:ok')
  const title = await page.$('#title')
  await expect(title.send('Element.callContextMethod', { method: 'play', args: [] })).rejects.toThrow('has no context')
})
