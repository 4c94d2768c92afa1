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

/// Most nudges a plan holds.
pub const MAX_NUDGES: usize = 10;

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

/// The schema of an optional step of the plan (the reminder, the
/// thank-you): an [`Offset`], or blank for none, as the plan's rules read it.
pub struct OffsetOrBlank;

impl utoipa::PartialSchema for OffsetOrBlank {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .description(Some("As `Offset`; blank (or `null`) for none."))
            .pattern(Some(format!("^[{}]*$|{}", crate::domain::text::WHITESPACE, offset_pattern())))
            .examples([serde_json::json!("P1D")])
            .into()
    }
}

impl utoipa::ToSchema for OffsetOrBlank {}

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
    /// The venue's summary (headcount, names, waiting list, catering) to
    /// those who run the event and the venue's contact, this long before
    /// the start; by default with the reminder.
    pub venue_summary: Option<Offset>,
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
            venue_summary: Some(Offset(86_400)),
            follow_up: Some(Offset(2 * 3_600)),
        }
    }
}

/// A unit of one step of a plan, as the dashboard offers them: "7 days",
/// "2 hours". Seconds are there only for plans made through the API at
/// second precision, so that the form shows them as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepUnit {
    Days,
    Hours,
    Minutes,
    Seconds,
}

impl StepUnit {
    pub const ALL: [Self; 4] = [Self::Days, Self::Hours, Self::Minutes, Self::Seconds];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Days => "days",
            Self::Hours => "hours",
            Self::Minutes => "minutes",
            Self::Seconds => "seconds",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|unit| unit.as_str() == raw.trim())
    }

    const fn seconds(self) -> i64 {
        match self {
            Self::Days => 86_400,
            Self::Hours => 3_600,
            Self::Minutes => 60,
            Self::Seconds => 1,
        }
    }
}

/// One step of a plan as a person writes it: a whole number and a unit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StepFields {
    pub amount: String,
    pub unit: String,
}

impl StepFields {
    pub fn new(amount: impl Into<String>, unit: StepUnit) -> Self {
        Self { amount: amount.into(), unit: unit.as_str().to_owned() }
    }

    /// The step of an offset, in the largest unit that divides it exactly.
    pub fn of(offset: Offset) -> Self {
        let unit = StepUnit::ALL
            .into_iter()
            .find(|unit| offset.0 % unit.seconds() == 0 && (offset.0 > 0 || *unit == StepUnit::Days))
            .unwrap_or(StepUnit::Seconds);
        Self::new((offset.0 / unit.seconds()).to_string(), unit)
    }

    pub fn is_blank(&self) -> bool {
        self.amount.trim().is_empty()
    }

    /// # Errors
    /// A message naming what is wrong, for the person who typed it.
    pub fn offset(&self) -> Result<Offset, String> {
        let unit =
            StepUnit::parse(&self.unit).ok_or_else(|| format!("'{}' is not a unit: days or hours", self.unit))?;
        let amount = self.amount.trim();
        let number: i64 = amount
            .parse()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| format!("'{amount}' is not a whole number of {}", unit.as_str()))?;
        let total = number.checked_mul(unit.seconds()).filter(|total| *total <= MAX_OFFSET_SECONDS);
        total.map(Offset).ok_or_else(|| format!("'{amount} {}' is more than a year", unit.as_str()))
    }
}

/// The plans an organiser picks from instead of writing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanPreset {
    /// The default plan: nudges 7 and 3 days before, answers close 2 days
    /// before, the reminder the day before, the thank-you 2 hours after.
    Usual,
    /// As usual, with a single nudge 3 days before.
    OneNudge,
    /// As usual, without nudges.
    NoNudges,
}

impl PlanPreset {
    pub const ALL: [Self; 3] = [Self::Usual, Self::OneNudge, Self::NoNudges];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Usual => "usual",
            Self::OneNudge => "one_nudge",
            Self::NoNudges => "no_nudges",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|preset| preset.as_str() == raw.trim())
    }

    /// The preset's plan; whether maybes are nudged is hers to say (and
    /// when the venue's summary goes, set apart from the preset).
    pub fn plan(self, nudge_maybes: bool) -> ReminderPlan {
        let usual = ReminderPlan::default();
        let nudges = match self {
            Self::Usual => usual.nudges.clone(),
            Self::OneNudge => vec![Offset(3 * 86_400)],
            Self::NoNudges => Vec::new(),
        };
        ReminderPlan { nudges, nudge_maybes, ..usual }
    }

    /// The preset a plan follows, whatever it says of maybes and of the
    /// venue's summary.
    pub fn of(plan: &ReminderPlan) -> Option<Self> {
        Self::ALL.into_iter().find(|preset| {
            ReminderPlan { venue_summary: plan.venue_summary, ..preset.plan(plan.nudge_maybes) } == *plan
        })
    }
}

/// The plan as the dashboard asks for it: a preset, or `custom` and its
/// steps (blank nudge steps are left out; a blank reminder or thank-you
/// means none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanChoice {
    pub preset: String,
    pub nudges: Vec<StepFields>,
    pub nudge_maybes: bool,
    pub answers_close: StepFields,
    pub reminder: StepFields,
    pub follow_up: StepFields,
    /// Whatever the preset: blank for no summary.
    pub venue_summary: StepFields,
}

/// The value of `PlanChoice::preset` for a plan of her own.
pub const CUSTOM_PLAN: &str = "custom";

impl PlanChoice {
    /// The choice that gives back `plan`: its preset, else its steps.
    pub fn of(plan: &ReminderPlan) -> Self {
        let step = |offset: Option<Offset>| offset.map(StepFields::of).unwrap_or_default();
        Self {
            preset: PlanPreset::of(plan).map_or(CUSTOM_PLAN, PlanPreset::as_str).to_owned(),
            nudges: plan.nudges.iter().copied().map(StepFields::of).collect(),
            nudge_maybes: plan.nudge_maybes,
            answers_close: StepFields::of(plan.answers_close),
            reminder: step(plan.reminder),
            follow_up: step(plan.follow_up),
            venue_summary: step(plan.venue_summary),
        }
    }
}

/// What a plan slot does when it comes due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SlotKind {
    Nudge,
    Reminder,
    VenueSummary,
    FollowUp,
}

impl SlotKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Nudge => "nudge",
            Self::Reminder => "reminder",
            Self::VenueSummary => "venue_summary",
            Self::FollowUp => "follow_up",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "nudge" => Some(Self::Nudge),
            "reminder" => Some(Self::Reminder),
            "venue_summary" => Some(Self::VenueSummary),
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
        venue_summary: Option<&str>,
        follow_up: Option<&str>,
    ) -> Option<Self> {
        if nudges.len() > MAX_NUDGES {
            v.add(
                "plan.nudges",
                Problem::new(code::TOO_MANY_NUDGES, format!("at most {MAX_NUDGES} nudges")).with("max", MAX_NUDGES),
            );
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
        let venue_summary = optional(v, "plan.venue_summary", venue_summary)?;
        let follow_up = optional(v, "plan.follow_up", follow_up)?;
        Some(Self { nudges: parsed, nudge_maybes, answers_close, reminder, venue_summary, follow_up })
    }

    /// Reads her choice: a preset, or her own steps, recording problems
    /// under the same `plan.*` fields as [`ReminderPlan::parse`].
    pub fn choose(v: &mut Validator, choice: &PlanChoice) -> Option<Self> {
        let venue_summary = if choice.venue_summary.is_blank() {
            Some(None)
        } else {
            v.check("plan.venue_summary", choice.venue_summary.offset()).map(Some)
        };
        if let Some(preset) = PlanPreset::parse(&choice.preset) {
            return Some(Self { venue_summary: venue_summary?, ..preset.plan(choice.nudge_maybes) });
        }
        if choice.preset.trim() != CUSTOM_PLAN {
            v.add("plan.preset", "must be one of usual, one_nudge, no_nudges or custom");
            return None;
        }
        // Blank rows are left out; an error names the row she typed it in.
        let nudges: Vec<(usize, &StepFields)> =
            choice.nudges.iter().enumerate().filter(|(_, step)| !step.is_blank()).collect();
        if nudges.len() > MAX_NUDGES {
            v.add(
                "plan.nudges",
                Problem::new(code::TOO_MANY_NUDGES, format!("at most {MAX_NUDGES} nudges")).with("max", MAX_NUDGES),
            );
            return None;
        }
        let mut parsed = Vec::with_capacity(nudges.len());
        let mut nudges_valid = true;
        for (i, step) in nudges {
            match v.check(&format!("plan.nudges[{i}]"), step.offset()) {
                Some(offset) => parsed.push(offset),
                None => nudges_valid = false,
            }
        }
        parsed.sort_unstable_by(|a, b| b.cmp(a));
        parsed.dedup();
        let answers_close = if choice.answers_close.is_blank() {
            v.add("plan.answers_close", Problem::new(code::REQUIRED, "is required"));
            None
        } else {
            v.check("plan.answers_close", choice.answers_close.offset())
        };
        let optional = |v: &mut Validator, field: &str, step: &StepFields| {
            if step.is_blank() { Some(None) } else { v.check(field, step.offset()).map(Some) }
        };
        let reminder = optional(v, "plan.reminder", &choice.reminder);
        let follow_up = optional(v, "plan.follow_up", &choice.follow_up);
        Some(Self {
            nudges: nudges_valid.then_some(parsed)?,
            nudge_maybes: choice.nudge_maybes,
            answers_close: answers_close?,
            reminder: reminder?,
            venue_summary: venue_summary?,
            follow_up: follow_up?,
        })
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
        if let Some(offset) = self.venue_summary {
            slots.push(Slot {
                kind: SlotKind::VenueSummary,
                key: "venue_summary".to_owned(),
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

    fn step(amount: &str, unit: &str) -> StepFields {
        StepFields { amount: amount.into(), unit: unit.into() }
    }

    #[test]
    fn steps_read_as_whole_numbers_of_a_unit_and_print_in_the_largest_exact_one() {
        for (amount, unit, seconds) in [("7", "days", 7 * 86_400), (" 36 ", "hours", 36 * 3_600), ("0", "days", 0)] {
            assert_eq!(step(amount, unit).offset().map(Offset::as_seconds), Ok(seconds), "{amount} {unit}");
        }
        for (amount, unit) in
            [("sept", "days"), ("-1", "days"), ("1.5", "days"), ("367", "days"), ("7", "months"), ("", "days")]
        {
            assert!(step(amount, unit).offset().is_err(), "{amount:?} {unit} should be refused");
        }
        for (seconds, amount, unit) in [
            (7 * 86_400, "7", "days"),
            (36 * 3_600, "36", "hours"),
            (5_400, "90", "minutes"),
            (30, "30", "seconds"),
            (0, "0", "days"),
        ] {
            assert_eq!(StepFields::of(Offset(seconds)), step(amount, unit), "{seconds}");
        }
    }

    #[test]
    fn a_choice_is_a_preset_or_her_steps_and_each_plan_gives_its_choice_back() {
        let mut v = Validator::default();
        let usual = PlanChoice {
            preset: "usual".into(),
            nudge_maybes: true,
            venue_summary: step("1", "days"),
            ..PlanChoice::default()
        };
        assert_eq!(ReminderPlan::choose(&mut v, &usual), Some(ReminderPlan::default()));
        let own = PlanChoice {
            preset: CUSTOM_PLAN.into(),
            nudges: vec![step("3", "days"), step("", "days"), step("10", "days"), step("3", "days")],
            answers_close: step("12", "hours"),
            ..PlanChoice::default()
        };
        let plan = ReminderPlan::choose(&mut v, &own).unwrap();
        assert!(v.is_empty());
        assert_eq!(plan.nudges, [Offset(10 * 86_400), Offset(3 * 86_400)], "sorted, repeats dropped");
        assert_eq!((plan.reminder, plan.follow_up, plan.answers_close), (None, None, Offset(12 * 3_600)));
        assert_eq!(plan.venue_summary, None, "a blank summary step is none");
        let later_summary = ReminderPlan { venue_summary: Some(Offset(2 * 3_600)), ..ReminderPlan::default() };
        assert_eq!(PlanChoice::of(&later_summary).preset, "usual", "the summary's time is apart from the preset");
        for plan in [ReminderPlan::default(), PlanPreset::NoNudges.plan(false), later_summary, plan] {
            assert_eq!(ReminderPlan::choose(&mut v, &PlanChoice::of(&plan)), Some(plan));
        }
        assert_eq!(PlanChoice::of(&PlanPreset::OneNudge.plan(false)).preset, "one_nudge");
    }

    #[test]
    fn a_wrong_step_is_named_by_its_row() {
        let mut v = Validator::default();
        let own = PlanChoice {
            preset: CUSTOM_PLAN.into(),
            nudges: vec![step("7", "days"), step("", "days"), step("x", "days")],
            answers_close: step("", "days"),
            ..PlanChoice::default()
        };
        assert_eq!(ReminderPlan::choose(&mut v, &own), None);
        let errors = v.finish().unwrap_err();
        assert_eq!(errors.keys().collect::<Vec<_>>(), ["plan.answers_close", "plan.nudges[2]"]);
        let mut v = Validator::default();
        assert_eq!(
            ReminderPlan::choose(&mut v, &PlanChoice { preset: "weekly".into(), ..PlanChoice::default() }),
            None
        );
        assert!(v.finish().unwrap_err().contains_key("plan.preset"));
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
                ("venue_summary", "2030-12-02T07:30:00+00:00".to_owned()),
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
