//! Content hashes: the hex SHA-256 that names spec versions, output files and cache entries.

use sha2::{Digest, Sha256};
use std::fmt::Write as _;

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::with_capacity(64), |mut hex, byte| {
            let _ = write!(hex, "{byte:02x}");
            hex
        })
}
