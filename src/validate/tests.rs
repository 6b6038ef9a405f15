use super::*;
use crate::model::Raw;
use crate::testkit::*;

fn codes(b: &Batch) -> Vec<(Code, Option<String>, Option<String>)> {
    b.findings
        .iter()
        .map(|f| (f.code, f.unit.clone(), f.cell.map(|c| c.to_string())))
        .collect()
}

#[test]
fn an_earlier_month_keeps_ids_and_figures_of_both_tables() {
    let may = Period::new(2020, 5).unwrap();
    let jun = Period::new(2020, 6).unwrap();
    let tl = TaskList::new(
        vec![task("T1", &["甲"], Some(100.0), Some(100.0))],
        None,
        String::new(),
    );
    let mut earlier = ret(
        "甲",
        may,
        "5/甲.xlsx",
        25,
        vec![prow("T1", 5, Some(3.0), Some(30.0))],
    );
    earlier.invest = Some(vec![irow("T1", 5, Some(4.0), Some(40.0))]);
    let mut slimmed = earlier.clone();
    slimmed.slim();
    assert_eq!(
        slimmed.progress,
        Some(vec![]),
        "the table stays marked present"
    );
    assert_eq!(slimmed.invest, Some(vec![]));
    let mut now = ret(
        "甲",
        jun,
        "6/甲.xlsx",
        25,
        vec![prow("T1", 5, Some(1.0), Some(20.0))],
    );
    now.invest = Some(vec![irow("T1", 5, Some(1.0), Some(30.0))]);
    let mut batches = Vec::new();
    for may_return in [earlier, slimmed] {
        let b = validate(
            tl.clone(),
            vec![],
            vec![may_return, now.clone()],
            jun,
            &Config::embedded(),
        );
        let past = &b.history[&may][0];
        assert_eq!(past.progress_file.as_deref(), Some("5/甲.xlsx"));
        assert_eq!(past.invest_file.as_deref(), Some("5/甲.xlsx"));
        assert_eq!(
            (past.rows.progress[0].id.as_str(), past.rows.progress[0].ytd),
            ("T1", Some(30.0))
        );
        assert_eq!(
            (past.rows.invest[0].id.as_str(), past.rows.invest[0].ytd),
            ("T1", Some(40.0))
        );
        // Both year-to-date figures fell below May's.
        let falls = b
            .findings
            .iter()
            .filter(|f| f.code == Code::CumDecrease)
            .count();
        assert_eq!(falls, 2, "{:?}", codes(&b));
        batches.push(codes(&b));
    }
    assert_eq!(batches[0], batches[1], "slimming changes no finding");
}

#[test]
fn month_over_month_rules() {
    let may = Period::new(2020, 5).unwrap();
    let jun = Period::new(2020, 6).unwrap();
    let tl = TaskList::new(
        vec![
            task("T1", &["甲"], Some(100.0), None),
            task("T2", &["甲"], Some(100.0), None),
        ],
        None,
        String::new(),
    );
    let returns = vec![
        ret(
            "甲",
            may,
            "5/甲.xlsx",
            25,
            vec![
                prow("T1", 5, Some(10.0), Some(30.0)),
                prow("T2", 6, Some(5.0), Some(20.0)),
            ],
        ),
        // T1 falls below May; T2's month is not ytd minus last month.
        ret(
            "甲",
            jun,
            "6/甲.xlsx",
            25,
            vec![
                prow("T1", 5, Some(0.0), Some(25.0)),
                prow("T2", 6, Some(9.0), Some(25.0)),
            ],
        ),
    ];
    let b = validate(tl, vec![], returns, jun, &Config::embedded());
    let c = codes(&b);
    assert!(
        c.contains(&(Code::CumDecrease, Some("甲".into()), Some("F6".into()))),
        "{c:?}"
    );
    assert!(
        c.contains(&(Code::MonthMismatch, Some("甲".into()), Some("E7".into()))),
        "{c:?}"
    );
    assert_eq!(
        b.findings
            .iter()
            .filter(|f| f.level == Level::Error)
            .count(),
        2
    );
}

#[test]
fn duplicates_missing_late_and_unknown_tasks() {
    let jun = Period::new(2020, 6).unwrap();
    let tl = TaskList::new(
        vec![task("T1", &["甲", "乙", "丙"], Some(10.0), None)],
        None,
        String::new(),
    );
    let returns = vec![
        ret(
            "甲",
            jun,
            "甲-旧.xlsx",
            20,
            vec![prow("T1", 5, Some(1.0), Some(1.0))],
        ),
        ret(
            "甲",
            jun,
            "甲-新.xlsx",
            26,
            vec![
                prow("T1", 5, Some(2.0), Some(2.0)),
                prow("T9", 6, None, Some(1.0)),
            ],
        ),
        ret(
            "乙",
            jun,
            "乙.xlsx",
            30,
            vec![prow("T1", 5, None, Some(3.0))],
        ),
    ];
    let b = validate(tl, vec![], returns, jun, &Config::embedded());
    let c = codes(&b);
    assert!(
        c.contains(&(Code::Duplicate, Some("甲".into()), None)),
        "{c:?}"
    );
    assert!(
        c.contains(&(Code::TaskUnknown, Some("甲".into()), Some("A7".into()))),
        "{c:?}"
    );
    assert!(
        c.contains(&(Code::Late, Some("乙".into()), Some("H3".into()))),
        "{c:?}"
    );
    assert!(
        c.contains(&(Code::MissingReturn, Some("丙".into()), None)),
        "{c:?}"
    );
    let jia = b.current.iter().find(|r| r.unit == "甲").unwrap();
    assert_eq!(jia.progress_file.as_deref(), Some("甲-新.xlsx"));
    assert_eq!(b.roster[2].state, RosterState::Missing);
    assert_eq!(b.roster[1].on_time, Some(false));
}

#[test]
fn not_assigned_tasks_and_targets_exceeded() {
    let jun = Period::new(2020, 6).unwrap();
    let tl = TaskList::new(
        vec![
            task("T1", &["甲"], Some(10.0), None),
            task("T2", &["乙"], Some(5.0), None),
            task("T3", &["甲", "乙"], Some(4.0), None),
        ],
        None,
        String::new(),
    );
    let returns = vec![
        ret(
            "甲",
            jun,
            "甲.xlsx",
            25,
            vec![
                prow("T1", 5, Some(12.0), Some(12.0)),
                prow("T2", 6, Some(1.0), Some(1.0)),
                prow("T3", 7, Some(3.0), Some(3.0)),
            ],
        ),
        ret(
            "乙",
            jun,
            "乙.xlsx",
            25,
            vec![
                prow("T2", 5, Some(1.0), Some(1.0)),
                prow("T3", 6, Some(2.0), Some(2.0)),
            ],
        ),
    ];
    let b = validate(tl, vec![], returns, jun, &Config::embedded());
    let c = codes(&b);
    assert!(
        c.contains(&(Code::TaskNotAssigned, Some("甲".into()), Some("A7".into()))),
        "{c:?}"
    );
    assert!(
        c.contains(&(Code::OverTarget, Some("甲".into()), Some("F6".into()))),
        "one unit over: its cell {c:?}"
    );
    let multi = b
        .findings
        .iter()
        .find(|f| f.code == Code::OverTarget && f.unit.is_none())
        .expect("T3 summed over units");
    assert!(
        multi.message.contains("T3") && multi.message.contains('5'),
        "{}",
        multi.message
    );
    assert!(b.findings.iter().all(|f| f.level != Level::Error), "{c:?}");
}

/// Codes and cells of one unit's findings.
fn cells_of(b: &Batch, code: Code) -> Vec<String> {
    b.findings
        .iter()
        .filter(|f| f.code == code)
        .map(|f| f.cell.map(|c| c.to_string()).unwrap_or_default())
        .collect()
}

#[test]
fn history_that_was_never_accepted_is_not_history() {
    let p = |m| Period::new(2020, m).unwrap();
    let tl = TaskList::new(
        vec![
            task("T1", &["甲"], Some(100.0), None),
            task("T2", &["甲"], Some(100.0), None),
            task("T3", &["甲"], Some(100.0), None),
            task("T4", &["甲"], Some(100.0), None),
        ],
        None,
        String::new(),
    );
    let mut may_t1 = prow("T1", 5, Some(2.0), None);
    may_t1.ytd.raw = Raw::Text("约12公里".into());
    let returns = vec![
        ret(
            "甲",
            p(4),
            "4/甲.xlsx",
            25,
            vec![
                prow("T1", 5, Some(10.0), Some(10.0)),
                prow("T2", 6, Some(10.0), Some(10.0)),
                prow("T3", 7, Some(10.0), Some(10.0)),
                prow("T4", 8, Some(4.0), Some(4.0)),
            ],
        ),
        ret(
            "甲",
            p(5),
            "5/甲.xlsx",
            25,
            vec![
                // Rejected (an estimate), fell below April, missing: none is history.
                may_t1,
                prow("T2", 6, Some(0.0), Some(8.0)),
                prow("T4", 8, Some(1.0), Some(5.0)),
            ],
        ),
        ret(
            "甲",
            p(6),
            "6/甲.xlsx",
            25,
            vec![
                // 1.3 this month: not compared with a 0 nobody accepted.
                prow("T1", 5, Some(1.3), Some(13.3)),
                prow("T2", 6, Some(1.0), Some(11.0)),
                prow("T3", 7, Some(1.0), Some(11.0)),
                // Below April's accepted 10 … no: T4's latest accepted is May's 5.
                prow("T4", 8, Some(1.0), Some(4.5)),
            ],
        ),
    ];
    let b = validate(tl, vec![], returns, p(6), &Config::embedded());
    assert!(
        cells_of(&b, Code::MonthMismatch).is_empty(),
        "{:?}",
        codes(&b)
    );
    assert_eq!(
        cells_of(&b, Code::NoHistory),
        ["E6", "E7", "E8"],
        "each month cell whose May figure was not accepted: {:?}",
        codes(&b)
    );
    let falls: Vec<&Finding> = b
        .findings
        .iter()
        .filter(|f| f.code == Code::CumDecrease)
        .collect();
    assert_eq!(falls.len(), 1, "{:?}", codes(&b));
    assert_eq!(falls[0].cell.map(|c| c.to_string()).as_deref(), Some("F9"));
    assert!(
        falls[0].message.contains("2020年5月已采用的 5"),
        "{}",
        falls[0].message
    );
}

#[test]
fn a_decrease_is_judged_against_the_latest_accepted_month() {
    let p = |m| Period::new(2020, m).unwrap();
    let tl = TaskList::new(
        vec![task("T1", &["甲"], Some(100.0), None)],
        None,
        String::new(),
    );
    let returns = vec![
        ret(
            "甲",
            p(3),
            "3/甲.xlsx",
            25,
            vec![prow("T1", 5, Some(9.0), Some(9.0))],
        ),
        // April left blank: March's 9 stays the latest accepted figure.
        ret("甲", p(4), "4/甲.xlsx", 25, vec![prow("T1", 5, None, None)]),
        ret(
            "甲",
            p(5),
            "5/甲.xlsx",
            25,
            vec![prow("T1", 5, Some(1.0), Some(7.0))],
        ),
    ];
    let b = validate(tl, vec![], returns, p(5), &Config::embedded());
    let fall = b
        .findings
        .iter()
        .find(|f| f.code == Code::CumDecrease)
        .unwrap_or_else(|| panic!("{:?}", codes(&b)));
    assert!(
        fall.message.contains("2020年3月已采用的 9"),
        "{}",
        fall.message
    );
}

#[test]
fn blanks_are_findings_never_zero() {
    let jun = Period::new(2020, 6).unwrap();
    let tl = TaskList::new(
        vec![
            task("T1", &["甲"], Some(100.0), Some(100.0)),
            task("T2", &["甲"], Some(100.0), None),
            task("T3", &["甲"], Some(100.0), None),
            // Qualitative: its figures may stay empty.
            task("T4", &["甲"], None, None),
        ],
        None,
        String::new(),
    );
    let mut r = ret(
        "甲",
        jun,
        "6/甲.xlsx",
        25,
        vec![
            prow("T1", 5, None, None),
            prow("T2", 6, None, Some(3.0)),
            prow("T3", 7, Some(2.0), None),
            prow("T4", 8, None, None),
        ],
    );
    let mut inv = irow("T1", 5, Some(1.0), None);
    inv.funds[0] = num(Some(1.0), 5, 6);
    r.invest = Some(vec![inv]);
    let b = validate(tl, vec![], vec![r], jun, &Config::embedded());
    assert_eq!(cells_of(&b, Code::NumBlank), ["E6"], "{:?}", codes(&b));
    assert_eq!(
        cells_of(&b, Code::NumIncomplete),
        ["F6", "E7", "F8"],
        "investment: 累计 of T1 (本月 and funds filled); progress: 本月 of T2, 累计 of T3: {:?}",
        codes(&b)
    );
}

#[test]
fn timeliness_is_the_first_arrival() {
    let jun = Period::new(2020, 6).unwrap();
    let tl = TaskList::new(
        vec![task("T1", &["甲", "乙"], Some(100.0), None)],
        None,
        String::new(),
    );
    let day = |d| chrono::NaiveDate::from_ymd_opt(2020, 6, d).unwrap();
    // 甲 sent on the 25th, then a correction dated the 30th: on time, both dates kept.
    let first = ret(
        "甲",
        jun,
        "甲.xlsx",
        25,
        vec![prow("T1", 5, Some(1.0), Some(1.0))],
    );
    let fixed = ret(
        "甲",
        jun,
        "甲（更正）.xlsx",
        30,
        vec![prow("T1", 5, Some(2.0), Some(2.0))],
    );
    // 乙's first file is gone; its correction workbook carries the 24th in `_huizong`.
    let mut corrected = ret(
        "乙",
        jun,
        "乙_退回修改.xlsx",
        30,
        vec![prow("T1", 5, Some(1.0), Some(1.0))],
    );
    corrected.first_filled = Some(day(24));
    let b = validate(
        tl,
        vec![],
        vec![first, fixed, corrected],
        jun,
        &Config::embedded(),
    );
    assert!(cells_of(&b, Code::Late).is_empty(), "{:?}", codes(&b));
    let jia = &b.roster[0];
    assert_eq!(
        (jia.first_date, jia.fill_date, jia.on_time),
        (Some(day(25)), Some(day(30)), Some(true))
    );
    let yi = &b.roster[1];
    assert_eq!((yi.first_date, yi.on_time), (Some(day(24)), Some(true)));
    // The correction's figures are the ones used.
    let jia = b.current.iter().find(|r| r.unit == "甲").unwrap();
    assert_eq!(jia.progress_rows().next().unwrap().ytd.value, Some(2.0));
}
