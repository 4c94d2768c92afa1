//! Her events: the list (upcoming first, with counts), creating and editing
//! one (with the reminder plan in plain words), publishing and cancelling,
//! the guest list with its actions, adding guests, and a preview of each
//! email in each language her guests will get.

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{OrganiserSession, id_of, see_other};
use crate::domain::answer::{Answer, MAX_COMPANIONS_BY_ORGANISER, Reply};
use crate::domain::event::{Event, EventDetails, EventFields, EventStatus, Language, PlanFields, Words};
use crate::domain::mail::MailKind;
use crate::domain::plan::SlotKind;
use crate::error::ApiError;
use crate::http::AppState;
use crate::http::guests::guest_views;
use crate::http::pages::PageError;
use crate::mail::context::{local_date, local_time};
use crate::storage;
use crate::storage::answers::Answerer;
use crate::storage::outbox::Audience;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard", get(list))
        .route("/dashboard/events/new", get(new_form).post(create))
        .route("/dashboard/events/{event_id}", get(show))
        .route("/dashboard/events/{event_id}/edit", get(edit_form).post(update))
        .route("/dashboard/events/{event_id}/publish", post(publish))
        .route("/dashboard/events/{event_id}/cancel", post(cancel))
        .route("/dashboard/events/{event_id}/guests/{guest_id}/answer", post(set_answer))
        .route("/dashboard/events/{event_id}/guests/{guest_id}/resend", post(resend))
        .route("/dashboard/events/{event_id}/guests/{guest_id}/remove", post(remove))
        .route("/dashboard/events/{event_id}/preview", get(preview))
        .route("/dashboard/events/{event_id}/guests.csv", get(export))
}

pub fn event_url(event_id: uuid::Uuid) -> String {
    format!("/dashboard/events/{event_id}")
}

/// Her event, or a 404 page: another organiser's id finds nothing.
pub async fn owned(state: &AppState, session: &OrganiserSession, raw_id: &str) -> Result<Event, PageError> {
    let id = id_of(raw_id, session.language)?;
    storage::events::find_owned(&*state.db, session.organiser.id, id)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))
}

#[derive(Serialize)]
struct EventRow {
    id: uuid::Uuid,
    title: String,
    status: &'static str,
    date_local: String,
    start_time_local: String,
    time_zone: String,
    invited: u64,
    answered: u64,
    yes: u64,
    seats_left: Option<u64>,
    capacity: Option<u32>,
    url: String,
}

#[derive(Serialize)]
struct EventsPage {
    events: Vec<EventRow>,
    new_url: &'static str,
}

/// Her events: those to come first (soonest first), then past ones (latest first).
async fn list(State(state): State<AppState>, session: OrganiserSession) -> Result<Response, PageError> {
    let mut events = storage::events::list(&state.db, session.organiser.id, 1000, 0).await?;
    let now = state.clock.now();
    let (mut upcoming, mut past): (Vec<Event>, Vec<Event>) =
        events.drain(..).partition(|e| e.details.schedule.ends_at >= now);
    past.reverse();
    upcoming.extend(past);
    let ids: Vec<uuid::Uuid> = upcoming.iter().map(|e| e.id).collect();
    let counts = storage::events::counts(&*state.db, &ids).await?;
    let rows = upcoming
        .iter()
        .map(|event| {
            let c = counts.get(&event.id).copied().unwrap_or_default();
            EventRow {
                id: event.id,
                title: event.details.title.clone(),
                status: event.status.as_str(),
                date_local: local_date(event.details.schedule.starts_at, event, session.language),
                start_time_local: local_time(event.details.schedule.starts_at, event),
                time_zone: event.details.schedule.time_zone.name().to_owned(),
                invited: c.invited,
                answered: c.answered,
                yes: c.yes,
                seats_left: event.details.capacity.map(|cap| u64::from(cap).saturating_sub(c.seats_taken)),
                capacity: event.details.capacity,
                url: event_url(event.id),
            }
        })
        .collect();
    Ok(session.page(
        "dashboard/events.html",
        StatusCode::OK,
        &EventsPage { events: rows, new_url: "/dashboard/events/new" },
    ))
}

/// The event form's fields, as typed (and shown again with errors).
#[derive(Debug, Default, Deserialize, Serialize)]
pub struct EventForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    venue_name: String,
    #[serde(default)]
    venue_address: String,
    #[serde(default)]
    venue_map_url: String,
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    ends_at: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    rsvp_deadline: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    companions_allowed: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    follow_up_url: String,
    #[serde(default)]
    nudges: String,
    #[serde(default)]
    answers_close: String,
    #[serde(default)]
    reminder: String,
    #[serde(default)]
    follow_up: String,
    /// Checkboxes: present ("on") when ticked.
    #[serde(default, deserialize_with = "checkbox")]
    open_registration: bool,
    #[serde(default, deserialize_with = "checkbox")]
    nudge_maybes: bool,
    #[serde(default)]
    words_invitation: String,
    #[serde(default)]
    words_nudge: String,
    #[serde(default)]
    words_reminder: String,
    #[serde(default)]
    words_thank_you: String,
    #[serde(default, skip_serializing)]
    csrf: String,
}

fn checkbox<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let raw = String::deserialize(d)?;
    Ok(matches!(raw.as_str(), "on" | "true" | "1" | "yes"))
}

fn blank_to_none(raw: &str) -> Option<String> {
    let raw = raw.trim();
    (!raw.is_empty()).then(|| raw.to_owned())
}

impl EventForm {
    fn defaults(language: Language) -> Self {
        let plan = PlanFields::default();
        Self {
            time_zone: "Europe/Paris".to_owned(),
            language: language.as_str().to_owned(),
            companions_allowed: "0".to_owned(),
            nudges: plan.nudges.join(", "),
            nudge_maybes: plan.nudge_maybes,
            answers_close: plan.answers_close,
            reminder: plan.reminder.unwrap_or_default(),
            follow_up: plan.follow_up.unwrap_or_default(),
            ..Self::default()
        }
    }

    fn of(event: &Event) -> Self {
        let details = &event.details;
        let zone = details.schedule.time_zone;
        let local = |at: DateTime<Utc>| at.with_timezone(&zone).format("%Y-%m-%dT%H:%M").to_string();
        let plan = PlanFields::from(&details.plan);
        Self {
            title: details.title.clone(),
            description: details.description.clone(),
            venue_name: details.venue.name.clone(),
            venue_address: details.venue.address.clone(),
            venue_map_url: details.venue.map_url.clone().unwrap_or_default(),
            starts_at: local(details.schedule.starts_at),
            ends_at: local(details.schedule.ends_at),
            time_zone: zone.name().to_owned(),
            rsvp_deadline: details.schedule.rsvp_deadline.map(local).unwrap_or_default(),
            capacity: details.capacity.map(|c| c.to_string()).unwrap_or_default(),
            companions_allowed: details.companions_allowed.to_string(),
            language: details.language.as_str().to_owned(),
            follow_up_url: details.follow_up_url.clone().unwrap_or_default(),
            nudges: plan.nudges.join(", "),
            nudge_maybes: plan.nudge_maybes,
            answers_close: plan.answers_close,
            reminder: plan.reminder.unwrap_or_default(),
            follow_up: plan.follow_up.unwrap_or_default(),
            open_registration: details.open_registration,
            words_invitation: details.words.invitation.clone(),
            words_nudge: details.words.nudge.clone(),
            words_reminder: details.words.reminder.clone(),
            words_thank_you: details.words.thank_you.clone(),
            csrf: String::new(),
        }
    }

    /// The raw fields for the domain's validation; numbers that are not
    /// numbers become out-of-range values so the same messages apply.
    fn fields(&self) -> EventFields {
        let number = |raw: &str| raw.trim().parse::<i64>().unwrap_or(-1);
        EventFields {
            title: self.title.clone(),
            description: self.description.clone(),
            venue_name: self.venue_name.clone(),
            venue_address: self.venue_address.clone(),
            venue_map_url: blank_to_none(&self.venue_map_url),
            starts_at: self.starts_at.clone(),
            ends_at: self.ends_at.clone(),
            time_zone: self.time_zone.clone(),
            rsvp_deadline: blank_to_none(&self.rsvp_deadline),
            capacity: blank_to_none(&self.capacity).map(|raw| number(&raw)),
            companions_allowed: blank_to_none(&self.companions_allowed).map_or(0, |raw| number(&raw)),
            language: self.language.clone(),
            follow_up_url: blank_to_none(&self.follow_up_url),
            plan: PlanFields {
                nudges: self
                    .nudges
                    .split([',', ' '])
                    .filter(|n| !n.trim().is_empty())
                    .map(|n| n.trim().to_owned())
                    .collect(),
                nudge_maybes: self.nudge_maybes,
                answers_close: self.answers_close.trim().to_owned(),
                reminder: blank_to_none(&self.reminder),
                follow_up: blank_to_none(&self.follow_up),
            },
            open_registration: self.open_registration,
            words: Words {
                invitation: self.words_invitation.clone(),
                nudge: self.words_nudge.clone(),
                reminder: self.words_reminder.clone(),
                thank_you: self.words_thank_you.clone(),
            },
        }
    }
}

#[derive(Serialize)]
struct FormPage<'a> {
    mode: &'static str,
    form: &'a EventForm,
    field_errors: BTreeMap<String, String>,
    time_zones: Vec<&'static str>,
    form_action: String,
    cancel_url: String,
    plan_sentence: Option<String>,
}

fn form_page(
    session: &OrganiserSession,
    status: StatusCode,
    mode: &'static str,
    form: &EventForm,
    errors: BTreeMap<String, String>,
    event: Option<&Event>,
) -> Response {
    let (form_action, cancel_url) = match event {
        Some(event) => (format!("{}/edit", event_url(event.id)), event_url(event.id)),
        None => ("/dashboard/events/new".to_owned(), "/dashboard".to_owned()),
    };
    let page = FormPage {
        mode,
        form,
        // Field names as the domain reports them (`plan.nudges[0]`) map onto the form's.
        field_errors: errors
            .into_iter()
            .map(|(field, message)| {
                let field = field.trim_start_matches("plan.").replace("words.", "words_");
                let field = field.split('[').next().unwrap_or_default().to_owned();
                (field, message)
            })
            .collect(),
        time_zones: chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).filter(|name| name.contains('/')).collect(),
        form_action,
        cancel_url,
        plan_sentence: event.map(|e| plan_sentence(e, session.language)),
    };
    session.page("dashboard/event_form.html", status, &page)
}

async fn new_form(session: OrganiserSession) -> Response {
    form_page(&session, StatusCode::OK, "new", &EventForm::defaults(session.language), BTreeMap::new(), None)
}

async fn create(
    State(state): State<AppState>,
    session: OrganiserSession,
    headers: HeaderMap,
    Form(form): Form<EventForm>,
) -> Result<Response, PageError> {
    session.check_form(&headers, &form.csrf)?;
    match EventDetails::try_from(form.fields()) {
        Err(errors) => Ok(form_page(&session, StatusCode::UNPROCESSABLE_ENTITY, "new", &form, errors, None)),
        Ok(details) => {
            let event = storage::events::insert(&state.db, session.organiser.id, &details, state.clock.now()).await?;
            Ok(see_other(&event_url(event.id)))
        }
    }
}

async fn edit_form(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(event_id): Path<String>,
) -> Result<Response, PageError> {
    let event = owned(&state, &session, &event_id).await?;
    Ok(form_page(&session, StatusCode::OK, "edit", &EventForm::of(&event), BTreeMap::new(), Some(&event)))
}

async fn update(
    State(state): State<AppState>,
    session: OrganiserSession,
    headers: HeaderMap,
    Path(event_id): Path<String>,
    Form(form): Form<EventForm>,
) -> Result<Response, PageError> {
    session.check_form(&headers, &form.csrf)?;
    let event = owned(&state, &session, &event_id).await?;
    match crate::http::events::change_event(&state, session.organiser.id, event.id, |_| form.fields()).await {
        Ok(event) => Ok(see_other(&event_url(event.id))),
        Err(ApiError::Validation { fields }) => {
            Ok(form_page(&session, StatusCode::UNPROCESSABLE_ENTITY, "edit", &form, fields, Some(&event)))
        }
        Err(err) => Err(PageError::from(err).in_language(session.language)),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    csrf: String,
}

async fn publish(
    State(state): State<AppState>,
    session: OrganiserSession,
    headers: HeaderMap,
    Path(event_id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Result<Response, PageError> {
    status_change(state, session, headers, event_id, form, EventStatus::Published).await
}

async fn cancel(
    State(state): State<AppState>,
    session: OrganiserSession,
    headers: HeaderMap,
    Path(event_id): Path<String>,
    Form(form): Form<ActionForm>,
) -> Result<Response, PageError> {
    status_change(state, session, headers, event_id, form, EventStatus::Cancelled).await
}

async fn status_change(
    state: AppState,
    session: OrganiserSession,
    headers: HeaderMap,
    event_id: String,
    form: ActionForm,
    target: EventStatus,
) -> Result<Response, PageError> {
    session.check_form(&headers, &form.csrf)?;
    let event = owned(&state, &session, &event_id).await?;
    crate::http::events::change_status(&state, session.organiser.id, event.id, target)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    Ok(see_other(&event_url(event.id)))
}

/// "Nudges on 5 and 9 March, answers close on 10 March, reminder on 11
/// March, thank-you on 12 March at 12:30": the plan in her words.
pub fn plan_sentence(event: &Event, language: Language) -> String {
    let details = &event.details;
    let slots = details.plan.slots(&details.schedule);
    let day = |at: DateTime<Utc>| {
        let local = at.with_timezone(&details.schedule.time_zone);
        let locale = if language == Language::Fr { chrono::Locale::fr_FR } else { chrono::Locale::en_GB };
        local.format_localized("%-d %B", locale).to_string()
    };
    let nudges: Vec<String> = slots.iter().filter(|s| s.kind == SlotKind::Nudge).map(|s| day(s.due_at)).collect();
    let (and, on, at) = match language {
        Language::Fr => (" et ", "le ", " à "),
        Language::En => (" and ", "on ", " at "),
    };
    let mut parts = Vec::new();
    if !nudges.is_empty() {
        // "5 and 9 March" when they share a month, else "28 February and 3 March".
        let month_of = |d: &str| d.split_once(' ').map(|(_, month)| month.to_owned()).unwrap_or_default();
        let same_month = nudges.iter().all(|d| month_of(d) == month_of(&nudges[0]));
        let mut items: Vec<String> = if same_month {
            nudges.iter().map(|d| d.split_once(' ').map_or(d.clone(), |(n, _)| n.to_owned())).collect()
        } else {
            nudges.clone()
        };
        let last = items.pop().unwrap_or_default();
        let last = if same_month { format!("{last} {}", month_of(&nudges[0])) } else { last };
        let joined = if items.is_empty() { last } else { format!("{}{and}{last}", items.join(", ")) };
        parts.push(match language {
            Language::Fr => format!("relances {on}{joined}"),
            Language::En => format!("nudges {on}{joined}"),
        });
    }
    let closes = day(details.answers_close_at());
    parts.push(match language {
        Language::Fr => format!("réponses closes {on}{closes}"),
        Language::En => format!("answers close {on}{closes}"),
    });
    for slot in &slots {
        match slot.kind {
            SlotKind::Reminder => parts.push(match language {
                Language::Fr => format!("rappel {on}{}", day(slot.due_at)),
                Language::En => format!("reminder {on}{}", day(slot.due_at)),
            }),
            SlotKind::FollowUp => {
                let time = local_time(slot.due_at, event);
                parts.push(match language {
                    Language::Fr => format!("remerciement {on}{}{at}{time}", day(slot.due_at)),
                    Language::En => format!("thank-you {on}{}{at}{time}", day(slot.due_at)),
                });
            }
            SlotKind::Nudge => {}
        }
    }
    let mut sentence = parts.join(", ");
    if let Some(first) = sentence.get(..1) {
        sentence = first.to_uppercase() + &sentence[1..];
    }
    sentence.push('.');
    sentence
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
    waitlist_position: Option<u32>,
    checked_in: bool,
    walk_in: bool,
    unsubscribed: bool,
    email_status: Option<EmailStatus>,
}

#[derive(Serialize)]
struct EventUrls {
    edit: String,
    publish: String,
    cancel: String,
    check_in: String,
    results: String,
    export: String,
    import: String,
    preview: String,
    guests_base: String,
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
}

/// The event page, optionally with the report of an import just made.
pub async fn event_page(
    state: &AppState,
    session: &OrganiserSession,
    event: &Event,
    status: StatusCode,
    import_report: Option<ImportReportView>,
    flash: Option<String>,
) -> Result<Response, PageError> {
    let counts = storage::events::counts(&*state.db, &[event.id]).await?.remove(&event.id).unwrap_or_default();
    let views = guest_views(state, session.organiser.id, event).await?;
    let guests = views
        .into_iter()
        .map(|view| GuestRow {
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
        })
        .collect();
    let base = event_url(event.id);
    let details = &event.details;
    let links = crate::mail::dispatch::Links::new(&state.settings.public_url);
    let page = EventPage {
        event: EventSummary {
            id: event.id,
            title: details.title.clone(),
            status: event.status.as_str(),
            date_local: local_date(details.schedule.starts_at, event, session.language),
            start_time_local: local_time(details.schedule.starts_at, event),
            end_time_local: local_time(details.schedule.ends_at, event),
            time_zone: details.schedule.time_zone.name().to_owned(),
            venue_name: details.venue.name.clone(),
            venue_address: details.venue.address.clone(),
            public_url: details.open_registration.then(|| links.public_event(event.id)),
            plan_sentence: plan_sentence(event, session.language),
            is_today: {
                let zone = details.schedule.time_zone;
                details.schedule.starts_at.with_timezone(&zone).date_naive()
                    == state.clock.now().with_timezone(&zone).date_naive()
            },
        },
        summary: crate::http::views::SummaryView::new(event, counts),
        guests,
        urls: EventUrls {
            edit: format!("{base}/edit"),
            publish: format!("{base}/publish"),
            cancel: format!("{base}/cancel"),
            check_in: format!("{base}/check-in"),
            results: format!("{base}/results"),
            export: format!("{base}/guests.csv"),
            import: format!("{base}/guests/import"),
            preview: format!("{base}/preview"),
            guests_base: format!("{base}/guests"),
        },
        import_report,
        flash,
    };
    Ok(session.page("dashboard/event.html", status, &page))
}

async fn show(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(event_id): Path<String>,
) -> Result<Response, PageError> {
    let event = owned(&state, &session, &event_id).await?;
    event_page(&state, &session, &event, StatusCode::OK, None, None).await
}

#[derive(Debug, Default, Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    answer: String,
    #[serde(default)]
    companions: String,
    #[serde(default)]
    csrf: String,
}

/// An answer she records for a guest who phoned.
async fn set_answer(
    State(state): State<AppState>,
    session: OrganiserSession,
    headers: HeaderMap,
    Path((event_id, guest_id)): Path<(String, String)>,
    Form(form): Form<AnswerForm>,
) -> Result<Response, PageError> {
    session.check_form(&headers, &form.csrf)?;
    let event = owned(&state, &session, &event_id).await?;
    let guest_id = id_of(&guest_id, session.language)?;
    let Some(answer) = Answer::parse(&form.answer) else {
        return event_page(
            &state,
            &session,
            &event,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            Some(crate::http::pages::word(session.language, "error_answer_required")),
        )
        .await;
    };
    let companions = form.companions.trim().parse::<i64>().unwrap_or(0);
    let answerer = Answerer::Organiser { organiser_id: session.organiser.id, event_id: event.id, guest_id };
    let parse = |_: &Event| {
        Reply::parse(answer, companions, "", MAX_COMPANIONS_BY_ORGANISER as u32).map_err(ApiError::validation)
    };
    match storage::answers::record(&state.db, answerer, parse, state.clock.now()).await {
        Ok(_) => {
            state.wake_mail();
            Ok(see_other(&format!("{}#guests", event_url(event.id))))
        }
        Err(ApiError::NotFound(_)) => Err(PageError::not_found().in_language(session.language)),
        Err(err @ (ApiError::Validation { .. } | ApiError::Conflict { .. })) => {
            event_page(&state, &session, &event, StatusCode::CONFLICT, None, Some(err.to_string())).await
        }
        Err(err) => Err(PageError::from(err).in_language(session.language)),
    }
}

/// Sends her invitation again (a lost email, a new address).
async fn resend(
    State(state): State<AppState>,
    session: OrganiserSession,
    headers: HeaderMap,
    Path((event_id, guest_id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, PageError> {
    session.check_form(&headers, &form.csrf)?;
    let event = owned(&state, &session, &event_id).await?;
    let guest_id = id_of(&guest_id, session.language)?;
    storage::guests::find_in_event(&*state.db, event.id, guest_id)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    if event.status != EventStatus::Published {
        let message = crate::http::pages::word(session.language, "error_not_open_yet");
        return event_page(&state, &session, &event, StatusCode::CONFLICT, None, Some(message)).await;
    }
    let now = state.clock.now();
    // Each resend is its own outbox row: the slot is its time.
    let slot = format!("resend:{}", now.timestamp_millis());
    storage::outbox::enqueue_for_guests(
        &*state.db,
        &event,
        MailKind::Invitation,
        &slot,
        Audience::Only(vec![guest_id]),
        now,
        now,
    )
    .await?;
    state.wake_mail();
    Ok(see_other(&format!("{}#guests", event_url(event.id))))
}

async fn remove(
    State(state): State<AppState>,
    session: OrganiserSession,
    headers: HeaderMap,
    Path((event_id, guest_id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, PageError> {
    session.check_form(&headers, &form.csrf)?;
    let event = owned(&state, &session, &event_id).await?;
    let guest_id = id_of(&guest_id, session.language)?;
    storage::guests::remove(&state.db, &event, guest_id, state.clock.now())
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    state.wake_mail();
    Ok(see_other(&format!("{}#guests", event_url(event.id))))
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
    session: OrganiserSession,
    Path(event_id): Path<String>,
) -> Result<Response, PageError> {
    let event = owned(&state, &session, &event_id).await?;
    let guests = storage::guests::list(&state.db, event.id).await?;
    let mut languages: Vec<Language> =
        guests.iter().map(|(g, _)| g.language.unwrap_or(event.details.language)).collect();
    languages.push(event.details.language);
    languages.sort_by_key(|l| l.as_str());
    languages.dedup();
    let mut emails = Vec::new();
    // Loaded once for the page's dozen renders.
    let templates = crate::mail::templates::Templates::embedded();
    for kind in [
        MailKind::Invitation,
        MailKind::Nudge,
        MailKind::Reminder,
        MailKind::ThankYou,
        MailKind::Update,
        MailKind::Cancellation,
    ] {
        for &language in &languages {
            let rendered = crate::mail::preview::render(
                &templates,
                &state.settings.public_url,
                &session.organiser,
                &event,
                kind,
                language,
            )
            .map_err(|e| PageError::from(ApiError::Internal(e)).in_language(session.language))?;
            emails.push(PreviewEmail {
                step: crate::http::pages::word(session.language, &format!("d_mail_{}", kind.as_str())),
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

/// The guest list with answers and check-ins, as a CSV a spreadsheet opens
/// cleanly (the same file as the API's `guests.csv`).
async fn export(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(event_id): Path<String>,
) -> Result<Response, PageError> {
    use axum::response::IntoResponse;
    let event = owned(&state, &session, &event_id).await?;
    let rows = storage::guest_lists::export_rows(&state.db, session.organiser.id, event.id).await?;
    let file = crate::domain::guest_list::export_file_name(&event.details.title);
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
            (axum::http::header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        crate::domain::guest_list::export_csv(&rows),
    )
        .into_response())
}
