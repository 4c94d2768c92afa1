//! Pure types and rules: nothing here knows about HTTP or the database.
//! Every value from outside becomes one of these types before it is used.
pub mod answer;
pub mod attendance;
pub mod community;
pub mod email_address;
pub mod event;
pub mod guest;
pub mod guest_list;
pub mod inbound;
pub mod mail;
pub mod mail_auth;
pub mod plan;
pub mod problem;
pub mod question;
pub mod role;
pub mod seating;
pub mod series;
pub mod text;
pub mod token;
pub mod webhook;

use std::collections::BTreeMap;

pub use problem::Problem;

/// Field name -> what is wrong with it: a code each door puts in words.
pub type FieldErrors = BTreeMap<String, Problem>;

/// Collects per-field problems so a request gets all of them at once rather
/// than one per round trip.
#[derive(Debug, Default)]
pub struct Validator {
    errors: FieldErrors,
}

impl Validator {
    /// Keeps the value, or records the message under `field`.
    pub fn check<T, E: Into<Problem>>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(problem) => {
                self.errors.entry(field.to_owned()).or_insert(problem.into());
                None
            }
        }
    }

    pub fn add(&mut self, field: &str, problem: impl Into<Problem>) {
        self.errors.entry(field.to_owned()).or_insert_with(|| problem.into());
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// Ends validation: `Ok(())` when nothing was recorded.
    pub fn finish(self) -> Result<(), FieldErrors> {
        if self.errors.is_empty() { Ok(()) } else { Err(self.errors) }
    }
}
