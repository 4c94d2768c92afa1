//! The command line: `serve` (the default), `migrate`, and organiser tasks.
//! Every flag can also come from its `CONVIVE_*` environment variable.

mod dkim;
mod doctor;
mod local;
mod remote;
mod target;
mod tasks;

use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Args, Parser, Subcommand};
use uuid::Uuid;

use crate::clock::Clock;
use crate::config::Settings;
use crate::domain::email_address::EmailAddress;
use crate::domain::event::Language;
use crate::domain::text::bounded;
use crate::i18n;
use crate::startup::{Application, Parts, connect_and_migrate};
use crate::storage::organisers;
use crate::storage::{Constraint, StorageError};
use crate::telemetry;

#[derive(Debug, Parser)]
#[command(name = "convive", version, about = "Invitations and RSVPs that do the chasing for you")]
pub struct Cli {
    /// A TOML configuration file (default: ./convive.toml if it exists).
    #[arg(long, short, global = true, env = "CONVIVE_CONFIG", value_name = "FILE")]
    config: Option<PathBuf>,

    /// Database URL: `sqlite://FILE?mode=rwc` (default `sqlite://convive.db?mode=rwc`) or `postgres://…`
    #[arg(long, global = true, env = "CONVIVE_DATABASE_URL", value_name = "URL", hide_env_values = true)]
    database_url: Option<String>,

    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the service: API and guest endpoints (the default command).
    Serve(ServeArgs),
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Manage organisers.
    #[command(subcommand)]
    Organiser(OrganiserCommand),
    /// Your events (in the local database, or on a server with `--url`).
    #[command(subcommand)]
    Events(EventsCommand),
    /// Guest lists to and from spreadsheets (in the local database, or on a server with `--url`).
    #[command(subcommand)]
    Guests(GuestsCommand),
    /// The mail queue (in the local database).
    #[command(subcommand)]
    Emails(EmailsCommand),
    /// DKIM keys for signing outgoing mail.
    #[command(subcommand)]
    Dkim(dkim::DkimCommand),
    /// Health checks: `doctor mail` looks up the sender domain's SPF, DKIM
    /// and DMARC records and says what to publish.
    #[command(subcommand)]
    Doctor(doctor::DoctorCommand),
}

#[derive(Debug, Subcommand)]
enum EmailsCommand {
    /// Queue again every email that failed, on every event (after a relay
    /// outage longer than the queue's lifetime, say); prints how many.
    ResendFailed,
}

#[derive(Debug, Default, Args)]
struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, env = "CONVIVE_BIND", value_name = "ADDR")]
    bind: Option<String>,
    /// Public base URL used in links sent to guests (default `http://127.0.0.1:8080`).
    #[arg(long, env = "CONVIVE_PUBLIC_URL", value_name = "URL")]
    public_url: Option<String>,
    /// Do not run the scheduler here (another process does).
    #[arg(long, env = "CONVIVE_NO_SCHEDULER")]
    no_scheduler: bool,
    /// Do not send mail from here (another process does).
    #[arg(long, env = "CONVIVE_NO_DISPATCHER")]
    no_dispatcher: bool,
    /// Run only the scheduler and the mail dispatcher: no HTTP.
    #[arg(long, env = "CONVIVE_WORKERS_ONLY", conflicts_with_all = ["no_scheduler", "no_dispatcher"])]
    workers_only: bool,
}

impl ServeArgs {
    fn parts(&self) -> Parts {
        Parts { http: !self.workers_only, scheduler: !self.no_scheduler, dispatcher: !self.no_dispatcher }
    }
}

#[derive(Debug, Subcommand)]
enum OrganiserCommand {
    /// Create an organiser and print her API key (shown once; only its hash is kept).
    Create {
        /// Her name, as guests will see it.
        #[arg(long)]
        name: String,
        /// Her email address.
        #[arg(long)]
        email: String,
    },
    /// Print a one-time link that signs her in to the dashboard (for the
    /// first sign-in, or when mail is not set up). It works once, for 15 minutes.
    LoginLink {
        /// Her email address.
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Subcommand)]
enum EventsCommand {
    /// List your events: id, date, title, status, invited/yes.
    List {
        #[command(flatten)]
        target: target::TargetArgs,
    },
}

#[derive(Debug, Subcommand)]
enum GuestsCommand {
    /// Invite the guests of a CSV file (a spreadsheet saved as CSV, `,` `;` or
    /// tab-separated) and print what became of each row.
    Import {
        /// The event's id (see `convive events list`).
        #[arg(long, value_name = "ID")]
        event: Uuid,
        /// The CSV file.
        #[arg(value_name = "FILE.csv")]
        file: PathBuf,
        #[command(flatten)]
        target: target::TargetArgs,
    },
    /// Write an event's guest list as CSV, with answers and check-ins.
    Export {
        /// The event's id (see `convive events list`).
        #[arg(long, value_name = "ID")]
        event: Uuid,
        /// Where to write it (default: standard output).
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        target: target::TargetArgs,
    },
}

impl Cli {
    fn settings(&self, serve: Option<&ServeArgs>) -> anyhow::Result<Settings> {
        let mut overrides = Vec::new();
        if let Some(url) = &self.database_url {
            overrides.push(("database_url", url.clone()));
        }
        if let Some(args) = serve {
            if let Some(bind) = &args.bind {
                overrides.push(("bind", bind.clone()));
            }
            if let Some(public_url) = &args.public_url {
                overrides.push(("public_url", public_url.clone()));
            }
        }
        Settings::load(self.config.as_deref(), &overrides)
    }
}

/// Runs the command line; returns the process exit code.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let default_serve = ServeArgs::default();
    let serve_args = match &cli.command {
        None => Some(&default_serve),
        Some(Command::Serve(args)) => Some(args),
        Some(_) => None,
    };
    let settings = cli.settings(serve_args)?;
    // Logs go to stderr so that commands printing a result (an API key) keep
    // stdout clean for scripts.
    let colours = std::io::IsTerminal::is_terminal(&std::io::stderr());
    telemetry::init(&settings.log, settings.log_format, std::io::stderr, colours);
    match cli.command {
        None | Some(Command::Serve(_)) => {
            let parts = serve_args.map(ServeArgs::parts).unwrap_or_default();
            Application::build_with(settings, Clock::system(), parts).await?.run_until_stopped().await
        }
        Some(Command::Migrate) => {
            connect_and_migrate(&settings).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Some(Command::Organiser(OrganiserCommand::Create { name, email })) => {
            let name = bounded(&name, 1, 200, false).map_err(|e| anyhow::anyhow!("--name {e}"))?;
            let email = EmailAddress::parse(&email).map_err(|e| anyhow::anyhow!("--email: {e}"))?;
            let db = connect_and_migrate(&settings).await?;
            // The key's label is read on her dashboard: in the terminal's language.
            let label = i18n::word(terminal_language(), "d_key_label_setup");
            match organisers::create(&db, &name, &email, &label, chrono::Utc::now()).await {
                Ok((organiser, key)) => {
                    eprintln!("Created organiser {} <{}> ({}).", organiser.name, organiser.email, organiser.id);
                    eprintln!("Her API key follows; it is shown only this once:");
                    println!("{}", key.as_str());
                    Ok(())
                }
                Err(StorageError::Conflict(Constraint::OrganiserAddress)) => {
                    anyhow::bail!("an organiser with the email {email} already exists")
                }
                Err(err) => Err(err.into()),
            }
        }
        Some(Command::Organiser(OrganiserCommand::LoginLink { email })) => {
            let email = EmailAddress::parse(&email).map_err(|e| anyhow::anyhow!("--email: {e}"))?;
            // Beside a busy server, SQLite sometimes answers "database is
            // locked" at once rather than waiting (opening, migrating or
            // writing): try the whole command a few times.
            let mut attempt = 0;
            let (organiser, link) = loop {
                attempt += 1;
                let result = match connect_and_migrate(&settings).await {
                    Ok(db) => login_link(&settings, db, &email).await,
                    Err(err) => Err(err),
                };
                match result {
                    Ok(done) => break done,
                    Err(err) if attempt < 8 && format!("{err:#}").contains("database is locked") => {
                        tokio::time::sleep(std::time::Duration::from_millis(250 * attempt)).await;
                    }
                    Err(err) => return Err(err),
                }
            };
            eprintln!("A sign-in link for {} <{}>, valid once for 15 minutes:", organiser.name, organiser.email);
            println!("{link}");
            Ok(())
        }
        Some(Command::Dkim(command)) => dkim::run(&settings, &command),
        Some(Command::Doctor(command)) => doctor::run(&settings, &command, terminal_language()).await,
        Some(Command::Emails(EmailsCommand::ResendFailed)) => {
            let app = local_app(&settings, connect_and_migrate(&settings).await?).await?;
            let requeued = crate::app::mail_queue::resend_all_failed(&app).await?;
            eprintln!("Queued again; they leave with the server's next dispatch:");
            println!("{requeued}");
            Ok(())
        }
        Some(Command::Events(EventsCommand::List { target })) => {
            tasks::list_events(&target.open(&settings).await?).await
        }
        Some(Command::Guests(GuestsCommand::Import { event, file, target })) => {
            tasks::import_guests(&target.open(&settings).await?, event, &file).await
        }
        Some(Command::Guests(GuestsCommand::Export { event, output, target })) => {
            tasks::export_guests(&target.open(&settings).await?, event, output.as_deref()).await
        }
    }
}

/// The application on the local database, for commands that act on it.
pub(crate) async fn local_app(settings: &Settings, db: crate::storage::Db) -> anyhow::Result<crate::app::App> {
    let key = crate::startup::link_key(settings, &db).await?;
    let mut settings = settings.clone();
    // Links printed here must be the server's: unless this command was told
    // the public URL, use the one the server recorded when it started (it
    // may run elsewhere, with its URL in a file this command never read).
    if !settings.public_url_configured
        && let Some(recorded) = crate::storage::instance::recorded_public_url(&*db).await?
    {
        settings.public_url = recorded.parse().with_context(|| format!("the recorded public URL {recorded}"))?;
    }
    // Mail queued here leaves when the server's dispatcher next looks: the
    // bell has no listener in this process.
    let bell = std::sync::Arc::new(tokio::sync::Notify::new());
    Ok(crate::app::App::new(db, std::sync::Arc::new(settings), Clock::system(), key, bell))
}

/// A new sign-in link for the organiser with this address.
async fn login_link(
    settings: &Settings,
    db: crate::storage::Db,
    email: &EmailAddress,
) -> anyhow::Result<(organisers::Organiser, String)> {
    let app = local_app(settings, db).await?;
    let (organiser, token) = crate::app::sign_in::new_link_token(&app, email).await.map_err(|err| match err {
        crate::app::AppError::NotFound(_) => anyhow::anyhow!("no organiser has the email {email}"),
        other => other.into(),
    })?;
    Ok((organiser, app.links().login(&token)))
}

/// The language the terminal speaks (`LC_ALL`, `LC_MESSAGES`, then `LANG`,
/// as gettext reads them): French for `fr_*`, else English.
fn terminal_language() -> Language {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|value| !value.is_empty()))
        .unwrap_or_default();
    if locale.to_ascii_lowercase().starts_with("fr") { Language::Fr } else { Language::En }
}
