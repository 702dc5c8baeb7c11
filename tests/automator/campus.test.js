// The campus example driven like a QA suite would drive it in the developer tool.
const automator = require('miniprogram-automator')
const { startServer } = require('./server')

let server
let mp

beforeAll(async () => {
  server = await startServer('examples/campus')
  mp = await automator.connect({ wsEndpoint: server.endpoint })
})

afterAll(async () => {
  if (mp) mp.disconnect()
  if (server) server.stop()
})

test('the entry page is current, with its path and query', async () => {
  const page = await mp.currentPage()
  expect(page.path).toBe('pages/index/index')
  expect(page.query).toEqual({})
  expect(typeof page.id).toBe('number')
})

test('screenshot() draws the page: base64 PNG, or a file with {path}', async () => {
  const fs = require('fs')
  const os = require('os')
  const path = require('path')
  const data = await mp.screenshot()
  const png = Buffer.from(data, 'base64')
  expect(png.subarray(1, 4).toString()).toBe('PNG')
  // 375 wide at pixel ratio 2; navigation bar 44 + window 667 + tab bar 50 tall
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([750, 1522])
  const file = path.join(os.tmpdir(), `miniapp-shot-${process.pid}.png`)
  await mp.screenshot({ path: file })
  expect(fs.readFileSync(file).equals(png)).toBe(true)
  fs.unlinkSync(file)
})

test('$ and $$ find elements with their text', async () => {
  const page = await mp.currentPage()
  const chips = await page.$$('.chip')
  expect(chips.length).toBe(7)
  expect(await chips[0].text()).toBe('all')
  expect(await page.$('.no-such-thing')).toBeNull()
  const count = await page.$('#count')
  expect(count.tagName).toBe('text')
  expect(await count.text()).toBe('Refreshed 0 times')
})

test('a tap changes data and the rendered text', async () => {
  const page = await mp.currentPage()
  const button = await page.$('#refresh')
  expect(await button.attribute('class')).toBe('refresh-btn')
  await button.tap()
  expect(await page.data('count')).toBe(1)
  expect(await (await page.$('#count')).text()).toBe('Refreshed 1 time')
})

test('filter chips carry their dataset into the handler', async () => {
  const page = await mp.currentPage()
  const chips = await page.$$('.chip')
  await chips[1].tap()
  const filter = await page.data('filter')
  expect(filter).toBe(await chips[1].text())
  expect(await chips[1].attribute('class')).toBe('chip active')
})

test('custom components expose data and their shadow tree', async () => {
  const page = await mp.currentPage()
  const cards = await page.$$('news-card')
  expect(cards.length).toBeGreaterThan(0)
  const card = cards[0]
  const data = await card.data()
  expect(typeof data.title).toBe('string')
  const tag = await card.$('tag')
  expect(tag).not.toBeNull()
  expect(Object.keys(await tag.data())).toEqual(expect.arrayContaining(['text', 'tone']))
  // the page's own query does not reach into the component
  expect(await page.$$('tag')).toHaveLength(0)
})

test('navigateTo, navigateBack, switchTab and reLaunch keep the page stack', async () => {
  const detail = await mp.navigateTo('/pages/detail/detail?id=3')
  expect(detail.path).toBe('pages/detail/detail')
  expect(detail.query).toEqual({ id: '3' })
  expect((await mp.pageStack()).map((p) => p.path)).toEqual(['pages/index/index', 'pages/detail/detail'])

  const back = await mp.navigateBack()
  expect(back.path).toBe('pages/index/index')
  expect(await mp.pageStack()).toHaveLength(1)

  const about = await mp.switchTab('/pages/about/about')
  expect(about.path).toBe('pages/about/about')
  expect(await about.$$('tag')).toHaveLength(3)

  const fresh = await mp.reLaunch('/pages/index/index')
  expect(fresh.path).toBe('pages/index/index')
  expect(await mp.pageStack()).toHaveLength(1)
  expect(await fresh.data('count')).toBe(0)
})

test('a failed route rejects with its errMsg', async () => {
  await expect(mp.navigateTo('/pages/about/about')).rejects.toThrow(/navigateTo:fail/)
  await expect(mp.navigateTo('/pages/nope/nope')).rejects.toThrow(/navigateTo:fail/)
})

test('system info comes from the runtime', async () => {
  const info = await mp.systemInfo()
  expect(info.windowWidth).toBe(375)
  expect(info.SDKVersion).toMatch(/^\d+\.\d+\.\d+$/)
})

test('built-ins are driven like a user: scroll-view load-more and swiper swipes', async () => {
  const page = await mp.reLaunch('/pages/events/events')
  expect(await page.data('events')).toHaveLength(10)
  const list = await page.$('#event-list')
  await list.scrollTo(0, 600)
  await page.waitFor(async () => (await page.data('events')).length === 20)
  // the first scroll was clamped to the 10 events there were; now there is room for 600
  const clamped = await list.property('scrollTop')
  expect(clamped).toBeGreaterThan(0)
  expect(clamped).toBeLessThan(600)
  await list.scrollTo(0, 600)
  expect(await list.property('scrollTop')).toBe(600)
  expect(await list.scrollHeight()).toBeGreaterThan(1000)
  expect(await (await page.$('#events-count')).text()).toBe('20 events shown')
  const featured = await page.$('#featured')
  await featured.swipeTo(3)
  expect(await page.data('featuredIndex')).toBe(3)
  expect(await featured.property('current')).toBe(3)
})

test('a form collects a picker, a slider and typed text on submit', async () => {
  const page = await mp.reLaunch('/pages/feedback/feedback')
  await (await page.$('#fb-message')).input('Bus stop needs a shelter')
  await (await page.$('#fb-rating')).slideTo(9)
  expect(await (await page.$('#fb-rating')).value()).toBe(5)
  await (await page.$('#fb-submit')).tap()
  const sent = await page.data('sent')
  expect(sent).toMatchObject({ message: 'Bus stop needs a shelter', rating: 5, topic: 'Teaching', contact: 'email' })
  expect(await (await page.$('#fb-sent')).text()).toContain('(5/5)')
})
