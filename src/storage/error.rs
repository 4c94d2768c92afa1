//! What storage can say went wrong: a row that is not there, a named
//! constraint that refused a write, or the database itself. Nothing here
//! knows about HTTP or about the rules; the application layer decides what
//! each means for the person asking.

use sea_orm::DbErr;

pub type Result<T, E = StorageError> = std::result::Result<T, E>;

/// What storage looked for and did not find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    Event,
    Guest,
    Invitation,
    Registration,
    LoginLink,
    Organiser,
    ApiKey,
    UnsubscribeLink,
    Feed,
    ImportJob,
    Series,
    /// A series with no defaults for its new dates yet.
    SeriesDefaults,
    Member,
    WebhookEndpoint,
    WebhookDelivery,
    TeamMember,
    InboundMessage,
}

/// A unique constraint a write ran into, by the rule it keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Constraint {
    /// One guest per address per event.
    GuestAddress,
    /// One organiser per address.
    OrganiserAddress,
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("{0:?} not found")]
    NotFound(Missing),
    #[error("the write conflicts with {0:?}")]
    Conflict(Constraint),
    /// The database failed, or a stored row could not be read back.
    #[error(transparent)]
    Database(#[from] anyhow::Error),
}

impl From<DbErr> for StorageError {
    fn from(err: DbErr) -> Self {
        Self::Database(anyhow::Error::new(err).context("database error"))
    }
}

impl StorageError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::NotFound(_))
    }
}
