//! `[users.*]`: names NixOS accepts, no plaintext passwords, password hashes and keys NixOS will
//! not reject, and the assertions of `users-groups.nix` made impossible to trip.

use super::{Context, names};
use crate::diagnostic::{Code, Diagnostic};
use crate::spec::keys;
use crate::tree::key_path;

/// Key types OpenSSH accepts in `authorized_keys`.
const KEY_TYPES: &[&str] = &[
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
    "ssh-dss",
];

pub fn check(cx: &mut Context<'_>) {
    for (name, user) in &cx.spec.users {
        let here = key_path![keys::USERS, name];
        if name == "root" {
            cx.report(
                Diagnostic::new(
                    Code::ReservedUser,
                    "the `root` account is managed by Asterinas NixOS and cannot be declared here",
                )
                .at(cx.key_span(&here), "reserved")
                .help("declare your own user with `groups = [\"wheel\"]` to use sudo"),
            );
            continue;
        }
        if let Err(why) = names::account(name) {
            cx.report(
                Diagnostic::new(
                    Code::InvalidUserName,
                    format!("`{}` is not a valid user name: {why}", name.escape_debug()),
                )
                .at(cx.key_span(&here), "invalid user name")
                .help("use lowercase letters, digits, `-` and `_`, e.g. [users.alice]"),
            );
        }
        for key in ["password", "initial-password"] {
            let present = if key == "password" {
                user.password.is_some()
            } else {
                user.initial_password.is_some()
            };
            if present {
                cx.report(
                    Diagnostic::new(Code::PlaintextPassword, format!("user `{name}` has a plaintext `{key}`; it would be world-readable in the Nix store"))
                        .at(cx.key_span(&key_path![keys::USERS, name, key]), "plaintext password")
                        .help(format!("on the machine, run `sudo aster-config passwd {name}`: it asks for the password twice and writes its hash to /etc/secrets/{name}.hash, readable only by root; then write `hashed-password-file = \"/etc/secrets/{name}.hash\"` here instead")),
                );
            }
        }
        if user.hashed_password.is_some() && user.hashed_password_file.is_some() {
            cx.report(
                Diagnostic::new(
                    Code::Conflict,
                    format!("user `{name}` has both `hashed-password` and `hashed-password-file`"),
                )
                .at(
                    cx.key_span(&key_path![keys::USERS, name, keys::HASHED_PASSWORD]),
                    "one of these",
                )
                .also(
                    cx.key_span(&key_path![keys::USERS, name, keys::HASHED_PASSWORD_FILE]),
                    "and this",
                )
                .help("keep `hashed-password-file`: the hash then stays out of the Nix store"),
            );
        }
        if let Some(hash) = &user.hashed_password {
            let problem = if hash.contains(':') || hash.contains('\n') {
                Some("it contains `:` or a line break, which would corrupt /etc/shadow")
            } else if !hash.is_empty() && !hash.starts_with('$') && hash != "!" && hash != "*" {
                Some(
                    "it is not a crypt(3) hash (they start with `$`, e.g. `$y$…`); is it a plaintext password?",
                )
            } else {
                None
            };
            if let Some(problem) = problem {
                cx.report(
                    Diagnostic::new(
                        Code::BadFormat,
                        format!("the `hashed-password` of user `{name}` is not usable: {problem}"),
                    )
                    .at(
                        cx.span(&key_path![keys::USERS, name, keys::HASHED_PASSWORD]),
                        "not a password hash",
                    )
                    .help("create a hash with `mkpasswd -m yescrypt`"),
                );
            }
        }
        if let Some(file) = &user.hashed_password_file
            && !file.starts_with('/')
        {
            cx.report(
                    Diagnostic::new(Code::NotAbsolute, format!("`hashed-password-file` of user `{name}` must be an absolute path on the machine"))
                        .at(cx.span(&key_path![keys::USERS, name, keys::HASHED_PASSWORD_FILE]), "relative path")
                        .help("e.g. \"/etc/secrets/alice.hash\"; the file is read on the machine, never copied into the Nix store"),
                );
        }
        if let Some(description) = &user.description
            && description.contains([':', '\n', '\r'])
        {
            cx.report(
                    Diagnostic::new(Code::MultiLine, format!("the description of user `{name}` contains `:` or a line break, which /etc/passwd cannot hold"))
                        .at(cx.span(&key_path![keys::USERS, name, keys::DESCRIPTION]), "not allowed here"),
                );
        }
        for (index, group) in user.groups.iter().enumerate() {
            if let Err(why) = names::account(group) {
                cx.report(
                    Diagnostic::new(
                        Code::InvalidUserName,
                        format!(
                            "`{}` is not a valid group name: {why}",
                            group.escape_debug()
                        ),
                    )
                    .at(
                        cx.span(&key_path![keys::USERS, name, keys::GROUPS, index]),
                        "invalid group name",
                    ),
                );
            }
        }
        for (index, key) in user.ssh_keys.iter().enumerate() {
            ssh_key(cx, name, index, key);
        }
    }
}

fn ssh_key(cx: &mut Context<'_>, user: &str, index: usize, key: &str) {
    let here = key_path![keys::USERS, user, keys::SSH_KEYS, index];
    if key.contains(['\n', '\r']) {
        cx.report(
            Diagnostic::new(Code::MultiLine, format!("SSH key {} of user `{user}` spans several lines", index + 1))
                .at(cx.span(&here), "one key per string, on one line")
                .help("put each key in its own string: ssh-keys = [\"ssh-ed25519 AAAA…\", \"ssh-rsa AAAA…\"]"),
        );
        return;
    }
    let mut words = key.split_whitespace();
    let kind = words.next().unwrap_or("");
    let has_body = words.next().is_some_and(|body| body.len() >= 16);
    if !KEY_TYPES.contains(&kind) || !has_body {
        let mut diagnostic = Diagnostic::new(
            Code::BadFormat,
            format!(
                "SSH key {} of user `{user}` does not look like a public key",
                index + 1
            ),
        )
        .at(cx.span(&here), "expected `TYPE BASE64 [comment]`")
        .help("paste the whole line of your `~/.ssh/id_ed25519.pub`");
        if let Some(best) =
            crate::util::suggest::closest(kind, KEY_TYPES.iter().copied()).filter(|b| *b != kind)
        {
            diagnostic.help = Some(format!(
                "the key type `{kind}` is unknown; did you mean `{best}`?"
            ));
        }
        cx.report(diagnostic);
    }
}
