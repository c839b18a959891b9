//! The OpenAPI schemas of foresight bodies whose Rust types live in the pure
//! `samlet-foresight` crate (which knows nothing of utoipa). Each
//! mirrors the serde shape of its type field for field, with the bounds its
//! validation enforces, so a client generated from the document sends what
//! the server accepts. The handlers still parse into the library's types;
//! the tests below keep both in step.

use utoipa::ToSchema;

/// Blind-spot thresholds on the 1–6 scale: a trend is in the blind spot when
/// its mean importance is above `importance` and its mean preparedness below
/// `preparedness`.
#[derive(ToSchema)]
#[schema(as = ForesightThresholds)]
pub struct ThresholdsSchema {
    #[schema(minimum = 1, maximum = 6, example = 4.5)]
    pub importance: f64,
    #[schema(minimum = 1, maximum = 6, example = 3.5)]
    pub preparedness: f64,
}

/// A ballot: each of the session's trends rated once on both scales.
#[derive(ToSchema)]
#[schema(as = ForesightBallot)]
pub struct BallotSchema {
    /// About the participant; may be omitted.
    pub participant: Option<ParticipantSchema>,
    /// One line per rated trend; each trend at most once.
    pub ratings: Vec<RatingSchema>,
}

/// What the participant says about themselves, if the session asks.
#[derive(ToSchema)]
#[schema(as = ForesightBallotParticipant)]
pub struct ParticipantSchema {
    /// One of the session's role options (see `questions.role` of the join answer).
    #[schema(max_length = 64)]
    pub role: Option<String>,
    /// Whole years of experience, if the session asks.
    #[schema(minimum = 0, maximum = 70)]
    pub experience_years: Option<i64>,
}

/// One trend's ratings.
#[derive(ToSchema)]
#[schema(as = ForesightRating)]
pub struct RatingSchema {
    /// The trend's code in the session, e.g. "1.1".
    pub trend: String,
    /// How important the trend is, 1 (not) to 6 (very).
    #[schema(minimum = 1, maximum = 6)]
    pub importance: i64,
    /// How prepared the organisation is, 1 (not) to 6 (very).
    #[schema(minimum = 1, maximum = 6)]
    pub preparedness: i64,
}

/// A text in bokmål and English.
#[derive(ToSchema)]
#[schema(as = ForesightLocalizedText)]
pub struct LocalizedTextSchema {
    #[schema(min_length = 1, max_length = 4000)]
    pub nb: String,
    #[schema(min_length = 1, max_length = 4000)]
    pub en: String,
}

/// PESTEL category of a driving force.
#[derive(ToSchema)]
#[schema(as = ForesightCategory, rename_all = "snake_case")]
pub enum CategorySchema {
    Political,
    Economic,
    Social,
    Technological,
    Environmental,
    Legal,
}

/// A driving force of the library.
#[derive(ToSchema)]
#[schema(as = ForesightDrivingForce)]
pub struct DrivingForceSchema {
    /// Category prefix and number, e.g. "P4"; the same as in the address.
    #[schema(min_length = 1, max_length = 16)]
    pub code: String,
    pub category: CategorySchema,
    pub title: LocalizedTextSchema,
    /// The source's one-line summary in bokmål.
    pub tagline_nb: Option<String>,
    pub description: LocalizedTextSchema,
    pub key_figures: Vec<LocalizedTextSchema>,
    /// Where the figures and the description come from, as cited.
    #[schema(min_items = 1)]
    pub sources: Vec<String>,
    /// Retired: kept for the record, no longer offered for new sessions.
    pub retired: Option<bool>,
}

/// A theme of the library.
#[derive(ToSchema)]
#[schema(as = ForesightTheme)]
pub struct ThemeSchema {
    /// The theme's number, e.g. "1"; the same as in the address.
    pub code: String,
    pub title: LocalizedTextSchema,
}

/// A study's published mean scores for a trend.
#[derive(ToSchema)]
#[schema(as = ForesightReferenceScores)]
pub struct ReferenceScoresSchema {
    #[schema(minimum = 1, maximum = 6)]
    pub importance: f64,
    #[schema(minimum = 1, maximum = 6)]
    pub preparedness: f64,
}

/// A trend of the library.
#[derive(ToSchema)]
#[schema(as = ForesightTrend)]
pub struct TrendSchema {
    /// The trend's number, e.g. "2.5"; the same as in the address.
    #[schema(min_length = 1, max_length = 16)]
    pub code: String,
    /// Code of the theme it belongs to.
    pub theme: String,
    pub title: LocalizedTextSchema,
    pub description: LocalizedTextSchema,
    pub key_figures: Vec<LocalizedTextSchema>,
    /// Where the figures and the description come from, as cited.
    #[schema(min_items = 1)]
    pub sources: Vec<String>,
    pub reference_scores: Option<ReferenceScoresSchema>,
    /// Retired: kept for the record, no longer offered for new sessions.
    pub retired: Option<bool>,
}

/// Where the two parts of the library come from, as cited.
#[derive(ToSchema)]
#[schema(as = ForesightLibrarySources)]
pub struct LibrarySourcesSchema {
    pub driving_forces: String,
    pub trends: String,
}

/// The library: the seeded driving forces, themes and trends with the team's
/// edits laid over them. Seeded texts are given in bokmål and English.
#[derive(ToSchema)]
#[schema(as = ForesightLibrary)]
pub struct LibrarySchema {
    pub sources: LibrarySourcesSchema,
    /// In source order, PESTEL category by category.
    pub driving_forces: Vec<DrivingForceSchema>,
    /// In study order.
    pub themes: Vec<ThemeSchema>,
    /// In study order.
    pub trends: Vec<TrendSchema>,
}

/// One trend's statistics in a session.
#[derive(ToSchema)]
#[schema(as = ForesightTrendStats)]
pub struct TrendStatsSchema {
    /// The trend's code in the session.
    pub code: String,
    pub title: String,
    /// The theme's name.
    pub theme: String,
    /// Ballots that rated the trend.
    #[schema(minimum = 0)]
    pub n: u64,
    /// Exact mean importance; null when no ballot rated the trend.
    #[schema(minimum = 1, maximum = 6)]
    pub importance_mean: Option<f64>,
    /// Exact mean preparedness; null when no ballot rated the trend.
    #[schema(minimum = 1, maximum = 6)]
    pub preparedness_mean: Option<f64>,
    /// Mean importance minus mean preparedness; null when no ballot rated the trend.
    #[schema(minimum = -5, maximum = 5)]
    pub gap: Option<f64>,
    /// Importance above and preparedness below the thresholds, both strictly.
    pub in_blind_spot: bool,
}

/// One theme's mean gap in a session.
#[derive(ToSchema)]
#[schema(as = ForesightThemeStats)]
pub struct ThemeStatsSchema {
    /// The theme's name.
    pub theme: String,
    /// Unweighted mean of the gaps of the theme's rated trends; null if none is rated.
    pub mean_gap: Option<f64>,
}

/// A segment of participants: shown with its numbers, or the one hidden
/// entry that stands for all of a dimension's groups too small to show.
#[derive(ToSchema)]
#[schema(as = ForesightSegment)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SegmentSchema {
    /// Enough ballots to show.
    Shown {
        /// Role or experience label; null for participants who did not say.
        key: Option<String>,
        /// Ballots in the segment.
        #[schema(minimum = 0)]
        ballots: u64,
        trends: Vec<TrendStatsSchema>,
        themes: Vec<ThemeStatsSchema>,
    },
    /// The groups with too few ballots, together and without label.
    Hidden,
}

/// Segments by role and by experience.
#[derive(ToSchema)]
#[schema(as = ForesightSegments)]
pub struct SegmentsSchema {
    pub by_role: Vec<SegmentSchema>,
    pub by_experience: Vec<SegmentSchema>,
}

/// What the team gets from the results endpoint: always the counts; the
/// results themselves (`ballots`, `trends`, `themes`, `segments`) only when
/// the session is closed or revealed.
#[derive(ToSchema)]
#[schema(as = ResultsView)]
pub struct ResultsViewSchema {
    /// False while the session is open and not revealed: then only the counts are given.
    pub results_visible: bool,
    pub open: bool,
    #[schema(minimum = 0)]
    pub joined: u64,
    #[schema(minimum = 0)]
    pub voted: u64,
    /// Ballots counted; when the results are visible.
    #[schema(minimum = 0, required = false)]
    pub ballots: u64,
    /// Sorted by gap, largest first (trends without ratings last); when the results are visible.
    #[schema(required = false)]
    pub trends: Vec<TrendStatsSchema>,
    /// In order of first appearance in the session; when the results are visible.
    #[schema(required = false)]
    pub themes: Vec<ThemeStatsSchema>,
    /// When the results are visible.
    #[schema(required = false)]
    pub segments: SegmentsSchema,
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use samlet_foresight::{
        BallotInput, Category, Library, ParticipantInput, RatingInput, Results, Segment, Segments,
        ThemeStats, Thresholds, TrendStats,
    };
    use serde::Serialize;
    use utoipa::PartialSchema;

    use super::*;
    use crate::foresight::api::ResultsView;

    /// The schema's properties and required properties.
    fn fields<T: PartialSchema>() -> (BTreeSet<String>, BTreeSet<String>) {
        let v = serde_json::to_value(T::schema()).expect("schema json");
        let props = v["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .cloned()
            .collect();
        let required = v["required"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        (props, required)
    }

    /// Every field the library type writes is in the schema, and every field
    /// the schema requires is one the type writes.
    fn matches<T: PartialSchema>(value: impl Serialize) {
        let v = serde_json::to_value(value).expect("json");
        let keys: BTreeSet<String> = v.as_object().expect("object").keys().cloned().collect();
        let (props, required) = fields::<T>();
        assert!(keys.is_subset(&props), "{keys:?} not all in {props:?}");
        assert!(
            required.is_subset(&keys),
            "requires {required:?}, has {keys:?}"
        );
    }

    #[test]
    fn the_schemas_match_the_library_types() {
        let lib = Library::builtin().expect("library");
        let mut trend = lib
            .trends()
            .iter()
            .find(|t| t.reference_scores.is_some())
            .cloned()
            .expect("a trend with scores");
        trend.retired = true;
        matches::<TrendSchema>(&trend);
        matches::<ReferenceScoresSchema>(trend.reference_scores.expect("scores"));
        matches::<LocalizedTextSchema>(&trend.title);
        let mut force = lib.driving_forces()[0].clone();
        force.retired = true;
        matches::<DrivingForceSchema>(&force);
        matches::<ThemeSchema>(&lib.themes()[0]);
        matches::<ThresholdsSchema>(Thresholds::default());
        let ballot = BallotInput {
            participant: ParticipantInput {
                role: Some("director".into()),
                experience_years: Some(3),
            },
            ratings: vec![RatingInput {
                trend: "1.1".into(),
                importance: 5,
                preparedness: 3,
            }],
        };
        matches::<BallotSchema>(&ballot);
        matches::<ParticipantSchema>(&ballot.participant);
        matches::<RatingSchema>(&ballot.ratings[0]);
    }

    #[test]
    fn the_schemas_match_the_library_and_the_results() {
        let lib = Library::builtin().expect("library");
        matches::<LibrarySchema>(&lib);
        matches::<LibrarySourcesSchema>(lib.sources());
        let stats = TrendStats {
            code: "1.1".into(),
            title: "Økt etterspørsel".into(),
            theme: "Samfunnet".into(),
            n: 5,
            importance_mean: Some(5.2),
            preparedness_mean: Some(2.4),
            gap: Some(2.8),
            in_blind_spot: true,
        };
        let theme = ThemeStats {
            theme: "Samfunnet".into(),
            mean_gap: None,
        };
        matches::<TrendStatsSchema>(&stats);
        matches::<ThemeStatsSchema>(&theme);
        let segments = Segments {
            by_role: vec![
                Segment::Shown {
                    key: Some("director".into()),
                    ballots: 5,
                    trends: vec![stats.clone()],
                    themes: vec![theme.clone()],
                },
                Segment::Hidden,
            ],
            by_experience: vec![],
        };
        matches::<SegmentsSchema>(&segments);
        let view = |results| ResultsView {
            results_visible: true,
            open: false,
            joined: 6,
            voted: 5,
            results,
        };
        let visible = view(Some(Results {
            ballots: 5,
            trends: vec![stats],
            themes: vec![theme],
            segments,
        }));
        matches::<ResultsViewSchema>(&visible);
        let props = fields::<ResultsViewSchema>().0;
        let keys: BTreeSet<String> = serde_json::to_value(&visible)
            .expect("json")
            .as_object()
            .expect("object")
            .keys()
            .cloned()
            .collect();
        assert_eq!(
            keys, props,
            "every field of the visible results is described"
        );
        matches::<ResultsViewSchema>(view(None));
        // Both kinds of segment are in the schema's oneOf.
        let v = serde_json::to_value(SegmentSchema::schema()).expect("schema json");
        let statuses: Vec<&str> = v["oneOf"]
            .as_array()
            .expect("oneOf")
            .iter()
            .filter_map(|s| s["properties"]["status"]["enum"][0].as_str())
            .collect();
        assert_eq!(statuses, ["shown", "hidden"]);
    }

    #[test]
    fn the_document_describes_the_foresight_bodies() {
        let doc = serde_json::to_value(crate::openapi::document()).expect("document");
        let body = |path: &str, method: &str| {
            doc["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
                ["$ref"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(
            body("/api/v1/foresight/ballots", "post"),
            "#/components/schemas/ForesightBallot"
        );
        assert_eq!(
            body("/api/v1/foresight/library/trends/{code}", "put"),
            "#/components/schemas/ForesightTrend"
        );
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["ForesightRating"]["properties"]["importance"]["maximum"],
            6.0
        );
        assert!(schemas["SessionFile"]["properties"]["thresholds"]
            .to_string()
            .contains("ForesightThresholds"));
    }

    #[test]
    fn the_category_schema_names_every_category() {
        let v = serde_json::to_value(CategorySchema::schema()).expect("schema json");
        let names: BTreeSet<&str> = v["enum"]
            .as_array()
            .expect("enum")
            .iter()
            .filter_map(|n| n.as_str())
            .collect();
        let all = [
            Category::Political,
            Category::Economic,
            Category::Social,
            Category::Technological,
            Category::Environmental,
            Category::Legal,
        ];
        let wire: BTreeSet<String> = all
            .iter()
            .map(|c| {
                serde_json::to_value(c)
                    .expect("json")
                    .as_str()
                    .expect("str")
                    .to_owned()
            })
            .collect();
        assert_eq!(
            wire.iter().map(String::as_str).collect::<BTreeSet<_>>(),
            names
        );
    }
}
