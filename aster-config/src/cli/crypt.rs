//! SHA-512 crypt (`$6$salt$hash`), the password hash `mkpasswd -m sha-512` and
//! `openssl passwd -6` write and glibc's `crypt(3)` (hence NixOS's `hashedPasswordFile`) checks.
//!
//! The algorithm is Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512" (the specification
//! glibc implements), with the default 5000 rounds, so no `rounds=` field is written. It is built
//! on the `sha2` crate the workspace already has; the tests compare it with reference values
//! from `openssl passwd -6` and with the specification's own test vectors.

use sha2::{Digest, Sha512};

/// Rounds when the hash names none (the specification's default).
const ROUNDS: usize = 5000;
/// The longest salt the algorithm uses; longer ones are cut.
pub const MAX_SALT: usize = 16;
/// crypt's base-64 alphabet.
const ALPHABET: &[u8; 64] = b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// `$6$<salt>$<hash>` for `password` and `salt` (salt characters from crypt's alphabet).
pub fn sha512_crypt(password: &[u8], salt: &str) -> String {
    let salt = &salt.as_bytes()[..salt.len().min(MAX_SALT)];
    let digest = rounds(password, salt);
    let mut out = format!("$6${}$", String::from_utf8_lossy(salt));
    for [a, b, c] in ORDER {
        encode(&mut out, digest[a], digest[b], digest[c], 4);
    }
    encode(&mut out, 0, 0, digest[63], 2);
    out
}

/// A fresh salt of [`MAX_SALT`] characters from the operating system's random source.
pub fn random_salt() -> std::io::Result<String> {
    let mut bytes = [0_u8; MAX_SALT];
    std::io::Read::read_exact(&mut std::fs::File::open("/dev/urandom")?, &mut bytes)?;
    Ok(bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b & 0x3f)]))
        .collect())
}

/// The byte triples of the final digest, in the order the specification encodes them.
const ORDER: [[usize; 3]; 21] = [
    [0, 21, 42],
    [22, 43, 1],
    [44, 2, 23],
    [3, 24, 45],
    [25, 46, 4],
    [47, 5, 26],
    [6, 27, 48],
    [28, 49, 7],
    [50, 8, 29],
    [9, 30, 51],
    [31, 52, 10],
    [53, 11, 32],
    [12, 33, 54],
    [34, 55, 13],
    [56, 14, 35],
    [15, 36, 57],
    [37, 58, 16],
    [59, 17, 38],
    [18, 39, 60],
    [40, 61, 19],
    [62, 20, 41],
];

fn encode(out: &mut String, high: u8, middle: u8, low: u8, chars: usize) {
    let mut word = (u32::from(high) << 16) | (u32::from(middle) << 8) | u32::from(low);
    for _ in 0..chars {
        out.push(char::from(ALPHABET[(word & 0x3f) as usize]));
        word >>= 6;
    }
}

/// Steps 1–21 of the specification: the digest after the rounds.
fn rounds(password: &[u8], salt: &[u8]) -> [u8; 64] {
    let alternate = Sha512::new()
        .chain_update(password)
        .chain_update(salt)
        .chain_update(password)
        .finalize();
    let mut start = Sha512::new().chain_update(password).chain_update(salt);
    let mut left = password.len();
    while left > 64 {
        start.update(alternate);
        left -= 64;
    }
    start.update(&alternate[..left]);
    let mut bits = password.len();
    while bits > 0 {
        if bits & 1 == 1 {
            start.update(alternate);
        } else {
            start.update(password);
        }
        bits >>= 1;
    }
    let start = start.finalize();

    let mut p = Sha512::new();
    for _ in 0..password.len() {
        p.update(password);
    }
    let p_sequence = repeat(&p.finalize(), password.len());
    let mut s = Sha512::new();
    for _ in 0..16 + usize::from(start[0]) {
        s.update(salt);
    }
    let s_sequence = repeat(&s.finalize(), salt.len());

    let mut current: [u8; 64] = start.into();
    for round in 0..ROUNDS {
        let mut next = Sha512::new();
        if round % 2 == 1 {
            next.update(&p_sequence);
        } else {
            next.update(current);
        }
        if round % 3 != 0 {
            next.update(&s_sequence);
        }
        if round % 7 != 0 {
            next.update(&p_sequence);
        }
        if round % 2 == 1 {
            next.update(current);
        } else {
            next.update(&p_sequence);
        }
        current = next.finalize().into();
    }
    current
}

/// `digest` repeated and cut to `length` bytes.
fn repeat(digest: &[u8], length: usize) -> Vec<u8> {
    digest.iter().copied().cycle().take(length).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_openssl_passwd_6() {
        // `openssl passwd -6 -salt saltsalt hunter2` (OpenSSL 3), the same as Python's
        // `crypt.crypt("hunter2", "$6$saltsalt$")`.
        assert_eq!(
            sha512_crypt(b"hunter2", "saltsalt"),
            "$6$saltsalt$8iYtNHxjWRl.NF6oNZ5tF.iKFlQREaXBLlSmZKP6dy9l5z3vsooWNW0/GZ6Nej73/TFug6pIPSqbJoCT6dfnj."
        );
    }

    #[test]
    fn matches_the_specification_vectors() {
        // From Drepper's specification, the two vectors with the default number of rounds.
        assert_eq!(
            sha512_crypt(b"Hello world!", "saltstring"),
            "$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1"
        );
        // A salt longer than 16 characters is cut; a password longer than 64 bytes takes the
        // long path of step 11.
        assert_eq!(
            sha512_crypt(
                b"a very much longer text to encrypt.  This one even stretches over morethan one line.",
                "toolongsaltstringforthis"
            )
            ,
            "$6$toolongsaltstrin$d83lI1f8Dmg5G54BIEUCk.d1wzcvMvHiDIygj5z1mZBp8sK1sb1wb5GVvQ7hgyXszzhH1BdryFoyDxA5CIFdb1"
        );
    }

    #[test]
    fn salts_are_sixteen_characters_of_the_alphabet() {
        let salt = random_salt().expect("/dev/urandom");
        assert_eq!(salt.len(), MAX_SALT);
        assert!(salt.bytes().all(|b| ALPHABET.contains(&b)));
        assert_ne!(salt, random_salt().expect("/dev/urandom"));
    }
}
