//! What the real server writes to its log while a person's data passes
//! through it: one JSON line per request with the route template, the
//! status and the request id, and never the person's identity number, a
//! calendar secret or a message's text.

use std::process::Command;

use chrono::NaiveDate;
use samlet_domain::Pid;

mod common;
use common::{add_nav_with_dev_token, serve_on_any_port, wait_healthy, BIN};

#[tokio::test]
async fn request_lines_carry_routes_not_personal_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let token = add_nav_with_dev_token(dir.path());

    let log_path = dir.path().join("server.log");
    let (mut server, base) = serve_on_any_port(
        Command::new(BIN)
            .args(["serve", "--dev", "--data-dir"])
            .arg(dir.path())
            .env("SAMLET_LOG", "info")
            .env("SAMLET_LOG_FORMAT", "json")
            .stderr(std::fs::File::create(&log_path).expect("log file")),
    );

    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    wait_healthy(&http, &base).await;

    let pid = (0..1000)
        .find_map(|n| Pid::synthetic(NaiveDate::from_ymd_opt(1985, 3, 14).expect("date"), n))
        .expect("pid");
    let pid = pid.as_str().to_owned();
    let body_text = "Hemmelig-innhold-7f3a";
    let pushed = http
        .post(format!("{base}/api/v1/messages"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"pid": pid, "message_id": "M-1", "subject": "Vedtak", "body": body_text}))
        .send()
        .await
        .expect("push");
    assert!(pushed.status().is_success(), "{}", pushed.status());

    // The person logs in, reads the overview and a message, and fetches the calendar.
    let login = http
        .post(format!("{base}/auth/dev/login"))
        .form(&[("pid", pid.as_str())])
        .send()
        .await
        .expect("login");
    let cookie = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("samlet_session="))
        .and_then(|c| c.split(';').next())
        .expect("session cookie")
        .to_owned();
    let get = |path: &str| {
        http.get(format!("{base}{path}"))
            .header("cookie", &cookie)
            .send()
    };
    assert!(get("/api/v1/me/overview")
        .await
        .expect("overview")
        .status()
        .is_success());
    let page = get("/me/messages/889640782/M-1").await.expect("message");
    assert!(page.text().await.expect("page").contains(body_text));
    let cal: serde_json::Value = http
        .post(format!("{base}/api/v1/me/calendar-url"))
        .header("cookie", &cookie)
        .json(&serde_json::json!({}))
        .send()
        .await
        .expect("calendar url")
        .json()
        .await
        .expect("json");
    let cal_url = cal["url"].as_str().expect("url").to_owned();
    let secret = cal_url
        .rsplit('/')
        .next()
        .and_then(|f| f.split(".ics").next())
        .expect("calendar file")
        .to_owned();
    let cal_path = &cal_url[cal_url.find("/calendar/").expect("calendar path")..];
    let feed = http
        .get(format!("{base}{cal_path}"))
        .send()
        .await
        .expect("feed");
    assert!(feed.status().is_success(), "{}", feed.status());
    // An agency reads the person's overview (access-logged, person in the path).
    let read = http
        .get(format!("{base}/api/v1/persons/{pid}/overview"))
        .bearer_auth(&token)
        .header("Samlet-Purpose", "Kontroll")
        .header("Samlet-Legal-Basis", "Folketrygdloven § 21-4")
        .send()
        .await
        .expect("agency read");
    assert!(read.status().is_success(), "{}", read.status());

    let _ = server.kill();
    let _ = server.wait();
    let log = std::fs::read_to_string(&log_path).expect("log");
    let requests: Vec<serde_json::Value> = log
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["message"] == "request")
        .collect();
    let routes: Vec<&str> = requests
        .iter()
        .filter_map(|v| v["route"].as_str())
        .collect();
    for route in [
        "/api/v1/messages",
        "/api/v1/me/overview",
        "/me/messages/{org}/{message_id}",
        "/calendar/{file}",
        "/api/v1/persons/{pid}/overview",
    ] {
        assert!(
            routes.contains(&route),
            "no request line for {route}: {routes:?}"
        );
    }
    for v in &requests {
        assert!(v["status"].is_u64(), "{v}");
        assert!(
            v["request_id"].as_str().is_some_and(|r| !r.is_empty()),
            "{v}"
        );
    }
    for (what, secret) in [
        ("identity number", pid.as_str()),
        ("calendar secret", &secret),
        ("message body", body_text),
    ] {
        assert!(!log.contains(secret), "the log holds the {what}:\n{log}");
    }
}
