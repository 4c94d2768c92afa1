//! `convive dkim generate`: a new signing key, and the DNS record that
//! publishes its public half.

use clap::{Subcommand, ValueEnum};

use crate::config::Settings;
use crate::mail::dkim::{self, Algorithm};

#[derive(Debug, Subcommand)]
pub enum DkimCommand {
    /// Print a new private key (for `dkim_private_key` or a file named by
    /// `dkim_private_key_file`) on standard output, and on standard error the
    /// DNS TXT record to publish for it.
    Generate {
        /// The selector, the name the key is published under.
        #[arg(long, default_value = "convive")]
        selector: String,
        /// The signing domain (default: `dkim_domain`, else the domain of `mail_from`).
        #[arg(long)]
        domain: Option<String>,
        /// RSA-2048 (verified everywhere) or Ed25519.
        #[arg(long, value_enum, default_value_t = KeyKind::Rsa)]
        algorithm: KeyKind,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum KeyKind {
    Rsa,
    Ed25519,
}

pub fn run(settings: &Settings, command: &DkimCommand) -> anyhow::Result<()> {
    let DkimCommand::Generate { selector, domain, algorithm } = command;
    let domain = match domain {
        Some(domain) => domain.trim().to_ascii_lowercase(),
        None => settings.dkim_signing_domain()?,
    };
    let algorithm = match algorithm {
        KeyKind::Rsa => Algorithm::Rsa,
        KeyKind::Ed25519 => Algorithm::Ed25519,
    };
    let key = dkim::generate(algorithm, &domain, selector)?;
    eprintln!("Publish this TXT record in the DNS of {domain}:");
    eprintln!();
    eprintln!("  {}  TXT  \"{}\"", key.dns_name, key.dns_value);
    eprintln!();
    eprintln!("Then set dkim_selector = \"{selector}\" and the private key below as dkim_private_key");
    eprintln!("(or save it to a file named by dkim_private_key_file). Keep it secret.");
    print!("{}", key.private_pem);
    Ok(())
}
