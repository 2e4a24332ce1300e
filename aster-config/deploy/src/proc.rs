//! Facts about processes, read from `/proc`: is a recorded process still the same one, and who
//! are we.
//!
//! A process is identified by its id *and* its start time (field 22 of `/proc/<pid>/stat`, in
//! clock ticks since boot), so a recycled process id is never mistaken for the process that left
//! a lock or a staging folder behind.

use std::os::unix::fs::MetadataExt as _;

/// Whether a recorded process still runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Liveness {
    /// It runs (same id and start time).
    Running,
    /// It is gone, or the id now belongs to another process.
    Gone,
    /// `/proc` cannot tell (not mounted).
    Unknown,
}

/// This process's id and start time.
pub fn this_process() -> (u32, Option<u64>) {
    let pid = std::process::id();
    (pid, start_time(pid))
}

/// The start time of process `pid`, when it exists.
pub fn start_time(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may contain spaces: skip past its end.
    let after_name = &stat[stat.rfind(')')? + 1..];
    // Fields from 3 on; the start time is field 22.
    after_name.split_whitespace().nth(19)?.parse().ok()
}

/// Whether process `pid`, started at `start` (when known), still runs.
pub fn liveness(pid: u32, start: Option<u64>) -> Liveness {
    if std::fs::metadata("/proc/self/stat").is_err() {
        return Liveness::Unknown;
    }
    if is_zombie(pid) {
        return Liveness::Gone;
    }
    match (start_time(pid), start) {
        (None, _) => Liveness::Gone,
        (Some(now), Some(then)) if now != then => Liveness::Gone,
        _ => Liveness::Running,
    }
}

/// True when `pid` has exited but was not reaped yet (an orphan whose new parent does not reap
/// it stays a zombie in some containers).
fn is_zombie(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rfind(')')
            .and_then(|end| stat[end + 1..].split_whitespace().next().map(str::to_owned))
            .is_some_and(|state| state == "Z" || state == "X")
    })
}

/// The effective user id of this process (the owner of `/proc/self`), when `/proc` is mounted.
pub fn effective_uid() -> Option<u32> {
    std::fs::metadata("/proc/self").ok().map(|m| m.uid())
}

#[cfg(test)]
mod tests {
    use super::{Liveness, liveness, this_process};

    #[test]
    fn this_process_is_running_and_a_changed_start_time_is_not() {
        let (pid, start) = this_process();
        assert!(start.is_some());
        assert_eq!(liveness(pid, start), Liveness::Running);
        assert_eq!(liveness(pid, start.map(|s| s + 1)), Liveness::Gone);
        assert_eq!(liveness(u32::MAX - 1, None), Liveness::Gone);
    }
}
