//! What is not a return never steers the month or floods the list: files an office keeps
//! beside the returns (a list titled with another month, a ledger of hundreds of rows, a bug
//! list, an encrypted payroll, a lock file under an ordinary name, notices in PDF), made
//! here, dropped into the samples' June folder.

use std::path::Path;

use rust_xlsxwriter::Workbook;

use crate::util::*;

const SUMMARY: &str = "output/2020年6月重点任务进展汇总.xlsx";

/// A sheet of a title line and a table: header, then `rows` rows made by `row`.
fn write_table(
    path: &Path,
    title: &str,
    head: &[&str],
    rows: usize,
    row: impl Fn(usize) -> Vec<String>,
) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, title).unwrap();
    for (c, h) in head.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    for r in 0..rows {
        for (c, v) in row(r).iter().enumerate() {
            match v.parse::<f64>() {
                Ok(n) => ws.write_number(2 + r as u32, c as u16, n).unwrap(),
                Err(_) => ws.write_string(2 + r as u32, c as u16, v).unwrap(),
            };
        }
    }
    wb.save(path).unwrap();
}

/// The stray files of an office's month folder, by file name.
fn drop_strays(june: &Path) -> Vec<&'static str> {
    // A university list whose title names another month.
    write_table(
        &june.join("学生名单.xlsx"),
        "某某大学2025届毕业生名单（截至2025年6月20日）",
        &["序号", "姓名", "学院", "专业"],
        120,
        |r| {
            vec![
                (r + 1).to_string(),
                format!("学生{r}"),
                "交通学院".into(),
                "道路工程".into(),
            ]
        },
    );
    // A payment ledger shaped like an investment table: hundreds of rows, none a task.
    write_table(
        &june.join("2024年4月付款台账.xlsx"),
        "所属月份：2024.4",
        &[
            "项目名称",
            "本年计划投资",
            "本月完成投资",
            "自年初累计完成投资",
        ],
        400,
        |r| {
            vec![
                format!("办公楼维修项目{r}"),
                "100".into(),
                "5".into(),
                "20".into(),
            ]
        },
    );
    // A bug list with 任务名称 and 完成状态.
    write_table(
        &june.join("问题清单.xlsx"),
        "系统问题跟踪",
        &["任务名称", "本月完成", "自年初累计完成", "完成状态"],
        60,
        |r| {
            vec![
                format!("修复登录页缺陷{r}"),
                "1".into(),
                "3".into(),
                "Open".into(),
            ]
        },
    );
    // An encrypted payroll (a password the office does not have).
    std::fs::copy(
        root().join("tests/fixtures/长春市交通运输局_2020年6月_月报（密码123456）.xlsx"),
        june.join("2024年3月工资表.xlsx"),
    )
    .unwrap();
    // A lock file left under an ordinary name.
    let name = "zhangsan";
    let mut lock = vec![name.len() as u8];
    lock.extend(name.as_bytes());
    lock.resize(54, b' ');
    lock.extend([name.len() as u8, 0]);
    lock.extend(name.encode_utf16().flat_map(|u| u.to_le_bytes()));
    while lock.len() < 165 {
        lock.extend([b' ', 0]);
    }
    std::fs::write(june.join("汇总底稿 - 副本.xlsx"), &lock).unwrap();
    // The office's own notice to a unit, in PDF.
    std::fs::write(
        june.join("长春市交通运输局关于报送情况的通知.pdf"),
        b"%PDF-1.4\n% notice\n",
    )
    .unwrap();
    vec![
        "学生名单.xlsx",
        "2024年4月付款台账.xlsx",
        "问题清单.xlsx",
        "2024年3月工资表.xlsx",
        "长春市交通运输局关于报送情况的通知.pdf",
    ]
}

/// Every cell of a sheet as text, row by row.
fn cells(path: &Path, name: &str) -> Vec<Vec<String>> {
    let s = sheet(path, name);
    let (h, w) = s.end().unwrap_or((0, 0));
    (0..=h)
        .map(|r| (0..=w).map(|c| text_at(&s, r, c)).collect())
        .collect()
}

#[test]
fn stray_files_never_set_the_month_nor_change_a_figure() {
    let clean = samples_copy();
    let o = huizong(clean.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let (_, before) = findings(clean.path(), &["samples"]);

    let t = samples_copy();
    let june = t.path().join("samples/2020年6月");
    let strays = drop_strays(&june);
    let o = huizong(t.path(), &["run", "samples"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let console = stderr(&o);
    // June, not 2025-06 or 2024-04 from a title, a label or a file name.
    assert!(console.contains("汇总完成：2020年6月"), "{console}");
    // Counted apart from the units' problems: the samples' own README and these.
    let apart = |text: &str| -> usize {
        text.split("另有 ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .map_or(0, |n| n.parse().unwrap())
    };
    let o_clean = huizong(clean.path(), &["check", "samples"]);
    assert_eq!(
        apart(&console),
        apart(&stderr(&o_clean)) + strays.len(),
        "{console}"
    );
    assert!(t.path().join(SUMMARY).exists());
    for name in [
        "任务进展",
        "分类汇总",
        "固定资产投资",
        "月度趋势",
        "存在问题汇总",
        "单位报送情况",
        "数据来源",
    ] {
        assert_eq!(
            cells(&t.path().join(SUMMARY), name),
            cells(&clean.path().join(SUMMARY), name),
            "{name} changed"
        );
    }

    // One finding per stray file, none an error; the units' findings as before.
    let (_, f) = findings(t.path(), &["samples"]);
    for name in &strays {
        let of: Vec<&serde_json::Value> = f
            .iter()
            .filter(|x| x["file"].as_str().unwrap_or("").ends_with(name))
            .collect();
        assert_eq!(of.len(), 1, "{name}: {of:#?}");
        assert_ne!(of[0]["level"], "error", "{name}: {of:#?}");
        let m = of[0]["message"].as_str().unwrap();
        assert!(!m.contains("重新报送"), "{name} asks nobody to resend: {m}");
    }
    let code_of = |name: &str| {
        f.iter()
            .find(|x| x["file"].as_str().unwrap_or("").ends_with(name))
            .map(|x| x["code"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(code_of("学生名单.xlsx"), "I-NOT-A-RETURN");
    assert_eq!(code_of("2024年4月付款台账.xlsx"), "I-NOT-A-RETURN");
    assert_eq!(code_of("问题清单.xlsx"), "I-NOT-A-RETURN");
    assert_eq!(code_of("2024年3月工资表.xlsx"), "W-FILE-NOBODY");
    // The lock file is skipped as `~$` ones are: not even named.
    assert!(
        !f.iter()
            .any(|x| x["file"].as_str().unwrap_or("").contains("副本")),
        "{f:#?}"
    );
    // 长春 sent its June return: the notice does not make it anything else.
    assert_eq!(
        code_of("长春市交通运输局关于报送情况的通知.pdf"),
        "I-FILE-SKIPPED"
    );
    let units = |f: &[serde_json::Value]| {
        let mut v: Vec<(String, String, String)> = f
            .iter()
            .filter(|x| !x["unit"].is_null())
            .map(|x| {
                (
                    x["unit"].as_str().unwrap().to_string(),
                    x["code"].as_str().unwrap().to_string(),
                    x["cell"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let mut now = units(&f);
    now.retain(|x| !(x.0 == "长春市交通运输局" && x.1 == "I-FILE-SKIPPED"));
    assert_eq!(now, units(&before), "the units' findings are the same");
    // `check` fails the month for the units' errors only, as before.
    let (code, _) = findings(t.path(), &["samples"]);
    let (clean_code, _) = findings(clean.path(), &["samples"]);
    assert_eq!(code, clean_code);
}

#[test]
fn a_file_that_is_no_workbook_never_makes_a_unit_reported() {
    let t = samples_copy();
    let june = t.path().join("samples/2020年6月");
    std::fs::remove_file(june.join("白山市交通运输局_2020年6月_月报.xlsx")).unwrap();
    std::fs::write(
        june.join("白山市交通运输局2020年6月进展.pdf"),
        b"%PDF-1.4\n% a scan\n",
    )
    .unwrap();
    let o = huizong(t.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = sheet(&t.path().join(SUMMARY), "单位报送情况");
    let (h, _) = r.end().unwrap();
    let row = (3..=h)
        .find(|x| text_at(&r, *x, 1) == "白山市交通运输局")
        .unwrap();
    assert_eq!(text_at(&r, row, 3), "未报");
    assert!(
        text_at(&r, row, 9).contains("进展.pdf"),
        "{}",
        text_at(&r, row, 9)
    );
    let (_, f) = findings(t.path(), &["samples"]);
    let x = f
        .iter()
        .find(|x| x["code"] == "W-RETURN-NOT-WORKBOOK")
        .unwrap_or_else(|| panic!("{f:#?}"));
    assert_eq!(x["unit"], "白山市交通运输局");
    assert!(x["message"].as_str().unwrap().contains("Excel"), "{x}");
}

#[test]
fn with_no_dated_return_run_says_so_and_stops() {
    let t = tempfile::tempdir().unwrap();
    let d = t.path().join("报表");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::copy(
        root().join("samples/任务清单.xlsx"),
        d.join("任务清单.xlsx"),
    )
    .unwrap();
    drop_strays(&d);
    let o = huizong(t.path(), &["run", "报表"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--period"), "{}", stderr(&o));
    assert!(
        !t.path()
            .join("output")
            .join("2025年6月重点任务进展汇总.xlsx")
            .exists()
    );
}
