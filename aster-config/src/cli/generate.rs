//! Shell completions and the man page, generated from the clap definition.

use super::{Cli, EXIT_OK, EXIT_USAGE, write_stdout_bytes};
use clap::CommandFactory as _;
use std::path::Path;

// Both are rendered into memory first and then written like every other output, so a reader
// that goes away (`aster-config man | head -1`) ends the command quietly with success:
// `clap_complete::generate` panics on a write error, and a half-written man page is no error.

pub fn completions(shell: clap_complete::Shell) -> u8 {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "aster-config", &mut script);
    write_stdout_bytes(&script);
    EXIT_OK
}

/// `aster-config man`: the main page on standard output, or with `--out DIR` every page —
/// `aster-config.1` and one `aster-config-SUBCOMMAND.1` per subcommand, which the main page's
/// SEE ALSO names — written into `DIR`.
pub fn man(out: Option<&Path>) -> u8 {
    if let Some(dir) = out {
        return match write_man_pages(dir) {
            Ok(count) => {
                eprintln!("wrote {count} man page(s) to {}", dir.display());
                EXIT_OK
            }
            Err(error) => {
                eprintln!(
                    "error: cannot write man pages into {}: {error}",
                    dir.display()
                );
                EXIT_USAGE
            }
        };
    }
    let mut page = Vec::new();
    match clap_mangen::Man::new(Cli::command()).render(&mut page) {
        Ok(()) => {
            write_stdout_bytes(&page);
            EXIT_OK
        }
        Err(error) => {
            eprintln!("error: cannot render the man page: {error}");
            EXIT_USAGE
        }
    }
}

/// Writes the main man page and one per (visible) subcommand into `dir`; how many.
fn write_man_pages(dir: &Path) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    clap_mangen::generate_to(Cli::command(), dir)?;
    let count = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".1"))
        .count();
    Ok(count)
}

/// Writes every man page and completions for every supported shell into `dir`.
pub fn assets(dir: &Path) -> u8 {
    let result = (|| -> std::io::Result<()> {
        write_man_pages(dir)?;
        for shell in [
            clap_complete::Shell::Bash,
            clap_complete::Shell::Zsh,
            clap_complete::Shell::Fish,
        ] {
            clap_complete::generate_to(shell, &mut Cli::command(), "aster-config", dir)?;
        }
        Ok(())
    })();
    match result {
        Ok(()) => EXIT_OK,
        Err(error) => {
            eprintln!("error: cannot write into {}: {error}", dir.display());
            EXIT_USAGE
        }
    }
}
