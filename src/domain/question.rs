//! Questions an organiser asks her guests beyond yes or no (a dietary need,
//! a company, whether she wants to speak), the rules a guest's answers to
//! them follow, and the totals per choice the organiser and the venue read.
//!
//! Decisions, so they hold in one place:
//! - A required question must be answered only by a guest who comes or may
//!   come (`yes`, `maybe`). Someone who says no is asked nothing more; what
//!   she gives anyway is still checked and kept.
//! - A label may be given in one language only: the other falls back to it,
//!   so a French-only organiser never leaves English guests with a blank.
//! - Questions and options carry short stable keys (`diet`, `vegetarian`):
//!   the API, the CSV columns and stored answers use them, so a label can be
//!   reworded without losing answers. Left out, they are numbered (`q1`, `o1`).
//! - Totals count guests who said yes, one each: companions answer nothing.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::answer::Answer;
use super::event::Language;
use super::problem::{Problem, code};
use super::text::bounded;
use super::{FieldErrors, Validator};

pub const MAX_QUESTIONS: usize = 20;
pub const MAX_OPTIONS: usize = 20;
pub const MAX_LABEL_CHARS: usize = 200;
pub const MAX_OPTION_CHARS: usize = 100;
pub const MAX_KEY_CHARS: usize = 40;
pub const MAX_SHORT_TEXT_CHARS: usize = 200;
pub const MAX_LONG_TEXT_CHARS: usize = 2000;

/// What kind of answer a question expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// One line, up to 200 characters.
    ShortText,
    /// Several lines, up to 2000 characters.
    LongText,
    /// Exactly one of the options.
    OneChoice,
    /// Any number of the options.
    SeveralChoices,
    /// Yes or no.
    YesNo,
}

impl QuestionKind {
    pub const ALL: [Self; 5] = [Self::ShortText, Self::LongText, Self::OneChoice, Self::SeveralChoices, Self::YesNo];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::ShortText => "short_text",
            Self::LongText => "long_text",
            Self::OneChoice => "one_choice",
            Self::SeveralChoices => "several_choices",
            Self::YesNo => "yes_no",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == raw)
    }

    pub fn has_options(self) -> bool {
        matches!(self, Self::OneChoice | Self::SeveralChoices)
    }
}

/// A label in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Wording {
    pub fr: String,
    pub en: String,
}

impl Wording {
    pub fn get(&self, language: Language) -> &str {
        match language {
            Language::Fr => &self.fr,
            Language::En => &self.en,
        }
    }
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Choice {
    pub key: String,
    pub label: Wording,
}

/// A question, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Question {
    pub key: String,
    pub kind: QuestionKind,
    pub label: Wording,
    pub required: bool,
    /// Empty unless the kind is a choice.
    #[serde(default)]
    pub options: Vec<Choice>,
}

impl Question {
    pub fn option(&self, key: &str) -> Option<&Choice> {
        self.options.iter().find(|choice| choice.key == key)
    }
}

/// An option as an organiser sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, ToSchema)]
pub struct ChoiceDraft {
    /// Left out, the option is numbered (`o1`, `o2`…) in its place.
    #[serde(default)]
    #[schema(pattern = "^[a-z0-9_-]{1,40}$")]
    pub key: Option<String>,
    /// One of the two labels is needed; the other falls back to it.
    #[serde(default)]
    #[schema(max_length = 100)]
    pub label_fr: String,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub label_en: String,
}

/// A question as an organiser sends it, before the rules.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
pub struct QuestionDraft {
    /// Left out, the question is numbered (`q1`, `q2`…) in its place.
    #[serde(default)]
    #[schema(pattern = "^[a-z0-9_-]{1,40}$")]
    pub key: Option<String>,
    /// `short_text`, `long_text`, `one_choice`, `several_choices` or `yes_no`.
    #[schema(value_type = QuestionKind)]
    pub kind: String,
    /// One of the two labels is needed; the other falls back to it.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub label_fr: String,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub label_en: String,
    /// Must guests who come (or may come) answer it?
    #[serde(default)]
    pub required: bool,
    /// For a choice: 2 to 20 options. Ignored for other kinds.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub options: Vec<ChoiceDraft>,
}

impl From<&Question> for QuestionDraft {
    fn from(question: &Question) -> Self {
        Self {
            key: Some(question.key.clone()),
            kind: question.kind.as_str().to_owned(),
            label_fr: question.label.fr.clone(),
            label_en: question.label.en.clone(),
            required: question.required,
            options: question
                .options
                .iter()
                .map(|choice| ChoiceDraft {
                    key: Some(choice.key.clone()),
                    label_fr: choice.label.fr.clone(),
                    label_en: choice.label.en.clone(),
                })
                .collect(),
        }
    }
}

/// Checks an event's questions. Problems are under `questions.<i>.<field>`
/// (`label`, `kind`, `key`, `options`, `options.<j>`), `i` from 0.
pub fn parse_questions(drafts: &[QuestionDraft]) -> Result<Vec<Question>, FieldErrors> {
    let mut v = Validator::default();
    if drafts.len() > MAX_QUESTIONS {
        let problem = Problem::new(code::TOO_MANY_QUESTIONS, format!("at most {MAX_QUESTIONS} questions"));
        v.add("questions", problem.with("max", MAX_QUESTIONS));
        return Err(v.finish().unwrap_err());
    }
    let mut keys = BTreeSet::new();
    let mut questions = Vec::with_capacity(drafts.len());
    for (i, draft) in drafts.iter().enumerate() {
        let at = |field: &str| format!("questions.{i}.{field}");
        let key = v.check(&at("key"), key_or(draft.key.as_deref(), &format!("q{}", i + 1)));
        if let Some(key) = &key
            && !keys.insert(key.clone())
        {
            v.add(&at("key"), Problem::new(code::DUPLICATE_KEY, format!("'{key}' is used twice")).with("value", key));
        }
        let kind = QuestionKind::parse(draft.kind.trim());
        if kind.is_none() {
            let problem =
                Problem::new(code::INVALID_QUESTION_KIND, format!("'{}' is not a kind of question", draft.kind));
            v.add(&at("kind"), problem.with("value", draft.kind.trim()));
        }
        let label = v.check(&at("label"), wording(&draft.label_fr, &draft.label_en, MAX_LABEL_CHARS));
        let options = match kind {
            Some(kind) if kind.has_options() => parse_options(&mut v, &at("options"), &draft.options),
            _ => Vec::new(),
        };
        if let (Some(key), Some(kind), Some(label)) = (key, kind, label) {
            questions.push(Question { key, kind, label, required: draft.required, options });
        }
    }
    v.finish()?;
    Ok(questions)
}

fn parse_options(v: &mut Validator, field: &str, drafts: &[ChoiceDraft]) -> Vec<Choice> {
    if drafts.len() < 2 {
        v.add(field, Problem::new(code::TOO_FEW_OPTIONS, "a choice needs at least 2 options").with("min", 2));
        return Vec::new();
    }
    if drafts.len() > MAX_OPTIONS {
        let problem = Problem::new(code::TOO_MANY_OPTIONS, format!("at most {MAX_OPTIONS} options"));
        v.add(field, problem.with("max", MAX_OPTIONS));
        return Vec::new();
    }
    let mut keys = BTreeSet::new();
    let mut options = Vec::with_capacity(drafts.len());
    for (j, draft) in drafts.iter().enumerate() {
        let at = format!("{field}.{j}");
        let key = v.check(&at, key_or(draft.key.as_deref(), &format!("o{}", j + 1)));
        let label = v.check(&at, wording(&draft.label_fr, &draft.label_en, MAX_OPTION_CHARS));
        if let (Some(key), Some(label)) = (key, label) {
            if keys.insert(key.clone()) {
                options.push(Choice { key, label });
            } else {
                v.add(&at, Problem::new(code::DUPLICATE_KEY, format!("'{key}' is used twice")).with("value", key));
            }
        }
    }
    options
}

/// A stable key: lower-case letters, digits, `_` and `-`, or `fallback` when left out.
fn key_or(raw: Option<&str>, fallback: &str) -> Result<String, Problem> {
    let key = raw.unwrap_or(fallback);
    let fits = (1..=MAX_KEY_CHARS).contains(&key.len())
        && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if fits {
        Ok(key.to_owned())
    } else {
        let message = format!("'{key}' must be up to {MAX_KEY_CHARS} lower-case letters, digits, '_' or '-'");
        Err(Problem::new(code::INVALID_KEY, message).with("value", key).with("max", MAX_KEY_CHARS))
    }
}

/// Both labels, each falling back to the other; one of them is needed.
fn wording(fr: &str, en: &str, max: usize) -> Result<Wording, Problem> {
    let fr = bounded(fr, 0, max, false)?;
    let en = bounded(en, 0, max, false)?;
    match (fr.is_empty(), en.is_empty()) {
        (true, true) => Err(Problem::new(code::REQUIRED, "must not be empty")),
        (true, false) => Ok(Wording { fr: en.clone(), en }),
        (false, true) => Ok(Wording { en: fr.clone(), fr }),
        (false, false) => Ok(Wording { fr, en }),
    }
}

/// A guest's answer to one question, as sent and as kept: a text or one
/// option's key as a string, several options' keys as a list, yes/no as a
/// boolean. What it means comes from the question's kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Given {
    Flag(bool),
    Text(String),
    List(Vec<String>),
}

/// A guest's answers, by question key; unanswered questions are absent.
pub type Answers = BTreeMap<String, Given>;

/// Whether required questions must be answered with this answer: by those
/// who come or may come only.
pub fn required_binds(answer: Answer) -> bool {
    answer != Answer::No
}

/// Checks a guest's answers against the event's questions; required ones
/// must be answered when `required` holds (see [`required_binds`]; the
/// organiser typing what she knows is bound by none). Problems are under `questions.<key>`. The
/// result is normal: text trimmed, blanks dropped, one choice as its key,
/// several choices in the options' order without repeats, yes/no a boolean.
pub fn check_answers(questions: &[Question], given: &Answers, required: bool) -> Result<Answers, FieldErrors> {
    let mut v = Validator::default();
    let mut kept = Answers::new();
    for key in given.keys().filter(|key| !questions.iter().any(|q| &&q.key == key)) {
        let problem = Problem::new(code::UNKNOWN_QUESTION, format!("'{key}' is not a question of this event"));
        v.add(&format!("questions.{key}"), problem.with("value", key));
    }
    for question in questions {
        let field = format!("questions.{}", question.key);
        match given.get(&question.key).map(|raw| check_one(question, raw)) {
            Some(Ok(Some(value))) => {
                kept.insert(question.key.clone(), value);
            }
            Some(Err(problem)) => v.add(&field, problem),
            Some(Ok(None)) | None if question.required && required => {
                v.add(&field, Problem::new(code::REQUIRED, "must be answered"));
            }
            Some(Ok(None)) | None => {}
        }
    }
    v.finish()?;
    Ok(kept)
}

/// Her answers that still fit the questions as they are now: those to a
/// question since removed, or no longer of its kind, are left out, and so
/// are choices no longer offered. What an answer left unchanged is checked
/// as, so that the organiser's edit never makes it an error.
pub fn still_asked(questions: &[Question], given: &Answers) -> Answers {
    given
        .iter()
        .filter_map(|(key, value)| {
            let question = questions.iter().find(|q| &q.key == key)?;
            let value = match (question.kind, value) {
                (QuestionKind::SeveralChoices, Given::List(keys)) => {
                    Given::List(keys.iter().filter(|k| question.option(k).is_some()).cloned().collect())
                }
                _ => value.clone(),
            };
            check_one(question, &value).ok().flatten().map(|value| (key.clone(), value))
        })
        .collect()
}

/// One answer, normal, or `None` when it is blank.
fn check_one(question: &Question, raw: &Given) -> Result<Option<Given>, Problem> {
    let not_an_option =
        |key: &str| Problem::new(code::NOT_AN_OPTION, format!("'{key}' is not one of the options")).with("value", key);
    match (question.kind, raw) {
        (QuestionKind::ShortText | QuestionKind::LongText, Given::Text(text)) => {
            let multiline = question.kind == QuestionKind::LongText;
            let max = if multiline { MAX_LONG_TEXT_CHARS } else { MAX_SHORT_TEXT_CHARS };
            // Browsers send a textarea's line breaks as CRLF, and count
            // each as one character against `maxlength`: so do we.
            let text = bounded(&text.replace("\r\n", "\n"), 0, max, multiline)?;
            Ok((!text.is_empty()).then_some(Given::Text(text)))
        }
        (QuestionKind::YesNo, Given::Flag(flag)) => Ok(Some(Given::Flag(*flag))),
        (QuestionKind::YesNo, Given::Text(text)) => match text.trim() {
            "" => Ok(None),
            "yes" | "true" => Ok(Some(Given::Flag(true))),
            "no" | "false" => Ok(Some(Given::Flag(false))),
            _ => Err(Problem::new(code::YES_OR_NO, "must be yes or no")),
        },
        (QuestionKind::OneChoice, Given::Text(key)) if key.trim().is_empty() => Ok(None),
        (QuestionKind::OneChoice, Given::Text(key)) => match question.option(key.trim()) {
            Some(choice) => Ok(Some(Given::Text(choice.key.clone()))),
            None => Err(not_an_option(key.trim())),
        },
        (QuestionKind::OneChoice, Given::List(keys)) => match keys.as_slice() {
            [] => Ok(None),
            [key] => check_one(question, &Given::Text(key.clone())),
            _ => Err(Problem::new(code::ONE_CHOICE_ONLY, "only one option may be chosen")),
        },
        (QuestionKind::SeveralChoices, Given::Text(key)) if key.trim().is_empty() => Ok(None),
        (QuestionKind::SeveralChoices, Given::Text(key)) => check_one(question, &Given::List(vec![key.clone()])),
        (QuestionKind::SeveralChoices, Given::List(keys)) => {
            let keys: BTreeSet<&str> = keys.iter().map(|key| key.trim()).filter(|key| !key.is_empty()).collect();
            if let Some(stranger) = keys.iter().find(|key| question.option(key).is_none()) {
                return Err(not_an_option(stranger));
            }
            let chosen: Vec<String> =
                question.options.iter().filter(|o| keys.contains(o.key.as_str())).map(|o| o.key.clone()).collect();
            Ok((!chosen.is_empty()).then_some(Given::List(chosen)))
        }
        (QuestionKind::ShortText | QuestionKind::LongText, _) => Err(Problem::new(code::INVALID, "must be a text")),
        (QuestionKind::YesNo, Given::List(_)) => Err(Problem::new(code::YES_OR_NO, "must be yes or no")),
        (QuestionKind::OneChoice | QuestionKind::SeveralChoices, Given::Flag(_)) => {
            Err(Problem::new(code::INVALID, "must be an option's key"))
        }
    }
}

/// The written answers to one text question, with who wrote each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct WrittenAnswers {
    pub key: String,
    pub label: Wording,
    /// (who, what she wrote), in the order given.
    pub answers: Vec<(String, String)>,
}

/// The answers to each text question, in the questions' order, from
/// (who, her answers) pairs; blank questions left out.
pub fn written(questions: &[Question], answers: &[(String, Answers)]) -> Vec<WrittenAnswers> {
    questions
        .iter()
        .filter(|q| matches!(q.kind, QuestionKind::ShortText | QuestionKind::LongText))
        .map(|q| WrittenAnswers {
            key: q.key.clone(),
            label: q.label.clone(),
            answers: answers
                .iter()
                .filter_map(|(who, given)| match given.get(&q.key) {
                    Some(Given::Text(text)) => Some((who.clone(), text.clone())),
                    _ => None,
                })
                .collect(),
        })
        .filter(|w| !w.answers.is_empty())
        .collect()
}

/// How many guests answered each question, by key, over their answers.
pub fn answered_counts<'a>(answers: impl IntoIterator<Item = &'a Answers>) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for given in answers {
        for key in given.keys() {
            *counts.entry(key.clone()).or_insert(0) += 1;
        }
    }
    counts
}

/// How many guests chose one option (or said yes / no to a yes/no question).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct OptionTotal {
    /// The option's key, or `yes` / `no`.
    pub key: String,
    pub label: Wording,
    pub count: u32,
}

/// The totals of one choice or yes/no question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct QuestionTotals {
    pub key: String,
    pub label: Wording,
    pub options: Vec<OptionTotal>,
}

/// Totals per option of each choice and yes/no question, in the questions'
/// order, over the answers given (the caller passes those of guests who come).
/// An answer to an option since removed is not counted.
pub fn totals<'a>(questions: &[Question], answers: impl IntoIterator<Item = &'a Answers>) -> Vec<QuestionTotals> {
    let yes_no = || {
        vec![
            Choice { key: "yes".into(), label: Wording { fr: "oui".into(), en: "yes".into() } },
            Choice { key: "no".into(), label: Wording { fr: "non".into(), en: "no".into() } },
        ]
    };
    let mut all: Vec<QuestionTotals> = questions
        .iter()
        .filter(|q| q.kind.has_options() || q.kind == QuestionKind::YesNo)
        .map(|q| QuestionTotals {
            key: q.key.clone(),
            label: q.label.clone(),
            options: (if q.kind == QuestionKind::YesNo { yes_no() } else { q.options.clone() })
                .into_iter()
                .map(|choice| OptionTotal { key: choice.key, label: choice.label, count: 0 })
                .collect(),
        })
        .collect();
    for given in answers {
        for question in &mut all {
            let chosen: Vec<&str> = match given.get(&question.key) {
                Some(Given::Flag(true)) => vec!["yes"],
                Some(Given::Flag(false)) => vec!["no"],
                Some(Given::Text(key)) => vec![key.as_str()],
                Some(Given::List(keys)) => keys.iter().map(String::as_str).collect(),
                None => Vec::new(),
            };
            for option in &mut question.options {
                if chosen.contains(&option.key.as_str()) {
                    option.count += 1;
                }
            }
        }
    }
    all
}

/// An answer as a reader sees it: a text as it is, options by their labels
/// in `language` joined with ", ", yes/no as `yes_no` gives them.
pub fn shown(question: &Question, given: &Given, language: Language, yes_no: (&str, &str)) -> String {
    let label = |key: &str| question.option(key).map_or_else(|| key.to_owned(), |c| c.label.get(language).to_owned());
    match given {
        Given::Flag(true) => yes_no.0.to_owned(),
        Given::Flag(false) => yes_no.1.to_owned(),
        Given::Text(text) if question.kind == QuestionKind::OneChoice => label(text),
        Given::Text(text) => text.clone(),
        Given::List(keys) => keys.iter().map(|key| label(key)).collect::<Vec<_>>().join(", "),
    }
}

#[cfg(test)]
mod tests;
