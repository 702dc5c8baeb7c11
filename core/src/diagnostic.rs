//! Diagnostics: problems found in a package, its templates, styles or scripts.
//!
//! Diagnostics are collected, not thrown: loading and compiling go on after a problem so the
//! developer sees every problem at once. Each carries the package path, an optional 1-based
//! line/column, a [`Level`] and a stable numeric [`Code`] that tools and tests can match on.
//! Plain data; usable from any thread.

use std::fmt;

use serde::{Deserialize, Serialize};

/// How serious a diagnostic is. `Error` and `Fatal` make a package unrunnable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Probably a mistake, but the result still works.
    Note,
    /// A mistake the runtime can work around.
    Warn,
    /// A problem that stops this file or feature from working.
    Error,
    /// A problem that stops the whole package from running.
    Fatal,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::Note => "note",
            Level::Warn => "warning",
            Level::Error => "error",
            Level::Fatal => "fatal",
        })
    }
}

/// Stable diagnostic codes. Numbers never change meaning once released.
///
/// Ranges: 1xx package, 2xx config (`*.json`), 3xx templates (WXML/WXS), 4xx scripts,
/// 5xx styles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "u16", try_from = "u16")]
#[repr(u16)]
pub enum Code {
    /// The package directory could not be read.
    PackageUnreadable = 100,
    /// A required file (`app.json`, `app.js`, a page's `.js`/`.wxml`) is missing.
    FileMissing = 101,
    /// A path leaves the package root (`..`, absolute path, symlink to outside).
    PathEscapes = 102,
    /// A file is not valid UTF-8.
    NotUtf8 = 103,
    /// An npm dependency in `package.json` is neither built (`miniprogram_npm/`) nor installed
    /// (`node_modules/`).
    NpmNotInstalled = 104,
    /// A JSON file does not parse.
    JsonSyntax = 200,
    /// A JSON field has the wrong type or value.
    JsonField = 201,
    /// `app.json` lists no pages.
    NoPages = 202,
    /// A `usingComponents` entry points to nothing usable.
    ComponentMissing = 203,
    /// A `usingComponents` entry uses a form this runtime does not support (plugins).
    ComponentUnsupported = 204,
    /// A file listed as a component does not declare `"component": true`.
    NotAComponent = 205,
    /// The template compiler reported a problem.
    TemplateSyntax = 300,
    /// Generating template code failed.
    TemplateGenerate = 301,
    /// A script failed to parse.
    ScriptSyntax = 400,
    /// A script threw while it ran.
    ScriptException = 401,
    /// A WXSS property, value, selector or at-rule this runtime does not apply.
    StyleUnsupported = 500,
    /// A WXSS `@import` names a sheet that is not in the package.
    StyleImportMissing = 501,
    /// A LESS stylesheet does not compile.
    StyleCompile = 502,
    /// A WXSS declaration with no effect on a touch screen (focus outlines, tap highlight,
    /// cursor, form-control appearance…): dropped, as a native renderer does.
    StyleNoEffect = 503,
}

impl From<Code> for u16 {
    fn from(c: Code) -> u16 {
        c as u16
    }
}

impl TryFrom<u16> for Code {
    type Error = String;

    fn try_from(n: u16) -> Result<Code, String> {
        use Code::*;
        const ALL: [Code; 19] = [
            PackageUnreadable,
            FileMissing,
            PathEscapes,
            NotUtf8,
            NpmNotInstalled,
            JsonSyntax,
            JsonField,
            NoPages,
            ComponentMissing,
            ComponentUnsupported,
            NotAComponent,
            TemplateSyntax,
            TemplateGenerate,
            ScriptSyntax,
            ScriptException,
            StyleUnsupported,
            StyleImportMissing,
            StyleCompile,
            StyleNoEffect,
        ];
        ALL.into_iter().find(|c| *c as u16 == n).ok_or_else(|| format!("no diagnostic code E{n}"))
    }
}

/// One problem, located in a package file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Package-relative path with `/` separators (empty for the package as a whole).
    pub path: String,
    /// 1-based line, when the problem has a place in the file.
    pub line: Option<u32>,
    /// 1-based column (UTF-16 units for templates, chars for JSON), with `line`.
    pub column: Option<u32>,
    /// Severity.
    pub level: Level,
    /// Stable code.
    pub code: Code,
    /// What is wrong and, where it helps, how to fix it.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic for a whole file.
    pub fn new(
        level: Level,
        code: Code,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.into(),
            line: None,
            column: None,
            level,
            code,
            message: message.into(),
        }
    }

    /// Replaces the code.
    pub fn with_code(mut self, code: Code) -> Self {
        self.code = code;
        self
    }

    /// Adds a 1-based position.
    pub fn at(mut self, line: u32, column: u32) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// True for `Error` and `Fatal`.
    pub fn is_error(&self) -> bool {
        self.level >= Level::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = if self.path.is_empty() { "<package>" } else { &self.path };
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{place}:{l}:{c}: ")?,
            (Some(l), None) => write!(f, "{place}:{l}: ")?,
            _ => write!(f, "{place}: ")?,
        }
        write!(f, "{} [E{}]: {}", self.level, self.code as u16, self.message)
    }
}

/// An ordered collection of diagnostics.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Adds all of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// True if any is an `Error` or `Fatal`.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// True if any is `Fatal`: the package cannot run at all.
    pub fn has_fatal(&self) -> bool {
        self.0.iter().any(|d| d.level == Level::Fatal)
    }

    /// All diagnostics in the order found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Number of diagnostics.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Splits into those `keep` accepts (returned) and the rest (left here).
    pub fn take_where(&mut self, keep: impl Fn(&Diagnostic) -> bool) -> Diagnostics {
        let (taken, left) = std::mem::take(&mut self.0).into_iter().partition(|d| keep(d));
        self.0 = left;
        Diagnostics(taken)
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_place_level_code() {
        let d =
            Diagnostic::new(Level::Error, Code::JsonSyntax, "app.json", "expected `,`").at(3, 7);
        assert_eq!(d.to_string(), "app.json:3:7: error [E200]: expected `,`");
        assert!(d.is_error());
    }
}
