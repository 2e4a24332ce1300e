//! [`ParamError`]: everything that can be wrong with one command-line parameter.
//!
//! Each variant carries the data a diagnostic needs; `Display` gives a complete sentence.
//! [`ParamError::severity`] separates hard errors from warnings ([`ParamError::Ignored`] and
//! [`ParamError::Overridden`] describe legal command lines that do less than intended).

use std::fmt;

use crate::Arch;

/// How serious a [`ParamError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The command line is legal but something in it has no effect.
    Warning,
    /// The parameter will not do what it says.
    Error,
}

/// What the kernel does with a parameter it does not recognize.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Forwarding {
    /// `name=value`: becomes an environment variable of init.
    InitEnv,
    /// A bare word: becomes an argument of init.
    InitArgv,
    /// A dotted name (`module.param`): dropped without a word.
    Dropped,
}

impl Forwarding {
    fn describe(self) -> &'static str {
        match self {
            Forwarding::InitEnv => "the kernel passes it to init as an environment variable",
            Forwarding::InitArgv => "the kernel passes it to init as an argument",
            Forwarding::Dropped => "the kernel drops unknown dotted (module) parameters",
        }
    }
}

/// A numeric field of a `virtio_mmio.device` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MmioField {
    /// The region size before `@`.
    Size,
    /// The base address after `@`.
    Base,
    /// The interrupt line after the first `:`.
    Irq,
    /// The optional device id after the second `:`.
    Id,
}

impl fmt::Display for MmioField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MmioField::Size => "size",
            MmioField::Base => "base address",
            MmioField::Irq => "IRQ",
            MmioField::Id => "device id",
        })
    }
}

/// Why a parameter is wrong (or, for warnings, does less than it seems to).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamError {
    /// The kernel does not recognize the name.
    UnknownParam {
        /// The name as written.
        name: String,
        /// Known names it may be a typo of, best first.
        suggestions: Vec<String>,
        /// What the kernel does with it instead.
        forwarded: Forwarding,
    },
    /// A `name=value` parameter was given without a value.
    MissingValue {
        /// The parameter.
        name: String,
        /// What the value should look like.
        expected: String,
    },
    /// A bare flag was given a value.
    UnexpectedValue {
        /// The parameter.
        name: String,
        /// The value that should not be there.
        value: String,
    },
    /// The value does not follow the parameter's grammar.
    InvalidValue {
        /// The parameter.
        name: String,
        /// The offending value (for lists, the offending item).
        value: String,
        /// What the value should look like.
        expected: String,
        /// Every valid value, when the set is closed.
        valid: Vec<String>,
        /// Valid values the offending one may be a typo of.
        suggestions: Vec<String>,
    },
    /// The parameter exists, but not in this architecture's kernel.
    WrongArch {
        /// The parameter.
        name: String,
        /// The architecture being configured.
        arch: Arch,
        /// Architectures whose kernel has it.
        arches: Vec<Arch>,
    },
    /// Warning: the kernel recognizes the parameter but does nothing with it yet.
    Ignored {
        /// The parameter.
        name: String,
        /// Why it has no effect.
        reason: String,
    },
    /// Warning: a single-value parameter appears more than once; only the last one counts.
    Overridden {
        /// The parameter.
        name: String,
        /// How many times it appears.
        count: usize,
    },
    /// A `virtio_mmio.device` value is not shaped `<size>@<base>:<irq>[:<id>]`.
    MalformedVirtioMmio {
        /// The value.
        value: String,
    },
    /// A `virtio_mmio.device` field is not a decimal or `0x` hexadecimal number that fits.
    InvalidNumber {
        /// Which field.
        field: MmioField,
        /// The field's text.
        text: String,
    },
    /// A `virtio_mmio.device` size of zero.
    ZeroSize {
        /// The value.
        value: String,
    },
    /// A `virtio_mmio.device` region too small to hold the `VirtIO` MMIO registers.
    RegionTooSmall {
        /// The size given.
        size: u64,
        /// The smallest usable size.
        minimum: u64,
    },
    /// A `virtio_mmio.device` IRQ of zero.
    ZeroIrq {
        /// The value.
        value: String,
    },
    /// The base address is not a valid `x86_64` physical address (more than 52 bits).
    NotPhysicalAddress {
        /// The base address.
        base: u64,
    },
    /// The base address is not aligned for 32-bit register access.
    MisalignedBase {
        /// The base address.
        base: u64,
        /// The required alignment in bytes.
        alignment: u64,
    },
    /// The region runs past the end of the physical address space.
    RegionOverflow {
        /// The base address.
        base: u64,
        /// The size.
        size: u64,
    },
}

impl ParamError {
    /// Whether this is a hard error or a warning.
    #[must_use]
    pub fn severity(&self) -> Severity {
        match self {
            ParamError::Ignored { .. } | ParamError::Overridden { .. } => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

fn did_you_mean(f: &mut fmt::Formatter<'_>, suggestions: &[String]) -> fmt::Result {
    match suggestions {
        [] => Ok(()),
        [only] => write!(f, "; did you mean `{only}`?"),
        many => {
            let quoted: Vec<String> = many.iter().map(|word| format!("`{word}`")).collect();
            write!(f, "; did you mean one of {}?", quoted.join(", "))
        }
    }
}

fn arch_list(arches: &[Arch]) -> String {
    arches
        .iter()
        .map(|arch| arch.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamError::UnknownParam {
                name,
                suggestions,
                forwarded,
            } => {
                write!(f, "unknown kernel parameter `{name}`")?;
                did_you_mean(f, suggestions)?;
                write!(f, " ({})", forwarded.describe())
            }
            ParamError::MissingValue { name, expected } => {
                write!(f, "kernel parameter `{name}` needs a value: {expected}")
            }
            ParamError::UnexpectedValue { name, value } => write!(
                f,
                "kernel parameter `{name}` is a bare flag and takes no value, but got `{value}`"
            ),
            ParamError::InvalidValue {
                name,
                value,
                expected,
                suggestions,
                ..
            } => {
                write!(
                    f,
                    "invalid value `{value}` for kernel parameter `{name}`: expected {expected}"
                )?;
                did_you_mean(f, suggestions)
            }
            ParamError::WrongArch { name, arch, arches } => write!(
                f,
                "kernel parameter `{name}` exists only on {}; the {arch} kernel does not recognize it",
                arch_list(arches)
            ),
            ParamError::Ignored { name, reason } => {
                write!(f, "kernel parameter `{name}` has no effect: {reason}")
            }
            ParamError::Overridden { name, count } => write!(
                f,
                "kernel parameter `{name}` is given {count} times; only the last one counts"
            ),
            ParamError::MalformedVirtioMmio { value } => write!(
                f,
                "`virtio_mmio.device={value}` is not of the form <size>@<base>:<irq>[:<id>]"
            ),
            ParamError::InvalidNumber { field, text } => write!(
                f,
                "virtio_mmio.device {field} `{text}` is not a decimal or 0x-prefixed hexadecimal \
                 number that fits{}",
                if *field == MmioField::Size {
                    " (a K, M, G or T suffix is allowed)"
                } else {
                    ""
                }
            ),
            ParamError::ZeroSize { value } => {
                write!(f, "virtio_mmio.device `{value}` has a zero-sized region")
            }
            ParamError::RegionTooSmall { size, minimum } => write!(
                f,
                "virtio_mmio.device region of {size:#x} bytes is too small: the VirtIO MMIO \
                 registers need at least {minimum:#x} bytes"
            ),
            ParamError::ZeroIrq { value } => write!(
                f,
                "virtio_mmio.device `{value}` has IRQ 0; the kernel requires a nonzero IRQ"
            ),
            ParamError::NotPhysicalAddress { base } => write!(
                f,
                "virtio_mmio.device base {base:#x} is not a valid x86_64 physical address \
                 (physical addresses have at most 52 bits)"
            ),
            ParamError::MisalignedBase { base, alignment } => write!(
                f,
                "virtio_mmio.device base {base:#x} is not aligned to {alignment} bytes, so its \
                 32-bit registers cannot be accessed"
            ),
            ParamError::RegionOverflow { base, size } => write!(
                f,
                "virtio_mmio.device region {base:#x} + {size:#x} runs past the end of the \
                 52-bit physical address space"
            ),
        }
    }
}

impl std::error::Error for ParamError {}
