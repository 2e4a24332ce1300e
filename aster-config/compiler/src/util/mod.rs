//! Small helpers more than one pass uses: content hashes and "did you mean" suggestions.
//! Nothing here knows about specs or NixOS; every pass may import it.

pub mod hash;
pub mod read;
pub mod suggest;
