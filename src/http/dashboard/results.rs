//! After the event: invited, answered, yes / maybe / no, came, walk-ins and
//! no-shows, and a chart of answers over time against the nudges sent,
//! drawn here as SVG (no external service, no script).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::events::event_url;
use super::{OrganiserSession, id_of};
use crate::app;
use crate::domain::answer::Answer;
use crate::domain::event::Event;
use crate::http::AppState;
use crate::http::pages::PageError;
use crate::mail::context::{local_date, local_time};

pub fn router() -> Router<AppState> {
    Router::new().route("/dashboard/events/{event_id}/results", get(page))
}

/// One day of the chart: the answers standing at its end, and the nudges
/// sent that day.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Day {
    #[serde(skip)]
    pub date: NaiveDate,
    pub date_local: String,
    pub yes: u32,
    pub maybe: u32,
    pub no: u32,
    pub nudges: u32,
}

/// Replays the answer history day by day (in the event's zone), from the
/// first answer or nudge to the last.
pub fn days(event: &Event, changes: &[(DateTime<Utc>, uuid::Uuid, Answer)], nudges: &[DateTime<Utc>]) -> Vec<Day> {
    let zone = event.details.schedule.time_zone;
    let date = |at: &DateTime<Utc>| at.with_timezone(&zone).date_naive();
    let (Some(first), Some(last)) = (
        changes.iter().map(|c| date(&c.0)).chain(nudges.iter().map(date)).min(),
        changes.iter().map(|c| date(&c.0)).chain(nudges.iter().map(date)).max(),
    ) else {
        return Vec::new();
    };
    let mut sent: BTreeMap<NaiveDate, u32> = BTreeMap::new();
    for at in nudges {
        *sent.entry(date(at)).or_default() += 1;
    }
    let mut current: HashMap<uuid::Uuid, Answer> = HashMap::new();
    let mut next = 0;
    let mut result = Vec::new();
    let mut day = first;
    while day <= last {
        while next < changes.len() && date(&changes[next].0) <= day {
            current.insert(changes[next].1, changes[next].2);
            next += 1;
        }
        let count = |answer: Answer| current.values().filter(|a| **a == answer).count() as u32;
        result.push(Day {
            date: day,
            date_local: day.format("%Y-%m-%d").to_string(),
            yes: count(Answer::Yes),
            maybe: count(Answer::Maybe),
            no: count(Answer::No),
            nudges: sent.get(&day).copied().unwrap_or(0),
        });
        day = day.succ_opt().unwrap_or(day);
        if result.len() > 400 {
            break;
        }
    }
    result
}

/// The chart: one line per answer, a dashed mark per day with nudges.
pub fn chart_svg(days: &[Day], labels: &ChartLabels) -> String {
    const W: f64 = 640.0;
    const H: f64 = 260.0;
    const LEFT: f64 = 40.0;
    const RIGHT: f64 = 16.0;
    const TOP: f64 = 16.0;
    const BOTTOM: f64 = 40.0;
    let max = days.iter().map(|d| d.yes.max(d.maybe).max(d.no)).max().unwrap_or(0).max(1);
    // At most 400 days: exact in an f64.
    let span = f64::from(u32::try_from(days.len().max(2) - 1).unwrap_or(u32::MAX));
    let x = |i: usize| LEFT + (W - LEFT - RIGHT) * f64::from(u32::try_from(i).unwrap_or(u32::MAX)) / span;
    let y = |n: u32| TOP + (H - TOP - BOTTOM) * (1.0 - f64::from(n) / f64::from(max));
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" aria-labelledby="chart-title" style="width:100%;height:auto;max-width:{W}px"><title id="chart-title">{}</title>"#,
        escape(&labels.title)
    );
    // Axes and the top value.
    let _ = write!(
        svg,
        r##"<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{b}" stroke="#6b7280"/><line x1="{LEFT}" y1="{b}" x2="{r}" y2="{b}" stroke="#6b7280"/><text x="{tx}" y="{ty}" font-size="11" text-anchor="end" fill="#374151">{max}</text><text x="{tx}" y="{b}" font-size="11" text-anchor="end" fill="#374151">0</text>"##,
        b = H - BOTTOM,
        r = W - RIGHT,
        tx = LEFT - 6.0,
        ty = TOP + 4.0,
    );
    for (i, day) in days.iter().enumerate() {
        if day.nudges > 0 {
            let _ = write!(
                svg,
                r##"<line x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{b}" stroke="#b45309" stroke-dasharray="4 3"><title>{} {}: {}</title></line>"##,
                escape(&labels.nudges),
                escape(&day.date_local),
                day.nudges,
                x = x(i),
                b = H - BOTTOM,
            );
        }
    }
    for (answer, colour, label) in [
        (Answer::Yes, "#15803d", &labels.yes),
        (Answer::Maybe, "#a16207", &labels.maybe),
        (Answer::No, "#4b5563", &labels.no),
    ] {
        let value = |d: &Day| match answer {
            Answer::Yes => d.yes,
            Answer::Maybe => d.maybe,
            Answer::No => d.no,
        };
        let points: Vec<String> =
            days.iter().enumerate().map(|(i, d)| format!("{:.1},{:.1}", x(i), y(value(d)))).collect();
        let _ = write!(
            svg,
            r#"<polyline fill="none" stroke="{colour}" stroke-width="2.5" points="{}"><title>{}</title></polyline>"#,
            points.join(" "),
            escape(label)
        );
        // A dot per day, so that a single day still shows.
        for (i, d) in days.iter().enumerate() {
            let _ = write!(svg, r#"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{colour}"/>"#, x(i), y(value(d)));
        }
    }
    // First and last dates under the axis, and a legend.
    if let (Some(first), Some(last)) = (days.first(), days.last()) {
        let _ = write!(
            svg,
            r##"<text x="{LEFT}" y="{ly}" font-size="11" fill="#374151">{}</text><text x="{r}" y="{ly}" font-size="11" text-anchor="end" fill="#374151">{}</text>"##,
            escape(&first.date_local),
            escape(&last.date_local),
            ly = H - BOTTOM + 14.0,
            r = W - RIGHT,
        );
    }
    let mut lx = LEFT;
    for (colour, label, dashed) in [
        ("#15803d", &labels.yes, false),
        ("#a16207", &labels.maybe, false),
        ("#4b5563", &labels.no, false),
        ("#b45309", &labels.nudges, true),
    ] {
        let dash = if dashed { r#" stroke-dasharray="4 3""# } else { "" };
        let _ = write!(
            svg,
            r##"<line x1="{lx}" y1="{ly}" x2="{lx2}" y2="{ly}" stroke="{colour}" stroke-width="2.5"{dash}/><text x="{tx}" y="{ty}" font-size="11" fill="#374151">{}</text>"##,
            escape(label),
            ly = H - 8.0,
            lx2 = lx + 18.0,
            tx = lx + 22.0,
            ty = H - 4.0,
        );
        lx += 130.0;
    }
    svg.push_str("</svg>");
    svg
}

/// The chart's words, in her language.
pub struct ChartLabels {
    pub title: String,
    pub yes: String,
    pub maybe: String,
    pub no: String,
    pub nudges: String,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[derive(Serialize)]
struct ResultsEvent {
    title: String,
    date_local: String,
    start_time_local: String,
    time_zone: String,
}

#[derive(Serialize)]
struct ResultsSummary {
    invited: u64,
    answered: u64,
    yes: u64,
    maybe: u64,
    no: u64,
    came: u64,
    walk_ins: u64,
    no_shows: Option<u64>,
}

#[derive(Serialize)]
struct ResultsPage {
    event: ResultsEvent,
    summary: ResultsSummary,
    chart_svg: String,
    chart_table: Vec<Day>,
    back_url: String,
}

async fn page(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(event_id): Path<String>,
) -> Result<Response, PageError> {
    let id = id_of(&event_id, session.language)?;
    let app::events::Results { event, counts, history, nudges_sent } =
        app::events::results(&state, session.organiser.id, id)
            .await
            .map_err(|e| PageError::from(e).in_language(session.language))?;
    let changes: Vec<_> = history.iter().map(|c| (c.changed_at, c.guest_id, c.reply.answer)).collect();
    let days = days(&event, &changes, &nudges_sent);
    let word = |key: &str| crate::http::pages::word(session.language, key);
    let labels = ChartLabels {
        title: word("d_chart_title"),
        yes: word("answer_yes"),
        maybe: word("answer_maybe"),
        no: word("answer_no"),
        nudges: word("d_chart_nudges"),
    };
    let page = ResultsPage {
        event: ResultsEvent {
            title: event.details.title.clone(),
            date_local: local_date(event.details.schedule.starts_at, &event, session.language),
            start_time_local: local_time(event.details.schedule.starts_at, &event),
            time_zone: event.details.schedule.time_zone.name().to_owned(),
        },
        summary: ResultsSummary {
            invited: counts.invited,
            answered: counts.answered,
            yes: counts.yes,
            maybe: counts.maybe,
            no: counts.no,
            came: counts.came,
            walk_ins: counts.walk_ins,
            no_shows: (counts.came > 0).then_some(counts.seated_not_came),
        },
        chart_svg: chart_svg(&days, &labels),
        chart_table: days,
        back_url: event_url(event.id),
    };
    Ok(session.page("dashboard/results.html", StatusCode::OK, &page))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> Event {
        let details = crate::domain::event::EventDetails::try_from(crate::domain::event::EventFields {
            title: "Café".into(),
            venue_name: "Café".into(),
            starts_at: "2030-03-12T08:30".into(),
            ends_at: "2030-03-12T10:00".into(),
            time_zone: "Europe/Paris".into(),
            language: "fr".into(),
            ..Default::default()
        })
        .unwrap();
        Event {
            id: uuid::Uuid::nil(),
            organiser_id: uuid::Uuid::nil(),
            details,
            status: crate::domain::event::EventStatus::Published,
            seats_taken: 0,
            sequence: 0,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn answers_are_replayed_day_by_day_with_changes_of_mind() {
        let (a, b) = (uuid::Uuid::from_u128(1), uuid::Uuid::from_u128(2));
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let changes = vec![
            (at("2030-03-01T09:00:00Z"), a, Answer::Yes),
            (at("2030-03-01T10:00:00Z"), b, Answer::Maybe),
            (at("2030-03-03T09:00:00Z"), b, Answer::No),
        ];
        let nudges = vec![at("2030-03-02T08:00:00Z"), at("2030-03-02T08:00:01Z")];
        let days = days(&event(), &changes, &nudges);
        let summary: Vec<(u32, u32, u32, u32)> = days.iter().map(|d| (d.yes, d.maybe, d.no, d.nudges)).collect();
        assert_eq!(summary, [(1, 1, 0, 0), (1, 1, 0, 2), (1, 0, 1, 0)]);
        let labels = ChartLabels {
            title: "<Answers>".into(),
            yes: "Yes".into(),
            maybe: "Maybe".into(),
            no: "No".into(),
            nudges: "Nudges".into(),
        };
        let svg = chart_svg(&days, &labels);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<polyline").count(), 3);
        assert_eq!(svg.matches("stroke-dasharray").count(), 2, "one nudge day, and its legend");
        assert!(svg.contains("&lt;Answers&gt;") && !svg.contains("<Answers>"));
    }

    #[test]
    fn no_history_draws_an_empty_chart() {
        let labels =
            ChartLabels { title: "t".into(), yes: "y".into(), maybe: "m".into(), no: "n".into(), nudges: "r".into() };
        assert!(days(&event(), &[], &[]).is_empty());
        assert!(chart_svg(&[], &labels).ends_with("</svg>"));
    }
}
