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
