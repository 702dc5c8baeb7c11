// pages/index/index.js — home: quick services + filterable campus news feed.
const { categories, services, getNewsList } = require('../../utils/data.js');
const format = require('../../utils/format.js');

function isVisible(item, filter) {
  return filter === 'all' || item.category === filter;
}

function stats(news, filter) {
  return {
    visibleCount: news.filter((item) => isVisible(item, filter)).length,
    starredCount: news.filter((item) => item.starred).length
  };
}

Page({
  data: {
    schoolName: '',
    version: '',
    services: [],
    categories: [],
    news: [],
    filter: 'all',
    filterLabel: 'All',
    visibleCount: 0,
    starredCount: 0,
    count: 0,
    selectedId: null,
    latestDate: 0
  },

  // query may carry ?cat=library to open with a filter applied.
  onLoad(query) {
    const app = getApp();
    const news = getNewsList();
    const cat = query && query.cat;
    const filter = categories.indexOf(cat) !== -1 ? cat : 'all';

    this.setData(Object.assign({
      schoolName: app.globalData.schoolNameCn + ' ' + app.globalData.schoolName,
      version: app.globalData.version,
      services,
      categories,
      news,
      filter,
      filterLabel: format.capitalize(filter),
      latestDate: Math.max.apply(null, news.map((item) => item.date))
    }, stats(news, filter)));
  },

  onShow() {
    console.log('[index] onShow, starred:', this.data.starredCount);
  },

  onReady() {
    console.log('[index] onReady,', this.data.news.length, 'items rendered');
  },

  // Category chips: <view data-cat="library" bindtap="onFilter">
  onFilter(e) {
    const filter = e.currentTarget.dataset.cat;
    if (filter === this.data.filter) return;
    this.setData(Object.assign({
      filter,
      filterLabel: format.capitalize(filter)
    }, stats(this.data.news, filter)));
  },

  // <news-card bindselect="onSelect">: detail is { id } from triggerEvent. Remember the
  // selection and open the post.
  onSelect(e) {
    const id = e.detail.id;
    this.setData({ selectedId: id });
    wx.navigateTo({
      url: '/pages/detail/detail?id=' + id,
      fail: (res) => console.error('[index] cannot open post ' + id + ': ' + res.errMsg)
    });
  },

  // Star button inside the card's slot; catchtap keeps the card from also selecting.
  onStar(e) {
    const id = e.currentTarget.dataset.id;
    const i = this.data.news.findIndex((item) => item.id === id);
    if (i === -1) return;
    const starred = !this.data.news[i].starred;
    this.setData({
      ['news[' + i + '].starred']: starred,
      starredCount: this.data.starredCount + (starred ? 1 : -1)
    });
  },

  onRefresh() {
    this.setData({ count: this.data.count + 1 });
  }
});
