//! Test-only fault injection: stop the process dead at a named step of an apply.
//!
//! The crash-safety tests run the real binary with `ASTER_CONFIG_FAULT=<point>`; when the run
//! reaches that point it calls [`std::process::abort`] — no destructors, no cleanup, the lock is
//! released only because the kernel closes the file — exactly like a crash or `kill -9`. The
//! tests then check that `/etc/nixos` holds the old or the new files and that the next run
//! reports and recovers what was left. It exists only in builds with the `fault-injection`
//! feature (the test command's); release builds have no way to abort here.

/// The environment variable that names the fault point.
pub const ENV: &str = "ASTER_CONFIG_FAULT";

/// The places an apply or rollback can be stopped, in the order a run reaches them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The new files are staged beside the target; nothing else happened.
    AfterStage,
    /// The lock is taken and its owner recorded.
    AfterLock,
    /// The new generation is recorded; no managed file was touched yet.
    AfterGeneration,
    /// Exactly one managed file has been replaced.
    MidSwap,
    /// Every managed file has been replaced; `nixos-rebuild` has not started.
    AfterSwap,
    /// The journal says "rebuilding"; `nixos-rebuild` is about to start.
    BeforeRebuild,
    /// `nixos-rebuild` is running.
    DuringRebuild,
    /// The rebuild failed and exactly one file has been put back.
    MidRestore,
}

impl Fault {
    /// Every point, in order.
    pub const ALL: [Fault; 8] = [
        Fault::AfterStage,
        Fault::AfterLock,
        Fault::AfterGeneration,
        Fault::MidSwap,
        Fault::AfterSwap,
        Fault::BeforeRebuild,
        Fault::DuringRebuild,
        Fault::MidRestore,
    ];

    /// The value of [`ENV`] that selects this point.
    pub fn name(self) -> &'static str {
        match self {
            Fault::AfterStage => "after-stage",
            Fault::AfterLock => "after-lock",
            Fault::AfterGeneration => "after-generation",
            Fault::MidSwap => "mid-swap",
            Fault::AfterSwap => "after-swap",
            Fault::BeforeRebuild => "before-rebuild",
            Fault::DuringRebuild => "during-rebuild",
            Fault::MidRestore => "mid-restore",
        }
    }
}

/// Aborts the process when [`ENV`] names `fault`. Only with the `fault-injection` feature,
/// which the test command turns on; without it (every release build) this does nothing.
#[cfg(feature = "fault-injection")]
pub fn hit(fault: Fault) {
    if std::env::var_os(ENV).is_some_and(|value| value == fault.name()) {
        std::process::abort();
    }
}

/// Without the `fault-injection` feature no fault point can stop the process.
#[cfg(not(feature = "fault-injection"))]
pub fn hit(_fault: Fault) {}
