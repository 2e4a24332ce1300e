//! The kernel command line: split it, print it back, and check it against the catalog.
//!
//! The pipeline is `text → parse → [Param] → validate/check → Validated | ParamError`, and
//! `[Param] → render → text` for emitting.
//!
//! The model follows the upstream kernel (`kernel/core/comps/cmdline`):
//!
//! - tokens are separated by whitespace outside double quotes, and surrounding quotes are
//!   removed from a token or its value as Linux does (`name="a b"` has value `a b`);
//! - a bare `--` ends the kernel's part: every later token belongs to init;
//! - a name's `-` characters count as `_` when looking it up;
//! - an unknown `name=value` becomes an environment variable of init, an unknown bare word an
//!   argument of init, and an unknown dotted name (`module.param`) is dropped.

mod error;
mod suggest;
mod token;
mod validate;
mod virtio_mmio;

pub use error::{Forwarding, MmioField, ParamError, Severity};
pub use suggest::{SIMILARITY_THRESHOLD, suggest};
pub use token::{Param, Target, parse, render};
pub use validate::{Validated, Value, check, validate};
pub use virtio_mmio::{MIN_REGION_SIZE, REGISTER_ALIGNMENT, VirtioMmioDevice, parse_virtio_mmio};
