Component({
  properties: {
    label: { type: String, value: 'count' },
    step: { type: Number, value: 1 },
  },
  data: { n: 0 },
  methods: {
    add(k) {
      this.setData({ n: this.data.n + k })
      return this.data.n
    },
    onInc() {
      this.add(this.data.step)
      this.triggerEvent('changed', { n: this.data.n })
    },
  },
})
