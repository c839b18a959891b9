//! The evaluation report as a PDF, in pure Rust (`pdf-writer`), so a fresh
//! server needs nothing installed to produce it. A4 pages with the PDF's
//! standard Helvetica fonts (WinAnsi encoding covers æøå); the blind-spot
//! matrix and the gap ranking are drawn as vector graphics, not images.
//! Same sections as the HTML report: method, participants, blind spot, gap
//! ranking, themes, segments (groups under five ballots hidden).

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use samlet_foresight::{format_number, scale_labels, Results, Scale, Segment, Thresholds};

use samlet_i18n::Lang;

use super::{role_label, Loaded};

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 56.0;
const TEXT_W: f32 = PAGE_W - 2.0 * MARGIN;
const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// Helvetica advance widths (per 1000 units) for ASCII 32..=126, from the
/// standard AFM; other characters are taken as 556 (close enough to wrap).
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

fn char_width(c: char, bold: bool) -> f32 {
    let w = match c {
        ' '..='~' => f32::from(HELVETICA[c as usize - 32]),
        'æ' => 889.0,
        'Æ' | '—' => 1000.0,
        'ø' => 611.0,
        'Ø' => 778.0,
        'Å' => 667.0,
        _ => 556.0,
    };
    // Helvetica-Bold is a little wider; enough for line breaking.
    if bold {
        w * 1.06
    } else {
        w
    }
}

fn text_width(s: &str, size: f32, bold: bool) -> f32 {
    s.chars().map(|c| char_width(c, bold)).sum::<f32>() * size / 1000.0
}

/// Text in the standard fonts' WinAnsi encoding: Latin-1 as is, typographic
/// punctuation mapped, anything else a question mark.
pub fn win_ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '\u{20}'..='\u{7e}' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '€' => 0x80,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '−' => b'-',
            _ => b'?',
        })
        .collect()
}

/// Break a paragraph into lines that fit `width`.
fn wrap(s: &str, size: f32, bold: bool, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if text_width(&candidate, size, bold) > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line = word.to_owned();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Pages being laid out top to bottom.
struct Writer {
    pages: Vec<Content>,
    page: Content,
    y: f32,
}

impl Writer {
    fn new() -> Self {
        Self {
            pages: Vec::new(),
            page: Content::new(),
            y: PAGE_H - MARGIN,
        }
    }

    fn new_page(&mut self) {
        let done = std::mem::replace(&mut self.page, Content::new());
        self.pages.push(done);
        self.y = PAGE_H - MARGIN;
    }

    /// Make room for `h` points, starting a page if needed.
    fn need(&mut self, h: f32) {
        if self.y - h < MARGIN {
            self.new_page();
        }
    }

    fn text_at(&mut self, x: f32, y: f32, s: &str, size: f32, bold: bool) {
        let bytes = win_ansi(s);
        self.page
            .begin_text()
            .set_font(if bold { BOLD } else { REGULAR }, size)
            .next_line(x, y)
            .show(Str(&bytes))
            .end_text();
    }

    fn lines(&mut self, s: &str, size: f32, bold: bool, x: f32, width: f32) {
        let lead = size * 1.35;
        for l in wrap(s, size, bold, width) {
            self.need(lead);
            self.y -= lead;
            self.text_at(x, self.y, &l, size, bold);
        }
    }

    fn heading(&mut self, s: &str, size: f32) {
        self.need(size * 3.0);
        self.y -= size * 0.8;
        self.lines(s, size, true, MARGIN, TEXT_W);
        self.y -= size * 0.3;
    }

    fn para(&mut self, s: &str) {
        self.lines(s, 10.5, false, MARGIN, TEXT_W);
        self.y -= 6.0;
    }

    /// A table with fixed column widths; the header row is bold and repeated
    /// on a new page.
    fn table(&mut self, widths: &[f32], header: &[String], rows: &[Vec<String>]) {
        let size = 9.0;
        let row_h = |cells: &[String], bold: bool| -> (f32, Vec<Vec<String>>) {
            let wrapped: Vec<Vec<String>> = cells
                .iter()
                .zip(widths)
                .map(|(c, w)| wrap(c, size, bold, w - 6.0))
                .collect();
            let n = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1);
            (n as f32 * size * 1.3 + 4.0, wrapped)
        };
        let draw = |w: &mut Writer, cells: &[String], bold: bool| {
            let (h, wrapped) = row_h(cells, bold);
            let top = w.y;
            let mut x = MARGIN;
            for (col, lines) in wrapped.iter().enumerate() {
                for (i, l) in lines.iter().enumerate() {
                    w.text_at(x, top - size * 1.3 * (i as f32 + 1.0), l, size, bold);
                }
                x += widths.get(col).copied().unwrap_or(0.0);
            }
            w.y -= h;
            w.page
                .set_stroke_rgb(0.8, 0.8, 0.8)
                .set_line_width(0.5)
                .move_to(MARGIN, w.y + 2.0)
                .line_to(MARGIN + widths.iter().sum::<f32>(), w.y + 2.0)
                .stroke();
        };
        self.need(row_h(header, true).0 * 2.0);
        draw(self, header, true);
        for r in rows {
            let (h, _) = row_h(r, false);
            if self.y - h < MARGIN {
                self.new_page();
                draw(self, header, true);
            }
            draw(self, r, false);
        }
        self.y -= 8.0;
    }

    fn finish(mut self) -> Vec<Content> {
        self.new_page();
        self.pages
    }
}

fn num(v: Option<f64>, lang: Lang) -> String {
    v.map(|v| format_number(v, lang))
        .unwrap_or_else(|| "–".into())
}

/// The blind-spot matrix as vector graphics: importance (y) against
/// preparedness (x), 1–6 on both, the blind-spot corner shaded, threshold
/// lines dashed, each trend a dot labelled with its code.
fn matrix(w: &mut Writer, r: &Results, th: &Thresholds, lang: Lang) {
    let size = 300.0_f32;
    w.need(size + 50.0);
    let (x0, y0) = (MARGIN + 40.0, w.y - size - 10.0);
    let sx = |v: f64| x0 + ((v as f32 - 1.0) / 5.0) * size;
    let sy = |v: f64| y0 + ((v as f32 - 1.0) / 5.0) * size;
    let c = &mut w.page;
    // Blind spot: importance above the line, preparedness left of it.
    c.set_fill_rgb(0.99, 0.89, 0.85)
        .rect(
            x0,
            sy(th.importance()),
            sx(th.preparedness()) - x0,
            y0 + size - sy(th.importance()),
        )
        .fill_nonzero();
    c.set_stroke_rgb(0.2, 0.2, 0.2)
        .set_line_width(0.8)
        .rect(x0, y0, size, size)
        .stroke();
    for v in 1..=6 {
        let (x, y) = (sx(f64::from(v)), sy(f64::from(v)));
        c.set_stroke_rgb(0.85, 0.85, 0.85)
            .set_line_width(0.4)
            .move_to(x, y0)
            .line_to(x, y0 + size)
            .move_to(x0, y)
            .line_to(x0 + size, y)
            .stroke();
    }
    c.set_stroke_rgb(0.75, 0.2, 0.1)
        .set_line_width(1.0)
        .set_dash_pattern([4.0, 3.0], 0.0)
        .move_to(x0, sy(th.importance()))
        .line_to(x0 + size, sy(th.importance()))
        .move_to(sx(th.preparedness()), y0)
        .line_to(sx(th.preparedness()), y0 + size)
        .stroke()
        .set_dash_pattern([], 0.0);
    for t in &r.trends {
        let (Some(i), Some(p)) = (t.importance_mean, t.preparedness_mean) else {
            continue;
        };
        let (x, y) = (sx(p), sy(i));
        let k = 3.0 * 0.5523;
        let rad = 3.0;
        if t.in_blind_spot {
            w.page.set_fill_rgb(0.75, 0.2, 0.1);
        } else {
            w.page.set_fill_rgb(0.1, 0.3, 0.55);
        }
        // A circle from four Bézier arcs.
        w.page
            .move_to(x + rad, y)
            .cubic_to(x + rad, y + k, x + k, y + rad, x, y + rad)
            .cubic_to(x - k, y + rad, x - rad, y + k, x - rad, y)
            .cubic_to(x - rad, y - k, x - k, y - rad, x, y - rad)
            .cubic_to(x + k, y - rad, x + rad, y - k, x + rad, y)
            .fill_nonzero();
        w.page.set_fill_rgb(0.0, 0.0, 0.0);
        w.text_at(x + 5.0, y + 2.0, &t.code, 8.0, false);
    }
    w.page.set_fill_rgb(0.0, 0.0, 0.0);
    for v in 1..=6 {
        let s = v.to_string();
        w.text_at(sx(f64::from(v)) - 2.5, y0 - 12.0, &s, 8.0, false);
        w.text_at(x0 - 12.0, sy(f64::from(v)) - 3.0, &s, 8.0, false);
    }
    let (imp, prep) = (
        lang.t("fs-chart-importance"),
        lang.t("fs-chart-preparedness"),
    );
    w.text_at(x0 + size / 2.0 - 25.0, y0 - 26.0, prep, 9.0, true);
    // The y-axis title, rotated a quarter turn.
    w.page
        .begin_text()
        .set_font(BOLD, 9.0)
        .set_text_matrix([0.0, 1.0, -1.0, 0.0, x0 - 24.0, y0 + size / 2.0 - 20.0])
        .show(Str(&win_ansi(imp)))
        .end_text();
    w.y = y0 - 40.0;
}

/// Gap per trend as horizontal bars, largest first (vector).
fn gap_bars(w: &mut Writer, r: &Results, lang: Lang) {
    let shown: Vec<_> = r.trends.iter().filter(|t| t.gap.is_some()).collect();
    let max = shown
        .iter()
        .filter_map(|t| t.gap)
        .fold(0.5_f64, |m, g| m.max(g.abs()));
    let bar_h = 12.0;
    let label_w = 40.0;
    let width = TEXT_W - label_w - 50.0;
    let zero = MARGIN + label_w + width / 2.0;
    for t in shown {
        w.need(bar_h + 4.0);
        w.y -= bar_h + 4.0;
        let g = t.gap.unwrap_or(0.0);
        let len = (g / max) as f32 * (width / 2.0);
        if t.in_blind_spot {
            w.page.set_fill_rgb(0.75, 0.2, 0.1);
        } else {
            w.page.set_fill_rgb(0.1, 0.3, 0.55);
        }
        w.page
            .rect(zero.min(zero + len), w.y, len.abs(), bar_h - 2.0)
            .fill_nonzero();
        w.page.set_fill_rgb(0.0, 0.0, 0.0);
        w.text_at(MARGIN, w.y + 2.0, &t.code, 9.0, false);
        w.text_at(
            zero + len.max(0.0) + 4.0,
            w.y + 2.0,
            &num(t.gap, lang),
            8.0,
            false,
        );
    }
    w.page
        .set_stroke_rgb(0.2, 0.2, 0.2)
        .set_line_width(0.6)
        .move_to(zero, w.y - 2.0)
        .line_to(zero, w.y + (bar_h + 4.0) * r.trends.len() as f32)
        .stroke();
    w.y -= 14.0;
}

fn segment_rows(segs: &[Segment], lang: Lang, label: &dyn Fn(&str) -> String) -> Vec<Vec<String>> {
    segs.iter()
        .map(|seg| {
            let name = match seg {
                Segment::Hidden => lang.t("fs_hidden_groups").to_owned(),
                _ => seg
                    .key()
                    .map(label)
                    .unwrap_or_else(|| lang.t("fs_not_said").to_owned()),
            };
            match seg {
                Segment::Shown {
                    ballots,
                    trends,
                    themes,
                    ..
                } => {
                    let top: Vec<String> = trends
                        .iter()
                        .filter(|t| t.gap.is_some())
                        .take(3)
                        .map(|t| format!("{} ({})", t.code, num(t.gap, lang)))
                        .collect();
                    let th: Vec<String> = themes
                        .iter()
                        .map(|t| format!("{} {}", t.theme, num(t.mean_gap, lang)))
                        .collect();
                    vec![name, ballots.to_string(), top.join(", "), th.join("; ")]
                }
                Segment::Hidden => vec![
                    name,
                    "–".to_owned(),
                    lang.t("fs-pdf-hidden-row").to_owned(),
                    String::new(),
                ],
            }
        })
        .collect()
}

/// The report as PDF bytes.
pub fn report_pdf(lang: Lang, s: &Loaded, r: &Results) -> Result<Vec<u8>, String> {
    let th = &s.spec.thresholds;
    let t = |k: &str| lang.t(k).to_owned();
    let f = |v: f64| format_number(v, lang);
    let mut w = Writer::new();
    w.text_at(
        MARGIN,
        w.y - 10.0,
        &format!("Samlet · {}", t("fs_report_kicker")),
        9.0,
        false,
    );
    w.y -= 14.0;
    w.heading(&format!("{}: {}", t("fs_report_title"), s.row.title), 18.0);

    w.heading(&t("fs_method"), 13.0);
    let labels = |sc: Scale| {
        scale_labels(sc, lang)
            .iter()
            .enumerate()
            .map(|(i, l)| format!("{} = {}", i + 1, l.to_lowercase()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let themes = r.themes.len();
    let trends = s.spec.trends.len();
    w.para(
        &lang
            .msg("fs-pdf-method-scales")
            .arg("trends", trends)
            .arg("themes", themes)
            .text("importance", labels(Scale::Importance))
            .text("preparedness", labels(Scale::Preparedness))
            .to_string(),
    );
    w.para(
        &lang
            .msg("fs-pdf-method-blind-spot")
            .text("importance", f(th.importance()))
            .text("preparedness", f(th.preparedness()))
            .to_string(),
    );

    w.heading(&t("fs_participants"), 13.0);
    let created = lang.date(s.row.created_at.date_naive());
    let closed = s.row.closed_at.map(|d| lang.date(d.date_naive()));
    w.para(&match closed {
        Some(c) => lang
            .msg("fs-pdf-participants-closed")
            .arg("ballots", r.ballots)
            .text("created", created)
            .text("closed", c)
            .to_string(),
        None => lang
            .msg("fs-pdf-participants-open")
            .arg("ballots", r.ballots)
            .text("created", created)
            .to_string(),
    });

    w.heading(&t("fs_blind_spot"), 13.0);
    let blind: Vec<String> = r
        .trends
        .iter()
        .filter(|t| t.in_blind_spot)
        .map(|t| {
            format!(
                "{} {} ({} {}, {} {})",
                t.code,
                t.title,
                lang.t("fs-pdf-importance-lower"),
                num(t.importance_mean, lang),
                lang.t("fs-pdf-preparedness-lower"),
                num(t.preparedness_mean, lang)
            )
        })
        .collect();
    if blind.is_empty() {
        w.para(lang.t("fs-pdf-none-in-blind-spot"));
    } else {
        w.para(&format!(
            "{}: {}.",
            lang.t("fs-chart-in-blind-spot"),
            blind.join("; ")
        ));
    }
    matrix(&mut w, r, th, lang);

    w.heading(&t("fs_gap_ranking"), 13.0);
    gap_bars(&mut w, r, lang);
    let header = vec![
        "#".to_owned(),
        t("fs-pdf-col-trend"),
        t("fs_importance"),
        t("fs_preparedness"),
        t("fs-pdf-col-gap"),
        "n".to_owned(),
    ];
    let rows: Vec<Vec<String>> = r
        .trends
        .iter()
        .enumerate()
        .map(|(i, tr)| {
            vec![
                (i + 1).to_string(),
                format!(
                    "{} {}{}",
                    tr.code,
                    tr.title,
                    if tr.in_blind_spot { " *" } else { "" }
                ),
                num(tr.importance_mean, lang),
                num(tr.preparedness_mean, lang),
                num(tr.gap, lang),
                tr.n.to_string(),
            ]
        })
        .collect();
    w.table(&[24.0, 245.0, 65.0, 65.0, 50.0, 34.0], &header, &rows);
    w.para(lang.t("fs-pdf-star-in-blind-spot"));

    w.heading(&t("fs_themes"), 13.0);
    let rows: Vec<Vec<String>> = r
        .themes
        .iter()
        .map(|th| vec![th.theme.clone(), num(th.mean_gap, lang)])
        .collect();
    w.table(
        &[300.0, 120.0],
        &[t("fs-pdf-col-theme"), t("fs-pdf-col-average-gap")],
        &rows,
    );

    w.heading(&t("fs_segments"), 13.0);
    w.para(lang.t("fs-pdf-hidden-note"));
    let seg_header = vec![
        t("fs-pdf-col-group"),
        t("fs-pdf-col-ballots"),
        t("fs-pdf-col-largest-gaps"),
        t("fs-pdf-col-theme-averages"),
    ];
    let widths = [110.0, 45.0, 140.0, 188.0];
    let by_role = segment_rows(&r.segments.by_role, lang, &|k| role_label(k, lang));
    if !by_role.is_empty() {
        w.lines(lang.t("fs-pdf-by-role"), 10.5, true, MARGIN, TEXT_W);
        w.y -= 4.0;
        w.table(&widths, &seg_header, &by_role);
    }
    let by_exp = segment_rows(&r.segments.by_experience, lang, &|k| {
        lang.msg("fs-years").text("years", k.to_owned()).to_string()
    });
    if !by_exp.is_empty() {
        w.lines(lang.t("fs-pdf-by-experience"), 10.5, true, MARGIN, TEXT_W);
        w.y -= 4.0;
        w.table(&widths, &seg_header, &by_exp);
    }

    Ok(assemble(
        w.finish(),
        &format!("{}: {}", t("fs_report_title"), s.row.title),
        lang,
    ))
}

fn assemble(pages: Vec<Content>, title: &str, lang: Lang) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let first = 6;
    let page_ids: Vec<Ref> = (0..pages.len())
        .map(|i| Ref::new(first + 2 * i as i32))
        .collect();
    pdf.catalog(catalog).pages(tree).lang(TextStr(lang.code()));
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(pages.len() as i32);
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info)
        .title(TextStr(title))
        .producer(TextStr("Samlet"));
    let total = pages.len();
    for (i, content) in pages.into_iter().enumerate() {
        let id = page_ids[i];
        let content_id = Ref::new(id.get() + 1);
        let mut c = content;
        // Page number at the foot.
        let label = format!("{} / {}", i + 1, total);
        c.begin_text()
            .set_font(REGULAR, 8.0)
            .next_line(
                PAGE_W - MARGIN - text_width(&label, 8.0, false),
                MARGIN / 2.0,
            )
            .show(Str(label.as_bytes()))
            .end_text();
        let mut page = pdf.page(id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
            .parent(tree)
            .contents(content_id);
        let mut res = page.resources();
        let mut fonts = res.fonts();
        fonts.pair(REGULAR, regular);
        fonts.pair(BOLD, bold);
        fonts.finish();
        res.finish();
        page.finish();
        pdf.stream(content_id, &c.finish());
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norwegian_letters_survive_win_ansi() {
        assert_eq!(win_ansi("æøå ÆØÅ – x"), b"\xe6\xf8\xe5 \xc6\xd8\xc5 \x96 x");
        assert_eq!(win_ansi("✓"), b"?");
    }

    #[test]
    fn long_text_wraps_within_the_width() {
        let text =
            "Deltakerne vurderte hver av de fjorten trendene på to skalaer fra en til seks. "
                .repeat(4);
        let lines = wrap(&text, 10.0, false, 200.0);
        assert!(lines.len() > 4);
        assert!(lines.iter().all(|l| text_width(l, 10.0, false) <= 200.0));
    }
}
