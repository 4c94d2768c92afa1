//! Each email of the plan as her guests will get it, before it goes out.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::Serialize;

use super::events::event_url;
use super::extract::OwnedEvent;
use crate::app::{self, AppError};
use crate::domain::mail::MailKind;
use crate::http::AppState;
use crate::http::pages::{PageError, word};

pub fn router() -> Router<AppState> {
    Router::new().route("/dashboard/events/{event_id}/preview", get(preview))
}

#[derive(Serialize)]
struct PreviewEmail {
    step: String,
    language: &'static str,
    subject: String,
    html: String,
    text: String,
}

#[derive(Serialize)]
struct PreviewPage {
    event: PreviewEvent,
    emails: Vec<PreviewEmail>,
    back_url: String,
}

#[derive(Serialize)]
struct PreviewEvent {
    title: String,
}

/// Each email of the plan as a guest will get it, in each language her
/// guests will read (theirs, else the event's), rendered by the same
/// templates and context as the real ones, for a sample guest.
async fn preview(
    State(state): State<AppState>,
    OwnedEvent { session, event }: OwnedEvent,
) -> Result<Response, PageError> {
    let languages = app::guests::languages(&state, &event).await?;
    let mut emails = Vec::new();
    // Loaded once for the page's dozen renders.
    let templates = crate::mail::templates::Templates::embedded();
    let links = state.links();
    for kind in [
        MailKind::Invitation,
        MailKind::Nudge,
        MailKind::Reminder,
        MailKind::ThankYou,
        MailKind::Update,
        MailKind::Cancellation,
    ] {
        for &language in &languages {
            let rendered = crate::mail::preview::render(&templates, &links, &session.organiser, &event, kind, language)
                .map_err(|e| PageError::from(AppError::Internal(e)).in_language(session.language))?;
            emails.push(PreviewEmail {
                step: word(session.language, &format!("d_mail_{}", kind.as_str())),
                language: language.as_str(),
                subject: rendered.subject,
                html: rendered.html,
                text: rendered.text,
            });
        }
    }
    let page = PreviewPage {
        event: PreviewEvent { title: event.details.title.clone() },
        emails,
        back_url: event_url(event.id),
    };
    Ok(session.page("dashboard/preview.html", StatusCode::OK, &page))
}
