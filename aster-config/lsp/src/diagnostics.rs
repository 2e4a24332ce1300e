//! The compiler's diagnostics as the protocol's: same code, span, severity, message and help;
//! secondary labels become related information, and so does the place in an imported module
//! that a diagnostic points into.

use crate::document::Document;
use crate::text::LineIndex;
use aster_compiler::Severity;
use lsp_types::{
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString,
    PublishDiagnosticsParams, Range, Uri,
};

/// The diagnostics to publish for `document`.
pub fn publish(document: &Document) -> Option<PublishDiagnosticsParams> {
    let uri: Uri = document.uri.parse().ok()?;
    let diagnostics = document
        .checked
        .diagnostics
        .iter()
        .map(|d| convert(document, &uri, d))
        .collect();
    Some(PublishDiagnosticsParams {
        uri,
        diagnostics,
        version: None,
    })
}

/// One diagnostic. A diagnostic without a span (a missing key) sits on the first line.
pub fn convert(
    document: &Document,
    uri: &Uri,
    diagnostic: &aster_compiler::Diagnostic,
) -> Diagnostic {
    let text = &document.text;
    let range = diagnostic
        .primary_span()
        .map_or_else(Range::default, |span| document.index.range(text, span));
    let mut message = diagnostic.message.clone();
    if let Some(help) = &diagnostic.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let mut related: Vec<DiagnosticRelatedInformation> = diagnostic
        .labels
        .iter()
        .filter(|l| !l.primary)
        .map(|label| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), document.index.range(text, &label.span)),
            message: label.text.clone(),
        })
        .collect();
    if let Some(place) = diagnostic
        .elsewhere
        .as_ref()
        .and_then(|at| elsewhere(document, at))
    {
        related.push(place);
    }
    Diagnostic {
        range,
        severity: Some(match diagnostic.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(diagnostic.code.as_str().to_owned())),
        code_description: None,
        source: Some("aster-config".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

/// The place in an imported file, as a location beside the document's own file; `None` for a
/// document with no folder (unsaved) or a file that is gone.
fn elsewhere(
    document: &Document,
    at: &aster_compiler::Elsewhere,
) -> Option<DiagnosticRelatedInformation> {
    let uri = document.file_uri(&at.file)?;
    let range = LineIndex::new(&at.source).range(&at.source, &at.span);
    Some(DiagnosticRelatedInformation {
        location: Location::new(uri, range),
        message: at.text.clone(),
    })
}
