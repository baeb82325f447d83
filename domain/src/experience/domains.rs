//! Allowed domains of an embedded widget: how entries are written, how a browser `Origin` is
//! matched against them, and the `frame-ancestors` directive built from them.

use super::SettingsRefusal;

/// `https://Shop.Example.com/` → `shop.example.com`; `*.example.com`; `localhost:8080`.
/// The scheme is dropped: like a CSP host source, an entry allows http and https alike.
pub fn normalise_domain(entry: &str) -> Result<String, SettingsRefusal> {
    let bad = || SettingsRefusal::BadDomain {
        entry: entry.trim().to_string(),
    };
    let lowered = entry.trim().to_ascii_lowercase();
    let without_scheme = lowered
        .strip_prefix("https://")
        .or_else(|| lowered.strip_prefix("http://"))
        .unwrap_or(&lowered);
    let authority = without_scheme.trim_end_matches('/');
    let (host, port) = split_port(authority).ok_or_else(bad)?;
    let bare = host.strip_prefix("*.").unwrap_or(host);
    let labels_ok = !bare.is_empty()
        && bare.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
    if !labels_ok {
        return Err(bad());
    }
    Ok(match port {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    })
}

/// `host:port` → (host, Some(port)); a port must be a number 1–65535.
fn split_port(authority: &str) -> Option<(&str, Option<u16>)> {
    match authority.rsplit_once(':') {
        Some((host, port)) => {
            let port: u16 = port.parse().ok().filter(|p| *p != 0)?;
            Some((host, Some(port)))
        }
        None => Some((authority, None)),
    }
}

/// Whether a browser `Origin` (`http://shop.example.com:8080`) is one of the allowed domains.
/// Matches the way browsers read the same entries in `frame-ancestors`: an entry without a
/// port allows only the scheme's default port, `*.example.com` allows subdomains only.
pub fn origin_allowed(origin: &str, allowed: &[String]) -> bool {
    let lowered = origin.trim().to_ascii_lowercase();
    let Some(authority) = lowered
        .strip_prefix("https://")
        .or_else(|| lowered.strip_prefix("http://"))
    else {
        return false;
    };
    let Some((host, port)) = split_port(authority) else {
        return false;
    };
    allowed.iter().any(|entry| {
        let Some((pattern, entry_port)) = split_port(entry) else {
            return false;
        };
        if entry_port != port {
            return false;
        }
        match pattern.strip_prefix("*.") {
            Some(parent) => host
                .strip_suffix(parent)
                .is_some_and(|sub| sub.ends_with('.') && sub.len() > 1),
            None => host == pattern,
        }
    })
}

/// The `frame-ancestors` directive for a widget: Baton itself and each allowed domain.
pub fn frame_ancestors(allowed: &[String]) -> String {
    let mut directive = String::from("frame-ancestors 'self'");
    for domain in allowed {
        directive.push(' ');
        directive.push_str(domain);
    }
    directive
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_refused_with_the_entry_named() {
        for bad in [
            "shop example.com",
            "*.",
            "a..b",
            "host:99999",
            "ex*ample.com",
            "-a.com",
        ] {
            assert!(
                matches!(
                    normalise_domain(bad),
                    Err(SettingsRefusal::BadDomain { .. })
                ),
                "{bad} should be refused"
            );
        }
        assert_eq!(
            normalise_domain("localhost:8080").unwrap(),
            "localhost:8080"
        );
        assert_eq!(normalise_domain("*.Example.com").unwrap(), "*.example.com");
    }

    #[test]
    fn origins_match_allowed_domains_like_frame_ancestors_does() {
        let allowed = vec![
            "shop.example.com".to_string(),
            "*.example.org".to_string(),
            "127.0.0.1:3002".to_string(),
        ];
        assert!(origin_allowed("https://shop.example.com", &allowed));
        assert!(origin_allowed("http://help.example.org", &allowed));
        assert!(origin_allowed("http://127.0.0.1:3002", &allowed));
        assert!(!origin_allowed("https://example.org", &allowed));
        assert!(!origin_allowed("https://shop.example.com:8443", &allowed));
        assert!(!origin_allowed("http://127.0.0.1:3003", &allowed));
        assert!(!origin_allowed("https://evil-shop.example.com", &allowed));
        assert!(!origin_allowed("null", &allowed));
        assert_eq!(
            frame_ancestors(&allowed),
            "frame-ancestors 'self' shop.example.com *.example.org 127.0.0.1:3002"
        );
    }
}
