//! `[kernel]`: settings that only mean something together, and the kernel image path.
//! (What the Asterinas kernel supports — parameters, features — is checked by `asterinas`.)

use super::Context;
use crate::diagnostic::{Code, Diagnostic};
use crate::spec::Init;
use crate::spec::keys;
use crate::tree::key_path;

pub fn check(cx: &mut Context<'_>) {
    let kernel = &cx.spec.kernel;
    if kernel.stage_2_hook.is_some() && kernel.init == Init::Systemd {
        cx.report(
            Diagnostic::new(
                Code::IgnoredSetting,
                "`kernel.stage-2-hook` has no effect while `kernel.init` is \"systemd\"",
            )
            .at(
                cx.key_span(&key_path![keys::KERNEL, keys::STAGE_2_HOOK]),
                "ignored",
            )
            .also(
                cx.span(&key_path![keys::KERNEL, keys::INIT]),
                "systemd runs instead",
            )
            .help("set `init = \"shell\"` to run the hook, or remove it"),
        );
    }
    if let Some(hook) = &kernel.stage_2_hook
        && let Err(why) = super::names::single_line(hook)
    {
        cx.report(
            Diagnostic::new(
                Code::MultiLine,
                format!("`kernel.stage-2-hook` must be one command line: {why}"),
            )
            .at(
                cx.span(&key_path![keys::KERNEL, keys::STAGE_2_HOOK]),
                "more than one line",
            ),
        );
    }
    if let Some(image) = &kernel.image
        && !image.starts_with('/')
    {
        cx.report(
            Diagnostic::new(
                Code::NotAbsolute,
                format!(
                    "`kernel.image` must be an absolute path, not `{}`",
                    image.escape_debug()
                ),
            )
            .at(
                cx.span(&key_path![keys::KERNEL, keys::IMAGE]),
                "relative path",
            )
            .help("give the full path of the kernel image on the machine that builds the system"),
        );
    }
}
