//! The team of an event or of a series, for its owner: who runs it with her and in which
//! role, a form to invite someone by email, a button to remove someone. And
//! the page behind the emailed link, where the invited person accepts (a
//! GET changes nothing: mail scanners open links; the button accepts).

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::extract::CheckedForm;
use super::{
    ActionForm, Frame, OrganiserSession, id_of, see_other, see_other_saying, set_session_cookie, verify_open_form,
};
use crate::app::team::InvitedTo;
use crate::app::{self, AppError};
use crate::domain::role::Role;
use crate::domain::token::{form_token, verify_team_token};
use crate::http::AppState;
use crate::http::pages::{PageError, browser_language, check_same_site, render, stated_language, word};
use crate::i18n;
use crate::links::path;
use crate::storage::team::{TeamMember, TeamOf};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard/events/{event_id}/team", get(page).post(invite))
        .route("/dashboard/events/{event_id}/team/{member_id}/remove", post(remove))
        .route("/dashboard/series/{series_id}/team", get(series_page).post(series_invite))
        .route("/dashboard/series/{series_id}/team/{member_id}/remove", post(series_remove))
}

/// Whose team a page shows: an event's, or a series' (and all its dates').
#[derive(Debug, Clone, Copy)]
enum Of {
    Event(Uuid),
    Series(Uuid),
}

impl Of {
    fn url(self) -> String {
        match self {
            Self::Event(id) => path::dashboard_team(id),
            Self::Series(id) => path::dashboard_series_team(id),
        }
    }
}

/// The page behind the emailed link: reachable signed out.
pub fn accept_router() -> Router<AppState> {
    Router::new().route("/team/{token}", get(accept_page).post(accept))
}

const TEAM_PURPOSE: &str = "team";

/// "Co-organisatrice" / "Door helper": a role in the reader's words.
fn role_word(session_language: crate::domain::event::Language, role: Role) -> String {
    word(session_language, &format!("d_role_{}", role.as_str()))
}

#[derive(Serialize)]
struct MemberRow {
    id: Uuid,
    email: String,
    role: String,
    accepted: bool,
    since_local: String,
    remove_url: String,
}

#[derive(Serialize)]
struct TeamPage {
    event_title: String,
    /// A series' team: its words say "series" and "every date".
    series: bool,
    back: String,
    members: Vec<MemberRow>,
    form_action: String,
    email: String,
    role: String,
    email_error: Option<String>,
    role_error: Option<String>,
    flash: Option<String>,
}

fn rows(session: &OrganiserSession, of: Of, members: Vec<TeamMember>) -> Vec<MemberRow> {
    members
        .into_iter()
        .map(|m| MemberRow {
            id: m.id,
            email: m.email.to_string(),
            role: role_word(session.language, m.role),
            accepted: m.accepted_at.is_some(),
            since_local: m.accepted_at.unwrap_or(m.invited_at).format("%Y-%m-%d").to_string(),
            remove_url: format!("{}/{}/remove", of.url(), m.id),
        })
        .collect()
}

struct Filled {
    email: String,
    role: String,
    email_error: Option<String>,
    role_error: Option<String>,
}

async fn render_page(
    state: &AppState,
    session: &OrganiserSession,
    of: Of,
    filled: Filled,
    status: StatusCode,
) -> Result<Response, PageError> {
    let refused = |e: AppError| PageError::from(e).in_language(session.language);
    let (title, back, members) = match of {
        Of::Event(id) => {
            let (event, members) = app::team::list(state, session.organiser.id, id).await.map_err(refused)?;
            (event.details.title, path::dashboard_event(id), members)
        }
        Of::Series(id) => {
            let (series, members) = app::team::series_team(state, session.organiser.id, id).await.map_err(refused)?;
            (series.settings.name, super::series::series_url(id), members)
        }
    };
    let page = TeamPage {
        event_title: title,
        series: matches!(of, Of::Series(_)),
        back,
        members: rows(session, of, members),
        form_action: of.url(),
        email: filled.email,
        role: filled.role,
        email_error: filled.email_error,
        role_error: filled.role_error,
        flash: session.flash.clone(),
    };
    Ok(session.page("dashboard/team.html", status, &page))
}

async fn page(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(event_id): Path<String>,
) -> Result<Response, PageError> {
    let of = Of::Event(id_of(&event_id, session.language)?);
    show(&state, &session, of).await
}

async fn series_page(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(series_id): Path<String>,
) -> Result<Response, PageError> {
    let of = Of::Series(id_of(&series_id, session.language)?);
    show(&state, &session, of).await
}

async fn show(state: &AppState, session: &OrganiserSession, of: Of) -> Result<Response, PageError> {
    let blank = Filled { email: String::new(), role: "co_organiser".to_owned(), email_error: None, role_error: None };
    render_page(state, session, of, blank, StatusCode::OK).await
}

#[derive(Debug, Default, Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

async fn invite(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(event_id): Path<String>,
    CheckedForm(form): CheckedForm<InviteForm>,
) -> Result<Response, PageError> {
    let of = Of::Event(id_of(&event_id, session.language)?);
    invite_to(&state, &session, of, form).await
}

async fn series_invite(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(series_id): Path<String>,
    CheckedForm(form): CheckedForm<InviteForm>,
) -> Result<Response, PageError> {
    let of = Of::Series(id_of(&series_id, session.language)?);
    invite_to(&state, &session, of, form).await
}

async fn invite_to(
    state: &AppState,
    session: &OrganiserSession,
    of: Of,
    form: InviteForm,
) -> Result<Response, PageError> {
    let me = session.organiser.id;
    let invited = match of {
        Of::Event(id) => app::team::invite(state, me, id, &form.email, &form.role).await,
        Of::Series(id) => app::team::invite_to_series(state, me, id, &form.email, &form.role).await,
    };
    match invited {
        Ok(member) => {
            let key = if member.accepted_at.is_some() { "d_flash_team_role_changed" } else { "d_flash_team_invited" };
            let said = word(session.language, key).replace("{email}", member.email.as_str());
            Ok(see_other_saying(state, &of.url(), &said))
        }
        Err(AppError::Invalid(fields)) => {
            let say = |name: &str| fields.get(name).map(|p| i18n::problem(session.language, p));
            let filled =
                Filled { email_error: say("email"), role_error: say("role"), email: form.email, role: form.role };
            render_page(state, session, of, filled, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(err) => Err(PageError::from(err).in_language(session.language)),
    }
}

async fn remove(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path((event_id, member_id)): Path<(String, String)>,
    _: CheckedForm<ActionForm>,
) -> Result<Response, PageError> {
    let of = Of::Event(id_of(&event_id, session.language)?);
    remove_from(&state, &session, of, &member_id).await
}

async fn series_remove(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path((series_id, member_id)): Path<(String, String)>,
    _: CheckedForm<ActionForm>,
) -> Result<Response, PageError> {
    let of = Of::Series(id_of(&series_id, session.language)?);
    remove_from(&state, &session, of, &member_id).await
}

async fn remove_from(
    state: &AppState,
    session: &OrganiserSession,
    of: Of,
    member_id: &str,
) -> Result<Response, PageError> {
    let member_id = id_of(member_id, session.language)?;
    let me = session.organiser.id;
    let removed = match of {
        Of::Event(id) => app::team::remove(state, me, id, member_id).await,
        Of::Series(id) => app::team::remove_from_series(state, me, id, member_id).await,
    };
    let member = removed.map_err(|e| PageError::from(e).in_language(session.language))?;
    let said = word(session.language, "d_flash_team_removed").replace("{email}", member.email.as_str());
    Ok(see_other_saying(state, &of.url(), &said))
}

#[derive(Serialize)]
struct AcceptPage {
    invited_by: String,
    event_title: String,
    series: bool,
    date_local: String,
    role: String,
    door_helper: bool,
    email: String,
    ask_name: bool,
    form_action: String,
}

/// The link's page: who invites her, to what, in which role; a button.
async fn accept_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let language = browser_language(&headers);
    let invitation =
        app::team::invitation(&state, &token).await.map_err(|e| PageError::from(e).in_language(language))?;
    let (title, date_local) = match &invitation.to {
        InvitedTo::Event(event) => (
            event.details.title.clone(),
            crate::mail::context::local_date(event.details.schedule.starts_at, event, language),
        ),
        InvitedTo::Series(series) => (series.settings.name.clone(), String::new()),
    };
    let csrf = form_token(&state.link_key, TEAM_PURPOSE, &invitation.member.id.to_string());
    let page = AcceptPage {
        invited_by: invitation.invited_by.map(|o| o.name).unwrap_or_default(),
        event_title: title,
        series: matches!(invitation.to, InvitedTo::Series(_)),
        date_local,
        role: role_word(language, invitation.member.role),
        door_helper: invitation.member.role == Role::DoorHelper,
        email: invitation.member.email.to_string(),
        ask_name: !invitation.has_account,
        form_action: path::team_invitation(&token),
    };
    Ok(render("dashboard/team_accept.html", language, StatusCode::OK, &Frame::new(None, &csrf, &page)))
}

#[derive(Debug, Default, Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
}

/// Accepts (once), signs her in, and takes her where her role starts: the
/// event's or the series' page, or the door for a door helper.
async fn accept(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
    form: Result<Form<AcceptForm>, axum::extract::rejection::FormRejection>,
) -> Result<Response, PageError> {
    let language = browser_language(&headers);
    check_same_site(&headers).map_err(|e| e.in_language(language))?;
    let id = verify_team_token(&state.link_key, &token).ok_or_else(|| PageError::not_found().in_language(language))?;
    let Ok(Form(form)) = form else { return Err(PageError::bad_request().in_language(language)) };
    if !verify_open_form(&state, TEAM_PURPOSE, &id.to_string(), &form.csrf) {
        return Err(PageError::forbidden().in_language(language));
    }
    let (session, member) = app::team::accept(&state, &token, &form.name, stated_language(&headers))
        .await
        .map_err(|e| PageError::from(e).in_language(language))?;
    // A series' door helper starts on her dashboard, which lists her doors.
    let to = match (member.team, member.role) {
        (TeamOf::Event(id), Role::DoorHelper) => path::dashboard_check_in(id),
        (TeamOf::Event(id), _) => path::dashboard_event(id),
        (TeamOf::Series(_), Role::DoorHelper) => "/dashboard".to_owned(),
        (TeamOf::Series(id), _) => super::series::series_url(id),
    };
    let mut response = see_other(&to);
    response.headers_mut().insert(header::SET_COOKIE, set_session_cookie(&state, &session));
    Ok(response)
}
