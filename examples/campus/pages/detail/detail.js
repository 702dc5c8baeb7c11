// pages/detail/detail.js — one news item, opened as /pages/detail/detail?id=3
const data = require('../../utils/data');
const format = require('../../utils/format.js');

Page({
  data: {
    item: null,
    missingId: '',
    paragraphs: [],
    readMinutes: 1,
        liked: false,
    likes: 0,
    copyStatus: ''
  },

  // Query values are strings: ?id=3 arrives as { id: '3' }.
  onLoad(query) {
    const id = Number(query && query.id);
    const item = data.getNewsById(id);
    if (!item) {
      this.setData({ missingId: (query && query.id) || '' });
      return;
    }
    this.setData({
      item,
      paragraphs: format.paragraphs(item.body),
      readMinutes: format.readingMinutes(item.body),
      likes: item.likes
    });
  },

    // Copies a shareable link to the post (needs the host's clipboard capability).
  onCopyLink() {
    wx.setClipboardData({
      data: 'https://campus.example.edu/news/' + this.data.item.id,
      success: () => this.setData({ copyStatus: 'Link copied' }),
      fail: (res) => this.setData({ copyStatus: 'Copy failed: ' + res.errMsg })
    });
  },

  // The Share button (open-type="share") and the host's forward menu both ask for this.
  onShareAppMessage(res) {
    const item = this.data.item;
    if (!item) return {};
    return {
      title: item.title,
      path: '/pages/detail/detail?id=' + item.id + (res.from === 'button' ? '&via=button' : '')
    };
  },

  onLike() {
    const liked = !this.data.liked;
    this.setData({
      liked,
      likes: this.data.likes + (liked ? 1 : -1)
    });
  }
});
