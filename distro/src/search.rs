//! One way to search a catalog table: rank each row against the lower-cased query (0 best),
//! keep the rows that match, best first, ties in name order. An empty query matches nothing.

/// The rows of `items` that `rank` matches against `query`, best rank first, then by `name`.
pub(crate) fn ranked<'a, T>(
    items: &'a [T],
    query: &str,
    rank: impl Fn(&T, &str) -> Option<u8>,
    name: impl Fn(&T) -> &str,
) -> Vec<&'a T> {
    let query = query.trim().to_lowercase();
    if query.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<(u8, &T)> = items
        .iter()
        .filter_map(|item| rank(item, &query).map(|r| (r, item)))
        .collect();
    hits.sort_by(|(ra, a), (rb, b)| ra.cmp(rb).then_with(|| name(a).cmp(name(b))));
    hits.into_iter().map(|(_, item)| item).collect()
}
