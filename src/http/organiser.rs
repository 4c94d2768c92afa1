//! Organiser API: her own account and preferences.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::AppState;
use super::extract::{AuthenticatedOrganiser, Json};
use crate::app;
use crate::domain::event::Language;
use crate::error::Result;
use crate::storage::organisers::{Notifications, Organiser};

pub fn router() -> OpenApiRouter<AppState> {
    // Two paths, so one `routes!` each: together they would mount both
    // handlers on both paths.
    OpenApiRouter::new().routes(routes!(me)).routes(routes!(set_preferences))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganiserView {
    id: Uuid,
    name: String,
    email: String,
    /// How she hears about answers: `each`, `digest` or `off`.
    notifications: Notifications,
    /// The language of the emails she gets; null until known (her
    /// browser's at her first sign-in, or her choice).
    language: Option<Language>,
}

impl From<Organiser> for OrganiserView {
    fn from(o: Organiser) -> Self {
        Self {
            id: o.id,
            name: o.name,
            email: o.email.to_string(),
            notifications: o.notifications,
            language: o.language,
        }
    }
}

/// Who the API key belongs to.
#[utoipa::path(get, path = "/me", tag = "organiser", security(("api_key" = [])),
    responses((status = 200, description = "You", body = OrganiserView)))]
async fn me(AuthenticatedOrganiser(organiser): AuthenticatedOrganiser) -> Json<OrganiserView> {
    Json(organiser.into())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreferencesRequest {
    /// `each`: a note for each answer with a comment or a change of mind;
    /// `digest`: one email a day per event with news; `off`: nothing.
    notifications: Notifications,
    /// The language of the emails you get (sign-in links, team
    /// invitations, venue summaries, notes, digests); unchanged if absent.
    #[serde(default)]
    language: Option<Language>,
}

/// Choose how you hear about answers, and in which language.
#[utoipa::path(put, path = "/me/preferences", tag = "organiser", security(("api_key" = [])),
    request_body = PreferencesRequest,
    responses((status = 200, description = "You, with your new preferences", body = OrganiserView)))]
async fn set_preferences(
    State(state): State<AppState>,
    AuthenticatedOrganiser(mut organiser): AuthenticatedOrganiser,
    Json(request): Json<PreferencesRequest>,
) -> Result<Json<OrganiserView>> {
    app::organisers::set_notifications(&state, organiser.id, request.notifications).await?;
    organiser.notifications = request.notifications;
    if let Some(language) = request.language {
        app::organisers::set_language(&state, organiser.id, language).await?;
        organiser.language = Some(language);
    }
    Ok(Json(organiser.into()))
}
