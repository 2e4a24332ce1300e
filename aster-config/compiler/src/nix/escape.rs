//! The one place that turns text into Nix syntax.
//!
//! A double-quoted Nix string treats `\`, `"` and `${` specially, so each `\` and `"` is escaped,
//! and `$` is escaped when a `{` follows it (that is also what keeps `$${` literal). Line breaks,
//! carriage returns and tabs are written as `\n`, `\r`, `\t` so every string stays on one line.
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
    fn quotes_names_that_are_not_plain_identifiers() {
        assert_eq!(attr_name("hostName"), "hostName");
        assert_eq!(attr_name("trusted-public-keys"), "trusted-public-keys");
        assert_eq!(attr_name("example.org"), "\"example.org\"");
        assert_eq!(attr_name("in"), "\"in\"");
        assert_eq!(attr_name(""), "\"\"");
        assert_eq!(attr_name("1abc"), "\"1abc\"");
    }
}
