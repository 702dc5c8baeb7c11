Page({
  data: { nick: 'Ann', count: 2, on: true, popup: false, log: [] },
  note(text) {
    this.setData({ log: this.data.log.concat(text) })
  },
  onStep(e) {
    this.note(`stepper change ${e.detail.value}`)
  },
  onSwitch(e) {
    this.note(`switch change ${e.detail.value}`)
  },
  onTab(e) {
    this.note(`tabs change ${e.detail.value}`)
  },
  onTap() {
    this.note('button tap')
    this.setData({ popup: true })
  },
  onSubmit(e) {
    this.note(`submit ${JSON.stringify(e.detail.value)}`)
  },
})
