//! The closed list of diagnostic kinds, each with a stable code that is never reused.
//!
//! Codes are grouped by the pipeline phase that reports them: `AC01xx` reading and parsing,
//! `AC02xx` the shape of the spec (checked against the JSON Schema derived from the spec types),
//! `AC03xx` what the values mean, `AC04xx` what Asterinas supports, `AC05xx` fleets and locks. The long explanation of every
//! code lives in `docs/diagnostics/<CODE>.md`; `aster-config explain` prints that same text, so the
//! documentation and the tool cannot drift apart (a missing file fails the build).

use super::Severity;
use serde::Serialize;

/// The pipeline phase a code belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading the file and parsing TOML.
    Read,
    /// Keys, types and enum values, against the spec's schema.
    Shape,
    /// What the values mean: names, paths, conflicts.
    Meaning,
    /// What the Asterinas kernel and distro support.
    Asterinas,
    /// Fleet files, locks and host selection (`aster-config fleet`, `aster-config lock`).
    Fleet,
    /// Reading an existing `configuration.nix` (`aster-config import`).
    Import,
}

macro_rules! codes {
    ($( $code:literal $variant:ident $severity:ident $phase:ident $title:literal ),* $(,)?) => {
        /// A diagnostic kind. Its code is stable: a retired code is never given to another kind.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(
                #[doc = $title]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in numeric order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The stable code, e.g. `AC0201`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The default severity of this kind.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// The phase that reports it.
            pub fn phase(self) -> Phase {
                match self { $(Code::$variant => Phase::$phase,)* }
            }

            /// A one-line title.
            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title,)* }
            }

            /// The full explanation: what it means, why, and an example fix (Markdown).
            pub fn explanation(self) -> &'static str {
                match self {
                    $(Code::$variant => include_str!(concat!(
                        env!("CARGO_MANIFEST_DIR"), "/../../docs/diagnostics/", $code, ".md"
                    )),)*
                }
            }
        }
    };
}

codes! {
    "AC0001" Internal Error Read "aster-config hit a bug",
    "AC0101" NotUtf8 Error Read "the spec is not UTF-8 text",
    "AC0102" TomlSyntax Error Read "the spec is not valid TOML",
    "AC0103" FileTooLarge Error Read "the spec is larger than aster-config accepts",
    "AC0104" TooDeep Error Read "the spec nests tables or arrays too deeply",
    "AC0105" ByteOrderMark Warning Read "the spec starts with a byte-order mark",
    "AC0201" UnknownKey Error Shape "a key that the spec format does not have",
    "AC0202" WrongType Error Shape "a value of the wrong type",
    "AC0203" InvalidChoice Error Shape "a value that is not one of the allowed choices",
    "AC0204" OutOfRange Error Shape "a number outside its allowed range",
    "AC0205" MissingKey Error Shape "a required key is missing",
    "AC0206" BadFormat Error Shape "a string that does not have the required form",
    "AC0301" UnsupportedSpecVersion Error Meaning "a spec-version this aster-config does not know",
    "AC0302" InvalidHostname Error Meaning "a hostname NixOS would reject",
    "AC0303" InvalidUserName Error Meaning "a user or group name NixOS would reject",
    "AC0304" PlaintextPassword Error Meaning "a plaintext password in the spec",
    "AC0305" ReservedUser Error Meaning "a user that Asterinas NixOS manages itself",
    "AC0306" NotAbsolute Error Meaning "a path that must be absolute",
    "AC0307" PathEscapes Error Meaning "a file reference that leaves the spec's folder",
    "AC0308" MissingFile Error Meaning "a referenced file does not exist",
    "AC0309" Conflict Error Meaning "two settings that cannot be used together",
    "AC0310" Duplicate Warning Meaning "the same entry is listed twice",
    "AC0311" Unrepresentable Error Meaning "a value Nix cannot represent",
    "AC0312" InvalidOptionPath Error Meaning "a malformed NixOS option path",
    "AC0313" OptionOwnedBySpec Error Meaning "an escape-hatch option that a spec section already sets",
    "AC0314" InvalidAttrPath Error Meaning "a malformed nixpkgs attribute path",
    "AC0315" InvalidTimezone Error Meaning "a time zone NixOS would reject",
    "AC0316" InvalidLocale Error Meaning "a locale that is not of the form `language_COUNTRY.CHARSET`",
    "AC0317" InvalidStateVersion Error Meaning "a state-version that is not a NixOS release",
    "AC0318" InvalidAddress Error Meaning "an IP address or prefix that is not valid",
    "AC0319" SshLockout Warning Meaning "SSH is enabled but nobody can log in with it",
    "AC0320" MultiLine Error Meaning "a value that must be a single line",
    "AC0321" IgnoredSetting Warning Meaning "a setting that has no effect as written",
    "AC0322" InvalidFileName Error Meaning "a name that is used as a file name but is not a safe one",
    "AC0323" DesktopConsole Warning Meaning "a desktop whose kernel console is not on its screen",
    "AC0330" InvalidModule Error Meaning "an imported module that is not valid Nix or names files that cannot travel with it",
    "AC0331" VersionWithoutSource Error Meaning "an override that changes a package's version but not its source",
    "AC0332" UnusableSshKey Error Meaning "an SSH key that is a placeholder or cannot log anyone in",
    "AC0350" AcmeAccount Error Meaning "a Let's Encrypt certificate without an account e-mail or accepted terms",
    "AC0351" CertificateWithoutKey Error Meaning "a site's own certificate without its key, or a key without the certificate",
    "AC0352" AcmeName Error Meaning "a Let's Encrypt certificate for a name it cannot issue for",
    "AC0353" AcmeUnreachable Warning Meaning "a Let's Encrypt certificate while the spec asks to keep port 80 closed",
    "AC0401" BrokenPackage Error Asterinas "a package known not to work on Asterinas NixOS",
    "AC0402" UntestedPackage Warning Asterinas "a package not verified on Asterinas NixOS",
    "AC0403" BrokenService Error Asterinas "a service known not to work on Asterinas NixOS",
    "AC0404" UntestedService Warning Asterinas "a service not verified on Asterinas NixOS",
    "AC0405" Limitation Warning Asterinas "a setting upstream documents as limited on Asterinas",
    "AC0406" ForcedSetting Error Asterinas "an option that Asterinas NixOS forces to another value",
    "AC0407" KernelParam Error Asterinas "a kernel parameter Asterinas does not accept as written",
    "AC0408" KernelParamOwned Error Asterinas "a kernel parameter that a spec key or the distro already sets",
    "AC0409" KernelFeature Error Asterinas "a kernel build feature that does not exist or does not fit the architecture",
    "AC0410" UnsupportedArchitecture Error Asterinas "an architecture Asterinas NixOS does not ship for",
    "AC0411" UnsupportedFilesystem Error Asterinas "a file system type the Asterinas kernel cannot mount there",
    "AC0412" UnknownPackage Error Asterinas "a package attribute that does not exist in nixpkgs",
    "AC0420" UnsupportedNetworking Error Asterinas "a network setting the Asterinas kernel cannot carry out",
    "AC0421" NoPacketFilter Warning Asterinas "firewall rules that nothing enforces: Asterinas has no packet filter",
    "AC0422" UnanalysedModule Warning Asterinas "an imported module whose options aster-config cannot all see",
    "AC0501" FleetUnknownHost Error Fleet "a host the fleet does not have",
    "AC0502" FleetTagMatchesNothing Error Fleet "a tag no host of the fleet carries",
    "AC0503" FleetDuplicateHost Error Fleet "two hosts of a fleet with the same name",
    "AC0504" FleetInvalidTarget Error Fleet "a deploy target that is not a valid SSH destination",
    "AC0505" FleetMissingLock Error Fleet "the fleet has no lock file",
    "AC0506" FleetStaleLock Error Fleet "the lock file does not match the fleet's pins or this aster-config",
    "AC0507" FleetInvalidHostName Error Fleet "a host name that cannot name a machine, a folder and a colmena node",
    "AC0508" FleetMissingSpec Error Fleet "a spec file the fleet names cannot be read",
    "AC0509" FleetInvalidAppend Error Fleet "an `append` path that is not a list in the host's spec",
    "AC0510" FleetInvalidPin Error Fleet "a pin that is not a tarball URL Nix can fetch",
    "AC0511" FleetNoHosts Error Fleet "a fleet without hosts",
    "AC0512" FleetInvalidHealthCheck Error Fleet "a health check command that cannot be run as written",
    "AC0513" SpecMissingLock Error Fleet "`--locked` was given but the spec has no lock file",
    "AC0514" SpecStaleLock Error Fleet "the spec's lock file does not match this aster-config or was edited by hand",
    "AC0601" ImportNixSyntax Error Import "the file to import is not valid Nix",
    "AC0602" ImportNotAModule Error Import "the file to import is not a module that can be split into settings",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Code {
    type Err = ();

    /// Parses a code case-insensitively, with or without the `AC` prefix (`ac0201`, `0201`).
    fn from_str(text: &str) -> Result<Self, ()> {
        let text = text.trim().to_ascii_uppercase();
        let wanted = if text.starts_with("AC") {
            text
        } else {
            format!("AC{text}")
        };
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == wanted)
            .ok_or(())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
