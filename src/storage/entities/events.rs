use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organiser_id: Uuid,
    pub title: String,
    pub description: String,
    pub venue_name: String,
    pub venue_address: String,
    pub venue_map_url: Option<String>,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub time_zone: String,
    pub capacity: Option<i32>,
    pub companions_allowed: i32,
    pub rsvp_deadline: Option<DateTimeUtc>,
    pub language: String,
    pub follow_up_url: Option<String>,
    pub status: String,
    pub seats_taken: i32,
    pub sequence: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub plan_nudges: String,
    pub plan_nudge_maybes: bool,
    pub plan_answers_close: String,
    pub plan_reminder: Option<String>,
    pub plan_follow_up: Option<String>,
    pub open_registration: bool,
    pub words: String,
    pub series_id: Option<Uuid>,
    pub questions: String,
    pub plan_venue_summary: Option<String>,
    pub venue_contact: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
