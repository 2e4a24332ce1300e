//! A small typed Nix AST and its printer.
//!
//! The emitters build [`Expr`] values; only [`print`] turns them into text, and only `escape`
//! decides how a string or an attribute name is quoted. Nothing from a spec ever reaches the
//! output without passing through those two functions, which is what makes injection impossible.

mod escape;
mod parse_error;
mod print;
mod value;

pub use escape::{attr_name, is_bare_ident, string_literal};
pub use parse_error::{describe_parse_error, parse_error_range};
pub use print::print;
pub use value::{from_json, parse_option_path};

/// A Nix expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A finite float.
    Float(f64),
    /// A string literal (escaped on printing).
    Str(String),
    /// A path relative to the file (`./overlays/x.nix`). Printed as a literal when the text is
    /// made only of safe characters, otherwise as `./. + "/…"`.
    Path(String),
    /// A variable bound by the surrounding code (`pkgs`, `lib`, `old`). Only ever built from
    /// constants in the emitters, never from spec text.
    Var(&'static str),
    /// `expr.a.b` (attribute names escaped on printing).
    Select(Box<Expr>, Vec<String>),
    /// `expr.a or default`.
    SelectOr(Box<Expr>, Vec<String>, Box<Expr>),
    /// `expr ? a`.
    HasAttr(Box<Expr>, String),
    /// `[ … ]`.
    List(Vec<Expr>),
    /// `{ … }` (or `rec`-free attribute set) with bindings in the given order.
    Attrs(Vec<Binding>),
    /// `f a b`.
    Apply(Box<Expr>, Vec<Expr>),
    /// `a: body` with simple parameters, or `{ a, b, ... }: body`.
    Lambda(Params, Box<Expr>),
    /// A binary operator.
    BinOp(Box<Expr>, Op, Box<Expr>),
    /// `if c then a else b`.
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `let … in body`.
    Let(Vec<Binding>, Box<Expr>),
}

/// Binary operators the emitters use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `++`
    Concat,
    /// `//`
    Update,
    /// `+`
    Add,
}

/// Lambda parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Params {
    /// `a: b: …` (curried simple parameters).
    Simple(Vec<&'static str>),
    /// `{ a, b, ... }:`
    Pattern(Vec<&'static str>),
}

/// One `path = value;` binding, with optional comment lines printed above it.
#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    /// Comment lines (without `#`); only fixed texts and sanitized names go here.
    pub comment: Vec<String>,
    /// The attribute path; each name is escaped on printing.
    pub path: Vec<String>,
    /// The value.
    pub value: Expr,
    /// Print an empty line before this binding.
    pub blank_before: bool,
}

impl Binding {
    /// A binding without comment.
    pub fn new(path: Vec<String>, value: Expr) -> Self {
        Self {
            comment: Vec::new(),
            path,
            value,
            blank_before: false,
        }
    }
}

impl Expr {
    /// A string expression.
    pub fn str(text: impl Into<String>) -> Self {
        Expr::Str(text.into())
    }

    /// `base.path` for a dotted path given as segments.
    pub fn select(base: Expr, path: &[&str]) -> Self {
        Expr::Select(
            Box::new(base),
            path.iter().map(|s| (*s).to_owned()).collect(),
        )
    }

    /// `f arg1 arg2 …`.
    pub fn apply(function: Expr, args: Vec<Expr>) -> Self {
        Expr::Apply(Box::new(function), args)
    }

    /// A list of strings.
    pub fn str_list<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> Self {
        Expr::List(items.into_iter().map(|s| Expr::Str(s.into())).collect())
    }
}
