// pages/schedule/schedule.js — weekly class timetable (5 weekdays × 5 periods).
const { getTimetable } = require('../../utils/data.js');

Page({
  data: {
    semester: '',
    week: 0,
    total: 0,
    slots: [],
    days: [],
    selectedDay: 0,
    activeKey: '',
    activeCell: null
  },

  onLoad() {
    const app = getApp();
    const timetable = getTimetable();
    this.setData({
      semester: app.globalData.semester,
      week: app.globalData.currentWeek,
      total: timetable.total,
      slots: timetable.slots,
      days: timetable.days
    });
  },

  // Day header: <view data-day="{{d}}" bindtap="onDayTap">
  onDayTap(e) {
    this.setData({ selectedDay: Number(e.currentTarget.dataset.day) });
  },

  // Grid cell: <view data-day="{{d}}" data-slot="{{s}}" bindtap="onCellTap">
  onCellTap(e) {
    const { day, slot } = e.currentTarget.dataset;
    const cell = this.data.days[day].cells[slot];
    if (!cell.name) {
      this.setData({ activeKey: '', activeCell: null });
      return;
    }
    this.setData({
      selectedDay: Number(day),
      activeKey: day + '-' + slot,
      activeCell: {
        name: cell.name,
        room: cell.room,
        teacher: cell.teacher,
        time: cell.time,
        day: this.data.days[day].label
      }
    });
  }
});
