use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "guests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub event_id: Uuid,
    pub email: String,
    pub name: String,
    pub language: Option<String>,
    #[sea_orm(unique)]
    pub token_hash: String,
    pub answer: Option<String>,
    pub companions: i32,
    pub comment: String,
    pub answered_at: Option<DateTimeUtc>,
    pub waitlisted_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub token_salt: String,
    pub checked_in_at: Option<DateTimeUtc>,
    pub checked_in_companions: i32,
    pub walk_in: bool,
    pub first_name: String,
    /// When her personal data was erased; the row stays for the counts.
    pub erased_at: Option<DateTimeUtc>,
    pub question_answers: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::events::Entity",
        from = "Column::EventId",
        to = "super::events::Column::Id",
        on_delete = "Cascade"
    )]
    Event,
}

impl Related<super::events::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Event.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
