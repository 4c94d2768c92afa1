//! Pure types and rules: nothing here knows about HTTP or the database.
//! Every value from outside becomes one of these types before it is used.
pub mod answer;
pub mod email_address;
pub mod event;
pub mod guest;
pub mod guest_list;
pub mod mail;
pub mod plan;
pub mod seating;
pub mod text;
pub mod token;

use std::collections::BTreeMap;

/// Field name -> what is wrong with it, in words a person can act on.
pub type FieldErrors = BTreeMap<String, String>;

/// Collects per-field problems so a request gets all of them at once rather
/// than one per round trip.
#[derive(Debug, Default)]
pub struct Validator {
    errors: FieldErrors,
}

impl Validator {
    /// Keeps the value, or records the message under `field`.
    pub fn check<T>(&mut self, field: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.errors.entry(field.to_owned()).or_insert(message);
                None
            }
        }
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.errors.entry(field.to_owned()).or_insert_with(|| message.into());
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// Ends validation: `Ok(())` when nothing was recorded.
    pub fn finish(self) -> Result<(), FieldErrors> {
        if self.errors.is_empty() { Ok(()) } else { Err(self.errors) }
    }
}
