//! Backend-neutral schema for Convive, written with `SchemaManager` so one set
//! of migrations serves both SQLite (the embedded default) and PostgreSQL.
pub use sea_orm_migration::prelude::*;

mod m20261123_000001_create_organisers;
mod m20261123_000002_create_events;
mod m20261123_000003_create_guests;
mod m20261123_000004_create_answer_changes;
mod m20261123_000005_add_mail_settings;
mod m20261123_000006_create_outbox;
mod m20261123_000007_open_registration;
mod m20261123_000008_add_check_in;
mod m20261123_000009_organiser_sign_in;
mod m20261123_000010_add_event_words;
mod m20261202_000011_first_run;
mod m20261202_000012_import_jobs;
mod m20261205_000013_guest_first_name;
mod m20261206_000020_create_series;
mod m20261206_000030_create_webhooks;
mod m20261206_000031_create_erasures;
mod m20261206_000040_answer_changes_by_time;
mod m20261207_000050_create_event_teams;
mod m20261207_000060_inbound_mail;
mod m20261207_000070_series_defaults;
mod m20261207_000080_add_questions;
mod m20261208_000010_registration_answers;
mod m20261208_000020_venue_summary_slot;
pub mod m20261208_000050_notify_changes;
mod m20261209_000300_series_teams;
mod m20261209_000310_organiser_language;
mod m20261210_000010_waiting_list_index;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_organisers::Migration),
            Box::new(m20261123_000002_create_events::Migration),
            Box::new(m20261123_000003_create_guests::Migration),
            Box::new(m20261123_000004_create_answer_changes::Migration),
            Box::new(m20261123_000005_add_mail_settings::Migration),
            Box::new(m20261123_000006_create_outbox::Migration),
            Box::new(m20261123_000007_open_registration::Migration),
            Box::new(m20261123_000008_add_check_in::Migration),
            Box::new(m20261123_000009_organiser_sign_in::Migration),
            Box::new(m20261123_000010_add_event_words::Migration),
            Box::new(m20261202_000011_first_run::Migration),
            Box::new(m20261202_000012_import_jobs::Migration),
            Box::new(m20261205_000013_guest_first_name::Migration),
            Box::new(m20261206_000020_create_series::Migration),
            Box::new(m20261206_000040_answer_changes_by_time::Migration),
            Box::new(m20261206_000030_create_webhooks::Migration),
            Box::new(m20261206_000031_create_erasures::Migration),
            Box::new(m20261207_000070_series_defaults::Migration),
            Box::new(m20261207_000050_create_event_teams::Migration),
            Box::new(m20261207_000060_inbound_mail::Migration),
            Box::new(m20261207_000080_add_questions::Migration),
            Box::new(m20261208_000010_registration_answers::Migration),
            Box::new(m20261208_000020_venue_summary_slot::Migration),
            Box::new(m20261208_000050_notify_changes::Migration),
            Box::new(m20261209_000300_series_teams::Migration),
            Box::new(m20261209_000310_organiser_language::Migration),
            Box::new(m20261210_000010_waiting_list_index::Migration),
        ]
    }
}

/// `column IN ('a', 'b', ...)`: string enums are checked by the database
/// because native PostgreSQL enums do not port to SQLite.
pub(crate) fn one_of(column: impl IntoIden, values: &[&str]) -> SimpleExpr {
    Expr::col(column.into_iden()).is_in(values.iter().copied())
}
