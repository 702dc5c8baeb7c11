// pages/events/events.js — a swiper of featured events and a paged event list.
const { getEvents, getFeaturedEvents } = require('../../utils/data.js');

const PAGE_SIZE = 10;

Page({
  data: {
    featured: [],
    featuredIndex: 0,
    autoplay: true,
    events: [],
    page: 0,
    hasMore: true,
    loading: false,
    refreshing: false,
    focusId: ''
  },

  onLoad(query) {
    const first = getEvents(0, PAGE_SIZE);
    this.setData({ featured: getFeaturedEvents(), events: first.items, hasMore: first.hasMore });
    if (query && query.focus) this.setData({ focusId: 'event-' + query.focus });
  },

  onFeaturedChange(e) {
    // source is "autoplay", "touch" or "" (the app set current)
    this.setData({ featuredIndex: e.detail.current });
  },

  onOpenFeatured(e) {
    const id = e.currentTarget.dataset.id;
    const loaded = this.data.events.some((item) => item.id === id);
    if (loaded) this.setData({ focusId: 'event-' + id });
    else wx.showToast({ title: 'Scroll down to load event ' + id, icon: 'none' });
  },

  // scroll-view bindscrolltolower: fetch the next page (a network call in a real app).
  loadMore() {
    if (this.data.loading || !this.data.hasMore) return;
    this.setData({ loading: true });
    setTimeout(() => {
      const next = this.data.page + 1;
      const more = getEvents(next, PAGE_SIZE);
      this.setData({
        events: this.data.events.concat(more.items),
        page: next,
        hasMore: more.hasMore,
        loading: false
      });
      console.log('[events] loaded page', next + 1, '-', this.data.events.length, 'events');
    }, 300);
  },

  onPullRefresh() {
    setTimeout(() => {
      const first = getEvents(0, PAGE_SIZE);
      this.setData({ events: first.items, page: 0, hasMore: first.hasMore, refreshing: false });
    }, 500);
  },

  onHide() {
    this.setData({ autoplay: false });
  },

  onShow() {
    this.setData({ autoplay: true });
  }
});
