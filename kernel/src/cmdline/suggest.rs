//! "Did you mean" suggestions, the way nickel does them: an exact case-insensitive match wins
//! outright; otherwise candidates whose normalized Damerau-Levenshtein similarity reaches
//! [`SIMILARITY_THRESHOLD`], best first.

/// Minimum normalized Damerau-Levenshtein similarity (0.0 to 1.0) for a suggestion.
pub const SIMILARITY_THRESHOLD: f64 = 0.6;

/// At most this many suggestions are returned.
const MAX_SUGGESTIONS: usize = 3;

/// Candidates that `word` was probably meant to be, best first (at most three).
#[must_use]
pub fn suggest<'a, I>(word: &str, candidates: I) -> Vec<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let lowered = word.to_lowercase();
    if let Some(exact) = candidates
        .iter()
        .find(|candidate| candidate.to_lowercase() == lowered)
    {
        return vec![(*exact).to_owned()];
    }
    let mut scored: Vec<(f64, &str)> = candidates
        .iter()
        .map(|candidate| {
            (
                strsim::normalized_damerau_levenshtein(word, candidate),
                *candidate,
            )
        })
        .filter(|(score, _)| *score >= SIMILARITY_THRESHOLD)
        .collect();
    scored.sort_by(|left, right| right.0.total_cmp(&left.0).then_with(|| left.1.cmp(right.1)));
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, candidate)| candidate.to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_case_insensitive_match_wins() {
        assert_eq!(suggest("CONSOLE", ["consoles", "console"]), vec!["console"]);
    }

    #[test]
    fn close_words_are_suggested_best_first() {
        assert_eq!(
            suggest("consol", ["console", "init", "ro"]),
            vec!["console"]
        );
        assert_eq!(
            suggest("rootfs", ["rootfstype", "root"]),
            vec!["root", "rootfstype"]
        );
        assert!(suggest("xyz", ["console", "init"]).is_empty());
    }
}
