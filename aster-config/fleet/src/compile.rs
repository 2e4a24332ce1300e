//! Compiling every host: its layers merged ([`crate::layer`]), the merged spec compiled by
//! `aster-compiler`, and each diagnostic moved back to the file that set the value.
//!
//! Before that, the fleet-level checks: host names, duplicates and deploy targets.
//!
//! A host's output files and its merged spec are only kept when the caller wants them
//! ([`Wanted`]); `fleet build` instead hands each host's files to a [`HostWriter`] as soon as the
//! host compiled, so memory does not grow with the size of every host's output.

use crate::layer::{self, At, Node, SourceMap};
use crate::model::Fleet;
use crate::read::Location;
use crate::report::{Files, FleetDiagnostic, Report};
use crate::validate;
use crate::write::HostWriter;
use aster_compiler::diagnostic::Label;
use aster_compiler::{Code, Diagnostic, OutputTree};
use std::collections::BTreeMap;

/// One host, compiled.
#[derive(Debug, Clone)]
pub struct HostBuild {
    /// The host's name.
    pub name: String,
    /// Its output (`configuration.nix` and the files it refers to), when [`Wanted::outputs`].
    pub output: Option<OutputTree>,
    /// Its nixpkgs system, e.g. `x86_64-linux`.
    pub system: String,
    /// The merged spec as JSON (for `fleet plan`'s summary of changes), when [`Wanted::specs`].
    pub spec: Option<serde_json::Value>,
}

/// What a caller keeps of each compiled host, besides its diagnostics, name and system.
#[derive(Debug, Clone, Copy)]
pub struct Wanted {
    /// Its output files, in memory (`fleet apply` writes them once the deploy is confirmed).
    pub outputs: bool,
    /// Its merged spec as JSON (`fleet plan` and `fleet apply` summarise changes with it).
    pub specs: bool,
}

impl Wanted {
    /// Nothing but the diagnostics (`fleet check`, the language server).
    pub const NOTHING: Self = Self {
        outputs: false,
        specs: false,
    };
    /// The merged specs, for summaries (`fleet plan`).
    pub const SPECS: Self = Self {
        outputs: false,
        specs: true,
    };
    /// Everything.
    pub const EVERYTHING: Self = Self {
        outputs: true,
        specs: true,
    };
}

/// Checks the fleet's own values: host names, duplicates and targets.
pub fn check_fleet(fleet: &Fleet, report: &mut Report) {
    let mut seen: BTreeMap<&str, Option<&At>> = BTreeMap::new();
    for (host, place) in fleet.value.host.iter().zip(&fleet.hosts) {
        let name_span = place.name.as_ref().map(|a| a.span.clone());
        if let Some(problem) = validate::host_name_problem(&host.name) {
            let mut diagnostic = Diagnostic::new(Code::FleetInvalidHostName, problem)
                .at(name_span.clone(), "not usable as a host name");
            if let Some(fixed) = validate::host_name_fix(&host.name) {
                diagnostic = diagnostic.suggest(name_span.clone(), format!("\"{fixed}\""));
            }
            report.push(FleetDiagnostic::in_file(fleet.file, diagnostic));
        }
        if let Some(first) = seen.get(host.name.as_str()) {
            report.push(FleetDiagnostic::in_file(
                fleet.file,
                Diagnostic::new(
                    Code::FleetDuplicateHost,
                    format!("two hosts are named `{}`", host.name.escape_debug()),
                )
                .at(name_span.clone(), "second host with this name")
                .also(first.map(|a| a.span.clone()), "first one")
                .help("give every host its own name"),
            ));
        } else {
            seen.insert(&host.name, place.name.as_ref());
        }
        if let Some(target) = &host.target
            && let Err(problem) = validate::destination(target)
        {
            report.push(FleetDiagnostic::in_file(
                fleet.file,
                Diagnostic::new(
                    Code::FleetInvalidTarget,
                    format!("host `{}`: {problem}", host.name.escape_debug()),
                )
                .at(
                    place.target.as_ref().map(|a| a.span.clone()),
                    "not an SSH destination",
                )
                .help("write `host` or `user@host`, and the port as `port = N`"),
            ));
        }
    }
}

/// Merges one host's layers: the defaults, then its own, with its `append` paths.
pub fn merge(fleet: &Fleet, index: usize) -> layer::Table {
    let host = &fleet.value.host[index];
    let place = &fleet.hosts[index];
    let append = |path: &str| host.append.iter().any(|a| a == path);
    let mut merged = layer::Table::default();
    for layer in fleet.defaults.iter().chain(&place.layers) {
        layer::overlay(&mut merged, layer.clone(), &append);
    }
    if merged.find(&["system", "hostname"]).is_none() {
        let hostname = layer::Table {
            entries: vec![layer::Entry {
                key: "hostname".into(),
                key_at: place.name.clone(),
                node: Node::Scalar(layer::string_text(&host.name), place.name.clone()),
            }],
        };
        let system = layer::Table {
            entries: vec![layer::Entry {
                key: "system".into(),
                key_at: place.name.clone(),
                node: Node::Table(hostname),
            }],
        };
        layer::overlay(&mut merged, system, &|_| false);
    }
    merged
}

/// Compiles every host whose name is usable; diagnostics go to `report`, each in its file. With a
/// `writer`, each host's files are written as soon as it compiled.
///
/// Hosts are independent, so they are compiled on every core at once (a fleet of 10,000 hosts is
/// the case to plan for); the diagnostics and builds come back in the fleet file's order.
pub fn compile(
    fleet: &Fleet,
    location: &Location,
    files: &Files,
    options: &aster_compiler::Options<'_>,
    wanted: Wanted,
    writer: Option<&HostWriter<'_>>,
    report: &mut Report,
) -> Vec<HostBuild> {
    let label = files
        .get(fleet.file)
        .name
        .rsplit('/')
        .next()
        .unwrap_or("fleet.toml")
        .to_owned();
    let hosts: Vec<usize> = (0..fleet.value.host.len())
        .filter(|&index| validate::host_name_problem(&fleet.value.host[index].name).is_none())
        .collect();
    let workers = std::thread::available_parallelism()
        .map_or(1, std::num::NonZeroUsize::get)
        .clamp(1, hosts.len().max(1));
    let per_worker = hosts.len().div_ceil(workers).max(1);
    let host = Host {
        fleet,
        location,
        files,
        options,
        label: &label,
        wanted,
        writer,
    };
    let host = &host;
    let results: Vec<(Vec<FleetDiagnostic>, Option<HostBuild>)> = std::thread::scope(|scope| {
        let workers: Vec<_> = hosts
            .chunks(per_worker)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|&index| host.compile(index))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut builds = Vec::new();
    for (diagnostics, build) in results {
        for diagnostic in diagnostics {
            report.push(diagnostic);
        }
        builds.extend(build);
    }
    builds
}

/// What compiling one host needs, shared by the workers.
struct Host<'a> {
    fleet: &'a Fleet,
    location: &'a Location,
    files: &'a Files,
    options: &'a aster_compiler::Options<'a>,
    label: &'a str,
    wanted: Wanted,
    writer: Option<&'a HostWriter<'a>>,
}

impl Host<'_> {
    /// One host: its layers merged, its `append` paths checked, its spec compiled, its files
    /// handed to the writer.
    fn compile(&self, index: usize) -> (Vec<FleetDiagnostic>, Option<HostBuild>) {
        let fleet = self.fleet;
        let host = &fleet.value.host[index];
        let merged = merge(fleet, index);
        let mut diagnostics = append_problems(fleet, index, &merged);
        let (text, map) = layer::write(&merged);
        drop(merged);
        let name = format!("{} (host {})", self.label, host.name);
        let built = aster_compiler::build_with(
            aster_compiler::Input {
                name: &name,
                bytes: text.as_bytes(),
                base_dir: Some(&self.location.dir),
            },
            self.options,
        );
        for diagnostic in &built.checked.diagnostics {
            diagnostics.push(place(diagnostic, &map, self.files, &host.name));
        }
        if let Some(writer) = self.writer {
            let failed = diagnostics.iter().any(FleetDiagnostic::is_error);
            match &built.output {
                Some(output) if !failed => writer.host(&host.name, output),
                _ => writer.stop(),
            }
        }
        let spec = built.checked.spec.as_ref();
        let host_build = built.output.map(|output| HostBuild {
            name: host.name.clone(),
            output: self.wanted.outputs.then_some(output),
            system: spec.map_or_else(
                || "x86_64-linux".to_owned(),
                |spec| format!("{}-linux", spec.system.architecture),
            ),
            spec: spec
                .filter(|_| self.wanted.specs)
                .and_then(|s| serde_json::to_value(s).ok()),
        });
        (diagnostics, host_build)
    }
}

/// The host's `append` paths that do not name a list of its merged spec.
fn append_problems(fleet: &Fleet, index: usize, merged: &layer::Table) -> Vec<FleetDiagnostic> {
    let host = &fleet.value.host[index];
    let mut diagnostics = Vec::new();
    for (path, at) in host.append.iter().zip(append_places(fleet, index)) {
        let segments: Vec<&str> = path.split('.').collect();
        if !matches!(merged.find(&segments), Some(Node::Array(..))) {
            diagnostics.push(FleetDiagnostic {
                file: Some(fleet.file),
                hosts: vec![host.name.clone()],
                diagnostic: Diagnostic::new(
                    Code::FleetInvalidAppend,
                    format!(
                        "`{}` is not a list in host `{}`'s spec",
                        path.escape_debug(),
                        host.name
                    ),
                )
                .at(at, "no list here")
                .help("name the dotted path of a list the layers set, e.g. `packages.install`"),
            });
        }
    }
    diagnostics
}

fn append_places(fleet: &Fleet, index: usize) -> Vec<Option<std::ops::Range<usize>>> {
    let place = &fleet.hosts[index];
    let count = fleet.value.host[index].append.len();
    (0..count)
        .map(|i| place.append.get(i).cloned().flatten().map(|a| a.span))
        .collect()
}

/// Moves a diagnostic on the merged text of `host` into the file its primary label points at.
/// Labels in other files become lines of the help, with their file, line and column.
fn place(diagnostic: &Diagnostic, map: &SourceMap, files: &Files, host: &str) -> FleetDiagnostic {
    let primary = diagnostic
        .labels
        .iter()
        .find(|l| l.primary)
        .or(diagnostic.labels.first());
    let file = primary.and_then(|l| map.locate(&l.span)).map(|a| a.file);
    let mut out = diagnostic.clone();
    out.labels.clear();
    let mut elsewhere = Vec::new();
    for label in &diagnostic.labels {
        match map.locate(&label.span) {
            Some(at) if Some(at.file) == file => out.labels.push(Label {
                span: at.span,
                text: label.text.clone(),
                primary: label.primary,
            }),
            Some(at) => {
                let (line, column) = files.line_column(at.file, at.span.start);
                elsewhere.push(format!(
                    "{}:{line}:{column}: {}",
                    files.get(at.file).name,
                    label.text
                ));
            }
            None => {}
        }
    }
    out.suggestion = diagnostic.suggestion.as_ref().and_then(|s| {
        let at = map.locate(&s.span)?;
        (Some(at.file) == file).then(|| aster_compiler::diagnostic::Suggestion {
            span: at.span,
            replacement: s.replacement.clone(),
        })
    });
    if !elsewhere.is_empty() {
        let notes = elsewhere.join("\n");
        out.help = Some(match out.help {
            Some(help) => format!("{help}\nsee also {notes}"),
            None => format!("see also {notes}"),
        });
    }
    FleetDiagnostic {
        file,
        hosts: vec![host.to_owned()],
        diagnostic: out,
    }
}
