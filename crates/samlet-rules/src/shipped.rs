//! The rule sets shipped with Samlet, embedded in the binary so the server and the CLI work
//! from any working directory.

use std::path::{Path, PathBuf};

use crate::{load_rule_set_from_files, LoadError, RuleSet};

/// `(rule set id, [(file name, text)])` for every shipped rule set.
const SHIPPED: &[(&str, &[(&str, &str)])] = &[
    (
        "child-benefit",
        &[
            (
                "inputs.yaml",
                include_str!("../rules/child-benefit/inputs.yaml"),
            ),
            (
                "parameters.yaml",
                include_str!("../rules/child-benefit/parameters.yaml"),
            ),
            (
                "rules.yaml",
                include_str!("../rules/child-benefit/rules.yaml"),
            ),
            (
                "ruleset.yaml",
                include_str!("../rules/child-benefit/ruleset.yaml"),
            ),
            (
                "locales/nb/child-benefit.ftl",
                include_str!("../rules/child-benefit/locales/nb/child-benefit.ftl"),
            ),
            (
                "locales/nn/child-benefit.ftl",
                include_str!("../rules/child-benefit/locales/nn/child-benefit.ftl"),
            ),
            (
                "locales/en/child-benefit.ftl",
                include_str!("../rules/child-benefit/locales/en/child-benefit.ftl"),
            ),
            (
                "locales/da/child-benefit.ftl",
                include_str!("../rules/child-benefit/locales/da/child-benefit.ftl"),
            ),
        ],
    ),
    // Offered after a death (life events): see journeys/offers.yaml in samlet-journeys.
    (
        "funeral-grant",
        &[
            (
                "inputs.yaml",
                include_str!("../rules/funeral-grant/inputs.yaml"),
            ),
            (
                "parameters.yaml",
                include_str!("../rules/funeral-grant/parameters.yaml"),
            ),
            (
                "rules.yaml",
                include_str!("../rules/funeral-grant/rules.yaml"),
            ),
            (
                "ruleset.yaml",
                include_str!("../rules/funeral-grant/ruleset.yaml"),
            ),
            (
                "locales/nb/funeral-grant.ftl",
                include_str!("../rules/funeral-grant/locales/nb/funeral-grant.ftl"),
            ),
            (
                "locales/nn/funeral-grant.ftl",
                include_str!("../rules/funeral-grant/locales/nn/funeral-grant.ftl"),
            ),
            (
                "locales/en/funeral-grant.ftl",
                include_str!("../rules/funeral-grant/locales/en/funeral-grant.ftl"),
            ),
            (
                "locales/da/funeral-grant.ftl",
                include_str!("../rules/funeral-grant/locales/da/funeral-grant.ftl"),
            ),
        ],
    ),
];

/// Loads every rule set shipped with Samlet (the directory shown in errors is
/// `rules/<id>` inside the `samlet-rules` crate).
pub fn shipped_rule_sets() -> Result<Vec<RuleSet>, LoadError> {
    SHIPPED
        .iter()
        .map(|(id, files)| {
            let dir = Path::new("rules").join(id);
            let files: Vec<(PathBuf, String)> = files
                .iter()
                .map(|(name, text)| (dir.join(name), (*text).to_owned()))
                .collect();
            load_rule_set_from_files(&dir, &files)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_rule_sets_load_and_match_the_files_on_disk() {
        let shipped = shipped_rule_sets();
        assert!(shipped.is_ok(), "{:?}", shipped.err());
        let shipped = shipped.unwrap_or_default();
        assert_eq!(shipped.len(), SHIPPED.len());
        for (rs, (id, files)) in shipped.iter().zip(SHIPPED) {
            assert_eq!(rs.id(), *id);
            // Every YAML and message file in the directory must be embedded, or the binary would
            // drift.
            let dir =
                std::path::PathBuf::from(format!("{}/rules/{id}", env!("CARGO_MANIFEST_DIR")));
            let yaml = std::fs::read_dir(&dir)
                .map(|d| {
                    d.filter_map(|e| e.ok())
                        .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
                        .count()
                })
                .unwrap_or(0);
            let ftl = crate::read_locales(&dir).map(|v| v.len()).unwrap_or(0);
            assert_eq!(yaml + ftl, files.len(), "{id}");
            // And the shipped test cases pass.
            let report = rs.run_default_tests();
            assert!(
                report.failed() == 0 && report.passed() > 0,
                "{id}: {report}"
            );
        }
    }
}
