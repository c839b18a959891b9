//! `samlet agency areas`: which areas (health, tax, benefits …) an agency's
//! items belong to. A representative's view of a person shows an agency's
//! items only when the mandate's scopes name one of its areas (or `all`);
//! an agency without areas is shown only under `all`.

use anyhow::{bail, Context};
use samlet_access::AREAS;
use samlet_domain::OrgNumber;

use crate::DbArgs;

#[derive(clap::Args)]
pub struct AreasArgs {
    /// The agency (organisation number). Without --set or --clear: show its areas.
    #[arg(long)]
    org: Option<String>,
    /// Replace the agency's areas, comma-separated, e.g. `benefits,tax`.
    #[arg(
        long,
        value_delimiter = ',',
        requires = "org",
        conflicts_with = "clear"
    )]
    set: Option<Vec<String>>,
    /// Remove all the agency's areas (its items are then shown only under `all`).
    #[arg(long, requires = "org")]
    clear: bool,
    #[command(flatten)]
    db: DbArgs,
    #[arg(long)]
    json: bool,
}

/// Checked, de-duplicated areas in the order given. Case and spaces around
/// the names do not matter; anything not in [`AREAS`] is refused.
pub fn parse_areas(given: &[String]) -> anyhow::Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for raw in given {
        let a = raw.trim().to_ascii_lowercase();
        if a.is_empty() {
            continue;
        }
        if !AREAS.contains(&a.as_str()) {
            bail!(
                "--set: \"{}\" is not an area; the areas are {}",
                raw.trim(),
                AREAS.join(", ")
            );
        }
        if !out.contains(&a) {
            out.push(a);
        }
    }
    if out.is_empty() {
        bail!(
            "--set: name at least one area ({}), or use --clear",
            AREAS.join(", ")
        );
    }
    Ok(out)
}

pub async fn run(a: AreasArgs) -> anyhow::Result<()> {
    let org = match &a.org {
        Some(o) => Some(OrgNumber::parse(o.trim()).map_err(|e| anyhow::anyhow!("--org {o}: {e}"))?),
        None => None,
    };
    // Check the input before touching the database.
    let new_areas = match (&a.set, a.clear) {
        (Some(v), _) => Some(parse_areas(v)?),
        (None, true) => Some(Vec::new()),
        (None, false) => None,
    };
    let store = samlet_store::connect(&a.db.url()?).await?;
    if let (Some(org), Some(areas)) = (&org, &new_areas) {
        store.agency_by_org(org).await?.with_context(|| {
            format!("no agency with organisation number {org} is registered (samlet agency add)")
        })?;
        store.set_agency_areas(org.as_str(), areas).await?;
    }
    let agencies = store.list_agencies().await?;
    let areas: std::collections::BTreeMap<String, Vec<String>> =
        store.agency_areas().await?.into_iter().collect();
    let rows: Vec<(String, String, Vec<String>)> = agencies
        .iter()
        .filter(|ag| org.as_ref().is_none_or(|o| &ag.org == o))
        .map(|ag| {
            let org = ag.org.to_string();
            let a = areas.get(&org).cloned().unwrap_or_default();
            (org, ag.name.clone(), a)
        })
        .collect();
    if let (Some(o), true) = (&org, rows.is_empty()) {
        bail!("no agency with organisation number {o} is registered (samlet agency add)");
    }
    if a.json {
        let out: Vec<_> = rows
            .iter()
            .map(|(org, name, areas)| serde_json::json!({"org": org, "name": name, "areas": areas}))
            .collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        for (org, name, areas) in &rows {
            let shown = if areas.is_empty() {
                "- (shown only under \"all\")".to_owned()
            } else {
                areas.join(", ")
            };
            println!("{org}  {name}  {shown}");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| (*x).to_owned()).collect()
    }

    #[test]
    fn areas_are_checked_trimmed_and_deduplicated() {
        assert_eq!(
            parse_areas(&v(&["benefits", " Tax ", "benefits"])).ok(),
            Some(v(&["benefits", "tax"]))
        );
        let e = parse_areas(&v(&["helth"]))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.contains("\"helth\" is not an area") && e.contains("health"),
            "{e}"
        );
        assert!(
            parse_areas(&v(&["all"])).is_err(),
            "all is a scope, not an area"
        );
        assert!(parse_areas(&v(&["", " "])).is_err());
        assert!(parse_areas(&[]).is_err());
    }
}
