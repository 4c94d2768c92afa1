//! `convive doctor mail`: the mail health check in a terminal, in the
//! terminal's language: the sender domain's SPF, DKIM and DMARC records,
//! what to publish, and, with `--send-test`, a signed test message to an
//! organiser through the outbox. Exits with 1 while something is to fix.

use clap::Subcommand;

use crate::app::mail_health::{self, Check, Status};
use crate::config::Settings;
use crate::domain::email_address::EmailAddress;
use crate::domain::event::Language;
use crate::i18n::{self, Arg};
use crate::storage::organisers;

#[derive(Debug, Subcommand)]
pub enum DoctorCommand {
    /// Check the DNS records that make receivers trust Convive's mail (SPF,
    /// DKIM, DMARC), print the records to publish, and optionally queue a
    /// test message.
    Mail {
        /// An organiser's address: queue a signed test message to her (it
        /// leaves with the server's next dispatch).
        #[arg(long, value_name = "ADDRESS")]
        send_test: Option<String>,
    },
}

pub async fn run(settings: &Settings, command: &DoctorCommand, language: Language) -> anyhow::Result<()> {
    let DoctorCommand::Mail { send_test } = command;
    let db = crate::startup::connect_and_migrate(settings).await?;
    let app = super::local_app(settings, db).await?;
    let expected = crate::mail::dkim::configured_record(settings)?;
    let report = mail_health::check(&app, expected).await?;
    let word = |id: &str| i18n::word(language, id);
    println!("{}: {}", word("d_health_title"), report.domain);
    println!();
    for (title, check) in
        [("d_health_spf", &report.spf), ("d_health_dkim", &report.dkim), ("d_health_dmarc", &report.dmarc)]
    {
        println!("{} — {}", word(title), word(&format!("d_health_status_{}", check.status.as_str())));
        print_check(check, language);
        println!();
    }
    let to_fix = report.to_fix();
    if to_fix == 0 {
        println!("{}", word("d_health_all_good"));
    } else {
        println!("{}", i18n::text(language, "d_health_to_fix", &[("count", Arg::from(to_fix))]));
    }
    if let Some(address) = send_test {
        let email = EmailAddress::parse(address).map_err(|_| anyhow::anyhow!("not an email address: {address}"))?;
        let organiser = organisers::find_by_email(&*app.db, &email)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no organiser has the email {email}"))?;
        let sent_to = mail_health::send_test(&app, organiser.id, language).await?;
        println!();
        println!("{}", i18n::text(language, "d_health_test_sent", &[("email", Arg::from(sent_to))]));
    }
    if to_fix > 0 {
        std::process::exit(1);
    }
    Ok(())
}

fn print_check(check: &Check, language: Language) {
    if let Some(found) = &check.found {
        println!("  {}: {found}", i18n::word(language, "d_health_found"));
    }
    if let Some(publish) = &check.publish {
        println!("  {}:", i18n::word(language, "d_health_publish"));
        println!("    {}  TXT  \"{publish}\"", check.name);
    }
    if check.status == Status::NoKey {
        println!("  {}", i18n::word(language, "d_health_no_key_help"));
    }
}
