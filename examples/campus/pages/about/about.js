// pages/about/about.js — static information page.
// `tag` is not declared in about.json: it comes from the global usingComponents in app.json.
Page({
  data: {
    version: '',
    schoolName: ''
  },

  onLoad() {
    const { version, schoolName, schoolNameCn } = getApp().globalData;
    this.setData({
      version,
      schoolName: schoolNameCn + ' ' + schoolName
    });
  }
});
