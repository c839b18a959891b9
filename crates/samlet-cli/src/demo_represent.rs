//! Demo data for representation and consent: Kari holds Ola's power of attorney for
//! benefits, Amir is guardian for five wards (registered by the county governor), Kari has
//! parental authority over Emma (17, so it ends on her 18th birthday), and Oslo kommune asks
//! Amir for consent to receive NAV data for "one plan", and Emma for her Lånekassen cases
//! (Kari can answer it for her: parental authority includes acting).

use anyhow::Context;
use chrono::{Duration, NaiveDate, Utc};
use samlet_access::{Action, BasisKind, Scope};
use samlet_domain::{OrgNumber, Pid};
use samlet_store::{NewConsentRequest, NewRepresentation, Store};

use crate::demo::{persona_pid, PERSONAS};

/// Which areas each demo agency's items belong to (scopes a representative's view).
pub const AGENCY_AREAS: [(&str, &[&str]); 6] = [
    ("889640782", &["benefits", "work"]),
    ("974761076", &["tax"]),
    ("958935420", &["health", "family", "housing"]),
    ("985399077", &["work"]),
    ("971032081", &["transport"]),
    ("960885406", &["education"]),
];

const WARDS: [(&str, (i32, u32, u32)); 5] = [
    ("Astrid Lund", (1941, 3, 14)),
    ("Bjarne Moe", (1950, 11, 2)),
    ("Dagny Strand", (1938, 7, 21)),
    ("Einar Vik", (1962, 1, 9)),
    ("Gunn Solberg", (1947, 5, 30)),
];

fn pid_born(y: i32, m: u32, d: u32, salt: u32) -> anyhow::Result<Pid> {
    let birth = NaiveDate::from_ymd_opt(y, m, d).context("ward birth date")?;
    (salt..1000)
        .find_map(|i| Pid::synthetic(birth, i))
        .context("no synthetic number")
}

fn rep(
    kind: BasisKind,
    subject: &Pid,
    to: &Pid,
    scopes: &[&str],
    actions: &[Action],
    valid_to: Option<chrono::DateTime<Utc>>,
    by: &str,
) -> anyhow::Result<NewRepresentation> {
    Ok(NewRepresentation {
        id: format!("demo-{}-{}", kind.as_str(), &subject.as_str()[..6]),
        kind,
        subject_pid: subject.to_string(),
        representative_pid: to.to_string(),
        scopes: scopes
            .iter()
            .map(|s| Scope::parse(s))
            .collect::<Result<_, _>>()?,
        actions: actions.to_vec(),
        valid_from: Utc::now() - Duration::days(30),
        valid_to,
        registered_by: by.into(),
        reference: (kind == BasisKind::Guardianship).then(|| "SFOV-2025/1182".to_owned()),
    })
}

pub async fn seed(store: &dyn Store) -> anyhow::Result<()> {
    let now = Utc::now();
    for (org, areas) in AGENCY_AREAS {
        let areas: Vec<String> = areas.iter().map(|a| (*a).to_owned()).collect();
        store.set_agency_areas(org, &areas).await?;
    }
    let mut names: Vec<(String, String)> = Vec::new();
    for p in &PERSONAS {
        names.push((persona_pid(p)?.to_string(), p.name.to_owned()));
    }
    let wards: Vec<Pid> = WARDS
        .iter()
        .enumerate()
        .map(|(i, (_, (y, m, d)))| pid_born(*y, *m, *d, 200 + i as u32))
        .collect::<anyhow::Result<_>>()?;
    for (w, (name, _)) in wards.iter().zip(WARDS) {
        names.push((w.to_string(), name.to_owned()));
    }
    store.upsert_person_names(&names, now).await?;
    let [kari, ola, amir, emma] = [0, 1, 2, 3].map(|i| persona_pid(&PERSONAS[i]));
    let (kari, ola, amir, emma) = (kari?, ola?, amir?, emma?);

    store
        .insert_representation(
            &rep(
                BasisKind::Mandate,
                &ola,
                &kari,
                &["benefits"],
                &[Action::Read],
                Some(now + Duration::days(365)),
                "citizen",
            )?,
            now,
        )
        .await?;
    // The county governor holds the guardianship register: granted, and logged.
    let (governor, _) = samlet_app::authority::register_agency(
        store,
        &OrgNumber::with_check_digit("97476250").context("county governor org number")?,
        "Statsforvalteren i Oslo og Viken",
        samlet_domain::ScopeSet::NEW_AGENCY
            .union([samlet_domain::Scope::Guardianship].into_iter().collect()),
        crate::demo::DEMO_OPERATOR,
    )
    .await?;
    for w in &wards {
        store
            .insert_representation(
                &rep(
                    BasisKind::Guardianship,
                    w,
                    &amir,
                    &["benefits", "health", "housing"],
                    &[Action::Read, Action::Act],
                    None,
                    governor.org.as_str(),
                )?,
                now,
            )
            .await?;
    }
    let until18 = samlet_access::birthday_at(emma.birth_date(), 18);
    store
        .insert_representation(
            &rep(
                BasisKind::Parental,
                &emma,
                &kari,
                &["all"],
                &[Action::Read, Action::Act],
                until18,
                "974761076",
            )?,
            now,
        )
        .await?;

    let oslo = store
        .agency_by_org(&OrgNumber::parse("958935420").map_err(|e| anyhow::anyhow!("{e}"))?)
        .await?
        .context("the demo has Oslo kommune")?;
    store
        .insert_consent_request(
            &NewConsentRequest {
                id: "demo-consent-one-plan".into(),
                subject_pid: amir.to_string(),
                requester_id: oslo.id,
                requester_org: oslo.org.to_string(),
                requester_name: oslo.name.clone(),
                from_org: "889640782".into(),
                from_name: "NAV".into(),
                categories: vec!["cases".into(), "benefits".into()],
                purpose:
                    "Én samlet plan for arbeid og oppfølging, sammen med NAV og sosialtjenesten"
                        .into(),
                valid_to: now + Duration::days(180),
            },
            now,
        )
        .await?;
    store
        .insert_consent_request(
            &NewConsentRequest {
                id: "demo-consent-school".into(),
                subject_pid: emma.to_string(),
                requester_id: oslo.id,
                requester_org: oslo.org.to_string(),
                requester_name: oslo.name.clone(),
                from_org: "960885406".into(),
                from_name: "Lånekassen".into(),
                categories: vec!["cases".into()],
                purpose: "Tilrettelegging i videregående skole: følge opp søknaden om stipend"
                    .into(),
                valid_to: now + Duration::days(120),
            },
            now,
        )
        .await?;

    // A registered sharing basis, registered by the operator and accepted by
    // the holder: NAV reads Skatteetaten's cases to assess sick pay.
    let basis = samlet_store::NewSharingBasis {
        id: "sb_demo_sick_pay".into(),
        reader_org: "889640782".into(),
        holder_org: "974761076".into(),
        category: "cases".into(),
        purpose: "vurdere sykepenger".into(),
        legal_basis: "folketrygdloven § 8-28".into(),
        legal_ref: Some("https://lovdata.no/lov/1997-02-28-19/§8-28".into()),
        valid_from: now.date_naive() - Duration::days(30),
        valid_to: None,
        created_by: crate::demo::DEMO_OPERATOR.into(),
    };
    // Both steps are governance records in the transparency log.
    samlet_app::authority::register_basis(store, &basis).await?;
    samlet_app::authority::accept_basis(store, &basis.id, &basis.holder_org).await?;
    Ok(())
}
