//! Splitting a command line into [`Param`]s and printing them back.
//!
//! Splitting follows Linux's rules: whitespace separates tokens except inside double quotes; a
//! token that starts with `"` loses that quote and its closing one; a value that starts with
//! `"` loses that quote and the token's closing one. The first `=` splits name from value.

use std::fmt;

/// Who a parameter is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// Before `--`: the kernel looks at it (and forwards what it does not know to init).
    Kernel,
    /// After `--`: passed to init untouched.
    Init,
}

/// One command-line token, split into name and optional value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Param {
    /// Text before the first `=` (the whole token when there is none).
    pub name: String,
    /// Text after the first `=`, with Linux's quote removal applied; `None` for a bare token.
    pub value: Option<String>,
    /// Whether the token comes before or after `--`.
    pub target: Target,
}

impl Param {
    /// A bare kernel token such as `ro`.
    #[must_use]
    pub fn flag(name: &str) -> Param {
        Param {
            name: name.to_owned(),
            value: None,
            target: Target::Kernel,
        }
    }

    /// A kernel `name=value` token.
    #[must_use]
    pub fn with_value(name: &str, value: &str) -> Param {
        Param {
            name: name.to_owned(),
            value: Some(value.to_owned()),
            target: Target::Kernel,
        }
    }

    /// The same token, placed after `--` (for init).
    #[must_use]
    pub fn for_init(mut self) -> Param {
        self.target = Target::Init;
        self
    }

    /// The token as it would appear on a command line, quoting a value (or the whole token)
    /// that contains whitespace. Parsing the result gives back this parameter, unless its name
    /// or value holds a literal `"`: the command line has no way to escape one.
    #[must_use]
    pub fn render(&self) -> String {
        // An unquoted `--` would end the kernel's part; quoted, it is an ordinary token.
        let is_separator =
            self.name == "--" && self.value.is_none() && self.target == Target::Kernel;
        let name_needs_quotes = self.name.is_empty() || is_separator || needs_quotes(&self.name);
        match (&self.value, name_needs_quotes) {
            (None, false) => self.name.clone(),
            (None, true) => format!("\"{}\"", self.name),
            (Some(value), true) => format!("\"{}={value}\"", self.name),
            (Some(value), false) if needs_quotes(value) => {
                format!("{}=\"{value}\"", self.name)
            }
            (Some(value), false) => format!("{}={value}", self.name),
        }
    }
}

impl fmt::Display for Param {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

fn needs_quotes(text: &str) -> bool {
    text.chars().any(char::is_whitespace)
}

/// Splits a command line into parameters. Never fails: every token is a parameter; `--` is
/// consumed and marks the rest as [`Target::Init`].
#[must_use]
pub fn parse(text: &str) -> Vec<Param> {
    let mut params = Vec::new();
    let mut target = Target::Kernel;
    let mut rest = text;
    while let Some((raw, after)) = next_token(rest) {
        rest = after;
        if raw == "--" && target == Target::Kernel {
            target = Target::Init;
            continue;
        }
        let (name, value) = split_token(raw);
        params.push(Param {
            name,
            value,
            target,
        });
    }
    params
}

/// Prints parameters as one command line, inserting `--` before the first init parameter.
#[must_use]
pub fn render(params: &[Param]) -> String {
    let mut words = Vec::with_capacity(params.len() + 1);
    let mut in_init = false;
    for param in params {
        if param.target == Target::Init && !in_init {
            words.push("--".to_owned());
            in_init = true;
        }
        words.push(param.render());
    }
    words.join(" ")
}

/// Returns the next raw token (quotes still in it) and the text after it.
fn next_token(text: &str) -> Option<(&str, &str)> {
    let text = text.trim_start();
    if text.is_empty() {
        return None;
    }
    let mut in_quote = false;
    for (index, character) in text.char_indices() {
        if character == '"' {
            in_quote = !in_quote;
        } else if character.is_whitespace() && !in_quote {
            return Some((&text[..index], &text[index..]));
        }
    }
    Some((text, ""))
}

/// Applies Linux's quote removal and splits at the first `=`.
fn split_token(raw: &str) -> (String, Option<String>) {
    let (body, token_quoted) = match raw.strip_prefix('"') {
        Some(body) => (body, true),
        None => (raw, false),
    };
    let Some((name, value)) = body.split_once('=') else {
        let name = if token_quoted {
            strip_closing_quote(body)
        } else {
            body
        };
        return (name.to_owned(), None);
    };
    let value = match value.strip_prefix('"') {
        Some(inner) => strip_closing_quote(inner),
        None if token_quoted => strip_closing_quote(value),
        None => value,
    };
    (name.to_owned(), Some(value.to_owned()))
}

fn strip_closing_quote(text: &str) -> &str {
    text.strip_suffix('"').unwrap_or(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_whitespace_outside_quotes() {
        let params = parse("  ro\tconsole=hvc0  msg=\"a b\" \"x=y z\" ");
        assert_eq!(
            params,
            vec![
                Param::flag("ro"),
                Param::with_value("console", "hvc0"),
                Param::with_value("msg", "a b"),
                Param::with_value("x", "y z"),
            ]
        );
    }

    #[test]
    fn double_dash_switches_to_init_once() {
        let params = parse("earlycon -- root=/dev/vda2 -- single");
        assert_eq!(params[0].target, Target::Kernel);
        assert_eq!(params[1], Param::with_value("root", "/dev/vda2").for_init());
        assert_eq!(params[2], Param::flag("--").for_init());
        assert_eq!(params[3], Param::flag("single").for_init());
    }

    #[test]
    fn empty_values_and_quoted_bare_tokens() {
        assert_eq!(parse("a="), vec![Param::with_value("a", "")]);
        assert_eq!(parse("\"a b\""), vec![Param::flag("a b")]);
        assert_eq!(parse("\"\""), vec![Param::flag("")]);
        assert!(parse("   ").is_empty());
    }

    #[test]
    fn render_quotes_only_when_needed() {
        assert_eq!(Param::with_value("msg", "a b").render(), "msg=\"a b\"");
        assert_eq!(Param::flag("a b").render(), "\"a b\"");
        assert_eq!(Param::with_value("a b", "c").render(), "\"a b=c\"");
        assert_eq!(
            Param::with_value("PATH", "/bin:/sbin").to_string(),
            "PATH=/bin:/sbin"
        );
    }
}
