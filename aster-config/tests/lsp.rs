//! The language server end to end: a scripted client speaks Content-Length framed JSON-RPC to the
//! real `aster-config lsp` over stdin/stdout.
//!
//! One session walks what an editor does — initialize, didOpen, didChange (also to a document
//! broken mid-edit), hover, completion, codeAction, formatting, definition, shutdown, exit — and
//! snapshots the answers (`tests/snapshots/lsp/`, the temporary folder's path scrubbed). A second
//! session sends what a broken client sends: a body that is not JSON, a message that is not
//! JSON-RPC, an unknown method, a request before `initialize`, and a file past the size cap.
//! Others cover a spec's catalog facts, fixes and formatting edits; a fleet file's diagnostics,
//! hover and completion; silence on other TOML (a `Cargo.toml`); and a document change past the
//! message cap; a module problem pointing into the module file. The client is in `lsp/client.rs`.

#[path = "lsp/client.rs"]
mod client;
mod common;

use aster_lsp::transport::MAX_BODY_BYTES;
use client::{
    Client, codes, hover_text, labels, position, snapshot, spec_folder, spec_folder_with, uri_of,
};
use common::root;
use serde_json::{Value, json};

#[test]
fn an_editor_session() {
    let (dir, uri, text) = spec_folder();
    let dir_path = dir.path().canonicalize().unwrap();
    let mut client = Client::start();
    let init = client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    snapshot("initialize", &init["result"], &dir_path);
    client.notify("initialized", json!({}));

    let opened = client.open(&uri, &text);
    snapshot("did_open_diagnostics", &opened, &dir_path);

    // Mid-edit: an unclosed string. The server stays up and reports what it can.
    let broken = text.replace("\"lsp-demo\"", "\"lsp-de");
    snapshot(
        "broken_diagnostics",
        &client.change(&uri, 2, &broken),
        &dir_path,
    );
    assert_eq!(
        client.change(&uri, 3, &text),
        opened,
        "the repaired text has the first diagnostics again"
    );

    let hover = |client: &mut Client, needle: &str, shift: usize| {
        client.at("textDocument/hover", &uri, &text, needle, shift)["result"].clone()
    };
    snapshot("hover_key", &hover(&mut client, "log-level", 2), &dir_path);
    snapshot(
        "hover_package",
        &hover(&mut client, "\"docker\"", 2),
        &dir_path,
    );
    snapshot(
        "hover_diagnostic",
        &hover(&mut client, "hostnme", 2),
        &dir_path,
    );

    let complete = |client: &mut Client, edited: &str, needle: &str, shift: usize| {
        client.change(&uri, 4, edited);
        labels(&client.at("textDocument/completion", &uri, edited, needle, shift))
    };
    let keys = complete(
        &mut client,
        &text.replace("log-level = \"warn\"", "log-level = \"warn\"\ncon"),
        "\ncon",
        4,
    );
    assert!(keys.contains(&"console".to_owned()), "{keys:?}");
    assert!(keys.contains(&"params".to_owned()), "{keys:?}");
    let levels = complete(
        &mut client,
        &text.replace("\"warn\"", "\""),
        "log-level = \"",
        13,
    );
    snapshot("completion_log_level", &json!(levels), &dir_path);
    let packages = complete(
        &mut client,
        &text.replace("\"git\", ", "\"git\", \"vi"),
        "\"vi",
        3,
    );
    assert!(packages.contains(&"vim".to_owned()), "{packages:?}");
    let sections = complete(&mut client, &text.replace("[imports]", "[ser"), "[ser", 4);
    assert!(
        sections.contains(&"services.openssh".to_owned()),
        "{sections:?}"
    );
    let params = complete(
        &mut client,
        &text.replace("log-level = \"warn\"", "params = [\"\"]"),
        "params = [\"",
        11,
    );
    assert!(
        params.iter().any(|p| p.starts_with("virtio_mmio")),
        "{params:?}"
    );
    client.change(&uri, 5, &text);

    let summary = client.code_actions(
        &uri,
        &json!({"line": 0, "character": 0}),
        &position(&text, "extra.nix", 0),
    );
    snapshot("code_actions", &json!(summary), &dir_path);

    let formatting = client.formatting(&uri);
    assert_eq!(
        formatting["result"].as_array().unwrap().len(),
        0,
        "{formatting}"
    );

    let definition = client.at("textDocument/definition", &uri, &text, "./extra.nix", 3);
    snapshot("definition", &definition["result"], &dir_path);

    assert_eq!(client.finish(), 0);
}

#[test]
fn a_broken_client_gets_protocol_errors_and_the_server_stays_up() {
    let (dir, uri, _) = spec_folder();
    let dir_path = dir.path().canonicalize().unwrap();
    let mut client = Client::start();
    let early = client.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002, "{early}");
    client.request("initialize", json!({"capabilities": {}}));

    client.send_raw(b"{this is not json");
    let parse_error = client.response_to(&Value::Null);
    assert_eq!(parse_error["error"]["code"], -32700, "{parse_error}");
    client.send(&json!({"jsonrpc": "2.0", "id": 99, "method": 7}));
    let invalid = client.response_to(&json!(99));
    assert_eq!(invalid["error"]["code"], -32600, "{invalid}");
    let unknown = client.request("textDocument/rename", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    let bad_params = client.request("textDocument/hover", json!({"nonsense": true}));
    assert_eq!(bad_params["error"]["code"], -32602, "{bad_params}");
    client.notify("workspace/unknownNotification", json!({}));

    // A document past the spec limit: one diagnostic, at once.
    let huge = format!(
        "[system]\nhostname = \"big\"\n{}",
        "# padding\n".repeat(120_000)
    );
    let diagnostics = client.open(&uri, &huge);
    assert_eq!(codes(&diagnostics), ["AC0103"], "{diagnostics}");
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 1, "character": 2}}),
    );
    assert!(hover.get("result").is_some(), "{hover}");
    snapshot("huge_file", &diagnostics, &dir_path);

    // A fleet file is not a spec: no spec diagnostics for its keys, only the fleet check's.
    let fleet_uri = uri.replace("system.toml", "fleet.toml");
    let fleet = client.open(
        &fleet_uri,
        "fleet-version = 1\n[[host]]\nname = \"web-01\"\nspec = \"system.toml\"\n",
    );
    assert_eq!(
        codes(&fleet),
        ["AC0205"],
        "only the missing `[pins]`: {fleet}"
    );
    let host_spec = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": fleet_uri}, "position": {"line": 3, "character": 10}}),
    );
    assert_eq!(
        host_spec["result"]["uri"].as_str(),
        Some(uri.as_str()),
        "{host_spec}"
    );

    // `exit` without `shutdown` ends with 1, as the protocol says.
    client.notify("exit", Value::Null);
    assert_eq!(client.child.wait().unwrap().code(), Some(1));
}

/// A fleet file gets the fleet check's diagnostics on the editor's unsaved text: a problem
/// written in the fleet file points at its key there, with the host it concerns; problems in the
/// shared and per-host spec files sit on the first line and name their file. Fixing the fleet
/// file in the editor clears its diagnostic.
#[test]
fn a_fleet_file_gets_the_fleet_checks_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let dir_path = dir.path().canonicalize().unwrap();
    let fixture = root().join("tests/fixtures/fleet/err/every-host-reported");
    std::fs::create_dir(dir_path.join("hosts")).unwrap();
    for name in ["base.toml", "hosts/web-01.toml", "hosts/db-01.toml"] {
        std::fs::copy(fixture.join(name), dir_path.join(name)).unwrap();
    }
    // Never saved: the server must check the editor's text, not a file.
    let uri = uri_of(&dir_path.join("fleet.toml"));
    let fleet = |key: &str| {
        format!(
            "fleet-version = 1\n[pins]\nnixpkgs = \"https://github.com/NixOS/nixpkgs/archive/c0bebd16e69e631ac6e52d6eb439daba28ac50cd.tar.gz\"\n\n[defaults]\nspec = \"base.toml\"\n\n[[host]]\nname = \"web-01\"\nspec = \"hosts/web-01.toml\"\n\n[[host]]\nname = \"db-01\"\nspec = \"hosts/db-01.toml\"\n[host.settings.services.openssh]\n{key} = true\n"
        )
    };
    let mut client = Client::initialized();
    let published = client.open(&uri, &fleet("pasword-authentication"));
    let diagnostics = published["diagnostics"].as_array().unwrap().clone();
    let message = |d: &Value| d["message"].as_str().unwrap().to_owned();
    let line = |d: &Value| d["range"]["start"]["line"].as_i64().unwrap();
    let in_fleet: Vec<&Value> = diagnostics
        .iter()
        .filter(|d| message(d).starts_with("host db-01: unknown key `pasword-authentication`"))
        .collect();
    assert_eq!(in_fleet.len(), 1, "{published}");
    assert_eq!(line(in_fleet[0]), 15, "{published}");
    assert_eq!(in_fleet[0]["severity"], 1, "{published}");
    let shared = diagnostics
        .iter()
        .find(|d| message(d).contains("base.toml: hosts web-01, db-01: "))
        .unwrap_or_else(|| panic!("no diagnostic for the shared base.toml: {published}"));
    assert!(message(shared).starts_with("in "), "{published}");
    assert_eq!(line(shared), 0, "{published}");
    assert_eq!(shared["code"], "AC0401", "{published}");
    assert!(
        diagnostics.iter().any(|d| message(d).starts_with("in ")
            && message(d)
                .contains("hosts/web-01.toml: host web-01: unknown key `pasword-authentication`")),
        "{published}"
    );
    assert!(
        diagnostics.iter().any(|d| message(d).starts_with("in ")
            && message(d).contains("hosts/db-01.toml: host db-01: ")),
        "{published}"
    );

    let fixed = client.change(&uri, 2, &fleet("password-authentication"));
    let fixed = fixed["diagnostics"].as_array().unwrap();
    assert!(
        !fixed
            .iter()
            .any(|d| message(d).starts_with("host db-01: unknown key")),
        "the fixed key is no longer reported: {fixed:?}"
    );
    assert!(
        fixed
            .iter()
            .all(|d| d["code"] != "AC0201" || message(d).starts_with("in ")),
        "only the host spec's own typo is left: {fixed:?}"
    );
    assert_eq!(client.finish(), 0);
}

#[test]
fn package_completion_offers_names_from_the_cached_nixpkgs_index() {
    let (dir, uri, text) = spec_folder();
    let cache = dir.path().join("cache");
    let index = cache.join("aster-config/nixpkgs");
    std::fs::create_dir_all(&index).unwrap();
    // What `check` caches after a lookup: the names of each package set it asked about ("" is
    // the top level of pkgs), keyed by the nixpkgs revision's hash.
    std::fs::write(
        index.join("0000.json"),
        r#"{"": ["git", "vim", "zellij-test-only"], "python3Packages": ["requests"]}"#,
    )
    .unwrap();
    let mut client = Client::initialized_with_cache(&cache);
    let edited = text.replace("\"git\", ", "\"git\", \"zel");
    client.open(&uri, &edited);
    let items = client.at("textDocument/completion", &uri, &edited, "\"zel", 4)["result"]
        .as_array()
        .unwrap()
        .clone();
    let cached: Vec<&Value> = items
        .iter()
        .filter(|i| i["label"] == "zellij-test-only")
        .collect();
    assert_eq!(cached.len(), 1, "{items:?}");
    assert!(
        cached[0]["detail"]
            .as_str()
            .unwrap()
            .contains("not in the Asterinas catalog"),
        "{cached:?}"
    );
    // A name the catalog has is offered once, with its catalog status.
    assert_eq!(items.iter().filter(|i| i["label"] == "vim").count(), 1);
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
}

/// Hover on a service, a kernel parameter and a kernel feature; kernel-feature completion; the
/// fix that accepts an untested service; formatting that changes something, also as a code
/// action; go to definition on a patch.
#[test]
fn services_kernel_facts_fixes_and_formatting() {
    let (dir, uri, text) = spec_folder_with("services.toml");
    let dir_path = dir.path().canonicalize().unwrap();
    let mut client = Client::initialized();
    let opened = client.open(&uri, &text);
    assert!(codes(&opened).contains(&"AC0404".to_owned()), "{opened}");

    for (name, needle) in [
        ("hover_service", "openssh]"),
        ("hover_kernel_param", "i8042"),
        ("hover_kernel_feature", "cvm_guest"),
    ] {
        let hover = client.at("textDocument/hover", &uri, &text, needle, 2);
        snapshot(name, &hover["result"], &dir_path);
    }

    let edited = text.replace("\"cvm_guest\"", "\"");
    client.open(&uri, &edited);
    let features = labels(&client.at(
        "textDocument/completion",
        &uri,
        &edited,
        "features = [\"",
        13,
    ));
    snapshot("completion_kernel_features", &json!(features), &dir_path);
    // A single-value enum written as a bare `const` in the schema is still offered.
    let desktop = format!("{text}\n[desktop]\nenvironment = ");
    client.open(&uri, &desktop);
    let environments = labels(&client.at(
        "textDocument/completion",
        &uri,
        &desktop,
        "environment = ",
        14,
    ));
    assert_eq!(environments, ["\"xfce\""]);
    client.open(&uri, &text);

    let summary: Vec<Value> = client
        .code_actions(
            &uri,
            &position(&text, "openssh]", 0),
            &position(&text, "openssh]", 7),
        )
        .iter()
        .map(|a| json!({"title": a["title"], "kind": a["kind"], "new_text": a["edits"][0]["newText"]}))
        .collect();
    snapshot("code_actions_service", &json!(summary), &dir_path);

    let formatting = client.formatting(&uri);
    let edits = formatting["result"].as_array().unwrap();
    assert_eq!(edits.len(), 1, "{formatting}");
    assert_ne!(edits[0]["newText"], json!(text), "{formatting}");
    snapshot("formatting", &formatting["result"], &dir_path);
    assert!(
        summary
            .iter()
            .any(|a| a["kind"] == "source" && a["new_text"] == edits[0]["newText"]),
        "the format code action makes the same edit: {summary:?}"
    );

    let patch = client.at(
        "textDocument/definition",
        &uri,
        &text,
        "patches/fix.patch",
        3,
    );
    snapshot("definition_patch", &patch["result"], &dir_path);
    assert_eq!(client.finish(), 0);
}

/// A fleet file is read with the fleet schema: hover documents its keys and completion offers
/// them; inside a host's `settings` the spec schema and the catalogs take over.
#[test]
fn a_fleet_file_gets_fleet_hover_and_completion() {
    let dir = tempfile::tempdir().unwrap();
    let dir_path = dir.path().canonicalize().unwrap();
    let uri = uri_of(&dir_path.join("fleet.toml"));
    let text = std::fs::read_to_string(root().join("examples/fleet/fleet.toml")).unwrap();
    let mut client = Client::initialized();
    client.open(&uri, &text);

    let hover = client.at("textDocument/hover", &uri, &text, "rollback-timeout", 3);
    snapshot("fleet_hover_deploy_key", &hover["result"], &dir_path);
    let on_setting = client.at("textDocument/hover", &uri, &text, "install = [\"strace", 2);
    let value = hover_text(&on_setting);
    assert!(
        value.contains("`host.settings.packages.install`")
            && value.contains("nixpkgs attribute paths to install"),
        "spec documentation inside a host's settings: {on_setting}"
    );
    let on_package = client.at("textDocument/hover", &uri, &text, "\"strace\"", 2);
    let value = hover_text(&on_package);
    assert!(value.contains("**package `strace`**"), "{on_package}");

    let complete = |client: &mut Client, edited: &str, needle: &str, shift: usize| {
        client.open(&uri, edited);
        labels(&client.at("textDocument/completion", &uri, edited, needle, shift))
    };
    let top = complete(
        &mut client,
        &text.replace("description =", "des\ndescription ="),
        "des\n",
        3,
    );
    snapshot("fleet_completion_top_level", &json!(top), &dir_path);
    let deploy = complete(
        &mut client,
        &text.replace("rollback-timeout = 120", "ro"),
        "\nro\n",
        3,
    );
    assert_eq!(deploy, ["rollback-timeout"]);
    let host = complete(&mut client, &text.replace("port = 2222", "po"), "\npo\n", 3);
    assert!(
        host.contains(&"port".to_owned()) && host.contains(&"health".to_owned()),
        "{host:?}"
    );
    let in_settings = complete(
        &mut client,
        &text.replace("install = [\"strace\"]", "install = [\"vi"),
        "[\"vi",
        4,
    );
    assert!(in_settings.contains(&"vim".to_owned()), "{in_settings:?}");
    let sections = complete(&mut client, &text.replace("[deploy]", "[ho"), "[ho", 3);
    for expected in [
        "host",
        "host.health",
        "host.settings",
        "host.settings.services.openssh",
    ] {
        assert!(
            sections.contains(&expected.to_owned()),
            "{expected}: {sections:?}"
        );
    }
    assert!(!sections.contains(&"system".to_owned()), "{sections:?}");
    assert_eq!(client.finish(), 0);
}

/// Editors start the server for every TOML file: one that is neither a spec nor a fleet file
/// gets no diagnostics and no answers, and a file that stops being a spec loses its diagnostics.
#[test]
fn other_toml_files_get_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let uri = uri_of(&dir.path().join("Cargo.toml"));
    let cargo = "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n\
                 [dependencies]\nserde = { version = \"1\", features = [\"derive\"] }\n";
    let mut client = Client::initialized();
    let published = client.open(&uri, cargo);
    assert_eq!(published["diagnostics"], json!([]), "{published}");
    let hover = client.at("textDocument/hover", &uri, cargo, "name", 1);
    assert_eq!(hover["result"], Value::Null, "{hover}");
    let completion = client.at("textDocument/completion", &uri, cargo, "edition", 0);
    assert_eq!(completion["result"], json!([]), "{completion}");
    let formatting = client.formatting(&uri);
    assert_eq!(formatting["result"], json!([]), "{formatting}");

    // A spec (by its keys) with a typo is reported; once the spec's keys are gone, nothing is.
    let spec_uri = uri_of(&dir.path().join("notes.toml"));
    let spec = client.open(&spec_uri, "spec-version = 1\n[system]\nhostnme = \"a\"\n");
    assert!(codes(&spec).contains(&"AC0201".to_owned()), "{spec}");
    let other = client.open(&spec_uri, "[notes]\nhostnme = \"a\"\n");
    assert_eq!(other["diagnostics"], json!([]), "{other}");
    assert_eq!(client.finish(), 0);
}

/// A document change larger than the server reads in one message: the document's old text and
/// diagnostics are dropped and it gets the one `AC0103` diagnostic; a request that large gets an
/// invalid-request error with its own id. The server answers on.
#[test]
fn a_message_past_the_cap_leaves_one_size_diagnostic() {
    let (_dir, uri, text) = spec_folder();
    let mut client = Client::initialized();
    let opened = client.open(&uri, &text);
    assert!(codes(&opened).contains(&"AC0201".to_owned()), "{opened}");
    let huge = format!("{text}{}", "# padding\n".repeat(900_000));
    assert!(huge.len() > MAX_BODY_BYTES);
    let published = client.change(&uri, 2, &huge);
    assert_eq!(published["uri"], json!(uri), "{published}");
    assert_eq!(codes(&published), ["AC0103"], "{published}");
    let hover = client.at("textDocument/hover", &uri, &text, "hostnme", 2);
    let value = hover_text(&hover);
    assert!(
        !value.contains("AC0201"),
        "the old text's diagnostics are gone: {hover}"
    );

    let refused = client.request("textDocument/hover", json!({"padding": huge}));
    assert_eq!(refused["error"]["code"], -32600, "{refused}");

    let reopened = client.open(&uri, &text);
    assert_eq!(reopened, opened, "a normal change is checked again");
    assert_eq!(client.finish(), 0);
}

/// A problem in an imported module: the diagnostic sits on the spec's `modules` entry, and its
/// related information points at the binding in the module file itself.
#[test]
fn a_module_problem_points_into_the_module_file() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().canonicalize().unwrap();
    std::fs::write(
        folder.join("containers.nix"),
        "{ ... }:\n{\n  virtualisation.docker.enable = true;\n}\n",
    )
    .unwrap();
    let uri = uri_of(&folder.join("system.toml"));
    let text = "spec-version = 1\n[imports]\nmodules = [\"containers.nix\"]\n";
    let mut client = Client::initialized();
    let published = client.open(&uri, text);
    let docker = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "AC0403")
        .unwrap_or_else(|| panic!("no AC0403: {published}"));
    assert_eq!(docker["range"]["start"]["line"], 2, "{docker}");
    let related = &docker["relatedInformation"][0];
    assert_eq!(
        related["location"]["uri"],
        uri_of(&folder.join("containers.nix")),
        "{docker}"
    );
    assert_eq!(
        related["location"]["range"],
        json!({"start": {"line": 2, "character": 2}, "end": {"line": 2, "character": 38}}),
        "{docker}"
    );
    assert_eq!(related["message"], "set here");
    assert_eq!(client.finish(), 0);
}
