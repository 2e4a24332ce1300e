//! `overlays/<name>.nix`: one nixpkgs overlay per `[overrides.<name>]`.
//!
//! The overlay re-versions and patches the package with `overrideAttrs`, appending the spec's
//! patches to the package's own; a new version always comes with its own source
//! (`src = final.fetchurl { url; hash; }`), which the check demands. A nested attribute (`xfce.xfdesktop`) is replaced inside its
//! parent: through `overrideScope` when the parent is a package scope (so the scope's other
//! members see the new package), and with `//` when it is a plain attribute set.

use super::configuration::header;
use crate::layout::patch_output_path;
use crate::nix::{self, Binding, Expr, Op, Params};
use crate::source::SourceFile;
use crate::spec::Override;

/// The generated text of the overlay for override `name`.
pub fn render(source: &SourceFile, name: &str, over: &Override) -> String {
    let mut changes = Vec::new();
    if let Some(version) = &over.version {
        changes.push(Binding::new(vec!["version".into()], Expr::str(version)));
    }
    if let (Some(url), Some(hash)) = (&over.src_url, &over.src_hash) {
        changes.push(Binding::new(
            vec!["src".into()],
            Expr::apply(
                Expr::select(Expr::Var("final"), &["fetchurl"]),
                vec![Expr::Attrs(vec![
                    Binding::new(vec!["url".into()], Expr::str(url)),
                    Binding::new(vec!["hash".into()], Expr::str(hash)),
                ])],
            ),
        ));
    }
    if !over.patches.is_empty() {
        let own = Expr::SelectOr(
            Box::new(Expr::Var("old")),
            vec!["patches".into()],
            Box::new(Expr::List(vec![])),
        );
        let added = over
            .patches
            .iter()
            .map(|patch| Expr::Path(format!("../{}", patch_output_path(name, patch))))
            .collect();
        changes.push(Binding::new(
            vec!["patches".into()],
            Expr::BinOp(Box::new(own), Op::Concat, Box::new(Expr::List(added))),
        ));
    }
    let change = Expr::Lambda(Params::Simple(vec!["old"]), Box::new(Expr::Attrs(changes)));
    let segments: Vec<String> = over.attr.split('.').map(str::to_owned).collect();
    let (head, rest) = segments
        .split_first()
        .map_or((String::new(), &[][..]), |(h, r)| (h.clone(), r));
    let mut bindings = vec![Binding::new(vec!["change".into()], change)];
    if !rest.is_empty() {
        bindings.push(Binding::new(vec!["update".into()], update_helper()));
    }
    let replaced = replace(Expr::select(Expr::Var("prev"), &[&head]), rest);
    let body = Expr::Let(
        bindings,
        Box::new(Expr::Attrs(vec![Binding::new(vec![head], replaced)])),
    );
    let overlay = Expr::Lambda(Params::Simple(vec!["final", "prev"]), Box::new(body));
    let attr: String = over.attr.chars().filter(|c| !c.is_control()).collect();
    format!(
        "{}\n# Override `{name}` of package `{attr}`.\n{}\n",
        header(source),
        nix::print(&overlay)
    )
}

/// `base` with the package at `rest` (a path below it) overridden by `change`: one call of
/// `update` per name, so the overlay grows linearly with the length of the attribute path.
fn replace(base: Expr, rest: &[String]) -> Expr {
    let Some((next, deeper)) = rest.split_first() else {
        return Expr::apply(
            Expr::Select(Box::new(base), vec!["overrideAttrs".into()]),
            vec![Expr::Var("change")],
        );
    };
    let inner = Expr::Lambda(
        Params::Simple(vec!["member"]),
        Box::new(replace(Expr::Var("member"), deeper)),
    );
    Expr::apply(
        Expr::Var("update"),
        vec![base, Expr::str(next.clone()), inner],
    )
}

/// `update = set: name: f: …` — replaces member `name` of `set` by `f member`: through
/// `overrideScope` when `set` is a package scope (so its other members see the new package),
/// with `//` when it is a plain attribute set.
fn update_helper() -> Expr {
    let member_of = |set: &'static str| {
        Expr::apply(
            Expr::select(Expr::Var("builtins"), &["getAttr"]),
            vec![Expr::Var("name"), Expr::Var(set)],
        )
    };
    let replaced = |set: &'static str| {
        Expr::apply(
            Expr::select(Expr::Var("builtins"), &["listToAttrs"]),
            vec![Expr::List(vec![Expr::Attrs(vec![
                Binding::new(vec!["name".into()], Expr::Var("name")),
                Binding::new(
                    vec!["value".into()],
                    Expr::apply(Expr::Var("f"), vec![member_of(set)]),
                ),
            ])])],
        )
    };
    let through_scope = Expr::apply(
        Expr::select(Expr::Var("set"), &["overrideScope"]),
        vec![Expr::Lambda(
            Params::Simple(vec!["sfinal", "sprev"]),
            Box::new(replaced("sprev")),
        )],
    );
    let through_update = Expr::BinOp(
        Box::new(Expr::Var("set")),
        Op::Update,
        Box::new(replaced("set")),
    );
    Expr::Lambda(
        Params::Simple(vec!["set", "name", "f"]),
        Box::new(Expr::If(
            Box::new(Expr::HasAttr(
                Box::new(Expr::Var("set")),
                "overrideScope".into(),
            )),
            Box::new(through_scope),
            Box::new(through_update),
        )),
    )
}
