//! The spec's text as miette reads it for snippets: miette's own answer, found without
//! scanning the file from its first byte for every label.
//!
//! miette's `SourceCode` for text walks from the start of the file to each span, counting
//! lines, and it does so several times per diagnostic (once for the snippet, once per label).
//! [`SpecSource`] notes where each line break ends once, starts miette's same walk a line
//! before the first context line the span needs, and shifts the answer back (offsets by the
//! skipped bytes, line numbers by the skipped lines), so the snippet, its line numbers and the
//! `file:line:column` header are exactly what miette computes over the whole file. A unit test
//! compares the two for every span of texts with `\n`, `\r\n` and lone `\r` breaks.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// A named text with its line breaks noted.
pub struct SpecSource {
    name: String,
    text: String,
    /// The offset of the last byte of each line break (`\n`, `\r\n` or a lone `\r`, as miette
    /// counts lines), in order.
    break_ends: Vec<usize>,
}

impl SpecSource {
    /// `text`, shown as `name` in snippet headers.
    pub fn new(name: &str, text: String) -> Self {
        let bytes = text.as_bytes();
        let break_ends = bytes
            .iter()
            .enumerate()
            .filter(|&(at, &byte)| {
                byte == b'\n' || (byte == b'\r' && bytes.get(at + 1) != Some(&b'\n'))
            })
            .map(|(at, _)| at)
            .collect();
        Self {
            name: name.to_owned(),
            text,
            break_ends,
        }
    }
}

impl SourceCode for SpecSource {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        // miette counts a break as before the span when its last byte is. Keep one line more
        // than the context asks for, so the walk never starts at the span itself.
        let breaks_before = self.break_ends.partition_point(|&end| end < span.offset());
        let skipped = breaks_before.saturating_sub(context_lines_before + 1);
        let start = skipped
            .checked_sub(1)
            .map_or(0, |last| self.break_ends[last] + 1);
        let shifted = SourceSpan::new((span.offset() - start).into(), span.len());
        let inner = self.text.as_bytes()[start..].read_span(
            &shifted,
            context_lines_before,
            context_lines_after,
        )?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + start).into(), inner.span().len()),
            inner.line() + skipped,
            inner.column(),
            inner.line_count() + skipped,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::NamedSource;

    type Seen = Result<(Vec<u8>, SourceSpan, usize, usize, usize, Option<String>), String>;

    fn seen(source: &dyn SourceCode, span: SourceSpan, before: usize, after: usize) -> Seen {
        source
            .read_span(&span, before, after)
            .map(|c| {
                let name = c.name().map(str::to_owned);
                let data = c.data().to_vec();
                (data, *c.span(), c.line(), c.column(), c.line_count(), name)
            })
            .map_err(|error| error.to_string())
    }

    /// Every span inside texts with each kind of line break, with up to three context lines
    /// either side: the same contents as miette's own reading.
    #[test]
    fn every_span_reads_as_miette_reads_it() {
        for text in [
            "",
            "one line",
            "a\nbb\n\nccc\ndd\ne",
            "a\r\nbb\r\n\r\nccc\r\n",
            "\n\n\nx\n\n",
            "mixed\rlone\r\ncr\n\r\rend",
            "[sección]\nclé = \"värde\"\n# ✓\n",
        ] {
            let ours = SpecSource::new("spec.toml", text.to_owned());
            let theirs = NamedSource::new("spec.toml", text.to_owned());
            for offset in 0..=text.len() {
                for len in 0..=(text.len() - offset) {
                    for before in 0..4 {
                        for after in 0..4 {
                            let span = SourceSpan::new(offset.into(), len);
                            assert_eq!(
                                seen(&ours, span, before, after),
                                seen(&theirs, span, before, after),
                                "{text:?} at {offset}+{len}, context {before}/{after}"
                            );
                        }
                    }
                }
            }
        }
    }
}
