//! Opaque handles for "acting for" addresses: `/me/acting-for/{handle}`
//! instead of the represented person's identity number, which would
//! otherwise sit in the address bar, the browser history and proxy logs.
//!
//! A handle is the represented person's number sealed with
//! ChaCha20-Poly1305 under a key derived from the server secret, with the
//! viewer's number as associated data, so:
//! - it reveals nothing about the person (encrypted) and is no pseudonym
//!   that links views across viewers (the nonce and the tag depend on the
//!   viewer);
//! - it opens only for the viewer it was made for (another viewer's handle,
//!   an edited or a made-up one fails authentication → 404);
//! - it needs no storage and resolves in O(1), whatever the list's size;
//! - it is stable (bookmarkable): the nonce is derived (HMAC-SHA-256 under a
//!   second derived key) from viewer and person, a synthetic IV, so the same
//!   pair always gives the same handle and different pairs different nonces.
//!
//! Rotating the secret invalidates old handles (they then 404).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305, NONCE_LEN};
use ring::hmac;

/// The handle could not be set up from the secret (never happens with ring's
/// 32-byte ChaCha20 keys; typed so the server fails at start, not later).
#[derive(Debug, thiserror::Error)]
#[error("could not derive the acting-for handle key")]
pub struct HandleKeyError;

pub struct Handles {
    key: LessSafeKey,
    iv: hmac::Key,
}

impl std::fmt::Debug for Handles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Handles(..)")
    }
}

/// A person's number is at most 11 digits.
const MAX_PID: usize = 11;
const TAG: usize = 16;

impl Handles {
    pub fn new(secret: &[u8]) -> Result<Self, HandleKeyError> {
        let root = hmac::Key::new(hmac::HMAC_SHA256, secret);
        let k = hmac::sign(&root, b"samlet acting-for handle: key v1");
        let iv = hmac::sign(&root, b"samlet acting-for handle: iv v1");
        let key = k
            .as_ref()
            .get(..32)
            .ok_or(HandleKeyError)
            .and_then(|k| UnboundKey::new(&CHACHA20_POLY1305, k).map_err(|_| HandleKeyError))?;
        Ok(Self {
            key: LessSafeKey::new(key),
            iv: hmac::Key::new(hmac::HMAC_SHA256, iv.as_ref()),
        })
    }

    fn nonce(&self, viewer: &str, subject: &str) -> [u8; NONCE_LEN] {
        let mut ctx = hmac::Context::with_key(&self.iv);
        ctx.update(viewer.as_bytes());
        ctx.update(&[0]);
        ctx.update(subject.as_bytes());
        let tag = ctx.sign();
        let mut n = [0u8; NONCE_LEN];
        n.copy_from_slice(&tag.as_ref()[..NONCE_LEN]);
        n
    }

    /// The handle `viewer` uses for `subject`.
    pub fn make(&self, viewer: &str, subject: &str) -> String {
        let nonce = self.nonce(viewer, subject);
        let mut out = Vec::with_capacity(NONCE_LEN + subject.len() + TAG);
        out.extend_from_slice(&nonce);
        let mut sealed = subject.as_bytes().to_vec();
        // Sealing fails only for inputs beyond ChaCha20's 256 GiB limit.
        if self
            .key
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(viewer.as_bytes()),
                &mut sealed,
            )
            .is_err()
        {
            return String::new();
        }
        out.extend_from_slice(&sealed);
        URL_SAFE_NO_PAD.encode(out)
    }

    /// The person behind a handle, if `viewer` made it (else `None`).
    pub fn open(&self, viewer: &str, handle: &str) -> Option<String> {
        if handle.len() > 4 * (NONCE_LEN + MAX_PID + TAG) / 3 + 1 {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(handle).ok()?;
        if bytes.len() <= NONCE_LEN + TAG {
            return None;
        }
        let (nonce, sealed) = bytes.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).ok()?;
        let mut sealed = sealed.to_vec();
        let plain = self
            .key
            .open_in_place(nonce, Aad::from(viewer.as_bytes()), &mut sealed)
            .ok()?;
        let pid = std::str::from_utf8(plain).ok()?;
        pid.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| pid.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn handles(secret: &[u8]) -> Handles {
        match Handles::new(secret) {
            Ok(h) => h,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn a_handle_opens_for_its_viewer_only_and_hides_the_number() {
        let h = handles(b"a secret of at least thirty-two bytes!");
        let (kari, ola, amir) = ("12048812345", "01015012345", "24057012345");
        let handle = h.make(kari, ola);
        assert!(!handle.contains(ola) && !handle.contains("010150"));
        assert!(handle
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(h.open(kari, &handle).as_deref(), Some(ola));
        assert_eq!(h.make(kari, ola), handle, "stable: bookmarkable");
        assert_eq!(h.open(amir, &handle), None, "another viewer cannot use it");
        assert_ne!(
            h.make(amir, ola),
            handle,
            "no pseudonym shared across viewers"
        );
        assert_ne!(h.make(kari, amir), handle);
        // Edited, truncated, made up, or made under another secret: nothing.
        let mut edited = handle.clone().into_bytes();
        edited[20] = if edited[20] == b'A' { b'B' } else { b'A' };
        let edited = String::from_utf8(edited).unwrap_or_default();
        assert_eq!(h.open(kari, &edited), None);
        assert_eq!(h.open(kari, &handle[..handle.len() - 2]), None);
        assert_eq!(h.open(kari, ola), None, "an old pid address is no handle");
        assert_eq!(h.open(kari, ""), None);
        assert_eq!(h.open(kari, &"A".repeat(4000)), None);
        let other = handles(b"another secret of at least 32 bytes");
        assert_eq!(other.open(kari, &handle), None);
    }
}
