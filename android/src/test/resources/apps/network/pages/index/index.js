// Requests the URL given in the page query and shows what came back.
Page({
  data: { status: 'waiting', title: '' },
  onLoad(query) {
    wx.request({
      url: decodeURIComponent(query.url),
      success: (res) => this.setData({ status: 'HTTP ' + res.statusCode, title: res.data.title }),
      fail: (res) => this.setData({ status: res.errMsg })
    })
  }
})
