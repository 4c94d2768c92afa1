//! The email templates in `email-templates/`, compiled in, rendered with
//! minijinja in strict mode (an undefined variable is an error, caught by the
//! tests) and HTML-escaped by file extension (`.html` escaped, `.txt` not).
//!
//! minijinja rather than Tera or Handlebars: it is maintained by the author of
//! Jinja2, has strict undefined handling and per-extension autoescaping built
//! in, compiles templates into the binary with `minijinja-embed`, and has no
//! heavy dependencies.

use anyhow::Context;
use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

use crate::domain::event::Language;
use crate::domain::mail::MailKind;

/// A rendered email: one-line subject, plain text and HTML bodies.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// # Panics
    /// Never at run time: the templates were parsed when the binary was built.
    pub fn embedded() -> Self {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        minijinja_embed::load_templates!(&mut env);
        Self { env }
    }

    /// # Errors
    /// A missing template or variable: a bug, reported with its cause.
    pub fn render(&self, kind: MailKind, language: Language, context: &impl Serialize) -> anyhow::Result<Rendered> {
        let context = minijinja::Value::from(minijinja::value::Serde(context));
        let part = |part: &str| -> anyhow::Result<String> {
            let name = format!("{}/{part}", kind.as_str()).replace("{lang}", language.as_str());
            self.env
                .get_template(&name)
                .and_then(|template| template.render(&context))
                .with_context(|| format!("cannot render {name}"))
        };
        let subject = part("subject.{lang}.txt")?;
        // A subject is one line, whatever a title contained.
        let subject = subject.split_whitespace().collect::<Vec<_>>().join(" ");
        Ok(Rendered { subject, text: part("body.{lang}.txt")?, html: part("body.{lang}.html")? })
    }
}
