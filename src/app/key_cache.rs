//! Who an API key belongs to, remembered for a few seconds: every API
//! request presents a key, and looking it up was half the statements of a
//! read. A key revoked, or an organiser changed, through this process is
//! forgotten at once; through another process sharing the database, it is
//! honoured within [`KEY_CACHE_TTL`].

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use uuid::Uuid;

use crate::storage::organisers::Organiser;

/// How long another process's revocation may take to be honoured here.
pub const KEY_CACHE_TTL: Duration = Duration::from_secs(5);

/// Keys remembered at most; past that the expired go, then everything.
const MOST_KEYS: usize = 10_000;

/// Key hashes (never keys) to their live organiser.
#[derive(Debug, Default)]
pub struct KeyCache {
    entries: RwLock<HashMap<String, (Organiser, Instant)>>,
}

impl KeyCache {
    /// The organiser of this key hash, if known and fresh.
    pub fn get(&self, key_hash: &str) -> Option<Organiser> {
        let entries = self.entries.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        entries
            .get(key_hash)
            .filter(|(_, fetched)| fetched.elapsed() < KEY_CACHE_TTL)
            .map(|(organiser, _)| organiser.clone())
    }

    pub fn remember(&self, key_hash: String, organiser: Organiser) {
        let mut entries = self.entries.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        if entries.len() >= MOST_KEYS {
            entries.retain(|_, (_, fetched)| fetched.elapsed() < KEY_CACHE_TTL);
            if entries.len() >= MOST_KEYS {
                entries.clear();
            }
        }
        entries.insert(key_hash, (organiser, Instant::now()));
    }

    /// Forgets every key of this organiser: one was revoked, or she changed.
    pub fn forget_organiser(&self, organiser_id: Uuid) {
        let mut entries = self.entries.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.retain(|_, (organiser, _)| organiser.id != organiser_id);
    }
}
