//! A series' settings on the dashboard: its name, its rhythm (every rule the
//! series knows, in words with the weekday of its dates), whether walk-ins
//! join its community, what counts as a late cancellation; and the
//! defaults its new dates start from (the event form, on a model date).

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::Weekday;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::event_form::{EventForm, defaults_page, field_messages};
use super::events::event_url;
use super::extract::{CheckedForm, OwnedEvent};
use super::series::series_url;
use super::{ActionForm, OrganiserSession, see_other_saying};
use crate::app::{self, AppError};
use crate::domain::FieldErrors;
use crate::domain::event::Language;
use crate::domain::series::{MAX_LATE_CANCELLATION_HOURS, MAX_WEEKS, Rank, Recurrence, Series, SeriesFields};
use crate::http::AppState;
use crate::http::extract::Path;
use crate::http::pages::{PageError, word};
use crate::i18n::{Arg, text};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dashboard/series/{series_id}/settings", get(settings_form).post(save_settings))
        .route("/dashboard/series/{series_id}/defaults", get(defaults_form).post(save_defaults))
        .route("/dashboard/events/{event_id}/series-defaults", post(defaults_from_date))
}

/// The rhythm in her words: "Le premier jeudi de chaque mois".
pub fn rule_sentence(recurrence: Recurrence, weekday: Option<Weekday>, language: Language) -> String {
    match recurrence {
        Recurrence::Weeks(1) => word(language, "d_rule_weekly"),
        Recurrence::Weeks(n) => text(language, "d_rule_every_n_weeks", &[("n", Arg::from(u64::from(n)))]),
        Recurrence::MonthlyOn(None) => word(language, "d_rule_monthly_same"),
        Recurrence::MonthlyOn(Some(rank)) => {
            let rank = match rank {
                Rank::Nth(n) => word(language, &format!("d_rank_{n}")),
                Rank::Last => word(language, "d_rank_last"),
            };
            match weekday {
                Some(day) => text(
                    language,
                    "d_rule_monthly_nth",
                    &[("rank", Arg::Text(rank)), ("weekday", Arg::Text(weekday_name(day, language)))],
                ),
                None => text(language, "d_rule_monthly_nth_day", &[("rank", Arg::Text(rank))]),
            }
        }
    }
}

fn weekday_name(day: Weekday, language: Language) -> String {
    word(language, &format!("d_weekday_{}", day.num_days_from_monday()))
}

/// The rules she can pick, as the form's choices.
fn rule_choices(weekday: Option<Weekday>, language: Language) -> Vec<RuleChoice> {
    let mut rules = vec![
        ("monthly".to_owned(), Recurrence::MonthlyOn(None)),
        ("weekly".to_owned(), Recurrence::Weeks(1)),
        ("weeks".to_owned(), Recurrence::Weeks(2)),
    ];
    for n in 1..=4 {
        rules.push((format!("monthly_{n}"), Recurrence::MonthlyOn(Some(Rank::Nth(n)))));
    }
    rules.push(("monthly_last".to_owned(), Recurrence::MonthlyOn(Some(Rank::Last))));
    rules
        .into_iter()
        .map(|(value, recurrence)| {
            let label = if value == "weeks" {
                word(language, "d_rule_every_few_weeks")
            } else {
                rule_sentence(recurrence, weekday, language)
            };
            RuleChoice { value, label }
        })
        .collect()
}

/// The form's value for a rule, and N weeks.
fn rule_value(recurrence: Recurrence) -> (String, u32) {
    match recurrence {
        Recurrence::Weeks(1) => ("weekly".to_owned(), 2),
        Recurrence::Weeks(n) => ("weeks".to_owned(), n),
        Recurrence::MonthlyOn(None) => ("monthly".to_owned(), 2),
        Recurrence::MonthlyOn(Some(Rank::Nth(n))) => (format!("monthly_{n}"), 2),
        Recurrence::MonthlyOn(Some(Rank::Last)) => ("monthly_last".to_owned(), 2),
    }
}

#[derive(Serialize)]
struct RuleChoice {
    value: String,
    label: String,
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct SettingsForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    rule: String,
    #[serde(default)]
    every: String,
    #[serde(default)]
    walk_ins_join: Option<String>,
    #[serde(default)]
    late_cancellation_hours: String,
}

impl SettingsForm {
    fn of(series: &Series) -> Self {
        let (rule, every) = rule_value(series.settings.recurrence);
        Self {
            name: series.settings.name.clone(),
            rule,
            every: every.to_string(),
            walk_ins_join: series.settings.walk_ins_join.then(|| "on".to_owned()),
            late_cancellation_hours: series.settings.late_cancellation_hours.to_string(),
        }
    }

    /// As the rules read them; what is not a number is left for them to refuse.
    fn fields(&self) -> SeriesFields {
        let number = |raw: &str| raw.trim().parse::<i64>().unwrap_or(-1);
        let (rule, every, nth) = match self.rule.as_str() {
            "weekly" => ("weekly", None, None),
            "weeks" => ("every_n_weeks", Some(number(&self.every)), None),
            "monthly_last" => ("monthly_nth_weekday", None, Some(-1)),
            other => match other.strip_prefix("monthly_") {
                Some(n) => ("monthly_nth_weekday", None, Some(number(n))),
                None if other == "monthly" => ("monthly_nth_weekday", None, None),
                None => (other, None, None),
            },
        };
        SeriesFields {
            name: self.name.clone(),
            rule: rule.to_owned(),
            every,
            nth,
            walk_ins_join: self.walk_ins_join.is_some(),
            late_cancellation_hours: number(&self.late_cancellation_hours),
        }
    }
}

#[derive(Serialize)]
struct SettingsPage<'a> {
    form: &'a SettingsForm,
    field_errors: std::collections::BTreeMap<String, String>,
    rules: Vec<RuleChoice>,
    action: String,
    back_url: String,
    defaults_url: String,
    max_weeks: u32,
    max_hours: u32,
}

async fn weekday_of(state: &AppState, session: &OrganiserSession, series_id: Uuid) -> Option<Weekday> {
    use chrono::Datelike;
    let (_, defaults) = app::series::defaults(state, session.organiser.id, series_id).await.ok()?;
    Some(defaults.schedule.starts_at.with_timezone(&defaults.schedule.time_zone).weekday())
}

async fn render_settings(
    state: &AppState,
    session: &OrganiserSession,
    series_id: Uuid,
    status: StatusCode,
    form: &SettingsForm,
    errors: FieldErrors,
) -> Response {
    let base = series_url(series_id);
    let page = SettingsPage {
        form,
        field_errors: field_messages(errors, session.language),
        rules: rule_choices(weekday_of(state, session, series_id).await, session.language),
        action: format!("{base}/settings"),
        defaults_url: format!("{base}/defaults"),
        back_url: base,
        max_weeks: MAX_WEEKS,
        max_hours: MAX_LATE_CANCELLATION_HOURS,
    };
    session.page("dashboard/series_settings.html", status, &page)
}

async fn settings_form(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(series_id): Path<Uuid>,
) -> Result<Response, PageError> {
    let series = app::series::get(&state, session.organiser.id, series_id)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    let form = SettingsForm::of(&series);
    Ok(render_settings(&state, &session, series.id, StatusCode::OK, &form, FieldErrors::default()).await)
}

async fn save_settings(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(series_id): Path<Uuid>,
    CheckedForm(form): CheckedForm<SettingsForm>,
) -> Result<Response, PageError> {
    match app::series::change(&state, session.organiser.id, series_id, |_| form.fields()).await {
        Ok(series) => {
            Ok(see_other_saying(&state, &series_url(series.id), &word(session.language, "d_flash_series_saved")))
        }
        Err(AppError::Invalid(errors)) => {
            Ok(render_settings(&state, &session, series_id, StatusCode::UNPROCESSABLE_ENTITY, &form, errors).await)
        }
        Err(err) => Err(PageError::from(err).in_language(session.language)),
    }
}

async fn defaults_form(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(series_id): Path<Uuid>,
) -> Result<Response, PageError> {
    let refused = |e: AppError| PageError::from(e).in_language(session.language);
    let series = app::series::get(&state, session.organiser.id, series_id).await.map_err(refused)?;
    let form = match app::series::defaults(&state, session.organiser.id, series_id).await {
        Ok((_, defaults)) => EventForm::of_details(&defaults),
        Err(AppError::NotFound(_)) => EventForm::defaults(session.language),
        Err(err) => return Err(refused(err)),
    };
    Ok(defaults_page(&session, StatusCode::OK, &form, FieldErrors::default(), &series))
}

async fn save_defaults(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(series_id): Path<Uuid>,
    CheckedForm(mut form): CheckedForm<EventForm>,
) -> Result<Response, PageError> {
    let refused = |e: AppError| PageError::from(e).in_language(session.language);
    let series = app::series::get(&state, session.organiser.id, series_id).await.map_err(refused)?;
    // No guest answers a series' defaults: nothing to count.
    if form.question_button() {
        return Ok(defaults_page(&session, StatusCode::OK, &form, FieldErrors::default(), &series));
    }
    match app::series::change_defaults(&state, session.organiser.id, series_id, |current| form.fields_keeping(current))
        .await
    {
        Ok(_) => Ok(see_other_saying(
            &state,
            &series_url(series.id),
            &word(session.language, "d_flash_series_defaults_saved"),
        )),
        Err(AppError::Invalid(errors)) => {
            Ok(defaults_page(&session, StatusCode::UNPROCESSABLE_ENTITY, &form, errors, &series))
        }
        Err(err) => Err(refused(err)),
    }
}

/// "Use this date's settings for the next dates".
async fn defaults_from_date(
    State(state): State<AppState>,
    OwnedEvent { session, event }: OwnedEvent,
    CheckedForm(_): CheckedForm<ActionForm>,
) -> Result<Response, PageError> {
    match app::series::defaults_from_date(&state, session.organiser.id, event.id).await {
        Ok(_) => Ok(see_other_saying(
            &state,
            &event_url(event.id),
            &word(session.language, "d_flash_series_defaults_from_date"),
        )),
        Err(err) => Err(PageError::from(err).in_language(session.language)),
    }
}
