//! The life-event catalogue as the people who meet it see it.

use std::path::Path;

use chrono::NaiveDate;
use samlet_i18n::Lang;
use samlet_journeys::{load_catalogue_from, shipped_catalogue, Catalogue, CompletedBy, Facts};
use samlet_rules::yaml::Source;
use samlet_rules::Value;

fn catalogue() -> Catalogue {
    shipped_catalogue().unwrap_or_else(|e| panic!("{e}"))
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

fn facts(pairs: &[(&str, Value)]) -> Facts {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

#[test]
fn the_four_named_journeys_are_shipped_with_real_agencies() {
    let c = catalogue();
    for id in [
        "losing-a-relative",
        "new-parent",
        "moving",
        "starting-a-restaurant",
    ] {
        let j = c.journey(id).unwrap_or_else(|| panic!("{id} missing"));
        assert!(j.tasks.len() >= 5, "{id} has only {} tasks", j.tasks.len());
    }
    let restaurant = c
        .journey("starting-a-restaurant")
        .map(|j| j.tasks.clone())
        .unwrap_or_default();
    for agency in [
        "mattilsynet",
        "kommunen",
        "skatteetaten",
        "bronnoysundregistrene",
    ] {
        assert!(restaurant.iter().any(|t| t.agency == agency), "{agency}");
    }
    assert_eq!(
        c.agencies.get("nav").map(|a| a.org.as_str()),
        Some("889640782")
    );
}

#[test]
fn a_widow_with_children_gets_pensions_and_the_probate_deadline() {
    let c = catalogue();
    // Kari's husband died on 3 March 2026; they have two children; he received a pension.
    let j = c.journey("losing-a-relative").unwrap_or_else(|| panic!());
    let plan = c.plan(
        j,
        date("2026-03-03"),
        &facts(&[
            ("relation", Value::text("spouse")),
            ("children_under_18", Value::int(2)),
            ("deceased_received_benefits", Value::Bool(true)),
            ("owns_vehicle", Value::Bool(false)),
        ]),
    );
    let ids: Vec<&str> = plan.iter().map(|t| t.id.as_str()).collect();
    assert!(ids.contains(&"survivors-pension"), "{ids:?}");
    assert!(ids.contains(&"childrens-pension"), "{ids:?}");
    assert!(ids.contains(&"benefits-stopped"), "{ids:?}");
    assert!(!ids.contains(&"vehicle-ownership"), "{ids:?}");
    // Nobody told us about property: shown, but as "may apply".
    let property = plan.iter().find(|t| t.id == "property-title");
    assert_eq!(property.map(|t| t.certain), Some(false));
    let probate = plan
        .iter()
        .find(|t| t.id == "probate")
        .unwrap_or_else(|| panic!());
    assert_eq!(probate.due, Some(date("2026-05-02")));
    assert_eq!(probate.completed_by, CompletedBy::Citizen);
    assert_eq!(probate.agency.key, "tingretten");
}

#[test]
fn a_grown_child_gets_no_survivors_pension() {
    let c = catalogue();
    let j = c.journey("losing-a-relative").unwrap_or_else(|| panic!());
    let plan = c.plan(
        j,
        date("2026-03-03"),
        &facts(&[
            ("relation", Value::text("child")),
            ("children_under_18", Value::int(0)),
        ]),
    );
    assert!(plan
        .iter()
        .all(|t| t.id != "survivors-pension" && t.id != "childrens-pension"));
}

#[test]
fn events_start_the_right_journeys_for_the_right_people() {
    let c = catalogue();
    let ids = |kind, rel| {
        c.triggered_by(kind, rel)
            .map(|j| j.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids("death", "spouse"), ["losing-a-relative"]);
    assert!(ids("death", "self").is_empty());
    assert_eq!(ids("birth", "parent"), ["new-parent"]);
    assert_eq!(ids("move", "self"), ["moving"]);
}

// ---- An analyst's mistakes are reported with file, line and column. ----

const AGENCIES: &str = "agencies:\n  nav:\n    org: \"889640782\"\n    name: agency-nav\n";
const FACTS: &str = "sources:\n  F:\n    label: F\n    authoritative: true\ninputs:\n  relation:\n    entity: household\n    type: text\n    source: F\n";

const MESSAGES: &str = "agency-nav = NAV\nj-title = J\na-title = A\nb-title = B\nF = F\n";

fn load_with(journey: &str) -> String {
    load_with_messages(journey, |_| MESSAGES.to_owned())
}

fn load_with_messages(journey: &str, ftl: impl Fn(Lang) -> String) -> String {
    let dir = Path::new("cat");
    let mut files: Vec<Source> = Lang::ALL
        .iter()
        .map(|l| Source {
            path: dir.join(format!("locales/{}/j.ftl", l.code())),
            text: ftl(*l),
        })
        .collect();
    files.extend([
        Source {
            path: dir.join("agencies.yaml"),
            text: AGENCIES.into(),
        },
        Source {
            path: dir.join("facts.yaml"),
            text: FACTS.into(),
        },
        Source {
            path: dir.join("j.yaml"),
            text: journey.into(),
        },
    ]);
    match load_catalogue_from(dir, files) {
        Ok(_) => "loaded".into(),
        Err(e) => e.to_string(),
    }
}

const HEAD: &str =
    "journey:\n  id: j\n  audience: citizen\n  title: j-title\n  triggers: [death]\ntasks:\n";

#[test]
fn a_valid_journey_loads() {
    let j = format!("{HEAD}  - id: a\n    title: a-title\n    agency: nav\n    condition: relation = \"spouse\"\n    completed_by: citizen\n");
    assert_eq!(load_with(&j), "loaded");
}

#[test]
fn an_unknown_fact_in_a_condition_points_into_the_journey_file() {
    let j = format!("{HEAD}  - id: a\n    title: a-title\n    agency: nav\n    condition: relation = \"spouse\" and shoe_size > 40\n    completed_by: citizen\n");
    let e = load_with(&j);
    // Line 10 of j.yaml; `shoe_size` starts at column 40.
    assert!(e.starts_with("cat/j.yaml:10:40:"), "{e}");
    assert!(e.contains("shoe_size"), "{e}");
}

#[test]
fn an_unknown_agency_is_rejected() {
    let j = format!(
        "{HEAD}  - id: a\n    title: a-title\n    agency: nsa\n    completed_by: citizen\n"
    );
    let e = load_with(&j);
    assert!(e.starts_with("cat/j.yaml:9:13:"), "{e}");
    assert!(e.contains("unknown agency `nsa`"), "{e}");
}

#[test]
fn order_must_name_real_tasks_and_not_go_in_circles() {
    let j = format!("{HEAD}  - id: a\n    title: a-title\n    agency: nav\n    after: [b]\n    completed_by: citizen\n");
    assert!(
        load_with(&j).contains("comes after `b`"),
        "{}",
        load_with(&j)
    );
    let j = format!("{HEAD}  - id: a\n    title: a-title\n    agency: nav\n    after: [b]\n    completed_by: citizen\n  - id: b\n    title: b-title\n    agency: nav\n    after: [a]\n    completed_by: citizen\n");
    assert!(load_with(&j).contains("circular"), "{}", load_with(&j));
}

#[test]
fn deadlines_and_completers_are_checked() {
    let j = format!("{HEAD}  - id: a\n    title: a-title\n    agency: nav\n    due: 14 days\n    completed_by: citizen\n");
    let e = load_with(&j);
    assert!(e.contains(":10:10:") && e.contains("P14D"), "{e}");
    let j = format!(
        "{HEAD}  - id: a\n    title: a-title\n    agency: nav\n    completed_by: the neighbour\n"
    );
    assert!(load_with(&j).contains("`completed_by` is `agency` or `citizen`"));
}

// ---- Every text in every language, from the catalogue's Fluent files. ----

#[test]
fn the_shipped_journeys_read_in_nynorsk_and_danish() {
    let c = catalogue();
    let j = c.journey("moving").unwrap_or_else(|| panic!());
    assert_eq!(j.title.id, "moving-title");
    assert_eq!(j.title.get(Lang::Nb), "Flytte");
    assert_eq!(j.title.get(Lang::En), "Moving");
    assert_eq!(j.title.get(Lang::Da), "Flytning");
    let gp = j
        .tasks
        .iter()
        .find(|t| t.id == "new-gp")
        .unwrap_or_else(|| panic!());
    assert_eq!(gp.title.get(Lang::Nn), "Vel ny fastlege");
    assert_eq!(gp.title.get(Lang::Da), "Vælg ny fast læge");
    let nav = c.agencies.get("nav").unwrap_or_else(|| panic!());
    assert!(nav.name.get(Lang::Da).contains("velfærd"), "{:?}", nav.name);
    let offer = c
        .offers
        .iter()
        .find(|o| o.id == "funeral-grant-after-death");
    assert_eq!(
        offer.map(|o| o.title.get(Lang::Da)),
        Some("begravelseshjælp")
    );
    // Every text of every journey is there in every language, and differs from the id.
    for j in &c.journeys {
        for t in std::iter::once(&j.title).chain(j.tasks.iter().map(|t| &t.title)) {
            for l in Lang::ALL {
                assert!(!t.get(l).is_empty() && t.get(l) != t.id, "{} in {l}", t.id);
            }
        }
    }
}

#[test]
fn a_catalogue_missing_a_translation_does_not_load_and_names_it() {
    let j = format!(
        "{HEAD}  - id: a\n    title: a-title\n    agency: nav\n    completed_by: citizen\n"
    );
    let e = load_with_messages(&j, |l| match l {
        Lang::Nn | Lang::Da => "agency-nav = NAV\nj-title = J\nF = F\n".to_owned(),
        _ => MESSAGES.to_owned(),
    });
    assert!(e.starts_with("cat/locales:"), "{e}");
    assert!(e.contains("`a-title` in nn, da"), "{e}");
    // A text written in the YAML itself, the old way, is pointed at.
    let old = HEAD.replace("title: j-title", "title: { nb: J, en: J }");
    let e = load_with(&format!(
        "{old}  - id: a\n    title: a-title\n    agency: nav\n    completed_by: citizen\n"
    ));
    assert!(e.contains("expected a message id for `title`"), "{e}");
}

#[test]
fn a_language_directory_samlet_does_not_speak_is_an_error() {
    let dir = Path::new("cat");
    let e = load_catalogue_from(
        dir,
        vec![Source {
            path: dir.join("locales/xx/j.ftl"),
            text: MESSAGES.into(),
        }],
    )
    .map(|_| ())
    .unwrap_err()
    .to_string();
    assert!(e.contains("`xx` is not a language"), "{e}");
}
