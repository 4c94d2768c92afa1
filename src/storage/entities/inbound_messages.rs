use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inbound_messages")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub message_key: String,
    pub door: String,
    pub recipient: Option<String>,
    pub raw: Vec<u8>,
    pub status: InboundStatus,
    pub attempts: i32,
    pub due_at: DateTimeUtc,
    pub lease_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub outcome: Option<String>,
    pub event_id: Option<Uuid>,
    pub guest_id: Option<Uuid>,
    pub detail: Option<String>,
    pub received_at: DateTimeUtc,
    pub processed_at: Option<DateTimeUtc>,
}

/// Where an inbound message is in its life; a stored value outside these is
/// an error when read.
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)", rename_all = "snake_case")]
pub enum InboundStatus {
    /// Stored, waiting to be processed (or to be tried again).
    Pending,
    /// Leased by a worker processing it.
    Processing,
    /// Processed: applied, or nothing to do (its outcome says which).
    Done,
    /// Waiting for the organiser to apply or discard it.
    Held,
    /// Held, then applied by the organiser.
    Applied,
    /// Held, then discarded by the organiser.
    Discarded,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
