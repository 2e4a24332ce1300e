//! Raw `[nixos]` entries: option paths as users write them, and TOML/JSON values as Nix values.

use super::Binding;
use super::Expr;

/// Splits an option path such as `services.nginx.virtualHosts."example.org".root` into names.
///
/// A name is either bare (letters, digits, `_`, `-`, `'`, not starting with a digit or `-`) or a
/// double-quoted string in which `\"` and `\\` are escapes. Errors say what is wrong in words.
pub fn parse_option_path(text: &str) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        let mut name = String::new();
        match chars.peek() {
            None => {
                return Err(if names.is_empty() {
                    "the path is empty".into()
                } else {
                    "the path ends with a dot".into()
                });
            }
            Some('"') => {
                chars.next();
                loop {
                    match chars.next() {
                        None => return Err("a quoted name is not closed with `\"`".into()),
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\')) => name.push(c),
                            _ => {
                                return Err(
                                    "inside quotes, only `\\\"` and `\\\\` are escapes".into()
                                );
                            }
                        },
                        Some(c) => name.push(c),
                    }
                }
            }
            Some(_) => {
                while let Some(&c) = chars.peek() {
                    if c == '.' {
                        break;
                    }
                    if !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '\'')) {
                        return Err(format!(
                            "`{c}` cannot appear in a name; quote the name: \"…\""
                        ));
                    }
                    name.push(c);
                    chars.next();
                }
                if name.is_empty() {
                    return Err("the path has an empty name (two dots in a row?)".into());
                }
                if name.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '\'') {
                    return Err(format!(
                        "the name `{name}` must be quoted: it does not start with a letter or `_`"
                    ));
                }
            }
        }
        names.push(name);
        match chars.next() {
            None => return Ok(names),
            Some('.') => {}
            Some(c) => return Err(format!("expected `.` between names, found `{c}`")),
        }
    }
}

/// A JSON value (from a checked TOML value) as a Nix expression.
pub fn from_json(value: &serde_json::Value) -> Expr {
    use serde_json::Value as Json;
    match value {
        Json::Null => Expr::Null,
        Json::Bool(b) => Expr::Bool(*b),
        Json::Number(n) => n
            .as_i64()
            .map_or_else(|| Expr::Float(n.as_f64().unwrap_or(0.0)), Expr::Int),
        Json::String(s) => Expr::Str(s.clone()),
        Json::Array(items) => Expr::List(items.iter().map(from_json).collect()),
        Json::Object(entries) => Expr::Attrs(
            entries
                .iter()
                .map(|(k, v)| Binding::new(vec![k.clone()], from_json(v)))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_option_path;

    #[test]
    fn parses_bare_and_quoted_names() {
        assert_eq!(parse_option_path("a.b-c.d_e").unwrap(), ["a", "b-c", "d_e"]);
        assert_eq!(
            parse_option_path(r#"x."example.org".root"#).unwrap(),
            ["x", "example.org", "root"]
        );
        assert_eq!(parse_option_path(r#""a\"b""#).unwrap(), ["a\"b"]);
        assert_eq!(parse_option_path(r#""""#).unwrap(), [""]);
    }

    #[test]
    fn explains_malformed_paths() {
        assert!(parse_option_path("").unwrap_err().contains("empty"));
        assert!(
            parse_option_path("a.")
                .unwrap_err()
                .contains("ends with a dot")
        );
        assert!(
            parse_option_path("a..b")
                .unwrap_err()
                .contains("empty name")
        );
        assert!(
            parse_option_path("a b")
                .unwrap_err()
                .contains("cannot appear")
        );
        assert!(
            parse_option_path("a.\"b")
                .unwrap_err()
                .contains("not closed")
        );
        assert!(
            parse_option_path("a.1b")
                .unwrap_err()
                .contains("must be quoted")
        );
    }
}
