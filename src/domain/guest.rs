//! Guests of an event.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::answer::Reply;
use super::email_address::EmailAddress;
use super::event::Language;
use super::text::bounded;
use super::token::{InvitationToken, SecretKey};
use super::{FieldErrors, Validator};

/// A guest to invite, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewGuest {
    pub email: EmailAddress,
    /// May be empty: a pasted list often has only addresses.
    pub name: String,
    /// What emails greet her by ("Bonjour Sophie,"); empty when her list
    /// did not say: nobody guesses a first name from a full name.
    pub first_name: String,
    /// `None` means the event's language.
    pub language: Option<Language>,
}

impl NewGuest {
    pub fn parse(email: &str, name: Option<&str>, language: Option<&str>) -> Result<Self, FieldErrors> {
        Self::parse_with_first_name(email, name, None, language)
    }

    pub fn parse_with_first_name(
        email: &str,
        name: Option<&str>,
        first_name: Option<&str>,
        language: Option<&str>,
    ) -> Result<Self, FieldErrors> {
        let mut v = Validator::default();
        let email = v.check("email", EmailAddress::parse(email));
        let name = v.check("name", bounded(name.unwrap_or_default(), 0, 200, false));
        let first_name = v.check("first_name", bounded(first_name.unwrap_or_default(), 0, 100, false));
        let language = match language.map(str::trim_ascii) {
            None | Some("") => Some(None),
            Some(raw) => v.check("language", Language::parse(raw)).map(Some),
        };
        match (email, name, first_name, language) {
            (Some(email), Some(name), Some(first_name), Some(language)) => {
                Ok(Self { email, name, first_name, language })
            }
            _ => Err(v.finish().err().unwrap_or_default()),
        }
    }
}

/// The schema of a guest's language as [`NewGuest::parse`] takes it, for the
/// OpenAPI document: `fr`, `en`, or empty for the event's, in any case and
/// with ASCII spaces around. A pattern rather than an enum, since an enum
/// would call `" FR"` or `" "` invalid although they are taken.
pub struct GuestLanguage;

/// [`GuestLanguage`]'s pattern: what `trim_ascii` and `to_ascii_lowercase`
/// bring to `fr`, `en` or nothing.
pub const GUEST_LANGUAGE_PATTERN: &str = r"^[\t\n\f\r ]*([Ff][Rr]|[Ee][Nn])?[\t\n\f\r ]*$";

impl utoipa::PartialSchema for GuestLanguage {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("`fr` or `en`; empty (or `null`, or omitted) means the event's language."))
            .pattern(Some(GUEST_LANGUAGE_PATTERN))
            .examples(["fr", "en"])
            .into()
    }
}

impl utoipa::ToSchema for GuestLanguage {}

/// A stored guest and her invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guest {
    pub id: Uuid,
    pub event_id: Uuid,
    pub email: EmailAddress,
    pub name: String,
    /// Empty when unknown.
    pub first_name: String,
    pub language: Option<Language>,
    /// `None` until she (or the organiser for her) answers.
    pub reply: Option<Reply>,
    pub answered_at: Option<DateTime<Utc>>,
    /// Set while her "yes" waits for a seat.
    pub waitlisted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// With the instance key, gives her invitation token (see `token.rs`).
    pub token_salt: String,
    /// When she was checked in at the door, if she was.
    pub checked_in_at: Option<DateTime<Utc>>,
    /// Companions who came in with her.
    pub checked_in_companions: u32,
    /// Added at the door rather than invited.
    pub walk_in: bool,
}

/// Which guests a list shows, by their answer: the organiser's filter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AnswerFilter {
    #[default]
    All,
    /// A "yes" holding her seats.
    Yes,
    No,
    Maybe,
    /// Invited and not answered yet (walk-ins were never asked).
    NotAnswered,
    /// A "yes" waiting for a seat.
    Waiting,
}

impl AnswerFilter {
    pub const ALL: [Self; 6] = [Self::All, Self::Yes, Self::No, Self::Maybe, Self::NotAnswered, Self::Waiting];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Yes => "yes",
            Self::No => "no",
            Self::Maybe => "maybe",
            Self::NotAnswered => "none",
            Self::Waiting => "waiting",
        }
    }

    /// Anything else is every guest.
    pub fn parse(raw: &str) -> Self {
        Self::ALL.into_iter().find(|filter| filter.as_str() == raw.trim()).unwrap_or_default()
    }
}

/// The one definition of "seated": a "yes" not waiting for a seat. Guests
/// in memory ([`Guest::is_seated`]), the counts and the outbox's audiences
/// (in SQL, `storage::guests::seated_condition`) all follow it.
pub fn holds_seats(answer: Option<super::answer::Answer>, waiting: bool) -> bool {
    answer == Some(super::answer::Answer::Yes) && !waiting
}

impl Guest {
    /// She said yes and holds her seats.
    pub fn is_seated(&self) -> bool {
        holds_seats(self.reply.as_ref().map(|r| r.answer), self.is_waiting())
    }

    pub fn is_waiting(&self) -> bool {
        self.waitlisted_at.is_some()
    }

    /// Her invitation token: derived from the instance's key and her salt,
    /// never stored, so each email and page rebuilds the same one.
    pub fn invitation_token(&self, key: &SecretKey) -> InvitationToken {
        InvitationToken::derive(key, self.id, &self.token_salt)
    }
}

/// Where a page of the list ends: the last guest's place in the order they
/// were invited. The next page starts after it, whatever was added or
/// removed meanwhile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListPosition {
    pub created_at: DateTime<Utc>,
    pub id: Uuid,
}

impl ListPosition {
    /// Just after this guest.
    pub fn after(guest: &Guest) -> Self {
        Self { created_at: guest.created_at, id: guest.id }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guest_needs_only_a_valid_address() {
        let guest = NewGuest::parse(" Anne@Example.org ", None, None).unwrap();
        assert_eq!(guest.email.as_str(), "anne@example.org");
        assert_eq!(guest.name, "");
        assert_eq!(guest.language, None);
    }

    /// The schema's pattern and the parser agree: a guest's language is
    /// taken exactly when the OpenAPI document says it is (Schemathesis
    /// sent `"\u{2029}"`, which a Unicode trim had taken as empty).
    #[test]
    fn a_guest_language_is_taken_exactly_when_its_pattern_matches() {
        let pattern = regex::Regex::new(GUEST_LANGUAGE_PATTERN).unwrap();
        for raw in ["", " ", "fr", "FR", " en\t", "\u{2029}", "\u{a0}fr", "de", "f r", "fr\u{85}", "\u{1c}", "ｆｒ"] {
            let taken = NewGuest::parse("anne@example.org", None, Some(raw)).is_ok();
            assert_eq!(taken, pattern.is_match(raw), "{raw:?}");
        }
    }

    #[test]
    fn problems_are_reported_per_field() {
        let errors = NewGuest::parse("nope", Some(&"x".repeat(201)), Some("de")).unwrap_err();
        assert_eq!(errors.len(), 3, "{errors:?}");
    }
}
