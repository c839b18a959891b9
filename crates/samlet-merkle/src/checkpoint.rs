//! C2SP tlog-checkpoint: the signed statement "the log `origin` has `size`
//! entries and root hash `root`", carried as the text of a signed note.
//!
//! ```text
//! <origin>
//! <size in decimal>
//! <base64 root hash>
//! [extension lines]
//!
//! — <key name> <base64(key id || signature)>
//! ```

use crate::hash::{Hash, HASH_SIZE};
use crate::note::{open_note, sign_note, Note, NoteError, SignerKey, VerifierKey};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;

/// Why a checkpoint could not be produced, parsed or trusted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    /// The checkpoint body breaks the tlog-checkpoint syntax.
    #[error("malformed checkpoint: {0}")]
    Malformed(&'static str),
    /// The checkpoint is for a different log.
    #[error("checkpoint origin {found:?} is not the expected {expected:?}")]
    OriginMismatch {
        /// Origin we trust.
        expected: String,
        /// Origin in the checkpoint.
        found: String,
    },
    /// The note verified, but not with the log's own key (only with others).
    #[error("checkpoint is not signed by the log key {0}")]
    NotSignedByLog(String),
    /// Signed-note level failure (syntax, bad or missing signatures).
    #[error(transparent)]
    Note(#[from] NoteError),
}

/// Contents of a checkpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// Unique identifier of the log, conventionally its schema-less URL.
    pub origin: String,
    /// Number of entries.
    pub size: u64,
    /// Root hash of the tree of `size` entries.
    pub root: Hash,
    /// Optional extra lines (opaque, non-empty, no newlines).
    pub extensions: Vec<String>,
}

fn is_valid_line(s: &str) -> bool {
    !s.is_empty() && !s.chars().any(|c| c < ' ')
}

impl Checkpoint {
    /// A checkpoint without extension lines.
    pub fn new(origin: impl Into<String>, size: u64, root: Hash) -> Self {
        Self {
            origin: origin.into(),
            size,
            root,
            extensions: Vec::new(),
        }
    }

    /// The note text (body) of the checkpoint, newline-terminated.
    pub fn to_text(&self) -> Result<String, CheckpointError> {
        if !is_valid_line(&self.origin) {
            return Err(CheckpointError::Malformed(
                "origin must be a non-empty line without control characters",
            ));
        }
        if !self.extensions.iter().all(|e| is_valid_line(e)) {
            return Err(CheckpointError::Malformed(
                "extension lines must be non-empty without control characters",
            ));
        }
        let mut s = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            B64.encode(self.root)
        );
        for e in &self.extensions {
            s.push_str(e);
            s.push('\n');
        }
        Ok(s)
    }

    /// Parses a checkpoint body (the text of its note).
    pub fn from_text(text: &str) -> Result<Self, CheckpointError> {
        let body = text
            .strip_suffix('\n')
            .ok_or(CheckpointError::Malformed("body must end with a newline"))?;
        let mut lines = body.split('\n');
        let (Some(origin), Some(size), Some(root)) = (lines.next(), lines.next(), lines.next())
        else {
            return Err(CheckpointError::Malformed(
                "need origin, size and root lines",
            ));
        };
        if !is_valid_line(origin) {
            return Err(CheckpointError::Malformed("empty or invalid origin line"));
        }
        // Decimal without sign or leading zeros, so every size has exactly
        // one encoding.
        let canonical = !size.is_empty()
            && size.bytes().all(|b| b.is_ascii_digit())
            && (size == "0" || !size.starts_with('0'));
        if !canonical {
            return Err(CheckpointError::Malformed(
                "size is not a canonical decimal",
            ));
        }
        let size: u64 = size
            .parse()
            .map_err(|_| CheckpointError::Malformed("size does not fit in 64 bits"))?;
        let root_bytes = B64
            .decode(root)
            .map_err(|_| CheckpointError::Malformed("root hash is not valid base64"))?;
        let root: Hash = root_bytes
            .as_slice()
            .try_into()
            .map_err(|_| CheckpointError::Malformed("root hash is not 32 bytes"))?;
        debug_assert_eq!(root.len(), HASH_SIZE);
        let extensions: Vec<String> = lines.map(str::to_string).collect();
        if !extensions.iter().all(|e| is_valid_line(e)) {
            return Err(CheckpointError::Malformed(
                "empty or invalid extension line",
            ));
        }
        Ok(Self {
            origin: origin.to_string(),
            size,
            root,
            extensions,
        })
    }

    /// Signs the checkpoint, giving the complete signed note.
    pub fn sign(&self, signer: &SignerKey) -> Result<String, CheckpointError> {
        Ok(sign_note(&self.to_text()?, &[signer])?)
    }
}

/// Verifies a signed checkpoint from the log `origin` whose key is `log_key`.
///
/// Requires a valid signature by `log_key`; signatures by other keys (e.g.
/// witnesses) are returned as unverified in the [`Note`]. Every known key
/// must verify, so `witnesses` may be passed to check co-signatures too.
pub fn open_checkpoint(
    msg: &[u8],
    origin: &str,
    log_key: &VerifierKey,
    witnesses: &[VerifierKey],
) -> Result<(Checkpoint, Note), CheckpointError> {
    let mut keys = Vec::with_capacity(1 + witnesses.len());
    keys.push(log_key.clone());
    keys.extend_from_slice(witnesses);
    let note = open_note(msg, &keys)?;
    if !note
        .verified
        .iter()
        .any(|s| s.name == log_key.name() && s.key_id == log_key.key_id())
    {
        return Err(CheckpointError::NotSignedByLog(log_key.to_string()));
    }
    let cp = Checkpoint::from_text(&note.text)?;
    if cp.origin != origin {
        return Err(CheckpointError::OriginMismatch {
            expected: origin.to_string(),
            found: cp.origin,
        });
    }
    Ok((cp, note))
}
