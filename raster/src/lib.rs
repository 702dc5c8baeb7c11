//! The raster host: draws the render protocol to pixels, as a native host draws it to views —
//! from the ops alone ([`Scene::apply`] takes each [`Frame`] in order), so it is the protocol's
//! reference host: what it cannot draw from the ops is a gap in the protocol, not a special
//! case here.
//!
//! [`Scene`] keeps the node tree the frames built (tags, attributes, resolved visual styles,
//! frames, scroll offsets); [`Scene::paint`] draws the visible page (the last page under the
//! root) with its navigation bar and, on tab pages, the tab bar, at a device pixel ratio:
//! backgrounds, borders, corner radii with clipping, opacity, overflow clipping, z-order and text
//! shaped and wrapped by cosmic-text with the machine's fonts ([`Fonts`]). `<image>`s from the package
//! ([`ImageSource`]), transforms (each transformed box painted as a layer), and the built-ins a
//! native host draws as widgets (switch, checkbox, radio, slider, progress, icon, the text of
//! input and textarea) in WeChat's default look.
//!
//! [`Screen`] keeps a host's scene, fonts and image source together (what the CLI, the automator
//! and the native library's `render_rgba` each hold).
//!
//! Plain data, no threads: build and paint on any one thread.

mod chrome;
mod color;
mod image;
mod paint;
mod picture;
mod scene;
mod screen;
mod shapes;
mod text;
mod transform;
mod widgets;

pub use image::{ImageSource, NoImages};
pub use picture::Picture;
pub use scene::Scene;
pub use screen::Screen;
pub use text::{FontMeasurer, Fonts};

pub use miniapp_core::view::Frame;

/// The navigation bar's height in px (below the status bar, which is the device's).
pub const NAVIGATION_BAR_HEIGHT: f32 = 44.0;
/// The tab bar's height in px.
pub const TAB_BAR_HEIGHT: f32 = 50.0;
