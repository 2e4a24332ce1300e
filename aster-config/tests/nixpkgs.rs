//! Package existence against a nixpkgs: a small package-set fixture evaluated by the real
//! `nix-instantiate`, with "did you mean" from its real attribute names and a per-revision cache.

mod common;

use aster_compiler::PackageLookup as Outcome;
use aster_compiler::{Code, Input, Options, PackageIndex, check_with};
use aster_nixpkgs::{Lookup, Nixpkgs};
use common::root;

fn run(spec: &str, cache: &std::path::Path) -> aster_compiler::Checked {
    let index = Nixpkgs::new(
        Lookup::Path(root().join("tests/fixtures/nixpkgs")),
        Some(cache.to_path_buf()),
    )
    .expect("a lookup that is not off");
    check_with(
        Input {
            name: "spec.toml",
            bytes: spec.as_bytes(),
            base_dir: None,
        },
        &Options {
            packages: Some(&index as &dyn PackageIndex),
            ..Options::default()
        },
    )
}

#[test]
fn unknown_packages_get_real_suggestions_and_the_list_is_cached() {
    let cache = tempfile::tempdir().expect("temp dir");
    let spec = "[packages]\ninstall = [\"git\", \"vmi\", \"xfce.mousepd\", \"xfce.thunar\", \"hello-asterinas\", \"nope.thing\"]\n";
    let first = run(spec, cache.path());
    let Outcome::Checked { cached, .. } = &first.package_lookup else {
        panic!("lookup did not run: {:?}", first.package_lookup)
    };
    assert!(!cached, "the first lookup evaluates nixpkgs");
    let unknown: Vec<(String, Option<String>)> = first
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::UnknownPackage)
        .map(|d| {
            (
                d.message.clone(),
                d.suggestion.as_ref().map(|s| s.replacement.clone()),
            )
        })
        .collect();
    assert_eq!(
        unknown,
        vec![
            (
                "there is no package `vmi` in nixpkgs".to_owned(),
                Some("\"vim\"".to_owned())
            ),
            (
                "there is no package `xfce.mousepd` in nixpkgs".to_owned(),
                Some("\"xfce.mousepad\"".to_owned())
            ),
            (
                "there is no package `nope.thing` in nixpkgs".to_owned(),
                None
            ),
        ]
    );
    // A package that does not exist gets no extra "untested" warning.
    assert!(
        !first
            .diagnostics
            .iter()
            .any(|d| d.code == Code::UntestedPackage && d.message.contains("`vmi`"))
    );
    let second = run(spec, cache.path());
    assert!(
        matches!(second.package_lookup, Outcome::Checked { cached: true, .. }),
        "{:?}",
        second.package_lookup
    );
    assert_eq!(first.diagnostics, second.diagnostics);
    // A nixpkgs path that is not one is reported, not fatal.
    let missing = Nixpkgs::new(Lookup::Path(cache.path().join("missing")), None)
        .expect("a lookup that is not off");
    let options = Options {
        packages: Some(&missing as &dyn PackageIndex),
        ..Options::default()
    };
    let skipped = check_with(
        Input {
            name: "s.toml",
            bytes: spec.as_bytes(),
            base_dir: None,
        },
        &options,
    );
    assert!(matches!(skipped.package_lookup, Outcome::Skipped(_)));
}
