//! The transparency log end to end: the real server on a loopback port,
//! agencies reading through the API, Kari reading her access log, and an
//! auditor running the verify code while someone tampers with the rows.

use std::net::SocketAddr;
use std::sync::Arc;

use chrono::Utc;
use samlet_domain::{CaseStatus, Pid, ValidCase};
use samlet_server::auth::{token_hash, SCOPE_READ, SCOPE_WRITE};
use samlet_server::transparency::audit::{audit, AuditReport, AuditState};
use samlet_server::{AppState, Config};
use samlet_store::{conformance, Item, Store, TOKEN_DEV};
use serde_json::Value;
use sqlx::{Connection, SqliteConnection};

struct Harness {
    base: String,
    db_url: String,
    store: Arc<dyn Store>,
    nav_token: String,
    kari: Pid,
    ola: Pid,
    _dir: tempfile::TempDir,
}

async fn start() -> Harness {
    let dir = tempfile::tempdir().expect("tempdir");
    let db_url = format!("sqlite://{}", dir.path().join("samlet.db").display());
    start_on(db_url, dir).await
}

async fn start_on(db_url: String, dir: tempfile::TempDir) -> Harness {
    let store = samlet_store::connect(&db_url).await.expect("store");
    let nav = store
        .create_agency(&conformance::org("88964078"), "NAV")
        .await
        .expect("agency");
    let nav_token = format!("samlet_dev_test_{}", rand::random::<u64>());
    store
        .insert_agency_token(
            &token_hash(&nav_token),
            nav.id,
            TOKEN_DEV,
            &format!("{SCOPE_WRITE} {SCOPE_READ}"),
            None,
        )
        .await
        .expect("token");
    let kari = conformance::person(3);
    let ola = conformance::person(4);
    let case = Item::Case(ValidCase {
        pid: kari.clone(),
        case_id: "dp-1".into(),
        title: "Søknad om dagpenger".into(),
        status: CaseStatus::InProgress,
        service: None,
        opened_at: Utc::now(),
        url: None,
    });
    store.ingest(nav.id, vec![case]).await.expect("ingest");
    let listen: SocketAddr = "127.0.0.1:0".parse().expect("addr");
    let state = AppState::new(store.clone(), Config::dev(listen, db_url.clone()))
        .await
        .expect("state");
    let (addr, _server) = samlet_server::spawn(state).await.expect("bound");
    Harness {
        base: format!("http://{addr}"),
        db_url,
        store,
        nav_token,
        kari,
        ola,
        _dir: dir,
    }
}

impl Harness {
    /// NAV reads a person's overview with a purpose and legal basis.
    async fn nav_reads(&self, pid: &Pid) -> reqwest::Response {
        reqwest::Client::new()
            .get(format!("{}/api/v1/persons/{pid}/overview", self.base))
            .bearer_auth(&self.nav_token)
            .header("Samlet-Purpose", "Behandle søknad om dagpenger")
            .header("Samlet-Legal-Basis", "Folketrygdloven kapittel 4")
            .header("Samlet-Legal-Basis-Ref", "LOV-1997-02-28-19 § 4-1")
            .header("Samlet-Accessor-System", "dagpenger-saksbehandling")
            .send()
            .await
            .expect("read")
    }

    /// Six accesses: Kari three times, Ola three times.
    async fn six_reads(&self) {
        for pid in [
            &self.kari, &self.ola, &self.kari, &self.ola, &self.kari, &self.ola,
        ] {
            assert_eq!(self.nav_reads(pid).await.status(), 200);
        }
    }

    async fn audit(&self, state: Option<&AuditState>) -> AuditReport {
        audit(&reqwest::Client::new(), &self.base, None, state)
            .await
            .expect("audit ran")
    }

    async fn tamper(&self, sql: &str) {
        let mut conn = SqliteConnection::connect(&self.db_url)
            .await
            .expect("direct connection");
        for stmt in sql.split(';').filter(|s| !s.trim().is_empty()) {
            sqlx::query(stmt)
                .execute(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("{stmt}: {e}"));
        }
    }

    async fn citizen(&self, pid: &Pid) -> reqwest::Client {
        let c = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("client");
        let res = c
            .post(format!("{}/auth/dev/login", self.base))
            .form(&[("pid", pid.as_str())])
            .send()
            .await
            .expect("login");
        assert!(res.status().is_success(), "login: {}", res.status());
        c
    }

    /// Six reads, then a first clean audit that pins the key and a state.
    async fn audited(&self) -> AuditState {
        self.six_reads().await;
        let r = self.audit(None).await;
        assert!(r.ok(), "a clean log verifies: {:?}", r.problems);
        assert_eq!(r.size, 6);
        assert_eq!(r.key_source, "first use");
        r.new_state.expect("state to save")
    }
}

fn has(report: &AuditReport, needle: &str) -> bool {
    report.problems.iter().any(|p| p.contains(needle))
}

#[tokio::test]
async fn an_agency_must_state_purpose_and_legal_basis_and_is_logged_first() {
    let h = start().await;
    let client = reqwest::Client::new();
    let url = format!("{}/api/v1/persons/{}/overview", h.base, h.kari);
    let res = client
        .get(&url)
        .bearer_auth(&h.nav_token)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 400);
    assert_eq!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["pointer"], "/headers/samlet-purpose");
    assert!(body.get("cases").is_none(), "no data without a purpose");
    let res = client
        .get(&url)
        .bearer_auth(&h.nav_token)
        .header("Samlet-Purpose", "Kontroll")
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 400);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["pointer"], "/headers/samlet-legal-basis");
    assert_eq!(
        h.store.log_size().await.expect("size"),
        0,
        "refused reads are not data reads"
    );

    // A token without samlet:read is refused too.
    let write_only = "samlet_dev_write_only";
    let nav = h
        .store
        .agency_by_org(&conformance::org("88964078"))
        .await
        .expect("lookup")
        .expect("nav");
    h.store
        .insert_agency_token(
            &token_hash(write_only),
            nav.id,
            TOKEN_DEV,
            SCOPE_WRITE,
            None,
        )
        .await
        .expect("token");
    let res = client
        .get(&url)
        .bearer_auth(write_only)
        .header("Samlet-Purpose", "Kontroll")
        .header("Samlet-Legal-Basis", "Lov")
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 403);

    let res = h.nav_reads(&h.kari).await;
    assert_eq!(res.status(), 200);
    let o: Value = res.json().await.expect("json");
    assert_eq!(o["cases"][0]["case_id"], "dp-1");
    assert_eq!(
        h.store.log_size().await.expect("size"),
        1,
        "the read was logged"
    );
}

#[tokio::test]
async fn kari_sees_who_looked_at_her_data_each_entry_verified() {
    let h = start().await;
    h.six_reads().await;
    let kari = h.citizen(&h.kari).await;
    let page: Value = kari
        .get(format!("{}/api/v1/me/access-log", h.base))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let entries = page["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 3, "only Kari's three accesses: {page}");
    for e in entries {
        assert_eq!(e["accessor"]["org"], "889640782");
        assert_eq!(e["accessor"]["name"], "NAV");
        assert_eq!(e["accessor"]["system"], "dagpenger-saksbehandling");
        assert_eq!(e["purpose"], "Behandle søknad om dagpenger");
        assert_eq!(e["legal_basis"], "Folketrygdloven kapittel 4");
        assert_eq!(e["categories"][0], "cases");
        assert_eq!(e["verified"], true, "inclusion checked: {e}");
        assert!(e.get("subject").is_none(), "the pid is not echoed");
    }
    assert_eq!(page["missing_details"], 0);
    assert_eq!(page["checkpoint"]["size"], 6);

    // Filters and pages.
    let other: Value = kari
        .get(format!("{}/api/v1/me/access-log?agency=974761076", h.base))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(other["entries"].as_array().map(Vec::len), Some(0));
    let p1: Value = kari
        .get(format!("{}/api/v1/me/access-log?per_page=2", h.base))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(p1["entries"].as_array().map(Vec::len), Some(2));
    assert_eq!(p1["next_page"], 2);
    let future: Value = kari
        .get(format!("{}/api/v1/me/access-log?from=2999-01-01", h.base))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(future["entries"].as_array().map(Vec::len), Some(0));
    let bad = kari
        .get(format!("{}/api/v1/me/access-log?from=yesterday", h.base))
        .send()
        .await
        .expect("get");
    assert_eq!(bad.status(), 422);

    // The page, in bokmål and English.
    let html = kari
        .get(format!("{}/me/access-log", h.base))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("Hvem har sett på dataene mine"));
    assert_eq!(html.matches("Bekreftet i den offentlige loggen").count(), 3);
    let en = kari
        .get(format!("{}/me/access-log", h.base))
        .header("accept-language", "en")
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(en.contains("Who has looked at my data"));
    assert!(en.contains("Verified in the public log"));

    // Someone edits one of Kari's entries: it is no longer shown as verified.
    h.tamper(
        "UPDATE log_entries SET body = replace(body, 'dagpenger', 'sykepenger') WHERE idx = 0",
    )
    .await;
    let page: Value = kari
        .get(format!("{}/api/v1/me/access-log", h.base))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let verified: Vec<_> = page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| (e["index"].as_u64(), e["verified"].as_bool()))
        .collect();
    assert!(verified.contains(&(Some(0), Some(false))), "{verified:?}");
    assert!(verified.contains(&(Some(2), Some(true))), "{verified:?}");
}

#[tokio::test]
async fn the_public_log_serves_checkpoints_and_proofs_without_personal_data() {
    let h = start().await;
    h.six_reads().await;
    let c = reqwest::Client::new();
    let cp = c
        .get(format!("{}/log/checkpoint", h.base))
        .send()
        .await
        .expect("cp")
        .text()
        .await
        .expect("text");
    assert!(cp.starts_with("samlet.example/log\n6\n"), "{cp}");
    assert!(cp.contains("\n— samlet.example/log "), "signed note: {cp}");
    let leaves = c
        .get(format!("{}/log/leaves", h.base))
        .send()
        .await
        .expect("leaves")
        .text()
        .await
        .expect("text");
    assert!(!leaves.contains(h.kari.as_str()) && !leaves.contains("NAV"));
    let p: Value = c
        .get(format!("{}/log/proof/inclusion?index=2&size=6", h.base))
        .send()
        .await
        .expect("inclusion")
        .json()
        .await
        .expect("json");
    assert_eq!(p["proof"].as_array().map(Vec::len), Some(3));
    let bad = c
        .get(format!("{}/log/proof/inclusion?index=9&size=60", h.base))
        .send()
        .await
        .expect("inclusion");
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn an_auditor_accepts_growth_and_retention() {
    let h = start().await;
    let state = h.audited().await;
    h.six_reads().await;
    let r = h.audit(Some(&state)).await;
    assert!(r.ok(), "growth is consistent: {:?}", r.problems);
    assert_eq!(r.size, 12);
    assert_eq!(r.key_source, "state file");
    // Retention expires every entry so far; the log still verifies.
    let n = h
        .store
        .log_expire(Utc::now() + chrono::Duration::seconds(1), Utc::now())
        .await
        .expect("expire");
    assert_eq!(n, 12);
    let r2 = h.audit(r.new_state.as_ref()).await;
    assert!(r2.ok(), "tombstoned entries verify: {:?}", r2.problems);
    assert_eq!(r2.tombstones, 12);
}

#[tokio::test]
async fn an_auditor_catches_an_edited_entry() {
    let h = start().await;
    let state = h.audited().await;
    h.tamper(
        "UPDATE log_entries SET body = replace(body, 'kapittel 4', 'kapittel 8') WHERE idx = 3",
    )
    .await;
    let r = h.audit(Some(&state)).await;
    assert!(!r.ok());
    assert!(
        has(&r, "entry 3: its stored details do not match"),
        "{:?}",
        r.problems
    );
    assert!(r.new_state.is_none(), "a failed audit saves no state");
}

#[tokio::test]
async fn an_auditor_catches_hidden_details_like_minlog() {
    let h = start().await;
    let state = h.audited().await;
    h.tamper("DELETE FROM log_entries WHERE idx = 1").await;
    let r = h.audit(Some(&state)).await;
    assert!(
        has(
            &r,
            "entry 1: its details were deleted without a retention tombstone"
        ),
        "{:?}",
        r.problems
    );
    // The citizen's page warns too.
    let ola = h.citizen(&h.ola).await;
    let page: Value = ola
        .get(format!("{}/api/v1/me/access-log", h.base))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(page["missing_details"], 1);
    let html = ola
        .get(format!("{}/me/access-log", h.base))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("data-testid=\"missing-details\""));
}

#[tokio::test]
async fn an_auditor_catches_a_deleted_leaf() {
    let h = start().await;
    let state = h.audited().await;
    h.tamper(
        "DELETE FROM log_nodes WHERE level = 0 AND idx = 2; DELETE FROM log_entries WHERE idx = 2",
    )
    .await;
    let r = h.audit(Some(&state)).await;
    assert!(
        has(&r, "entries 2..3 are missing from the log"),
        "{:?}",
        r.problems
    );
}

#[tokio::test]
async fn an_auditor_catches_reordered_entries() {
    let h = start().await;
    let state = h.audited().await;
    // Swap leaves 1 and 4 together with their details.
    h.tamper(
        "UPDATE log_nodes SET idx = 100 WHERE level = 0 AND idx = 1; \
         UPDATE log_nodes SET idx = 1 WHERE level = 0 AND idx = 4; \
         UPDATE log_nodes SET idx = 4 WHERE level = 0 AND idx = 100; \
         UPDATE log_entries SET idx = 100 WHERE idx = 1; \
         UPDATE log_entries SET idx = 1 WHERE idx = 4; \
         UPDATE log_entries SET idx = 4 WHERE idx = 100",
    )
    .await;
    let r = h.audit(Some(&state)).await;
    assert!(
        has(&r, "the leaves do not hash to the signed root"),
        "{:?}",
        r.problems
    );
}

#[tokio::test]
async fn an_auditor_catches_a_truncated_log() {
    let h = start().await;
    let state = h.audited().await;
    // Cut the log back to 3 entries, checkpoints and all, and let the
    // server sign the shorter log as if nothing happened.
    h.tamper(
        "DELETE FROM log_nodes WHERE level = 0 AND idx >= 3; \
         DELETE FROM log_nodes WHERE level = 1 AND idx >= 1; \
         DELETE FROM log_nodes WHERE level = 2; \
         DELETE FROM log_entries WHERE idx >= 3; \
         DELETE FROM log_checkpoints; \
         UPDATE log_head SET size = 3",
    )
    .await;
    let r = h.audit(Some(&state)).await;
    assert!(has(&r, "the log shrank"), "{:?}", r.problems);
    assert_eq!(r.size, 3);
}

#[tokio::test]
async fn a_truncated_log_with_its_checkpoints_left_is_caught_and_not_re_signed() {
    let h = start().await;
    let state = h.audited().await;
    h.tamper("DELETE FROM log_nodes WHERE level = 0 AND idx >= 4; DELETE FROM log_entries WHERE idx >= 4; UPDATE log_head SET size = 4")
        .await;
    let r = h.audit(Some(&state)).await;
    assert!(
        has(&r, "the log holds 4 entries but the checkpoint signs 6"),
        "{:?}",
        r.problems
    );
    // A fresh auditor sees the same.
    let fresh = h.audit(None).await;
    assert!(!fresh.ok());
}

#[tokio::test]
async fn the_log_works_on_postgres() {
    let Some(url) = samlet_store::testing::fresh_postgres_database("tlog").await else {
        return;
    };
    let h = start_on(url, tempfile::tempdir().expect("tempdir")).await;
    let state = h.audited().await;
    h.six_reads().await;
    let r = h.audit(Some(&state)).await;
    assert!(r.ok(), "{:?}", r.problems);
    assert_eq!(r.size, 12);
    let kari = h.citizen(&h.kari).await;
    let page: Value = kari
        .get(format!("{}/api/v1/me/access-log", h.base))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let entries = page["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 6);
    assert!(entries.iter().all(|e| e["verified"] == true), "{page}");
}
