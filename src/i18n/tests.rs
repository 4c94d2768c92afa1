use super::*;

/// Variables a language may leave out: grammar that the other one lacks
/// (English has no grammatical gender).
const GRAMMAR_ONLY: &[&str] = &["gender"];

#[test]
fn every_message_exists_in_both_languages_with_the_same_variables() {
    let catalogue = &*CATALOGUE;
    let ids = |m: &Messages| m.variables.keys().cloned().collect::<BTreeSet<_>>();
    let (fr, en) = (ids(&catalogue.fr), ids(&catalogue.en));
    assert!(fr.difference(&en).next().is_none(), "missing in en: {:?}", fr.difference(&en).collect::<Vec<_>>());
    assert!(en.difference(&fr).next().is_none(), "missing in fr: {:?}", en.difference(&fr).collect::<Vec<_>>());
    for id in &fr {
        let meaningful = |m: &Messages| {
            m.variables[id].iter().filter(|v| !GRAMMAR_ONLY.contains(&v.as_str())).cloned().collect::<BTreeSet<_>>()
        };
        assert_eq!(meaningful(&catalogue.fr), meaningful(&catalogue.en), "variables of {id}");
        let attributes = |m: &Messages| {
            m.bundle.get_message(id).map(|m| m.attributes().map(|a| a.id().to_owned()).collect::<BTreeSet<_>>())
        };
        assert_eq!(attributes(&catalogue.fr), attributes(&catalogue.en), "attributes of {id}");
    }
}

#[test]
fn every_catalogue_file_is_compiled_in_for_both_languages() {
    let listed = |files: &[(&str, &str)]| files.iter().map(|(name, _)| (*name).to_owned()).collect::<BTreeSet<_>>();
    assert_eq!(listed(FR_FILES), listed(EN_FILES));
    for lang in ["fr", "en"] {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales").join(lang);
        let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(on_disk, listed(FR_FILES), "locales/{lang}");
    }
}

#[test]
fn french_puts_a_no_break_space_before_double_punctuation() {
    for (id, word) in words(Language::Fr) {
        for (i, c) in word.char_indices() {
            if matches!(c, ':' | ';' | '!' | '?' | '»') && i > 0 {
                let before = word[..i].chars().next_back();
                assert_ne!(before, Some(' '), "{id}: {word:?}");
            }
        }
        assert!(!word.contains("« "), "{id}: {word:?}");
    }
}

#[test]
fn counts_agree_with_their_noun() {
    let expected = |language, n: u64| text(language, "d_checkin_expected", &[("n", n.into())]);
    assert_eq!(expected(Language::Fr, 0), "attendu");
    assert_eq!(expected(Language::Fr, 1), "attendu");
    assert_eq!(expected(Language::Fr, 2), "attendus");
    assert_eq!(expected(Language::En, 1), "expected");
    let added = |language, n: u64| text(language, "d_import_added", &[("n", n.into())]);
    assert_eq!(added(Language::Fr, 1), "1 ajouté");
    assert_eq!(added(Language::Fr, 3), "3 ajoutés");
    assert_eq!(added(Language::En, 3), "3 added");
}

#[test]
fn a_mail_status_agrees_with_the_kind_of_mail() {
    let sent = |kind: &str| {
        let gender = text(Language::Fr, &format!("d_mail_{kind}.gender"), &[]);
        let label = word(Language::Fr, &format!("d_mail_{kind}"));
        text(Language::Fr, "d_mail_status_sent", &[("kind", label.into()), ("gender", gender.into())])
    };
    assert_eq!(sent("invitation"), "Invitation\u{a0}: envoyée");
    assert_eq!(sent("reminder"), "Rappel\u{a0}: envoyé");
}

#[test]
fn names_after_de_are_elided_before_a_vowel() {
    let answer_for = |name: &str| text(Language::Fr, "d_set_answer_for", &[("name", name.into())]);
    assert_eq!(answer_for("Amélie"), "Réponse d'Amélie");
    assert_eq!(answer_for("Bob"), "Réponse de Bob");
}

#[test]
fn words_keep_placeholders_for_templates_that_replace_them() {
    assert_eq!(word(Language::Fr, "greeting_named"), "Bonjour {name},");
    assert_eq!(word(Language::En, "d_import_added"), "{n} added");
}

#[test]
fn a_missing_message_shows_its_id() {
    assert_eq!(text(Language::Fr, "no_such_message", &[]), "no_such_message");
    assert!(!has(Language::En, "no_such_message"));
}

#[test]
fn every_problem_code_is_worded_in_both_languages() {
    for code in crate::domain::problem::code::ALL {
        for language in [Language::Fr, Language::En] {
            assert!(has(language, &format!("err_{code}")), "err_{code} in {}", language.as_str());
        }
    }
}

#[test]
fn problems_are_worded_with_their_parameters() {
    use crate::domain::problem::{Problem, code};
    let bad = Problem::new(code::INVALID_EMAIL, "'nope' is not a valid email address").with("value", "nope");
    assert_eq!(problem(Language::Fr, &bad), "«\u{a0}nope\u{a0}» n'est pas une adresse e-mail valide.");
    assert_eq!(problem(Language::En, &bad), "“nope” is not a valid email address.");
    let companions = Problem::new(code::COMPANIONS_RANGE, "at most 1 companion(s) per guest").with("max", 1);
    assert_eq!(problem(Language::Fr, &companions), "1\u{a0}accompagnant au maximum.");
    let other = Problem::from("must be between 1 and 100");
    assert_eq!(problem(Language::Fr, &other), "must be between 1 and 100");
}
