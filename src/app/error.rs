//! What an operation can refuse, in terms of the rules: each door turns these
//! into its own words (a status code and the JSON shape for the API, a
//! sentence in the reader's language for the pages).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::domain::event::AnswersClosed;
use crate::domain::{FieldErrors, Problem};
use crate::storage::{Missing, StorageError};

pub type Result<T, E = AppError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Unknown, or someone else's: the two are indistinguishable on purpose.
    #[error("{0:?} not found")]
    NotFound(Missing),
    /// Fields that break a rule, each with what is wrong with it.
    #[error("invalid fields: {0:?}")]
    Invalid(FieldErrors),
    #[error("{email} is already invited to this event")]
    AlreadyInvited { email: String },
    #[error("{email} is already in the community")]
    AlreadyMember { email: String },
    /// A guest may not answer now; `time_zone` is the event's, for saying when.
    #[error("answers are closed: {closed:?}")]
    AnswersClosed { closed: AnswersClosed, time_zone: Tz },
    /// Her party does not fit; her current answer is unchanged.
    #[error("only {seats_left} seats left")]
    NotEnoughSeats { seats_left: u32 },
    /// Only a published event sends invitations.
    #[error("the event is not published")]
    NotPublished,
    /// A cancelled event is read-only.
    #[error("the event is cancelled")]
    EventCancelled,
    #[error("registration for this event is closed")]
    RegistrationClosed,
    /// A one-time link (registration confirmation, sign-in) already used or expired.
    #[error("the {link:?} link was used already or has expired")]
    LinkSpent { link: OneTimeLink, expired: bool },
    /// The setup code is not one the server printed.
    #[error("the setup code is wrong")]
    WrongSetupCode,
    /// An organiser exists: the first-run setup is over.
    #[error("this instance is set up already")]
    SetupDone,
    /// A webhook endpoint that is disabled sends nothing, tests included.
    #[error("the webhook endpoint is disabled")]
    EndpointDisabled,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// The one-time links the rules know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OneTimeLink {
    Registration,
    SignIn,
    /// The invitation to join an event's team.
    Team,
}

impl AppError {
    pub fn field(name: &str, problem: impl Into<Problem>) -> Self {
        Self::Invalid(FieldErrors::from([(name.to_owned(), problem.into())]))
    }

    /// Whether this failed only because its group commit was undone by
    /// another member's failure: running it again alone may well succeed.
    pub fn is_group_undone(&self) -> bool {
        matches!(self, Self::Internal(err) if err.is::<crate::storage::GroupUndone>())
    }

    /// When answers closed, if that is why.
    pub fn closed_at(&self) -> Option<DateTime<Utc>> {
        match self {
            Self::AnswersClosed { closed: AnswersClosed::DeadlinePassed(at), .. } => Some(*at),
            _ => None,
        }
    }
}

impl From<StorageError> for AppError {
    fn from(err: StorageError) -> Self {
        match err {
            StorageError::NotFound(missing) => Self::NotFound(missing),
            // A constraint a rule did not anticipate: a bug, not the client's doing.
            StorageError::Conflict(constraint) => {
                Self::Internal(anyhow::anyhow!("unexpected conflict on {constraint:?}"))
            }
            StorageError::Database(err) => Self::Internal(err),
        }
    }
}

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        StorageError::from(err).into()
    }
}
