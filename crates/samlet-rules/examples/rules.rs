//! A small command-line front end, mirroring what `samlet rules …` will offer.
//!
//! ```text
//! cargo run --example rules -- test    rules/child-benefit
//! cargo run --example rules -- inputs  rules/child-benefit [--json]
//! cargo run --example rules -- explain rules/child-benefit household.json 2024-09 [nb|en|json]
//! cargo run --release --example rules -- population rules/child-benefit pop.csv 2024-09 out.csv
//! ```

use std::process::ExitCode;

use samlet_rules::{load_rule_set, run_population, Household, Lang, Period};

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode, Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| {
        args.get(i)
            .map(String::as_str)
            .ok_or("missing argument; see the file's doc comment")
    };
    match arg(0)? {
        "test" => {
            let rs = load_rule_set(arg(1)?)?;
            let report = match args.get(2) {
                Some(p) => rs.run_tests(p),
                None => rs.run_default_tests(),
            };
            print!("{report}");
            Ok(if report.ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        "inputs" => {
            let rs = load_rule_set(arg(1)?)?;
            let r = rs.inputs_report();
            if args.get(2).map(String::as_str) == Some("--json") {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                print!("{r}");
            }
            Ok(ExitCode::SUCCESS)
        }
        "explain" => {
            let rs = load_rule_set(arg(1)?)?;
            let h: Household = serde_json::from_str(&std::fs::read_to_string(arg(2)?)?)?;
            let period: Period = arg(3)?.parse()?;
            let ev = rs.evaluate(&h, period)?;
            match args.get(4).map(String::as_str).unwrap_or("nb") {
                "en" => print!("{}", ev.explanation(Lang::En)),
                "json" => println!("{}", serde_json::to_string_pretty(&ev.trace)?),
                _ => print!("{}", ev.explanation(Lang::Nb)),
            }
            Ok(ExitCode::SUCCESS)
        }
        "population" => {
            let rs = load_rule_set(arg(1)?)?;
            let input = std::fs::File::open(arg(2)?)?;
            let period: Period = arg(3)?.parse()?;
            let out = std::io::BufWriter::new(std::fs::File::create(arg(4)?)?);
            let stats = run_population(&rs, input, period, out, |done, total| {
                eprint!("\r{done}/{total} households");
            })?;
            eprintln!();
            println!("{}", serde_json::to_string_pretty(&stats)?);
            Ok(ExitCode::SUCCESS)
        }
        other => Err(format!("unknown command `{other}`").into()),
    }
}
