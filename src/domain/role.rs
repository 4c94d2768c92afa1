//! Who may do what on an event: the one rule every door goes through (the
//! application layer asks it before touching an event; see `app::access`).
//! Someone without the right sees "not found", exactly as for an event that
//! does not exist, so a role never reveals more than it grants.

use chrono::{DateTime, Days, NaiveTime, Utc};

use super::event::Schedule;
use super::series::local_instant;

/// An organiser's part in one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Created it: everything, including cancelling it and managing the team.
    Owner,
    /// Everything about guests, answers, emails, check-in and results; not
    /// the team, not cancelling.
    CoOrganiser,
    /// The door on the day: the check-in page, check-ins and walk-ins only.
    DoorHelper,
}

/// What an organiser asks to do to an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See the event, its guests, answers, history and results; change its
    /// details, guests and answers; publish it; send its emails.
    Manage,
    /// The door: the check-in page, the printable list, check-ins, walk-ins.
    CheckIn,
    /// Cancel the event, invite or remove its team.
    Own,
}

impl Role {
    /// The roles one may invite (the owner is the event's creator).
    pub const INVITABLE: [Self; 2] = [Self::CoOrganiser, Self::DoorHelper];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::CoOrganiser => "co_organiser",
            Self::DoorHelper => "door_helper",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Owner, Self::CoOrganiser, Self::DoorHelper].into_iter().find(|r| r.as_str() == raw)
    }

    /// The stronger of two roles: an organiser on an event's team and on its
    /// series' team has the larger of the two.
    #[must_use]
    pub fn stronger(self, other: Self) -> Self {
        let rank = |role: Self| match role {
            Self::Owner => 2,
            Self::CoOrganiser => 1,
            Self::DoorHelper => 0,
        };
        if rank(other) > rank(self) { other } else { self }
    }

    /// Whether this role allows `action` on a series itself (its page, its
    /// community, its defaults, its next date): a door helper keeps the
    /// doors of its dates, nothing of the series.
    pub fn may_on_series(self, action: Action) -> bool {
        match (self, action) {
            (Self::Owner, _) | (Self::CoOrganiser, Action::Manage) => true,
            (Self::CoOrganiser, Action::CheckIn | Action::Own) | (Self::DoorHelper, _) => false,
        }
    }

    /// Whether this role allows `action` on an event with this schedule, at `now`.
    pub fn may(self, action: Action, schedule: &Schedule, now: DateTime<Utc>) -> bool {
        match (self, action) {
            (Self::Owner, _) | (Self::CoOrganiser, Action::Manage | Action::CheckIn) => true,
            (Self::DoorHelper, Action::CheckIn) => door_open(schedule, now),
            (Self::CoOrganiser, Action::Own) | (Self::DoorHelper, Action::Manage | Action::Own) => false,
        }
    }
}

/// Whether an organiser only keeps doors: nothing of her own (no event,
/// no series, no API key, no webhook) and a door helper wherever she was
/// invited. Her dashboard then offers only her doors, not the pages she
/// has no use for.
pub fn door_only(owns_anything: bool, shared: &[Role]) -> bool {
    !owns_anything && !shared.is_empty() && shared.iter().all(|role| *role == Role::DoorHelper)
}

/// "On the day": from midnight of the day it starts to midnight after the
/// day it ends, in the event's time zone. A helper signed in the evening
/// before sees nothing yet; the next morning the door opens for her.
pub fn door_open(schedule: &Schedule, now: DateTime<Utc>) -> bool {
    let zone = schedule.time_zone;
    let first_day = schedule.starts_at.with_timezone(&zone).date_naive();
    let last_day = schedule.ends_at.with_timezone(&zone).date_naive();
    let opens = local_instant(first_day.and_time(NaiveTime::MIN), zone);
    let closes =
        local_instant(last_day.checked_add_days(Days::new(1)).unwrap_or(last_day).and_time(NaiveTime::MIN), zone);
    (opens..closes).contains(&now)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn breakfast() -> Schedule {
        // 8:30 to 10:00 in Paris on 3 December (UTC+1).
        Schedule {
            starts_at: Utc.with_ymd_and_hms(2026, 12, 3, 7, 30, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap(),
            time_zone: chrono_tz::Europe::Paris,
            rsvp_deadline: None,
        }
    }

    #[test]
    fn each_role_may_do_what_its_name_says() {
        let s = breakfast();
        let on_the_day = Utc.with_ymd_and_hms(2026, 12, 3, 7, 0, 0).unwrap();
        let table = [
            (Role::Owner, Action::Manage, true),
            (Role::Owner, Action::CheckIn, true),
            (Role::Owner, Action::Own, true),
            (Role::CoOrganiser, Action::Manage, true),
            (Role::CoOrganiser, Action::CheckIn, true),
            (Role::CoOrganiser, Action::Own, false),
            (Role::DoorHelper, Action::Manage, false),
            (Role::DoorHelper, Action::CheckIn, true),
            (Role::DoorHelper, Action::Own, false),
        ];
        for (role, action, allowed) in table {
            assert_eq!(role.may(action, &s, on_the_day), allowed, "{role:?} {action:?}");
        }
    }

    #[test]
    fn the_door_is_open_to_a_helper_on_the_local_day_only() {
        let s = breakfast();
        let at = |d, h, m| Utc.with_ymd_and_hms(2026, 12, d, h, m, 0).unwrap();
        // Midnight in Paris is 23:00 UTC the day before.
        assert!(!door_open(&s, at(2, 22, 59)));
        assert!(door_open(&s, at(2, 23, 0)));
        assert!(door_open(&s, at(3, 22, 59)));
        assert!(!door_open(&s, at(3, 23, 0)));
        // Owners and co-organisers are not bound to the day.
        assert!(Role::CoOrganiser.may(Action::CheckIn, &s, at(20, 0, 0)));
        assert!(!Role::DoorHelper.may(Action::CheckIn, &s, at(20, 0, 0)));
    }

    #[test]
    fn only_a_helper_with_nothing_of_her_own_keeps_doors_only() {
        assert!(door_only(false, &[Role::DoorHelper, Role::DoorHelper]));
        assert!(!door_only(true, &[Role::DoorHelper]), "her own events");
        assert!(!door_only(false, &[Role::DoorHelper, Role::CoOrganiser]), "she co-organises one");
        assert!(!door_only(false, &[]), "a new organiser starts with everything");
    }

    #[test]
    fn the_stronger_role_wins_and_a_series_is_no_door() {
        use Role::{CoOrganiser, DoorHelper, Owner};
        assert_eq!(DoorHelper.stronger(CoOrganiser), CoOrganiser);
        assert_eq!(CoOrganiser.stronger(DoorHelper), CoOrganiser);
        assert_eq!(CoOrganiser.stronger(Owner), Owner);
        assert_eq!(DoorHelper.stronger(DoorHelper), DoorHelper);
        assert!(CoOrganiser.may_on_series(Action::Manage));
        assert!(!CoOrganiser.may_on_series(Action::Own));
        assert!(!DoorHelper.may_on_series(Action::Manage));
        assert!(!DoorHelper.may_on_series(Action::CheckIn));
        assert!(Owner.may_on_series(Action::Own));
    }

    #[test]
    fn roles_read_back_what_they_write() {
        for role in [Role::Owner, Role::CoOrganiser, Role::DoorHelper] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("admin"), None);
    }
}
