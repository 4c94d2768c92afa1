//! sea-orm entities, one per table, mirroring `migrations/`. Plain data only:
//! behaviour lives in the sibling modules of `storage/`.
pub mod answer_changes;
pub mod api_keys;
pub mod community_members;
pub mod erasures;
pub mod event_activity;
pub mod events;
pub mod guests;
pub mod import_jobs;
pub mod inbound_messages;
pub mod instance_secrets;
pub mod instance_settings;
pub mod login_links;
pub mod organisers;
pub mod outbox;
pub mod plan_slots;
pub mod registrations;
pub mod series;
pub mod series_defaults;
pub mod sessions;
pub mod setup_codes;
pub mod team_members;
pub mod unsubscribes;
pub mod webhook_deliveries;
pub mod webhook_endpoints;
