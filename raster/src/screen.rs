//! A host's screen: the scene its frames build, the fonts (loaded at the first picture:
//! reading the machine's font database takes a moment) and where `<image>`s come from — what
//! `miniapp run --screenshot`, the automator's `screenshot()` and the native library's
//! `render_rgba` each keep. One thread at a time (`&mut self`); wrap it in a lock to share.

use miniapp_core::view::Frame;

use crate::image::ImageSource;
use crate::picture::Picture;
use crate::scene::Scene;
use crate::text::Fonts;

/// See the module docs.
pub struct Screen<I> {
    scene: Scene,
    fonts: Option<Fonts>,
    images: I,
}

impl<I: ImageSource> Screen<I> {
    /// An empty screen drawing images from `images`.
    pub fn new(images: I) -> Screen<I> {
        Screen { scene: Scene::new(), fonts: None, images }
    }

    /// Applies the next frame (an error names a frame out of sequence).
    pub fn apply(&mut self, frame: &Frame) -> Result<(), String> {
        self.scene.apply(frame)
    }

    /// Whether a page is on screen yet.
    pub fn has_page(&self) -> bool {
        self.scene.top_page().is_some()
    }

    fn fonts(&mut self) -> &mut Fonts {
        self.fonts.get_or_insert_with(Fonts::new)
    }

    /// How many font faces the machine has (0: pictures have no text).
    pub fn font_faces(&mut self) -> usize {
        self.fonts().faces()
    }

    /// Paints the page on screen ([`Scene::paint`]).
    pub fn paint(&mut self, width: f32, height: f32, scale: f32) -> Result<Picture, String> {
        let fonts = self.fonts.get_or_insert_with(Fonts::new);
        self.scene.paint(fonts, &self.images, width, height, scale)
    }
}
