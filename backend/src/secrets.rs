//! Secrets kept in the database sealed under the server's own key: the AI agents' model API
//! keys. XChaCha20-Poly1305 (the RustCrypto `chacha20poly1305` crate) with a random nonce per
//! seal, and the owner's id bound in as associated data, so a sealed value copied to another
//! row does not open there.
//!
//! The key comes from configuration (`BATON_SECRET_KEY`, 64 hex digits); without one, a single
//! node makes its own on first start and keeps it in the data directory (`secret.key`, readable
//! by its owner only). Several nodes must share one key, so a cluster requires the setting.

use std::path::Path;

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::error::BackendError;

const VERSION: &str = "v1.";
const NONCE_BYTES: usize = 24;
pub const KEY_FILE: &str = "secret.key";

#[derive(Clone)]
pub struct Sealer {
    cipher: XChaCha20Poly1305,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(..)")
    }
}

impl Sealer {
    /// A key of 32 bytes written as 64 hex digits.
    pub fn from_hex(key: &str) -> Result<Sealer, String> {
        let bytes = hex::decode(key.trim()).map_err(|_| "must be 64 hex digits".to_string())?;
        let cipher = XChaCha20Poly1305::new_from_slice(&bytes)
            .map_err(|_| "must be 64 hex digits (32 bytes)".to_string())?;
        Ok(Sealer { cipher })
    }

    /// The configured key, or this node's own from `data_dir` (made on first start).
    pub fn load(configured: Option<&str>, data_dir: &Path) -> Result<Sealer, BackendError> {
        if let Some(key) = configured {
            return Sealer::from_hex(key)
                .map_err(|e| BackendError::Config(format!("BATON_SECRET_KEY {e}")));
        }
        let path = data_dir.join(KEY_FILE);
        let unreadable =
            |e: std::io::Error| BackendError::Config(format!("{}: {e}", path.display()));
        if path.exists() {
            let text = std::fs::read_to_string(&path).map_err(unreadable)?;
            return Sealer::from_hex(&text)
                .map_err(|e| BackendError::Config(format!("{} {e}", path.display())));
        }
        let key = XChaCha20Poly1305::generate_key(&mut OsRng);
        std::fs::create_dir_all(data_dir).map_err(unreadable)?;
        write_private(&path, &hex::encode(key)).map_err(unreadable)?;
        tracing::info!(path = %path.display(), "made this server's secret key for sealing API keys");
        Ok(Sealer {
            cipher: XChaCha20Poly1305::new(&key),
        })
    }

    /// A key made now, for tests and tools.
    pub fn random() -> Sealer {
        Sealer {
            cipher: XChaCha20Poly1305::new(&XChaCha20Poly1305::generate_key(&mut OsRng)),
        }
    }

    /// Seals `secret` for `owner` (an id): `v1.` and the nonce and ciphertext in hex.
    pub fn seal(&self, secret: &str, owner: &str) -> Result<String, BackendError> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: secret.as_bytes(),
                    aad: owner.as_bytes(),
                },
            )
            .map_err(|_| BackendError::Corrupt("sealing a secret failed".into()))?;
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        Ok(format!("{VERSION}{}", hex::encode(bytes)))
    }

    /// Opens what [`Sealer::seal`] made for the same `owner` under the same key.
    pub fn open(&self, sealed: &str, owner: &str) -> Result<String, BackendError> {
        let refused = || {
            BackendError::Corrupt(
                "a sealed secret does not open: the server's secret key changed, or the value was altered".into(),
            )
        };
        let bytes = sealed
            .strip_prefix(VERSION)
            .and_then(|hex_text| hex::decode(hex_text).ok())
            .filter(|b| b.len() > NONCE_BYTES)
            .ok_or_else(refused)?;
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        let plain = self
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: owner.as_bytes(),
                },
            )
            .map_err(|_| refused())?;
        String::from_utf8(plain).map_err(|_| refused())
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

/// A new secret shown to a person once: `prefix` and `bytes` random bytes from the operating
/// system, in hex (API tokens, webhook signing secrets).
pub fn random_secret(prefix: &str, bytes: usize) -> String {
    use chacha20poly1305::aead::rand_core::RngCore;
    let mut random = vec![0_u8; bytes];
    OsRng.fill_bytes(&mut random);
    format!("{prefix}{}", hex::encode(random))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_for_its_owner_only() {
        let sealer = Sealer::random();
        let sealed = sealer.seal("sk-live-123", "exp-1").unwrap();
        assert!(!sealed.contains("sk-live-123"));
        assert_eq!(sealer.open(&sealed, "exp-1").unwrap(), "sk-live-123");
        assert!(sealer.open(&sealed, "exp-2").is_err());
        assert!(Sealer::random().open(&sealed, "exp-1").is_err());
        assert!(sealer.open("v1.00", "exp-1").is_err());
        assert!(sealer.open("garbage", "exp-1").is_err());
    }

    #[test]
    fn sealing_twice_gives_different_texts() {
        let sealer = Sealer::random();
        assert_ne!(
            sealer.seal("k", "o").unwrap(),
            sealer.seal("k", "o").unwrap()
        );
    }

    #[test]
    fn a_node_keeps_the_key_it_made_in_its_data_directory() {
        let dir = std::env::temp_dir().join(format!("baton-secret-{}", uuid::Uuid::now_v7()));
        let first = Sealer::load(None, &dir).unwrap();
        let sealed = first.seal("k", "o").unwrap();
        let again = Sealer::load(None, &dir).unwrap();
        assert_eq!(again.open(&sealed, "o").unwrap(), "k");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_configured_key_must_be_64_hex_digits() {
        assert!(Sealer::from_hex(&"ab".repeat(32)).is_ok());
        assert!(Sealer::from_hex("abcd").is_err());
        assert!(Sealer::from_hex(&"zz".repeat(32)).is_err());
    }
}
