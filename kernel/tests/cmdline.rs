//! The command-line model: parse/render round trips, and every `ParamError` variant reached
//! by a concrete command line.

use aster_kernel::Arch;
use aster_kernel::cmdline::{
    Forwarding, MmioField, Param, ParamError, Severity, Target, Validated, Value, check, parse,
    render, validate,
};

/// The command line Asterinas NixOS boots with (`distro/etc_nixos/modules/core.nix`).
const DISTRO: &str = "PATH=/bin:/nix/var/nix/profiles/system/sw/bin earlycon loglevel=error \
                      console=hvc0 -- root=/dev/vda2 init=/nix/var/nix/profiles/system/init \
                      rd.break=0";

/// Validates the single parameter in `text` for `arch`.
fn one(text: &str, arch: Arch) -> Result<Validated, ParamError> {
    let params = parse(text);
    assert_eq!(params.len(), 1, "{text:?} should be one parameter");
    validate(&params[0], arch)
}

fn error(text: &str, arch: Arch) -> ParamError {
    match one(text, arch) {
        Err(error) => error,
        Ok(valid) => panic!("{text:?} unexpectedly valid: {valid:?}"),
    }
}

fn x86(text: &str) -> ParamError {
    error(text, Arch::X86_64)
}

#[test]
fn canonical_command_lines_round_trip_exactly() {
    for text in [
        DISTRO,
        "ro",
        "console=ttyS0 console=hvc0",
        "msg=\"hello world\" a= -- \"x y\" PATH=/bin",
    ] {
        assert_eq!(render(&parse(text)), text);
    }
}

#[test]
fn any_command_line_round_trips_after_one_render() {
    for text in [
        "  ro   rw\t",
        "\"console=hvc0\" loglevel=\"3\"",
        "\"a b=c d\" e=\"f\"",
        "-- -- x",
        "a=b=c",
    ] {
        let params = parse(text);
        assert_eq!(parse(&render(&params)), params, "{text:?}");
    }
    assert_eq!(
        render(&parse("\"console=hvc0\"  loglevel=\"3\"")),
        "console=hvc0 loglevel=3"
    );
}

/// Every string of up to seven characters over a small alphabet that exercises quoting,
/// `=`, `--` and whitespace: parsing never panics, and parse(render(parse(s))) == parse(s)
/// whenever no name or value holds a literal `"` (which the command line cannot escape).
#[test]
fn exhaustive_round_trip_over_a_small_alphabet() {
    const ALPHABET: [char; 5] = ['a', '=', '"', ' ', '-'];
    let mut checked = 0;
    for length in 0..=7_u32 {
        for mut code in 0..ALPHABET.len().pow(length) {
            let mut text = String::new();
            for _ in 0..length {
                text.push(ALPHABET[code % ALPHABET.len()]);
                code /= ALPHABET.len();
            }
            let params = parse(&text);
            let has_literal_quote = params.iter().any(|p| {
                p.name.contains('"') || p.value.as_deref().is_some_and(|v| v.contains('"'))
            });
            if !has_literal_quote {
                assert_eq!(parse(&render(&params)), params, "{text:?}");
                checked += 1;
            }
        }
    }
    assert!(checked > 40_000, "only {checked} inputs were representable");
}

#[test]
fn the_distro_command_line_is_clean_on_x86_64() {
    let params = parse(DISTRO);
    assert_eq!(
        params.iter().filter(|p| p.target == Target::Init).count(),
        3
    );
    assert_eq!(check(&params, Arch::X86_64), []);
    assert!(matches!(
        validate(&params[0], Arch::X86_64),
        Ok(Validated::InitEnv { ref name, .. }) if name == "PATH"
    ));
    assert_eq!(
        validate(&params[5], Arch::X86_64),
        Ok(Validated::InitArg {
            text: "init=/nix/var/nix/profiles/system/init".into()
        })
    );
}

#[test]
fn valid_values_come_back_typed() {
    let value = |text: &str| match one(text, Arch::X86_64) {
        Ok(Validated::Kernel { value, .. }) => value,
        other => panic!("{text:?}: {other:?}"),
    };
    assert_eq!(value("earlycon"), Value::Present);
    assert_eq!(value("ro"), Value::Bool(true));
    assert_eq!(value("rootfstype=ext2,"), Value::List(vec!["ext2".into()]));
    assert_eq!(
        value("root=/dev/nvme0n1p2"),
        Value::Text("/dev/nvme0n1p2".into())
    );
    assert_eq!(value("security=yama"), Value::Text("yama".into()));
    for word in ["1", "on", "yes", "true"] {
        assert_eq!(value(&format!("i8042.reset={word}")), Value::Bool(true));
    }
    for word in ["0", "off", "no", "false"] {
        assert_eq!(value(&format!("atkbd.reset={word}")), Value::Bool(false));
    }
    assert_eq!(value("i8042.exist"), Value::Bool(true));
    match value("virtio-mmio.device=4K@0xd0000000:5:1") {
        Value::VirtioMmio(device) => {
            assert_eq!(
                (device.size, device.base, device.irq, device.id),
                (4096, 0xd000_0000, 5, Some(1))
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn unknown_names_get_suggestions_and_say_where_they_go() {
    assert_eq!(
        x86("consol=hvc0"),
        ParamError::UnknownParam {
            name: "consol".into(),
            suggestions: vec!["console".into()],
            forwarded: Forwarding::InitEnv,
        }
    );
    assert_eq!(
        x86("consol=hvc0").to_string(),
        "unknown kernel parameter `consol`; did you mean `console`? (the kernel passes it to \
         init as an environment variable)"
    );
    let ParamError::UnknownParam { suggestions, .. } = x86("Console=hvc0") else {
        panic!("expected UnknownParam");
    };
    assert_eq!(suggestions, ["console"]);
    assert!(matches!(
        x86("systemd.unit=rescue.target"),
        ParamError::UnknownParam {
            forwarded: Forwarding::Dropped,
            ..
        }
    ));
    assert!(matches!(
        x86("single"),
        ParamError::UnknownParam { forwarded: Forwarding::InitArgv, ref suggestions, .. }
            if suggestions.is_empty()
    ));
}

#[test]
fn missing_and_unexpected_values() {
    assert_eq!(
        x86("console"),
        ParamError::MissingValue {
            name: "console".into(),
            expected: "one of tty0, ttyS0, hvc0".into(),
        }
    );
    assert_eq!(
        x86("earlycon=uart8250,io,0x3f8").to_string(),
        "kernel parameter `earlycon` is a bare flag and takes no value, but got `uart8250,io,0x3f8`"
    );
}

#[test]
fn invalid_values_list_the_valid_ones() {
    assert_eq!(
        x86("rootfstype=ext4"),
        ParamError::InvalidValue {
            name: "rootfstype".into(),
            value: "ext4".into(),
            expected: "a comma-separated list of ext2".into(),
            valid: vec!["ext2".into()],
            suggestions: vec!["ext2".into()],
        }
    );
    assert!(
        matches!(x86("rootfstype=ext2,btrfs"), ParamError::InvalidValue { ref value, .. } if value == "btrfs")
    );
    assert!(matches!(
        x86("rootfstype=,"),
        ParamError::InvalidValue { .. }
    ));
    assert_eq!(
        x86("console=ttys0").to_string(),
        "invalid value `ttys0` for kernel parameter `console`: expected one of tty0, ttyS0, \
         hvc0; did you mean `ttyS0`?"
    );
    // The distro's log-level option allows `trace`, which the kernel ignores.
    assert!(
        matches!(x86("loglevel=trace"), ParamError::InvalidValue { ref valid, .. } if valid.len() == 20)
    );
    assert!(matches!(
        x86("loglevel=Warn"),
        ParamError::InvalidValue { .. }
    ));
    assert!(matches!(
        x86("init=sbin/init"),
        ParamError::InvalidValue { .. }
    ));
    assert!(matches!(x86("rdinit="), ParamError::InvalidValue { .. }));
    for root in [
        "root=UUID=1234",
        "root=LABEL=nixos",
        "root=/dev/disk/by-label/nixos",
        "root=/dev/",
    ] {
        assert!(
            matches!(x86(root), ParamError::InvalidValue { .. }),
            "{root}"
        );
    }
    assert!(
        matches!(x86("i8042.reset=maybe"), ParamError::InvalidValue { ref valid, .. } if valid.len() == 8)
    );
    assert!(
        matches!(x86("lsm=capability,selinux"), ParamError::InvalidValue { ref value, .. } if value == "selinux")
    );
}

#[test]
fn x86_only_parameters_are_wrong_elsewhere() {
    let wrong = error("virtio_mmio.device=4K@0xd0000000:5", Arch::Riscv64);
    assert_eq!(
        wrong,
        ParamError::WrongArch {
            name: "virtio_mmio.device".into(),
            arch: Arch::Riscv64,
            arches: vec![Arch::X86_64],
        }
    );
    assert_eq!(
        wrong.to_string(),
        "kernel parameter `virtio_mmio.device` exists only on x86_64; the riscv64 kernel does \
         not recognize it"
    );
    assert!(matches!(
        error("i8042.reset", Arch::Loongarch64),
        ParamError::WrongArch { .. }
    ));
    assert!(one("console=ttyS0", Arch::Loongarch64).is_ok());
}

#[test]
fn recognized_but_unimplemented_parameters_are_warnings() {
    let ignored = x86("panic=10");
    assert!(matches!(ignored, ParamError::Ignored { ref name, .. } if name == "panic"));
    assert_eq!(ignored.severity(), Severity::Warning);
    assert!(matches!(x86("initcall_debug"), ParamError::Ignored { .. }));
}

#[test]
fn repeated_single_value_parameters_are_overridden() {
    let params = parse("loglevel=3 console=tty0 console=hvc0 loglevel=7 ro ro");
    let findings = check(&params, Arch::X86_64);
    assert_eq!(
        findings,
        vec![
            (
                3,
                ParamError::Overridden {
                    name: "loglevel".into(),
                    count: 2
                }
            ),
            (
                5,
                ParamError::Overridden {
                    name: "ro".into(),
                    count: 2
                }
            ),
        ]
    );
    assert_eq!(findings[0].1.severity(), Severity::Warning);
    assert_eq!(
        findings[0].1.to_string(),
        "kernel parameter `loglevel` is given 2 times; only the last one counts"
    );
}

#[test]
fn check_reports_every_problem_in_order() {
    let params = parse("consol=hvc0 rootfstype=ext4 panic=1 -- anything=goes");
    let indices: Vec<usize> = check(&params, Arch::X86_64)
        .into_iter()
        .map(|(i, _)| i)
        .collect();
    assert_eq!(indices, [0, 1, 2]);
}

#[test]
fn malformed_virtio_mmio_values() {
    for value in ["0x200@0x1000", "0x200", "1K@0x1000:1:2:3", "@"] {
        assert_eq!(
            x86(&format!("virtio_mmio.device={value}")),
            ParamError::MalformedVirtioMmio {
                value: value.into()
            },
            "{value}"
        );
    }
    assert_eq!(
        x86("virtio_mmio.device=4K@0xzz:5"),
        ParamError::InvalidNumber {
            field: MmioField::Base,
            text: "0xzz".into()
        }
    );
    assert_eq!(
        x86("virtio_mmio.device=1Z@0x1000:1"),
        ParamError::InvalidNumber {
            field: MmioField::Size,
            text: "1Z".into()
        }
    );
    assert_eq!(
        x86("virtio_mmio.device=4K@0x1000:0x100000000"),
        ParamError::InvalidNumber {
            field: MmioField::Irq,
            text: "0x100000000".into()
        }
    );
    assert_eq!(
        x86("virtio_mmio.device=4K@0x1000:5:x"),
        ParamError::InvalidNumber {
            field: MmioField::Id,
            text: "x".into()
        }
    );
}

#[test]
fn virtio_mmio_zero_and_tiny_regions() {
    assert_eq!(
        x86("virtio_mmio.device=0@0x1000:1"),
        ParamError::ZeroSize {
            value: "0@0x1000:1".into()
        }
    );
    assert_eq!(
        x86("virtio_mmio.device=0x200@0x1000:0"),
        ParamError::ZeroIrq {
            value: "0x200@0x1000:0".into()
        }
    );
    assert_eq!(
        x86("virtio_mmio.device=4@0xd0000000:5"),
        ParamError::RegionTooSmall {
            size: 4,
            minimum: 0x100
        }
    );
}

#[test]
fn virtio_mmio_addresses_are_checked_against_x86_64() {
    assert_eq!(
        x86("virtio_mmio.device=4K@0x1001:5"),
        ParamError::MisalignedBase {
            base: 0x1001,
            alignment: 4
        }
    );
    assert_eq!(
        x86("virtio_mmio.device=4K@0x10000000000000:5"),
        ParamError::NotPhysicalAddress {
            base: 0x10_0000_0000_0000
        }
    );
    assert_eq!(
        x86("virtio_mmio.device=4K@0x10000000000000:5").to_string(),
        "virtio_mmio.device base 0x10000000000000 is not a valid x86_64 physical address \
         (physical addresses have at most 52 bits)"
    );
    assert_eq!(
        x86("virtio_mmio.device=8K@0xffffffffff000:5"),
        ParamError::RegionOverflow {
            base: 0xf_ffff_ffff_f000,
            size: 0x2000
        }
    );
    // The last 4 KiB page of the physical address space is still fine.
    assert!(one("virtio_mmio.device=4K@0xffffffffff000:5", Arch::X86_64).is_ok());
    // QEMU microvm's 512-byte slots are not page aligned, and the kernel probes them itself.
    assert!(one("virtio_mmio.device=512@0xfeb00e00:12", Arch::X86_64).is_ok());
}

#[test]
fn params_can_be_built_for_emitting() {
    let params = vec![
        Param::flag("earlycon"),
        Param::with_value("console", "hvc0"),
        Param::with_value("root", "/dev/vda2").for_init(),
    ];
    assert_eq!(render(&params), "earlycon console=hvc0 -- root=/dev/vda2");
    assert_eq!(check(&params, Arch::X86_64), []);
}
