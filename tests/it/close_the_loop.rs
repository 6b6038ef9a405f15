//! Charts, provenance links, correction workbooks and exports.

use std::collections::HashMap;
use std::path::Path;

use crate::util::*;

const SUMMARY: &str = "output/2020年6月重点任务进展汇总.xlsx";

fn run_samples(extra: &[&str]) -> tempfile::TempDir {
    let t = samples_copy();
    let mut args = vec!["run", "samples", "--quiet"];
    args.extend_from_slice(extra);
    let o = huizong(t.path(), &args);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    t
}

/// The `<c:f>` range references of a chart part.
fn chart_ranges(xml: &str) -> Vec<String> {
    xml.split("<c:f>")
        .skip(1)
        .map(|p| p[..p.find("</c:f>").unwrap()].to_string())
        .collect()
}

#[test]
fn overview_charts_point_at_their_data() {
    let t = run_samples(&[]);
    let path = t.path().join(SUMMARY);
    let drawing_rels = zip_text(&path, "xl/worksheets/_rels/sheet1.xml.rels");
    assert!(
        drawing_rels.contains("drawing"),
        "总览 (sheet1) has a drawing"
    );
    let charts: Vec<String> = (1..=3)
        .map(|k| zip_text(&path, &format!("xl/charts/chart{k}.xml")))
        .collect();
    // Completion by category as columns against the 序时进度 line; the trend; each unit's
    // completion rate as a bar.
    assert!(charts[0].contains("<c:barDir val=\"col\"/>") && charts[0].contains("<c:lineChart>"));
    assert!(charts[1].contains("<c:lineChart>") && !charts[1].contains("<c:barChart>"));
    assert!(charts[2].contains("<c:barDir val=\"bar\"/>"));
    for (c, title) in charts.iter().zip([
        "各类别年度目标完成率与序时进度",
        "各月自年初累计完成投资",
        "各单位投资完成率",
    ]) {
        assert!(c.contains(title), "title {title}");
        // Every series carries value labels, except the 序时进度 line.
        assert!(
            c.contains("<c:showVal val=\"1\"/>"),
            "{title}: value labels"
        );
    }

    let data = sheet(&path, "图表数据");
    let cats = sheet(&path, "分类汇总");
    let (h, _) = cats.end().unwrap();
    let with_rate: Vec<f64> = (3..=h).filter_map(|r| num_at(&cats, r, 6)).collect();
    let n = with_rate.len();
    assert_eq!(
        chart_ranges(&charts[0]),
        vec![
            "图表数据!$B$1".to_string(),
            format!("图表数据!$A$2:$A${}", n + 1),
            format!("图表数据!$B$2:$B${}", n + 1),
            "图表数据!$C$1".to_string(),
            format!("图表数据!$A$2:$A${}", n + 1),
            format!("图表数据!$C$2:$C${}", n + 1),
        ]
    );
    for (k, rate) in with_rate.iter().enumerate() {
        assert_close(
            num_at(&data, 1 + k as u32, 1),
            Some(*rate),
            "completion rate series",
        );
        let schedule = num_at(&data, 1 + k as u32, 2).expect("a 序时进度 per category");
        assert!((0.0..=1.0).contains(&schedule), "{schedule}");
    }
    // Investment by unit: each unit subtotal's year-to-date over its plan, highest first;
    // a unit without figures has no bar and says so.
    let inv = sheet(&path, "固定资产投资");
    let (h, _) = inv.end().unwrap();
    let config = huizong::config::Config::embedded();
    // Each unit's subtotal: its year-to-date and its rate (over the projects whose plan it
    // has: a shared project not broken down is left out of its rate).
    let subtotals: Vec<(String, Option<f64>, Option<f64>)> = (3..=h)
        .filter(|r| text_at(&inv, *r, 1).ends_with("小计") && !text_at(&inv, *r, 3).is_empty())
        .map(|r| (text_at(&inv, r, 3), num_at(&inv, r, 8), num_at(&inv, r, 7)))
        .collect();
    let u = subtotals.len();
    assert_eq!(
        chart_ranges(&charts[2]),
        vec![
            format!("图表数据!$E$2:$E${}", u + 1),
            format!("图表数据!$F$2:$F${}", u + 1),
        ]
    );
    let mut rates: Vec<f64> = Vec::new();
    for k in 0..u {
        let label = text_at(&data, 1 + k as u32, 4);
        let (unit, sheet_rate, ytd) = subtotals
            .iter()
            .find(|(unit, ..)| label.starts_with(&format!("{}（", config.short_name(unit))))
            .unwrap_or_else(|| panic!("{label} is a unit of 固定资产投资"));
        match ytd {
            // Reported, on shared projects the list does not break down only: no plan of
            // its own, no bar, said.
            Some(_) if sheet_rate.is_none() => {
                assert_eq!(num_at(&data, 1 + k as u32, 5), None, "{unit}");
                assert!(label.contains("共同项目未分解"), "{label}");
            }
            Some(y) => {
                let rate = num_at(&data, 1 + k as u32, 5).expect("a rate");
                assert!(*y > 0.0);
                assert_close(Some(rate), *sheet_rate, unit);
                assert!(label.contains("计划"), "{label}");
                rates.push(rate);
            }
            None => {
                assert_eq!(
                    num_at(&data, 1 + k as u32, 5),
                    None,
                    "{unit}: no bar, not 0"
                );
                assert!(label.ends_with("（未报）"), "{label}");
            }
        }
    }
    assert!(rates.windows(2).all(|w| w[0] >= w[1]), "sorted: {rates:?}");
    // Trend: three months, June equal to the grand total.
    assert_eq!(
        chart_ranges(&charts[1]),
        vec![
            "图表数据!$H$2:$H$4".to_string(),
            "图表数据!$I$2:$I$4".to_string()
        ]
    );
    let total = (3..=h).find(|r| text_at(&inv, *r, 1) == "合计").unwrap();
    assert_close(num_at(&data, 3, 8), num_at(&inv, total, 7), "June total");
    let trend = sheet(&path, "月度趋势");
    assert_eq!(text_at(&trend, 2, 2), "2020年4月");
    assert_eq!(text_at(&trend, 2, 4), "2020年6月");
}

#[test]
fn every_consolidated_number_links_to_its_cell() {
    let t = run_samples(&[]);
    let path = t.path().join(SUMMARY);
    let src = sheet(&path, "数据来源");
    let (h, _) = src.end().unwrap();
    let rows = h - 2;

    // The test's own count of figures in the June returns that are used.
    let mut expected = 0;
    for e in std::fs::read_dir(t.path().join("samples/2020年6月")).unwrap() {
        let p = e.unwrap().path();
        if p.to_string_lossy()
            .ends_with("吉林市交通运输局_2020年6月_月报.xlsx")
        {
            continue;
        }
        let s = sheet(&p, "重点任务进展");
        let (last, _) = s.end().unwrap();
        expected += (5..=last)
            .flat_map(|r| [4, 5].map(|c| num_at(&s, r, c)))
            .flatten()
            .count();
        if sheet_names(&p).contains(&"固定资产投资".to_string()) {
            let s = sheet(&p, "固定资产投资");
            let (last, _) = s.end().unwrap();
            expected += (5..=last)
                .flat_map(|r| (4..=10).map(move |c| (r, c)))
                .filter(|(r, c)| num_at(&s, *r, *c).is_some())
                .count();
        }
    }
    assert_eq!(rows as usize, expected, "one row per consolidated value");

    // Follow a sample of links to the source cell.
    let xml = sheet_xml(&path, "数据来源");
    let at = sheet_names(&path)
        .iter()
        .position(|n| n == "数据来源")
        .expect("数据来源")
        + 1;
    let rels = zip_text(&path, &format!("xl/worksheets/_rels/sheet{at}.xml.rels"));
    let mut checked = 0;
    for r in (3..=h).step_by(17) {
        let cell = format!("J{}", r + 1);
        let c = xml
            .find(&format!("<hyperlink ref=\"{cell}\""))
            .unwrap_or_else(|| panic!("link in {cell}"));
        let tag = &xml[c..c + xml[c..].find("/>").unwrap()];
        let rid = attr(tag, "r:id").unwrap();
        let location = attr(tag, "location").unwrap_or_default();
        let i = rels.find(&format!("Id=\"{rid}\"")).unwrap();
        let rel = &rels[rels[..i].rfind('<').unwrap()..];
        let target = attr(&rel[..rel.find("/>").unwrap()], "Target").unwrap();
        assert!(target.starts_with("../samples/"), "relative link: {target}");
        let (sheet_part, cell_part) = location.rsplit_once('!').unwrap();
        let sheet_name = sheet_part.trim_matches('\'');
        assert_eq!(sheet_name, text_at(&src, r, 7));
        assert_eq!(cell_part, text_at(&src, r, 8));
        let file = t.path().join("output").join(&target);
        let value = num_at(
            &sheet(&file, sheet_name),
            pos(cell_part).0,
            pos(cell_part).1,
        );
        assert_close(
            value,
            num_at(&src, r, 5),
            &format!("link {cell} → {target}#{location}"),
        );
        checked += 1;
    }
    assert!(checked >= 10);
}

#[test]
fn correction_workbook_marks_each_wrong_cell_and_fixed_file_passes_check() {
    let t = run_samples(&[]);
    let dir = t.path().join("output/退回修改");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(
        names,
        vec![
            "白城市交通运输局_2020年6月_退回修改.xlsx",
            "省高速公路集团_2020年6月_退回修改.xlsx",
            "通化市交通运输局_2020年6月_退回修改.xlsx"
        ]
    );
    let path = dir.join("通化市交通运输局_2020年6月_退回修改.xlsx");
    assert_eq!(sheet_names(&path)[0], "问题清单");
    let list = sheet(&path, "问题清单");
    assert_eq!(text_at(&list, 3, 2), "E-NUM-PARSE");
    assert_eq!(
        (text_at(&list, 3, 3).as_str(), text_at(&list, 3, 4).as_str()),
        ("重点任务进展", "F6")
    );
    // The wrong cell keeps what the unit typed, filled red, with a note.
    let p = sheet(&path, "重点任务进展");
    assert_eq!(text_at(&p, 5, 5), "约12公里");
    let fill = fill_of(&path, "重点任务进展", "F6");
    assert!(fill.contains("FF8080"), "F6 is red: {fill}");
    let comments: Vec<String> = (1..=3)
        .filter_map(|k| {
            std::panic::catch_unwind(|| zip_text(&path, &format!("xl/comments{k}.xml"))).ok()
        })
        .collect();
    assert!(
        comments
            .iter()
            .any(|c| c.contains("ref=\"F6\"") && c.contains("约12公里")),
        "note on F6"
    );

    // Fix the marked cell as the unit would, send the workbook back instead of the
    // original, check: no error left for that unit.
    let may = sheet(
        &t.path()
            .join("samples/2020年5月/通化市交通运输局_2020年5月_月报.xlsx"),
        "重点任务进展",
    );
    set_number(
        &path,
        "重点任务进展",
        "F6",
        num_at(&may, 5, 5).unwrap() + num_at(&p, 5, 4).unwrap(),
    );
    let original = t
        .path()
        .join("samples/2020年6月/通化市交通运输局_2020年6月_月报.xlsx");
    std::fs::remove_file(&original).unwrap();
    std::fs::copy(&path, t.path().join("samples/2020年6月/通化_更正.xlsx")).unwrap();
    let (_, f) = findings(t.path(), &["samples"]);
    let left: Vec<_> = f
        .iter()
        .filter(|x| x["unit"] == "通化市交通运输局" && x["level"] != "info")
        .collect();
    assert!(left.is_empty(), "{left:#?}");
}

/// A funding sum that does not add up is the total's fault or a source's: the correction
/// workbook marks the cumulative and all five sources of the row, each with the note,
/// signed by the office.
#[test]
fn a_funding_sum_marks_every_cell_it_involves() {
    let t = run_samples(&[]);
    let path = t
        .path()
        .join("output/退回修改/省高速公路集团_2020年6月_退回修改.xlsx");
    let list = sheet(&path, "问题清单");
    let (h, _) = list.end().unwrap();
    let row = (3..=h)
        .find(|r| text_at(&list, *r, 2) == "E-FUND-SUM")
        .expect("E-FUND-SUM listed");
    let cell = text_at(&list, row, 4);
    let (r, _) = pos(&cell);
    let line = r + 1;
    // 自年初累计完成投资 (F) and 其中：中央车购税 … 其中：其他资金 (G–K), and nothing else.
    for c in ["F", "G", "H", "I", "J", "K"] {
        let at = format!("{c}{line}");
        assert!(
            fill_of(&path, "固定资产投资", &at).contains("FF8080"),
            "{at} is marked"
        );
        let note = note_of(&path, "固定资产投资", &at).unwrap_or_default();
        assert!(note.contains("资金来源合计"), "{at}: {note}");
    }
    for c in ["D", "E", "L"] {
        let at = format!("{c}{line}");
        assert!(
            !fill_of(&path, "固定资产投资", &at).contains("FF8080"),
            "{at} is not"
        );
    }
    let comments: String = (1..=3)
        .filter_map(|k| {
            std::panic::catch_unwind(|| zip_text(&path, &format!("xl/comments{k}.xml"))).ok()
        })
        .collect();
    assert!(
        comments.contains("<author>厅综合规划处</author>"),
        "{comments}"
    );
    assert!(!comments.contains("huizong"), "signed by the office");
}

/// Reads a UTF-8-with-BOM CSV written by huizong.
fn csv(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.starts_with('\u{FEFF}'), "BOM for Excel");
    text.trim_start_matches('\u{FEFF}')
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn csv_and_parquet_exports_equal_the_summary() {
    let t = run_samples(&["--export", "csv"]);
    let o = huizong(
        t.path(),
        &[
            "run", "samples", "--quiet", "--export", "parquet", "--out", "pq",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let summary = sheet(&t.path().join(SUMMARY), "任务进展");
    let (h, _) = summary.end().unwrap();
    let ytd_summary: HashMap<String, Option<f64>> = (3..=h)
        .filter(|r| text_at(&summary, *r, 5) != "—")
        .map(|r| (text_at(&summary, r, 0), num_at(&summary, r, 8)))
        .collect();

    let rows = csv(&t.path().join("output/progress.csv"));
    assert_eq!(
        rows[0][..5],
        ["报送月份", "单位", "任务编号", "本月完成", "自年初累计完成"]
    );
    let mut sums: HashMap<String, f64> = HashMap::new();
    for r in &rows[1..] {
        if let Ok(v) = r[4].parse::<f64>() {
            *sums.entry(r[2].clone()).or_default() += v;
        }
    }
    for (id, want) in &ytd_summary {
        assert_close(sums.get(id).copied(), *want, &format!("progress.csv {id}"));
    }
    // findings.csv holds the summary's 数据校验, line for line.
    let f = csv(&t.path().join("output/findings.csv"));
    let checks = sheet(&t.path().join(SUMMARY), "数据校验");
    let listed = (3..checks.height() as u32)
        .filter(|r| !text_at(&checks, *r, 1).is_empty())
        .count();
    assert!(listed > 0);
    assert_eq!(f.len() - 1, listed, "findings.csv against 数据校验");

    use polars_io::SerReader;
    let file = std::fs::File::open(t.path().join("pq/progress.parquet")).unwrap();
    let df = polars_io::parquet::read::ParquetReader::new(file)
        .finish()
        .unwrap();
    assert_eq!(df.height(), rows.len() - 1);
    let ids = df.column("任务编号").unwrap().str().unwrap().clone();
    let ytd = df.column("自年初累计完成").unwrap().f64().unwrap().clone();
    let mut psums: HashMap<String, f64> = HashMap::new();
    for i in 0..df.height() {
        if let (Some(id), Some(v)) = (ids.get(i), ytd.get(i)) {
            *psums.entry(id.to_string()).or_default() += v;
        }
    }
    for (id, want) in &ytd_summary {
        assert_close(
            psums.get(id).copied(),
            *want,
            &format!("progress.parquet {id}"),
        );
    }
    let file = std::fs::File::open(t.path().join("pq/investment.parquet")).unwrap();
    let inv = polars_io::parquet::read::ParquetReader::new(file)
        .finish()
        .unwrap();
    let col = inv
        .column("自年初累计完成投资（万元）")
        .unwrap()
        .f64()
        .unwrap()
        .clone();
    let total: f64 = (0..col.len()).filter_map(|i| col.get(i)).sum();
    let s = sheet(&t.path().join(SUMMARY), "固定资产投资");
    let (h, _) = s.end().unwrap();
    let row = (3..=h).find(|r| text_at(&s, *r, 1) == "合计").unwrap();
    assert_close(Some(total), num_at(&s, row, 7), "investment.parquet total");
}
