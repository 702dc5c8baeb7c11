Page({
  data: { dialog: false, buttons: [{ text: 'Cancel' }, { text: 'OK' }], log: [] },
  note(text) {
    this.setData({ log: this.data.log.concat(text) })
  },
  open() {
    this.setData({ dialog: true })
  },
  onButton(e) {
    this.note(`dialog buttontap ${e.detail.index}`)
    this.setData({ dialog: false })
  },
  onSubmit(e) {
    this.note(`submit ${JSON.stringify(e.detail.value)}`)
  },
})
