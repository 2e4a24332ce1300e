//! `aster-config passwd USER`: ask for a password twice without echo and write its SHA-512 crypt
//! hash to a file only root can read, for the spec's `hashed-password-file`.
//!
//! The password is never printed, logged, put in an error message or written anywhere but as its
//! hash. On a terminal it is read twice with echo off (`stty -echo`, restored afterwards); with
//! `--stdin` one line is read from standard input, for scripts
//! (`printf '%s\n' "$PW" | aster-config passwd alice --stdin`).

use super::{EXIT_OK, crypt, render::usage_error};
use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};

/// Arguments of `passwd`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The user whose password this is (a key of `[users]`).
    user: String,
    /// Where the hash goes on the machine (default `/etc/secrets/USER.hash`).
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
    /// Treat DIR as `/`: write `DIR/etc/secrets/USER.hash` (to prepare a mounted system, or to
    /// practise); the spec line still names the path on the machine.
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Read the password from one line of standard input instead of asking on the terminal.
    #[arg(long)]
    stdin: bool,
}

pub fn run(args: &Args) -> u8 {
    if let Err(why) = user_name(&args.user) {
        return usage_error(&format!("`{}` {why}", args.user.escape_debug()));
    }
    let on_machine = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("/etc/secrets/{}.hash", args.user)));
    if !on_machine.is_absolute() {
        return usage_error(&format!(
            "--out must be an absolute path on the machine, not {}",
            on_machine.display()
        ));
    }
    let written_to = match &args.root {
        Some(root) => root.join(on_machine.strip_prefix("/").unwrap_or(&on_machine)),
        None => on_machine.clone(),
    };
    let password = match read_password(args) {
        Ok(password) => password,
        Err(message) => return usage_error(&message),
    };
    let salt = match crypt::random_salt() {
        Ok(salt) => salt,
        Err(error) => {
            return usage_error(&format!("cannot read random bytes for the salt: {error}"));
        }
    };
    let hash = crypt::sha512_crypt(password.as_bytes(), &salt);
    drop(password);
    if let Err(error) = write_private(&written_to, format!("{hash}\n").as_bytes()) {
        let hint = if error.kind() == std::io::ErrorKind::PermissionDenied {
            " (run it with sudo on the machine, or pass --root DIR or --out PATH)"
        } else {
            ""
        };
        return usage_error(&format!(
            "cannot write {}: {error}{hint}",
            written_to.display()
        ));
    }
    eprintln!(
        "wrote the password hash of `{}` to {} (mode 0600)",
        args.user,
        written_to.display()
    );
    if args.root.is_some() || args.out.is_some() {
        eprintln!(
            "it must be at {} on the machine, readable by root only",
            on_machine.display()
        );
    }
    eprintln!("add this line under [users.{}] in your spec:", args.user);
    say!("hashed-password-file = \"{}\"", on_machine.display());
    EXIT_OK
}

/// The same rule as the spec's user names: `[a-z_][a-z0-9_-]*`, at most 32 characters. It
/// also keeps the default file name inside `/etc/secrets`.
fn user_name(name: &str) -> Result<(), &'static str> {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    if !first_ok || name.len() > 32 {
        return Err(
            "is not a user name: start with a lowercase letter or `_`, at most 32 characters",
        );
    }
    if !chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-') {
        return Err("is not a user name: use lowercase letters, digits, `_` and `-`");
    }
    Ok(())
}

/// One password: a line of standard input with `--stdin`, else twice on the terminal.
fn read_password(args: &Args) -> Result<String, String> {
    if args.stdin {
        let line = read_line()?.ok_or("standard input is empty: no password was given")?;
        return non_empty(line);
    }
    if !std::io::stdin().is_terminal() {
        return Err(
            "standard input is not a terminal; to read the password from it, pass --stdin".into(),
        );
    }
    let first = non_empty(ask(&format!("New password for {}: ", args.user))?)?;
    let second = ask("Type it again: ")?;
    if first != second {
        return Err("the two passwords differ; nothing was written".into());
    }
    Ok(first)
}

fn non_empty(password: String) -> Result<String, String> {
    if password.is_empty() {
        Err("the password is empty; nothing was written".into())
    } else {
        Ok(password)
    }
}

/// Asks on the terminal with echo off, and turns echo back on whatever happens. Echo goes off
/// before the prompt is shown: what is typed (or pasted) as soon as the prompt appears must not
/// reach the screen.
fn ask(prompt: &str) -> Result<String, String> {
    let echo_off = stty("-echo");
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let line = read_line();
    if echo_off {
        stty("echo");
    }
    eprintln!();
    line?.ok_or_else(|| "standard input ended before a password was typed".into())
}

/// Runs `stty` on the terminal that is standard input; whether it worked.
fn stty(setting: &str) -> bool {
    std::process::Command::new("stty")
        .arg(setting)
        .stdin(std::process::Stdio::inherit())
        .status()
        .is_ok_and(|status| status.success())
}

/// One line of standard input without its line ending; `None` at end of input.
fn read_line() -> Result<Option<String>, String> {
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(0) => Ok(None),
        Ok(_) => {
            let trimmed = line.trim_end_matches(['\n', '\r']).len();
            line.truncate(trimmed);
            Ok(Some(line))
        }
        Err(error) => Err(format!("cannot read the password: {error}")),
    }
}

/// Replaces `path` with `bytes` in a file created with mode 0600 (never readable by others,
/// not even for a moment), through a temporary sibling and a rename.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt as _, OpenOptionsExt as _};
    let parent = path.parent().unwrap_or(Path::new("."));
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(parent)?;
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let temporary = parent.join(format!(".{name}.tmp-{}", std::process::id()));
    let _ = std::fs::remove_file(&temporary);
    let written = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written?;
    aster_compiler::output::atomic::sync_dir(parent);
    Ok(())
}
