//! The one place that turns text into Nix syntax.
//!
//! A double-quoted Nix string treats `\`, `"` and `${` specially, so each `\` and `"` is escaped,
//! and `$` is escaped when a `{` follows it (that is also what keeps `$${` literal). Line breaks,
//! carriage returns and tabs are written as `\n`, `\r`, `\t` so every string stays on one line.
//!
//! Text of several lines is written as an indented string (`''…''`) instead, one line of the text
//! per line of Nix, when that form can hold it exactly ([`indented_string`]): there `''` is
//! written `'''`, `${` is written `''${`, a lone `'` right before such an escape or before the
//! closing `''` is written `''\'`, and each line is indented one level deeper than the closing
//! `''` (Nix strips that common indentation again). Text the form cannot hold exactly — other
//! control characters, only white space, a last line of only spaces (Nix drops it), every line
//! indented (Nix strips the smallest indentation) — stays a double-quoted string.
//!
//! Attribute names are bare only when they are plain identifiers that are not keywords; any other
//! name is a quoted string. NUL cannot appear in a Nix string at all: the checks refuse it before
//! anything is printed.

/// Nix keywords, which cannot be bare attribute names.
const KEYWORDS: &[&str] = &[
    "assert", "else", "if", "in", "inherit", "let", "or", "rec", "then", "with",
];

/// `text` as a double-quoted Nix string literal.
pub fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' if chars.peek() == Some(&'{') => out.push_str("\\$"),
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

/// `text` as an indented Nix string whose lines are indented by `indent + 2` spaces and whose
/// closing `''` follows `indent` spaces on its own line (or directly after the last line when
/// the text does not end with a line break); `None` when the text is one line or this form
/// cannot hold it exactly (see the module documentation).
pub fn indented_string(text: &str, indent: usize) -> Option<String> {
    let lines: Vec<&str> = text.split('\n').collect();
    let last = lines.last().copied().unwrap_or_default();
    // Nix strips the smallest indentation of the lines that hold more than spaces: one such line
    // must start without a space, or the text's own indentation would be stripped too.
    let holds = lines.len() > 1
        && !text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        && text.chars().any(|c| !c.is_whitespace())
        && lines.iter().any(|l| !l.is_empty() && !l.starts_with(' '))
        && (last.is_empty() || last.chars().any(|c| c != ' '));
    if !holds {
        return None;
    }
    let prefix = " ".repeat(indent + 2);
    let mut out = String::from("''\n");
    for (index, line) in lines.iter().enumerate() {
        if index + 1 == lines.len() {
            if line.is_empty() {
                out.push_str(&" ".repeat(indent));
            } else {
                out.push_str(&prefix);
                out.push_str(&indented_line(line, true));
            }
        } else {
            if !line.is_empty() {
                out.push_str(&prefix);
                out.push_str(&indented_line(line, false));
            }
            out.push('\n');
        }
    }
    out.push_str("''");
    Some(out)
}

/// One line of an indented string, escaped; `closes`: the closing `''` follows it directly.
fn indented_line(line: &str, closes: bool) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        let next = chars.get(i + 1).copied();
        match chars[i] {
            '\'' if next == Some('\'') => {
                out.push_str("'''");
                i += 1;
            }
            '\'' => {
                // A lone `'` would join an escape that starts with `''`, or the closing `''`.
                let dollar_brace = next == Some('$') && chars.get(i + 2) == Some(&'{');
                let at_close = next.is_none() && closes;
                out.push_str(if dollar_brace || at_close {
                    "''\\'"
                } else {
                    "'"
                });
            }
            '$' if next == Some('{') => out.push_str("''$"),
            other => out.push(other),
        }
        i += 1;
    }
    out
}

/// True when `name` can be written as a bare identifier.
pub fn is_bare_ident(name: &str) -> bool {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    (first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '\''))
        && !KEYWORDS.contains(&name)
}

/// `name` as an attribute name: bare when possible, quoted otherwise.
pub fn attr_name(name: &str) -> String {
    if is_bare_ident(name) {
        name.to_owned()
    } else {
        string_literal(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_everything_nix_treats_specially() {
        assert_eq!(string_literal(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(string_literal("${x} $${y} $z"), r#""\${x} $\${y} $z""#);
        assert_eq!(string_literal("l1\nl2\r\t"), r#""l1\nl2\r\t""#);
        assert_eq!(string_literal("''"), r#""''""#);
    }

    #[test]
    fn writes_multi_line_text_as_an_indented_string() {
        assert_eq!(
            indented_string("a\nb\n", 2).as_deref(),
            Some("''\n    a\n    b\n  ''")
        );
        assert_eq!(
            indented_string("a\n\nb", 0).as_deref(),
            Some("''\n  a\n\n  b''")
        );
        assert_eq!(
            indented_string("x''y\n${z} $${w}", 0).as_deref(),
            Some("''\n  x'''y\n  ''${z} $''${w}''")
        );
        // A lone `'` before an escape or the closing quotes is escaped itself.
        assert_eq!(
            indented_string("a'${b}\nc'", 0).as_deref(),
            Some("''\n  a''\\'''${b}\n  c''\\'''")
        );
        // One line, other control characters, only white space, a last line of spaces, every
        // line indented (Nix would strip that indentation).
        for text in ["one line", "a\rb\nc", " \n\t", "a\n  ", "  a\n  b\n"] {
            assert_eq!(indented_string(text, 0), None, "{text:?}");
        }
    }

    #[test]
    fn quotes_names_that_are_not_plain_identifiers() {
        assert_eq!(attr_name("hostName"), "hostName");
        assert_eq!(attr_name("trusted-public-keys"), "trusted-public-keys");
        assert_eq!(attr_name("example.org"), "\"example.org\"");
        assert_eq!(attr_name("in"), "\"in\"");
        assert_eq!(attr_name(""), "\"\"");
        assert_eq!(attr_name("1abc"), "\"1abc\"");
    }
}
