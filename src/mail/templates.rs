//! The email templates in `email-templates/`, compiled in, rendered with
//! minijinja in strict mode (an undefined variable is an error, caught by the
//! tests) and HTML-escaped by file extension (`.html` escaped, `.txt` not).
//!
//! minijinja rather than Tera or Handlebars: it is maintained by the author of
//! Jinja2, has strict undefined handling and per-extension autoescaping built
//! in, loads templates from anywhere (here the binary: `template_files`), and
//! has no heavy dependencies.

use anyhow::Context;
use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

use crate::domain::event::Language;
use crate::domain::mail::MailKind;
use crate::template_files;

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
    /// The templates compiled into the binary (parsed when it was built).
    pub fn embedded() -> Self {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        template_files::load(&mut env, template_files::EMAILS);
        env.add_filter("elided", |name: String, word: String| crate::domain::text::elided(&word, &name));
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
        // A subject is one line, whatever a title contained; French no-break
        // spaces ("Invitation : …") stay.
        let breaks = |c: char| c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}';
        let subject = subject.split(breaks).filter(|word| !word.is_empty()).collect::<Vec<_>>().join(" ");
        Ok(Rendered { subject, text: part("body.{lang}.txt")?, html: part("body.{lang}.html")? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::context::{
        DigestChange, DigestTotals, EventContext, GuestLinks, NoteContext, OrganiserLinks, OrganiserMail,
        PersonContext, RegistrationLinks, RegistrationMail, ReplyContext,
    };
    use serde_json::json;

    fn event() -> EventContext {
        EventContext {
            title: "Café <des> Victoires & co".into(),
            description: "Ligne 1\nLigne 2".into(),
            venue_name: "Café".into(),
            venue_address: "6 place des Victoires".into(),
            map_url: Some("https://maps.example.org/?q=1&b=2".into()),
            date_local: "jeudi 3 décembre 2026".into(),
            start_time_local: "08:30".into(),
            end_time_local: "10:00".into(),
            time_zone: "Europe/Paris".into(),
            answers_close_local: "mardi 1er décembre 2026 à 08:30".into(),
            follow_up_url: None,
            companions_allowed: 1,
        }
    }

    fn guest_context(reply: &ReplyContext, position: Option<u32>) -> serde_json::Value {
        json!({
            "lang": "fr",
            "guest": PersonContext { name: "<script>Ben & Jerry's</script>".into(), email: "ben@example.org".into() },
            "organiser": PersonContext { name: "Anne".into(), email: "anne@example.org".into() },
            "event": event(),
            "links": GuestLinks {
                invitation: "https://x/i/t".into(), yes: "https://x/i/t?answer=yes".into(),
                no: "https://x/i/t?answer=no".into(), maybe: "https://x/i/t?answer=maybe".into(),
                calendar: "https://x/i/t.ics".into(), unsubscribe: "https://x/u/t".into(),
                feed: "https://x/feeds/guests/t.ics".into(), webcal: "webcal://x/feeds/guests/t.ics".into(),
                unsubscribe_organiser: "https://x/u/t?scope=organiser".into(),
                series_feed: Some("https://x/feeds/series/m.ics".into()),
                series_webcal: Some("webcal://x/feeds/series/m.ics".into()),
            },
            "series_name": "<b>Café</b> & co",
            "late": { "answer": "yes", "closed_date": "mardi 1er décembre 2026", "closed_time": "8\u{a0}h\u{a0}30" },
            "reply": Some(reply),
            "waitlist_position": position,
            "words": "Chers amis <b>&</b> voisins,\nà jeudi !",
            "walk_in": false,
            "day": "tomorrow",
            "greeting_name": "<script>Ben & Jerry's</script>",
            "change": {
                "time": { "before": "8 h 30 – 10 h 00", "after": "8 h 45 – 10 h 15" },
                "venue": { "before": "<i>Ben</i>'s café", "after": "Café de la Paix" },
            },
        })
    }

    /// Every email renders in every language (strict mode: an undefined
    /// variable fails here), and guest-typed text is escaped in HTML only.
    #[test]
    fn every_email_renders_in_every_language_and_escapes_html() {
        let templates = Templates::embedded();
        let reply = ReplyContext { answer: "yes", companions: 1, comment: "<b>hi</b>".into() };
        for language in [Language::Fr, Language::En] {
            for kind in MailKind::ALL {
                let context = match kind {
                    MailKind::OrganiserNote | MailKind::OrganiserDigest => serde_json::to_value(OrganiserMail {
                        lang: language.as_str(),
                        organiser: PersonContext { name: "Anne".into(), email: "anne@example.org".into() },
                        event: event(),
                        links: OrganiserLinks { event: "https://x/e".into() },
                        note: Some(NoteContext {
                            guest_name: "<i>Ben</i>".into(),
                            guest_email: "ben@example.org".into(),
                            answer: "no".into(),
                            previous_answer: Some("yes".into()),
                            companions: 0,
                            comment: "Désolé <3".into(),
                            waitlisted: false,
                            promoted: false,
                            from_calendar: true,
                        }),
                        changes: Some(vec![DigestChange {
                            guest_name: "<i>Ben</i>".into(),
                            guest_email: "ben@example.org".into(),
                            answer: "yes".into(),
                            previous_answer: None,
                            companions: 2,
                            comment: String::new(),
                            changed_at_local: "08:15".into(),
                        }]),
                        totals: Some(DigestTotals { yes: 1, no: 0, maybe: 0, not_answered: 3, seats_left: Some(4) }),
                    })
                    .unwrap(),
                    MailKind::Waitlisted => guest_context(&reply, Some(2)),
                    // No event in it: the subject check below does not apply.
                    MailKind::LoginLink
                    | MailKind::WebhookDisabled
                    | MailKind::MailTest
                    | MailKind::TeamInvitation
                    | MailKind::VenueSummary => {
                        continue;
                    }
                    MailKind::RegistrationConfirm => serde_json::to_value(RegistrationMail {
                        lang: language.as_str(),
                        name: "<script>Ben & Jerry's</script>".into(),
                        email: "ben@example.org".into(),
                        organiser: PersonContext { name: "Anne".into(), email: "anne@example.org".into() },
                        event: event(),
                        links: RegistrationLinks { confirm: "https://x/e/1/confirm/t".into() },
                    })
                    .unwrap(),
                    _ => guest_context(&reply, None),
                };
                let rendered = templates
                    .render(kind, language, &context)
                    .unwrap_or_else(|e| panic!("{kind:?} {language:?}: {e:#}"));
                assert!(!rendered.subject.is_empty() && !rendered.subject.contains('\n'), "{kind:?}");
                assert!(rendered.subject.contains("Café <des> Victoires"), "{kind:?}: {}", rendered.subject);
                assert!(
                    !rendered.html.contains("<script>") && !rendered.html.contains("<i>Ben"),
                    "{kind:?} HTML not escaped"
                );
                assert!(!rendered.text.contains("&lt;"), "{kind:?} text must not be HTML-escaped");
                assert!(rendered.html.contains("<html"), "{kind:?}");
            }
        }
    }

    /// The team's emails, in both languages: what a person typed (a name, a
    /// comment, a title) is escaped in HTML and left alone in text.
    #[test]
    fn the_team_invitation_and_the_venue_summary_render_in_both_languages() {
        let templates = Templates::embedded();
        for language in [Language::Fr, Language::En] {
            let organiser = json!({ "name": "<b>Anne</b>", "email": "anne@example.org" });
            let invitation = json!({
                "lang": language.as_str(), "organiser": organiser, "event": event(), "door_helper": true,
                "links": { "accept": "https://x/team/t" }, "days": 7, "series": null,
            });
            let rendered = templates.render(MailKind::TeamInvitation, language, &invitation).unwrap();
            assert!(rendered.subject.contains("Café <des> Victoires"), "{}", rendered.subject);
            // A series' team: its name, no date or venue.
            let mut to_series = invitation.clone();
            to_series["series"] = json!({ "name": "Les <petits> déjeuners" });
            to_series["event"] = json!({ "title": "Les <petits> déjeuners" });
            let series = templates.render(MailKind::TeamInvitation, language, &to_series).unwrap();
            assert!(series.subject.contains("Les <petits> déjeuners"), "{}", series.subject);
            assert!(!series.html.contains("<petits>") && series.text.contains("https://x/team/t"), "{}", series.html);
            assert!(rendered.text.contains("https://x/team/t") && rendered.text.contains('7'), "{}", rendered.text);
            assert!(!rendered.html.contains("<b>Anne") && !rendered.html.contains("<des>"), "{}", rendered.html);
            let mut summary = json!({
                "lang": language.as_str(), "organiser": organiser, "event": event(),
                "venue": false, "venue_contact": null,
                "totals": { "people": 3, "parties": 2, "waiting_people": 1, "waiting": 1, "capacity": 3 },
                "expected": [
                    { "name": "<i>Ben</i>", "party": 2, "comment": "Sans <gluten>" },
                    { "name": "Zoé", "party": 1, "comment": "" },
                ],
                "waiting": [{ "name": "Yann", "party": 1, "comment": "" }],
                "questions": [{ "label": "<Régime>", "options": [
                    { "label": "Végétarien", "count": 4 }, { "label": "Aucun", "count": 0 } ] }],
                "links": { "event": "https://x/e", "door_list": "https://x/e/door-list" },
            });
            let rendered = templates.render(MailKind::VenueSummary, language, &summary).unwrap();
            assert!(rendered.subject.contains('3') && rendered.subject.contains("Café <des> Victoires"));
            assert!(rendered.text.contains("<i>Ben</i> (+1) — Sans <gluten>"), "{}", rendered.text);
            assert!(rendered.text.contains("1. Yann"), "{}", rendered.text);
            let colon = if language == Language::Fr { "\u{a0}:" } else { ":" };
            let catering = format!("- <Régime> — Végétarien{colon} 4, Aucun{colon} 0");
            assert!(rendered.text.contains(&catering), "{}", rendered.text);
            assert!(rendered.html.contains("&lt;Régime&gt;") && rendered.html.contains("<strong>4</strong>"));
            assert!(!rendered.html.contains("<i>Ben") && rendered.html.contains("&lt;i&gt;Ben"), "{}", rendered.html);
            assert!(rendered.text.contains("https://x/e/door-list"), "{}", rendered.text);
            // The venue's copy: no link to the dashboard, an answer goes to the owner.
            summary["venue"] = json!(true);
            summary["expected"][0]["comment"] = json!("");
            let rendered = templates.render(MailKind::VenueSummary, language, &summary).unwrap();
            assert!(
                !rendered.text.contains("https://x/") && !rendered.html.contains("https://x/"),
                "{}",
                rendered.text
            );
            assert!(
                rendered.text.contains("<b>Anne</b>") && rendered.html.contains("&lt;b&gt;Anne"),
                "{}",
                rendered.text
            );
            assert!(rendered.text.contains("<i>Ben</i> (+1)\n"), "{}", rendered.text);
        }
    }

    #[test]
    fn the_sign_in_email_renders_in_both_languages() {
        let templates = Templates::embedded();
        for language in [Language::Fr, Language::En] {
            let context = json!({
                "lang": language.as_str(),
                "organiser": { "name": "<b>Anne</b>", "email": "anne@example.org" },
                "links": { "login": "https://x/login/t" },
                "minutes": 15,
                "event": { "title": "Convive" },
            });
            let rendered = templates.render(MailKind::LoginLink, language, &context).unwrap();
            assert!(rendered.text.contains("https://x/login/t") && rendered.text.contains("15"), "{}", rendered.text);
            assert!(!rendered.html.contains("<b>Anne") && rendered.html.contains("login&#x2f;t"), "{}", rendered.html);
        }
    }

    /// Every template and partial exists in French and in English, and every
    /// email has its subject, text and HTML parts in both.
    #[test]
    fn every_email_part_exists_in_both_languages() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("email-templates");
        let mut checked = 0;
        for folder in std::fs::read_dir(&root).unwrap() {
            let folder = folder.unwrap().path();
            let files: std::collections::BTreeSet<String> = std::fs::read_dir(&folder)
                .unwrap()
                .map(|f| f.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            let name = folder.file_name().unwrap().to_string_lossy().into_owned();
            if name != "_partials" {
                for part in ["subject.fr.txt", "body.fr.txt", "body.fr.html"] {
                    assert!(files.contains(part), "email-templates/{name}/{part} is missing");
                }
            }
            for file in &files {
                let other = match file.split('.').collect::<Vec<_>>().as_slice() {
                    [part, "fr", ext] => format!("{part}.en.{ext}"),
                    [part, "en", ext] => format!("{part}.fr.{ext}"),
                    _ => panic!("email-templates/{name}/{file} is not <part>.<fr|en>.<ext>"),
                };
                assert!(files.contains(&other), "email-templates/{name}/{file} has no {other}");
                checked += 1;
            }
        }
        assert!(checked > 50, "only {checked} templates found");
    }

    /// French email text puts a no-break space before `:` `;` `!` `?` `»`
    /// and after `«`, as the catalogue does (template tags and HTML tags
    /// aside: they are not text).
    #[test]
    fn french_emails_put_no_break_spaces_around_double_punctuation() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("email-templates");
        for folder in std::fs::read_dir(&root).unwrap() {
            for file in std::fs::read_dir(folder.unwrap().path()).unwrap() {
                let path = file.unwrap().path();
                if !path.to_string_lossy().contains(".fr.") {
                    continue;
                }
                let source = std::fs::read_to_string(&path).unwrap();
                let text = outside_tags(&source);
                for bad in [" :", " ;", " !", " ?", " »", "« "] {
                    assert!(!text.contains(bad), "{}: {bad:?} in {text}", path.display());
                }
            }
        }
    }

    /// The template's text: without `{{ … }}`, `{% … %}`, `{# … #}` and `<…>`.
    fn outside_tags(source: &str) -> String {
        let mut text = String::new();
        let mut rest = source;
        while let Some(start) = rest.find(['{', '<']) {
            text.push_str(&rest[..start]);
            let close = match &rest[start..] {
                tail if tail.starts_with("{{") => "}}",
                tail if tail.starts_with("{%") => "%}",
                tail if tail.starts_with("{#") => "#}",
                tail if tail.starts_with('<') => ">",
                _ => {
                    text.push('{');
                    rest = &rest[start + 1..];
                    continue;
                }
            };
            match rest[start..].find(close) {
                Some(end) => rest = &rest[start + end + close.len()..],
                None => return text,
            }
            text.push('\u{1}');
        }
        text.push_str(rest);
        text
    }
}
