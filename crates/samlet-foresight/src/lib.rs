//! # samlet-foresight
//!
//! The foresight module of Samlet: a library of driving forces and trends, and
//! the anonymous evaluation method of the inFuture/Spekter study of health and
//! care toward 2030, where participants rate each trend's **importance**
//! (viktighet) and the sector's **preparedness** (beredskap) on a 1–6 scale.
//! A trend is in the **strategic blind spot** when its mean importance is above
//! 4.5 and its mean preparedness below 3.5, both strictly.
//!
//! The crate is pure: no I/O, no clock, no randomness. The server stores
//! ballots and calls in here.
//!
//! ## Flow
//!
//! 1. Build a session's trend list: [`TrendSet::new`] from your own
//!    [`TrendRef`]s, or [`Library::trend_set`] for the study's 14 trends.
//! 2. Validate each incoming ballot with [`Ballot::from_json`] (or
//!    [`BallotInput::validate`]); errors carry a JSON pointer such as
//!    `/ratings/2/importance`.
//! 3. Count ballots live with an [`Aggregator`] (`add`, `remove`, `replace`),
//!    or all at once with [`aggregate()`]; both give identical [`Results`].
//! 4. Show the results: [`blind_spot_matrix_svg`], [`gap_bar_chart_svg`],
//!    [`trends_csv`], [`themes_csv`], or serialise [`Results`] as JSON.
//!
//! ```
//! use samlet_foresight::*;
//!
//! let library = Library::builtin()?;
//! let trends = library.trend_set(Lang::Nb)?;
//! let mut live = Aggregator::new(trends.clone(), Thresholds::default(), SegmentConfig::default());
//! let ballot = Ballot::from_json(
//!     r#"{"participant":{"role":"clinician","experience_years":12},
//!         "ratings":[{"trend":"3.4","importance":6,"preparedness":2}]}"#,
//!     &trends,
//! )?;
//! live.add(&ballot)?;
//! let results = live.results();
//! assert_eq!(results.trends[0].code, "3.4");
//! assert!(results.trends[0].in_blind_spot);
//! let svg = blind_spot_matrix_svg(&results, &Thresholds::default(), &ChartOptions::default());
//! assert!(svg.contains("role=\"img\""));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Anonymity
//!
//! Ballots carry no identity. Segments (by role and by experience bucket) with
//! fewer than five ballots are reported together as one hidden entry with
//! neither numbers nor label (a label alone would show that someone of a rare
//! role took part), and if the hidden
//! segments of a dimension together hold one to four ballots, the smallest
//! shown segment is hidden too, so the small group cannot be found by
//! subtracting the shown segments from the total. Only the study's role keys
//! ([`STUDY_ROLES`]) form role segments unless a session opts out, so free
//! text typed as a role never becomes a segment key. Two limits remain for the
//! server: per-trend `n` inside a shown segment can be small when ballots are
//! partial (anonymity is per ballot, k ≥ 5), and publishing after every single
//! ballot lets an observer diff snapshots, so the server withholds an open
//! session's results until it closes or the team reveals them.
//!
//! ## Modules
//!
//! * [`rating`]: [`Rating`] (1..=6), [`Thresholds`], [`scale_labels`].
//! * [`ballot`]: [`TrendRef`], [`TrendSet`], [`ParticipantInfo`], [`Ballot`].
//! * [`mod@aggregate`]: [`aggregate()`], [`Aggregator`], [`Results`] and segments.
//! * [`library`]: [`Library`], [`DrivingForce`], [`Trend`], [`Theme`].
//! * [`render`]: SVG and CSV output.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod aggregate;
pub mod ballot;
pub mod library;
pub mod rating;
pub mod render;

pub use aggregate::{
    aggregate, compare_codes, AggregateError, Aggregator, ExperienceBuckets, Results, Segment,
    SegmentConfig, Segments, ThemeStats, TrendStats, MIN_SEGMENT_SIZE,
};
pub use ballot::{
    Ballot, BallotError, BallotInput, ParticipantInfo, ParticipantInput, RatingInput, SessionError,
    TrendRating, TrendRef, TrendSet, STUDY_ROLES,
};
pub use library::{
    Category, DrivingForce, Library, LibraryEdit, LibraryError, LibrarySources, LocalizedText,
    ReferenceScores, Theme, Trend, BUILTIN_LIBRARY_JSON,
};
pub use rating::{scale_labels, Lang, Rating, RatingError, Scale, Thresholds};
pub use render::{
    blind_spot_matrix_svg, escape_xml, format_number, gap_bar_chart_svg, themes_csv, trends_csv,
    ChartOptions,
};
