//! User story: after the gathering, Digdir's analyst Nora publishes the blind-spot
//! matrix and gap chart on a web page and downloads the CSV for a report.

use samlet_foresight::*;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A session with a hostile title (markup, quotes, a control character and a
/// formula) and 3 ballots: 1.1 lands in the blind spot, 2.1 does not, 3.1 is unrated.
fn results() -> Result<Results, Box<dyn std::error::Error>> {
    let trends = TrendSet::new(vec![
        TrendRef::new("1.1", "Økt etterspørsel", "Samfunnet"),
        TrendRef::new("2.1", "<b>\"Helse\" & 'omsorg'</b>\u{0007}", "=Pasienten"),
        TrendRef::new("3.1", "Nye samarbeidsformer", "Tjenesten"),
    ])?;
    let mut bs = Vec::new();
    for (i1, p1, i2, p2) in [(6, 2, 3, 5), (5, 3, 4, 4), (5, 2, 3, 6)] {
        bs.push(Ballot::new(
            ParticipantInfo::default(),
            [("1.1".to_string(), i1, p1), ("2.1".to_string(), i2, p2)],
            &trends,
        )?);
    }
    Ok(aggregate(
        &trends,
        &Thresholds::default(),
        &SegmentConfig::default(),
        &bs,
    )?)
}

fn attr<'a>(n: &roxmltree::Node<'a, '_>, name: &str) -> Option<&'a str> {
    n.attribute(name)
}

#[test]
fn blind_spot_matrix_is_valid_accessible_svg() -> TestResult {
    let r = results()?;
    let opts = ChartOptions {
        lang: Lang::Nb,
        id_prefix: "møte 1\"><script>".into(),
    };
    let svg = blind_spot_matrix_svg(&r, &Thresholds::default(), &opts);
    let doc = roxmltree::Document::parse(&svg)?;
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(attr(&root, "role"), Some("img"));
    assert_eq!(attr(&root, "lang"), Some("nb"));
    // aria-labelledby points at the title and desc, and the ids are sanitised.
    let labelled = attr(&root, "aria-labelledby").ok_or("aria-labelledby")?;
    assert_eq!(labelled, "sf-mte1script-title sf-mte1script-desc");
    let title = root
        .children()
        .find(|n| n.has_tag_name("title"))
        .ok_or("title")?;
    assert_eq!(attr(&title, "id"), Some("sf-mte1script-title"));
    assert!(title.text().unwrap_or("").contains("blindsone"));
    let desc = root
        .children()
        .find(|n| n.has_tag_name("desc"))
        .ok_or("desc")?;
    let desc_text = desc.text().unwrap_or("");
    assert!(
        desc_text.contains("I blindsonen: 1.1 Økt etterspørsel"),
        "{desc_text}"
    );
    assert!(desc_text.contains("viktighet 5,33"));
    // The hostile title survives as text, minus the forbidden control char.
    assert!(desc_text.contains("<b>\"Helse\" & 'omsorg'</b>"));
    assert!(!svg.contains('\u{0007}'));
    assert!(desc_text.contains("Uten svar, ikke vist: 3.1"));

    // Two plotted points (3.1 has no data), labelled by code.
    let circles: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("circle"))
        .collect();
    assert_eq!(circles.len(), 2);
    let labels: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert!(labels.contains(&"1.1") && labels.contains(&"2.1"));
    assert!(labels.contains(&"Strategisk blindsone"));
    assert!(labels.contains(&"Viktighet (1–6)") && labels.contains(&"Beredskap (1–6)"));
    // Two dashed threshold lines.
    let dashed = doc
        .descendants()
        .filter(|n| n.has_tag_name("line") && n.attribute("stroke-dasharray").is_some())
        .count();
    assert_eq!(dashed, 2);
    // The shaded quadrant spans preparedness 1..3.5 and importance 4.5..6.
    let shade = doc
        .descendants()
        .find(|n| n.has_tag_name("rect") && n.attribute("fill") == Some("#fde4e1"))
        .ok_or("shaded quadrant")?;
    assert_eq!(attr(&shade, "x"), Some("80.0"));
    assert_eq!(attr(&shade, "y"), Some("30.0"));
    // All text is drawn in the near-black that passes WCAG AA on both backgrounds.
    assert!(doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .all(|n| n.attribute("fill") == Some("#1a1a1a")));
    Ok(())
}

#[test]
fn gap_chart_lists_trends_in_gap_order() -> TestResult {
    let r = results()?;
    let svg = gap_bar_chart_svg(
        &r,
        &ChartOptions {
            lang: Lang::En,
            id_prefix: "gaps".into(),
        },
    );
    let doc = roxmltree::Document::parse(&svg)?;
    let root = doc.root_element();
    assert_eq!(attr(&root, "role"), Some("img"));
    assert_eq!(attr(&root, "lang"), Some("en"));
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").to_string())
        .collect();
    let pos = |needle: &str| texts.iter().position(|t| t.contains(needle));
    // 1.1 (gap 3.0) before 2.1 (gap −1.67) before 3.1 (no ratings).
    let (a, b, c) = (pos("1.1 Økt"), pos("2.1 <b>"), pos("3.1 Nye"));
    assert!(a.is_some() && a < b && b < c, "{texts:?}");
    assert!(texts.iter().any(|t| t == "● 1.1 Økt etterspørsel"));
    assert!(texts.iter().any(|t| t == "3.00"));
    assert!(
        texts.iter().any(|t| t == "\u{2212}1.67"),
        "a typographic minus"
    );
    assert!(texts.iter().any(|t| t == "no ratings"));
    // One bar per rated trend; negative bar stays left of the zero line.
    let bars = doc
        .descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("fill") != Some("#ffffff"))
        .count();
    assert_eq!(bars, 2);
    Ok(())
}

#[test]
fn csv_export_is_exact_and_safe() -> TestResult {
    let r = results()?;
    let csv = trends_csv(&r);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "code,title,theme,n,importance_mean,preparedness_mean,gap,in_blind_spot"
    );
    // 16/3 and 7/3 at full precision.
    assert_eq!(
        lines[1],
        format!(
            "\"1.1\",\"Økt etterspørsel\",\"Samfunnet\",3,{},{},{},true",
            16.0 / 3.0,
            7.0 / 3.0,
            16.0 / 3.0 - 7.0 / 3.0
        )
    );
    // Quotes doubled, formula defused.
    assert!(lines[2]
        .starts_with("\"2.1\",\"<b>\"\"Helse\"\" & 'omsorg'</b>\u{0007}\",\"'=Pasienten\",3,"));
    assert_eq!(
        lines[3],
        "\"3.1\",\"Nye samarbeidsformer\",\"Tjenesten\",0,,,,false"
    );
    assert_eq!(lines[4], "");
    assert_eq!(lines.len(), 5);

    let themes = themes_csv(&r);
    assert_eq!(
        themes,
        format!(
            "theme,mean_gap\r\n\"Samfunnet\",{}\r\n\"'=Pasienten\",{}\r\n\"Tjenesten\",\r\n",
            16.0 / 3.0 - 7.0 / 3.0,
            10.0 / 3.0 - 5.0
        )
    );
    Ok(())
}

#[test]
fn escaper_handles_every_special_character() {
    assert_eq!(
        escape_xml("a<b>&\"c\"'d'\u{0}\u{1F}\tx\u{FFFE}"),
        "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;\tx"
    );
    assert_eq!(escape_xml("Økt – «ok»"), "Økt – «ok»");
}

#[test]
fn scale_labels_in_both_languages() {
    assert_eq!(
        scale_labels(Scale::Importance, Lang::Nb),
        [
            "Svært lite viktig",
            "Lite viktig",
            "Relativt lite viktig",
            "Relativt viktig",
            "Viktig",
            "Svært viktig"
        ]
    );
    assert_eq!(
        scale_labels(Scale::Preparedness, Lang::Nb),
        [
            "Svært lite beredt",
            "Lite beredt",
            "Relativt lite beredt",
            "Relativt godt beredt",
            "Godt beredt",
            "Svært godt beredt"
        ]
    );
    assert_eq!(
        scale_labels(Scale::Importance, Lang::En)[0],
        "Very unimportant"
    );
    assert_eq!(
        scale_labels(Scale::Preparedness, Lang::En)[5],
        "Very well prepared"
    );
}

#[test]
fn empty_session_renders_without_panicking() -> TestResult {
    let trends = TrendSet::new(vec![TrendRef::new("1", "Alene", "T")])?;
    let r = aggregate(
        &trends,
        &Thresholds::default(),
        &SegmentConfig::default(),
        std::iter::empty(),
    )?;
    roxmltree::Document::parse(&blind_spot_matrix_svg(
        &r,
        &Thresholds::default(),
        &ChartOptions::default(),
    ))?;
    roxmltree::Document::parse(&gap_bar_chart_svg(&r, &ChartOptions::default()))?;
    assert_eq!(themes_csv(&r), "theme,mean_gap\r\n\"T\",\r\n");
    Ok(())
}

#[test]
fn trends_at_the_same_spot_share_one_label() -> TestResult {
    let trends = TrendSet::new(vec![
        TrendRef::new("3.3", "Digitale støttetjenester", "Tjenesten"),
        TrendRef::new("3.5", "Nye kompetansekrav", "Tjenesten"),
    ])?;
    let b = Ballot::new(
        ParticipantInfo::default(),
        [("3.3".to_string(), 5, 3), ("3.5".to_string(), 5, 3)],
        &trends,
    )?;
    let r = aggregate(
        &trends,
        &Thresholds::default(),
        &SegmentConfig::default(),
        [&b],
    )?;
    let svg = blind_spot_matrix_svg(&r, &Thresholds::default(), &ChartOptions::default());
    let doc = roxmltree::Document::parse(&svg)?;
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("circle"))
            .count(),
        1
    );
    assert!(doc
        .descendants()
        .any(|n| n.has_tag_name("text") && n.text() == Some("3.3, 3.5")));
    Ok(())
}
