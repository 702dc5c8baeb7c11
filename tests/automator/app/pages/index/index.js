Page({
  data: {
    name: 'world',
    bound: '',
    agree: false,
    items: ['alpha', 'beta', 'gamma'],
    picked: -1,
    counter: 0,
    presses: [],
    answer: '',
  },
  onName(e) {
    this.setData({ name: e.detail.value })
  },
  onAgree(e) {
    this.setData({ agree: e.detail.value })
  },
  onItem(e) {
    this.setData({ picked: e.currentTarget.dataset.index })
  },
  onCounter(e) {
    this.setData({ counter: e.detail.n })
  },
  onLongPress() {
    this.setData({ presses: this.data.presses.concat('long') })
  },
  onPressTap() {
    this.setData({ presses: this.data.presses.concat('tap') })
  },
  onAsk() {
    wx.showModal({
      title: 'Sure?',
      success: (res) => this.setData({ answer: res.confirm ? 'yes' : 'no' }),
      fail: (res) => this.setData({ answer: res.errMsg }),
    })
  },
  onBoom() {
    throw new Error('boom from a handler')
  },
  greet(who) {
    return `hi ${who} from ${this.route}`
  },
})
