//! Set-up shared by the tests that run the real `samlet` binary.

// Every test binary compiles this module and uses only part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
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

/// Start `cmd` (a `samlet serve` without `--listen`) on a port the server
/// binds itself (port 0), and return it with the base URL it prints. The
/// port is never probed and released first, so no other process can take
/// it in between.
pub fn serve_on_any_port(cmd: &mut Command) -> (Child, String) {
    let mut child = cmd
        .args(["--listen", "127.0.0.1:0"])
        .env_remove("SAMLET_LISTEN")
        .env_remove("SAMLET_PUBLIC_URL")
        .stdout(Stdio::piped())
        .spawn()
        .expect("start samlet serve");
    let out = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(out).lines();
    let base = loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(url) = line.strip_prefix("Samlet is running at ") {
                    break url.trim_end_matches('/').to_owned();
                }
            }
            _ => {
                let _ = child.kill();
                panic!("samlet serve exited before it said where it listens");
            }
        }
    };
    // Keep reading so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, base)
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
