use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub message_id: Uuid,
    pub endpoint_id: Uuid,
    pub organiser_id: Uuid,
    pub event_type: String,
    pub event_id: Option<Uuid>,
    pub guest_id: Option<Uuid>,
    pub data: String,
    pub payload: Option<String>,
    pub occurred_at: DateTimeUtc,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub due_at: DateTimeUtc,
    pub lease_until: Option<DateTimeUtc>,
    pub response_status: Option<i32>,
    pub response_body: Option<String>,
    pub duration_ms: Option<i32>,
    pub last_error: Option<String>,
    pub last_attempt_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

/// Where a delivery is in its life; a stored value outside these is an
/// error when read.
#[derive(Copy, Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum, serde::Serialize, utoipa::ToSchema)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)", rename_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting for its due time (or its next attempt).
    Pending,
    /// Leased by a dispatcher that is sending it.
    Sending,
    /// The endpoint answered 2xx.
    Delivered,
    /// Out of attempts, or the endpoint is gone (410).
    Failed,
    /// Not sent: the endpoint was disabled meanwhile.
    Skipped,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sending => "sending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
            Self::Skipped => "skipped",
        }
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
