//! Telling a fleet file from a single spec by its text: `aster-config lock` picks what to lock by
//! it, and the language server what to check. Both read lines, not the parsed document, so a file
//! with a syntax error mid-edit is still recognised.

/// The top-level keys only a fleet file has: `fleet-version`, `[pins]`, `[[host]]`.
const FLEET_KEYS: [&str; 3] = ["fleet-version", "pins", "host"];

/// True when `text` is a fleet file rather than a single spec: one of its [`top_level_keys`] is a
/// key only a fleet file has (`fleet-version`, `pins`, `host`).
pub fn is_fleet_file(text: &str) -> bool {
    top_level_keys(text)
        .iter()
        .any(|k| FLEET_KEYS.contains(&k.as_str()))
}

/// The first segment of every key written at the top level: keys above the first header and
/// the first name of every `[header]` / `[[header]]`, unquoted. Read line by line, so it works
/// on text that does not parse.
pub fn top_level_keys(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut in_section = false;
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            in_section = true;
            let header = header.trim_start_matches('[');
            keys.push(first_segment(header.split(']').next().unwrap_or_default()));
        } else if !in_section && let Some((key, _)) = line.split_once('=') {
            keys.push(first_segment(key));
        }
    }
    keys.retain(|k| !k.is_empty());
    keys
}

/// `a` of `a.b.c`, `"a.b"` of `"a.b".c`, without quotes.
fn first_segment(key: &str) -> String {
    let key = key.trim();
    for quote in ['"', '\''] {
        if let Some(rest) = key.strip_prefix(quote) {
            return rest.split(quote).next().unwrap_or_default().to_owned();
        }
    }
    key.split('.').next().unwrap_or_default().trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fleet_files_are_told_from_specs_by_their_keys() {
        assert!(is_fleet_file("fleet-version = 1\n"));
        assert!(is_fleet_file("[[host]]\nname = \"a\"\n"));
        assert!(is_fleet_file("fleet-version = \n[pins]\n"));
        assert!(!is_fleet_file("[system]\nhostname = \"web-01\"\n"));
        assert!(!is_fleet_file("[system\n"));
    }
}
