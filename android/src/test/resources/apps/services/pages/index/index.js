// Calls host services and shows what each answered.
Page({
  data: { sheet: 'none', vibrate: 'none' },
  pick() {
    wx.showActionSheet({
      itemList: ['Camera', 'Album', 'Files'],
      success: (res) => this.setData({ sheet: 'picked ' + res.tapIndex }),
      fail: (res) => this.setData({ sheet: res.errMsg })
    })
  },
  buzz() {
    wx.vibrateShort({
      success: () => this.setData({ vibrate: 'vibrated' }),
      fail: (res) => this.setData({ vibrate: res.errMsg })
    })
  }
})
