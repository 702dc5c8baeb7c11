//! Text measured by the host's fonts through uniffi: a Kotlin/Swift [`TextMeasurer`] (Android's
//! `StaticLayout`, iOS's TextKit) that the core calls on the app's logic thread, synchronously,
//! once per distinct (text, font, width); answers are cached by the core. A measurer that throws
//! or answers something that is not a size falls back to the headless formula with one warning.

use std::sync::Arc;

use miniapp_core::layout::text::{FontSpec, TextMeasurer as CoreTextMeasurer, TextMetrics};

use crate::uniffi_error::MiniappError;

/// The font a run is set in, resolved to px.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct FontRecord {
    /// Font size in px.
    pub size: f32,
    /// Line height in px.
    pub line_height: f32,
    /// Numeric weight (400 normal, 700 bold).
    pub weight: f32,
    /// Italic or oblique.
    pub italic: bool,
    /// Extra advance per character in px.
    pub letter_spacing: f32,
}

/// A measured run of text, in px.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct TextMetricsRecord {
    /// Width of the widest line.
    pub width: f32,
    /// Total height.
    pub height: f32,
    /// From the top to the first line's baseline.
    pub baseline: f32,
    /// Number of lines.
    pub lines: u32,
}

/// Implemented by the host: measures text with its own fonts (called on the logic thread).
#[uniffi::export(foreign)]
pub trait TextMeasurer: Send + Sync {
    /// Measures `text` set in `font`, wrapped to `max_width` px (none: one line per `\n`).
    fn measure(
        &self,
        text: String,
        font: FontRecord,
        max_width: Option<f32>,
    ) -> Result<TextMetricsRecord, MiniappError>;
}

/// The host's measurer as the core's.
pub(crate) struct MeasurerBridge(pub Arc<dyn TextMeasurer>);

impl CoreTextMeasurer for MeasurerBridge {
    fn measure(&self, text: &str, font: &FontSpec, max_width: Option<f32>) -> TextMetrics {
        let font = FontRecord {
            size: font.size,
            line_height: font.line_height,
            weight: font.weight,
            italic: font.italic,
            letter_spacing: font.letter_spacing,
        };
        match self.0.measure(text.to_string(), font, max_width) {
            Ok(m) => TextMetrics {
                width: m.width,
                height: m.height,
                baseline: m.baseline,
                lines: m.lines,
            },
            // The core replaces it with the headless formula and warns once.
            Err(_) => TextMetrics::failed(),
        }
    }
}
