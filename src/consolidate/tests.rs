//! Unit tests of consolidation: statuses, coverage, rounding, marks.

use super::*;
use crate::finding::Code;
use crate::model::{ReturnFile, Task, TaskList};
use crate::testkit::*;

const TOL: f64 = 0.10;

#[test]
fn status_at_each_boundary() {
    use Status::*;
    let complete = Coverage::default();
    let st = |ytd, target, schedule| quantitative_status(ytd, &complete, target, schedule, TOL);
    // On complete, accepted data: nothing above 0 is 未启动.
    assert_eq!(st(None, Some(10.0), 0.5), NotStarted);
    assert_eq!(st(Some(0.0), Some(10.0), 0.5), NotStarted);
    assert_eq!(st(Some(0.1), Some(10.0), 0.05), OnSchedule);
    assert_eq!(st(Some(0.1), Some(10.0), 0.5), Lagging);
    // The target reached, exactly or beyond, is 已完成 whatever the schedule.
    assert_eq!(st(Some(10.0), Some(10.0), 1.0), Done);
    assert_eq!(st(Some(12.0), Some(10.0), 0.1), Done);
    // Exactly the tolerance below 序时进度 is still on schedule; any more is 滞后.
    assert_eq!(st(Some(4.0), Some(10.0), 0.5), OnSchedule);
    assert_eq!(st(Some(3.99), Some(10.0), 0.5), Lagging);
    // Ahead of schedule but short of the target.
    assert_eq!(st(Some(9.0), Some(10.0), 0.5), OnSchedule);
    // No usable target: never 滞后 (nothing to measure against).
    assert_eq!(st(Some(1.0), None, 1.0), OnSchedule);
}

#[test]
fn a_disputed_or_missing_part_makes_the_status_unverified_unless_the_rest_reaches_the_target() {
    use Status::*;
    let missing = Coverage {
        reported: 1,
        counted: 1,
        due: 2,
        missing: vec!["乙".into()],
        accepted_ytd: 4.0,
        ..Coverage::default()
    };
    let disputed = Coverage {
        reported: 2,
        counted: 2,
        due: 2,
        disputed: vec!["【乙】E-CUM-DECREASE：…".into()],
        accepted_ytd: 10.0,
        ..Coverage::default()
    };
    // 4 of 10 at a 40 % schedule would be 按序时推进, 0 would be 未启动, 1 滞后: none
    // of these can be told while a part is missing.
    for ytd in [Some(4.0), Some(0.0), Some(1.0), None] {
        assert_eq!(
            quantitative_status(ytd, &missing, Some(10.0), 0.4, TOL),
            Unverified
        );
    }
    // The accepted parts alone reach the target: 已完成 whatever the disputed one says.
    assert_eq!(
        quantitative_status(Some(16.9), &disputed, Some(10.0), 0.4, TOL),
        Done
    );
    assert_eq!(
        quantitative_status(Some(16.9), &disputed, Some(20.0), 0.4, TOL),
        Unverified
    );
    assert!(!missing.complete() && !disputed.complete());
    assert_eq!(missing.label(), "1/2");
    // A unit that sent the row without a usable year-to-date is reported, not counted.
    let unusable = Coverage {
        reported: 2,
        counted: 1,
        due: 2,
        unusable: vec!["乙".into()],
        missing: vec!["乙".into()],
        ..Coverage::default()
    };
    assert_eq!(unusable.label(), "2/2\n有效1");
}

#[test]
fn sums_are_stored_at_their_inputs_precision() {
    assert_eq!(round_to(36.400000000000006, QUANTITY_DECIMALS), 36.4);
    assert_eq!(round_to(136975.09000000003, MONEY_DECIMALS), 136975.09);
    assert_eq!(round_to(0.1 + 0.2, QUANTITY_DECIMALS), 0.3);
    // A sum a hair under its target by float noise reaches it once rounded.
    let noisy: f64 = (0..10).map(|_| 0.1).sum();
    assert!(noisy < 1.0);
    let y = rq(Some(noisy)).unwrap();
    assert_eq!(
        quantitative_status(Some(y), &Coverage::default(), Some(1.0), 0.5, TOL),
        Status::Done
    );
    assert_eq!(round_to(1.23456, QUANTITY_DECIMALS), 1.2346);
}

#[test]
fn a_qualitative_status_is_its_label_and_the_four_are_typed() {
    assert_eq!(Status::from_label("已完成"), Status::Done);
    assert_eq!(Status::from_label("未启动"), Status::NotStarted);
    assert_eq!(Status::from_label("在建"), Status::Reported("在建".into()));
    assert_eq!(Status::Reported("在建".into()).label(), "在建");
}

fn qual(id: &str, units: &[&str]) -> Task {
    let mut t = task(id, units, None, None);
    t.category = "包保帮扶".into();
    t
}

/// A June batch of three units: shared and single tasks, a qualitative one, investment,
/// an unknown task, a duplicate row, a unit that did not report, and May as history.
fn june() -> (crate::validate::Batch, Config) {
    let config = Config::embedded();
    let may = Period::new(2020, 5).unwrap();
    let jun = Period::new(2020, 6).unwrap();
    let mut t1 = task("T1", &["甲", "乙"], Some(100.0), None);
    t1.deadline_month = 12;
    let mut t2 = task("T2", &["甲"], Some(10.0), Some(200.0));
    t2.category = "高速公路".into();
    let t3 = task("T3", &["乙"], Some(40.0), None);
    let t4 = qual("T4", &["乙", "丙"]);
    let tasks = TaskList::new(vec![t1, t2, t3, t4], None, String::new());
    let mut jia = ret(
        "甲",
        jun,
        "6/甲.xlsx",
        25,
        vec![
            prow("T1", 5, Some(5.0), Some(30.0)),
            prow("T2", 6, Some(1.0), Some(10.0)),
            prow("T1", 7, Some(99.0), Some(99.0)),
            prow("T9", 8, Some(1.0), Some(1.0)),
        ],
    );
    jia.progress.as_mut().unwrap()[0].progress.value = "路面施工".into();
    jia.invest = Some(vec![irow("T2", 5, Some(20.0), Some(80.0))]);
    let mut yi = ret(
        "乙",
        jun,
        "6/乙.xlsx",
        26,
        vec![
            prow("T1", 5, Some(2.5), Some(12.5)),
            prow("T3", 6, Some(1.0), Some(4.0)),
            prow("T4", 7, None, None),
        ],
    );
    yi.progress.as_mut().unwrap()[2].status.value = "在建".into();
    yi.progress.as_mut().unwrap()[0].problems.value = "征地拆迁未完成".into();
    let mut jia_may = ret(
        "甲",
        may,
        "5/甲.xlsx",
        25,
        vec![
            prow("T1", 5, Some(25.0), Some(25.0)),
            prow("T2", 6, Some(9.0), Some(9.0)),
        ],
    );
    jia_may.invest = Some(vec![irow("T2", 5, Some(60.0), Some(60.0))]);
    let returns: Vec<ReturnFile> = vec![jia, yi, jia_may];
    let batch = crate::validate::validate(tasks, vec![], returns, jun, &config);
    (batch, config)
}

#[test]
fn one_batch_gives_every_sheets_figures() {
    let (batch, config) = june();
    let codes: Vec<Code> = batch.findings.iter().map(|f| f.code).collect();
    assert!(codes.contains(&Code::TaskDupRow), "{codes:?}");
    assert!(codes.contains(&Code::TaskUnknown), "{codes:?}");
    let s = figures(&batch, &config).unwrap();

    // 任务进展: the first row per unit and task only (甲's duplicate T1 99 is not summed).
    let line = |id: &str| s.tasks.iter().find(|t| t.id == id).unwrap();
    let t1 = line("T1");
    assert_eq!((t1.month, t1.ytd), (Some(7.5), Some(42.5)));
    assert_eq!(t1.rate, Some(0.425));
    assert_eq!(t1.schedule, 0.5, "June of a December deadline");
    assert_eq!(t1.status, Status::OnSchedule, "42.5 % against 50 %");
    assert_eq!(t1.progress_text, "【甲】路面施工");
    assert_eq!(t1.problems_text, "【乙】征地拆迁未完成");
    assert_eq!(line("T2").status, Status::Done);
    let t3 = line("T3");
    assert_eq!((t3.rate, t3.status.clone()), (Some(0.1), Status::Lagging));
    // T4 is 乙's and 丙's; 丙 sent nothing: 数据待核, and 已报单位 says so.
    assert_eq!(line("T4").status, Status::Unverified);
    assert_eq!(line("T4").coverage.label(), "1/2");
    assert_eq!(line("T4").coverage.missing, vec!["丙".to_string()]);
    assert!(
        s.tasks.iter().all(|t| t.id != "T9"),
        "unknown tasks stay out"
    );

    // 分类汇总: per category and measure, with tasks per status column.
    assert_eq!(
        s.status_columns,
        vec![
            Status::Done,
            Status::OnSchedule,
            Status::Lagging,
            Status::NotStarted,
            Status::Unverified,
        ]
    );
    let rural = s
        .categories
        .iter()
        .find(|c| c.category == "农村公路")
        .unwrap();
    assert_eq!(
        (rural.tasks, rural.target, rural.ytd),
        (2, Some(140.0), Some(46.5))
    );
    assert_eq!(rural.by_status, vec![0, 1, 1, 0, 0]);
    assert_eq!(s.status_totals, vec![1, 1, 1, 0, 1]);
    let unverified = s
        .status_counts
        .iter()
        .find(|c| c.status == Status::Unverified);
    assert_eq!(
        unverified.map(|c| c.listed.clone()),
        Some(vec![("T4".to_string(), "任务T4".to_string())])
    );
    let done = s.status_counts.iter().find(|c| c.status == Status::Done);
    assert_eq!(done.map(|c| c.tasks), Some(1));
    let lagging = s.status_counts.iter().find(|c| c.status == Status::Lagging);
    assert_eq!(
        lagging.map(|c| c.listed.clone()),
        Some(vec![("T3".to_string(), "任务T3".to_string())])
    );

    // 单位报送情况: 丙 owes T4 and sent nothing.
    assert_eq!(s.roster.due, 3);
    assert_eq!(s.roster.reported, 2);
    assert_eq!(s.roster.on_time, 2);
    assert_eq!(s.roster.missing, vec!["丙".to_string()]);
    assert_eq!(s.roster.with_errors, vec!["甲".to_string()]);

    // 固定资产投资: the project, its subtotals and the total.
    let total = s
        .invest
        .iter()
        .find(|l| l.kind == InvestKind::Total)
        .unwrap();
    assert_eq!(
        (total.plan, total.month, total.ytd),
        (200.0, Some(20.0), Some(80.0))
    );
    assert_eq!(total.rate, Some(0.4));

    // 月度趋势: May and June, investment total per month.
    assert_eq!(
        s.periods,
        vec![Period::new(2020, 5).unwrap(), Period::new(2020, 6).unwrap()]
    );
    assert_eq!(s.trend_invest_total, vec![Some(60.0), Some(80.0)]);
    let rural_trend = s
        .trend_progress
        .iter()
        .find(|(c, m, _)| c == "农村公路" && m == "公里")
        .unwrap();
    assert_eq!(rural_trend.2, vec![Some(25.0), Some(46.5)]);

    // 数据来源: one record per accepted figure (甲: T1 and T2 month and ytd, T2's
    // investment month and ytd; 乙: T1 and T3 month and ytd).
    let records = source_records(&batch);
    assert_eq!(records.len(), 4 + 2 + 4);
    assert!(records.iter().all(|r| r.value != 99.0 && r.id != "T9"));
}

#[test]
fn a_disputed_part_marks_its_line_and_every_sum_that_includes_it() {
    let config = Config::embedded();
    let may = Period::new(2020, 5).unwrap();
    let jun = Period::new(2020, 6).unwrap();
    let mut a = task("P1", &["甲"], Some(10.0), Some(100.0));
    a.category = "高速公路".into();
    let mut b = task("P2", &["乙"], Some(10.0), Some(100.0));
    b.category = "农村公路".into();
    let tasks = TaskList::new(vec![a, b], None, String::new());
    let mut jia_may = ret(
        "甲",
        may,
        "5/甲.xlsx",
        25,
        vec![prow("P1", 5, Some(1.0), Some(1.0))],
    );
    jia_may.invest = Some(vec![irow("P1", 5, Some(60.0), Some(60.0))]);
    // June's year-to-date investment falls below May's: disputed.
    let mut jia = ret(
        "甲",
        jun,
        "6/甲.xlsx",
        25,
        vec![prow("P1", 5, Some(1.0), Some(2.0))],
    );
    jia.invest = Some(vec![irow("P1", 5, Some(0.0), Some(50.0))]);
    let mut yi_may = ret(
        "乙",
        may,
        "5/乙.xlsx",
        25,
        vec![prow("P2", 5, Some(1.0), Some(1.0))],
    );
    yi_may.invest = Some(vec![irow("P2", 5, Some(10.0), Some(10.0))]);
    let mut yi = ret(
        "乙",
        jun,
        "6/乙.xlsx",
        25,
        vec![prow("P2", 5, Some(1.0), Some(2.0))],
    );
    yi.invest = Some(vec![irow("P2", 5, Some(5.0), Some(15.0))]);
    let batch =
        crate::validate::validate(tasks, vec![], vec![jia_may, jia, yi_may, yi], jun, &config);
    let s = figures(&batch, &config).unwrap();
    let marked = |kind: InvestKind, key: &str| {
        s.invest
            .iter()
            .filter(|l| l.kind == kind)
            .filter(|l| key.is_empty() || l.project_id == key || l.category == key || l.unit == key)
            .all(|l| !l.disputed.is_empty())
    };
    assert!(marked(InvestKind::Project, "P1"));
    assert!(marked(InvestKind::CategorySubtotal, "高速公路"));
    assert!(marked(InvestKind::UnitSubtotal, "甲"));
    assert!(marked(InvestKind::Total, ""));
    // 乙's line and sums hold no disputed part.
    assert!(!marked(InvestKind::Project, "P2"));
    assert!(!marked(InvestKind::CategorySubtotal, "农村公路"));
    assert!(!marked(InvestKind::UnitSubtotal, "乙"));
    let total = s
        .invest
        .iter()
        .find(|l| l.kind == InvestKind::Total)
        .unwrap();
    assert_eq!(
        total.ytd,
        Some(65.0),
        "the disputed figure is in the total, marked"
    );
    assert!(
        total.disputed[0].contains("【甲】E-CUM-DECREASE"),
        "{:?}",
        total.disputed
    );
}
