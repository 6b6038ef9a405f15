//! `huizong run` and `check` on the samples: figures, findings, exit codes, determinism.

use std::collections::HashMap;
use std::path::Path;

use crate::util::*;

const SUMMARY: &str = "output/2020年6月重点任务进展汇总.xlsx";

/// June returns as the office uses them: the superseded duplicate left out.
fn june_returns(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir.join("samples/2020年6月"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            !p.to_string_lossy()
                .ends_with("吉林市交通运输局_2020年6月_月报.xlsx")
        })
        .collect();
    v.sort();
    v
}

fn short(unit: &str) -> String {
    huizong::config::Config::embedded()
        .short_name(unit)
        .to_string()
}

#[test]
fn summary_figures_equal_sums_of_the_returns() {
    let t = samples_copy();
    let o = huizong(t.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let summary = t.path().join(SUMMARY);

    // The test's own sums, read from the returns with calamine.
    let mut month: HashMap<String, f64> = HashMap::new();
    let mut ytd: HashMap<String, f64> = HashMap::new();
    let mut invest: HashMap<(String, String), Vec<Option<f64>>> = HashMap::new();
    for path in june_returns(t.path()) {
        let unit = text_at(&sheet(&path, "_huizong"), 1, 1);
        let p = sheet(&path, "重点任务进展");
        let (h, _) = p.end().unwrap();
        for row in 5..=h {
            let id = text_at(&p, row, 0);
            if let Some(v) = num_at(&p, row, 4) {
                *month.entry(id.clone()).or_default() += v;
            }
            if let Some(v) = num_at(&p, row, 5) {
                *ytd.entry(id).or_default() += v;
            }
        }
        if sheet_names(&path).contains(&"固定资产投资".to_string()) {
            let i = sheet(&path, "固定资产投资");
            let (h, _) = i.end().unwrap();
            for row in 5..=h {
                let vals = [4, 5, 6, 7, 8, 9, 10]
                    .iter()
                    .map(|c| num_at(&i, row, *c))
                    .collect();
                invest.insert((text_at(&i, row, 0), short(&unit)), vals);
            }
        }
    }

    let s = sheet(&summary, "任务进展");
    let headers: Vec<String> = (0..14).map(|c| header_at(&s, 2, c)).collect();
    assert_eq!(
        headers,
        vec![
            "任务编号",
            "任务类别",
            "任务名称",
            "责任单位",
            "已报单位",
            "计量单位",
            "年度目标",
            "本月完成",
            "自年初累计完成",
            "完成率",
            "序时进度",
            "进度状态",
            "本月工作进展",
            "存在问题"
        ]
    );
    let (h, _) = s.end().unwrap();
    let mut checked = 0;
    for row in 3..=h {
        let id = text_at(&s, row, 0);
        if text_at(&s, row, 5) == "—" {
            continue;
        }
        let place = |c: &str| format!("任务进展!{c}{} ({id})", row + 1);
        assert_close(num_at(&s, row, 7), month.get(&id).copied(), &place("H"));
        assert_close(num_at(&s, row, 8), ytd.get(&id).copied(), &place("I"));
        if let (Some(y), Some(target)) = (ytd.get(&id), num_at(&s, row, 6)) {
            let rate = num_at(&s, row, 9).unwrap();
            assert!((rate - y / target).abs() < 1e-9, "{}", place("J"));
        }
        checked += 1;
    }
    assert!(checked >= 30, "{checked} quantitative tasks checked");

    let inv = sheet(&summary, "固定资产投资");
    let (h, _) = inv.end().unwrap();
    let mut seen = 0;
    for row in 3..=h {
        let id = text_at(&inv, row, 0);
        if id.is_empty() {
            continue;
        }
        let unit = text_at(&inv, row, 3);
        let want = invest.get(&(id.clone(), unit.clone()));
        let got: Vec<Option<f64>> = [6, 7, 9, 10, 11, 12, 13]
            .iter()
            .map(|c| num_at(&inv, row, *c))
            .collect();
        match want {
            Some(w) => {
                // Month, ytd, then the five sources (the test's columns skip the plan).
                let w: Vec<Option<f64>> = vec![w[0], w[1], w[2], w[3], w[4], w[5], w[6]];
                for (k, (g, w)) in got.iter().zip(w).enumerate() {
                    assert_close(
                        *g,
                        w,
                        &format!("固定资产投资 row {} col {k} ({id} {unit})", row + 1),
                    );
                }
                seen += 1;
            }
            None => assert_eq!(got[1], None, "{id} {unit} not reported but has a figure"),
        }
    }
    assert_eq!(
        seen,
        invest.len(),
        "every reported project line is in the summary"
    );

    // The grand total equals the sum of all reported year-to-date investment.
    let total_row = (3..=h).find(|r| text_at(&inv, *r, 1) == "合计").unwrap();
    let want: f64 = invest.values().filter_map(|v| v[1]).sum();
    assert_close(
        num_at(&inv, total_row, 7),
        Some(want),
        "合计 自年初累计完成投资",
    );
}

#[test]
fn exit_codes_of_run_check_and_strict() {
    let t = samples_copy();
    let o = huizong(t.path(), &["run", "samples"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "", "run prints nothing on stdout");
    let e = stderr(&o);
    assert!(
        e.contains("应报 14 家") && e.contains("未报 1 家") && e.contains("辽源市交通运输局"),
        "{e}"
    );
    assert!(e.contains("错误 3 条"), "{e}");
    assert_eq!(
        huizong(t.path(), &["run", "samples", "--strict", "--quiet"])
            .status
            .code(),
        Some(1)
    );
    let o = huizong(t.path(), &["check", "samples"]);
    assert_eq!(o.status.code(), Some(1));
    // The list goes to standard output: `huizong check 报表 > 问题.txt` keeps it.
    let e = stdout(&o);
    assert!(
        e.contains("【通化市交通运输局】") && e.contains("F6"),
        "{e}"
    );
}

#[test]
fn check_json_is_one_object_per_line_with_every_field() {
    let t = samples_copy();
    let (code, f) = findings(t.path(), &["samples"]);
    assert_eq!(code, 1);
    assert!(!f.is_empty());
    for x in &f {
        for key in [
            "level", "code", "unit", "period", "file", "sheet", "cell", "message",
        ] {
            assert!(x.get(key).is_some(), "{key} in {x}");
        }
        assert!(["error", "warning", "info"].contains(&x["level"].as_str().unwrap()));
    }
    let late = f.iter().find(|x| x["code"] == "W-LATE").unwrap();
    assert_eq!(late["period"], "2020-06");
    assert_eq!(
        late["file"],
        "2020年6月/四平市交通运输局_2020年6月_月报.xlsx"
    );
    let missing = f.iter().find(|x| x["code"] == "W-MISSING-RETURN").unwrap();
    assert!(missing["file"].is_null() && missing["cell"].is_null());
}

#[test]
fn corrected_samples_check_clean() {
    let t = samples_copy();
    let june = t.path().join("samples/2020年6月");
    let may = t.path().join("samples/2020年5月");
    // 通化: the estimate becomes last month's figure plus this month's.
    let f = june.join("通化市交通运输局_2020年6月_月报.xlsx");
    let m = sheet(
        &may.join("通化市交通运输局_2020年5月_月报.xlsx"),
        "重点任务进展",
    );
    let this = sheet(&f, "重点任务进展");
    set_number(
        &f,
        "重点任务进展",
        "F6",
        num_at(&m, 5, 5).unwrap() + num_at(&this, 5, 4).unwrap(),
    );
    // 白城: the falling cumulative is set back to May's (nothing done in June).
    let f = june.join("白城市交通运输局_2020年6月_月报.xlsx");
    let m = sheet(
        &may.join("白城市交通运输局_2020年5月_月报.xlsx"),
        "重点任务进展",
    );
    set_number(&f, "重点任务进展", "F7", num_at(&m, 6, 5).unwrap());
    // 高速集团: the bank loan is what the total leaves.
    let f = june.join("省高速公路集团_2020年6月_月报.xlsx");
    let i = sheet(&f, "固定资产投资");
    let others: f64 = [6, 7, 8, 10]
        .iter()
        .map(|c| num_at(&i, 6, *c).unwrap())
        .sum();
    let loan = ((num_at(&i, 6, 5).unwrap() - others) * 100.0).round() / 100.0;
    set_number(&f, "固定资产投资", "J7", loan);
    let (code, f) = findings(t.path(), &["samples"]);
    let errors: Vec<_> = f.iter().filter(|x| x["level"] == "error").collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(code, 0);
}

#[test]
fn two_runs_write_identical_bytes() {
    let t = samples_copy();
    huizong(t.path(), &["run", "samples", "--quiet", "--out", "a"]);
    huizong(
        t.path(),
        &["run", "samples", "--quiet", "--out", "b", "--jobs", "1"],
    );
    let a = std::fs::read(t.path().join("a/2020年6月重点任务进展汇总.xlsx")).unwrap();
    let b = std::fs::read(t.path().join("b/2020年6月重点任务进展汇总.xlsx")).unwrap();
    assert!(a == b, "same input, same bytes");
}

#[test]
fn summary_sheets_in_contract_order() {
    let t = samples_copy();
    huizong(t.path(), &["run", "samples", "--quiet"]);
    let names = sheet_names(&t.path().join(SUMMARY));
    assert_eq!(
        names,
        vec![
            "总览",
            "任务进展",
            "分类汇总",
            "固定资产投资",
            "投资完成情况",
            "单位报送情况",
            "月度趋势",
            "存在问题汇总",
            "数据校验",
            "数据来源",
            "图表数据",
            "_huizong"
        ]
    );
    let roster = sheet(&t.path().join(SUMMARY), "单位报送情况");
    let rows: HashMap<String, (String, String)> = (3..17)
        .map(|r| {
            (
                text_at(&roster, r, 1),
                (text_at(&roster, r, 3), text_at(&roster, r, 6)),
            )
        })
        .collect();
    assert_eq!(rows["辽源市交通运输局"].0, "未报");
    assert_eq!(rows["四平市交通运输局"].1, "逾期");
    assert_eq!(rows["长春市交通运输局"].1, "按时");
    let v = sheet(&t.path().join(SUMMARY), "数据校验");
    let headers: Vec<String> = (0..7).map(|c| header_at(&v, 2, c)).collect();
    assert_eq!(
        headers,
        vec!["级别", "代码", "单位", "文件", "工作表", "单元格", "说明"]
    );
    // The summary in the folder is not read back as a return.
    std::fs::copy(t.path().join(SUMMARY), t.path().join("samples/旧汇总.xlsx")).unwrap();
    let (_, f) = findings(t.path(), &["samples"]);
    assert!(has(&f, "I-FILE-SKIPPED", "旧汇总.xlsx", None), "{f:#?}");
}

#[test]
fn bad_config_and_missing_task_list_exit_2_naming_the_problem() {
    let t = samples_copy();
    std::fs::write(
        t.path().join("samples/huizong.toml"),
        "deadline_day = 28\ndeadlin_day = 3\n",
    )
    .unwrap();
    let o = huizong(t.path(), &["run", "samples"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("deadlin_day") && e.contains("第 2 行"), "{e}");
    std::fs::remove_file(t.path().join("samples/huizong.toml")).unwrap();
    std::fs::remove_file(t.path().join("samples/任务清单.xlsx")).unwrap();
    std::fs::remove_dir_all(t.path().join("samples/2019年6月")).unwrap();
    let o = huizong(t.path(), &["check", "samples"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("任务清单"), "{}", stderr(&o));
    let o = huizong(t.path(), &["run", "不存在的文件夹"]);
    assert_eq!(o.status.code(), Some(2));
}

/// A `huizong.toml` holds only what the office changes: four lines (another deadline, one
/// unit's short name) over the embedded default, which keeps everything else.
#[test]
fn a_four_line_config_is_enough() {
    let t = samples_copy();
    std::fs::write(
        t.path().join("samples/huizong.toml"),
        "deadline_day = 20\n[[units]]\nname = \"长春市交通运输局\"\nshort = \"长春市局\"\n",
    )
    .unwrap();
    let o = huizong(t.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let roster = sheet(&t.path().join(SUMMARY), "单位报送情况");
    assert!(
        text_at(&roster, 1, 0).contains("2020-06-20"),
        "{}",
        text_at(&roster, 1, 0)
    );
    let tasks = sheet(&t.path().join(SUMMARY), "任务进展");
    let (h, _) = tasks.end().unwrap();
    let units: Vec<String> = (3..=h).map(|r| text_at(&tasks, r, 3)).collect();
    assert!(units.iter().any(|u| u == "长春市局"), "{units:?}");
    // The default's other short names stay.
    assert!(units.iter().any(|u| u == "吉林"), "{units:?}");
}

/// 单位报送情况 as a chase list: beside each unit's state, who to call and the number, from
/// its latest return (for a unit still missing, an earlier month's, said so).
#[test]
fn the_roster_names_who_to_call() {
    let t = samples_copy();
    let o = huizong(t.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let roster = sheet(&t.path().join(SUMMARY), "单位报送情况");
    let headers: Vec<String> = (0..12).map(|c| header_at(&roster, 2, c)).collect();
    assert_eq!(&headers[7..9], ["填报人", "联系电话"]);
    // The returns' own label cells: 填报人 in B3, 联系电话 in E3.
    let contact = |file: &str| {
        let p = sheet(&t.path().join("samples").join(file), "重点任务进展");
        (text_at(&p, 2, 1), text_at(&p, 2, 4))
    };
    let row = |unit: &str| (3..17).find(|r| text_at(&roster, *r, 1) == unit).unwrap();
    let cc = row("长春市交通运输局");
    let (who, tel) = contact("2020年6月/长春市交通运输局_2020年6月_月报.xlsx");
    assert!(!who.is_empty() && !tel.is_empty());
    assert_eq!(
        (text_at(&roster, cc, 7), text_at(&roster, cc, 8)),
        (who, tel)
    );
    let ly = row("辽源市交通运输局");
    assert_eq!(text_at(&roster, ly, 3), "未报");
    let (who, tel) = contact("2020年5月/辽源市交通运输局_2020年5月_月报.xlsx");
    assert_eq!(text_at(&roster, ly, 7), format!("{who}\n（5月报表）"));
    assert_eq!(text_at(&roster, ly, 8), tel);
}

/// The workers are started while the folder is searched, one per thread (`--jobs`). Those
/// the files do not need end with the run: no worker's file is left in the temporary
/// folder, and the month is read as ever.
#[cfg(unix)]
#[test]
fn workers_started_ahead_and_not_needed_leave_nothing_behind() {
    let t = tempfile::tempdir().unwrap();
    let month = t.path().join("month");
    let tmp = t.path().join("tmp");
    std::fs::create_dir(&month).unwrap();
    std::fs::create_dir(&tmp).unwrap();
    let samples = root().join("samples");
    std::fs::copy(samples.join("任务清单.xlsx"), month.join("任务清单.xlsx")).unwrap();
    let ret = "吉林市交通运输局_2020年6月_月报.xlsx";
    std::fs::copy(samples.join("2020年6月").join(ret), month.join(ret)).unwrap();
    // Two files, four threads: two of the four workers read nothing.
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_huizong"))
        .args(["run", "month", "--quiet", "--jobs", "4"])
        .env("TMPDIR", &tmp)
        .current_dir(t.path())
        .output()
        .unwrap();
    assert!(o.status.code().is_some_and(|c| c < 3), "{}", stderr(&o));
    let roster = sheet(&t.path().join(SUMMARY), "单位报送情况");
    let rows: Vec<String> = (0..roster.height() as u32)
        .map(|r| {
            (0..roster.width() as u32)
                .map(|c| text_at(&roster, r, c))
                .collect()
        })
        .collect();
    assert!(
        rows.iter()
            .any(|r| r.contains("吉林市交通运输局") && r.contains("已报")),
        "{rows:#?}"
    );
    let left: Vec<_> = std::fs::read_dir(&tmp)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}

/// Returns saved under names a program made (a hash, a code) are read by their labels, and
/// the name is no witness against them; a name that does hold a unit still is.
#[test]
fn a_made_up_file_name_names_no_unit() {
    let t = samples_copy();
    let june = t.path().join("samples/2020年6月");
    let renames = [
        ("长春市交通运输局_2020年6月_月报.xlsx", "51a11608.xlsx"),
        ("白山市交通运输局_2020年6月_月报.xlsx", "3f2019ab.xlsx"),
        (
            "松原市交通运输局_2020年6月_月报.xlsx",
            "Test_Issue_10725.xlsx",
        ),
        // The control: a unit's name before the year, not the unit of its labels.
        (
            "四平市交通运输局_2020年6月_月报.xlsx",
            "通化市交通运输局_2020年6月_月报(2).xlsx",
        ),
    ];
    for (from, to) in renames {
        std::fs::rename(june.join(from), june.join(to)).unwrap();
    }
    let (_, f) = findings(t.path(), &["samples", "--period", "2020-06"]);
    let identity = |file: &str| -> Vec<String> {
        f.iter()
            .filter(|x| x["code"] == "W-IDENTITY" && x["file"].as_str() == Some(file))
            .map(|x| x["message"].as_str().unwrap().to_string())
            .collect()
    };
    for (_, made_up) in &renames[..3] {
        let file = format!("2020年6月/{made_up}");
        assert_eq!(identity(&file), Vec::<String>::new(), "{file}");
    }
    let control = identity("2020年6月/通化市交通运输局_2020年6月_月报(2).xlsx");
    assert_eq!(control.len(), 1, "{f:#?}");
    assert!(control[0].contains("四平市交通运输局"), "{control:?}");
    assert!(control[0].contains("通化市交通运输局"), "{control:?}");
    // Each renamed return still counts for the unit its labels name.
    let o = huizong(
        t.path(),
        &["run", "samples", "--period", "2020-06", "--out", "output"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let r = sheet(&t.path().join(SUMMARY), "单位报送情况");
    for unit in [
        "长春市交通运输局",
        "白山市交通运输局",
        "松原市交通运输局",
        "四平市交通运输局",
    ] {
        let row = (0..r.height() as u32)
            .find(|&i| text_at(&r, i, 1) == unit)
            .unwrap_or_else(|| panic!("{unit} not on 单位报送情况"));
        assert_ne!(text_at(&r, row, 3), "未报", "{unit}");
    }
}
