//! The embedded catalog loads, matches the upstream fact counts, and is internally consistent.

use std::collections::HashSet;

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

#[test]
fn counts_match_the_upstream_facts() {
    let k = kernel();
    assert_eq!(k.architectures().len(), 4);
    assert_eq!(k.features().len(), 3);

    let params = k.params();
    assert_eq!(params.iter().filter(|p| p.documented).count(), 13);
    let undocumented_implemented = params
        .iter()
        .filter(|p| !p.documented && p.status == ParamStatus::Implemented)
        .count();
    assert_eq!(undocumented_implemented, 2);
    let ignored = params
        .iter()
        .filter(|p| p.status == ParamStatus::AcceptedIgnored)
        .count();
    assert_eq!(ignored, 11);
    assert_eq!(params.len(), 26);

    let book: Vec<_> = k.syscalls().iter().filter(|s| s.listed_in_book).collect();
    assert_eq!(book.len(), 335);
    assert_eq!(book.iter().filter(|s| s.supported).count(), 243);
    assert_eq!(
        book.iter().filter(|s| s.coverage == Coverage::Full).count(),
        166
    );
    assert_eq!(
        book.iter()
            .filter(|s| s.coverage == Coverage::Partial)
            .count(),
        77
    );
    assert_eq!(
        book.iter().filter(|s| s.coverage == Coverage::None).count(),
        92
    );
    // 29 x86_64 numbers the book skips, plus listmount (in the code, not in the book).
    assert_eq!(k.syscalls().len(), 335 + 29 + 1);

    let known = k
        .filesystems()
        .iter()
        .filter(|f| f.status != FsStatus::Unsupported)
        .count();
    assert_eq!(known, 15);
    assert_eq!(k.namespaces().len(), 8);
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
        assert_eq!(
            syscall.coverage == Coverage::Partial,
            syscall.coverage_doc.is_some(),
            "{name}: only partial rows link a coverage page"
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
