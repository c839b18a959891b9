//! `samlet basis add|list|revoke`: the operator registers sharing bases
//! between agencies ("NAV may read Skatteetaten's cases for sick pay under
//! folketrygdloven § 8-28"), lists them and revokes them. A basis takes
//! effect only once the holder accepts it through the API
//! (`POST /api/v1/sharing-bases/{id}/accept`); each step is a governance
//! record in the transparency log.

use anyhow::{bail, Context};
use chrono::{NaiveDate, Utc};
use samlet_access::CATEGORIES;
use samlet_domain::OrgNumber;
use samlet_store::{NewSharingBasis, StoredSharingBasis};

use crate::DbArgs;

#[derive(clap::Subcommand)]
pub enum BasisCommand {
    /// Register a basis: READER may read CATEGORY held by HOLDER, for PURPOSE, under
    /// LEGAL-BASIS. It applies once the holder accepts it.
    Add(AddArgs),
    /// List bases (all, or those where ORG is reader or holder).
    List {
        #[arg(long)]
        org: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        #[arg(long)]
        json: bool,
    },
    /// Revoke a basis: reads under it stop at once.
    Revoke {
        #[arg(long)]
        id: String,
        /// Who revokes (default: $SAMLET_OPERATOR or the OS user name).
        #[arg(long)]
        by: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(clap::Args)]
pub struct AddArgs {
    /// The agency that may read (organisation number).
    #[arg(long)]
    reader: String,
    /// The agency holding the data (organisation number); it must accept the basis.
    #[arg(long)]
    holder: String,
    /// cases, deadlines, benefits or messages.
    #[arg(long)]
    category: String,
    /// What the reader uses the data for, e.g. "vurdere sykepenger". The reader states
    /// the same purpose with each read (Samlet-Purpose); the person sees it in their log.
    #[arg(long)]
    purpose: String,
    /// The law and section, e.g. "folketrygdloven § 8-28".
    #[arg(long)]
    legal_basis: String,
    /// A URL to the law text (https).
    #[arg(long)]
    legal_ref: Option<String>,
    /// First valid day, YYYY-MM-DD (default: today).
    #[arg(long)]
    from: Option<String>,
    /// Last valid day, YYYY-MM-DD, inclusive (default: until revoked).
    #[arg(long)]
    to: Option<String>,
    /// Who registers (default: $SAMLET_OPERATOR or the OS user name).
    #[arg(long)]
    by: Option<String>,
    #[command(flatten)]
    db: DbArgs,
    #[arg(long)]
    json: bool,
}

const MAX_TEXT: usize = 300;

/// The operator's name: `--by`, else `$SAMLET_OPERATOR`, else the login
/// name the OS gives the process (the environment's `USER`/`USERNAME`,
/// which is all the standard library and the shells offer).
pub fn operator(by: Option<&str>) -> anyhow::Result<String> {
    let name = by
        .map(str::to_owned)
        .or_else(|| std::env::var("SAMLET_OPERATOR").ok())
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    let Some(name) = name else {
        bail!("--by: say who you are (or set SAMLET_OPERATOR)");
    };
    text("--by", &name, 100)
}

fn text(flag: &str, v: &str, max: usize) -> anyhow::Result<String> {
    let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
    if v.is_empty() {
        bail!("{flag}: must not be empty");
    }
    if v.chars().count() > max {
        bail!("{flag}: at most {max} characters");
    }
    if v.chars().any(char::is_control) {
        bail!("{flag}: control characters are not allowed");
    }
    Ok(v)
}

fn org(flag: &str, v: &str) -> anyhow::Result<OrgNumber> {
    OrgNumber::parse(v.trim()).map_err(|e| anyhow::anyhow!("{flag} {v}: {e}"))
}

fn day(flag: &str, v: &str) -> anyhow::Result<NaiveDate> {
    NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
        .map_err(|_| anyhow::anyhow!("{flag} {v}: write the day as YYYY-MM-DD"))
}

/// A checked basis, before the database is touched.
pub fn parse_add(a: &AddArgs, today: NaiveDate) -> anyhow::Result<NewSharingBasis> {
    let reader = org("--reader", &a.reader)?;
    let holder = org("--holder", &a.holder)?;
    if reader == holder {
        bail!("--reader and --holder are the same agency: an agency reads its own items without a basis");
    }
    let category = a.category.trim().to_ascii_lowercase();
    if !CATEGORIES.contains(&category.as_str()) {
        bail!(
            "--category: \"{}\" is not a category; the categories are {}",
            a.category.trim(),
            CATEGORIES.join(", ")
        );
    }
    let purpose = text("--purpose", &a.purpose, MAX_TEXT)?;
    let legal_basis = text("--legal-basis", &a.legal_basis, MAX_TEXT)?;
    if !legal_basis.chars().any(|c| c.is_ascii_digit()) {
        bail!("--legal-basis: name the law and the section, e.g. \"folketrygdloven § 8-28\"");
    }
    let legal_ref = match &a.legal_ref {
        None => None,
        Some(r) => {
            let u = url::Url::parse(r.trim())
                .map_err(|e| anyhow::anyhow!("--legal-ref {r}: not a URL ({e})"))?;
            if !matches!(u.scheme(), "https" | "http") || u.host().is_none() {
                bail!("--legal-ref {r}: give an https:// address of the law text");
            }
            Some(u.to_string())
        }
    };
    let valid_from = match &a.from {
        Some(f) => day("--from", f)?,
        None => today,
    };
    let valid_to = a.to.as_deref().map(|t| day("--to", t)).transpose()?;
    if let Some(to) = valid_to {
        if to < valid_from {
            bail!("--to {to} is before --from {valid_from}");
        }
        if to < today {
            bail!("--to {to} is in the past");
        }
    }
    Ok(NewSharingBasis {
        id: new_id(),
        reader_org: reader.to_string(),
        holder_org: holder.to_string(),
        category,
        purpose,
        legal_basis,
        legal_ref,
        valid_from,
        valid_to,
        created_by: operator(a.by.as_deref())?,
    })
}

/// `sb_` and 128 random bits: unguessable, so naming an id proves nothing.
fn new_id() -> String {
    format!("sb_{:032x}", rand::random::<u128>())
}

fn status(b: &StoredSharingBasis) -> &'static str {
    if b.revoked_at.is_some() {
        "revoked"
    } else if b.accepted_at.is_some() {
        "accepted"
    } else {
        "pending"
    }
}

fn json(b: &StoredSharingBasis) -> serde_json::Value {
    let mut v = serde_json::to_value(b).unwrap_or_default();
    v["status"] = status(b).into();
    v
}

fn line(b: &StoredSharingBasis) -> String {
    let to = b.valid_to.map(|d| d.to_string()).unwrap_or_default();
    format!(
        "{}  {}  reader {} reads {} of holder {}  purpose \"{}\"  under {}  {}..{}",
        b.id,
        status(b),
        b.reader_org,
        b.category,
        b.holder_org,
        b.purpose,
        b.legal_basis,
        b.valid_from,
        to
    )
}

pub async fn run(cmd: BasisCommand) -> anyhow::Result<()> {
    match cmd {
        BasisCommand::Add(a) => {
            let b = parse_add(&a, Utc::now().date_naive())?;
            let store = samlet_store::connect(&a.db.url()?).await?;
            for (flag, o) in [("--reader", &b.reader_org), ("--holder", &b.holder_org)] {
                let o = org(flag, o)?;
                store.agency_by_org(&o).await?.with_context(|| {
                    format!("{flag}: no agency with organisation number {o} is registered (samlet agency add)")
                })?;
            }
            let index = samlet_app::authority::register_basis(store.as_ref(), &b).await?;
            let stored = store
                .sharing_basis(&b.id)
                .await?
                .context("the basis was not stored")?;
            if a.json {
                println!("{}", serde_json::to_string_pretty(&json(&stored))?);
            } else {
                println!("{}", line(&stored));
                println!(
                    "Registered (transparency log index {index}). It applies once {} accepts it (POST /api/v1/sharing-bases/{}/accept).",
                    stored.holder_org, stored.id
                );
            }
            Ok(())
        }
        BasisCommand::List {
            org: o,
            db,
            json: as_json,
        } => {
            let o = o.as_deref().map(|v| org("--org", v)).transpose()?;
            let store = samlet_store::connect(&db.url()?).await?;
            let list = store
                .sharing_bases(o.as_ref().map(OrgNumber::as_str))
                .await?;
            if as_json {
                let v: Vec<_> = list.iter().map(json).collect();
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                for b in &list {
                    println!("{}", line(b));
                }
            }
            Ok(())
        }
        BasisCommand::Revoke { id, by, db } => {
            let id = text("--id", &id, 64)?;
            let by = operator(by.as_deref())?;
            let store = samlet_store::connect(&db.url()?).await?;
            let Some(b) = store.sharing_basis(&id).await? else {
                bail!("--id {id}: no sharing basis with this id (samlet basis list)");
            };
            if b.revoked_at.is_some() {
                bail!("--id {id}: already revoked");
            }
            if !samlet_app::authority::revoke_basis(store.as_ref(), &id, None, &by).await? {
                bail!("--id {id}: already revoked");
            }
            let stored = store.sharing_basis(&id).await?.context("basis vanished")?;
            println!("{}", line(&stored));
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> AddArgs {
        AddArgs {
            reader: "889640782".into(),
            holder: "974761076".into(),
            category: "Cases".into(),
            purpose: " vurdere   sykepenger ".into(),
            legal_basis: "folketrygdloven § 8-28".into(),
            legal_ref: Some("https://lovdata.no/lov/1997-02-28-19/§8-28".into()),
            from: Some("2026-01-01".into()),
            to: Some("2026-12-31".into()),
            by: Some("ola".into()),
            db: DbArgs {
                data_dir: None,
                database_url: None,
            },
            json: false,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default()
    }

    fn err(a: AddArgs) -> String {
        parse_add(&a, today())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    #[test]
    fn a_basis_is_checked_and_normalised_before_anything_is_written() {
        let b = parse_add(&args(), today()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(b.category, "cases");
        assert_eq!(b.purpose, "vurdere sykepenger");
        assert!(b.id.starts_with("sb_") && b.id.len() == 35);
        assert_eq!(b.created_by, "ola");

        let mut a = args();
        a.holder = a.reader.clone();
        assert!(err(a).contains("same agency"));
        let mut a = args();
        a.category = "diagnoses".into();
        assert!(err(a).contains("not a category"));
        let mut a = args();
        a.legal_basis = "because".into();
        assert!(err(a).contains("law and the section"));
        let mut a = args();
        a.legal_ref = Some("javascript:alert(1)".into());
        assert!(err(a).contains("--legal-ref"));
        let mut a = args();
        a.to = Some("2025-12-31".into());
        assert!(err(a).contains("before --from"));
        let mut a = args();
        a.from = Some("2026-13-01".into());
        assert!(err(a).contains("YYYY-MM-DD"));
        let mut a = args();
        a.purpose = "\u{7}".into();
        assert!(err(a).contains("control"));
        let mut a = args();
        a.reader = "123".into();
        assert!(err(a).contains("--reader"));
    }
}
