// pages/feedback/feedback.js — a feedback form: picker, date picker, textarea, slider,
// radio group and switch, collected by the form's submit and kept in storage.
const { feedbackTopics } = require('../../utils/data.js');

const SENT_KEY = 'feedbackSent';

Page({
  data: {
    name: '',
    topics: feedbackTopics,
    topicIndex: 0,
    date: '',
    sent: null,
    sentCount: 0
  },

  onLoad() {
    this.setData({ sentCount: (wx.getStorageSync(SENT_KEY) || []).length });
  },

  onTopic(e) {
    this.setData({ topicIndex: Number(e.detail.value) });
  },

  onDate(e) {
    this.setData({ date: e.detail.value });
  },

  onSubmit(e) {
    const v = e.detail.value;
    if (!v.message || !v.message.trim()) {
      wx.showToast({ title: 'Please write a message', icon: 'error' });
      return;
    }
    const entry = {
      name: v.anonymous ? '' : v.name,
      topic: this.data.topics[v.topic],
      date: v.date,
      message: v.message.trim(),
      rating: v.rating,
      contact: v.contact
    };
    const all = (wx.getStorageSync(SENT_KEY) || []).concat([entry]);
    wx.setStorageSync(SENT_KEY, all);
    console.log('[feedback] sent', JSON.stringify(entry));
    this.setData({ sent: entry, sentCount: all.length });
  },

  onReset() {
    this.setData({ topicIndex: 0, date: '', sent: null });
  }
});
