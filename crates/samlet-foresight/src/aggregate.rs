//! Aggregation of ballots into the study's analysis: per-trend means and gaps,
//! the blind spot, theme averages and anonymity-protected segments.
//!
//! All sums are kept as integers, so adding and removing ballots is exact and
//! the incremental [`Aggregator`] gives bit-for-bit the same [`Results`] as the
//! batch [`aggregate`] in any order.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ballot::{Ballot, TrendSet, STUDY_ROLES};
use crate::rating::Thresholds;

/// Fewest ballots a segment may have before its numbers are shown. Five is the
/// floor set for Samlet; a session may raise it but never lower it.
pub const MIN_SEGMENT_SIZE: u64 = 5;

/// Errors from configuring or feeding the aggregation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AggregateError {
    /// The ballot was validated against a different session.
    #[error("ballot rates trend {0:?}, which is not in this session")]
    ForeignTrend(String),
    /// Removing a ballot that is not counted would make counts negative.
    #[error("ballot cannot be removed: it is not among the counted ballots")]
    NotCounted,
    /// Bucket edges must start at 0 and strictly increase.
    #[error("experience bucket edges must start at 0 and strictly increase")]
    InvalidBuckets,
    /// The segment floor may not go below [`MIN_SEGMENT_SIZE`].
    #[error("minimum segment size {0} is below the floor of 5")]
    SegmentFloor(u64),
}

/// Experience groups, given by their lower edges in years. The study reports a
/// pattern by experience ("lengre erfaring korresponderer med et økende
/// trendgap") but publishes no grouping, so the default is 0–4, 5–9, 10–19, 20+.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<u32>", into = "Vec<u32>")]
pub struct ExperienceBuckets {
    lower_edges: Vec<u32>,
}

impl Default for ExperienceBuckets {
    fn default() -> Self {
        ExperienceBuckets {
            lower_edges: vec![0, 5, 10, 20],
        }
    }
}

impl TryFrom<Vec<u32>> for ExperienceBuckets {
    type Error = AggregateError;
    fn try_from(v: Vec<u32>) -> Result<Self, Self::Error> {
        ExperienceBuckets::new(v)
    }
}

impl From<ExperienceBuckets> for Vec<u32> {
    fn from(b: ExperienceBuckets) -> Self {
        b.lower_edges
    }
}

impl ExperienceBuckets {
    /// Lower edges such as `[0, 5, 10, 20]`; the last bucket is open-ended.
    pub fn new(lower_edges: Vec<u32>) -> Result<Self, AggregateError> {
        if lower_edges.first() != Some(&0) || lower_edges.windows(2).any(|w| w[0] >= w[1]) {
            return Err(AggregateError::InvalidBuckets);
        }
        Ok(ExperienceBuckets { lower_edges })
    }

    /// Number of buckets.
    pub fn len(&self) -> usize {
        self.lower_edges.len()
    }

    /// Never true; buckets always start at 0.
    pub fn is_empty(&self) -> bool {
        self.lower_edges.is_empty()
    }

    /// Index of the bucket holding `years`.
    pub fn bucket_of(&self, years: u32) -> usize {
        // Edges start at 0, so at least one edge is <= years.
        self.lower_edges
            .iter()
            .rposition(|&e| e <= years)
            .unwrap_or(0)
    }

    /// Label such as "5-9" or "20+".
    pub fn label(&self, index: usize) -> String {
        let lo = self.lower_edges.get(index).copied().unwrap_or(0);
        match self.lower_edges.get(index + 1) {
            Some(&next) if next - 1 == lo => lo.to_string(),
            Some(&next) => format!("{lo}-{}", next - 1),
            None => format!("{lo}+"),
        }
    }
}

/// How segments are formed and protected.
///
/// Roles are free text on the wire, so by default only the study's role keys
/// ([`STUDY_ROLES`]) form role segments and any other text counts as "no role".
/// Otherwise a participant who typed their own name would appear as the key of
/// a (hidden) segment, which is exactly the leak hiding is meant to prevent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "SegmentConfigWire")]
pub struct SegmentConfig {
    experience_buckets: ExperienceBuckets,
    min_segment_size: u64,
    role_keys: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SegmentConfigWire {
    #[serde(default)]
    experience_buckets: ExperienceBuckets,
    #[serde(default = "default_floor")]
    min_segment_size: u64,
    #[serde(default = "default_roles")]
    role_keys: Option<Vec<String>>,
}

fn default_floor() -> u64 {
    MIN_SEGMENT_SIZE
}

fn default_roles() -> Option<Vec<String>> {
    Some(STUDY_ROLES.iter().map(|k| k.to_string()).collect())
}

impl TryFrom<SegmentConfigWire> for SegmentConfig {
    type Error = AggregateError;
    fn try_from(w: SegmentConfigWire) -> Result<Self, Self::Error> {
        SegmentConfig::new(w.experience_buckets, w.min_segment_size, w.role_keys)
    }
}

impl Default for SegmentConfig {
    /// Default buckets, a floor of five and the study's role keys.
    fn default() -> Self {
        SegmentConfig {
            experience_buckets: ExperienceBuckets::default(),
            min_segment_size: MIN_SEGMENT_SIZE,
            role_keys: default_roles(),
        }
    }
}

impl SegmentConfig {
    /// Custom buckets, floor (not below five) and accepted role keys (`None`
    /// accepts any role text; only do that when roles come from a fixed list).
    pub fn new(
        experience_buckets: ExperienceBuckets,
        min_segment_size: u64,
        role_keys: Option<Vec<String>>,
    ) -> Result<Self, AggregateError> {
        if min_segment_size < MIN_SEGMENT_SIZE {
            return Err(AggregateError::SegmentFloor(min_segment_size));
        }
        Ok(SegmentConfig {
            experience_buckets,
            min_segment_size,
            role_keys,
        })
    }

    /// The experience grouping.
    pub fn experience_buckets(&self) -> &ExperienceBuckets {
        &self.experience_buckets
    }

    /// Segments with fewer ballots than this are hidden.
    pub fn min_segment_size(&self) -> u64 {
        self.min_segment_size
    }

    /// Role keys that form segments; `None` means any.
    pub fn role_keys(&self) -> Option<&[String]> {
        self.role_keys.as_deref()
    }

    /// The role segment a participant's role falls in (`None` = no role).
    pub fn role_segment<'a>(&self, role: Option<&'a str>) -> Option<&'a str> {
        match (&self.role_keys, role) {
            (_, None) => None,
            (None, Some(r)) => Some(r),
            (Some(keys), Some(r)) => keys.iter().any(|k| k == r).then_some(r),
        }
    }
}

/// Statistics for one trend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendStats {
    /// Trend code.
    pub code: String,
    /// Trend title.
    pub title: String,
    /// Theme name.
    pub theme: String,
    /// Number of ballots that rated this trend.
    pub n: u64,
    /// Exact mean importance (sum / n); `None` when n = 0.
    pub importance_mean: Option<f64>,
    /// Exact mean preparedness; `None` when n = 0.
    pub preparedness_mean: Option<f64>,
    /// importance_mean − preparedness_mean, the study's "gap"; `None` when n = 0.
    pub gap: Option<f64>,
    /// Importance above and preparedness below the thresholds, both strictly.
    pub in_blind_spot: bool,
}

/// The average gap of one theme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeStats {
    /// Theme name.
    pub theme: String,
    /// Unweighted mean of the gaps of the theme's trends that have ratings;
    /// `None` if none has. See [`aggregate`] for why this definition.
    pub mean_gap: Option<f64>,
}

/// One segment of participants. Hidden segments carry no numbers and no
/// label: a dimension's small groups are reported together as one hidden
/// entry, so not even the presence of a rare role or experience band shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Segment {
    /// Enough ballots to show.
    Shown {
        /// Role or experience label; `null` for participants who did not say.
        key: Option<String>,
        /// Ballots in the segment (at least the floor).
        ballots: u64,
        /// Per-trend stats, sorted like [`Results::trends`].
        trends: Vec<TrendStats>,
        /// Per-theme mean gaps.
        themes: Vec<ThemeStats>,
    },
    /// The groups with too few ballots (or hidden so a small one cannot be
    /// derived by subtraction), together; at most one per dimension, last.
    Hidden,
}

impl Segment {
    /// The segment's key (`None` for "did not say", and for the hidden entry).
    pub fn key(&self) -> Option<&str> {
        match self {
            Segment::Shown { key, .. } => key.as_deref(),
            Segment::Hidden => None,
        }
    }
}

/// Segments by role and by experience.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segments {
    /// One segment per accepted role present (sorted), then `null` for no or
    /// unaccepted role, if any.
    pub by_role: Vec<Segment>,
    /// One segment per configured bucket, then `null` for no answer, if any.
    pub by_experience: Vec<Segment>,
}

/// The analysis of one session, serialised as
/// `{"ballots", "trends", "themes", "segments"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// Number of ballots counted.
    pub ballots: u64,
    /// Trends sorted by gap descending (no data last), ties by code.
    pub trends: Vec<TrendStats>,
    /// Themes in order of first appearance in the session.
    pub themes: Vec<ThemeStats>,
    /// Role and experience segments.
    pub segments: Segments,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct TrendAcc {
    n: u64,
    importance_sum: u64,
    preparedness_sum: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct GroupAcc {
    ballots: u64,
    trends: Vec<TrendAcc>,
}

impl GroupAcc {
    fn new(len: usize) -> Self {
        GroupAcc {
            ballots: 0,
            trends: vec![TrendAcc::default(); len],
        }
    }

    fn add(&mut self, lines: &[(usize, u64, u64)]) {
        self.ballots += 1;
        for &(i, imp, prep) in lines {
            if let Some(t) = self.trends.get_mut(i) {
                t.n += 1;
                t.importance_sum += imp;
                t.preparedness_sum += prep;
            }
        }
    }

    fn can_remove(&self, lines: &[(usize, u64, u64)]) -> bool {
        self.ballots >= 1
            && lines.iter().all(|&(i, imp, prep)| {
                self.trends.get(i).is_some_and(|t| {
                    t.n >= 1 && t.importance_sum >= imp && t.preparedness_sum >= prep
                })
            })
    }

    /// Only call after `can_remove` returned true.
    fn remove(&mut self, lines: &[(usize, u64, u64)]) {
        self.ballots = self.ballots.saturating_sub(1);
        for &(i, imp, prep) in lines {
            if let Some(t) = self.trends.get_mut(i) {
                t.n = t.n.saturating_sub(1);
                t.importance_sum = t.importance_sum.saturating_sub(imp);
                t.preparedness_sum = t.preparedness_sum.saturating_sub(prep);
            }
        }
    }
}

/// Live counts for a session: add and remove ballots as they arrive or change,
/// read [`Results`] at any time. Equal to recomputing with [`aggregate`].
///
/// Note: publishing results after every single ballot lets an observer diff two
/// snapshots and learn one ballot; the server should publish on a timer or in
/// batches if that matters for a session.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregator {
    trends: TrendSet,
    thresholds: Thresholds,
    config: SegmentConfig,
    overall: GroupAcc,
    by_role: BTreeMap<String, GroupAcc>,
    role_unspecified: GroupAcc,
    by_experience: Vec<GroupAcc>,
    experience_unspecified: GroupAcc,
}

impl Aggregator {
    /// An empty aggregation for a session.
    pub fn new(trends: TrendSet, thresholds: Thresholds, config: SegmentConfig) -> Self {
        let len = trends.len();
        let buckets = config.experience_buckets.len();
        Aggregator {
            overall: GroupAcc::new(len),
            by_role: BTreeMap::new(),
            role_unspecified: GroupAcc::new(len),
            by_experience: vec![GroupAcc::new(len); buckets],
            experience_unspecified: GroupAcc::new(len),
            trends,
            thresholds,
            config,
        }
    }

    /// Ballots currently counted.
    pub fn ballots(&self) -> u64 {
        self.overall.ballots
    }

    /// The session's trends.
    pub fn trends(&self) -> &TrendSet {
        &self.trends
    }

    /// The blind-spot thresholds in use (the renderers need them too).
    pub fn thresholds(&self) -> &Thresholds {
        &self.thresholds
    }

    /// The segment configuration in use.
    pub fn config(&self) -> &SegmentConfig {
        &self.config
    }

    fn lines(&self, ballot: &Ballot) -> Result<Vec<(usize, u64, u64)>, AggregateError> {
        ballot
            .ratings()
            .iter()
            .map(|r| {
                self.trends
                    .position(&r.trend)
                    .map(|i| {
                        (
                            i,
                            u64::from(r.importance.get()),
                            u64::from(r.preparedness.get()),
                        )
                    })
                    .ok_or_else(|| AggregateError::ForeignTrend(r.trend.clone()))
            })
            .collect()
    }

    fn experience_index(&self, ballot: &Ballot) -> Option<usize> {
        ballot
            .participant()
            .experience_years()
            .map(|y| self.config.experience_buckets.bucket_of(y))
    }

    /// Counts a ballot. Fails without changing anything if the ballot belongs to
    /// another session.
    pub fn add(&mut self, ballot: &Ballot) -> Result<(), AggregateError> {
        let lines = self.lines(ballot)?;
        self.add_lines(ballot, &lines);
        Ok(())
    }

    fn add_lines(&mut self, ballot: &Ballot, lines: &[(usize, u64, u64)]) {
        let len = self.trends.len();
        self.overall.add(lines);
        match self.config.role_segment(ballot.participant().role()) {
            Some(role) => self
                .by_role
                .entry(role.to_string())
                .or_insert_with(|| GroupAcc::new(len))
                .add(lines),
            None => self.role_unspecified.add(lines),
        }
        match self.experience_index(ballot) {
            Some(i) => {
                if let Some(g) = self.by_experience.get_mut(i) {
                    g.add(lines);
                }
            }
            None => self.experience_unspecified.add(lines),
        }
    }

    /// Uncounts a ballot, e.g. when a participant withdraws. Fails without
    /// changing anything if the counts show it cannot have been added. The
    /// caller must only remove ballots it added: counts cannot tell two ballots
    /// with the same segment apart.
    pub fn remove(&mut self, ballot: &Ballot) -> Result<(), AggregateError> {
        let lines = self.lines(ballot)?;
        let exp = self.experience_index(ballot);
        let role = self.config.role_segment(ballot.participant().role());
        let role_ok = match role {
            Some(role) => self.by_role.get(role).is_some_and(|g| g.can_remove(&lines)),
            None => self.role_unspecified.can_remove(&lines),
        };
        let exp_ok = match exp {
            Some(i) => self
                .by_experience
                .get(i)
                .is_some_and(|g| g.can_remove(&lines)),
            None => self.experience_unspecified.can_remove(&lines),
        };
        if !(self.overall.can_remove(&lines) && role_ok && exp_ok) {
            return Err(AggregateError::NotCounted);
        }
        self.overall.remove(&lines);
        match role {
            Some(role) => {
                let empty = match self.by_role.get_mut(role) {
                    Some(g) => {
                        g.remove(&lines);
                        g.ballots == 0
                    }
                    None => false,
                };
                // Drop empty roles so results match a batch run that never saw them.
                if empty {
                    self.by_role.remove(role);
                }
            }
            None => self.role_unspecified.remove(&lines),
        }
        match exp {
            Some(i) => {
                if let Some(g) = self.by_experience.get_mut(i) {
                    g.remove(&lines);
                }
            }
            None => self.experience_unspecified.remove(&lines),
        }
        Ok(())
    }

    /// Swaps a participant's earlier ballot for a new one (they changed their
    /// mind). Same as `remove(old)` then `add(new)`, but all-or-nothing.
    pub fn replace(&mut self, old: &Ballot, new: &Ballot) -> Result<(), AggregateError> {
        let new_lines = self.lines(new)?;
        self.remove(old)?;
        self.add_lines(new, &new_lines);
        Ok(())
    }

    /// The analysis of the ballots counted so far.
    pub fn results(&self) -> Results {
        let (trends, themes) = group_stats(&self.trends, &self.thresholds, &self.overall);
        let min = self.config.min_segment_size;

        let mut roles: Vec<(Option<String>, &GroupAcc)> = self
            .by_role
            .iter()
            .map(|(k, g)| (Some(k.clone()), g))
            .collect();
        if self.role_unspecified.ballots > 0 {
            roles.push((None, &self.role_unspecified));
        }

        let mut exps: Vec<(Option<String>, &GroupAcc)> = self
            .by_experience
            .iter()
            .enumerate()
            .map(|(i, g)| (Some(self.config.experience_buckets.label(i)), g))
            .collect();
        if self.experience_unspecified.ballots > 0 {
            exps.push((None, &self.experience_unspecified));
        }

        Results {
            ballots: self.overall.ballots,
            trends,
            themes,
            segments: Segments {
                by_role: self.segments(roles, min),
                by_experience: self.segments(exps, min),
            },
        }
    }

    /// Hides every segment below the floor, then, if the hidden ones together
    /// hold 1..floor ballots, also hides the smallest shown segment: otherwise
    /// total minus shown would reveal the small group by subtraction.
    fn segments(&self, groups: Vec<(Option<String>, &GroupAcc)>, min: u64) -> Vec<Segment> {
        let mut hidden: Vec<bool> = groups.iter().map(|(_, g)| g.ballots < min).collect();
        loop {
            let hidden_total: u64 = groups
                .iter()
                .zip(&hidden)
                .filter(|(_, h)| **h)
                .map(|((_, g), _)| g.ballots)
                .sum();
            if hidden_total == 0 || hidden_total >= min {
                break;
            }
            let smallest = groups
                .iter()
                .enumerate()
                .filter(|(i, _)| !hidden.get(*i).copied().unwrap_or(true))
                .min_by_key(|(_, (_, g))| g.ballots)
                .map(|(i, _)| i);
            match smallest.and_then(|i| hidden.get_mut(i)) {
                Some(h) => *h = true,
                None => break,
            }
        }
        let any_hidden = hidden.iter().any(|h| *h);
        let mut out: Vec<Segment> = groups
            .into_iter()
            .zip(hidden)
            .filter(|(_, h)| !h)
            .map(|((key, g), _)| {
                let (trends, themes) = group_stats(&self.trends, &self.thresholds, g);
                Segment::Shown {
                    key,
                    ballots: g.ballots,
                    trends,
                    themes,
                }
            })
            .collect();
        if any_hidden {
            out.push(Segment::Hidden);
        }
        out
    }
}

/// Orders codes like "1.2" < "1.10" < "2.1": dot-separated parts compare as
/// numbers when both are numbers, else as text; the whole string breaks ties so
/// the order is total.
pub fn compare_codes(a: &str, b: &str) -> Ordering {
    let mut pa = a.split('.');
    let mut pb = b.split('.');
    loop {
        match (pa.next(), pb.next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let o = match (x.parse::<u64>(), y.parse::<u64>()) {
                    (Ok(nx), Ok(ny)) => nx.cmp(&ny),
                    _ => x.cmp(y),
                };
                if o != Ordering::Equal {
                    return o;
                }
            }
        }
    }
}

fn group_stats(
    set: &TrendSet,
    thresholds: &Thresholds,
    acc: &GroupAcc,
) -> (Vec<TrendStats>, Vec<ThemeStats>) {
    let in_order: Vec<TrendStats> = set
        .trends()
        .iter()
        .zip(&acc.trends)
        .map(|(t, a)| {
            let (imp, prep) = if a.n == 0 {
                (None, None)
            } else {
                // u64 -> f64 is exact below 2^53, far above any real ballot count.
                let n = a.n as f64;
                (
                    Some(a.importance_sum as f64 / n),
                    Some(a.preparedness_sum as f64 / n),
                )
            };
            let gap = imp.zip(prep).map(|(i, p)| i - p);
            TrendStats {
                code: t.code.clone(),
                title: t.title.clone(),
                theme: t.theme.clone(),
                n: a.n,
                importance_mean: imp,
                preparedness_mean: prep,
                gap,
                in_blind_spot: imp
                    .zip(prep)
                    .is_some_and(|(i, p)| thresholds.in_blind_spot(i, p)),
            }
        })
        .collect();

    let mut theme_order: Vec<&str> = Vec::new();
    for t in set.trends() {
        if !theme_order.contains(&t.theme.as_str()) {
            theme_order.push(&t.theme);
        }
    }
    let themes = theme_order
        .into_iter()
        .map(|theme| {
            let gaps: Vec<f64> = in_order
                .iter()
                .filter(|s| s.theme == theme)
                .filter_map(|s| s.gap)
                .collect();
            let mean_gap = if gaps.is_empty() {
                None
            } else {
                Some(gaps.iter().sum::<f64>() / gaps.len() as f64)
            };
            ThemeStats {
                theme: theme.to_string(),
                mean_gap,
            }
        })
        .collect();

    let mut sorted = in_order;
    sorted.sort_by(|a, b| match (a.gap, b.gap) {
        (Some(x), Some(y)) => y
            .total_cmp(&x)
            .then_with(|| compare_codes(&a.code, &b.code)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => compare_codes(&a.code, &b.code),
    });
    (sorted, themes)
}

/// Computes the study's analysis from scratch.
///
/// * Per trend: exact means of importance and preparedness, the gap
///   (importance − preparedness, as in Figur 77 of seed 001: "forskjellen
///   mellom viktighets- og beredskapsscoren") and blind-spot membership.
/// * Per theme: the **unweighted mean of the theme's trend gaps**, counting
///   every trend with ratings, inside the blind spot or not. This is the
///   definition that reproduces the study's numbers: the published trend means
///   give theme 1 (1.1: 5,3−3,1; 1.2: 5,23−2,61; 1.3: 4,4−3,0; 1.4: 4,7−3,2)
///   a mean gap of 1,93 against the published 1,94, theme 2 1,80 against
///   1,82 and theme 3 2,165 against 2,16, the small differences being the
///   rounding of the footnotes (pinned by `tests/study.rs`). Pooling all ratings would weight trends by
///   how many rated them, which the study does not do.
/// * Segments by role and experience, each hidden when below the floor.
///
/// Fails only if a ballot was validated against another session.
pub fn aggregate<'a>(
    trends: &TrendSet,
    thresholds: &Thresholds,
    config: &SegmentConfig,
    ballots: impl IntoIterator<Item = &'a Ballot>,
) -> Result<Results, AggregateError> {
    let mut agg = Aggregator::new(trends.clone(), *thresholds, config.clone());
    for b in ballots {
        agg.add(b)?;
    }
    Ok(agg.results())
}
