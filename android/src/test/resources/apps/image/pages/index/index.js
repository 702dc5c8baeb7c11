// Shows the image at the URL given in the page query and what loading it reported.
Page({
  data: { url: '', status: 'loading' },
  onLoad(query) { this.setData({ url: decodeURIComponent(query.url) }) },
  loaded(e) { this.setData({ status: 'loaded ' + e.detail.width + 'x' + e.detail.height }) },
  failed(e) { this.setData({ status: 'failed ' + e.detail.errMsg }) }
})
