//! `--on SELECTOR`: which hosts a plan or deploy touches.
//!
//! A selector is a comma-separated list of host names and `@tag`s (as colmena writes them); the
//! selection is every host named or carrying a named tag, in fleet order. A name the fleet does
//! not have (`AC0501`) or a tag nobody carries (`AC0502`) is an error: an empty or partial
//! selection must never pass for the one that was meant.

use crate::model::FleetFile;
use crate::validate::closest;
use aster_compiler::{Code, Diagnostic};

/// The indices of the selected hosts, or every problem with the selector.
pub fn select(fleet: &FleetFile, selector: Option<&str>) -> Result<Vec<usize>, Vec<Diagnostic>> {
    let Some(selector) = selector else {
        return Ok((0..fleet.host.len()).collect());
    };
    let names: Vec<&str> = fleet.host.iter().map(|h| h.name.as_str()).collect();
    let mut tags: Vec<&str> = fleet
        .host
        .iter()
        .flat_map(|h| h.tags.iter().map(String::as_str))
        .collect();
    tags.sort_unstable();
    tags.dedup();
    let mut chosen = vec![false; fleet.host.len()];
    let mut problems = Vec::new();
    for item in selector.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        if let Some(tag) = item.strip_prefix('@') {
            let mut any = false;
            for (i, host) in fleet.host.iter().enumerate() {
                if host.tags.iter().any(|t| t == tag) {
                    chosen[i] = true;
                    any = true;
                }
            }
            if !any {
                let mut diagnostic = Diagnostic::new(
                    Code::FleetTagMatchesNothing,
                    format!("no host has the tag `{}`", tag.escape_debug()),
                );
                diagnostic = match closest(tag, &tags) {
                    Some(best) => diagnostic.help(format!("did you mean `@{best}`?")),
                    None if tags.is_empty() => diagnostic.help("no host of the fleet has tags"),
                    None => diagnostic.help(format!("the fleet's tags: @{}", tags.join(", @"))),
                };
                problems.push(diagnostic);
            }
        } else if let Some(i) = names.iter().position(|n| *n == item) {
            chosen[i] = true;
        } else {
            let mut diagnostic = Diagnostic::new(
                Code::FleetUnknownHost,
                format!("the fleet has no host `{}`", item.escape_debug()),
            );
            diagnostic = match closest(item, &names) {
                Some(best) => diagnostic.help(format!("did you mean `{best}`?")),
                None => diagnostic.help(format!("the fleet's hosts: {}", names.join(", "))),
            };
            problems.push(diagnostic);
        }
    }
    if problems.is_empty() && !chosen.contains(&true) {
        problems.push(
            Diagnostic::new(Code::FleetUnknownHost, "`--on` selects no host")
                .help("name hosts or tags, e.g. `--on web-01,@db`"),
        );
    }
    if problems.is_empty() {
        Ok(chosen
            .iter()
            .enumerate()
            .filter(|(_, c)| **c)
            .map(|(i, _)| i)
            .collect())
    } else {
        Err(problems)
    }
}
