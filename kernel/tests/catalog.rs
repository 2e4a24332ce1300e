//! The embedded catalog loads, matches the upstream reference facts, and is internally
//! consistent.

use std::collections::HashSet;
use std::path::Path;

use aster_kernel::{
    Arch, Coverage, FsStatus, ParamKind, ParamStatus, Support, Tier, ValueGrammar, kernel,
};

/// Fails with the duplicated name if `names` repeats one.
fn assert_unique<'a>(table: &str, names: impl IntoIterator<Item = &'a str>) {
    let mut seen = HashSet::new();
    for name in names {
        assert!(seen.insert(name), "duplicate `{name}` in {table}");
    }
}

#[test]
fn no_table_repeats_a_name() {
    let k = kernel();
    assert_unique(
        "architectures",
        k.architectures().iter().map(|a| a.name.as_str()),
    );
    assert_unique("features", k.features().iter().map(|f| f.name.as_str()));
    assert_unique("params", k.params().iter().map(|p| p.name.as_str()));
    assert_unique("syscalls", k.syscalls().iter().map(|s| s.name.as_str()));
    assert_unique(
        "filesystems",
        k.filesystems().iter().map(|f| f.name.as_str()),
    );
    assert_unique("namespaces", k.namespaces().iter().map(|n| n.name.as_str()));
    assert_unique(
        "capabilities",
        k.capabilities().iter().map(|c| c.id.as_str()),
    );
    let numbers: Vec<String> = k
        .syscalls()
        .iter()
        .filter_map(|s| s.numbers.x86_64)
        .map(|n| n.to_string())
        .collect();
    assert_unique("x86_64 syscall numbers", numbers.iter().map(String::as_str));
}

#[test]
fn every_entry_names_an_upstream_source_file() {
    for entry in kernel().entries() {
        let source = entry.source();
        assert!(
            !source.is_empty() && !source.contains(char::is_whitespace) && !source.starts_with('/'),
            "{} `{}` has source {source:?}",
            entry.kind(),
            entry.name()
        );
    }
}

/// The reference facts (`<workspace>/../shared/reference/asterinas-facts.json`), when this
/// checkout sits beside `shared/`. Under CI (`CI` set) a missing file fails the test.
fn facts() -> Option<serde_json::Value> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/reference/asterinas-facts.json");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).expect("the facts file is JSON")),
        Err(error) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI needs {}: {error}",
                path.display()
            );
            None
        }
    }
}

#[test]
fn the_book_table_matches_the_upstream_facts() {
    let Some(facts) = facts() else { return };
    let table = facts["syscalls"]["table"]
        .as_array()
        .expect("syscall table");
    let book: Vec<_> = kernel()
        .syscalls()
        .iter()
        .filter(|s| s.listed_in_book)
        .collect();
    assert_eq!(book.len(), table.len(), "one row per book row");
    for fact in table {
        let name = fact["name"].as_str().expect("name");
        let row = kernel()
            .syscall(name)
            .unwrap_or_else(|| panic!("book row {name} is missing"));
        assert!(row.listed_in_book, "{name}");
        assert_eq!(
            row.numbers.x86_64.map(u64::from),
            fact["number"].as_u64(),
            "{name}"
        );
        // The code wins where the facts record that it disagrees with the book; the row
        // must then say so.
        if fact.get("code_disagrees").is_some() {
            assert!(
                row.note.as_deref().is_some_and(|n| n.contains("book")),
                "{name} must explain its disagreement with the book"
            );
        } else {
            assert_eq!(Some(row.supported), fact["supported"].as_bool(), "{name}");
        }
    }
}

#[test]
fn params_match_the_upstream_facts() {
    let Some(facts) = facts() else { return };
    let documented = facts["kernel_parameters"]["documented"]
        .as_array()
        .expect("documented params");
    for fact in documented {
        let name = fact["name"].as_str().expect("name").replace('-', "_");
        let row = kernel()
            .param(&name)
            .unwrap_or_else(|| panic!("documented param {name} is missing"));
        assert!(row.documented, "{name}");
    }
    let counted = kernel().params().iter().filter(|p| p.documented).count();
    assert_eq!(counted, documented.len());
    let ignored = kernel()
        .params()
        .iter()
        .filter(|p| p.status == ParamStatus::AcceptedIgnored)
        .count();
    assert_eq!(
        Some(ignored as u64),
        facts["_counts"]["kernel_parameters_recognized_unimplemented"].as_u64()
    );
}

#[test]
fn syscall_rows_are_consistent() {
    for syscall in kernel().syscalls() {
        let name = &syscall.name;
        assert_eq!(
            syscall.supported,
            syscall.coverage != Coverage::None,
            "{name}"
        );
        assert!(
            syscall.coverage_doc.is_none() || syscall.coverage == Coverage::Partial,
            "{name}: only partial rows link a coverage page"
        );
        assert!(
            syscall.coverage != Coverage::Partial
                || syscall.coverage_doc.is_some()
                || !syscall.gaps.is_empty(),
            "{name}: a partial row links a coverage page or lists its gaps"
        );
        assert!(
            syscall.numbers.generic.is_none() || syscall.supported,
            "{name}: the generic table dispatches only implemented calls"
        );
        assert!(
            syscall.gaps.is_empty() || syscall.coverage == Coverage::Partial,
            "{name}"
        );
        assert!(
            syscall.gaps.iter().all(|gap| !gap.items.is_empty()),
            "{name}"
        );
        assert!(
            syscall.number(Arch::X86_64).is_some(),
            "{name} has an x86_64 number"
        );
    }
    let seccomp = kernel()
        .syscall("seccomp")
        .expect("absent number 317 is catalogued");
    assert!(!seccomp.supported && !seccomp.listed_in_book);
    assert_eq!(seccomp.number(Arch::X86_64), Some(317));
}

#[test]
fn only_x86_64_has_the_distro_and_aarch64_has_no_kernel() {
    let k = kernel();
    for arch in Arch::ALL {
        let facts = k.architecture_of(arch);
        assert_eq!(facts.distro_supported, arch == Arch::X86_64, "{arch}");
        assert_eq!(
            facts.rust_target.is_none(),
            facts.tier == Tier::Unsupported,
            "{arch}"
        );
    }
    assert_eq!(k.architecture_of(Arch::X86_64).tier, Tier::Tier1);
}

#[test]
fn params_and_features_only_name_kernel_architectures() {
    let k = kernel();
    let kernel_arches: Vec<Arch> = Arch::ALL
        .into_iter()
        .filter(|arch| k.architecture_of(*arch).tier != Tier::Unsupported)
        .collect();
    for param in k.params() {
        assert!(!param.arches.is_empty(), "{}", param.name);
        assert!(
            param.arches.iter().all(|a| kernel_arches.contains(a)),
            "{}",
            param.name
        );
        assert!(
            !param.name.contains('-'),
            "registered names never contain '-'"
        );
    }
    for feature in k.features() {
        assert!(
            feature.arches.iter().all(|a| kernel_arches.contains(a)),
            "{}",
            feature.name
        );
    }
}

#[test]
fn param_grammars_match_their_kinds() {
    for param in kernel().params() {
        let grammar_ok = match param.kind {
            ParamKind::Flag => matches!(
                param.value,
                ValueGrammar::None | ValueGrammar::Boolean | ValueGrammar::Free
            ),
            ParamKind::Boolean => param.value == ValueGrammar::Boolean,
            ParamKind::KeyValue | ParamKind::RepeatableKeyValue => {
                !matches!(param.value, ValueGrammar::None | ValueGrammar::Boolean)
            }
        };
        assert!(
            grammar_ok,
            "{}: {:?} with {:?}",
            param.name, param.kind, param.value
        );
    }
}

#[test]
fn root_filesystem_facts_agree_across_tables() {
    let k = kernel();
    let root_capable: Vec<&str> = k
        .filesystems()
        .iter()
        .filter(|f| f.can_be_root)
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(root_capable, ["ext2"]);
    let rootfstype = k.param("rootfstype").expect("catalogued");
    assert_eq!(rootfstype.value, ValueGrammar::ListOf(vec!["ext2".into()]));
    let console = k.param("console").expect("catalogued");
    assert_eq!(console.value.valid_words(), ["tty0", "ttyS0", "hvc0"]);
    let loglevel = k.param("loglevel").expect("the distro emits loglevel=");
    assert!(loglevel.early);
}

#[test]
fn namespace_and_capability_tables_agree() {
    let k = kernel();
    let supported: Vec<&str> = k
        .namespaces()
        .iter()
        .filter(|n| n.supported)
        .map(|n| n.name.as_str())
        .collect();
    assert_eq!(supported, ["mount", "uts", "ipc", "cgroup"]);
    for namespace in k.namespaces() {
        let id = format!("{}-namespace", namespace.name);
        let capability = k
            .capability(&id)
            .unwrap_or_else(|| panic!("no capability {id}"));
        assert_eq!(
            capability.support.is_available(),
            namespace.supported,
            "{id}"
        );
    }
    // overlayfs is registered upstream, so the capability says supported.
    let overlay = k.filesystem("overlay").expect("catalogued by mount type");
    assert_eq!(overlay.status, FsStatus::Mountable);
    assert_eq!(
        k.capability("overlayfs").map(|c| c.support),
        Some(Support::Supported)
    );
}

#[test]
fn capabilities_are_well_formed() {
    let k = kernel();
    for capability in k.capabilities() {
        let id = &capability.id;
        assert!(
            id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !id.starts_with('-')
                && !id.ends_with('-'),
            "`{id}` is not kebab-case"
        );
        assert!(
            !capability.reason.is_empty() && !capability.title.is_empty(),
            "{id}"
        );
        for name in &capability.syscalls {
            assert!(
                k.syscall(name).is_some(),
                "{id} names unknown syscall {name}"
            );
        }
    }
    let required = [
        "seccomp",
        "bpf",
        "io-uring",
        "sysv-shm",
        "sysv-msg",
        "posix-mq",
        "ipv6",
        "packet-sockets",
        "kvm",
        "pid-namespace",
        "net-namespace",
        "user-namespace",
        "time-namespace",
        "mount-propagation",
        "overlayfs",
        "kernel-modules",
        "coredump",
        "userfaultfd",
        "landlock",
        "fanotify",
        "perf-events",
        "inotify",
        "cgroup-v2",
        "mount-namespace",
        "af-unix",
        "af-inet",
        "vsock",
        "ext2-root",
        "tmpfs",
        "framebuffer",
    ];
    for id in required {
        assert!(k.capability(id).is_some(), "missing capability {id}");
    }
    for support in [Support::Supported, Support::Partial, Support::Unsupported] {
        assert!(
            k.capabilities().iter().any(|c| c.support == support),
            "{support:?} unused"
        );
    }
}

#[test]
fn syscalls_have_numbers_per_dispatch_table() {
    let k = kernel();
    let number = |name: &str, arch: Arch| k.syscall(name).and_then(|s| s.number(arch));
    // Linux's x86_64 and asm-generic numbers, as upstream's two dispatch tables use them.
    assert_eq!(number("read", Arch::X86_64), Some(0));
    assert_eq!(number("read", Arch::Riscv64), Some(63));
    assert_eq!(number("openat", Arch::Loongarch64), Some(56));
    assert_eq!(number("umount2", Arch::Riscv64), Some(39));
    // Legacy calls have no generic number; aarch64 has no kernel port.
    assert_eq!(number("open", Arch::Riscv64), None);
    assert_eq!(number("fork", Arch::Loongarch64), None);
    assert_eq!(number("read", Arch::Aarch64), None);
    assert!(
        k.syscalls()
            .iter()
            .filter(|s| s.numbers.generic.is_some())
            .count()
            > 200
    );
    let hit = k.search("openat")[0];
    assert!(
        hit.entry
            .status()
            .contains("257 on x86_64, 56 on riscv64 and loongarch64"),
        "{}",
        hit.entry.status()
    );
}

#[test]
fn personality_follows_the_code_not_the_book() {
    // kernel/core/src/syscall/personality.rs implements it and both dispatch tables route it;
    // the book's table still says unsupported.
    let personality = kernel().syscall("personality").expect("catalogued");
    assert!(personality.supported);
    assert_eq!(personality.number(Arch::X86_64), Some(135));
    assert_eq!(personality.number(Arch::Riscv64), Some(92));
    assert!(
        personality
            .note
            .as_deref()
            .is_some_and(|n| n.contains("book"))
    );
    assert_eq!(personality.source, "kernel/core/src/syscall/personality.rs");
}

#[test]
fn pipefs_and_sockfs_are_internal_only() {
    // Their create() returns EINVAL (kernel/core/src/fs/fs_impls/pseudofs/{pipefs,sockfs}.rs).
    for name in ["pipefs", "sockfs"] {
        let fs = kernel().filesystem(name).expect("catalogued");
        assert_eq!(fs.status, FsStatus::Internal, "{name}");
        assert_eq!(fs.fs_type, None, "{name} cannot be mounted by name");
        assert!(fs.source.ends_with(&format!("pseudofs/{name}.rs")));
    }
}

#[test]
fn missing_disk_filesystems_cite_the_code() {
    for name in ["ext4", "xfs", "btrfs"] {
        let fs = kernel().filesystem(name).expect("catalogued");
        assert_eq!(fs.status, FsStatus::Unsupported, "{name}");
        assert!(
            fs.source.starts_with("kernel/core/src/fs/fs_impls/"),
            "{name} cites {}",
            fs.source
        );
    }
}
