//! Package signing keys: ed25519 (ed25519-dalek), written as one line of text each —
//! `miniapp-ed25519-secret:<base64 seed>` for the key a publisher signs with (keep it
//! private) and `miniapp-ed25519:<base64 public key>` for the key hosts trust. Plain data; any
//! thread.

use base64::Engine as _;
use ed25519_dalek::{Signer, SigningKey, Verifier, VerifyingKey};

const SECRET_PREFIX: &str = "miniapp-ed25519-secret:";
const PUBLIC_PREFIX: &str = "miniapp-ed25519:";

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// A publisher's signing key.
pub struct SecretKey(SigningKey);

/// A key a host trusts: packages signed with its secret key open.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey(VerifyingKey);

impl SecretKey {
    /// A new random key (the operating system's random source).
    pub fn generate() -> Result<SecretKey, String> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| format!("no random source: {e}"))?;
        Ok(SecretKey(SigningKey::from_bytes(&seed)))
    }

    /// Reads `miniapp-ed25519-secret:<base64>`.
    pub fn parse(text: &str) -> Result<SecretKey, String> {
        let body = text.trim().strip_prefix(SECRET_PREFIX).ok_or_else(|| {
            format!("not a miniapp secret key (it starts with `{SECRET_PREFIX}`; make one with `miniapp keygen`)")
        })?;
        let bytes = b64().decode(body).map_err(|e| format!("the secret key's base64: {e}"))?;
        let seed: [u8; 32] =
            bytes.try_into().map_err(|_| "a secret key is 32 bytes".to_string())?;
        Ok(SecretKey(SigningKey::from_bytes(&seed)))
    }

    /// The key's text form.
    pub fn to_text(&self) -> String {
        format!("{SECRET_PREFIX}{}", b64().encode(self.0.to_bytes()))
    }

    /// Its public half.
    pub fn public(&self) -> PublicKey {
        PublicKey(self.0.verifying_key())
    }

    /// The signature of `message`.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.0.sign(message).to_bytes()
    }
}

impl PublicKey {
    /// Reads `miniapp-ed25519:<base64>`.
    pub fn parse(text: &str) -> Result<PublicKey, String> {
        let body = text.trim().strip_prefix(PUBLIC_PREFIX).ok_or_else(|| {
            format!("not a miniapp public key (it starts with `{PUBLIC_PREFIX}`; `miniapp keygen` writes one)")
        })?;
        let bytes = b64().decode(body).map_err(|e| format!("the public key's base64: {e}"))?;
        let raw: [u8; 32] = bytes.try_into().map_err(|_| "a public key is 32 bytes".to_string())?;
        VerifyingKey::from_bytes(&raw)
            .map(PublicKey)
            .map_err(|e| format!("not an ed25519 public key: {e}"))
    }

    /// The key's text form.
    pub fn to_text(&self) -> String {
        format!("{PUBLIC_PREFIX}{}", b64().encode(self.0.to_bytes()))
    }

    /// Whether `signature` is this key's signature of `message`.
    pub fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(sig) = <[u8; 64]>::try_from(signature) else { return false };
        self.0.verify(message, &ed25519_dalek::Signature::from_bytes(&sig)).is_ok()
    }
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_text_and_sign() {
        let key = SecretKey::generate().expect("random");
        let again = SecretKey::parse(&key.to_text()).expect("parses");
        assert_eq!(again.public(), key.public());
        let public = PublicKey::parse(&key.public().to_text()).expect("parses");
        let sig = key.sign(b"manifest");
        assert!(public.verifies(b"manifest", &sig));
        assert!(!public.verifies(b"manifesT", &sig));
        let other = SecretKey::generate().expect("random").public();
        assert!(!other.verifies(b"manifest", &sig));
        assert!(PublicKey::parse(&key.to_text())
            .expect_err("a secret is not public")
            .contains("public key"));
        assert!(SecretKey::parse("miniapp-ed25519-secret:AAAA").is_err());
    }
}
