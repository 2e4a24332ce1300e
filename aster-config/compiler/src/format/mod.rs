//! `aster-config fmt`: the canonical layout of a spec, keeping every comment.
//!
//! Sections and keys go in the order the spec types declare them ([`order`]), names the user
//! chose (`[users.NAME]`, `[nixos]` paths) keep the user's order, and keys move only within the
//! group of lines they sit in — a blank line starts a new group, so the user's grouping stays.
//! Comments travel with the key or table below them. Quoting, spacing and array layout are
//! normalised by [`style`]. The result is checked before it is returned: it must parse and mean
//! exactly what the input meant, and formatting it again must change nothing.

mod order;
mod style;

use serde_json::Value;
use toml_edit::{DocumentMut, Item, Key, Table};

/// Why a text could not be formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// The text is not TOML; `check` reports where (`AC0102`). Nothing is rewritten.
    NotToml,
    /// The formatter would have changed the document's meaning: a bug, reported as `AC0001`.
    ChangedMeaning,
}

/// Formats a spec. The result always ends in exactly one newline.
///
/// The file's header — directive lines (`#:schema …`) and the comment block at the top that a
/// blank line separates from the rest — stays at the top, whichever section comes first after
/// sorting. A byte-order mark stays too: formatting never changes what `check` says, and
/// `AC0105` already tells the user about it.
pub fn format(text: &str) -> Result<String, FormatError> {
    let (bom, body) = match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", text),
    };
    let (header, body) = body.split_at(header_len(body));
    let formatted = format_body(body)?;
    let formatted = formatted.trim_start_matches('\n');
    let separated = header.lines().last().is_some_and(|l| l.trim().is_empty());
    let header = header.trim_end();
    let formatted = match (header.is_empty(), separated) {
        (true, _) => formatted.to_owned(),
        (false, true) => format!("{header}\n\n{formatted}"),
        (false, false) => format!("{header}\n{formatted}"),
    };
    Ok(format!("{bom}{}", style::tidy_lines(&formatted)))
}

/// The length of the file's own header: the leading comment lines up to the last blank line
/// among them (a comment right above the first key or section belongs to it, not to the file),
/// or else the leading directive lines (`#:schema …`).
fn header_len(body: &str) -> usize {
    let mut end_of_block = None;
    let mut directives = 0;
    let mut at = 0;
    let mut only_directives = true;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            end_of_block = Some(at + line.len());
        } else if !trimmed.starts_with('#') {
            break;
        } else if only_directives && trimmed.starts_with("#:") {
            directives = at + line.len();
        } else {
            only_directives = false;
        }
        at += line.len();
    }
    end_of_block.map_or(directives, |end| end.max(directives))
}

/// Formats the text after the header.
fn format_body(text: &str) -> Result<String, FormatError> {
    let mut document: DocumentMut = text.parse().map_err(|_| FormatError::NotToml)?;
    let before = meaning(text).ok_or(FormatError::NotToml)?;
    format_table(document.as_table_mut(), &mut Vec::new());
    let mut position = 0;
    number_headers(document.as_table_mut(), &mut position);
    let formatted = style::tidy_lines(&document.to_string());
    if meaning(&formatted).as_ref() != Some(&before) {
        return Err(FormatError::ChangedMeaning);
    }
    Ok(formatted)
}

/// What a TOML text means, without its layout.
fn meaning(text: &str) -> Option<Value> {
    toml_edit::de::from_str::<Value>(text).ok()
}

/// True for the items printed under their own `[header]` (or `[[header]]`).
fn is_section(item: &Item) -> bool {
    match item {
        Item::Table(table) => !table.is_dotted(),
        Item::ArrayOfTables(_) => true,
        _ => false,
    }
}

/// Sorts and tidies one table and, recursively, everything in it. `path` names the table.
fn format_table(table: &mut Table, path: &mut Vec<String>) {
    let names: Vec<String> = table.iter().map(|(k, _)| k.to_owned()).collect();
    let mut entries: Vec<(Key, Item)> = names
        .iter()
        .filter_map(|name| table.remove_entry(name))
        .collect();
    for (key, item) in &mut entries {
        path.push(key.get().to_owned());
        match item {
            Item::Table(child) => format_table(child, path),
            Item::ArrayOfTables(array) => {
                for child in array.iter_mut() {
                    format_table(child, path);
                }
            }
            Item::Value(value) => style::value(value),
            Item::None => {}
        }
        path.pop();
        let dotted_parent = matches!(item, Item::Table(t) if t.is_dotted());
        *key = style::key(key, item.is_value(), dotted_parent);
    }
    let here: Vec<&str> = path.iter().map(String::as_str).collect();
    let (values, sections): (Vec<_>, Vec<_>) =
        entries.into_iter().partition(|(_, item)| !is_section(item));
    for (key, item) in sort_in_groups(&here, values)
        .into_iter()
        .chain(sort_stable(&here, sections))
    {
        table.insert_formatted(&key, item);
    }
}

/// The sort key of `key` in the table at `path`: declared keys first, in declaration order.
fn rank(path: &[&str], key: &Key) -> usize {
    order::rank(path, key.get()).unwrap_or(usize::MAX)
}

/// Sorts sections by declaration order, keeping the user's order among equals.
fn sort_stable(path: &[&str], mut entries: Vec<(Key, Item)>) -> Vec<(Key, Item)> {
    entries.sort_by_key(|(key, _)| rank(path, key));
    entries
}

/// Sorts key-value lines within each blank-line-separated group; the blank line stays in front
/// of whichever line now opens the group.
fn sort_in_groups(path: &[&str], entries: Vec<(Key, Item)>) -> Vec<(Key, Item)> {
    let mut groups: Vec<Vec<(Key, Item)>> = Vec::new();
    for (mut key, item) in entries {
        let opens_group = style::take_leading_blank_line(&mut key);
        if opens_group || groups.is_empty() {
            groups.push(Vec::new());
        }
        if let Some(group) = groups.last_mut() {
            group.push((key, item));
        }
    }
    let mut sorted = Vec::new();
    for (index, mut group) in groups.into_iter().enumerate() {
        group.sort_by_key(|(key, _)| rank(path, key));
        if index > 0
            && let Some((key, _)) = group.first_mut()
        {
            style::put_leading_blank_line(key);
        }
        sorted.extend(group);
    }
    sorted
}

/// Numbers the `[headers]` in the order they now sit in the tree, which is the order printed.
fn number_headers(table: &mut Table, position: &mut isize) {
    for (_, item) in table.iter_mut() {
        match item {
            // A dotted table (`nginx.enable = …` in `[services]`) has no header of its own,
            // but the tables below it may (`[services.nginx.sites."a.org"]`).
            Item::Table(child) => {
                if !child.is_dotted() && !child.is_implicit() {
                    child.set_position(Some(*position));
                    *position += 1;
                    style::section_decor(child.decor_mut());
                }
                number_headers(child, position);
            }
            Item::ArrayOfTables(array) => {
                for child in array.iter_mut() {
                    child.set_position(Some(*position));
                    *position += 1;
                    style::section_decor(child.decor_mut());
                    number_headers(child, position);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_sections_and_keys_and_keeps_comments() {
        let input = "\
#:schema ../schema/aster-config.schema.json
[users.alice]
shell = 'fish'   # her favourite
groups = [ \"wheel\" ,\"audio\" ]

# The machine itself.
[system]
timezone = \"UTC\"
hostname = \"a\"

locale = \"en_US.UTF-8\"
spec-version-typo = 1
";
        let formatted = format(input).unwrap();
        insta::assert_snapshot!(formatted, @r###"
        #:schema ../schema/aster-config.schema.json
        # The machine itself.
        [system]
        hostname = "a"
        timezone = "UTC"

        locale = "en_US.UTF-8"
        spec-version-typo = 1

        [users.alice]
        groups = ["wheel", "audio"]
        shell = "fish" # her favourite
        "###);
        assert_eq!(format(&formatted).unwrap(), formatted);
    }

    #[test]
    fn a_header_below_a_dotted_key_gets_its_blank_line() {
        let input =
            "[services]\nnginx.enable = true\n[services.nginx.sites.\"a.org\"]\nroot = \"/x\"\n";
        insta::assert_snapshot!(format(input).unwrap(), @r###"
        [services]
        nginx.enable = true

        [services.nginx.sites."a.org"]
        root = "/x"
        "###);
    }

    #[test]
    fn nested_arrays_are_laid_out_by_their_own_length_and_indented_by_depth() {
        let long = "a".repeat(80);
        let input = format!(
            "[nixos]\nx = [\n    [\n    true,\n],\n    \"{long}\",\n  [ \"{long}\", # why\n 1],\n] # c\n"
        );
        let formatted = format(&input).unwrap();
        assert_eq!(
            formatted,
            format!(
                "[nixos]\nx = [\n    [true],\n    \"{long}\",\n    [\n        \"{long}\", # why\n        1,\n    ],\n] # c\n"
            )
        );
        assert_eq!(format(&formatted).unwrap(), formatted);
    }

    #[test]
    fn refuses_text_that_is_not_toml() {
        assert_eq!(format("[system\n"), Err(FormatError::NotToml));
    }
}
