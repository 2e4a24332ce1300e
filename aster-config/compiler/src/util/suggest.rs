//! "Did you mean …?": the closest candidate to a misspelt name.
//!
//! An exact case-insensitive match wins (also when `_` and `-` are swapped, since newcomers often
//! write `password_authentication`); otherwise the candidate with the highest normalized
//! Damerau-Levenshtein similarity, if it reaches 0.6.

/// The similarity a candidate needs to be suggested.
pub const THRESHOLD: f64 = 0.6;

/// The best candidate for `wanted`, if one is close enough.
pub fn closest<'a, I>(wanted: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let normalized = normalize(wanted);
    let mut best: Option<(f64, &'a str)> = None;
    for candidate in candidates {
        let other = normalize(candidate);
        if other == normalized {
            return Some(candidate);
        }
        let score = strsim::normalized_damerau_levenshtein(&normalized, &other);
        if score >= THRESHOLD && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

fn normalize(name: &str) -> String {
    name.to_lowercase().replace('_', "-")
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn prefers_exact_case_insensitive_and_underscore_matches() {
        let keys = ["password-authentication", "ports", "enable"];
        assert_eq!(
            closest("Password_Authentication", keys),
            Some("password-authentication")
        );
        assert_eq!(
            closest("pasword-authentication", keys),
            Some("password-authentication")
        );
        assert_eq!(closest("prots", keys), Some("ports"));
        assert_eq!(closest("completely-different", keys), None);
    }
}
