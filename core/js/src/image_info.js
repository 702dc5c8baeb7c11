// image_info.js — wx.getImageInfo: width, height, type and path of an image. Package images
// (relative to the current page, or `/`-absolute) and wxfile:// files are read here (their
// header only); http(s) images are downloaded first through wx.downloadFile (its allowlist
// and limits apply).

import { errorText, native } from './bridge.js'
import { checkParam, wx, wxAsync } from './wx.js'
import { parseUrl } from './router.js'
import { topPage } from './page_stack.js'

function imagePath(src) {
  if (/^wxfile:\/\//.test(src) || src.startsWith('/')) return src
  const page = topPage()
  return '/' + parseUrl(src, page ? page.route : '').route
}

wx.getImageInfo = (options) =>
  wxAsync('getImageInfo', options, (o, finish) => {
    const bad = checkParam(o, 'src', 'String')
    if (bad) return finish(bad)
    const describe = (path, shown) => {
      try {
        const [width, height, type] = native.imageInfo(path)
        finish(null, { width: Number(width), height: Number(height), type, path: shown, orientation: 'up' })
      } catch (err) {
        finish(errorText(err).replace(/^[a-zA-Z]+\|/, ''))
      }
    }
    if (/^https?:\/\//.test(o.src)) {
      wx.downloadFile({
        url: o.src,
        success: (res) => describe(res.tempFilePath, res.tempFilePath),
        fail: (res) => finish(String(res.errMsg).replace(/^downloadFile:fail /, '')),
      })
      return
    }
    const path = imagePath(o.src)
    describe(path, path.startsWith('/') ? path.slice(1) : path)
  })

export { imagePath }
