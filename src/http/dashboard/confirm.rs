//! Asking before an action that sends email or deletes: a page that says
//! what will happen and whom it reaches, with the one form that does it.
//! Plain HTML, so it works without JavaScript; the action itself stays a
//! POST with the session's anti-forgery token.

use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

use super::OrganiserSession;

/// What the confirmation page says and the form it carries.
#[derive(Serialize)]
pub struct Confirmation {
    /// The question, as the page's heading ("Publish “Breakfast”?").
    pub question: String,
    /// Whom it reaches, with the count ("Publishing sends 8 invitations.").
    pub reach: String,
    /// What else follows, one sentence each.
    pub details: Vec<String>,
    /// Where the form posts, and the fields it carries over.
    pub action: String,
    pub fields: Vec<(String, String)>,
    pub button: String,
    /// The action removes or stops something: the button says so in red.
    pub danger: bool,
    pub back_url: String,
    pub back_label: String,
    /// The link above the question, when it leads elsewhere than to an
    /// event ("← Back to webhooks"); an event's page by default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub back_top: Option<String>,
    /// A second button that posts the fields back with `step=back`: to the
    /// form she came from, with what she typed.
    pub back_to_form: Option<String>,
}

#[derive(Serialize)]
struct ConfirmPage<'a> {
    confirm: &'a Confirmation,
}

pub fn page(session: &OrganiserSession, confirmation: &Confirmation) -> Response {
    session.page("dashboard/confirm.html", StatusCode::OK, &ConfirmPage { confirm: confirmation })
}

/// "no invitation", "1 invitation", "3 invitations": a sentence that
/// counts, its plural chosen by the catalogue.
pub fn counted(session: &OrganiserSession, n: u64, key: &str) -> String {
    crate::i18n::text(session.language, key, &[("n", n.into())])
}
