//! A guest's or organiser's email address, validated and normalised.

use std::fmt;

use super::problem::{Problem, code};

/// Addresses are compared case-insensitively: nobody expects `Anne@Example.org`
/// and `anne@example.org` to be two guests.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// # Errors
    /// A message fit for the person who typed the address.
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(Problem::new(code::REQUIRED, "must not be empty"));
        }
        if value.len() > MAX_ADDRESS_BYTES {
            return Err(Problem::new(code::TOO_LONG, format!("must be at most {MAX_ADDRESS_BYTES} characters"))
                .with("max", MAX_ADDRESS_BYTES));
        }
        let invalid = || {
            Problem::new(code::INVALID_EMAIL, format!("'{value}' is not a valid email address")).with("value", value)
        };
        // The crate implements RFC 5321/5322 syntax; we additionally require a
        // dotted domain, since a bare host name is never a real guest's address.
        let parsed = email_address::EmailAddress::parse_with_options(
            value,
            email_address::Options::default().without_display_text().without_domain_literal(),
        )
        .map_err(|_| invalid())?;
        if !parsed.domain().contains('.') || parsed.domain().ends_with('.') {
            return Err(invalid());
        }
        let value = value.to_lowercase();
        // Only what the mail transport can write in an envelope: RFC 5322
        // allows quoted local parts ("a b"@example.org) that no SMTP library
        // here sends, and an address accepted but never deliverable would
        // wait in the queue and fail days later.
        if value.contains('"') || value.parse::<lettre::Address>().is_err() {
            return Err(Problem::new(
                code::UNDELIVERABLE_EMAIL,
                format!("'{value}' is not an address Convive can send to"),
            )
            .with("value", value));
        }
        Ok(Self(value))
    }

    /// Wraps an address read back from our own database, which only ever
    /// stores addresses that went through [`EmailAddress::parse`].
    pub fn from_stored(value: String) -> Self {
        Self(value)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Longest address, in bytes (RFC 5321's path limit, less the brackets).
pub const MAX_ADDRESS_BYTES: usize = 254;

/// An address as a client writes it, for the OpenAPI document. `idn-email`
/// rather than `email`: addresses with accents (`zoé@exemple.fr`) are taken.
impl utoipa::PartialSchema for EmailAddress {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::schema::SchemaFormat::Custom("idn-email".to_owned())))
            .description(Some(
                "An email address that can receive mail: a dotted domain, no quoted or bracketed parts; \
                 compared without regard to case.",
            ))
            .max_length(Some(MAX_ADDRESS_BYTES))
            .examples([serde_json::json!("anne.martin@example.org")])
            .into()
    }
}

impl utoipa::ToSchema for EmailAddress {}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::EmailAddress;
    use proptest::prelude::*;

    #[test]
    fn valid_addresses_are_normalised() {
        for (raw, expected) in [
            ("anne@example.org", "anne@example.org"),
            ("  Anne.Martin@Example.ORG ", "anne.martin@example.org"),
            ("a+tag@sub.example.fr", "a+tag@sub.example.fr"),
        ] {
            assert_eq!(EmailAddress::parse(raw).unwrap().as_str(), expected, "{raw}");
        }
    }

    /// Addresses and whether Convive takes them. The mail tests check that
    /// the transport sends every address taken here (one table for both).
    pub(crate) const DELIVERABILITY: &[(&str, bool)] = &[
        ("anne@example.org", true),
        ("a+tag@sub.example.fr", true),
        ("o'brien@example.ie", true),
        ("zoé@exemple.fr", true),
        ("anne@exemple-été.fr", true),
        ("\"a b\"@example.org", false),
        ("\"anne\"@example.org", false),
        ("anne@[127.0.0.1]", false),
        ("anne@localhost", false),
    ];

    #[test]
    fn the_domain_takes_exactly_the_table() {
        for (raw, taken) in DELIVERABILITY {
            assert_eq!(EmailAddress::parse(raw).is_ok(), *taken, "{raw}");
        }
    }

    #[test]
    fn invalid_addresses_are_rejected() {
        for raw in [
            "",
            "   ",
            "anne",
            "anne@",
            "@example.org",
            "anne@localhost",
            "anne@@example.org",
            "Anne <anne@example.org>",
            "anne@example.org\r\nBcc: x@y.z",
            "anne@[127.0.0.1]",
        ] {
            assert!(EmailAddress::parse(raw).is_err(), "{raw:?} should be rejected");
        }
    }

    proptest! {
        #[test]
        fn no_accepted_address_contains_whitespace_or_header_breaks(raw in "\\PC{0,40}") {
            if let Ok(address) = EmailAddress::parse(&raw) {
                prop_assert!(!address.as_str().chars().any(char::is_whitespace));
                prop_assert!(address.as_str().contains('@'));
            }
        }
    }
}
