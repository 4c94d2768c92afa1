//! Series: the dates of a recurring event. A series is created around a
//! first date (an ordinary event of hers), whose settings become the
//! series' defaults; each new date starts from those defaults, on the day
//! the series' rule suggests. The defaults are hers to change, by hand or
//! from any date. Any event, in a series or not, can also be duplicated.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::access::{self, Action, Role};
use super::{App, AppError, Happening, Result};
use crate::domain::community::JoinedHow;
use crate::domain::event::{Event, EventDetails, EventFields, parse_instant};
use crate::domain::guest::NewGuest;
use crate::domain::series::{Recurrence, Series, SeriesFields, SeriesSettings, moved, next_date_start};
use crate::storage::events::Counts;
use crate::storage::{self};

/// Creates a series; `first_date`, if given, becomes its first date.
pub async fn create(app: &App, organiser_id: Uuid, fields: SeriesFields, first_date: Option<Uuid>) -> Result<Series> {
    let settings = SeriesSettings::try_from(fields).map_err(AppError::Invalid)?;
    // The first date's list is where the community starts: those already
    // invited to it (or met at its door) are its first members.
    let guests = match first_date {
        Some(event_id) => {
            let event = storage::events::find_owned(&*app.db, organiser_id, event_id).await?;
            storage::guests::list(&app.db, event.id).await?
        }
        None => Vec::new(),
    };
    let now = app.now();
    let work = app.begin().await?;
    let series = storage::series::insert(&*work, organiser_id, &settings, now).await?;
    if let Some(event_id) = first_date {
        let event = storage::events::lock_owned(&*work, organiser_id, event_id).await?;
        if event.series_id.is_some() {
            return Err(AppError::field("first_date", "is already a date of a series"));
        }
        storage::events::set_series(&*work, event.id, Some(series.id)).await?;
        storage::series::set_defaults(&*work, series.id, &event.details, now).await?;
        for (guest, _) in guests {
            let how = if guest.walk_in { JoinedHow::WalkIn } else { JoinedHow::Added };
            let person = NewGuest {
                email: guest.email,
                name: guest.name,
                first_name: guest.first_name,
                language: guest.language,
            };
            storage::community::join(&*work, series.id, &person, how, guest.created_at).await?;
        }
    }
    work.commit(app).await?;
    Ok(series)
}

/// Her series, or one she co-organises.
pub async fn get(app: &App, organiser_id: Uuid, series_id: Uuid) -> Result<Series> {
    Ok(access::series(app, organiser_id, series_id, Action::Manage).await?.0)
}

/// A series as its page shows it: its dates, earliest first, each with its
/// counts; its defaults; and when the next date would start.
pub struct Overview {
    pub series: Series,
    /// Hers on the series (what its page offers: the team to its owner only).
    pub role: Role,
    pub dates: Vec<(Event, Counts)>,
    pub defaults: Option<EventDetails>,
    pub next_start: Option<DateTime<Utc>>,
}

pub async fn overview(app: &App, organiser_id: Uuid, series_id: Uuid) -> Result<Overview> {
    let (series, role) = access::series(app, organiser_id, series_id, Action::Manage).await?;
    let dates = storage::events::of_series(&*app.db, series.id).await?;
    let defaults = storage::series::defaults(&*app.db, series.id).await?;
    let ids: Vec<Uuid> = dates.iter().map(|e| e.id).collect();
    let mut counts = storage::events::counts(&*app.db, &ids).await?;
    let next_start = defaults.as_ref().map(|d| {
        let latest = dates.last().map(|e| e.details.schedule.starts_at);
        next_date_start(series.settings.recurrence, &d.schedule, latest, app.now())
    });
    let dates = dates
        .into_iter()
        .map(|event| {
            let c = counts.remove(&event.id).unwrap_or_default();
            (event, c)
        })
        .collect();
    Ok(Overview { series, role, dates, defaults, next_start })
}

/// The defaults its new dates start from.
pub async fn defaults(app: &App, organiser_id: Uuid, series_id: Uuid) -> Result<(Series, EventDetails)> {
    let series = get(app, organiser_id, series_id).await?;
    let defaults = storage::series::defaults(&*app.db, series.id)
        .await?
        .ok_or(crate::storage::StorageError::NotFound(crate::storage::Missing::SeriesDefaults))?;
    Ok((series, defaults))
}

/// Changes the defaults of its new dates (`fields` builds them from the
/// current ones, or from nothing); dates already made keep their settings.
pub async fn change_defaults(
    app: &App,
    organiser_id: Uuid,
    series_id: Uuid,
    fields: impl FnOnce(Option<&EventDetails>) -> EventFields,
) -> Result<EventDetails> {
    let work = app.begin().await?;
    let (series, _) = access::series_in(&*work, organiser_id, series_id, Action::Manage).await?;
    let current = storage::series::defaults(&*work, series.id).await?;
    let details = EventDetails::try_from(fields(current.as_ref())).map_err(AppError::Invalid)?;
    let details = storage::series::set_defaults(&*work, series.id, &details, app.now()).await?;
    work.commit(app).await?;
    Ok(details)
}

/// "Use this date's settings for the next ones": one of the series' dates
/// becomes the model of its defaults.
pub async fn defaults_from_date(app: &App, organiser_id: Uuid, event_id: Uuid) -> Result<(Series, EventDetails)> {
    let now = app.now();
    let work = app.begin().await?;
    let event = access::lock_event(&*work, now, organiser_id, event_id, Action::Manage).await?;
    let series_id = event.series_id.ok_or_else(|| AppError::field("event", "is not a date of a series"))?;
    let (series, _) = access::series_in(&*work, organiser_id, series_id, Action::Manage).await?;
    let defaults = storage::series::set_defaults(&*work, series.id, &event.details, app.now()).await?;
    work.commit(app).await?;
    Ok((series, defaults))
}

/// Her series and those she co-organises, by name (a door helper's are
/// not hers to list: she keeps the doors of their dates only).
pub async fn list(app: &App, organiser_id: Uuid) -> Result<Vec<Series>> {
    let shared: Vec<Uuid> = storage::team::series_shared_with(&*app.db, organiser_id)
        .await?
        .into_iter()
        .filter(|(_, role)| *role == Role::CoOrganiser)
        .map(|(id, _)| id)
        .collect();
    Ok(storage::series::list_with(&*app.db, organiser_id, &shared).await?)
}

/// Changes a series' settings (`fields` builds the new ones from the current).
pub async fn change(
    app: &App,
    organiser_id: Uuid,
    series_id: Uuid,
    fields: impl FnOnce(&SeriesSettings) -> SeriesFields,
) -> Result<Series> {
    let work = app.begin().await?;
    let (current, _) = access::series_in(&*work, organiser_id, series_id, Action::Manage).await?;
    let settings = SeriesSettings::try_from(fields(&current.settings)).map_err(AppError::Invalid)?;
    let series = storage::series::update(&*work, current.id, &settings, app.now()).await?;
    work.commit(app).await?;
    Ok(series)
}

/// The form of a series' settings, from settings (for patches).
pub fn fields_of(settings: &SeriesSettings) -> SeriesFields {
    let (rule, every, nth) = settings.recurrence.parts();
    SeriesFields {
        name: settings.name.clone(),
        rule: rule.to_owned(),
        every: Some(i64::from(every)),
        nth: nth.map(i64::from),
        walk_ins_join: settings.walk_ins_join,
        late_cancellation_hours: i64::from(settings.late_cancellation_hours),
    }
}

/// How a copy of an event is made.
#[derive(Debug, Clone, Default)]
pub struct Copy {
    /// When the copy starts: an RFC 3339 instant or a local time in the
    /// event's zone; `None` is the date the rule suggests.
    pub starts_at: Option<String>,
    /// Whether its guests are invited to the copy too (afresh: no answers).
    pub with_guests: bool,
}

/// Adds the next date of a series: a draft from its defaults, on the day
/// the series' rule suggests unless `copy` says when.
pub async fn next_date(app: &App, organiser_id: Uuid, series_id: Uuid, copy: Copy) -> Result<Event> {
    let overview = overview(app, organiser_id, series_id).await?;
    let (Some(defaults), Some(start)) = (overview.defaults, overview.next_start) else {
        return Err(AppError::field(
            "series",
            "has no defaults yet: set them, or make one of your events its first date",
        ));
    };
    let start = match copy.starts_at.as_deref() {
        Some(raw) => {
            parse_instant(raw, defaults.schedule.time_zone).map_err(|problem| AppError::field("starts_at", problem))?
        }
        None => start,
    };
    let latest = overview.dates.last().map(|(event, _)| event);
    let guests = match latest {
        Some(latest) if copy.with_guests => storage::guests::list(&app.db, latest.id).await?,
        _ => Vec::new(),
    };
    // The date is the series owner's, whoever of its team adds it.
    insert_copy(app, overview.series.organiser_id, defaults, Some(series_id), start, guests).await
}

/// "The same, next month": a draft copy of one of her events with all its
/// settings, moved to `copy.starts_at` or to the date its series' rule (or,
/// outside a series, the same weekday next month) suggests.
pub async fn duplicate(app: &App, organiser_id: Uuid, event_id: Uuid, copy: Copy) -> Result<Event> {
    let event = storage::events::find_owned(&*app.db, organiser_id, event_id).await?;
    let recurrence = match event.series_id {
        Some(series_id) => storage::series::find(&*app.db, series_id).await?.settings.recurrence,
        None => Recurrence::MonthlyOn(None),
    };
    copy_event(app, &event, recurrence, copy).await
}

async fn copy_event(app: &App, source: &Event, recurrence: Recurrence, copy: Copy) -> Result<Event> {
    let zone = source.details.schedule.time_zone;
    let start: DateTime<Utc> = match copy.starts_at.as_deref() {
        Some(raw) => parse_instant(raw, zone).map_err(|problem| AppError::field("starts_at", problem))?,
        None => recurrence.next_start(source.details.schedule.starts_at, zone),
    };
    let guests = if copy.with_guests { storage::guests::list(&app.db, source.id).await? } else { Vec::new() };
    insert_copy(app, source.organiser_id, source.details.clone(), source.series_id, start, guests).await
}

/// A new draft with `details` moved to `start`, and `guests` invited afresh.
async fn insert_copy(
    app: &App,
    organiser_id: Uuid,
    mut details: EventDetails,
    series_id: Option<Uuid>,
    start: DateTime<Utc>,
    guests: Vec<(crate::domain::guest::Guest, Option<u32>)>,
) -> Result<Event> {
    details.schedule = moved(&details.schedule, start);
    let now = app.now();
    let mut work = app.begin().await?;
    let event = storage::events::insert_in_series(&*work, organiser_id, &details, series_id, now).await?;
    let people: Vec<NewGuest> = guests
        .into_iter()
        .map(|(guest, _)| NewGuest {
            email: guest.email,
            name: guest.name,
            first_name: guest.first_name,
            language: guest.language,
        })
        .collect();
    super::guests::insert_guests(&mut work, &event, &people, app, now).await?;
    work.happened(Happening::EventCreated { event: event.id });
    work.commit(app).await?;
    Ok(event)
}
