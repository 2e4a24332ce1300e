//! Printing diagnostics: miette's annotated snippets for people, JSON for tools.

use super::{ColorChoice, EXIT_USAGE, Format};
use aster_config::diagnostic::{Diagnostic, Diagnostics, Severity};
use aster_config::source::SourceFile;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource};
use std::io::IsTerminal as _;

/// How this run prints.
pub struct Style {
    format: Format,
    color: bool,
}

impl Style {
    /// Decides colour from the flag, `NO_COLOR` and whether stderr is a terminal.
    pub fn new(format: Format, choice: ColorChoice) -> Self {
        let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => !no_color_env && std::io::stderr().is_terminal(),
        };
        Self { format, color }
    }

    /// Prints every diagnostic (human: to stderr; JSON: one document to stdout).
    pub fn diagnostics(&self, name: &str, source: Option<&SourceFile>, diagnostics: &Diagnostics) {
        match self.format {
            Format::Json => say!("{}", json(name, source, diagnostics)),
            Format::Human => {
                for diagnostic in diagnostics {
                    eprint!("{}", self.human(name, source, diagnostic));
                }
                if !diagnostics.is_empty() {
                    eprintln!(
                        "{name}: {} error(s), {} warning(s)",
                        diagnostics.error_count(),
                        diagnostics.warning_count()
                    );
                }
            }
        }
    }

    /// A one-line status for people (suppressed in JSON mode, where stdout is the document).
    pub fn status(&self, text: &str) {
        if self.format == Format::Human {
            eprintln!("{text}");
        }
    }

    fn human(&self, name: &str, source: Option<&SourceFile>, diagnostic: &Diagnostic) -> String {
        let theme = if self.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(100)
            .with_links(false);
        let report = Report {
            diagnostic,
            source: NamedSource::new(name, source.map(|s| s.text.clone()).unwrap_or_default()),
        };
        let mut out = String::new();
        if handler.render_report(&mut out, &report).is_err() {
            out = format!("{}: {}\n", diagnostic.code, diagnostic.message);
        }
        out.push('\n');
        out
    }
}

/// Prints a usage or I/O error and returns the usage exit code.
pub fn usage_error(text: &str) -> u8 {
    eprintln!("error: {text}");
    EXIT_USAGE
}

struct Report<'a> {
    diagnostic: &'a Diagnostic,
    source: NamedSource<String>,
}

impl std::fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.diagnostic.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        let explain = format!(
            "run `aster-config explain {}` for details",
            self.diagnostic.code
        );
        Some(Box::new(match &self.diagnostic.help {
            Some(help) => format!("{help}\n{explain}"),
            None => explain,
        }))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        (!self.diagnostic.labels.is_empty()).then_some(&self.source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.diagnostic.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.diagnostic.labels.iter().map(|label| {
            let length = label.span.end.saturating_sub(label.span.start);
            if label.primary {
                LabeledSpan::new_primary_with_span(
                    Some(label.text.clone()),
                    (label.span.start, length),
                )
            } else {
                LabeledSpan::new_with_span(Some(label.text.clone()), (label.span.start, length))
            }
        })))
    }
}

/// The JSON document: file, counts, and each diagnostic with byte spans and 1-based line/column.
fn json(name: &str, source: Option<&SourceFile>, diagnostics: &Diagnostics) -> String {
    let position = |offset: usize| -> serde_json::Value {
        let Some(source) = source else {
            return serde_json::Value::Null;
        };
        let before = &source.text[..source
            .text
            .floor_char_boundary(offset.min(source.text.len()))];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        serde_json::json!({ "line": line, "column": column })
    };
    let items: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            let labels: Vec<serde_json::Value> = d
                .labels
                .iter()
                .map(|l| serde_json::json!({
                    "start": l.span.start, "end": l.span.end, "text": l.text, "primary": l.primary,
                    "begin": position(l.span.start), "finish": position(l.span.end),
                }))
                .collect();
            serde_json::json!({
                "code": d.code, "severity": d.severity, "message": d.message, "labels": labels,
                "help": d.help, "suggestion": d.suggestion,
            })
        })
        .collect();
    let document = serde_json::json!({
        "file": name,
        "errors": diagnostics.error_count(),
        "warnings": diagnostics.warning_count(),
        "diagnostics": items,
    });
    serde_json::to_string_pretty(&document).unwrap_or_default()
}
