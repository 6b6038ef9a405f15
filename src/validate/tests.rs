use super::*;
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
