//! What prints: no figure of the summary can show as `###` in Excel's widths.

use crate::util::*;

/// Column widths of a sheet (zero-based column → width), from its `<col>` elements.
fn col_widths(xml: &str) -> Vec<(u32, u32, f64)> {
    xml.split("<col ")
        .skip(1)
        .filter_map(|c| {
            let tag = format!(" {}", &c[..c.find('>')?]);
            Some((
                attr(&tag, "min")?.parse().ok()?,
                attr(&tag, "max")?.parse().ok()?,
                attr(&tag, "width")?.parse().ok()?,
            ))
        })
        .collect()
}

#[test]
fn every_amount_fits_its_column_bold_totals_included() {
    let t = samples_copy();
    let o = huizong(t.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let path = t.path().join("output/2020年6月重点任务进展汇总.xlsx");
    let inv = sheet(&path, "固定资产投资");
    let xml = sheet_xml(&path, "固定资产投资");
    // The figures are set in Calibri, whose widths Carlito repeats in LibreOffice.
    assert!(zip_text(&path, "xl/styles.xml").contains("<name val=\"Calibri\"/>"));
    let widths = col_widths(&xml);
    let width_of = |c: u32| {
        widths
            .iter()
            .find(|(lo, hi, _)| (*lo..=*hi).contains(&(c + 1)))
            .map(|w| w.2)
            .unwrap_or(8.43)
    };
    let (h, _) = inv.end().unwrap();
    let mut checked = 0;
    for r in 3..=h {
        let bold = text_at(&inv, r, 1).ends_with("小计") || text_at(&inv, r, 1) == "合计";
        for c in [5u32, 6, 7, 9, 10, 11, 12, 13] {
            let Some(v) = num_at(&inv, r, c) else {
                continue;
            };
            // `#,##0.00` as Excel shows it, in 10-point Calibri (digits 6.8 px, separators
            // 3.4 px, bold a little wider), in columns of 7 px a unit less the cell's 5 px
            // of margin.
            let shown = format!("{v:.2}");
            let (whole, frac) = shown.split_once('.').unwrap();
            let digits = shown.chars().filter(char::is_ascii_digit).count() as f64;
            let groups = ((whole.trim_start_matches('-').len() - 1) / 3) as f64;
            let px = (digits * 6.8 + (groups + 1.0) * 3.4) * if bold { 1.06 } else { 1.0 };
            let need = (px + 5.0) / 7.0;
            assert!(
                width_of(c) >= need,
                "固定资产投资 row {} col {c}: {whole}.{frac} needs {need:.1}, column is {:.1}",
                r + 1,
                width_of(c)
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked}");
}

/// The height (points) of each row of a sheet that sets one, by zero-based row.
fn row_heights(xml: &str) -> std::collections::HashMap<u32, f64> {
    xml.split("<row ")
        .skip(1)
        .filter_map(|r| {
            let tag = format!(" {}", &r[..r.find('>')?]);
            let row: u32 = attr(&tag, "r")?.parse().ok()?;
            Some((row - 1, attr(&tag, "ht")?.parse().ok()?))
        })
        .collect()
}

/// A unit's text as long as a shared task's ten units write: a row of Excel shows at most
/// 409 points, so the text goes on in the rows below, marked, and 数据校验 names it.
/// Its first and last words: Latin words, which a line never breaks, so that a page's text
/// shows each whole.
pub const LONG_START: &str = "QSTART";
pub const LONG_END: &str = "QEND";

pub fn long_text() -> String {
    let body = "一标段路面基层施工完成百分之八十，二标段桥梁下部结构完工，";
    format!("{LONG_START} {}{LONG_END}", body.repeat(24))
}

/// The first task row of a unit's June return: (zero-based row, task id).
fn first_task_row(file: &std::path::Path) -> (u32, String) {
    let p = sheet(file, "重点任务进展");
    let (h, _) = p.end().unwrap();
    let row = (0..=h).find(|r| num_at(&p, *r, 5).is_some()).unwrap();
    (row, text_at(&p, row, 0))
}

/// Writes the long text into 长春's 本月工作进展 on its first task row, with a text figure
/// in its 本月完成 (an error: 长春 gets a correction), and into 四平's 存在问题 and
/// 下步工作打算 on its first task row; the two tasks' ids.
pub fn with_long_texts(root: &std::path::Path) -> (String, String) {
    let june = root.join("samples/2020年6月");
    let text = long_text();
    let cc = june.join("长春市交通运输局_2020年6月_月报.xlsx");
    let (row, cc_id) = first_task_row(&cc);
    set_text(&cc, "重点任务进展", &format!("H{}", row + 1), &text);
    set_text(&cc, "重点任务进展", &format!("E{}", row + 1), "约5");
    let sp = june.join("四平市交通运输局_2020年6月_月报.xlsx");
    let (row, sp_id) = first_task_row(&sp);
    set_text(&sp, "重点任务进展", &format!("I{}", row + 1), &text);
    set_text(&sp, "重点任务进展", &format!("J{}", row + 1), &text);
    (cc_id, sp_id)
}

/// The pieces of a text with the marks of its going on taken off, joined.
fn unmarked(pieces: &[String]) -> String {
    pieces
        .iter()
        .map(|p| p.trim_start_matches("（续）").trim_end_matches("（见续）"))
        .collect::<String>()
        .replace('\n', "")
}

#[test]
fn a_text_longer_than_a_row_goes_on_below_it_and_nothing_is_cut() {
    use huizong::write::measure::{LINE_PT, lines};
    let t = samples_copy();
    let (cc_id, sp_id) = with_long_texts(t.path());
    let o = huizong(t.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let path = t.path().join("output/2020年6月重点任务进展汇总.xlsx");
    let long = long_text();

    let findings = sheet(&path, "数据校验");
    let (fh, _) = findings.end().unwrap();
    let goes_on: Vec<(String, String, String)> = (3..=fh)
        .filter(|r| text_at(&findings, *r, 1) == "I-TEXT-CONTINUED")
        .map(|r| {
            (
                text_at(&findings, r, 4),
                text_at(&findings, r, 5),
                text_at(&findings, r, 6),
            )
        })
        .collect();

    // 长春's 本月工作进展 and 四平's 存在问题 on 任务进展 (a task's rows hold every unit's
    // text); 四平's 存在问题 and 下步工作打算 on 存在问题汇总.
    for (name, id, cols) in [
        ("任务进展", &cc_id, &[12u32][..]),
        ("任务进展", &sp_id, &[13][..]),
        ("存在问题汇总", &sp_id, &[4, 5][..]),
    ] {
        let s = sheet(&path, name);
        let xml = sheet_xml(&path, name);
        let heights = row_heights(&xml);
        let sheet_cols = col_widths(&xml);
        let widths = |c: u32| {
            sheet_cols
                .iter()
                .find(|(lo, hi, _)| (*lo..=*hi).contains(&(c + 1)))
                .unwrap()
                .2
        };
        let (h, _) = s.end().unwrap();
        let rows: Vec<u32> = (3..=h)
            .filter(|r| text_at(&s, *r, 0) == *id)
            .filter(|r| name == "任务进展" || text_at(&s, *r, 3).contains("四平"))
            .collect();
        assert!(rows.len() >= 2, "{name}: {rows:?}");
        for &c in cols {
            let pieces: Vec<String> = rows.iter().map(|r| text_at(&s, *r, c)).collect();
            assert!(pieces[0].ends_with("（见续）"), "{name}: {}", pieces[0]);
            assert!(pieces[1].starts_with("（续）"), "{name}: {}", pieces[1]);
            assert!(text_at(&s, rows[1], 2).contains("续上行"));
            // Nothing lost: the whole text is there, in order.
            assert!(unmarked(&pieces).contains(&long), "{name} col {c}");
            // Each row is tall enough for its piece and no taller than a row can be.
            for (r, p) in rows.iter().zip(&pieces) {
                let ht = heights[r];
                assert!(ht <= 409.0, "{name} row {}: {ht}", r + 1);
                let need = lines(p, widths(c), false) as f64 * LINE_PT;
                assert!(need <= ht, "{name} row {}: {need} > {ht}", r + 1);
            }
            // 数据校验 names the first cell.
            let cell = format!("{}{}", (b'A' + c as u8) as char, rows[0] + 1);
            assert!(
                goes_on
                    .iter()
                    .any(|(sh, at, m)| sh == name && *at == cell && m.contains("见续")),
                "{name} {cell}: {goes_on:?}"
            );
        }
    }
    // The correction keeps 长春's text in one row of a column wide enough to show it.
    let correction = t
        .path()
        .join("output/退回修改/长春市交通运输局_2020年6月_退回修改.xlsx");
    let c = sheet(&correction, "重点任务进展");
    let xml = sheet_xml(&correction, "重点任务进展");
    let heights = row_heights(&xml);
    let (h, _) = c.end().unwrap();
    let r = (0..=h).find(|r| text_at(&c, *r, 0) == cc_id).unwrap();
    assert_eq!(text_at(&c, r, 7), long);
    let width = col_widths(&xml)
        .into_iter()
        .find(|(lo, hi, _)| (*lo..=*hi).contains(&8))
        .unwrap()
        .2;
    let need = lines(&long, width, false) as f64 * LINE_PT;
    assert!(
        need <= heights[&r] && heights[&r] <= 409.0,
        "{need} {}",
        heights[&r]
    );
}

#[test]
fn sources_stay_out_of_print_with_a_note_that_prints() {
    let t = samples_copy();
    let o = huizong(t.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let path = t.path().join("output/2020年6月重点任务进展汇总.xlsx");
    let workbook = zip_text(&path, "xl/workbook.xml");
    // The print area of 数据来源 is its title, note and header.
    assert!(
        workbook.contains("_xlnm.Print_Area") && workbook.contains("数据来源!$A$1:$K$3"),
        "{workbook}"
    );
    let s = sheet(&path, "数据来源");
    let note = text_at(&s, 1, 0);
    let (h, _) = s.end().unwrap();
    assert!(
        note.contains("不打印") && note.contains(&format!("共 {} 行", h - 2)),
        "{note}"
    );
    // The note's row is as high as its lines across the table need: the sheet is written
    // row by row, and a height set once the rows below were written was lost (its second
    // line printed over the header).
    use huizong::write::measure::{LINE_PT, lines};
    let xml = sheet_xml(&path, "数据来源");
    // Columns A:K, with the padding between them.
    let across: f64 = col_widths(&xml)
        .iter()
        .filter(|(lo, _, _)| *lo <= 10)
        .map(|(lo, hi, w)| (hi.min(&10) - lo + 1) as f64 * w)
        .sum::<f64>()
        + 10.0 * 5.0 / 7.0;
    let need = lines(&note, across, false) as f64 * LINE_PT;
    let height = row_heights(&xml).get(&1).copied().unwrap_or(15.0);
    assert!(need > LINE_PT && height >= need, "{need} {height}");
}
