// window_config.js — the window pages are laid out in: width, height, pixel ratio, theme and
// app.json's `window` settings (merged in by app.js's init). A resize (page_events.js) and a
// theme change update it; everything that measures or answers system info reads it here.

const config = { windowWidth: 375, windowHeight: 667, pixelRatio: 2, theme: 'light' }

export { config }
