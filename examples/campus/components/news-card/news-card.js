// components/news-card/news-card.js — one news entry on the home page.
// The page passes extra content (summary, links, star button) through the default <slot>.

function cardClassFor(starred, ready) {
  let cls = 'card';
  if (starred) cls += ' card-starred';
  if (ready) cls += ' card-ready';
  return cls;
}

Component({
  properties: {
    title: String,
    category: String,
    itemId: Number,
    starred: {
      type: Boolean,
      value: false
    }
  },

  data: {
    label: '',
    cardClass: 'card',
    ready: false,
    tapCount: 0
  },

  observers: {
    starred(starred) {
      this.setData({ cardClass: cardClassFor(starred, this.data.ready) });
    }
  },

  lifetimes: {
    attached() {
      // Properties are initialised by now; derive the display fields once.
      this.setData({
        label: 'No.' + this.data.itemId,
        cardClass: cardClassFor(this.data.starred, false)
      });
    },
    ready() {
      this.setData({
        ready: true,
        cardClass: cardClassFor(this.data.starred, true)
      });
    }
  },

  methods: {
    onTap() {
      this.setData({ tapCount: this.data.tapCount + 1 });
      this.triggerEvent('select', { id: this.data.itemId });
    }
  }
});
