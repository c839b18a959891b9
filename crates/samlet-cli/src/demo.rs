//! `samlet demo`: the product on one machine in one command.
//!
//! Creates a SQLite database in the data dir with real Norwegian agencies,
//! synthetic persons and a believable month of public-sector life, then
//! serves it with dev login.

use std::net::SocketAddr;
use std::path::Path;

use anyhow::Context;
use chrono::{Duration, NaiveDate, Utc};
use samlet_domain::*;
use samlet_server::DemoPerson;
use samlet_server::{AppState, Config};
use samlet_store::{DoneBy, Item, Store, TokenKind};

/// Issue a dev token for an agency and return it (stored only as a hash). It
/// carries the scopes the agency holds now, never more.
pub async fn issue_dev_token(
    store: &dyn Store,
    agency: &samlet_store::Agency,
) -> anyhow::Result<String> {
    let token = samlet_app::auth::random_token("samlet_dev_");
    store
        .insert_agency_token(
            &samlet_app::auth::token_hash(&token),
            agency.id,
            TokenKind::Dev,
            agency.scopes,
            None,
        )
        .await?;
    Ok(token)
}

/// Who the demo's acts of authority are recorded as.
pub const DEMO_OPERATOR: &str = "samlet demo";

/// The roles demo agencies hold beyond their own items: the population
/// register (Folkeregisteret, run by Skatteetaten) feeds names and parental
/// relations; Oslo kommune asks citizens for consent to share; NAV's
/// caseworkers look up mandates to help people, and its strategy team runs
/// foresight evaluations (NAV's omverdensanalyse).
fn demo_grants(org: &str) -> ScopeSet {
    match org {
        "974761076" => [Scope::Population].into_iter().collect(),
        "958935420" => [Scope::Share].into_iter().collect(),
        "889640782" => [Scope::Support, Scope::Foresight].into_iter().collect(),
        _ => ScopeSet::EMPTY,
    }
}

pub const AGENCIES: [(&str, &str); 6] = [
    ("889640782", "NAV"),
    ("974761076", "Skatteetaten"),
    ("958935420", "Oslo kommune"),
    ("985399077", "Mattilsynet"),
    ("971032081", "Statens vegvesen"),
    ("960885406", "Lånekassen"),
];

pub struct Persona {
    pub name: &'static str,
    pub birth: (i32, u32, u32),
}

pub const PERSONAS: [Persona; 4] = [
    Persona {
        name: "Kari Nordmann",
        birth: (1988, 4, 12),
    },
    Persona {
        name: "Ola Nordmann",
        birth: (1959, 9, 30),
    },
    Persona {
        name: "Amir Haddad",
        birth: (1979, 2, 3),
    },
    Persona {
        name: "Emma Hansen",
        birth: (2009, 6, 1),
    },
];

pub fn persona_pid(p: &Persona) -> anyhow::Result<Pid> {
    let birth =
        NaiveDate::from_ymd_opt(p.birth.0, p.birth.1, p.birth.2).context("persona birth date")?;
    (100..1000)
        .find_map(|i| Pid::synthetic(birth, i))
        .context("no synthetic number for persona")
}

pub async fn run(listen: SocketAddr, data_dir: &Path) -> anyhow::Result<()> {
    // The demo logs anyone in as anyone: like --dev, only on this machine.
    if !listen.ip().is_loopback() {
        anyhow::bail!(
            "samlet demo cannot listen on {listen}: its dev login lets anyone log in as anyone, so it must not be reachable from another machine. Use --listen 127.0.0.1:PORT (or unset SAMLET_LISTEN)"
        );
    }
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("creating {}", data_dir.display()))?;
    let url = format!("sqlite://{}", data_dir.join("samlet.db").display());
    let store = samlet_store::connect(&url)
        .await
        .context("opening the demo database")?;
    let tokens_file = data_dir.join("dev-tokens.json");
    let fresh = store.list_agencies().await?.is_empty();
    if fresh {
        let tokens = seed(store.as_ref()).await?;
        std::fs::write(&tokens_file, serde_json::to_string_pretty(&tokens)?)?;
    }
    // Bound before the state is built and handed over: with port 0 the
    // printed URL (and the links the server makes) name the port it got.
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .with_context(|| format!("listening on {listen}"))?;
    let mut config = Config {
        public_url: format!("http://localhost:{}", listen.port()),
        ..Config::dev(listen, url)
    };
    let persons: Vec<DemoPerson> = PERSONAS
        .iter()
        .filter_map(|p| {
            persona_pid(p).ok().map(|pid| DemoPerson {
                pid: pid.to_string(),
                name: p.name.to_owned(),
            })
        })
        .collect();
    config.demo_persons = persons.clone();
    config.listening_at(listener.local_addr()?);
    let public_url = config.public_url.clone();
    let state = AppState::new(store, config).await?;
    if fresh {
        seed_life_events(&state).await?;
    }
    let tokens = std::fs::read_to_string(&tokens_file).unwrap_or_default();
    println!("\nSamlet demo is running. Open {public_url}/ in your browser.\n");
    println!("Log in as one of these synthetic persons (dev login):");
    for p in &persons {
        println!("  {:<15} {}", p.name, p.pid);
    }
    println!(
        "\nAgency API dev tokens are in {} :\n{tokens}",
        tokens_file.display()
    );
    println!("OpenAPI: {public_url}/api/openapi.json   Stop with Ctrl-C.");
    samlet_server::serve_on(listener, state).await
}

fn money(s: &str) -> anyhow::Result<Money> {
    Money::parse(s).map_err(|e| anyhow::anyhow!("{e}"))
}

fn nok() -> anyhow::Result<Currency> {
    Currency::parse("NOK").map_err(|e| anyhow::anyhow!("{e}"))
}

/// Fill an empty database with the demo world; returns the dev tokens.
pub async fn seed(store: &dyn Store) -> anyhow::Result<serde_json::Value> {
    let mut ids = std::collections::HashMap::new();
    let mut tokens = serde_json::Map::new();
    for (org, name) in AGENCIES {
        let o = OrgNumber::parse(org).map_err(|e| anyhow::anyhow!("{org}: {e}"))?;
        let (a, _) = samlet_app::authority::register_agency(
            store,
            &o,
            name,
            ScopeSet::NEW_AGENCY,
            DEMO_OPERATOR,
        )
        .await?;
        // Special roles are granted to the one authority that holds them,
        // each grant a record in the transparency log.
        let extra = demo_grants(org);
        let a = if extra.is_empty() {
            a
        } else {
            samlet_app::authority::grant(store, &o, extra, DEMO_OPERATOR)
                .await?
                .agency
        };
        tokens.insert(
            format!("{org} {name}"),
            serde_json::Value::String(issue_dev_token(store, &a).await?),
        );
        ids.insert(name, a.id);
    }
    let id = |n: &str| ids.get(n).copied().context("demo agency");
    let today = Utc::now().date_naive();
    let now = Utc::now();
    let day = |d: i64| today + Duration::days(d);
    let ago = |d: i64| now - Duration::days(d);
    let [kari, ola, amir, emma] = [0, 1, 2, 3].map(|i| persona_pid(&PERSONAS[i]));
    let (kari, ola, amir, emma) = (kari?, ola?, amir?, emma?);

    let case =
        |pid: &Pid, id: &str, title: &str, status: CaseStatus, service: &str, opened: i64| {
            Item::Case(ValidCase {
                pid: pid.clone(),
                case_id: id.into(),
                title: title.into(),
                status,
                service: Some(service.into()),
                opened_at: ago(opened),
                url: None,
            })
        };
    let status = |pid: &Pid, id: &str, status: CaseStatus, days_ago: i64, note: Option<&str>| {
        Item::Status(ValidStatus {
            pid: pid.clone(),
            case_id: id.into(),
            status,
            at: ago(days_ago),
            note: note.map(Into::into),
        })
    };
    let deadline = |pid: &Pid, id: &str, title: &str, due: NaiveDate, case_id: Option<&str>| {
        Item::Deadline(ValidDeadline {
            pid: pid.clone(),
            deadline_id: id.into(),
            title: title.into(),
            due: Due {
                date: due,
                at: None,
            },
            case_id: case_id.map(Into::into),
            url: None,
        })
    };
    let message = |pid: &Pid, id: &str, subject: &str, body: &str| {
        Item::Message(ValidMessage {
            pid: pid.clone(),
            message_id: id.into(),
            subject: subject.into(),
            body: body.into(),
        })
    };
    let benefit = |pid: &Pid,
                   id: &str,
                   name: &str,
                   amount: &str,
                   next: Option<NaiveDate>|
     -> anyhow::Result<Item> {
        Ok(Item::Benefit(ValidBenefit {
            pid: pid.clone(),
            benefit_id: id.into(),
            name: name.into(),
            amount: money(amount)?,
            currency: nok()?,
            next_payment: next,
        }))
    };
    let next_20th = {
        use chrono::Datelike;
        let this = NaiveDate::from_ymd_opt(today.year(), today.month(), 20).context("date")?;
        if this > today {
            this
        } else {
            this + chrono::Months::new(1)
        }
    };

    let batches: Vec<(&str, Vec<Item>)> = vec![
        (
            "NAV",
            vec![
                case(&kari, "DP-2026-00417", "Søknad om dagpenger", CaseStatus::Received, "dagpenger", 24),
                status(&kari, "DP-2026-00417", CaseStatus::InProgress, 20, None),
                status(&kari, "DP-2026-00417", CaseStatus::AwaitingCitizen, 6, Some("Vi trenger arbeidsavtalen din")),
                deadline(&kari, "DP-2026-00417-DOK", "Send arbeidsavtale til NAV", day(8), Some("DP-2026-00417")),
                deadline(&kari, "MK-2026-11", "Send meldekort", day(-2), None),
                benefit(&kari, "BT-kari", "Barnetrygd", "1766.00", Some(next_20th))?,
                message(&kari, "M-DP-1", "Vi har mottatt søknaden din om dagpenger", "Hei Kari,\n\nVi har mottatt søknaden din om dagpenger. Saksbehandlingstiden er nå om lag fire uker.\n\nHilsen NAV"),
                message(&kari, "M-DP-2", "Vi trenger mer informasjon", "Hei Kari,\n\nFor å behandle søknaden din trenger vi arbeidsavtalen fra den nye jobben din. Last den opp innen fristen.\n\nHilsen NAV"),
                case(&ola, "AP-2026-118", "Søknad om alderspensjon", CaseStatus::Received, "alderspensjon", 60),
                status(&ola, "AP-2026-118", CaseStatus::Decided, 30, Some("Innvilget fra 1. oktober")),
                benefit(&ola, "AP-ola", "Alderspensjon", "24817.00", Some(next_20th))?,
                message(&ola, "M-AP-1", "Vedtak om alderspensjon", "Hei Ola,\n\nDu har fått innvilget alderspensjon. Se vedtaket for beregningen.\n\nHilsen NAV"),
                case(&amir, "AAP-2025-9931", "Arbeidsavklaringspenger", CaseStatus::Received, "aap", 200),
                status(&amir, "AAP-2025-9931", CaseStatus::Decided, 150, None),
                benefit(&amir, "AAP-amir", "Arbeidsavklaringspenger", "11230.50", Some(day(9)))?,
                deadline(&amir, "MK-amir-2026-11", "Send meldekort", day(3), None),
            ],
        ),
        (
            "Skatteetaten",
            vec![
                deadline(&kari, "SKM-2025", "Kontroller og lever skattemeldingen for 2025", day(30), None),
                message(&kari, "SO-2025", "Skatteoppgjøret ditt er klart", "Hei,\n\nSkatteoppgjøret for 2025 er klart. Du får 4 312 kroner tilbake.\n\nHilsen Skatteetaten"),
                case(&amir, "MVA-REG-77", "Registrering i Merverdiavgiftsregisteret", CaseStatus::Received, "mva", 10),
                deadline(&amir, "MVA-T5", "Lever mva-melding for 5. termin", day(21), None),
            ],
        ),
        (
            "Oslo kommune",
            vec![
                case(&kari, "BHG-55120", "Søknad om barnehageplass", CaseStatus::Received, "barnehage", 40),
                status(&kari, "BHG-55120", CaseStatus::InProgress, 12, None),
                case(&amir, "SKJ-2026-401", "Søknad om skjenkebevilling", CaseStatus::Received, "skjenkebevilling", 14),
                status(&amir, "SKJ-2026-401", CaseStatus::InProgress, 7, Some("Sendt på høring til politiet")),
            ],
        ),
        (
            "Mattilsynet",
            vec![
                case(&amir, "MT-REG-2026-2211", "Registrering av næringsmiddelvirksomhet (restaurant)", CaseStatus::Received, "registrering", 12),
                deadline(&amir, "MT-IK-2211", "Ha internkontroll og HACCP-plan klar før åpning", day(14), Some("MT-REG-2026-2211")),
            ],
        ),
        (
            "Statens vegvesen",
            vec![deadline(&ola, "FK-ola", "Forny førerkortet (helseattest trengs fra 75 år)", day(45), None)],
        ),
        (
            "Lånekassen",
            vec![
                case(&emma, "LK-2026-3301", "Søknad om bostipend", CaseStatus::Received, "stipend", 5),
                message(&emma, "LK-M-1", "Husk å svare på søknaden", "Hei Emma,\n\nDu har en søknad som venter på deg. Logg inn for å fullføre.\n\nHilsen Lånekassen"),
            ],
        ),
    ];
    for (agency, items) in batches {
        let n = items.len();
        let verdicts = store.ingest(id(agency)?, items).await?;
        let ok = verdicts.iter().filter(|v| v.is_ok()).count();
        anyhow::ensure!(
            ok == n,
            "demo data for {agency}: {} of {n} items refused: {verdicts:?}",
            n - ok
        );
    }
    // Representation and consent.
    crate::demo_represent::seed(store).await?;
    Ok(serde_json::Value::Object(tokens))
}

/// Life events for the demo: Folkeregisteret reports that Kari had a baby three weeks ago (she gets
/// the new-parent checklist and a child benefit offer), that Amir moved to another municipality,
/// that Ola's wife died ten days ago (the losing-a-relative checklist and a funeral grant offer)
/// and that Amir started a restaurant (a checklist with questions only he can answer).
pub async fn seed_life_events(state: &AppState) -> anyhow::Result<()> {
    use samlet_app::journeys::{record_event, Event, Related};
    let org = OrgNumber::parse("974761076").map_err(|e| anyhow::anyhow!("{e}"))?;
    let folkeregisteret = state
        .store
        .agency_by_org(&org)
        .await?
        .context("the demo has Skatteetaten")?;
    let kari = persona_pid(&PERSONAS[0])?;
    let amir = persona_pid(&PERSONAS[2])?;
    let born = Utc::now().date_naive() - Duration::days(21);
    let baby = (100..1000)
        .find_map(|i| Pid::synthetic(born, i))
        .context("no synthetic number for the baby")?;
    let ola = persona_pid(&PERSONAS[1])?;
    let died = Utc::now().date_naive() - Duration::days(10);
    let wife_born = NaiveDate::from_ymd_opt(1961, 5, 20).context("date")?;
    let wife = (100..1000)
        .find_map(|i| Pid::synthetic(wife_born, i))
        .context("no synthetic number for Ola's wife")?;
    let household = serde_json::json!({"members": [
        {"id": "Kari", "role": "parent", "birth_date": "1988-04-12", "annual_income": 560000},
        {"id": "Lilly", "role": "child", "birth_date": born.to_string(), "annual_income": 0}
    ]});
    let events = [
        Event {
            event_id: "demo-birth-1".into(),
            pid: baby.to_string(),
            kind: "birth".into(),
            date: born,
            related: vec![Related {
                pid: kari.to_string(),
                relation: "parent".into(),
                facts: Default::default(),
            }],
            facts: Default::default(),
            household: Some(household),
        },
        Event {
            event_id: "demo-move-1".into(),
            pid: amir.to_string(),
            kind: "move".into(),
            date: Utc::now().date_naive() - Duration::days(3),
            related: Vec::new(),
            facts: [
                (
                    "moves_to_new_municipality".to_owned(),
                    serde_json::json!(true),
                ),
                ("children_under_18".to_owned(), serde_json::json!(0)),
            ]
            .into_iter()
            .collect(),
            household: None,
        },
        Event {
            event_id: "demo-death-1".into(),
            pid: wife.to_string(),
            kind: "death".into(),
            date: died,
            related: vec![Related {
                pid: ola.to_string(),
                relation: "spouse".into(),
                facts: [
                    ("children_under_18".to_owned(), serde_json::json!(0)),
                    (
                        "deceased_received_benefits".to_owned(),
                        serde_json::json!(true),
                    ),
                    ("owns_vehicle".to_owned(), serde_json::json!(true)),
                    ("owns_property".to_owned(), serde_json::json!(true)),
                ]
                .into_iter()
                .collect(),
            }],
            facts: Default::default(),
            // The estate: Folkeregisteret's birth date, the tax return's net assets.
            household: Some(serde_json::json!({
                "deceased_birth_date": "1961-05-20",
                "deceased_assets": 52000,
                "spouse_assets": 0
            })),
        },
        Event {
            event_id: "demo-business-start-1".into(),
            pid: amir.to_string(),
            kind: "business-start".into(),
            date: Utc::now().date_naive() - Duration::days(7),
            related: Vec::new(),
            facts: Default::default(),
            household: None,
        },
    ];
    for e in events {
        let receipt = record_event(
            &*state.store,
            &state.journeys,
            &state.rules,
            state.config.pid_policy,
            folkeregisteret.id,
            e,
        )
        .await
        .map_err(|e| anyhow::anyhow!("demo life event: {e}"))?;
        // Folkeregisteret has done its part: the registration tasks are ticked off.
        for j in &receipt.journeys {
            for task in ["birth-registered", "address-updated", "death-registered"] {
                state
                    .store
                    .set_task_done(&j.id, task, &DoneBy::Agency(org.clone()), Utc::now())
                    .await?;
            }
        }
    }
    Ok(())
}
