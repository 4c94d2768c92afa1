//! Where an organiser's command runs: on the local database (the settings'
//! `database_url`, as `organiser create` does), or on a running server
//! through its HTTP API (`--url`, `--key`). Both give the same results.

use clap::Args;
use indicatif::ProgressBar;
use uuid::Uuid;

use super::local::LocalTarget;
use super::remote::RemoteTarget;
use crate::config::Settings;
use crate::domain::guest_list::ImportReport;

#[derive(Debug, Args)]
pub struct TargetArgs {
    /// Work on a running Convive server at this base URL instead of the local database.
    #[arg(long, env = "CONVIVE_URL", value_name = "URL")]
    url: Option<url::Url>,
    /// Your API key on that server (from `convive organiser create`).
    #[arg(long, env = "CONVIVE_API_KEY", value_name = "API_KEY", hide_env_values = true)]
    key: Option<String>,
    /// In the local database, whose events (needed only when there are several organisers).
    #[arg(long, value_name = "EMAIL", conflicts_with = "url")]
    organiser: Option<String>,
}

/// An event as listed in the terminal.
#[derive(Debug)]
pub struct EventLine {
    pub id: Uuid,
    /// Local date and time in the event's zone.
    pub starts: String,
    pub title: String,
    pub status: String,
    pub invited: u64,
    pub yes: u64,
}

pub enum Target {
    Local(LocalTarget),
    Remote(RemoteTarget),
}

impl TargetArgs {
    pub async fn open(self, settings: &Settings) -> anyhow::Result<Target> {
        match (self.url, self.key) {
            (Some(url), Some(key)) => Ok(Target::Remote(RemoteTarget::new(&url, key)?)),
            (Some(_), None) => anyhow::bail!("--url needs --key (or CONVIVE_API_KEY): your API key on that server"),
            (None, _) => Ok(Target::Local(LocalTarget::open(settings, self.organiser.as_deref()).await?)),
        }
    }
}

impl Target {
    pub async fn events(&self) -> anyhow::Result<Vec<EventLine>> {
        match self {
            Self::Local(local) => local.events().await,
            Self::Remote(remote) => remote.events().await,
        }
    }

    /// Imports a CSV file; `progress` moves as rows are added (locally) or
    /// spins while the server works.
    pub async fn import(&self, event_id: Uuid, csv: Vec<u8>, progress: &ProgressBar) -> anyhow::Result<ImportReport> {
        match self {
            Self::Local(local) => local.import(event_id, &csv, progress).await,
            Self::Remote(remote) => remote.import(event_id, csv, progress).await,
        }
    }

    /// The guest list as CSV bytes.
    pub async fn export(&self, event_id: Uuid) -> anyhow::Result<Vec<u8>> {
        match self {
            Self::Local(local) => local.export(event_id).await,
            Self::Remote(remote) => remote.export(event_id).await,
        }
    }
}
