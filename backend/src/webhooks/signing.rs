//! The `Baton-Signature` header: HMAC-SHA256 over `"<timestamp>.<body>"` with the endpoint's
//! secret, as `t=<unix seconds>,v1=<hex>`. The timestamp is signed too, so a receiver can
//! refuse a captured delivery replayed later (the README says how to check it).

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The header's name.
pub const SIGNATURE_HEADER: &str = "Baton-Signature";
/// The delivery's id (the same on every retry), for receivers that deduplicate.
pub const ID_HEADER: &str = "Baton-Webhook-Id";
/// The event's type, so a receiver can route before parsing the body.
pub const EVENT_HEADER: &str = "Baton-Event";

/// The header value for `body` sent at `unix_seconds`.
pub fn sign(secret: &str, unix_seconds: i64, body: &str) -> String {
    format!(
        "t={unix_seconds},v1={}",
        hex::encode(mac(secret, unix_seconds, body))
    )
}

/// Whether `header` is a valid signature of `body` by `secret` (constant-time comparison).
/// Receivers in Rust can use it; the tests do.
pub fn verify(secret: &str, header: &str, body: &str) -> bool {
    let mut timestamp = None;
    let mut signature = None;
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", v)) => signature = hex::decode(v).ok(),
            _ => {}
        }
    }
    let (Some(timestamp), Some(signature)) = (timestamp, signature) else {
        return false;
    };
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body.as_bytes());
    mac.verify_slice(&signature).is_ok()
}

fn mac(secret: &str, unix_seconds: i64, body: &str) -> Vec<u8> {
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{unix_seconds}.").as_bytes());
    mac.update(body.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_with_its_secret_and_body_only() {
        let header = sign("whsec_1", 1_700_000_000, r#"{"id":"d1"}"#);
        assert!(header.starts_with("t=1700000000,v1="));
        assert!(verify("whsec_1", &header, r#"{"id":"d1"}"#));
        assert!(!verify("whsec_2", &header, r#"{"id":"d1"}"#));
        assert!(!verify("whsec_1", &header, r#"{"id":"d2"}"#));
        let moved = header.replace("t=1700000000", "t=1700000001");
        assert!(
            !verify("whsec_1", &moved, r#"{"id":"d1"}"#),
            "the time is signed"
        );
        assert!(!verify("whsec_1", "v1=zz", "{}"));
    }
}
