//! One-click unsubscribe from a guest's emails. From a date of a series it
//! means "leave this series" (she is not invited to its dates again, and
//! its emails stop); from any email she can also ask for nothing more from
//! the organiser at all.

use super::{App, AppError, Happening, Result};
use crate::domain::event::Language;
use crate::domain::guest::{Guest, NewGuest};
use crate::domain::series::Series;
use crate::domain::token::verify_unsubscribe_token;
use crate::storage::organisers::Organiser;
use crate::storage::{self, Missing};

/// Whom an unsubscribe link concerns: the guest it was sent to, the
/// organiser it stops, the series it leaves (for a date of one), and the
/// language to speak to her in.
#[derive(Debug, Clone)]
pub struct UnsubscribeLink {
    pub guest: Guest,
    pub organiser: Organiser,
    pub series: Option<Series>,
    pub language: Language,
}

/// What she asks to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The link's own meaning: the series for a date of one, else the organiser.
    Link,
    /// Nothing more from this organiser.
    Organiser,
}

/// What was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    Series,
    Organiser,
}

/// Reads an unsubscribe link; changes nothing.
pub async fn link(app: &App, token: &str) -> Result<UnsubscribeLink> {
    let not_found = || AppError::NotFound(Missing::UnsubscribeLink);
    let guest_id = verify_unsubscribe_token(&app.link_key, token).ok_or_else(not_found)?;
    let guest = storage::guests::find_many(&app.db, &[guest_id]).await?.pop().ok_or_else(not_found)?;
    let event = storage::events::find_by_id(&*app.db, guest.event_id).await?;
    let organiser =
        storage::organisers::find_many(&*app.db, [event.organiser_id]).await?.pop().ok_or_else(not_found)?;
    let series = match event.series_id {
        Some(series_id) => Some(storage::series::find(&*app.db, series_id).await?),
        None => None,
    };
    let language = guest.language.unwrap_or(event.details.language);
    Ok(UnsubscribeLink { guest, organiser, series, language })
}

/// Leaves the link's series, or unsubscribes its address from its
/// organiser's mail. Twice is harmless; answers already given stay.
pub async fn unsubscribe(app: &App, token: &str, scope: Scope) -> Result<(UnsubscribeLink, Stopped)> {
    let link = link(app, token).await?;
    let now = app.now();
    let mut work = app.begin().await?;
    let leaving = link.series.as_ref().filter(|_| scope == Scope::Link);
    let stopped = if let Some(series) = leaving {
        let person = NewGuest {
            email: link.guest.email.clone(),
            name: link.guest.name.clone(),
            first_name: link.guest.first_name.clone(),
            language: link.guest.language,
        };
        storage::community::leave(&*work, series.id, &person, now).await?;
        Stopped::Series
    } else {
        storage::unsubscribes::add(&*work, link.organiser.id, link.guest.email.as_str(), now).await?;
        Stopped::Organiser
    };
    work.happened(Happening::Unsubscribed {
        organiser: link.organiser.id,
        guest: link.guest.id,
        email: link.guest.email.to_string(),
    });
    work.commit(app).await?;
    Ok((link, stopped))
}
