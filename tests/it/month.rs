//! A real month of an office's own task list (11 tasks, 5 units the configuration does not
//! know; February clean, March with the everyday mistakes): who reported and what the totals
//! hold. Returns are written here as another program writes the contract's layout; the
//! blank templates are huizong's own. Every figure asserted is computed from the values
//! typed below.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::Workbook;

use crate::util::*;

/// The fill of a figure that is not yet a fact (数据待核, disputed or lacking parts).
const UNVERIFIED: &str = "FFD966";

const UNITS: [&str; 5] = [
    "东县交通运输局",
    "西县交通运输局",
    "南县交通运输局",
    "北县交通运输局",
    "新区交通运输局",
];

/// A task: id, category, name, measure, target, plan (万元), units.
type TaskDef = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<f64>,
    Option<f64>,
    &'static [usize],
);

const TASKS: [TaskDef; 11] = [
    (
        "T01",
        "农村公路",
        "新改建农村公路",
        "公里",
        Some(100.0),
        Some(4500.0),
        &[0, 1],
    ),
    (
        "T02",
        "农村公路",
        "危桥改造",
        "座",
        Some(10.0),
        Some(800.0),
        &[2],
    ),
    (
        "T03",
        "农村公路",
        "安防工程",
        "公里",
        Some(50.0),
        Some(1200.0),
        &[3],
    ),
    (
        "T04",
        "运输服务",
        "建制村通客车",
        "个",
        Some(20.0),
        None,
        &[4],
    ),
    ("T05", "运输服务", "城乡客运一体化", "", None, None, &[0]),
    (
        "T06",
        "农村公路",
        "窄路基路面拓宽",
        "公里",
        Some(30.0),
        Some(600.0),
        &[1],
    ),
    ("T07", "农村公路", "渡改桥", "座", Some(6.0), None, &[2, 3]),
    ("T08", "运输服务", "农村物流网点", "", None, None, &[4]),
    (
        "T09",
        "农村公路",
        "通自然村硬化路",
        "公里",
        Some(40.0),
        None,
        &[0],
    ),
    ("T10", "运输服务", "候车亭", "个", Some(8.0), None, &[1]),
    (
        "T11",
        "农村公路",
        "旅游路资源路",
        "公里",
        Some(25.0),
        Some(900.0),
        &[3, 4],
    ),
];

fn write_task_list(path: &Path) {
    write_task_list_with(path, &[]);
}

/// The task list with a `6月底目标` column holding these tasks' 节点目标.
fn write_task_list_with(path: &Path, june_targets: &[(&str, f64)]) {
    write_task_list_full(path, june_targets, &[], &[]);
}

/// A row of the sheet 任务分解: task, unit, 年度目标, 年度计划投资（万元）.
type BreakdownRow<'a> = (&'a str, &'a str, f64, f64);

/// The task list with 节点目标, tasks whose 责任单位 cell is written otherwise (a unit's
/// own part beside its name), and a sheet 任务分解.
fn write_task_list_full(
    path: &Path,
    june_targets: &[(&str, f64)],
    units_written: &[(&str, &str)],
    breakdown: &[BreakdownRow<'_>],
) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("任务清单").unwrap();
    let head = [
        "任务编号",
        "任务类别",
        "任务名称",
        "建设内容及目标",
        "计量单位",
        "年度目标",
        "年度计划投资（万元）",
        "责任单位",
        "配合单位",
        "完成时限",
    ];
    ws.write_string(0, 0, "2021年重点任务清单").unwrap();
    for (c, h) in head.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    for (i, (id, cat, name, measure, target, plan, units)) in TASKS.iter().enumerate() {
        let r = 2 + i as u32;
        ws.write_string(r, 0, *id).unwrap();
        ws.write_string(r, 1, *cat).unwrap();
        ws.write_string(r, 2, *name).unwrap();
        ws.write_string(r, 3, *name).unwrap();
        if !measure.is_empty() {
            ws.write_string(r, 4, *measure).unwrap();
        }
        if let Some(t) = target {
            ws.write_number(r, 5, *t).unwrap();
        }
        if let Some(p) = plan {
            ws.write_number(r, 6, *p).unwrap();
        }
        let names: Vec<&str> = units.iter().map(|&u| UNITS[u]).collect();
        let written = units_written.iter().find(|(t, _)| t == id);
        let cell = written.map_or(names.join("、"), |(_, w)| w.to_string());
        ws.write_string(r, 7, cell).unwrap();
        ws.write_string(r, 9, "2021年12月底").unwrap();
        if let Some((_, v)) = june_targets.iter().find(|(t, _)| t == id) {
            ws.write_number(r, 10, *v).unwrap();
        }
    }
    if !june_targets.is_empty() {
        ws.write_string(1, 10, "6月底目标").unwrap();
    }
    if !breakdown.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name("任务分解").unwrap();
        for (c, h) in ["任务编号", "责任单位", "年度目标", "年度计划投资（万元）"]
            .iter()
            .enumerate()
        {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (i, (id, unit, target, plan)) in breakdown.iter().enumerate() {
            let r = 1 + i as u32;
            ws.write_string(r, 0, *id).unwrap();
            ws.write_string(r, 1, *unit).unwrap();
            ws.write_number(r, 2, *target).unwrap();
            ws.write_number(r, 3, *plan).unwrap();
        }
    }
    wb.save(path).unwrap();
}

/// A figure typed into a return: a number, or what a person typed instead.
#[derive(Clone, Copy)]
enum F {
    N(f64),
    T(&'static str),
}

/// A unit's progress row: task id, 本月, 累计 (qualitative tasks: a status instead).
type Progress = (&'static str, F, F);
/// An investment row: project id, 本月, 累计, the five funding sources.
type Invest = (&'static str, f64, f64, [Option<f64>; 5]);

/// A return in the contract's layout as another program writes it (no hidden sheet).
fn write_return(
    path: &Path,
    unit: &str,
    month: &str,
    date: &str,
    progress: &[Progress],
    invest: &[Invest],
) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("重点任务进展").unwrap();
    ws.write_string(0, 0, "重点任务进展月报").unwrap();
    for (c, t) in [
        (0, "填报单位："),
        (1, unit),
        (3, "报送月份："),
        (4, month),
        (6, "填报日期："),
        (7, date),
    ] {
        ws.write_string(1, c, t).unwrap();
    }
    ws.write_string(2, 0, "填报人：").unwrap();
    ws.write_string(2, 1, "王明").unwrap();
    for (c, h) in PROGRESS_HEADERS.iter().enumerate() {
        ws.write_string(4, c as u16, *h).unwrap();
    }
    for (i, (id, m, y)) in progress.iter().enumerate() {
        let r = 5 + i as u32;
        let task = TASKS.iter().find(|t| t.0 == *id).unwrap();
        ws.write_string(r, 0, *id).unwrap();
        ws.write_string(r, 1, task.2).unwrap();
        if task.4.is_none() {
            // Qualitative: the status is the figure.
            ws.write_string(r, 6, "持续推进").unwrap();
            ws.write_string(r, 7, "按计划推进").unwrap();
            continue;
        }
        ws.write_string(r, 2, task.3).unwrap();
        ws.write_number(r, 3, task.4.unwrap()).unwrap();
        for (c, f) in [(4, m), (5, y)] {
            match f {
                F::N(v) => ws.write_number(r, c, *v).unwrap(),
                F::T(t) => ws.write_string(r, c, *t).unwrap(),
            };
        }
        ws.write_string(r, 7, "施工中").unwrap();
    }
    if !invest.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name("固定资产投资").unwrap();
        ws.write_string(0, 0, "固定资产投资完成情况").unwrap();
        ws.write_string(1, 0, "填报单位：").unwrap();
        ws.write_string(1, 1, unit).unwrap();
        let head = [
            "项目编号",
            "项目名称",
            "建设性质",
            "本年计划投资（万元）",
            "本月完成投资（万元）",
            "自年初累计完成投资（万元）",
            "其中：中央车购税",
            "其中：省级资金",
            "其中：市县资金",
            "其中：银行贷款",
            "其中：其他资金",
            "形象进度",
            "备注",
        ];
        for (c, h) in head.iter().enumerate() {
            ws.write_string(4, c as u16, *h).unwrap();
        }
        for (i, (id, m, y, funds)) in invest.iter().enumerate() {
            let r = 5 + i as u32;
            let task = TASKS.iter().find(|t| t.0 == *id).unwrap();
            ws.write_string(r, 0, *id).unwrap();
            ws.write_string(r, 1, task.2).unwrap();
            ws.write_string(r, 2, "续建").unwrap();
            ws.write_number(r, 4, *m).unwrap();
            ws.write_number(r, 5, *y).unwrap();
            for (k, f) in funds.iter().enumerate() {
                if let Some(v) = f {
                    ws.write_number(r, 6 + k as u16, *v).unwrap();
                }
            }
            ws.write_string(r, 11, "路基施工").unwrap();
        }
    }
    wb.save(path).unwrap();
}

const N: fn(f64) -> F = F::N;

/// February: every unit, every task, clean. 农村公路 in 公里 sums to 10+8+6+5+4+3+2 = 38.
fn february(dir: &Path) {
    let feb = dir.join("2021年2月");
    let date = "2021-02-25";
    let file = |u: usize| feb.join(format!("{}_2021年2月_月报.xlsx", UNITS[u]));
    let one = |v: f64| (N(v), N(v));
    let p = |id, (m, y): (F, F)| (id, m, y);
    write_return(
        &file(0),
        UNITS[0],
        "2021年2月",
        date,
        &[p("T01", one(10.0)), p("T05", one(0.0)), p("T09", one(3.0))],
        &[("T01", 200.0, 200.0, [Some(200.0), None, None, None, None])],
    );
    write_return(
        &file(1),
        UNITS[1],
        "2021年2月",
        date,
        &[p("T01", one(8.0)), p("T06", one(6.0)), p("T10", one(1.0))],
        &[
            ("T01", 150.0, 150.0, [Some(150.0), None, None, None, None]),
            ("T06", 60.0, 60.0, [None, Some(60.0), None, None, None]),
        ],
    );
    write_return(
        &file(2),
        UNITS[2],
        "2021年2月",
        date,
        &[p("T02", one(2.0)), p("T07", one(1.0))],
        &[("T02", 100.0, 100.0, [Some(100.0), None, None, None, None])],
    );
    write_return(
        &file(3),
        UNITS[3],
        "2021年2月",
        date,
        &[p("T03", one(5.0)), p("T07", one(1.0)), p("T11", one(4.0))],
        &[
            ("T03", 90.0, 90.0, [None, None, Some(90.0), None, None]),
            ("T11", 40.0, 40.0, [None, None, Some(40.0), None, None]),
        ],
    );
    write_return(
        &file(4),
        UNITS[4],
        "2021年2月",
        date,
        &[p("T04", one(2.0)), p("T08", one(0.0)), p("T11", one(2.0))],
        &[("T11", 50.0, 50.0, [None, None, Some(50.0), None, None])],
    );
}

/// The folder of the two months, with March's everyday mistakes:
/// - 东县 and 新区 report cleanly;
/// - 南县 types 约5座 for T02's 累计 (rejected) and funding sources that add up to 200
///   against a 累计 of 150 (E-FUND-SUM);
/// - 北县 sends back the blank template (the outgoing template folder left inside);
/// - 西县 edits its February file with March figures and a March date, keeps its February
///   labels and name, and it is filed in the March folder.
///
/// Returns the folder holding `2021年2月/`, `2021年3月/` and the task list.
fn two_months() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("报表");
    std::fs::create_dir_all(&dir).unwrap();
    write_task_list(&dir.join("任务清单.xlsx"));
    february(&dir);
    let mar = dir.join("2021年3月");
    let date = "2021-03-26";
    let file = |u: usize| mar.join(format!("{}_2021年3月_月报.xlsx", UNITS[u]));
    write_return(
        &file(0),
        UNITS[0],
        "2021年3月",
        date,
        &[
            ("T01", N(5.0), N(15.0)),
            ("T05", N(0.0), N(0.0)),
            ("T09", N(2.0), N(5.0)),
        ],
        &[("T01", 100.0, 300.0, [Some(300.0), None, None, None, None])],
    );
    write_return(
        &file(2),
        UNITS[2],
        "2021年3月",
        date,
        &[("T02", N(1.0), F::T("约5座")), ("T07", N(1.0), N(2.0))],
        &[(
            "T02",
            50.0,
            150.0,
            [Some(100.0), Some(100.0), None, None, None],
        )],
    );
    write_return(
        &file(4),
        UNITS[4],
        "2021年3月",
        date,
        &[
            ("T04", N(3.0), N(5.0)),
            ("T08", N(0.0), N(0.0)),
            ("T11", N(1.0), N(3.0)),
        ],
        &[("T11", 30.0, 80.0, [None, None, Some(80.0), None, None])],
    );
    // 北县: the outgoing templates of March and of April, left in the month's folder.
    for (period, out) in [("2021-03", "下发模板"), ("2021-04", "4月模板")] {
        let o = huizong(
            &dir,
            &[
                "template",
                "--tasks",
                "任务清单.xlsx",
                "--period",
                period,
                "--out",
                &format!("2021年3月/{out}"),
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    for u in [0, 1, 2, 4] {
        for (period, out) in [("2021年3月", "下发模板"), ("2021年4月", "4月模板")] {
            let name = format!("{}_{period}_月报.xlsx", UNITS[u]);
            std::fs::remove_file(mar.join(out).join(name)).unwrap();
        }
    }
    // 西县: February's file, edited.
    let reused = mar.join(format!("{}_2021年2月_月报.xlsx", UNITS[1]));
    std::fs::copy(
        dir.join(format!("2021年2月/{}_2021年2月_月报.xlsx", UNITS[1])),
        &reused,
    )
    .unwrap();
    set_number(&reused, "重点任务进展", "E6", 9.0);
    set_number(&reused, "重点任务进展", "F6", 17.0);
    set_text(&reused, "重点任务进展", "H2", "2021-03-27");
    (t, dir)
}

fn run_march(dir: &Path) -> (std::process::Output, PathBuf) {
    let o = huizong(dir, &["run", ".", "--out", "../out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    (o, dir.join("../out/2021年3月重点任务进展汇总.xlsx"))
}

/// The row (zero-based) whose column `col` reads `text`.
fn row_of(s: &calamine::Range<calamine::Data>, col: u32, text: &str) -> u32 {
    let (h, _) = s.end().unwrap();
    (0..=h)
        .find(|r| text_at(s, *r, col) == text)
        .unwrap_or_else(|| panic!("no row with {text} in column {col}"))
}

#[test]
fn a_blank_template_is_not_a_return_and_never_sets_the_month() {
    let (_t, dir) = two_months();
    let (o, path) = run_march(&dir);
    let console = stderr(&o);
    // March, not April (the April template's labels), and 北县 未报.
    assert!(console.contains("汇总完成：2021年3月"), "{console}");
    assert!(
        console.contains("已报 3 家")
            && console.contains("未报 2 家：西县交通运输局、北县交通运输局"),
        "{console}"
    );
    let r = sheet(&path, "单位报送情况");
    let row = row_of(&r, 1, UNITS[3]);
    assert_eq!(text_at(&r, row, 3), "未报");
    assert!(
        text_at(&r, row, 9).contains("空白模板"),
        "{}",
        text_at(&r, row, 9)
    );
    assert!(matches!(
        at(&r, &format!("E{}", row + 1)),
        calamine::Data::Empty
    ));

    let (_, f) = findings(&dir, &[".", "--period", "2021-03"]);
    let blank: Vec<&serde_json::Value> =
        f.iter().filter(|x| x["code"] == "W-RETURN-BLANK").collect();
    assert_eq!(blank.len(), 1, "{blank:#?}");
    assert_eq!(blank[0]["unit"], UNITS[3]);
    assert!(blank[0]["file"].as_str().unwrap().contains("下发模板"));
    // No per-cell findings on the blank template, and it is not counted as late or undated.
    assert!(
        !f.iter()
            .any(|x| x["file"] == blank[0]["file"] && x["code"] != "W-RETURN-BLANK"),
        "{f:#?}"
    );
    // The April template is named once, as what it is.
    assert!(has(&f, "I-BLANK-TEMPLATE", "4月模板", None), "{f:#?}");
    // 北县's tasks lack its part: 未报 in its shared task's coverage.
    let s = sheet(&path, "任务进展");
    let row = row_of(&s, 0, "T03");
    assert_eq!(text_at(&s, row, 4), "0/1");
}

#[test]
fn a_file_in_a_later_months_folder_never_rewrites_its_month() {
    let (_t, dir) = two_months();
    let (_, path) = run_march(&dir);
    let (_, f) = findings(&dir, &[".", "--period", "2021-03"]);
    let x = f
        .iter()
        .find(|x| x["code"] == "E-PERIOD-FOLDER")
        .unwrap_or_else(|| panic!("{f:#?}"));
    assert_eq!(x["unit"], UNITS[1]);
    assert_eq!(x["level"], "error");
    assert!(x["file"].as_str().unwrap().starts_with("2021年3月/"), "{x}");
    let r = sheet(&path, "单位报送情况");
    let row = row_of(&r, 1, UNITS[1]);
    assert_eq!(text_at(&r, row, 3), "未报");

    // February as it was sent: 农村公路 in 公里 is 10 + 8 + 6 + 5 + 4 + 2 + 3 = 38, not the
    // edited file's 10 + 17 + 6 + …; and February's own summary has no duplicate.
    let tr = sheet(&path, "月度趋势");
    let (h, w) = tr.end().unwrap();
    let feb = (2..=w)
        .find(|c| text_at(&tr, 2, *c) == "2021年2月")
        .unwrap();
    let line = (3..=h)
        .find(|r| text_at(&tr, *r, 0) == "农村公路" && text_at(&tr, *r, 1) == "公里")
        .unwrap();
    assert_close(
        num_at(&tr, line, feb),
        Some(38.0),
        "February's 农村公路 公里",
    );
    // Summarised alone, February keeps its own return: no duplicate, the edited copy named.
    let (_, f) = findings(&dir, &[".", "--period", "2021-02"]);
    assert!(!f.iter().any(|x| x["code"] == "W-DUPLICATE"), "{f:#?}");
    let named: Vec<&serde_json::Value> = f
        .iter()
        .filter(|x| x["code"] == "W-IDENTITY" || x["code"] == "E-PERIOD-FOLDER")
        .collect();
    assert_eq!(named.len(), 1, "{named:#?}");
    assert_eq!(named[0]["code"], "W-IDENTITY");
    assert!(named[0]["file"].as_str().unwrap().starts_with("2021年3月/"));
    let o = huizong(
        &dir,
        &["run", ".", "--period", "2021-02", "--out", "../feb"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = sheet(
        &dir.join("../feb/2021年2月重点任务进展汇总.xlsx"),
        "任务进展",
    );
    let row = row_of(&s, 0, "T01");
    assert_close(num_at(&s, row, 8), Some(18.0), "February's T01, as sent");
}

#[test]
fn totals_say_what_they_hold() {
    let (_t, dir) = two_months();
    let (_, path) = run_march(&dir);
    let inv = sheet(&path, "固定资产投资");
    let total = row_of(&inv, 1, "合计");
    // Year-to-date 300 + 150 + 80 = 530 over the full plan 8,000; the funding columns add up
    // to 300 + 200 + 80 = 580.
    assert_close(num_at(&inv, total, 7), Some(530.0), "合计 累计");
    assert_close(num_at(&inv, total, 5), Some(8000.0), "合计 计划");
    assert_close(num_at(&inv, total, 8), Some(530.0 / 8000.0), "合计 完成率");
    let funds: f64 = (9..14).filter_map(|c| num_at(&inv, total, c)).sum();
    assert_close(Some(funds), Some(580.0), "合计 其中");
    // Every figure of the total that holds 南县's disputed part or lacks 西县's and 北县's is
    // marked, the funding columns included; the first says why 其中 ≠ 累计.
    for col in ["G", "H", "I", "J", "K", "L"] {
        let cell = format!("{col}{}", total + 1);
        let fill = fill_of(&path, "固定资产投资", &cell);
        if num_at(&inv, total, pos(&cell).1).is_some() {
            assert_eq!(fill, UNVERIFIED, "{cell}");
        }
    }
    let why = note_of(&path, "固定资产投资", &format!("J{}", total + 1)).expect("a note");
    assert!(
        why.contains("580.00") && why.contains("530.00") && why.contains("T02（南县"),
        "{why}"
    );

    // 总览: the same figures, marked, and the rate over the plans that are in beside the one
    // over the full plan: T02's 800 and its 150 (T01 and T11 are shared projects the list
    // does not break down, each with a unit missing: neither plan is in, nor is split).
    let ov = sheet(&path, "总览");
    for label in ["本月完成投资", "自年初累计完成投资", "完成年计划"] {
        let r = row_of(&ov, 0, label);
        let cell = format!("B{}", r + 1);
        assert_eq!(fill_of(&path, "总览", &cell), UNVERIFIED, "{label}");
        let n = note_of(&path, "总览", &cell).expect("a note");
        assert!(n.contains("E-FUND-SUM") && n.contains("不含未报"), "{n}");
    }
    let r = row_of(&ov, 0, "完成年计划");
    assert_close(num_at(&ov, r, 1), Some(530.0 / 8000.0), "完成年计划");
    let detail = text_at(&ov, r, 2);
    assert!(
        detail.contains("800.00") && detail.contains(&format!("{:.1}%", 15000.0 / 800.0)),
        "{detail}"
    );
    // The chart's bar for 南县 says it rests on a disputed figure.
    let cd = sheet(&path, "图表数据");
    let (h, _) = cd.end().unwrap();
    let label = (1..=h)
        .map(|r| text_at(&cd, r, 4))
        .find(|l| l.starts_with("南县"))
        .unwrap();
    assert!(label.contains("含待核"), "{label}");
}

#[test]
fn reported_units_count_reports_and_say_how_many_are_in_the_sums() {
    let (_t, dir) = two_months();
    let (_, path) = run_march(&dir);
    let s = sheet(&path, "任务进展");
    // 南县 sent T02 with 累计 约5座 (rejected): reported, its 累计 not in the sums.
    let row = row_of(&s, 0, "T02");
    assert_eq!(text_at(&s, row, 4), "1/1\n有效0");
    assert_eq!(
        num_at(&s, row, 8),
        None,
        "the rejected 累计 stays out of the sum"
    );
    let n = note_of(&path, "任务进展", &format!("E{}", row + 1)).expect("a note");
    assert!(n.contains("南县") && n.contains("不计入累计"), "{n}");
    // T07: 南县 reported, 北县 sent a blank template: one of two, no 有效 count.
    let row = row_of(&s, 0, "T07");
    assert_eq!(text_at(&s, row, 4), "1/2");
    let n = note_of(&path, "任务进展", &format!("E{}", row + 1)).expect("a note");
    assert!(n.contains("北县") && !n.contains("不计入累计"), "{n}");
}

#[test]
fn a_blank_template_in_the_samples_june_leaves_its_unit_unreported() {
    let t = samples_copy();
    let d = t.path().join("samples");
    std::fs::remove_file(d.join("2020年6月/白山市交通运输局_2020年6月_月报.xlsx")).unwrap();
    // The office's outgoing templates of June and July, left in the June folder.
    for (p, out) in [("2020-06", "下发模板"), ("2020-07", "7月模板")] {
        let o = huizong(
            &d,
            &[
                "template",
                "--tasks",
                "任务清单.xlsx",
                "--period",
                p,
                "--out",
                &format!("2020年6月/{out}"),
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let o = huizong(t.path(), &["run", "samples"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let console = stderr(&o);
    assert!(console.contains("汇总完成：2020年6月"), "{console}");
    assert!(console.contains("白山市交通运输局"), "{console}");
    let (_, f) = findings(t.path(), &["samples"]);
    let blank: Vec<&serde_json::Value> =
        f.iter().filter(|x| x["code"] == "W-RETURN-BLANK").collect();
    // 白山 sent nothing else; 辽源 (no June return in the samples) neither.
    let units: Vec<&str> = blank.iter().map(|x| x["unit"].as_str().unwrap()).collect();
    assert_eq!(
        units,
        ["白山市交通运输局", "辽源市交通运输局"],
        "{blank:#?}"
    );
    assert!(
        !f.iter().any(
            |x| x["code"] == "W-NUM-BLANK" && x["file"].as_str().unwrap_or("").contains("模板")
        )
    );
    // Every other template is named once, as what it is.
    let named = f.iter().filter(|x| x["code"] == "I-BLANK-TEMPLATE").count();
    assert_eq!(named, 14 + 12, "{f:#?}");
}

/// February of a winter-stop province: 农村公路 builds from April to October. With a
/// tolerance of 5 points, the calendar's 16.7 % paints 安防工程 (5 of 50 km) and
/// 通自然村硬化路 (3 of 40) red; their season says nothing is due yet, while 建制村通客车
/// (运输服务, no season: 2 of 20) stays 滞后. 新改建农村公路 has 6月底目标 60: its
/// 序时进度 is read from it. Each 序时进度 cell says its rule.
#[test]
fn a_season_and_milestones_decide_the_schedule_and_say_so() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("报表");
    std::fs::create_dir_all(&dir).unwrap();
    // T02's 6月底目标 of 20 is above its annual 10: a warning, and T02 keeps its season.
    write_task_list_with(&dir.join("任务清单.xlsx"), &[("T01", 60.0), ("T02", 20.0)]);
    february(&dir);
    let summary = t.path().join("out/2021年2月重点任务进展汇总.xlsx");
    let run = |toml: &str| {
        std::fs::write(dir.join("huizong.toml"), toml).unwrap();
        let o = huizong(&dir, &["run", ".", "--out", "../out"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        sheet(&summary, "任务进展")
    };
    let cell = |s: &calamine::Range<calamine::Data>, id: &str| {
        let r = row_of(s, 0, id);
        let at = format!("K{}", r + 1);
        (
            text_at(s, r, 11),
            num_at(s, r, 10).unwrap(),
            note_of(&summary, "任务进展", &at).unwrap_or_default(),
        )
    };

    // The calendar alone.
    let s = run("lag_tolerance = 5\n");
    for id in ["T03", "T09", "T04"] {
        let (status, schedule, note) = cell(&s, id);
        assert_eq!(status, "滞后", "{id}");
        assert_close(Some(schedule), Some(2.0 / 12.0), id);
        assert!(note.starts_with("按日历"), "{id}: {note}");
    }
    // T01: straight from January to 6月底 60 of 100: February is 20.
    let (status, schedule, note) = cell(&s, "T01");
    assert_eq!(status, "按序时推进");
    assert_close(Some(schedule), Some(0.2), "T01");
    assert!(
        note.contains("按节点目标") && note.contains("6月底 60"),
        "{note}"
    );

    // With 农村公路's season.
    let s =
        run("lag_tolerance = 5\n\n[[seasons]]\ncategories = [\"农村公路\"]\nmonths = \"4-10\"\n");
    for id in ["T03", "T09", "T02"] {
        let (status, schedule, note) = cell(&s, id);
        assert_eq!(status, "按序时推进", "{id}");
        assert_eq!(schedule, 0.0, "{id}");
        assert!(
            note.contains("施工季") && note.contains("不判滞后"),
            "{id}: {note}"
        );
    }
    let (status, _, note) = cell(&s, "T04");
    assert_eq!(status, "滞后", "运输服务 has no season");
    assert!(note.starts_with("按日历"), "{note}");
    // T01's milestones start with the season: nothing due in February.
    let (_, schedule, note) = cell(&s, "T01");
    assert_eq!(schedule, 0.0);
    assert!(
        note.contains("按节点目标") && note.contains("施工季 4 月起"),
        "{note}"
    );

    // T02's milestone is named where it stands, and not used.
    let (_, f) = findings(&dir, &["."]);
    let w = f
        .iter()
        .find(|x| x["code"] == "W-TASKLIST" && x["cell"] == "K4")
        .unwrap_or_else(|| panic!("{f:#?}"));
    assert!(
        w["message"].as_str().unwrap().contains("超过年度目标"),
        "{w}"
    );

    // The unit's template shows the milestones of its task.
    let o = huizong(
        &dir,
        &[
            "template",
            "--tasks",
            "任务清单.xlsx",
            "--period",
            "2021-03",
            "--out",
            "../模板",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let tpl = t
        .path()
        .join(format!("模板/{}_2021年3月_月报.xlsx", UNITS[0]));
    let p = sheet(&tpl, "重点任务进展");
    let r = row_of(&p, 0, "T01");
    let target = text_at(&p, r, 3);
    assert!(
        target.contains("总目标 100") && target.contains("6月底 60"),
        "{target}"
    );
}

/// Shared projects, February: without a breakdown nothing is split (the unit lines have no
/// plan or rate, the category and 合计 count each plan once); with one, written beside the
/// units' names (T01) or in a sheet 任务分解 (T11), every unit is rated against its own.
#[test]
fn a_shared_plan_is_never_split_and_a_breakdown_gives_each_unit_its_own() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("报表");
    std::fs::create_dir_all(&dir).unwrap();
    write_task_list(&dir.join("任务清单.xlsx"));
    february(&dir);
    let summary = t.path().join("out/2021年2月重点任务进展汇总.xlsx");
    let run = || {
        let o = huizong(&dir, &["run", ".", "--out", "../out"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        sheet(&summary, "固定资产投资")
    };
    // (plan, ytd, rate) of a project's line of a unit, or of a unit's subtotal.
    let line = |inv: &calamine::Range<calamine::Data>, id: &str, unit: &str| {
        let (h, _) = inv.end().unwrap();
        let r = (3..=h)
            .find(|r| text_at(inv, *r, 0) == id && text_at(inv, *r, 3).starts_with(unit))
            .unwrap_or_else(|| panic!("{id} {unit}"));
        (r, num_at(inv, r, 5), num_at(inv, r, 7), num_at(inv, r, 8))
    };
    let subtotal = |inv: &calamine::Range<calamine::Data>, unit: &str| {
        let (h, _) = inv.end().unwrap();
        let r = (3..=h)
            .find(|r| {
                text_at(inv, *r, 1).ends_with("小计") && text_at(inv, *r, 3).starts_with(unit)
            })
            .unwrap_or_else(|| panic!("{unit}'s subtotal"));
        (r, num_at(inv, r, 5), num_at(inv, r, 7), num_at(inv, r, 8))
    };
    let total = |inv: &calamine::Range<calamine::Data>| {
        let r = row_of(inv, 1, "合计");
        num_at(inv, r, 5)
    };

    // No breakdown: 东县's and 西县's T01 lines have no plan of their own, said in a note.
    let inv = run();
    for unit in ["东县", "西县"] {
        let (r, plan, ytd, rate) = line(&inv, "T01", unit);
        assert_eq!((plan, rate), (None, None), "{unit}");
        assert!(ytd.is_some(), "{unit} reported");
        let note = note_of(&summary, "固定资产投资", &format!("F{}", r + 1)).unwrap();
        assert!(note.contains("共同项目未分解"), "{note}");
    }
    // 东县 owns T01 only: its subtotal has no plan and no rate, and says why.
    let (r, plan, ytd, rate) = subtotal(&inv, "东县");
    assert_close(plan, Some(0.0), "东县's plan");
    assert_close(ytd, Some(200.0), "东县's year-to-date");
    assert_eq!(rate, None);
    let note = note_of(&summary, "固定资产投资", &format!("F{}", r + 1)).unwrap();
    assert!(note.contains("T01"), "{note}");
    // 西县 owns T06 (600) alone: rated on it only (60 of 600), T01's 150 left out.
    let (_, plan, ytd, rate) = subtotal(&inv, "西县");
    assert_close(plan, Some(600.0), "西县's plan");
    assert_close(ytd, Some(210.0), "西县's year-to-date, T01's part included");
    assert_close(rate, Some(60.0 / 600.0), "西县's rate");
    // Each plan once in 合计: 4,500 + 800 + 1,200 + 600 + 900.
    assert_close(total(&inv), Some(8000.0), "合计");

    // A breakdown: T01 beside the names, T11 in 任务分解 (and one row naming a unit that
    // is not T11's).
    let t01 = format!(
        "{}（60公里，2700万元）、{}（40公里，1800万元）",
        UNITS[0], UNITS[1]
    );
    write_task_list_full(
        &dir.join("任务清单.xlsx"),
        &[],
        &[("T01", &t01)],
        &[
            ("T11", UNITS[3], 15.0, 500.0),
            ("T11", UNITS[4], 10.0, 400.0),
            ("T11", UNITS[0], 1.0, 1.0),
        ],
    );
    let inv = run();
    for (id, unit, plan, ytd) in [
        ("T01", "东县", 2700.0, 200.0),
        ("T01", "西县", 1800.0, 150.0),
        ("T11", "北县", 500.0, 40.0),
        ("T11", "新区", 400.0, 50.0),
    ] {
        let (_, p, y, rate) = line(&inv, id, unit);
        assert_close(p, Some(plan), &format!("{id} {unit} plan"));
        assert_close(y, Some(ytd), &format!("{id} {unit} ytd"));
        assert_close(rate, Some(ytd / plan), &format!("{id} {unit} rate"));
    }
    let (_, plan, _, rate) = subtotal(&inv, "东县");
    assert_close(plan, Some(2700.0), "东县's own plan");
    assert_close(rate, Some(200.0 / 2700.0), "东县's rate");
    assert_close(total(&inv), Some(8000.0), "合计 unchanged");
    // The row naming 东县 for T11 is named where it stands, and not used.
    let (_, f) = findings(&dir, &["."]);
    assert!(
        f.iter()
            .any(|x| x["code"] == "W-TASKLIST" && x["sheet"] == "任务分解" && x["cell"] == "B4"),
        "{f:#?}"
    );
    assert!(
        !f.iter().any(|x| x["code"] == "W-TASKLIST-MULTIPLE"
            || x["message"].as_str().unwrap_or("").contains("未读入")),
        "{f:#?}"
    );
    // Each unit's template shows its own target and plan.
    let o = huizong(
        &dir,
        &[
            "template",
            "--tasks",
            "任务清单.xlsx",
            "--period",
            "2021-03",
            "--out",
            "../模板",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let tpl = t
        .path()
        .join(format!("模板/{}_2021年3月_月报.xlsx", UNITS[4]));
    let p = sheet(&tpl, "重点任务进展");
    let r = row_of(&p, 0, "T11");
    assert_eq!(text_at(&p, r, 3), "本单位 10，总目标 25");
    let i = sheet(&tpl, "固定资产投资");
    let r = row_of(&i, 0, "T11");
    assert_close(
        num_at(&i, r, 3),
        Some(400.0),
        "新区's own plan in its template",
    );
}
