//! Organiser commands on a running server, through its HTTP API with the
//! organiser's API key.

use std::time::Duration;

use anyhow::Context;
use indicatif::ProgressBar;
use reqwest::header::CONTENT_TYPE;
use serde::Deserialize;
use uuid::Uuid;

use super::target::EventLine;
use crate::domain::FieldErrors;
use crate::domain::guest_list::ImportReport;

pub struct RemoteTarget {
    client: reqwest::Client,
    /// The base URL without a trailing `/`, so `{base}/api/v1/…` keeps any path prefix.
    base: String,
    key: String,
}

/// Events asked for per request when listing them all (the API's maximum).
const EVENTS_PAGE: usize = 200;

/// The API's error body.
#[derive(Debug, Deserialize)]
struct ServerError {
    error: String,
    message: String,
    #[serde(default)]
    fields: FieldErrors,
}

#[derive(Debug, Deserialize)]
struct EventList {
    events: Vec<ListedEvent>,
}

#[derive(Debug, Deserialize)]
struct ListedEvent {
    id: Uuid,
    title: String,
    status: String,
    starts_at: When,
    summary: Option<Summary>,
}

#[derive(Debug, Deserialize)]
struct When {
    /// RFC 3339 with the event's offset.
    local: String,
}

#[derive(Debug, Deserialize)]
struct Summary {
    invited: u64,
    yes: u64,
}

impl RemoteTarget {
    pub fn new(url: &url::Url, key: String) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .user_agent(concat!("convive-cli/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_mins(5))
            .build()
            .context("cannot set up the HTTP client")?;
        Ok(Self { client, base: url.as_str().trim_end_matches('/').to_owned(), key })
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    /// Sends the request; an error status becomes an error naming the
    /// server's code, message and fields.
    async fn send(&self, request: reqwest::RequestBuilder) -> anyhow::Result<reqwest::Response> {
        let response =
            request.bearer_auth(&self.key).send().await.with_context(|| format!("cannot reach {}", self.base))?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let body = response.text().await.unwrap_or_default();
        let detail = match serde_json::from_str::<ServerError>(&body) {
            Ok(error) => {
                let fields: Vec<String> =
                    error.fields.iter().map(|(field, problem)| format!("{field}: {problem}")).collect();
                let fields = if fields.is_empty() { String::new() } else { format!(" ({})", fields.join("; ")) };
                format!("{} [{}]{fields}", error.message, error.error)
            }
            Err(_) => body,
        };
        anyhow::bail!("the server answered {status}: {detail}")
    }

    pub async fn events(&self) -> anyhow::Result<Vec<EventLine>> {
        let mut lines = Vec::new();
        loop {
            let request =
                self.client.get(self.url("/events")).query(&[("limit", EVENTS_PAGE), ("offset", lines.len())]);
            let page: EventList =
                self.send(request).await?.json().await.context("the event list is not as expected")?;
            let page_length = page.events.len();
            lines.extend(page.events.into_iter().map(|event| {
                let starts = chrono::DateTime::parse_from_rfc3339(&event.starts_at.local)
                    .map_or(event.starts_at.local, |local| local.format("%Y-%m-%d %H:%M").to_string());
                let summary = event.summary.unwrap_or(Summary { invited: 0, yes: 0 });
                EventLine {
                    id: event.id,
                    starts,
                    title: event.title,
                    status: event.status,
                    invited: summary.invited,
                    yes: summary.yes,
                }
            }));
            if page_length < EVENTS_PAGE {
                return Ok(lines);
            }
        }
    }

    /// One request: the server parses and adds the rows, then answers the report.
    pub async fn import(&self, event_id: Uuid, csv: Vec<u8>, progress: &ProgressBar) -> anyhow::Result<ImportReport> {
        progress.set_message(format!("sending {} KiB to {} and waiting for the report", csv.len() / 1024, self.base));
        progress.enable_steady_tick(Duration::from_millis(120));
        let request = self
            .client
            .post(self.url(&format!("/events/{event_id}/guests/import")))
            .header(CONTENT_TYPE, "text/csv")
            .body(csv);
        self.send(request).await?.json().await.context("the import report is not as expected")
    }

    pub async fn export(&self, event_id: Uuid) -> anyhow::Result<Vec<u8>> {
        let request = self.client.get(self.url(&format!("/events/{event_id}/guests.csv")));
        let body = self.send(request).await?.bytes().await.context("the guest list could not be downloaded")?;
        Ok(body.to_vec())
    }
}
