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
        let n = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/journeys"))
            .map(|d| d.filter_map(|e| e.ok()).count())
            .unwrap_or(0);
        assert_eq!(n, super::FILES.len());
    }
}
