//! The customer's chat in their language. Translations are Fluent files, one per language
//! (`locales/<language>/widget.ftl`), which a translator edits without touching Rust; they are
//! built into the server so a release is one file. The server negotiates the language (the
//! experience's pinned one, else the browser's `Accept-Language`, else English), resolves
//! every message once per language with `fluent-bundle`, and sends the words with the widget's
//! information: the browser does no translation work of its own.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use domain::views::texts::Texts;
use fluent_bundle::{FluentArgs, FluentResource, concurrent::FluentBundle};
use fluent_langneg::{NegotiationStrategy, accepted_languages, negotiate_languages};
use unic_langid::LanguageIdentifier;

/// A language the chat speaks.
pub struct Language {
    /// Its BCP 47 tag ("de").
    pub code: &'static str,
    /// Its name in itself, for the settings page ("Deutsch").
    pub name: &'static str,
    pub rtl: bool,
    source: &'static str,
    /// The customer's transcript's words and date pattern (`transcript.ftl`).
    transcript: &'static str,
}

/// The chat's languages; English first, the fallback for everything else.
pub const LANGUAGES: [Language; 6] = [
    Language {
        code: "en",
        name: "English",
        rtl: false,
        source: include_str!("../../locales/en/widget.ftl"),
        transcript: include_str!("../../locales/en/transcript.ftl"),
    },
    Language {
        code: "de",
        name: "Deutsch",
        rtl: false,
        source: include_str!("../../locales/de/widget.ftl"),
        transcript: include_str!("../../locales/de/transcript.ftl"),
    },
    Language {
        code: "fr",
        name: "Français",
        rtl: false,
        source: include_str!("../../locales/fr/widget.ftl"),
        transcript: include_str!("../../locales/fr/transcript.ftl"),
    },
    Language {
        code: "es",
        name: "Español",
        rtl: false,
        source: include_str!("../../locales/es/widget.ftl"),
        transcript: include_str!("../../locales/es/transcript.ftl"),
    },
    Language {
        code: "ja",
        name: "日本語",
        rtl: false,
        source: include_str!("../../locales/ja/widget.ftl"),
        transcript: include_str!("../../locales/ja/transcript.ftl"),
    },
    Language {
        code: "ar",
        name: "العربية",
        rtl: true,
        source: include_str!("../../locales/ar/widget.ftl"),
        transcript: include_str!("../../locales/ar/transcript.ftl"),
    },
];

/// The placeables messages may use. Each resolves to `{name}`, which the browser fills in.
const PLACEABLES: [&str; 13] = [
    "name",
    "names",
    "n",
    "file",
    "experience",
    "customer",
    "id",
    "time",
    "size",
    "day",
    "month",
    "monthnum",
    "year",
];

/// Whether `code` is one of the chat's languages (a pinned language must be).
pub fn is_language(code: &str) -> bool {
    LANGUAGES.iter().any(|l| l.code == code)
}

/// The language to speak: `pinned` when the experience pins one, else the best match for the
/// browser's `Accept-Language` header, else English.
pub fn negotiate(pinned: Option<&str>, accept_language: &str) -> &'static Language {
    if let Some(language) = pinned.and_then(|p| LANGUAGES.iter().find(|l| l.code == p)) {
        return language;
    }
    let requested = accepted_languages::parse(accept_language);
    let available: Vec<LanguageIdentifier> = LANGUAGES
        .iter()
        .filter_map(|l| l.code.parse().ok())
        .collect();
    let default: LanguageIdentifier = LANGUAGES[0].code.parse().expect("en is a language tag");
    let chosen = negotiate_languages(
        &requested,
        &available,
        Some(&default),
        NegotiationStrategy::Lookup,
    );
    let tag = chosen.first().map(|l| l.language.as_str().to_string());
    tag.and_then(|tag| LANGUAGES.iter().find(|l| l.code == tag))
        .unwrap_or(&LANGUAGES[0])
}

/// Every message of `language`, resolved (once per process).
pub fn texts(language: &Language) -> Texts {
    static RESOLVED: OnceLock<BTreeMap<&'static str, Texts>> = OnceLock::new();
    cached(&RESOLVED, resolve, language)
}

/// The words of the customer's transcript in `language`, resolved (once per process).
pub fn transcript_texts(language: &Language) -> Texts {
    static RESOLVED: OnceLock<BTreeMap<&'static str, Texts>> = OnceLock::new();
    cached(&RESOLVED, resolve_transcript, language)
}

/// `language`'s entry of `cache`, which `resolve` fills for every language on first use.
fn cached(
    cache: &OnceLock<BTreeMap<&'static str, Texts>>,
    resolve: fn(&Language) -> Result<Texts, Vec<String>>,
    language: &Language,
) -> Texts {
    cache
        .get_or_init(|| {
            LANGUAGES
                .iter()
                .map(|l| (l.code, resolve(l).unwrap_or_default()))
                .collect()
        })
        .get(language.code)
        .cloned()
        .unwrap_or_default()
}

/// A moment (unix ms) as the transcript's language writes a date and a time ("3. Dezember
/// 2026, 15:07 UTC"). UTC, said so: the server does not know the customer's time zone.
pub fn date_time(words: &Texts, ms: i64) -> String {
    let Ok(at) = time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)) else {
        return String::new();
    };
    let month = u8::from(at.month());
    words.with(
        "date-time",
        &[
            ("day", &at.day().to_string()),
            ("month", &words.get(&format!("month-{month}"))),
            ("monthnum", &month.to_string()),
            ("year", &at.year().to_string()),
            ("time", &format!("{:02}:{:02}", at.hour(), at.minute())),
        ],
    )
}

/// Parses and resolves one language's chat file; the errors name what a translator must fix.
pub fn resolve(language: &Language) -> Result<Texts, Vec<String>> {
    resolve_source(language, language.source)
}

/// Parses and resolves one language's transcript file.
pub fn resolve_transcript(language: &Language) -> Result<Texts, Vec<String>> {
    resolve_source(language, language.transcript)
}

fn resolve_source(language: &Language, source: &'static str) -> Result<Texts, Vec<String>> {
    let resource = FluentResource::try_new(source.to_string()).map_err(|(_, errors)| {
        errors
            .iter()
            .map(|e| format!("{}: {e}", language.code))
            .collect::<Vec<_>>()
    })?;
    let tag: LanguageIdentifier = language
        .code
        .parse()
        .map_err(|e| vec![format!("{}: {e}", language.code)])?;
    let mut bundle = FluentBundle::new_concurrent(vec![tag]);
    // Names are put in by the browser; marks around them would show up in tests and copies.
    bundle.set_use_isolating(false);
    let ids: Vec<String> = resource
        .entries()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
            _ => None,
        })
        .collect();
    bundle.add_resource(resource).map_err(|errors| {
        errors
            .iter()
            .map(|e| format!("{}: {e}", language.code))
            .collect::<Vec<_>>()
    })?;
    let mut args = FluentArgs::new();
    for name in PLACEABLES {
        args.set(name, format!("{{{name}}}"));
    }
    let mut messages = BTreeMap::new();
    let mut problems = Vec::new();
    for id in ids {
        let Some(pattern) = bundle.get_message(&id).and_then(|m| m.value()) else {
            continue;
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
        problems.extend(
            errors
                .iter()
                .map(|e| format!("{} {id}: {e}", language.code)),
        );
        messages.insert(id, text.into_owned());
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Texts::from_messages(
        language.code,
        language.rtl,
        messages.iter().map(|(k, v)| (k.as_str(), v.as_str())),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_parses_and_has_exactly_the_english_keys() {
        let english = resolve(&LANGUAGES[0]).unwrap();
        assert!(english.keys().count() > 40);
        for language in &LANGUAGES {
            let texts = resolve(language).unwrap_or_else(|e| panic!("{e:?}"));
            let keys: Vec<&str> = texts.keys().collect();
            let english_keys: Vec<&str> = english.keys().collect();
            assert_eq!(
                keys, english_keys,
                "{} has other keys than English",
                language.code
            );
        }
    }

    #[test]
    fn every_transcript_file_parses_and_has_exactly_the_english_keys() {
        let english = resolve_transcript(&LANGUAGES[0]).unwrap();
        assert!(english.keys().count() > 20);
        for language in &LANGUAGES {
            let texts = resolve_transcript(language).unwrap_or_else(|e| panic!("{e:?}"));
            let keys: Vec<&str> = texts.keys().collect();
            let english_keys: Vec<&str> = english.keys().collect();
            assert_eq!(
                keys, english_keys,
                "{} has other keys than English",
                language.code
            );
        }
    }

    #[test]
    fn a_transcripts_dates_and_times_follow_its_language() {
        // 2026-12-03 15:07 UTC
        let at = 1_796_310_420_000;
        let in_language = |code: &str| date_time(&transcript_texts(negotiate(Some(code), "")), at);
        assert_eq!(in_language("en"), "3 December 2026, 15:07 UTC");
        assert_eq!(in_language("de"), "3. Dezember 2026, 15:07 UTC");
        assert_eq!(in_language("fr"), "3 décembre 2026 à 15:07 UTC");
        assert_eq!(in_language("es"), "3 de diciembre de 2026, 15:07 UTC");
        assert_eq!(in_language("ja"), "2026年12月3日 15:07 UTC");
        assert_eq!(in_language("ar"), "3 ديسمبر 2026، 15:07 UTC");
    }

    #[test]
    fn placeables_come_through_for_the_browser_to_fill() {
        let german = texts(negotiate(None, "de-DE,de;q=0.9"));
        assert_eq!(
            german.with("queue-number", &[("n", "3")]),
            "Sie sind Nummer 3 in der Warteschlange."
        );
        assert_eq!(
            german.with("joined", &[("name", "Ada")]),
            "Ada ist der Unterhaltung beigetreten."
        );
    }

    #[test]
    fn the_browser_language_is_matched_by_its_primary_tag_and_english_is_the_fallback() {
        assert_eq!(negotiate(None, "de-CH, fr;q=0.8").code, "de");
        assert_eq!(negotiate(None, "pt-BR, fr;q=0.5").code, "fr");
        assert_eq!(negotiate(None, "ja").code, "ja");
        assert_eq!(negotiate(None, "ar-EG").code, "ar");
        assert!(negotiate(None, "ar").rtl);
        assert_eq!(negotiate(None, "pt-BR").code, "en");
        assert_eq!(negotiate(None, "").code, "en");
        assert_eq!(negotiate(None, "garbage;;;q=x").code, "en");
    }

    #[test]
    fn a_pinned_language_wins_over_the_browser() {
        assert_eq!(negotiate(Some("es"), "de-DE").code, "es");
        assert_eq!(negotiate(Some("xx"), "de-DE").code, "de");
        assert!(is_language("ja"));
        assert!(!is_language("xx"));
    }
}
