//! The shape check: the parsed document against the spec's JSON Schema.
//!
//! This pass walks the [`Node`] tree and the schema side by side and reports unknown keys (with
//! "did you mean"), wrong types, values outside an enum or a range, and missing keys — every one
//! of them, with the span of the key or value. It returns the document as JSON with every invalid
//! part left out, so the typed spec can still be built from the rest and the meaning checks still
//! run: one run reports every problem in the file. The schema is static data
//! ([`crate::schema::SchemaValue`], written by the build script), walked where it lies.
//!
//! It understands the part of JSON Schema that `schemars` produces for the spec types, listed in
//! [`SUPPORTED_KEYWORDS`]: `$ref`, `type`, `properties`, `additionalProperties`, `required`,
//! `items`, `enum`, `const`, `oneOf`/`anyOf`/`allOf`, `minimum`/`maximum`,
//! `minLength`/`maxLength`, the integer `format`s, and `x-aster-refused`, an extension keyword
//! that names keys left out of `properties` on purpose (plaintext passwords): editors call them
//! unexpected, without repeating their value, and this check lets them through so that a later
//! check refuses them with the reason and the way to do it right. A test walks the generated
//! schema and fails on any other keyword, and compares this validator with the `jsonschema`
//! crate on every fixture (`aster-config/tests/validator.rs`).

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::schema::SchemaValue as Schema;
use crate::tree::{Node, Path, Segment, Value as Toml, display_path};
use serde_json::{Map, Value as Json};

/// Every JSON Schema keyword this validator knows. Anything else in the schema would be ignored
/// silently, so a test fails when the generated schema uses a keyword that is not listed.
///
/// Limits within these keywords (also checked by that test): `enum` and `const` only with
/// strings, `items` only as one schema (no tuples), `$ref` only to `#/…` in the same document,
/// `oneOf` treated like `anyOf` (the first alternative that fits wins). `format` bounds integers when it names an integer type (`uint16`, `int32`, …); any
/// other format (`ipv4`, `ipv4-cidr`, …) is an annotation for editors, as JSON Schema allows,
/// and such values are checked with a reason by the meaning checks (`AC03xx`).
pub const SUPPORTED_KEYWORDS: &[&str] = &[
    // Validation: each changes what is accepted.
    "$ref",
    "type",
    "properties",
    "additionalProperties",
    "required",
    "items",
    "enum",
    "const",
    "oneOf",
    "anyOf",
    "allOf",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "format",
    // Structure and annotations: read for messages (`description`) or not at all.
    "$schema",
    "$id",
    "definitions",
    "$defs",
    "title",
    "description",
    "default",
    "examples",
    "deprecated",
    // Ours: keys refused by a later check with a reason (see the module documentation).
    REFUSED_KEYWORD,
];

/// The extension keyword of a table schema that maps keys left out of `properties` on purpose to
/// why; the shape check lets them through for the meaning check that refuses them.
pub const REFUSED_KEYWORD: &str = "x-aster-refused";

/// Checks `root` against `schema` (static data, walked in place) and returns the valid part of
/// the document as JSON.
pub fn check(root: &Node, schema: &Schema, diagnostics: &mut Diagnostics) -> Json {
    check_located(root, schema, diagnostics).0
}

/// [`check`], also returning the code and document path of each diagnostic it reported.
fn check_located(
    root: &Node,
    schema: &Schema,
    diagnostics: &mut Diagnostics,
) -> (Json, Vec<(Code, Path)>) {
    let mut validator = Validator {
        root_schema: schema,
        diagnostics,
        located: Vec::new(),
    };
    let value = validator
        .node(root, schema, &mut Vec::new())
        .unwrap_or(Json::Object(Map::new()));
    (value, validator.located)
}

/// The shape check of a spec's text against the spec schema: each diagnostic's code with the
/// JSON Pointer (RFC 6901) of the value it is about — the key itself for an unknown key, the
/// table for a missing one. `None` when the text cannot be read or parsed, so the shape check
/// never runs.
///
/// For comparing this validator with another one in tests; the pipeline uses [`check`].
pub fn located_shape_diagnostics(text: &str) -> Option<Vec<(Code, String)>> {
    let mut diagnostics = Diagnostics::new();
    let source = crate::source::read("spec.toml", text.as_bytes(), &mut diagnostics)?;
    let root = crate::tree::parse(&source, &mut diagnostics)?;
    let (_, located) = check_located(&root, crate::schema::spec_schema_data(), &mut diagnostics);
    Some(
        located
            .into_iter()
            .map(|(code, path)| (code, json_pointer(&path)))
            .collect(),
    )
}

/// `path` as a JSON Pointer: `/services/nginx/sites/example.org`, `~` and `/` escaped.
fn json_pointer(path: &[Segment]) -> String {
    path.iter()
        .map(|segment| match segment {
            Segment::Key(key) => format!("/{}", key.replace('~', "~0").replace('/', "~1")),
            Segment::Index(index) => format!("/{index}"),
        })
        .collect()
}

struct Validator<'s, 'd> {
    root_schema: &'s Schema,
    diagnostics: &'d mut Diagnostics,
    /// The code and path of every diagnostic pushed, in the same order.
    located: Vec<(Code, Path)>,
}

impl<'s> Validator<'s, '_> {
    /// Reports `diagnostic` about the value at `path`.
    fn report(&mut self, diagnostic: Diagnostic, path: &[Segment]) {
        self.located.push((diagnostic.code, path.to_vec()));
        self.diagnostics.push(diagnostic);
    }

    fn resolve(&self, schema: &'s Schema) -> &'s Schema {
        let mut schema = schema;
        for _ in 0..16 {
            let Some(reference) = schema.get("$ref").and_then(Schema::as_str) else {
                break;
            };
            let Some(pointer) = reference.strip_prefix('#') else {
                break;
            };
            match self.root_schema.pointer(pointer) {
                Some(target) => schema = target,
                None => break,
            }
        }
        schema
    }

    fn node(&mut self, node: &Node, schema: &'s Schema, path: &mut Path) -> Option<Json> {
        let schema = self.resolve(schema);
        match schema {
            Schema::Bool(true) => return self.any(node, path),
            Schema::Bool(false) => {
                self.report_not_allowed(node, path);
                return None;
            }
            _ => {}
        }
        if let Some(Schema::Array(parts)) = schema.get("allOf") {
            // schemars writes a described reference as `allOf: [ {$ref} ]`; every part must hold.
            let mut value = None;
            for part in *parts {
                value = Some(self.node(node, part, path)?);
            }
            return value;
        }
        if let Some(choices) = const_choices(self, schema) {
            return self.choice(node, &choices, path);
        }
        for keyword in ["oneOf", "anyOf"] {
            if let Some(Schema::Array(alternatives)) = schema.get(keyword) {
                return self.alternatives(node, alternatives, path);
            }
        }
        if let Some(expected) = schema.get("type")
            && !type_matches(expected, node)
        {
            self.report_type(node, expected, path);
            return None;
        }
        match &node.value {
            Toml::Table(entries) => self.table(node, entries, schema, path),
            Toml::Array(items) => Some(self.array(items, schema, path)),
            Toml::Integer(i) => self.range(node, *i, schema, path).then(|| Json::from(*i)),
            Toml::String(s) => self
                .length(node, s, schema, path)
                .then(|| Json::from(s.clone())),
            _ => self.any(node, path),
        }
    }

    fn table(
        &mut self,
        node: &Node,
        entries: &[(String, Node)],
        schema: &'s Schema,
        path: &mut Path,
    ) -> Option<Json> {
        let properties = schema.get("properties").filter(|p| p.as_object().is_some());
        let additional = schema.get("additionalProperties");
        let mut out = Map::new();
        for (key, child) in entries {
            path.push(Segment::Key(key.clone()));
            let child_schema = properties.and_then(|p| p.get(key)).or(match additional {
                Some(Schema::Bool(false)) => None,
                Some(other) => Some(other),
                None if properties.is_some() => None,
                None => Some(&Schema::Bool(true)),
            });
            match child_schema {
                Some(child_schema) => {
                    if let Some(value) = self.node(child, child_schema, path) {
                        out.insert(key.clone(), value);
                    }
                }
                None if refused(schema, key) => {
                    if let Some(value) = self.any(child, path) {
                        out.insert(key.clone(), value);
                    }
                }
                None => {
                    self.report_unknown(key, child, properties.and_then(Schema::as_object), path);
                }
            }
            path.pop();
        }
        let mut complete = true;
        for required in schema
            .get("required")
            .and_then(Schema::as_array)
            .into_iter()
            .flatten()
        {
            let Some(name) = required.as_str() else {
                continue;
            };
            if !entries.iter().any(|(k, _)| k == name) {
                complete = false;
                let hint = properties
                    .and_then(|p| p.get(name))
                    .map(|s| self.resolve(s))
                    .and_then(|s| s.get("description"))
                    .and_then(Schema::as_str)
                    .map(first_sentence);
                let mut diagnostic = Diagnostic::new(
                    Code::MissingKey,
                    format!("`{}` needs the key `{name}`", display_path(path)),
                )
                .at(
                    node.key_span.clone().or(node.span.clone()),
                    format!("`{name}` is missing here"),
                );
                if let Some(hint) = hint {
                    diagnostic = diagnostic.help(format!("add `{name} = …`: {hint}"));
                }
                self.report(diagnostic, path);
            } else if !out.contains_key(name) {
                complete = false;
            }
        }
        complete.then_some(Json::Object(out))
    }

    fn array(&mut self, items: &[Node], schema: &'s Schema, path: &mut Path) -> Json {
        let item_schema = schema.get("items").unwrap_or(&Schema::Bool(true));
        let mut out = Vec::new();
        for (index, item) in items.iter().enumerate() {
            path.push(Segment::Index(index));
            if let Some(value) = self.node(item, item_schema, path) {
                out.push(value);
            }
            path.pop();
        }
        Json::Array(out)
    }

    fn alternatives(
        &mut self,
        node: &Node,
        alternatives: &'s [Schema],
        path: &mut Path,
    ) -> Option<Json> {
        let mut first_failure = None;
        for alternative in alternatives {
            let mut scratch = Diagnostics::new();
            let mut trial = Validator {
                root_schema: self.root_schema,
                diagnostics: &mut scratch,
                located: Vec::new(),
            };
            let value = trial.node(node, alternative, path);
            let located = trial.located;
            if !scratch.has_errors() {
                self.diagnostics.extend(scratch);
                self.located.extend(located);
                return value;
            }
            if first_failure.is_none()
                && self
                    .resolve(alternative)
                    .get("type")
                    .is_none_or(|expected| type_matches(expected, node))
            {
                first_failure = Some((scratch, located));
            }
        }
        match first_failure {
            Some((diagnostics, located)) => {
                self.diagnostics.extend(diagnostics);
                self.located.extend(located);
            }
            None => self.report(
                Diagnostic::new(
                    Code::WrongType,
                    format!("`{}` has a value of the wrong type", display_path(path)),
                )
                .at(
                    node.span.clone(),
                    format!("{} is not accepted here", node.kind()),
                ),
                path,
            ),
        }
        None
    }

    fn choice(&mut self, node: &Node, choices: &[&str], path: &Path) -> Option<Json> {
        let Toml::String(value) = &node.value else {
            self.report_type(node, &Schema::String("string"), path);
            return None;
        };
        if choices.iter().any(|c| c == value) {
            return Some(Json::from(value.clone()));
        }
        let listed = choices
            .iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut diagnostic = Diagnostic::new(
            Code::InvalidChoice,
            format!(
                "`{value}` is not a valid choice for `{}`",
                display_path(path)
            ),
        )
        .at(node.span.clone(), format!("expected one of {listed}"));
        if display_path(path) == "desktop.environment" {
            diagnostic = diagnostic
                .suggest(node.span.clone(), "\"xfce\"")
                .help(ONLY_XFCE);
        } else if let Some(best) = crate::util::suggest::closest(value, choices.iter().copied()) {
            diagnostic = diagnostic.suggest(node.span.clone(), format!("\"{best}\""));
            diagnostic.help = Some(format!("did you mean `{best}`?"));
        } else {
            diagnostic = diagnostic.help(format!("use one of {listed}"));
        }
        self.report(diagnostic, path);
        None
    }

    fn range(&mut self, node: &Node, value: i64, schema: &Schema, path: &Path) -> bool {
        // The integer type behind the schema (its `format`) bounds the value too, even where
        // schemars writes no `maximum` (a `u32` has only `minimum`): without this, a value that
        // passes here would fail to fit its field when the spec is lowered.
        let (type_min, type_max) = format_bounds(schema.get("format").and_then(Schema::as_str));
        let minimum = schema
            .get("minimum")
            .and_then(|m| integer_bound(m, f64::ceil))
            .into_iter()
            .chain(type_min)
            .max();
        let maximum = schema
            .get("maximum")
            .and_then(|m| integer_bound(m, f64::floor))
            .into_iter()
            .chain(type_max)
            .min();
        let value = i128::from(value);
        let too_small = minimum.is_some_and(|m| value < m);
        let too_large = maximum.is_some_and(|m| value > m);
        if too_small || too_large {
            let bounds = match (minimum, maximum) {
                (Some(lo), Some(hi)) => format!("from {lo} to {hi}"),
                (Some(lo), None) => format!("at least {lo}"),
                (None, Some(hi)) => format!("at most {hi}"),
                (None, None) => String::new(),
            };
            self.report(
                Diagnostic::new(
                    Code::OutOfRange,
                    format!("`{}` must be {bounds}, not {value}", display_path(path)),
                )
                .at(node.span.clone(), format!("expected a number {bounds}")),
                path,
            );
            return false;
        }
        true
    }

    fn length(&mut self, node: &Node, value: &str, schema: &Schema, path: &Path) -> bool {
        let length = value.chars().count() as u64;
        let min = schema.get("minLength").and_then(Schema::as_u64);
        let max = schema.get("maxLength").and_then(Schema::as_u64);
        if min.is_some_and(|m| length < m) || max.is_some_and(|m| length > m) {
            self.report(
                Diagnostic::new(
                    Code::BadFormat,
                    format!(
                        "`{}` has {length} characters, which is not allowed",
                        display_path(path)
                    ),
                )
                .at(
                    node.span.clone(),
                    format!(
                        "expected {} to {} characters",
                        min.unwrap_or(0),
                        max.map_or("any".to_owned(), |m| m.to_string())
                    ),
                ),
                path,
            );
            return false;
        }
        true
    }

    /// Any value is accepted; converts it, reporting values JSON (and Nix) cannot hold.
    fn any(&mut self, node: &Node, path: &mut Path) -> Option<Json> {
        match &node.value {
            Toml::String(s) => Some(Json::from(s.clone())),
            Toml::Integer(i) => Some(Json::from(*i)),
            Toml::Boolean(b) => Some(Json::from(*b)),
            Toml::Float(f) if f.is_subnormal() => {
                // Nix reads float literals with `strtod` and refuses any that underflows to a
                // subnormal ("invalid float"), so the emitted file would not even parse.
                self.report(
                    Diagnostic::new(
                        Code::Unrepresentable,
                        format!(
                            "`{}` is {f:e}, which is too close to zero for Nix to read",
                            display_path(path)
                        ),
                    )
                    .at(node.span.clone(), "a subnormal float")
                    .help(
                        "Nix floats stop at 2.2250738585072014e-308; write 0.0 or a larger number",
                    ),
                    path,
                );
                None
            }
            Toml::Float(f) => {
                let number = serde_json::Number::from_f64(*f);
                if number.is_none() {
                    self.report(
                        Diagnostic::new(
                            Code::Unrepresentable,
                            format!(
                                "`{}` is {f}, which Nix cannot represent",
                                display_path(path)
                            ),
                        )
                        .at(node.span.clone(), "infinite or not a number")
                        .help("Nix has no infinity or NaN; use a finite number or a string"),
                        path,
                    );
                }
                number.map(Json::Number)
            }
            Toml::Datetime(_) => {
                self.report(
                    Diagnostic::new(
                        Code::Unrepresentable,
                        format!(
                            "`{}` is a TOML date-time, which Nix has no type for",
                            display_path(path)
                        ),
                    )
                    .at(node.span.clone(), "date-time")
                    .help("write it as a quoted string"),
                    path,
                );
                None
            }
            Toml::Array(items) => {
                let mut out = Vec::new();
                for (index, item) in items.iter().enumerate() {
                    path.push(Segment::Index(index));
                    out.extend(self.any(item, path));
                    path.pop();
                }
                Some(Json::Array(out))
            }
            Toml::Table(entries) => {
                let mut out = Map::new();
                for (key, child) in entries {
                    path.push(Segment::Key(key.clone()));
                    if let Some(value) = self.any(child, path) {
                        out.insert(key.clone(), value);
                    }
                    path.pop();
                }
                Some(Json::Object(out))
            }
        }
    }

    fn report_unknown(
        &mut self,
        key: &str,
        child: &Node,
        properties: Option<&[(&str, Schema)]>,
        path: &Path,
    ) {
        let parent = display_path(&path[..path.len() - 1]);
        let place = if parent.is_empty() {
            "at the top level".to_owned()
        } else {
            format!("in `[{parent}]`")
        };
        let what = if child.span.is_some() && matches!(child.value, Toml::Table(_)) {
            "section"
        } else {
            "key"
        };
        let mut diagnostic =
            Diagnostic::new(Code::UnknownKey, format!("unknown {what} `{key}` {place}")).at(
                child.key_span.clone().or(child.span.clone()),
                format!("not a {what} of the spec"),
            );
        let names: Vec<&str> = properties
            .map(|p| p.iter().map(|(name, _)| *name).collect())
            .unwrap_or_default();
        if let Some(best) = crate::util::suggest::closest(key, names.iter().copied()) {
            diagnostic = diagnostic.suggest(child.key_span.clone(), best);
        } else if !names.is_empty() {
            diagnostic = diagnostic.help(format!("the keys {place} are: {}", names.join(", ")));
        }
        self.report(diagnostic, path);
    }

    fn report_not_allowed(&mut self, node: &Node, path: &Path) {
        self.report(
            Diagnostic::new(
                Code::UnknownKey,
                format!("`{}` is not allowed here", display_path(path)),
            )
            .at(node.key_span.clone().or(node.span.clone()), "remove this"),
            path,
        );
    }

    fn report_type(&mut self, node: &Node, expected: &Schema, path: &Path) {
        let expected = describe_types(expected);
        let mut diagnostic = Diagnostic::new(
            Code::WrongType,
            format!(
                "`{}` should be {expected}, not {}",
                display_path(path),
                node.kind()
            ),
        )
        .at(node.span.clone(), format!("expected {expected}"));
        if let (Toml::String(s), true) = (&node.value, expected.contains("integer")) {
            if s.trim().parse::<i64>().is_ok() {
                diagnostic = diagnostic.suggest(node.span.clone(), s.trim().to_owned());
                diagnostic.help = Some(format!("write the number without quotes: {}", s.trim()));
            }
        } else if let (Toml::String(s), true) = (&node.value, expected.contains("boolean")) {
            if let Some(flag) = yes_no(s) {
                diagnostic = diagnostic.suggest(node.span.clone(), flag.to_string());
                diagnostic.help = Some(format!(
                    "TOML has real true/false values: write `{flag}` without quotes"
                ));
            } else {
                diagnostic = diagnostic.help("write `true` or `false`, without quotes");
            }
        } else if expected.contains("an array") {
            diagnostic = diagnostic.help("wrap the value in brackets: [ … ]");
        }
        self.report(diagnostic, path);
    }
}

/// Why `[desktop]` offers one choice, from the distro and kernel catalogs
/// (`distro/catalog/limitations.toml`, `forced.toml`; capability `drm` in the kernel's).
const ONLY_XFCE: &str = "Asterinas NixOS has only Xfce: GNOME, KDE Plasma and the Wayland desktops need \
GPU drivers (DRM/KMS), udev and systemd-logind seats, which Asterinas does not have yet; Xfce runs \
on X11 over the plain framebuffer without them. Write `environment = \"xfce\"`.";

/// The boolean a yes/no word in quotes stands for (`"no"`, `"Yes"`, `"on"`, `"false"`, `"1"`).
/// True when the table schema names `key` in its [`REFUSED_KEYWORD`] list.
fn refused(schema: &Schema, key: &str) -> bool {
    schema
        .get(REFUSED_KEYWORD)
        .is_some_and(|keys| keys.get(key).is_some())
}

fn yes_no(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "on" | "1" | "enable" | "enabled" => Some(true),
        "no" | "n" | "false" | "off" | "0" | "disable" | "disabled" => Some(false),
        _ => None,
    }
}

/// When a schema is a closed set of strings (`enum`, or `oneOf` of `const`s), the strings.
fn const_choices(validator: &Validator<'_, '_>, schema: &Schema) -> Option<Vec<&'static str>> {
    if let Some(Schema::Array(values)) = schema.get("enum") {
        return values.iter().map(Schema::as_str).collect();
    }
    if let Some(value) = schema.get("const").and_then(Schema::as_str) {
        return Some(vec![value]);
    }
    let alternatives = schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))?
        .as_array()?;
    let mut choices = Vec::new();
    for alternative in alternatives {
        choices.extend(const_choices(validator, validator.resolve(alternative))?);
    }
    Some(choices)
}

/// The range of the integer type a schemars `format` names (`uint16`, `int32`, …).
fn format_bounds(format: Option<&str>) -> (Option<i128>, Option<i128>) {
    let bits = |name: &str, prefix: &str| name.strip_prefix(prefix)?.parse::<u32>().ok();
    match format {
        Some(name) if name.starts_with("uint") => (
            Some(0),
            bits(name, "uint")
                .filter(|b| *b < 128)
                .map(|b| (1_i128 << b) - 1),
        ),
        Some(name) if name.starts_with("int") => {
            match bits(name, "int").filter(|b| (1..128).contains(b)) {
                Some(b) => (Some(-(1_i128 << (b - 1))), Some((1_i128 << (b - 1)) - 1)),
                None => (None, None),
            }
        }
        _ => (None, None),
    }
}

/// A `minimum` or `maximum` as an integer, rounding a fractional bound inwards with `round`.
fn integer_bound(bound: &Schema, round: fn(f64) -> f64) -> Option<i128> {
    if let Some(i) = bound.as_i64() {
        return Some(i128::from(i));
    }
    if let Some(u) = bound.as_u64() {
        return Some(i128::from(u));
    }
    #[allow(clippy::cast_possible_truncation)] // saturating by definition of `as` on floats
    bound.as_f64().map(|f| round(f) as i128)
}

fn type_matches(expected: &Schema, node: &Node) -> bool {
    match expected {
        Schema::String(name) => kind_matches(name, node),
        Schema::Array(names) => names
            .iter()
            .filter_map(Schema::as_str)
            .any(|n| kind_matches(n, node)),
        _ => true,
    }
}

fn kind_matches(name: &str, node: &Node) -> bool {
    matches!(
        (name, &node.value),
        ("string", Toml::String(_))
            | ("integer" | "number", Toml::Integer(_))
            | ("number", Toml::Float(_))
            | ("boolean", Toml::Boolean(_))
            | ("array", Toml::Array(_))
            | ("object", Toml::Table(_))
    )
}

fn describe_types(expected: &Schema) -> String {
    let describe = |name: &str| match name {
        "string" => "a string",
        "integer" => "an integer",
        "number" => "a number",
        "boolean" => "a boolean (true or false)",
        "array" => "an array",
        "object" => "a table",
        _ => "a value",
    };
    match expected {
        Schema::String(name) => describe(name).to_owned(),
        Schema::Array(names) => names
            .iter()
            .filter_map(Schema::as_str)
            .map(describe)
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "a value".to_owned(),
    }
}

fn first_sentence(text: &str) -> &str {
    text.split_once(". ")
        .map_or(text, |(first, _)| first)
        .trim_end_matches('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_formats_bound_values_even_without_a_maximum() {
        assert_eq!(format_bounds(Some("uint16")), (Some(0), Some(65_535)));
        assert_eq!(
            format_bounds(Some("uint32")),
            (Some(0), Some(4_294_967_295))
        );
        assert_eq!(format_bounds(Some("int8")), (Some(-128), Some(127)));
        assert_eq!(format_bounds(Some("uint")), (Some(0), None));
        assert_eq!(format_bounds(Some("email")), (None, None));
        assert_eq!(integer_bound(&Schema::Float(1.5), f64::ceil), Some(2));
    }

    #[test]
    fn floats_nix_cannot_read_are_refused() {
        static SCHEMA: Schema = Schema::Object(&[("type", Schema::String("object"))]);
        for (text, accepted) in [
            ("1.5", true),
            ("5e-324", false),
            ("nan", false),
            ("-inf", false),
        ] {
            let source = crate::source::SourceFile {
                name: "t.toml".into(),
                text: format!("x = {text}"),
            };
            let mut diagnostics = Diagnostics::new();
            let tree = crate::tree::parse(&source, &mut diagnostics).expect("parses");
            let value = check(&tree, &SCHEMA, &mut diagnostics);
            assert_eq!(value.get("x").is_some(), accepted, "{text}");
            assert_eq!(diagnostics.has_errors(), !accepted, "{text}");
        }
    }
}
