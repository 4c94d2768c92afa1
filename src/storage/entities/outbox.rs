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
    pub status: String,
    pub attempts: i32,
    pub lease_until: Option<DateTimeUtc>,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
