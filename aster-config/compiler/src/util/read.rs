//! Bounded reading: every input aster-config reads passes through [`read_capped`].
//!
//! A cap that is checked after reading does not protect anything: `aster-config check /dev/zero`
//! would fill memory before the check runs. So the cap is applied while reading, and a reader
//! never yields more than `cap + 1` bytes — one past the cap, which is how a caller tells "exactly
//! at the cap" from "over it" without knowing the input's size (pipes and devices have none).

use std::io::{self, Read};
use std::path::Path;

/// What a bounded read found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Capped {
    /// All of the input, at most `cap` bytes.
    Whole(Vec<u8>),
    /// The input has more than `cap` bytes; these are the first `cap + 1` of them.
    TooLarge(Vec<u8>),
}

impl Capped {
    /// The bytes when the input was whole; an error of kind `FileTooLarge` when it was not.
    pub fn whole(self) -> io::Result<Vec<u8>> {
        match self {
            Capped::Whole(bytes) => Ok(bytes),
            Capped::TooLarge(_) => Err(io::Error::new(
                io::ErrorKind::FileTooLarge,
                "it has more bytes than the size cap allows",
            )),
        }
    }
}

/// Where a bounded read takes its bytes from: an open reader, or a file to open.
pub trait CappedSource {
    /// Reads at most `limit` bytes.
    fn read_at_most(self, limit: u64) -> io::Result<Vec<u8>>;
}

impl<R: Read> CappedSource for R {
    fn read_at_most(self, limit: u64) -> io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.take(limit).read_to_end(&mut bytes)?;
        Ok(bytes)
    }
}

/// A file named by its path, opened for the read.
#[derive(Debug, Clone, Copy)]
pub struct FileAt<'a>(pub &'a Path);

impl CappedSource for FileAt<'_> {
    fn read_at_most(self, limit: u64) -> io::Result<Vec<u8>> {
        std::fs::File::open(self.0)?.read_at_most(limit)
    }
}

/// Reads `source` (a reader, or a [`FileAt`] path) but never more than `cap + 1` bytes.
pub fn read_capped(source: impl CappedSource, cap: u64) -> io::Result<Capped> {
    let bytes = source.read_at_most(cap.saturating_add(1))?;
    Ok(if bytes.len() as u64 > cap {
        Capped::TooLarge(bytes)
    } else {
        Capped::Whole(bytes)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reader_at_the_cap_is_whole_and_one_past_it_is_too_large() {
        assert_eq!(
            read_capped(&b"abcd"[..], 4).unwrap(),
            Capped::Whole(b"abcd".to_vec())
        );
        assert_eq!(
            read_capped(&b"abcde"[..], 4).unwrap(),
            Capped::TooLarge(b"abcde".to_vec())
        );
        assert_eq!(read_capped(&b""[..], 0).unwrap(), Capped::Whole(Vec::new()));
    }

    #[test]
    fn an_endless_reader_stops_one_byte_past_the_cap() {
        let Capped::TooLarge(bytes) = read_capped(io::repeat(0), 1024).unwrap() else {
            panic!("an endless reader must be too large");
        };
        assert_eq!(bytes.len(), 1025);
    }

    #[test]
    fn a_file_is_read_by_path_and_a_missing_one_is_an_error() {
        let dir = std::env::temp_dir().join(format!("aster-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("x");
        std::fs::write(&file, b"hello").unwrap();
        assert_eq!(
            read_capped(FileAt(&file), 5).unwrap(),
            Capped::Whole(b"hello".to_vec())
        );
        assert!(matches!(
            read_capped(FileAt(&file), 4),
            Ok(Capped::TooLarge(_))
        ));
        assert!(read_capped(FileAt(&dir.join("missing")), 4).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
