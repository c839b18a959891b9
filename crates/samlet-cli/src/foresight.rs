//! `samlet foresight …`: the strategy team's commands. They write the same
//! database as a running server (SQLite in WAL mode or PostgreSQL), so a
//! session can be created and closed while the server runs.

use std::path::PathBuf;

use anyhow::{anyhow, bail, Context};
use clap::Subcommand;
use samlet_app::foresight::{self as fs, SessionFile};
use samlet_foresight::{format_number, themes_csv, trends_csv, Library};
use samlet_i18n::Lang;

use crate::DbArgs;

#[derive(Subcommand)]
pub enum ForesightCommand {
    /// Evaluation sessions: create, close, list.
    #[command(subcommand)]
    Session(SessionCommand),
    /// A session's results: exact means, gaps, blind spot, theme averages, segments.
    Results {
        id: String,
        #[command(flatten)]
        db: DbArgs,
        /// Print JSON (the same document as GET /api/v1/foresight/sessions/{id}/results).
        #[arg(long)]
        json: bool,
        /// Print the trends as CSV.
        #[arg(long, conflicts_with = "json")]
        csv: bool,
    },
    /// Write the report: self-contained HTML (SVG charts inline), or a PDF when `--out` ends in `.pdf`.
    Report {
        id: String,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        out: PathBuf,
        /// nb (default) or en.
        #[arg(long, default_value = "nb")]
        lang: String,
    },
    /// The library of driving forces and trends.
    Library {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum SessionCommand {
    /// Create a session from a JSON file; prints its id, join code and the secret team key.
    Create {
        #[command(flatten)]
        db: DbArgs,
        /// `{"title", "trends": [{"code", "title"?, "theme"?}], "thresholds"?, "questions"?}`
        #[arg(long)]
        file: PathBuf,
        /// The server's public URL, for the presenter and join links.
        #[arg(
            long,
            env = "SAMLET_PUBLIC_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        public_url: String,
        #[arg(long)]
        json: bool,
    },
    /// Close a session: no more joins or ballots.
    Close {
        id: String,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// List sessions with their counts.
    List {
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(cmd: ForesightCommand) -> anyhow::Result<()> {
    match cmd {
        ForesightCommand::Session(SessionCommand::Create {
            db,
            file,
            public_url,
            json,
        }) => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let parsed =
                SessionFile::parse(&text).map_err(|e| anyhow!("{}: {e}", file.display()))?;
            let store = samlet_store::connect(&db.url()?).await?;
            let created = fs::create_session(store.as_ref(), parsed)
                .await
                .map_err(|e| anyhow!("{}: {e}", file.display()))?;
            let base = public_url.trim_end_matches('/');
            let presenter = format!(
                "{base}/foresight/sessions/{}/present?key={}",
                created.id, created.team_key
            );
            let join = format!("{base}/f/{}", created.join_code);
            if json {
                let out = serde_json::json!({
                    "id": created.id,
                    "join_code": created.join_code,
                    "team_key": created.team_key,
                    "presenter_url": presenter,
                    "join_url": join,
                });
                println!("{out}");
            } else {
                println!("Session {} created.", created.id);
                println!("Participants join at {join} (code {}).", created.join_code);
                println!("Presenter screen (secret, shown once):\n{presenter}");
                println!(
                    "Team key for the API (Authorization: Bearer …):\n{}",
                    created.team_key
                );
            }
            Ok(())
        }
        ForesightCommand::Session(SessionCommand::Close { id, db, json }) => {
            let store = samlet_store::connect(&db.url()?).await?;
            if !fs::close(store.as_ref(), &id).await? {
                bail!("no evaluation session {id}");
            }
            let c = fs::counts(store.as_ref(), &id).await?;
            if json {
                println!(
                    "{}",
                    serde_json::json!({"id": id, "open": false, "joined": c.joined, "voted": c.voted})
                );
            } else {
                println!(
                    "Session {id} is closed: {} joined, {} voted.",
                    c.joined, c.voted
                );
            }
            Ok(())
        }
        ForesightCommand::Session(SessionCommand::List { db, json }) => {
            let store = samlet_store::connect(&db.url()?).await?;
            let mut out = Vec::new();
            for s in fs::sessions(store.as_ref()).await? {
                let c = fs::counts(store.as_ref(), &s.id).await?;
                out.push(serde_json::json!({
                    "id": s.id, "title": s.title, "join_code": s.join_code,
                    "open": s.is_open(), "created_at": s.created_at, "closed_at": s.closed_at,
                    "revealed_at": s.revealed_at, "revealed_by": s.revealed_by,
                    "joined": c.joined, "voted": c.voted,
                }));
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else {
                for s in &out {
                    println!(
                        "{}  {}  {}  {} joined, {} voted  {}",
                        s["id"].as_str().unwrap_or(""),
                        s["join_code"].as_str().unwrap_or(""),
                        if s["open"].as_bool().unwrap_or(false) {
                            "open  "
                        } else {
                            "closed"
                        },
                        s["joined"],
                        s["voted"],
                        s["title"].as_str().unwrap_or(""),
                    );
                }
            }
            Ok(())
        }
        ForesightCommand::Results { id, db, json, csv } => {
            let store = samlet_store::connect(&db.url()?).await?;
            let s = fs::load(store.as_ref(), &id).await?;
            let r = fs::compute_results(store.as_ref(), &s).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else if csv {
                print!("{}", trends_csv(&r));
            } else {
                let l = samlet_foresight::Lang::En;
                let f =
                    |v: Option<f64>| v.map(|v| format_number(v, l)).unwrap_or_else(|| "-".into());
                println!(
                    "{} ({} ballots, {})",
                    s.row.title,
                    r.ballots,
                    if s.row.is_open() { "open" } else { "closed" }
                );
                println!(
                    "{:<6} {:>5} {:>10} {:>12} {:>6}  blind spot  title",
                    "trend", "n", "importance", "preparedness", "gap"
                );
                for t in &r.trends {
                    println!(
                        "{:<6} {:>5} {:>10} {:>12} {:>6}  {:<10}  {}",
                        t.code,
                        t.n,
                        f(t.importance_mean),
                        f(t.preparedness_mean),
                        f(t.gap),
                        if t.in_blind_spot { "yes" } else { "" },
                        t.title
                    );
                }
                println!();
                print!("{}", themes_csv(&r));
            }
            Ok(())
        }
        ForesightCommand::Report { id, db, out, lang } => {
            let lang = Lang::parse(&lang).ok_or_else(|| anyhow!("--lang: nb or en"))?;
            let store = samlet_store::connect(&db.url()?).await?;
            let s = fs::load(store.as_ref(), &id).await?;
            let r = fs::compute_results(store.as_ref(), &s).await?;
            // `--out report.pdf` writes the PDF, anything else the HTML.
            let bytes = if out
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
            {
                fs::report::report_pdf(lang, &s, &r).map_err(|e| anyhow!(e))?
            } else {
                samlet_server::foresight::report_html(lang, &s, &r)
                    .map_err(|e| anyhow!(e))?
                    .into_bytes()
            };
            std::fs::write(&out, bytes).with_context(|| format!("writing {}", out.display()))?;
            println!("Report written to {}.", out.display());
            Ok(())
        }
        ForesightCommand::Library { json } => {
            let lib = Library::builtin()?;
            if json {
                println!("{}", serde_json::to_string_pretty(&lib)?);
            } else {
                let l = samlet_foresight::Lang::Nb;
                println!("Driving forces ({}):", lib.driving_forces().len());
                for f in lib.driving_forces() {
                    println!("  {:<4} {}", f.code, f.title.get(l));
                }
                println!("Trends ({}):", lib.trends().len());
                for th in lib.themes() {
                    println!("  {}. {}", th.code, th.title.get(l));
                    for t in lib.trends_in_theme(&th.code) {
                        println!("    {:<4} {}", t.code, t.title.get(l));
                    }
                }
            }
            Ok(())
        }
    }
}
