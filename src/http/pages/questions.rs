//! An event's questions on a guest page (her invitation, the public
//! registration): the fields to show, prefilled with what she answered or
//! typed, each with its problem in her words; and what a posted form says of
//! them, as the raw answers the domain then checks (`question::check_answers`
//! through the application's answer operation).

use serde::Serialize;

use crate::domain::FieldErrors;
use crate::domain::event::Language;
use crate::domain::question::{Answers, Given, MAX_LONG_TEXT_CHARS, MAX_SHORT_TEXT_CHARS, Question, QuestionKind};
use crate::i18n;

/// The form field of question `key`: `q.<key>`, repeated for several choices.
const PREFIX: &str = "q.";

/// One option as the page shows it.
#[derive(Debug, Serialize)]
pub struct OptionField {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// One question as the page shows it.
#[derive(Debug, Serialize)]
pub struct QuestionField {
    /// The form field's name, and (with `-` for `.`) its id.
    pub name: String,
    pub id: String,
    /// `short_text`, `long_text`, `one_choice`, `several_choices` or `yes_no`.
    pub kind: &'static str,
    pub label: String,
    pub required: bool,
    pub max_chars: usize,
    /// A text answer as she wrote it.
    pub text: String,
    /// The options of a choice, or yes and no.
    pub options: Vec<OptionField>,
    pub error: Option<String>,
}

/// The fields of `questions` in `language`, prefilled from `answers` (hers,
/// or what she just posted), with the problems of `errors`
/// (`questions.<key>`, as the domain names them).
pub fn fields(
    questions: &[Question],
    language: Language,
    answers: &Answers,
    errors: &FieldErrors,
) -> Vec<QuestionField> {
    questions
        .iter()
        .map(|question| {
            let given = answers.get(&question.key);
            let chosen = |value: &str| match given {
                Some(Given::Text(text)) => text == value,
                Some(Given::List(list)) => list.iter().any(|item| item == value),
                Some(Given::Flag(flag)) => value == if *flag { "yes" } else { "no" },
                None => false,
            };
            let options: Vec<(String, String)> = match question.kind {
                QuestionKind::YesNo => vec![
                    ("yes".to_owned(), i18n::word(language, "question_yes")),
                    ("no".to_owned(), i18n::word(language, "question_no")),
                ],
                _ => question.options.iter().map(|o| (o.key.clone(), o.label.get(language).to_owned())).collect(),
            };
            QuestionField {
                name: format!("{PREFIX}{}", question.key),
                id: format!("q-{}", question.key),
                kind: question.kind.as_str(),
                label: question.label.get(language).to_owned(),
                required: question.required,
                max_chars: if question.kind == QuestionKind::LongText {
                    MAX_LONG_TEXT_CHARS
                } else {
                    MAX_SHORT_TEXT_CHARS
                },
                text: match given {
                    Some(Given::Text(text)) if !question.kind.has_options() => text.clone(),
                    _ => String::new(),
                },
                options: options
                    .into_iter()
                    .map(|(value, label)| OptionField { checked: chosen(&value), value, label })
                    .collect(),
                error: errors.get(&format!("questions.{}", question.key)).map(|p| i18n::problem(language, p)),
            }
        })
        .collect()
}

/// What a posted form says of the questions, unchecked: a text (or one
/// option, or yes/no) as text, several choices as a list. A question left
/// blank is absent; a field of no question is ignored (nothing names it).
pub fn posted(questions: &[Question], pairs: &[(String, String)]) -> Answers {
    let mut answers = Answers::new();
    for question in questions {
        let name = format!("{PREFIX}{}", question.key);
        let mut values = pairs.iter().filter(|(key, _)| *key == name).map(|(_, value)| value.clone());
        let given = match question.kind {
            QuestionKind::SeveralChoices => {
                let list: Vec<String> = values.collect();
                (!list.is_empty()).then_some(Given::List(list))
            }
            _ => values.next().map(Given::Text),
        };
        if let Some(given) = given {
            answers.insert(question.key.clone(), given);
        }
    }
    answers
}

/// The first value of `name` in a posted form.
pub fn value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
}

/// A form body as its pairs, in order (repeated names kept).
pub fn pairs(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::question::{Choice, Wording};

    fn question(key: &str, kind: QuestionKind) -> Question {
        let wording = |s: &str| Wording { fr: s.to_owned(), en: s.to_owned() };
        let options = if kind.has_options() {
            vec![Choice { key: "a".into(), label: wording("A") }, Choice { key: "b".into(), label: wording("B") }]
        } else {
            Vec::new()
        };
        Question { key: key.to_owned(), kind, label: wording(key), required: false, options }
    }

    #[test]
    fn a_posted_form_gives_texts_and_lists_by_question() {
        let questions = [question("diet", QuestionKind::SeveralChoices), question("company", QuestionKind::ShortText)];
        let body = pairs(b"q.diet=a&q.diet=b&q.company=Acme+%26+co&q.other=x&answer=yes");
        let answers = posted(&questions, &body);
        assert_eq!(answers.get("diet"), Some(&Given::List(vec!["a".into(), "b".into()])));
        assert_eq!(answers.get("company"), Some(&Given::Text("Acme & co".into())));
        assert_eq!(answers.len(), 2);
    }

    #[test]
    fn fields_are_prefilled_from_her_answers() {
        let questions = [question("talk", QuestionKind::YesNo), question("diet", QuestionKind::OneChoice)];
        let answers =
            Answers::from([("talk".to_owned(), Given::Flag(false)), ("diet".to_owned(), Given::Text("b".into()))]);
        let fields = fields(&questions, Language::En, &answers, &FieldErrors::new());
        assert!(fields[0].options.iter().any(|o| o.value == "no" && o.checked));
        assert!(fields[1].options.iter().any(|o| o.value == "b" && o.checked));
        assert!(!fields[1].options.iter().any(|o| o.value == "a" && o.checked));
    }
}
