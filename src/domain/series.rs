//! Series: the dates of a recurring event, the rule that suggests the next
//! one, and moving a date's schedule to a new start. Local times are what
//! the organiser means ("the first Thursday, 8:30"), so the rule works on
//! the wall clock of the event's zone, across changes of summer time.

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::event::Schedule;
use super::problem::{Problem, code};
use super::text::bounded;
use super::{FieldErrors, Validator};

/// A whole number outside `min..=max`.
fn out_of_range(min: i64, max: i64) -> Problem {
    Problem::new(code::OUT_OF_RANGE, format!("must be between {min} and {max}")).with("min", min).with("max", max)
}

/// Which weekday of the month a monthly date falls on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rank {
    /// The first to the fourth.
    Nth(u8),
    Last,
}

impl Rank {
    /// The rank of `date`'s weekday in its month; a fifth is the last.
    pub fn of(date: NaiveDate) -> Self {
        match (date.day() - 1) / 7 + 1 {
            5 => Self::Last,
            n => Self::Nth(n as u8),
        }
    }

    /// As stored and sent: 1 to 4, or -1 for the last.
    pub fn as_number(self) -> i32 {
        match self {
            Self::Nth(n) => i32::from(n),
            Self::Last => -1,
        }
    }

    pub fn from_number(n: i64) -> Result<Self, Problem> {
        match n {
            1..=4 => Ok(Self::Nth(n as u8)),
            -1 => Ok(Self::Last),
            _ => Err(Problem::new(code::INVALID_RULE, "must be 1, 2, 3, 4, or -1 for the last")),
        }
    }
}

/// How the next date of a series is suggested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recurrence {
    /// Every `n` weeks (1 is weekly), same weekday and time.
    Weeks(u32),
    /// Monthly on a weekday of the month; `None`: the same rank as the date
    /// before ("the same weekday next month").
    MonthlyOn(Option<Rank>),
}

/// Most weeks between two dates of a series.
pub const MAX_WEEKS: u32 = 12;

impl Recurrence {
    /// The rule's stored form: a name, N weeks, and a rank.
    pub fn parts(self) -> (&'static str, u32, Option<i32>) {
        match self {
            Self::Weeks(1) => ("weekly", 1, None),
            Self::Weeks(n) => ("every_n_weeks", n, None),
            Self::MonthlyOn(rank) => ("monthly_nth_weekday", 1, rank.map(Rank::as_number)),
        }
    }

    /// # Errors
    /// An unknown rule, N weeks out of 1 to [`MAX_WEEKS`], or a rank out of range.
    pub fn from_parts(rule: &str, every: Option<i64>, nth: Option<i64>) -> Result<Self, FieldErrors> {
        let mut v = Validator::default();
        // A number of weeks given with another rule is unused, but a mistake
        // all the same: said, not silently dropped.
        if rule != "every_n_weeks" && every.is_some_and(|n| !(1..=i64::from(MAX_WEEKS)).contains(&n)) {
            v.add("every", out_of_range(1, i64::from(MAX_WEEKS)));
        }
        let recurrence = match rule {
            "weekly" => Some(Self::Weeks(1)),
            "every_n_weeks" => match every {
                Some(n) if (1..=i64::from(MAX_WEEKS)).contains(&n) => Some(Self::Weeks(n as u32)),
                _ => {
                    v.add("every", out_of_range(1, i64::from(MAX_WEEKS)));
                    None
                }
            },
            "monthly_nth_weekday" => match nth.map(Rank::from_number).transpose() {
                Ok(rank) => Some(Self::MonthlyOn(rank)),
                Err(problem) => {
                    v.add("nth", problem);
                    None
                }
            },
            _ => {
                let message = "must be weekly, every_n_weeks or monthly_nth_weekday";
                v.add("rule", Problem::new(code::INVALID_RULE, message));
                None
            }
        };
        v.finish()?;
        recurrence.ok_or_default()
    }

    /// The local day after `date` that the rule gives.
    pub fn next_day(self, date: NaiveDate) -> NaiveDate {
        match self {
            Self::Weeks(n) => date + Duration::weeks(i64::from(n)),
            Self::MonthlyOn(rank) => {
                let rank = rank.unwrap_or_else(|| Rank::of(date));
                let (year, month) =
                    if date.month() == 12 { (date.year() + 1, 1) } else { (date.year(), date.month() + 1) };
                weekday_of_month(year, month, date.weekday(), rank)
            }
        }
    }

    /// The start that follows `start`: the rule's next day at the same local
    /// time in `zone`.
    pub fn next_start(self, start: DateTime<Utc>, zone: Tz) -> DateTime<Utc> {
        let local = start.with_timezone(&zone).naive_local();
        local_instant(self.next_day(local.date()).and_time(local.time()), zone)
    }
}

trait OkOrDefault<T> {
    fn ok_or_default(self) -> Result<T, FieldErrors>;
}

impl<T> OkOrDefault<T> for Option<T> {
    fn ok_or_default(self) -> Result<T, FieldErrors> {
        self.ok_or_else(FieldErrors::default)
    }
}

/// The `rank` `weekday` of a month ("the first Thursday of March").
fn weekday_of_month(year: i32, month: u32, weekday: Weekday, rank: Rank) -> NaiveDate {
    match rank {
        Rank::Nth(n) => NaiveDate::from_weekday_of_month_opt(year, month, weekday, n)
            .unwrap_or_else(|| last_weekday_of_month(year, month, weekday)),
        Rank::Last => last_weekday_of_month(year, month, weekday),
    }
}

fn last_weekday_of_month(year: i32, month: u32, weekday: Weekday) -> NaiveDate {
    (1..=5)
        .rev()
        .find_map(|n| NaiveDate::from_weekday_of_month_opt(year, month, weekday, n))
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default())
}

/// A wall-clock time in `zone` as an instant: of a time that happens twice
/// (autumn), the first; a time skipped by summer time is read an hour later,
/// as a clock set forward shows it.
pub fn local_instant(local: NaiveDateTime, zone: Tz) -> DateTime<Utc> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => at.with_timezone(&Utc),
        LocalResult::None => local_instant(local + Duration::hours(1), zone),
    }
}

/// When the next date of a series starts: the day its rule gives after the
/// latest date (with no date yet, the defaults' own day), at the local time
/// of day of its defaults, and never in the past: a series picked up again
/// after a pause goes on from today, not from months ago.
pub fn next_date_start(
    recurrence: Recurrence,
    defaults: &Schedule,
    latest: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> DateTime<Utc> {
    let zone = defaults.time_zone;
    let model = defaults.starts_at.with_timezone(&zone).naive_local();
    let mut day = match latest {
        Some(latest) => recurrence.next_day(latest.with_timezone(&zone).date_naive()),
        None => model.date(),
    };
    // Weekly over ten years at most: a bound, not a guess.
    for _ in 0..520 {
        let at = local_instant(day.and_time(model.time()), zone);
        if at > now {
            return at;
        }
        day = recurrence.next_day(day);
    }
    local_instant(day.and_time(model.time()), zone)
}

/// `schedule` moved to start at `start`: same length, and answers close as
/// long before it as they did.
pub fn moved(schedule: &Schedule, start: DateTime<Utc>) -> Schedule {
    Schedule {
        starts_at: start,
        ends_at: start + (schedule.ends_at - schedule.starts_at),
        time_zone: schedule.time_zone,
        rsvp_deadline: schedule.rsvp_deadline.map(|deadline| start - (schedule.starts_at - deadline)),
    }
}

/// A series as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub id: Uuid,
    pub organiser_id: Uuid,
    pub settings: SeriesSettings,
    pub created_at: DateTime<Utc>,
}

/// What the organiser sets on a series, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesSettings {
    pub name: String,
    pub recurrence: Recurrence,
    /// Whether walk-ins and confirmed registrants join the community.
    pub walk_ins_join: bool,
    /// A "yes" turned "no" this close to the start is a late cancellation.
    pub late_cancellation_hours: u32,
}

/// Longest window for a late cancellation: a week.
pub const MAX_LATE_CANCELLATION_HOURS: u32 = 168;

/// A series' settings as a door received them.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct SeriesFields {
    pub name: String,
    pub rule: String,
    pub every: Option<i64>,
    pub nth: Option<i64>,
    pub walk_ins_join: bool,
    pub late_cancellation_hours: i64,
}

impl TryFrom<SeriesFields> for SeriesSettings {
    type Error = FieldErrors;

    fn try_from(fields: SeriesFields) -> Result<Self, FieldErrors> {
        let mut v = Validator::default();
        let name = v.check("name", bounded(&fields.name, 1, 200, false));
        let recurrence = match Recurrence::from_parts(&fields.rule, fields.every, fields.nth) {
            Ok(recurrence) => Some(recurrence),
            Err(errors) => {
                for (field, problem) in errors {
                    v.add(&field, problem);
                }
                None
            }
        };
        let hours = i64::from(MAX_LATE_CANCELLATION_HOURS);
        let late = v.check(
            "late_cancellation_hours",
            u32::try_from(fields.late_cancellation_hours)
                .ok()
                .filter(|h| i64::from(*h) <= hours)
                .ok_or_else(|| out_of_range(0, hours)),
        );
        match (name, recurrence, late, v.finish()) {
            (Some(name), Some(recurrence), Some(late_cancellation_hours), Ok(())) => {
                Ok(Self { name, recurrence, walk_ins_join: fields.walk_ins_join, late_cancellation_hours })
            }
            (.., result) => Err(result.err().unwrap_or_default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paris(local: &str) -> DateTime<Utc> {
        local_instant(local.parse().unwrap(), chrono_tz::Europe::Paris)
    }

    #[test]
    fn a_number_of_weeks_out_of_range_is_refused_whatever_the_rule() {
        for rule in ["weekly", "every_n_weeks", "monthly_nth_weekday"] {
            let refused = Recurrence::from_parts(rule, Some(0), None).unwrap_err();
            assert!(refused.contains_key("every"), "{rule}");
        }
        assert_eq!(Recurrence::from_parts("monthly_nth_weekday", Some(1), None).unwrap(), Recurrence::MonthlyOn(None));
        assert_eq!(Recurrence::from_parts("weekly", None, None).unwrap(), Recurrence::Weeks(1));
    }

    #[test]
    fn the_same_weekday_next_month_keeps_its_rank_and_local_time_across_summer_time() {
        let first_thursday_march = paris("2027-03-04T08:30:00");
        let next = Recurrence::MonthlyOn(None).next_start(first_thursday_march, chrono_tz::Europe::Paris);
        // 1 April 2027 is the first Thursday; Paris is on summer time by then.
        assert_eq!(next, paris("2027-04-01T08:30:00"));
        assert_eq!(next.to_rfc3339(), "2027-04-01T06:30:00+00:00");
    }

    #[test]
    fn a_next_date_takes_its_day_from_the_rule_and_its_time_from_the_defaults_never_in_the_past() {
        let zone = chrono_tz::Europe::Paris;
        let defaults = Schedule {
            starts_at: paris("2027-01-07T09:00:00"),
            ends_at: paris("2027-01-07T11:00:00"),
            time_zone: zone,
            rsvp_deadline: None,
        };
        let rule = Recurrence::MonthlyOn(None);
        // After a date on the first Thursday of March at 8:30: the first of April, at 9:00.
        let latest = paris("2027-03-04T08:30:00");
        let now = paris("2027-03-05T00:00:00");
        assert_eq!(next_date_start(rule, &defaults, Some(latest), now), paris("2027-04-01T09:00:00"));
        // Picked up again in June after that March date: July, not April.
        let june = paris("2027-06-10T00:00:00");
        assert_eq!(next_date_start(rule, &defaults, Some(latest), june), paris("2027-07-01T09:00:00"));
        // No date yet: the defaults' own day while it is to come.
        assert_eq!(next_date_start(rule, &defaults, None, paris("2027-01-01T00:00:00")), defaults.starts_at);
    }

    #[test]
    fn a_fifth_weekday_becomes_the_last_of_the_next_month() {
        // 30 December 2026 is the fifth Wednesday; January 2027's last is the 27th.
        let date = NaiveDate::from_ymd_opt(2026, 12, 30).unwrap();
        assert_eq!(Recurrence::MonthlyOn(None).next_day(date), NaiveDate::from_ymd_opt(2027, 1, 27).unwrap());
    }

    #[test]
    fn a_chosen_rank_and_weekly_rules_give_the_expected_days() {
        let date = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let cases = [
            (Recurrence::Weeks(1), (2026, 12, 10)),
            (Recurrence::Weeks(2), (2026, 12, 17)),
            (Recurrence::MonthlyOn(Some(Rank::Nth(2))), (2027, 1, 14)),
            (Recurrence::MonthlyOn(Some(Rank::Last)), (2027, 1, 28)),
        ];
        for (rule, (y, m, d)) in cases {
            assert_eq!(rule.next_day(date), NaiveDate::from_ymd_opt(y, m, d).unwrap(), "{rule:?}");
        }
    }

    #[test]
    fn a_time_skipped_by_summer_time_is_read_an_hour_later() {
        assert_eq!(paris("2027-03-28T02:30:00").to_rfc3339(), "2027-03-28T01:30:00+00:00");
    }

    #[test]
    fn moving_a_schedule_keeps_its_length_and_its_deadline_before_the_start() {
        let schedule = Schedule {
            starts_at: paris("2026-12-03T08:30:00"),
            ends_at: paris("2026-12-03T10:00:00"),
            time_zone: chrono_tz::Europe::Paris,
            rsvp_deadline: Some(paris("2026-12-01T08:30:00")),
        };
        let moved = moved(&schedule, paris("2027-01-07T08:30:00"));
        assert_eq!(moved.ends_at, paris("2027-01-07T10:00:00"));
        assert_eq!(moved.rsvp_deadline, Some(paris("2027-01-05T08:30:00")));
    }

    #[test]
    fn settings_refuse_unknown_rules_and_out_of_range_numbers_field_by_field() {
        let fields = SeriesFields {
            name: " ".into(),
            rule: "every_n_weeks".into(),
            every: Some(13),
            late_cancellation_hours: -1,
            ..SeriesFields::default()
        };
        let errors = SeriesSettings::try_from(fields).unwrap_err();
        assert_eq!(errors.keys().collect::<Vec<_>>(), ["every", "late_cancellation_hours", "name"]);
        let fields = SeriesFields {
            name: "Café".into(),
            rule: "monthly_nth_weekday".into(),
            nth: Some(-1),
            ..Default::default()
        };
        let settings = SeriesSettings::try_from(fields).unwrap();
        assert_eq!(settings.recurrence, Recurrence::MonthlyOn(Some(Rank::Last)));
    }
}
