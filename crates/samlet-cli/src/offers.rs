//! `samlet offers …`: proactive offers after a rule change.

use std::path::PathBuf;

use anyhow::{anyhow, bail, Context};
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use samlet_rules::{load_rule_set, shipped_rule_sets, Period};

use crate::DbArgs;

#[derive(Subcommand)]
pub enum OffersCommand {
    /// Evaluate a (changed) rule set again for every household Samlet holds and offer the benefit
    /// to those who have become entitled, or entitled to more. Running it again adds nothing.
    Rerun {
        #[command(flatten)]
        db: DbArgs,
        /// The rule set, e.g. child-benefit.
        #[arg(long)]
        ruleset: String,
        /// The month to evaluate, YYYY-MM (offers paid once use the event's own month).
        #[arg(long)]
        period: String,
        /// The changed rule set's directory; default: the shipped rule set.
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(cmd: OffersCommand) -> anyhow::Result<()> {
    match cmd {
        OffersCommand::Rerun {
            db,
            ruleset,
            period,
            rules,
            json,
        } => {
            let period: Period = period.parse().map_err(|e| anyhow!("--period: {e}"))?;
            let rs = match rules {
                Some(dir) => load_rule_set(&dir).map_err(|e| anyhow!("{e}"))?,
                None => shipped_rule_sets()
                    .map_err(|e| anyhow!("{e}"))?
                    .into_iter()
                    .find(|r| r.id() == ruleset)
                    .with_context(|| format!("no shipped rule set `{ruleset}`"))?,
            };
            if rs.id() != ruleset {
                bail!("--rules holds rule set `{}`, not `{ruleset}`", rs.id());
            }
            let catalogue = samlet_journeys::shipped_catalogue().map_err(|e| anyhow!("{e}"))?;
            let store = samlet_store::connect(&db.url()?).await?;
            let bar = ProgressBar::new(0).with_style(
                ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} persons ({per_sec}, {eta} left)",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            let report = samlet_app::journeys::offers::rerun(
                &*store,
                &catalogue,
                &rs,
                period,
                |done, total| {
                    bar.set_length(total as u64);
                    bar.set_position(done as u64);
                },
            )
            .await?;
            bar.finish_and_clear();
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                println!(
                    "{} {}: {} persons evaluated, {} now entitled or entitled to more, {} new offers",
                    report.ruleset, report.period, report.evaluated, report.entitled, report.new_offers
                );
            }
            Ok(())
        }
    }
}
