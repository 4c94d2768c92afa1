//! The audit history of an event: who (which organiser of its team) did what
//! to it by hand, and when.

use anyhow::anyhow;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::entities::event_activity;
use super::error::{Result, StorageError};

/// What an organiser did, as the history names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Deed {
    AnswerSet,
    CheckedIn,
    CheckInUndone,
    WalkIn,
    Edited,
    Published,
    Cancelled,
    GuestRemoved,
    TeamInvited,
    TeamRemoved,
}

impl Deed {
    const ALL: [Self; 10] = [
        Self::AnswerSet,
        Self::CheckedIn,
        Self::CheckInUndone,
        Self::WalkIn,
        Self::Edited,
        Self::Published,
        Self::Cancelled,
        Self::GuestRemoved,
        Self::TeamInvited,
        Self::TeamRemoved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::AnswerSet => "answer_set",
            Self::CheckedIn => "checked_in",
            Self::CheckInUndone => "check_in_undone",
            Self::WalkIn => "walk_in",
            Self::Edited => "edited",
            Self::Published => "published",
            Self::Cancelled => "cancelled",
            Self::GuestRemoved => "guest_removed",
            Self::TeamInvited => "team_invited",
            Self::TeamRemoved => "team_removed",
        }
    }

    fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == raw)
    }
}

/// One line of the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub organiser_id: Uuid,
    pub deed: Deed,
    pub guest_id: Option<Uuid>,
    /// Whom it concerned: a guest's or a teammate's address ("" for the event itself).
    pub subject: String,
    pub at: DateTime<Utc>,
}

/// Records that `organiser_id` did `deed` (to `guest_id` / `subject`).
pub async fn record(
    conn: &impl ConnectionTrait,
    event_id: Uuid,
    organiser_id: Uuid,
    deed: Deed,
    about: (Option<Uuid>, &str),
    now: DateTime<Utc>,
) -> Result<()> {
    event_activity::Entity::insert(event_activity::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(event_id),
        organiser_id: Set(organiser_id),
        action: Set(deed.as_str().to_owned()),
        guest_id: Set(about.0),
        subject: Set(about.1.to_owned()),
        at: Set(now),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// The latest `limit` lines of the event's history, oldest first.
pub async fn history(conn: &impl ConnectionTrait, event_id: Uuid, limit: u64) -> Result<Vec<Activity>> {
    let mut rows = event_activity::Entity::find()
        .filter(event_activity::Column::EventId.eq(event_id))
        .order_by_desc(event_activity::Column::At)
        .order_by_desc(event_activity::Column::Id)
        .limit(limit)
        .all(conn)
        .await?;
    rows.reverse();
    rows.into_iter()
        .map(|row| {
            let deed = Deed::parse(&row.action).ok_or_else(|| anyhow!("stored deed {:?} is unknown", row.action))?;
            Ok(Activity {
                organiser_id: row.organiser_id,
                deed,
                guest_id: row.guest_id,
                subject: row.subject,
                at: row.at,
            })
        })
        .collect::<anyhow::Result<_>>()
        .map_err(StorageError::from)
}
