App({
  globalData: { user: 'tester' },
  onLaunch() {
    console.log('fixture launched')
  },
})
