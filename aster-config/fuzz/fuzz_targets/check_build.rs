//! Fuzz target: arbitrary bytes through the whole pipeline, `check` then `build`.
//!
//! What must hold for every input, however broken:
//! - nothing panics and nothing hangs (libFuzzer's `-timeout` catches slow inputs);
//! - no diagnostic is `AC0001` (an internal error is a bug by definition);
//! - every label and suggestion span lies inside the text, on character boundaries, so the
//!   renderer can always show it;
//! - no output means at least one error was reported (never a silent failure);
//! - an output has no errors, only relative file paths without `..`, and every `.nix` file parses
//!   with rnix with zero errors.
//!
//! File references (patches, `[imports]` modules) are resolved against the repository's
//! `examples/` folder, so the seeds that ship patches build completely.

#![no_main]

use aster_compiler::{Code, Input};
use libfuzzer_sys::fuzz_target;
use std::path::{Component, Path};

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");

fuzz_target!(|data: &[u8]| {
    let built = aster_compiler::build(Input {
        name: "fuzz.toml",
        bytes: data,
        base_dir: Some(Path::new(EXAMPLES)),
    });
    let checked = &built.checked;
    let text = checked.source.as_ref().map_or("", |s| s.text.as_str());
    for diagnostic in &checked.diagnostics {
        assert_ne!(
            diagnostic.code,
            Code::Internal,
            "internal error: {}",
            diagnostic.message
        );
        let spans = diagnostic
            .labels
            .iter()
            .map(|l| &l.span)
            .chain(diagnostic.suggestion.as_ref().map(|s| &s.span));
        for span in spans {
            assert!(
                span.start <= span.end && span.end <= text.len(),
                "{}: span {span:?} outside a text of {} bytes",
                diagnostic.code,
                text.len()
            );
            assert!(
                text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
                "{}: span {span:?} splits a character",
                diagnostic.code
            );
        }
    }
    let Some(output) = &built.output else {
        assert!(
            checked.diagnostics.has_errors(),
            "no output, but no error either"
        );
        return;
    };
    assert!(!checked.diagnostics.has_errors(), "output despite errors");
    for path in output.files().keys() {
        assert!(
            Path::new(path)
                .components()
                .all(|c| matches!(c, Component::Normal(_))),
            "output path {path:?} is not a plain relative path"
        );
    }
    for (path, nix) in output.nix_files() {
        let parsed = rnix::Root::parse(nix);
        assert!(
            parsed.errors().is_empty(),
            "{path} does not parse: {:?}\n{nix}",
            parsed.errors()
        );
    }
});
