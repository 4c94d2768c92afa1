//! One event's page: what is planned, who is coming, and what she can do
//! for each guest (answer for her, send her invitation again, remove her),
//! plus the guest list as a spreadsheet.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};

use super::answers_view::{AnswerLine, answer_lines};
use super::confirm::{self, Confirmation, counted};
use super::event_form::plan_sentence;
use super::events::event_url;
use super::extract::{CheckedForm, OwnedEvent};
use super::time_zones::zone_label;
use super::{ActionForm, OrganiserSession, id_of, see_other_saying};
use crate::app::answers::{AnswerInput, Answerer, QuestionAnswers};
use crate::app::{self, AppError};
use crate::domain::answer::{Answer, MAX_COMPANIONS_BY_ORGANISER};
use crate::domain::event::{Event, Language};
use crate::domain::guest::{AnswerFilter, Guest};
use crate::domain::question::Question;
use crate::domain::role::Action;
use crate::http::AppState;
use crate::http::pages::{PageError, word};
use crate::http::views::GuestView;
use crate::mail::context::{local_date, local_time};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard/events/{event_id}", get(show))
        .route("/dashboard/events/{event_id}/guests/{guest_id}/answer", post(set_answer))
        .route("/dashboard/events/{event_id}/guests/{guest_id}/resend", post(resend))
        .route("/dashboard/events/{event_id}/guests/{guest_id}/remove", get(confirm_remove).post(remove))
        .route("/dashboard/events/{event_id}/guests.csv", get(export))
        .route("/dashboard/events/{event_id}/emails/resend-failed", post(resend_failed))
}

#[derive(Serialize)]
struct EventSummary {
    id: uuid::Uuid,
    title: String,
    status: &'static str,
    date_local: String,
    start_time_local: String,
    end_time_local: String,
    time_zone: String,
    venue_name: String,
    venue_address: String,
    public_url: Option<String>,
    plan_sentence: String,
    /// The event is today (in its zone): check-in comes first.
    is_today: bool,
}

#[derive(Serialize)]
struct EmailStatus {
    kind: String,
    status: String,
    error: Option<String>,
}

#[derive(Serialize)]
struct GuestRow {
    id: uuid::Uuid,
    name: String,
    email: String,
    answer: Option<Answer>,
    companions: u32,
    comment: String,
    /// Her answers to the event's questions, short.
    answers: Vec<AnswerLine>,
    waitlist_position: Option<u32>,
    checked_in: bool,
    walk_in: bool,
    unsubscribed: bool,
    email_status: Option<EmailStatus>,
    /// Her personal invitation link, for the organiser to pass on.
    link: String,
}

impl GuestRow {
    fn of(state: &AppState, record: app::guests::GuestRecord, questions: &[Question], language: Language) -> Self {
        let link = app::guests::invitation_link(state, &record.guest);
        let view = GuestView::from(record);
        let answers = view.reply.as_ref().map(|r| answer_lines(questions, &r.questions, language)).unwrap_or_default();
        Self {
            answers,
            link,
            id: view.id,
            name: view.name,
            email: view.email,
            answer: view.reply.as_ref().map(|r| r.answer),
            companions: view.reply.as_ref().map_or(0, |r| r.companions),
            comment: view.reply.map(|r| r.comment).unwrap_or_default(),
            waitlist_position: view.waitlist_position,
            checked_in: view.checked_in_at.is_some(),
            walk_in: view.walk_in,
            unsubscribed: view.unsubscribed,
            email_status: view.emails.last().map(|e| EmailStatus {
                kind: e.kind.clone(),
                status: e.status.clone(),
                error: e.error.clone(),
            }),
        }
    }
}

#[derive(Serialize)]
struct EventUrls {
    edit: String,
    publish: String,
    /// For the owner only: the team and cancelling are hers.
    cancel: Option<String>,
    team: Option<String>,
    check_in: String,
    results: String,
    export: String,
    import: String,
    preview: String,
    guests_base: String,
    resend_failed: String,
    guests_list: String,
    /// For the owner only, as series are hers: duplicating, and its series.
    duplicate: Option<String>,
    /// Its series' page, for a date of a series.
    series: Option<String>,
    /// "Use these settings for the next dates", for a date of a series.
    series_defaults: Option<String>,
    /// "Make it a series", for an event in none.
    make_series: Option<String>,
}

#[derive(Serialize)]
pub struct ImportReportView {
    pub added: u64,
    pub duplicates: u64,
    pub invalid: u64,
    pub rows: Vec<ImportRowView>,
}

#[derive(Serialize)]
pub struct ImportRowView {
    pub line: usize,
    pub email: String,
    pub name: String,
    pub status: &'static str,
    pub reason: String,
}

#[derive(Serialize)]
struct EventPage {
    event: EventSummary,
    summary: crate::http::views::SummaryView,
    guests: Vec<GuestRow>,
    urls: EventUrls,
    import_report: Option<ImportReportView>,
    flash: Option<String>,
    /// What went wrong with what she just did, shown as an error.
    flash_error: Option<String>,
    /// Show the message by the guest list (see [`Listing::at`]).
    flash_near_guests: bool,
    /// The event's emails that failed, with the sentence that says so.
    failed_emails: u64,
    failed_emails_text: String,
    listing: ListingView,
    /// The questions the event asks, read-only.
    questions: Vec<AskedQuestion>,
}

/// A question the event asks, as its page lists it: her label, what kind
/// of answer, whether required, and its choices.
#[derive(Serialize)]
struct AskedQuestion {
    label: String,
    kind: String,
    required: bool,
    options: String,
}

impl AskedQuestion {
    fn of(question: &crate::domain::question::Question, language: crate::domain::event::Language) -> Self {
        Self {
            label: question.label.get(language).to_owned(),
            kind: word(language, &format!("d_q_kind_{}", question.kind.as_str())),
            required: question.required,
            options: question.options.iter().map(|o| o.label.get(language)).collect::<Vec<_>>().join(", "),
        }
    }
}

/// Which part of the guest list the page shows: a search and a page.
#[derive(Debug, Default, Deserialize)]
pub struct Listing {
    #[serde(default)]
    q: String,
    /// Guests by answer (see [`AnswerFilter`]); every guest without one.
    #[serde(default)]
    answer: String,
    page: Option<u64>,
    /// `guests` after an action on a guest: the message is shown by the
    /// list, where she lands, rather than at the top of the page.
    #[serde(default)]
    at: String,
}

#[derive(Serialize)]
struct ListingView {
    q: String,
    /// The answer filter, and every filter she can pick.
    answer: &'static str,
    answers: [&'static str; 6],
    page: u64,
    pages: u64,
    /// Guests matching the search (all guests without one).
    matching: u64,
    /// "Page 2 of 700": empty when everything fits on one page.
    position: String,
    previous: Option<String>,
    next: Option<String>,
}

/// The event page, optionally with the report of an import just made or
/// what went wrong with her last action (shown as an error), showing the
/// first page of its guests.
pub async fn event_page(
    state: &AppState,
    session: &OrganiserSession,
    event: &Event,
    status: StatusCode,
    import_report: Option<ImportReportView>,
    error: Option<String>,
) -> Result<Response, PageError> {
    event_page_at(state, session, event, status, import_report, error, &Listing::default()).await
}

/// The event page with the part of its guest list `listing` asks for.
async fn event_page_at(
    state: &AppState,
    session: &OrganiserSession,
    event: &Event,
    status: StatusCode,
    import_report: Option<ImportReportView>,
    error: Option<String>,
    listing: &Listing,
) -> Result<Response, PageError> {
    let counts = app::events::counts(state, event).await?;
    let flash = session.flash.clone();
    let search = Some(listing.q.as_str()).filter(|q| !q.trim().is_empty());
    let filter = AnswerFilter::parse(&listing.answer);
    let shown = app::guests::page(state, event, search, filter, listing.page.unwrap_or(1)).await?;
    let base = event_url(event.id);
    let page_url = |page: u64| {
        let query: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("q", listing.q.trim())
            .append_pair("answer", filter.as_str())
            .append_pair("page", &page.to_string())
            .finish();
        format!("{base}?{query}#guests-section")
    };
    let listing_view = ListingView {
        q: listing.q.trim().to_owned(),
        answer: filter.as_str(),
        answers: AnswerFilter::ALL.map(AnswerFilter::as_str),
        page: shown.page,
        pages: shown.pages,
        matching: shown.matching,
        position: if shown.pages > 1 {
            word(session.language, "d_page_of")
                .replace("{page}", &shown.page.to_string())
                .replace("{pages}", &shown.pages.to_string())
        } else {
            String::new()
        },
        previous: (shown.page > 1).then(|| page_url(shown.page - 1)),
        next: (shown.page < shown.pages).then(|| page_url(shown.page + 1)),
    };
    let failed_emails = shown.failed_emails;
    let guests: Vec<GuestRow> = shown
        .records
        .into_iter()
        .map(|record| GuestRow::of(state, record, &event.details.questions, session.language))
        .collect();
    let details = &event.details;
    let owner = app::access::may(state, session.organiser.id, event, Action::Own).await?;
    let page = EventPage {
        event: EventSummary {
            id: event.id,
            title: details.title.clone(),
            status: event.status.as_str(),
            date_local: local_date(details.schedule.starts_at, event, session.language),
            start_time_local: local_time(details.schedule.starts_at, event),
            end_time_local: local_time(details.schedule.ends_at, event),
            time_zone: zone_label(session.language, details.schedule.time_zone, details.schedule.starts_at),
            venue_name: details.venue.name.clone(),
            venue_address: details.venue.address.clone(),
            public_url: details.open_registration.then(|| state.links().public_event(event.id)),
            plan_sentence: plan_sentence(event, session.language),
            is_today: {
                let zone = details.schedule.time_zone;
                details.schedule.starts_at.with_timezone(&zone).date_naive()
                    == state.now().with_timezone(&zone).date_naive()
            },
        },
        summary: crate::http::views::SummaryView::new(event, counts),
        guests,
        urls: EventUrls {
            edit: format!("{base}/edit"),
            publish: format!("{base}/publish"),
            cancel: owner.then(|| format!("{base}/cancel")),
            team: owner.then(|| crate::links::path::dashboard_team(event.id)),
            check_in: format!("{base}/check-in"),
            results: format!("{base}/results"),
            export: format!("{base}/guests.csv"),
            import: format!("{base}/guests/import"),
            preview: format!("{base}/preview"),
            guests_base: format!("{base}/guests"),
            resend_failed: format!("{base}/emails/resend-failed"),
            guests_list: format!("{base}#guests-section"),
            duplicate: owner.then(|| format!("{base}/duplicate")),
            series: event.series_id.filter(|_| owner).map(super::series::series_url),
            series_defaults: event.series_id.filter(|_| owner).map(|_| format!("{base}/series-defaults")),
            make_series: (owner && event.series_id.is_none())
                .then(|| format!("/dashboard/series?first_date={}#new-series-heading", event.id)),
        },
        import_report,
        flash,
        flash_error: error,
        flash_near_guests: listing.at == "guests",
        failed_emails,
        failed_emails_text: counted(session, failed_emails, "d_failed_emails"),
        listing: listing_view,
        questions: details.questions.iter().map(|q| AskedQuestion::of(q, session.language)).collect(),
    };
    Ok(session.page("dashboard/event.html", status, &page))
}

async fn show(
    State(state): State<AppState>,
    OwnedEvent { session, event }: OwnedEvent,
    Query(listing): Query<Listing>,
) -> Result<Response, PageError> {
    event_page_at(&state, &session, &event, StatusCode::OK, None, None, &listing).await
}

#[derive(Debug, Default, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
    #[serde(default)]
    companions: String,
}

/// An answer she records for a guest who phoned.
async fn set_answer(
    State(state): State<AppState>,
    OwnedEvent { session, event }: OwnedEvent,
    Path((_, guest_id)): Path<(String, String)>,
    CheckedForm(form): CheckedForm<AnswerForm>,
) -> Result<Response, PageError> {
    let guest_id = id_of(&guest_id, session.language)?;
    let Some(answer) = Answer::parse(&form.answer) else {
        return event_page(
            &state,
            &session,
            &event,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(word(session.language, "error_answer_required")),
        )
        .await;
    };
    // Not a number is out of range too, so it gets the same message.
    let companions = match form.companions.trim() {
        "" => 0,
        raw => raw.parse::<i64>().unwrap_or(-1),
    };
    let answerer = Answerer::Organiser { organiser_id: session.organiser.id, event_id: event.id, guest_id };
    let input = AnswerInput { answer, companions, comment: None, questions: QuestionAnswers::NotAsked };
    let refused =
        |key: &str| Some(word(session.language, key).replace("{n}", &MAX_COMPANIONS_BY_ORGANISER.to_string()));
    match app::answers::answer(&state, answerer, &input).await {
        Ok(outcome) => {
            let said = word(session.language, "d_flash_answer_set").replace("{name}", &label(&outcome.guest));
            Ok(see_other_saying(&state, &guests_of(&event), &said))
        }
        Err(AppError::Invalid(_)) => {
            let flash = refused("d_error_companions");
            event_page(&state, &session, &event, StatusCode::UNPROCESSABLE_ENTITY, None, flash).await
        }
        Err(AppError::NotEnoughSeats { .. }) => {
            let flash = refused("d_error_not_enough_seats");
            event_page(&state, &session, &event, StatusCode::CONFLICT, None, flash).await
        }
        Err(err) => Err(PageError::from(err).in_language(session.language)),
    }
}

/// Sends her invitation again (a lost email, a new address).
async fn resend(
    State(state): State<AppState>,
    OwnedEvent { session, event }: OwnedEvent,
    Path((_, guest_id)): Path<(String, String)>,
    _: CheckedForm<ActionForm>,
) -> Result<Response, PageError> {
    let guest_id = id_of(&guest_id, session.language)?;
    match app::guests::resend_invitation(&state, session.organiser.id, event.id, guest_id).await {
        Ok(guest) => {
            let said = word(session.language, "d_flash_resent").replace("{name}", &label(&guest));
            Ok(see_other_saying(&state, &guests_of(&event), &said))
        }
        Err(AppError::NotPublished) => {
            let flash = Some(word(session.language, "d_error_resend_not_published"));
            event_page(&state, &session, &event, StatusCode::CONFLICT, None, flash).await
        }
        Err(err) => Err(PageError::from(err).in_language(session.language)),
    }
}

/// How a guest is named to the organiser: her name, else her address.
pub fn label(guest: &Guest) -> String {
    if guest.name.trim().is_empty() { guest.email.to_string() } else { guest.name.clone() }
}

/// "Zélie, Bruno et Paul": names as a sentence lists them.
fn joined(names: &[String], language: crate::domain::event::Language) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{}{}{last}", rest.join(", "), word(language, "d_and")),
    }
}

/// The event page, at its guest list, with the message there.
pub fn guests_of(event: &Event) -> String {
    format!("{}?at=guests#guests-section", event_url(event.id))
}

/// Sends again the emails of this event that failed, and says how many.
async fn resend_failed(
    State(state): State<AppState>,
    OwnedEvent { session, event }: OwnedEvent,
    _: CheckedForm<ActionForm>,
) -> Result<Response, PageError> {
    let requeued = app::mail_queue::resend_failed(&state, session.organiser.id, event.id)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    Ok(see_other_saying(&state, &event_url(event.id), &counted(&session, requeued, "d_resent")))
}

/// Asks before removing a guest, naming her and saying what goes with her.
async fn confirm_remove(
    State(state): State<AppState>,
    OwnedEvent { session, event }: OwnedEvent,
    Path((_, guest_id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let guest_id = id_of(&guest_id, session.language)?;
    if event.status == crate::domain::event::EventStatus::Cancelled {
        return Err(PageError::from(AppError::EventCancelled).in_language(session.language));
    }
    let guest = app::guests::one(&state, &event, guest_id)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    let name = label(&guest);
    let base = event_url(event.id);
    let mut details = vec![word(session.language, "d_confirm_remove_detail")];
    if guest.checked_in_at.is_some() {
        details.push(word(session.language, "d_confirm_remove_arrived"));
    }
    // Her seat goes to the waiting list: say to whom.
    let promoted = app::guests::promoted_if_removed(&state, &event, &guest)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    if !promoted.is_empty() {
        let names: Vec<String> = promoted.iter().map(label).collect();
        let n = || crate::i18n::Arg::from(names.len());
        let names = crate::i18n::Arg::Text(joined(&names, session.language));
        details.push(crate::i18n::text(session.language, "d_confirm_remove_promoted", &[("n", n()), ("names", names)]));
        if event.status == crate::domain::event::EventStatus::Published {
            details.push(crate::i18n::text(session.language, "d_confirm_remove_promoted_mail", &[("n", n())]));
        }
    }
    Ok(confirm::page(
        &session,
        &Confirmation {
            question: word(session.language, "d_confirm_remove_question").replace("{name}", &name),
            reach: word(session.language, "d_confirm_remove_reach").replace("{name}", &name),
            details,
            action: format!("{base}/guests/{}/remove", guest.id),
            fields: Vec::new(),
            button: word(session.language, "d_confirm_remove_button").replace("{name}", &name),
            danger: true,
            back_url: guests_of(&event),
            back_label: word(session.language, "d_back_to_event"),
            back_top: None,
            back_to_form: None,
        },
    ))
}

async fn remove(
    State(state): State<AppState>,
    OwnedEvent { session, event }: OwnedEvent,
    Path((_, guest_id)): Path<(String, String)>,
    _: CheckedForm<ActionForm>,
) -> Result<Response, PageError> {
    let guest_id = id_of(&guest_id, session.language)?;
    let removed = app::guests::remove(&state, session.organiser.id, event.id, guest_id)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    let said = word(session.language, "d_flash_removed").replace("{name}", &label(&removed));
    Ok(see_other_saying(&state, &guests_of(&event), &said))
}

/// The guest list with answers and check-ins, as a CSV a spreadsheet opens
/// cleanly, in her language (the API's `guests.csv`).
async fn export(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(event_id): Path<String>,
) -> Result<Response, PageError> {
    let id = id_of(&event_id, session.language)?;
    let (event, chunks) = app::guest_lists::export(&state, session.organiser.id, id)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    Ok(crate::http::guest_lists::csv_download(&event, chunks, session.language))
}
