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

pub fn man() -> u8 {
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

/// Writes `aster-config.1` and completions for every supported shell into `dir`.
pub fn assets(dir: &Path) -> u8 {
    let result = (|| -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let mut page = Vec::new();
        clap_mangen::Man::new(Cli::command()).render(&mut page)?;
        std::fs::write(dir.join("aster-config.1"), page)?;
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
