//! `aster-config explain CODE`: the documentation of a diagnostic code.

use super::{EXIT_OK, EXIT_USAGE};
use aster_compiler::Code;

/// Arguments of `explain`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The code, e.g. `AC0201` (case and the `AC` prefix are optional). Without it, lists all.
    code: Option<String>,
}

pub fn run(args: &Args) -> u8 {
    let Some(wanted) = &args.code else {
        for code in Code::ALL {
            say!(
                "{code}  {:<7}  {}",
                format!("{:?}", code.severity()).to_lowercase(),
                code.title()
            );
        }
        return EXIT_OK;
    };
    if let Ok(code) = wanted.parse::<Code>() {
        say_raw!("{}", code.explanation());
        EXIT_OK
    } else {
        eprintln!(
            "error: `{wanted}` is not a diagnostic code; `aster-config explain` lists them all"
        );
        EXIT_USAGE
    }
}
