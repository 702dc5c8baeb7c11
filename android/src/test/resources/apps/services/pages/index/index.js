// Calls host services and shows what each answered.
Page({
  data: { sheet: 'none', vibrate: 'none', where: 'none', map: 'none' },
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
  },
  locate() {
    wx.getLocation({
      type: 'gcj02',
      success: (res) => this.setData({ where: res.latitude.toFixed(5) + ',' + res.longitude.toFixed(5) + ' ±' + res.accuracy }),
      fail: (res) => this.setData({ where: res.errMsg })
    })
  },
  place() {
    wx.openLocation({
      latitude: 39.91,
      longitude: 116.40374,
      name: 'Tiananmen',
      success: () => this.setData({ map: 'opened' }),
      fail: (res) => this.setData({ map: res.errMsg })
    })
  }
})
