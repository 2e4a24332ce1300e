//! Reading a fleet file: TOML with spans → [`Fleet`], every problem reported at once.
//!
//! The reader walks the `toml_edit` document by hand (the format is small), so unknown keys point
//! at the key, wrong types at the value, and a missing key at its table; the spec files the fleet
//! names are read and parsed here too, into layers (see [`crate::layer`]). A large fleet file is
//! parsed in pieces of hosts, each dropped once read ([`crate::pieces`]).

use crate::layer::{self, At, Node, Origin};
use crate::model::{
    Defaults, DeploySettings, FLEET_VERSION, Fleet, FleetFile, HealthCheck, Host, HostPlaces,
    PinPlaces, Pins,
};
use crate::report::{Files, FleetDiagnostic, Report};
use crate::{paths, pieces, validate};
use aster_compiler::{Code, Diagnostic};
use std::ops::Range;
use std::path::Path;
use toml_edit::{Item, TableLike};

/// Largest fleet or layer file read (64 MiB: a fleet of 10,000 hosts is about 2 MiB).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Where the fleet is: the fleet file as the user named it, and its folder.
#[derive(Debug, Clone)]
pub struct Location {
    /// The fleet file, as given (relative to the working directory when it was given so).
    pub file: std::path::PathBuf,
    /// The folder holding it; spec files, modules and the lock are found from here.
    pub dir: std::path::PathBuf,
}

impl Location {
    /// The location of the fleet file at `path`.
    pub fn of(path: &Path) -> Self {
        let file = paths::shown(path);
        let dir = match file.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        };
        Self { file, dir }
    }

    /// `name` (relative to the fleet's folder) as shown to the user.
    pub fn shown(&self, name: &str) -> String {
        paths::display(&self.dir.join(name))
    }
}

/// Reads a text file, capped; `None` with a reason when it cannot be read.
pub fn read_text(path: &Path) -> Result<String, String> {
    use aster_compiler::{Capped, FileAt, read_capped};
    match read_capped(FileAt(path), MAX_FILE_BYTES) {
        Ok(Capped::Whole(bytes)) => String::from_utf8(bytes)
            .map(|t| t.strip_prefix('\u{feff}').map(str::to_owned).unwrap_or(t))
            .map_err(|_| "it is not UTF-8 text".to_owned()),
        Ok(Capped::TooLarge(_)) => Err(format!("it is larger than {MAX_FILE_BYTES} bytes")),
        Err(e) => Err(e.to_string()),
    }
}

/// Reads the fleet file and every spec file it names.
pub fn read(location: &Location, files: &mut Files, report: &mut Report) -> Option<Fleet> {
    let shown = paths::display(&location.file);
    let text = match read_text(&location.file) {
        Ok(text) => text,
        Err(reason) => {
            report.push(FleetDiagnostic::general(
                Diagnostic::new(
                    Code::FleetMissingSpec,
                    format!("cannot read the fleet file {shown}: {reason}"),
                )
                .help("pass the path of a fleet file (see docs/src/fleets.md)"),
            ));
            return None;
        }
    };
    read_from(location, &text, files, report)
}

/// Reads a fleet file whose text is at hand (an editor's unsaved buffer) and every spec file it
/// names (from disk, relative to the fleet's folder).
pub fn read_from(
    location: &Location,
    text: &str,
    files: &mut Files,
    report: &mut Report,
) -> Option<Fleet> {
    let file = files.add(paths::display(&location.file), text.to_owned());
    read_in_pieces(location, file, text, pieces::PIECE_BYTES, files, report)
        .unwrap_or_else(|Unsplittable| read_whole(location, file, text, files, report))
}

/// Reads fleet file `file` (whose text is `text`) a piece of about `piece_bytes` bytes of hosts
/// at a time; [`Unsplittable`], having reported nothing, when it has no pieces or they do not
/// read like the whole file (see [`crate::pieces`]).
pub(crate) fn read_in_pieces(
    location: &Location,
    file: usize,
    text: &str,
    piece_bytes: usize,
    files: &mut Files,
    report: &mut Report,
) -> Result<Option<Fleet>, Unsplittable> {
    let (preamble, hosts) = pieces::split(text, piece_bytes);
    if hosts.is_empty() {
        return Err(Unsplittable);
    }
    // What the attempt reports and which spec files it reads are kept only if it succeeds.
    let files_before = files.len();
    let mut attempt = Report::default();
    let read = match toml_edit::Document::parse(&text[preamble]) {
        Ok(document) if !document.contains_key("host") => {
            Reader::new(location, file, text, files, &mut attempt)
                .fleet(document.as_table(), &hosts)
        }
        _ => Err(Unsplittable),
    };
    if read.is_err() {
        files.truncate(files_before);
    } else {
        for diagnostic in attempt.diagnostics {
            report.push(diagnostic);
        }
    }
    read
}

/// Reads fleet file `file` (whose text is `text`) parsed as one document.
pub(crate) fn read_whole(
    location: &Location,
    file: usize,
    text: &str,
    files: &mut Files,
    report: &mut Report,
) -> Option<Fleet> {
    let document = parse(file, text, files, report)?;
    // Without pieces there is nothing to read differently.
    Reader::new(location, file, text, files, report)
        .fleet(document.as_table(), &[])
        .ok()
        .flatten()
}

/// Parses TOML text of file `file`, reporting a syntax error the way the compiler does.
fn parse<'t>(
    file: usize,
    text: &'t str,
    files: &Files,
    report: &mut Report,
) -> Option<toml_edit::Document<&'t str>> {
    if let Ok(document) = toml_edit::Document::parse(text) {
        Some(document)
    } else {
        let checked = aster_compiler::check(aster_compiler::Input {
            name: &files.get(file).name,
            bytes: text.as_bytes(),
            base_dir: None,
        });
        for diagnostic in &checked.diagnostics {
            if diagnostic.code.phase() == aster_compiler::diagnostic::Phase::Read {
                report.push(FleetDiagnostic::in_file(file, diagnostic.clone()));
            }
        }
        None
    }
}

/// A fleet file to read whole: it has no pieces, or they read differently from the whole file.
#[derive(Debug)]
pub(crate) struct Unsplittable;

struct Reader<'a> {
    file: usize,
    /// The fleet file's text.
    text: &'a str,
    /// Where the piece being read starts in `text`: `toml_edit` spans start at the piece.
    offset: usize,
    report: &'a mut Report,
    location: &'a Location,
    files: &'a mut Files,
    /// Each spec file named so far, by the name written: its layer (`None` when it does not
    /// parse) or why it cannot be read. Many hosts share a role file; it is read once.
    specs: std::collections::HashMap<String, Result<Option<layer::Table>, String>>,
}

const ROOT_KEYS: &[&str] = &[
    "fleet-version",
    "description",
    "pins",
    "defaults",
    "deploy",
    "host",
];
const PIN_KEYS: &[&str] = &["nixpkgs", "colmena"];
const DEFAULT_KEYS: &[&str] = &["spec", "settings"];
const DEPLOY_KEYS: &[&str] = &["rollback-timeout"];
const HOST_KEYS: &[&str] = &[
    "name", "spec", "settings", "target", "port", "tags", "append", "health",
];
const HEALTH_KEYS: &[&str] = &["name", "command"];

impl<'a> Reader<'a> {
    fn new(
        location: &'a Location,
        file: usize,
        text: &'a str,
        files: &'a mut Files,
        report: &'a mut Report,
    ) -> Self {
        Reader {
            file,
            text,
            offset: 0,
            report,
            location,
            files,
            specs: std::collections::HashMap::new(),
        }
    }

    /// A span `toml_edit` gave in the piece being read, as a span of the fleet file.
    fn span(&self, span: Option<Range<usize>>) -> Option<Range<usize>> {
        span.map(|span| span.start + self.offset..span.end + self.offset)
    }

    /// A span of the fleet file, as a place.
    fn at(&self, span: Option<Range<usize>>) -> Option<At> {
        span.map(|span| At {
            file: self.file,
            span,
        })
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        self.report
            .push(FleetDiagnostic::in_file(self.file, diagnostic));
    }

    /// Reads the fleet from its `root` table (the whole file, or the preamble) and the pieces of
    /// `hosts` still to parse.
    fn fleet(
        &mut self,
        root: &toml_edit::Table,
        hosts: &[Range<usize>],
    ) -> Result<Option<Fleet>, Unsplittable> {
        self.unknown_keys(root, ROOT_KEYS, "the fleet file");
        let version = self.integer(root, "fleet-version", None, true);
        if let Some((version, span)) = version
            && version != FLEET_VERSION
        {
            self.push(
                Diagnostic::new(
                    Code::UnsupportedSpecVersion,
                    format!("fleet-version {version} is not known to this aster-config"),
                )
                .at(span.clone(), "unknown version")
                .suggest(span, FLEET_VERSION.to_string()),
            );
        }
        let description = self
            .string(root, "description", None, false)
            .map(|(s, _)| s);
        let (pins, pin_at) = self.pins(root);
        let (defaults, default_layers) = self.defaults(root);
        let deploy = self.deploy(root);
        let (hosts, places) = self.hosts(root, hosts)?;
        let Some(pins) = pins else {
            return Ok(None);
        };
        Ok(Some(Fleet {
            file: self.file,
            value: FleetFile {
                fleet_version: FLEET_VERSION,
                description,
                pins,
                defaults,
                deploy,
                host: hosts,
            },
            pin_at,
            defaults: default_layers,
            hosts: places,
        }))
    }

    fn pins(&mut self, root: &toml_edit::Table) -> (Option<Pins>, PinPlaces) {
        let Some(table) = self.table(root, "pins", true) else {
            return (None, PinPlaces::default());
        };
        self.unknown_keys(table, PIN_KEYS, "[pins]");
        let mut places = PinPlaces::default();
        let pin = |reader: &mut Self, key: &str, required: bool| {
            let pins = reader.span(Some(root_span(root, "pins")));
            let (url, span) = reader.string(table, key, pins, required)?;
            if let Some(problem) = validate::pin_problem(&url) {
                reader.push(
                    Diagnostic::new(Code::FleetInvalidPin, format!("`pins.{key}` {problem}"))
                        .at(span.clone(), "not a tarball URL Nix can fetch")
                        .help("use an https:// (or file://) URL of a .tar.gz tarball, e.g. https://github.com/NixOS/nixpkgs/archive/c0bebd16e69e631ac6e52d6eb439daba28ac50cd.tar.gz"),
                );
            }
            Some((url, reader.at(span)))
        };
        let nixpkgs = pin(self, "nixpkgs", true);
        let colmena = pin(self, "colmena", false);
        places.nixpkgs = nixpkgs.as_ref().and_then(|(_, at)| at.clone());
        places.colmena = colmena.as_ref().and_then(|(_, at)| at.clone());
        (
            nixpkgs.map(|(nixpkgs, _)| Pins {
                nixpkgs,
                colmena: colmena.map(|(url, _)| url),
            }),
            places,
        )
    }

    fn defaults(&mut self, root: &toml_edit::Table) -> (Defaults, Vec<layer::Table>) {
        let Some(table) = self.table(root, "defaults", false) else {
            return (Defaults::default(), Vec::new());
        };
        self.unknown_keys(table, DEFAULT_KEYS, "[defaults]");
        let mut layers = Vec::new();
        let spec = self.spec_layer(table, &mut layers);
        let settings = self.settings_layer(table, &mut layers);
        (Defaults { spec, settings }, layers)
    }

    fn deploy(&mut self, root: &toml_edit::Table) -> DeploySettings {
        let mut settings = DeploySettings::default();
        let Some(table) = self.table(root, "deploy", false) else {
            return settings;
        };
        self.unknown_keys(table, DEPLOY_KEYS, "[deploy]");
        if let Some((seconds, span)) = self.integer(table, "rollback-timeout", None, false) {
            match u32::try_from(seconds) {
                Ok(s) if (10..=86_400).contains(&s) => settings.rollback_timeout = s,
                _ => self.push(
                    Diagnostic::new(
                        Code::OutOfRange,
                        format!("`deploy.rollback-timeout` is {seconds}; it must be between 10 and 86400 seconds"),
                    )
                    .at(span, "out of range"),
                ),
            }
        }
        settings
    }

    /// The hosts of `root`, then those of each piece of `pieces`.
    fn hosts(
        &mut self,
        root: &toml_edit::Table,
        pieces: &[Range<usize>],
    ) -> Result<(Vec<Host>, Vec<HostPlaces>), Unsplittable> {
        let mut hosts = Vec::new();
        let mut places = Vec::new();
        let mut tables = self.host_tables(root, &mut hosts, &mut places);
        for piece in pieces {
            let document =
                toml_edit::Document::parse(&self.text[piece.clone()]).map_err(|_| Unsplittable)?;
            if document.len() != 1 || !document.contains_array_of_tables("host") {
                return Err(Unsplittable);
            }
            self.offset = piece.start;
            tables += self.host_tables(&document, &mut hosts, &mut places);
            self.offset = 0;
        }
        if tables == 0 {
            self.push(
                Diagnostic::new(Code::FleetNoHosts, "the fleet has no hosts")
                    .help("add a `[[host]]` table with a `name` for each machine"),
            );
        }
        Ok((hosts, places))
    }

    /// Reads the `host` tables of `root` into `hosts` and `places`; returns how many there were.
    fn host_tables(
        &mut self,
        root: &toml_edit::Table,
        hosts: &mut Vec<Host>,
        places: &mut Vec<HostPlaces>,
    ) -> usize {
        let tables: Vec<&dyn TableLike> = match root.get("host") {
            None => Vec::new(),
            Some(Item::ArrayOfTables(array)) => array.iter().map(|t| t as &dyn TableLike).collect(),
            Some(Item::Value(toml_edit::Value::Array(array))) => array
                .iter()
                .filter_map(|v| v.as_inline_table().map(|t| t as &dyn TableLike))
                .collect(),
            Some(other) => {
                self.push(
                    Diagnostic::new(
                        Code::WrongType,
                        "`host` must be a list of `[[host]]` tables",
                    )
                    .at(self.span(other.span()), "not a list of tables")
                    .help("write each host as a `[[host]]` table with a `name`"),
                );
                Vec::new()
            }
        };
        let count = tables.len();
        for table in tables {
            if let Some((host, place)) = self.host(table) {
                hosts.push(host);
                places.push(place);
            }
        }
        count
    }

    fn host(&mut self, table: &dyn TableLike) -> Option<(Host, HostPlaces)> {
        self.unknown_keys(table, HOST_KEYS, "[[host]]");
        let header = self.span(table_span(table));
        let (name, name_span) = self.string(table, "name", header, true)?;
        let target = self.string(table, "target", None, false);
        let port = self
            .integer(table, "port", None, false)
            .and_then(|(port, span)| {
                let ok = u16::try_from(port).ok().filter(|p| *p > 0);
                if ok.is_none() {
                    self.push(
                        Diagnostic::new(
                            Code::OutOfRange,
                            format!("port {port} is not a TCP port (1–65535)"),
                        )
                        .at(span, "out of range"),
                    );
                }
                ok
            });
        let tags = self.string_list(table, "tags");
        let append = self.string_list(table, "append");
        let health = self.health(table);
        let mut layers = Vec::new();
        let spec = self.spec_layer(table, &mut layers);
        let settings = self.settings_layer(table, &mut layers);
        let place = HostPlaces {
            name: self.at(name_span),
            target: target.as_ref().and_then(|(_, s)| self.at(s.clone())),
            tags: tags.iter().map(|(_, s)| self.at(s.clone())).collect(),
            append: append.iter().map(|(_, s)| self.at(s.clone())).collect(),
            layers,
        };
        Some((
            Host {
                name,
                spec,
                settings,
                target: target.map(|(t, _)| t),
                port,
                tags: tags.into_iter().map(|(t, _)| t).collect(),
                append: append.into_iter().map(|(t, _)| t).collect(),
                health,
            },
            place,
        ))
    }

    fn health(&mut self, table: &dyn TableLike) -> Vec<HealthCheck> {
        let items: Vec<&dyn TableLike> = match table.get("health") {
            None => return Vec::new(),
            Some(Item::ArrayOfTables(array)) => array.iter().map(|t| t as &dyn TableLike).collect(),
            Some(Item::Value(toml_edit::Value::Array(array))) => array
                .iter()
                .filter_map(|v| v.as_inline_table().map(|t| t as &dyn TableLike))
                .collect(),
            Some(other) => {
                self.push(
                    Diagnostic::new(
                        Code::WrongType,
                        "`health` must be a list of `[[host.health]]` tables",
                    )
                    .at(self.span(other.span()), "not a list of tables"),
                );
                return Vec::new();
            }
        };
        let mut checks = Vec::new();
        for item in items {
            self.unknown_keys(item, HEALTH_KEYS, "[[host.health]]");
            let header = self.span(table_span(item));
            let name = self.string(item, "name", header.clone(), true);
            let command = self.string(item, "command", header, true);
            let (Some((name, name_span)), Some((command, command_span))) = (name, command) else {
                continue;
            };
            if let Some((problem, span)) =
                validate::health_problem(&name, &command).map(|(p, is_name)| {
                    (
                        p,
                        if is_name {
                            name_span.clone()
                        } else {
                            command_span.clone()
                        },
                    )
                })
            {
                self.push(
                    Diagnostic::new(Code::FleetInvalidHealthCheck, problem)
                        .at(span, "cannot be run as written")
                        .help("write one shell command on one line, e.g. `curl -fsS http://localhost/`"),
                );
                continue;
            }
            checks.push(HealthCheck { name, command });
        }
        checks
    }

    /// Reads the `spec` file named in `table`, as a layer.
    fn spec_layer(
        &mut self,
        table: &dyn TableLike,
        layers: &mut Vec<layer::Table>,
    ) -> Option<String> {
        let (name, span) = self.string(table, "spec", None, false)?;
        let here = self.at(span.clone());
        if !self.specs.contains_key(&name) {
            let loaded = self.load_spec(&name);
            self.specs.insert(name.clone(), loaded);
        }
        match &self.specs[&name] {
            Ok(table) => layers.extend(table.clone()),
            Err(reason) => {
                let spec = paths::display(&self.location.dir.join(&name));
                let diagnostic = Diagnostic::new(
                    Code::FleetMissingSpec,
                    format!("cannot read the spec file {spec}: {reason}"),
                )
                .at(here.map(|a| a.span), "this file")
                .help("name a spec file inside the fleet's folder, relative to the fleet file");
                self.push(diagnostic);
            }
        }
        Some(name)
    }

    /// Reads and parses the spec file `name` (relative to the fleet's folder) into a layer whose
    /// file references start from the fleet's folder; `Ok(None)` when it does not parse (the
    /// syntax errors are reported here).
    fn load_spec(&mut self, name: &str) -> Result<Option<layer::Table>, String> {
        if !paths::inside(name) {
            return Err("it is not a relative path inside the fleet file's folder".to_owned());
        }
        let path = self.location.dir.join(name);
        let text = read_text(&path)?;
        let file = self.files.add(paths::display(&path), text);
        let text = &self.files.get(file).text;
        let Some(document) = parse(file, text, self.files, self.report) else {
            return Ok(None);
        };
        let mut table = layer::from_toml(document.as_table(), Origin::whole(file, text));
        let folder = Path::new(name).parent().unwrap_or(Path::new(""));
        paths::rebase_references(&mut table, folder);
        Ok(Some(table))
    }

    /// Reads the inline `settings` of `table`, as a layer.
    fn settings_layer(
        &mut self,
        table: &dyn TableLike,
        layers: &mut Vec<layer::Table>,
    ) -> Option<serde_json::Map<String, serde_json::Value>> {
        let (key, item) = table.get_key_value("settings")?;
        // Borrowed, not copied: a fleet of 10,000 hosts is megabytes of text, and a copy per
        // host made reading it quadratic.
        let origin = Origin {
            file: self.file,
            text: self.text,
            offset: self.offset,
        };
        let node = match item {
            Item::Table(t) => Some(Node::Table(layer::from_toml(t, origin))),
            Item::Value(v @ toml_edit::Value::InlineTable(_)) => Some(layer::from_value(v, origin)),
            _ => None,
        };
        let Some(Node::Table(settings)) = node else {
            self.push(
                Diagnostic::new(Code::WrongType, "`settings` must be a table of spec keys")
                    .at(self.span(item.span().or(key.span())), "not a table"),
            );
            return None;
        };
        layers.push(settings);
        Some(serde_json::Map::new())
    }

    fn unknown_keys(&mut self, table: &dyn TableLike, known: &[&str], what: &str) {
        for (key, _) in table.iter() {
            if known.contains(&key) {
                continue;
            }
            let span = self.span(table.get_key_value(key).and_then(|(k, _)| k.span()));
            let mut diagnostic = Diagnostic::new(
                Code::UnknownKey,
                format!("unknown key `{}` in {what}", key.escape_debug()),
            )
            .at(span.clone(), "not a key of the fleet file");
            if let Some(best) = validate::closest(key, known) {
                diagnostic = diagnostic.suggest(span, best);
            } else {
                diagnostic =
                    diagnostic.help(format!("the keys of {what} are: {}", known.join(", ")));
            }
            self.push(diagnostic);
        }
    }

    fn table<'t>(
        &mut self,
        root: &'t toml_edit::Table,
        key: &str,
        required: bool,
    ) -> Option<&'t dyn TableLike> {
        match root.get(key) {
            None => {
                if required {
                    self.push(
                        Diagnostic::new(
                            Code::MissingKey,
                            format!("the fleet file has no `[{key}]` table"),
                        )
                        .help(format!("add `[{key}]`; see docs/src/fleets.md")),
                    );
                }
                None
            }
            Some(item) => item.as_table_like().or_else(|| {
                self.push(
                    Diagnostic::new(Code::WrongType, format!("`{key}` must be a table"))
                        .at(self.span(item.span()), "not a table"),
                );
                None
            }),
        }
    }

    fn string(
        &mut self,
        table: &dyn TableLike,
        key: &str,
        table_span: Option<Range<usize>>,
        required: bool,
    ) -> Option<(String, Option<Range<usize>>)> {
        let get = |item: &toml_edit::Item| item.as_str().map(str::to_owned);
        self.scalar(table, key, table_span, required, ("a string", get), None)
    }

    fn integer(
        &mut self,
        table: &dyn TableLike,
        key: &str,
        table_span: Option<Range<usize>>,
        required: bool,
    ) -> Option<(i64, Option<Range<usize>>)> {
        let help = format!("add `{key} = 1` at the top of the file");
        let get = toml_edit::Item::as_integer;
        self.scalar(
            table,
            key,
            table_span,
            required,
            ("an integer", get),
            Some(help),
        )
    }

    /// The value of `key` read with `kind`'s getter, and where it is. A missing key is reported
    /// when `required` (with `help`, if any), a value of another type always, as not `kind`'s noun.
    fn scalar<T>(
        &mut self,
        table: &dyn TableLike,
        key: &str,
        table_span: Option<Range<usize>>,
        required: bool,
        (noun, get): (&str, impl Fn(&toml_edit::Item) -> Option<T>),
        help: Option<String>,
    ) -> Option<(T, Option<Range<usize>>)> {
        let Some(item) = table.get(key) else {
            if required {
                let mut missing = Diagnostic::new(Code::MissingKey, format!("`{key}` is missing"))
                    .at(table_span, format!("needs `{key}`"));
                if let Some(help) = help {
                    missing = missing.help(help);
                }
                self.push(missing);
            }
            return None;
        };
        if let Some(value) = get(item) {
            return Some((value, self.span(item.span())));
        }
        self.push(
            Diagnostic::new(Code::WrongType, format!("`{key}` must be {noun}"))
                .at(self.span(item.span()), format!("not {noun}")),
        );
        None
    }

    fn string_list(
        &mut self,
        table: &dyn TableLike,
        key: &str,
    ) -> Vec<(String, Option<Range<usize>>)> {
        let Some(item) = table.get(key) else {
            return Vec::new();
        };
        let Some(array) = item.as_array() else {
            self.push(
                Diagnostic::new(
                    Code::WrongType,
                    format!("`{key}` must be a list of strings"),
                )
                .at(self.span(item.span()), "not a list"),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for value in array {
            match value.as_str() {
                Some(text) => out.push((text.to_owned(), self.span(value.span()))),
                None => self.push(
                    Diagnostic::new(
                        Code::WrongType,
                        format!("every item of `{key}` must be a string"),
                    )
                    .at(self.span(value.span()), "not a string"),
                ),
            }
        }
        out
    }
}

fn root_span(root: &toml_edit::Table, key: &str) -> Range<usize> {
    root.get_key_value(key)
        .and_then(|(k, _)| k.span())
        .unwrap_or(0..0)
}

/// Where a table is, as far as `toml_edit` says: its first key (for "missing key" labels).
fn table_span(table: &dyn TableLike) -> Option<Range<usize>> {
    let (first, _) = table.iter().next()?;
    table.get_key_value(first).and_then(|(k, _)| k.span())
}
