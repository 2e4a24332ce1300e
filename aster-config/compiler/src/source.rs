//! Reading a spec: bytes → checked UTF-8 text.
//!
//! This is the first pass. It refuses files that are too large or not UTF-8, and notes a
//! byte-order mark, before any parser sees the text.

use crate::diagnostic::{Code, Diagnostic, Diagnostics};

/// The largest spec aster-config reads (1 MiB). Real specs are a few kilobytes. Callers read at
/// most one byte more (`util::read::read_capped`), so `bytes` may be only the start of a larger
/// input: its length is a lower bound of the real size.
pub const MAX_SPEC_BYTES: usize = 1024 * 1024;

/// A spec's text and the name it is shown under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The name used in diagnostics and in the generated header (usually the file name).
    pub name: String,
    /// The text, without a leading byte-order mark.
    pub text: String,
}

/// The `AC0103` diagnostic for a spec too large to read, saying `message` and how to shrink it.
/// The language server raises it too, for a document too large to receive.
pub fn file_too_large(message: String) -> Diagnostic {
    Diagnostic::new(Code::FileTooLarge, message)
        .help("a system spec is a few kilobytes; split hand-written Nix into [imports] modules")
}

/// Checks `bytes` and turns them into a [`SourceFile`], or explains why not.
pub fn read(name: &str, bytes: &[u8], diagnostics: &mut Diagnostics) -> Option<SourceFile> {
    if bytes.len() > MAX_SPEC_BYTES {
        diagnostics.push(file_too_large(format!(
            "the spec has at least {} bytes; aster-config reads at most {MAX_SPEC_BYTES}",
            bytes.len()
        )));
        return None;
    }
    let (bytes, had_bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(error) => {
            let offset = error.valid_up_to() + usize::from(had_bom) * 3;
            let line = bytes[..error.valid_up_to()].split(|b| *b == b'\n').count();
            diagnostics.push(
                Diagnostic::new(
                    Code::NotUtf8,
                    format!(
                        "the spec is not UTF-8 text: invalid byte at offset {offset} (line {line})"
                    ),
                )
                .help("save the file as UTF-8 in your editor"),
            );
            return None;
        }
    };
    if had_bom {
        diagnostics.push(
            Diagnostic::new(
                Code::ByteOrderMark,
                "the spec starts with a UTF-8 byte-order mark",
            )
            .at(Some(0..0), "byte-order mark here")
            .help("it was ignored; save the file as UTF-8 without BOM to silence this"),
        );
    }
    Some(SourceFile {
        name: name.to_owned(),
        text,
    })
}
