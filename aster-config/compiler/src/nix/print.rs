//! Prints an [`Expr`] as formatted Nix source.
//!
//! The layout follows the style of hand-written NixOS configurations: two-space indentation,
//! one binding per line, short lists of plain values on one line and longer ones one item per
//! line, a space inside brackets and braces. Negative numbers are parenthesized so they stay
//! single list items. Text of several lines is an indented string (`''…''`), one line of text
//! per line of Nix, when that form holds it exactly. The output is deterministic: the same tree always gives the same bytes.

use super::escape::{attr_name, indented_string, string_literal};
use super::{Binding, Expr, Op, Params};
use std::fmt::Write as _;

/// Lists of simple items up to this many characters stay on one line.
const INLINE_WIDTH: usize = 60;

/// Formats `expr` as Nix source text (no trailing newline).
pub fn print(expr: &Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, expr, 0);
    out
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn write_expr(out: &mut String, expr: &Expr, level: usize) {
    match expr {
        Expr::Null => out.push_str("null"),
        Expr::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Expr::Int(i) => write_int(out, *i),
        Expr::Float(f) => write_float(out, *f),
        Expr::Str(s) => match indented_string(s, level * 2) {
            Some(block) => out.push_str(&block),
            None => out.push_str(&string_literal(s)),
        },
        Expr::Path(p) => write_path(out, p),
        Expr::Var(name) => out.push_str(name),
        Expr::Select(base, path) => {
            write_operand(out, base, level);
            for name in path {
                out.push('.');
                out.push_str(&attr_name(name));
            }
        }
        Expr::SelectOr(base, path, default) => {
            write_operand(out, base, level);
            for name in path {
                out.push('.');
                out.push_str(&attr_name(name));
            }
            out.push_str(" or ");
            write_operand(out, default, level);
        }
        Expr::HasAttr(base, name) => {
            write_operand(out, base, level);
            out.push_str(" ? ");
            out.push_str(&attr_name(name));
        }
        Expr::List(items) => write_list(out, items, level),
        Expr::Attrs(bindings) => write_attrs(out, bindings, level),
        Expr::Apply(function, args) => {
            write_operand(out, function, level);
            for arg in args {
                out.push(' ');
                write_operand(out, arg, level);
            }
        }
        Expr::Lambda(params, body) => {
            match params {
                Params::Simple(names) => {
                    for name in names {
                        let _ = write!(out, "{name}: ");
                    }
                }
                Params::Pattern(names) => {
                    let _ = write!(out, "{{ {}, ... }}: ", names.join(", "));
                }
            }
            if level == 0 && matches!(**body, Expr::Attrs(_) | Expr::Let(..)) {
                // A file-level function: its body starts on its own line, as people write it.
                out.pop();
                out.push_str("\n\n");
            }
            write_expr(out, body, level);
        }
        Expr::BinOp(left, op, right) => {
            write_operand(out, left, level);
            out.push_str(match op {
                Op::Concat => " ++ ",
                Op::Update => " // ",
                Op::Add => " + ",
            });
            write_operand(out, right, level);
        }
        Expr::If(condition, then, otherwise) => {
            out.push_str("if ");
            write_expr(out, condition, level);
            out.push('\n');
            indent(out, level + 1);
            out.push_str("then ");
            write_expr(out, then, level + 1);
            out.push('\n');
            indent(out, level + 1);
            out.push_str("else ");
            write_expr(out, otherwise, level + 1);
        }
        Expr::Let(bindings, body) => {
            out.push_str("let\n");
            for binding in bindings {
                write_binding(out, binding, level + 1);
            }
            indent(out, level);
            out.push_str("in\n");
            indent(out, level);
            write_expr(out, body, level);
        }
    }
}

/// Writes `expr` where an operand is expected, parenthesizing anything that is not atomic.
fn write_operand(out: &mut String, expr: &Expr, level: usize) {
    let atomic = match expr {
        Expr::Int(i) => *i >= 0,
        Expr::Float(f) => *f >= 0.0 && !f.is_sign_negative(),
        Expr::Null
        | Expr::Bool(_)
        | Expr::Str(_)
        | Expr::Var(_)
        | Expr::List(_)
        | Expr::Attrs(_)
        | Expr::Select(..) => true,
        Expr::Path(p) => is_literal_path(p),
        _ => false,
    };
    if atomic {
        write_expr(out, expr, level);
    } else {
        out.push('(');
        write_expr(out, expr, level);
        out.push(')');
    }
}

fn write_int(out: &mut String, value: i64) {
    if value == i64::MIN {
        // The literal 9223372036854775808 does not fit an integer, so build the minimum.
        out.push_str("(-9223372036854775807 - 1)");
    } else {
        let _ = write!(out, "{value}");
    }
}

fn write_float(out: &mut String, value: f64) {
    let mut text = format!("{value:?}");
    if !text.contains(['.', 'e', 'E']) {
        text.push_str(".0");
    }
    // Nix reads `1e300` but not `1.0e300` in every version; Rust's debug form never yields the
    // exponent without a mantissa dot, so normalise `1e300` spellings to `1.0e300`.
    if let Some((mantissa, exponent)) = text.split_once('e')
        && !mantissa.contains('.')
    {
        text = format!("{mantissa}.0e{exponent}");
    }
    out.push_str(&text);
}

fn is_literal_path(path: &str) -> bool {
    !path.is_empty()
        && !path.contains("//")
        && !path.ends_with('/')
        && path.split('/').all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+'))
        })
}

fn write_path(out: &mut String, path: &str) {
    if let Some(up) = path
        .strip_prefix("../")
        .filter(|rest| is_literal_path(rest))
    {
        let _ = write!(out, "../{up}");
    } else if is_literal_path(path) {
        let _ = write!(out, "./{path}");
    } else {
        let _ = write!(out, "(./. + {})", string_literal(&format!("/{path}")));
    }
}

fn is_simple(expr: &Expr) -> bool {
    matches!(
        expr,
        Expr::Null
            | Expr::Bool(_)
            | Expr::Int(_)
            | Expr::Float(_)
            | Expr::Str(_)
            | Expr::Var(_)
            | Expr::Path(_)
            | Expr::Select(..)
    )
}

fn write_list(out: &mut String, items: &[Expr], level: usize) {
    if items.is_empty() {
        out.push_str("[ ]");
        return;
    }
    if items.iter().all(is_simple) {
        let mut line = String::from("[");
        for item in items {
            line.push(' ');
            write_operand(&mut line, item, level);
        }
        line.push_str(" ]");
        if line.len() <= INLINE_WIDTH && !line.contains('\n') {
            out.push_str(&line);
            return;
        }
    }
    out.push_str("[\n");
    for item in items {
        indent(out, level + 1);
        write_operand(out, item, level + 1);
        out.push('\n');
    }
    indent(out, level);
    out.push(']');
}

fn write_attrs(out: &mut String, bindings: &[Binding], level: usize) {
    if bindings.is_empty() {
        out.push_str("{ }");
        return;
    }
    out.push_str("{\n");
    for binding in bindings {
        write_binding(out, binding, level + 1);
    }
    indent(out, level);
    out.push('}');
}

fn write_binding(out: &mut String, binding: &Binding, level: usize) {
    if binding.blank_before {
        out.push('\n');
    }
    for line in &binding.comment {
        indent(out, level);
        if line.is_empty() {
            out.push_str("#\n");
        } else {
            let _ = writeln!(out, "# {}", sanitize_comment(line));
        }
    }
    indent(out, level);
    let path: Vec<String> = binding.path.iter().map(|name| attr_name(name)).collect();
    out.push_str(&path.join("."));
    out.push_str(" = ");
    write_expr(out, &binding.value, level);
    out.push_str(";\n");
}

/// Comments never contain a line break or control character, whatever they were built from.
fn sanitize_comment(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_a_small_module() {
        let expr = Expr::Attrs(vec![
            Binding::new(
                vec!["networking".into(), "hostName".into()],
                Expr::str("web-01"),
            ),
            Binding::new(
                vec!["ports".into()],
                Expr::List(vec![Expr::Int(22), Expr::Int(-1)]),
            ),
            Binding::new(
                vec!["sites".into(), "example.org".into()],
                Expr::Attrs(vec![]),
            ),
        ]);
        insta::assert_snapshot!(print(&expr), @r#"
        {
          networking.hostName = "web-01";
          ports = [ 22 (-1) ];
          sites."example.org" = { };
        }
        "#);
    }

    #[test]
    fn prints_unsafe_paths_as_string_concatenation() {
        assert_eq!(
            print(&Expr::Path("patches/a b.patch".into())),
            r#"(./. + "/patches/a b.patch")"#
        );
        assert_eq!(
            print(&Expr::Path("patches/x/0001-fix.patch".into())),
            "./patches/x/0001-fix.patch"
        );
        assert_eq!(print(&Expr::Int(i64::MIN)), "(-9223372036854775807 - 1)");
        assert_eq!(print(&Expr::Float(1.0)), "1.0");
        assert_eq!(print(&Expr::Float(1e300)), "1.0e300");
    }
}
