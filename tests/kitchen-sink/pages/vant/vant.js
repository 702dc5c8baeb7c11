Page({
  data: { nick: 'Ann', count: 2, on: true, tab: 0, popup: false, dialog: false, log: [] },
  note(text) {
    this.setData({ log: this.data.log.concat(text) })
  },
  onStep(e) {
    this.setData({ count: e.detail })
    this.note(`stepper change ${e.detail}`)
  },
  onSwitch(e) {
    this.setData({ on: e.detail })
    this.note(`switch change ${e.detail}`)
  },
  onTab(e) {
    this.note(`tabs change ${e.detail.index} ${e.detail.title}`)
  },
  onTap() {
    this.note('button click')
    this.setData({ popup: true })
  },
  onSubmit(e) {
    this.note(`submit ${JSON.stringify(e.detail.value)}`)
  },
})
