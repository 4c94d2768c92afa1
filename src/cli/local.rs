//! Organiser commands on the local database, through the same storage
//! functions the HTTP API uses.

use anyhow::Context;
use indicatif::ProgressBar;
use uuid::Uuid;

use super::target::EventLine;
use crate::config::Settings;
use crate::domain::email_address::EmailAddress;
use crate::domain::event::Event;
use crate::domain::guest_list::{self, ImportReport};
use crate::domain::token::SecretKey;
use crate::startup::{connect_and_migrate, link_key};
use crate::storage::organisers::{self, Organiser};
use crate::storage::{self, Db};

pub struct LocalTarget {
    db: Db,
    organiser: Organiser,
    link_key: SecretKey,
}

/// Events read per query when listing them all.
const EVENTS_PAGE: u64 = 200;

impl LocalTarget {
    /// Opens (and migrates) the database and finds the organiser: the one
    /// named, or the only one there is.
    pub async fn open(settings: &Settings, organiser: Option<&str>) -> anyhow::Result<Self> {
        let db = connect_and_migrate(settings).await?;
        let organiser = if let Some(raw) = organiser {
            let email = EmailAddress::parse(raw).map_err(|e| anyhow::anyhow!("--organiser: {e}"))?;
            organisers::find_by_email(&*db, &email)
                .await?
                .with_context(|| format!("no organiser has the email {email} in this database"))?
        } else {
            let mut found = organisers::first(&db, 2).await?;
            match (found.pop(), found.is_empty()) {
                (Some(only), true) => only,
                (None, _) => anyhow::bail!("there is no organiser yet; create one with `convive organiser create`"),
                (Some(_), false) => {
                    anyhow::bail!("there are several organisers; say whose events with --organiser EMAIL")
                }
            }
        };
        let link_key = link_key(settings, &db).await?;
        Ok(Self { db, organiser, link_key })
    }

    async fn event(&self, event_id: Uuid) -> anyhow::Result<Event> {
        storage::events::find_owned(&*self.db, self.organiser.id, event_id)
            .await
            .with_context(|| format!("no event {event_id} of {}", self.organiser.email))
    }

    pub async fn events(&self) -> anyhow::Result<Vec<EventLine>> {
        let mut lines = Vec::new();
        loop {
            let offset = lines.len() as u64;
            let events = storage::events::list(&self.db, self.organiser.id, EVENTS_PAGE, offset).await?;
            let ids: Vec<Uuid> = events.iter().map(|e| e.id).collect();
            let counts = storage::events::counts(&*self.db, &ids).await?;
            let page_length = events.len() as u64;
            lines.extend(events.into_iter().map(|event| {
                let counts = counts.get(&event.id).copied().unwrap_or_default();
                let schedule = &event.details.schedule;
                EventLine {
                    id: event.id,
                    starts: schedule.starts_at.with_timezone(&schedule.time_zone).format("%Y-%m-%d %H:%M").to_string(),
                    title: event.details.title,
                    status: event.status.as_str().to_owned(),
                    invited: counts.invited,
                    yes: counts.yes,
                }
            }));
            if page_length < EVENTS_PAGE {
                return Ok(lines);
            }
        }
    }

    /// Parses the whole file, then adds it a chunk (one transaction) at a
    /// time, moving the bar after each.
    pub async fn import(&self, event_id: Uuid, csv: &[u8], progress: &ProgressBar) -> anyhow::Result<ImportReport> {
        let event = self.event(event_id).await?;
        let parsed = guest_list::parse_csv(csv)?;
        let mut report = ImportReport::for_csv(&parsed.layout);
        progress.set_length(parsed.rows.len() as u64);
        storage::guest_lists::import(
            &self.db,
            &event,
            &parsed.rows,
            &mut report,
            &self.link_key,
            chrono::Utc::now(),
            |rows| progress.inc(rows as u64),
        )
        .await
        .with_context(|| {
            format!(
                "the import stopped after {} of {} rows (those are added; importing again reports them as duplicates)",
                progress.position(),
                parsed.rows.len()
            )
        })?;
        Ok(report)
    }

    pub async fn export(&self, event_id: Uuid) -> anyhow::Result<Vec<u8>> {
        let event = self.event(event_id).await?;
        let rows = storage::guest_lists::export_rows(&self.db, self.organiser.id, event.id).await?;
        Ok(guest_list::export_csv(&rows))
    }
}
