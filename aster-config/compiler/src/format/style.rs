//! The layout of one line: key quoting, spacing around `=`, string quoting, array layout, and the
//! comments and blank lines in front of keys and sections.

use toml_edit::{Array, Decor, Key, RawString, Value};

/// Arrays longer than this on one line are written one element per line.
const MAX_INLINE_ARRAY: usize = 80;
/// Indentation of elements of a multi-line array.
const INDENT: &str = "    ";

/// The text of a decor part (empty when it has none or cannot be read as text).
fn text(raw: Option<&RawString>) -> &str {
    raw.and_then(RawString::as_str).unwrap_or("")
}

/// The comments and blank lines in front of a line, each comment unindented, runs of blank lines
/// cut to one, and the indentation of the line itself dropped.
fn tidy_prefix(prefix: &str) -> String {
    let mut lines: Vec<&str> = prefix.split('\n').collect();
    lines.pop();
    let mut tidy = String::new();
    let mut last_blank = false;
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            if !last_blank {
                tidy.push('\n');
            }
            last_blank = true;
        } else {
            tidy.push_str(line);
            tidy.push('\n');
            last_blank = false;
        }
    }
    tidy
}

/// A comment after a value or header, set one space apart; anything else after it is dropped.
fn tidy_suffix(suffix: &str) -> String {
    match suffix.find('#') {
        Some(at) => format!(" {}", suffix[at..].trim_end()),
        None => String::new(),
    }
}

/// The key as written canonically: bare when it can be, quoted otherwise, with its comments.
pub(super) fn key(key: &Key, before_equals: bool, dotted_parent: bool) -> Key {
    let leaf = key.leaf_decor();
    let mut decor = Decor::new(tidy_prefix(text(leaf.prefix())), "");
    if before_equals {
        decor.set_suffix(" ");
    }
    if dotted_parent {
        decor.set_suffix("");
    }
    Key::new(key.get()).with_leaf_decor(decor)
}

/// Removes the blank line in front of `key`; true when there was one (it opened a group).
pub(super) fn take_leading_blank_line(key: &mut Key) -> bool {
    let prefix = text(key.leaf_decor().prefix()).to_owned();
    match prefix.strip_prefix('\n') {
        Some(rest) => {
            key.leaf_decor_mut().set_prefix(rest.to_owned());
            true
        }
        None => false,
    }
}

/// Puts a blank line in front of `key`.
pub(super) fn put_leading_blank_line(key: &mut Key) {
    let prefix = text(key.leaf_decor().prefix()).to_owned();
    key.leaf_decor_mut().set_prefix(format!("\n{prefix}"));
}

/// The decor of a `[section]` header: one blank line and its comments above, a comment after.
pub(super) fn section_decor(decor: &mut Decor) {
    let prefix = tidy_prefix(text(decor.prefix()));
    let prefix = prefix.trim_start_matches('\n');
    let suffix = tidy_suffix(text(decor.suffix()));
    decor.set_prefix(format!("\n{prefix}"));
    decor.set_suffix(suffix);
}

/// A value on the right of `=`: one space before it, its comment after it, its content tidied.
pub(super) fn value(value: &mut Value) {
    content(value, 0);
    let suffix = tidy_suffix(text(value.decor().suffix()));
    value.decor_mut().set_prefix(" ");
    value.decor_mut().set_suffix(suffix);
}

/// Tidies what a value contains: quoting of single-line strings, inline tables, arrays.
/// `depth` counts the arrays around it (a multi-line array inside one is indented one more).
fn content(value: &mut Value, depth: usize) {
    match value {
        Value::String(string) => {
            let multi_line = string
                .as_repr()
                .and_then(|r| r.as_raw().as_str())
                .is_some_and(|raw| raw.starts_with("\"\"\"") || raw.starts_with("'''"));
            if !multi_line {
                let decor = string.decor().clone();
                *string = toml_edit::Formatted::new(string.value().clone());
                *string.decor_mut() = decor;
            }
        }
        Value::Array(array) => self::array(array, depth),
        Value::InlineTable(table) => {
            for (_, inner) in table.iter_mut() {
                content(inner, depth);
            }
            table.fmt();
        }
        _ => {}
    }
}

/// True when a decor or array trailing text carries a comment.
fn has_comment(raw: &str) -> bool {
    raw.contains('#')
}

/// One line when it fits (or holds a single element) and has no comment; otherwise one element
/// per line. Whether it fits is judged without its own decor: the line break in front of an
/// element of a multi-line array around it is not part of it.
fn array(array: &mut Array, depth: usize) {
    for element in array.iter_mut() {
        content(element, depth + 1);
    }
    let commented = array
        .iter()
        .any(|v| has_comment(text(v.decor().prefix())) || has_comment(text(v.decor().suffix())))
        || has_comment(array.trailing().as_str().unwrap_or(""));
    if !commented {
        array.fmt();
        array.set_trailing("");
        array.set_trailing_comma(false);
        let mut bare = array.clone();
        bare.decor_mut().clear();
        let single_line = bare.to_string();
        let fits = single_line.trim().len() <= MAX_INLINE_ARRAY;
        if (fits || array.len() <= 1) && !single_line.contains('\n') {
            return;
        }
    }
    let indent = INDENT.repeat(depth);
    for element in array.iter_mut() {
        let prefix = element_prefix(text(element.decor().prefix()), &indent);
        let suffix = text(element.decor().suffix());
        let suffix = if has_comment(suffix) {
            suffix.to_owned()
        } else {
            String::new()
        };
        element.decor_mut().set_prefix(prefix);
        element.decor_mut().set_suffix(suffix);
    }
    let trailing = array_trailing(array.trailing().as_str().unwrap_or(""), &indent);
    array.set_trailing(trailing);
    array.set_trailing_comma(true);
}

/// Splits the text before an element into the comment still on the previous line and the
/// comment lines between (indented by `indent` and one step), dropping the element's own
/// indentation.
fn comment_lines(raw: &str, indent: &str) -> (String, Vec<String>) {
    let mut pieces = raw.split('\n');
    let same_line = pieces.next().map(tidy_suffix).unwrap_or_default();
    let mut between: Vec<&str> = pieces.collect();
    between.pop();
    let comments = between
        .into_iter()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| format!("{indent}{INDENT}{l}\n"))
        .collect();
    (same_line, comments)
}

/// The text before an element of a multi-line array whose `]` is indented by `indent`.
fn element_prefix(raw: &str, indent: &str) -> String {
    let (same_line, comments) = comment_lines(raw, indent);
    format!("{same_line}\n{}{indent}{INDENT}", comments.concat())
}

/// The text between the last element's comma and `]` (indented by `indent`).
fn array_trailing(raw: &str, indent: &str) -> String {
    let (same_line, comments) = if raw.contains('\n') {
        comment_lines(&format!("{raw}\n"), indent)
    } else {
        (tidy_suffix(raw), Vec::new())
    };
    format!("{same_line}\n{}{indent}", comments.concat())
}

/// The whole text: no blank lines at the start, exactly one newline at the end.
pub(super) fn tidy_lines(text: &str) -> String {
    let trimmed = text.trim_start_matches('\n').trim_end();
    format!("{trimmed}\n")
}
