//! The NixOS options the emitter may write: one typed row each, generated at build time from
//! `data/nixos-options.toml` (path, declared type, the same type over `lib.types` for the
//! evaluation tests, declaring module, the spec key that sets it, and which version of the module
//! was read). The emitter refers to rows by constant, the docs' mapping table and the option-type
//! tests read [`all`], so the three can never disagree.

/// One NixOS option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NixOption {
    /// The dotted path; `<name>` and `<path>` stand for attribute names the spec chooses.
    pub path: &'static str,
    /// The type as declared in nixpkgs.
    pub declared_type: &'static str,
    /// The same type as a Nix expression over `lib` and `types`.
    pub nix_type: &'static str,
    /// The declaring module, relative to the nixpkgs root.
    pub module: &'static str,
    /// The spec key that sets it.
    pub spec_key: &'static str,
    /// Which version of the module was read.
    pub read: &'static str,
}

impl NixOption {
    /// The path's segments, placeholders included.
    pub fn segments(&self) -> impl Iterator<Item = &'static str> {
        self.path.split('.')
    }

    /// The path with each placeholder (`<name>`, `<path>`) replaced by the next of `names`.
    pub(crate) fn instantiate(&self, names: &[&str]) -> Vec<String> {
        let mut names = names.iter();
        let path: Vec<String> = self
            .segments()
            .map(|segment| {
                if segment.starts_with('<') {
                    (*names.next().expect("a name for every placeholder")).to_owned()
                } else {
                    segment.to_owned()
                }
            })
            .collect();
        debug_assert!(names.next().is_none(), "more names than placeholders");
        path
    }

    /// True when `path` (concrete segments) is an instance of this option.
    pub fn matches(&self, path: &[String]) -> bool {
        matches_pattern(self.segments(), path)
    }
}

/// True when `path` has as many segments as `pattern` and each equals its pattern segment, a
/// placeholder (`<name>`, `<path>`) matching any one segment.
pub fn matches_pattern<'p>(pattern: impl IntoIterator<Item = &'p str>, path: &[String]) -> bool {
    let mut own = pattern.into_iter();
    path.iter().all(|segment| {
        own.next()
            .is_some_and(|o| o.starts_with('<') || o == segment)
    }) && own.next().is_none()
}

include!(concat!(env!("OUT_DIR"), "/nixos_options.rs"));

/// Every option the emitter may write, in the data file's order.
pub fn all() -> &'static [NixOption] {
    ALL
}
