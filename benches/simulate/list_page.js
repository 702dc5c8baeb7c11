#!/usr/bin/env node
// The list page of `benches/src/lib.rs` (`list_app(rows)`) run by miniprogram-simulate
// (j-component + miniprogram-exparser on a jsdom DOM), timed like `miniapp-ir` times ours.
//
//   node list_page.js first-render ROWS | set-row ROWS | retitle-row ROWS | tap
//
// Prints `measured: 1.234 ms`: the wall time (process.hrtime.bigint) of the measured part only.
//
// What differs from our page (only what simulate needs):
// - simulate renders components, not pages: the page is a component defined with
//   `simulate.load({template, data, methods, lifetimes})` (the pure-JS "simulate" WXML
//   compiler, the one used for definitions passed as objects), its handlers in `methods`.
// - our `onLoad` (build the rows, one `setData({rows})`) is the component's `attached`
//   lifetime: `render` builds the component with `rows: []`, `attach` fires `attached`, whose
//   setData puts the rows into the exparser tree and the jsdom DOM synchronously.
// - simulate needs a DOM: as under jest's jsdom environment (the setup simulate's docs use),
//   a jsdom window is made global before simulate is loaded.
// - the WXML is the same text, byte for byte.
//
// What is timed:
// - first-render: `simulate.render(id)` + `comp.attach(parent)` (component creation, first
//   render, `attached` building the rows and setData'ing them, through to the DOM). The WXML
//   compilation (`simulate.load`) is outside, as `AppInstance::open` is outside ours.
// - set-row / retitle-row / tap: one `dispatchEvent('tap')` on the element after one warm-up
//   tap, until the handler has run and the DOM is updated. simulate dispatches in a microtask
//   and its setData is synchronous, so the DOM is updated once the microtask queue has drained;
//   we wait for that with `setImmediate` rather than `simulate.sleep(0)` (a `setTimeout(0)`,
//   which Node clamps to >= 1 ms of idle time that would be charged to simulate).
// The DOM is checked after each scenario (outside the timing); a mismatch exits non-zero.

'use strict'

const { JSDOM } = require('jsdom')

// jest-environment-jsdom makes the jsdom window the global object; do the same here.
const dom = new JSDOM('<!DOCTYPE html><html><head></head><body></body></html>', {
  pretendToBeVisual: true,
  url: 'https://jest.test/',
})
const win = dom.window
global.window = win
// Node 20 has its own Event, CustomEvent, EventTarget, ...: the DOM's must win, as under jest
// (jsdom refuses to dispatch a Node `CustomEvent`). Node's timers, console and JS builtins stay.
const DOM_OVER_NODE = new Set(['DOMException', 'URL', 'URLSearchParams', 'EventTarget', 'Event',
  'CustomEvent', 'MessageEvent', 'Blob', 'File', 'FormData', 'Headers', 'AbortController',
  'AbortSignal'])
for (const key of Object.getOwnPropertyNames(win)) {
  if (key in global && !DOM_OVER_NODE.has(key)) continue
  try {
    global[key] = win[key]
  } catch (_) {
    // some window properties cannot be copied; jest's environment does not need them either
  }
}

const simulate = require('miniprogram-simulate')

// Same WXML as `list_app` in benches/src/lib.rs.
const TEMPLATE = `<view class="list">
  <view wx:for="{{rows}}" wx:key="id" class="row" data-id="{{item.id}}" bindtap="onRow">
    <text class="title">{{item.title}}</text>
    <text class="n">{{item.n}}</text>
  </view>
</view>
<view id="bump" bindtap="bump">{{count}}</view>
<view id="set-row" bindtap="setRow">set row</view>
<view id="retitle-row" bindtap="retitleRow">retitle row</view>`

function definition(rows) {
  const half = Math.floor(rows / 2)
  return {
    template: TEMPLATE,
    data: { rows: [], count: 0 },
    lifetimes: {
      // our page's onLoad
      attached() {
        const list = []
        for (let i = 0; i < rows; i++) list.push({ id: i, title: 'Row ' + i, n: i })
        this.setData({ rows: list })
      },
    },
    methods: {
      onRow(e) { this.setData({ selected: e.currentTarget.dataset.id }) },
      bump() { this.setData({ count: this.data.count + 1 }) },
      setRow() {
        const i = half
        this.setData({ ['rows[' + i + '].n']: this.data.rows[i].n + 1 })
      },
      retitleRow() {
        const i = half
        this.setData({ ['rows[' + i + '].title']: this.data.rows[i].title + '+' })
      },
    },
  }
}

function fail(why) {
  process.stderr.write(`list_page.js: ${why}\n`)
  process.exit(1)
}

function usage(why) {
  process.stderr.write(
    `list_page.js: ${why}\nusage: node list_page.js first-render ROWS | set-row ROWS | retitle-row ROWS | tap\n`,
  )
  process.exit(64)
}

function report(start) {
  const ns = process.hrtime.bigint() - start
  console.log(`measured: ${(Number(ns) / 1e6).toFixed(3)} ms`)
}

// Resolves once every queued microtask (simulate's event dispatch, the handler, its
// synchronous setData and DOM update) has run.
const drained = () => new Promise(resolve => setImmediate(resolve))

function mount(id) {
  const comp = simulate.render(id)
  const parent = document.createElement('parent-wrapper')
  document.body.appendChild(parent)
  comp.attach(parent)
  return { comp, parent }
}

function rowsInDom(comp) {
  return comp.dom.querySelectorAll('.row').length
}

// The text of the `.n` / `.title` of row `i` in the DOM.
function rowText(comp, i, cls) {
  const row = comp.dom.querySelectorAll('.row')[i]
  if (!row) fail(`row ${i} is not in the DOM`)
  const el = row.querySelector('.' + cls)
  if (!el) fail(`row ${i} has no .${cls} in the DOM`)
  return el.textContent.trim()
}

async function firstRender(rows) {
  const id = simulate.load(definition(rows))
  const start = process.hrtime.bigint()
  const { comp } = mount(id)
  report(start)
  const n = rowsInDom(comp)
  if (n !== rows) fail(`first-render: ${n} rows in the DOM, expected ${rows}`)
  if (rows > 0 && rowText(comp, rows - 1, 'title') !== 'Row ' + (rows - 1)) fail('first-render: last row title wrong')
}

// A tap on `selector`: one warm-up, then one measured; `check(comp)` verifies the DOM after
// each of them (argument: how many taps so far).
async function oneEvent(rows, selector, check) {
  const id = simulate.load(definition(rows))
  const { comp } = mount(id)
  if (rowsInDom(comp) !== rows) fail(`${selector}: ${rowsInDom(comp)} rows in the DOM, expected ${rows}`)
  const target = comp.querySelector(selector)
  if (!target) fail(`${selector} not found`)

  target.dispatchEvent('tap')
  await drained()
  check(comp, 1)

  const start = process.hrtime.bigint()
  target.dispatchEvent('tap')
  await drained()
  report(start)
  check(comp, 2)
}

async function main() {
  const [scenario, rowsArg] = process.argv.slice(2)
  const rows = () => {
    const n = Number(rowsArg)
    if (!rowsArg || !Number.isInteger(n) || n < 1) usage('ROWS must be a positive number')
    return n
  }
  switch (scenario) {
    case 'first-render':
      return firstRender(rows())
    case 'set-row': {
      const r = rows()
      const half = Math.floor(r / 2)
      return oneEvent(r, '#set-row', (comp, taps) => {
        const got = rowText(comp, half, 'n')
        if (got !== String(half + taps)) fail(`set-row: row ${half} shows n=${got}, expected ${half + taps}`)
      })
    }
    case 'retitle-row': {
      const r = rows()
      const half = Math.floor(r / 2)
      return oneEvent(r, '#retitle-row', (comp, taps) => {
        const want = 'Row ' + half + '+'.repeat(taps)
        const got = rowText(comp, half, 'title')
        if (got !== want) fail(`retitle-row: row ${half} shows '${got}', expected '${want}'`)
      })
    }
    case 'tap':
      return oneEvent(1000, '#bump', (comp, taps) => {
        // ids are not written to the DOM (exparser's writeIdToDOM: false): find it by exparser
        const text = comp.querySelector('#bump').dom.textContent.trim()
        if (text !== String(taps)) fail(`tap: #bump shows '${text}', expected '${taps}'`)
      })
    default:
      usage('unknown scenario')
  }
}

main().catch(err => fail(err && err.stack ? err.stack : String(err)))
