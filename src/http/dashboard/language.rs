//! The language of her emails (sign-in links, team invitations, venue
//! summaries, notes and digests): kept from her browser the first time she
//! signs in or joins a team, and hers to change here.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::{Deserialize, Serialize};

use super::extract::CheckedForm;
use super::{OrganiserSession, see_other_saying};
use crate::app;
use crate::domain::event::Language;
use crate::http::AppState;
use crate::http::pages::PageError;
use crate::i18n;

pub fn router() -> Router<AppState> {
    Router::new().route(PATH, get(page).post(save))
}

const PATH: &str = "/dashboard/language";

#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct LanguagePage {
    choices: Vec<Choice>,
    flash: Option<String>,
    action: &'static str,
}

#[derive(Debug, Default, Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    language: String,
}

async fn page(session: OrganiserSession) -> Response {
    // Until she chooses, her emails follow the dashboard's language.
    let current = session.organiser.writes_in(session.language);
    let choices = Language::ALL
        .into_iter()
        .map(|language| Choice {
            value: language.as_str(),
            label: i18n::word(session.language, &format!("d_language_{}", language.as_str())),
            selected: language == current,
        })
        .collect();
    let page = LanguagePage { choices, flash: session.flash.clone(), action: PATH };
    session.page("dashboard/language.html", StatusCode::OK, &page)
}

async fn save(
    State(state): State<AppState>,
    session: OrganiserSession,
    CheckedForm(form): CheckedForm<LanguageForm>,
) -> Result<Response, PageError> {
    let language =
        Language::parse(&form.language).map_err(|_| PageError::bad_request().in_language(session.language))?;
    app::organisers::set_language(&state, session.organiser.id, language)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    Ok(see_other_saying(&state, PATH, &i18n::word(session.language, "d_language_saved")))
}
