//! Text measurement: the host's [`TextMeasurer`], a deterministic headless one, and the
//! core's cache in front of either.
//!
//! The headless formula ([`HeadlessMeasurer`]), documented so snapshots are stable on every
//! machine: an ASCII character advances `0.5 × font-size`, any other character
//! `1 × font-size`, plus `letter-spacing` per character. Lines break greedily: at spaces
//! between words, between any two non-ASCII characters (CJK has no spaces), and inside a
//! word only when the word alone is wider than the line; `\n` always breaks. A run is
//! `lines × line-height` tall, as wide as its widest line (trailing spaces excluded), and
//! its first baseline sits at `(line-height − font-size) / 2 + 0.8 × font-size`.
//! Measurers are called on the app's logic thread.

use std::collections::HashMap;

/// The font a run is set in, resolved to px.
#[derive(Debug, Clone, PartialEq)]
pub struct FontSpec {
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

/// A measured run of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextMetrics {
    /// Width of the widest line in px.
    pub width: f32,
    /// Total height in px.
    pub height: f32,
    /// Distance from the top to the first line's baseline in px.
    pub baseline: f32,
    /// Number of lines.
    pub lines: u32,
}

/// Measures text for layout. Hosts with real fonts implement it with their text engine;
/// the core caches answers, so a measurer is called once per distinct (text, font, width).
pub trait TextMeasurer: Send + Sync {
    /// Measures `text` set in `font`, wrapped to `max_width` (`None`: one line per `\n`).
    fn measure(&self, text: &str, font: &FontSpec, max_width: Option<f32>) -> TextMetrics;
}

/// The deterministic measurer headless runs use (formula in the module docs).
#[derive(Debug, Default, Clone, Copy)]
pub struct HeadlessMeasurer;

fn advance(ch: char, font: &FontSpec) -> f32 {
    let em = if ch.is_ascii() { 0.5 } else { 1.0 };
    em * font.size + font.letter_spacing
}

impl TextMeasurer for HeadlessMeasurer {
    fn measure(&self, text: &str, font: &FontSpec, max_width: Option<f32>) -> TextMetrics {
        let limit = max_width.unwrap_or(f32::INFINITY);
        let mut widest = 0f32;
        let mut lines = 0u32;
        for paragraph in text.split('\n') {
            let (w, n) = wrap_paragraph(paragraph, font, limit);
            widest = widest.max(w);
            lines += n;
        }
        TextMetrics {
            width: widest,
            height: lines as f32 * font.line_height,
            baseline: (font.line_height - font.size) / 2.0 + 0.8 * font.size,
            lines,
        }
    }
}

/// Greedy wrapping of one paragraph: (widest line, line count).
fn wrap_paragraph(text: &str, font: &FontSpec, limit: f32) -> (f32, u32) {
    const EPSILON: f32 = 0.001;
    let mut widest = 0f32;
    let mut lines = 1u32;
    // width of the current line up to its last non-space character, and with spaces
    let (mut line, mut line_with_spaces) = (0f32, 0f32);
    for unit in break_units(text) {
        let width: f32 = unit.chars().map(|c| advance(c, font)).sum();
        let blank = unit.chars().all(|c| c == ' ');
        if blank {
            line_with_spaces += width;
            continue;
        }
        if line > 0.0 && line_with_spaces + width > limit + EPSILON {
            widest = widest.max(line);
            lines += 1;
            line = 0.0;
            line_with_spaces = 0.0;
        }
        if width > limit + EPSILON {
            // a word wider than the line breaks between characters
            for ch in unit.chars() {
                let a = advance(ch, font);
                if line_with_spaces > 0.0 && line_with_spaces + a > limit + EPSILON {
                    widest = widest.max(line);
                    lines += 1;
                    line_with_spaces = 0.0;
                }
                line_with_spaces += a;
                line = line_with_spaces;
            }
            continue;
        }
        line_with_spaces += width;
        line = line_with_spaces;
    }
    (widest.max(line), lines)
}

/// Splits text into break units: runs of spaces, ASCII words, single non-ASCII characters.
fn break_units(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut kind = 0u8; // 0 none, 1 spaces, 2 word
    for (i, ch) in text.char_indices() {
        let k = if ch == ' ' {
            1
        } else if ch.is_ascii() {
            2
        } else {
            3
        };
        if k == 3 {
            if i > start {
                out.push(&text[start..i]);
            }
            out.push(&text[i..i + ch.len_utf8()]);
            start = i + ch.len_utf8();
            kind = 0;
            continue;
        }
        if k != kind && i > start {
            out.push(&text[start..i]);
            start = i;
        }
        kind = k;
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Collapses white space as CSS `white-space: normal` does: runs of spaces, tabs and
/// newlines become one space.
pub fn collapse_white_space(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for ch in text.chars() {
        if matches!(ch, ' ' | '\t' | '\n' | '\r' | '\u{c}') {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(ch);
        }
    }
    out
}

#[derive(PartialEq, Eq, Hash)]
struct CacheKey {
    text: String,
    font: [u32; 5],
    max_width: Option<u32>,
}

/// Answers by (text, font, width); cleared when it grows past its bound. A measurer answer that
/// is not a size (NaN, infinite or negative; a host measurer that failed answers NaN) is
/// replaced by the headless formula's, with one warning per cache.
#[derive(Default)]
pub struct TextCache {
    entries: HashMap<CacheKey, TextMetrics>,
    /// Calls that reached the measurer (for benches and tests).
    pub misses: u64,
    /// Answers replaced by the headless formula's.
    pub fallbacks: u64,
}

impl TextMetrics {
    /// True when every field is a usable size.
    pub fn is_valid(&self) -> bool {
        [self.width, self.height].iter().all(|v| v.is_finite() && *v >= 0.0)
            && self.baseline.is_finite()
    }

    /// What a measurer that failed answers (rejected by [`TextCache`]).
    pub fn failed() -> TextMetrics {
        TextMetrics { width: f32::NAN, height: f32::NAN, baseline: f32::NAN, lines: 0 }
    }
}

impl std::fmt::Debug for TextCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TextCache").field("entries", &self.entries.len()).finish()
    }
}

const CACHE_LIMIT: usize = 8192;

impl TextCache {
    /// Measures through the cache.
    pub fn measure(
        &mut self,
        measurer: &dyn TextMeasurer,
        text: &str,
        font: &FontSpec,
        max_width: Option<f32>,
    ) -> TextMetrics {
        let key = CacheKey {
            text: text.to_string(),
            font: [
                font.size.to_bits(),
                font.line_height.to_bits(),
                font.weight.to_bits(),
                u32::from(font.italic),
                font.letter_spacing.to_bits(),
            ],
            max_width: max_width.map(f32::to_bits),
        };
        if let Some(m) = self.entries.get(&key) {
            return *m;
        }
        self.misses += 1;
        let mut m = measurer.measure(text, font, max_width);
        if !m.is_valid() {
            if self.fallbacks == 0 {
                tracing::warn!(
                    target: "miniapp::layout",
                    "the host's text measurer answered {m:?} for {text:?}; using the headless formula instead"
                );
            }
            self.fallbacks += 1;
            m = HeadlessMeasurer.measure(text, font, max_width);
        }
        if self.entries.len() >= CACHE_LIMIT {
            self.entries.clear();
        }
        self.entries.insert(key, m);
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Broken;
    impl TextMeasurer for Broken {
        fn measure(&self, _: &str, _: &FontSpec, _: Option<f32>) -> TextMetrics {
            TextMetrics::failed()
        }
    }

    #[test]
    fn a_failing_measurer_falls_back_to_the_formula() {
        let mut cache = TextCache::default();
        let m = cache.measure(&Broken, "abcd", &font(), None);
        assert_eq!(m, HeadlessMeasurer.measure("abcd", &font(), None));
        assert_eq!(cache.fallbacks, 1);
    }

    fn font() -> FontSpec {
        FontSpec {
            size: 16.0,
            line_height: 20.0,
            weight: 400.0,
            italic: false,
            letter_spacing: 0.0,
        }
    }

    #[test]
    fn headless_widths_follow_the_formula() {
        let m = HeadlessMeasurer.measure("Hello 你好", &font(), None);
        // 6 ASCII × 8 + 2 CJK × 16
        assert_eq!((m.width, m.height, m.lines), (80.0, 20.0, 1));
        assert_eq!(m.baseline, 2.0 + 12.8);
    }

    #[test]
    fn words_wrap_at_spaces_and_long_words_break() {
        // "aaaa bbbb" = 72px; 40px fits one word (32px) per line
        let m = HeadlessMeasurer.measure("aaaa bbbb", &font(), Some(40.0));
        assert_eq!((m.width, m.lines), (32.0, 2));
        let m = HeadlessMeasurer.measure("aaaaaaaaaa", &font(), Some(40.0));
        assert_eq!((m.width, m.lines), (40.0, 2));
        let m = HeadlessMeasurer.measure("你好世界", &font(), Some(40.0));
        assert_eq!((m.width, m.lines), (32.0, 2));
        let m = HeadlessMeasurer.measure("a\nbb", &font(), None);
        assert_eq!((m.width, m.lines), (16.0, 2));
    }

    #[test]
    fn white_space_collapses() {
        assert_eq!(collapse_white_space("  a \n\t b  "), "a b");
    }
}
