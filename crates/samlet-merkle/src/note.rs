//! C2SP signed-note with Ed25519 keys, compatible with
//! `golang.org/x/mod/sumdb/note` (the format checkpoints are wrapped in).
//!
//! A note is UTF-8 text ending in a newline, a blank line, then one line per
//! signature: `— <key name> <base64(4-byte key id || signature)>`.
//! The key id is the first 4 bytes of SHA-256(name || "\n" || 0x01 || pubkey),
//! so a verifier can pick the right key without trying them all.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::fmt;
use std::str::FromStr;

/// Algorithm byte for Ed25519 keys in the note key encoding.
pub const ALG_ED25519: u8 = 0x01;
/// Notes with more signature lines than this are rejected (as in Go), to
/// bound the work an attacker can make a verifier do.
pub const MAX_SIGNATURES: usize = 100;
const SIG_PREFIX: &str = "\u{2014} ";

/// Errors of key parsing, signing and note verification.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoteError {
    /// A key string does not have the `name+hex8+base64` (or
    /// `PRIVATE+KEY+name+hex8+base64`) shape.
    #[error("malformed key: {0}")]
    MalformedKey(&'static str),
    /// The key's algorithm byte is not Ed25519 (0x01).
    #[error("unknown key algorithm {0:#04x}")]
    UnknownAlgorithm(u8),
    /// The key id in the string is not the one derived from name and key:
    /// the name does not belong to this key (or the string was altered).
    #[error(
        "key id {claimed:08x} does not match key name and public key (expected {computed:08x})"
    )]
    KeyIdMismatch {
        /// Id written in the key string.
        claimed: u32,
        /// Id computed from the name and public key.
        computed: u32,
    },
    /// Key names must be non-empty, without whitespace or `+`.
    #[error("invalid key name {0:?}")]
    InvalidName(String),
    /// The operating system's random generator failed.
    #[error("random number generator failed: {0}")]
    Rng(String),
    /// The note text or signature block breaks the signed-note syntax.
    #[error("malformed note: {0}")]
    Malformed(&'static str),
    /// Two configured verifier keys share a name and key id.
    #[error("ambiguous key {name}+{key_id:08x}")]
    AmbiguousKey {
        /// Key name.
        name: String,
        /// Key id.
        key_id: u32,
    },
    /// A signature by a known key does not verify: the note was altered or
    /// the signature forged.
    #[error("invalid signature for key {name}+{key_id:08x}")]
    InvalidSignature {
        /// Key name.
        name: String,
        /// Key id.
        key_id: u32,
    },
    /// A [`Verifiers`] lookup returned a key whose name or id differs from
    /// the signature line it was asked about.
    #[error("verifier {got_name}+{got_id:08x} does not match signature key {name}+{key_id:08x}")]
    VerifierMismatch {
        /// Name on the signature line.
        name: String,
        /// Key id on the signature line.
        key_id: u32,
        /// Name of the key the lookup returned.
        got_name: String,
        /// Id of the key the lookup returned.
        got_id: u32,
    },
    /// Every signature is by a key we do not know, so nothing vouches for
    /// the note. The parsed (unverified) note is attached for diagnostics.
    #[error("note has no verifiable signatures ({} by unknown keys)", .0.unverified.len())]
    NoVerifiableSignatures(Box<Note>),
}

/// Key id: first 4 bytes (big-endian) of SHA-256(name || "\n" || alg || pubkey).
pub fn key_id(name: &str, alg_and_key: &[u8]) -> u32 {
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update(alg_and_key);
    let d = h.finalize();
    u32::from_be_bytes([d[0], d[1], d[2], d[3]])
}

/// Same rule as Go's `isValidName`: non-empty, no whitespace, no `+`.
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty() && !name.chars().any(|c| c.is_whitespace() || c == '+')
}

fn check_name(name: &str) -> Result<(), NoteError> {
    if is_valid_name(name) {
        Ok(())
    } else {
        Err(NoteError::InvalidName(name.to_string()))
    }
}

/// Parses exactly 8 hex digits (Go's ParseUint would also take no sign).
fn parse_hex8(s: &str) -> Option<u32> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(s, 16).ok()
}

fn ed25519_id(name: &str, key: &VerifyingKey) -> u32 {
    let mut alg_key = [0u8; 33];
    alg_key[0] = ALG_ED25519;
    alg_key[1..].copy_from_slice(key.as_bytes());
    key_id(name, &alg_key)
}

/// A public key that verifies note signatures, with its name and key id.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifierKey {
    name: String,
    key_id: u32,
    key: VerifyingKey,
}

impl VerifierKey {
    /// Builds a verifier key from a name and an Ed25519 public key.
    pub fn new(name: &str, key: VerifyingKey) -> Result<Self, NoteError> {
        check_name(name)?;
        Ok(Self {
            name: name.to_string(),
            key_id: ed25519_id(name, &key),
            key,
        })
    }

    /// Parses `<name>+<hex8 key id>+<base64(0x01 || pubkey)>`.
    pub fn parse(s: &str) -> Result<Self, NoteError> {
        let mut parts = s.splitn(3, '+');
        let (Some(name), Some(id16), Some(key64)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(NoteError::MalformedKey("expected name+keyid+key"));
        };
        check_name(name)?;
        let claimed =
            parse_hex8(id16).ok_or(NoteError::MalformedKey("key id is not 8 hex digits"))?;
        let raw = B64
            .decode(key64)
            .map_err(|_| NoteError::MalformedKey("key is not valid base64"))?;
        let Some((&alg, key)) = raw.split_first() else {
            return Err(NoteError::MalformedKey("empty key"));
        };
        let computed = key_id(name, &raw);
        if claimed != computed {
            return Err(NoteError::KeyIdMismatch { claimed, computed });
        }
        if alg != ALG_ED25519 {
            return Err(NoteError::UnknownAlgorithm(alg));
        }
        let bytes: [u8; 32] = key
            .try_into()
            .map_err(|_| NoteError::MalformedKey("Ed25519 public key must be 32 bytes"))?;
        let key = VerifyingKey::from_bytes(&bytes)
            .map_err(|_| NoteError::MalformedKey("not a valid Ed25519 public key"))?;
        Ok(Self {
            name: name.to_string(),
            key_id: claimed,
            key,
        })
    }

    /// Key name (appears in signature lines).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// 32-bit key id.
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// The Ed25519 public key.
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.key
    }

    /// Checks an Ed25519 signature over `msg` (strict: rejects malleable
    /// signatures and small-order keys).
    pub fn verify(&self, msg: &[u8], sig: &[u8]) -> bool {
        match Signature::from_slice(sig) {
            Ok(sig) => self.key.verify_strict(msg, &sig).is_ok(),
            Err(_) => false,
        }
    }
}

impl fmt::Display for VerifierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut raw = Vec::with_capacity(33);
        raw.push(ALG_ED25519);
        raw.extend_from_slice(self.key.as_bytes());
        write!(f, "{}+{:08x}+{}", self.name, self.key_id, B64.encode(raw))
    }
}

impl fmt::Debug for VerifierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VerifierKey({self})")
    }
}

impl FromStr for VerifierKey {
    type Err = NoteError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// A private signing key with its name and key id.
///
/// `Debug` does not print the secret; use [`SignerKey::to_private_string`]
/// deliberately when the key must be stored.
#[derive(Clone)]
pub struct SignerKey {
    name: String,
    key_id: u32,
    key: SigningKey,
}

impl SignerKey {
    /// Generates a fresh key from the operating system's random generator.
    pub fn generate(name: &str) -> Result<Self, NoteError> {
        let mut seed = [0u8; 32];
        getrandom::getrandom(&mut seed).map_err(|e| NoteError::Rng(e.to_string()))?;
        let key = Self::from_seed(name, &seed);
        seed.fill(0);
        key
    }

    /// Builds a key from a 32-byte Ed25519 seed.
    pub fn from_seed(name: &str, seed: &[u8; 32]) -> Result<Self, NoteError> {
        check_name(name)?;
        let key = SigningKey::from_bytes(seed);
        Ok(Self {
            name: name.to_string(),
            key_id: ed25519_id(name, &key.verifying_key()),
            key,
        })
    }

    /// Parses `PRIVATE+KEY+<name>+<hex8 key id>+<base64(0x01 || seed)>`.
    pub fn parse(s: &str) -> Result<Self, NoteError> {
        let mut parts = s.splitn(5, '+');
        let (Some("PRIVATE"), Some("KEY"), Some(name), Some(id16), Some(key64)) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(NoteError::MalformedKey(
                "expected PRIVATE+KEY+name+keyid+key",
            ));
        };
        check_name(name)?;
        let claimed =
            parse_hex8(id16).ok_or(NoteError::MalformedKey("key id is not 8 hex digits"))?;
        let raw = B64
            .decode(key64)
            .map_err(|_| NoteError::MalformedKey("key is not valid base64"))?;
        let Some((&alg, seed)) = raw.split_first() else {
            return Err(NoteError::MalformedKey("empty key"));
        };
        if alg != ALG_ED25519 {
            return Err(NoteError::UnknownAlgorithm(alg));
        }
        let seed: [u8; 32] = seed
            .try_into()
            .map_err(|_| NoteError::MalformedKey("Ed25519 seed must be 32 bytes"))?;
        let key = Self::from_seed(name, &seed)?;
        if key.key_id != claimed {
            return Err(NoteError::KeyIdMismatch {
                claimed,
                computed: key.key_id,
            });
        }
        Ok(key)
    }

    /// Encodes the key as `PRIVATE+KEY+...`. This is the secret: store it
    /// like a password.
    pub fn to_private_string(&self) -> String {
        let mut raw = Vec::with_capacity(33);
        raw.push(ALG_ED25519);
        raw.extend_from_slice(self.key.as_bytes());
        format!(
            "PRIVATE+KEY+{}+{:08x}+{}",
            self.name,
            self.key_id,
            B64.encode(raw)
        )
    }

    /// Key name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// 32-bit key id.
    pub fn key_id(&self) -> u32 {
        self.key_id
    }

    /// The matching public key.
    pub fn verifier(&self) -> VerifierKey {
        VerifierKey {
            name: self.name.clone(),
            key_id: self.key_id,
            key: self.key.verifying_key(),
        }
    }

    /// Raw Ed25519 signature (64 bytes) over `msg`.
    pub fn sign(&self, msg: &[u8]) -> [u8; 64] {
        self.key.sign(msg).to_bytes()
    }
}

impl fmt::Debug for SignerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SignerKey({}+{:08x}, <secret>)", self.name, self.key_id)
    }
}

/// One signature line of a note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteSignature {
    /// Key name.
    pub name: String,
    /// Key id (first 4 bytes of the decoded signature field).
    pub key_id: u32,
    /// The base64 field as it appeared (key id and signature).
    pub base64: String,
}

/// A parsed note: its text and which signatures verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    /// The signed text, including its final newline.
    pub text: String,
    /// Signatures by known keys that verified.
    pub verified: Vec<NoteSignature>,
    /// Signatures by keys not among the verifiers (e.g. other witnesses).
    pub unverified: Vec<NoteSignature>,
}

/// Text must be valid as note text: ends in a newline and has no control
/// characters other than newline, so the signed bytes are unambiguous.
fn check_text(text: &str) -> Result<(), NoteError> {
    if !text.ends_with('\n') {
        return Err(NoteError::Malformed("text must end with a newline"));
    }
    if text.chars().any(|c| c < ' ' && c != '\n') {
        return Err(NoteError::Malformed("text contains control characters"));
    }
    Ok(())
}

/// Signature line `— <name> <base64(id || sig)>\n` for `text`.
pub fn signature_line(text: &str, signer: &SignerKey) -> String {
    let mut field = Vec::with_capacity(68);
    field.extend_from_slice(&signer.key_id.to_be_bytes());
    field.extend_from_slice(&signer.sign(text.as_bytes()));
    format!("{SIG_PREFIX}{} {}\n", signer.name, B64.encode(field))
}

/// Signs `text` with each signer, producing the complete note.
pub fn sign_note(text: &str, signers: &[&SignerKey]) -> Result<String, NoteError> {
    check_text(text)?;
    if signers.is_empty() {
        return Err(NoteError::Malformed("a note needs at least one signature"));
    }
    let mut out = String::with_capacity(text.len() + 1 + signers.len() * 110);
    out.push_str(text);
    out.push('\n');
    for s in signers {
        out.push_str(&signature_line(text, s));
    }
    Ok(out)
}

/// Source of verifier keys, looked up by (name, key id) as they appear on
/// signature lines; lets a server resolve witness keys from its database.
pub trait Verifiers {
    /// The key for `name`/`key_id`, `Ok(None)` if unknown, or an error such
    /// as [`NoteError::AmbiguousKey`].
    fn verifier(&self, name: &str, key_id: u32) -> Result<Option<VerifierKey>, NoteError>;
}

impl Verifiers for [VerifierKey] {
    fn verifier(&self, name: &str, key_id: u32) -> Result<Option<VerifierKey>, NoteError> {
        let mut found = self.iter().filter(|v| v.name == name && v.key_id == key_id);
        let first = found.next();
        if found.next().is_some() {
            return Err(NoteError::AmbiguousKey {
                name: name.to_string(),
                key_id,
            });
        }
        Ok(first.cloned())
    }
}

/// Parses a signed note and verifies every signature by a key in `verifiers`,
/// following Go's `note.Open`: signatures by unknown keys are kept as
/// unverified, a bad signature by a known key is an error, and a note with no
/// verified signature is rejected.
pub fn open_note(msg: &[u8], verifiers: &[VerifierKey]) -> Result<Note, NoteError> {
    open_note_with(msg, verifiers)
}

/// [`open_note`] with any [`Verifiers`] lookup.
pub fn open_note_with<V: Verifiers + ?Sized>(msg: &[u8], verifiers: &V) -> Result<Note, NoteError> {
    let msg = std::str::from_utf8(msg).map_err(|_| NoteError::Malformed("not UTF-8"))?;
    if msg.chars().any(|c| c < ' ' && c != '\n') {
        return Err(NoteError::Malformed("control character in note"));
    }
    let split = msg
        .rfind("\n\n")
        .ok_or(NoteError::Malformed("no blank line before signatures"))?;
    let (text, sigs) = (&msg[..split + 1], &msg[split + 2..]);
    if sigs.is_empty() || !sigs.ends_with('\n') {
        return Err(NoteError::Malformed(
            "signature block missing or not newline-terminated",
        ));
    }

    let mut note = Note {
        text: text.to_string(),
        verified: Vec::new(),
        unverified: Vec::new(),
    };
    let mut seen: HashSet<(String, u32)> = HashSet::new();
    let mut seen_unverified: HashSet<&str> = HashSet::new();
    // The block ends with '\n', so the last split element is empty.
    let lines: Vec<&str> = sigs[..sigs.len() - 1].split('\n').collect();
    if lines.len() > MAX_SIGNATURES {
        return Err(NoteError::Malformed("too many signatures"));
    }
    for line in lines {
        let body = line.strip_prefix(SIG_PREFIX).ok_or(NoteError::Malformed(
            "signature line must start with \"— \"",
        ))?;
        let (name, b64) = body.split_once(' ').unwrap_or((body, ""));
        if !is_valid_name(name) || b64.is_empty() {
            return Err(NoteError::Malformed("bad signature line"));
        }
        let raw = B64
            .decode(b64)
            .map_err(|_| NoteError::Malformed("signature is not valid base64"))?;
        if raw.len() < 5 {
            return Err(NoteError::Malformed("signature too short"));
        }
        let key_id = u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]);
        let sig = &raw[4..];

        let Some(v) = verifiers.verifier(name, key_id)? else {
            if seen_unverified.insert(line) {
                note.unverified.push(NoteSignature {
                    name: name.to_string(),
                    key_id,
                    base64: b64.to_string(),
                });
            }
            continue;
        };
        if v.name != name || v.key_id != key_id {
            return Err(NoteError::VerifierMismatch {
                name: name.to_string(),
                key_id,
                got_name: v.name,
                got_id: v.key_id,
            });
        }
        if !seen.insert((name.to_string(), key_id)) {
            continue;
        }
        if !v.verify(text.as_bytes(), sig) {
            return Err(NoteError::InvalidSignature {
                name: name.to_string(),
                key_id,
            });
        }
        note.verified.push(NoteSignature {
            name: name.to_string(),
            key_id,
            base64: b64.to_string(),
        });
    }
    if note.verified.is_empty() {
        return Err(NoteError::NoVerifiableSignatures(Box::new(note)));
    }
    Ok(note)
}
