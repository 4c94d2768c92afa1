//! What is wrong with a value from outside: a stable code and its
//! parameters, which each door puts in its reader's words (the catalogue's
//! `err_<code>`), and the English sentence the API gives.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The codes the rules give, each with the parameters it carries. The
/// catalogue has `err_<code>` for each, in every language (a test checks).
pub mod code {
    /// Any other problem: shown as its English sentence.
    pub const INVALID: &str = "invalid";
    pub const REQUIRED: &str = "required";
    /// `min`
    pub const TOO_SHORT: &str = "too_short";
    /// `max`
    pub const TOO_LONG: &str = "too_long";
    pub const CONTROL_CHARACTERS: &str = "control_characters";
    pub const INVALID_URL: &str = "invalid_url";
    /// `value`
    pub const INVALID_EMAIL: &str = "invalid_email";
    /// `value`
    pub const UNDELIVERABLE_EMAIL: &str = "undeliverable_email";
    pub const INVALID_LANGUAGE: &str = "invalid_language";
    /// `max`
    pub const CAPACITY_RANGE: &str = "capacity_range";
    /// `max`
    pub const COMPANIONS_RANGE: &str = "companions_range";
    pub const NO_COMPANIONS: &str = "no_companions";
    /// `value`
    pub const INVALID_TIME_ZONE: &str = "invalid_time_zone";
    /// `value`
    pub const INVALID_DATETIME: &str = "invalid_datetime";
    /// `value`, `zone`
    pub const SKIPPED_TIME: &str = "skipped_time";
    pub const ENDS_BEFORE_START: &str = "ends_before_start";
    pub const DEADLINE_AFTER_START: &str = "deadline_after_start";
    /// `value`
    pub const INVALID_DURATION: &str = "invalid_duration";
    /// `max`
    pub const TOO_MANY_NUDGES: &str = "too_many_nudges";
    /// `email`
    pub const ALREADY_INVITED: &str = "already_invited";
    /// `line`
    pub const LISTED_EARLIER: &str = "listed_earlier";
    /// `email`
    pub const ALREADY_MEMBER: &str = "already_member";
    /// `value`
    pub const INVALID_WEBHOOK_TYPE: &str = "invalid_webhook_type";
    /// `max`
    pub const RETENTION_RANGE: &str = "retention_range";
    /// `min`, `max`: a whole number out of its range.
    pub const OUT_OF_RANGE: &str = "out_of_range";
    /// A rhythm a series does not know.
    pub const INVALID_RULE: &str = "invalid_rule";
    /// `value`: not a date.
    pub const INVALID_DATE: &str = "invalid_date";
    /// `value`
    pub const INVALID_ROLE: &str = "invalid_role";
    pub const OWNER_IN_TEAM: &str = "owner_in_team";
    /// `max`
    pub const TOO_MANY_QUESTIONS: &str = "too_many_questions";
    /// `min`
    pub const TOO_FEW_OPTIONS: &str = "too_few_options";
    /// `max`
    pub const TOO_MANY_OPTIONS: &str = "too_many_options";
    /// `value`: a question's or an option's key given twice.
    pub const DUPLICATE_KEY: &str = "duplicate_key";
    /// `value`, `max`
    pub const INVALID_KEY: &str = "invalid_key";
    /// `value`
    pub const INVALID_QUESTION_KIND: &str = "invalid_question_kind";
    /// `value`: an answer to a question the event does not ask.
    pub const UNKNOWN_QUESTION: &str = "unknown_question";
    /// `value`: a choice the question does not offer.
    pub const NOT_AN_OPTION: &str = "not_an_option";
    pub const ONE_CHOICE_ONLY: &str = "one_choice_only";
    pub const YES_OR_NO: &str = "yes_or_no";
    /// `value`: an imported answer other than yes, no or maybe.
    pub const INVALID_ANSWER: &str = "invalid_answer";

    /// Every code but [`INVALID`], for the test that the catalogue words each.
    pub const ALL: &[&str] = &[
        REQUIRED,
        TOO_SHORT,
        TOO_LONG,
        CONTROL_CHARACTERS,
        INVALID_URL,
        INVALID_EMAIL,
        UNDELIVERABLE_EMAIL,
        INVALID_LANGUAGE,
        CAPACITY_RANGE,
        COMPANIONS_RANGE,
        NO_COMPANIONS,
        INVALID_TIME_ZONE,
        INVALID_DATETIME,
        SKIPPED_TIME,
        ENDS_BEFORE_START,
        DEADLINE_AFTER_START,
        INVALID_DURATION,
        TOO_MANY_NUDGES,
        OUT_OF_RANGE,
        INVALID_RULE,
        INVALID_DATE,
        ALREADY_INVITED,
        LISTED_EARLIER,
        ALREADY_MEMBER,
        INVALID_WEBHOOK_TYPE,
        RETENTION_RANGE,
        INVALID_ROLE,
        OWNER_IN_TEAM,
        TOO_MANY_QUESTIONS,
        TOO_FEW_OPTIONS,
        TOO_MANY_OPTIONS,
        DUPLICATE_KEY,
        INVALID_KEY,
        INVALID_QUESTION_KIND,
        UNKNOWN_QUESTION,
        NOT_AN_OPTION,
        ONE_CHOICE_ONLY,
        YES_OR_NO,
        INVALID_ANSWER,
    ];
}

/// One problem with one field. It serialises as its English sentence, so
/// the API's `fields` keep their shape; [`Problem::coded`] is the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    code: String,
    params: BTreeMap<String, String>,
    message: String,
}

/// A problem's code and parameters, as the API gives them beside the
/// English sentences (`field_codes`, `reason_codes`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ProblemCode {
    /// A stable code such as `ends_before_start` or `invalid_email`.
    #[schema(example = "invalid_email")]
    pub code: String,
    /// What the sentence names, such as `value` or `max`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
}

impl Problem {
    /// A problem with `code` (one of [`code`]), said in English as `message`.
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self { code: code.to_owned(), params: BTreeMap::new(), message: message.into() }
    }

    /// Adds a parameter that the reader's sentence names. By value, so a
    /// number or a name reads plainly at the call.
    #[must_use]
    #[allow(clippy::needless_pass_by_value)]
    pub fn with(mut self, name: &str, value: impl ToString) -> Self {
        self.params.insert(name.to_owned(), value.to_string());
        self
    }

    pub fn code(&self) -> &str {
        &self.code
    }

    pub fn params(&self) -> &BTreeMap<String, String> {
        &self.params
    }

    /// The English sentence, for the API and the logs.
    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn coded(&self) -> ProblemCode {
        ProblemCode { code: self.code.clone(), params: self.params.clone() }
    }

    /// Puts a sentence and its code back together (a stored report); a
    /// sentence stored without a code stays a generic problem.
    pub fn joined(message: String, coded: Option<ProblemCode>) -> Self {
        match coded {
            Some(ProblemCode { code, params }) => Self { code, params, message },
            None => Self::from(message),
        }
    }
}

/// A sentence with no code of its own: the reader sees it as it is.
impl From<String> for Problem {
    fn from(message: String) -> Self {
        Self::new(code::INVALID, message)
    }
}

impl From<&str> for Problem {
    fn from(message: &str) -> Self {
        Self::new(code::INVALID, message)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Serialize for Problem {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.message)
    }
}

impl<'de> Deserialize<'de> for Problem {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

impl utoipa::PartialSchema for Problem {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("What is wrong with the field, in English."))
            .into()
    }
}

impl ToSchema for Problem {}

/// The codes of a set of field problems, for the API.
pub fn codes(errors: &BTreeMap<String, Problem>) -> BTreeMap<String, ProblemCode> {
    errors.iter().map(|(field, problem)| (field.clone(), problem.coded())).collect()
}
