//! The language server under editing load (`cargo bench -p aster-lsp`): diagnostics latency for a
//! 200-line spec, and memory over 10,000 edits.
//!
//! Latency: the time from a `didChange` arriving to its `publishDiagnostics` being ready, measured
//! around [`Server::handle`] (the stdio loop adds one write). Each edit changes the host name, so
//! every run checks a new text. Memory: the resident set (`VmRSS`) after 1,000 edits and after
//! 10,000; flat means the server keeps no history. Numbers are printed, never asserted.

// A benchmark reports by printing; the counts printed are far below f64's exact range.
#![allow(clippy::print_stdout, clippy::cast_precision_loss)]

use aster_lsp::Server;
use lsp_server::{Message, Notification, Request, RequestId};
use serde_json::json;
use std::time::{Duration, Instant};

/// A spec of about 200 lines: every section, twenty users, a package list.
fn spec(edit: usize) -> String {
    let mut text = format!(
        "#:schema ../schema/aster-config.schema.json\nspec-version = 1\n\n[system]\nhostname = \"bench-{edit}\"\ntimezone = \"UTC\"\nlocale = \"en_US.UTF-8\"\n\n[kernel]\nlog-level = \"warn\"\nparams = [\"i8042.exist=0\"]\n\n[packages]\ninstall = [\n"
    );
    for name in [
        "git", "vim", "htop", "curl", "wget", "jq", "ripgrep", "fd", "tmux", "rsync",
    ] {
        text.push_str(&format!("    \"{name}\",\n"));
    }
    text.push_str("]\nallow-untested = [\"tmux\"]\n\n[services.openssh]\nports = [22]\npassword-authentication = false\n\n[services.nginx]\nsites.\"example.org\".root = \"/var/www/example\"\n\n");
    for user in 0..20 {
        text.push_str(&format!(
            "[users.user{user}]\ndescription = \"User {user}\"\ngroups = [\"wheel\"]\nshell = \"bash\"\nssh-keys = [\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBx1fTRhY2tlZEV4YW1wbGVLZXlGb3JEb2Nz user{user}@laptop\"]\nhashed-password-file = \"/etc/secrets/user{user}.hash\"\nuid = {}\n\n",
            1000 + user
        ));
    }
    text.push_str("[networking]\nnameservers = [\"1.1.1.1\", \"9.9.9.9\"]\nfirewall.allowed-tcp-ports = [22, 80]\n");
    text
}

fn change(version: usize) -> Message {
    Message::Notification(Notification::new(
        "textDocument/didChange".to_owned(),
        json!({
            "textDocument": {"uri": "file:///tmp/bench/system.toml", "version": version},
            "contentChanges": [{"text": spec(version)}],
        }),
    ))
}

fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let mut server = Server::new();
    server.handle(Message::Request(Request::new(
        RequestId::from(1),
        "initialize".to_owned(),
        json!({"capabilities": {}}),
    )));
    let lines = spec(0).lines().count();
    server.handle(Message::Notification(Notification::new(
        "textDocument/didOpen".to_owned(),
        json!({"textDocument": {"uri": "file:///tmp/bench/system.toml", "languageId": "toml", "version": 0, "text": spec(0)}}),
    )));
    let mut latencies: Vec<Duration> = Vec::new();
    let mut rss_at_1000 = None;
    for version in 1..=10_000 {
        let message = change(version);
        let start = Instant::now();
        let step = server.handle(message);
        let elapsed = start.elapsed();
        assert!(
            step.outgoing.iter().any(|m| matches!(m, Message::Notification(n) if n.method == "textDocument/publishDiagnostics")),
            "no diagnostics published"
        );
        latencies.push(elapsed);
        if version == 1_000 {
            rss_at_1000 = rss_kib();
        }
    }
    latencies.sort();
    let at = |percent: usize| latencies[(latencies.len() - 1) * percent / 100];
    println!("spec: {lines} lines; 10,000 didChange notifications");
    println!(
        "didChange → publishDiagnostics: median {:?}, p90 {:?}, p99 {:?}, max {:?} (target: within 10 ms)",
        at(50),
        at(90),
        at(99),
        at(100)
    );
    if let (Some(early), Some(late)) = (rss_at_1000, rss_kib()) {
        println!(
            "resident set: {early} KiB after 1,000 edits, {late} KiB after 10,000 ({:+.1}%)",
            (late as f64 - early as f64) / early as f64 * 100.0
        );
    }
}
