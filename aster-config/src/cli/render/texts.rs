//! Random texts for the rendering tests: a small xorshift generator from a fixed seed, so a
//! failure names a text that the next run makes again.

/// Texts from `alphabet`, each up to `max_len` characters long, reproducible from `seed`.
pub struct Texts {
    state: u64,
    alphabet: Vec<char>,
    max_len: u64,
}

impl Texts {
    pub fn new(seed: u64, alphabet: &str, max_len: u64) -> Self {
        Self {
            state: seed,
            alphabet: alphabet.chars().collect(),
            max_len,
        }
    }

    /// The next number of the sequence.
    pub fn number(&mut self) -> u64 {
        self.state ^= self.state << 13;
        self.state ^= self.state >> 7;
        self.state ^= self.state << 17;
        self.state
    }

    /// A random index below `len`.
    pub fn below(&mut self, len: usize) -> usize {
        (self.number() % len as u64) as usize
    }

    /// The next text.
    pub fn text(&mut self) -> String {
        let length = (self.number() % self.max_len) as usize;
        (0..length)
            .map(|_| {
                let at = self.below(self.alphabet.len());
                self.alphabet[at]
            })
            .collect()
    }
}
