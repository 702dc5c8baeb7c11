//! Pictures for hosts without a view system (feature `raster`: embedded Linux, head units, game
//! engines, Qt/SDL): each app's frames are mirrored into a raster scene as the host takes them,
//! and [`Screen::render`] paints the page on screen to straight RGBA pixels. Frames the host has
//! not taken yet are taken for the picture and kept for its next `take_frames`, so none is lost.
//! Any thread (one lock per part).

use std::sync::Mutex;

use miniapp_core::package::Package;
use miniapp_core::runtime::handle::AppHandle;
use miniapp_core::view::Frame;

/// A painted picture: `width` × `height` pixels, 4 bytes each (R, G, B, A, not premultiplied),
/// rows top to bottom with no padding.
pub struct Rgba {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

/// One app's mirrored screen.
pub struct Screen {
    screen: Mutex<miniapp_raster::Screen<Package>>,
    /// Frames taken for a picture that the host has not taken yet.
    unread: Mutex<Vec<Frame>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Screen {
    pub fn new(package: Package) -> Screen {
        Screen {
            screen: Mutex::new(miniapp_raster::Screen::new(package)),
            unread: Mutex::new(Vec::new()),
        }
    }

    /// New frames into the scene; an error means a frame was lost (out of order).
    fn mirror(&self, handle: &AppHandle) -> Result<Vec<Frame>, String> {
        let frames = handle.take_frames();
        let mut screen = lock(&self.screen);
        for f in &frames {
            screen.apply(f)?;
        }
        Ok(frames)
    }

    /// The host's `take_frames`: the frames it has not seen, oldest first.
    pub fn take_frames(&self, handle: &AppHandle) -> Vec<Frame> {
        let mut out = std::mem::take(&mut *lock(&self.unread));
        // an out-of-order frame cannot happen (one queue, drained in order); if it did, the
        // host still gets every frame and the next picture reports it
        match self.mirror(handle) {
            Ok(frames) => out.extend(frames),
            Err(_) => out.extend(handle.take_frames()),
        }
        out
    }

    /// Paints the page on screen with its navigation and tab bars: the page in a window of
    /// `width` × `height` CSS px (the app's viewport) at `scale` device px per CSS px.
    pub fn render(
        &self,
        handle: &AppHandle,
        width: f32,
        height: f32,
        scale: f32,
    ) -> Result<Rgba, String> {
        let sane = |v: f32| v.is_finite() && v > 0.0;
        if !(sane(width) && sane(height) && sane(scale))
            || width * scale > 16_384.0
            || height * scale > 16_384.0
        {
            return Err(format!(
                "cannot draw a {width}×{height} window at scale {scale}: sizes must be positive and at most 16384 device px"
            ));
        }
        let fresh = self.mirror(handle)?;
        lock(&self.unread).extend(fresh);
        let picture = lock(&self.screen).paint(width, height, scale)?;
        Ok(Rgba { width: picture.width(), height: picture.height(), pixels: picture.rgba() })
    }
}
