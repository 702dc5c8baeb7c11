// pages/index/index.js — home: quick services + filterable campus news feed.
const { categories, services, getNewsList } = require('../../utils/data.js');
const format = require('../../utils/format.js');

const STARRED_KEY = 'starredNews';
const NEWS_URL = 'https://campus.example.edu/api/news';

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
    latestDate: 0,
        network: 'checking',
    source: 'bundled'
  },

  // query may carry ?cat=library to open with a filter applied.
  onLoad(query) {
    const app = getApp();
    const news = getNewsList();
    const cat = query && query.cat;
        const filter = categories.indexOf(cat) !== -1 ? cat : 'all';
    // Favourites survive restarts: the starred ids live in storage.
    const saved = wx.getStorageSync(STARRED_KEY) || [];
    news.forEach((item) => { item.starred = saved.indexOf(item.id) !== -1; });


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
    this.refreshFromServer();
  },

      // The bundled list renders at once; the server's list replaces it when it arrives.
  refreshFromServer() {
    wx.request({
      url: NEWS_URL,
      success: (res) => {
        if (res.statusCode !== 200 || !res.data || !Array.isArray(res.data.items)) return;
        const saved = wx.getStorageSync(STARRED_KEY) || [];
        const news = res.data.items.map((item) => Object.assign({}, item, { starred: saved.indexOf(item.id) !== -1 }));
        this.setData(Object.assign({
          news,
          source: 'server',
          latestDate: Math.max.apply(null, news.map((item) => item.date))
        }, stats(news, this.data.filter)));
      },
      fail: (res) => {
        console.log('[index] using bundled news: ' + res.errMsg);
        this.setData({ source: 'bundled' });
      }
    });
  },

  onShow() {
    console.log('[index] onShow, starred:', this.data.starredCount);
    wx.getNetworkType({
      success: (res) => this.setData({ network: res.networkType }),
      fail: () => this.setData({ network: 'unknown' })
    });
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
    wx.setStorageSync(STARRED_KEY, this.data.news.filter((item) => item.starred).map((item) => item.id));
    wx.showToast({ title: starred ? 'Starred' : 'Removed from starred', icon: 'none' });
  },

  onRefresh() {
    this.setData({ count: this.data.count + 1 });
  }
});
