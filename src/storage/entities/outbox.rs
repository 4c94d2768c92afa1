use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `None` for emails about no event (a sign-in link).
    pub event_id: Option<Uuid>,
    pub guest_id: Option<Uuid>,
    pub organiser_id: Uuid,
    pub subject_id: Uuid,
    pub kind: String,
    pub slot: String,
    pub recipient: String,
    pub payload: String,
    pub due_at: DateTimeUtc,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub lease_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

/// Where an email is in its life. A stored value outside these is an
/// error when read, never a silent default.
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)", rename_all = "snake_case")]
pub enum OutboxStatus {
    /// Waiting for its due time (or its next attempt).
    Pending,
    /// Leased by a dispatcher that is sending it.
    Sending,
    Sent,
    /// Refused for good by the relay, or out of attempts.
    Failed,
    /// No longer relevant when its time came (she answered, the event was cancelled…).
    Skipped,
}

impl OutboxStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Skipped => "skipped",
        }
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
