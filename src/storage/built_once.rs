//! Statements whose text sea-query builds once per backend, each use
//! binding its own key. Building the text of the invitation's read (joins,
//! subqueries, every column named) was a tenth of the CPU a guest page's
//! first visit cost (`perf` on `bench/run.sh`'s page run), for a text that
//! never changes.

use std::sync::OnceLock;

use sea_orm::{DbBackend, Statement, Value};

/// A statement around one key, a string parameter: `build` gives it for a
/// backend and a key; the text and the other values are kept from its
/// first use on each backend.
pub(super) struct BuiltOnce {
    build: fn(DbBackend, &str) -> Statement,
    sqlite: OnceLock<Option<Template>>,
    postgres: OnceLock<Option<Template>>,
}

/// A built statement, and which of its values is the key.
struct Template {
    statement: Statement,
    key_at: usize,
}

/// Stands for the key while the text is built: no key holds a NUL.
const STAND_IN: &str = "\u{0}the key\u{0}";

impl BuiltOnce {
    pub(super) const fn new(build: fn(DbBackend, &str) -> Statement) -> Self {
        Self { build, sqlite: OnceLock::new(), postgres: OnceLock::new() }
    }

    /// The statement for this key, as `build` would give it.
    pub(super) fn with_key(&self, backend: DbBackend, key: &str) -> Statement {
        let kept = match backend {
            DbBackend::Sqlite => &self.sqlite,
            DbBackend::Postgres => &self.postgres,
            _ => return (self.build)(backend, key),
        };
        let Some(template) = kept.get_or_init(|| Template::of((self.build)(backend, STAND_IN))) else {
            // The key is not one value of its own: built each time.
            return (self.build)(backend, key);
        };
        let mut statement = template.statement.clone();
        if let Some(values) = statement.values.as_mut() {
            values.0[template.key_at] = Value::String(Some(key.to_owned()));
        }
        statement
    }
}

#[cfg(test)]
impl BuiltOnce {
    /// Whether its text is kept on this backend (built once, not each time).
    pub(super) fn is_kept(&self, backend: DbBackend) -> bool {
        let _ = self.with_key(backend, "any");
        let kept = if backend == DbBackend::Sqlite { &self.sqlite } else { &self.postgres };
        matches!(kept.get(), Some(Some(_)))
    }
}

impl Template {
    /// The template of a statement built around the stand-in, if the
    /// stand-in is exactly one of its values.
    fn of(statement: Statement) -> Option<Self> {
        let values = &statement.values.as_ref()?.0;
        let is_key = |value: &Value| matches!(value, Value::String(Some(text)) if text == STAND_IN);
        let key_at = values.iter().position(is_key)?;
        if values.iter().filter(|value| is_key(value)).count() != 1 {
            return None;
        }
        Some(Self { statement, key_at })
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryTrait};

    use super::*;
    use crate::storage::entities::guests;

    fn by_hash(backend: DbBackend, hash: &str) -> Statement {
        guests::Entity::find()
            .filter(guests::Column::TokenHash.eq(hash))
            .filter(guests::Column::Answer.eq("yes"))
            .build(backend)
    }

    fn twice(backend: DbBackend, hash: &str) -> Statement {
        guests::Entity::find()
            .filter(guests::Column::TokenHash.eq(hash))
            .filter(guests::Column::Email.eq(hash))
            .build(backend)
    }

    #[test]
    fn a_statement_built_once_is_the_one_built_for_each_key() {
        let kept = BuiltOnce::new(by_hash);
        assert!(kept.is_kept(DbBackend::Postgres));
        for backend in [DbBackend::Sqlite, DbBackend::Postgres] {
            for hash in ["a1", "b2", "c3"] {
                assert_eq!(kept.with_key(backend, hash), by_hash(backend, hash));
            }
        }
    }

    #[test]
    fn a_key_bound_twice_is_built_each_time() {
        let kept = BuiltOnce::new(twice);
        assert!(!kept.is_kept(DbBackend::Sqlite));
        assert_eq!(kept.with_key(DbBackend::Sqlite, "a1"), twice(DbBackend::Sqlite, "a1"));
        assert_eq!(kept.with_key(DbBackend::Sqlite, "b2"), twice(DbBackend::Sqlite, "b2"));
    }
}
