//! Organiser commands on the local database, through the same application
//! layer the HTTP API and the dashboard use.

use anyhow::Context;
use futures::StreamExt;
use indicatif::ProgressBar;
use uuid::Uuid;

use super::target::EventLine;
use crate::app::guest_lists::ListSource;
use crate::app::{self, App};
use crate::config::Settings;
use crate::domain::email_address::EmailAddress;
use crate::domain::event::Language;
use crate::domain::guest_list::{CsvStyle, ImportReport};
use crate::startup::connect_and_migrate;
use crate::storage::organisers::{self, Organiser};

pub struct LocalTarget {
    app: App,
    organiser: Organiser,
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
        let app = super::local_app(settings, db).await?;
        Ok(Self { app, organiser })
    }

    fn no_such_event(&self, event_id: Uuid) -> String {
        format!("no event {event_id} of {}", self.organiser.email)
    }

    pub async fn events(&self) -> anyhow::Result<Vec<EventLine>> {
        let mut lines = Vec::new();
        loop {
            let offset = lines.len() as u64;
            let events = app::events::list(&self.app, self.organiser.id, EVENTS_PAGE, offset).await?;
            let page_length = events.len() as u64;
            lines.extend(events.into_iter().map(|(event, counts)| {
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

    /// Reads the whole file, then adds it in one transaction, moving the bar
    /// as rows are written: nothing is kept unless every row is.
    pub async fn import(&self, event_id: Uuid, csv: &[u8], progress: &ProgressBar) -> anyhow::Result<ImportReport> {
        let on_chunk = |done: usize, total: usize| {
            progress.set_length(total as u64);
            progress.set_position(done as u64);
            tracing::debug!(done, total, "import in progress, not committed yet");
        };
        app::guest_lists::import(&self.app, self.organiser.id, event_id, ListSource::Csv(csv), on_chunk).await.map_err(
            |err| match err {
                app::AppError::NotFound(_) => anyhow::anyhow!(self.no_such_event(event_id)),
                app::AppError::Invalid(fields) => {
                    anyhow::anyhow!(fields.into_values().map(|p| p.to_string()).collect::<Vec<_>>().join("; "))
                }
                other => anyhow::Error::new(other).context("the import failed; none of its guests were added"),
            },
        )
    }

    pub async fn export(&self, event_id: Uuid) -> anyhow::Result<Vec<u8>> {
        let (event, chunks) = app::guest_lists::export(&self.app, self.organiser.id, event_id)
            .await
            .with_context(|| self.no_such_event(event_id))?;
        // The API's default: English, commas.
        let style =
            CsvStyle::new(Language::En, event.details.schedule.time_zone).with_questions(&event.details.questions);
        let mut file = style.head();
        let mut chunks = std::pin::pin!(chunks);
        while let Some(rows) = chunks.next().await {
            file.extend(style.lines(&rows?));
        }
        Ok(file)
    }
}
