//! Her series on the dashboard: the list and a new series around one of her
//! events; a series' page with its dates (invited / yes / came, and a bar
//! per date), the next date in one tap, "invite the community" (asked
//! first: it emails), and the community with who really comes.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::confirm::{self, Confirmation, counted};
use super::event_page::ImportReportView;
use super::events::event_url;
use super::extract::{CheckedForm, OwnedEvent};
use super::{ActionForm, OrganiserSession, see_other_saying};
use crate::app::access::Action;
use crate::app::community::MemberWithHistory;
use crate::app::{self, AppError};
use crate::domain::community::MemberStatus;
use crate::domain::series::SeriesFields;
use crate::http::AppState;
use crate::http::extract::Path;
use crate::http::pages::{PageError, word};
use crate::i18n::{Arg, text};
use crate::mail::context::{local_date, local_date_in, local_time, local_time_in};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard/series", get(list).post(create))
        .route("/dashboard/series/{series_id}", get(show))
        .route("/dashboard/series/{series_id}/dates", axum::routing::post(next_date))
        .route("/dashboard/series/{series_id}/community.csv", get(export))
        .route("/dashboard/events/{event_id}/invite-community", get(confirm_invite).post(invite))
        .route("/dashboard/events/{event_id}/duplicate", axum::routing::post(duplicate))
}

pub fn series_url(series_id: Uuid) -> String {
    format!("/dashboard/series/{series_id}")
}

#[derive(Serialize)]
struct SeriesRow {
    name: String,
    url: String,
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
}

#[derive(Serialize)]
struct SeriesListPage {
    series: Vec<SeriesRow>,
    events: Vec<Choice>,
    rules: Vec<Choice>,
    /// The event picked from its page ("make it a series").
    first_date: Option<String>,
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    first_date: Option<Uuid>,
}

async fn list(
    State(state): State<AppState>,
    session: OrganiserSession,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    let refused = |e: AppError| PageError::from(e).in_language(session.language);
    let series = app::series::list(&state, session.organiser.id).await.map_err(refused)?;
    let events = app::events::overview(&state, session.organiser.id).await.map_err(refused)?;
    let language = session.language;
    let page = SeriesListPage {
        series: series.into_iter().map(|s| SeriesRow { url: series_url(s.id), name: s.settings.name }).collect(),
        // Only an event not yet in a series can be a first date.
        events: events
            .iter()
            .filter(|(e, _)| e.series_id.is_none())
            .map(|(e, _)| Choice {
                value: e.id.to_string(),
                label: format!("{} · {}", e.details.title, local_date(e.details.schedule.starts_at, e, language)),
            })
            .collect(),
        rules: ["monthly", "weekly", "fortnightly"]
            .iter()
            .map(|r| Choice { value: (*r).to_owned(), label: word(language, &format!("d_series_rule_{r}")) })
            .collect(),
        first_date: query.first_date.map(|id| id.to_string()),
    };
    Ok(session.page("dashboard/series_list.html", StatusCode::OK, &page))
}

#[derive(Debug, Deserialize)]
struct NewSeriesForm {
    name: String,
    first_date: String,
    rule: String,
}

async fn create(
    State(state): State<AppState>,
    session: OrganiserSession,
    CheckedForm(form): CheckedForm<NewSeriesForm>,
) -> Result<Response, PageError> {
    let refused = |e: AppError| PageError::from(e).in_language(session.language);
    let (rule, every) = match form.rule.as_str() {
        "weekly" => ("weekly", None),
        "fortnightly" => ("every_n_weeks", Some(2)),
        _ => ("monthly_nth_weekday", None),
    };
    let fields = SeriesFields {
        name: form.name,
        rule: rule.to_owned(),
        every,
        nth: None,
        walk_ins_join: true,
        late_cancellation_hours: 24,
    };
    let first = Uuid::parse_str(form.first_date.trim()).ok();
    let series = app::series::create(&state, session.organiser.id, fields, first).await.map_err(refused)?;
    Ok(see_other_saying(&state, &series_url(series.id), &word(session.language, "d_flash_series_created")))
}

#[derive(Serialize)]
struct DateRow {
    title: String,
    url: String,
    date_local: String,
    time_local: String,
    status: &'static str,
    invited: u64,
    yes: u64,
    came: u64,
    /// The bar's length, in percent of the longest list.
    came_width: u64,
    invited_width: u64,
    /// "3 came of 6 invited", for the bar's text.
    bar_label: String,
    invite_url: Option<String>,
}

#[derive(Serialize)]
struct MemberRow {
    url: String,
    name: String,
    email: String,
    left: bool,
    joined: String,
    came: String,
    no_shows: u32,
    late: u32,
}

#[derive(Serialize)]
struct SortLink {
    label: String,
    url: String,
    current: bool,
}

#[derive(Serialize)]
struct SeriesPage {
    flash: Option<String>,
    export_url: String,
    name: String,
    rule: String,
    settings_url: String,
    /// Its team's page, for its owner only.
    team_url: Option<String>,
    dates: Vec<DateRow>,
    next_url: String,
    next_suggested: Option<String>,
    members: Vec<MemberRow>,
    sorts: Vec<SortLink>,
    import_url: String,
    add_member_url: String,
    import_report: Option<ImportReportView>,
    flash_error: Option<String>,
}

#[derive(Debug, Deserialize)]
struct SortQuery {
    sort: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(series_id): Path<Uuid>,
    Query(query): Query<SortQuery>,
) -> Result<Response, PageError> {
    let sort = query.sort.as_deref().unwrap_or("name");
    series_page(&state, &session, series_id, sort, Answered::default()).await
}

/// What the series page shows beyond the series: the report of a community
/// import, or what went wrong with what she just did.
#[derive(Default)]
pub struct Answered {
    pub import_report: Option<ImportReportView>,
    pub error: Option<String>,
    pub status: Option<StatusCode>,
}

pub async fn series_page(
    state: &AppState,
    session: &OrganiserSession,
    series_id: Uuid,
    sort: &str,
    answered: Answered,
) -> Result<Response, PageError> {
    let language = session.language;
    let refused = |e: AppError| PageError::from(e).in_language(language);
    let app::series::Overview { series, role, dates, defaults, next_start } =
        app::series::overview(state, session.organiser.id, series_id).await.map_err(refused)?;
    let (_, mut members) = app::community::list(state, session.organiser.id, series_id).await.map_err(refused)?;
    let most = dates.iter().map(|(_, c)| c.invited + c.walk_ins).max().unwrap_or(0).max(1);
    let rows = dates
        .iter()
        .map(|(event, c)| DateRow {
            title: event.details.title.clone(),
            url: event_url(event.id),
            date_local: local_date(event.details.schedule.starts_at, event, language),
            time_local: local_time(event.details.schedule.starts_at, event),
            status: event.status.as_str(),
            invited: c.invited,
            yes: c.yes,
            came: c.came,
            came_width: c.came * 100 / most,
            invited_width: (c.invited + c.walk_ins) * 100 / most,
            bar_label: text(
                language,
                "d_series_bar",
                &[("came", Arg::from(c.came)), ("invited", Arg::from(c.invited + c.walk_ins))],
            ),
            invite_url: (event.status != crate::domain::event::EventStatus::Cancelled)
                .then(|| format!("/dashboard/events/{}/invite-community", event.id)),
        })
        .collect();
    let next_suggested = next_start.zip(defaults.as_ref()).map(|(at, d)| {
        format!("{}, {}", local_date_in(at, d.schedule.time_zone, language), local_time_in(at, d.schedule.time_zone))
    });
    sort_members(&mut members, sort);
    let base = series_url(series.id);
    let sorts = ["name", "came", "no_shows"]
        .iter()
        .map(|key| SortLink {
            label: word(language, &format!("d_sort_{key}")),
            url: format!("{base}?sort={key}"),
            current: *key == sort,
        })
        .collect();
    let weekday = defaults.as_ref().map(|d| {
        use chrono::Datelike;
        d.schedule.starts_at.with_timezone(&d.schedule.time_zone).weekday()
    });
    let page = SeriesPage {
        flash: session.flash.clone(),
        export_url: format!("{base}/community.csv"),
        name: series.settings.name.clone(),
        rule: super::series_settings::rule_sentence(series.settings.recurrence, weekday, language),
        settings_url: format!("{base}/settings"),
        team_url: role.may_on_series(Action::Own).then(|| crate::links::path::dashboard_series_team(series.id)),
        dates: rows,
        next_url: format!("{base}/dates"),
        next_suggested,
        members: members.iter().map(|m| member_row(m, &base, language)).collect(),
        sorts,
        import_url: format!("{base}/community/import"),
        add_member_url: format!("{base}/members"),
        import_report: answered.import_report,
        flash_error: answered.error,
    };
    Ok(session.page("dashboard/series.html", answered.status.unwrap_or(StatusCode::OK), &page))
}

/// By name; or those who come most (or miss most) first.
fn sort_members(members: &mut [MemberWithHistory], sort: &str) {
    let name = |m: &MemberWithHistory| {
        if m.member.name.is_empty() { m.member.email.to_string() } else { m.member.name.to_lowercase() }
    };
    match sort {
        "came" => members.sort_by_key(|m| (std::cmp::Reverse(m.tally.came), name(m))),
        "no_shows" => members.sort_by_key(|m| (std::cmp::Reverse(m.tally.no_shows), name(m))),
        _ => members.sort_by_key(name),
    }
}

fn member_row(m: &MemberWithHistory, base: &str, language: crate::domain::event::Language) -> MemberRow {
    MemberRow {
        url: format!("{base}/members/{}", m.member.id),
        name: m.member.name.clone(),
        email: m.member.email.to_string(),
        left: m.member.status == MemberStatus::Left,
        joined: word(language, &format!("d_joined_{}", m.member.joined_how.as_str())),
        // "3 of 4": a count, never a bare percentage.
        came: text(
            language,
            "d_series_came_of",
            &[("came", Arg::from(m.tally.came)), ("dates", Arg::from(m.tally.dates))],
        ),
        no_shows: m.tally.no_shows,
        late: m.tally.late_cancellations,
    }
}

async fn next_date(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(series_id): Path<Uuid>,
    CheckedForm(_): CheckedForm<ActionForm>,
) -> Result<Response, PageError> {
    let copy = app::series::Copy::default();
    let event = app::series::next_date(&state, session.organiser.id, series_id, copy)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    Ok(see_other_saying(&state, &event_url(event.id), &word(session.language, "d_flash_date_added")))
}

/// Asks first: inviting emails everyone added, if the date is published.
async fn confirm_invite(
    State(state): State<AppState>,
    OwnedEvent { session, event }: OwnedEvent,
) -> Result<Response, PageError> {
    let language = session.language;
    let reach = app::community::invite_reach(&state, session.organiser.id, &event)
        .await
        .map_err(|e| PageError::from(e).in_language(language))?;
    let key = if event.status == crate::domain::event::EventStatus::Published {
        "d_confirm_invite_reach_published"
    } else {
        "d_confirm_invite_reach_draft"
    };
    let back = event.series_id.map_or_else(|| event_url(event.id), series_url);
    let confirmation = Confirmation {
        question: text(language, "d_confirm_invite_question", &[("title", Arg::Text(event.details.title.clone()))]),
        reach: counted(&session, reach, key),
        details: vec![word(language, "d_confirm_invite_left")],
        action: format!("/dashboard/events/{}/invite-community", event.id),
        fields: Vec::new(),
        button: word(language, "d_series_invite"),
        danger: false,
        back_url: back,
        back_label: word(language, "d_back"),
        // From the series page she goes back there, not to the date.
        back_top: event.series_id.map(|_| word(language, "d_back")),
        back_to_form: None,
    };
    Ok(confirm::page(&session, &confirmation))
}

async fn invite(
    State(state): State<AppState>,
    OwnedEvent { session, event }: OwnedEvent,
    CheckedForm(_): CheckedForm<ActionForm>,
) -> Result<Response, PageError> {
    let added = app::community::invite(&state, session.organiser.id, event.id)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    let back = event.series_id.map_or_else(|| event_url(event.id), series_url);
    Ok(see_other_saying(&state, &back, &counted(&session, added, "d_flash_community_invited")))
}

/// The community as a spreadsheet, in her language.
async fn export(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(series_id): Path<Uuid>,
) -> Result<Response, PageError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    let (name, file) = app::community::export(&state, session.organiser.id, series_id, session.language)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        file,
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
struct DuplicateForm {
    #[serde(default)]
    with_guests: Option<String>,
}

/// "The same, next month": a draft copy, opened in the form to check its date.
async fn duplicate(
    State(state): State<AppState>,
    OwnedEvent { session, event }: OwnedEvent,
    CheckedForm(form): CheckedForm<DuplicateForm>,
) -> Result<Response, PageError> {
    let copy = app::series::Copy { starts_at: None, with_guests: form.with_guests.is_some() };
    let copied = app::series::duplicate(&state, session.organiser.id, event.id, copy)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    let edit = format!("{}/edit", event_url(copied.id));
    Ok(see_other_saying(&state, &edit, &word(session.language, "d_flash_duplicated")))
}
