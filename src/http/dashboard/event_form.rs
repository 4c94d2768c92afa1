//! The event form: her fields as typed (and shown again with what is wrong
//! with them), the reminder plan in plain words, and the page around them.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::OrganiserSession;
use super::events::event_url;
use crate::domain::FieldErrors;
use crate::domain::event::{Event, EventFields, Language, PlanFields, Words};
use crate::domain::plan::SlotKind;
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
    #[serde(default)]
    nudges: String,
    #[serde(default)]
    answers_close: String,
    #[serde(default)]
    reminder: String,
    #[serde(default)]
    follow_up: String,
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
    /// Where she is in saving a change that emails guests: empty at first,
    /// `confirm` from the confirmation, `back` to return to the form.
    #[serde(default, skip_serializing)]
    step: String,
}

fn checkbox<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let raw = String::deserialize(d)?;
    Ok(matches!(raw.as_str(), "on" | "true" | "1" | "yes"))
}

fn blank_to_none(raw: &str) -> Option<String> {
    let raw = raw.trim();
    (!raw.is_empty()).then(|| raw.to_owned())
}

impl EventForm {
    pub fn defaults(language: Language) -> Self {
        let plan = PlanFields::default();
        Self {
            time_zone: "Europe/Paris".to_owned(),
            language: language.as_str().to_owned(),
            companions_allowed: "0".to_owned(),
            nudges: plan.nudges.join(", "),
            nudge_maybes: plan.nudge_maybes,
            answers_close: plan.answers_close,
            reminder: plan.reminder.unwrap_or_default(),
            follow_up: plan.follow_up.unwrap_or_default(),
            ..Self::default()
        }
    }

    pub fn of(event: &Event) -> Self {
        let details = &event.details;
        let zone = details.schedule.time_zone;
        let local = |at: DateTime<Utc>| at.with_timezone(&zone).format("%Y-%m-%dT%H:%M").to_string();
        let plan = PlanFields::from(&details.plan);
        Self {
            title: details.title.clone(),
            description: details.description.clone(),
            venue_name: details.venue.name.clone(),
            venue_address: details.venue.address.clone(),
            venue_map_url: details.venue.map_url.clone().unwrap_or_default(),
            starts_at: local(details.schedule.starts_at),
            ends_at: local(details.schedule.ends_at),
            time_zone: zone.name().to_owned(),
            rsvp_deadline: details.schedule.rsvp_deadline.map(local).unwrap_or_default(),
            capacity: details.capacity.map(|c| c.to_string()).unwrap_or_default(),
            companions_allowed: details.companions_allowed.to_string(),
            language: details.language.as_str().to_owned(),
            follow_up_url: details.follow_up_url.clone().unwrap_or_default(),
            nudges: plan.nudges.join(", "),
            nudge_maybes: plan.nudge_maybes,
            answers_close: plan.answers_close,
            reminder: plan.reminder.unwrap_or_default(),
            follow_up: plan.follow_up.unwrap_or_default(),
            open_registration: details.open_registration,
            words_invitation: details.words.invitation.clone(),
            words_nudge: details.words.nudge.clone(),
            words_reminder: details.words.reminder.clone(),
            words_thank_you: details.words.thank_you.clone(),
            step: String::new(),
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
            starts_at: self.starts_at.clone(),
            ends_at: self.ends_at.clone(),
            time_zone: self.time_zone.clone(),
            rsvp_deadline: blank_to_none(&self.rsvp_deadline),
            capacity: blank_to_none(&self.capacity).map(|raw| number(&raw)),
            companions_allowed: blank_to_none(&self.companions_allowed).map_or(0, |raw| number(&raw)),
            language: self.language.clone(),
            follow_up_url: blank_to_none(&self.follow_up_url),
            plan: PlanFields {
                nudges: self
                    .nudges
                    .split([',', ' '])
                    .filter(|n| !n.trim().is_empty())
                    .map(|n| n.trim().to_owned())
                    .collect(),
                nudge_maybes: self.nudge_maybes,
                answers_close: self.answers_close.trim().to_owned(),
                reminder: blank_to_none(&self.reminder),
                follow_up: blank_to_none(&self.follow_up),
            },
            open_registration: self.open_registration,
            words: Words {
                invitation: self.words_invitation.clone(),
                nudge: self.words_nudge.clone(),
                reminder: self.words_reminder.clone(),
                thank_you: self.words_thank_you.clone(),
            },
        }
    }
}

#[derive(Serialize)]
struct FormPage<'a> {
    mode: &'static str,
    form: &'a EventForm,
    field_errors: BTreeMap<String, String>,
    time_zones: Vec<&'static str>,
    form_action: String,
    cancel_url: String,
    plan_sentence: Option<String>,
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
    let page = FormPage {
        mode,
        form,
        // Field names as the domain reports them (`plan.nudges[0]`) map onto the form's.
        field_errors: errors
            .into_iter()
            .map(|(field, problem)| {
                let field = field.trim_start_matches("plan.").replace("words.", "words_");
                let field = field.split('[').next().unwrap_or_default().to_owned();
                (field, i18n::problem(session.language, &problem))
            })
            .collect(),
        time_zones: chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).filter(|name| name.contains('/')).collect(),
        form_action,
        cancel_url,
        plan_sentence: event.map(|e| plan_sentence(e, session.language)),
    };
    session.page("dashboard/event_form.html", status, &page)
}

/// "Nudges on 5 and 9 March, answers close on 10 March, reminder on 11
/// March, thank-you on 12 March at 12:30": the plan in her words.
pub fn plan_sentence(event: &Event, language: Language) -> String {
    let details = &event.details;
    let slots = details.plan.slots(&details.schedule);
    let day = |at: DateTime<Utc>| {
        let local = at.with_timezone(&details.schedule.time_zone);
        let locale = if language == Language::Fr { chrono::Locale::fr_FR } else { chrono::Locale::en_GB };
        local.format_localized("%-d %B", locale).to_string()
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
            SlotKind::Nudge => {}
        }
    }
    let mut sentence = parts.join(", ");
    if let Some(first) = sentence.get(..1) {
        sentence = first.to_uppercase() + &sentence[1..];
    }
    sentence.push('.');
    sentence
}
