//! The message catalogue: every word a person reads, in French and English,
//! from the Fluent files in `locales/<lang>/*.ftl`.
//!
//! Fluent (through `fluent-bundle`) rather than a table of strings because
//! French needs what a table cannot say: plurals ("1 attendu", "0 invité",
//! "3 invités"), agreement ("Invitation envoyée", "Rappel envoyé") and
//! elision ("Réponse d'Amélie", "de Bob"). The files are compiled into the
//! binary like the templates; a unit test checks that both languages hold the
//! same messages with the same variables.
//!
//! Three ways to read a message:
//! - [`text`]: one message with its arguments, for handlers;
//! - [`words`]: every message resolved once into a map, the templates' `t`;
//!   a message's variables are left as their placeholder (`{n}`), so
//!   `t.key | replace("{n}", …)` still works;
//! - the templates' `tr("key", n=…, gender=…)` function ([`add_to`]).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;

use crate::domain::event::Language;
use crate::domain::problem::{self, Problem};

/// The catalogue's files, per language: adding a file means adding it here
/// (a unit test checks that every file in `locales/` is listed).
macro_rules! catalogue_files {
    ($lang:literal) => {
        &[
            ("pages.ftl", include_str!(concat!("../locales/", $lang, "/pages.ftl"))),
            ("dashboard.ftl", include_str!(concat!("../locales/", $lang, "/dashboard.ftl"))),
            ("errors.ftl", include_str!(concat!("../locales/", $lang, "/errors.ftl"))),
        ]
    };
}

const FR_FILES: &[(&str, &str)] = catalogue_files!("fr");
const EN_FILES: &[(&str, &str)] = catalogue_files!("en");

/// Built once: the files are compiled in and never change while it runs.
static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(Catalogue::embedded);

struct Catalogue {
    fr: Messages,
    en: Messages,
}

/// One language's bundle, and every message resolved without arguments.
struct Messages {
    bundle: FluentBundle<FluentResource>,
    /// Each message's variables (its attributes' included), for `words` and the tests.
    variables: BTreeMap<String, BTreeSet<String>>,
    words: BTreeMap<String, String>,
}

impl Catalogue {
    fn embedded() -> Self {
        Self { fr: Messages::load("fr", FR_FILES), en: Messages::load("en", EN_FILES) }
    }

    fn of(&self, language: Language) -> &Messages {
        match language {
            Language::Fr => &self.fr,
            Language::En => &self.en,
        }
    }
}

impl Messages {
    fn load(lang: &str, files: &[(&str, &str)]) -> Self {
        let id: unic_langid::LanguageIdentifier = lang.parse().expect("fr and en are language identifiers");
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // No bidi isolation marks around arguments: our pages and emails are
        // left-to-right text, and the marks would land in subjects and tests.
        bundle.set_use_isolating(false);
        bundle
            .add_function("ELIDED", |positional, _named| match positional {
                [FluentValue::String(word), FluentValue::String(name)] => {
                    FluentValue::from(crate::domain::text::elided(word, name))
                }
                _ => FluentValue::Error,
            })
            .expect("ELIDED is added once");
        let mut variables = BTreeMap::new();
        for (file, source) in files {
            let resource = FluentResource::try_new((*source).to_owned())
                .unwrap_or_else(|(_, errors)| panic!("locales/{lang}/{file}: {errors:?}"));
            for entry in resource.entries() {
                if let ast::Entry::Message(message) = entry {
                    let mut names = BTreeSet::new();
                    if let Some(value) = &message.value {
                        pattern_variables(value, &mut names);
                    }
                    for attribute in &message.attributes {
                        pattern_variables(&attribute.value, &mut names);
                    }
                    variables.insert(message.id.name.to_owned(), names);
                }
            }
            bundle.add_resource(resource).unwrap_or_else(|errors| panic!("locales/{lang}/{file}: {errors:?}"));
        }
        let mut messages = Self { bundle, variables, words: BTreeMap::new() };
        let words = messages
            .variables
            .iter()
            .filter(|(id, _)| messages.bundle.get_message(id).is_some_and(|m| m.value().is_some()))
            .map(|(id, names)| {
                let placeholders: Vec<(String, Arg)> =
                    names.iter().map(|name| (name.clone(), Arg::Text(format!("{{{name}}}")))).collect();
                (id.clone(), messages.format(id, &placeholders).unwrap_or_else(|| id.clone()))
            })
            .collect();
        messages.words = words;
        messages
    }

    /// `id` or `id.attribute`, formatted with `args`; `None` when missing.
    fn format<K: AsRef<str>>(&self, id: &str, args: &[(K, Arg)]) -> Option<String> {
        let (message_id, attribute) = match id.split_once('.') {
            Some((message, attribute)) => (message, Some(attribute)),
            None => (id, None),
        };
        let message = self.bundle.get_message(message_id)?;
        let pattern = match attribute {
            Some(attribute) => message.get_attribute(attribute)?.value(),
            None => message.value()?,
        };
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(name.as_ref().to_owned(), value.to_fluent());
        }
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(message = id, ?errors, "a message was formatted with errors");
        }
        Some(text.into_owned())
    }
}

/// Every variable a pattern reads, in its text, selectors and function calls.
fn pattern_variables(pattern: &ast::Pattern<&str>, names: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, names);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, names: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, names);
            for variant in variants {
                pattern_variables(&variant.value, names);
            }
        }
        ast::Expression::Inline(inline) => inline_variables(inline, names),
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, names: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            names.insert(id.name.to_owned());
        }
        ast::InlineExpression::FunctionReference { arguments, .. }
        | ast::InlineExpression::TermReference { arguments: Some(arguments), .. } => {
            for argument in arguments.positional.iter().chain(arguments.named.iter().map(|named| &named.value)) {
                inline_variables(argument, names);
            }
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, names),
        _ => {}
    }
}

/// A message's argument: a number (selects a plural form) or text.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Number(i64),
    Text(String),
}

impl Arg {
    fn to_fluent(&self) -> FluentValue<'static> {
        match self {
            Self::Number(n) => FluentValue::from(*n),
            Self::Text(text) => FluentValue::from(text.clone()),
        }
    }
}

impl From<&str> for Arg {
    fn from(text: &str) -> Self {
        Self::Text(text.to_owned())
    }
}

impl From<String> for Arg {
    fn from(text: String) -> Self {
        Self::Text(text)
    }
}

macro_rules! number_args {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Self {
                Self::Number(i64::try_from(n).unwrap_or(i64::MAX))
            }
        }
    )*};
}
number_args!(i32, i64, u32, u64, usize);

/// Message `id` (or `id.attribute`) in `language`, with its arguments. A
/// missing message shows its id, so a page still renders and the gap shows.
pub fn text(language: Language, id: &str, args: &[(&str, Arg)]) -> String {
    CATALOGUE.of(language).format(id, args).unwrap_or_else(|| {
        tracing::warn!(message = id, language = language.as_str(), "no such message in the catalogue");
        id.to_owned()
    })
}

/// A message without arguments, or with its variables left as `{name}`.
pub fn word(language: Language, id: &str) -> String {
    CATALOGUE.of(language).words.get(id).cloned().unwrap_or_else(|| text(language, id, &[]))
}

/// Every message of `language` with a value, resolved as by [`word`]: the
/// templates' `t`.
pub fn words(language: Language) -> &'static BTreeMap<String, String> {
    &CATALOGUE.of(language).words
}

/// A field's problem in the reader's words: the catalogue's `err_<code>`
/// with the problem's parameters (numbers as numbers, for plurals), or its
/// English sentence when its code is the generic one.
pub fn problem(language: Language, problem: &Problem) -> String {
    let id = format!("err_{}", problem.code());
    if problem.code() == problem::code::INVALID || !has(language, &id) {
        return problem.message().to_owned();
    }
    let args: Vec<(&str, Arg)> = problem
        .params()
        .iter()
        .map(|(name, value)| {
            (name.as_str(), value.parse::<i64>().map_or_else(|_| Arg::Text(value.clone()), Arg::Number))
        })
        .collect();
    text(language, &id, &args)
}

/// Whether the catalogue has message `id` in `language`.
pub fn has(language: Language, id: &str) -> bool {
    CATALOGUE.of(language).bundle.has_message(id)
}

/// Adds `tr(id, name=value, …)` to a template environment: the message in
/// the template's `lang`, with keyword arguments (numbers stay numbers, for
/// plurals).
pub fn add_to(env: &mut minijinja::Environment<'_>) {
    env.add_function("tr", tr);
}

// minijinja hands keyword arguments over by value.
#[allow(clippy::needless_pass_by_value)]
fn tr(state: &minijinja::State, id: &str, kwargs: minijinja::value::Kwargs) -> Result<String, minijinja::Error> {
    let lang = state.lookup("lang").and_then(|lang| lang.as_str().map(str::to_owned)).unwrap_or_default();
    let language = Language::parse(&lang)
        .map_err(|err| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, err.to_string()))?;
    let mut args = Vec::new();
    for name in kwargs.args() {
        let value: minijinja::Value = kwargs.get(name)?;
        let arg = match i64::try_from(value.clone()) {
            Ok(n) if value.is_number() => Arg::Number(n),
            _ => Arg::Text(value.to_string()),
        };
        args.push((name, arg));
    }
    if !has(language, id.split('.').next().unwrap_or(id)) {
        return Err(minijinja::Error::new(minijinja::ErrorKind::UndefinedError, format!("no message {id} in {lang}")));
    }
    Ok(text(language, id, &args))
}

#[cfg(test)]
mod tests;
