//! Small validators for names shared by several checks. Each returns what is wrong, in words.

/// A host name NixOS accepts (`networking.hostName`): one DNS label, 1–63 characters of letters,
/// digits, `-` and `_`, starting and ending with a letter or digit. The empty name is allowed: NixOS
/// then sets none, and as no DHCP client runs on Asterinas NixOS, systemd's fallback name stays.
pub fn hostname(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Ok(());
    }
    if name.len() > 63 {
        return Err(format!(
            "it has {} characters; at most 63 are allowed",
            name.len()
        ));
    }
    if name.contains('.') {
        return Err(
            "it contains a dot; the host name is one label, the domain goes elsewhere".into(),
        );
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_')))
    {
        return Err(format!(
            "it contains `{}`; use letters, digits and `-`",
            c.escape_default()
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !name.ends_with(|c: char| c.is_ascii_alphanumeric())
    {
        return Err("it must start and end with a letter or digit".into());
    }
    Ok(())
}

/// A user or group name: lowercase letters, digits, `_` and `-`, starting with a letter or `_`,
/// at most 31 characters (NixOS aborts evaluation at 32).
pub fn account(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("it is empty".into());
    }
    if name.len() > 31 {
        return Err(format!(
            "it has {} characters; at most 31 are allowed",
            name.len()
        ));
    }
    if !name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_') {
        return Err("it must start with a lowercase letter or `_`".into());
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '-')))
    {
        return Err(format!(
            "it contains `{}`; use lowercase letters, digits, `_` and `-`",
            c.escape_default()
        ));
    }
    Ok(())
}

/// A nixpkgs attribute path such as `xfce.mousepad`: names of letters, digits, `_`, `-` and `'`
/// (`+` too, as in `gtk+3`), separated by dots, none empty.
pub fn attr_path(path: &str) -> Result<(), String> {
    if path.is_empty() {
        return Err("it is empty".into());
    }
    for name in path.split('.') {
        if name.is_empty() {
            return Err("it has an empty name (a leading, trailing or double dot)".into());
        }
        if let Some(c) = name
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '\'' | '+')))
        {
            return Err(format!(
                "`{}` cannot appear in a package name",
                c.escape_default()
            ));
        }
        if !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            return Err(format!("`{name}` must start with a letter or `_`"));
        }
    }
    Ok(())
}

/// A name that becomes a file name in the output (`overlays/<name>.nix`).
pub fn file_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("it is empty".into());
    }
    if name.len() > 100 {
        return Err("it is longer than 100 characters".into());
    }
    if name.starts_with(['.', '-']) {
        return Err("it must not start with `.` or `-`".into());
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '+')))
    {
        return Err(format!(
            "`{}` is not allowed; use letters, digits, `-`, `_`, `.` and `+`",
            c.escape_default()
        ));
    }
    Ok(())
}

/// Text that must stay on one line.
pub fn single_line(text: &str) -> Result<(), String> {
    match text.chars().find(|c| matches!(c, '\n' | '\r')) {
        Some(_) => Err("it contains a line break".into()),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostnames() {
        assert!(hostname("web-01").is_ok());
        assert!(hostname("-web").is_err());
        assert!(hostname("web.example.org").unwrap_err().contains("dot"));
        assert!(hostname(&"a".repeat(64)).is_err());
    }

    #[test]
    fn accounts_attrs_and_files() {
        assert!(account("alice").is_ok());
        assert!(account("Alice").is_err());
        assert!(account(&"a".repeat(32)).is_err());
        assert!(attr_path("xfce.mousepad").is_ok());
        assert!(attr_path("gtk+3").is_ok());
        assert!(attr_path("a..b").is_err());
        assert!(attr_path("pkgs.${x}").is_err());
        assert!(file_name("xfdesktop").is_ok());
        assert!(file_name("../x").is_err());
        assert!(file_name(".hidden").is_err());
    }
}
