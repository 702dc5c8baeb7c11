Page({ data: { on: false }, flip() { this.setData({ on: true }) } })
