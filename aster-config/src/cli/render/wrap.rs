//! A diagnostic's message and help wrapped as miette wraps them, for plain text, before miette
//! sees them: miette then only indents the lines.
//!
//! miette fills both texts with `textwrap`, which measures every character of every word twice
//! (once to find the words, once again after looking for hyphens): a tenth of a `check` that
//! prints three warnings. On lines [`super::words`] calls plain (printable ASCII, so a
//! character is a column and words end after runs of spaces) the same steps are simple byte
//! arithmetic, done here: textwrap's words, split after hyphens between alphanumerics, words
//! wider than a line broken into pieces, an empty first word (miette always indents), first
//! fit with the first line of each paragraph as wide as the first line of the text, and each
//! line's trailing spaces dropped. [`prewrap`] gives up on anything else, and on results
//! holding a blank line (which miette's unwrapped path indents differently); the caller then
//! lets miette wrap. A unit test renders random texts both ways through miette and compares.

use super::words::breaks_only_after_spaces;

/// `text` filled the way `textwrap::fill` fills it for miette — `width` columns, the first
/// line after an indent `first_indent` wide and the others after one `indent` wide — but
/// without the indents, or `None` when the text is not plain or a line would be blank.
pub fn prewrap(text: &str, width: usize, first_indent: usize, indent: usize) -> Option<String> {
    let widths = [
        width.saturating_sub(first_indent),
        width.saturating_sub(indent),
    ];
    let mut out = String::with_capacity(text.len() + 16);
    for (number, line) in text.split('\n').enumerate() {
        if !breaks_only_after_spaces(line) {
            return None;
        }
        let fragments = fragments(line, widths[1]);
        for (index, (start, end)) in first_fit(&fragments, widths).into_iter().enumerate() {
            let wrapped = &line[start..end];
            if wrapped.trim().is_empty() {
                return None;
            }
            if number > 0 || index > 0 {
                out.push('\n');
            }
            out.push_str(wrapped);
        }
    }
    Some(out)
}

/// A piece of a line textwrap places as one: `start..end` is the word, `end..after` the spaces
/// that follow it.
#[derive(Debug, Clone, Copy)]
struct Fragment {
    start: usize,
    end: usize,
    after: usize,
}

/// The line's fragments, in order: an empty one first (miette always indents), then each word
/// (a run of non-spaces and the spaces after it; spaces at the start of a line make an empty
/// word), split after each `-` between two alphanumerics, then broken into pieces at most
/// `break_width` wide.
fn fragments(line: &str, break_width: usize) -> Vec<Fragment> {
    let bytes = line.as_bytes();
    let mut fragments = vec![Fragment {
        start: 0,
        end: 0,
        after: 0,
    }];
    let mut start = 0;
    loop {
        let end = start + bytes[start..].iter().take_while(|&&b| b != b' ').count();
        let after = end + bytes[end..].iter().take_while(|&&b| b == b' ').count();
        let mut piece = start;
        for hyphen in start..end {
            let between_alphanumerics = bytes[hyphen] == b'-'
                && hyphen > start
                && bytes[hyphen - 1].is_ascii_alphanumeric()
                && bytes.get(hyphen + 1).is_some_and(u8::is_ascii_alphanumeric)
                && hyphen + 1 < end;
            if between_alphanumerics {
                broken(&mut fragments, piece, hyphen + 1, hyphen + 1, break_width);
                piece = hyphen + 1;
            }
        }
        broken(&mut fragments, piece, end, after, break_width);
        if after >= bytes.len() {
            return fragments;
        }
        start = after;
    }
}

/// Pushes the word `start..end` (spaces to `after`), in pieces of `width` when it is wider.
fn broken(fragments: &mut Vec<Fragment>, start: usize, end: usize, after: usize, width: usize) {
    let mut piece = start;
    if end - start > width {
        let step = width.max(1);
        while end - piece > step {
            fragments.push(Fragment {
                start: piece,
                end: piece + step,
                after: piece + step,
            });
            piece += step;
        }
    }
    fragments.push(Fragment {
        start: piece,
        end,
        after,
    });
}

/// textwrap's first fit: fragments go on a line while they fit (the first line `widths[0]`
/// wide, the rest `widths[1]`); each line as a byte range without its trailing spaces.
fn first_fit(fragments: &[Fragment], widths: [usize; 2]) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    let mut first = 0;
    let mut width = 0;
    for (index, fragment) in fragments.iter().enumerate() {
        let line_width = widths[usize::from(!lines.is_empty())];
        if width + (fragment.end - fragment.start) > line_width && index > first {
            lines.push((fragments[first].start, fragments[index - 1].end));
            first = index;
            width = 0;
        }
        width += fragment.after - fragment.start;
    }
    lines.push((fragments[first].start, fragments[fragments.len() - 1].end));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// textwrap's own fill with miette's options for `width` and two indents of the given
    /// widths, indents removed.
    fn textwrap_fill(text: &str, width: usize, first_indent: usize, indent: usize) -> String {
        let first = "#".repeat(first_indent);
        let rest = "#".repeat(indent);
        let options = textwrap::Options::new(width)
            .initial_indent(&first)
            .subsequent_indent(&rest)
            .word_separator(super::super::words::SEPARATOR);
        textwrap::fill(text, options)
            .split('\n')
            .map(|line| line.trim_start_matches('#'))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn plain_texts_wrap_as_textwrap_wraps_them() {
        let mut texts = super::super::texts::Texts::new(
            0x2545_f491_4f6c_dd1d,
            "aaaaabbbbbcc1-- -    .,(`\"\n",
            260,
        );
        let mut compared = 0;
        for _ in 0..20_000 {
            let text = texts.text();
            let width = [98, 40, 12, 6][texts.below(4)];
            let (first, rest) = [(8, 8), (4, 4), (2, 5), (5, 2)][texts.below(4)];
            if let Some(ours) = prewrap(&text, width, first, rest) {
                compared += 1;
                assert_eq!(
                    ours,
                    textwrap_fill(&text, width, first, rest),
                    "{text:?} in {width} after {first}/{rest}"
                );
            }
        }
        assert!(compared > 1_000, "only {compared} texts were plain");
    }

    #[test]
    fn texts_that_are_not_plain_are_left_to_textwrap() {
        assert_eq!(prewrap("naïve", 98, 8, 8), None);
        assert_eq!(prewrap("a/b", 98, 8, 8), None);
        assert_eq!(prewrap("para\n\npara", 98, 8, 8), None);
        assert_eq!(
            prewrap("two\nlines", 98, 8, 8).as_deref(),
            Some("two\nlines")
        );
    }
}
