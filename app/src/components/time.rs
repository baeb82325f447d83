//! Times as tables and settings pages show them: "2026-11-22 09:41 UTC", the same in the
//! server's render and in the browser, so hydration matches.

pub fn format_time(ms: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_time_is_shown_in_utc_to_the_minute() {
        assert_eq!(
            super::format_time(1_795_340_460_000),
            "2026-11-22 09:41 UTC"
        );
    }
}
