//! A guest's answer to an invitation.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::problem::{Problem, code};
use super::question::Answers;
use super::text::bounded;
use super::{FieldErrors, Validator};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Answer {
    Yes,
    No,
    Maybe,
}

impl Answer {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Yes => "yes",
            Self::No => "no",
            Self::Maybe => "maybe",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "yes" => Some(Self::Yes),
            "no" => Some(Self::No),
            "maybe" => Some(Self::Maybe),
            _ => None,
        }
    }
}

/// Who changed an answer: kept in the history so the organiser can tell a
/// guest's own answer from one she typed in or a waiting-list promotion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Guest,
    Organiser,
    WaitingList,
    /// The guest, from her calendar app (an iMIP reply read from the mail).
    Calendar,
}

impl Channel {
    /// Whether the guest answered herself (from her page or her calendar),
    /// bound by the deadline and the companion limit.
    pub fn is_the_guest(self) -> bool {
        matches!(self, Self::Guest | Self::Calendar)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Guest => "guest",
            Self::Organiser => "organiser",
            Self::WaitingList => "waiting_list",
            Self::Calendar => "calendar",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "guest" => Some(Self::Guest),
            "organiser" => Some(Self::Organiser),
            "waiting_list" => Some(Self::WaitingList),
            "calendar" => Some(Self::Calendar),
            _ => None,
        }
    }
}

/// An answer with what comes with it, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub answer: Answer,
    /// People she brings; always 0 for "no".
    pub companions: u32,
    pub comment: String,
    /// Her answers to the event's questions, checked by
    /// [`super::question::check_answers`] against them.
    pub questions: Answers,
}

pub const MAX_COMMENT_CHARS: usize = 1000;
/// What an organiser may record regardless of the event's companion limit.
pub const MAX_COMPANIONS_BY_ORGANISER: i64 = 100;

impl Reply {
    /// `companion_limit` is the event's limit for a guest, or the organiser's
    /// wider bound when she records an answer herself.
    pub fn parse(answer: Answer, companions: i64, comment: &str, companion_limit: u32) -> Result<Self, FieldErrors> {
        let mut v = Validator::default();
        let comment = v.check("comment", bounded(comment, 0, MAX_COMMENT_CHARS, true));
        if companions < 0 {
            let message = "must not be negative";
            v.add("companions", Problem::new(code::COMPANIONS_RANGE, message).with("max", companion_limit));
        } else if answer != Answer::No && companions > i64::from(companion_limit) {
            v.add(
                "companions",
                if companion_limit == 0 {
                    Problem::new(code::NO_COMPANIONS, "this event does not allow companions")
                } else {
                    Problem::new(code::COMPANIONS_RANGE, format!("at most {companion_limit} companion(s) per guest"))
                        .with("max", companion_limit)
                },
            );
        }
        v.finish()?;
        Ok(Self {
            answer,
            companions: if answer == Answer::No { 0 } else { companions as u32 },
            comment: comment.unwrap_or_default(),
            questions: Answers::new(),
        })
    }

    /// Seats this reply needs if it is a "yes": the guest and her companions.
    pub fn party_size(&self) -> u32 {
        1 + self.companions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn companions_are_bounded_by_the_event() {
        assert!(Reply::parse(Answer::Yes, 2, "", 2).is_ok());
        assert!(Reply::parse(Answer::Yes, 3, "", 2).is_err());
        assert!(Reply::parse(Answer::Maybe, 1, "", 0).is_err());
        assert!(Reply::parse(Answer::Yes, -1, "", 2).is_err());
    }

    #[test]
    fn a_no_brings_nobody() {
        let reply = Reply::parse(Answer::No, 5, "sorry", 0).unwrap();
        assert_eq!(reply.companions, 0);
    }

    #[test]
    fn overlong_comments_are_refused() {
        assert!(Reply::parse(Answer::Yes, 0, &"é".repeat(MAX_COMMENT_CHARS), 0).is_ok());
        assert!(Reply::parse(Answer::Yes, 0, &"é".repeat(MAX_COMMENT_CHARS + 1), 0).is_err());
    }
}
