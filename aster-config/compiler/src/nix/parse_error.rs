//! rnix's syntax errors in words a reader knows: "expected `;` but found `}`", not
//! `UnexpectedWanted(TOKEN_R_BRACE, …, [TOKEN_SEMICOLON])`, and the byte range each points at.
//!
//! Used wherever a Nix file the user wrote is read: `[imports]` modules during `check`, and the
//! configuration.nix that `import` starts from.

use rnix::ParseError;
use rnix::SyntaxKind as K;
use std::ops::Range;

/// The bytes of `text` an error points at. An error without a place (the file ended too early)
/// points at the last character that is not white space, where the reader has to add something.
pub fn parse_error_range(error: &ParseError, text: &str) -> Range<usize> {
    let range = match error {
        ParseError::Unexpected(r)
        | ParseError::UnexpectedExtra(r)
        | ParseError::UnexpectedWanted(_, r, _)
        | ParseError::UnexpectedDoubleBind(r)
        | ParseError::DuplicatedArgs(r, _) => *r,
        _ => {
            let end = text.trim_end().len();
            let start = text[..end]
                .chars()
                .next_back()
                .map_or(end, |c| end - c.len_utf8());
            return start..end;
        }
    };
    usize::from(range.start())..usize::from(range.end())
}

/// What went wrong, in words.
pub fn describe_parse_error(error: &ParseError) -> String {
    let wanted = |kinds: &[K]| {
        kinds
            .iter()
            .map(|k| token(*k))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    match error {
        ParseError::UnexpectedWanted(found, _, expected) => {
            format!("expected {} but found {}", wanted(expected), token(*found))
        }
        ParseError::UnexpectedEOFWanted(expected) => {
            format!("the file ends where {} is needed", wanted(expected))
        }
        ParseError::UnexpectedEOF => "the file ends in the middle of an expression".to_owned(),
        ParseError::UnexpectedDoubleBind(_) => "a name is bound twice".to_owned(),
        ParseError::DuplicatedArgs(_, name) => format!("the argument `{name}` is listed twice"),
        ParseError::RecursionLimitExceeded => "it nests too deeply to read".to_owned(),
        ParseError::Unexpected(_) | ParseError::UnexpectedExtra(_) => {
            "unexpected text here".to_owned()
        }
        other => other.to_string(),
    }
}

/// A token kind as a reader knows it: `;` rather than `TOKEN_SEMICOLON`.
fn token(kind: K) -> String {
    let text = match kind {
        K::TOKEN_SEMICOLON => "`;`",
        K::TOKEN_ASSIGN => "`=`",
        K::TOKEN_COLON => "`:`",
        K::TOKEN_COMMA => "`,`",
        K::TOKEN_DOT => "`.`",
        K::TOKEN_L_BRACE => "`{`",
        K::TOKEN_R_BRACE => "`}`",
        K::TOKEN_L_BRACK => "`[`",
        K::TOKEN_R_BRACK => "`]`",
        K::TOKEN_L_PAREN => "`(`",
        K::TOKEN_R_PAREN => "`)`",
        K::TOKEN_IDENT => "a name",
        K::TOKEN_STRING_START | K::TOKEN_STRING_END => "a quote",
        K::TOKEN_STRING_CONTENT => "text",
        K::TOKEN_INTERPOL_START => "`${`",
        K::TOKEN_ERROR => "something it cannot read",
        K::TOKEN_IN => "`in`",
        K::TOKEN_THEN => "`then`",
        K::TOKEN_ELSE => "`else`",
        other => {
            return format!("{other:?}")
                .trim_start_matches("TOKEN_")
                .replace('_', " ")
                .to_lowercase();
        }
    };
    text.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_error(text: &str) -> (String, Range<usize>) {
        let parse = rnix::Root::parse(text);
        let error = parse.errors().first().expect("a syntax error").clone();
        (
            describe_parse_error(&error),
            parse_error_range(&error, text),
        )
    }

    #[test]
    fn a_missing_semicolon_is_named_as_a_reader_writes_it() {
        let (words, range) = first_error("{ a = 1 }");
        assert_eq!(words, "expected `;` but found `}`");
        assert_eq!(range, 8..9);
    }

    #[test]
    fn an_early_end_points_at_the_last_character() {
        let text = "{ a = 1;\n\n";
        let (words, range) = first_error(text);
        assert!(words.starts_with("the file ends"), "{words}");
        assert_eq!(&text[range], ";");
    }
}
