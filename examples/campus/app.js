// app.js — application entry. Pure JS on purpose: no WeChat API calls here.
App({
  globalData: {
    schoolName: 'Riverside University',
    schoolNameCn: '河畔大学',
    version: '1.0.0',
    semester: '2024 Autumn',
    currentWeek: 6,
    launchPath: '',
    showCount: 0
  },

  onLaunch(options) {
    const opts = options || {};
    this.globalData.launchPath = opts.path || '';
    console.log('[app] onLaunch', this.globalData.launchPath, opts.query || {});
  },

  onShow(options) {
    const opts = options || {};
    this.globalData.showCount += 1;
    console.log('[app] onShow #' + this.globalData.showCount, opts.scene || '');
  },

  onHide() {
    console.log('[app] onHide');
  }
});
