//! `samlet serve --dev` belongs on a developer's machine: the real binary
//! refuses it beside a public listen address, PostgreSQL or OpenID Connect,
//! with an error naming the combination, before it opens anything.

use std::process::{Command, Output};

fn serve(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().expect("tempdir");
    Command::new(env!("CARGO_BIN_EXE_samlet"))
        .arg("serve")
        .args(args)
        .arg("--data-dir")
        .arg(dir.path())
        .env_remove("SAMLET_DATABASE_URL")
        .env_remove("SAMLET_DATA_DIR")
        .env_remove("SAMLET_LISTEN")
        .env_remove("SAMLET_DEV")
        .env_remove("SAMLET_OIDC_ISSUER")
        .env_remove("SAMLET_OIDC_CLIENT_ID")
        .env_remove("SAMLET_OIDC_CLIENT_SECRET")
        .output()
        .unwrap_or_else(|e| panic!("running samlet: {e}"))
}

fn refused(args: &[&str], says: &str) {
    let out = serve(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{args:?} started");
    assert!(err.contains(says), "{args:?}: {err}");
}

#[test]
fn serve_refuses_dev_mode_beside_a_public_address_postgres_or_oidc() {
    refused(
        &["--dev", "--listen", "0.0.0.0:0"],
        "--dev cannot be combined with --listen 0.0.0.0:0",
    );
    refused(
        &[
            "--dev",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            "postgres://samlet:pw@127.0.0.1:1/samlet",
        ],
        "--dev cannot be combined with --database-url postgres://",
    );
    refused(
        &[
            "--dev",
            "--listen",
            "127.0.0.1:0",
            "--oidc-client-secret",
            "s3cret",
        ],
        "--dev cannot be combined with --oidc-client-secret",
    );
    let out = serve(&["--dev", "--listen", "0.0.0.0:0"]);
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("pw@"),
        "no secret echoed"
    );
}
