//! Writes a synthetic population CSV for the child-benefit rules, deterministic by seed.
//!
//! `cargo run --release --example generate_population -- [households=1000000] [seed=42] [out=population.csv]`

use std::process::ExitCode;

use chrono::NaiveDate;
use samlet_rules::generate_population;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let households: u64 = args
        .first()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let seed: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(42);
    let out = args
        .get(2)
        .cloned()
        .unwrap_or_else(|| "population.csv".into());
    let Some(reference) = NaiveDate::from_ymd_opt(2024, 9, 1) else {
        return ExitCode::FAILURE;
    };
    let file = match std::fs::File::create(&out) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("cannot create {out}: {e}");
            return ExitCode::FAILURE;
        }
    };
    match generate_population(file, households, seed, reference) {
        Ok((h, p)) => {
            println!("wrote {out}: {h} households, {p} persons (seed {seed})");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
