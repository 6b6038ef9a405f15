//! What prints, checked the way a person looks: the samples' summary, a template and a
//! correction workbook rendered to PDF by LibreOffice with Carlito (Calibri's widths, so
//! columns come out as Excel draws them) and Noto CJK, read back from the PDF's text layer.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::*;

/// Renders a workbook to PDF with its own LibreOffice profile (tests run side by side).
fn render(xlsx: &Path, out: &Path) -> PathBuf {
    let profile = out.join("lo-profile");
    let st = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(out)
        .arg(xlsx)
        .output()
        .expect("soffice runs");
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let pdf = out.join(xlsx.with_extension("pdf").file_name().unwrap());
    assert!(pdf.is_file(), "{} rendered", xlsx.display());
    pdf
}

fn pdftotext(pdf: &Path, args: &[&str]) -> String {
    let o = Command::new("pdftotext")
        .args(args)
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(o.status.success());
    String::from_utf8(o.stdout).unwrap()
}

/// The print scale of each page: the width of its CJK body words over their natural width
/// (one em of 10-point text a character), the most common value on the page.
fn page_scales(pdf: &Path) -> Vec<Option<f64>> {
    let xml = pdftotext(pdf, &["-bbox"]);
    xml.split("<page ")
        .skip(1)
        .map(|page| {
            let mut counts: std::collections::BTreeMap<i64, usize> = Default::default();
            for w in page.split("<word ").skip(1) {
                let tag = format!(" {}", &w[..w.find('>').unwrap()]);
                let text = &w[w.find('>').unwrap() + 1..w.find("</word>").unwrap()];
                let n = text.chars().count();
                if n < 3 || !text.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
                    continue;
                }
                let x0: f64 = attr(&tag, "xMin").unwrap().parse().unwrap();
                let x1: f64 = attr(&tag, "xMax").unwrap().parse().unwrap();
                let scale = (x1 - x0) / n as f64 / 10.0;
                *counts.entry((scale * 100.0).round() as i64).or_default() += 1;
            }
            counts
                .into_iter()
                .max_by_key(|(_, n)| *n)
                .map(|(s, _)| s as f64 / 100.0)
        })
        .collect()
}

/// `#,##0.00` as Excel shows it.
fn money(v: f64) -> String {
    let s = format!("{:.2}", v.abs());
    let (whole, frac) = s.split_once('.').unwrap();
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{}{out}.{frac}", if v < 0.0 { "-" } else { "" })
}

fn assert_prints(pdf: &Path, what: &str) -> String {
    let text = pdftotext(pdf, &["-layout"]);
    assert!(!text.contains("###"), "{what}: ### on a page");
    for (page, scale) in page_scales(pdf).into_iter().enumerate() {
        if let Some(s) = scale {
            assert!(s >= 0.795, "{what}: page {} prints at {s:.2}", page + 1);
        }
    }
    text
}

#[test]
#[ignore = "needs LibreOffice (soffice), Carlito, Noto CJK and poppler-utils (.ci/run installs them)"]
fn the_summary_a_template_and_a_correction_print_whole_at_80_percent_or_more() {
    let t = samples_copy();
    let tasks = t.path().join("samples/任务清单.xlsx");
    let o = huizong(t.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = huizong(
        t.path(),
        &[
            "template",
            "--tasks",
            tasks.to_str().unwrap(),
            "--period",
            "2020-07",
            "--history",
            "samples",
            "--out",
            "模板",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = t.path().join("pdf");
    std::fs::create_dir_all(&out).unwrap();

    let summary = t.path().join("output/2020年6月重点任务进展汇总.xlsx");
    let pdf = render(&summary, &out);
    let text = assert_prints(&pdf, "summary");
    // Every figure of 任务进展 and every amount of 固定资产投资, totals included, prints whole.
    let tasks_sheet = sheet(&summary, "任务进展");
    let (h, _) = tasks_sheet.end().unwrap();
    let mut figures = 0;
    for r in 3..=h {
        for c in [7, 8] {
            if let Some(v) = num_at(&tasks_sheet, r, c) {
                let shown = format!("{v}");
                assert!(
                    text.contains(&shown),
                    "任务进展 row {} col {c}: {shown}",
                    r + 1
                );
                figures += 1;
            }
        }
    }
    let inv = sheet(&summary, "固定资产投资");
    let (h, _) = inv.end().unwrap();
    let mut totals = 0;
    for r in 3..=h {
        let label = text_at(&inv, r, 1);
        for c in [5u32, 6, 7, 9, 10, 11, 12, 13] {
            if let Some(v) = num_at(&inv, r, c) {
                let shown = money(v);
                assert!(
                    text.contains(&shown),
                    "固定资产投资 {label} col {c}: {shown}"
                );
                totals += usize::from(label.ends_with("小计") || label == "合计");
            }
        }
    }
    assert!(figures > 50 && totals > 30, "{figures} {totals}");
    assert!(
        text.contains("1,982,400.00"),
        "the grand 合计 of 本年计划投资"
    );
    // 总览's table on its own page, at full size.
    let scales = page_scales(&pdf);
    assert!(
        scales[0].is_some_and(|s| s >= 0.97),
        "总览 at {:?}",
        scales[0]
    );

    let template = t.path().join("模板/通化市交通运输局_2020年7月_月报.xlsx");
    let text = assert_prints(&render(&template, &out), "template");
    assert!(text.contains("上月累计") && text.contains("总目标"));

    let correction = t
        .path()
        .join("output/退回修改/省高速公路集团_2020年6月_退回修改.xlsx");
    let text = assert_prints(&render(&correction, &out), "correction");
    assert!(text.contains("E-FUND-SUM") && text.contains("181,543.06"));

    // 投资完成情况表, as sent upward: one page, every amount and every rate printed whole.
    let statistics = t.path().join("output/2020年6月固定资产投资完成情况表.xlsx");
    let pdf = render(&statistics, &out);
    let text = assert_prints(&pdf, "statistics");
    assert_eq!(page_scales(&pdf).len(), 1, "one page");
    let st = sheet(&statistics, "投资完成情况");
    let (h, _) = st.end().unwrap();
    let mut shown = 0;
    for r in 3..=h {
        for c in 1..12u32 {
            let Some(v) = num_at(&st, r, c).filter(|v| v.abs() >= 0.005) else {
                continue;
            };
            let s = match c {
                1 | 2 | 4 | 6 | 8 => money(v),
                _ => format!("{v:.2}"),
            };
            assert!(text.contains(&s), "投资完成情况 row {} col {c}: {s}", r + 1);
            shown += 1;
        }
    }
    assert!(shown > 150, "{shown} figures");
}

/// A text longer than a row can show (409 points), printed: every piece on the page, its
/// first and last words included (LibreOffice, like Excel, cuts a cell's overflowing lines
/// at its borders, and the cut words leave the page). The correction keeps the unit's
/// text in one row, in a column made wide enough. 数据来源 prints its note only.
#[test]
#[ignore = "needs LibreOffice (soffice), Carlito, Noto CJK and poppler-utils (.ci/run installs them)"]
fn a_long_text_prints_whole_in_the_summary_and_the_correction() {
    use crate::print::{LONG_END, LONG_START, with_long_texts};
    let t = samples_copy();
    with_long_texts(t.path());
    let o = huizong(t.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = t.path().join("pdf");
    std::fs::create_dir_all(&out).unwrap();
    let summary = t.path().join("output/2020年6月重点任务进展汇总.xlsx");
    let pdf = render(&summary, &out);
    let raw = assert_prints(&pdf, "summary");
    let text = raw.replace([' ', '\n'], "");
    // 长春's 本月工作进展 and 四平's 存在问题 on 任务进展, 四平's 存在问题 and 下步工作打算
    // on 存在问题汇总.
    for mark in [LONG_START, LONG_END] {
        assert_eq!(text.matches(mark).count(), 4, "{mark}");
    }
    assert!(text.contains("（见续）") && text.contains("（续）"));
    // 数据来源: one page, its title and note, not its hundreds of rows.
    let pages = raw
        .split('\u{c}')
        .filter(|p| p.contains("2020年6月数据来源"))
        .count();
    assert_eq!(pages, 1);
    assert!(text.contains("不打印（只打印这几行说明）"));

    let correction = t
        .path()
        .join("output/退回修改/长春市交通运输局_2020年6月_退回修改.xlsx");
    let text = assert_prints(&render(&correction, &out), "correction").replace([' ', '\n'], "");
    for mark in [LONG_START, LONG_END] {
        assert_eq!(text.matches(mark).count(), 1, "correction: {mark}");
    }
}

/// The briefing (DESIGN §2.6) printed as an official document: every page A4 (the text
/// portrait, the 附件 landscape), "— N —" on every page, odd pages right and even pages
/// left, and every word inside the text block (156 × 225 mm at 37 mm from the top and
/// 28 mm from the left; turned for the landscape pages) but the page number.
#[test]
#[ignore = "needs LibreOffice Writer (soffice), Noto CJK with the GB font aliases and poppler-utils (.ci/run installs them)"]
fn the_briefing_prints_as_an_official_document() {
    let t = samples_copy();
    let o = huizong(t.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = t.path().join("pdf");
    std::fs::create_dir_all(&out).unwrap();
    let docx = t
        .path()
        .join("output/2020年6月重点任务进展情况通报（草稿）.docx");
    let pdf = render(&docx, &out);
    let mm = |v: f64| v / 25.4 * 72.0;
    let xml = pdftotext(&pdf, &["-bbox"]);
    let pages: Vec<&str> = xml.split("<page ").skip(1).collect();
    assert!(pages.len() >= 4, "{} pages", pages.len());
    let mut landscape_pages = 0;
    for (k, page) in pages.iter().enumerate() {
        let n = k + 1;
        let tag = format!(" {}", &page[..page.find('>').unwrap()]);
        let w: f64 = attr(&tag, "width").unwrap().parse().unwrap();
        let h: f64 = attr(&tag, "height").unwrap().parse().unwrap();
        let landscape = w > h;
        let (pw, ph) = if landscape { (h, w) } else { (w, h) };
        assert!(
            (pw - 595.3).abs() < 1.0 && (ph - 841.9).abs() < 1.0,
            "page {n} is A4"
        );
        // The text block on this page.
        let (x0, y0, bw, bh) = if landscape {
            landscape_pages += 1;
            (mm(37.0), mm(28.0), mm(225.0), mm(156.0))
        } else {
            (mm(28.0), mm(37.0), mm(156.0), mm(225.0))
        };
        let mut number: Vec<(f64, f64, String)> = Vec::new();
        for word in page.split("<word ").skip(1) {
            let tag = format!(" {}", &word[..word.find('>').unwrap()]);
            let text = &word[word.find('>').unwrap() + 1..word.find("</word>").unwrap()];
            let f = |a: &str| -> f64 { attr(&tag, a).unwrap().parse().unwrap() };
            let (a, b, c, d) = (f("xMin"), f("yMin"), f("xMax"), f("yMax"));
            if b > y0 + bh + 1.0 {
                // Below the block: the page number only.
                number.push((a, c, text.to_string()));
                continue;
            }
            // A line's closing punctuation may hang in the margin (Word and LibreOffice
            // both do it, as Chinese typesetting allows): one character of it.
            let hang = if text.ends_with(['。', '，', '；', '：', '、', '）', '”', '？', '！'])
            {
                17.0
            } else {
                2.0
            };
            assert!(
                a >= x0 - 2.0 && c <= x0 + bw + hang && b >= y0 - 2.0 && d <= y0 + bh + 2.0,
                "page {n}: “{text}” at ({a:.0},{b:.0})–({c:.0},{d:.0}) outside the block"
            );
        }
        let shown: String = number.iter().map(|w| w.2.as_str()).collect();
        assert_eq!(
            shown.replace(' ', ""),
            format!("—{n}—"),
            "page {n}'s number"
        );
        // Odd pages right, even pages left.
        let (left, right) = (number[0].0, number.last().unwrap().1);
        if n % 2 == 1 {
            assert!(right > x0 + bw * 0.8, "page {n}: number on the right");
        } else {
            assert!(left < x0 + bw * 0.2, "page {n}: number on the left");
        }
    }
    assert!(landscape_pages >= 2, "the 附件 on landscape pages");
}
