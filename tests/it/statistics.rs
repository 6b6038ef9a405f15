//! 投资完成情况表 (DESIGN §2.5) on copies of the samples, every figure checked against sums
//! computed here from the returns' own cells (calamine), not from huizong's outputs.

use std::collections::HashMap;
use std::path::Path;

use crate::util::*;

const SHEET: &str = "投资完成情况";
const STANDALONE: &str = "output/2020年6月固定资产投资完成情况表.xlsx";

/// Id → category of a task list written by `template` (任务编号 in A, 任务类别 in B).
fn categories(list: &Path) -> HashMap<String, String> {
    let s = sheet(list, "任务清单");
    let (h, _) = s.end().unwrap();
    (2..=h)
        .filter(|r| !text_at(&s, *r, 0).is_empty())
        .map(|r| (text_at(&s, r, 0), text_at(&s, r, 1)))
        .collect()
}

/// Per category: the sum of column `col` of every return's 固定资产投资 in `dir` (col 4:
/// 本月完成投资, col 5: 自年初累计完成投资), read from the cells.
fn sums(dir: &Path, cats: &HashMap<String, String>, col: u32) -> HashMap<String, f64> {
    let mut out: HashMap<String, f64> = HashMap::new();
    for f in std::fs::read_dir(dir).unwrap().flatten() {
        let name = f.file_name().to_string_lossy().to_string();
        if !name.ends_with("_月报.xlsx") {
            continue;
        }
        // A unit without projects has no investment sheet.
        if !sheet_names(&f.path()).iter().any(|n| n == "固定资产投资") {
            continue;
        }
        let s = sheet(&f.path(), "固定资产投资");
        let (h, _) = s.end().unwrap();
        for r in 5..=h {
            let id = text_at(&s, r, 0);
            if let (Some(cat), Some(v)) = (cats.get(&id), num_at(&s, r, col)) {
                *out.entry(cat.clone()).or_default() += v;
                *out.entry("合计".into()).or_default() += v;
            }
        }
    }
    out
}

/// The row of the table whose label (column A) is `label`, in the part after `heading`.
fn row(s: &calamine::Range<calamine::Data>, heading: &str, label: &str) -> u32 {
    let (h, _) = s.end().unwrap();
    let start = (0..=h).find(|r| text_at(s, *r, 0) == heading).unwrap();
    (start + 1..=h)
        .find(|r| text_at(s, *r, 0) == label)
        .unwrap_or_else(|| panic!("{label} under {heading}"))
}

const BY_CATEGORY: &str = "一、按任务类别";
const BY_UNIT: &str = "二、按单位";

#[test]
fn the_samples_table_against_the_returns_cells() {
    let t = samples_copy();
    let root = t.path().join("samples");
    let o = huizong(t.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let summary = t.path().join("output/2020年6月重点任务进展汇总.xlsx");
    let s = sheet(&summary, SHEET);

    // 去年同期: last year's June, whole categories (the 2019 expressway finished since
    // counts), from the 2019 returns' cells and the 2019 list.
    let last = sums(
        &root.join("2019年6月"),
        &categories(&root.join("2019年6月/2019年任务清单.xlsx")),
        5,
    );
    // 上月: May's 本月完成投资, every May return being clean.
    let this_cats = categories(&root.join("任务清单.xlsx"));
    let may = sums(&root.join("2020年5月"), &this_cats, 4);
    for cat in ["合计", "高速公路", "普通干线公路", "农村公路", "客运场站"] {
        let r = row(&s, BY_CATEGORY, cat);
        assert_close(
            num_at(&s, r, 6),
            last.get(cat).copied(),
            &format!("{cat} 去年同期"),
        );
        assert_close(
            num_at(&s, r, 8),
            may.get(cat).copied(),
            &format!("{cat} 上月"),
        );
        // Rates from the figures in the row: 为去年同期% and 环比增长%, two decimals shown.
        let (ytd, ly) = (num_at(&s, r, 4).unwrap(), num_at(&s, r, 6).unwrap());
        assert!(
            (num_at(&s, r, 7).unwrap() - ytd / ly * 100.0).abs() < 1e-6,
            "{cat} 同比"
        );
        let (m, lm) = (num_at(&s, r, 2).unwrap(), num_at(&s, r, 8).unwrap());
        assert!(
            (num_at(&s, r, 9).unwrap() - (m / lm - 1.0) * 100.0).abs() < 1e-6,
            "{cat} 环比"
        );
        let plan = num_at(&s, r, 1).unwrap();
        assert!(
            (num_at(&s, r, 5).unwrap() - ytd / plan * 100.0).abs() < 1e-6,
            "{cat} 完成年计划"
        );
    }
    // The same 合计 heads both tables; the categories add up to it.
    let (tc, tu) = (row(&s, BY_CATEGORY, "合计"), row(&s, BY_UNIT, "合计"));
    for c in [1, 2, 4, 6, 8] {
        assert_eq!(num_at(&s, tc, c), num_at(&s, tu, c), "合计 col {c}");
        let parts: f64 = ["高速公路", "普通干线公路", "农村公路", "客运场站"]
            .iter()
            .filter_map(|cat| num_at(&s, row(&s, BY_CATEGORY, cat), c))
            .sum();
        assert_close(
            Some(parts),
            num_at(&s, tc, c),
            &format!("categories col {c}"),
        );
    }
    // 辽源 sent nothing in June: no figure, 0/1, its May 127 still there, 环比 marked.
    let r = row(&s, BY_UNIT, "辽源");
    assert_eq!(num_at(&s, r, 2), None);
    assert_eq!(text_at(&s, r, 12), "0/1");
    let total_mom = format!("I{}", tc + 1);
    assert!(
        note_of(&summary, SHEET, &total_mom)
            .is_some_and(|n| n.contains("不是同口径") && n.contains("辽源")),
        "合计's 上月 says it is not like for like"
    );
    // 高速集团's E-FUND-SUM reaches 合计 and 高速公路: marked with the finding.
    let ytd_note = note_of(&summary, SHEET, &format!("E{}", tc + 1)).unwrap();
    assert!(ytd_note.contains("E-FUND-SUM"), "{ytd_note}");
    // Shared projects not broken down: their plans in a row of their own, so the units'
    // plans add up to 合计's.
    let (h, _) = s.end().unwrap();
    let unit_plans: f64 = (tu + 1..=h)
        .filter_map(|r| {
            let label = text_at(&s, r, 0);
            (!label.ends_with("小计"))
                .then(|| num_at(&s, r, 1))
                .flatten()
        })
        .sum();
    assert_close(Some(unit_plans), num_at(&s, tu, 1), "units' plans add up");
    // The standalone workbook is the sheet, cell by cell.
    let alone = sheet(&t.path().join(STANDALONE), SHEET);
    assert_eq!(alone.end(), s.end());
    for r in 0..=h {
        for c in 0..13 {
            assert_eq!(alone.get_value((r, c)), s.get_value((r, c)), "R{r}C{c}");
        }
    }
}

#[test]
fn last_year_from_another_folder_or_missing() {
    let t = samples_copy();
    let root = t.path().join("samples");
    let before = {
        huizong(t.path(), &["run", "samples", "--quiet", "--out", "a"]);
        sheet(
            &t.path().join("a/2020年6月固定资产投资完成情况表.xlsx"),
            SHEET,
        )
    };
    // Last year moved out of the folder: no 去年同期, blank with a note, never 0.
    std::fs::rename(root.join("2019年6月"), t.path().join("去年")).unwrap();
    let o = huizong(t.path(), &["run", "samples", "--quiet", "--out", "b"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let path = t.path().join("b/2020年6月固定资产投资完成情况表.xlsx");
    let s = sheet(&path, SHEET);
    let r = row(&s, BY_CATEGORY, "农村公路");
    assert_eq!(num_at(&s, r, 6), None, "unknown is blank");
    assert_eq!(num_at(&s, r, 7), None);
    assert!(
        note_of(&path, SHEET, &format!("G{}", r + 1))
            .unwrap()
            .contains("去年同期数据缺失")
    );
    // Given with --last-year: the same table as with last year in the folder.
    let o = huizong(
        t.path(),
        &[
            "run",
            "samples",
            "--quiet",
            "--out",
            "c",
            "--last-year",
            "去年",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = sheet(
        &t.path().join("c/2020年6月固定资产投资完成情况表.xlsx"),
        SHEET,
    );
    let (h, _) = before.end().unwrap();
    for r in 3..=h {
        for c in 1..13 {
            assert_eq!(s.get_value((r, c)), before.get_value((r, c)), "R{r}C{c}");
        }
    }
    // Last year's findings are not this month's: the 2019 returns are named once each.
    let (_, f) = findings(t.path(), &["samples"]);
    assert!(
        !f.iter().any(|x| x["code"] == "I-LAST-YEAR"),
        "not in the folder any more"
    );
}

#[test]
fn in_yi_yuan_every_total_is_the_sum_of_its_shown_parts() {
    let t = samples_copy();
    let o = huizong(
        t.path(),
        &["run", "samples", "--quiet", "--amount-unit", "亿元"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let wan = {
        huizong(t.path(), &["run", "samples", "--quiet", "--out", "w"]);
        sheet(
            &t.path().join("w/2020年6月固定资产投资完成情况表.xlsx"),
            SHEET,
        )
    };
    let s = sheet(&t.path().join(STANDALONE), SHEET);
    assert!(header_at(&s, 2, 1).contains("亿元"));
    assert!(text_at(&s, 1, 0).contains("舍位平衡"));
    let cents = |v: Option<f64>| v.map(|v| (v * 100.0).round() as i64);
    let (h, _) = s.end().unwrap();
    let by_cat = row(&s, BY_CATEGORY, "合计");
    let by_unit = row(&s, BY_UNIT, "合计");
    for c in [1, 2, 4, 6, 8] {
        // Each shown figure within one hundredth of its 万元 figure over 10,000.
        for r in 3..=h {
            if let (Some(y), Some(w)) = (num_at(&s, r, c), num_at(&wan, r, c)) {
                assert!((y - w / 1e4).abs() <= 0.01 + 1e-9, "R{r}C{c}: {y} for {w}");
                assert!(
                    ((y * 100.0).round() - y * 100.0).abs() < 1e-6,
                    "two decimals"
                );
            }
        }
        // The categories add up to 合计 exactly.
        let cat_sum: i64 = (by_cat + 1..by_unit - 1)
            .filter_map(|r| cents(num_at(&s, r, c)))
            .sum();
        assert_eq!(
            Some(cat_sum),
            cents(num_at(&s, by_cat, c)),
            "categories col {c}"
        );
        // Sections, loose units and the undivided plans add up to 合计; each section's
        // units to its 小计.
        // (Every unit of the samples is in a section; the rows that are no unit say so.)
        let mut top = 0;
        let mut section: Option<(i64, i64)> = None;
        for r in by_unit + 1..=h {
            let label = text_at(&s, r, 0);
            let v = cents(num_at(&s, r, c)).unwrap_or(0);
            let apart = ["未分解到单位的计划", "去年其他单位"].contains(&label.as_str());
            if label.ends_with("小计") || apart {
                if let Some((want, got)) = section.take() {
                    assert_eq!(want, got, "a section col {c}");
                }
                section = (!apart).then_some((v, 0));
                top += v;
            } else if let Some((_, got)) = section.as_mut() {
                *got += v;
            } else {
                top += v;
            }
        }
        if let Some((want, got)) = section {
            assert_eq!(want, got, "the last section col {c}");
        }
        assert_eq!(Some(top), cents(num_at(&s, by_unit, c)), "units col {c}");
        assert_eq!(num_at(&s, by_cat, c), num_at(&s, by_unit, c), "one 合计");
    }
    // Rates from full precision: the same as in 万元.
    assert_eq!(num_at(&s, by_cat, 5), num_at(&wan, by_cat, 5));
}
