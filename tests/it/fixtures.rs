//! Returns written by hand, not by huizong's template: label and date forms, header
//! variants, a separate investment workbook, `.xls` and `.ods` files, a formula cell,
//! duplicates, aliases and a unit the configuration does not know.

use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Formula, Workbook};

use crate::util::*;

/// A cell to write: text or number.
enum V<'a> {
    T(&'a str),
    N(f64),
    F(&'a str, f64),
    D(u16, u8, u8),
}

/// Cells of a sheet: row, column, value.
type Cells<'a> = Vec<(u32, u16, V<'a>)>;

fn write(path: &Path, sheets: &[(&str, Cells)]) {
    let mut wb = Workbook::new();
    for (name, cells) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, c, v) in cells {
            match v {
                V::T(s) => ws.write_string(*r, *c, *s).map(|_| ()),
                V::N(n) => ws.write_number(*r, *c, *n).map(|_| ()),
                V::F(f, res) => ws
                    .write_formula(*r, *c, Formula::new(*f).set_result(res.to_string()))
                    .map(|_| ()),
                V::D(y, m, d) => {
                    let dt = ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                    let fmt = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
                    ws.write_datetime_with_format(*r, *c, &dt, &fmt).map(|_| ())
                }
            }
            .unwrap();
        }
    }
    wb.save(path).unwrap();
}

fn row(r: u32, cells: Vec<V<'static>>) -> Vec<(u32, u16, V<'static>)> {
    cells
        .into_iter()
        .enumerate()
        .map(|(c, v)| (r, c as u16, v))
        .collect()
}

/// A plain return in the contract layout, labels in their own cells.
fn plain_return(path: &Path, unit: &'static str, date: V<'static>, rows: Vec<Vec<V<'static>>>) {
    let mut cells = vec![
        (0, 0, V::T("重点任务进展情况表")),
        (1, 0, V::T("填报单位：")),
        (1, 1, V::T(unit)),
        (1, 3, V::T("报送月份：")),
        (1, 4, V::T("2020年6月")),
        (1, 6, V::T("填报日期：")),
        (1, 7, date),
    ];
    let headers = PROGRESS_HEADERS;
    cells.extend(
        headers
            .iter()
            .enumerate()
            .map(|(c, h)| (4, c as u16, V::T(h))),
    );
    for (i, r) in rows.into_iter().enumerate() {
        cells.extend(row(5 + i as u32, r));
    }
    write(path, &[("Sheet1", cells)]);
}

/// The folder: a hand-made task list and hand-made returns.
fn folder(dir: &Path) {
    let d = dir.join("报表");
    std::fs::create_dir_all(&d).unwrap();
    // Task list: a title above, columns reordered, a header with a line break, half-width
    // brackets, the alias 牵头单位, and bad rows.
    let mut tl = vec![
        (0, 0, V::T("附件：重点任务清单")),
        (1, 0, V::T("（2020年度）")),
    ];
    tl.extend(row(
        2,
        vec![
            V::T("牵头单位"),
            V::T("任务名称"),
            V::T("任务\n编号"),
            V::T("任务类别"),
            V::T("计量单位"),
            V::T("年度目标"),
            V::T("年度计划投资(万元)"),
            V::T("完成时限"),
        ],
    ));
    tl.extend(row(
        3,
        vec![
            V::T("长春市交通局、某某县交通运输局"),
            V::T("旅游路"),
            V::T("F1"),
            V::T("农村公路"),
            V::T("公里"),
            V::N(100.0),
            V::N(1000.0),
            V::T("2020年12月底"),
        ],
    ));
    tl.extend(row(
        4,
        vec![
            V::T("长春"),
            V::T("客运站"),
            V::T("F2"),
            V::T("客运场站"),
            V::T("个"),
            V::N(2.0),
            V::T(""),
            V::T("年底前"),
        ],
    ));
    tl.extend(row(
        5,
        vec![
            V::T("吉林市交通局"),
            V::T("专项治理"),
            V::T("F3"),
            V::T("专项治理"),
            V::T(""),
            V::T(""),
            V::T(""),
            V::T("长期坚持"),
        ],
    ));
    tl.extend(row(
        6,
        vec![
            V::T("西县交通运输局；东县交通运输局"),
            V::T("安防工程"),
            V::T("F4"),
            V::T("农村公路"),
            V::T("公里"),
            V::N(10.0),
            V::T(""),
            V::T("2020年6月底"),
        ],
    ));
    tl.extend(row(
        7,
        vec![
            V::T("长春"),
            V::T("无编号"),
            V::T(""),
            V::T("农村公路"),
            V::T("公里"),
            V::N(1.0),
            V::T(""),
            V::T(""),
        ],
    ));
    tl.extend(row(
        8,
        vec![
            V::T("长春"),
            V::T("重复"),
            V::T("F2"),
            V::T("农村公路"),
            V::T("公里"),
            V::N(1.0),
            V::T(""),
            V::T(""),
        ],
    ));
    tl.extend(row(
        9,
        vec![
            V::T("长春"),
            V::T("估计目标"),
            V::T("F9"),
            V::T("农村公路"),
            V::T("公里"),
            V::T("约5"),
            V::T(""),
            V::T(""),
        ],
    ));
    write(&d.join("任务清单.xlsx"), &[("附件", tl)]);

    // 长春: labels and values in one cell, an alias, no period in the file name, columns
    // reordered, headers with line breaks and full-width brackets, an extra column, a
    // formula, a number with its unit, text that starts with `=`.
    let mut c = vec![
        (1, 0, V::T("填报单位：长春市交通局")),
        (1, 3, V::T("报送月份：2020年6月")),
        (1, 6, V::T("填报日期：2020.6.25")),
    ];
    c.extend(row(
        3,
        vec![
            V::T("任务\n编号"),
            V::T("自年初\n累计完成"),
            V::T("本月完成"),
            V::T("任务名称"),
            V::T("完成状态"),
            V::T("本月工作进展"),
            V::T("存在问题"),
            V::T("备注说明"),
        ],
    ));
    c.extend(row(
        4,
        vec![
            V::T("F1"),
            V::F("=30+20", 50.0),
            V::N(10.0),
            V::T("旅游路"),
            V::T("在建"),
            V::T("=HYPERLINK(\"http://x\")"),
            V::T("征地拆迁未完成"),
            V::T(""),
        ],
    ));
    c.extend(row(
        5,
        vec![
            V::T("F2"),
            V::T("1个"),
            V::N(1.0),
            V::T("客运站"),
            V::T("在建"),
            V::T("主体完工"),
            V::T(""),
            V::T(""),
        ],
    ));
    write(&d.join("长春报表.xlsx"), &[("进展", c)]);

    // 长春's investment as a separate workbook, labels in their own cells, a two-row header
    // (其中 above the funding sources) and a header no alias lists.
    let mut inv = vec![
        (0, 0, V::T("填报单位：")),
        (0, 1, V::T("长春")),
        (0, 3, V::T("报送月份：")),
        (0, 4, V::T("2020-06")),
    ];
    inv.extend(row(
        2,
        vec![
            V::T("项目编号"),
            V::T("本月完成投资（万元）"),
            V::T("自年初累计完成投资额（万元）"),
            V::T("其中"),
            V::T(""),
            V::T(""),
            V::T(""),
            V::T(""),
        ],
    ));
    inv.extend(row(
        3,
        vec![
            V::T(""),
            V::T(""),
            V::T(""),
            V::T("中央车购税"),
            V::T("省级资金"),
            V::T("市县资金"),
            V::T("银行贷款"),
            V::T("其他资金"),
        ],
    ));
    inv.extend(row(
        4,
        vec![
            V::T("F1"),
            V::N(100.0),
            V::N(300.0),
            V::N(100.0),
            V::N(100.0),
            V::N(50.0),
            V::N(50.0),
            V::N(0.0),
        ],
    ));
    write(&d.join("长春投资统计.xlsx"), &[("投资", inv)]);

    // A unit the configuration does not know, date as 2020年6月25日.
    plain_return(
        &d.join("某某县交通运输局_2020年6月.xlsx"),
        "某某县交通运输局",
        V::T("2020年6月25日"),
        vec![vec![
            V::T("F1"),
            V::T("旅游路"),
            V::T("公里"),
            V::N(100.0),
            V::N(5.0),
            V::N(20.0),
            V::T("在建"),
        ]],
    );

    // 吉林: two versions; the newer 填报日期 is in the file with the older file time.
    let a = d.join("吉林_2020年6月_a.xlsx");
    let b = d.join("吉林_2020年6月_b.xlsx");
    plain_return(
        &a,
        "吉林市交通局",
        V::D(2020, 6, 26),
        vec![vec![
            V::T("F3"),
            V::T("专项治理"),
            V::T(""),
            V::T(""),
            V::T(""),
            V::T(""),
            V::T("已完成"),
        ]],
    );
    plain_return(
        &b,
        "吉林市交通局",
        V::T("2020/6/20"),
        vec![vec![
            V::T("F3"),
            V::T("专项治理"),
            V::T(""),
            V::T(""),
            V::T(""),
            V::T(""),
            V::T("在建"),
        ]],
    );
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_590_000_000);
    std::fs::File::options()
        .write(true)
        .open(&a)
        .unwrap()
        .set_modified(old)
        .unwrap();

    // `.xls` and `.ods` returns (made once by LibreOffice from plain returns, see below).
    for f in [
        "西县交通运输局_2020年6月_月报.xls",
        "东县交通运输局_2020年6月_月报.ods",
    ] {
        std::fs::copy(root().join("tests/fixtures").join(f), d.join(f)).unwrap();
    }
}

/// Rebuilds the committed `.xls`/`.ods` fixtures: `cargo test -- --ignored make_xls_ods`
/// (needs LibreOffice's `soffice`).
#[test]
#[ignore = "not a test: rewrites the committed .xls/.ods fixtures with LibreOffice (soffice); run it by name"]
fn make_xls_ods_fixtures() {
    let t = tempfile::tempdir().unwrap();
    for (unit, ext, ytd) in [
        ("西县交通运输局", "xls", 4.5),
        ("东县交通运输局", "ods", 3.0),
    ] {
        let x = t.path().join(format!("{unit}_2020年6月_月报.xlsx"));
        plain_return(
            &x,
            unit,
            V::T("2020-06-25"),
            vec![vec![
                V::T("F4"),
                V::T("安防工程"),
                V::T("公里"),
                V::N(10.0),
                V::N(1.5),
                V::N(ytd),
                V::T("在建"),
            ]],
        );
        let st = std::process::Command::new("soffice")
            .args(["--headless", "--convert-to", ext, "--outdir"])
            .arg(root().join("tests/fixtures"))
            .arg(&x)
            .status()
            .unwrap();
        assert!(st.success());
    }
}

#[test]
fn hand_made_returns_are_read_whatever_their_form() {
    let t = tempfile::tempdir().unwrap();
    folder(t.path());
    let (code, f) = findings(t.path(), &["报表"]);
    assert_eq!(code, 1, "the bad task-list rows are errors");
    let codes: Vec<&str> = f.iter().map(|x| x["code"].as_str().unwrap()).collect();
    // Task list rows with their cells.
    assert!(
        has(&f, "E-TASKLIST", "任务清单.xlsx", Some("C8")),
        "empty id: {f:#?}"
    );
    assert!(
        has(&f, "E-TASKLIST", "任务清单.xlsx", Some("C9")),
        "duplicate id"
    );
    assert!(
        has(&f, "E-TASKLIST", "任务清单.xlsx", Some("F10")),
        "estimated target"
    );
    // Identity, dates, numbers: nothing misread.
    for bad in [
        "E-IDENTITY",
        "W-IDENTITY",
        "W-DATE",
        "E-NUM-PARSE",
        "E-TASK-UNKNOWN",
        "W-MISSING-RETURN",
        "W-UNIT-NOT-DUE",
    ] {
        assert!(!codes.contains(&bad), "{bad} in {f:#?}");
    }
    assert!(
        has(&f, "I-EXTRA-COLUMN", "长春报表.xlsx", Some("H4")),
        "{f:#?}"
    );
    assert!(
        has(&f, "I-NO-HISTORY", "长春报表.xlsx", None),
        "no May returns: {f:#?}"
    );
    assert!(
        !codes.contains(&"W-COLUMN-MISSING") && !codes.contains(&"E-FUND-SUM"),
        "{f:#?}"
    );
    let dup = f
        .iter()
        .find(|x| x["code"] == "W-DUPLICATE")
        .expect("duplicate");
    assert!(
        dup["file"].as_str().unwrap().ends_with("_b.xlsx"),
        "the newer 填报日期 wins over file time: {dup}"
    );
    assert_eq!(dup["unit"], "吉林市交通运输局");

    let o = huizong(t.path(), &["run", "报表", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let path = t.path().join("output/2020年6月重点任务进展汇总.xlsx");
    let s = sheet(&path, "任务进展");
    let find = |id: &str| {
        (3..20)
            .find(|r| text_at(&s, *r, 0) == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    let f1 = find("F1");
    assert_close(num_at(&s, f1, 8), Some(70.0), "F1 ytd: formula 50 + 20");
    assert_close(num_at(&s, f1, 7), Some(15.0), "F1 month");
    assert_close(num_at(&s, find("F2"), 8), Some(1.0), "F2 `1个`");
    assert_close(
        num_at(&s, find("F4"), 8),
        Some(7.5),
        "F4: .xls 4.5 + .ods 3",
    );
    assert_eq!(
        text_at(&s, find("F3"), 11),
        "已完成",
        "status of the newer duplicate"
    );
    // Text that starts with `=` stays text.
    let cell = format!("M{}", f1 + 1);
    assert!(
        text_at(&s, f1, 12).contains("【长春】=HYPERLINK"),
        "{}",
        text_at(&s, f1, 12)
    );
    let xml = sheet_xml(&path, "任务进展");
    assert!(
        !cell_xml(&xml, &cell).unwrap().contains("<f>"),
        "no formula in {cell}"
    );

    let inv = sheet(&path, "固定资产投资");
    let r = (3..20)
        .find(|r| text_at(&inv, *r, 0) == "F1" && text_at(&inv, *r, 3) == "长春")
        .unwrap();
    assert_close(
        num_at(&inv, r, 7),
        Some(300.0),
        "separate investment workbook",
    );
    // A shared project the list does not break down: no plan of the unit's own (never an
    // equal split), said in a note.
    assert_close(num_at(&inv, r, 5), None, "a shared plan is not split");
    let at = format!("F{}", r + 1);
    assert!(
        note_of(&path, "固定资产投资", &at).is_some_and(|n| n.contains("共同项目未分解")),
        "{at}"
    );
    assert_close(
        num_at(&inv, r, 9),
        Some(100.0),
        "中央车购税 from the second header row",
    );
    assert_close(
        num_at(&inv, r, 12),
        Some(50.0),
        "银行贷款 from the second header row",
    );

    let roster = sheet(&path, "单位报送情况");
    let units: Vec<String> = (3..9).map(|r| text_at(&roster, r, 1)).collect();
    assert!(units.contains(&"某某县交通运输局".to_string()), "{units:?}");
    let cc = (3..9)
        .find(|r| text_at(&roster, *r, 1) == "长春市交通运输局")
        .unwrap();
    assert_eq!(text_at(&roster, cc, 3), "已报");
    assert!(
        matches!(roster.get_value((cc, 4)), Some(calamine::Data::DateTime(_))),
        "date parsed from 2020.6.25"
    );
}

/// Offset of the first BIFF record of type `typ` and data length `len` in a file's bytes
/// (the committed `.xls` keeps its records whole within the file).
fn record_at(bytes: &[u8], typ: u16, len: u16) -> usize {
    let mut head = typ.to_le_bytes().to_vec();
    head.extend_from_slice(&len.to_le_bytes());
    bytes
        .windows(4)
        .position(|w| w == head.as_slice())
        .expect("record in the file")
}

#[test]
fn a_sparse_xls_is_measured_by_its_cells_before_calamine_builds_its_grid() {
    let t = tempfile::tempdir().unwrap();
    folder(t.path());
    let xls = t.path().join("报表/西县交通运输局_2020年6月_月报.xls");
    let plain = std::fs::read(&xls).unwrap();

    // The sheet declares 65,536 × 256 cells (calamine would reserve room for all of them,
    // more than the reading process's 400 MB) but holds a few: read as the cells it has.
    let mut declared = plain.clone();
    let d = record_at(&declared, 0x0200, 14) + 4;
    declared[d + 4..d + 8].copy_from_slice(&65536u32.to_le_bytes());
    declared[d + 10..d + 12].copy_from_slice(&256u16.to_le_bytes());
    std::fs::write(&xls, &declared).unwrap();
    let o = huizong(t.path(), &["run", "报表", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = sheet(
        &t.path().join("output/2020年6月重点任务进展汇总.xlsx"),
        "任务进展",
    );
    let f4 = (3..20).find(|r| text_at(&s, *r, 0) == "F4").unwrap();
    assert_close(
        num_at(&s, f4, 8),
        Some(7.5),
        "F4: the .xls's 4.5 + the .ods's 3",
    );

    // One of its texts moved to IV65536: its few cells spread over 16 million, refused with
    // where they lie, before any grid is built.
    let mut spread = plain.clone();
    let c = record_at(&spread, 0x00FD, 10) + 4;
    spread[c..c + 2].copy_from_slice(&65535u16.to_le_bytes());
    spread[c + 2..c + 4].copy_from_slice(&255u16.to_le_bytes());
    std::fs::write(&xls, &spread).unwrap();
    let (_, f) = findings(t.path(), &["报表"]);
    let x = f
        .iter()
        .find(|x| x["file"].as_str().unwrap_or("").contains("西县"))
        .unwrap_or_else(|| panic!("{f:#?}"));
    assert_eq!(x["code"], "E-FILE-LIMIT", "{x}");
    let m = x["message"].as_str().unwrap();
    assert!(m.contains(":IV65536") && m.contains("有内容的只有"), "{m}");
}

#[test]
fn an_opendocument_return_is_read_wherever_it_keeps_its_media_type() {
    // OpenDocument stores its media type first; a program that writes the `mimetype` entry
    // further on makes a file LibreOffice and calamine open all the same. huizong called it
    // a zip, not a workbook.
    let progress = |reorder: bool| {
        let t = tempfile::tempdir().unwrap();
        folder(t.path());
        let ods = t.path().join("报表/东县交通运输局_2020年6月_月报.ods");
        if reorder {
            let mut parts = parts_of(&std::fs::read(&ods).unwrap());
            assert_eq!(parts[0].0, "mimetype", "LibreOffice writes it first");
            parts.rotate_left(1);
            std::fs::write(&ods, zip_of_parts(&parts)).unwrap();
        }
        let o = huizong(t.path(), &["run", "报表", "--quiet", "--export", "csv"]);
        assert!(o.status.code().is_some_and(|c| c < 2), "{}", stderr(&o));
        std::fs::read_to_string(t.path().join("output/progress.csv")).unwrap()
    };
    let want = progress(false);
    assert!(
        want.lines()
            .any(|l| l.contains("东县") && l.contains("F4") && l.contains(",3")),
        "the .ods return's figures: {want}"
    );
    assert_eq!(progress(true), want);
}
