//! The aster-config language server: `check`'s diagnostics, hover documentation, completion,
//! fixes and go-to-definition, for editors, over stdio.
//!
//! Built on `lsp-server` and `lsp-types`, the synchronous crates rust-analyzer uses, rather than
//! `tower-lsp`: the work per message is a compiler run of a millisecond or two on one thread, so
//! an async runtime would add a dependency tree and nothing else. `lsp-server` contributes the
//! message types; the framing is read here ([`transport`]) so that a malformed message gets the
//! protocol's error response instead of ending the session.
//!
//! The layers: [`transport`] moves frames; [`Server`] answers one message at a time (pure, for
//! tests and benchmarks); `kind` tells specs and fleet files from other TOML, which gets no
//! answers; `document` keeps each open text with its `check` result (`fleet` checks a
//! fleet file with the fleet crate); `diagnostics`,
//! `hover`, `completion`, `actions` and `definition` each answer one request; `locate`, `schema`
//! and `facts` read the cursor's key path, the JSON Schemas and the catalogs.

mod actions;
mod completion;
mod definition;
mod diagnostics;
mod document;
mod facts;
mod fleet;
mod hover;
mod kind;
mod locate;
mod schema;
mod server;
mod text;
pub mod transport;

pub use server::{Server, Step};

use std::io::{self, BufRead, Write};

/// Serves one client on `input`/`output` until `exit` or the end of input; returns the exit
/// code the process should end with (0 after `shutdown` then `exit`, 1 otherwise).
pub fn serve(mut input: impl BufRead, mut output: impl Write) -> io::Result<i32> {
    let mut server = Server::new();
    while let Some(incoming) = transport::read(&mut input)? {
        let step = match incoming {
            transport::Incoming::Message(message) => server.handle(message),
            transport::Incoming::Invalid(response) => Step {
                outgoing: vec![lsp_server::Message::Response(response)],
                exit: None,
            },
            transport::Incoming::Oversized(seen) => server.oversized(&seen),
        };
        for message in &step.outgoing {
            transport::write(&mut output, message)?;
        }
        if let Some(code) = step.exit {
            return Ok(code);
        }
    }
    Ok(1)
}
