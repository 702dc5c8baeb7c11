const { formatTime } = require('../../utils/format.js')

Page({
  data: {
    logs: []
  },

  onLoad() {
    this.setData({ logs: (wx.getStorageSync('logs') || []).map(formatTime) })
  }
})
