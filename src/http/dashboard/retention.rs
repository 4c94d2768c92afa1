//! How long guests' personal data is kept after each event: off by default;
//! when set, the scheduler erases it that many days after each event ends.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::{Deserialize, Serialize};

use super::extract::CheckedForm;
use super::{OrganiserSession, see_other_saying};
use crate::app::{self, AppError};
use crate::http::AppState;
use crate::http::pages::PageError;
use crate::i18n;

pub fn router() -> Router<AppState> {
    Router::new().route(PATH, get(page).post(save))
}

const PATH: &str = "/dashboard/retention";

#[derive(Serialize)]
struct RetentionPage {
    /// Days kept, as typed in the box ("" when kept).
    days: String,
    on: bool,
    error: Option<String>,
    flash: Option<String>,
    action: &'static str,
    max: u32,
}

#[derive(Debug, Default, Deserialize)]
pub struct RetentionForm {
    #[serde(default)]
    on: Option<String>,
    #[serde(default)]
    days: String,
}

fn render(session: &OrganiserSession, status: StatusCode, days: String, on: bool, error: Option<String>) -> Response {
    let page = RetentionPage {
        days,
        on,
        error,
        flash: session.flash.clone(),
        action: PATH,
        max: app::guest_data::MAX_RETENTION_DAYS,
    };
    session.page("dashboard/retention.html", status, &page)
}

async fn page(State(state): State<AppState>, session: OrganiserSession) -> Result<Response, PageError> {
    let days = app::guest_data::retention(&state, session.organiser.id)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    Ok(render(&session, StatusCode::OK, days.map_or_else(|| "90".to_owned(), |d| d.to_string()), days.is_some(), None))
}

async fn save(
    State(state): State<AppState>,
    session: OrganiserSession,
    CheckedForm(form): CheckedForm<RetentionForm>,
) -> Result<Response, PageError> {
    let on = form.on.is_some();
    let days = if on {
        match form.days.trim().parse::<i64>() {
            Ok(days) => Some(days),
            Err(_) => Some(0),
        }
    } else {
        None
    };
    match app::guest_data::set_retention(&state, session.organiser.id, days).await {
        Ok(_) => {
            let said = if on { "d_retention_saved_on" } else { "d_retention_saved_off" };
            Ok(see_other_saying(&state, PATH, &i18n::word(session.language, said)))
        }
        Err(AppError::Invalid(fields)) => {
            let said = fields.values().map(|p| i18n::problem(session.language, p)).collect::<Vec<_>>().join(" ");
            Ok(render(&session, StatusCode::UNPROCESSABLE_ENTITY, form.days, on, Some(said)))
        }
        Err(err) => Err(PageError::from(err).in_language(session.language)),
    }
}
