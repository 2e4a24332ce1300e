//! The scripted client of the language-server tests: Content-Length framed JSON-RPC to the real
//! `aster-config lsp` over stdin/stdout, and the helpers the sessions share (positions in a
//! text, snapshots with the temporary folder scrubbed, a copy of `tests/fixtures/lsp`).

use crate::common::root;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

/// A client on the real binary.
pub struct Client {
    pub child: Child,
    pub stdin: ChildStdin,
    pub stdout: BufReader<ChildStdout>,
    pub next_id: i64,
    /// Notifications received while waiting for a response.
    pub notifications: Vec<Value>,
}

impl Client {
    /// A server that sees no nixpkgs cache, so its completions are the same on every machine.
    pub fn start() -> Self {
        Self::start_with_cache(&std::env::temp_dir().join("aster-config-lsp-test-no-cache"))
    }

    /// A server whose nixpkgs cache (`XDG_CACHE_HOME`) is `cache`.
    pub fn start_with_cache(cache: &Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_aster-config"))
            .arg("lsp")
            .env("XDG_CACHE_HOME", cache)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start aster-config lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Self {
            child,
            stdin,
            stdout,
            next_id: 1,
            notifications: Vec::new(),
        }
    }

    pub fn send_raw(&mut self, body: &[u8]) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(body).unwrap();
        self.stdin.flush().unwrap();
    }

    pub fn send(&mut self, message: &Value) {
        self.send_raw(message.to_string().as_bytes());
    }

    pub fn receive(&mut self) -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            assert!(
                self.stdout.read_line(&mut line).unwrap() > 0,
                "the server closed its output"
            );
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(value) = line.strip_prefix("Content-Length: ") {
                length = value.parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        let mut message = json!({"jsonrpc": "2.0", "method": method});
        message["params"] = params;
        self.send(&message);
    }

    /// Sends a request and returns its response, keeping notifications that come first.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({"jsonrpc": "2.0", "id": id, "method": method});
        message["params"] = params;
        self.send(&message);
        self.response_to(&json!(id))
    }

    pub fn response_to(&mut self, id: &Value) -> Value {
        loop {
            let message = self.receive();
            if message.get("method").is_some() {
                self.notifications.push(message);
            } else {
                assert_eq!(message.get("id"), Some(id), "{message}");
                return message;
            }
        }
    }

    /// The next `publishDiagnostics` notification.
    pub fn diagnostics(&mut self) -> Value {
        if let Some(at) = self
            .notifications
            .iter()
            .position(|n| n["method"] == "textDocument/publishDiagnostics")
        {
            return self.notifications.remove(at)["params"].clone();
        }
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics" {
                return message["params"].clone();
            }
            self.notifications.push(message);
        }
    }

    pub fn finish(mut self) -> i32 {
        let response = self.request("shutdown", Value::Null);
        assert_eq!(response["result"], Value::Null, "{response}");
        self.notify("exit", Value::Null);
        drop(self.stdin);
        self.child.wait().unwrap().code().unwrap()
    }

    /// An initialized client.
    pub fn initialized() -> Self {
        let mut client = Self::start();
        client.initialize();
        client
    }

    /// An initialized client whose server's nixpkgs cache is `cache`.
    pub fn initialized_with_cache(cache: &Path) -> Self {
        let mut client = Self::start_with_cache(cache);
        client.initialize();
        client
    }

    /// `initialize` and `initialized`.
    fn initialize(&mut self) {
        self.request("initialize", json!({"capabilities": {}}));
        self.notify("initialized", json!({}));
    }

    /// Opens (or replaces) the document at `uri` and returns its diagnostics.
    pub fn open(&mut self, uri: &str, text: &str) -> Value {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "toml", "version": 1, "text": text}}),
        );
        self.diagnostics()
    }

    /// A request at the first `needle` (plus `shift`) of `text` in the document at `uri`.
    pub fn at(&mut self, method: &str, uri: &str, text: &str, needle: &str, shift: usize) -> Value {
        self.request(
            method,
            json!({"textDocument": {"uri": uri}, "position": position(text, needle, shift)}),
        )
    }

    /// Replaces the text of the document at `uri` (as `version`) and returns its diagnostics.
    pub fn change(&mut self, uri: &str, version: i64, text: &str) -> Value {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
        self.diagnostics()
    }

    /// The formatting response for the document at `uri`.
    pub fn formatting(&mut self, uri: &str) -> Value {
        self.request(
            "textDocument/formatting",
            json!({"textDocument": {"uri": uri}, "options": {"tabSize": 4, "insertSpaces": true}}),
        )
    }

    /// The code actions for `start`..`end` of the document at `uri`, each as its title, kind and
    /// the edits it makes to that document.
    pub fn code_actions(&mut self, uri: &str, start: &Value, end: &Value) -> Vec<Value> {
        let actions = self.request(
            "textDocument/codeAction",
            json!({
                "textDocument": {"uri": uri},
                "range": {"start": start, "end": end},
                "context": {"diagnostics": []},
            }),
        );
        actions["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| json!({"title": a["title"], "kind": a["kind"], "edits": a["edit"]["changes"][uri]}))
            .collect()
    }
}

pub fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// `{ line, character }` of the first `needle` in `text`, plus `shift` characters.
pub fn position(text: &str, needle: &str, shift: usize) -> Value {
    let at = text.find(needle).unwrap_or_else(|| panic!("no `{needle}`")) + shift;
    let line = text[..at].matches('\n').count();
    let column = at - text[..at].rfind('\n').map_or(0, |n| n + 1);
    json!({"line": line, "character": column})
}

pub fn snapshot(name: &str, value: &Value, dir: &Path) {
    let text = serde_json::to_string_pretty(value)
        .unwrap()
        .replace(&dir.display().to_string(), "[DIR]")
        .replace(env!("CARGO_PKG_VERSION"), "[VERSION]");
    insta::with_settings!({snapshot_path => root().join("tests/snapshots/lsp"), prepend_module_to_snapshot => false}, {
        insta::assert_snapshot!(name, text);
    });
}

pub fn spec_folder() -> (tempfile::TempDir, String, String) {
    spec_folder_with("system.toml")
}

/// A temporary copy of `tests/fixtures/lsp`, and the URI and text of its spec `name`.
pub fn spec_folder_with(name: &str) -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let dir_path = dir.path().canonicalize().unwrap();
    std::fs::create_dir(dir_path.join("patches")).unwrap();
    for file in [
        "system.toml",
        "services.toml",
        "extra.nix",
        "patches/fix.patch",
    ] {
        std::fs::copy(
            root().join("tests/fixtures/lsp").join(file),
            dir_path.join(file),
        )
        .unwrap();
    }
    let text = std::fs::read_to_string(dir_path.join(name)).unwrap();
    (dir, uri_of(&dir_path.join(name)), text)
}

/// The labels of a completion answer.
pub fn labels(response: &Value) -> Vec<String> {
    response["result"]
        .as_array()
        .unwrap_or_else(|| panic!("no completion list: {response}"))
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_owned())
        .collect()
}

/// The codes of a `publishDiagnostics` notification's parameters.
pub fn codes(published: &Value) -> Vec<String> {
    published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect()
}

/// The text of a hover answer (empty when there is none).
pub fn hover_text(response: &Value) -> &str {
    response["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_default()
}
