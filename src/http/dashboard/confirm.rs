//! Asking before an action that sends email or deletes: a page that says
//! what will happen and whom it reaches, with the one form that does it.
//! Plain HTML, so it works without JavaScript; the action itself stays a
//! POST with the session's anti-forgery token.

use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;

use super::OrganiserSession;
use crate::http::pages::word;

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

/// "no invitation", "1 invitation", "3 invitations": the `_zero` (when the
/// catalogue has one), `_one` or `_other` form of a sentence, with `{n}`.
pub fn counted(session: &OrganiserSession, n: u64, key: &str) -> String {
    let zero = format!("{key}_zero");
    let chosen = match n {
        0 if word(session.language, &zero) != zero => zero,
        1 => format!("{key}_one"),
        _ => format!("{key}_other"),
    };
    word(session.language, &chosen).replace("{n}", &n.to_string())
}
