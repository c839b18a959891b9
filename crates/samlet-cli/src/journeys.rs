//! `samlet journeys …`: check a life-event catalogue and show a personal checklist.

use std::path::PathBuf;

use anyhow::{anyhow, Context};
use clap::Subcommand;
use samlet_journeys::{load_catalogue, shipped_catalogue, Catalogue, CompletedBy, Facts};

#[derive(Subcommand)]
pub enum JourneysCommand {
    /// Load and validate a catalogue (default: the shipped one) and list its journeys.
    Check {
        /// The catalogue directory (agencies.yaml, facts.yaml and one file per journey).
        dir: Option<PathBuf>,
    },
    /// Show the checklist a journey gives one person.
    Plan {
        /// The catalogue directory; default: the shipped one.
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Journey id, e.g. losing-a-relative.
        #[arg(long)]
        journey: String,
        /// The event date, YYYY-MM-DD.
        #[arg(long)]
        date: chrono::NaiveDate,
        /// Facts the platform knows, as JSON, e.g. '{"relation":"spouse","children_under_18":2}'.
        #[arg(long, default_value = "{}")]
        facts: String,
        /// nb, nn, en or da.
        #[arg(long, default_value = "nb")]
        lang: samlet_i18n::Lang,
        #[arg(long)]
        json: bool,
    },
}

fn catalogue(dir: Option<PathBuf>) -> anyhow::Result<Catalogue> {
    match dir {
        Some(d) => load_catalogue(&d).map_err(|e| anyhow!("{e}")),
        None => shipped_catalogue().map_err(|e| anyhow!("{e}")),
    }
}

pub fn run(cmd: JourneysCommand) -> anyhow::Result<()> {
    match cmd {
        JourneysCommand::Check { dir } => {
            let c = catalogue(dir)?;
            for j in &c.journeys {
                println!(
                    "{:<24} {:<8} {:>2} tasks  started by {}  ({})",
                    j.id,
                    j.audience,
                    j.tasks.len(),
                    j.triggers.join(", "),
                    j.title.get(samlet_i18n::Lang::Nb)
                );
            }
            let rules = samlet_rules::shipped_rule_sets().map_err(|e| anyhow!("{e}"))?;
            for o in &c.offers {
                println!(
                    "offer {:<26} {} after {} for {} ({})",
                    o.id,
                    o.ruleset,
                    o.triggers.join(", "),
                    o.for_relations.join(", "),
                    o.title.get(samlet_i18n::Lang::Nb)
                );
            }
            let problems =
                samlet_journeys::check_offers(&c.offers, |id| rules.iter().find(|r| r.id() == id));
            if !problems.is_empty() {
                anyhow::bail!("{}", problems.join("\n"));
            }
            println!(
                "{} journeys, {} offers, {} agencies: OK",
                c.journeys.len(),
                c.offers.len(),
                c.agencies.len()
            );
            Ok(())
        }
        JourneysCommand::Plan {
            dir,
            journey,
            date,
            facts,
            lang,
            json,
        } => {
            let c = catalogue(dir)?;
            let j = c
                .journey(&journey)
                .ok_or_else(|| anyhow!("no journey `{journey}` in the catalogue"))?;
            let facts: Facts =
                serde_json::from_str(&facts).context("--facts is not a JSON object of facts")?;
            let plan = c.plan(j, date, &facts);
            if json {
                println!("{}", serde_json::to_string_pretty(&plan)?);
                return Ok(());
            }
            println!("{} — {date}", j.title.get(lang));
            for t in plan {
                let due = t.due.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
                let who = match t.completed_by {
                    CompletedBy::Agency => t.agency.name.get(lang).to_owned(),
                    CompletedBy::Citizen => lang.t("journey-plan-you").to_owned(),
                };
                let maybe = if t.certain { "" } else { " (?)" };
                println!(
                    "[ ] {due}  {}{maybe}  — {} ({who})",
                    t.title.get(lang),
                    t.agency.name.get(lang)
                );
            }
            Ok(())
        }
    }
}
