//! "Replies to check": calendar replies Convive would not apply on its own
//! (sent from another address, by someone the invitation was forwarded to,
//! a counter-proposal, after the deadline…), each applied or discarded in
//! one click.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Serialize;

use super::extract::CheckedForm;
use super::{ActionForm, OrganiserSession, id_of, see_other_saying};
use crate::app;
use crate::http::AppState;
use crate::http::pages::PageError;
use crate::i18n;

pub const LIST: &str = "/dashboard/replies";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(LIST, get(page))
        .route("/dashboard/replies/{reply_id}/apply", post(apply))
        .route("/dashboard/replies/{reply_id}/discard", post(discard))
}

#[derive(Serialize)]
struct ReplyRow {
    id: String,
    who: String,
    reason: String,
    answer: Option<String>,
    from: Option<String>,
    attendee: Option<String>,
    comment: Option<String>,
    proposed_start: Option<String>,
    /// Only a reply for one of her guests, with an answer, can be applied.
    can_apply: bool,
    /// For someone else answering a forwarded invitation: whose it was.
    invitation_of: Option<String>,
    event_link: Option<String>,
    /// What the DKIM and DMARC checks found, in sentences.
    auth: Vec<String>,
}

#[derive(Serialize)]
struct RepliesPage {
    replies: Vec<ReplyRow>,
    flash: Option<String>,
}

async fn page(State(state): State<AppState>, session: OrganiserSession) -> Result<Response, PageError> {
    let language = session.language;
    let held = app::inbound::held_replies(&state, session.organiser.id)
        .await
        .map_err(|e| PageError::from(e).in_language(language))?;
    let replies = held
        .into_iter()
        .map(|reply| {
            let can_apply = app::inbound::can_apply(&reply);
            let attendee = reply.detail.attendee.clone();
            let guest = match (&reply.guest_name, &reply.guest_email) {
                (Some(name), Some(email)) if !name.is_empty() && name != email => Some(format!("{name} ({email})")),
                (_, email) => email.clone(),
            };
            // Someone else answering her forwarded invitation is named first.
            let someone_else = reply.reason == "someone_else" || guest.is_none();
            let (who, invitation_of) = if someone_else {
                let name = reply.detail.attendee_name.clone().filter(|n| Some(n) != attendee.as_ref());
                let who = match (name, &attendee) {
                    (Some(name), Some(email)) => format!("{name} ({email})"),
                    (_, email) => email.clone().unwrap_or_default(),
                };
                (who, guest)
            } else {
                (guest.unwrap_or_default(), None)
            };
            ReplyRow {
                id: reply.id.to_string(),
                who,
                reason: i18n::word(language, &format!("d_replies_reason_{}", reply.reason)),
                answer: reply.detail.answer.map(|a| i18n::word(language, &format!("d_replies_answer_{}", a.as_str()))),
                from: reply.detail.from,
                attendee,
                comment: reply.detail.comment,
                proposed_start: reply.detail.proposed_start,
                can_apply,
                invitation_of,
                event_link: reply.event_id.map(crate::links::path::dashboard_event),
                auth: reply.detail.auth.as_ref().map(|verdict| auth_findings(language, verdict)).unwrap_or_default(),
            }
        })
        .collect();
    Ok(session.page("dashboard/replies.html", StatusCode::OK, &RepliesPage { replies, flash: session.flash.clone() }))
}

/// The checks' findings in her words.
pub fn auth_findings(
    language: crate::domain::event::Language,
    verdict: &crate::domain::mail_auth::Verdict,
) -> Vec<String> {
    verdict
        .findings()
        .into_iter()
        .map(|(id, domain, policy)| {
            i18n::text(language, id, &[("domain", i18n::Arg::Text(domain)), ("policy", i18n::Arg::Text(policy))])
        })
        .collect()
}

async fn apply(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(reply_id): Path<String>,
    _: CheckedForm<ActionForm>,
) -> Result<Response, PageError> {
    let id = id_of(&reply_id, session.language)?;
    app::inbound::apply_held(&state, session.organiser.id, id)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    Ok(see_other_saying(&state, LIST, &i18n::word(session.language, "d_replies_applied")))
}

async fn discard(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(reply_id): Path<String>,
    _: CheckedForm<ActionForm>,
) -> Result<Response, PageError> {
    let id = id_of(&reply_id, session.language)?;
    app::inbound::discard_held(&state, session.organiser.id, id)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    Ok(see_other_saying(&state, LIST, &i18n::word(session.language, "d_replies_discarded")))
}
