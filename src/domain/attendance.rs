//! Who really comes: a member's history across the dates of a series. The
//! rules are written once here for one date; `storage::attendance` counts
//! the same conditions in SQL over every date at once (its doc says which
//! line mirrors which rule), and the unit tests below pin them down.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::answer::Answer;

/// What happened to one person at one date of the series.
// Independent facts of one date, not states of one machine.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AtDate {
    /// Added at the door rather than invited.
    pub walk_in: bool,
    pub answer: Option<Answer>,
    /// Her "yes" was waiting for a seat.
    pub waiting: bool,
    pub checked_in: bool,
    /// Somebody was checked in at this date: the door was kept, so a seated
    /// "yes" not checked in did not come.
    pub check_in_used: bool,
    /// When her answer last became "no" after having been "yes", if it did.
    pub yes_turned_no_at: Option<DateTime<Utc>>,
    pub starts_at: DateTime<Utc>,
}

impl AtDate {
    pub fn invited(&self) -> bool {
        !self.walk_in
    }

    pub fn answered(&self) -> bool {
        self.invited() && self.answer.is_some()
    }

    pub fn said_yes(&self) -> bool {
        self.invited() && self.answer == Some(Answer::Yes)
    }

    /// Checked in at the door, walk-ins included.
    pub fn came(&self) -> bool {
        self.checked_in
    }

    /// A seated "yes" not checked in, where the door kept count.
    pub fn no_show(&self) -> bool {
        self.check_in_used && self.said_yes() && !self.waiting && !self.checked_in
    }

    /// A "yes" turned "no" less than `hours` before the start (or after it).
    pub fn late_cancellation(&self, hours: u32) -> bool {
        self.answer == Some(Answer::No)
            && self.yes_turned_no_at.is_some_and(|at| at > self.starts_at - Duration::hours(i64::from(hours)))
    }
}

/// A member's counts across the dates of a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, ToSchema)]
pub struct Tally {
    /// Dates she was on the list of, invited or at the door.
    pub dates: u32,
    pub invited: u32,
    pub answered: u32,
    pub yes: u32,
    pub came: u32,
    pub no_shows: u32,
    pub late_cancellations: u32,
}

impl Tally {
    /// Adds one date.
    pub fn add(&mut self, date: &AtDate, late_hours: u32) {
        let one = |yes: bool| u32::from(yes);
        self.dates += 1;
        self.invited += one(date.invited());
        self.answered += one(date.answered());
        self.yes += one(date.said_yes());
        self.came += one(date.came());
        self.no_shows += one(date.no_show());
        self.late_cancellations += one(date.late_cancellation(late_hours));
    }

    /// "came 3 of 4": never a bare percentage, and a share only once three
    /// dates make it mean something.
    pub fn came_share(&self) -> Option<u32> {
        (self.dates >= 3).then(|| self.came * 100 / self.dates)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn start() -> DateTime<Utc> {
        "2026-12-03T07:30:00Z".parse().unwrap()
    }

    fn date(answer: Option<Answer>) -> AtDate {
        AtDate { answer, starts_at: start(), check_in_used: true, ..AtDate::default() }
    }

    #[test]
    fn a_seated_yes_not_checked_in_is_a_no_show_only_where_the_door_kept_count() {
        let yes = date(Some(Answer::Yes));
        assert!(yes.no_show());
        assert!(!AtDate { check_in_used: false, ..yes.clone() }.no_show());
        assert!(!AtDate { checked_in: true, ..yes.clone() }.no_show());
        assert!(!AtDate { waiting: true, ..yes }.no_show(), "a waiting yes had no seat to miss");
    }

    #[test]
    fn a_walk_in_came_without_being_invited() {
        let walk_in = AtDate { walk_in: true, checked_in: true, ..date(None) };
        let mut tally = Tally::default();
        tally.add(&walk_in, 24);
        assert_eq!(tally, Tally { dates: 1, came: 1, ..Tally::default() });
    }

    #[test]
    fn a_yes_turned_no_inside_the_window_is_a_late_cancellation() {
        let at = |hours_before: i64| AtDate {
            yes_turned_no_at: Some(start() - Duration::hours(hours_before)),
            ..date(Some(Answer::No))
        };
        assert!(at(3).late_cancellation(24));
        assert!(!at(30).late_cancellation(24));
        assert!(at(-1).late_cancellation(24), "after the start is later still");
        assert!(!AtDate { answer: Some(Answer::Yes), ..at(3) }.late_cancellation(24), "back to yes since");
        assert!(!date(Some(Answer::No)).late_cancellation(24), "never said yes");
    }

    #[test]
    fn the_share_is_given_from_three_dates_on() {
        let tally = Tally { dates: 2, came: 2, ..Tally::default() };
        assert_eq!(tally.came_share(), None);
        assert_eq!(Tally { dates: 4, came: 3, ..tally }.came_share(), Some(75));
    }
}
