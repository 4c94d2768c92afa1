//! Bounded, trimmed text. Length limits are in characters, not bytes, so a
//! French accent or an emoji counts as one.

/// Trims `raw` and checks it holds between `min` and `max` characters and no
/// control characters other than newlines and tabs (`multiline`) or none at all.
pub fn bounded(raw: &str, min: usize, max: usize, multiline: bool) -> Result<String, String> {
    let value = raw.trim();
    let length = value.chars().count();
    if length < min {
        return Err(if min == 1 {
            "must not be empty".to_owned()
        } else {
            format!("must be at least {min} characters")
        });
    }
    if length > max {
        return Err(format!("must be at most {max} characters (got {length})"));
    }
    let allowed = |c: char| !c.is_control() || (multiline && (c == '\n' || c == '\t' || c == '\r'));
    if !value.chars().all(allowed) {
        return Err("must not contain control characters".to_owned());
    }
    Ok(value.to_owned())
}

/// An absolute `http` or `https` URL, such as a map link or a photo album.
pub fn web_url(raw: &str) -> Result<String, String> {
    let value = raw.trim();
    if value.len() > 2048 {
        return Err("must be at most 2048 characters".to_owned());
    }
    match url::Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(url.to_string()),
        Ok(_) => Err("must be an http or https link".to_owned()),
        Err(_) => Err("must be a valid link, such as https://example.org/album".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
