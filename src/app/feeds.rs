//! Calendar feeds: an organiser's events, and the events a guest said yes
//! to, each behind its own secret link.

use super::{App, AppError, Result};
use crate::domain::community::Member;
use crate::domain::event::{Event, EventStatus, Language};
use crate::domain::guest::Guest;
use crate::domain::series::Series;
use crate::domain::token::{verify_feed_token, verify_guest_feed_token, verify_series_feed_token};
use crate::storage::organisers::Organiser;
use crate::storage::{self, Missing};

/// Events in a feed: enough for years of monthly events.
const FEED_MOST_EVENTS: u64 = 1000;

/// The organiser of an event.
pub async fn organiser_of(app: &App, event: &Event) -> Result<Organiser> {
    storage::organisers::find_many(&*app.db, [event.organiser_id])
        .await?
        .pop()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("event {} has no organiser", event.id)))
}

/// The organiser whose feed link this is, and her events.
pub async fn organiser_feed(app: &App, token: &str) -> Result<(Organiser, Vec<Event>)> {
    let not_found = || AppError::NotFound(Missing::Feed);
    let organiser_id = verify_feed_token(&app.link_key, token).ok_or_else(not_found)?;
    let organiser = storage::organisers::find_many(&*app.db, [organiser_id]).await?.pop().ok_or_else(not_found)?;
    let events = storage::events::list(&app.db, organiser.id, FEED_MOST_EVENTS, 0).await?;
    Ok((organiser, events))
}

/// A guest's feed: the guest the link was made for, and every event of the
/// same organiser her address said yes to, each with that invitation and
/// the organiser.
pub struct GuestFeed {
    pub guest: Guest,
    /// The language to name the feed in: hers, else her invitation's event's.
    pub language: Language,
    pub accepted: Vec<(Guest, Event, Organiser)>,
}

pub async fn guest_feed(app: &App, token: &str) -> Result<GuestFeed> {
    let not_found = || AppError::NotFound(Missing::Feed);
    let guest_id = verify_guest_feed_token(&app.link_key, token).ok_or_else(not_found)?;
    let guest = storage::guests::find_many(&app.db, &[guest_id]).await?.pop().ok_or_else(not_found)?;
    let invited_to = storage::events::find_by_id(&*app.db, guest.event_id).await?;
    let organiser_id = invited_to.organiser_id;
    let language = guest.language.unwrap_or(invited_to.details.language);
    let accepted = storage::guests::accepted_by(&app.db, &guest.email, organiser_id).await?;
    let organisers = storage::organisers::find_many(&*app.db, accepted.iter().map(|(_, e)| e.organiser_id)).await?;
    let accepted = accepted
        .into_iter()
        .filter_map(|(guest, event)| {
            let organiser = organisers.iter().find(|o| o.id == event.organiser_id)?.clone();
            Some((guest, event, organiser))
        })
        .collect();
    Ok(GuestFeed { guest, language, accepted })
}

/// A member's feed: every date of her series still to come (drafts left
/// out, cancelled ones shown as cancelled), each with her invitation to it
/// if she has one, for her PARTSTAT.
pub struct SeriesFeed {
    pub member: Member,
    pub series: Series,
    pub organiser: Organiser,
    pub dates: Vec<(Event, Option<Guest>)>,
}

pub async fn series_feed(app: &App, token: &str) -> Result<SeriesFeed> {
    let not_found = || AppError::NotFound(Missing::Feed);
    let member_id = verify_series_feed_token(&app.link_key, token).ok_or_else(not_found)?;
    let member = storage::community::find_by_id(&*app.db, member_id).await?.ok_or_else(not_found)?;
    let series = storage::series::find(&*app.db, member.series_id).await?;
    let organiser =
        storage::organisers::find_many(&*app.db, [series.organiser_id]).await?.pop().ok_or_else(not_found)?;
    let now = app.now();
    let mut dates = Vec::new();
    // A series has a handful of dates to come: one look-up each.
    for event in storage::events::of_series(&*app.db, series.id).await? {
        if event.status == EventStatus::Draft || event.details.schedule.ends_at < now {
            continue;
        }
        let guest = match storage::guests::find_by_address(&*app.db, event.id, &member.email).await {
            Ok(guest) => Some(guest),
            Err(err) if err.is_not_found() => None,
            Err(err) => return Err(err.into()),
        };
        dates.push((event, guest));
    }
    Ok(SeriesFeed { member, series, organiser, dates })
}
