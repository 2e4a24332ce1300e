//! Reads and checks the catalog's TOML files (`data/*.toml`) into a [`Kernel`].
//!
//! This runs at build time: `build.rs` includes this file, and a broken data file fails the
//! build with the file's name and the problem. The crate's unit tests include it too, to prove
//! that broken text is rejected. Nothing parses TOML at run time.
//!
//! Beyond what the types enforce (known fields, closed status words), the rules are: no table
//! repeats a name or a syscall number, every [`Arch`] has exactly one architecture row, every
//! row names its upstream source, syscall rows agree with themselves, parameters never contain
//! `-`, and capabilities name only catalogued syscalls.

use std::collections::BTreeSet;

use crate::tables::Table;
use std::fmt;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::{
    Arch, Architecture, Capability, Coverage, Feature, Filesystem, Kernel, Namespace, ParamSpec,
    Syscall,
};

/// The text of the seven data files.
#[derive(Debug, Clone, Copy)]
pub struct DataFiles<'a> {
    /// `architectures.toml`.
    pub architectures: &'a str,
    /// `features.toml`.
    pub features: &'a str,
    /// `params.toml`.
    pub params: &'a str,
    /// `syscalls.toml`.
    pub syscalls: &'a str,
    /// `filesystems.toml`.
    pub filesystems: &'a str,
    /// `namespaces.toml`.
    pub namespaces: &'a str,
    /// `capabilities.toml`.
    pub capabilities: &'a str,
}

/// A data file that does not parse or breaks a catalog rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    /// File name, e.g. `syscalls.toml`.
    pub file: &'static str,
    /// What is wrong (for parse errors, with line and column).
    pub message: String,
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "kernel/data/{}: {}", self.file, self.message)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ArchitectureFile {
    architecture: Vec<Architecture>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FeatureFile {
    feature: Vec<Feature>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ParamFile {
    param: Vec<ParamSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SyscallFile {
    syscall: Vec<Syscall>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FilesystemFile {
    filesystem: Vec<Filesystem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NamespaceFile {
    namespace: Vec<Namespace>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CapabilityFile {
    capability: Vec<Capability>,
}

/// Parses and checks all seven files.
pub fn load(files: &DataFiles<'_>) -> Result<Kernel, SourceError> {
    let kernel = Kernel {
        architectures: Table::new(
            "architectures",
            parse::<ArchitectureFile>("architectures.toml", files.architectures)?.architecture,
        ),
        features: Table::new(
            "features",
            parse::<FeatureFile>("features.toml", files.features)?.feature,
        ),
        params: Table::new(
            "params",
            parse::<ParamFile>("params.toml", files.params)?.param,
        ),
        syscalls: Table::new(
            "syscalls",
            parse::<SyscallFile>("syscalls.toml", files.syscalls)?.syscall,
        ),
        filesystems: Table::new(
            "filesystems",
            parse::<FilesystemFile>("filesystems.toml", files.filesystems)?.filesystem,
        ),
        namespaces: Table::new(
            "namespaces",
            parse::<NamespaceFile>("namespaces.toml", files.namespaces)?.namespace,
        ),
        capabilities: Table::new(
            "capabilities",
            parse::<CapabilityFile>("capabilities.toml", files.capabilities)?.capability,
        ),
    };
    check(
        "architectures.toml",
        check_architectures(&kernel.architectures),
    )?;
    check("features.toml", check_features(&kernel.features))?;
    check("params.toml", check_params(&kernel.params))?;
    check("syscalls.toml", check_syscalls(&kernel.syscalls))?;
    check("filesystems.toml", check_filesystems(&kernel.filesystems))?;
    check("namespaces.toml", check_namespaces(&kernel.namespaces))?;
    check(
        "capabilities.toml",
        check_capabilities(&kernel.capabilities, &kernel.syscalls),
    )?;
    Ok(kernel)
}

fn parse<T: DeserializeOwned>(file: &'static str, text: &str) -> Result<T, SourceError> {
    toml::from_str(text).map_err(|error| SourceError {
        file,
        message: error.to_string(),
    })
}

fn check(file: &'static str, result: Result<(), String>) -> Result<(), SourceError> {
    result.map_err(|message| SourceError { file, message })
}

/// Fails with the first name that `names` repeats.
fn unique<'a>(what: &str, names: impl IntoIterator<Item = &'a str>) -> Result<(), String> {
    let mut seen = BTreeSet::new();
    for name in names {
        if !seen.insert(name) {
            return Err(format!("duplicate {what} `{name}`"));
        }
    }
    Ok(())
}

/// A `source` must be a repository-relative upstream path: not empty, no spaces, no leading `/`.
fn sourced(what: &str, name: &str, source: &str) -> Result<(), String> {
    if source.is_empty() || source.contains(char::is_whitespace) || source.starts_with('/') {
        return Err(format!(
            "{what} `{name}` has source {source:?}; it must be an upstream file path"
        ));
    }
    Ok(())
}

fn check_architectures(rows: &[Architecture]) -> Result<(), String> {
    unique("architecture", rows.iter().map(|row| row.name.as_str()))?;
    for arch in Arch::ALL {
        if !rows.iter().any(|row| row.name == arch) {
            return Err(format!("architecture `{arch}` has no row"));
        }
    }
    for row in rows {
        sourced("architecture", row.name.as_str(), &row.source)?;
        if row.nixos_platform != format!("{}-linux", row.name) {
            return Err(format!(
                "architecture `{}` has nixos_platform {:?}; nixpkgs spells it \"{}-linux\"",
                row.name, row.nixos_platform, row.name
            ));
        }
    }
    Ok(())
}

fn check_features(rows: &[Feature]) -> Result<(), String> {
    unique("feature", rows.iter().map(|row| row.name.as_str()))?;
    rows.iter()
        .try_for_each(|row| sourced("feature", &row.name, &row.source))
}

fn check_params(rows: &[ParamSpec]) -> Result<(), String> {
    unique("param", rows.iter().map(|row| row.name.as_str()))?;
    for row in rows {
        sourced("param", &row.name, &row.source)?;
        if row.name.contains('-') {
            return Err(format!(
                "param `{}`: registered names never contain `-` (the kernel turns `-` into `_`)",
                row.name
            ));
        }
        if row.arches.is_empty() {
            return Err(format!("param `{}` names no architecture", row.name));
        }
    }
    Ok(())
}

fn check_syscalls(rows: &[Syscall]) -> Result<(), String> {
    unique("syscall", rows.iter().map(|row| row.name.as_str()))?;
    let x86_64: Vec<String> = rows
        .iter()
        .filter_map(|row| row.numbers.x86_64)
        .map(|n| n.to_string())
        .collect();
    unique("x86_64 syscall number", x86_64.iter().map(String::as_str))?;
    let generic: Vec<String> = rows
        .iter()
        .filter_map(|row| row.numbers.generic)
        .map(|n| n.to_string())
        .collect();
    unique("generic syscall number", generic.iter().map(String::as_str))?;
    rows.iter().try_for_each(check_syscall)
}

fn check_syscall(row: &Syscall) -> Result<(), String> {
    let name = row.name.as_str();
    sourced("syscall", name, &row.source)?;
    if row.supported != (row.coverage != Coverage::None) {
        return Err(format!(
            "syscall `{name}`: `supported` must be true exactly when coverage is not \"none\""
        ));
    }
    if row.numbers.x86_64.is_none() {
        return Err(format!("syscall `{name}` has no x86_64 number"));
    }
    if row.numbers.generic.is_some() && !row.supported {
        return Err(format!(
            "syscall `{name}` has a generic number, so upstream's generic table dispatches it, \
             yet it is marked unsupported"
        ));
    }
    if row.coverage_doc.is_some() && row.coverage != Coverage::Partial {
        return Err(format!(
            "syscall `{name}`: only partial rows link a coverage page"
        ));
    }
    if !row.gaps.is_empty() && row.coverage != Coverage::Partial {
        return Err(format!("syscall `{name}`: only partial rows list gaps"));
    }
    if row.coverage == Coverage::Partial && row.coverage_doc.is_none() && row.gaps.is_empty() {
        return Err(format!(
            "partial syscall `{name}` must link a coverage page or list its gaps"
        ));
    }
    if row.gaps.iter().any(|gap| gap.items.is_empty()) {
        return Err(format!("syscall `{name}` has an empty gap group"));
    }
    Ok(())
}

fn check_filesystems(rows: &[Filesystem]) -> Result<(), String> {
    unique("filesystem", rows.iter().map(|row| row.name.as_str()))?;
    unique(
        "filesystem type",
        rows.iter().filter_map(|row| row.fs_type.as_deref()),
    )?;
    rows.iter()
        .try_for_each(|row| sourced("filesystem", &row.name, &row.source))
}

fn check_namespaces(rows: &[Namespace]) -> Result<(), String> {
    unique("namespace", rows.iter().map(|row| row.name.as_str()))?;
    rows.iter()
        .try_for_each(|row| sourced("namespace", &row.name, &row.source))
}

fn check_capabilities(rows: &[Capability], syscalls: &[Syscall]) -> Result<(), String> {
    unique("capability", rows.iter().map(|row| row.id.as_str()))?;
    for row in rows {
        let id = row.id.as_str();
        sourced("capability", id, &row.source)?;
        let kebab = id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if id.is_empty() || !kebab || id.starts_with('-') || id.ends_with('-') {
            return Err(format!("capability id `{id}` is not kebab-case"));
        }
        if let Some(unknown) = row
            .syscalls
            .iter()
            .find(|name| !syscalls.iter().any(|s| &s.name == *name))
        {
            return Err(format!(
                "capability `{id}` names unknown syscall `{unknown}`"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The real data files, as `build.rs` reads them.
    fn embedded() -> DataFiles<'static> {
        DataFiles {
            architectures: include_str!("../data/architectures.toml"),
            features: include_str!("../data/features.toml"),
            params: include_str!("../data/params.toml"),
            syscalls: include_str!("../data/syscalls.toml"),
            filesystems: include_str!("../data/filesystems.toml"),
            namespaces: include_str!("../data/namespaces.toml"),
            capabilities: include_str!("../data/capabilities.toml"),
        }
    }

    fn error_with(edit: impl FnOnce(&mut DataFiles<'static>)) -> String {
        let mut files = embedded();
        edit(&mut files);
        match load(&files) {
            Ok(_) => panic!("broken data loaded"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn the_real_files_load() {
        assert!(load(&embedded()).is_ok());
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let message = error_with(|files| {
            files.namespaces = "[[namespace]]\nname = \"pid\"\nclone_flag = \"CLONE_NEWPID\"\n\
                                supported = false\nnote = \"\"\nsource = \"x\"\ncolour = \"red\"\n";
        });
        assert!(
            message.starts_with("kernel/data/namespaces.toml:") && message.contains("colour"),
            "{message}"
        );
    }

    #[test]
    fn unknown_status_words_are_rejected() {
        let message = error_with(|files| {
            files.capabilities = "[[capability]]\nid = \"x\"\ntitle = \"x\"\narea = \"system\"\n\
                                  support = \"maybe\"\nreason = \"x\"\nsyscalls = []\nsource = \"x\"\n";
        });
        assert!(message.contains("maybe"), "{message}");
    }

    #[test]
    fn duplicates_and_dangling_references_are_rejected() {
        let twice = "[[namespace]]\nname = \"pid\"\nclone_flag = \"CLONE_NEWPID\"\n\
                     supported = false\nnote = \"\"\nsource = \"x.rs\"\n";
        let message = error_with(|files| files.namespaces = twice.repeat(2).leak());
        assert!(message.contains("duplicate namespace `pid`"), "{message}");

        let dangling = "[[capability]]\nid = \"x\"\ntitle = \"x\"\narea = \"system\"\n\
                        support = \"supported\"\nreason = \"x\"\nsyscalls = [\"nope\"]\n\
                        source = \"x.rs\"\n";
        let message = error_with(|files| files.capabilities = dangling);
        assert!(message.contains("unknown syscall `nope`"), "{message}");
    }

    #[test]
    fn syscall_rows_must_agree_with_themselves() {
        let row = "[[syscall]]\nname = \"x\"\nnumbers = { x86_64 = 1 }\nsupported = true\n\
                   coverage = \"partial\"\nsource = \"x.rs\"\n";
        let message = error_with(|files| files.syscalls = row);
        assert!(
            message.contains("must link a coverage page or list its gaps"),
            "{message}"
        );
        let row = "[[syscall]]\nname = \"x\"\nnumbers = { x86_64 = 1 }\nsupported = true\n\
                   coverage = \"none\"\nsource = \"x.rs\"\n";
        assert!(error_with(|files| files.syscalls = row).contains("`supported`"));
    }

    #[test]
    fn every_arch_needs_a_row() {
        let only_x86 = &embedded().architectures[..embedded()
            .architectures
            .find("[[architecture]]\nname = \"riscv64\"")
            .expect("riscv64 row")];
        let message = error_with(|files| files.architectures = only_x86);
        assert!(message.contains("`riscv64` has no row"), "{message}");
    }
}
