use super::*;
use crate::domain::event::Language;
use crate::domain::guest_list::{CsvStyle, ExportRow, parse_csv};
use crate::domain::question::{ChoiceDraft, QuestionDraft, parse_questions};

fn questions() -> Vec<Question> {
    let choice = |key: &str, fr: &str, en: &str| ChoiceDraft {
        key: Some(key.to_owned()),
        label_fr: fr.to_owned(),
        label_en: en.to_owned(),
    };
    let draft = |key: &str, kind: &str, fr: &str, en: &str, required: bool, options: Vec<ChoiceDraft>| QuestionDraft {
        key: Some(key.to_owned()),
        kind: kind.to_owned(),
        label_fr: fr.to_owned(),
        label_en: en.to_owned(),
        required,
        options,
    };
    parse_questions(&[
        draft(
            "diet",
            "one_choice",
            "Régime alimentaire\u{a0}?",
            "Dietary needs?",
            true,
            vec![choice("vegetarian", "Végétarien", "Vegetarian"), choice("none", "Aucun", "None")],
        ),
        draft(
            "topics",
            "several_choices",
            "Sujets",
            "Topics",
            false,
            vec![
                choice("rust", "Rust", "Rust"),
                choice("sql", "SQL ; bases", "SQL; databases"),
                choice("css", "CSS", "CSS"),
            ],
        ),
        draft("speak", "yes_no", "Prendre la parole", "Speak", false, vec![]),
        draft("company", "short_text", "Société", "Company", false, vec![]),
    ])
    .unwrap()
}

fn read(text: &str) -> Vec<Result<Option<RowAnswer>, FieldErrors>> {
    let questions = questions();
    let parsed = parse_csv(text.as_bytes()).unwrap();
    let columns = question_columns(&questions, &parsed.headings, &parsed.layout.columns);
    parsed.rows.iter().map(|row| row_answer(row, &questions, &columns)).collect()
}

fn codes(result: &Result<Option<RowAnswer>, FieldErrors>) -> Vec<(String, String)> {
    match result {
        Err(errors) => errors.iter().map(|(field, p)| (field.clone(), p.code().to_owned())).collect(),
        Ok(_) => Vec::new(),
    }
}

#[test]
fn headings_name_questions_by_either_label_or_key_whatever_the_case_and_spaces() {
    let questions = questions();
    let parsed = parse_csv(
        "E-mail;Réponse;régime alimentaire ?;TOPICS;speak;Commentaire;Autre\na@example.org;oui;Aucun;;;;x\n".as_bytes(),
    )
    .unwrap();
    assert_eq!(parsed.layout.columns.answer, Some(1));
    assert_eq!(parsed.layout.columns.comment, Some(5));
    let columns = question_columns(&questions, &parsed.headings, &parsed.layout.columns);
    assert_eq!(columns, vec![(2, 0), (3, 1), (4, 2)]);
}

#[test]
fn cells_are_read_as_the_export_writes_them_in_either_language() {
    let rows = read(
        "Email,Answer,Companions,Comment,Dietary needs?,Topics,Speak,Company\n\
         a@example.org,yes,2,Hi,Vegetarian,\"Rust ; SQL; databases\",yes,Acme\n\
         b@example.org,peut-être,,,végétarien,sql ; css,non,\n\
         c@example.org,no,,,,,,\n\
         d@example.org,,,,,,,\n",
    );
    let first = rows[0].clone().unwrap().unwrap();
    assert_eq!((first.answer, first.companions, first.comment.as_str()), (Answer::Yes, 2, "Hi"));
    assert_eq!(
        first.questions,
        Answers::from([
            ("diet".to_owned(), Given::Text("vegetarian".to_owned())),
            ("topics".to_owned(), Given::List(vec!["rust".to_owned(), "sql".to_owned()])),
            ("speak".to_owned(), Given::Flag(true)),
            ("company".to_owned(), Given::Text("Acme".to_owned())),
        ])
    );
    let second = rows[1].clone().unwrap().unwrap();
    assert_eq!(second.answer, Answer::Maybe);
    assert_eq!(second.questions["topics"], Given::List(vec!["sql".to_owned(), "css".to_owned()]));
    assert_eq!(second.questions["speak"], Given::Flag(false));
    // A no is asked nothing more; no answer at all sets nothing.
    assert_eq!(rows[2].clone().unwrap().unwrap().answer, Answer::No);
    assert_eq!(rows[3], Ok(None));
}

#[test]
fn bad_cells_are_named_by_their_field() {
    let rows = read(&format!(
        "Email,Answer,Companions,Dietary needs?,Topics,Speak,Company\n\
         a@example.org,yes,,Vegan,,,\n\
         b@example.org,yes,,,Cobol,perhaps,{}\n\
         c@example.org,perhaps,-1,,,,\n\
         d@example.org,,,Aucun,,,\n",
        "x".repeat(201)
    ));
    let pair = |field: &str, code: &str| (field.to_owned(), code.to_owned());
    assert_eq!(codes(&rows[0]), vec![pair("questions.diet", "not_an_option")]);
    assert_eq!(
        codes(&rows[1]),
        vec![
            pair("questions.company", "too_long"),
            pair("questions.diet", "required"),
            pair("questions.speak", "yes_or_no"),
            pair("questions.topics", "not_an_option"),
        ]
    );
    assert_eq!(codes(&rows[2]), vec![pair("answer", "invalid_answer"), pair("companions", "out_of_range")]);
    assert_eq!(codes(&rows[3]), vec![pair("answer", "required")]);
}

#[test]
fn an_exported_list_reads_back_as_it_was() {
    let questions = questions();
    let answers = Answers::from([
        ("diet".to_owned(), Given::Text("vegetarian".to_owned())),
        ("topics".to_owned(), Given::List(vec!["sql".to_owned(), "css".to_owned()])),
        ("speak".to_owned(), Given::Flag(false)),
        ("company".to_owned(), Given::Text("=Acme; \"Paris\"".to_owned())),
    ]);
    let mut guest = crate::domain::guest_list::export::tests::guest("Anne", "anne@example.org");
    guest.reply =
        Some(Reply { answer: Answer::Maybe, companions: 1, comment: "À bientôt".to_owned(), questions: answers });
    let rows = [ExportRow { guest, waitlist_position: None, unsubscribed: false }];
    for language in [Language::Fr, Language::En] {
        let file = CsvStyle::new(language, chrono_tz::Tz::UTC).with_questions(&questions).file(&rows);
        let parsed = parse_csv(&file).unwrap();
        let columns = question_columns(&questions, &parsed.headings, &parsed.layout.columns);
        let back = row_answer(&parsed.rows[0], &questions, &columns).unwrap().unwrap();
        let reply = rows[0].guest.reply.clone().unwrap();
        assert_eq!(back.answer, reply.answer);
        assert_eq!(back.companions, 1);
        assert_eq!(back.comment, reply.comment);
        assert_eq!(back.questions, reply.questions, "{language:?}");
    }
}
