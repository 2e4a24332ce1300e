//! Printing diagnostics: miette's annotated snippets for people, JSON for tools.

use super::{ColorChoice, EXIT_USAGE, Format};
use aster_compiler::SourceFile;
use aster_compiler::diagnostic::{Diagnostic, Diagnostics, Elsewhere, Severity};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan};
use std::io::IsTerminal as _;
use std::sync::Arc;

mod source;
#[cfg(test)]
mod texts;
mod words;
mod wrap;

use source::SpecSource;

/// The spec's path as diagnostics name it: relative to the working directory when it lies below
/// it (else as given), so that in a folder of hosts the failing one is plain. Only messages use
/// it; the compiler keeps the bare file name, because the manifest it writes must not depend on
/// where the command was run from.
pub fn spec_path(path: &std::path::Path) -> String {
    if path.as_os_str() == "-" {
        return "<stdin>".to_owned();
    }
    aster_fleet::paths::shown(path)
        .to_string_lossy()
        .into_owned()
}

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
                // Rendering is per diagnostic and scans the text: past a screenful of problems
                // more detail stops helping, so the rest is counted (JSON lists every one).
                let source = source.map(|s| Arc::new(SpecSource::new(name, s.text.clone())));
                for diagnostic in diagnostics.iter().take(MAX_RENDERED) {
                    eprint!("{}", self.human(name, source.as_ref(), diagnostic));
                }
                if diagnostics.len() > MAX_RENDERED {
                    eprintln!(
                        "… and {} more; `--format json` lists every one",
                        diagnostics.len() - MAX_RENDERED
                    );
                }
                // Without errors the subcommand ends with its own one-line outcome that counts
                // the warnings (`ok (2 warning(s))`); a count here as well said it twice.
                if diagnostics.has_errors() {
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

    fn human(
        &self,
        name: &str,
        source: Option<&Arc<SpecSource>>,
        diagnostic: &Diagnostic,
    ) -> String {
        let theme = if self.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let printable = printable(diagnostic);
        let explain = format!("run `aster-config explain {}` for details", diagnostic.code);
        let help = match &printable.help {
            Some(help) => format!("{help}\n{explain}"),
            None => explain,
        };
        // miette fills the message after the severity icon and the help after `help: `, in
        // WIDTH - 2 columns; plain texts are filled here the same way, and miette only indents.
        let icon = match diagnostic.severity {
            Severity::Error => &theme.characters.error,
            Severity::Warning => &theme.characters.warning,
        };
        let icon_width = textwrap::core::display_width(&format!("  {icon} "));
        let bar_width = textwrap::core::display_width(&format!("  {} ", theme.characters.vbar));
        let prewrapped = wrap::prewrap(&printable.message, WIDTH - 2, icon_width, bar_width)
            .zip(wrap::prewrap(&help, WIDTH - 2, 8, 8));
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(WIDTH)
            .with_links(false)
            .with_word_separator(words::SEPARATOR)
            .with_wrap_lines(prewrapped.is_none())
            .with_show_related_as_nested(true);
        let (message, help) = prewrapped.unwrap_or((printable.message.clone(), help));
        let related = diagnostic
            .elsewhere
            .as_ref()
            .map(|at| Related::new(name, at));
        let report = Report {
            diagnostic: &printable,
            message,
            help,
            source: source.cloned(),
            related,
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

/// How many diagnostics the human format renders in full.
const MAX_RENDERED: usize = 200;

/// How wide miette renders a diagnostic, in columns.
const WIDTH: usize = 100;

/// A diagnostic as miette renders it: the message and the help (with the `explain` line) as
/// they are printed, filled already or left for miette to fill.
struct Report<'a> {
    diagnostic: &'a Diagnostic,
    message: String,
    help: String,
    source: Option<Arc<SpecSource>>,
    /// The place in an imported file, rendered as a second snippet below the spec's.
    related: Option<Related>,
}

/// The snippet of an imported file a diagnostic points into.
struct Related {
    message: String,
    label: LabeledSpan,
    source: SpecSource,
}

impl Related {
    /// `at` in the file named relative to the spec `spec_name` as it is shown, so both headers
    /// read from the same folder. Control characters in the file (Nix strings may hold them) are
    /// shown as `?`, byte for byte, so the spans still fit and nothing reaches the terminal.
    fn new(spec_name: &str, at: &Elsewhere) -> Self {
        let shown = std::path::Path::new(spec_name)
            .parent()
            .unwrap_or(std::path::Path::new(""))
            .join(&at.file);
        let text: String = at
            .source
            .chars()
            .flat_map(|c| {
                let hidden = c.is_control() && !matches!(c, '\n' | '\r' | '\t');
                let shown = if hidden { '?' } else { c };
                std::iter::repeat_n(shown, if hidden { c.len_utf8() } else { 1 })
            })
            .collect();
        let (line, column) = at.line_column();
        Self {
            // The file as the spec names it (the snippet's header gives the path from here):
            // a message that does not depend on where the checkout is wraps the same everywhere.
            message: format!("in {} (line {line}, column {column})", at.file),
            label: LabeledSpan::new_primary_with_span(
                Some(escape_controls(&at.text, false)),
                (at.span.start, at.span.end.saturating_sub(at.span.start)),
            ),
            source: SpecSource::new(&shown.to_string_lossy(), text),
        }
    }
}

impl std::fmt::Debug for Related {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::fmt::Display for Related {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Related {}

impl miette::Diagnostic for Related {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(self.label.clone())))
    }
}

/// The diagnostic with control characters from the spec shown as escapes, so that no spec can
/// send terminal control sequences through a message (help keeps its own line breaks).
fn printable(diagnostic: &Diagnostic) -> Diagnostic {
    let mut printable = diagnostic.clone();
    printable.message = escape_controls(&diagnostic.message, false);
    printable.help = diagnostic.help.as_deref().map(|h| escape_controls(h, true));
    for label in &mut printable.labels {
        label.text = escape_controls(&label.text, false);
    }
    printable
}

/// `text` with each control character (but `\n` when `keep_newlines`) written as its Rust
/// escape (`\u{1b}`, `\t`).
fn escape_controls(text: &str, keep_newlines: bool) -> String {
    let escaped = |c: char| c.is_control() && !(keep_newlines && c == '\n');
    if !text.chars().any(escaped) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if escaped(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

impl std::fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
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
        Some(Box::new(&self.help))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        let source = self.source.as_deref()?;
        (!self.diagnostic.labels.is_empty()).then_some(source as &dyn miette::SourceCode)
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        let related = self.related.as_ref()?;
        Some(Box::new(std::iter::once(
            related as &dyn miette::Diagnostic,
        )))
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
    // Line starts, computed once, so each position is a binary search.
    let line_starts: Vec<usize> = source.map_or_else(Vec::new, |s| {
        std::iter::once(0)
            .chain(s.text.match_indices('\n').map(|(i, _)| i + 1))
            .collect()
    });
    let position = |offset: usize| -> serde_json::Value {
        let Some(source) = source else {
            return serde_json::Value::Null;
        };
        let offset = offset.min(source.text.len());
        let line = line_starts.partition_point(|start| *start <= offset);
        let start = line_starts[line - 1];
        let column = source
            .text
            .get(start..offset)
            .map_or(0, |t| t.chars().count())
            + 1;
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
            let mut item = serde_json::json!({
                "code": d.code, "severity": d.severity, "message": d.message, "labels": labels,
                "help": d.help, "suggestion": d.suggestion,
            });
            if let Some(at) = &d.elsewhere {
                let (line, column) = at.line_column();
                item["elsewhere"] = serde_json::json!({
                    "file": at.file, "start": at.span.start, "end": at.span.end, "text": at.text,
                    "begin": { "line": line, "column": column },
                });
            }
            item
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
