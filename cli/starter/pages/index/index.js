// A page: its data renders through index.wxml; handlers change it with setData.
const app = getApp()

Page({
  data: {
    userName: '',
    count: 0,
    doneCount: 0,
    tasks: [
      { id: 1, title: 'Open this project with miniapp', done: true },
      { id: 2, title: 'Tap a task to tick it', done: false },
      { id: 3, title: 'Edit pages/index/index.wxml', done: false }
    ]
  },

  onLoad() {
    this.setData({ userName: app.globalData.userName, doneCount: this.countDone(this.data.tasks) })
  },

  // <view data-id="{{item.id}}" bindtap="toggle">: the tapped task's id is in dataset.
  toggle(e) {
    const id = e.currentTarget.dataset.id
    const tasks = this.data.tasks.map((t) => (t.id === id ? Object.assign({}, t, { done: !t.done }) : t))
    this.setData({ tasks, doneCount: this.countDone(tasks) })
  },

  // The counter component triggers `change` with its new value.
  onCount(e) {
    this.setData({ count: e.detail.value })
  },

  countDone(tasks) {
    return tasks.filter((t) => t.done).length
  }
})
