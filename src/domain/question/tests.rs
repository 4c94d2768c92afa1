use super::*;

fn draft(key: &str, kind: &str, required: bool, options: &[&str]) -> QuestionDraft {
    QuestionDraft {
        key: Some(key.to_owned()),
        kind: kind.to_owned(),
        label_fr: format!("Question {key}"),
        label_en: String::new(),
        required,
        options: options
            .iter()
            .map(|o| ChoiceDraft { key: Some((*o).to_owned()), label_fr: o.to_uppercase(), label_en: String::new() })
            .collect(),
    }
}

fn questions() -> Vec<Question> {
    parse_questions(&[
        draft("company", "short_text", true, &[]),
        draft("bio", "long_text", false, &[]),
        draft("diet", "one_choice", true, &["vegetarian", "vegan", "none"]),
        draft("topics", "several_choices", false, &["rust", "sql", "css"]),
        draft("speak", "yes_no", true, &[]),
    ])
    .unwrap()
}

fn given(pairs: &[(&str, Given)]) -> Answers {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()
}

fn text(s: &str) -> Given {
    Given::Text(s.to_owned())
}

fn codes(errors: &FieldErrors) -> Vec<(String, String)> {
    errors.iter().map(|(field, p)| (field.clone(), p.code().to_owned())).collect()
}

#[test]
fn a_label_in_one_language_serves_both_and_keys_are_numbered_when_left_out() {
    let mut d = draft("x", "one_choice", false, &[]);
    d.key = None;
    d.options = vec![
        ChoiceDraft { key: None, label_fr: "Végétarien".into(), label_en: "Vegetarian".into() },
        ChoiceDraft { key: None, label_fr: String::new(), label_en: "Vegan".into() },
    ];
    let parsed = parse_questions(&[d]).unwrap();
    assert_eq!(parsed[0].key, "q1");
    assert_eq!(parsed[0].label.en, "Question x");
    assert_eq!(
        parsed[0].options[0],
        Choice { key: "o1".into(), label: Wording { fr: "Végétarien".into(), en: "Vegetarian".into() } }
    );
    assert_eq!(parsed[0].options[1].label.fr, "Vegan");
    assert_eq!(parsed[0].options[1].key, "o2");
}

#[test]
fn bad_questions_are_named_by_their_place() {
    let mut blank = draft("a", "short_text", false, &[]);
    blank.label_fr = "  ".into();
    let errors = parse_questions(&[
        blank,
        draft("a", "essay", false, &[]),
        draft("Diet!", "one_choice", false, &["only"]),
        draft("d", "several_choices", false, &["x", "x"]),
        draft("", "yes_no", false, &[]),
    ])
    .unwrap_err();
    assert_eq!(
        codes(&errors),
        vec![
            ("questions.0.label".into(), "required".into()),
            ("questions.1.key".into(), "duplicate_key".into()),
            ("questions.1.kind".into(), "invalid_question_kind".into()),
            ("questions.2.key".into(), "invalid_key".into()),
            ("questions.2.options".into(), "too_few_options".into()),
            ("questions.3.options.1".into(), "duplicate_key".into()),
            ("questions.4.key".into(), "invalid_key".into()),
        ]
    );
    let many: Vec<_> = (0..=MAX_QUESTIONS).map(|i| draft(&format!("q{i}"), "yes_no", false, &[])).collect();
    assert_eq!(codes(&parse_questions(&many).unwrap_err()), vec![("questions".into(), "too_many_questions".into())]);
    let options: Vec<String> = (0..=MAX_OPTIONS).map(|i| format!("o{i}")).collect();
    let refs: Vec<&str> = options.iter().map(String::as_str).collect();
    let errors = parse_questions(&[draft("d", "one_choice", false, &refs)]).unwrap_err();
    assert_eq!(codes(&errors), vec![("questions.0.options".into(), "too_many_options".into())]);
}

#[test]
fn answers_come_back_normal() {
    let kept = check_answers(
        &questions(),
        &given(&[
            ("company", text("  Acme  ")),
            ("bio", text("")),
            ("diet", Given::List(vec!["vegan".into()])),
            ("topics", Given::List(vec!["sql".into(), "rust".into(), "sql".into()])),
            ("speak", text("no")),
        ]),
        true,
    )
    .unwrap();
    assert_eq!(
        kept,
        given(&[
            ("company", text("Acme")),
            ("diet", text("vegan")),
            ("topics", Given::List(vec!["rust".into(), "sql".into()])),
            ("speak", Given::Flag(false)),
        ])
    );
}

#[test]
fn required_questions_bind_those_who_come_or_may_come_only() {
    for answer in [Answer::Yes, Answer::Maybe] {
        let errors =
            check_answers(&questions(), &given(&[("company", text("   "))]), required_binds(answer)).unwrap_err();
        assert_eq!(
            codes(&errors),
            vec![
                ("questions.company".into(), "required".into()),
                ("questions.diet".into(), "required".into()),
                ("questions.speak".into(), "required".into()),
            ]
        );
    }
    assert_eq!(check_answers(&questions(), &Answers::new(), required_binds(Answer::No)).unwrap(), Answers::new());
    // What a "no" gives anyway is still checked.
    let errors = check_answers(&questions(), &given(&[("diet", text("fish"))]), false).unwrap_err();
    assert_eq!(codes(&errors), vec![("questions.diet".into(), "not_an_option".into())]);
}

#[test]
fn each_kind_refuses_what_it_does_not_offer() {
    let base = [("company", text("Acme")), ("diet", text("none")), ("speak", Given::Flag(true))];
    let with = |key: &str, value: Given| {
        let mut answers = given(&base);
        answers.insert(key.to_owned(), value);
        check_answers(&questions(), &answers, true).unwrap_err()
    };
    let long = "x".repeat(MAX_SHORT_TEXT_CHARS + 1);
    let errors = with("company", Given::Text(long));
    assert_eq!(errors["questions.company"].code(), "too_long");
    assert_eq!(errors["questions.company"].params()["max"], "200");
    assert_eq!(with("company", text("a\nb"))["questions.company"].code(), "control_characters");
    assert_eq!(with("bio", Given::Text("y".repeat(MAX_LONG_TEXT_CHARS + 1)))["questions.bio"].code(), "too_long");
    let errors = with("diet", text("fish"));
    assert_eq!(errors["questions.diet"].code(), "not_an_option");
    assert_eq!(errors["questions.diet"].params()["value"], "fish");
    let two = Given::List(vec!["vegan".into(), "none".into()]);
    assert_eq!(with("diet", two)["questions.diet"].code(), "one_choice_only");
    assert_eq!(
        with("topics", Given::List(vec!["rust".into(), "go".into()]))["questions.topics"].code(),
        "not_an_option"
    );
    assert_eq!(with("speak", text("perhaps"))["questions.speak"].code(), "yes_or_no");
    assert_eq!(with("ghost", text("boo"))["questions.ghost"].code(), "unknown_question");
    assert_eq!(with("diet", Given::Flag(true))["questions.diet"].code(), "invalid");
    // A long text keeps its lines.
    let mut answers = given(&base);
    answers.insert("bio".into(), text("line one\nline two"));
    assert_eq!(check_answers(&questions(), &answers, true).unwrap()["bio"], text("line one\nline two"));
}

#[test]
fn totals_count_each_guest_once_per_choice() {
    let questions = questions();
    let guests = [
        given(&[
            ("diet", text("vegetarian")),
            ("topics", Given::List(vec!["rust".into(), "sql".into()])),
            ("speak", Given::Flag(true)),
        ]),
        given(&[("diet", text("vegetarian")), ("speak", Given::Flag(false))]),
        given(&[("diet", text("removed-since")), ("topics", Given::List(vec!["rust".into()]))]),
    ];
    let totals = totals(&questions, &guests);
    let flat: Vec<(String, Vec<(String, u32)>)> =
        totals.iter().map(|t| (t.key.clone(), t.options.iter().map(|o| (o.key.clone(), o.count)).collect())).collect();
    assert_eq!(
        flat,
        vec![
            ("diet".into(), vec![("vegetarian".into(), 2), ("vegan".into(), 0), ("none".into(), 0)]),
            ("topics".into(), vec![("rust".into(), 2), ("sql".into(), 1), ("css".into(), 0)]),
            ("speak".into(), vec![("yes".into(), 1), ("no".into(), 1)]),
        ]
    );
    assert_eq!(totals[2].options[0].label.fr, "oui");
}

#[test]
fn answers_are_shown_by_their_labels() {
    let questions = questions();
    let topics = &questions[3];
    assert_eq!(
        shown(topics, &Given::List(vec!["rust".into(), "css".into()]), Language::Fr, ("oui", "non")),
        "RUST, CSS"
    );
    assert_eq!(shown(&questions[2], &text("vegan"), Language::En, ("yes", "no")), "VEGAN");
    assert_eq!(shown(&questions[4], &Given::Flag(true), Language::Fr, ("oui", "non")), "oui");
    assert_eq!(shown(&questions[0], &text("Acme"), Language::Fr, ("oui", "non")), "Acme");
}

#[test]
fn answers_keep_their_shape_in_json() {
    let answers =
        given(&[("diet", text("vegan")), ("speak", Given::Flag(true)), ("topics", Given::List(vec!["sql".into()]))]);
    let json = serde_json::to_string(&answers).unwrap();
    assert_eq!(json, r#"{"diet":"vegan","speak":true,"topics":["sql"]}"#);
    assert_eq!(serde_json::from_str::<Answers>(&json).unwrap(), answers);
    let stored = serde_json::to_string(&questions()).unwrap();
    assert_eq!(serde_json::from_str::<Vec<Question>>(&stored).unwrap(), questions());
}

#[test]
fn answers_to_questions_or_choices_since_removed_are_left_out_of_those_still_asked() {
    let before = given(&[
        ("gone", text("a question removed")),
        ("company", text("Acme")),
        ("diet", text("vegetarian")),
        ("topics", Given::List(vec!["rust".into(), "cobol".into()])),
        ("speak", text("maybe")),
    ]);
    // "vegetarian" is no longer offered, "cobol" never was, "speak" was a text question.
    let mut now = questions();
    now[2].options.remove(0);
    assert_eq!(
        still_asked(&now, &before),
        given(&[("company", text("Acme")), ("topics", Given::List(vec!["rust".into()]))])
    );
    assert!(check_answers(&now, &still_asked(&now, &before), false).is_ok());
}
