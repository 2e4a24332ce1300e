//! The scope a module's attribute set sits in: the function's arguments, and the `let … in` and
//! `with …;` wrapped around the set (`{ pkgs, ... }: let port = 8080; in with pkgs; { … }`).
//!
//! Such a module is still split: an assignment whose value cannot see the wrappers is read as
//! usual, while one that may (it names a `let`-bound name, or a name only a file-level `with`
//! could provide) is kept as it is, in the module, under the same wrappers. Conservative on
//! purpose: a value is independent only when every name it uses is a function argument,
//! `true`/`false`/`null`, or a name a `with` inside the value itself provides.

use rnix::ast::{self, HasEntry};
use rowan::ast::AstNode;
use std::collections::BTreeSet;

/// One wrapper around the module's attribute set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wrapper {
    /// Its source text, from `let`/`with` up to the expression it wraps (`let … in\n`).
    pub text: String,
    /// What it brings into scope, for the report: the `let`'s names, or the `with`'s namespace.
    pub names: Vec<String>,
    /// True for `with`, false for `let`.
    pub is_with: bool,
}

impl Wrapper {
    /// `with` or `let`.
    pub fn keyword(&self) -> &'static str {
        if self.is_with { "with" } else { "let" }
    }
}

/// What the module's attribute set can see.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    formals: BTreeSet<String>,
    let_names: BTreeSet<String>,
    /// A `let` binds a name computed with `${…}`: any name may be it.
    computed_let_name: bool,
    /// The wrappers, outermost first.
    pub wrappers: Vec<Wrapper>,
}

/// The names a value refers to: identifiers that are not attribute names.
fn references(node: &rnix::SyntaxNode) -> impl Iterator<Item = rnix::SyntaxNode> {
    node.descendants().filter(|n| {
        n.kind() == rnix::SyntaxKind::NODE_IDENT
            && n.parent()
                .is_none_or(|p| p.kind() != rnix::SyntaxKind::NODE_ATTRPATH)
    })
}

impl Scope {
    /// The scope of a module function's body: its arguments.
    pub fn of_arguments(param: Option<ast::Param>) -> Self {
        let mut formals = BTreeSet::new();
        match param {
            Some(ast::Param::Pattern(pattern)) => {
                formals.extend(
                    pattern
                        .pat_entries()
                        .filter_map(|e| e.ident())
                        .chain(pattern.pat_bind().and_then(|b| b.ident()))
                        .map(|i| i.syntax().to_string()),
                );
            }
            Some(ast::Param::IdentParam(ident)) => {
                formals.extend(ident.ident().map(|i| i.syntax().to_string()));
            }
            None => {}
        }
        Self {
            formals,
            ..Self::default()
        }
    }

    /// Takes the `let … in` and `with …;` off `expr` (of `source`), recording them; returns what
    /// they wrap.
    pub fn peel(&mut self, source: &str, mut expr: Option<ast::Expr>) -> Option<ast::Expr> {
        loop {
            let (node, body, wrapper) = match &expr {
                Some(ast::Expr::LetIn(let_in)) => {
                    let names = self.let_names_of(let_in);
                    let wrapper = Wrapper {
                        text: String::new(),
                        names,
                        is_with: false,
                    };
                    (let_in.syntax().clone(), let_in.body(), wrapper)
                }
                Some(ast::Expr::With(with)) => {
                    let namespace = with.namespace().map(|n| n.syntax().to_string());
                    let wrapper = Wrapper {
                        text: String::new(),
                        names: namespace.into_iter().collect(),
                        is_with: true,
                    };
                    (with.syntax().clone(), with.body(), wrapper)
                }
                Some(ast::Expr::Paren(paren)) => {
                    expr = paren.expr();
                    continue;
                }
                _ => return expr,
            };
            let body_node = body.as_ref()?.syntax().clone();
            let start = usize::from(node.text_range().start());
            let end = usize::from(body_node.text_range().start());
            self.wrappers.push(Wrapper {
                text: source.get(start..end)?.to_owned(),
                ..wrapper
            });
            expr = body;
        }
    }

    fn let_names_of(&mut self, let_in: &ast::LetIn) -> Vec<String> {
        let mut names = Vec::new();
        for entry in let_in.entries() {
            match entry {
                ast::Entry::AttrpathValue(binding) => {
                    match binding
                        .attrpath()
                        .and_then(|p| p.attrs().next())
                        .and_then(|a| crate::names::attr_name(&a))
                    {
                        Some(name) => names.push(name),
                        None => self.computed_let_name = true,
                    }
                }
                ast::Entry::Inherit(inherit) => {
                    for attr in inherit.attrs() {
                        match crate::names::attr_name(&attr) {
                            Some(name) => names.push(name),
                            None => self.computed_let_name = true,
                        }
                    }
                }
            }
        }
        self.let_names.extend(names.iter().cloned());
        names
    }

    /// True when `value` may mean something else outside the wrappers.
    pub fn depends(&self, value: &ast::Expr) -> bool {
        if self.wrappers.is_empty() {
            return false;
        }
        let root = value.syntax();
        references(root).any(|ident| {
            let name = ident.to_string();
            if self.computed_let_name || self.let_names.contains(&name) {
                return true;
            }
            if ["true", "false", "null"].contains(&name.as_str()) || self.formals.contains(&name) {
                return false;
            }
            // Any other name: from a `with` inside the value (the innermost `with` wins over a
            // file-level one), else only a file-level `with` (or nothing) provides it.
            !inside_a_with_body(&ident, root)
        })
    }
}

/// True when `ident` sits in the body of a `with` that is inside `root`.
fn inside_a_with_body(ident: &rnix::SyntaxNode, root: &rnix::SyntaxNode) -> bool {
    ident
        .ancestors()
        .take_while(|n| n != root)
        .chain(std::iter::once(root.clone()))
        .filter_map(ast::With::cast)
        .any(|with| {
            with.body()
                .is_some_and(|b| b.syntax().text_range().contains_range(ident.text_range()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> (Scope, Vec<(String, bool)>) {
        let root = rnix::Root::parse(text).tree();
        let Some(ast::Expr::Lambda(lambda)) = root.expr() else {
            panic!("not a function")
        };
        let mut scope = Scope::of_arguments(lambda.param());
        let Some(ast::Expr::AttrSet(set)) = scope.peel(text, lambda.body()) else {
            panic!("no set")
        };
        let found = set
            .entries()
            .filter_map(|e| match e {
                ast::Entry::AttrpathValue(b) => Some(b),
                ast::Entry::Inherit(_) => None,
            })
            .map(|b| {
                let value = b.value().unwrap();
                (b.attrpath().unwrap().to_string(), scope.depends(&value))
            })
            .collect();
        (scope, found)
    }

    #[test]
    fn values_that_name_let_bound_or_with_provided_names_depend_on_the_wrappers() {
        let (scope, found) = values(
            "{ pkgs, ... }:\nlet port = 80; inherit (pkgs) hello; in\nwith pkgs; {\n  a = 1;\n  b = port;\n  \
             c = pkgs.git;\n  d = with pkgs; [ git ];\n  e = [ git ];\n  f = [ hello ];\n  g = true;\n}\n",
        );
        assert_eq!(
            found,
            [
                ("a".to_owned(), false),
                ("b".to_owned(), true),
                ("c".to_owned(), false),
                ("d".to_owned(), false),
                ("e".to_owned(), true),
                ("f".to_owned(), true),
                ("g".to_owned(), false),
            ]
        );
        assert_eq!(scope.wrappers.len(), 2);
        assert_eq!(
            scope.wrappers[0].text,
            "let port = 80; inherit (pkgs) hello; in\n"
        );
        assert_eq!(scope.wrappers[0].names, ["port", "hello"]);
        assert_eq!(scope.wrappers[1].text, "with pkgs; ");
    }

    #[test]
    fn a_let_that_binds_an_argument_name_shadows_it() {
        let (_, found) = values("{ pkgs, ... }: let pkgs = {}; in { c = pkgs.git; }");
        assert_eq!(found, [("c".to_owned(), true)]);
    }
}
