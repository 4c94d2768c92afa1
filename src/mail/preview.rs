//! An email as a guest will get it, for the organiser to read before it
//! goes out: the same templates and context as the dispatcher's, for a
//! sample guest whose links lead nowhere.

use super::context::{GuestLinks, GuestMail, PersonContext};
use super::templates::{Rendered, Templates};
use crate::domain::event::{Event, Language};
use crate::domain::guest::Guest;
use crate::domain::mail::MailKind;
use crate::links::Links;
use crate::storage::organisers::Organiser;

/// # Errors
/// A template that does not render: a bug, reported with its cause.
pub fn render(
    templates: &Templates,
    links: &Links,
    organiser: &Organiser,
    event: &Event,
    kind: MailKind,
    language: Language,
) -> anyhow::Result<Rendered> {
    // Tokens that lead nowhere: the sample guest has no page.
    let links = GuestLinks::new(links, "preview", "preview", "preview");
    let guest = Guest {
        id: uuid::Uuid::nil(),
        event_id: event.id,
        email: crate::domain::email_address::EmailAddress::from_stored("camille@example.org".to_owned()),
        name: "Camille Martin".to_owned(),
        first_name: "Camille".to_owned(),
        language: Some(language),
        reply: None,
        answered_at: None,
        waitlisted_at: None,
        created_at: event.created_at,
        token_salt: String::new(),
        checked_in_at: None,
        checked_in_companions: 0,
        walk_in: false,
    };
    let organiser = PersonContext { name: organiser.name.clone(), email: organiser.email.to_string() };
    // Written when the plan would send it: a reminder says "demain" the day before.
    let reminder = event.details.plan.reminder.map_or(chrono::Duration::days(1), crate::domain::plan::Offset::duration);
    let context = GuestMail::new(event, &guest, organiser, links, None)
        .with_words_for(kind, event, language)
        .written_at(event.details.schedule.starts_at - reminder, event);
    templates.render(kind, language, &context)
}
