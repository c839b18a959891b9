//! Population benchmark: child benefit for 1,000,000 synthetic households from CSV.
//! Reports load (CSV parse), compute and write time separately, and peak memory (VmHWM).
//!
//! `cargo run --release --example bench_population -- [households=1000000] [seed=42] [csv=target/bench/population.csv] [period=2024-09] [out=target/bench/rust_out.csv]`
//!
//! The CSV is generated (deterministically) if it does not exist.

use std::io::BufWriter;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use chrono::NaiveDate;
use samlet_rules::{generate_population, load_population, load_rule_set, Period};

fn vm(field: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .map(|l| l[field.len()..].trim().to_string())
        })
        .unwrap_or_else(|| "n/a".into())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let households: u64 = args
        .first()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let seed: u64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(42);
    let csv_path = PathBuf::from(
        args.get(2)
            .cloned()
            .unwrap_or_else(|| "target/bench/population.csv".into()),
    );
    let period: Period = args
        .get(3)
        .map(String::as_str)
        .unwrap_or("2024-09")
        .parse()?;
    let out_path = PathBuf::from(
        args.get(4)
            .cloned()
            .unwrap_or_else(|| "target/bench/rust_out.csv".into()),
    );
    if let Some(dir) = csv_path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    if !csv_path.exists() {
        let t = Instant::now();
        let reference = NaiveDate::from_ymd_opt(2024, 9, 1).ok_or("bad date")?;
        let (h, p) = generate_population(
            std::fs::File::create(&csv_path)?,
            households,
            seed,
            reference,
        )?;
        eprintln!(
            "generated {} ({h} households, {p} persons) in {:.2?}",
            csv_path.display(),
            t.elapsed()
        );
    }
    let size = std::fs::metadata(&csv_path)?.len();
    let rules_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules/child-benefit");
    let rs = load_rule_set(&rules_dir)?;
    let threads = rayon::current_num_threads();
    let hwm_start = vm("VmHWM:");

    let t0 = Instant::now();
    let pop = load_population(
        &rs,
        std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(&csv_path)?),
    )?;
    let load = t0.elapsed();
    let hwm_load = vm("VmHWM:");

    let t1 = Instant::now();
    let results = rs.evaluate_population(&pop, period, |_, _| {})?;
    let compute = t1.elapsed();
    let hwm_compute = vm("VmHWM:");

    let t2 = Instant::now();
    let mut w = csv::Writer::from_writer(BufWriter::new(std::fs::File::create(&out_path)?));
    w.write_record(["household_id", "amount"])?;
    let mut failed = 0;
    let mut total = rust_decimal::Decimal::ZERO;
    for (id, r) in pop.household_ids.iter().zip(&results) {
        match r {
            Ok(d) => {
                total += *d;
                w.write_record([id.as_str(), &d.normalize().to_string()])?;
            }
            Err(_) => {
                failed += 1;
                w.write_record([id.as_str(), ""])?;
            }
        }
    }
    w.flush()?;
    let write = t2.elapsed();

    println!("population benchmark (child-benefit, period {period})");
    println!(
        "  csv            {} ({:.1} MB)",
        csv_path.display(),
        size as f64 / 1e6
    );
    println!("  households     {}", pop.households());
    println!("  persons        {}", pop.persons());
    println!("  rayon threads  {threads}");
    println!("  load (parse)   {:.3} s", load.as_secs_f64());
    println!(
        "  compute        {:.3} s  ({:.0} households/s)",
        compute.as_secs_f64(),
        pop.households() as f64 / compute.as_secs_f64()
    );
    println!("  write          {:.3} s", write.as_secs_f64());
    println!(
        "  total          {:.3} s",
        (load + compute + write).as_secs_f64()
    );
    println!(
        "  peak RSS       start {hwm_start}, after load {hwm_load}, after compute {hwm_compute}"
    );
    println!("  failed         {failed}");
    println!("  sum of amounts {total} NOK");
    println!("  output         {}", out_path.display());

    // Latency of one explained evaluation (what the HTTP endpoint does per request).
    let household: samlet_rules::Household =
        serde_json::from_str(include_str!("data/household.json"))?;
    let n = 10_000;
    let t3 = Instant::now();
    let mut chars = 0;
    for _ in 0..n {
        let ev = rs.evaluate(&household, period)?;
        chars += ev.explanation(samlet_rules::Lang::Nb).len();
    }
    let per = t3.elapsed() / n;
    println!("  single household evaluate + trace + bokmål explanation: {per:.2?} each ({chars} chars total)");
    Ok(())
}
