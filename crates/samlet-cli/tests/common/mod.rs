//! Set-up shared by the tests that run the real `samlet` binary.

// Every test binary compiles this module and uses only part of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_samlet");

/// `samlet ARGS --data-dir DIR`, inheriting no database settings from the
/// shell.
pub fn samlet_in(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("SAMLET_DATABASE_URL")
        .env_remove("SAMLET_DATA_DIR");
    c
}

/// What a run printed, stdout then stderr.
pub fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("port")
}

/// Register NAV in the data dir with `samlet agency add --dev-token` and
/// return its bearer token.
pub fn add_nav_with_dev_token(dir: &Path) -> String {
    let out = Command::new(BIN)
        .args(["agency", "add", "--org", "889640782", "--name", "NAV"])
        .args(["--dev-token", "--json", "--data-dir"])
        .arg(dir)
        .output()
        .expect("agency add");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    v["token"].as_str().expect("token").to_owned()
}

/// Wait until the server at `base` answers `/health`.
pub async fn wait_healthy(http: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if http
            .get(format!("{base}/health"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("server did not become healthy");
}
