//! What a figure means (issue: every figure on the summary is true, or visibly marked as
//! not yet true): blanks, history, disputed and missing parts, read back cell by cell
//! (value, fill and note).

use crate::util::*;

const SUMMARY: &str = "output/2020年6月重点任务进展汇总.xlsx";
/// The fill of a figure or status that is not yet a fact (数据待核).
const UNVERIFIED: &str = "FFD966";

/// The summary row (zero-based) of a task id in 任务进展.
fn task_row(s: &calamine::Range<calamine::Data>, id: &str) -> u32 {
    let (h, _) = s.end().unwrap();
    (3..=h)
        .find(|r| text_at(s, *r, 0) == id)
        .unwrap_or_else(|| panic!("{id}"))
}

#[test]
fn disputed_and_missing_parts_are_marked_where_they_stand() {
    let t = samples_copy();
    let o = huizong(t.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let path = t.path().join(SUMMARY);
    let s = sheet(&path, "任务进展");

    // 白城's T05-05 fell below May (E-CUM-DECREASE): summed where it belongs, marked, and
    // the task is 数据待核, not a red 滞后.
    let r = task_row(&s, "T05-05");
    let ytd_cell = format!("I{}", r + 1);
    assert_eq!(text_at(&s, r, 11), "数据待核");
    assert_close(num_at(&s, r, 8), Some(6.9), "the disputed figure is shown");
    assert_eq!(fill_of(&path, "任务进展", &ytd_cell), UNVERIFIED);
    let note = note_of(&path, "任务进展", &ytd_cell).expect("a note on the disputed figure");
    assert!(note.contains("【白城】E-CUM-DECREASE"), "{note}");

    // 通化's T05-03 year-to-date was rejected (约12公里): not 未启动, 数据待核; 通化 reported
    // (1 of 1), its year-to-date is not in the sum (有效 0).
    let r = task_row(&s, "T05-03");
    assert_eq!(text_at(&s, r, 11), "数据待核");
    assert_eq!(text_at(&s, r, 4), "1/1\n有效0");

    // 辽源 sent nothing: its shared tasks say so on 已报单位, with a note naming it.
    let r = task_row(&s, "T05-09");
    assert_eq!(text_at(&s, r, 4), "9/10");
    assert_eq!(text_at(&s, r, 11), "数据待核");
    let cell = format!("E{}", r + 1);
    assert_eq!(fill_of(&path, "任务进展", &cell), UNVERIFIED);
    assert!(note_of(&path, "任务进展", &cell).unwrap().contains("辽源"));

    // A complete task keeps its plain status and no mark.
    let r = task_row(&s, "T01-01");
    let (m, n) = text_at(&s, r, 4)
        .split_once('/')
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .unwrap();
    assert_eq!(m, n, "every responsible unit reported T01-01");
    assert_ne!(text_at(&s, r, 11), "数据待核");
    assert_eq!(note_of(&path, "任务进展", &format!("I{}", r + 1)), None);

    // 总览 counts and names the 数据待核 tasks.
    let o = sheet(&path, "总览");
    let (h, _) = o.end().unwrap();
    let line = (0..=h)
        .find(|r| text_at(&o, *r, 0) == "数据待核")
        .expect("a 数据待核 line on 总览");
    assert_eq!(num_at(&o, line, 1), Some(5.0));
    assert!(text_at(&o, line, 2).contains("T05-05"));

    // 固定资产投资: 高速集团's funding sources do not add up (E-FUND-SUM): its line, the
    // subtotals and the total that include it are marked.
    let inv = sheet(&path, "固定资产投资");
    let (h, _) = inv.end().unwrap();
    let disputed: Vec<u32> = (3..=h)
        .filter(|r| {
            note_of(&path, "固定资产投资", &format!("H{}", r + 1))
                .is_some_and(|n| n.contains("E-FUND-SUM"))
        })
        .collect();
    let names: Vec<String> = disputed.iter().map(|r| text_at(&inv, *r, 1)).collect();
    assert!(names.iter().any(|n| n == "合计"), "{names:?}");
    assert!(names.iter().any(|n| n.ends_with("小计")), "{names:?}");
    assert!(
        disputed.iter().any(|r| !text_at(&inv, *r, 0).is_empty()),
        "the project line"
    );
    for r in &disputed {
        assert_eq!(
            fill_of(&path, "固定资产投资", &format!("H{}", r + 1)),
            UNVERIFIED
        );
    }
    // The total's funding columns sum the same rows as its 累计 and hold the same disputed
    // part: marked too, and the first says why they do not add up to it.
    let total = disputed
        .iter()
        .copied()
        .find(|r| text_at(&inv, *r, 1) == "合计")
        .unwrap();
    for c in 9..14u32 {
        if num_at(&inv, total, c).is_some() {
            let cell = format!("{}{}", (b'A' + c as u8) as char, total + 1);
            assert_eq!(fill_of(&path, "固定资产投资", &cell), UNVERIFIED, "{cell}");
        }
    }
    let funds: f64 = (9..14).filter_map(|c| num_at(&inv, total, c)).sum();
    let ytd = num_at(&inv, total, 7).unwrap();
    assert!(
        (funds - ytd).abs() > 0.5,
        "the samples' 其中 differ from 累计"
    );
    let why = note_of(&path, "固定资产投资", &format!("J{}", total + 1)).expect("a note");
    assert!(
        why.contains("其中各项之和") && why.contains("高速集团"),
        "{why}"
    );

    // 分类汇总: the line that sums them is marked and names them.
    let c = sheet(&path, "分类汇总");
    let (h, _) = c.end().unwrap();
    let rural = (3..=h)
        .find(|r| text_at(&c, *r, 0) == "农村公路" && text_at(&c, *r, 1) == "公里")
        .unwrap();
    let cell = format!("F{}", rural + 1);
    assert_eq!(fill_of(&path, "分类汇总", &cell), UNVERIFIED);
    let n = note_of(&path, "分类汇总", &cell).unwrap();
    assert!(n.contains("T05-05") && n.contains("T05-03"), "{n}");

    // 月度趋势: June's entries of categories 辽源 answers for lack its figures: marked.
    let tr = sheet(&path, "月度趋势");
    let (h, w) = tr.end().unwrap();
    let june = (2..=w)
        .find(|c| text_at(&tr, 2, *c) == "2020年6月")
        .unwrap();
    let col = (b'A' + june as u8) as char;
    let marked: Vec<String> = (3..=h)
        .filter_map(|r| note_of(&path, "月度趋势", &format!("{col}{}", r + 1)))
        .collect();
    assert!(
        !marked.is_empty() && marked.iter().all(|n| n.contains("辽源")),
        "{marked:?}"
    );

    // The exports carry each row's state.
    let o = huizong(t.path(), &["run", "samples", "--quiet", "--export", "csv"]);
    assert_eq!(o.status.code(), Some(0));
    let csv = std::fs::read_to_string(t.path().join("output/progress.csv")).unwrap();
    let line = csv
        .lines()
        .find(|l| l.contains("白城") && l.contains("T05-05"))
        .unwrap();
    assert!(line.contains("待核（E-CUM-DECREASE）"), "{line}");
}

#[test]
fn a_blank_row_is_a_finding_and_never_a_zero() {
    let t = samples_copy();
    let june = t
        .path()
        .join("samples/2020年6月/长春市交通运输局_2020年6月_月报.xlsx");
    // 长春's first task row: 本月 and 累计 emptied, as a unit that forgot the row.
    let p = sheet(&june, "重点任务进展");
    let (h, _) = p.end().unwrap();
    let row = (0..=h)
        .find(|r| num_at(&p, *r, 5).is_some())
        .expect("a figure row");
    let id = text_at(&p, row, 0);
    set_text(&june, "重点任务进展", &format!("E{}", row + 1), "");
    set_text(&june, "重点任务进展", &format!("F{}", row + 1), "");
    let (_, f) = findings(t.path(), &["samples"]);
    assert!(
        has(&f, "W-NUM-BLANK", "长春", Some(&format!("E{}", row + 1))),
        "{f:#?}"
    );
    let o = huizong(t.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let s = sheet(&t.path().join(SUMMARY), "任务进展");
    let r = task_row(&s, &id);
    assert_eq!(text_at(&s, r, 11), "数据待核", "{id}");
    // 长春 sent the row (it counts as reported), but its part is not in the sums.
    let cov = text_at(&s, r, 4);
    let (m, rest) = cov.split_once('/').unwrap();
    let counted: u32 = rest
        .split_once("\n有效")
        .map(|(_, k)| k)
        .unwrap_or_else(|| panic!("{cov}"))
        .parse()
        .unwrap();
    assert!(counted < m.parse::<u32>().unwrap(), "{cov}");

    // Only 本月 emptied: E-NUM-INCOMPLETE on it.
    let t = samples_copy();
    let june = t
        .path()
        .join("samples/2020年6月/长春市交通运输局_2020年6月_月报.xlsx");
    set_text(&june, "重点任务进展", &format!("E{}", row + 1), "");
    let (_, f) = findings(t.path(), &["samples"]);
    assert!(
        has(
            &f,
            "E-NUM-INCOMPLETE",
            "长春",
            Some(&format!("E{}", row + 1))
        ),
        "{f:#?}"
    );
}

#[test]
fn an_empty_month_or_another_year_is_said_on_screen_and_on_the_overview() {
    let t = samples_copy();
    // July: the folder holds April to June only.
    let o = huizong(t.path(), &["run", "samples", "--period", "2020-07"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let console = stderr(&o);
    assert!(
        console.contains("2020年7月没有任何单位的月报") && console.contains("2020年6月"),
        "{console}"
    );
    let path = t.path().join("output/2020年7月重点任务进展汇总.xlsx");
    let o = sheet(&path, "总览");
    assert!(text_at(&o, 2, 0).contains("2020年7月没有任何单位的月报"));
    let (code, f) = findings(t.path(), &["samples", "--period", "2020-07"]);
    assert!(f.iter().any(|x| x["code"] == "W-PERIOD"), "{f:#?}");
    // The summary (with its 催报 list) is written; a scheduled run and `check` fail the
    // month nobody reported.
    assert_eq!(code, 1, "check of a month with no returns");
    let strict = huizong(
        t.path(),
        &[
            "run", "samples", "--period", "2020-07", "--strict", "--quiet",
        ],
    );
    assert_eq!(strict.status.code(), Some(1));

    // A year the task list is not for.
    let o = huizong(t.path(), &["check", "samples", "--period", "2021-06"]);
    let console = stdout(&o);
    assert!(console.contains("任务清单是 2020 年的"), "{console}");
    // The month asked for, in the task list's year and with returns: nothing to say.
    let o = huizong(t.path(), &["run", "samples", "--period", "2020-06"]);
    assert!(!stderr(&o).contains("注意："), "{}", stderr(&o));
}

#[test]
fn a_correction_after_the_deadline_keeps_an_on_time_unit_on_time() {
    let t = samples_copy();
    let o = huizong(t.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let original = t
        .path()
        .join("samples/2020年6月/通化市交通运输局_2020年6月_月报.xlsx");
    let correction = t
        .path()
        .join("output/退回修改/通化市交通运输局_2020年6月_退回修改.xlsx");
    // The correction workbook carries the first return's date in its hidden sheet.
    let meta = sheet(&correction, "_huizong");
    let (h, _) = meta.end().unwrap();
    let carried = (0..=h)
        .find(|r| text_at(&meta, *r, 0) == "first_fill_date")
        .map(|r| text_at(&meta, r, 1))
        .expect("first_fill_date in _huizong");
    assert!(carried.starts_with("2020-06-"), "{carried}");

    // 通化 sends it back dated 30 June (after the 28th); the first file is gone.
    set_text(&correction, "重点任务进展", "H2", "2020-06-30");
    std::fs::remove_file(&original).unwrap();
    std::fs::copy(
        &correction,
        t.path().join("samples/2020年6月/通化_更正.xlsx"),
    )
    .unwrap();
    let (_, f) = findings(t.path(), &["samples"]);
    assert!(
        !f.iter()
            .any(|x| x["code"] == "W-LATE" && x["unit"] == "通化市交通运输局"),
        "{f:#?}"
    );
    let o = huizong(t.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = sheet(&t.path().join(SUMMARY), "单位报送情况");
    let (h, _) = r.end().unwrap();
    let row = (3..=h)
        .find(|x| text_at(&r, *x, 1) == "通化市交通运输局")
        .unwrap();
    let header: Vec<String> = (0..10).map(|c| header_at(&r, 2, c)).collect();
    assert_eq!(&header[4..7], ["首次报送", "最近更正", "是否按时"]);
    assert_eq!(text_at(&r, row, 6), "按时");
    let date = |c| match r.get_value((row, c)) {
        Some(calamine::Data::DateTime(d)) => d.as_f64(),
        other => panic!("a date in column {c}: {other:?}"),
    };
    assert!(date(4) < date(5), "首次报送 before 最近更正 (30 June)");
}

#[test]
fn one_task_list_is_chosen_openly() {
    let t = samples_copy();
    let d = t.path().join("samples");
    // A revised list: one target changed, saved later than the original.
    let revised = d.join("任务清单（修订）.xlsx");
    std::fs::copy(d.join("任务清单.xlsx"), &revised).unwrap();
    let names = sheet_names(&revised);
    let list = sheet(&revised, &names[0]);
    let (h, w) = list.end().unwrap();
    let (r, c) = (2..=h)
        .flat_map(|r| (0..=w).map(move |c| (r, c)))
        .find(|(r, c)| num_at(&list, *r, *c).is_some_and(|v| v > 1.0))
        .expect("a target");
    let cell = format!("{}{}", (b'A' + c as u8) as char, r + 1);
    set_number(&revised, &names[0], &cell, 999.0);

    // The returns were made from the original's templates: it is used, and the screen says
    // which list and which was left aside.
    let o = huizong(t.path(), &["run", "samples"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let console = stderr(&o);
    assert!(
        console.contains("使用“任务清单.xlsx”")
            && console.contains("未使用：任务清单（修订）.xlsx"),
        "{console}"
    );
    let (_, f) = findings(t.path(), &["samples"]);
    assert!(
        has(&f, "W-TASKLIST-MULTIPLE", "任务清单（修订）.xlsx", None),
        "{f:#?}"
    );
    assert!(
        !f.iter().any(|x| x["code"] == "W-TASKLIST-CHANGED"),
        "{f:#?}"
    );

    // Told to use the revised list, every return made from the other one says so.
    let (_, f) = findings(
        t.path(),
        &["samples", "--tasks", "samples/任务清单（修订）.xlsx"],
    );
    let changed = f
        .iter()
        .filter(|x| x["code"] == "W-TASKLIST-CHANGED")
        .count();
    assert!(changed >= 10, "{changed}: {f:#?}");
}

#[test]
fn a_return_made_from_last_months_file_counts_for_the_month_it_is_filed_under() {
    let t = samples_copy();
    let d = t.path().join("samples");
    let june = d.join("2020年6月/长春市交通运输局_2020年6月_月报.xlsx");
    std::fs::create_dir_all(d.join("2020年7月")).unwrap();
    // 长春 copied its June file, typed July's date, named it for July in the July folder,
    // and left 报送月份 (and the hidden sheet) at June.
    let july = d.join("2020年7月/长春市交通运输局_2020年7月_月报.xlsx");
    std::fs::copy(&june, &july).unwrap();
    set_text(&july, "重点任务进展", "H2", "2020-07-25");
    let (_, f) = findings(t.path(), &["samples", "--period", "2020-07"]);
    let x = f
        .iter()
        .find(|x| x["code"] == "E-IDENTITY-CONFLICT")
        .unwrap_or_else(|| panic!("{f:#?}"));
    assert!(x["file"].as_str().unwrap().contains("2020年7月"), "{x}");
    assert_eq!(x["unit"], "长春市交通运输局");
    let o = huizong(
        t.path(),
        &["run", "samples", "--period", "2020-07", "--quiet"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = sheet(
        &t.path().join("output/2020年7月重点任务进展汇总.xlsx"),
        "单位报送情况",
    );
    let (h, _) = r.end().unwrap();
    let row = (3..=h)
        .find(|x| text_at(&r, *x, 1) == "长春市交通运输局")
        .unwrap();
    assert_eq!(text_at(&r, row, 3), "已报", "not 未报");

    // June is untouched: its own file, no duplicate.
    let (_, f) = findings(t.path(), &["samples", "--period", "2020-06"]);
    assert!(
        !f.iter()
            .any(|x| x["code"] == "W-DUPLICATE" && x["unit"] == "长春市交通运输局"),
        "{f:#?}"
    );

    // 报送月份 changed to July but the hidden sheet left at June: the visible label wins.
    set_text(&july, "重点任务进展", "E2", "2020年7月");
    let (_, f) = findings(t.path(), &["samples", "--period", "2020-07"]);
    assert!(
        !f.iter().any(|x| x["code"] == "E-IDENTITY-CONFLICT"),
        "{f:#?}"
    );
    assert!(
        has(&f, "W-IDENTITY", "2020年7月/长春", None),
        "the hidden sheet's June is named: {f:#?}"
    );
}

#[test]
fn a_rejected_month_is_not_history_and_sums_carry_no_float_noise() {
    let t = samples_copy();
    let d = t.path().join("samples");
    // 通化's June 累计 was rejected (约12公里). Its July return: 本月 1.3, 累计 13.3.
    std::fs::create_dir_all(d.join("2020年7月")).unwrap();
    let july = d.join("2020年7月/通化市交通运输局_2020年7月_月报.xlsx");
    std::fs::copy(
        d.join("2020年6月/通化市交通运输局_2020年6月_月报.xlsx"),
        &july,
    )
    .unwrap();
    set_text(&july, "重点任务进展", "E2", "2020年7月");
    set_text(&july, "重点任务进展", "H2", "2020-07-25");
    set_number(&july, "重点任务进展", "E6", 1.3);
    set_number(&july, "重点任务进展", "F6", 13.3);
    let (_, f) = findings(t.path(), &["samples", "--period", "2020-07"]);
    let on_e6 = |code: &str| {
        f.iter().any(|x| {
            x["code"] == code
                && x["unit"] == "通化市交通运输局"
                && x["sheet"] == "重点任务进展"
                && x["cell"] == "E6"
        })
    };
    assert!(
        !on_e6("E-MONTH-MISMATCH"),
        "never compared with a 0 nobody reported: {f:#?}"
    );
    assert!(on_e6("I-NO-HISTORY"), "{f:#?}");

    // June's sums are stored as the units typed them: no 36.400000000000006.
    let o = huizong(
        t.path(),
        &["run", "samples", "--period", "2020-06", "--quiet"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let path = t.path().join(SUMMARY);
    for name in ["任务进展", "分类汇总", "固定资产投资", "月度趋势"] {
        let s = sheet(&path, name);
        for (r, c, v) in s.used_cells() {
            if let calamine::Data::Float(x) = v {
                let rounded = (x * 1e4).round() / 1e4;
                let is_rate = name != "固定资产投资" && *x < 2.0 && (x * 1e4).fract() != 0.0;
                assert!(
                    rounded == *x || is_rate || name == "固定资产投资" && c == 8,
                    "{name}!{}{}: {x}",
                    (b'A' + c as u8) as char,
                    r + 1
                );
            }
        }
    }
}

/// Messages that say which way and which file: a funding gap's direction and unit, the
/// duplicate taken and why in one clause (the samples' 高速集团 and 吉林).
#[test]
fn a_gap_says_its_direction_and_a_duplicate_which_file_was_taken() {
    let t = samples_copy();
    let (_, f) = findings(t.path(), &["samples"]);
    let gap = f
        .iter()
        .find(|x| x["code"] == "E-FUND-SUM")
        .and_then(|x| x["message"].as_str())
        .unwrap();
    assert!(gap.ends_with("（资金来源多 1000 万元）"), "{gap}");
    let dup = f
        .iter()
        .find(|x| x["code"] == "W-DUPLICATE")
        .unwrap_or_else(|| panic!("{f:#?}"));
    let m = dup["message"].as_str().unwrap();
    let file = dup["file"].as_str().unwrap();
    // The finding stands on the file not taken; the clause in brackets follows the one taken.
    assert!(
        m.contains("（更正）.xlsx”（填报日期较新），未采用本文件"),
        "{m}"
    );
    assert!(m.ends_with(&format!("“{file}”")), "{m}");
}

/// The samples with a season for 高速公路 (April to October) and a 6月底目标 for T03-01 (30 %
/// of its target, written in the list's 配合单位 column, renamed, as an office adds one):
/// June's 序时进度 is 3 of 7 season months for 高速公路, the milestone's 30 % for T03-01,
/// and the calendar's 6 of 12 for 普通干线公路; each cell's note says which rule.
#[test]
fn the_samples_with_a_season_and_a_milestone() {
    let t = samples_copy();
    let list = t.path().join("samples/任务清单.xlsx");
    let l = sheet(&list, "任务清单");
    let row = (0..l.height() as u32)
        .find(|r| text_at(&l, *r, 0) == "T03-01")
        .unwrap();
    let target = num_at(&l, row, 5).expect("T03-01's target");
    set_text(&list, "任务清单", "I2", "6月底目标");
    set_number(&list, "任务清单", &format!("I{}", row + 1), target * 0.3);
    std::fs::write(
        t.path().join("samples/huizong.toml"),
        "[[seasons]]\ncategories = [\"高速公路\"]\nmonths = \"4-10\"\n",
    )
    .unwrap();
    let o = huizong(t.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let path = t.path().join(SUMMARY);
    let s = sheet(&path, "任务进展");
    let schedule = |id: &str| {
        let r = task_row(&s, id);
        let note = note_of(&path, "任务进展", &format!("K{}", r + 1)).unwrap_or_default();
        (num_at(&s, r, 10).unwrap(), note)
    };
    let (v, note) = schedule("T03-01");
    assert_close(Some(v), Some(0.3), "T03-01 from its milestone");
    assert!(
        note.starts_with("按节点目标") && note.contains("施工季 4 月起"),
        "{note}"
    );
    let (v, note) = schedule("T03-02");
    assert_close(Some(v), Some(3.0 / 7.0), "T03-02 in its season");
    assert!(note.starts_with("按施工季（4–10 月）"), "{note}");
    let (v, note) = schedule("T04-01");
    assert_close(Some(v), Some(0.5), "T04-01 on the calendar");
    assert!(note.starts_with("按日历"), "{note}");
    // The milestone column is read, not reported as a column the list does not know.
    let (_, f) = findings(t.path(), &["samples"]);
    assert!(
        !f.iter()
            .any(|x| x["code"] == "I-EXTRA-COLUMN" && x["cell"] == "I2"),
        "{f:#?}"
    );
}
