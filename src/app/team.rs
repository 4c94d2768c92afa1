//! Running an event or a series together: the owner invites co-organisers and door
//! helpers by email (a one-time link, as for signing in), they accept, she
//! removes them. And the event's audit history: who did what by hand.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::access::{self, Action, Role};
use super::{App, AppError, OneTimeLink, Result, Work};
use crate::domain::email_address::EmailAddress;
use crate::domain::event::{Event, Language};
use crate::domain::problem::code;
use crate::domain::series::Series;
use crate::domain::token::verify_team_token;
use crate::domain::{FieldErrors, Problem};
use crate::storage::activity::{Activity, Deed};
use crate::storage::organisers::Organiser;
use crate::storage::team::{TeamMember, TeamOf};
use crate::storage::{self, Missing};

/// Most lines of history a page or the API shows.
pub const HISTORY_MOST: u64 = 500;

/// Records in `work` that `organiser_id` did `deed` to the event (about a
/// guest or a teammate): the audit history's one writer.
pub(crate) async fn record(
    work: &Work,
    event_id: Uuid,
    organiser_id: Uuid,
    deed: Deed,
    about: (Option<Uuid>, &str),
    now: DateTime<Utc>,
) -> Result<()> {
    Ok(storage::activity::record(&**work, event_id, organiser_id, deed, about, now).await?)
}

/// The role a door names, validated: one that can be invited.
fn invitable_role(raw: &str) -> std::result::Result<Role, Problem> {
    Role::parse(raw.trim())
        .filter(|role| Role::INVITABLE.contains(role))
        .ok_or_else(|| Problem::new(code::INVALID_ROLE, "must be co_organiser or door_helper").with("value", raw))
}

/// Validates an invitation's fields.
fn invitation_fields(email: &str, role: &str) -> Result<(EmailAddress, Role)> {
    let mut errors = FieldErrors::new();
    let email = EmailAddress::parse(email).map_err(|p| errors.insert("email".to_owned(), p)).ok();
    let role = invitable_role(role).map_err(|p| errors.insert("role".to_owned(), p)).ok();
    match (email, role) {
        (Some(email), Some(role)) => Ok((email, role)),
        _ => Err(AppError::Invalid(errors)),
    }
}

/// Refuses to invite the owner to her own team.
async fn not_the_owner(work: &Work, owner_id: Uuid, email: &EmailAddress, what: &str) -> Result<()> {
    let owner = storage::organisers::find_many(&**work, [owner_id]).await?.pop();
    if owner.is_some_and(|owner| owner.email == *email) {
        return Err(AppError::field("email", Problem::new(code::OWNER_IN_TEAM, format!("is the {what}'s owner's"))));
    }
    Ok(())
}

/// The language to write to `email` in: her own if she is an organiser
/// who has one, else `fallback`.
async fn her_language(work: &Work, email: &EmailAddress, fallback: Language) -> Result<Language> {
    let organiser = storage::organisers::find_by_email(&**work, email).await?;
    Ok(organiser.map_or(fallback, |o| o.writes_in(fallback)))
}

/// Invites `email` to run the event with `role` (the owner only). Someone
/// not yet on the team gets an email with a link to accept; inviting an
/// address again changes its role (and renews a pending invitation).
pub async fn invite(app: &App, organiser_id: Uuid, event_id: Uuid, email: &str, role: &str) -> Result<TeamMember> {
    let (email, role) = invitation_fields(email, role)?;
    let now = app.now();
    let mut work = app.begin().await?;
    let event = access::lock_event(&*work, now, organiser_id, event_id, Action::Own).await?;
    not_the_owner(&work, event.organiser_id, &email, "event").await?;
    let member = storage::team::invite(&*work, TeamOf::Event(event.id), &email, role, organiser_id, now).await?;
    if member.accepted_at.is_none() {
        let language = her_language(&work, &email, event.details.language).await?;
        let queued = storage::outbox::enqueue_team_invitation(&*work, Some(event.id), language, &member, now).await?;
        work.queued(queued);
    }
    record(&work, event.id, organiser_id, Deed::TeamInvited, (None, email.as_str()), now).await?;
    work.commit(app).await?;
    Ok(member)
}

/// The event's team (the owner only), with the organiser each accepted as.
pub async fn list(app: &App, organiser_id: Uuid, event_id: Uuid) -> Result<(Event, Vec<TeamMember>)> {
    let (event, _) = access::event(app, organiser_id, event_id, Action::Own).await?;
    let members = storage::team::list(&*app.db, TeamOf::Event(event.id)).await?;
    Ok((event, members))
}

/// Takes someone off the team (the owner only): her next request is refused.
pub async fn remove(app: &App, organiser_id: Uuid, event_id: Uuid, member_id: Uuid) -> Result<TeamMember> {
    let now = app.now();
    let work = app.begin().await?;
    let event = access::lock_event(&*work, now, organiser_id, event_id, Action::Own).await?;
    let member = storage::team::remove(&*work, TeamOf::Event(event.id), member_id).await?;
    record(&work, event.id, organiser_id, Deed::TeamRemoved, (None, member.email.as_str()), now).await?;
    work.commit(app).await?;
    Ok(member)
}

/// Invites `email` to run the series and all its dates with `role` (its
/// owner only): the same invitation, email and link as for an event.
pub async fn invite_to_series(
    app: &App,
    organiser_id: Uuid,
    series_id: Uuid,
    email: &str,
    role: &str,
) -> Result<TeamMember> {
    let (email, role) = invitation_fields(email, role)?;
    let now = app.now();
    let mut work = app.begin().await?;
    let (series, _) = access::series_in(&*work, organiser_id, series_id, Action::Own).await?;
    not_the_owner(&work, series.organiser_id, &email, "series").await?;
    let member = storage::team::invite(&*work, TeamOf::Series(series.id), &email, role, organiser_id, now).await?;
    if member.accepted_at.is_none() {
        // In the language its dates are written in.
        let language = storage::series::defaults(&*work, series.id).await?.map_or(Language::Fr, |d| d.language);
        let language = her_language(&work, &email, language).await?;
        let queued = storage::outbox::enqueue_team_invitation(&*work, None, language, &member, now).await?;
        work.queued(queued);
    }
    work.commit(app).await?;
    Ok(member)
}

/// The series' team (its owner only).
pub async fn series_team(app: &App, organiser_id: Uuid, series_id: Uuid) -> Result<(Series, Vec<TeamMember>)> {
    let (series, _) = access::series(app, organiser_id, series_id, Action::Own).await?;
    let members = storage::team::list(&*app.db, TeamOf::Series(series.id)).await?;
    Ok((series, members))
}

/// Gives a member of the series' team another role (its owner only): it
/// holds on every date from her next request.
pub async fn change_series_role(
    app: &App,
    organiser_id: Uuid,
    series_id: Uuid,
    member_id: Uuid,
    role: &str,
) -> Result<TeamMember> {
    let role = invitable_role(role).map_err(|p| AppError::field("role", p))?;
    let work = app.begin().await?;
    let (series, _) = access::series_in(&*work, organiser_id, series_id, Action::Own).await?;
    let member = storage::team::set_role(&*work, TeamOf::Series(series.id), member_id, role).await?;
    work.commit(app).await?;
    Ok(member)
}

/// Takes someone off the series' team (its owner only): from her next
/// request she reaches neither the series nor any of its dates.
pub async fn remove_from_series(app: &App, organiser_id: Uuid, series_id: Uuid, member_id: Uuid) -> Result<TeamMember> {
    let work = app.begin().await?;
    let (series, _) = access::series_in(&*work, organiser_id, series_id, Action::Own).await?;
    let member = storage::team::remove(&*work, TeamOf::Series(series.id), member_id).await?;
    work.commit(app).await?;
    Ok(member)
}

/// An invitation to a team, as its link shows it before it is accepted.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub member: TeamMember,
    pub to: InvitedTo,
    pub invited_by: Option<Organiser>,
    /// Whether her address already has an organiser account.
    pub has_account: bool,
}

/// What an invitation is to run.
#[derive(Debug, Clone)]
pub enum InvitedTo {
    Event(Box<Event>),
    Series(Box<Series>),
}

/// The invitation a link names, if it can still be accepted.
pub async fn invitation(app: &App, token: &str) -> Result<Invitation> {
    let member_id = verify_team_token(&app.link_key, token).ok_or(AppError::NotFound(Missing::TeamMember))?;
    let member = storage::team::find(&*app.db, member_id).await?;
    if member.accepted_at.is_some() || member.expires_at <= app.now() {
        return Err(AppError::LinkSpent { link: OneTimeLink::Team, expired: member.accepted_at.is_none() });
    }
    let to = match member.team {
        TeamOf::Event(id) => InvitedTo::Event(Box::new(storage::events::find_by_id(&*app.db, id).await?)),
        TeamOf::Series(id) => InvitedTo::Series(Box::new(storage::series::find(&*app.db, id).await?)),
    };
    let invited_by = storage::organisers::find_many(&*app.db, [member.invited_by]).await?.pop();
    let has_account = storage::organisers::find_by_email(&*app.db, &member.email).await?.is_some();
    Ok(Invitation { member, to, invited_by, has_account })
}

/// Accepts the invitation, once, and signs her in: her address becomes an
/// organiser account if it was none (named `name`, else by her address).
/// Returns the session's token and her place on the team.
/// `language`, her browser's, becomes her emails' if she has none yet.
pub async fn accept(app: &App, token: &str, name: &str, language: Option<Language>) -> Result<(String, TeamMember)> {
    let member_id = verify_team_token(&app.link_key, token).ok_or(AppError::NotFound(Missing::TeamMember))?;
    let now = app.now();
    let work = app.begin().await?;
    let member = storage::team::find(&*work, member_id).await?;
    let organiser = if let Some(organiser) = storage::organisers::find_by_email(&*work, &member.email).await? {
        organiser
    } else {
        // A name she typed, if it is one; else the start of her address, as mail clients do.
        let name = crate::domain::text::bounded(name, 1, 200, false)
            .unwrap_or_else(|_| member.email.as_str().split('@').next().unwrap_or_default().to_owned());
        storage::organisers::insert(&*work, &name, &member.email, now).await?
    };
    if !storage::team::accept(&*work, member.id, organiser.id, now).await? {
        return Err(AppError::LinkSpent { link: OneTimeLink::Team, expired: member.accepted_at.is_none() });
    }
    if let Some(language) = language {
        storage::organisers::adopt_language(&*work, organiser.id, language).await?;
    }
    let session = storage::sessions::create_session(&*work, organiser.id, now).await?;
    work.commit(app).await?;
    Ok((session, TeamMember { organiser_id: Some(organiser.id), accepted_at: Some(now), ..member }))
}

/// One line of the audit history, with who did it.
#[derive(Debug, Clone)]
pub struct HistoryLine {
    pub activity: Activity,
    /// Her name and address, if her account still exists.
    pub by: Option<Organiser>,
}

/// What the event's team did by hand, oldest first (for owners and co-organisers).
pub async fn history(app: &App, organiser_id: Uuid, event_id: Uuid) -> Result<(Event, Vec<HistoryLine>)> {
    let (event, _) = access::event(app, organiser_id, event_id, Action::Manage).await?;
    let lines = storage::activity::history(&*app.db, event.id, HISTORY_MOST).await?;
    let ids: Vec<Uuid> = lines.iter().map(|l| l.organiser_id).collect();
    let people = storage::organisers::find_many(&*app.db, ids).await?;
    let lines = lines
        .into_iter()
        .map(|activity| {
            let by = people.iter().find(|p| p.id == activity.organiser_id).cloned();
            HistoryLine { activity, by }
        })
        .collect();
    Ok((event, lines))
}
