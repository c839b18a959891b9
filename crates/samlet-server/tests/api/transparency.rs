//! The transparency log end to end: the real server on a loopback port,
//! agencies reading through the API, Kari reading her access log, and an
//! auditor running the verify code while someone tampers with the rows.

use chrono::Utc;
use samlet_domain::{CaseStatus, Pid, ValidCase};
use samlet_log_api::audit::{audit, AuditOptions, AuditReport, AuditState};
use samlet_store::{conformance, Item};
use serde_json::Value;
use sqlx::{Connection, SqliteConnection};

use crate::helpers::TestApp;

struct Harness {
    app: TestApp,
    nav_token: String,
    kari: Pid,
    ola: Pid,
}

async fn start() -> Harness {
    start_on(TestApp::spawn().await).await
}

/// NAV with a dev token, and a case of Kari's.
async fn start_on(app: TestApp) -> Harness {
    let nav = app.agency("88964078", "NAV").await;
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
    app.store.ingest(nav.id, vec![case]).await.expect("ingest");
    Harness {
        app,
        nav_token: nav.token,
        kari,
        ola,
    }
}

impl Harness {
    /// NAV reads a person's overview with a purpose and legal basis.
    async fn nav_reads(&self, pid: &Pid) -> reqwest::Response {
        reqwest::Client::new()
            .get(format!("{}/api/v1/persons/{pid}/overview", self.app.base))
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

    /// A full audit: every leaf re-read.
    async fn audit(&self, state: Option<&AuditState>) -> AuditReport {
        self.audit_with(state, true, 0).await
    }

    /// An incremental audit from `state`, spot-checking `sample` old leaves.
    async fn audit_new(&self, state: &AuditState, sample: u32) -> AuditReport {
        self.audit_with(Some(state), false, sample).await
    }

    async fn audit_with(&self, state: Option<&AuditState>, full: bool, sample: u32) -> AuditReport {
        audit(
            &reqwest::Client::new(),
            &self.app.base,
            None,
            state,
            AuditOptions { full, sample },
        )
        .await
        .expect("audit ran")
    }

    /// The retention process, expiring everything logged so far.
    async fn expire_all(&self) -> samlet_app::transparency::log::Expired {
        samlet_app::transparency::log::expire(
            self.app.store.as_ref(),
            Utc::now() + chrono::Duration::seconds(1),
            Utc::now(),
        )
        .await
        .expect("expire")
    }

    async fn tamper(&self, sql: &str) {
        let mut conn = SqliteConnection::connect(&self.app.db_url)
            .await
            .expect("direct connection");
        for stmt in sql.split(';').filter(|s| !s.trim().is_empty()) {
            sqlx::query(stmt)
                .execute(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("{stmt}: {e}"));
        }
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
    let url = format!("{}/api/v1/persons/{}/overview", h.app.base, h.kari);
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
        h.app.store.log_size().await.expect("size"),
        0,
        "refused reads are not data reads"
    );

    // A token without samlet:read is refused too.
    let nav = h
        .app
        .store
        .agency_by_org(&conformance::org("88964078"))
        .await
        .expect("lookup")
        .expect("nav");
    let write_only = h.app.dev_token(nav.id, "samlet:write").await;
    let res = client
        .get(&url)
        .bearer_auth(&write_only)
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
        h.app.store.log_size().await.expect("size"),
        1,
        "the read was logged"
    );
}

#[tokio::test]
async fn kari_sees_who_looked_at_her_data_each_entry_verified() {
    let h = start().await;
    h.six_reads().await;
    let kari = h.app.citizen(&h.kari).await;
    let page: Value = kari
        .get(format!("{}/api/v1/me/access-log", h.app.base))
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
        .get(format!(
            "{}/api/v1/me/access-log?agency=974761076",
            h.app.base
        ))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(other["entries"].as_array().map(Vec::len), Some(0));
    let p1: Value = kari
        .get(format!("{}/api/v1/me/access-log?per_page=2", h.app.base))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(p1["entries"].as_array().map(Vec::len), Some(2));
    assert_eq!(p1["next_page"], 2);
    let future: Value = kari
        .get(format!(
            "{}/api/v1/me/access-log?from=2999-01-01",
            h.app.base
        ))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(future["entries"].as_array().map(Vec::len), Some(0));
    let bad = kari
        .get(format!(
            "{}/api/v1/me/access-log?from=yesterday",
            h.app.base
        ))
        .send()
        .await
        .expect("get");
    assert_eq!(bad.status(), 422);

    // The page, in bokmål and English.
    let html = kari
        .get(format!("{}/me/access-log", h.app.base))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("Hvem har sett på dataene mine"));
    assert_eq!(html.matches("Bekreftet i den offentlige loggen").count(), 3);
    let en = kari
        .get(format!("{}/me/access-log", h.app.base))
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
        .get(format!("{}/api/v1/me/access-log", h.app.base))
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
        .get(format!("{}/log/checkpoint", h.app.base))
        .send()
        .await
        .expect("cp")
        .text()
        .await
        .expect("text");
    assert!(cp.starts_with("samlet.example/log\n6\n"), "{cp}");
    assert!(cp.contains("\n— samlet.example/log "), "signed note: {cp}");
    let leaves = c
        .get(format!("{}/log/leaves", h.app.base))
        .send()
        .await
        .expect("leaves")
        .text()
        .await
        .expect("text");
    assert!(!leaves.contains(h.kari.as_str()) && !leaves.contains("NAV"));
    let p: Value = c
        .get(format!("{}/log/proof/inclusion?index=2&size=6", h.app.base))
        .send()
        .await
        .expect("inclusion")
        .json()
        .await
        .expect("json");
    assert_eq!(p["proof"].as_array().map(Vec::len), Some(3));
    let bad = c
        .get(format!(
            "{}/log/proof/inclusion?index=9&size=60",
            h.app.base
        ))
        .send()
        .await
        .expect("inclusion");
    assert_eq!(bad.status(), 400);
}

#[tokio::test]
async fn a_second_audit_reads_only_the_new_leaves() {
    let h = start().await;
    let state = h.audited().await;
    assert_eq!(state.frontier.len(), 2, "6 = 4 + 2: two subtree roots kept");
    h.six_reads().await;
    let r = h.audit_new(&state, 0).await;
    assert!(r.ok(), "growth is consistent: {:?}", r.problems);
    assert!(!r.full);
    assert_eq!(r.size, 12);
    assert_eq!(r.key_source, "state file");
    assert_eq!(r.leaves_read, 6, "only leaves 6..12 were fetched");
    assert_eq!(r.leaves_checked, 6);
    // Nothing new: nothing read but the sample.
    let state = r.new_state.expect("state");
    let again = h.audit_new(&state, 3).await;
    assert!(again.ok(), "{:?}", again.problems);
    assert_eq!(again.leaves_checked, 0);
    assert_eq!(again.leaves_read, 3, "three old leaves spot-checked");
    // A state file from before frontiers existed falls back to a full read.
    let old_style = AuditState {
        frontier: Vec::new(),
        ..state.clone()
    };
    let full = h.audit_new(&old_style, 0).await;
    assert!(full.ok() && full.full && full.leaves_read == 12, "{full:?}");
}

#[tokio::test]
async fn retention_is_committed_to_the_log_and_audited() {
    let h = start().await;
    let state = h.audited().await;
    h.six_reads().await;
    let expired = h.expire_all().await;
    assert_eq!(expired.entries, 12);
    assert_eq!(expired.record_index, Some(12));
    assert_eq!(expired.expire_before, 12);
    assert_eq!(
        h.expire_all().await.record_index,
        None,
        "nothing left to expire: no record"
    );
    let r = h.audit_new(&state, 6).await;
    assert!(r.ok(), "legitimate retention verifies: {:?}", r.problems);
    assert_eq!(r.size, 13, "the retention record is a leaf");
    assert_eq!(r.expire_before, 12);
    assert_eq!(r.tombstones, 6, "new leaves 6..12 were expired");
    let full = h.audit(None).await;
    assert!(full.ok(), "{:?}", full.problems);
    assert_eq!(full.tombstones, 12);
    assert_eq!(full.expire_before, 12);

    // The record is public: its leaf data says what expired.
    let leaves: Value = reqwest::get(format!("{}/log/leaves?start=12", h.app.base))
        .await
        .expect("leaves")
        .json()
        .await
        .expect("json");
    assert_eq!(leaves["leaves"][0]["details"], "retention");
    let data = leaves["leaves"][0]["data"].as_str().expect("data");
    let text = String::from_utf8(unhex(data)).expect("utf8");
    assert!(
        text.starts_with("samlet-retention/v1\n{\"expire_before\":12,"),
        "{text}"
    );

    // Later accesses still verify incrementally, and a second retention run
    // only covers what is new.
    let state = r.new_state.expect("state");
    h.six_reads().await;
    let r = h.audit_new(&state, 4).await;
    assert!(r.ok(), "{:?}", r.problems);
    assert_eq!(r.leaves_checked, 6, "only the six new entries");
    let kari = h.app.citizen(&h.kari).await;
    let page: Value = kari
        .get(format!("{}/api/v1/me/access-log", h.app.base))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(page["entries"].as_array().map(Vec::len), Some(3));
    assert_eq!(page["missing_details"], 0);
}

#[tokio::test]
async fn a_forged_tombstone_is_told_apart_from_retention() {
    let h = start().await;
    let state = h.audited().await;
    // Someone with database access hides entry 2 as if it had expired.
    h.tamper(
        "INSERT INTO log_tombstones (idx, expired_at) VALUES (2, '2026-01-01T00:00:00Z'); \
         DELETE FROM log_entries WHERE idx = 2",
    )
    .await;
    let r = h.audit_new(&state, 0).await;
    assert!(
        has(&r, "old entries 0..6: 5 have details and 1 were expired"),
        "{:?}",
        r.problems
    );
    let full = h.audit(None).await;
    assert!(
        has(
            &full,
            "entry 2: its details were deleted, but no retention record"
        ),
        "{:?}",
        full.problems
    );
    let kari = h.app.citizen(&h.kari).await;
    let page: Value = kari
        .get(format!("{}/api/v1/me/access-log", h.app.base))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(page["missing_details"], 1, "the citizen's page warns too");

    // After a legitimate retention run, a tombstone above it is still caught.
    let expired = h.expire_all().await;
    assert_eq!(expired.expire_before, 6);
    h.six_reads().await;
    h.tamper(
        "INSERT INTO log_tombstones (idx, expired_at) VALUES (9, '2026-01-01T00:00:00Z'); \
         DELETE FROM log_entries WHERE idx = 9",
    )
    .await;
    let full = h.audit(None).await;
    assert!(
        has(
            &full,
            "entry 9: its details were deleted, but no retention record"
        ),
        "{:?}",
        full.problems
    );
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
    // An incremental run does not re-read old details; its sample does.
    let sampled = h.audit_new(&state, 6).await;
    assert!(
        has(&sampled, "entry 3: its stored details do not match"),
        "{:?}",
        sampled.problems
    );
}

#[tokio::test]
async fn an_auditor_catches_hidden_details_like_minlog() {
    let h = start().await;
    let state = h.audited().await;
    h.tamper("DELETE FROM log_entries WHERE idx = 1").await;
    let quick = h.audit_new(&state, 0).await;
    assert!(
        has(
            &quick,
            "old entries 0..6: 5 have details and 0 were expired"
        ),
        "an incremental run counts old details: {:?}",
        quick.problems
    );
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
    let ola = h.app.citizen(&h.ola).await;
    let page: Value = ola
        .get(format!("{}/api/v1/me/access-log", h.app.base))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(page["missing_details"], 1);
    let html = ola
        .get(format!("{}/me/access-log", h.app.base))
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
    assert!(!h.audit_new(&state, 0).await.ok(), "counted as hidden");
    assert!(
        has(
            &h.audit_new(&state, 6).await,
            "entry 2 is missing from the log"
        ),
        "the sample finds the gap"
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
    let sampled = h.audit_new(&state, 6).await;
    assert!(
        has(&sampled, "entry 1: its leaf is not in the signed tree"),
        "{:?}",
        sampled.problems
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
    assert!(has(&h.audit_new(&state, 0).await, "the log shrank"));
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
    // A fresh auditor sees the same; an incremental one counts it.
    let fresh = h.audit(None).await;
    assert!(!fresh.ok());
    assert!(
        has(
            &h.audit_new(&state, 0).await,
            "old entries 0..6: 4 have details"
        ),
        "incremental"
    );
}

#[tokio::test]
async fn the_log_works_on_postgres() {
    let Some(app) = TestApp::builder().postgres().try_spawn().await else {
        return;
    };
    let h = start_on(app).await;
    let state = h.audited().await;
    h.six_reads().await;
    let r = h.audit_new(&state, 6).await;
    assert!(r.ok(), "{:?}", r.problems);
    assert_eq!(r.size, 12);
    let expired = h.expire_all().await;
    assert_eq!(expired.entries, 12);
    let r = h.audit_new(&r.new_state.expect("state"), 6).await;
    assert!(r.ok(), "{:?}", r.problems);
    assert_eq!(r.expire_before, 12);
    let tile = reqwest::get(format!("{}/log/tile/entries/000.p/13", h.app.base))
        .await
        .expect("bundle");
    assert_eq!(tile.status(), 200);
    let kari = h.app.citizen(&h.kari).await;
    let page: Value = kari
        .get(format!("{}/api/v1/me/access-log", h.app.base))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let entries = page["entries"].as_array().expect("entries");
    assert!(entries.is_empty(), "all expired: {page}");
    h.six_reads().await;
    let page: Value = kari
        .get(format!("{}/api/v1/me/access-log", h.app.base))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let entries = page["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 3);
    assert!(entries.iter().all(|e| e["verified"] == true), "{page}");
    assert_eq!(page["missing_details"], 0);
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

async fn get_bytes(url: String) -> (u16, Vec<u8>) {
    let res = reqwest::get(url).await.expect("get");
    let status = res.status().as_u16();
    (status, res.bytes().await.expect("body").to_vec())
}

fn hashes(bytes: &[u8]) -> Vec<samlet_merkle::Hash> {
    samlet_merkle::tiles::parse_tile(bytes).expect("a tile is whole hashes")
}

#[tokio::test]
async fn the_log_is_served_as_tlog_tiles() {
    use samlet_merkle::{leaf_hash, root_from_leaf_hashes, tiles::decode_entry_bundle};
    let h = start().await;
    // 600 accesses straight through the server's appender (batched), then
    // a retention record: 601 leaves, 2 full level-0 tiles and one of 89.
    let signer = samlet_merkle::SignerKey::generate("samlet.example/log").expect("key");
    let tlog = samlet_app::transparency::log::TransparencyLog::open(h.app.store.clone(), signer)
        .await
        .expect("log");
    let mut tasks = Vec::new();
    for i in 0..600u32 {
        let tlog = tlog.clone();
        let subject = h.kari.to_string();
        tasks.push(tokio::spawn(async move {
            tlog.append(samlet_app::transparency::entry::AccessEntry {
                v: 1,
                subject,
                accessor: samlet_app::transparency::entry::Accessor {
                    org: "889640782".into(),
                    name: "NAV".into(),
                    system: None,
                    role: None,
                },
                on_behalf_of: None,
                categories: vec!["cases".into()],
                purpose: "Test".into(),
                legal_basis: "Lov".into(),
                legal_basis_ref: None,
                at: Utc::now(),
                request_id: format!("r{i}"),
                shared: Vec::new(),
            })
            .await
            .expect("append")
        }));
    }
    for t in tasks {
        t.await.expect("task");
    }
    h.expire_all().await;
    let cp = reqwest::get(format!("{}/log/checkpoint", h.app.base))
        .await
        .expect("cp")
        .text()
        .await
        .expect("text");
    assert!(cp.starts_with("samlet.example/log\n601\n"), "{cp}");
    let b = |p: &str| format!("{}/log/{p}", h.app.base);

    // Level 0: leaf hashes; entry bundles hash to them (RFC 6962 leaves).
    let mut leaves = Vec::new();
    for (path, bundle, n) in [
        ("tile/0/000", "tile/entries/000", 256),
        ("tile/0/001", "tile/entries/001", 256),
        ("tile/0/002.p/89", "tile/entries/002.p/89", 89),
    ] {
        let (status, tile) = get_bytes(b(path)).await;
        assert_eq!((status, tile.len()), (200, n * 32), "{path}");
        let (status, bytes) = get_bytes(b(bundle)).await;
        assert_eq!(status, 200, "{bundle}");
        let entries = decode_entry_bundle(&bytes).expect("bundle");
        let tile = hashes(&tile);
        assert_eq!(entries.len(), n);
        for (e, t) in entries.iter().zip(&tile) {
            assert_eq!(&leaf_hash(e), t, "{bundle}");
        }
        assert!(
            entries[..n - 1].iter().all(|e| e.len() == 32),
            "commitments"
        );
        leaves.extend(tile);
    }
    let last = decode_entry_bundle(&get_bytes(b("tile/entries/002.p/89")).await.1).expect("bundle");
    assert!(
        last[88].starts_with(b"samlet-retention/v1\n"),
        "the record is the last entry"
    );

    // Level 1: each hash is the root of a full level-0 tile.
    let (status, level1) = get_bytes(b("tile/1/000.p/2")).await;
    assert_eq!(status, 200);
    assert_eq!(
        hashes(&level1),
        vec![
            root_from_leaf_hashes(&leaves[..256]),
            root_from_leaf_hashes(&leaves[256..512])
        ]
    );
    let (_, narrower) = get_bytes(b("tile/0/002.p/10")).await;
    assert_eq!(
        hashes(&narrower),
        leaves[512..522].to_vec(),
        "a partial tile for an older size"
    );

    // The leaves hash to the signed root.
    let (cp, _) = samlet_merkle::open_checkpoint(
        cp.as_bytes(),
        "samlet.example/log",
        &samlet_merkle::VerifierKey::parse(
            reqwest::get(b("key"))
                .await
                .expect("key")
                .text()
                .await
                .expect("text")
                .trim(),
        )
        .expect("vkey"),
        &[],
    )
    .expect("checkpoint verifies");
    assert_eq!(root_from_leaf_hashes(&leaves), cp.root);

    // What the tree does not hold is 404, and so are non-canonical paths.
    for path in [
        "tile/0/002",
        "tile/0/002.p/90",
        "tile/1/000",
        "tile/1/000.p/3",
        "tile/2/000.p/1",
        "tile/0/x000/001",
        "tile/0/1",
        "tile/entries/003.p/1",
        "tile/x/000",
    ] {
        let res = reqwest::get(b(path)).await.expect("get");
        assert_eq!(res.status(), 404, "{path}");
        assert_eq!(
            res.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/problem+json"),
            "{path}"
        );
    }
    let res = reqwest::get(b("tile/0/000")).await.expect("get");
    assert_eq!(res.headers()["content-type"], "application/octet-stream");
    assert!(res.headers()["cache-control"]
        .to_str()
        .expect("ascii")
        .contains("immutable"));
}
