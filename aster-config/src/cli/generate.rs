//! Shell completions and the man page, generated from the clap definition.

use super::{Cli, EXIT_OK, EXIT_USAGE};
use clap::CommandFactory as _;
use std::path::Path;

pub fn completions(shell: clap_complete::Shell) -> u8 {
    clap_complete::generate(
        shell,
        &mut Cli::command(),
        "aster-config",
        &mut std::io::stdout(),
    );
    EXIT_OK
}

pub fn man() -> u8 {
    match clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout()) {
        Ok(()) => EXIT_OK,
        Err(error) => {
            eprintln!("error: cannot write the man page: {error}");
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
