// The app: runs once, before the first page. Remembers each launch time in storage
// (the logs page lists them).
App({
  onLaunch() {
    const logs = wx.getStorageSync('logs') || []
    logs.unshift(Date.now())
    wx.setStorageSync('logs', logs.slice(0, 20))
    console.log('app launched,', logs.length, 'launch(es) remembered')
  },
  globalData: {
    userName: 'friend'
  }
})
