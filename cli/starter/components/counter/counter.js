// A custom component: properties come from the page, events go back with triggerEvent.
Component({
  properties: {
    label: { type: String, value: 'Count' }
  },
  data: {
    value: 0
  },
  methods: {
    add() {
      const value = this.data.value + 1
      this.setData({ value })
      this.triggerEvent('change', { value })
    }
  }
})
