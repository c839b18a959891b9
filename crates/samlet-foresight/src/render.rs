//! Pure rendering of [`Results`]: an accessible SVG blind-spot matrix, an SVG
//! bar chart of gaps and CSV export. No I/O; callers decide where strings go.
//!
//! Accessibility: every SVG has `role="img"`, a `<title>` and a `<desc>` that
//! states the data in words (linked with `aria-labelledby`), a `<title>` per
//! point or bar for pointer users, and all text is near-black (#1a1a1a, 17:1)
//! on white or on the light blind-spot shading (> 14:1), above WCAG AA's 4.5:1.
//! The blind spot is shown by position and shading, never by colour alone.

use std::fmt::Write as _;

use crate::aggregate::{Results, TrendStats};
use crate::rating::{Lang, Thresholds};

const TEXT: &str = "#1a1a1a";
const GRID: &str = "#c4c4c4";
const SHADE: &str = "#fde4e1";
const BLIND: &str = "#b3261e";
const NORMAL: &str = "#0b57d0";

/// Options shared by the SVG renderers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChartOptions {
    /// Language of titles, labels and descriptions.
    pub lang: Lang,
    /// Prefix for element ids, so several charts can live on one page. Anything
    /// but ASCII letters, digits, `-` and `_` is dropped.
    pub id_prefix: String,
}

/// Escapes text for XML content and attribute values. Hand-written (a dozen
/// lines) rather than a dependency, and stricter than most escapers: it also
/// drops characters XML 1.0 forbids outright (C0 controls other than tab/LF/CR,
/// U+FFFE/U+FFFF), which would otherwise make the whole document unparsable
/// when a title carries one.
pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

fn sanitize_id(prefix: &str) -> String {
    let p: String = prefix
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    // XML ids must not start with a digit or '-'.
    format!("sf-{p}")
}

/// Formats a number with two decimals in the language's convention
/// (decimal comma in bokmål, as in the study's "5,3").
pub fn format_number(v: f64, lang: Lang) -> String {
    lang.decimal(&format!("{v:.2}"))
}

struct Words {
    matrix_title: &'static str,
    bars_title: &'static str,
    importance: &'static str,
    preparedness: &'static str,
    blind_spot: &'static str,
    gap: &'static str,
    no_ratings: &'static str,
    ballots: &'static str,
    trends_of: &'static str,
    in_blind_spot: &'static str,
    outside_blind_spot: &'static str,
    none_in_blind_spot: &'static str,
    not_plotted: &'static str,
}

fn words(lang: Lang) -> Words {
    Words {
        matrix_title: lang.t("fs-chart-matrix-title"),
        bars_title: lang.t("fs-chart-bars-title"),
        importance: lang.t("fs-chart-importance"),
        preparedness: lang.t("fs-chart-preparedness"),
        blind_spot: lang.t("fs-chart-blind-spot"),
        gap: lang.t("fs-chart-gap"),
        no_ratings: lang.t("fs-chart-no-ratings"),
        ballots: lang.t("fs-chart-ballots"),
        trends_of: lang.t("fs-chart-trends-of"),
        in_blind_spot: lang.t("fs-chart-in-blind-spot"),
        outside_blind_spot: lang.t("fs-chart-outside-blind-spot"),
        none_in_blind_spot: lang.t("fs-chart-none-in-blind-spot"),
        not_plotted: lang.t("fs-chart-not-plotted"),
    }
}

fn point_text(t: &TrendStats, w: &Words, lang: Lang) -> String {
    match (t.importance_mean, t.preparedness_mean, t.gap) {
        (Some(i), Some(p), Some(g)) => format!(
            "{} {}: {} {}, {} {}, {} {} (n = {})",
            t.code,
            t.title,
            w.importance.to_lowercase(),
            format_number(i, lang),
            w.preparedness.to_lowercase(),
            format_number(p, lang),
            w.gap,
            format_number(g, lang),
            t.n
        ),
        _ => format!("{} {}: {}", t.code, t.title, w.no_ratings),
    }
}

/// The blind-spot matrix: preparedness on the x axis, importance on the y axis,
/// both 1–6; dashed threshold lines; the blind-spot quadrant (high importance,
/// low preparedness, top left) shaded and labelled; one labelled point per
/// trend with ratings.
pub fn blind_spot_matrix_svg(
    results: &Results,
    thresholds: &Thresholds,
    opts: &ChartOptions,
) -> String {
    const W: f64 = 640.0;
    const H: f64 = 540.0;
    const LEFT: f64 = 80.0;
    const RIGHT: f64 = 610.0;
    const TOP: f64 = 30.0;
    const BOTTOM: f64 = 460.0;
    let x = |v: f64| LEFT + (v - 1.0) / 5.0 * (RIGHT - LEFT);
    let y = |v: f64| BOTTOM - (v - 1.0) / 5.0 * (BOTTOM - TOP);
    let lang = opts.lang;
    let w = words(lang);
    let id = sanitize_id(&opts.id_prefix);

    let plotted: Vec<&TrendStats> = results.trends.iter().filter(|t| t.gap.is_some()).collect();
    let in_spot: Vec<String> = plotted
        .iter()
        .filter(|t| t.in_blind_spot)
        .map(|t| point_text(t, &w, lang))
        .collect();
    let mut desc = format!(
        "{} {}, {} {} {}. {}: {} > {}, {} < {}. ",
        results.ballots,
        w.ballots,
        plotted.len(),
        w.trends_of,
        results.trends.len(),
        w.blind_spot,
        w.importance.to_lowercase(),
        format_number(thresholds.importance(), lang),
        w.preparedness.to_lowercase(),
        format_number(thresholds.preparedness(), lang),
    );
    if in_spot.is_empty() {
        desc.push_str(w.none_in_blind_spot);
    } else {
        let _ = write!(desc, "{}: {}.", w.in_blind_spot, in_spot.join("; "));
    }
    let others: Vec<String> = plotted
        .iter()
        .filter(|t| !t.in_blind_spot)
        .map(|t| point_text(t, &w, lang))
        .collect();
    if !others.is_empty() {
        let _ = write!(desc, " {}: {}.", w.outside_blind_spot, others.join("; "));
    }
    let missing: Vec<&str> = results
        .trends
        .iter()
        .filter(|t| t.gap.is_none())
        .map(|t| t.code.as_str())
        .collect();
    if !missing.is_empty() {
        let _ = write!(desc, " {}: {}.", w.not_plotted, missing.join(", "));
    }

    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-labelledby="{id}-title {id}-desc" lang="{lt}" font-family="system-ui, sans-serif" font-size="13">"#,
        lt = lang.code()
    );
    let _ = write!(
        s,
        r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape_xml(w.matrix_title),
        escape_xml(&desc)
    );
    let _ = write!(
        s,
        r##"<rect x="0" y="0" width="{W}" height="{H}" fill="#ffffff"/>"##
    );
    // Blind-spot quadrant: from preparedness 1 to threshold, importance threshold to 6.
    let (qx0, qx1) = (x(1.0), x(thresholds.preparedness()));
    let (qy0, qy1) = (y(6.0), y(thresholds.importance()));
    let _ = write!(
        s,
        r#"<rect x="{qx0:.1}" y="{qy0:.1}" width="{:.1}" height="{:.1}" fill="{SHADE}"/>"#,
        (qx1 - qx0).max(0.0),
        (qy1 - qy0).max(0.0)
    );
    let _ = write!(
        s,
        r#"<text x="{:.1}" y="{:.1}" fill="{TEXT}" font-weight="bold" aria-hidden="true">{}</text>"#,
        qx0 + 8.0,
        qy0 + 18.0,
        escape_xml(w.blind_spot)
    );
    // Grid and tick labels.
    s.push_str(r#"<g aria-hidden="true">"#);
    for v in 1..=6 {
        let v = f64::from(v);
        let _ = write!(
            s,
            r#"<line x1="{:.1}" y1="{TOP}" x2="{:.1}" y2="{BOTTOM}" stroke="{GRID}" stroke-width="1"/><line x1="{LEFT}" y1="{:.1}" x2="{RIGHT}" y2="{:.1}" stroke="{GRID}" stroke-width="1"/>"#,
            x(v),
            x(v),
            y(v),
            y(v)
        );
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="{TEXT}">{v}</text><text x="{:.1}" y="{:.1}" text-anchor="end" fill="{TEXT}">{v}</text>"#,
            x(v),
            BOTTOM + 20.0,
            LEFT - 10.0,
            y(v) + 4.0
        );
    }
    let _ = write!(
        s,
        r#"<rect x="{LEFT}" y="{TOP}" width="{:.1}" height="{:.1}" fill="none" stroke="{TEXT}" stroke-width="1"/>"#,
        RIGHT - LEFT,
        BOTTOM - TOP
    );
    // Threshold lines.
    let tx = x(thresholds.preparedness());
    let ty = y(thresholds.importance());
    let _ = write!(
        s,
        r#"<line x1="{tx:.1}" y1="{TOP}" x2="{tx:.1}" y2="{BOTTOM}" stroke="{TEXT}" stroke-width="1.5" stroke-dasharray="6 4"/><line x1="{LEFT}" y1="{ty:.1}" x2="{RIGHT}" y2="{ty:.1}" stroke="{TEXT}" stroke-width="1.5" stroke-dasharray="6 4"/>"#
    );
    let _ = write!(
        s,
        r#"<text x="{:.1}" y="{:.1}" fill="{TEXT}">{}</text><text x="{:.1}" y="{:.1}" text-anchor="end" fill="{TEXT}">{}</text>"#,
        tx + 4.0,
        BOTTOM - 6.0,
        escape_xml(&format_number(thresholds.preparedness(), lang)),
        RIGHT - 4.0,
        ty - 6.0,
        escape_xml(&format_number(thresholds.importance(), lang)),
    );
    // Axis titles.
    let _ = write!(
        s,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="{TEXT}" font-weight="bold">{} (1–6)</text>"#,
        (LEFT + RIGHT) / 2.0,
        BOTTOM + 45.0,
        escape_xml(w.preparedness)
    );
    let _ = write!(
        s,
        r#"<text x="24" y="{:.1}" text-anchor="middle" fill="{TEXT}" font-weight="bold" transform="rotate(-90 24 {:.1})">{} (1–6)</text>"#,
        (TOP + BOTTOM) / 2.0,
        (TOP + BOTTOM) / 2.0,
        escape_xml(w.importance)
    );
    s.push_str("</g>");
    // Points. Trends at the same spot (common with few ballots) share one
    // marker and one combined label, so no code is drawn over another.
    let mut spots: Vec<(f64, f64, Vec<&TrendStats>)> = Vec::new();
    for t in &plotted {
        if let (Some(i), Some(p)) = (t.importance_mean, t.preparedness_mean) {
            let (px, py) = (x(p), y(i));
            match spots
                .iter_mut()
                .find(|(sx, sy, _)| (sx - px).abs() < 2.0 && (sy - py).abs() < 2.0)
            {
                Some((_, _, group)) => group.push(t),
                None => spots.push((px, py, vec![t])),
            }
        }
    }
    // Greedy label placement: try spots around the point and take the first
    // whose box clears every marker and every label already placed.
    let marker_boxes: Vec<[f64; 4]> = spots
        .iter()
        .map(|(px, py, _)| [px - 6.0, py - 6.0, px + 6.0, py + 6.0])
        .collect();
    let mut placed: Vec<[f64; 4]> = Vec::new();
    s.push_str(r#"<g>"#);
    for (px, py, group) in &spots {
        let fill = if group.iter().any(|t| t.in_blind_spot) {
            BLIND
        } else {
            NORMAL
        };
        let tip: Vec<String> = group.iter().map(|t| point_text(t, &w, lang)).collect();
        let codes: Vec<&str> = group.iter().map(|t| t.code.as_str()).collect();
        let label = codes.join(", ");
        let (lx, ly, anchor, bbox) = place_label(*px, *py, &label, &marker_boxes, &placed, W);
        placed.push(bbox);
        // A label pushed away from its point gets a thin leader line back to it.
        let (ex, ey) = (px.clamp(bbox[0], bbox[2]), py.clamp(bbox[1], bbox[3]));
        let leader = if (ex - px).hypot(ey - py) > 16.0 {
            format!(
                r#"<line x1="{px:.1}" y1="{py:.1}" x2="{ex:.1}" y2="{ey:.1}" stroke="{TEXT}" stroke-width="0.75" aria-hidden="true"/>"#
            )
        } else {
            String::new()
        };
        let _ = write!(
            s,
            r##"<g><title>{}</title>{leader}<circle cx="{px:.1}" cy="{py:.1}" r="5" fill="{fill}" stroke="#ffffff" stroke-width="1"/><text x="{lx:.1}" y="{ly:.1}" text-anchor="{anchor}" fill="{TEXT}" font-size="12">{}</text></g>"##,
            escape_xml(&tip.join("; ")),
            escape_xml(&label)
        );
    }
    s.push_str("</g></svg>");
    s
}

fn overlaps(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// Picks a label position near a point; returns (x, y, text-anchor, box).
/// Widths are estimated (7 px per character at 12 px), which is enough to
/// keep short codes apart.
fn place_label(
    px: f64,
    py: f64,
    label: &str,
    markers: &[[f64; 4]],
    placed: &[[f64; 4]],
    width: f64,
) -> (f64, f64, &'static str, [f64; 4]) {
    let tw = 7.0 * label.chars().count() as f64;
    let candidates: [(f64, f64, &'static str); 16] = [
        (7.0, -6.0, "start"),
        (7.0, 14.0, "start"),
        (-7.0, -6.0, "end"),
        (-7.0, 14.0, "end"),
        (0.0, -10.0, "middle"),
        (0.0, 20.0, "middle"),
        (7.0, -18.0, "start"),
        (-7.0, -18.0, "end"),
        (7.0, 26.0, "start"),
        (-7.0, 26.0, "end"),
        (0.0, -24.0, "middle"),
        (0.0, 34.0, "middle"),
        (-7.0, -30.0, "end"),
        (7.0, -30.0, "start"),
        (-7.0, 38.0, "end"),
        (7.0, 38.0, "start"),
    ];
    let boxed = |(dx, dy, anchor): (f64, f64, &'static str)| {
        let (x, y) = (px + dx, py + dy);
        let x0 = match anchor {
            "start" => x,
            "end" => x - tw,
            _ => x - tw / 2.0,
        };
        (x, y, anchor, [x0, y - 11.0, x0 + tw, y + 2.0])
    };
    // Cost: covering a marker is worse than touching another label; leaving
    // the canvas is worst. The first candidate with the lowest cost wins.
    let cost = |b: &[f64; 4]| {
        let outside = if b[0] < 0.0 || b[2] > width || b[1] < 0.0 {
            100
        } else {
            0
        };
        outside
            + 3 * markers.iter().filter(|m| overlaps(b, m)).count()
            + placed.iter().filter(|p| overlaps(b, p)).count()
    };
    let mut best = boxed(candidates[0]);
    let mut best_cost = usize::MAX;
    for c in candidates {
        let cand = boxed(c);
        let k = cost(&cand.3);
        if k < best_cost {
            best_cost = k;
            best = cand;
            if k == 0 {
                break;
            }
        }
    }
    best
}

/// Horizontal bars of the gap per trend, in the order of `results.trends`
/// (largest gap first). Bars of blind-spot trends are red and marked "●" in
/// the label so the distinction does not rest on colour alone.
pub fn gap_bar_chart_svg(results: &Results, opts: &ChartOptions) -> String {
    const W: f64 = 780.0;
    const LABEL_W: f64 = 360.0;
    const BAR_LEFT: f64 = 370.0;
    const BAR_RIGHT: f64 = 720.0;
    const ROW: f64 = 28.0;
    const TOP: f64 = 16.0;
    let lang = opts.lang;
    let w = words(lang);
    let id = sanitize_id(&opts.id_prefix);
    let rows = results.trends.len() as f64;
    let h = TOP * 2.0 + ROW * rows.max(1.0) + 24.0;

    let gaps = results.trends.iter().filter_map(|t| t.gap);
    let lo = gaps.clone().fold(0.0_f64, f64::min);
    let hi = gaps.fold(0.0_f64, f64::max);
    let (lo, hi) = if hi - lo < 1e-9 { (0.0, 1.0) } else { (lo, hi) };
    let scale = |v: f64| BAR_LEFT + (v - lo) / (hi - lo) * (BAR_RIGHT - BAR_LEFT);
    let zero = scale(0.0);

    let desc: Vec<String> = results
        .trends
        .iter()
        .map(|t| point_text(t, &w, lang))
        .collect();

    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {h}" width="{W}" height="{h}" role="img" aria-labelledby="{id}-title {id}-desc" lang="{lt}" font-family="system-ui, sans-serif" font-size="13">"#,
        lt = lang.code()
    );
    let _ = write!(
        s,
        r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape_xml(w.bars_title),
        escape_xml(&desc.join("; "))
    );
    let _ = write!(
        s,
        r##"<rect x="0" y="0" width="{W}" height="{h}" fill="#ffffff"/>"##
    );
    for (row, t) in results.trends.iter().enumerate() {
        let cy = TOP + ROW * row as f64 + ROW / 2.0;
        let marker = if t.in_blind_spot { "● " } else { "" };
        let _ = write!(
            s,
            r#"<g><title>{}</title><text x="{LABEL_W}" y="{:.1}" text-anchor="end" fill="{TEXT}">{}{} {}</text>"#,
            escape_xml(&point_text(t, &w, lang)),
            cy + 4.0,
            marker,
            escape_xml(&t.code),
            escape_xml(&t.title)
        );
        match t.gap {
            Some(g) => {
                let (x0, x1) = if g >= 0.0 {
                    (zero, scale(g))
                } else {
                    (scale(g), zero)
                };
                let fill = if t.in_blind_spot { BLIND } else { NORMAL };
                let _ = write!(
                    s,
                    r#"<rect x="{x0:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{fill}"/><text x="{:.1}" y="{:.1}" fill="{TEXT}" font-size="12">{}</text>"#,
                    cy - ROW * 0.35,
                    (x1 - x0).max(0.5),
                    ROW * 0.7,
                    x1.max(zero) + 5.0,
                    cy + 4.0,
                    escape_xml(&format_number(g, lang))
                );
            }
            None => {
                let _ = write!(
                    s,
                    r#"<text x="{:.1}" y="{:.1}" fill="{TEXT}" font-style="italic">{}</text>"#,
                    zero + 5.0,
                    cy + 4.0,
                    escape_xml(w.no_ratings)
                );
            }
        }
        s.push_str("</g>");
    }
    let _ = write!(
        s,
        r#"<line x1="{zero:.1}" y1="{TOP}" x2="{zero:.1}" y2="{:.1}" stroke="{TEXT}" stroke-width="1" aria-hidden="true"/>"#,
        TOP + ROW * rows
    );
    let _ = write!(
        s,
        r#"<text x="{LABEL_W}" y="{:.1}" text-anchor="end" fill="{TEXT}" font-size="12" aria-hidden="true">● = {}</text>"#,
        TOP + ROW * rows.max(1.0) + 18.0,
        escape_xml(w.blind_spot)
    );
    s.push_str("</svg>");
    s
}

/// Quotes a CSV field per RFC 4180 and defuses spreadsheet formulas: a text
/// starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` so a title
/// typed by an organiser cannot run as a formula when the file is opened in
/// Excel or LibreOffice (OWASP "CSV injection").
fn csv_text(s: &str) -> String {
    let guarded = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", guarded.replace('"', "\"\""))
}

fn csv_num(v: Option<f64>) -> String {
    // Shortest representation that round-trips, so the export is as exact as the JSON.
    v.map(|x| format!("{x}")).unwrap_or_default()
}

/// One row per trend, in result order:
/// `code,title,theme,n,importance_mean,preparedness_mean,gap,in_blind_spot`.
/// Numbers use `.` and full precision for machine reading; empty means no data.
/// Lines end in CRLF as RFC 4180 asks.
pub fn trends_csv(results: &Results) -> String {
    let mut s =
        String::from("code,title,theme,n,importance_mean,preparedness_mean,gap,in_blind_spot\r\n");
    for t in &results.trends {
        let _ = write!(
            s,
            "{},{},{},{},{},{},{},{}\r\n",
            csv_text(&t.code),
            csv_text(&t.title),
            csv_text(&t.theme),
            t.n,
            csv_num(t.importance_mean),
            csv_num(t.preparedness_mean),
            csv_num(t.gap),
            t.in_blind_spot
        );
    }
    s
}

/// One row per theme: `theme,mean_gap`.
pub fn themes_csv(results: &Results) -> String {
    let mut s = String::from("theme,mean_gap\r\n");
    for t in &results.themes {
        let _ = write!(s, "{},{}\r\n", csv_text(&t.theme), csv_num(t.mean_gap));
    }
    s
}
