//! The journey catalogue shipped with Samlet, embedded in the binary.

use std::path::Path;

use samlet_rules::yaml::Source;

use crate::{load_catalogue_from, Catalogue, CatalogueError};

const FILES: &[(&str, &str)] = &[
    ("agencies.yaml", include_str!("../journeys/agencies.yaml")),
    ("facts.yaml", include_str!("../journeys/facts.yaml")),
    (
        "losing-a-relative.yaml",
        include_str!("../journeys/losing-a-relative.yaml"),
    ),
    ("moving.yaml", include_str!("../journeys/moving.yaml")),
    (
        "new-parent.yaml",
        include_str!("../journeys/new-parent.yaml"),
    ),
    ("offers.yaml", include_str!("../journeys/offers.yaml")),
    (
        "locales/nb/facts.ftl",
        include_str!("../journeys/locales/nb/facts.ftl"),
    ),
    (
        "locales/nb/journeys.ftl",
        include_str!("../journeys/locales/nb/journeys.ftl"),
    ),
    (
        "locales/nn/facts.ftl",
        include_str!("../journeys/locales/nn/facts.ftl"),
    ),
    (
        "locales/nn/journeys.ftl",
        include_str!("../journeys/locales/nn/journeys.ftl"),
    ),
    (
        "locales/en/facts.ftl",
        include_str!("../journeys/locales/en/facts.ftl"),
    ),
    (
        "locales/en/journeys.ftl",
        include_str!("../journeys/locales/en/journeys.ftl"),
    ),
    (
        "locales/da/facts.ftl",
        include_str!("../journeys/locales/da/facts.ftl"),
    ),
    (
        "locales/da/journeys.ftl",
        include_str!("../journeys/locales/da/journeys.ftl"),
    ),
    (
        "starting-a-restaurant.yaml",
        include_str!("../journeys/starting-a-restaurant.yaml"),
    ),
];

/// The shipped catalogue (`journeys/` in the `samlet-journeys` crate).
pub fn shipped_catalogue() -> Result<Catalogue, CatalogueError> {
    let dir = Path::new("journeys");
    let files = FILES
        .iter()
        .map(|(name, text)| Source {
            path: dir.join(name),
            text: (*text).to_owned(),
        })
        .collect();
    load_catalogue_from(dir, files)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_file_on_disk_is_embedded() {
        fn count(dir: &std::path::Path) -> usize {
            std::fs::read_dir(dir)
                .map(|d| {
                    d.filter_map(|e| e.ok())
                        .map(|e| {
                            let p = e.path();
                            if p.is_dir() {
                                count(&p)
                            } else {
                                1
                            }
                        })
                        .sum()
                })
                .unwrap_or(0)
        }
        let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/journeys"));
        assert_eq!(count(dir), super::FILES.len());
    }
}
