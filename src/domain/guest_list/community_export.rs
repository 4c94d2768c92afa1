//! A series' community written out as CSV, each member with her history:
//! the same file conventions as the guest list's export (byte-order mark,
//! `;` and French words for French Excel, formulas defused), and headings
//! the import reads back (name, first name, email, language).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::export::CsvStyle;
use crate::domain::attendance::Tally;
use crate::domain::community::{JoinedHow, Member, MemberStatus};
use crate::domain::event::Language;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

fn headings(language: Language) -> [&'static str; 15] {
    match language {
        Language::Fr => [
            "Nom",
            "Prénom",
            "E-mail",
            "Langue",
            "Étiquettes",
            "Statut",
            "Arrivée",
            "Consentement",
            "Rendez-vous",
            "Invitations",
            "Réponses",
            "Oui",
            "Venu",
            "Absences",
            "Annulations tardives",
        ],
        Language::En => [
            "Name",
            "First name",
            "Email",
            "Language",
            "Tags",
            "Status",
            "Joined",
            "Consented",
            "Dates",
            "Invited",
            "Answered",
            "Yes",
            "Came",
            "No-shows",
            "Late cancellations",
        ],
    }
}

fn joined(how: JoinedHow, language: Language) -> &'static str {
    match (how, language) {
        (JoinedHow::Imported, Language::Fr) => "importé",
        (JoinedHow::Added, Language::Fr) => "ajouté",
        (JoinedHow::Registered, Language::Fr) => "inscrit en ligne",
        (JoinedHow::WalkIn, Language::Fr) => "venu sans invitation",
        (JoinedHow::Imported, Language::En) => "imported",
        (JoinedHow::Added, Language::En) => "added",
        (JoinedHow::Registered, Language::En) => "registered",
        (JoinedHow::WalkIn, Language::En) => "walk-in",
    }
}

/// The whole file. Dates are read on the wall clock of `zone`.
pub fn community_file(language: Language, zone: Tz, members: &[(Member, Tally)]) -> Vec<u8> {
    let style = CsvStyle::new(language, zone);
    let french = language == Language::Fr;
    let time_format = if french { "%d/%m/%Y %H:%M" } else { "%Y-%m-%d %H:%M" };
    let when = |at: Option<DateTime<Utc>>| {
        at.map(|at| at.with_timezone(&zone).format(time_format).to_string()).unwrap_or_default()
    };
    let mut out = UTF8_BOM.to_vec();
    style.write(&mut out, std::iter::once(headings(language).map(str::to_owned).to_vec()));
    style.write(
        &mut out,
        members.iter().map(|(m, t)| {
            let status = match (m.status, french) {
                (MemberStatus::Active, true) => "membre",
                (MemberStatus::Left, true) => "a quitté la série",
                (MemberStatus::Active, false) => "active",
                (MemberStatus::Left, false) => "left",
            };
            vec![
                m.name.clone(),
                m.first_name.clone(),
                m.email.to_string(),
                m.language.map(|l| l.as_str().to_owned()).unwrap_or_default(),
                m.tags.join(", "),
                status.to_owned(),
                joined(m.joined_how, language).to_owned(),
                when(m.consented_at),
                t.dates.to_string(),
                t.invited.to_string(),
                t.answered.to_string(),
                t.yes.to_string(),
                t.came.to_string(),
                t.no_shows.to_string(),
                t.late_cancellations.to_string(),
            ]
        }),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::email_address::EmailAddress;
    use crate::domain::guest_list::parse_csv;

    fn member(name: &str, email: &str) -> Member {
        Member {
            id: uuid::Uuid::nil(),
            series_id: uuid::Uuid::nil(),
            email: EmailAddress::parse(email).unwrap(),
            name: name.to_owned(),
            first_name: "Anne".to_owned(),
            language: Some(Language::Fr),
            tags: vec!["voisins".to_owned()],
            status: MemberStatus::Active,
            joined_how: JoinedHow::WalkIn,
            consented_at: None,
            joined_at: Utc::now(),
            left_at: None,
        }
    }

    #[test]
    fn the_community_export_defuses_formulas_and_reads_back_as_a_list() {
        let tally = Tally { dates: 4, invited: 4, answered: 3, yes: 3, came: 3, no_shows: 0, late_cancellations: 1 };
        let rows = [(member("=HYPERLINK(\"x\")", "anne@example.org"), tally)];
        let file = community_file(Language::Fr, chrono_tz::Europe::Paris, &rows);
        let text = String::from_utf8(file.clone()).unwrap();
        assert!(text.starts_with("\u{feff}Nom;Prénom;E-mail;Langue;"), "{text}");
        assert!(text.contains("'=HYPERLINK"), "{text}");
        assert!(text.contains(";4;4;3;3;3;0;1\r\n"), "{text}");
        let parsed = parse_csv(&file).unwrap();
        assert_eq!(parsed.rows[0].email, "anne@example.org");
        assert_eq!(parsed.rows[0].first_name, "Anne");
    }
}
