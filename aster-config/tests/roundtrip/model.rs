//! The generator and the model of the round-trip test: arbitrary specs, and what the compiler
//! must do with each (emit what Nix then sees, or refuse with which codes).

use proptest::prelude::*;
use serde_json::{Value as Json, json};
use std::collections::{BTreeMap, BTreeSet};
use toml_edit::{Array, DocumentMut, InlineTable, Item, value};

const UNREPRESENTABLE: &str = "AC0311";
const MULTI_LINE: &str = "AC0320";
const BAD_FORMAT: &str = "AC0206";
const CONFLICT: &str = "AC0309";
const KERNEL_PARAM: &[&str] = &["AC0407", "AC0408"];

/// Text that has a meaning somewhere: in Nix strings, attribute names, TOML or `/etc/passwd`.
const TRICKY: &[&str] = &[
    "${",
    "''",
    "\\",
    "\"",
    "$${",
    "$",
    "{",
    "}",
    "\n",
    "\t",
    "\r",
    "\r\n",
    "''$",
    "''\\",
    "'''",
    "\\${",
    "\\\\",
    "$\\",
    "${x}",
    "''${",
    "#",
    "/*",
    "*/",
    " ",
    ".",
    ":",
    "=",
    "é",
    "日本",
    "🦀",
    "\u{2028}",
    "\u{feff}",
    "\u{85}",
    "\u{a0}",
    "\u{7f}",
    "\u{10ffff}",
];

/// Floats at the edges: zeros, the limits, subnormals, infinities and NaN.
const EDGE_FLOATS: &[f64] = &[
    0.0,
    -0.0,
    0.1,
    1.0,
    -1.5,
    1e16,
    1e-7,
    1e300,
    -1e-300,
    f64::MAX,
    f64::MIN,
    f64::MIN_POSITIVE,
    f64::EPSILON,
    5e-324,
    -5e-324,
    2.225_073_858_507_201e-308,
    f64::INFINITY,
    f64::NEG_INFINITY,
    f64::NAN,
];

/// The places the evaluation reads, in order (see `PLACES_NIX`).
pub const PLACES: &[&str] = &[
    "[nixos] (all top-level names the spec's sections leave alone)",
    "users.u.description",
    "users.u.hashed-password",
    "kernel.image",
    "kernel.stage-2-hook",
    "kernel.params",
    "overrides.v.version",
    "users.u.ssh-keys",
    "services.nginx.sites.\"example.org\".root",
];

/// The type and body of the SSH key whose comment is free text.
const SSH_KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBx1fTRhY2tlZEV4YW1wbGVLZXlGb3JEb2Nz";

/// A raw `[nixos]` value.
#[derive(Debug, Clone)]
pub enum Raw {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    List(Vec<Raw>),
    Table(BTreeMap<String, Raw>),
}

/// One generated spec: each field is free text in one place of the spec.
#[derive(Debug, Clone)]
pub struct Case {
    /// `[nixos]` entries: the option path's names and the value. The first name is `rt` (written
    /// bare) or arbitrary text that is not a plain identifier, so it can never name a real
    /// option or a module keyword; the names are written as `path_name` decides.
    nixos: Vec<(Vec<String>, Raw)>,
    description: Option<String>,
    /// Written after a `$`, as a crypt(3) hash starts.
    hashed_password: Option<String>,
    /// Written after a `/`: the image path must be absolute.
    image: Option<String>,
    /// Set together with `init = "shell"`.
    hook: Option<String>,
    interface: Option<String>,
    version: Option<String>,
    params: Vec<String>,
    /// The comment of an SSH key, after a fixed type and body.
    ssh_comment: Option<String>,
    /// Written after a `/`, as the root of an nginx site.
    nginx_root: Option<String>,
}

pub fn text(max_pieces: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        600 => prop::sample::select(TRICKY).prop_map(str::to_owned),
        300 => any::<char>().prop_map(String::from),
        300 => "[a-zA-Z0-9_.-]{1,5}",
        100 => prop::char::range('\u{1}', '\u{1f}').prop_map(String::from),
        3 => Just("\0".to_owned()),
    ];
    prop::collection::vec(piece, 0..max_pieces).prop_map(|pieces| pieces.concat())
}

/// Text of several lines that the printer writes as an indented string (`''…''`): no control
/// characters but line breaks and tabs, lines that start or end with spaces, empty lines, and
/// the sequences that form's escaping handles (`''`, `${`, a `'` before the closing quotes).
pub fn multi_line_text() -> impl Strategy<Value = String> {
    let plain = TRICKY
        .iter()
        .copied()
        .filter(|t| !t.chars().any(|c| c.is_control() && c != '\t'))
        .collect::<Vec<_>>();
    let piece = prop_oneof![
        3 => prop::sample::select(plain).prop_map(str::to_owned),
        2 => "[a-z ]{1,6}",
        1 => prop::sample::select(vec!["'", "  ", "\t", "$", "'${", "''${", "''\\"])
            .prop_map(str::to_owned),
    ];
    let line = prop::collection::vec(piece, 0..5).prop_map(|pieces| pieces.concat());
    prop::collection::vec(line, 2..5).prop_map(|lines| lines.join("\n"))
}

pub fn float() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => proptest::num::f64::ANY,
        2 => -1.0e6..1.0e6f64,
        2 => prop::sample::select(EDGE_FLOATS),
    ]
}

pub fn raw() -> impl Strategy<Value = Raw> {
    let leaf = prop_oneof![
        4 => text(6).prop_map(Raw::Str),
        2 => prop_oneof![Just(i64::MIN), Just(i64::MAX), Just(0), Just(-1), any::<i64>()]
            .prop_map(Raw::Int),
        2 => float().prop_map(Raw::Float),
        1 => any::<bool>().prop_map(Raw::Bool),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Raw::List),
            prop::collection::btree_map(text(4), inner, 0..4).prop_map(Raw::Table),
        ]
    })
}

pub fn case() -> BoxedStrategy<Case> {
    let first = prop_oneof![
        Just("rt".to_owned()),
        text(3).prop_filter("a plain identifier could name a real option", |name| {
            !name.chars().all(|c| c.is_ascii_alphabetic() || c == '_') || name.is_empty()
        }),
    ];
    let names = (first, prop::collection::vec(text(4), 0..3))
        .prop_map(|(first, rest)| std::iter::once(first).chain(rest).collect::<Vec<_>>());
    let nixos = prop::collection::vec((names, raw()), 0..3);
    let sometimes = |strategy: BoxedStrategy<String>| prop::option::weighted(0.25, strategy);
    // `security=` takes any text in the kernel's parameter model; other names mostly do not.
    let param = prop_oneof![
        text(4),
        text(3).prop_map(|value| format!("security={value}")),
    ];
    (
        nixos,
        prop::option::weighted(0.05, Just(())),
        sometimes(text(8).boxed()),
        sometimes(text(8).boxed()),
        sometimes(text(8).boxed()),
        sometimes(text(8).boxed()),
        sometimes(text(3).boxed()),
        sometimes(text(6).boxed()),
        prop::option::weighted(0.15, prop::collection::vec(param, 1..3)),
        sometimes(text(6).boxed()),
        sometimes(text(4).boxed()),
    )
        .prop_map(
            |(
                mut nixos,
                overlap,
                description,
                hashed_password,
                image,
                hook,
                interface,
                version,
                params,
                ssh_comment,
                nginx_root,
            )| {
                let mut seen = BTreeSet::new();
                nixos.retain(|(names, _)| seen.insert(names.clone()));
                if let (Some(()), Some((names, _))) = (overlap, nixos.first()) {
                    let mut deeper = names.clone();
                    deeper.push("deeper".to_owned());
                    nixos.push((deeper, Raw::Int(1)));
                }
                Case {
                    nixos,
                    description,
                    hashed_password,
                    image,
                    hook,
                    interface,
                    version,
                    params: params.unwrap_or_default(),
                    ssh_comment,
                    nginx_root,
                }
            },
        )
        .boxed()
}

/// [`case`] with one more `[nixos]` entry, `rt.lines`, whose value is text of several lines, so
/// every case also exercises indented strings. (A separate strategy, so the cases `case` draws
/// for other tests stay as they were.)
pub fn case_with_lines() -> BoxedStrategy<Case> {
    (case(), multi_line_text())
        .prop_map(|(mut case, lines)| {
            let names = vec!["rt".to_owned(), "lines".to_owned()];
            if !case.nixos.iter().any(|(n, _)| *n == names) {
                case.nixos.push((names, Raw::Str(lines)));
            }
            case
        })
        .boxed()
}

impl Raw {
    fn toml(&self) -> toml_edit::Value {
        match self {
            Raw::Str(s) => s.clone().into(),
            Raw::Int(i) => (*i).into(),
            Raw::Float(f) => (*f).into(),
            Raw::Bool(b) => (*b).into(),
            Raw::List(items) => items.iter().map(Raw::toml).collect::<Array>().into(),
            Raw::Table(entries) => entries
                .iter()
                .map(|(k, v)| (k.clone(), v.toml()))
                .collect::<InlineTable>()
                .into(),
        }
    }

    fn strings(&self) -> Vec<&str> {
        match self {
            Raw::Str(s) => vec![s],
            Raw::List(items) => items.iter().flat_map(Raw::strings).collect(),
            Raw::Table(entries) => entries
                .iter()
                .flat_map(|(k, v)| std::iter::once(k.as_str()).chain(v.strings()))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn floats(&self) -> Vec<f64> {
        match self {
            Raw::Float(f) => vec![*f],
            Raw::List(items) => items.iter().flat_map(Raw::floats).collect(),
            Raw::Table(entries) => entries.values().flat_map(Raw::floats).collect(),
            _ => Vec::new(),
        }
    }

    /// The value as the evaluation prints it after `exact` (see `PLACES_NIX`).
    fn exact(&self) -> Json {
        match self {
            Raw::Str(s) => json!(s),
            Raw::Int(i) => json!(i),
            Raw::Float(f) => json!({ "f": decompose(*f) }),
            Raw::Bool(b) => json!(b),
            Raw::List(items) => json!({ "l": items.iter().map(Raw::exact).collect::<Vec<_>>() }),
            Raw::Table(entries) => attrs(entries.iter().map(|(k, v)| (k.clone(), v.exact()))),
        }
    }
}

/// A float as `[sign, mantissa, exponent]` with `mantissa` in [2^52, 2^53), as the evaluation
/// computes it; zero is `[1, 0, 0]`. Only normal floats reach Nix.
pub fn decompose(f: f64) -> Json {
    if f == 0.0 {
        return json!([1, 0, 0]);
    }
    let bits = f.to_bits();
    let exponent = i64::try_from((bits >> 52) & 0x7ff).expect("11 bits") - 1075;
    let mantissa = (bits & ((1 << 52) - 1)) | (1 << 52);
    json!([if f < 0.0 { -1 } else { 1 }, mantissa, exponent])
}

pub fn attrs(entries: impl Iterator<Item = (String, Json)>) -> Json {
    let sorted: BTreeMap<String, Json> = entries.collect();
    json!({ "a": sorted.into_iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>() })
}

/// Writes one option-path name quoted, with the two escapes the path syntax has.
pub fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
}

/// One option-path name as a user may write it: bare when the path syntax allows (for names of
/// even length, so that both spellings of bare-able names are exercised), quoted otherwise.
pub fn path_name(name: &str) -> String {
    let mut chars = name.chars();
    let bare = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '\''));
    if bare && name.len().is_multiple_of(2) {
        name.to_owned()
    } else {
        quoted(name)
    }
}

pub fn interface_is_valid(name: &str) -> bool {
    !(name.is_empty()
        || name.len() > 15
        || name.contains(|c: char| c == '/' || c.is_whitespace() || c.is_control())
        || name == "."
        || name == "..")
}

/// What the compiler must do with a case.
pub struct Expected {
    /// Codes that must be reported (the spec must be refused when there is any).
    pub refuse: BTreeSet<&'static str>,
    /// Codes that may refuse the spec although the model does not predict them.
    pub tolerated: BTreeSet<&'static str>,
    /// What Nix must see at each of `PLACES` when the spec is accepted.
    pub places: Vec<Json>,
}

impl Case {
    pub fn toml(&self) -> String {
        let mut doc = DocumentMut::new();
        for section in [
            "kernel",
            "users",
            "services",
            "networking",
            "overrides",
            "nixos",
        ] {
            doc[section] = toml_edit::table();
            if let Some(table) = doc[section].as_table_mut() {
                table.set_implicit(true);
            }
        }
        if let Some(image) = &self.image {
            doc["kernel"]["image"] = value(format!("/{image}"));
        }
        if let Some(hook) = &self.hook {
            doc["kernel"]["init"] = value("shell");
            doc["kernel"]["stage-2-hook"] = value(hook.clone());
        }
        if !self.params.is_empty() {
            doc["kernel"]["params"] = value(self.params.iter().collect::<Array>());
        }
        if let Some(description) = &self.description {
            doc["users"]["u"]["description"] = value(description.clone());
        }
        if let Some(hash) = &self.hashed_password {
            doc["users"]["u"]["hashed-password"] = value(format!("${hash}"));
        }
        if let Some(name) = &self.interface {
            doc["networking"]["interfaces"][name.as_str()]["addresses"] = value(Array::new());
        }
        if let Some(comment) = &self.ssh_comment {
            doc["users"]["u"]["ssh-keys"] =
                value(Array::from_iter([format!("{SSH_KEY} {comment}")]));
        }
        if let Some(root) = &self.nginx_root {
            doc["services"]["nginx"]["sites"]["example.org"]["root"] = value(format!("/{root}"));
        }
        if let Some(version) = &self.version {
            doc["overrides"]["v"]["attr"] = value("hello");
            doc["overrides"]["v"]["version"] = value(version.clone());
            // A version comes with its source (AC0331); never fetched here.
            doc["overrides"]["v"]["src-url"] = value("https://example.org/hello.tar.gz");
            doc["overrides"]["v"]["src-hash"] =
                value("sha256-DV9gFUOC/uELEUocNOeF2LH0kgc64tOm97FHaHs2aqA=");
        }
        for (names, raw) in &self.nixos {
            let key: String = names
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    if i == 0 && n == "rt" {
                        n.clone()
                    } else {
                        path_name(n)
                    }
                })
                .collect::<Vec<_>>()
                .join(".");
            doc["nixos"][key.as_str()] = Item::Value(raw.toml());
        }
        doc.to_string()
    }

    fn strings(&self) -> Vec<&str> {
        let mut all: Vec<&str> = self
            .nixos
            .iter()
            .flat_map(|(names, raw)| names.iter().map(String::as_str).chain(raw.strings()))
            .collect();
        all.extend(self.params.iter().map(String::as_str));
        all.extend(
            [
                &self.description,
                &self.hashed_password,
                &self.image,
                &self.hook,
                &self.interface,
                &self.version,
                &self.ssh_comment,
                &self.nginx_root,
            ]
            .into_iter()
            .flatten()
            .map(String::as_str),
        );
        all
    }

    pub fn expected(&self) -> Expected {
        let mut refuse = BTreeSet::new();
        let mut tolerated = BTreeSet::new();
        if self.strings().iter().any(|s| s.contains('\0')) {
            refuse.insert(UNREPRESENTABLE);
        }
        let floats = self.nixos.iter().flat_map(|(_, raw)| raw.floats());
        if floats
            .into_iter()
            .any(|f| !f.is_finite() || f.is_subnormal())
        {
            refuse.insert(UNREPRESENTABLE);
        }
        if self
            .description
            .as_ref()
            .is_some_and(|d| d.contains([':', '\n', '\r']))
        {
            refuse.insert(MULTI_LINE);
        }
        if self
            .hashed_password
            .as_ref()
            .is_some_and(|h| h.contains([':', '\n']))
        {
            refuse.insert(BAD_FORMAT);
        }
        if self.hook.as_ref().is_some_and(|h| h.contains(['\n', '\r'])) {
            refuse.insert(MULTI_LINE);
        }
        if self
            .interface
            .as_ref()
            .is_some_and(|i| !interface_is_valid(i))
        {
            refuse.insert(BAD_FORMAT);
        }
        if self
            .version
            .as_ref()
            .is_some_and(|v| v.is_empty() || v.contains(['\n', '\r']))
        {
            refuse.insert(BAD_FORMAT);
        }
        // An entry whose whole value is refused is left out before the conflict check runs.
        let kept: Vec<&Vec<String>> = self
            .nixos
            .iter()
            .filter(|(_, raw)| !matches!(raw, Raw::Float(f) if !f.is_finite() || f.is_subnormal()))
            .map(|(names, _)| names)
            .collect();
        // `[nixos]` is compared option by option: a table's members are options of their own,
        // so two entries fight only where they set the same option, or one sets a value where
        // the other goes on below it (an empty table merges with anything).
        let options: Vec<(Vec<String>, &Raw)> = self
            .nixos
            .iter()
            .filter(|(names, _)| kept.contains(&names))
            .flat_map(|(names, raw)| leaves(names, raw))
            .collect();
        let empty = |raw: &Raw| matches!(raw, Raw::Table(t) if t.is_empty());
        for (i, (a, a_raw)) in options.iter().enumerate() {
            for (b, b_raw) in &options[..i] {
                let (short, short_raw, long) = if a.len() <= b.len() {
                    (a, a_raw, b)
                } else {
                    (b, b_raw, a)
                };
                if long.starts_with(short) && (short.len() == long.len() || !empty(short_raw)) {
                    refuse.insert(CONFLICT);
                }
            }
        }
        if !self.params.is_empty() {
            tolerated.extend(KERNEL_PARAM);
        }
        if self
            .ssh_comment
            .as_ref()
            .is_some_and(|c| c.contains(['\n', '\r']))
        {
            refuse.insert(MULTI_LINE);
        }
        let nginx_syntax = |c: char| {
            c.is_whitespace()
                || c.is_control()
                || matches!(c, ';' | '{' | '}' | '"' | '\'' | '\\' | '$')
        };
        if self
            .nginx_root
            .as_ref()
            .is_some_and(|r| r.contains(nginx_syntax))
        {
            refuse.insert(BAD_FORMAT);
        }
        Expected {
            refuse,
            tolerated,
            places: self.places(),
        }
    }

    fn places(&self) -> Vec<Json> {
        let string = |s: Option<String>| s.map_or(Json::Null, Json::String);
        let escape_hatch = merged(
            self.nixos
                .iter()
                .map(|(names, raw)| (names.as_slice(), raw)),
        );
        let params = if self.params.is_empty() {
            Json::Null
        } else {
            json!({ "l": self.params })
        };
        vec![
            escape_hatch,
            string(self.description.clone()),
            string(self.hashed_password.as_ref().map(|h| format!("${h}"))),
            string(self.image.as_ref().map(|i| format!("/{i}"))),
            string(self.hook.clone()),
            params,
            string(self.version.clone()),
            self.ssh_comment
                .as_ref()
                .map_or(Json::Null, |c| json!({ "l": [format!("{SSH_KEY} {c}")] })),
            string(self.nginx_root.as_ref().map(|r| format!("/{r}"))),
        ]
    }
}

/// The options one `[nixos]` entry sets: a non-empty table's members, recursively.
pub fn leaves<'a>(names: &[String], raw: &'a Raw) -> Vec<(Vec<String>, &'a Raw)> {
    match raw {
        Raw::Table(members) if !members.is_empty() => members
            .iter()
            .flat_map(|(name, member)| {
                let mut deeper = names.to_vec();
                deeper.push(name.clone());
                leaves(&deeper, member)
            })
            .collect(),
        _ => vec![(names.to_vec(), raw)],
    }
}

/// The nested attribute set that `[nixos]` entries with these name paths build.
pub fn merged<'a>(entries: impl Iterator<Item = (&'a [String], &'a Raw)>) -> Json {
    enum Tree<'a> {
        Leaf(&'a Raw),
        Node(BTreeMap<String, Tree<'a>>),
    }
    fn insert<'a>(tree: &mut BTreeMap<String, Tree<'a>>, names: &[String], raw: &'a Raw) {
        match names {
            [] => {}
            // An empty table merges with whatever else is set below the same name.
            [last] if matches!(raw, Raw::Table(t) if t.is_empty()) => {
                tree.entry(last.clone()).or_insert(Tree::Leaf(raw));
            }
            [last] => {
                tree.insert(last.clone(), Tree::Leaf(raw));
            }
            [first, rest @ ..] => {
                let child = tree
                    .entry(first.clone())
                    .or_insert_with(|| Tree::Node(BTreeMap::new()));
                if matches!(child, Tree::Leaf(Raw::Table(t)) if t.is_empty()) {
                    *child = Tree::Node(BTreeMap::new());
                }
                if let Tree::Node(children) = child {
                    insert(children, rest, raw);
                }
            }
        }
    }
    fn exact(tree: &Tree<'_>) -> Json {
        match tree {
            Tree::Leaf(raw) => raw.exact(),
            Tree::Node(children) => attrs(children.iter().map(|(k, v)| (k.clone(), exact(v)))),
        }
    }
    let mut root = BTreeMap::new();
    for (names, raw) in entries {
        for (names, raw) in leaves(names, raw) {
            insert(&mut root, &names, raw);
        }
    }
    exact(&Tree::Node(root))
}
