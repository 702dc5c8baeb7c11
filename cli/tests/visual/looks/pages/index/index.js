Page({
  data: { name: 'Ada', percent: 60, volume: 30 }
})
