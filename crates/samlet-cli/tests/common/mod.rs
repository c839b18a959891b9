//! Set-up shared by the tests that run the real `samlet` binary.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_samlet");

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
