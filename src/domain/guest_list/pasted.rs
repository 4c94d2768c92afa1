//! Lists pasted from a mail client or a document: one guest per line, or
//! a whole To: field.

use super::{ListRow, ReplyCells};

/// One guest per line: `Name <email>`, `"Name" <email>`, a bare `email`,
/// `Name, email` or `email;Name`. A line holding several addresses (as copied
/// from a mail client's To: field) gives one guest each. Blank lines are
/// skipped; a line with no address is kept, to be reported as invalid.
pub fn parse_pasted(text: &str) -> Vec<ListRow> {
    let mut rows = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        for (name, email) in guests_on_line(line) {
            rows.push(ListRow {
                line: index + 1,
                email,
                name,
                first_name: String::new(),
                language: None,
                tags: String::new(),
                consented: String::new(),
                reply: ReplyCells::default(),
            });
        }
    }
    rows
}

/// `(name, email)` pairs on one pasted line.
fn guests_on_line(line: &str) -> Vec<(String, String)> {
    let parts = split_outside_quotes(line);
    if parts.iter().filter(|part| part.contains('@')).count() >= 2 {
        // Several addresses: a name without one (`Martin, Anne <a@x.org>`
        // unquoted) belongs to the address after it.
        let mut guests = Vec::new();
        let mut pending_name: Vec<String> = Vec::new();
        for part in parts {
            if part.contains('@') {
                let (name, email) = address(part);
                pending_name.push(name);
                guests.push((join_nonempty(std::mem::take(&mut pending_name), ", "), email));
            } else {
                pending_name.push(unquote(part));
            }
        }
        return guests;
    }
    if line.contains('<') || parts.len() < 2 {
        return vec![address(line)];
    }
    // `Name, email` or `email;Name`: the part with an `@` is the address.
    let email_at = parts.iter().position(|part| part.contains('@')).unwrap_or(parts.len() - 1);
    let name = parts.iter().enumerate().filter(|(i, _)| *i != email_at).map(|(_, part)| unquote(part)).collect();
    vec![(join_nonempty(name, ", "), strip_mailto(parts[email_at]).to_owned())]
}

/// One address as mail clients write it: `Name <email>`, `"Name" <email>`,
/// `<email>`, `Name email` or `email`.
fn address(text: &str) -> (String, String) {
    let text = text.trim();
    if let Some(open) = text.rfind('<')
        && let Some(email) = text[open + 1..].strip_suffix('>')
    {
        return (unquote(&text[..open]), strip_mailto(email).to_owned());
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() > 1
        && let Some(at) = words.iter().rposition(|word| word.contains('@'))
    {
        let name = words.iter().enumerate().filter(|(i, _)| *i != at).map(|(_, w)| *w).collect::<Vec<_>>();
        return (unquote(&name.join(" ")), strip_mailto(words[at]).to_owned());
    }
    (String::new(), strip_mailto(text).to_owned())
}

/// Splits on `,`, `;` and tabs, except inside double quotes or `<…>`.
fn split_outside_quotes(line: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut in_quotes, mut in_angle, mut start) = (false, false, 0);
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            '<' if !in_quotes => in_angle = true,
            '>' if !in_quotes => in_angle = false,
            ',' | ';' | '\t' if !in_quotes && !in_angle => {
                parts.push(line[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(line[start..].trim());
    parts.retain(|part| !part.is_empty());
    parts
}

fn unquote(text: &str) -> String {
    let text = text.trim();
    let inner =
        ['"', '\''].iter().find_map(|q| text.strip_prefix(*q).and_then(|rest| rest.strip_suffix(*q))).unwrap_or(text);
    inner.replace("\\\"", "\"").trim().to_owned()
}

fn strip_mailto(email: &str) -> &str {
    let email = email.trim().trim_start_matches('<').trim_end_matches('>');
    email.strip_prefix("mailto:").unwrap_or(email).trim()
}

pub(super) fn join_nonempty(parts: Vec<String>, separator: &str) -> String {
    parts.into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(separator)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::guest_list::test_row;

    #[test]
    fn pasted_lines_in_every_usual_shape() {
        let text = "Anne Martin <anne@example.org>\n\
                    \"Martin, Bob\" <bob@example.org>\r\n\
                    \n\
                    carla@example.org\n\
                    Dan Brun, dan@example.org\n\
                    eve@example.org;Ève Durand\n\
                    <fred@example.org>\n\
                    Gus Roy gus@example.org\n\
                    \t  \n\
                    not an address\n";
        assert_eq!(
            parse_pasted(text),
            vec![
                test_row(1, "anne@example.org", "Anne Martin", None),
                test_row(2, "bob@example.org", "Martin, Bob", None),
                test_row(4, "carla@example.org", "", None),
                test_row(5, "dan@example.org", "Dan Brun", None),
                test_row(6, "eve@example.org", "Ève Durand", None),
                test_row(7, "fred@example.org", "", None),
                test_row(8, "gus@example.org", "Gus Roy", None),
                test_row(10, "not an address", "", None),
            ]
        );
    }

    #[test]
    fn a_pasted_to_field_gives_one_guest_per_address() {
        let rows = parse_pasted("\"Martin, Anne\" <anne@example.org>, Bob <bob@example.org>; carla@example.org");
        assert_eq!(
            rows,
            vec![
                test_row(1, "anne@example.org", "Martin, Anne", None),
                test_row(1, "bob@example.org", "Bob", None),
                test_row(1, "carla@example.org", "", None),
            ]
        );
    }
}
