//! The first run: while no organiser exists, the browser's setup page
//! creates the first one and signs her in. It is guarded by a one-time code
//! each serving process prints in its log at startup (as Jupyter and Grafana
//! do), so that nobody else on the network can claim the instance. Every
//! code printed works until the first organiser exists, whichever process
//! printed it; then none does, and the page is gone.

use super::{App, AppError, Happening, Result};
use crate::domain::FieldErrors;
use crate::domain::email_address::EmailAddress;
use crate::domain::text::bounded;
use crate::domain::token::{SetupCode, same_secret};
use crate::storage::organisers::{self, Organiser};
use crate::storage::{self, Constraint, StorageError, instance};

/// Longest organiser name, in characters (as `convive organiser create`).
pub const MAX_NAME: usize = 200;

/// Whether the instance still needs its first organiser.
pub async fn needed(app: &App) -> Result<bool> {
    Ok(!organisers::any(&*app.db).await?)
}

/// A new setup code for this process to print, if the instance still needs
/// setting up; its hash is kept so that any process can check it. With an
/// organiser present, spent codes are cleared and there is nothing to print.
pub async fn issue_code(app: &App) -> Result<Option<SetupCode>> {
    let work = app.begin().await?;
    if organisers::any(&*work).await? {
        instance::delete_setup_codes(&*work).await?;
        work.commit(app).await?;
        return Ok(None);
    }
    let code = SetupCode::generate();
    instance::insert_setup_code(&*work, &code.hash(), app.now()).await?;
    work.commit(app).await?;
    Ok(Some(code))
}

/// What the setup form sends.
#[derive(Debug, Clone, Default)]
pub struct FirstOrganiser {
    pub code: String,
    pub name: String,
    pub email: String,
    /// Her browser's language, kept as her emails' if it states one.
    pub language: Option<crate::domain::event::Language>,
}

/// Creates the first organiser and opens her session (returns its token),
/// in one transaction: the code must be one that was printed, and setup
/// must not be done already; then every code is spent.
pub async fn create_first_organiser(app: &App, form: &FirstOrganiser) -> Result<(Organiser, String)> {
    let (name, email) = validate(form)?;
    let presented = SetupCode::hash_of_presented(&form.code);
    let now = app.now();
    let mut work = app.begin().await?;
    // Every stored hash is compared, each in constant time, so the answer's
    // timing says nothing about how close a guess came.
    let known = instance::setup_code_hashes(&*work).await?;
    let matches = known.iter().fold(false, |found, hash| same_secret(hash, &presented) | found);
    if organisers::any(&*work).await? {
        return Err(AppError::SetupDone);
    }
    if !matches {
        return Err(AppError::WrongSetupCode);
    }
    if !instance::mark_setup_done(&*work, now).await? {
        return Err(AppError::SetupDone);
    }
    let organiser = organisers::insert(&*work, &name, &email, now).await.map_err(|err| match err {
        // Another door created her between the check and the insert.
        StorageError::Conflict(Constraint::OrganiserAddress) => AppError::SetupDone,
        other => other.into(),
    })?;
    instance::delete_setup_codes(&*work).await?;
    if let Some(language) = form.language {
        organisers::set_language(&*work, organiser.id, language).await?;
    }
    let session = storage::sessions::create_session(&*work, organiser.id, now).await?;
    work.happened(Happening::FirstOrganiserCreated { organiser: organiser.id });
    work.happened(Happening::SignedIn { organiser: organiser.id });
    work.commit(app).await?;
    tracing::info!(organiser_id = %organiser.id, "the first organiser was created from the setup page");
    Ok((organiser, session))
}

fn validate(form: &FirstOrganiser) -> Result<(String, EmailAddress)> {
    let mut fields = FieldErrors::new();
    let name = bounded(&form.name, 1, MAX_NAME, false);
    if let Err(problem) = &name {
        fields.insert("name".to_owned(), problem.clone());
    }
    let email = EmailAddress::parse(&form.email);
    if let Err(problem) = &email {
        fields.insert("email".to_owned(), problem.clone());
    }
    match (name, email) {
        (Ok(name), Ok(email)) => Ok((name, email)),
        _ => Err(AppError::Invalid(fields)),
    }
}
