//! Signed-note vectors from golang.org/x/mod/sumdb/note (note_test.go,
//! https://github.com/golang/mod commit fe2ec04f7c3c3aa6fad97631aafcff6e49e2d1db).
//! Copyright 2009 The Go Authors; BSD-3-Clause licence. The key strings, text
//! and signatures below are copied from that file; the checks mirror
//! TestNewVerifier, TestNewSigner, TestSign and TestOpen.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report
use samlet_merkle::{
    open_note, open_note_with, sign_note, NoteError, SignerKey, VerifierKey, Verifiers,
};

const PETER_VKEY: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const PETER_SKEY: &str =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const ENOCH_VKEY: &str = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
const TEXT: &str = "If you think cryptography is the answer to your problem,\n\
                    then you don't know what your problem is.\n";
const PETER_SIG: &str = "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
const ENOCH_SIG: &str = "\u{2014} EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

fn peter() -> VerifierKey {
    VerifierKey::parse(PETER_VKEY).unwrap()
}
fn enoch() -> VerifierKey {
    VerifierKey::parse(ENOCH_VKEY).unwrap()
}

#[test]
fn verifier_key_parses_and_round_trips() {
    let v = peter();
    assert_eq!(v.name(), "PeterNeumann");
    assert_eq!(v.key_id(), 0xc74f20a3);
    assert_eq!(v.to_string(), PETER_VKEY);
}

#[test]
fn verifier_key_manglings_rejected() {
    let b = PETER_VKEY.as_bytes();
    for i in 0..=b.len() {
        for j in i + 1..=b.len() {
            if i == 0 && j == b.len() {
                continue;
            }
            if let Ok(s) = std::str::from_utf8(&b[i..j]) {
                assert!(VerifierKey::parse(s).is_err(), "accepted substring {s:?}");
            }
        }
    }
    let mut m = b.to_vec();
    for i in 0..m.len() {
        m[i] += 1;
        let s = String::from_utf8(m.clone()).unwrap();
        assert!(VerifierKey::parse(&s).is_err(), "accepted mangled {s:?}");
        m[i] -= 1;
    }
    // Wrong key length (with adjusted key hash) and unknown algorithm.
    assert!(matches!(
        VerifierKey::parse(
            "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="
        ),
        Err(NoteError::MalformedKey(_))
    ));
    assert_eq!(
        VerifierKey::parse("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
        Err(NoteError::UnknownAlgorithm(0x65))
    );
}

#[test]
fn signer_key_parses_and_manglings_rejected() {
    let s = SignerKey::parse(PETER_SKEY).unwrap();
    assert_eq!(s.name(), "PeterNeumann");
    assert_eq!(s.key_id(), 0xc74f20a3);
    assert_eq!(s.to_private_string(), PETER_SKEY);
    assert_eq!(s.verifier().to_string(), PETER_VKEY);
    assert!(
        !format!("{s:?}").contains("AYEK"),
        "Debug must not leak the secret"
    );

    let b = PETER_SKEY.as_bytes();
    for i in 0..=b.len() {
        for j in i + 1..=b.len() {
            if i == 0 && j == b.len() {
                continue;
            }
            let sub = std::str::from_utf8(&b[i..j]).unwrap();
            assert!(SignerKey::parse(sub).is_err(), "accepted substring {sub:?}");
        }
    }
    let mut m = b.to_vec();
    for i in 0..m.len() {
        m[i] += 1;
        let s = String::from_utf8(m.clone()).unwrap();
        assert!(SignerKey::parse(&s).is_err(), "accepted mangled {s:?}");
        m[i] -= 1;
    }
}

#[test]
fn sign_matches_go_output() {
    let signer = SignerKey::parse(PETER_SKEY).unwrap();
    let msg = sign_note(TEXT, &[&signer]).unwrap();
    assert_eq!(msg, format!("{TEXT}\n{PETER_SIG}"));
    assert!(matches!(
        sign_note("abc", &[&signer]),
        Err(NoteError::Malformed(_))
    ));
}

#[test]
fn open_one_verified_one_unverified() {
    let msg = format!("{TEXT}\n{PETER_SIG}{ENOCH_SIG}");
    let n = open_note(msg.as_bytes(), &[peter()]).unwrap();
    assert_eq!(n.text, TEXT);
    assert_eq!(n.verified.len(), 1);
    assert_eq!(n.verified[0].name, "PeterNeumann");
    assert_eq!(n.verified[0].key_id, 0xc74f20a3);
    assert_eq!(n.unverified.len(), 1);
    assert_eq!(n.unverified[0].name, "EnochRoot");
    assert_eq!(n.unverified[0].key_id, 0xaf0cfe78);

    let n = open_note(msg.as_bytes(), &[peter(), enoch()]).unwrap();
    assert_eq!(n.verified.len(), 2);
    assert!(n.unverified.is_empty());
}

#[test]
fn open_unknown_keys_only_rejected() {
    let msg = format!("{TEXT}\n{PETER_SIG}{ENOCH_SIG}");
    match open_note(msg.as_bytes(), &[]) {
        Err(NoteError::NoVerifiableSignatures(n)) => {
            assert!(n.verified.is_empty());
            assert_eq!(n.unverified.len(), 2);
        }
        other => panic!("want NoVerifiableSignatures, got {other:?}"),
    }
}

#[test]
fn open_duplicate_verifier_is_ambiguous_only_if_used() {
    let msg = format!("{TEXT}\n{ENOCH_SIG}");
    assert_eq!(
        open_note(msg.as_bytes(), &[enoch(), peter(), enoch()]),
        Err(NoteError::AmbiguousKey {
            name: "EnochRoot".into(),
            key_id: 0xaf0cfe78
        })
    );
    let msg = format!("{TEXT}\n{PETER_SIG}");
    assert!(open_note(msg.as_bytes(), &[enoch(), peter(), enoch()]).is_ok());
}

#[test]
fn open_too_many_signatures() {
    let msg = format!("{TEXT}\n{}", PETER_SIG.repeat(101));
    assert!(matches!(
        open_note(msg.as_bytes(), &[peter()]),
        Err(NoteError::Malformed(_))
    ));
}

#[test]
fn open_invalid_signature() {
    // Byte offset 60 as in Go (the em dash is 3 bytes).
    let bad = format!("{}ABCD{}", &PETER_SIG[..60], &PETER_SIG[60..]);
    let msg = format!("{TEXT}\n{bad}");
    assert_eq!(
        open_note(msg.as_bytes(), &[peter()]),
        Err(NoteError::InvalidSignature {
            name: "PeterNeumann".into(),
            key_id: 0xc74f20a3
        })
    );
}

#[test]
fn open_duplicates_collapsed() {
    let enoch_abcd = format!("{}ABCD{}", &ENOCH_SIG[..60], &ENOCH_SIG[60..]);
    let msg = format!("{TEXT}\n{PETER_SIG}{PETER_SIG}{ENOCH_SIG}{ENOCH_SIG}{enoch_abcd}");
    let n = open_note(msg.as_bytes(), &[peter()]).unwrap();
    assert_eq!(n.verified.len(), 1);
    assert_eq!(n.unverified.len(), 2);
    assert_eq!(
        n.unverified[1].base64,
        "rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5nABCD2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ="
    );
}

#[test]
fn open_malformed_messages() {
    let bad_msgs = [
        TEXT.to_string(),
        format!("{TEXT}\n"),
        format!("{TEXT}\n{}", &PETER_SIG[..PETER_SIG.len() - 1]),
        format!("\x01{TEXT}\n{PETER_SIG}"),
        format!("{TEXT}\n\u{2014} Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="),
        format!("{TEXT}\n{PETER_SIG}Unexpected line.\n"),
    ];
    for m in &bad_msgs {
        assert!(
            matches!(
                open_note(m.as_bytes(), &[peter()]),
                Err(NoteError::Malformed(_))
            ),
            "accepted {m:?}"
        );
    }
    // Invalid UTF-8 ("\xff" prefix in Go's list).
    let mut raw = vec![0xffu8];
    raw.extend_from_slice(format!("{TEXT}\n{PETER_SIG}").as_bytes());
    assert!(matches!(
        open_note(&raw, &[peter()]),
        Err(NoteError::Malformed(_))
    ));
}

#[test]
fn misnamed_or_wrong_id_signature_is_not_verified() {
    // A line claiming another name (or key id) is not attributed to Peter's
    // key: it stays unverified, so the note has no verified signature.
    let misnamed = PETER_SIG.replace("PeterNeumann", "CarmenSandiego");
    let msg = format!("{TEXT}\n{misnamed}");
    assert!(matches!(
        open_note(msg.as_bytes(), &[peter()]),
        Err(NoteError::NoVerifiableSignatures(_))
    ));
    let wrong_id = PETER_SIG.replace("x08g", "xxxx");
    let msg = format!("{TEXT}\n{wrong_id}");
    assert!(matches!(
        open_note(msg.as_bytes(), &[peter()]),
        Err(NoteError::NoVerifiableSignatures(_))
    ));
}

#[test]
fn generated_keys_work() {
    let s = SignerKey::generate("EnochRoot").unwrap();
    let skey = s.to_private_string();
    let vkey = s.verifier().to_string();
    let s2 = SignerKey::parse(&skey).unwrap();
    let v = VerifierKey::parse(&vkey).unwrap();
    assert_eq!(s2.key_id(), v.key_id());
    let sig = s2.sign(b"hi");
    assert!(v.verify(b"hi", &sig));
    let mut bad = sig;
    bad[0] ^= 1;
    assert!(!v.verify(b"hi", &bad));
    assert!(!v.verify(b"ho", &sig));
    assert!(matches!(
        SignerKey::generate("bad name"),
        Err(NoteError::InvalidName(_))
    ));
}

/// A lookup that always answers with Peter's key (Go's fixedVerifier).
struct Fixed(VerifierKey);
impl Verifiers for Fixed {
    fn verifier(&self, _: &str, _: u32) -> Result<Option<VerifierKey>, NoteError> {
        Ok(Some(self.0.clone()))
    }
}

#[test]
fn lookup_returning_wrong_key_is_rejected() {
    let misnamed = PETER_SIG.replace("PeterNeumann", "CarmenSandiego");
    let msg = format!("{TEXT}\n{misnamed}");
    assert!(matches!(
        open_note_with(msg.as_bytes(), &Fixed(peter())),
        Err(NoteError::VerifierMismatch { ref name, .. }) if name == "CarmenSandiego"
    ));
    let wrong_id = PETER_SIG.replace("x08g", "xxxx");
    let msg = format!("{TEXT}\n{wrong_id}");
    assert!(matches!(
        open_note_with(msg.as_bytes(), &Fixed(peter())),
        Err(NoteError::VerifierMismatch { .. })
    ));
    let msg = format!("{TEXT}\n{PETER_SIG}");
    assert!(open_note_with(msg.as_bytes(), &Fixed(peter())).is_ok());
}
