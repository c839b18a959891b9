//! Registered sharing bases, end to end on the real server: the operator
//! registers "NAV may read Skatteetaten's cases to assess sick pay, under
//! folketrygdloven § 8-28", Skatteetaten accepts it, NAV reads Kari's
//! overview naming the basis and gets Skatteetaten's cases (and nothing
//! else of theirs), and Kari's access log says so in plain words. Without a
//! valid basis or consent every read is the reader's own items only.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate, Utc};
use proptest::prelude::*;
use samlet_domain::Pid;
use samlet_store::{AccessLogFilter, NewConsentRequest, NewSharingBasis};
use serde_json::{json, Value};

use crate::helpers::{person, problem, Agency, TestApp};

const PURPOSE: &str = "vurdere sykepenger";
const LAW: &str = "folketrygdloven § 8-28";

struct World {
    app: TestApp,
    nav: Agency,
    skatt: Agency,
    kommune: Agency,
    kari: Pid,
}

async fn world_on(app: TestApp) -> World {
    let nav = app.agency("88964078", "NAV").await;
    let skatt = app.agency("97476107", "Skatteetaten").await;
    let kommune = app.agency("96433853", "Oslo kommune").await;
    let kari = person(41);
    for (a, prefix) in [(&nav, "NAV"), (&skatt, "SKATT"), (&kommune, "OSLO")] {
        let p = kari.as_str();
        let r = app
            .post_json(
                a,
                "/api/v1/cases",
                &json!({"pid": p, "case_id": format!("{prefix}-1"), "title": "Sak", "status": "received"}),
            )
            .await;
        assert_eq!(r.status(), 200);
        let r = app
            .post_json(
                a,
                "/api/v1/messages",
                &json!({"pid": p, "message_id": format!("{prefix}-M"), "subject": "Brev", "body": "Innhold"}),
            )
            .await;
        assert_eq!(r.status(), 200);
    }
    World {
        app,
        nav,
        skatt,
        kommune,
        kari,
    }
}

async fn world() -> World {
    world_on(TestApp::spawn().await).await
}

fn today() -> NaiveDate {
    (Utc::now() + Duration::hours(1)).date_naive()
}

impl World {
    async fn register(&self, reader: &Agency, holder: &Agency, category: &str) -> String {
        let id = format!("sb_{:032x}", rand::random::<u128>());
        self.app
            .store
            .insert_sharing_basis(
                &NewSharingBasis {
                    id: id.clone(),
                    reader_org: reader.org.clone(),
                    holder_org: holder.org.clone(),
                    category: category.into(),
                    purpose: PURPOSE.into(),
                    legal_basis: LAW.into(),
                    legal_ref: None,
                    valid_from: today() - Duration::days(1),
                    valid_to: Some(today() + Duration::days(30)),
                    created_by: "operator".into(),
                },
                Utc::now(),
            )
            .await
            .expect("register");
        id
    }

    async fn act(&self, who: &Agency, id: &str, what: &str) -> reqwest::Response {
        self.app
            .http
            .post(self.app.url(&format!("/api/v1/sharing-bases/{id}/{what}")))
            .bearer_auth(&who.token)
            .send()
            .await
            .expect("request")
    }

    async fn read(&self, who: &Agency, basis: Option<&str>, purpose: &str) -> reqwest::Response {
        let mut r = self
            .app
            .http
            .get(
                self.app
                    .url(&format!("/api/v1/persons/{}/overview", self.kari)),
            )
            .bearer_auth(&who.token)
            .header("Samlet-Purpose", purpose)
            .header("Samlet-Legal-Basis", LAW);
        if let Some(b) = basis {
            r = r.header("Samlet-Basis", b);
        }
        r.send().await.expect("read")
    }

    async fn read_json(&self, who: &Agency, basis: Option<&str>, purpose: &str) -> Value {
        let res = self.read(who, basis, purpose).await;
        assert_eq!(res.status(), 200);
        let scope = res
            .headers()
            .get("samlet-scope")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let v: Value = res.json().await.expect("json");
        assert_eq!(v["scope"], scope, "header and body agree");
        v
    }

    /// Kari's access-log entries, oldest first, as stored.
    async fn log(&self) -> Vec<Value> {
        let rows = self
            .app
            .store
            .log_entries_for(
                self.kari.as_str(),
                &AccessLogFilter {
                    agency_org: None,
                    from: None,
                    to: None,
                    offset: 0,
                    limit: 1000,
                },
            )
            .await
            .expect("log");
        let mut v: Vec<Value> = rows
            .iter()
            .map(|r| serde_json::from_str(&r.body).expect("entry"))
            .collect();
        v.reverse();
        v
    }
}

/// (agency org, item kind) pairs of an overview, e.g. ("…", "cases").
fn seen(v: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for kind in ["cases", "deadlines", "benefits", "messages"] {
        for item in v[kind].as_array().into_iter().flatten() {
            out.insert((
                item["agency"]["org"].as_str().unwrap_or("").to_owned(),
                kind.to_owned(),
            ));
        }
    }
    out
}

fn own(a: &Agency) -> BTreeSet<(String, String)> {
    ["cases", "messages"]
        .iter()
        .map(|k| (a.org.clone(), (*k).to_owned()))
        .collect()
}

#[tokio::test]
async fn nav_reads_skatteetatens_cases_under_an_accepted_basis_and_kari_sees_it_in_plain_words() {
    let w = world().await;
    let id = w.register(&w.nav, &w.skatt, "cases").await;

    // Before Skatteetaten accepts: NAV's own items only, and it says why.
    let v = w.read_json(&w.nav, Some(&id), PURPOSE).await;
    assert_eq!(v["scope"], "own-items");
    assert_eq!(seen(&v), own(&w.nav));
    assert_eq!(v["refused"][0]["reason"], "basis-not-accepted");
    assert!(v["note"].as_str().is_some_and(|n| n.contains("own items")));

    // Only the holder accepts: the reader is told no, a third agency learns nothing.
    problem(w.act(&w.nav, &id, "accept").await, 403).await;
    let p = problem(w.act(&w.kommune, &id, "accept").await, 404).await;
    let unknown = problem(w.act(&w.kommune, "sb_nope", "accept").await, 404).await;
    assert_eq!(
        p["detail"], unknown["detail"],
        "same answer as for no basis at all"
    );

    let listed: Value = w
        .app
        .http
        .get(w.app.url("/api/v1/sharing-bases"))
        .bearer_auth(&w.skatt.token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    assert_eq!(listed["bases"][0]["id"], id.as_str());
    assert_eq!(listed["bases"][0]["status"], "pending");
    let third: Value = w
        .app
        .http
        .get(w.app.url("/api/v1/sharing-bases"))
        .bearer_auth(&w.kommune.token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    assert_eq!(third["bases"], json!([]), "a third agency sees none");

    let res = w.act(&w.skatt, &id, "accept").await;
    assert_eq!(res.status(), 200);
    let b: Value = res.json().await.expect("json");
    assert_eq!(b["status"], "accepted");
    problem(w.act(&w.skatt, &id, "accept").await, 409).await;

    let before = w.log().await.len();
    let v = w.read_json(&w.nav, Some(&id), PURPOSE).await;
    assert_eq!(v["scope"], "shared");
    let mut want = own(&w.nav);
    want.insert((w.skatt.org.clone(), "cases".into()));
    assert_eq!(seen(&v), want, "Skatteetaten's cases, not its messages");
    assert_eq!(v["shared"][0]["id"], id.as_str());
    let log = w.log().await;
    assert_eq!(log.len(), before + 1, "one read, one entry");
    let entry = &log[log.len() - 1];
    assert_eq!(entry["shared"][0]["id"], id.as_str());
    assert_eq!(entry["shared"][0]["under"], "basis");
    assert_eq!(entry["shared"][0]["holder_org"], w.skatt.org.as_str());
    assert_eq!(entry["shared"][0]["category"], "cases");
    assert_eq!(entry["shared"][0]["legal_basis"], LAW);

    // Kari's log in plain words, in English and on the bokmål page.
    let cookie = w.app.login(&w.kari).await;
    let page: Value = w
        .app
        .http
        .get(w.app.url("/api/v1/me/access-log"))
        .header("cookie", &cookie)
        .header("accept-language", "en")
        .send()
        .await
        .expect("log")
        .json()
        .await
        .expect("json");
    let texts: Vec<String> = page["entries"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|e| e["shared_text"].as_array().cloned().unwrap_or_default())
        .filter_map(|t| t.as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        texts,
        vec![format!(
            "NAV read your cases from Skatteetaten for the purpose “{PURPOSE}”, under {LAW}."
        )]
    );
    let html = w
        .app
        .get_as(&cookie, "/me/access-log")
        .await
        .text()
        .await
        .expect("html");
    assert!(
        html.contains(&format!(
            "NAV leste sakene dine fra Skatteetaten for formålet «{PURPOSE}», med hjemmel i {LAW}."
        )),
        "the bokmål page says it in plain words"
    );

    // Revoked by the holder: own items again, at once.
    problem(w.act(&w.nav, &id, "revoke").await, 403).await;
    assert_eq!(w.act(&w.skatt, &id, "revoke").await.status(), 200);
    let v = w.read_json(&w.nav, Some(&id), PURPOSE).await;
    assert_eq!(v["scope"], "own-items");
    assert_eq!(seen(&v), own(&w.nav));
    assert_eq!(v["refused"][0]["reason"], "basis-revoked");
    let log = w.log().await;
    assert!(
        log[log.len() - 1].get("shared").is_none(),
        "an own-items read names no basis"
    );
}

#[tokio::test]
async fn outside_its_days_for_another_purpose_or_by_another_reader_a_basis_gives_own_items_only() {
    let w = world().await;
    let id = w.register(&w.nav, &w.skatt, "cases").await;
    assert_eq!(w.act(&w.skatt, &id, "accept").await.status(), 200);

    let v = w
        .read_json(&w.nav, Some(&id), "kontroll av skattemelding")
        .await;
    assert_eq!(
        (v["scope"].as_str(), seen(&v)),
        (Some("own-items"), own(&w.nav))
    );
    assert_eq!(v["refused"][0]["reason"], "basis-purpose-mismatch");

    let v = w.read_json(&w.kommune, Some(&id), PURPOSE).await;
    assert_eq!(
        (v["scope"].as_str(), seen(&v)),
        (Some("own-items"), own(&w.kommune))
    );
    assert_eq!(
        v["refused"][0]["reason"], "basis-unknown",
        "another reader learns nothing"
    );

    let v = w.read_json(&w.nav, None, PURPOSE).await;
    assert_eq!(
        (v["scope"].as_str(), seen(&v)),
        (Some("own-items"), own(&w.nav))
    );

    for (from, to, reason) in [
        (1, Some(10), "basis-not-yet-valid"),
        (-10, Some(-1), "basis-expired"),
    ] {
        let id = format!("sb_{:032x}", rand::random::<u128>());
        w.app
            .store
            .insert_sharing_basis(
                &NewSharingBasis {
                    id: id.clone(),
                    reader_org: w.nav.org.clone(),
                    holder_org: w.skatt.org.clone(),
                    category: "messages".into(),
                    purpose: PURPOSE.into(),
                    legal_basis: LAW.into(),
                    legal_ref: None,
                    valid_from: today() + Duration::days(from),
                    valid_to: to.map(|t| today() + Duration::days(t)),
                    created_by: "operator".into(),
                },
                Utc::now() - Duration::days(20),
            )
            .await
            .expect("register");
        assert_eq!(w.act(&w.skatt, &id, "accept").await.status(), 200);
        let v = w.read_json(&w.nav, Some(&id), PURPOSE).await;
        assert_eq!(
            (v["scope"].as_str(), seen(&v)),
            (Some("own-items"), own(&w.nav))
        );
        assert_eq!(v["refused"][0]["reason"], reason);
    }

    let p = problem(w.read(&w.nav, Some("sb_1; DROP"), PURPOSE).await, 400).await;
    assert_eq!(p["pointer"], "/headers/samlet-basis");
}

#[tokio::test]
async fn bases_work_the_same_on_postgres() {
    let Some(app) = TestApp::builder().postgres().try_spawn().await else {
        return;
    };
    let w = world_on(app).await;
    let id = w.register(&w.nav, &w.skatt, "messages").await;
    assert_eq!(w.act(&w.skatt, &id, "accept").await.status(), 200);
    let v = w.read_json(&w.nav, Some(&id), PURPOSE).await;
    let mut want = own(&w.nav);
    want.insert((w.skatt.org.clone(), "messages".into()));
    assert_eq!(seen(&v), want);
    assert_eq!(v["total_messages"], 2, "counts only what NAV may see");
}

/// One random situation: bases between the three agencies with random
/// acceptance, revocation, days and purposes, an optional consent, then one
/// read by a random agency naming random bases.
/// Reader, holder, category, accepted, revoked, first day (from today),
/// length in days, and whether the id is named correctly.
type BasisSpec = (usize, usize, usize, bool, bool, i64, i64, bool);

#[derive(Debug, Clone)]
struct Case {
    bases: Vec<BasisSpec>,
    consent: Option<(usize, usize, usize, bool)>,
    reader: usize,
    named: Vec<usize>,
    right_purpose: bool,
}

const CATS: [&str; 2] = ["cases", "messages"];

fn arb_case() -> impl Strategy<Value = Case> {
    (
        proptest::collection::vec(
            (
                0usize..3,
                0usize..3,
                0usize..2,
                any::<bool>(),
                any::<bool>(),
                -3i64..2,
                -1i64..3,
                any::<bool>(),
            ),
            0..4,
        ),
        proptest::option::of((0usize..3, 0usize..3, 0usize..2, any::<bool>())),
        0usize..3,
        proptest::collection::vec(0usize..5, 0..3),
        any::<bool>(),
    )
        .prop_map(|(bases, consent, reader, named, right_purpose)| Case {
            bases,
            consent,
            reader,
            named,
            right_purpose,
        })
}

/// No cross-agency read gets through without a valid consent or an
/// accepted registered basis, and each read leaves exactly one access-log
/// entry naming exactly the bases and consents it used.
#[test]
fn no_cross_agency_read_succeeds_without_a_valid_consent_or_an_accepted_basis() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let w = rt.block_on(world());
    let agencies = [&w.nav, &w.skatt, &w.kommune];
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 40,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let result = runner.run(&arb_case(), |c| {
        rt.block_on(async {
            let mut ids = Vec::new();
            let mut allowed = BTreeSet::new();
            let mut via_basis = BTreeSet::new();
            for &(r, h, cat, accept, revoke, from, len, id_known) in &c.bases {
                if r == h {
                    continue;
                }
                let id = format!("sb_{:032x}", rand::random::<u128>());
                let from_day = today() + Duration::days(from);
                w.app
                    .store
                    .insert_sharing_basis(
                        &NewSharingBasis {
                            id: id.clone(),
                            reader_org: agencies[r].org.clone(),
                            holder_org: agencies[h].org.clone(),
                            category: CATS[cat].into(),
                            purpose: PURPOSE.into(),
                            legal_basis: LAW.into(),
                            legal_ref: None,
                            valid_from: from_day,
                            valid_to: Some(from_day + Duration::days(len.max(0))),
                            created_by: "prop".into(),
                        },
                        Utc::now() - Duration::days(10),
                    )
                    .await
                    .expect("register");
                if accept {
                    assert_eq!(w.act(agencies[h], &id, "accept").await.status(), 200);
                }
                if revoke {
                    assert_eq!(w.act(agencies[h], &id, "revoke").await.status(), 200);
                }
                let valid = accept
                    && !revoke
                    && from_day <= today()
                    && today() <= from_day + Duration::days(len.max(0))
                    && r == c.reader
                    && c.right_purpose;
                ids.push((id, valid, h, cat, id_known));
            }
            // Consents are per (reader, person); a fresh random one each case
            // would pile up, so each case uses its own consent id and revokes it after.
            let mut consent_id = None;
            if let Some((req, from, cat, approve)) = c.consent {
                if req != from {
                    let id = format!("c_{:032x}", rand::random::<u128>());
                    w.app
                        .store
                        .insert_consent_request(
                            &NewConsentRequest {
                                id: id.clone(),
                                subject_pid: w.kari.to_string(),
                                requester_id: agencies[req].id,
                                requester_org: agencies[req].org.clone(),
                                requester_name: "x".into(),
                                from_org: agencies[from].org.clone(),
                                from_name: "y".into(),
                                categories: vec![CATS[cat].into()],
                                purpose: PURPOSE.into(),
                                valid_to: Utc::now() + Duration::days(5),
                            },
                            Utc::now(),
                        )
                        .await
                        .expect("consent");
                    if approve {
                        assert!(w
                            .app
                            .store
                            .answer_consent(
                                &id,
                                w.kari.as_str(),
                                samlet_store::ConsentAnswer::Approve,
                                Utc::now()
                            )
                            .await
                            .expect("answer"));
                        if req == c.reader {
                            allowed.insert((agencies[from].org.clone(), CATS[cat].to_owned()));
                        }
                    }
                    consent_id = Some(id);
                }
            }
            let mut named = Vec::new();
            for &n in &c.named {
                match ids.get(n) {
                    Some((id, valid, h, cat, _)) => {
                        named.push(id.clone());
                        if *valid {
                            allowed.insert((agencies[*h].org.clone(), CATS[*cat].to_owned()));
                            via_basis.insert(id.clone());
                        }
                    }
                    None => named.push(format!("sb_unknown{n}")),
                }
            }
            let reader = agencies[c.reader];
            let purpose = if c.right_purpose {
                PURPOSE
            } else {
                "noe annet"
            };
            let before = w.log().await.len();
            let header = named.join(",");
            let v = w
                .read_json(
                    reader,
                    (!named.is_empty()).then_some(header.as_str()),
                    purpose,
                )
                .await;
            let others: BTreeSet<_> = seen(&v)
                .into_iter()
                .filter(|(org, _)| org != &reader.org)
                .collect();
            let mut want = allowed.clone();
            want.retain(|(org, _)| org != &reader.org);
            assert_eq!(others, want, "exactly what a valid basis or consent allows");
            assert_eq!(
                seen(&v).iter().filter(|(o, _)| o == &reader.org).count(),
                2,
                "its own items"
            );
            let log = w.log().await;
            assert_eq!(log.len(), before + 1, "exactly one entry per read");
            let entry = &log[log.len() - 1];
            let named_in_log: BTreeSet<String> = entry["shared"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|s| s["under"] == "basis")
                .filter_map(|s| s["id"].as_str().map(str::to_owned))
                .collect();
            assert_eq!(named_in_log, via_basis, "the entry names the bases used");
            assert_eq!(
                v["scope"],
                if want.is_empty() {
                    "own-items"
                } else {
                    "shared"
                }
            );
            // Leave no fact behind for the next case.
            for (id, ..) in &ids {
                let _ = w
                    .app
                    .store
                    .revoke_sharing_basis(id, None, "prop", Utc::now())
                    .await;
            }
            if let Some(id) = consent_id {
                let _ = w
                    .app
                    .store
                    .revoke_consent(&id, w.kari.as_str(), Utc::now())
                    .await;
            }
        });
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}
