//! The template files compiled into the binary by `build.rs`, as minijinja
//! loaders: a template is compiled the first time it is used, not at start.
//! Most processes never send most kinds of email, and all of them compiled
//! at start held about 3 MB that an idle server never read.

/// (name, source) of every file of a template folder.
pub type Files = &'static [(&'static str, &'static str)];

/// `email-templates/`.
pub static EMAILS: Files = include!(concat!(env!("OUT_DIR"), "/email_templates.rs"));

/// `page-templates/`.
pub static PAGES: Files = include!(concat!(env!("OUT_DIR"), "/page_templates.rs"));

/// Sets `files` as `env`'s templates.
pub fn load(env: &mut minijinja::Environment<'static>, files: Files) {
    env.set_loader(move |name| Ok(files.iter().find(|(file, _)| *file == name).map(|(_, source)| *source)));
}
