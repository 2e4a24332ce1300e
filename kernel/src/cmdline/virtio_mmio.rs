//! The `virtio_mmio.device=<size>@<base>:<irq>[:<id>]` value: parsing it the way the kernel
//! does, and checking the region against the `x86_64` physical address space.
//!
//! Upstream (`kernel/core/comps/cmdline/src/types.rs`) takes size, base, IRQ and id as decimal
//! or `0x` hexadecimal, lets the size end in `K`, `M`, `G` or `T` (binary multiples), and
//! rejects a zero size or IRQ. It does not require page alignment: its own QEMU microvm probe
//! uses 512-byte slots such as `0xfeb00200`. So the extra checks here are the ones that hold
//! for every `VirtIO` MMIO device: the region must hold the register block (0x100 bytes), its
//! base must allow 32-bit register access (4-byte aligned), and it must lie inside the 52-bit
//! physical address space (checked with the `x86_64` crate's `PhysAddr`).

use x86_64::PhysAddr;

use super::error::{MmioField, ParamError};

/// Size of the `VirtIO` MMIO register block (registers end at offset 0x0fc, device-specific
/// configuration starts at 0x100); a smaller region cannot be a `VirtIO` device.
pub const MIN_REGION_SIZE: u64 = 0x100;

/// `VirtIO` MMIO registers are 32 bits wide and must be accessed aligned.
pub const REGISTER_ALIGNMENT: u64 = 4;

/// A parsed `virtio_mmio.device` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VirtioMmioDevice {
    /// Region size in bytes (nonzero).
    pub size: u64,
    /// Physical base address of the region.
    pub base: u64,
    /// Interrupt line (nonzero).
    pub irq: u32,
    /// Optional device id; the kernel accepts and ignores it.
    pub id: Option<u32>,
}

/// Parses `<size>@<base>:<irq>[:<id>]` with the kernel's number rules, and checks that the
/// size and IRQ are nonzero and the region can hold the `VirtIO` registers.
pub fn parse_virtio_mmio(value: &str) -> Result<VirtioMmioDevice, ParamError> {
    let malformed = || ParamError::MalformedVirtioMmio {
        value: value.to_owned(),
    };
    let (size_text, location) = value.split_once('@').ok_or_else(malformed)?;
    let fields: Vec<&str> = location.split(':').collect();
    let (base_text, irq_text, id_text) = match fields.as_slice() {
        [base, irq] => (*base, *irq, None),
        [base, irq, id] => (*base, *irq, Some(*id)),
        _ => return Err(malformed()),
    };

    let size = parse_size(size_text).ok_or_else(|| invalid(MmioField::Size, size_text))?;
    let base = parse_number(base_text).ok_or_else(|| invalid(MmioField::Base, base_text))?;
    let irq = parse_number(irq_text)
        .and_then(|irq| u32::try_from(irq).ok())
        .ok_or_else(|| invalid(MmioField::Irq, irq_text))?;
    let id = id_text
        .map(|text| {
            parse_number(text)
                .and_then(|id| u32::try_from(id).ok())
                .ok_or_else(|| invalid(MmioField::Id, text))
        })
        .transpose()?;

    if size == 0 {
        return Err(ParamError::ZeroSize {
            value: value.to_owned(),
        });
    }
    if irq == 0 {
        return Err(ParamError::ZeroIrq {
            value: value.to_owned(),
        });
    }
    if size < MIN_REGION_SIZE {
        return Err(ParamError::RegionTooSmall {
            size,
            minimum: MIN_REGION_SIZE,
        });
    }
    Ok(VirtioMmioDevice {
        size,
        base,
        irq,
        id,
    })
}

impl VirtioMmioDevice {
    /// Checks the region against the `x86_64` physical address space: the base must be a valid
    /// physical address, aligned for 32-bit access, and the whole region must fit.
    pub fn check_x86_64(&self) -> Result<(), ParamError> {
        let base = PhysAddr::try_new(self.base)
            .map_err(|_| ParamError::NotPhysicalAddress { base: self.base })?;
        if !base.is_aligned(REGISTER_ALIGNMENT) {
            return Err(ParamError::MisalignedBase {
                base: self.base,
                alignment: REGISTER_ALIGNMENT,
            });
        }
        let last_byte = self
            .base
            .checked_add(self.size.saturating_sub(1))
            .and_then(|last| PhysAddr::try_new(last).ok());
        if last_byte.is_none() {
            return Err(ParamError::RegionOverflow {
                base: self.base,
                size: self.size,
            });
        }
        Ok(())
    }
}

fn invalid(field: MmioField, text: &str) -> ParamError {
    ParamError::InvalidNumber {
        field,
        text: text.to_owned(),
    }
}

/// A decimal or `0x`/`0X` hexadecimal number.
fn parse_number(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

/// A number with an optional binary suffix: `K` (2^10), `M` (2^20), `G` (2^30), `T` (2^40).
fn parse_size(text: &str) -> Option<u64> {
    let shift = match text.chars().last()?.to_ascii_uppercase() {
        'K' => 10,
        'M' => 20,
        'G' => 30,
        'T' => 40,
        _ => 0,
    };
    let digits = if shift == 0 {
        text
    } else {
        &text[..text.len() - 1]
    };
    parse_number(digits)?.checked_mul(1 << shift)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sizes_and_numbers_like_the_kernel() {
        let device = parse_virtio_mmio("0x200@0x5950f000:10").expect("valid");
        assert_eq!(
            (device.size, device.base, device.irq, device.id),
            (0x200, 0x5950_f000, 10, None)
        );
        let device = parse_virtio_mmio("1K@0x1001e000:74:2").expect("valid");
        assert_eq!((device.size, device.id), (1024, Some(2)));
        assert_eq!(parse_size("4k"), Some(4096));
        assert_eq!(parse_size("2T"), Some(2 << 40));
        assert_eq!(parse_size("0x10M"), Some(16 << 20));
        assert_eq!(parse_size("1Z"), None);
        assert_eq!(parse_size("99999999999T"), None);
    }

    #[test]
    fn qemu_microvm_slots_pass_the_x86_64_checks() {
        let device = parse_virtio_mmio("512@0xfeb00e00:12").expect("valid");
        assert_eq!(device.check_x86_64(), Ok(()));
    }
}
