//! `aster-config lsp`: the language server, speaking JSON-RPC on standard input and output.
//!
//! Editors start it themselves (docs/src/editors.md); it runs until the editor sends `exit` or closes
//! the pipe. Exit code 0 after an orderly `shutdown` and `exit`, 1 otherwise.

use super::render::usage_error;

/// Arguments of `lsp` (none besides the transport, which is always stdio).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Accepted for editors that pass it by default; stdio is the only transport.
    #[arg(long)]
    stdio: bool,
}

pub fn run(_args: &Args) -> u8 {
    let input = std::io::stdin().lock();
    let output = std::io::stdout().lock();
    match aster_lsp::serve(input, output) {
        Ok(0) => super::EXIT_OK,
        Ok(_) => super::EXIT_SPEC_ERRORS,
        Err(error) => usage_error(&format!("language server: {error}")),
    }
}
