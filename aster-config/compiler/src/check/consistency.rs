//! Settings that are each valid but contradict each other, or do nothing as written: SSH keys
//! while sshd is off, a port opened for a loopback-only redis, a group listed twice, the `docker`
//! group on a podman host, a desktop whose kernel console is the virtio console, two nginx sites
//! that both claim to be the default, and SSH keys that are placeholders (which lock a remote
//! machine's admin out).

use super::Context;
use super::final_options::{Leaf, Origin};
use crate::check::final_options::AtLeaf as _;
use crate::diagnostic::{Code, Diagnostic};
use crate::spec::{Console, keys};
use crate::tree::key_path;
use std::collections::BTreeSet;

pub fn check(cx: &mut Context<'_>) {
    ssh_keys_without_sshd(cx);
    loopback_redis(cx);
    groups(cx);
    desktop_console(cx);
    default_sites(cx);
    raw_default_sites(cx);
    placeholder_keys(cx);
}

/// What to do about two default sites, wherever they were written.
const ONE_DEFAULT: &str = "nginx refuses to start with two `default_server` sites on one port; keep `default = true` on one site";

fn ssh_keys_without_sshd(cx: &mut Context<'_>) {
    let sshd = cx.spec.services.openssh.as_ref().is_some_and(|s| s.enable);
    if sshd {
        return;
    }
    for (name, user) in &cx.spec.users {
        if !user.ssh_keys.is_empty() {
            cx.report(
                Diagnostic::new(
                    Code::IgnoredSetting,
                    format!("user `{name}` has SSH keys, but SSH is off, so nobody can use them"),
                )
                .at(
                    cx.key_span(&key_path![keys::USERS, name, keys::SSH_KEYS]),
                    "no sshd to log in to",
                )
                .help("add an `[services.openssh]` table to run sshd, or remove the keys"),
            );
        }
    }
}

fn loopback_redis(cx: &mut Context<'_>) {
    let Some(redis) = cx.spec.services.redis.as_ref() else {
        return;
    };
    let loopback = redis
        .bind
        .split_whitespace()
        .all(|a| a.starts_with("127.") || a == "::1" || a == "localhost");
    if redis.enable && redis.open_firewall && loopback {
        cx.report(
            Diagnostic::new(
                Code::IgnoredSetting,
                format!(
                    "redis opens port {} to the network but listens only on {}",
                    redis.port, redis.bind
                ),
            )
            .at(
                cx.key_span(&key_path![keys::SERVICES, keys::REDIS, keys::OPEN_FIREWALL]),
                "nothing to reach from outside",
            )
            .also(
                cx.span(&key_path![keys::SERVICES, keys::REDIS, keys::BIND]),
                "loopback only",
            )
            .help("set `bind = \"0.0.0.0\"` to serve other machines, or remove `open-firewall`"),
        );
    }
}

fn groups(cx: &mut Context<'_>) {
    let podman = cx.spec.services.podman.as_ref().is_some_and(|p| p.enable);
    let docker = cx.spec.services.docker.as_ref().is_some_and(|d| d.enable);
    for (name, user) in &cx.spec.users {
        let mut seen = BTreeSet::new();
        for (index, group) in user.groups.iter().enumerate() {
            let here = key_path![keys::USERS, name, keys::GROUPS, index];
            if !seen.insert(group) {
                cx.report(
                    Diagnostic::new(
                        Code::Duplicate,
                        format!("user `{name}` lists group `{group}` twice"),
                    )
                    .at(cx.span(&here), "listed again"),
                );
            }
            if group == "docker" && podman && !docker {
                cx.report(
                    Diagnostic::new(
                        Code::IgnoredSetting,
                        format!("user `{name}` is in the `docker` group, which podman does not use"),
                    )
                    .at(cx.span(&here), "no docker daemon")
                    .help("podman runs containers as root on Asterinas (no user namespaces); run `sudo podman …` (or `sudo docker …` with docker-compat) and remove the group"),
                );
            }
        }
    }
}

fn desktop_console(cx: &mut Context<'_>) {
    if cx.spec.desktop.is_some() && cx.spec.kernel.console == Console::Hvc0 {
        let written = cx.span(&key_path![keys::KERNEL, keys::CONSOLE]);
        cx.report(
            Diagnostic::new(
                Code::DesktopConsole,
                "the desktop draws on the framebuffer, but the kernel console is the virtio console hvc0",
            )
            .at(
                written.or_else(|| cx.key_span(&key_path![keys::DESKTOP])),
                "console hvc0",
            )
            .help("set `console = \"tty0\"` under [kernel], as upstream's Xfce image does, so boot messages and the text login share the screen with the desktop"),
        );
    }
}

fn default_sites(cx: &mut Context<'_>) {
    let Some(nginx) = cx.spec.services.nginx.as_ref() else {
        return;
    };
    let defaults: Vec<&String> = nginx
        .sites
        .iter()
        .filter(|(_, site)| site.default)
        .map(|(name, _)| name)
        .collect();
    if let [first, second, ..] = defaults.as_slice() {
        cx.report(
            Diagnostic::new(
                Code::Conflict,
                format!("sites `{first}` and `{second}` are both the default site"),
            )
            .at(
                cx.key_span(&key_path![
                    keys::SERVICES,
                    keys::NGINX,
                    keys::SITES,
                    second.as_str(),
                    keys::DEFAULT
                ]),
                "second default",
            )
            .also(
                cx.key_span(&key_path![
                    keys::SERVICES,
                    keys::NGINX,
                    keys::SITES,
                    first.as_str(),
                    keys::DEFAULT
                ]),
                "first default",
            )
            .help(ONE_DEFAULT),
        );
    }
}

/// Two `services.nginx.virtualHosts.<name>.default = true` in the final option set when at least
/// one was written through `[nixos]` or a module (two from `[services.nginx]` are reported above).
fn raw_default_sites(cx: &mut Context<'_>) {
    let defaults: Vec<&Leaf> = cx
        .leaves
        .iter()
        .filter(|l| {
            l.under(&["services", "nginx", "virtualHosts", "*", "default"])
                && l.path.len() == 5
                && l.is_true()
        })
        .collect();
    let raw = |l: &Leaf| !matches!(l.origin, Origin::Section(_));
    if defaults.len() < 2 || !defaults.iter().any(|l| raw(l)) {
        return;
    }
    let first = defaults[0];
    let second = defaults[1..]
        .iter()
        .find(|l| raw(l))
        .unwrap_or(&defaults[1]);
    let (first, second) = (first.clone(), (*second).clone());
    cx.report(
        Diagnostic::new(
            Code::Conflict,
            format!(
                "sites `{}` ({}) and `{}` ({}) are both the default site",
                first.path[3],
                first.place(),
                second.path[3],
                second.place()
            ),
        )
        .at_leaf(&second, "second default")
        .also(first.span.clone(), "first default")
        .help(ONE_DEFAULT),
    );
}

/// Markers that documentation and templates put where a real key belongs (compared in lower
/// case).
const PLACEHOLDERS: &[&str] = &[
    "…", "...", "replace", "paste", "your own", "yourown", "your-key", "your_key", "changeme",
    "<key>",
];

/// The OpenSSH public key types.
const KEY_TYPES: &[&str] = &[
    "ssh-ed25519",
    "ssh-rsa",
    "ssh-dss",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
];

fn placeholder_keys(cx: &mut Context<'_>) {
    for (name, user) in &cx.spec.users {
        for (index, key) in user.ssh_keys.iter().enumerate() {
            let Some(why) = unusable_key(key) else {
                continue;
            };
            cx.report(
                Diagnostic::new(
                    Code::UnusableSshKey,
                    format!("the SSH key of `{name}` cannot log anyone in: {why}"),
                )
                .at(
                    cx.span(&key_path![keys::USERS, name, keys::SSH_KEYS, index]),
                    "not a real key",
                )
                .help("paste the whole public key, e.g. the output of `cat ~/.ssh/id_ed25519.pub`; deployed as is, nobody could log in over SSH"),
            );
        }
    }
}

/// Why `line` is not a usable `authorized_keys` entry: a template's placeholder, or a base64 body
/// that does not start with the key type the line declares (every OpenSSH public key body does).
fn unusable_key(line: &str) -> Option<String> {
    let mut fields = line.split_whitespace();
    let kind = fields.next()?;
    let body = fields.next()?;
    // Keys the users check already refuses (several lines, unknown type, no body) are left to it.
    if line.contains(['\n', '\r']) || !KEY_TYPES.contains(&kind) || body.len() < 16 {
        return None;
    }
    let lower = line.to_lowercase();
    if let Some(marker) = PLACEHOLDERS.iter().find(|m| lower.contains(**m)) {
        return Some(format!("it contains the placeholder text `{marker}`"));
    }
    // A body that is not even base64 is a hand-made stand-in; only placeholders and bodies that
    // decode to another key type are reported.
    let decoded = base64_decode(body)?;
    let declared = decoded
        .get(..4)
        .map(|n| u32::from_be_bytes([n[0], n[1], n[2], n[3]]) as usize)
        .and_then(|len| decoded.get(4..4 + len));
    if declared != Some(kind.as_bytes()) {
        return Some(format!("its body does not encode a `{kind}` key"));
    }
    None
}

/// Standard base64 with padding; `None` for anything else.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let bytes = text.trim_end_matches('=').as_bytes();
    if !text.len().is_multiple_of(4) || text.len() - bytes.len() > 2 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    let mut buffer = 0u32;
    let mut bits = 0;
    for &c in bytes {
        buffer = (buffer << 6) | u32::from(value(c)?);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buffer >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_and_placeholder_keys() {
        // A real ed25519 public key (made with ssh-keygen; its private half was thrown away).
        let real =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGP67r4MpV2/AHMfannEAqAnfDZMMOet3+msW6wtM1zQ a@b";
        assert_eq!(unusable_key(real), None);
        // Too short to be a key body: the users check refuses it, so this one stays quiet.
        assert_eq!(unusable_key("ssh-ed25519 AAAA… alice@laptop"), None);
        assert!(unusable_key("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI… a@b").is_some());
        assert!(
            unusable_key("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPutYourOwnKeyHereReplaceMe a@b")
                .is_some()
        );
        assert!(
            unusable_key(
                "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIGP67r4MpV2/AHMfannEAqAnfDZMMOet3+msW6wtM1zQ"
            )
            .is_some()
        );
        assert_eq!(base64_decode("aGk="), Some(b"hi".to_vec()));
        assert_eq!(base64_decode("a$k="), None);
    }
}
