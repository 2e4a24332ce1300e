//! Where miette may break the lines of a diagnostic: the same places as textwrap's default,
//! Unicode line breaking (UAX #14), found cheaply for plain ASCII prose.
//!
//! The default separator runs the ICU line segmenter over every line it wraps, which cost
//! about a twentieth of a `check` run that prints three warnings. On a line of ASCII letters,
//! digits, spaces and the punctuation [`breaks_only_after_spaces`] accepts, UAX #14 (with
//! textwrap's own rule of not breaking after `-`) allows a break exactly after each run of
//! spaces, which is what `WordSeparator::AsciiSpace` finds at a fraction of the cost; every
//! other line still goes to the Unicode separator. So the rendered text is byte for byte what
//! miette's default gives, which the tests below check against the Unicode separator itself.

use textwrap::WordSeparator;
use textwrap::core::Word;

/// textwrap's Unicode word separator, with a fast path for plain lines.
pub const SEPARATOR: WordSeparator = WordSeparator::Custom(find_words);

fn find_words(line: &str) -> Box<dyn Iterator<Item = Word<'_>> + '_> {
    if breaks_only_after_spaces(line) {
        WordSeparator::AsciiSpace.find_words(line)
    } else {
        WordSeparator::UnicodeBreakProperties.find_words(line)
    }
}

/// True when UAX #14 breaks `line` only after runs of spaces: it is ASCII letters, digits,
/// spaces and ``"'`_=*#@&<>~^``, plus `,.:;)]-` never right after a space, `([` never right
/// before a space nor right after one of `,.:;)]-`, and it does not end in `-` (textwrap drops
/// the break at the end of such a line, and with it the one before). Anything else — `/`, `!`,
/// `?`, `|`, `{`, control characters, non-ASCII — may break elsewhere and is left to the
/// Unicode separator.
pub(super) fn breaks_only_after_spaces(line: &str) -> bool {
    let bytes = line.as_bytes();
    let previous = |i: usize| i.checked_sub(1).map(|before| bytes[before]);
    bytes.last() != Some(&b'-')
        && bytes.iter().enumerate().all(|(i, &byte)| match byte {
            b'a'..=b'z'
            | b'A'..=b'Z'
            | b'0'..=b'9'
            | b' '
            | b'"'
            | b'\''
            | b'`'
            | b'_'
            | b'='
            | b'*'
            | b'#'
            | b'@'
            | b'&'
            | b'<'
            | b'>'
            | b'~'
            | b'^' => true,
            b',' | b'.' | b':' | b';' | b')' | b']' | b'-' => previous(i) != Some(b' '),
            b'(' | b'[' => {
                bytes.get(i + 1) != Some(&b' ')
                    && !matches!(
                        previous(i),
                        Some(b',' | b'.' | b':' | b';' | b')' | b']' | b'-')
                    )
            }
            _ => false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(separator: &WordSeparator, line: &str) -> Vec<(String, String)> {
        separator
            .find_words(line)
            .map(|word| (word.word.to_owned(), word.whitespace.to_owned()))
            .collect()
    }

    fn same_as_unicode(line: &str) {
        assert_eq!(
            words(&SEPARATOR, line),
            words(&WordSeparator::UnicodeBreakProperties, line),
            "{line:?}"
        );
    }

    /// Random lines over the accepted alphabet (and a few characters it refuses), from a fixed
    /// seed: wherever the fast path is taken, it finds the Unicode separator's words.
    #[test]
    fn plain_lines_break_where_unicode_breaks_them() {
        let mut lines = super::super::texts::Texts::new(
            0x9e37_79b9_7f4a_7c15,
            "ab1 ,.:;()[]-\"'`_=*#@&<>~^ /!?|{}é\t",
            24,
        );
        let mut fast = 0;
        for _ in 0..100_000 {
            let line = lines.text();
            fast += usize::from(breaks_only_after_spaces(&line));
            same_as_unicode(&line);
        }
        assert!(fast > 5_000, "the fast path was taken only {fast} times");
    }

    /// Lines like the ones diagnostics carry, fast path or not.
    #[test]
    fn diagnostic_lines_break_where_unicode_breaks_them() {
        for line in [
            "add `allow-untested = [\"openssh\"]` under [services] to accept it",
            "- Only IPv4 works (capability ipv6 is missing), so sshd listens on IPv4 addresses only.",
            "bind services that must stay private to 127.0.0.1 and filter traffic in front of the machine (hypervisor or router); remove this key to silence the warning",
            "run `aster-config explain AC0404` for details",
            "see /etc/nixos/configuration.nix and https://example.org/a?b=c — or not",
            "a line that ends in a hyphen -",
            "  leading spaces, then ( a gap ) and . a stop",
            "",
        ] {
            same_as_unicode(line);
        }
    }
}
