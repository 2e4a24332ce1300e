//! The one diagnostic model every pass reports through.
//!
//! A [`Diagnostic`] is a [`Code`] (stable, never reused), a message for a newcomer, labelled byte
//! spans into the spec, optional help, and an optional machine-applicable [`Suggestion`]. When the
//! problem sits in a file the spec brings in (an `[imports]` module), it also says where in that
//! file ([`Elsewhere`]); the spec's labels still point at the line that brings the file in. Passes
//! push diagnostics into a [`Diagnostics`] collection and keep going, so one run reports every
//! problem. Rendering (miette for humans, JSON for editors) happens only in the CLI.

mod codes;

pub use codes::{Code, Phase};

use serde::Serialize;
use std::ops::Range;
use std::sync::Arc;

/// A byte range into the spec text.
pub type Span = Range<usize>;

/// How bad a diagnostic is. Errors stop `build`; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; the build goes on.
    Warning,
    /// The spec cannot be compiled as written.
    Error,
}

/// A span with a short text saying what is there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Label {
    /// Where in the spec.
    pub span: Span,
    /// What the reader should notice at that place.
    pub text: String,
    /// The primary label is the place to fix; secondary ones give context.
    pub primary: bool,
}

/// A replacement the user (or an editor) can apply as is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// The text to replace.
    pub span: Span,
    /// What to put there.
    pub replacement: String,
}

/// A place in another file than the spec: an `[imports]` module (or a file it imports).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Elsewhere {
    /// The file as a path relative to the spec's folder, e.g. `modules/samba.nix`.
    pub file: String,
    /// The file's text, shared by every diagnostic about it, so renderers need not read it again.
    #[serde(skip)]
    pub source: Arc<str>,
    /// A byte range into `source`.
    pub span: Span,
    /// What the reader should notice there.
    pub text: String,
}

impl Elsewhere {
    /// The 1-based line and column (in characters) where the span starts.
    pub fn line_column(&self) -> (usize, usize) {
        line_column(&self.source, self.span.start)
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`; the end when past it.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// One problem found in a spec.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The stable code, e.g. `AC0201`.
    pub code: Code,
    /// Error or warning; defaults to the code's own severity.
    pub severity: Severity,
    /// One sentence saying what is wrong.
    pub message: String,
    /// Places in the spec; the first primary one is where to fix.
    pub labels: Vec<Label>,
    /// How to fix it, in words.
    pub help: Option<String>,
    /// A concrete edit that fixes it, when one is known.
    pub suggestion: Option<Suggestion>,
    /// The place in an imported file, when the problem is there.
    pub elsewhere: Option<Elsewhere>,
}

impl Diagnostic {
    /// Starts a diagnostic of `code` with the code's default severity.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Self {
            code,
            severity: code.severity(),
            message: message.into(),
            labels: Vec::new(),
            help: None,
            suggestion: None,
            elsewhere: None,
        }
    }

    /// Adds the primary label (the place to fix). A missing span adds nothing.
    #[must_use]
    pub fn at(mut self, span: Option<Span>, text: impl Into<String>) -> Self {
        if let Some(span) = span {
            self.labels.push(Label {
                span,
                text: text.into(),
                primary: true,
            });
        }
        self
    }

    /// Adds a secondary label giving context.
    #[must_use]
    pub fn also(mut self, span: Option<Span>, text: impl Into<String>) -> Self {
        if let Some(span) = span {
            self.labels.push(Label {
                span,
                text: text.into(),
                primary: false,
            });
        }
        self
    }

    /// Says where in an imported file the problem is (`file` relative to the spec's folder).
    #[must_use]
    pub fn in_file(
        self,
        file: impl Into<String>,
        source: &Arc<str>,
        span: Span,
        text: impl Into<String>,
    ) -> Self {
        self.elsewhere_at(Elsewhere {
            file: file.into(),
            source: Arc::clone(source),
            span,
            text: text.into(),
        })
    }

    /// Says where in an imported file the problem is.
    #[must_use]
    pub fn elsewhere_at(mut self, at: Elsewhere) -> Self {
        self.elsewhere = Some(at);
        self
    }

    /// Adds help text.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a replacement for `span`, and says it in the help when none was given.
    #[must_use]
    pub fn suggest(mut self, span: Option<Span>, replacement: impl Into<String>) -> Self {
        let replacement = replacement.into();
        if self.help.is_none() {
            self.help = Some(format!("did you mean `{}`?", replacement.trim_matches('"')));
        }
        if let Some(span) = span {
            self.suggestion = Some(Suggestion { span, replacement });
        }
        self
    }

    /// Turns this diagnostic into a warning.
    #[must_use]
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// The first primary span, if any.
    pub fn primary_span(&self) -> Option<&Span> {
        self.labels.iter().find(|l| l.primary).map(|l| &l.span)
    }
}

/// Every diagnostic a run produced, in the order the passes found them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// The diagnostics after the first `from`, to amend them.
    pub fn tail_mut(&mut self, from: usize) -> &mut [Diagnostic] {
        let from = from.min(self.0.len());
        &mut self.0[from..]
    }

    /// Moves every diagnostic of `other` into this one.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// Keeps only the diagnostics for which `keep` is true.
    pub fn retain(&mut self, keep: impl FnMut(&Diagnostic) -> bool) {
        self.0.retain(keep);
    }

    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.0
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.0
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// Sorts by position in the file (diagnostics without a span last), keeping pass order for ties.
    pub fn sort_by_position(&mut self) {
        self.0
            .sort_by_key(|d| d.primary_span().map_or(usize::MAX, |s| s.start));
    }

    /// The diagnostics, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    /// True when nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of diagnostics.
    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// The diagnostics reference (`docs/diagnostics.md`): one row per code, linking to its page.
pub fn reference_markdown() -> String {
    let mut text = String::from(
        "# Diagnostic codes\n\n\
         Generated from `aster-config/compiler/src/diagnostic/codes.rs`; each page is also printed by\n\
         `aster-config explain CODE`. Codes are stable and never reused.\n\n\
         | code | severity | phase | meaning |\n|---|---|---|---|\n",
    );
    for code in Code::ALL {
        let severity = match code.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let phase = match code.phase() {
            Phase::Read => "read",
            Phase::Shape => "shape",
            Phase::Meaning => "meaning",
            Phase::Asterinas => "asterinas",
            Phase::Fleet => "fleet",
            Phase::Import => "import",
        };
        text.push_str(&format!(
            "| [{code}](diagnostics/{code}.md) | {severity} | {phase} | {} |\n",
            code.title()
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_from_one() {
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
        assert_eq!(line_column("ab", 99), (1, 3));
    }
}
