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
use crate::domain::event::{Event, Language};
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
pub fn days(
    event: &Event,
    changes: &[(DateTime<Utc>, uuid::Uuid, Answer)],
    nudges: &[DateTime<Utc>],
    language: Language,
) -> Vec<Day> {
    let locale = locale_of(language);
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
            // "3 déc.", "3 Dec": short enough under a bar, read as a date.
            date_local: day.format_localized("%-d %b", locale).to_string(),
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

/// The chart: one stacked bar per day of the answers standing at its end
/// (yes at the bottom, then maybe, then no), and a dashed mark on the days
/// nudges went out. Drawn narrow, so that its words stay legible when a
/// phone shrinks it; one day reads as one bar, sixty as sixty thin ones.
/// The legend is the page's, in HTML, where it wraps instead of overlapping.
pub fn chart_svg(days: &[Day], labels: &ChartLabels) -> String {
    const W: f64 = 320.0;
    const H: f64 = 200.0;
    const LEFT: f64 = 30.0;
    const RIGHT: f64 = 6.0;
    const TOP: f64 = 10.0;
    const BOTTOM: f64 = 26.0;
    const AXIS: &str = "#5c4d42";
    let total = |d: &Day| d.yes + d.maybe + d.no;
    let step = tick_step(days.iter().map(total).max().unwrap_or(0));
    let top = (days.iter().map(total).max().unwrap_or(0).div_ceil(step) * step).max(step);
    // At most 400 days: exact in an f64.
    let count = f64::from(u32::try_from(days.len().max(1)).unwrap_or(u32::MAX));
    let slot = (W - LEFT - RIGHT) / count;
    let bar = (slot * 0.7).min(32.0);
    let centre = |i: usize| LEFT + slot * (f64::from(u32::try_from(i).unwrap_or(u32::MAX)) + 0.5);
    let y = |n: u32| TOP + (H - TOP - BOTTOM) * (1.0 - f64::from(n) / f64::from(top));
    let base = H - BOTTOM;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" role="img" aria-labelledby="chart-title" font-family="system-ui, sans-serif" font-size="13"><title id="chart-title">{}</title>"#,
        escape(&labels.title)
    );
    // Grid lines and their values.
    let mut value = 0;
    while value <= top {
        let _ = write!(
            svg,
            r#"<line x1="{LEFT}" y1="{v:.1}" x2="{r}" y2="{v:.1}" stroke="{stroke}"/><text x="{tx}" y="{ty:.1}" text-anchor="end" fill="{AXIS}">{value}</text>"#,
            v = y(value),
            r = W - RIGHT,
            stroke = if value == 0 { AXIS } else { "#e7ddd0" },
            tx = LEFT - 5.0,
            ty = y(value) + 4.0,
        );
        value += step;
    }
    for (i, day) in days.iter().enumerate() {
        if day.nudges > 0 {
            let _ = write!(
                svg,
                r##"<line x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{base}" stroke="#9a3412" stroke-width="1.5" stroke-dasharray="4 3"><title>{}{}{}</title></line>"##,
                escape(&day.date_local),
                escape(&labels.colon),
                escape(&labels.nudges),
                x = centre(i),
            );
        }
        let mut below = 0;
        for (count, colour) in [(day.yes, COLOUR_YES), (day.maybe, COLOUR_MAYBE), (day.no, COLOUR_NO)] {
            if count > 0 {
                let _ = write!(
                    svg,
                    r#"<rect x="{x:.1}" y="{top:.1}" width="{bar:.1}" height="{h:.1}" fill="{colour}"/>"#,
                    x = centre(i) - bar / 2.0,
                    top = y(below + count),
                    h = y(below) - y(below + count),
                );
            }
            below += count;
        }
    }
    // A few dates under the axis: the first and the last, two between.
    for i in date_ticks(days.len()) {
        let anchor = match i {
            0 if days.len() > 1 => "start",
            i if i + 1 == days.len() && i > 0 => "end",
            _ => "middle",
        };
        let x = match anchor {
            "start" => centre(i) - bar / 2.0,
            "end" => centre(i) + bar / 2.0,
            _ => centre(i),
        };
        let _ = write!(
            svg,
            r#"<text x="{x:.1}" y="{ly}" text-anchor="{anchor}" fill="{AXIS}">{}</text>"#,
            escape(&days[i].date_local),
            ly = base + 17.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

/// The colours of the chart and of its legend on the page.
pub const COLOUR_YES: &str = "#2f7a3d";
pub const COLOUR_MAYBE: &str = "#b7791f";
pub const COLOUR_NO: &str = "#8a8178";

/// A round step between grid lines: at most four of them up to `max`.
fn tick_step(max: u32) -> u32 {
    [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000]
        .into_iter()
        .find(|step| max.div_ceil(*step) <= 4)
        .unwrap_or(max.div_ceil(4).max(1))
}

/// Which days get a date under the axis: all of up to four, else the first,
/// the last and two evenly between.
fn date_ticks(days: usize) -> Vec<usize> {
    if days <= 4 {
        return (0..days).collect();
    }
    let mut ticks: Vec<usize> = (0..4).map(|k| k * (days - 1) / 3).collect();
    ticks.dedup();
    ticks
}

/// The chart's words, in her language.
pub struct ChartLabels {
    pub title: String,
    /// ": " in her language, between a date and what happened on it.
    pub colon: String,
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
    /// Seated "yes" answers with their companions: the people expected.
    people: u64,
}

#[derive(Serialize)]
struct ResultsPage {
    event: ResultsEvent,
    /// The legend's colours, the chart's.
    colours: [&'static str; 3],
    summary: ResultsSummary,
    chart_svg: String,
    chart_table: Vec<Day>,
    back_url: String,
    /// Who did what by hand, latest last.
    activity: Vec<ActivityRow>,
    /// Totals per choice of each choice and yes/no question (the API's).
    questions: Vec<TotalsRow>,
    /// Text answers with who wrote them.
    written: Vec<WrittenRow>,
}

#[derive(Serialize)]
struct TotalsRow {
    label: String,
    /// (option's label, count)
    options: Vec<(String, u32)>,
}

#[derive(Serialize)]
struct WrittenRow {
    label: String,
    /// (who, what she wrote)
    answers: Vec<(String, String)>,
}

/// Whom a line concerns, in words: a guest erased since is named as such.
fn subject_of(language: crate::domain::event::Language, activity: &crate::storage::activity::Activity) -> String {
    if activity.subject.is_empty() && activity.guest_id.is_some() {
        crate::http::pages::word(language, "d_activity_erased_guest")
    } else {
        activity.subject.clone()
    }
}

fn locale_of(language: Language) -> chrono::Locale {
    if language == Language::Fr { chrono::Locale::fr_FR } else { chrono::Locale::en_GB }
}

/// One line of the audit history: "3 déc. 08:41 · Camille a enregistré l'arrivée de zoe@…".
#[derive(Serialize)]
struct ActivityRow {
    at_local: String,
    at_iso: String,
    who: String,
    what: String,
}

async fn page(
    State(state): State<AppState>,
    session: OrganiserSession,
    Path(event_id): Path<String>,
) -> Result<Response, PageError> {
    let id = id_of(&event_id, session.language)?;
    let app::events::Results { event, counts, history, nudges_sent, question_totals, written_answers } =
        app::events::results(&state, session.organiser.id, id)
            .await
            .map_err(|e| PageError::from(e).in_language(session.language))?;
    let (_, lines) = app::team::history(&state, session.organiser.id, id)
        .await
        .map_err(|e| PageError::from(e).in_language(session.language))?;
    let activity = lines
        .into_iter()
        .map(|line| {
            let at = line.activity.at.with_timezone(&event.details.schedule.time_zone);
            ActivityRow {
                // "6 déc. 2026, 07:03": read by a person, not a machine.
                at_local: at.format_localized("%-d %b %Y, %H:%M", locale_of(session.language)).to_string(),
                at_iso: at.to_rfc3339(),
                who: line.by.map_or_else(
                    || crate::http::pages::word(session.language, "d_activity_unknown"),
                    |o| if o.name.trim().is_empty() { o.email.to_string() } else { o.name },
                ),
                what: crate::http::pages::word(
                    session.language,
                    &format!("d_activity_{}", line.activity.deed.as_str()),
                )
                .replace("{subject}", &subject_of(session.language, &line.activity)),
            }
        })
        .collect();
    let changes: Vec<_> = history.iter().map(|c| (c.changed_at, c.guest_id, c.reply.answer)).collect();
    let days = days(&event, &changes, &nudges_sent, session.language);
    let word = |key: &str| crate::http::pages::word(session.language, key);
    let labels = ChartLabels {
        title: word("d_chart_title"),
        colon: word("d_colon"),
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
            time_zone: super::time_zones::zone_label(
                session.language,
                event.details.schedule.time_zone,
                event.details.schedule.starts_at,
            ),
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
            people: counts.seats_taken,
        },
        colours: [COLOUR_YES, COLOUR_MAYBE, COLOUR_NO],
        chart_svg: chart_svg(&days, &labels),
        chart_table: days,
        back_url: event_url(event.id),
        activity,
        questions: question_totals
            .iter()
            .map(|q| TotalsRow {
                label: q.label.get(session.language).to_owned(),
                options: q.options.iter().map(|o| (o.label.get(session.language).to_owned(), o.count)).collect(),
            })
            .collect(),
        written: written_answers
            .into_iter()
            .map(|w| WrittenRow { label: w.label.get(session.language).to_owned(), answers: w.answers })
            .collect(),
    };
    Ok(session.page("dashboard/results.html", StatusCode::OK, &page))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_steps_are_round_and_dates_few() {
        assert_eq!([0, 1, 4, 5, 9, 37, 180].map(tick_step), [1, 1, 1, 2, 5, 10, 50]);
        assert_eq!(date_ticks(1), [0]);
        assert_eq!(date_ticks(60), [0, 19, 39, 59]);
    }

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
            series_id: None,
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
        let days = days(&event(), &changes, &nudges, Language::Fr);
        let summary: Vec<(u32, u32, u32, u32)> = days.iter().map(|d| (d.yes, d.maybe, d.no, d.nudges)).collect();
        assert_eq!(summary, [(1, 1, 0, 0), (1, 1, 0, 2), (1, 0, 1, 0)]);
        assert_eq!(days.iter().map(|d| d.date_local.as_str()).collect::<Vec<_>>(), ["1 mars", "2 mars", "3 mars"]);
        let labels = ChartLabels {
            title: "<Answers>".into(),
            colon: ": ".into(),
            yes: "Yes".into(),
            maybe: "Maybe".into(),
            no: "No".into(),
            nudges: "Nudges".into(),
        };
        let svg = chart_svg(&days, &labels);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<rect").count(), 6, "yes and maybe, then yes and no");
        assert_eq!(svg.matches("stroke-dasharray").count(), 1, "one nudge day");
        assert!(svg.contains("&lt;Answers&gt;") && !svg.contains("<Answers>"));
    }

    #[test]
    fn sixty_days_read_as_sixty_bars_with_four_dates_inside_the_frame() {
        let at = |day: u32| format!("2030-01-{:02}T09:00:00Z", day.min(31)).parse::<DateTime<Utc>>().unwrap();
        let changes: Vec<_> =
            (1..=31).map(|day| (at(day), uuid::Uuid::from_u128(u128::from(day)), Answer::Yes)).collect();
        let mut days = days(&event(), &changes, &[at(5)], Language::Fr);
        let more = days.clone();
        days.extend(more.into_iter().take(29));
        assert_eq!(days.len(), 60);
        let labels = ChartLabels {
            title: "t".into(),
            colon: " : ".into(),
            yes: "y".into(),
            maybe: "m".into(),
            no: "n".into(),
            nudges: "r".into(),
        };
        let svg = chart_svg(&days, &labels);
        assert_eq!(svg.matches("<rect").count(), 60);
        assert_eq!(svg.matches("text-anchor=\"start\"").count() + svg.matches("text-anchor=\"middle\"").count(), 3);
        assert!(svg.contains(">1 janv.<"), "{svg}");
        for x in svg.split(" x=\"").skip(1).map(|rest| rest.split('"').next().unwrap().parse::<f64>().unwrap()) {
            assert!((0.0..=320.0).contains(&x), "{x} is outside the chart");
        }
    }

    #[test]
    fn no_history_draws_an_empty_chart() {
        let labels = ChartLabels {
            title: "t".into(),
            colon: ": ".into(),
            yes: "y".into(),
            maybe: "m".into(),
            no: "n".into(),
            nudges: "r".into(),
        };
        assert!(days(&event(), &[], &[], Language::En).is_empty());
        assert!(chart_svg(&[], &labels).ends_with("</svg>"));
    }
}
