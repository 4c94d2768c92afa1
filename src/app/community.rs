//! The community of a series: its members, their history across the
//! dates, importing them from a spreadsheet (the guest lists' reader), and
//! "invite the community" to a date.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::access::{self, Action};
use super::guest_lists::{ListSource, ReadList, read};
use super::{App, AppError, Happening, Result, Work};
use crate::domain::attendance::{AtDate, Tally};
use crate::domain::community::{JoinedHow, Member, MemberStatus, NewMember, parse_consent};
use crate::domain::event::Language;
use crate::domain::event::{Event, EventStatus};
use crate::domain::guest::NewGuest;
use crate::domain::guest_list::{self, ImportReport, ListRow};
use crate::domain::mail::{MailKind, OutboxSlot};
use crate::domain::series::Series;
use crate::domain::token::{InvitationToken, new_salt};
use crate::storage::community::Fresh;
use crate::storage::outbox::Audience;
use crate::storage::{self, Missing};

/// Members added per statement by "invite the community": each binds four
/// values, and SQLite takes at most 32,766 per statement (PostgreSQL
/// 65,535), so a community of up to 5,000 is one statement.
const INVITE_CHUNK: usize = 5_000;

/// Most rows one community import takes (all in one transaction).
pub const MAX_IMPORT_ROWS: usize = 20_000;

/// A member with her history across the series' dates.
#[derive(Debug, Clone)]
pub struct MemberWithHistory {
    pub member: Member,
    pub tally: Tally,
}

/// Her community, with each member's history.
pub async fn list(app: &App, organiser_id: Uuid, series_id: Uuid) -> Result<(Series, Vec<MemberWithHistory>)> {
    let (series, _) = access::series(app, organiser_id, series_id, Action::Manage).await?;
    let members = storage::community::list(&*app.db, series.id).await?;
    let mut facts = storage::attendance::facts(&*app.db, series.id).await?;
    let late = series.settings.late_cancellation_hours;
    let members = members
        .into_iter()
        .map(|member| {
            let tally = tally(facts.remove(&member.id).unwrap_or_default().iter().map(|(_, at)| at), late);
            MemberWithHistory { member, tally }
        })
        .collect();
    Ok((series, members))
}

/// The community as a spreadsheet in `language`, times on the wall clock of
/// the series' latest date (UTC before it has one), with a file name.
pub async fn export(app: &App, organiser_id: Uuid, series_id: Uuid, language: Language) -> Result<(String, Vec<u8>)> {
    let (series, members) = list(app, organiser_id, series_id).await?;
    let zone = storage::events::of_series(&*app.db, series.id)
        .await?
        .last()
        .map_or(chrono_tz::UTC, |e| e.details.schedule.time_zone);
    let rows: Vec<(Member, Tally)> = members.into_iter().map(|m| (m.member, m.tally)).collect();
    let name = guest_list::export_file_name(&series.settings.name).replace("-guests.csv", "-community.csv");
    Ok((name, guest_list::community_file(language, zone, &rows)))
}

fn tally<'a>(dates: impl Iterator<Item = &'a AtDate>, late: u32) -> Tally {
    let mut tally = Tally::default();
    for date in dates {
        tally.add(date, late);
    }
    tally
}

/// One member, her counts, and what happened at each date she was on the
/// list of, earliest first.
pub async fn member(
    app: &App,
    organiser_id: Uuid,
    series_id: Uuid,
    member_id: Uuid,
) -> Result<(Member, Tally, Vec<(Event, AtDate)>)> {
    let (series, _) = access::series(app, organiser_id, series_id, Action::Manage).await?;
    let member = storage::community::find(&*app.db, series.id, member_id).await?;
    let facts = storage::attendance::facts(&*app.db, series.id).await?.remove(&member.id).unwrap_or_default();
    let dates: HashMap<Uuid, Event> =
        storage::events::of_series(&*app.db, series.id).await?.into_iter().map(|e| (e.id, e)).collect();
    let tally = tally(facts.iter().map(|(_, at)| at), series.settings.late_cancellation_hours);
    let mut history: Vec<(Event, AtDate)> =
        facts.into_iter().filter_map(|(event_id, at)| dates.get(&event_id).cloned().map(|e| (e, at))).collect();
    history.sort_by_key(|(event, _)| event.details.schedule.starts_at);
    Ok((member, tally, history))
}

/// Adds one member by hand.
pub async fn add(app: &App, organiser_id: Uuid, series_id: Uuid, member: &NewMember) -> Result<Member> {
    let work = app.begin().await?;
    let (series, _) = access::series_in(&*work, organiser_id, series_id, Action::Manage).await?;
    let added = storage::community::insert_unless_member(&*work, series.id, member, app.now()).await?;
    let added = added.ok_or_else(|| AppError::AlreadyMember { email: member.person.email.to_string() })?;
    work.commit(app).await?;
    Ok(added)
}

/// Marks a member as left, or back as active.
pub async fn set_status(
    app: &App,
    organiser_id: Uuid,
    series_id: Uuid,
    member_id: Uuid,
    status: MemberStatus,
) -> Result<Member> {
    let work = app.begin().await?;
    let (series, _) = access::series_in(&*work, organiser_id, series_id, Action::Manage).await?;
    let member = storage::community::set_status(&*work, series.id, member_id, status, app.now()).await?;
    work.commit(app).await?;
    Ok(member)
}

/// Reads a spreadsheet or a pasted list into the community, with a report
/// per row, all or nothing. Someone already a member (or who left) is
/// reported, not changed.
pub async fn import(app: &App, organiser_id: Uuid, series_id: Uuid, source: ListSource<'_>) -> Result<ImportReport> {
    access::series(app, organiser_id, series_id, Action::Manage).await?;
    let ReadList { rows, mut report, .. } = read(source)?;
    if rows.len() > MAX_IMPORT_ROWS {
        return Err(AppError::field("body", format!("must hold at most {MAX_IMPORT_ROWS} rows")));
    }
    // Consent dates without a zone are the series' local time.
    let zone = storage::series::defaults(&*app.db, series_id)
        .await?
        .map_or(chrono_tz::Tz::UTC, |defaults| defaults.schedule.time_zone);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut valid: Vec<(&ListRow, NewMember)> = Vec::new();
    for row in &rows {
        let consent = parse_consent(&row.consented, zone).map_err(|problem| {
            let mut errors = crate::domain::FieldErrors::default();
            errors.insert("consented_at".to_owned(), problem);
            errors
        });
        let parsed = consent.and_then(|at| NewMember::parse(row.to_new_guest(), &row.tags, JoinedHow::Imported, at));
        let member = match parsed {
            Ok(member) => member,
            Err(reasons) => {
                report.record_invalid(row, reasons);
                continue;
            }
        };
        if let Some(earlier) = seen.get(member.person.email.as_str()) {
            report.record_duplicate(row, &member.person, Some(*earlier));
            continue;
        }
        seen.insert(member.person.email.as_str().to_owned(), row.line);
        valid.push((row, member));
    }
    let members: Vec<NewMember> = valid.iter().map(|(_, m)| m.clone()).collect();
    let work = app.begin().await?;
    let added = storage::community::insert_many_unless_members(&*work, series_id, &members, app.now()).await?;
    work.commit(app).await?;
    for (row, member) in &valid {
        if added.contains(member.person.email.as_str()) {
            report.record_added(row, &member.person);
        } else {
            report.record_known_member(row, &member.person);
        }
    }
    Ok(report)
}

/// Adds every active member of the date's series to its guest list, in one
/// statement, and (for a published date) queues their invitations. Members
/// already invited, who left, or who unsubscribed from the organiser are
/// skipped; doing it again later invites only those who joined since.
/// Returns how many were added.
pub async fn invite(app: &App, organiser_id: Uuid, event_id: Uuid) -> Result<u64> {
    let now = app.now();
    let mut work = app.begin().await?;
    let event = access::lock_event(&*work, now, organiser_id, event_id, Action::Manage).await?;
    let Some(series_id) = event.series_id else {
        return Err(AppError::field("event", "is not a date of a series"));
    };
    // The community is the series team's: running one date does not open it.
    access::series_in(&*work, organiser_id, series_id, Action::Manage)
        .await
        .map_err(|_| AppError::NotFound(Missing::Event))?;
    if event.status == EventStatus::Cancelled {
        return Err(AppError::EventCancelled);
    }
    let fresh: Vec<Fresh> = storage::community::to_invite(&*work, series_id, &event)
        .await?
        .into_iter()
        .map(|member_id| {
            let guest_id = Uuid::now_v7();
            let salt = new_salt();
            let token_hash = InvitationToken::derive(&app.link_key, guest_id, &salt).hash();
            Fresh { member_id, guest_id, salt, token_hash }
        })
        .collect();
    let mut added = 0;
    for chunk in fresh.chunks(INVITE_CHUNK) {
        added += storage::community::invite_into(&*work, series_id, &event, chunk, now).await?;
        queue_invitations(&mut work, &event, chunk.iter().map(|f| f.guest_id).collect(), now).await?;
    }
    if added > 0 {
        work.happened(Happening::GuestsInvited { event: event.id, count: added as usize });
    }
    work.commit(app).await?;
    Ok(added)
}

async fn queue_invitations(work: &mut Work, event: &Event, ids: Vec<Uuid>, now: DateTime<Utc>) -> Result<()> {
    if event.status == EventStatus::Published {
        let queued = storage::outbox::enqueue_for_guests(
            &**work,
            event,
            MailKind::Invitation,
            &OutboxSlot::Once,
            Audience::Only(ids),
            now,
            now,
        )
        .await?;
        work.queued(queued);
    }
    Ok(())
}

/// How many "invite the community" would add to `event` now (for those
/// who run its series).
pub async fn invite_reach(app: &App, organiser_id: Uuid, event: &Event) -> Result<u64> {
    let Some(series_id) = event.series_id else {
        return Err(AppError::field("event", "is not a date of a series"));
    };
    access::series(app, organiser_id, series_id, Action::Manage)
        .await
        .map_err(|_| AppError::NotFound(Missing::Event))?;
    Ok(storage::community::to_invite(&*app.db, series_id, event).await?.len() as u64)
}

/// Someone met at a date joins its series' community, if the series says
/// so: called in the transaction that adds her (at the door, or confirming
/// a registration).
pub(crate) async fn join_from_date(
    work: &Work,
    event: &Event,
    person: &NewGuest,
    how: JoinedHow,
    now: DateTime<Utc>,
) -> Result<()> {
    let Some(series_id) = event.series_id else {
        return Ok(());
    };
    let series = storage::series::find(&**work, series_id).await?;
    if series.settings.walk_ins_join {
        storage::community::join(&**work, series.id, person, how, now).await?;
    }
    Ok(())
}
