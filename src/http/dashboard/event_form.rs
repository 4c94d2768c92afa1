//! The event form: her fields as typed (and shown again with what is wrong
//! with them), the reminder plan in plain words, and the page around them.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::OrganiserSession;
use super::events::event_url;
use super::question_editor::{self, Action, EditorView, QuestionRow};
use super::series::series_url;
use super::time_zones::{ZoneGroup, zone_groups};
use crate::domain::FieldErrors;
use crate::domain::event::{Event, EventDetails, EventFields, Language, PlanInput, Wording, Words};
use crate::domain::plan::{MAX_NUDGES, PlanChoice, PlanPreset, ReminderPlan, SlotKind, StepFields, StepUnit};
use crate::domain::problem::code;
use crate::domain::series::Series;
use crate::http::pages::word;
use crate::i18n;
use crate::mail::context::local_time;

/// The event form's fields, as typed (and shown again with errors).
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct EventForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    venue_name: String,
    #[serde(default)]
    venue_address: String,
    #[serde(default)]
    venue_map_url: String,
    /// Who at the venue gets its summary.
    #[serde(default)]
    venue_contact: String,
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    ends_at: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    rsvp_deadline: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    companions_allowed: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    follow_up_url: String,
    /// `usual`, `one_nudge`, `no_nudges` or `custom` (see [`PlanPreset`]).
    #[serde(default)]
    plan_preset: String,
    #[serde(default)]
    close_amount: String,
    #[serde(default)]
    close_unit: String,
    #[serde(default)]
    reminder_amount: String,
    #[serde(default)]
    reminder_unit: String,
    #[serde(default)]
    follow_up_amount: String,
    #[serde(default)]
    follow_up_unit: String,
    /// When the venue's summary goes (blank: none), whatever the preset.
    #[serde(default)]
    venue_summary_amount: String,
    #[serde(default)]
    venue_summary_unit: String,
    /// Checkboxes: present ("on") when ticked.
    #[serde(default, deserialize_with = "checkbox")]
    open_registration: bool,
    #[serde(default, deserialize_with = "checkbox")]
    nudge_maybes: bool,
    #[serde(default)]
    words_invitation: String,
    #[serde(default)]
    words_nudge: String,
    #[serde(default)]
    words_reminder: String,
    #[serde(default)]
    words_thank_you: String,
    /// Her words for guests who read the event's other language.
    #[serde(default)]
    other_words_invitation: String,
    #[serde(default)]
    other_words_nudge: String,
    #[serde(default)]
    other_words_reminder: String,
    #[serde(default)]
    other_words_thank_you: String,
    /// Where she is in saving a change that emails guests: empty at first,
    /// `confirm` from the confirmation, `back` to return to the form.
    #[serde(default, skip_serializing)]
    step: String,
    /// "on" when the form shows the question editor: its questions are
    /// then hers to save (a form without it keeps the event's).
    #[serde(default)]
    question_editor: String,
    /// A button of the question editor (see [`Action`]): the form comes
    /// back with the change made, nothing saved.
    #[serde(default, skip_serializing)]
    question_action: String,
    /// How many guests answered each question, by key, to say so.
    #[serde(skip)]
    answered: BTreeMap<String, u64>,
    /// The question a button just added or moved, to show it.
    #[serde(skip)]
    shown_question: Option<usize>,
    /// The custom nudges, `nudge_amount_{i}` and `nudge_unit_{i}`, the
    /// questions, `question_{i}_{part}`, and whatever else was posted (read
    /// for these names only).
    #[serde(flatten, serialize_with = "nudge_fields_only")]
    rest: BTreeMap<String, String>,
}

fn checkbox<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let raw = String::deserialize(d)?;
    Ok(matches!(raw.as_str(), "on" | "true" | "1" | "yes"))
}

/// Of what else was posted, only the custom nudges and the questions are
/// hers to post back.
fn nudge_fields_only<S: serde::Serializer>(rest: &BTreeMap<String, String>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(rest.iter().filter(|(name, _)| is_nudge_field(name) || question_editor::is_question_field(name)))
}

/// `nudge_amount_3`, `nudge_unit_0`: the names of the custom nudges' fields.
fn is_nudge_field(name: &str) -> bool {
    ["nudge_amount_", "nudge_unit_"]
        .iter()
        .any(|prefix| name.strip_prefix(prefix).and_then(|i| i.parse::<usize>().ok()).is_some_and(|i| i < MAX_NUDGES))
}

fn blank_to_none(raw: &str) -> Option<String> {
    let raw = raw.trim();
    (!raw.is_empty()).then(|| raw.to_owned())
}

impl EventForm {
    pub fn defaults(language: Language) -> Self {
        let mut form = Self {
            time_zone: "Europe/Paris".to_owned(),
            language: language.as_str().to_owned(),
            companions_allowed: "0".to_owned(),
            question_editor: "on".to_owned(),
            ..Self::default()
        };
        form.set_plan(&PlanChoice::of(&ReminderPlan::default()));
        form
    }

    pub fn of(event: &Event) -> Self {
        Self::of_details(&event.details)
    }

    pub fn of_details(details: &EventDetails) -> Self {
        let zone = details.schedule.time_zone;
        let local = |at: DateTime<Utc>| at.with_timezone(&zone).format("%Y-%m-%dT%H:%M").to_string();
        let mut form = Self {
            title: details.title.clone(),
            description: details.description.clone(),
            venue_name: details.venue.name.clone(),
            venue_address: details.venue.address.clone(),
            venue_map_url: details.venue.map_url.clone().unwrap_or_default(),
            venue_contact: details.venue_contact.as_ref().map(ToString::to_string).unwrap_or_default(),
            starts_at: local(details.schedule.starts_at),
            ends_at: local(details.schedule.ends_at),
            time_zone: zone.name().to_owned(),
            rsvp_deadline: details.schedule.rsvp_deadline.map(local).unwrap_or_default(),
            capacity: details.capacity.map(|c| c.to_string()).unwrap_or_default(),
            companions_allowed: details.companions_allowed.to_string(),
            language: details.language.as_str().to_owned(),
            follow_up_url: details.follow_up_url.clone().unwrap_or_default(),
            open_registration: details.open_registration,
            words_invitation: details.words.invitation.clone(),
            words_nudge: details.words.nudge.clone(),
            words_reminder: details.words.reminder.clone(),
            words_thank_you: details.words.thank_you.clone(),
            ..Self::default()
        };
        if let Some(other) = details.words.translations.get(&other_language(details.language)) {
            form.other_words_invitation.clone_from(&other.invitation);
            form.other_words_nudge.clone_from(&other.nudge);
            form.other_words_reminder.clone_from(&other.reminder);
            form.other_words_thank_you.clone_from(&other.thank_you);
        }
        form.set_plan(&PlanChoice::of(&details.plan));
        "on".clone_into(&mut form.question_editor);
        let rows: Vec<QuestionRow> = details.questions.iter().map(QuestionRow::of).collect();
        question_editor::set_rows(&mut form.rest, &rows);
        form
    }

    /// How many guests answered each question, to say so by each.
    #[must_use]
    pub fn with_answered(mut self, answered: BTreeMap<String, u64>) -> Self {
        self.answered = answered;
        self
    }

    /// Makes the change a button of the question editor asks for, if one
    /// was pressed: the form is then shown again rather than saved.
    pub fn question_button(&mut self) -> bool {
        let Some(action) = Action::parse(&self.question_action) else { return false };
        let mut rows = question_editor::rows(&self.rest);
        self.shown_question = action.apply(&mut rows);
        question_editor::set_rows(&mut self.rest, &rows);
        true
    }

    /// Fills the plan's fields from a choice.
    fn set_plan(&mut self, choice: &PlanChoice) {
        self.plan_preset.clone_from(&choice.preset);
        self.nudge_maybes = choice.nudge_maybes;
        (self.close_amount, self.close_unit) = (choice.answers_close.amount.clone(), choice.answers_close.unit.clone());
        (self.reminder_amount, self.reminder_unit) = (choice.reminder.amount.clone(), choice.reminder.unit.clone());
        (self.follow_up_amount, self.follow_up_unit) = (choice.follow_up.amount.clone(), choice.follow_up.unit.clone());
        (self.venue_summary_amount, self.venue_summary_unit) =
            (choice.venue_summary.amount.clone(), choice.venue_summary.unit.clone());
        self.rest.retain(|name, _| !is_nudge_field(name));
        for (i, step) in choice.nudges.iter().enumerate() {
            self.rest.insert(format!("nudge_amount_{i}"), step.amount.clone());
            self.rest.insert(format!("nudge_unit_{i}"), step.unit.clone());
        }
    }

    /// The custom nudges as posted, row by row (blank rows included, so
    /// that an error names the row she typed it in).
    fn nudge_steps(&self) -> Vec<StepFields> {
        (0..MAX_NUDGES)
            .map(|i| {
                let get = |name: &str| self.rest.get(&format!("{name}_{i}")).cloned().unwrap_or_default();
                StepFields { amount: get("nudge_amount"), unit: get("nudge_unit") }
            })
            .collect()
    }

    /// Her plan as she chose it, for the domain's rules to read.
    fn plan_choice(&self) -> PlanChoice {
        let step = |amount: &str, unit: &str| StepFields { amount: amount.to_owned(), unit: unit.to_owned() };
        PlanChoice {
            preset: self.plan_preset.clone(),
            nudges: self.nudge_steps(),
            nudge_maybes: self.nudge_maybes,
            answers_close: step(&self.close_amount, &self.close_unit),
            reminder: step(&self.reminder_amount, &self.reminder_unit),
            follow_up: step(&self.follow_up_amount, &self.follow_up_unit),
            venue_summary: step(&self.venue_summary_amount, &self.venue_summary_unit),
        }
    }

    pub fn step(&self) -> &str {
        self.step.as_str()
    }

    /// Her fields as hidden inputs, for the confirmation to post them back
    /// unchanged (a ticked box as "on", an unticked one left out).
    pub fn hidden_fields(&self) -> Vec<(String, String)> {
        let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(self) else { return Vec::new() };
        fields
            .into_iter()
            .filter_map(|(name, value)| match value {
                serde_json::Value::String(text) => Some((name, text)),
                serde_json::Value::Bool(true) => Some((name, "on".to_owned())),
                _ => None,
            })
            .collect()
    }

    /// [`Self::fields`] with her questions, each option keeping the key
    /// `current` gave its wording; a form without the editor keeps the
    /// questions `current` has.
    pub fn fields_keeping(&self, current: Option<&crate::domain::event::EventDetails>) -> EventFields {
        let before = current.map(|c| c.questions.as_slice()).unwrap_or_default();
        let questions = if self.question_editor == "on" {
            question_editor::drafts(&question_editor::rows(&self.rest), before)
        } else {
            before.iter().map(crate::domain::question::QuestionDraft::from).collect()
        };
        EventFields { questions, ..self.fields() }
    }

    /// The raw fields for the domain's validation; numbers that are not
    /// numbers become out-of-range values so the same messages apply.
    pub fn fields(&self) -> EventFields {
        let number = |raw: &str| raw.trim().parse::<i64>().unwrap_or(-1);
        EventFields {
            title: self.title.clone(),
            description: self.description.clone(),
            venue_name: self.venue_name.clone(),
            venue_address: self.venue_address.clone(),
            venue_map_url: blank_to_none(&self.venue_map_url),
            venue_contact: blank_to_none(&self.venue_contact),
            starts_at: self.starts_at.clone(),
            ends_at: self.ends_at.clone(),
            time_zone: self.time_zone.clone(),
            rsvp_deadline: blank_to_none(&self.rsvp_deadline),
            capacity: blank_to_none(&self.capacity).map(|raw| number(&raw)),
            companions_allowed: blank_to_none(&self.companions_allowed).map_or(0, |raw| number(&raw)),
            language: self.language.clone(),
            follow_up_url: blank_to_none(&self.follow_up_url),
            plan: PlanInput::Choice(self.plan_choice()),
            open_registration: self.open_registration,
            words: Words {
                invitation: self.words_invitation.clone(),
                nudge: self.words_nudge.clone(),
                reminder: self.words_reminder.clone(),
                thank_you: self.words_thank_you.clone(),
                translations: self.translations(),
            },
            questions: question_editor::drafts(&question_editor::rows(&self.rest), &[]),
        }
    }
}

impl EventForm {
    /// Her words for the event's other language, keyed by that language
    /// (none while the event's language is not yet a valid one).
    fn translations(&self) -> BTreeMap<Language, Wording> {
        let Ok(language) = Language::parse(&self.language) else { return BTreeMap::new() };
        let wording = Wording {
            invitation: self.other_words_invitation.clone(),
            nudge: self.other_words_nudge.clone(),
            reminder: self.other_words_reminder.clone(),
            thank_you: self.other_words_thank_you.clone(),
        };
        BTreeMap::from([(other_language(language), wording)])
    }
}

/// The language her guests may read besides the event's.
fn other_language(language: Language) -> Language {
    Language::ALL.into_iter().find(|other| *other != language).unwrap_or(language)
}

#[derive(Serialize)]
struct FormPage<'a> {
    mode: &'static str,
    form: &'a EventForm,
    field_errors: BTreeMap<String, String>,
    time_zones: Vec<ZoneGroup>,
    plan: PlanView,
    form_action: String,
    cancel_url: String,
    plan_sentence: Option<String>,
    /// The series whose defaults this form sets, in mode "defaults".
    series_name: Option<String>,
    /// What she just did, e.g. "draft copy made: check its date".
    flash: Option<String>,
    editor: EditorView,
}

/// The plan's part of the form: the presets, then her own steps.
#[derive(Serialize)]
struct PlanView {
    presets: Vec<PresetOption>,
    custom: bool,
    nudges: Vec<StepRow>,
    close: StepRow,
    reminder: StepRow,
    follow_up: StepRow,
    venue_summary: StepRow,
}

#[derive(Serialize)]
struct PresetOption {
    value: &'static str,
    checked: bool,
}

/// One step: the names of its two fields, what she typed, and the units
/// offered (days and hours; minutes or seconds only when a plan made
/// through the API needs them).
#[derive(Serialize)]
struct StepRow {
    number: usize,
    amount_name: String,
    unit_name: String,
    amount: String,
    unit: String,
    units: Vec<&'static str>,
}

impl StepRow {
    fn new(number: usize, name: &str, amount_name: String, step: &StepFields) -> Self {
        let mut units = vec![StepUnit::Days.as_str(), StepUnit::Hours.as_str()];
        if let Some(unit) = StepUnit::parse(&step.unit).filter(|u| !units.contains(&u.as_str())) {
            units.push(unit.as_str());
        }
        let unit = if units.contains(&step.unit.as_str()) { step.unit.clone() } else { units[0].to_owned() };
        Self {
            number,
            unit_name: format!(
                "{name}_unit{}",
                amount_name.strip_prefix(&format!("{name}_amount")).unwrap_or_default()
            ),
            amount_name,
            amount: step.amount.clone(),
            unit,
            units,
        }
    }
}

impl PlanView {
    fn of(form: &EventForm) -> Self {
        let choice = form.plan_choice();
        let preset = PlanPreset::parse(&form.plan_preset);
        // Her rows, and a blank one after the last, three at least.
        let used = choice.nudges.iter().rposition(|step| !step.is_blank()).map_or(0, |last| last + 1);
        let rows = (used + 1).clamp(3, MAX_NUDGES);
        Self {
            presets: PlanPreset::ALL
                .into_iter()
                .map(|p| PresetOption { value: p.as_str(), checked: preset == Some(p) })
                .collect(),
            custom: preset.is_none(),
            nudges: choice.nudges[..rows]
                .iter()
                .enumerate()
                .map(|(i, step)| StepRow::new(i + 1, "nudge", format!("nudge_amount_{i}"), step))
                .collect(),
            close: StepRow::new(0, "close", "close_amount".to_owned(), &choice.answers_close),
            reminder: StepRow::new(0, "reminder", "reminder_amount".to_owned(), &choice.reminder),
            follow_up: StepRow::new(0, "follow_up", "follow_up_amount".to_owned(), &choice.follow_up),
            venue_summary: StepRow::new(0, "venue_summary", "venue_summary_amount".to_owned(), &choice.venue_summary),
        }
    }
}

/// The domain's field names (`plan.nudges[2]`, `words.nudge`) as the
/// form's, each problem in her language; the plan's in the form's terms
/// (steps of a number and a unit, not ISO 8601).
pub fn field_messages(errors: FieldErrors, language: Language) -> BTreeMap<String, String> {
    errors
        .into_iter()
        .map(|(field, problem)| {
            if let Some(pair) = question_editor::field_message(&field, &problem, language) {
                return pair;
            }
            if let Some(translated) = field.strip_prefix("words.translations.") {
                let part = translated.rsplit('.').next().unwrap_or(translated);
                return (format!("other_words_{part}"), i18n::problem(language, &problem));
            }
            let Some(plan_field) = field.strip_prefix("plan.") else {
                return (field.replace("words.", "words_"), i18n::problem(language, &problem));
            };
            let (name, key) = match plan_field {
                "preset" => ("plan_preset".to_owned(), "d_err_preset"),
                "nudges" => ("nudge_amount_0".to_owned(), "d_err_too_many_nudges"),
                "answers_close" if problem.code() == code::REQUIRED => {
                    ("close_amount".to_owned(), "d_err_step_required")
                }
                "answers_close" => ("close_amount".to_owned(), "d_err_step"),
                "reminder" => ("reminder_amount".to_owned(), "d_err_step"),
                "follow_up" => ("follow_up_amount".to_owned(), "d_err_step"),
                "venue_summary" => ("venue_summary_amount".to_owned(), "d_err_step"),
                nudge => {
                    let i = nudge.trim_start_matches("nudges[").trim_end_matches(']');
                    (format!("nudge_amount_{i}"), "d_err_step")
                }
            };
            (name, word(language, key))
        })
        .collect()
}

pub fn form_page(
    session: &OrganiserSession,
    status: StatusCode,
    mode: &'static str,
    form: &EventForm,
    errors: FieldErrors,
    event: Option<&Event>,
) -> Response {
    let (form_action, cancel_url) = match event {
        Some(event) => (format!("{}/edit", event_url(event.id)), event_url(event.id)),
        None => ("/dashboard/events/new".to_owned(), "/dashboard".to_owned()),
    };
    let plan_sentence = event.map(|e| capitalised(&plan_sentence(e, session.language)));
    let frame = Frame { form_action, cancel_url, plan_sentence, series_name: None };
    render(session, status, mode, form, errors, frame)
}

/// The same form for the defaults of a series' new dates.
pub fn defaults_page(
    session: &OrganiserSession,
    status: StatusCode,
    form: &EventForm,
    errors: FieldErrors,
    series: &Series,
) -> Response {
    let base = series_url(series.id);
    let frame = Frame {
        form_action: format!("{base}/defaults"),
        cancel_url: base,
        plan_sentence: None,
        series_name: Some(series.settings.name.clone()),
    };
    render(session, status, "defaults", form, errors, frame)
}

/// What surrounds the form: where it posts, where "back" leads, and what
/// the page says above it.
struct Frame {
    form_action: String,
    cancel_url: String,
    plan_sentence: Option<String>,
    series_name: Option<String>,
}

fn render(
    session: &OrganiserSession,
    status: StatusCode,
    mode: &'static str,
    form: &EventForm,
    errors: FieldErrors,
    frame: Frame,
) -> Response {
    let field_errors = field_messages(errors, session.language);
    let editor = EditorView::new(
        &question_editor::rows(&form.rest),
        &form.answered,
        &field_errors,
        frame.form_action.clone(),
        form.shown_question,
        session.language,
    );
    let page = FormPage {
        mode,
        form,
        field_errors,
        editor,
        time_zones: zone_groups(session.language, &form.starts_at, Utc::now(), &form.time_zone),
        plan: PlanView::of(form),
        form_action: frame.form_action,
        cancel_url: frame.cancel_url,
        plan_sentence: frame.plan_sentence,
        series_name: frame.series_name,
        flash: session.flash.clone(),
    };
    session.page("dashboard/event_form.html", status, &page)
}

/// The sentence with its first letter in upper case, to stand on its own.
fn capitalised(sentence: &str) -> String {
    let mut chars = sentence.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// "Nudges on 5 and 9 March, answers close on 10 March, reminder on 11
/// March, thank-you on 12 March at 12:30": the plan in her words, in lower
/// case to follow a colon.
pub fn plan_sentence(event: &Event, language: Language) -> String {
    let details = &event.details;
    let slots = details.plan.slots(&details.schedule);
    let day = |at: DateTime<Utc>| {
        let local = at.with_timezone(&details.schedule.time_zone);
        let locale = if language == Language::Fr { chrono::Locale::fr_FR } else { chrono::Locale::en_GB };
        let day = local.format_localized("%-d %B", locale).to_string();
        // "le 1er décembre": French writes the first of a month as an ordinal.
        match day.strip_prefix("1 ") {
            Some(month) if language == Language::Fr => format!("1er {month}"),
            _ => day,
        }
    };
    let nudges: Vec<String> = slots.iter().filter(|s| s.kind == SlotKind::Nudge).map(|s| day(s.due_at)).collect();
    let (and, on, at) = match language {
        Language::Fr => (" et ", "le ", " à "),
        Language::En => (" and ", "on ", " at "),
    };
    let mut parts = Vec::new();
    if !nudges.is_empty() {
        // "5 and 9 March" when they share a month, else "28 February and 3 March".
        let month_of = |d: &str| d.split_once(' ').map(|(_, month)| month.to_owned()).unwrap_or_default();
        let same_month = nudges.iter().all(|d| month_of(d) == month_of(&nudges[0]));
        let mut items: Vec<String> = if same_month {
            nudges.iter().map(|d| d.split_once(' ').map_or(d.clone(), |(n, _)| n.to_owned())).collect()
        } else {
            nudges.clone()
        };
        let last = items.pop().unwrap_or_default();
        let last = if same_month { format!("{last} {}", month_of(&nudges[0])) } else { last };
        let joined = if items.is_empty() { last } else { format!("{}{and}{last}", items.join(", ")) };
        parts.push(match language {
            // "relances les 3 et 7 décembre": several days take the plural article.
            Language::Fr if nudges.len() > 1 => format!("relances les {joined}"),
            Language::Fr => format!("relances {on}{joined}"),
            Language::En => format!("nudges {on}{joined}"),
        });
    }
    let closes = day(details.answers_close_at());
    parts.push(match language {
        Language::Fr => format!("réponses closes {on}{closes}"),
        Language::En => format!("answers close {on}{closes}"),
    });
    for slot in &slots {
        match slot.kind {
            SlotKind::Reminder => parts.push(match language {
                Language::Fr => format!("rappel {on}{}", day(slot.due_at)),
                Language::En => format!("reminder {on}{}", day(slot.due_at)),
            }),
            SlotKind::FollowUp => {
                let time = local_time(slot.due_at, event);
                parts.push(match language {
                    Language::Fr => format!("remerciement {on}{}{at}{time}", day(slot.due_at)),
                    Language::En => format!("thank-you {on}{}{at}{time}", day(slot.due_at)),
                });
            }
            // Not for guests: the sentence tells what they will receive.
            SlotKind::Nudge | SlotKind::VenueSummary => {}
        }
    }
    // It follows « Ce que recevront vos invités : », so it starts in lower case.
    let mut sentence = parts.join(", ");
    sentence.push('.');
    sentence
}
