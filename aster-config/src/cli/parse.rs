//! Parsing the command line without building every subcommand's arguments.
//!
//! clap's derive builds the whole command tree — every subcommand with every argument — before it
//! parses a word: about an eighth of a whole `check` run. When the first word after the global
//! options names a subcommand, [`parse_from`] builds a command with the global options and that
//! one subcommand, and parses with it. Whatever that command does not accept — `--help`,
//! `--version`, a usage error, an unknown name — is parsed again with the full command, so every
//! message is clap's own, byte for byte; `completions`, `man` and the hidden `generate-assets`
//! always take the full command. The tests below compare the two parses on many command lines.

use super::{
    Cli, Globals, apply, build, caps, check, explain, fleet, fmt, generations, import, init, lock,
    lsp, packages, passwd, plan, rollback, services,
};
use clap::{Args as _, Command, FromArgMatches as _, Parser as _, Subcommand as _};
use std::ffi::OsString;

/// The command line (`args[0]` is the program) as [`Cli`], or clap's error for it.
pub fn parse_from(args: Vec<OsString>) -> Result<Cli, clap::Error> {
    if let Some(cli) = pruned(&args) {
        return Ok(cli);
    }
    Cli::try_parse_from(args)
}

/// The parse with only the named subcommand built; `None` when it does not accept the line.
fn pruned(args: &[OsString]) -> Option<Cli> {
    let subcommand = subcommand_command(named_subcommand(args)?)?;
    let mut matches = top_level()
        .subcommand(subcommand)
        .try_get_matches_from(args)
        .ok()?;
    Cli::from_arg_matches_mut(&mut matches).ok()
}

/// The first word after the global options (`--format json`, `--color=never`), when only global
/// options come before it.
fn named_subcommand(args: &[OsString]) -> Option<&str> {
    let mut words = args.iter().skip(1);
    while let Some(word) = words.next() {
        let word = word.to_str()?;
        match word {
            "--format" | "--color" => {
                words.next()?;
            }
            _ if word.starts_with("--format=") || word.starts_with("--color=") => {}
            _ if word.starts_with('-') => return None,
            name => return Some(name),
        }
    }
    None
}

/// The top-level command without subcommands: what the derive gives [`Cli`] apart from them.
fn top_level() -> Command {
    Globals::augment_args(Command::new("aster-config"))
        .version(env!("CARGO_PKG_VERSION"))
        .propagate_version(true)
        .subcommand_required(true)
        .arg_required_else_help(true)
}

/// The subcommand `name` with its arguments, built as the derive builds it (apart from its help
/// texts, which only the full command shows); `None` for a name this does not build.
fn subcommand_command(name: &str) -> Option<Command> {
    let command = match name {
        "init" => init::Args::augment_args(Command::new("init")),
        "check" => check::Args::augment_args(Command::new("check")),
        "build" => build::Args::augment_args(Command::new("build")),
        "caps" => caps::Args::augment_args(Command::new("caps")),
        "packages" => packages::Args::augment_args(Command::new("packages")),
        "services" => services::Args::augment_args(Command::new("services")),
        "schema" => Command::new("schema"),
        "explain" => explain::Args::augment_args(Command::new("explain")),
        "plan" => plan::Args::augment_args(Command::new("plan")),
        "apply" => apply::Args::augment_args(Command::new("apply")),
        "rollback" => rollback::Args::augment_args(Command::new("rollback")),
        "generations" => generations::Args::augment_args(Command::new("generations")),
        "fleet" => fleet::Command::augment_subcommands(Command::new("fleet"))
            .subcommand_required(true)
            .arg_required_else_help(true),
        "lock" => lock::Args::augment_args(Command::new("lock")),
        "fmt" => fmt::Args::augment_args(Command::new("fmt")),
        "import" => import::Args::augment_args(Command::new("import")),
        "lsp" => lsp::Args::augment_args(Command::new("lsp")),
        "passwd" => passwd::Args::augment_args(Command::new("passwd")),
        _ => return None,
    };
    Some(command)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory as _;

    /// Subcommands always parsed with the full command (generated output, or hidden).
    const FULL_ONLY: &[&str] = &["completions", "man", "generate-assets", "help"];

    fn args(words: &[&str]) -> Vec<OsString> {
        std::iter::once("aster-config")
            .chain(words.iter().copied())
            .map(OsString::from)
            .collect()
    }

    /// The full parse's answer and [`parse_from`]'s, each as text: the parsed value, or the
    /// error's kind, exit status and rendered message.
    fn both(words: &[&str]) -> (String, String) {
        let show = |result: Result<Cli, clap::Error>| match result {
            Ok(cli) => format!("ok {cli:?}"),
            Err(error) => format!(
                "{:?} {} {}",
                error.kind(),
                error.exit_code(),
                error.render().ansi()
            ),
        };
        (
            show(Cli::try_parse_from(args(words))),
            show(parse_from(args(words))),
        )
    }

    /// Command lines for every subcommand: bare, with words, with each of its options (with and
    /// without a value), with the global options before and after, with help and version flags.
    fn command_lines() -> Vec<Vec<String>> {
        let mut full = Cli::command();
        full.build();
        let mut lines: Vec<Vec<String>> = [
            &[][..],
            &["--help"],
            &["-h"],
            &["--version"],
            &["-V"],
            &["chek", "x.toml"],
            &["help"],
            &["help", "check"],
            &["--format", "json"],
            &["--format"],
            &["--format", "yaml", "check", "x.toml"],
            &["--colour", "never", "check", "x.toml"],
            &["--", "check", "x.toml"],
            &["--format", "check", "x.toml"],
            &["completions", "bash"],
            &["completions", "tcsh"],
            &["man", "--out", "dir"],
            &["generate-assets", "dir"],
        ]
        .iter()
        .map(|words| words.iter().map(ToString::to_string).collect())
        .collect();
        for sub in full.get_subcommands() {
            let name = sub.get_name().to_owned();
            let mut prefixes = vec![vec![name.clone()]];
            prefixes.extend(
                sub.get_subcommands()
                    .map(|inner| vec![name.clone(), inner.get_name().to_owned()]),
            );
            for prefix in prefixes {
                let with = |tail: &[&str]| {
                    let mut line = prefix.clone();
                    line.extend(tail.iter().map(ToString::to_string));
                    line
                };
                for tail in [
                    &[][..],
                    &["x.toml"],
                    &["x.toml", "y.toml"],
                    &["x.toml", "--format", "json", "--color=never"],
                    &["--help"],
                    &["-h"],
                    &["--version"],
                    &["--no-such-option"],
                    &["x.toml", "--format", "toml"],
                ] {
                    lines.push(with(tail));
                }
                let mut globals_first = vec!["--color".to_owned(), "always".to_owned()];
                globals_first.extend(with(&["x.toml"]));
                lines.push(globals_first);
                let command = prefix[1..]
                    .iter()
                    .fold(sub, |c, inner| c.find_subcommand(inner).unwrap_or(c));
                for arg in command.get_arguments() {
                    let Some(long) = arg.get_long() else { continue };
                    let option = format!("--{long}");
                    let equals = format!("--{long}=v");
                    for tail in [
                        &["x.toml", option.as_str()][..],
                        &["x.toml", option.as_str(), "v"],
                        &[equals.as_str(), "x.toml"],
                        &[option.as_str()],
                    ] {
                        lines.push(with(tail));
                    }
                }
            }
        }
        lines
    }

    #[test]
    fn the_pruned_parse_answers_as_the_full_one() {
        let lines = command_lines();
        assert!(lines.len() > 300, "only {} command lines", lines.len());
        let mut pruned_accepted = 0;
        for line in &lines {
            let words: Vec<&str> = line.iter().map(String::as_str).collect();
            let (full, ours) = both(&words);
            assert_eq!(full, ours, "aster-config {}", line.join(" "));
            pruned_accepted += usize::from(pruned(&args(&words)).is_some());
        }
        assert!(
            pruned_accepted > 80,
            "the pruned parse took only {pruned_accepted} of {} lines",
            lines.len()
        );
    }

    #[test]
    fn the_pruned_parse_takes_the_usual_lines() {
        for words in [
            &["check", "examples/web-server.toml"][..],
            &["--format", "json", "check", "x.toml"],
            &["build", "x.toml", "-o", "out"],
            &["fleet", "check", "fleet.toml"],
            &["schema"],
        ] {
            assert!(pruned(&args(words)).is_some(), "{words:?}");
        }
    }

    /// An argument's definition, without its place in help listings (the global options come
    /// later there in the full command, after the subcommands' own options; only the full
    /// command prints help).
    fn definition(arg: &clap::Arg) -> String {
        let text = format!("{arg:?}");
        match text.split_once("disp_ord: ") {
            Some((before, after)) => {
                format!(
                    "{before}{}",
                    after.split_once(", ").map_or("", |(_, rest)| rest)
                )
            }
            None => text,
        }
    }

    #[test]
    fn every_subcommand_is_pruned_with_the_full_commands_arguments() {
        let mut full = Cli::command();
        full.build();
        let shown = |command: &Command| -> Vec<String> {
            command
                .get_arguments()
                .map(definition)
                .chain(
                    command
                        .get_subcommands()
                        .map(|sub| sub.get_name().to_owned()),
                )
                .collect()
        };
        for sub in full.get_subcommands() {
            let name = sub.get_name();
            if FULL_ONLY.contains(&name) {
                assert!(subcommand_command(name).is_none(), "{name}");
                continue;
            }
            let mut pruned = top_level().subcommand(
                subcommand_command(name)
                    .unwrap_or_else(|| panic!("`{name}` is neither pruned nor in FULL_ONLY")),
            );
            pruned.build();
            let ours = pruned.find_subcommand(name).expect("the one subcommand");
            assert_eq!(shown(ours), shown(sub), "{name}");
            for inner in sub.get_subcommands() {
                let theirs = ours.find_subcommand(inner.get_name()).expect("nested");
                assert_eq!(shown(theirs), shown(inner), "{name} {}", inner.get_name());
            }
        }
        let pruned = {
            let mut top = top_level();
            top.build();
            top
        };
        let top_args = |command: &Command| -> Vec<String> {
            command.get_arguments().map(definition).collect()
        };
        assert_eq!(top_args(&pruned), top_args(&full));
    }
}
