//! Black-box tests: each starts the real application on a random port with
//! its own database (a fresh SQLite file, or a fresh PostgreSQL database when
//! `CONVIVE_TEST_BACKEND=postgres`) and talks HTTP to it.
mod answers;
mod browser;
mod budgets;
mod calendar;
mod check_in;
mod cli;
mod connections;
mod dashboard;
mod dashboard_confirm;
mod dashboard_guests;
mod dashboard_messages;
mod dashboard_plan;
mod dashboard_series;
mod dashboard_webhooks;
mod delivery;
mod errors;
mod events;
mod guest_data;
mod guest_lists;
mod guests;
mod helpers;
mod mail;
mod mailbox;
mod metrics;
mod operations;
mod organiser_words;
mod pages;
mod processes;
mod registration;
mod rules;
mod series;
mod setup;
mod tenancy;
mod webhooks;
mod words;
