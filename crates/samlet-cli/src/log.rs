//! `samlet log …`: audit a transparency log from anywhere (HTTP only), and
//! run the retention process on the server's own database.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Subcommand;
use samlet_log_api::audit::{audit, AuditOptions, AuditState};

use crate::DbArgs;

#[derive(Subcommand)]
pub enum LogCommand {
    /// Check a Samlet log over HTTP: signature, consistency with the checkpoints seen
    /// before (kept in --state), the new leaves against the signed root and their
    /// details against their leaves, retention records, the old entries' details by
    /// count and a random sample. Exits 0 when consistent, 1 with a report otherwise.
    Verify {
        /// The server, e.g. https://samlet.example
        #[arg(long)]
        url: String,
        /// Where the last verified checkpoint and the pinned key are kept (updated on success).
        #[arg(long)]
        state: Option<PathBuf>,
        /// The log's verifier key (name+id+key); otherwise pinned on first use.
        #[arg(long)]
        key: Option<String>,
        /// Re-read and check every leaf, not only those new since the state file.
        #[arg(long)]
        full: bool,
        /// Old leaves to spot-check (inclusion proof and details) on an incremental run.
        #[arg(long, default_value_t = 64)]
        sample: u32,
    },
    /// Retention: delete the details of entries older than N days, append a
    /// retention record to the log saying so, and leave tombstones (the
    /// leaves stay, so verification still works).
    Expire {
        #[arg(long)]
        older_than_days: u32,
        #[command(flatten)]
        db: DbArgs,
    },
}

pub async fn run(cmd: LogCommand) -> anyhow::Result<i32> {
    match cmd {
        LogCommand::Verify {
            url,
            state,
            key,
            full,
            sample,
        } => {
            verify(
                &url,
                state.as_deref(),
                key.as_deref(),
                AuditOptions { full, sample },
            )
            .await
        }
        LogCommand::Expire {
            older_than_days,
            db,
        } => {
            let store = samlet_store::connect(&db.url()?).await?;
            let now = chrono::Utc::now();
            let before = now - chrono::Duration::days(i64::from(older_than_days));
            let done = samlet_app::transparency::log::expire(store.as_ref(), before, now).await?;
            match done.record_index {
                Some(i) => println!(
                    "Expired the details of {} entries older than {before}: every entry below {} \
                     has now expired (retention record at log index {i}, tombstones left).",
                    done.entries, done.expire_before
                ),
                None => println!(
                    "Nothing to expire: every entry older than {before} had already expired \
                     (everything below {}).",
                    done.expire_before
                ),
            }
            Ok(0)
        }
    }
}

fn read_state(path: &Path) -> anyhow::Result<Option<AuditState>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(serde_json::from_str(&text).with_context(|| {
            format!("{} is not a log state file", path.display())
        })?)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

/// Runs the audit and prints the report; returns the exit code.
pub async fn verify(
    url: &str,
    state_file: Option<&Path>,
    key: Option<&str>,
    opts: AuditOptions,
) -> anyhow::Result<i32> {
    let state = match state_file {
        Some(p) => read_state(p)?,
        None => None,
    };
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .build()?;
    let report = audit(&client, url, key, state.as_ref(), opts).await?;
    println!("Log key:     {} ({})", report.key, report.key_source);
    if let Some(prev) = &state {
        println!("Seen before: size {} root {}", prev.size, prev.root);
    }
    println!("Checkpoint:  size {} root {}", report.size, report.root);
    println!(
        "Leaves:      {} {} checked, {} read in all; {} tombstones among them",
        report.leaves_checked,
        if report.full { "(all)" } else { "new" },
        report.leaves_read,
        report.tombstones
    );
    println!(
        "Retention:   every entry below {} expired by retention records in the log",
        report.expire_before
    );
    println!(
        "Governance:  {} record(s) of power handed out among the leaves checked",
        report.governance.len()
    );
    for (i, g) in &report.governance {
        println!("  [{i}] {}", governance_line(g));
    }
    if report.ok() {
        if let (Some(path), Some(new)) = (state_file, &report.new_state) {
            let tmp = path.with_extension("tmp");
            std::fs::write(&tmp, serde_json::to_string_pretty(new)?)?;
            std::fs::rename(&tmp, path)?;
            println!("State:       saved to {}", path.display());
        }
        println!("OK: the log is consistent with every checkpoint seen before.");
        Ok(0)
    } else {
        println!("FAILED: {} problem(s):", report.problems.len());
        for p in report.problems.iter().take(50) {
            println!("  - {p}");
        }
        if report.problems.len() > 50 {
            println!("  … and {} more", report.problems.len() - 50);
        }
        println!("The state file was not updated.");
        Ok(1)
    }
}

/// One line an auditor can read: when, who, what.
fn governance_line(g: &samlet_app::transparency::governance::GovernanceRecord) -> String {
    use samlet_app::transparency::governance::GovernanceAction as A;
    let what = match &g.action {
        A::AgencyRegistered { org, name, scopes } => {
            format!("registered agency {name} ({org}) with {scopes}")
        }
        A::ScopesGranted {
            org,
            name,
            scopes,
            holds,
        } => format!("granted {scopes} to {name} ({org}); it now holds {holds}"),
        A::ScopesRevoked {
            org,
            name,
            scopes,
            holds,
        } => format!("revoked {scopes} from {name} ({org}); it now holds {holds}"),
        A::BasisRegistered {
            basis_id,
            reader_org,
            holder_org,
            category,
            purpose,
            legal_basis,
            ..
        } => format!(
            "registered sharing basis {basis_id}: {reader_org} may read {category} held by {holder_org} to {purpose}, under {legal_basis}"
        ),
        A::BasisAccepted {
            basis_id,
            holder_org,
        } => format!("{holder_org} accepted sharing basis {basis_id}"),
        A::BasisRevoked { basis_id } => format!("revoked sharing basis {basis_id}"),
    };
    format!(
        "{} by {}: {what}",
        g.at.format("%Y-%m-%d %H:%M:%S UTC"),
        g.by
    )
}
