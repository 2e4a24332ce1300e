//! Reading a NixOS module with rnix into flat option assignments.
//!
//! `{ config, pkgs, ... }: { a.b = 1; c = { d = "x"; }; }` becomes `a.b = 1` and `c.d = "x"`: the
//! module system merges nested attribute sets into option paths the same way. Each value is plain
//! data (strings without interpolation, numbers, booleans, null, lists and attribute sets of
//! them), a package (`pkgs.git`, or a name inside `with pkgs; [ … ]`), or something else — a
//! function call, `mkIf`, a `let`, a path — which keeps its source text to go into a module.
//! A body wrapped in `let … in` or `with …;` is read the same way ([`crate::scope`]): a value
//! that may use what the wrappers bring into scope counts as something else.

use crate::names::{attr_name, static_string};
use crate::scope::{Scope, Wrapper};
use aster_compiler::nix::{describe_parse_error, parse_error_range};
use aster_compiler::{Code, Diagnostic};
use rnix::ast::{self, AstToken, HasEntry, LiteralKind};
use rowan::ast::AstNode;
use std::ops::Range;

/// A value as the importer sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum NixValue {
    /// A string without interpolation.
    Str(String),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// A list.
    List(Vec<NixValue>),
    /// An attribute set, in source order.
    Attrs(Vec<(String, NixValue)>),
    /// `pkgs.NAME` (the attribute path after `pkgs.`).
    Package(String),
    /// Anything else: only its source text can be kept.
    Other,
}

impl NixValue {
    /// True for values `[nixos]` can hold: no packages, nothing opaque.
    pub fn is_plain(&self) -> bool {
        match self {
            NixValue::List(items) => items.iter().all(NixValue::is_plain),
            NixValue::Attrs(entries) => entries.iter().all(|(_, v)| v.is_plain()),
            NixValue::Package(_) | NixValue::Other => false,
            _ => true,
        }
    }
}

/// One option assignment.
#[derive(Debug, Clone)]
pub struct Binding {
    /// The option path.
    pub path: Vec<String>,
    /// Its value.
    pub value: NixValue,
    /// The value's source text.
    pub text: String,
    /// Where the assignment is in the file.
    pub span: Range<usize>,
}

/// What a module file holds.
#[derive(Debug, Clone, Default)]
pub struct Module {
    /// The function's argument pattern (`{ config, lib, pkgs, ... }`), when it is a function.
    pub arguments: Option<String>,
    /// The `let … in` and `with …;` around the attribute set, outermost first.
    pub wrappers: Vec<Wrapper>,
    /// Its option assignments, in source order.
    pub bindings: Vec<Binding>,
    /// Relative paths listed in `imports`.
    pub imports: Vec<String>,
    /// Entries that cannot be split into assignments, kept in the module as written.
    pub opaque: Vec<Opaque>,
}

/// An entry of the module's attribute set that stays in the module as written.
#[derive(Debug, Clone)]
pub struct Opaque {
    /// Its source text.
    pub text: String,
    /// Where it is in the file.
    pub span: Range<usize>,
    /// Why it cannot be split.
    pub reason: OpaqueReason,
}

/// Why an entry cannot be split into assignments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpaqueReason {
    /// `inherit …;` copies names from the scope around it.
    Inherit,
    /// A name computed with `${…}`.
    ComputedName,
    /// An `imports` list that uses names of the `let`/`with` around the module.
    ScopedImports,
}

impl Module {
    fn keep(&mut self, node: &rnix::SyntaxNode, reason: OpaqueReason) {
        self.opaque.push(Opaque {
            text: node.to_string(),
            span: range(node),
            reason,
        });
    }
}

fn range(node: &rnix::SyntaxNode) -> Range<usize> {
    let r = node.text_range();
    usize::from(r.start())..usize::from(r.end())
}

/// Parses `text`; a syntax error, or a file that is not a module, is a diagnostic.
pub fn read(text: &str) -> Result<Module, Vec<Diagnostic>> {
    let parse = rnix::Root::parse(text);
    if !parse.errors().is_empty() {
        // A file cut short is reported more than once (the unclosed string, then "the file
        // ends where … is needed" at its end, or two errors at the end): one report per place,
        // and none at the end of the file when an earlier error explains it.
        let mut seen: Vec<Range<usize>> = Vec::new();
        let end = parse_error_range(&rnix::ParseError::UnexpectedEOF, text);
        return Err(parse
            .errors()
            .iter()
            .filter(|e| {
                let at = parse_error_range(e, text);
                let keep = !seen.contains(&at) && (at != end || seen.is_empty());
                seen.push(at);
                keep
            })
            .map(|e| {
                Diagnostic::new(
                    Code::ImportNixSyntax,
                    format!("this is not valid Nix: {}", describe_parse_error(e)),
                )
                .at(Some(parse_error_range(e, text)), "the Nix parser stopped here")
                    .help("`import` reads a configuration.nix that nixos-rebuild accepts; fix the syntax first")
            })
            .collect());
    }
    let root = parse.tree();
    let mut expr = root.expr();
    let mut module = Module::default();
    let mut scope = Scope::default();
    if let Some(ast::Expr::Lambda(lambda)) = &expr {
        module.arguments = lambda.param().map(|p| p.syntax().to_string());
        scope = Scope::of_arguments(lambda.param());
        expr = lambda.body();
    }
    let expr = scope.peel(text, expr);
    module.wrappers.clone_from(&scope.wrappers);
    let Some(ast::Expr::AttrSet(set)) = expr else {
        let span = expr.map_or(0..text.len(), |e| range(e.syntax()));
        return Err(vec![
            Diagnostic::new(
                Code::ImportNotAModule,
                "this file is not a NixOS module of the form `{ config, pkgs, ... }: { … }`",
            )
            .at(Some(span), "expected an attribute set of options here")
            .help("a module whose body is computed (`lib.mkMerge`, `lib.mkIf`, `import`) cannot be split into spec settings; list it under `[imports] modules` as it is"),
        ]);
    };
    if set.rec_token().is_some() {
        return Err(vec![
            Diagnostic::new(Code::ImportNotAModule, "a `rec { … }` module refers to its own attributes and cannot be split into spec settings")
                .at(Some(range(set.syntax())), "a recursive attribute set")
                .help("list the file under `[imports] modules` as it is"),
        ]);
    }
    flatten(&set, &[], &scope, &mut module);
    Ok(module)
}

fn flatten(set: &ast::AttrSet, prefix: &[String], scope: &Scope, module: &mut Module) {
    for entry in set.entries() {
        let ast::Entry::AttrpathValue(binding) = entry else {
            module.keep(entry.syntax(), OpaqueReason::Inherit);
            continue;
        };
        let names: Option<Vec<String>> = binding
            .attrpath()
            .map(|p| p.attrs().map(|a| attr_name(&a)).collect())
            .unwrap_or_default();
        let (Some(names), Some(value)) = (names, binding.value()) else {
            module.keep(binding.syntax(), OpaqueReason::ComputedName);
            continue;
        };
        let mut path = prefix.to_vec();
        path.extend(names);
        if path == ["imports"] {
            if scope.depends(&value) {
                module.keep(binding.syntax(), OpaqueReason::ScopedImports);
            } else {
                for path in relative_paths(value.syntax()) {
                    if !module.imports.contains(&path) {
                        module.imports.push(path);
                    }
                }
            }
            continue;
        }
        match &value {
            ast::Expr::AttrSet(inner)
                if inner.rec_token().is_none()
                    && inner
                        .entries()
                        .all(|e| matches!(e, ast::Entry::AttrpathValue(_))) =>
            {
                flatten(inner, &path, scope, module);
            }
            _ => module.bindings.push(Binding {
                path,
                value: if scope.depends(&value) {
                    NixValue::Other
                } else {
                    convert(&value)
                },
                text: value.syntax().to_string(),
                span: range(binding.syntax()),
            }),
        }
    }
}

/// Every relative path literal under `node` (`./modules/extra.nix`).
fn relative_paths(node: &rnix::SyntaxNode) -> Vec<String> {
    node.descendants()
        .filter(|n| n.kind() == rnix::SyntaxKind::NODE_PATH_REL)
        .map(|n| n.to_string())
        .collect()
}

/// The importer's view of an expression.
pub fn convert(expr: &ast::Expr) -> NixValue {
    match expr {
        ast::Expr::Str(string) => static_string(string).map_or(NixValue::Other, NixValue::Str),
        ast::Expr::Literal(literal) => match literal.kind() {
            LiteralKind::Integer(i) => i.value().map_or(NixValue::Other, NixValue::Int),
            LiteralKind::Float(f) => f.value().map_or(NixValue::Other, NixValue::Float),
            LiteralKind::Uri(u) => NixValue::Str(u.syntax().text().to_owned()),
        },
        ast::Expr::Ident(ident) => match ident.syntax().to_string().as_str() {
            "true" => NixValue::Bool(true),
            "false" => NixValue::Bool(false),
            "null" => NixValue::Null,
            _ => NixValue::Other,
        },
        ast::Expr::UnaryOp(op) if op.operator() == Some(ast::UnaryOpKind::Negate) => {
            match op.expr().map(|e| convert(&e)) {
                Some(NixValue::Int(i)) => NixValue::Int(-i),
                Some(NixValue::Float(f)) => NixValue::Float(-f),
                _ => NixValue::Other,
            }
        }
        ast::Expr::Paren(paren) => paren.expr().map_or(NixValue::Other, |e| convert(&e)),
        ast::Expr::List(list) => NixValue::List(list.items().map(|e| convert(&e)).collect()),
        ast::Expr::AttrSet(set) if set.rec_token().is_none() => {
            let mut entries = Vec::new();
            for entry in set.entries() {
                let ast::Entry::AttrpathValue(binding) = entry else {
                    return NixValue::Other;
                };
                let names: Option<Vec<String>> = binding
                    .attrpath()
                    .map(|p| p.attrs().map(|a| attr_name(&a)).collect())
                    .unwrap_or_default();
                let (Some(names), Some(value)) = (names, binding.value()) else {
                    return NixValue::Other;
                };
                insert_nested(&mut entries, &names, convert(&value));
            }
            NixValue::Attrs(entries)
        }
        ast::Expr::Select(select) => package(select).map_or(NixValue::Other, NixValue::Package),
        ast::Expr::With(with) => with_pkgs(with),
        _ => NixValue::Other,
    }
}

fn insert_nested(entries: &mut Vec<(String, NixValue)>, names: &[String], value: NixValue) {
    let Some((first, rest)) = names.split_first() else {
        return;
    };
    if rest.is_empty() {
        entries.push((first.clone(), value));
        return;
    }
    if let Some((_, NixValue::Attrs(inner))) = entries.iter_mut().find(|(k, _)| k == first) {
        insert_nested(inner, rest, value);
    } else {
        let mut inner = Vec::new();
        insert_nested(&mut inner, rest, value);
        entries.push((first.clone(), NixValue::Attrs(inner)));
    }
}

/// `pkgs.a.b` → `a.b`.
fn package(select: &ast::Select) -> Option<String> {
    if select.default_expr().is_some() {
        return None;
    }
    let ast::Expr::Ident(base) = select.expr()? else {
        return None;
    };
    if base.syntax().to_string() != "pkgs" {
        return None;
    }
    let names: Option<Vec<String>> = select.attrpath()?.attrs().map(|a| attr_name(&a)).collect();
    Some(names?.join("."))
}

/// `with pkgs; [ git vim ]` → packages.
fn with_pkgs(with: &ast::With) -> NixValue {
    let is_pkgs =
        matches!(with.namespace(), Some(ast::Expr::Ident(i)) if i.syntax().to_string() == "pkgs");
    let Some(ast::Expr::List(list)) = with.body() else {
        return NixValue::Other;
    };
    if !is_pkgs {
        return NixValue::Other;
    }
    NixValue::List(
        list.items()
            .map(|item| match &item {
                ast::Expr::Ident(ident) => NixValue::Package(ident.syntax().to_string()),
                ast::Expr::Select(select) => match select.expr() {
                    Some(ast::Expr::Ident(base)) if select.default_expr().is_none() => {
                        let rest: Option<Vec<String>> = select
                            .attrpath()
                            .map(|p| p.attrs().map(|a| attr_name(&a)).collect())
                            .unwrap_or_default();
                        rest.map_or(NixValue::Other, |rest| {
                            NixValue::Package(format!("{}.{}", base.syntax(), rest.join(".")))
                        })
                    }
                    _ => NixValue::Other,
                },
                other => convert(other),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flattens_nested_sets_and_reads_packages() {
        let module = read(
            "{ pkgs, ... }: { imports = [ ./a.nix ]; networking = { hostName = \"h\"; }; \
             environment.systemPackages = with pkgs; [ git xfce.mousepad ]; \
             services.x.f = lib.mkIf true 1; users.users.a.shell = pkgs.fish; }",
        )
        .unwrap();
        assert_eq!(module.imports, ["./a.nix"]);
        let paths: Vec<String> = module.bindings.iter().map(|b| b.path.join(".")).collect();
        assert_eq!(
            paths,
            [
                "networking.hostName",
                "environment.systemPackages",
                "services.x.f",
                "users.users.a.shell"
            ]
        );
        assert_eq!(
            module.bindings[1].value,
            NixValue::List(vec![
                NixValue::Package("git".into()),
                NixValue::Package("xfce.mousepad".into())
            ])
        );
        assert_eq!(module.bindings[2].value, NixValue::Other);
        assert_eq!(module.bindings[3].value, NixValue::Package("fish".into()));
    }

    #[test]
    fn syntax_errors_and_non_modules_are_diagnostics() {
        let errors = read("{ a = ; }").unwrap_err();
        assert_eq!(errors[0].code, Code::ImportNixSyntax);
        for cut_short in ["{ a = 1;", "{ a = \"x\n"] {
            let errors = read(cut_short).unwrap_err();
            assert_eq!(errors.len(), 1, "{cut_short}: {errors:?}");
        }
        let errors = read("lib.mkMerge [ { } ]").unwrap_err();
        assert_eq!(errors[0].code, Code::ImportNotAModule);
        let module = read("let x = 1; in { a = x; b = 2; }").unwrap();
        assert_eq!(module.bindings[0].value, NixValue::Other);
        assert_eq!(module.bindings[1].value, NixValue::Int(2));
    }
}
