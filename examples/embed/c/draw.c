/* Drawing a page without a view system: the library built with `--features raster`. */
#define MINIAPP_RASTER 1
#include "miniapp.h"

/* Draws `app`'s page (its 375×667 window at 2 device px per CSS px, with its bars) and hands
 * the pixels to `upload`: w × h pixels of R, G, B, A, rows top to bottom. */
int draw_page(uint64_t app, void (*upload)(const uint8_t *px, uint32_t w, uint32_t h)) {
    uint8_t *px;
    size_t len;
    uint32_t w, h;
    if (miniapp_app_render_rgba(app, 375.0f, 667.0f, 2.0f, &px, &len, &w, &h) != MINIAPP_STATUS_OK) {
        return -1; /* miniapp_last_error() says why */
    }
    upload(px, w, h);
    miniapp_pixels_free(px, len);
    return 0;
}
