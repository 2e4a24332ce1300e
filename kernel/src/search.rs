//! Free-text search across every table, for `aster-config caps QUERY`.
//!
//! Matching is a case-insensitive substring test. Hits are ordered by how well they match
//! (exact name, then name, then description), then by table, then by catalog order.

use crate::{Architecture, Capability, Feature, Filesystem, Kernel, Namespace, ParamSpec, Syscall};

/// One catalog entry of any kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry<'k> {
    /// A capability.
    Capability(&'k Capability),
    /// A command-line parameter.
    Param(&'k ParamSpec),
    /// A system call.
    Syscall(&'k Syscall),
    /// A filesystem.
    Filesystem(&'k Filesystem),
    /// A namespace type.
    Namespace(&'k Namespace),
    /// A build feature.
    Feature(&'k Feature),
    /// An architecture.
    Architecture(&'k Architecture),
}

impl<'k> Entry<'k> {
    /// The table the entry comes from, e.g. `"capability"`.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Entry::Capability(_) => "capability",
            Entry::Param(_) => "param",
            Entry::Syscall(_) => "syscall",
            Entry::Filesystem(_) => "filesystem",
            Entry::Namespace(_) => "namespace",
            Entry::Feature(_) => "feature",
            Entry::Architecture(_) => "architecture",
        }
    }

    /// The entry's name (a capability's id).
    #[must_use]
    pub fn name(&self) -> &'k str {
        match self {
            Entry::Capability(entry) => &entry.id,
            Entry::Param(entry) => &entry.name,
            Entry::Syscall(entry) => &entry.name,
            Entry::Filesystem(entry) => &entry.name,
            Entry::Namespace(entry) => &entry.name,
            Entry::Feature(entry) => &entry.name,
            Entry::Architecture(entry) => entry.name.as_str(),
        }
    }

    /// The entry's one-line description (may be empty for system calls without a note).
    #[must_use]
    pub fn summary(&self) -> &'k str {
        match self {
            Entry::Capability(entry) => &entry.reason,
            Entry::Param(entry) => &entry.summary,
            Entry::Syscall(entry) => entry.note.as_deref().unwrap_or(""),
            Entry::Filesystem(entry) => &entry.summary,
            Entry::Namespace(entry) => &entry.note,
            Entry::Feature(entry) => &entry.description,
            Entry::Architecture(entry) => &entry.note,
        }
    }

    /// A short status as written in the data files, e.g. `"unsupported"`, `"partial"`,
    /// `"mountable (can be root)"`, `"tier-1"`; for a system call also its numbers, e.g.
    /// `"supported (full coverage); number 0 on x86_64, 63 on riscv64 and loongarch64"`.
    #[must_use]
    pub fn status(&self) -> String {
        match self {
            Entry::Capability(entry) => entry.support.as_str().to_owned(),
            Entry::Param(entry) => entry.status.as_str().to_owned(),
            Entry::Syscall(entry) if !entry.supported => {
                format!("unsupported; number {}", entry.numbers_text())
            }
            Entry::Syscall(entry) => format!(
                "supported ({} coverage); number {}",
                entry.coverage.as_str(),
                entry.numbers_text()
            ),
            Entry::Filesystem(entry) if entry.can_be_root => {
                format!("{} (can be root)", entry.status.as_str())
            }
            Entry::Filesystem(entry) => entry.status.as_str().to_owned(),
            Entry::Namespace(entry) => (if entry.supported {
                "supported"
            } else {
                "unsupported"
            })
            .to_owned(),
            Entry::Feature(entry) => format!(
                "build feature for {}",
                entry
                    .arches
                    .iter()
                    .map(|a| a.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Entry::Architecture(entry) => entry.tier.as_str().to_owned(),
        }
    }

    /// The upstream file the entry comes from.
    #[must_use]
    pub fn source(&self) -> &'k str {
        match self {
            Entry::Capability(entry) => &entry.source,
            Entry::Param(entry) => &entry.source,
            Entry::Syscall(entry) => &entry.source,
            Entry::Filesystem(entry) => &entry.source,
            Entry::Namespace(entry) => &entry.source,
            Entry::Feature(entry) => &entry.source,
            Entry::Architecture(entry) => &entry.source,
        }
    }

    /// Other searchable names: a capability's title, a filesystem's mount type, a namespace's
    /// clone flag.
    fn aliases(&self) -> Vec<&'k str> {
        match self {
            Entry::Capability(entry) => vec![entry.title.as_str()],
            Entry::Filesystem(entry) => entry.fs_type.as_deref().into_iter().collect(),
            Entry::Namespace(entry) => vec![entry.clone_flag.as_str()],
            _ => Vec::new(),
        }
    }

    /// Other searchable text: a capability's alternative, a system call's flag gaps.
    fn extra_text(&self) -> Vec<&'k str> {
        match self {
            Entry::Capability(entry) => entry.alternative.as_deref().into_iter().collect(),
            Entry::Syscall(entry) => entry
                .gaps
                .iter()
                .flat_map(|gap| gap.items.iter().map(String::as_str))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// How well a [`Hit`] matches the query; earlier variants sort first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchRank {
    /// The name (or an alias) equals the query, ignoring case.
    Exact,
    /// The name (or an alias) contains the query.
    Name,
    /// Only the description contains the query.
    Text,
}

/// One search result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit<'k> {
    /// The matching entry.
    pub entry: Entry<'k>,
    /// How well it matches.
    pub rank: MatchRank,
}

fn rank(entry: &Entry<'_>, needle: &str) -> Option<MatchRank> {
    let mut names = entry.aliases();
    names.push(entry.name());
    if names.iter().any(|name| name.to_lowercase() == needle) {
        return Some(MatchRank::Exact);
    }
    if names
        .iter()
        .any(|name| name.to_lowercase().contains(needle))
    {
        return Some(MatchRank::Name);
    }
    let mut texts = entry.extra_text();
    texts.push(entry.summary());
    texts
        .iter()
        .any(|text| text.to_lowercase().contains(needle))
        .then_some(MatchRank::Text)
}

impl Kernel {
    /// Every entry, in search order: capabilities, params, syscalls, filesystems, namespaces,
    /// features, architectures.
    #[must_use]
    pub fn entries(&self) -> Vec<Entry<'_>> {
        let capabilities = self.capabilities().iter().map(Entry::Capability);
        let params = self.params().iter().map(Entry::Param);
        let syscalls = self.syscalls().iter().map(Entry::Syscall);
        let filesystems = self.filesystems().iter().map(Entry::Filesystem);
        let namespaces = self.namespaces().iter().map(Entry::Namespace);
        let features = self.features().iter().map(Entry::Feature);
        let architectures = self.architectures().iter().map(Entry::Architecture);
        capabilities
            .chain(params)
            .chain(syscalls)
            .chain(filesystems)
            .chain(namespaces)
            .chain(features)
            .chain(architectures)
            .collect()
    }

    /// Case-insensitive substring search over names, ids and descriptions of every table;
    /// exact name matches first. An empty (or all-blank) query matches nothing.
    #[must_use]
    pub fn search(&self, query: &str) -> Vec<Hit<'_>> {
        let needle = query.trim().to_lowercase();
        if needle.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<Hit<'_>> = self
            .entries()
            .into_iter()
            .filter_map(|entry| rank(&entry, &needle).map(|rank| Hit { entry, rank }))
            .collect();
        // A stable sort keeps table and catalog order within each rank.
        hits.sort_by_key(|hit| hit.rank);
        hits
    }
}

#[cfg(test)]
mod tests {
    use crate::kernel;

    use super::*;

    #[test]
    fn exact_matches_come_first() {
        let hits = kernel().search("SECCOMP");
        assert_eq!(hits[0].rank, MatchRank::Exact);
        assert_eq!(hits[0].entry.kind(), "capability");
        assert!(
            hits.iter()
                .any(|hit| matches!(hit.entry, Entry::Syscall(s) if s.name == "seccomp"))
        );
        assert!(hits.windows(2).all(|pair| pair[0].rank <= pair[1].rank));
    }

    #[test]
    fn searches_aliases_and_text() {
        let by_type = kernel().search("cgroup2");
        assert!(by_type.iter().any(|hit| hit.entry.name() == "cgroupfs"));
        let by_flag = kernel().search("clone_newuser");
        assert_eq!(by_flag[0].entry.name(), "user");
        let by_gap = kernel().search("O_TMPFILE");
        assert!(by_gap.iter().any(|hit| hit.entry.name() == "openat"));
        assert!(kernel().search("   ").is_empty());
        assert!(kernel().search("zzz-no-such-thing").is_empty());
    }
}
