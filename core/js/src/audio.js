// audio.js — wx.createInnerAudioContext, wx.getBackgroundAudioManager, wx.getRecorderManager,
// wx.setInnerAudioOption: players and the recorder are host services. Each player is one
// long-lived host call (`InnerAudioContext.create` / `BackgroundAudioManager.create`) on which
// the host reports what its player does (canplay {duration}, play, pause, stop, ended,
// timeUpdate {currentTime, duration, buffered}, waiting, seeking, seeked, error {errCode,
// errMsg}, and next/prev for the background player); methods and property changes are calls
// `<Kind>.play|pause|stop|seek|destroy|set` with `{audioId}`. The core keeps the state the app
// reads (`paused`, `duration`, `currentTime` moves with the instance clock between the host's
// reports) and calls the app's listeners, each report its own task.

import { errorText, native } from './bridge.js'
import { listenerList } from './listeners.js'
import { checkParam, failure, wx, wxAsync } from './wx.js'
import { callHost, hostApi, hostTasks } from './host.js'
import { withConsent } from './auth.js'
import { fsFailure } from './fs.js'
import { imagePath } from './image_info.js'

// Where the host finds a source: a package file, a file of the app's sandbox, or a URL.
function audioSource(src) {
  if (/^https?:\/\//i.test(src)) return { kind: 'url', path: src }
  if (/^wxfile:\/\//.test(src)) return { kind: 'file', path: src, realPath: native.fsRealFile(src) }
  // A relative path names a package file from the root (the player belongs to no page), or
  // failing that from the current page.
  let path = src.startsWith('/') ? src : `/${src}`
  try {
    native.fsAccess(path)
  } catch (err) {
    if (src.startsWith('/')) throw err
    path = imagePath(src)
    native.fsAccess(path)
  }
  return { kind: 'package', path: path.slice(1) }
}

// Why a source cannot be played: the file system's message without its error kind.
function sourceError(err) {
  return errorText(err).replace(/^[a-zA-Z]+\|/, '')
}

const PLAYER_EVENTS = [
  'Canplay',
  'Play',
  'Pause',
  'Stop',
  'Ended',
  'TimeUpdate',
  'Error',
  'Waiting',
  'Seeking',
  'Seeked',
]

class AudioPlayer {
  constructor(kind, settings, events) {
    this._kind = kind
    this._id = null
    this._listeners = {}
    for (const name of events) {
      const list = listenerList()
      this._listeners[name.toLowerCase()] = list
      this[`on${name}`] = (fn) => list.on(fn)
      this[`off${name}`] = (fn) => list.off(fn)
    }
    this._settings = Object.assign({}, settings)
    this._state = { paused: true, duration: 0, position: 0, since: null, buffered: 0 }
    for (const key of Object.keys(settings)) {
      Object.defineProperty(this, key, {
        enumerable: true,
        get: () => this._settings[key],
        set: (v) => this._set(key, v),
      })
    }
    for (const key of ['duration', 'currentTime', 'paused', 'buffered']) {
      Object.defineProperty(this, key, { enumerable: true, get: () => this._read(key), set: () => {} })
    }
  }

  _read(key) {
    const s = this._state
    if (key === 'paused') return s.paused
    if (key === 'duration') return s.duration
    if (key === 'buffered') return s.buffered
    let t = s.position
    if (s.since !== null) t += ((native.now() - s.since) / 1000) * (Number(this._settings.playbackRate) || 1)
    return s.duration > 0 ? Math.min(t, s.duration) : t
  }

  _anchor(position, playing) {
    this._state.position = position
    this._state.since = playing ? native.now() : null
  }

  _emit(name, res) {
    const list = this._listeners[name]
    if (list) list.emit(res || {}, `${this._kind}.on${name[0].toUpperCase()}${name.slice(1)} listener`)
  }

  // Opens the host player the first time it is needed (a source or a method call).
  _open() {
    if (this._id !== null) return true
    if (this._destroyed) return false
    const args = Object.assign({}, this._settings)
    if (args.src) {
      try {
        args.source = audioSource(args.src)
      } catch (err) {
        this._fail(10004, sourceError(err))
        return false
      }
    }
    this._id = callHost(`${this._kind}.create`, args, (reason) => {
      if (reason) {
        this._id = null
        this._fail(-1, reason)
      }
    })
    hostTasks.set(this._id, this)
    return true
  }

  _fail(errCode, errMsg) {
    this._anchor(this._read('currentTime'), false)
    this._state.paused = true
    this._emit('error', { errCode, errMsg })
  }

  _command(method, args) {
    if (!this._open()) return
    callHost(`${this._kind}.${method}`, Object.assign({ audioId: this._id }, args), (reason) => {
      if (reason) this._fail(-1, `${method}: ${reason}`)
    })
  }

  _set(key, value) {
    if (this._settings[key] === value) return
    this._settings[key] = value
    if (key === 'src') {
      this._state.duration = 0
      this._anchor(0, false)
      this._state.paused = true
    }
    if (this._id === null) {
      if (key === 'src' && (this._settings.autoplay || this._autoplaysOnSource)) this.play()
      return
    }
    const change = { name: key, value }
    if (key === 'src') {
      try {
        change.source = audioSource(String(value))
      } catch (err) {
        return this._fail(10004, sourceError(err))
      }
    }
    this._command('set', change)
    if (key === 'src' && (this._settings.autoplay || this._autoplaysOnSource)) this.play()
  }

  // A report from the host player.
  _event(name, data) {
    const d = data || {}
    const s = this._state
    if (typeof d.duration === 'number' && d.duration >= 0) s.duration = d.duration
    if (typeof d.buffered === 'number') s.buffered = d.buffered
    const at = typeof d.currentTime === 'number' ? d.currentTime : typeof d.position === 'number' ? d.position : null
    switch (name) {
      case 'play':
        s.paused = false
        this._anchor(at === null ? this._read('currentTime') : at, true)
        break
      case 'pause':
      case 'waiting':
        if (name === 'pause') s.paused = true
        this._anchor(at === null ? this._read('currentTime') : at, false)
        break
      case 'stop':
        s.paused = true
        this._anchor(0, false)
        break
      case 'ended':
        s.paused = true
        this._anchor(s.duration, false)
        if (this._settings.loop) this._anchor(0, false)
        break
      case 'timeUpdate':
      case 'seeked':
        if (at !== null) this._anchor(at, !s.paused)
        break
      case 'error':
        return this._fail(Number(d.errCode) || -1, String(d.errMsg || 'playback failed'))
      default:
    }
    this._emit(name.toLowerCase(), name === 'canplay' || name === 'timeUpdate' ? {} : d)
  }

  play() {
    if (!this._settings.src) return this._fail(10004, 'no src set')
    this._command('play', { startTime: this._settings.startTime })
  }
  pause() {
    this._command('pause')
  }
  stop() {
    this._command('stop')
  }
  seek(position) {
    const p = Math.max(0, Number(position) || 0)
    this._command('seek', { position: p })
  }
}

class InnerAudioContext extends AudioPlayer {
  constructor(options) {
    const settings = {
      src: '',
      startTime: 0,
      autoplay: false,
      loop: false,
      obeyMuteSwitch: true,
      volume: 1,
      playbackRate: 1,
      referrerPolicy: 'origin',
    }
    super('InnerAudioContext', settings, PLAYER_EVENTS)
    this._useWebAudio = Boolean(options && options.useWebAudioImplement)
  }
  destroy() {
    if (this._id !== null) {
      callHost('InnerAudioContext.destroy', { audioId: this._id }, () => {})
      hostTasks.delete(this._id)
    }
    this._id = null
    this._destroyed = true
  }
}

wx.createInnerAudioContext = (options) => new InnerAudioContext(options)

// One background player per app; setting `src` starts playing, as in WeChat.
let backgroundAudio = null
class BackgroundAudioManager extends AudioPlayer {
  constructor() {
    const settings = {
      src: '',
      startTime: 0,
      title: '',
      epname: '',
      singer: '',
      coverImgUrl: '',
      webUrl: '',
      protocol: 'http',
      playbackRate: 1,
      referrerPolicy: 'origin',
    }
    super('BackgroundAudioManager', settings, PLAYER_EVENTS.concat(['Next', 'Prev']))
    this._autoplaysOnSource = true
  }
  _open() {
    if (this._id === null && !this._settings.title && !this._untitledAllowed) {
      console.warn('BackgroundAudioManager: set `title` before `src` (WeChat needs it to show the player)')
    }
    return super._open()
  }
  _event(name, data) {
    if (name === 'play') this._state.finished = false
    if (name === 'stop' || name === 'ended') this._state.finished = true
    super._event(name, data)
  }
  _emit(name, res) {
    super._emit(name, res)
    const legacy = LEGACY_EVENTS[name]
    if (legacy) LEGACY[legacy].emit(undefined, `wx.onBackgroundAudio${legacy} listener`)
  }
}
function backgroundAudioManager() {
  if (!backgroundAudio) backgroundAudio = new BackgroundAudioManager()
  return backgroundAudio
}
wx.getBackgroundAudioManager = backgroundAudioManager

// The background-audio API before getBackgroundAudioManager (deprecated, still in many apps):
// the same player. `onBackgroundAudioStop` hears a stop and the end of the music (where
// playlists go on to the next song), the others play and pause.
const LEGACY = { Play: listenerList(), Pause: listenerList(), Stop: listenerList() }
const LEGACY_EVENTS = { play: 'Play', pause: 'Pause', stop: 'Stop', ended: 'Stop' }
for (const name of Object.keys(LEGACY)) wx[`onBackgroundAudio${name}`] = (fn) => LEGACY[name].on(fn)

// The player, when it has music to act on (a source and a host player).
function legacyPlayer() {
  const m = backgroundAudio
  return m && m._id !== null && m._settings.src ? m : null
}

wx.playBackgroundAudio = (options) =>
  wxAsync('playBackgroundAudio', options, (o, finish) => {
    const bad = checkParam(o, 'dataUrl', 'String')
    if (bad) return finish(bad)
    try {
      audioSource(o.dataUrl)
    } catch (err) {
      return finish(sourceError(err))
    }
    const m = backgroundAudioManager()
    m._untitledAllowed = true
    if (typeof o.title === 'string') m.title = o.title
    if (typeof o.coverImgUrl === 'string') m.coverImgUrl = o.coverImgUrl
    if (m.src === o.dataUrl) m.play()
    else m.src = o.dataUrl // a new source starts playing
    finish(null)
  })

for (const [api, act] of [
  ['pauseBackgroundAudio', (m) => m.pause()],
  ['stopBackgroundAudio', (m) => m.stop()],
]) {
  wx[api] = (options) =>
    wxAsync(api, options, (o, finish) => {
      const m = legacyPlayer()
      if (m) act(m)
      finish(null)
    })
}

wx.seekBackgroundAudio = (options) =>
  wxAsync('seekBackgroundAudio', options, (o, finish) => {
    const bad = checkParam(o, 'position', 'Number')
    if (bad) return finish(bad)
    const m = legacyPlayer()
    if (m) m.seek(o.position)
    finish(null)
  })

// status 0 paused, 1 playing, 2 no music (nothing set, stopped or ended); the rest only with
// music, in seconds, and how much of it is loaded in percent.
wx.getBackgroundAudioPlayerState = (options) =>
  wxAsync('getBackgroundAudioPlayerState', options, (o, finish) => {
    const m = legacyPlayer()
    if (!m || m._state.finished) return finish(null, { status: 2 })
    const duration = m.duration
    const loaded = duration > 0 ? Math.min(100, Math.round((m.buffered / duration) * 100)) : 0
    finish(null, {
      status: m.paused ? 0 : 1,
      duration,
      currentPosition: m.currentTime,
      downloadPercent: loaded,
      dataUrl: m.src,
    })
  })

wx.setInnerAudioOption = hostApi('setInnerAudioOption')

// The recorder: the core allocates the file, asks for consent (scope.record) and stops the
// recording after `duration` on the instance clock; the host records into the file and reports
// start, pause, resume, stop {duration, fileSize}, frameRecorded {frameBuffer (base64),
// isLastFrame}, interruptionBegin/End and error.
const RECORDER_FORMATS = ['aac', 'mp3', 'wav', 'PCM']
const RECORDER_EVENTS = [
  'Start',
  'Pause',
  'Resume',
  'Stop',
  'FrameRecorded',
  'Error',
  'InterruptionBegin',
  'InterruptionEnd',
]
let recorder = null
class RecorderManager {
  constructor() {
    this._listeners = {}
    for (const name of RECORDER_EVENTS) {
      const list = listenerList()
      this._listeners[name[0].toLowerCase() + name.slice(1)] = list
      this[`on${name}`] = (fn) => list.on(fn)
      this[`off${name}`] = (fn) => list.off(fn)
    }
    this._id = null
    this._file = null
    this._startedAt = 0
    this._timer = null
  }
  _emit(name, res) {
    this._listeners[name].emit(res || {}, `RecorderManager.on${name[0].toUpperCase()}${name.slice(1)} listener`)
  }
  _error(errMsg) {
    this._emit('error', { errMsg: `operateRecorder:fail ${errMsg}` })
  }
  start(options) {
    const o = Object.assign(
      {
        duration: 60000,
        sampleRate: 8000,
        numberOfChannels: 2,
        encodeBitRate: 48000,
        format: 'aac',
        audioSource: 'auto',
      },
      options,
    )
    if (this._id !== null) return this._error('is recording or paused')
    if (!RECORDER_FORMATS.includes(o.format))
      return this._error(`format should be one of ${RECORDER_FORMATS.join(', ')}`)
    const duration = Number(o.duration)
    if (!(duration > 0 && duration <= 600000)) return this._error('duration should be from 1 to 600000 ms')
    withConsent('scope.record', (reason) => {
      if (reason) return this._error(failure(reason).text)
      if (this._id !== null) return
      let slot
      try {
        slot = native.fsNewTemp(o.format === 'PCM' ? 'pcm' : o.format)
      } catch (err) {
        return this._error(fsFailure(err))
      }
      this._file = slot[0]
      const args = Object.assign({}, o, { duration, savePath: slot[1] })
      this._id = callHost('RecorderManager.start', args, (failed) => {
        if (failed) {
          this._finish()
          this._error(failed)
        }
      })
      hostTasks.set(this._id, this)
      this._timer = setTimeout(() => this.stop(), duration)
    })
  }
  _finish() {
    if (this._id !== null) hostTasks.delete(this._id)
    this._id = null
    clearTimeout(this._timer)
  }
  _control(method) {
    if (this._id === null) return this._error('recorder not started')
    callHost(`RecorderManager.${method}`, { recorderId: this._id }, (reason) => {
      if (reason) this._error(reason)
    })
  }
  pause() {
    this._control('pause')
  }
  resume() {
    this._control('resume')
  }
  stop() {
    this._control('stop')
  }
  _event(name, data) {
    const d = data || {}
    if (name === 'start') this._startedAt = native.now()
    if (name === 'stop') {
      const file = this._file
      this._finish()
      let size = Number(d.fileSize)
      if (!(size >= 0)) {
        try {
          size = JSON.parse(native.fsStat(file)).size || 0
        } catch (_) {
          size = 0
        }
      }
      const duration = typeof d.duration === 'number' ? d.duration : Math.round(native.now() - this._startedAt)
      return this._emit('stop', { tempFilePath: file, duration, fileSize: size })
    }
    if (name === 'error') {
      this._finish()
      return this._error(String(d.errMsg || 'recording failed'))
    }
    if (name === 'frameRecorded') {
      return this._emit('frameRecorded', {
        frameBuffer: wx.base64ToArrayBuffer(String(d.frameBuffer || '')),
        isLastFrame: Boolean(d.isLastFrame),
      })
    }
    if (this._listeners[name]) this._emit(name, d)
  }
}
wx.getRecorderManager = () => {
  if (!recorder) recorder = new RecorderManager()
  return recorder
}
