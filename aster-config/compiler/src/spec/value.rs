//! Values the spec gives as text but means as something more precise (an IPv4 address, an
//! address with prefix length), parsed ONCE, when the spec is lowered.
//!
//! A [`Parsed`] field holds either the parsed value or the text and what is wrong with it, so
//! lowering never fails on user input: the meaning checks report [`Parsed::Invalid`] with the
//! place in the file, and the emitter reads [`Parsed::Valid`] values without parsing again (an
//! invalid value is an error, and nothing is emitted for a spec with errors). In the JSON Schema
//! each kind is a string with its own `format`, so editors can check it as well.

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};

/// A kind of value written as a string in the spec.
pub trait TextValue: Sized {
    /// The JSON Schema `format` of the string.
    const FORMAT: &'static str;
    /// Parses the text, or says in words what is wrong.
    fn parse(text: &str) -> Result<Self, String>;
    /// The text form, as the spec would write it.
    fn render(&self) -> String;
}

/// A value parsed when the spec was lowered: valid, or the text and why it is not valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Parsed<T> {
    /// The parsed value.
    Valid(T),
    /// Text that does not parse.
    Invalid {
        /// The text as written.
        text: String,
        /// What is wrong with it.
        why: String,
    },
}

impl<T: TextValue> Parsed<T> {
    /// Parses `text`.
    pub fn new(text: &str) -> Self {
        match T::parse(text) {
            Ok(value) => Parsed::Valid(value),
            Err(why) => Parsed::Invalid {
                text: text.to_owned(),
                why,
            },
        }
    }

    /// The parsed value, when valid.
    pub fn valid(&self) -> Option<&T> {
        match self {
            Parsed::Valid(value) => Some(value),
            Parsed::Invalid { .. } => None,
        }
    }
}

impl<T: TextValue> fmt::Display for Parsed<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Parsed::Valid(value) => f.write_str(&value.render()),
            Parsed::Invalid { text, .. } => f.write_str(text),
        }
    }
}

impl<'de, T: TextValue> Deserialize<'de> for Parsed<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(Parsed::new(&text))
    }
}

impl<T: TextValue> Serialize for Parsed<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_string())
    }
}

impl<T: TextValue> JsonSchema for Parsed<T> {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed(T::FORMAT)
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "format": T::FORMAT,
        })
    }

    fn inline_schema() -> bool {
        true
    }
}

impl TextValue for Ipv4Addr {
    const FORMAT: &'static str = "ipv4";

    fn parse(text: &str) -> Result<Self, String> {
        text.parse()
            .map_err(|_| format!("`{}` is not an IPv4 address", text.escape_debug()))
    }

    fn render(&self) -> String {
        self.to_string()
    }
}

impl TextValue for IpAddr {
    const FORMAT: &'static str = "ip-address";

    fn parse(text: &str) -> Result<Self, String> {
        text.parse()
            .map_err(|_| format!("`{}` is not an IP address", text.escape_debug()))
    }

    fn render(&self) -> String {
        self.to_string()
    }
}

/// An IPv4 address with its prefix length, e.g. `192.168.1.10/24`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ipv4Cidr {
    /// The address.
    pub address: Ipv4Addr,
    /// The prefix length, 0 to 32.
    pub prefix: u8,
}

impl TextValue for Ipv4Cidr {
    const FORMAT: &'static str = "ipv4-cidr";

    fn parse(text: &str) -> Result<Self, String> {
        let (address, prefix) = text.split_once('/').ok_or("the `/prefix` is missing")?;
        let address = address
            .parse::<Ipv4Addr>()
            .map_err(|_| format!("`{address}` is not an IPv4 address"))?;
        match prefix.parse::<u8>() {
            Ok(prefix) if prefix <= 32 => Ok(Self { address, prefix }),
            _ => Err(format!("`{prefix}` is not a prefix length from 0 to 32")),
        }
    }

    fn render(&self) -> String {
        format!("{}/{}", self.address, self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_parses_once_and_renders_back() {
        let parsed = Parsed::<Ipv4Cidr>::new("10.0.0.2/8");
        assert_eq!(
            parsed.valid(),
            Some(&Ipv4Cidr {
                address: Ipv4Addr::new(10, 0, 0, 2),
                prefix: 8
            })
        );
        assert_eq!(parsed.to_string(), "10.0.0.2/8");
        for (text, why) in [
            ("10.0.0.2", "the `/prefix` is missing"),
            ("10.0.0/8", "`10.0.0` is not an IPv4 address"),
            ("10.0.0.2/33", "`33` is not a prefix length from 0 to 32"),
        ] {
            assert_eq!(
                Parsed::<Ipv4Cidr>::new(text),
                Parsed::Invalid {
                    text: text.into(),
                    why: why.into()
                }
            );
        }
    }
}
