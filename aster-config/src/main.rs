//! The `aster-config` command: the only place that reads the terminal, prints, or picks exit codes.

// Printing is this binary's job; the workspace denies it everywhere else.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
