//! The reminder plan: when Convive nudges, closes answers, reminds and
//! follows up, as offsets from the event's start or end.
//!
//! Offsets are ISO 8601 durations restricted to weeks, days, hours, minutes
//! and seconds (`P7D`, `PT2H`, `P1DT12H`, `PT30S`): months and years have no
//! fixed length, so "one month before" would drift. Second precision lets a
//! test run a whole plan in a minute against a real clock.

use std::fmt;

use chrono::{DateTime, Duration, Utc};

use super::Validator;
use super::event::Schedule;
use super::problem::{Problem, code};
use super::text::WHITESPACE;

/// A non-negative duration with second precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Offset(i64);

/// A year is as far ahead as a plan may reach.
const MAX_OFFSET_SECONDS: i64 = 366 * 24 * 3600;

impl Offset {
    pub const fn seconds(seconds: i64) -> Self {
        Self(seconds)
    }

    pub fn as_seconds(self) -> i64 {
        self.0
    }

    pub fn duration(self) -> Duration {
        Duration::seconds(self.0)
    }

    /// # Errors
    /// A message naming what is wrong, for the person who typed it.
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let invalid = || {
            let message = format!("'{raw}' is not an ISO 8601 duration such as P7D, PT2H or P1DT30M");
            Problem::new(code::INVALID_DURATION, message).with("value", raw)
        };
        let text = raw.trim().to_ascii_uppercase();
        let rest = text.strip_prefix('P').ok_or_else(invalid)?;
        if rest.is_empty() || rest == "T" || rest.ends_with('T') {
            return Err(invalid());
        }
        let (mut total, mut number, mut in_time, mut last_rank) = (0i64, String::new(), false, 0u8);
        for c in rest.chars() {
            match c {
                '0'..='9' => number.push(c),
                'T' if !in_time && number.is_empty() => in_time = true,
                unit => {
                    let (rank, seconds) = match (in_time, unit) {
                        (false, 'W') => (1, 7 * 86_400),
                        (false, 'D') => (2, 86_400),
                        (true, 'H') => (3, 3_600),
                        (true, 'M') => (4, 60),
                        (true, 'S') => (5, 1),
                        (false, 'Y' | 'M') => {
                            let message = format!("'{raw}': months and years have no fixed length; use weeks or days");
                            return Err(Problem::new(code::INVALID_DURATION, message).with("value", raw));
                        }
                        _ => return Err(invalid()),
                    };
                    if number.is_empty() || rank <= last_rank {
                        return Err(invalid());
                    }
                    let value: i64 = number.parse().map_err(|_| invalid())?;
                    total = value.checked_mul(seconds).and_then(|s| total.checked_add(s)).ok_or_else(invalid)?;
                    number.clear();
                    last_rank = rank;
                }
            }
        }
        if !number.is_empty() {
            return Err(invalid());
        }
        if total > MAX_OFFSET_SECONDS {
            return Err(Problem::new(code::INVALID_DURATION, format!("'{raw}' is more than a year")).with("value", raw));
        }
        Ok(Self(total))
    }
}

/// The shape of what [`Offset::parse`] takes.
fn offset_pattern() -> String {
    format!(
        r"^[{WHITESPACE}]*[Pp]([0-9]+[Ww])?([0-9]+[Dd])?([Tt]([0-9]+[Hh])?([0-9]+[Mm])?([0-9]+[Ss])?)?[{WHITESPACE}]*$"
    )
}

/// An offset as a client writes it, for the OpenAPI document. The pattern
/// has the shape [`Offset::parse`] takes; a year at most is said in words.
impl utoipa::PartialSchema for Offset {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some(
                "An ISO 8601 duration in weeks, days, hours, minutes and seconds (`P7D`, `PT2H`, `P1DT30M`), \
                 at most a year; months and years have no fixed length and are refused.",
            ))
            .pattern(Some(offset_pattern()))
            .examples([serde_json::json!("P7D")])
            .into()
    }
}

impl utoipa::ToSchema for Offset {
    fn name() -> std::borrow::Cow<'static, str> {
        "Duration".into()
    }
}

impl fmt::Display for Offset {
    /// The canonical form: `P7D`, `PT2H`, `P1DT2H30M`, `PT0S`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (days, rest) = (self.0 / 86_400, self.0 % 86_400);
        let (hours, minutes, seconds) = (rest / 3_600, rest % 3_600 / 60, rest % 60);
        f.write_str("P")?;
        if days > 0 {
            write!(f, "{days}D")?;
        }
        if rest > 0 || days == 0 {
            f.write_str("T")?;
            if hours > 0 {
                write!(f, "{hours}H")?;
            }
            if minutes > 0 {
                write!(f, "{minutes}M")?;
            }
            if seconds > 0 || rest == 0 {
                write!(f, "{seconds}S")?;
            }
        }
        Ok(())
    }
}

/// When the automatic emails of an event go out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderPlan {
    /// Nudges to those who have not answered, this long before the start.
    pub nudges: Vec<Offset>,
    /// Whether nudges also go to those who answered "maybe".
    pub nudge_maybes: bool,
    /// Answers close this long before the start, unless the event has an
    /// explicit RSVP deadline. Nudges stop then.
    pub answers_close: Offset,
    /// The practical reminder to those coming, this long before the start.
    pub reminder: Option<Offset>,
    /// The thank-you / "sorry we missed you", this long after the end.
    pub follow_up: Option<Offset>,
}

impl Default for ReminderPlan {
    fn default() -> Self {
        Self {
            nudges: vec![Offset(7 * 86_400), Offset(3 * 86_400)],
            nudge_maybes: true,
            answers_close: Offset(2 * 86_400),
            reminder: Some(Offset(86_400)),
            follow_up: Some(Offset(2 * 3_600)),
        }
    }
}

/// What a plan slot does when it comes due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SlotKind {
    Nudge,
    Reminder,
    FollowUp,
}

impl SlotKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Nudge => "nudge",
            Self::Reminder => "reminder",
            Self::FollowUp => "follow_up",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "nudge" => Some(Self::Nudge),
            "reminder" => Some(Self::Reminder),
            "follow_up" => Some(Self::FollowUp),
            _ => None,
        }
    }
}

/// One moment of the plan. `key` names it stably (`nudge:P7D`) so that a
/// re-plan after the event moves never repeats what was already sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub kind: SlotKind,
    pub key: String,
    pub due_at: DateTime<Utc>,
}

impl ReminderPlan {
    /// Parses the plan's parts, recording problems under `plan.*` fields.
    pub fn parse(
        v: &mut Validator,
        nudges: &[String],
        nudge_maybes: bool,
        answers_close: &str,
        reminder: Option<&str>,
        follow_up: Option<&str>,
    ) -> Option<Self> {
        if nudges.len() > 10 {
            v.add("plan.nudges", Problem::new(code::TOO_MANY_NUDGES, "at most 10 nudges").with("max", 10));
            return None;
        }
        let mut parsed = Vec::with_capacity(nudges.len());
        for (i, raw) in nudges.iter().enumerate() {
            parsed.push(v.check(&format!("plan.nudges[{i}]"), Offset::parse(raw))?);
        }
        parsed.sort_unstable_by(|a, b| b.cmp(a));
        parsed.dedup();
        let answers_close = v.check("plan.answers_close", Offset::parse(answers_close))?;
        let optional = |v: &mut Validator, field: &str, raw: Option<&str>| match raw.map(str::trim) {
            None | Some("") => Some(None),
            Some(raw) => v.check(field, Offset::parse(raw)).map(Some),
        };
        let reminder = optional(v, "plan.reminder", reminder)?;
        let follow_up = optional(v, "plan.follow_up", follow_up)?;
        Some(Self { nudges: parsed, nudge_maybes, answers_close, reminder, follow_up })
    }

    /// When guests can no longer answer: the explicit deadline, else the
    /// plan's offset before the start.
    pub fn answers_close_at(&self, schedule: &Schedule) -> DateTime<Utc> {
        schedule.rsvp_deadline.unwrap_or(schedule.starts_at - self.answers_close.duration())
    }

    /// Every slot of the plan for this schedule. Nudges due at or after the
    /// close of answers are left out: les dés sont jetés.
    pub fn slots(&self, schedule: &Schedule) -> Vec<Slot> {
        let closes = self.answers_close_at(schedule);
        let mut slots: Vec<Slot> = self
            .nudges
            .iter()
            .map(|offset| Slot {
                kind: SlotKind::Nudge,
                key: format!("nudge:{offset}"),
                due_at: schedule.starts_at - offset.duration(),
            })
            .filter(|slot| slot.due_at < closes)
            .collect();
        if let Some(offset) = self.reminder {
            slots.push(Slot {
                kind: SlotKind::Reminder,
                key: "reminder".to_owned(),
                due_at: schedule.starts_at - offset.duration(),
            });
        }
        if let Some(offset) = self.follow_up {
            slots.push(Slot {
                kind: SlotKind::FollowUp,
                key: "follow_up".to_owned(),
                due_at: schedule.ends_at + offset.duration(),
            });
        }
        slots
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Every offset the rules take, the document's pattern admits.
        #[test]
        fn the_offset_pattern_admits_every_offset_taken(raw in "[ PpTtWwDdHhMmSsYy0-9]{0,12}") {
            if Offset::parse(&raw).is_ok() {
                let pattern = regex::Regex::new(&offset_pattern()).unwrap();
                proptest::prop_assert!(pattern.is_match(&raw), "{raw:?} is taken but not admitted");
            }
        }
    }

    #[test]
    fn offsets_parse_and_print_canonically() {
        for (raw, seconds, canonical) in [
            ("P7D", 7 * 86_400, "P7D"),
            ("PT2H", 7_200, "PT2H"),
            ("p1dt2h30m", 86_400 + 9_000, "P1DT2H30M"),
            ("PT30S", 30, "PT30S"),
            ("P1W", 7 * 86_400, "P7D"),
            ("PT0S", 0, "PT0S"),
            ("PT90M", 5_400, "PT1H30M"),
        ] {
            let offset = Offset::parse(raw).unwrap_or_else(|e| panic!("{raw}: {e}"));
            assert_eq!(offset.as_seconds(), seconds, "{raw}");
            assert_eq!(offset.to_string(), canonical, "{raw}");
        }
    }

    #[test]
    fn malformed_or_unfixed_offsets_are_refused() {
        for raw in [
            "",
            "P",
            "PT",
            "7D",
            "P1M",
            "P1Y",
            "PT1D",
            "P1H",
            "P1DT",
            "PT1S2M",
            "P-1D",
            "P1.5D",
            "P400D",
            "P99999999999999999999D",
        ] {
            assert!(Offset::parse(raw).is_err(), "{raw:?} should be refused");
        }
    }

    fn schedule() -> Schedule {
        let starts_at = "2030-12-03T07:30:00Z".parse().unwrap();
        Schedule {
            starts_at,
            ends_at: "2030-12-03T09:00:00Z".parse().unwrap(),
            time_zone: chrono_tz::Europe::Paris,
            rsvp_deadline: None,
        }
    }

    #[test]
    fn the_default_plan_nudges_twice_closes_two_days_before_and_follows_up() {
        let slots = ReminderPlan::default().slots(&schedule());
        let keys: Vec<(&str, String)> = slots.iter().map(|s| (s.key.as_str(), s.due_at.to_rfc3339())).collect();
        assert_eq!(
            keys,
            [
                ("nudge:P7D", "2030-11-26T07:30:00+00:00".to_owned()),
                ("nudge:P3D", "2030-11-30T07:30:00+00:00".to_owned()),
                ("reminder", "2030-12-02T07:30:00+00:00".to_owned()),
                ("follow_up", "2030-12-03T11:00:00+00:00".to_owned()),
            ]
        );
        assert_eq!(ReminderPlan::default().answers_close_at(&schedule()).to_rfc3339(), "2030-12-01T07:30:00+00:00");
    }

    #[test]
    fn nudges_after_the_close_of_answers_are_dropped() {
        let plan = ReminderPlan { nudges: vec![Offset(86_400)], ..ReminderPlan::default() };
        assert!(plan.slots(&schedule()).iter().all(|s| s.kind != SlotKind::Nudge));
    }
}
