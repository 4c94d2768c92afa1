//! Time zones as an organiser knows them: by city, the common ones first
//! ("Paris (UTC+1)", "Bruxelles", "Genève", "Montréal"…), then every other
//! city grouped by region and sorted by name, each with its offset on the
//! event's date (Paris is UTC+2 in June). The value sent is still the IANA
//! name the domain reads.

use chrono::{DateTime, NaiveDateTime, Offset as _, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::domain::event::Language;
use crate::http::pages::word;

/// The zones most of her events are in, in this order, with the key of
/// the city's name in her language.
const COMMON: [(&str, &str); 12] = [
    ("Europe/Paris", "d_city_paris"),
    ("Europe/Brussels", "d_city_brussels"),
    ("Europe/Zurich", "d_city_geneva"),
    ("Europe/Luxembourg", "d_city_luxembourg"),
    ("America/Toronto", "d_city_montreal"),
    ("Europe/London", "d_city_london"),
    ("America/New_York", "d_city_new_york"),
    ("Africa/Casablanca", "d_city_casablanca"),
    ("Africa/Dakar", "d_city_dakar"),
    ("Africa/Abidjan", "d_city_abidjan"),
    ("Indian/Reunion", "d_city_reunion"),
    ("America/Martinique", "d_city_martinique"),
];

/// The regions of the other zones, in the order the list shows them, with
/// the key of their name. Legacy names (`US/Eastern`, `Etc/GMT+5`) are left
/// out: each of their cities is listed under its region.
const REGIONS: [(&[&str], &str); 8] = [
    (&["Europe"], "d_region_europe"),
    (&["America"], "d_region_america"),
    (&["Africa"], "d_region_africa"),
    (&["Asia"], "d_region_asia"),
    (&["Australia", "Pacific"], "d_region_oceania"),
    (&["Indian"], "d_region_indian"),
    (&["Atlantic"], "d_region_atlantic"),
    (&["Antarctica", "Arctic"], "d_region_polar"),
];

#[derive(Debug, Serialize)]
pub struct ZoneOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Debug, Serialize)]
pub struct ZoneGroup {
    pub label: String,
    pub zones: Vec<ZoneOption>,
}

/// "UTC+1", "UTC+5:30", "UTC−3", "UTC".
fn offset_label(seconds: i32) -> String {
    if seconds == 0 {
        return "UTC".to_owned();
    }
    let sign = if seconds < 0 { '\u{2212}' } else { '+' };
    let (hours, minutes) = (seconds.abs() / 3600, seconds.abs() % 3600 / 60);
    if minutes == 0 { format!("UTC{sign}{hours}") } else { format!("UTC{sign}{hours}:{minutes:02}") }
}

/// The zone's offset at the moment `local` happens there (or, for a time
/// its clocks skip, at the same instant read as UTC).
fn offset_at(zone: Tz, local: NaiveDateTime) -> i32 {
    let offset =
        zone.offset_from_local_datetime(&local).earliest().unwrap_or_else(|| zone.offset_from_utc_datetime(&local));
    offset.fix().local_minus_utc()
}

/// The city of a zone name: `America/Argentina/Buenos_Aires` is "Buenos
/// Aires (Argentina)".
fn city_of(name: &str) -> String {
    let parts: Vec<String> = name.split('/').skip(1).map(|part| part.replace('_', " ")).collect();
    match parts.as_slice() {
        [] => name.to_owned(),
        [city] => city.clone(),
        [middle @ .., city] => format!("{city} ({})", middle.join(", ")),
    }
}

/// A zone as the lists show it, at the moment `at`: "Paris (UTC+1)",
/// "Bruxelles (UTC+2)", "Kolkata (UTC+5:30)".
pub fn zone_label(language: Language, zone: Tz, at: DateTime<Utc>) -> String {
    let city = COMMON
        .iter()
        .find(|(name, _)| *name == zone.name())
        .map_or_else(|| city_of(zone.name()), |(_, key)| word(language, key));
    format!("{city} ({})", offset_label(zone.offset_from_utc_datetime(&at.naive_utc()).fix().local_minus_utc()))
}

/// Every zone, grouped for a `<select>`: the common ones, then each region.
/// Offsets are those of `starts_at` (her form's local start) in each zone,
/// or of `now` when she has not given one. A selected zone the list does
/// not hold (an old name set through the API) comes first, as it is.
pub fn zone_groups(language: Language, starts_at: &str, now: DateTime<Utc>, selected: &str) -> Vec<ZoneGroup> {
    let local = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(starts_at.trim(), format).ok())
        .unwrap_or_else(|| now.naive_utc());
    let option = |zone: Tz, city: String| ZoneOption {
        value: zone.name().to_owned(),
        label: format!("{city} ({})", offset_label(offset_at(zone, local))),
        selected: zone.name() == selected,
    };
    let mut groups = Vec::with_capacity(REGIONS.len() + 2);
    let common: Vec<ZoneOption> = COMMON
        .iter()
        .filter_map(|(name, key)| name.parse::<Tz>().ok().map(|zone| option(zone, word(language, key))))
        .collect();
    groups.push(ZoneGroup { label: word(language, "d_region_common"), zones: common });
    for (prefixes, key) in REGIONS {
        let mut zones: Vec<ZoneOption> = chrono_tz::TZ_VARIANTS
            .iter()
            .filter(|zone| {
                let name = zone.name();
                name.split_once('/').is_some_and(|(region, _)| prefixes.contains(&region))
                    && !COMMON.iter().any(|(common, _)| *common == name)
            })
            .map(|zone| option(*zone, city_of(zone.name())))
            .collect();
        zones.sort_by_key(|zone| zone.label.to_lowercase());
        groups.push(ZoneGroup { label: word(language, key), zones });
    }
    let listed = groups.iter().flat_map(|group| &group.zones).any(|zone| zone.selected);
    if !listed && let Ok(zone) = selected.trim().parse::<Tz>() {
        groups[0].zones.insert(0, option(zone, zone.name().replace('_', " ")));
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_those_of_the_event_date() {
        let paris: Tz = "Europe/Paris".parse().unwrap();
        let at = |raw: &str| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M").unwrap();
        assert_eq!(offset_label(offset_at(paris, at("2030-01-10T08:30"))), "UTC+1");
        assert_eq!(offset_label(offset_at(paris, at("2030-06-10T08:30"))), "UTC+2");
        let kolkata: Tz = "Asia/Kolkata".parse().unwrap();
        assert_eq!(offset_label(offset_at(kolkata, at("2030-06-10T08:30"))), "UTC+5:30");
        let new_york: Tz = "America/New_York".parse().unwrap();
        assert_eq!(offset_label(offset_at(new_york, at("2030-01-10T08:30"))), "UTC\u{2212}5");
        assert_eq!(offset_label(0), "UTC");
    }

    #[test]
    fn an_event_zone_reads_as_its_city_and_its_offset_that_day() {
        let paris: Tz = "Europe/Paris".parse().unwrap();
        let june = "2030-06-10T06:30:00Z".parse().unwrap();
        assert_eq!(zone_label(Language::Fr, paris, june), "Paris (UTC+2)");
        let kolkata: Tz = "Asia/Kolkata".parse().unwrap();
        assert_eq!(zone_label(Language::En, kolkata, june), "Kolkata (UTC+5:30)");
        let brussels: Tz = "Europe/Brussels".parse().unwrap();
        assert_eq!(zone_label(Language::Fr, brussels, june), "Bruxelles (UTC+2)");
    }

    #[test]
    fn cities_read_as_names() {
        assert_eq!(city_of("America/Argentina/Buenos_Aires"), "Buenos Aires (Argentina)");
        assert_eq!(city_of("Asia/Ho_Chi_Minh"), "Ho Chi Minh");
    }
}
