// utils/data.js — sample data for the campus app (no network yet).
// Uses `module.exports`; utils/format.js uses the `exports.x =` style.
const format = require('./format.js');

const categories = ['all', 'news', 'library', 'events', 'sports', 'dining', 'housing'];

// Dates are millisecond timestamps at 12:00 China Standard Time (04:00 UTC),
// so they format to the same calendar day in any nearby time zone.
const news = [
  {
    id: 1,
    title: '新学期开学典礼 Autumn Opening Ceremony',
    category: 'news',
    date: 1725249600000, // 2024-09-02
    summary: 'The opening ceremony for the 2024 autumn semester takes place on the main sports field this Monday morning.',
    body: 'The opening ceremony for the 2024 autumn semester will be held on the main sports field at 9:00 on Monday.\n' +
      'All first-year students should gather with their class advisers by 8:30. Returning students are welcome to join.\n' +
      'In case of rain the ceremony moves to the Grand Hall and will be streamed to lecture halls A1 to A4.',
    likes: 128
  },
  {
    id: 2,
    title: 'Library extends opening hours for exam weeks',
    category: 'library',
    date: 1725508800000, // 2024-09-05
    summary: 'From week 8 the main library stays open until midnight, and the 24-hour study room on floor 1 reopens.',
    body: 'Starting in week 8, the main library will stay open until 24:00 every day, including weekends.\n' +
      'The 24-hour study room on the first floor reopens with 120 extra seats. Please bring your campus card to enter after 22:00.\n' +
      'Seat reservations are limited to four hours per session so that everyone gets a chance to study.',
    likes: 86
  },
  {
    id: 3,
    title: 'Autumn Career Fair at the Student Center',
    category: 'events',
    date: 1725940800000, // 2024-09-10
    summary: 'More than 60 companies meet students at the Student Center. Bring printed CVs and your student ID.',
    body: 'The autumn career fair brings more than 60 employers from technology, finance, education and manufacturing to campus.\n' +
      'Booths open at 10:00 in the Student Center atrium. Workshops on CV writing and interview skills run every hour in room 204.\n' +
      'Remember to bring several printed copies of your CV and your student ID.',
    likes: 54
  },
  {
    id: 4,
    title: 'Basketball league registration opens',
    category: 'sports',
    date: 1726113600000, // 2024-09-12
    summary: 'Teams of 8 to 12 players can register for the inter-college basketball league until the end of September.',
    body: 'Registration for the inter-college basketball league is now open. Each team needs between 8 and 12 registered players.\n' +
      'Games are played on weekday evenings in the East Gym, starting in week 5.\n' +
      'Team captains should submit the roster at the Sports Office before 30 September.',
    likes: 41
  },
  {
    id: 5,
    title: '北区食堂新菜单 New menu at North Canteen',
    category: 'dining',
    date: 1726632000000, // 2024-09-18
    summary: 'North Canteen adds Sichuan noodles, a salad bar and a vegetarian set meal on the second floor.',
    body: 'North Canteen has refreshed its menu for the new semester.\n' +
      'The second floor now offers Sichuan noodles, a fresh salad bar and a daily vegetarian set meal.\n' +
      'Breakfast hours are extended to 9:30 on weekdays.',
    likes: 203
  },
  {
    id: 6,
    title: 'New e-book databases available off-campus',
    category: 'library',
    date: 1727064000000, // 2024-09-23
    summary: 'Three new e-book databases can now be reached from home through the campus VPN.',
    body: 'The library has subscribed to three new e-book databases covering engineering, economics and the humanities.\n' +
      'They are available both on campus and from home through the campus VPN. Sign in with your student account.\n' +
      'Questions? Visit the help desk on the ground floor or ask a librarian during opening hours.',
    likes: 37
  },
  {
    id: 7,
    title: 'Wi-Fi upgrade in the dormitory zone',
    category: 'news',
    date: 1728360000000, // 2024-10-08
    summary: 'Network equipment in dormitory buildings 1 to 6 is upgraded this week; short outages are expected at night.',
    body: 'The IT Center is upgrading the wireless network in dormitory buildings 1 to 6 this week.\n' +
      'Short outages of about ten minutes may happen between 23:00 and 01:00.\n' +
      'After the upgrade every room will have faster and more stable Wi-Fi.',
    likes: 95
  },
  {
    id: 8,
    title: '国际文化节 International Culture Night',
    category: 'events',
    date: 1728964800000, // 2024-10-15
    summary: 'Food, music and performances from more than 20 countries in the Grand Hall on Friday evening.',
    body: 'International students invite everyone to an evening of food, music and dance from more than 20 countries.\n' +
      'Doors open at 18:30 in the Grand Hall. Entry is free, but please reserve a seat at the Student Union desk.\n' +
      'Volunteers are still welcome: sign up before Wednesday.',
    likes: 167
  }
];

// Quick service entries shown on the home page (navigators; routing comes later).
const services = [
  { id: 'schedule', name: 'Timetable', cn: '课表', url: '/pages/schedule/schedule', openType: 'switchTab' },
  { id: 'library', name: 'Library', cn: '图书馆', url: '/pages/detail/detail?id=2', openType: 'navigate' },
  { id: 'dining', name: 'Dining', cn: '食堂', url: '/pages/detail/detail?id=5', openType: 'navigate' },
  { id: 'events', name: 'Events', cn: '活动', url: '/pages/events/events', openType: 'navigate' },
  { id: 'feedback', name: 'Feedback', cn: '反馈', url: '/pages/feedback/feedback', openType: 'navigate' },
  { id: 'about', name: 'About', cn: '关于', url: '/pages/about/about', openType: 'switchTab' }
];

// Campus events: a deterministic catalogue served a page at a time (as a paged API would).
const EVENT_KINDS = ['Lecture', 'Concert', 'Workshop', 'Match', 'Film night', 'Career fair'];
const EVENT_PLACES = ['Grand Hall', 'Library 3F', 'Sports Centre', 'Lab Building A', 'Student Union'];
const EVENT_COUNT = 32;

function getEvent(i) {
  const day = 1 + (i * 3) % 28;
  return {
    id: i + 1,
    title: EVENT_KINDS[i % EVENT_KINDS.length] + ' #' + (i + 1),
    place: EVENT_PLACES[i % EVENT_PLACES.length],
    when: 'Oct ' + day + ', ' + (9 + (i % 10)) + ':00',
    featured: i % 8 === 0
  };
}

// One page of events: { items, hasMore }.
function getEvents(page, size) {
  const items = [];
  for (let i = page * size; i < Math.min(EVENT_COUNT, (page + 1) * size); i++) items.push(getEvent(i));
  return { items, hasMore: (page + 1) * size < EVENT_COUNT };
}

function getFeaturedEvents() {
  const out = [];
  for (let i = 0; i < EVENT_COUNT; i++) if (getEvent(i).featured) out.push(getEvent(i));
  return out;
}

const feedbackTopics = ['Teaching', 'Library', 'Dining', 'Dormitory', 'Campus app'];

// Timetable: five class periods (minutes since midnight) × five weekdays.
const slots = [
  { id: 1, start: 480, end: 575 },
  { id: 2, start: 605, end: 700 },
  { id: 3, start: 840, end: 935 },
  { id: 4, start: 955, end: 1050 },
  { id: 5, start: 1140, end: 1235 }
];

const days = [
  { key: 'mon', label: 'Mon', cn: '周一' },
  { key: 'tue', label: 'Tue', cn: '周二' },
  { key: 'wed', label: 'Wed', cn: '周三' },
  { key: 'thu', label: 'Thu', cn: '周四' },
  { key: 'fri', label: 'Fri', cn: '周五' }
];

// day and slot are zero-based indexes into `days` and `slots`.
const courses = [
  { day: 0, slot: 0, name: '高等数学 Calculus', room: 'A1-101', teacher: 'Prof. Wang', kind: 'lecture' },
  { day: 0, slot: 2, name: 'College English', room: 'B2-305', teacher: 'Ms. Brown', kind: 'seminar' },
  { day: 1, slot: 1, name: 'Data Structures', room: 'C3-210', teacher: 'Dr. Li', kind: 'lecture' },
  { day: 1, slot: 3, name: 'Physics Lab', room: 'Lab 4', teacher: 'Dr. Zhao', kind: 'lab' },
  { day: 2, slot: 0, name: '高等数学 Calculus', room: 'A1-101', teacher: 'Prof. Wang', kind: 'lecture' },
  { day: 2, slot: 2, name: 'Physical Education', room: 'East Gym', teacher: 'Coach Chen', kind: 'pe' },
  { day: 3, slot: 1, name: 'Linear Algebra', room: 'A2-204', teacher: 'Dr. Sun', kind: 'lecture' },
  { day: 3, slot: 4, name: 'Programming Lab', room: 'C3-Lab 2', teacher: 'Dr. Li', kind: 'lab' },
  { day: 4, slot: 0, name: 'Modern History', room: 'B1-102', teacher: 'Prof. Zhou', kind: 'seminar' },
  { day: 4, slot: 2, name: 'Data Structures', room: 'C3-210', teacher: 'Dr. Li', kind: 'lecture' }
];

// Returns fresh copies so that pages can setData on them without sharing state.
function getNewsList() {
  return news.map((item) => Object.assign({ starred: false }, item));
}

function getNewsById(id) {
  const found = news.find((item) => item.id === id);
  return found ? Object.assign({}, found) : null;
}

// Builds the grid used by pages/schedule: days[d].cells[s] for every slot.
function getTimetable() {
  const slotList = slots.map((slot) => ({
    id: slot.id,
    label: format.minutesToClock(slot.start) + '–' + format.minutesToClock(slot.end),
    start: format.minutesToClock(slot.start)
  }));

  const dayList = days.map((day, d) => {
    const cells = slots.map((slot, s) => {
      const course = courses.find((c) => c.day === d && c.slot === s);
      return {
        slotId: slot.id,
        time: slotList[s].label,
        name: course ? course.name : '',
        room: course ? course.room : '',
        teacher: course ? course.teacher : '',
        kind: course ? course.kind : ''
      };
    });
    return {
      key: day.key,
      label: day.label,
      cn: day.cn,
      count: cells.filter((cell) => cell.name).length,
      cells
    };
  });

  return { slots: slotList, days: dayList, total: courses.length };
}

module.exports = {
  categories,
  services,
  getEvents,
  getFeaturedEvents,
  feedbackTopics,
  getNewsList,
  getNewsById,
  getTimetable
};
