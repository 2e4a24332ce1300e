//! Cutting a fleet file into pieces that parse on their own, so that reading a large fleet never
//! holds the whole file as one `toml_edit` document.
//!
//! A `toml_edit` document takes about 70 times the size of its text (10,000 hosts: 1.4 MB of
//! text, 100 MiB of document), which was the peak memory of `fleet build`. The reader parses the
//! preamble (everything before the first `[[host]]`), then the hosts a piece of about
//! [`PIECE_BYTES`] at a time, converting and dropping each piece before parsing the next.
//!
//! A piece starts at a line that is exactly `[[host]]` (after optional blanks, before an optional
//! comment). Parsing pieces gives the same tables as parsing the whole file, as long as:
//!
//! - every piece parses: a cut inside a multi-line string, array or inline table leaves the piece
//!   before it unterminated, so a wrong cut never parses;
//! - the preamble has no `host` key, and every other piece has only `host` at its root (a later
//!   `[pins]`, say, would otherwise escape the checks for keys defined twice).
//!
//! When either fails, the reader parses the whole file instead, which reports exactly what it did
//! before. Spans of a piece start at its own text; the reader shifts them by the piece's offset.

use std::ops::Range;

/// About how many bytes of hosts one piece holds (64 KiB: some 450 hosts of the generated fleet,
/// a document of a few MiB).
pub const PIECE_BYTES: usize = 64 * 1024;

/// The preamble and the pieces of hosts of `text`, each a byte range; pieces hold whole
/// `[[host]]` tables and at least `piece_bytes` bytes each (but the last). Without a `[[host]]`
/// line, the preamble is the whole text and there are no pieces.
pub fn split(text: &str, piece_bytes: usize) -> (Range<usize>, Vec<Range<usize>>) {
    let mut starts = host_lines(text);
    let Some(first) = starts.next() else {
        return (0..text.len(), Vec::new());
    };
    let mut pieces = Vec::new();
    let mut start = first;
    for line in starts {
        if line - start >= piece_bytes {
            pieces.push(start..line);
            start = line;
        }
    }
    pieces.push(start..text.len());
    (0..first, pieces)
}

/// Byte offsets of the lines that are a `[[host]]` header.
fn host_lines(text: &str) -> impl Iterator<Item = usize> + '_ {
    let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(at, _)| at + 1));
    line_starts.filter(move |&at| is_host_header(&text[at..]))
}

/// Whether `rest` starts with a line that is `[[host]]`, blanks and maybe a comment.
fn is_host_header(rest: &str) -> bool {
    let line = rest.split('\n').next().unwrap_or("");
    let Some(after) = line
        .trim_start_matches([' ', '\t'])
        .strip_prefix("[[host]]")
    else {
        return false;
    };
    let after = after.trim_start_matches([' ', '\t']);
    after.is_empty() || after == "\r" || after.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{Location, Unsplittable, read_in_pieces, read_text, read_whole};
    use crate::{Files, Report};
    use std::path::Path;

    /// The fleet at `path`, read in pieces of `piece_bytes` and whole: what each read gives (the
    /// fleet, the report and the files read), or `Unsplittable`.
    fn both_ways(path: &Path, piece_bytes: usize) -> (Result<String, Unsplittable>, String) {
        let location = Location::of(path);
        let text = read_text(path).expect("a fleet file");
        let read = |in_pieces: bool| {
            let mut files = Files::default();
            let mut report = Report::default();
            let file = files.add("fleet.toml".to_owned(), text.clone());
            let fleet = if in_pieces {
                read_in_pieces(&location, file, &text, piece_bytes, &mut files, &mut report)?
            } else {
                read_whole(&location, file, &text, &mut files, &mut report)
            };
            let names: Vec<&str> = (0..files.len())
                .map(|i| files.get(i).name.as_str())
                .collect();
            Ok(format!("{fleet:#?}\n{report:#?}\n{names:?}"))
        };
        (read(true), read(false).expect("read whole"))
    }

    /// Every fleet fixture and the example read the same in pieces of one host as whole.
    #[test]
    fn fixtures_read_the_same_in_pieces_as_whole() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut fleets = vec![root.join("examples/fleet/fleet.toml")];
        for entry in std::fs::read_dir(root.join("tests/fixtures/fleet/err")).expect("fixtures") {
            fleets.push(entry.expect("entry").path().join("fleet.toml"));
        }
        let mut split = 0;
        for fleet in fleets {
            match both_ways(&fleet, 0) {
                (Ok(pieces), whole) => {
                    assert_eq!(pieces, whole, "{}", fleet.display());
                    split += 1;
                }
                (Err(Unsplittable), _) => {}
            }
        }
        assert!(split >= 10, "only {split} fixtures were read in pieces");
    }

    /// Hosts with every kind of mistake, far from the start of the file, point at the same
    /// places when each host is a piece of its own.
    #[test]
    fn mistakes_in_later_pieces_keep_their_places() {
        let dir = tempfile::tempdir().expect("temp");
        std::fs::write(
            dir.path().join("base.toml"),
            "[system]\ntimezone = \"UTC\"\n",
        )
        .expect("base");
        std::fs::write(dir.path().join("broken.toml"), "[system\n").expect("broken");
        std::fs::write(
            dir.path().join("role.toml"),
            "[packages]\ninstall = [\"git\"]\n",
        )
        .expect("role");
        let hosts = [
            "[[host]]\nname = \"a\"\nspec = \"role.toml\"\ntags = [\"web\", 3]\nappend = \"x\"\n",
            "[[host]]\nname = 7\nport = 70000\ntagz = []\n",
            "[[host]]\ntarget = \"root@\"\n[host.settings.system]\ntimezone = \"UTC\"\n",
            "[[host]]\nname = \"b\"\nsettings = 3\nspec = \"broken.toml\"\n",
            "[[host]]\nname = \"c\"\nspec = \"../out.toml\"\nsettings = { packages.install = [\"jq\"], x = { y = 1 } }\n",
            "[[host]]\nname = \"d\"\nspec = \"missing.toml\"\n[[host.health]]\nname = \"h\"\n[[host.health]]\nname = \"i\"\ncommand = \"a\\nb\"\n",
            "[[host]]\nname = \"e\"\nhealth = 1\n[[host.settings.nixos.x]]\ny = 1\n[host.settings.users.u]\ngroups = [\"wheel\"]\n",
            "  [[host]] # indented\nname = \"f\"\nport = \"22\"\n",
        ];
        let mut text = "# a fleet\nfleet-version = 1\n[pins]\nnixpkgs = \"https://example.org/n.tar.gz\"\n[defaults]\nspec = \"base.toml\"\n[deploy]\nrollback-timeout = 5\n".to_owned();
        for _ in 0..3 {
            for host in hosts {
                text.push('\n');
                text.push_str(host);
            }
        }
        let fleet = dir.path().join("fleet.toml");
        std::fs::write(&fleet, &text).expect("fleet");
        for piece_bytes in [0, 100, 400, usize::MAX] {
            let (pieces, whole) = both_ways(&fleet, piece_bytes);
            assert_eq!(pieces.expect("read in pieces"), whole);
        }
    }

    /// A fleet whose pieces would read differently is read whole.
    #[test]
    fn fleets_whose_pieces_differ_are_read_whole() {
        let dir = tempfile::tempdir().expect("temp");
        let start = "fleet-version = 1\n[pins]\nnixpkgs = \"https://example.org/n.tar.gz\"\n";
        for rest in [
            // A table after the hosts, defined twice.
            "[[host]]\nname = \"a\"\n[pins]\nnixpkgs = \"x\"\n",
            // `host` written before the `[[host]]` lines.
            "[defaults]\n[\"host\"]\n[[host]]\nname = \"a\"\n",
            // A `[[host]]` line inside a multi-line string.
            "[[host]]\nname = \"a\"\n[[host.health]]\nname = \"x\"\ncommand = \"\"\"\n[[host]]\n\"\"\"\n",
            // A syntax error in a later host.
            "[[host]]\nname = \"a\"\n[[host]]\nname = \n",
        ] {
            let fleet = dir.path().join("fleet.toml");
            std::fs::write(&fleet, format!("{start}{rest}")).expect("fleet");
            let (pieces, _) = both_ways(&fleet, 0);
            assert!(pieces.is_err(), "{rest}");
        }
    }

    #[test]
    fn pieces_start_at_host_headers_and_cover_the_text() {
        let text = "a = 1\n[[host]]\nname = \"x\"\n  [[host]] # two\nname = \"y\"\n[[host]]\r\n";
        let (preamble, pieces) = split(text, 0);
        assert_eq!(&text[preamble], "a = 1\n");
        let texts: Vec<&str> = pieces.iter().map(|p| &text[p.clone()]).collect();
        assert_eq!(
            texts,
            [
                "[[host]]\nname = \"x\"\n",
                "  [[host]] # two\nname = \"y\"\n",
                "[[host]]\r\n"
            ]
        );
        let (_, pieces) = split(text, usize::MAX);
        assert_eq!((pieces.len(), pieces[0].clone()), (1, 6..text.len()));
    }

    #[test]
    fn other_lines_do_not_start_pieces() {
        for text in [
            "[[host.health]]\n",
            "[[hosts]]\n",
            "x = \"[[host]]\"\n",
            "[[host]] x\n",
            "a = 1",
        ] {
            let (preamble, pieces) = split(text, 0);
            assert_eq!((preamble, pieces), (0..text.len(), Vec::new()), "{text}");
        }
    }
}
