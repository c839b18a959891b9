//! `samlet rules …`: test, explain, list the inputs of, and run a rule set over a population.

use std::io::{BufReader, BufWriter};
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context};
use clap::{Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use samlet_rules::{load_rule_set, run_population, Household, Lang, Period, RuleSet};

#[derive(Subcommand)]
pub enum RulesCommand {
    /// Run a rule set's YAML test cases (DIR/tests, or --cases FILE_OR_DIR); exit 1 on failures.
    Test {
        /// The rule set directory.
        dir: PathBuf,
        /// Test cases to run instead of DIR/tests.
        #[arg(long)]
        cases: Option<PathBuf>,
    },
    /// Evaluate for one household and explain the result (in bokmål or English, or as JSON).
    Explain {
        /// The rule set directory; without it, a rule set shipped with Samlet (--ruleset).
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Id of a shipped rule set, used when --rules is not given.
        #[arg(long, default_value = "child-benefit")]
        ruleset: String,
        /// A JSON file with the household (`-` reads standard input).
        #[arg(long, conflicts_with = "json", required_unless_present = "json")]
        household: Option<PathBuf>,
        /// The household as inline JSON.
        #[arg(long)]
        json: Option<String>,
        /// The month, YYYY-MM.
        #[arg(long)]
        period: String,
        /// nb, nn, en or da.
        #[arg(long, default_value = "nb")]
        lang: Lang,
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// Every input item each rule needs, and whether an authoritative source supplies it.
    Inputs {
        dir: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Evaluate the main output for a whole population CSV on all cores.
    Run {
        #[arg(long)]
        rules: PathBuf,
        /// CSV with one row per person: household_id, person_id and the person's inputs.
        #[arg(long)]
        population: PathBuf,
        /// The month, YYYY-MM.
        #[arg(long)]
        period: String,
        /// Where to write `household_id,amount`.
        #[arg(long)]
        output: PathBuf,
        /// Print the statistics as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

fn load(dir: &Path) -> anyhow::Result<RuleSet> {
    // LoadError displays `file:line:column: kind: message`; print it as is.
    load_rule_set(dir).map_err(|e| anyhow!("{e}"))
}

fn period(s: &str) -> anyhow::Result<Period> {
    s.parse::<Period>().map_err(|e| anyhow!("--period: {e}"))
}

/// The exit code: 0 when everything passed.
pub fn run(cmd: RulesCommand) -> anyhow::Result<i32> {
    match cmd {
        RulesCommand::Test { dir, cases } => {
            let rs = load(&dir)?;
            let report = match cases {
                Some(p) => rs.run_tests(p),
                None => rs.run_default_tests(),
            };
            print!("{report}");
            Ok(if report.ok() { 0 } else { 1 })
        }
        RulesCommand::Explain {
            rules,
            ruleset,
            household,
            json,
            period: p,
            lang,
            format,
        } => {
            let rs = match rules {
                Some(dir) => load(&dir)?,
                None => samlet_rules::shipped_rule_sets()
                    .map_err(|e| anyhow!("{e}"))?
                    .into_iter()
                    .find(|r| r.id() == ruleset)
                    .ok_or_else(|| anyhow!("no shipped rule set `{ruleset}`; give --rules DIR"))?,
            };
            let (text, origin) = match (household, json) {
                (_, Some(j)) => (j, "--json".to_owned()),
                (Some(f), None) if f.as_os_str() == "-" => {
                    let mut s = String::new();
                    std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)?;
                    (s, "standard input".to_owned())
                }
                (Some(f), None) => (
                    std::fs::read_to_string(&f)
                        .with_context(|| format!("reading {}", f.display()))?,
                    f.display().to_string(),
                ),
                (None, None) => bail!("give the household with --household FILE or --json '…'"),
            };
            let h: Household = serde_json::from_str(&text)
                .with_context(|| format!("{origin} is not a household in JSON"))?;
            let ev = rs.evaluate(&h, period(&p)?).map_err(|e| anyhow!("{e}"))?;
            match format {
                Format::Text => print!("{}", ev.explanation(lang)),
                Format::Json => {
                    let out = serde_json::json!({
                        "ruleset": rs.id(),
                        "period": p,
                        "outputs": ev.outputs,
                        "explanation": ev.explanation(lang),
                        "trace": ev.trace,
                    });
                    println!("{}", serde_json::to_string_pretty(&out)?);
                }
            }
            Ok(0)
        }
        RulesCommand::Inputs { dir, json } => {
            let report = load(&dir)?.inputs_report();
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{report}");
            }
            Ok(0)
        }
        RulesCommand::Run {
            rules,
            population,
            period: p,
            output,
            json,
        } => {
            let rs = load(&rules)?;
            let p = period(&p)?;
            let input = std::fs::File::open(&population)
                .with_context(|| format!("opening {}", population.display()))?;
            let out = std::fs::File::create(&output)
                .with_context(|| format!("creating {}", output.display()))?;
            let bar = ProgressBar::new_spinner()
                .with_message(format!("reading {}", population.display()));
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
            let style = ProgressStyle::with_template(
                "{bar:40} {pos}/{len} households ({per_sec}, {eta} left)",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            let stats = run_population(
                &rs,
                BufReader::with_capacity(1 << 20, input),
                p,
                BufWriter::new(out),
                |done, total| {
                    if bar.length() != Some(total) {
                        bar.set_style(style.clone());
                        bar.set_length(total);
                    }
                    bar.set_position(done);
                },
            )
            .map_err(|e| anyhow!("{e}"))?;
            bar.finish_and_clear();
            if json {
                println!("{}", serde_json::to_string_pretty(&stats)?);
            } else {
                println!(
                    "{} households ({} persons) for {p}: load {:.2} s, compute {:.2} s, write {:.2} s; {} failed. Wrote {}.",
                    stats.households,
                    stats.persons,
                    stats.load_time.as_secs_f64(),
                    stats.compute_time.as_secs_f64(),
                    stats.write_time.as_secs_f64(),
                    stats.failed,
                    output.display()
                );
                for e in &stats.first_errors {
                    println!("  {e}");
                }
            }
            Ok(if stats.failed == 0 { 0 } else { 1 })
        }
    }
}
