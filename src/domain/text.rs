//! Bounded, trimmed text. Length limits are in characters, not bytes, so a
//! French accent or an emoji counts as one. Each rule comes with its JSON
//! Schema ([`Line`], [`Text`], [`WebLink`]) for the OpenAPI document, kept
//! beside the code it describes and tested against it.

use std::borrow::Cow;

use super::problem::{Problem, code};

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::{PartialSchema, ToSchema};

/// Trims `raw` and checks it holds between `min` and `max` characters and no
/// control characters other than newlines and tabs (`multiline`) or none at all.
pub fn bounded(raw: &str, min: usize, max: usize, multiline: bool) -> Result<String, Problem> {
    let value = raw.trim();
    let length = value.chars().count();
    if length < min {
        return Err(if min == 1 {
            Problem::new(code::REQUIRED, "must not be empty")
        } else {
            Problem::new(code::TOO_SHORT, format!("must be at least {min} characters")).with("min", min)
        });
    }
    if length > max {
        return Err(
            Problem::new(code::TOO_LONG, format!("must be at most {max} characters (got {length})")).with("max", max)
        );
    }
    let allowed = |c: char| !c.is_control() || (multiline && (c == '\n' || c == '\t' || c == '\r'));
    if !value.chars().all(allowed) {
        return Err(Problem::new(code::CONTROL_CHARACTERS, "must not contain control characters"));
    }
    Ok(value.to_owned())
}

/// A French word that elides before a vowel sound, then the name: "d'Anne",
/// "qu'Élodie", "de Bob". A silent h elides too ("d'Hélène"); a y does not.
pub fn elided(word: &str, name: &str) -> String {
    let first = folded(name.chars().next().map(String::from).as_deref().unwrap_or(""));
    let elides = matches!(first.as_str(), "a" | "e" | "i" | "o" | "u" | "h");
    match word.strip_suffix('e') {
        Some(stem) if elides => format!("{stem}'{name}"),
        _ => format!("{word} {name}"),
    }
}

/// Lower case without accents, for searching: "zoe" finds "Zoé".
pub fn folded(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    text.nfd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

/// An absolute `http` or `https` URL, such as a map link or a photo album.
pub fn web_url(raw: &str) -> Result<String, Problem> {
    let value = raw.trim();
    if value.len() > MAX_URL_BYTES {
        return Err(
            Problem::new(code::TOO_LONG, format!("must be at most {MAX_URL_BYTES} bytes")).with("max", MAX_URL_BYTES)
        );
    }
    match url::Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(url.to_string()),
        Ok(_) => Err(Problem::new(code::INVALID_URL, "must be an http or https link")),
        Err(_) => Err(Problem::new(code::INVALID_URL, "must be a valid link, such as https://example.org/album")),
    }
}

/// What `str::trim` strips (`char::is_whitespace`), as the body of a regular
/// expression character class that reads the same in ECMA-262, Python and
/// Rust. Spelled out rather than `\s`, whose meaning differs between them.
pub(super) const WHITESPACE: &str = r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";
/// `char::is_control`: the C0 and C1 controls and DEL.
const CONTROL: &str = r"\x00-\x1f\x7f-\x9f";
/// The controls a multi-line text may hold inside: all but tab, newline and carriage return.
const CONTROL_BUT_LINE_BREAKS: &str = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f";

/// The pattern of what [`bounded`] accepts on one line: surrounding
/// whitespace (trimmed away, of any length), then at most `max` characters
/// and no control character, and when `required` a first one that is not
/// whitespace. A pattern rather than `maxLength`, which would count the
/// whitespace that trimming drops.
fn line_pattern(required: bool, max: usize) -> String {
    if required {
        let rest = max.saturating_sub(1);
        format!("^[{WHITESPACE}]*[^{CONTROL}{WHITESPACE}][^{CONTROL}]{{0,{rest}}}[{WHITESPACE}]*$")
    } else {
        format!("^[{WHITESPACE}]*[^{CONTROL}]{{0,{max}}}[{WHITESPACE}]*$")
    }
}

/// The pattern of what [`bounded`] accepts on several lines, as [`line_pattern`].
fn text_pattern(max: usize) -> String {
    format!("^[{WHITESPACE}]*[^{CONTROL_BUT_LINE_BREAKS}]{{0,{max}}}[{WHITESPACE}]*$")
}

/// The schema of a single line that [`bounded`] accepts with `MIN` (0 or 1)
/// and `MAX`. Only a schema: the field itself stays a `String`.
pub struct Line<const MIN: usize, const MAX: usize>;

impl<const MIN: usize, const MAX: usize> PartialSchema for Line<MIN, MAX> {
    fn schema() -> RefOr<Schema> {
        const { assert!(MIN <= 1, "a pattern can say \"not blank\", not \"at least N after trimming\"") };
        let words = if MIN == 1 { format!("1 to {MAX}") } else { format!("at most {MAX}") };
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(format!(
                "One line: surrounding whitespace is trimmed, then {words} characters, no control characters."
            )))
            .min_length((MIN > 0).then_some(MIN))
            .pattern(Some(line_pattern(MIN > 0, MAX)))
            .into()
    }
}

impl<const MIN: usize, const MAX: usize> ToSchema for Line<MIN, MAX> {
    fn name() -> Cow<'static, str> {
        Cow::Owned(format!("Line_{MIN}_{MAX}"))
    }
}

/// The schema of a text of several lines that [`bounded`] accepts with
/// `MIN` 0 and `MAX`.
pub struct Text<const MAX: usize>;

impl<const MAX: usize> PartialSchema for Text<MAX> {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(format!(
                "Text: surrounding whitespace is trimmed, then at most {MAX} characters: lines and tabs, \
                 no other control characters."
            )))
            .pattern(Some(text_pattern(MAX)))
            .into()
    }
}

impl<const MAX: usize> ToSchema for Text<MAX> {
    fn name() -> Cow<'static, str> {
        Cow::Owned(format!("Text_{MAX}"))
    }
}

/// Longest link [`web_url`] accepts, in bytes.
pub const MAX_URL_BYTES: usize = 2048;

/// The schema of a link [`web_url`] accepts, or of none: a blank value
/// (what a form's emptied field sends) means no link. The pattern asks only
/// for the `http:` or `https:` scheme: the WHATWG URL parser behind
/// `web_url` accepts far more spellings of the rest than a pattern could list.
pub struct WebLink;

impl PartialSchema for WebLink {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("An absolute `http` or `https` link, at most 2048 bytes; empty for none."))
            .max_length(Some(MAX_URL_BYTES))
            .pattern(Some(format!(r"^[\x00-\x20{WHITESPACE}]*([Hh][Tt][Tt][Pp][Ss]?:|$)")))
            .examples([serde_json::json!("https://example.org/album")])
            .into()
    }
}

impl ToSchema for WebLink {}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn french_words_elide_before_a_vowel_sound() {
        assert_eq!(elided("de", "Anne"), "d'Anne");
        assert_eq!(elided("que", "Élodie Martin"), "qu'Élodie Martin");
        assert_eq!(elided("de", "Hélène"), "d'Hélène");
        assert_eq!(elided("de", "Bob"), "de Bob");
        assert_eq!(elided("de", "Yann"), "de Yann");
        assert_eq!(elided("de", ""), "de ");
        assert_eq!(folded("Zoé ÉLISE"), "zoe elise");
    }

    #[test]
    fn bounded_text_is_trimmed_and_counted_in_characters() {
        assert_eq!(bounded("  Café  ", 1, 4, false).unwrap(), "Café");
        assert!(bounded("Cafés", 1, 4, false).is_err());
        assert!(bounded("   ", 1, 10, false).is_err());
        assert!(bounded("a\u{0}b", 1, 10, false).is_err());
        assert!(bounded("a\nb", 1, 10, false).is_err());
        assert_eq!(bounded("a\nb", 1, 10, true).unwrap(), "a\nb");
    }

    #[test]
    fn only_web_links_are_accepted() {
        assert!(web_url("https://maps.example.org/?q=café").is_ok());
        assert!(web_url("javascript:alert(1)").is_err());
        assert!(web_url("ftp://example.org").is_err());
        assert!(web_url("not a url").is_err());
    }

    /// Whether `pattern`, as the OpenAPI document states it, matches `text`.
    fn matches(pattern: &str, text: &str) -> bool {
        regex::Regex::new(pattern).unwrap().is_match(text)
    }

    /// Characters the rules treat specially, and a few that they do not.
    fn tricky_text() -> impl Strategy<Value = String> {
        let interesting = prop::sample::select(vec![
            'a', 'é', ' ', '\t', '\n', '\r', '\u{b}', '\u{c}', '\u{0}', '\u{1f}', '\u{7f}', '\u{85}', '\u{9f}',
            '\u{a0}', '\u{1680}', '\u{2000}', '\u{200a}', '\u{200b}', '\u{2028}', '\u{3000}', '\u{feff}', '😀',
        ]);
        prop_oneof![prop::collection::vec(interesting, 0..12).prop_map(String::from_iter), any::<String>()]
    }

    proptest! {
        /// The document's patterns say exactly what `bounded` accepts,
        /// lengths included (a small maximum, so that they matter).
        #[test]
        fn the_schema_patterns_agree_with_the_rules(text in tricky_text(), max in 1usize..6) {
            prop_assert_eq!(matches(&line_pattern(true, max), &text), bounded(&text, 1, max, false).is_ok(), "{:?}", text);
            prop_assert_eq!(matches(&line_pattern(false, max), &text), bounded(&text, 0, max, false).is_ok(), "{:?}", text);
            prop_assert_eq!(matches(&text_pattern(max), &text), bounded(&text, 0, max, true).is_ok(), "{:?}", text);
        }
    }

    #[test]
    fn the_link_pattern_admits_every_link_the_rule_accepts() {
        let pattern = match WebLink::schema() {
            RefOr::T(Schema::Object(object)) => object.pattern.unwrap(),
            _ => unreachable!(),
        };
        for link in ["https://example.org", " HTTP://example.org/a b", "http:example.org", "\u{1}https://example.org"] {
            assert!(web_url(link).is_ok(), "{link:?}");
            assert!(matches(&pattern, link), "{link:?}");
        }
        assert!(!matches(&pattern, "ftp://example.org") && !matches(&pattern, "javascript:alert(1)"));
        // Blank is "no link", as the event's rules read it.
        assert!(matches(&pattern, "") && matches(&pattern, "  "));
    }
}
