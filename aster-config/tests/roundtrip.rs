//! Round trip through the real Nix: what a spec says is what Nix sees, byte for byte.
//!
//! Proptest generates specs whose free-text places hold arbitrary text — `${`, `''`, `\`, `"`,
//! `$${`, line breaks, tabs, control characters, non-ASCII, empty strings, NUL — and arbitrary
//! raw `[nixos]` values: nested tables with arbitrary keys, arrays, every `i64`, every `f64`, and
//! text of several lines, which the printer writes as indented strings (`''…''`).
//! The places are the ones where the spec accepts free text and the compiler writes it into Nix:
//! `[nixos]` option paths (bare and quoted names) and their values, a user's `description`,
//! `hashed-password` and SSH key comment, `kernel.image`, `kernel.stage-2-hook`, `kernel.params`,
//! interface names (which become attribute names), an nginx site's `root`, and an override's
//! `version` (which goes to an overlay file). A second test does the same for the paths of copied
//! patches and modules with awkward file names.
//!
//! Each spec is written with `toml_edit` (so the TOML escaping is right), compiled with
//! [`aster_compiler::build`], and the output files are written to a temporary folder. One
//! `nix-instantiate --eval --strict --json` call then evaluates every case at once and prints
//! what Nix sees at each of those places.
//!
//! A small model says, per field, what the compiler must do: emit the value so that Nix sees
//! exactly it, or refuse the spec with a named code (`AC0311` for what Nix cannot hold, `AC0320`
//! for a line break where one line is needed, `AC0206` for a malformed value, `AC0309` for two
//! `[nixos]` entries that set the same option). Kernel parameters are judged by the kernel's own
//! command-line model, so for them a refusal with `AC0407`/`AC0408` is also accepted. A panic, an
//! `AC0001`, an outcome the model did not predict, or any difference in what Nix sees fails the
//! test, which then shrinks the case (one Nix call per step) and prints its TOML.
//!
//! Floats are compared exactly: Nix prints only six digits in JSON, so the evaluation splits each
//! float into sign, 53-bit mantissa and exponent with exact doublings and halvings, and the test
//! does the same to the expected `f64`. `-0.0` is compared as `0.0`: Nix has no literal for it.
//! Attribute sets are compared as sorted name/value lists, so names such as `outPath` or
//! `__toString` (which change how Nix prints a set) compare like any other name.
//!
//! `ASTER_ROUNDTRIP_CASES` sets the number of cases (default 500) and `ASTER_ROUNDTRIP_SEED` the
//! seed (a fixed default, so a failure reproduces).

mod common;
#[path = "roundtrip/model.rs"]
mod model;

use model::{Case, Expected, PLACES};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use serde_json::{Value as Json, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Instant;

/// A generated case that can still be shrunk.
type Tree = Box<dyn ValueTree<Value = Case>>;

/// The Nix side: stubs for the module arguments, the exact float split, and the places read.
const PLACES_NIX: &str = r#"
let
  lib = { optional = c: x: if c then [ x ] else [ ]; };
  pkgs = { };
  prev = { hello = { overrideAttrs = f: f { }; }; };
  two52 = 4503599627370496.0;
  two53 = 9007199254740992.0;
  up = x: e: if x >= two52 then { inherit x e; } else up (x * 2.0) (e - 1);
  down = x: e: if x < two53 then { inherit x e; } else down (x / 2.0) (e + 1);
  decompose = f:
    let
      a = if f < 0 then 0.0 - f else f;
      n = if a < two52 then up a 0 else down a 0;
    in if f == 0 then [ 1 0 0 ] else [ (if f < 0 then (-1) else 1) (builtins.floor n.x) n.e ];
  exact = v:
    if builtins.isFloat v then { f = decompose v; }
    else if builtins.isList v then { l = map exact v; }
    else if builtins.isAttrs v then { a = map (n: [ n (exact v.${n}) ]) (builtins.attrNames v); }
    else v;
  places = file: overlay:
    let m = import file { config = { }; inherit lib pkgs; }; in
    map exact [
      (removeAttrs m [ "imports" "networking" "users" "aster_nixos" "nixpkgs" "system" "services" ])
      (m.users.users.u.description or null)
      (m.users.users.u.hashedPassword or null)
      (m.aster_nixos.kernel or null)
      (m.aster_nixos.stage-2-hook or null)
      (m.aster_nixos.kernel-params or null)
      (if overlay == null then null else ((import overlay) { } prev).hello.version)
      (m.users.users.u.openssh.authorizedKeys.keys or null)
      (m.services.nginx.virtualHosts."example.org".root or null)
    ];
in
"#;

/// What compiling a case gave.
enum Compiled {
    /// Built; the files are written under the case's folder.
    Built { overlay: bool },
    /// Refused with these error codes.
    Refused(BTreeSet<String>),
}

/// Compiles `case` and writes its output under `dir`, or says what is wrong with the compiler.
fn compile(case: &Case, dir: &Path) -> Result<Compiled, String> {
    let toml = case.toml();
    let built = std::panic::catch_unwind(|| {
        aster_compiler::build(aster_compiler::Input {
            name: "case.toml",
            bytes: toml.as_bytes(),
            base_dir: None,
        })
    })
    .map_err(|_| "the compiler panicked".to_owned())?;
    let diagnostics = &built.checked.diagnostics;
    if let Some(internal) = diagnostics.iter().find(|d| d.code.as_str() == "AC0001") {
        return Err(format!("internal error: {}", internal.message));
    }
    let Some(output) = built.output else {
        let codes: BTreeSet<String> = diagnostics
            .iter()
            .filter(|d| d.severity == aster_compiler::Severity::Error)
            .map(|d| d.code.as_str().to_owned())
            .collect();
        if codes.is_empty() {
            return Err("no output and no error".to_owned());
        }
        return Ok(Compiled::Refused(codes));
    };
    for (relative, bytes) in output.files() {
        let path = dir.join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create case folder");
        std::fs::write(&path, bytes).expect("write output file");
    }
    Ok(Compiled::Built {
        overlay: output.files().contains_key("overlays/v.nix"),
    })
}

/// Judges a refusal against the model.
fn judge_refusal(expected: &Expected, codes: &BTreeSet<String>) -> Result<(), String> {
    let missing: Vec<&&str> = expected
        .refuse
        .iter()
        .filter(|c| !codes.contains(**c))
        .collect();
    let unexpected: Vec<&String> = codes
        .iter()
        .filter(|c| {
            !expected.refuse.contains(c.as_str()) && !expected.tolerated.contains(c.as_str())
        })
        .collect();
    if missing.is_empty() && unexpected.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "refused with {codes:?}; expected {:?} (tolerated {:?})",
            expected.refuse, expected.tolerated
        ))
    }
}

/// Evaluates the built cases (index, overlay?) under `root` in one Nix call.
fn evaluate(root: &Path, cases: &[(usize, bool)]) -> Result<Vec<Json>, String> {
    let mut nix = String::from(PLACES_NIX);
    nix.push_str("[\n");
    for (index, overlay) in cases {
        let overlay = if *overlay {
            format!("./c{index}/overlays/v.nix")
        } else {
            "null".to_owned()
        };
        nix.push_str(&format!(
            "  (places ./c{index}/configuration.nix {overlay})\n"
        ));
    }
    nix.push_str("]\n");
    let wrapper = root.join(format!("eval-{}.nix", cases.first().map_or(0, |c| c.0)));
    std::fs::write(&wrapper, nix).expect("write the evaluation");
    let stdout =
        common::try_nix_instantiate("dummy://", &[&"--eval", &"--strict", &"--json", &wrapper])?;
    let values: Vec<Json> =
        serde_json::from_str(&stdout).map_err(|e| format!("Nix printed bad JSON: {e}"))?;
    if values.len() != cases.len() {
        return Err(format!("{} values for {} cases", values.len(), cases.len()));
    }
    Ok(values)
}

/// Compares what Nix saw with the model.
fn judge_values(expected: &Expected, seen: &Json) -> Result<(), String> {
    let seen = seen.as_array().ok_or("not a list")?;
    for ((place, want), got) in PLACES.iter().zip(&expected.places).zip(seen) {
        if want != got {
            return Err(format!("{place}: Nix sees {got}, the spec says {want}"));
        }
    }
    Ok(())
}

/// Runs one case alone from start to end; `Err` says how it fails.
fn run_one(case: &Case) -> Result<(), String> {
    let scratch = tempfile::tempdir().expect("temp dir");
    let expected = case.expected();
    match compile(case, &scratch.path().join("c0"))? {
        Compiled::Refused(codes) => judge_refusal(&expected, &codes),
        Compiled::Built { overlay } => {
            if !expected.refuse.is_empty() {
                return Err(format!(
                    "accepted, but expected a refusal with {:?}",
                    expected.refuse
                ));
            }
            let values = evaluate(scratch.path(), &[(0, overlay)])?;
            judge_values(&expected, &values[0])
        }
    }
}

/// Shrinks a failing case with proptest's simplification, one full run per step.
fn shrink(mut tree: Tree, first_failure: String) -> (Case, String) {
    // The same loop as proptest's own runner: simplify while it fails, complicate when it passes.
    let mut smallest = (tree.current(), first_failure);
    if !tree.simplify() {
        return smallest;
    }
    for _ in 0..2000 {
        match run_one(&tree.current()) {
            Err(failure) => {
                smallest = (tree.current(), failure);
                if !tree.simplify() {
                    break;
                }
            }
            Ok(()) => {
                if !tree.complicate() {
                    break;
                }
            }
        }
    }
    smallest
}

/// Counts for the closing report.
#[derive(Default)]
struct Tally {
    built: usize,
    refused: BTreeMap<String, usize>,
    tolerated: usize,
    places_seen: Vec<usize>,
}

#[allow(clippy::print_stderr)] // the figures are the point of the long mode; `--nocapture` shows them
fn report(cases: usize, tally: &Tally, started: Instant, nix_time: std::time::Duration) {
    eprintln!(
        "round trip: {cases} cases in {:.1?} (Nix {:.1?}): {} built and evaluated, {} refused as the model predicted, {} refused by the kernel parameter check",
        started.elapsed(),
        nix_time,
        tally.built,
        cases - tally.built - tally.tolerated,
        tally.tolerated,
    );
    eprintln!("  refusals by code: {:?}", tally.refused);
    for (place, count) in PLACES.iter().zip(&tally.places_seen) {
        eprintln!("  {place}: {count} values compared");
    }
}

#[test]
fn values_reach_nix_unchanged_or_are_refused_with_a_code() {
    let count: usize = std::env::var("ASTER_ROUNDTRIP_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(500);
    let seed: u64 = std::env::var("ASTER_ROUNDTRIP_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0x00a5_7e12_0c0f_1600);
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    );
    let strategy = model::case_with_lines();
    let started = Instant::now();
    let scratch = tempfile::tempdir().expect("temp dir");
    let mut tally = Tally {
        places_seen: vec![0; PLACES.len()],
        ..Tally::default()
    };
    let mut nix_time = std::time::Duration::ZERO;
    let mut pending: Vec<(usize, Tree, Expected, bool)> = Vec::new();
    let mut failure: Option<(Tree, String)> = None;
    for index in 0..count {
        let tree = strategy.new_tree(&mut runner).expect("generate a case");
        let case = tree.current();
        let expected = case.expected();
        let outcome =
            compile(&case, &scratch.path().join(format!("c{index}"))).and_then(|compiled| {
                match compiled {
                    Compiled::Refused(codes) => {
                        judge_refusal(&expected, &codes)?;
                        if expected.refuse.is_empty() {
                            tally.tolerated += 1;
                        }
                        for code in codes {
                            *tally.refused.entry(code).or_default() += 1;
                        }
                        Ok(None)
                    }
                    Compiled::Built { overlay } if expected.refuse.is_empty() => Ok(Some(overlay)),
                    Compiled::Built { .. } => Err(format!(
                        "accepted, but expected a refusal with {:?}",
                        expected.refuse
                    )),
                }
            });
        match outcome {
            Ok(Some(overlay)) => pending.push((index, tree, expected, overlay)),
            Ok(None) => {}
            Err(why) => {
                failure = Some((tree, why));
                break;
            }
        }
        if failure.is_none() && (pending.len() == 1000 || index + 1 == count) {
            let batch: Vec<(usize, bool)> = pending.iter().map(|p| (p.0, p.3)).collect();
            let evaluated = Instant::now();
            let values = evaluate(scratch.path(), &batch);
            nix_time += evaluated.elapsed();
            for (position, (_, tree, expected, _)) in pending.drain(..).enumerate() {
                let verdict = match &values {
                    Ok(values) => judge_values(&expected, &values[position]),
                    Err(_) => run_one(&tree.current()),
                };
                if let Err(why) = verdict {
                    failure = Some((tree, why));
                    break;
                }
                tally.built += 1;
                for (seen, place) in tally.places_seen.iter_mut().zip(&expected.places) {
                    *seen += usize::from(!place.is_null() && *place != json!({ "a": [] }));
                }
            }
            if failure.is_some() {
                break;
            }
        }
    }
    if let Some((tree, why)) = failure {
        let original = tree.current().toml();
        let (smallest, smallest_why) = shrink(tree, why.clone());
        panic!(
            "round trip failed: {why}\noriginal case:\n{original}\n\nshrunk case ({smallest_why}):\n{}\n{smallest:?}",
            smallest.toml()
        );
    }
    report(count, &tally, started, nix_time);
    assert!(
        tally.built * 3 >= count,
        "only {} of {count} cases were built; the generator refuses too much to test the round trip",
        tally.built
    );
    for (place, seen) in PLACES.iter().zip(&tally.places_seen) {
        assert!(*seen > 0, "no built case wrote {place}");
    }
}

/// File names that are awkward in Nix paths: spaces, `${`, quotes, backslashes, a line break,
/// dots only, a leading dash, non-ASCII.
const AWKWARD_NAMES: &[&str] = &[
    "plain",
    "a b",
    "${x}",
    "q\"uote",
    "back\\slash",
    "new\nline",
    "''",
    "$",
    "a#b",
    "-dash",
    "...",
    "é日本",
    "tab\there",
    "a+b",
    "x${",
    "''${y}",
];

#[test]
fn copied_files_are_the_files_nix_reads() {
    // Patches and modules with awkward names are copied into the output; the overlay and the
    // imports must name exactly those copies, whatever the printer had to do to quote the path.
    let scratch = tempfile::tempdir().expect("temp dir");
    let spec_dir = scratch.path().join("spec");
    std::fs::create_dir_all(spec_dir.join("p")).unwrap();
    let mut doc = toml_edit::DocumentMut::new();
    let mut patches = toml_edit::Array::new();
    let mut modules = toml_edit::Array::new();
    let mut expected_patches = Vec::new();
    let mut expected_modules = Vec::new();
    for (index, name) in AWKWARD_NAMES.iter().enumerate() {
        let patch = format!("p/{name}.patch");
        let module = format!("{name}.nix");
        let patch_text = format!("patch {index}\n");
        let module_text = format!("{{ }} # module {index}\n");
        std::fs::write(spec_dir.join(&patch), &patch_text).unwrap();
        std::fs::write(spec_dir.join(&module), &module_text).unwrap();
        patches.push(patch);
        modules.push(module);
        expected_patches.push(patch_text);
        expected_modules.push(module_text);
    }
    doc["overrides"]["hello"]["attr"] = toml_edit::value("hello");
    doc["overrides"]["hello"]["patches"] = toml_edit::value(patches);
    doc["imports"]["modules"] = toml_edit::value(modules);
    let text = doc.to_string();
    let built = aster_compiler::build(aster_compiler::Input {
        name: "files.toml",
        bytes: text.as_bytes(),
        base_dir: Some(&spec_dir),
    });
    let output = built
        .output
        .unwrap_or_else(|| panic!("refused: {:?}", built.checked.diagnostics));
    let out = scratch.path().join("out");
    aster_compiler::output::write(&output, &out).expect("write");
    let nix = r"
let
  m = import ./configuration.nix { config = { }; lib = { optional = c: x: if c then [ x ] else [ ]; }; pkgs = { }; };
  prev = { hello = { overrideAttrs = f: f { }; }; };
  overlay = (import ./overlays/hello.nix) { } prev;
in [ (map builtins.readFile overlay.hello.patches) (map builtins.readFile (builtins.tail m.imports)) ]
";
    std::fs::write(out.join("eval.nix"), nix).unwrap();
    let stdout = common::nix_instantiate(
        "dummy://",
        &[&"--eval", &"--strict", &"--json", &out.join("eval.nix")],
    );
    let seen: Json = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(seen, json!([expected_patches, expected_modules]));
}
