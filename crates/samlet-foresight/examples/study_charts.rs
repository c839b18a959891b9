//! Writes the blind-spot matrix, gap chart and CSVs for the study's published
//! scores to a directory: `cargo run --example study_charts -- /tmp/out`.

use std::error::Error;
use std::path::PathBuf;

use samlet_foresight::*;

fn main() -> Result<(), Box<dyn Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".into()));
    let library = Library::builtin()?;
    let trends = library.trend_set(Lang::Nb)?;
    // Ten ballots per trend reproduce the one-decimal means of the study.
    let mut ballots = Vec::new();
    for i in 0..10i64 {
        let ratings = library.trends().iter().map(|t| {
            let split = |mean: f64| {
                let total = (mean * 10.0).round() as i64;
                total / 10 + i64::from(i < total % 10)
            };
            (
                t.code.clone(),
                split(t.reference_scores.map_or(3.5, |r| r.importance)),
                split(t.reference_scores.map_or(3.5, |r| r.preparedness)),
            )
        });
        ballots.push(Ballot::new(ParticipantInfo::default(), ratings, &trends)?);
    }
    let thresholds = Thresholds::default();
    let results = aggregate(&trends, &thresholds, &SegmentConfig::default(), &ballots)?;
    for lang in [Lang::Nb, Lang::En] {
        let opts = ChartOptions {
            lang,
            id_prefix: format!("{lang:?}"),
        };
        let tag = format!("{lang:?}").to_lowercase();
        std::fs::write(
            dir.join(format!("matrix-{tag}.svg")),
            blind_spot_matrix_svg(&results, &thresholds, &opts),
        )?;
        std::fs::write(
            dir.join(format!("gaps-{tag}.svg")),
            gap_bar_chart_svg(&results, &opts),
        )?;
    }
    std::fs::write(dir.join("trends.csv"), trends_csv(&results))?;
    std::fs::write(dir.join("themes.csv"), themes_csv(&results))?;
    println!("{}", serde_json::to_string_pretty(&results.themes)?);
    Ok(())
}
