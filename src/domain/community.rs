//! The community of a series: the people invited to each of its dates,
//! how each joined, and whether she left. Keyed by normalised address, so a
//! walk-in or a registrant already known is recognised, not added twice.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::email_address::EmailAddress;
use super::event::Language;
use super::guest::NewGuest;
use super::problem::{Problem, code};
use super::{FieldErrors, Validator};

/// Whether a member is invited by "invite the community".
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MemberStatus {
    Active,
    /// She left the series: never invited by it again; her answers stay.
    Left,
}

impl MemberStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Left => "left",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "active" => Some(Self::Active),
            "left" => Some(Self::Left),
            _ => None,
        }
    }
}

/// How a member came into the community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JoinedHow {
    Imported,
    Added,
    /// Confirmed her registration on a date's public page.
    Registered,
    /// Came to a date without being on its list.
    WalkIn,
}

impl JoinedHow {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Imported => "imported",
            Self::Added => "added",
            Self::Registered => "registered",
            Self::WalkIn => "walk_in",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "imported" => Some(Self::Imported),
            "added" => Some(Self::Added),
            "registered" => Some(Self::Registered),
            "walk_in" => Some(Self::WalkIn),
            _ => None,
        }
    }
}

/// Most tags on one member, and the longest tag.
pub const MAX_TAGS: usize = 20;
pub const MAX_TAG_CHARS: usize = 40;

/// Tags as a spreadsheet cell or a form gives them: comma-separated, each
/// trimmed, empty ones dropped, each kept once.
///
/// # Errors
/// More than [`MAX_TAGS`] tags, a tag over [`MAX_TAG_CHARS`] characters, or
/// control characters.
pub fn parse_tags(raw: &str) -> Result<Vec<String>, Problem> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let tag = super::text::bounded(tag, 1, MAX_TAG_CHARS, false)?;
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    if tags.len() > MAX_TAGS {
        return Err(Problem::new(code::INVALID, format!("at most {MAX_TAGS} tags")));
    }
    Ok(tags)
}

/// When she consented, as a spreadsheet writes it: `2026-03-04`,
/// `04/03/2026` (day first, as in France), either with a time (`09:30`),
/// or RFC 3339; a local time is read in `zone`. Blank is "not known".
///
/// # Errors
/// Anything else.
pub fn parse_consent(raw: &str, zone: chrono_tz::Tz) -> Result<Option<DateTime<Utc>>, Problem> {
    use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    if let Ok(at) = DateTime::parse_from_rfc3339(raw) {
        return Ok(Some(at.with_timezone(&Utc)));
    }
    let local = ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%d/%m/%Y %H:%M:%S"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(raw, format).ok())
        .or_else(|| {
            ["%Y-%m-%d", "%d/%m/%Y"]
                .iter()
                .find_map(|format| NaiveDate::parse_from_str(raw, format).ok())
                .map(|date| date.and_time(NaiveTime::MIN))
        });
    match local {
        Some(local) => Ok(Some(super::series::local_instant(local, zone))),
        None => {
            Err(Problem::new(code::INVALID_DATE, "must be a date such as 2026-03-04 or 04/03/2026").with("value", raw))
        }
    }
}

/// A member to add, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMember {
    pub person: NewGuest,
    pub tags: Vec<String>,
    pub joined_how: JoinedHow,
    /// When she agreed to hear from the series, if the organiser knows.
    pub consented_at: Option<DateTime<Utc>>,
}

impl NewMember {
    /// # Errors
    /// What is wrong with each field.
    pub fn parse(
        person: Result<NewGuest, FieldErrors>,
        tags: &str,
        joined_how: JoinedHow,
        consented_at: Option<DateTime<Utc>>,
    ) -> Result<Self, FieldErrors> {
        let mut v = Validator::default();
        let tags = v.check("tags", parse_tags(tags));
        match (person, tags) {
            (Ok(person), Some(tags)) => Ok(Self { person, tags, joined_how, consented_at }),
            (person, _) => {
                let mut errors = v.finish().err().unwrap_or_default();
                if let Err(fields) = person {
                    errors.extend(fields);
                }
                Err(errors)
            }
        }
    }
}

/// A member as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: Uuid,
    pub series_id: Uuid,
    pub email: EmailAddress,
    pub name: String,
    pub first_name: String,
    pub language: Option<Language>,
    pub tags: Vec<String>,
    pub status: MemberStatus,
    pub joined_how: JoinedHow,
    pub consented_at: Option<DateTime<Utc>>,
    pub joined_at: DateTime<Utc>,
    pub left_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_trimmed_kept_once_and_bounded() {
        assert_eq!(parse_tags(" voisins, ,Bureau,voisins ").unwrap(), ["voisins", "Bureau"]);
        assert!(parse_tags(&"x,".repeat(0)).unwrap().is_empty());
        let many: Vec<String> = (0..=MAX_TAGS).map(|i| format!("t{i}")).collect();
        assert!(parse_tags(&many.join(",")).is_err());
        assert!(parse_tags(&"a".repeat(MAX_TAG_CHARS + 1)).is_err());
        assert!(parse_tags("a\u{7}b").is_err());
    }

    #[test]
    fn stored_words_read_back_and_unknown_ones_do_not() {
        for how in [JoinedHow::Imported, JoinedHow::Added, JoinedHow::Registered, JoinedHow::WalkIn] {
            assert_eq!(JoinedHow::parse(how.as_str()), Some(how));
        }
        assert_eq!(MemberStatus::parse("left"), Some(MemberStatus::Left));
        assert_eq!(MemberStatus::parse("gone"), None);
    }
}
