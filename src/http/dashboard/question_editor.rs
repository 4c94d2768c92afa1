//! The questions part of the event form (an event's, and a series'
//! defaults): each question as plain fields, `question_{i}_{part}`, options
//! one per line, and buttons that add, remove and move questions by posting
//! the form back, so it works without JavaScript and loses nothing typed.
//!
//! Keys never reach her: a question keeps the key it came with in a hidden
//! field (a reworded label keeps its answers); an option keeps its key by
//! its wording, else by its line; anything new gets a fresh random key, so
//! that it never takes over the answers of a question removed before.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::domain::event::Language;
use crate::domain::problem::{Problem, code};
use crate::domain::question::{ChoiceDraft, MAX_QUESTIONS, Question, QuestionDraft, QuestionKind};
use crate::http::pages::word;
use crate::i18n::{self, Arg, text};

/// The parts of one question's fields, after `question_{i}_`.
const PARTS: [&str; 8] = ["key", "kind", "label_fr", "label_en", "required", "options_fr", "options_en", "option_keys"];

/// `question_3_label_fr`: one of the editor's fields.
pub fn is_question_field(name: &str) -> bool {
    split_name(name).is_some()
}

fn split_name(name: &str) -> Option<(usize, &str)> {
    let rest = name.strip_prefix("question_")?;
    let (index, part) = rest.split_once('_')?;
    let index = index.parse::<usize>().ok().filter(|i| *i < MAX_QUESTIONS)?;
    PARTS.contains(&part).then_some((index, part))
}

/// One question as she typed it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuestionRow {
    key: String,
    kind: String,
    label_fr: String,
    label_en: String,
    required: bool,
    options_fr: String,
    options_en: String,
    /// The options' keys, in the order their lines were shown.
    option_keys: String,
}

impl QuestionRow {
    fn blank() -> Self {
        Self { kind: QuestionKind::ShortText.as_str().to_owned(), ..Self::default() }
    }

    pub fn of(question: &Question) -> Self {
        let lines = |language: Language| {
            question.options.iter().map(|o| o.label.get(language).to_owned()).collect::<Vec<_>>().join("\n")
        };
        Self {
            key: question.key.clone(),
            kind: question.kind.as_str().to_owned(),
            label_fr: question.label.fr.clone(),
            label_en: question.label.en.clone(),
            required: question.required,
            options_fr: lines(Language::Fr),
            options_en: lines(Language::En),
            option_keys: question.options.iter().map(|o| o.key.as_str()).collect::<Vec<_>>().join(" "),
        }
    }

    /// As a draft for the domain's rules: her key kept, or a fresh one.
    fn draft(&self, current: Option<&Question>) -> QuestionDraft {
        let key = Some(self.key.trim()).filter(|k| !k.is_empty()).map_or_else(|| fresh_key("q"), str::to_owned);
        let kind = QuestionKind::parse(&self.kind);
        QuestionDraft {
            key: Some(key),
            kind: self.kind.clone(),
            label_fr: self.label_fr.clone(),
            label_en: self.label_en.clone(),
            required: self.required,
            options: if kind.is_some_and(QuestionKind::has_options) { self.options(current) } else { Vec::new() },
        }
    }

    /// Her lines paired by position (a missing line falls back to the
    /// other language's), each with the key of the option it was.
    fn options(&self, current: Option<&Question>) -> Vec<ChoiceDraft> {
        let (fr, en) = (lines(&self.options_fr), lines(&self.options_en));
        let count = fr.len().max(en.len());
        let shown: Vec<&str> = self.option_keys.split_whitespace().collect();
        let before = current.map(|q| q.options.as_slice()).unwrap_or_default();
        let mut keys: Vec<Option<String>> = vec![None; count];
        let mut taken = BTreeSet::new();
        // Worded as an option she had: that option, wherever it moved.
        for (j, key) in keys.iter_mut().enumerate() {
            let same = |label: &str, line: Option<&&str>| line.is_some_and(|line| *line == label);
            if let Some(choice) = before
                .iter()
                .find(|c| !taken.contains(&c.key) && (same(&c.label.fr, fr.get(j)) || same(&c.label.en, en.get(j))))
            {
                taken.insert(choice.key.clone());
                *key = Some(choice.key.clone());
            }
        }
        // Reworded in place: the key its line had.
        for (j, key) in keys.iter_mut().enumerate() {
            if key.is_none()
                && let Some(shown) = shown.get(j).filter(|k| !taken.contains(**k))
            {
                taken.insert((*shown).to_owned());
                *key = Some((*shown).to_owned());
            }
        }
        keys.into_iter()
            .enumerate()
            .map(|(j, key)| ChoiceDraft {
                key: Some(key.unwrap_or_else(|| fresh_key("o"))),
                label_fr: fr.get(j).copied().unwrap_or_default().to_owned(),
                label_en: en.get(j).copied().unwrap_or_default().to_owned(),
            })
            .collect()
    }
}

fn lines(raw: &str) -> Vec<&str> {
    raw.lines().map(str::trim).filter(|line| !line.is_empty()).collect()
}

/// `q-3f9a2c1d`: random, so that a new question never meets the answers
/// left from one removed before under the same key.
fn fresh_key(prefix: &str) -> String {
    format!("{prefix}-{}", &uuid::Uuid::new_v4().simple().to_string()[..8])
}

/// Her questions as posted, in order (a question is there when its kind is).
pub fn rows(fields: &BTreeMap<String, String>) -> Vec<QuestionRow> {
    (0..MAX_QUESTIONS)
        .filter(|i| fields.contains_key(&format!("question_{i}_kind")))
        .map(|i| {
            let get = |part: &str| fields.get(&format!("question_{i}_{part}")).cloned().unwrap_or_default();
            QuestionRow {
                key: get("key"),
                kind: get("kind"),
                label_fr: get("label_fr"),
                label_en: get("label_en"),
                required: matches!(get("required").as_str(), "on" | "true" | "1" | "yes"),
                options_fr: get("options_fr"),
                options_en: get("options_en"),
                option_keys: get("option_keys"),
            }
        })
        .collect()
}

/// Puts `rows` in place of the questions among `fields`, numbered from 0.
pub fn set_rows(fields: &mut BTreeMap<String, String>, rows: &[QuestionRow]) {
    fields.retain(|name, _| !is_question_field(name));
    for (i, row) in rows.iter().enumerate() {
        let mut put = |part: &str, value: &str| {
            fields.insert(format!("question_{i}_{part}"), value.to_owned());
        };
        put("key", &row.key);
        put("kind", &row.kind);
        put("label_fr", &row.label_fr);
        put("label_en", &row.label_en);
        put("options_fr", &row.options_fr);
        put("options_en", &row.options_en);
        put("option_keys", &row.option_keys);
        if row.required {
            put("required", "on");
        }
    }
}

/// Her questions as drafts for the domain, `current` giving the options'
/// wording before her change (to keep their keys).
pub fn drafts(rows: &[QuestionRow], current: &[Question]) -> Vec<QuestionDraft> {
    rows.iter().map(|row| row.draft(current.iter().find(|q| !row.key.is_empty() && q.key == row.key.trim()))).collect()
}

/// A button of the editor: `add`, `remove_2`, `up_1`, `down_0`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Add,
    Remove(usize),
    Up(usize),
    Down(usize),
}

impl Action {
    pub fn parse(raw: &str) -> Option<Self> {
        if raw == "add" {
            return Some(Self::Add);
        }
        let (verb, index) = raw.split_once('_')?;
        let index = index.parse().ok()?;
        match verb {
            "remove" => Some(Self::Remove(index)),
            "up" => Some(Self::Up(index)),
            "down" => Some(Self::Down(index)),
            _ => None,
        }
    }

    /// Applies the button to her rows; returns the row to show her next.
    pub fn apply(self, rows: &mut Vec<QuestionRow>) -> Option<usize> {
        match self {
            Self::Add if rows.len() < MAX_QUESTIONS => {
                rows.push(QuestionRow::blank());
                Some(rows.len() - 1)
            }
            Self::Remove(i) if i < rows.len() => {
                rows.remove(i);
                None
            }
            Self::Up(i) if i > 0 && i < rows.len() => {
                rows.swap(i - 1, i);
                Some(i - 1)
            }
            Self::Down(i) if i + 1 < rows.len() => {
                rows.swap(i, i + 1);
                Some(i + 1)
            }
            Self::Add | Self::Remove(_) | Self::Up(_) | Self::Down(_) => None,
        }
    }
}

/// The domain's problem with a question (`questions.2.options`) as the
/// editor's field and her words, or `None` for another field.
pub fn field_message(field: &str, problem: &Problem, language: Language) -> Option<(String, String)> {
    let rest = field.strip_prefix("questions")?;
    let Some(rest) = rest.strip_prefix('.') else {
        return Some(("questions".to_owned(), i18n::problem(language, problem)));
    };
    let (index, part) = rest.split_once('.').unwrap_or((rest, ""));
    let name = |part: &str| format!("question_{index}_{part}");
    Some(match part {
        "label" if problem.code() == code::REQUIRED => (name("label_fr"), word(language, "d_err_question_label")),
        "label" | "key" => (name("label_fr"), i18n::problem(language, problem)),
        "kind" => (name("kind"), i18n::problem(language, problem)),
        "options" => (name("options_fr"), i18n::problem(language, problem)),
        option => {
            let line = option.strip_prefix("options.").and_then(|j| j.parse::<u64>().ok()).unwrap_or(0) + 1;
            let said = text(
                language,
                "d_err_question_option",
                &[("n", Arg::Number(line as i64)), ("problem", Arg::Text(i18n::problem(language, problem)))],
            );
            (name("options_fr"), said)
        }
    })
}

/// The editor as the template reads it.
#[derive(Serialize)]
pub struct EditorView {
    questions: Vec<QuestionView>,
    kinds: [&'static str; 5],
    can_add: bool,
    /// Where the add and move buttons post (the form's address, with the
    /// question to show as its fragment added per button).
    action: String,
    /// The field to put the cursor in: the question just added.
    focus: Option<String>,
    /// Her mistakes in the questions, for the summary at the top.
    summary: Vec<(String, String)>,
}

#[derive(Serialize)]
struct QuestionView {
    index: usize,
    number: usize,
    key: String,
    kind: String,
    label_fr: String,
    label_en: String,
    required: bool,
    options_fr: String,
    options_en: String,
    option_keys: String,
    /// "4 invités ont déjà répondu…", when some did.
    answered: Option<String>,
    first: bool,
    last: bool,
}

impl EditorView {
    pub fn new(
        rows: &[QuestionRow],
        answered: &BTreeMap<String, u64>,
        errors: &BTreeMap<String, String>,
        action: String,
        shown: Option<usize>,
        language: Language,
    ) -> Self {
        let questions = rows
            .iter()
            .enumerate()
            .map(|(i, row)| QuestionView {
                index: i,
                number: i + 1,
                key: row.key.clone(),
                kind: row.kind.clone(),
                label_fr: row.label_fr.clone(),
                label_en: row.label_en.clone(),
                required: row.required,
                options_fr: row.options_fr.clone(),
                options_en: row.options_en.clone(),
                option_keys: row.option_keys.clone(),
                answered: answered
                    .get(row.key.trim())
                    .filter(|n| **n > 0)
                    .map(|n| text(language, "d_q_answered", &[("n", Arg::Number(*n as i64))])),
                first: i == 0,
                last: i + 1 == rows.len(),
            })
            .collect();
        let number = |name: &str| split_name(name).map(|(i, _)| i + 1);
        let summary = errors
            .iter()
            .filter_map(|(name, said)| {
                let label = match number(name) {
                    Some(n) => text(language, "d_q_legend", &[("n", Arg::Number(n as i64))]),
                    None if name == "questions" => word(language, "d_fs_questions"),
                    None => return None,
                };
                Some((name.clone(), format!("{label}{}{said}", word(language, "d_colon"))))
            })
            .collect();
        let just_added = shown.filter(|i| rows.get(*i).is_some_and(|row| row.key.is_empty()));
        Self {
            questions,
            kinds: QuestionKind::ALL.map(QuestionKind::as_str),
            can_add: rows.len() < MAX_QUESTIONS,
            action,
            focus: just_added.map(|i| format!("question_{i}_label_fr")),
            summary,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::question::{Choice, Wording};

    fn wording(fr: &str, en: &str) -> Wording {
        Wording { fr: fr.to_owned(), en: en.to_owned() }
    }

    fn diet() -> Question {
        Question {
            key: "diet".to_owned(),
            kind: QuestionKind::OneChoice,
            label: wording("Régime", "Diet"),
            required: true,
            options: vec![
                Choice { key: "veg".to_owned(), label: wording("Végétarien", "Vegetarian") },
                Choice { key: "vegan".to_owned(), label: wording("Végétalien", "Vegan") },
                Choice { key: "none".to_owned(), label: wording("Aucun", "None") },
            ],
        }
    }

    fn keys(draft: &QuestionDraft) -> Vec<String> {
        draft.options.iter().map(|o| o.key.clone().unwrap()).collect()
    }

    #[test]
    fn a_question_shown_and_posted_back_unchanged_keeps_every_key() {
        let row = QuestionRow::of(&diet());
        let draft = &drafts(&[row], &[diet()])[0];
        assert_eq!(draft.key.as_deref(), Some("diet"));
        assert_eq!(keys(draft), ["veg", "vegan", "none"]);
        assert_eq!((draft.options[2].label_fr.as_str(), draft.options[2].label_en.as_str()), ("Aucun", "None"));
    }

    #[test]
    fn an_option_keeps_its_key_when_reworded_in_place_or_moved_and_a_new_one_gets_a_fresh_key() {
        let mut row = QuestionRow::of(&diet());
        row.options_fr = "Végétarien\nVégan strict\nAucun".to_owned();
        row.options_en = "Vegetarian\nStrict vegan\nNone".to_owned();
        assert_eq!(keys(&drafts(std::slice::from_ref(&row), &[diet()])[0]), ["veg", "vegan", "none"]);
        // The first removed and a line added: the others follow their wording.
        row.options_fr = "Végétalien\nAucun\nSans gluten".to_owned();
        row.options_en = String::new();
        let moved = keys(&drafts(&[row], &[diet()])[0]);
        assert_eq!(moved[..2], ["vegan", "none"]);
        assert!(moved[2].starts_with("o-") && moved[2].len() == 10, "{moved:?}");
    }

    #[test]
    fn a_new_question_gets_a_fresh_key_and_no_options_unless_a_choice() {
        let mut row = QuestionRow::blank();
        row.label_fr = "Entreprise".to_owned();
        row.options_fr = "a\nb".to_owned();
        let draft = &drafts(&[row.clone(), row], &[])[..];
        assert!(draft[0].key.as_deref().unwrap().starts_with("q-"));
        assert_ne!(draft[0].key, draft[1].key);
        assert!(draft[0].options.is_empty());
    }

    #[test]
    fn the_buttons_add_move_and_remove_rows_within_bounds() {
        let mut rows = vec![QuestionRow::of(&diet())];
        assert_eq!(Action::parse("add").unwrap().apply(&mut rows), Some(1));
        assert_eq!(Action::parse("up_1").unwrap().apply(&mut rows), Some(0));
        assert_eq!(rows[1].key, "diet");
        assert_eq!(Action::parse("down_1").unwrap().apply(&mut rows), None);
        assert_eq!(Action::parse("remove_0").unwrap().apply(&mut rows), None);
        assert_eq!(rows.len(), 1);
        assert_eq!(Action::parse("up_7"), Some(Action::Up(7)));
        assert_eq!(Action::parse("jump_1"), None);
        let mut fields = BTreeMap::from([("title".to_owned(), "x".to_owned())]);
        set_rows(&mut fields, &rows);
        assert_eq!(super::rows(&fields), rows);
        assert!(fields.contains_key("title") && is_question_field("question_0_option_keys"));
        assert!(!is_question_field("question_20_kind") && !is_question_field("question_0_colour"));
    }
}
