//! Settings: defaults in code, then an optional TOML file, then `CONVIVE_*`
//! environment variables, then command-line flags. A bare start needs none.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

/// Every setting, with its environment variable in the doc comment.
#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    /// `CONVIVE_BIND`: address and port to listen on.
    pub bind: SocketAddr,
    /// `CONVIVE_DATABASE_URL`: `sqlite://FILE?mode=rwc` or `postgres://user:pass@host/db`.
    pub database_url: SecretString,
    /// `CONVIVE_DATABASE_POOL_SIZE`: connections kept open to the database.
    pub database_pool_size: u32,
    /// `CONVIVE_PUBLIC_URL`: the address guests reach, used to build links.
    pub public_url: url::Url,
    /// `CONVIVE_LOG_FORMAT`: `pretty` for people, `json` for log collectors.
    pub log_format: LogFormat,
    /// `CONVIVE_LOG`: a `tracing` filter such as `info` or `convive=debug,info`.
    pub log: String,
    /// `CONVIVE_SHUTDOWN_GRACE_SECONDS`: how long in-flight requests may take
    /// to finish after SIGTERM or Ctrl-C.
    pub shutdown_grace_seconds: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

/// The defaults, in the serialisable shape figment layers over.
#[derive(Debug, Serialize)]
struct Defaults {
    bind: &'static str,
    database_url: &'static str,
    database_pool_size: u32,
    public_url: &'static str,
    log_format: LogFormat,
    log: &'static str,
    shutdown_grace_seconds: u64,
}

const DEFAULTS: Defaults = Defaults {
    bind: "127.0.0.1:8080",
    database_url: "sqlite://convive.db?mode=rwc",
    database_pool_size: 8,
    public_url: "http://127.0.0.1:8080",
    log_format: LogFormat::Pretty,
    log: "info",
    shutdown_grace_seconds: 20,
};

/// The file read when `--config` is not given, if it exists.
pub const DEFAULT_CONFIG_FILE: &str = "convive.toml";

impl Settings {
    /// Loads defaults <- `file` (or `convive.toml` if present) <- environment
    /// <- `overrides` (the command-line flags that were given).
    pub fn load(file: Option<&Path>, overrides: &[(&str, String)]) -> anyhow::Result<Self> {
        let mut figment = Figment::from(Serialized::defaults(DEFAULTS));
        match file {
            Some(path) if !path.exists() => {
                anyhow::bail!("configuration file {} does not exist", path.display())
            }
            Some(path) => figment = figment.merge(Toml::file(path)),
            None => figment = figment.merge(Toml::file(PathBuf::from(DEFAULT_CONFIG_FILE))),
        }
        figment = figment.merge(Env::prefixed("CONVIVE_").ignore(&["config"]));
        for (key, value) in overrides {
            figment = figment.merge((*key, value.as_str()));
        }
        let settings: Self = figment.extract().map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> anyhow::Result<()> {
        let url = self.database_url.expose_secret();
        if !(url.starts_with("sqlite:") || url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            anyhow::bail!("database_url must start with sqlite:, postgres:// or postgresql://");
        }
        if self.database_pool_size == 0 {
            anyhow::bail!("database_pool_size must be at least 1");
        }
        Ok(())
    }

    /// Defaults only, ignoring files and the environment: for tests.
    pub fn defaults() -> anyhow::Result<Self> {
        Figment::from(Serialized::defaults(DEFAULTS)).extract().map_err(|e| anyhow::anyhow!("invalid defaults: {e}"))
    }

    pub fn is_postgres(&self) -> bool {
        self.database_url.expose_secret().starts_with("postgres")
    }
}
