//! One way to search a catalog table: rank each row against the lower-cased query (0 best),
//! keep the rows that match, best first, ties in name order. An empty query matches nothing.
//! Rows rank their names with [`name_rank`] and add their own last tier (3) for other fields.

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

/// How `query` (lower case) matches one of `names`, compared in lower case: 0 when one is the
/// query, 1 when one starts with it, 2 when one contains it.
pub(crate) fn name_rank(names: &[&str], query: &str) -> Option<u8> {
    let names: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    if names.iter().any(|n| n == query) {
        Some(0)
    } else if names.iter().any(|n| n.starts_with(query)) {
        Some(1)
    } else if names.iter().any(|n| n.contains(query)) {
        Some(2)
    } else {
        None
    }
}
