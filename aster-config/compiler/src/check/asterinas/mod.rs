//! What Asterinas supports: the spec against the kernel catalog (`aster-kernel`) and the distro
//! catalog (`aster-distro`).
//!
//! A newcomer who asks for Docker, `io_uring` software, a non-ext2 root or a service the distro
//! turns off learns it here, with the upstream reason and the alternative, instead of after a
//! failed install.

mod forced;
mod kernel;
mod modules;
mod software;

use super::Context;

pub fn check(cx: &mut Context<'_>) {
    software::check(cx);
    kernel::check(cx);
    forced::check(cx);
    let enabled = modules::enabled(cx);
    modules::check(cx, &enabled);
    modules::unused_allowances(cx, &enabled);
}

/// The sentence a kernel capability id stands for, e.g. "PID namespaces (unsupported): …".
fn capability_reason(id: &str) -> String {
    match aster_kernel::kernel().capability(id) {
        Some(capability) => format!("{} — {}", capability.title, capability.reason),
        None => id.to_owned(),
    }
}
