// app_instance.js — the object App() made in app.js (or getApp({ allowDefault: true }) stood in
// for), null before. Written by app.js only; read by the modules that call App hooks.
let appInstance = null

function setAppInstance(app) {
  appInstance = app
}

export { appInstance, setAppInstance }
