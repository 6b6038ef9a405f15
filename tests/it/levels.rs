//! Reporting level by level: `tasks --from` the department's template, the city's month over
//! its counties, `run --report-to` the department's template, and the department reading
//! the city's filled return.

use std::path::{Path, PathBuf};

use crate::util::*;

const CITY: &str = "长春市交通运输局";
const COUNTIES: [&str; 3] = ["朝阳区交通运输局", "南关区交通运输局", "双阳区交通运输局"];

/// The department's template for the city, for June 2020 (the samples' month).
fn department_template(t: &Path) -> PathBuf {
    let o = huizong(
        t,
        &[
            "template",
            "--tasks",
            "samples/任务清单.xlsx",
            "--period",
            "2020-06",
            "--out",
            "省模板",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    t.join("省模板").join(format!("{CITY}_2020年6月_月报.xlsx"))
}

/// The city's task list from the department's template, its 责任单位 filled with the three
/// counties.
fn city_task_list(t: &Path, template: &Path) -> PathBuf {
    let o = huizong(
        t,
        &[
            "tasks",
            "--from",
            template.to_str().unwrap(),
            "--out",
            "长春",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let list = t.join("长春/任务清单.xlsx");
    let r = sheet(&list, "任务清单");
    let (h, _) = r.end().unwrap();
    for row in 2..=h {
        set_text(
            &list,
            "任务清单",
            &format!("H{}", row + 1),
            &COUNTIES.join("、"),
        );
    }
    list
}

/// Fills a county's template: 填报日期, and the progress row of `T05-01` and its
/// investment line.
fn fill_county(path: &Path, month: f64, ytd: f64, invest: (f64, f64)) {
    let p = "重点任务进展";
    set_text(path, p, "H2", "2020-06-25");
    set_text(path, p, "B3", "张三");
    set_number(path, p, "E6", month);
    set_number(path, p, "F6", ytd);
    set_text(path, p, "G6", "在建");
    set_text(path, p, "H6", "路基施工");
    let i = "固定资产投资";
    set_number(path, i, "E6", invest.0);
    set_number(path, i, "F6", invest.1);
}

/// 进度状态 of a task on a summary's 任务进展.
fn status_of(summary: &Path, id: &str) -> String {
    let r = sheet(summary, "任务进展");
    let (h, w) = r.end().unwrap();
    let status_col = (0..=w)
        .find(|c| (0..=h).any(|row| header_at(&r, row, *c) == "进度状态"))
        .expect("a 进度状态 column");
    (0..=h)
        .find(|row| text_at(&r, *row, 0) == id)
        .map(|row| text_at(&r, row, status_col))
        .unwrap_or_default()
}

#[test]
fn a_citys_month_over_its_counties_goes_up_and_is_read_as_its_return() {
    let t = samples_copy();
    let root = t.path();
    let template = department_template(root);
    let list = city_task_list(root, &template);

    // The city's own list: the department's ids and names, the city's own target where the
    // department set one, the shared target said in words where it set none.
    let r = sheet(&list, "任务清单");
    let ids: Vec<String> = (2..=r.end().unwrap().0)
        .map(|row| text_at(&r, row, 0))
        .collect();
    assert_eq!(ids, ["T05-01", "T05-09", "T09-01"]);
    assert_close(
        num_at(&r, 2, 5),
        Some(15.0),
        "T05-01 年度目标 (the city's own)",
    );
    assert_eq!(
        num_at(&r, 3, 5),
        None,
        "T05-09 has no target of the city's own"
    );
    assert!(
        text_at(&r, 3, 3).contains("总目标 250公里"),
        "{}",
        text_at(&r, 3, 3)
    );
    assert_eq!(text_at(&r, 2, 9), "2020年11月底");
    // Run again: the list the city filled is not overwritten.
    let o = huizong(
        root,
        &[
            "tasks",
            "--from",
            template.to_str().unwrap(),
            "--out",
            "长春",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("已存在，未覆盖"), "{}", stderr(&o));
    assert!(text_at(&sheet(&list, "任务清单"), 2, 7).contains("朝阳区"));

    // The counties' templates, two of them filled: 朝阳 accepted, 南关 with 本月 above its
    // 累计 (disputed); 双阳 sends nothing.
    let o = huizong(
        root,
        &[
            "template",
            "--tasks",
            "长春/任务清单.xlsx",
            "--period",
            "2020-06",
            "--out",
            "长春/6月",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let county = |u: &str| root.join(format!("长春/6月/{u}_2020年6月_月报.xlsx"));
    fill_county(&county(COUNTIES[0]), 2.0, 8.0, (100.0, 400.0));
    fill_county(&county(COUNTIES[1]), 6.0, 5.0, (50.0, 250.0));
    std::fs::remove_file(county(COUNTIES[2])).unwrap();
    std::fs::copy(&list, root.join("长春/6月/任务清单.xlsx")).unwrap();
    // The department's template lies in the month's folder too: it is no county's return.
    std::fs::copy(&template, root.join("长春/6月/省厅模板.xlsx")).unwrap();

    let o = huizong(
        root,
        &[
            "run",
            "长春/6月",
            "--out",
            "长春/输出",
            "--report-to",
            "长春/6月/省厅模板.xlsx",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let up = root.join(format!("长春/输出/上报/{CITY}_2020年6月_月报.xlsx"));
    assert!(up.is_file(), "{}", stderr(&o));
    assert!(stderr(&o).contains("报上级的月报"), "{}", stderr(&o));
    let city_summary = root.join("长春/输出/2020年6月重点任务进展汇总.xlsx");
    let roster = sheet(&city_summary, "单位报送情况");
    let listed: String = (0..=roster.end().unwrap().0)
        .map(|r| text_at(&roster, r, 1))
        .collect();
    assert!(
        !listed.contains(CITY),
        "the template is nobody's return here"
    );
    assert_eq!(
        status_of(&city_summary, "T05-01"),
        "数据待核",
        "at the city"
    );

    // The filled return: the department's layout and ids, the counties' sums (the disputed
    // part in the figure, the missing one not invented), marked and noted.
    let p = sheet(&up, "重点任务进展");
    assert_eq!(text_at(&p, 5, 0), "T05-01");
    assert_close(num_at(&p, 5, 4), Some(8.0), "本月 = 2 + 6");
    assert_close(num_at(&p, 5, 5), Some(13.0), "累计 = 8 + 5");
    assert_eq!(text_at(&p, 5, 6), "在建");
    assert!(text_at(&p, 5, 7).contains("【朝阳区") || text_at(&p, 5, 7).contains("朝阳"));
    let note = note_of(&up, "重点任务进展", "F6").expect("a note on 累计");
    assert!(note.contains("待核") && note.contains("双阳"), "{note}");
    assert!(!fill_of(&up, "重点任务进展", "F6").is_empty());
    let inv = sheet(&up, "固定资产投资");
    assert_close(num_at(&inv, 5, 5), Some(650.0), "投资累计 = 400 + 250");
    // 下级明细: every county's part with its state and cell, and the coverage.
    let d = sheet(&up, "下级明细");
    assert!(
        text_at(&d, 1, 0).starts_with("下级已报 2/3"),
        "{}",
        text_at(&d, 1, 0)
    );
    let rows: Vec<(String, String, String, String, String)> = (3..=d.end().unwrap().0)
        .map(|r| {
            (
                text_at(&d, r, 0),
                text_at(&d, r, 2),
                text_at(&d, r, 3),
                text_at(&d, r, 5),
                text_at(&d, r, 8),
            )
        })
        .collect();
    let state = |unit: &str, field: &str| {
        rows.iter()
            .find(|x| x.0 == "T05-01" && x.1 == field && x.2 == unit)
            .map(|x| (x.3.clone(), x.4.clone()))
    };
    assert_eq!(
        state(COUNTIES[0], "自年初累计完成"),
        Some(("已采用".into(), "F6".into()))
    );
    assert_eq!(state(COUNTIES[1], "自年初累计完成").unwrap().0, "待核");
    assert_eq!(
        state(COUNTIES[2], "自年初累计完成"),
        Some(("未报".into(), String::new()))
    );
    let meta = sheet(&up, "_huizong");
    let dept_meta = sheet(&template, "_huizong");
    let key = |m: &calamine::Range<calamine::Data>, k: &str| {
        (0..=m.end().unwrap().0)
            .find(|r| text_at(m, *r, 0) == k)
            .map(|r| text_at(m, r, 1))
    };
    assert_eq!(
        key(&meta, "tasklist_fingerprint"),
        key(&dept_meta, "tasklist_fingerprint")
    );
    assert!(key(&meta, "part").is_some_and(|v| v.contains("T05-01")));

    // The department: the city's filled return replaces its sample return; its figures are
    // the counties' sums, and the parts that were not facts below are disputed here.
    let june = root.join("samples/2020年6月");
    for e in std::fs::read_dir(&june).unwrap() {
        let e = e.unwrap();
        if e.file_name().to_string_lossy().starts_with(CITY) {
            std::fs::remove_file(e.path()).unwrap();
        }
    }
    std::fs::copy(&up, june.join(format!("{CITY}_2020年6月_月报.xlsx"))).unwrap();
    // 朝阳 also sends its own return to the department, with another 累计 than it gave the
    // city: counted once (the city's figure), said with both figures.
    let direct = june.join(format!("{}_2020年6月_月报.xlsx", COUNTIES[0]));
    std::fs::copy(county(COUNTIES[0]), &direct).unwrap();
    set_number(&direct, "重点任务进展", "F6", 9.0);
    let (_, f) = findings(root, &["samples"]);
    assert!(has(&f, "E-LOWER-DISPUTED", CITY, Some("F6")), "{f:#?}");
    assert!(
        !f.iter()
            .any(|x| x["code"] == "E-TASK-UNKNOWN" && x["unit"] == CITY)
    );
    assert!(
        !f.iter()
            .any(|x| x["code"] == "W-IDENTITY" && x["unit"] == CITY)
    );
    // Its 下级明细 adds up to every figure it holds.
    assert!(!f.iter().any(|x| x["code"] == "E-LOWER-DETAIL"), "{f:#?}");
    let twice: Vec<&serde_json::Value> =
        f.iter().filter(|x| x["code"] == "W-LOWER-DIRECT").collect();
    assert_eq!(twice.len(), 1, "{f:#?}");
    let said = twice[0]["message"].as_str().unwrap();
    assert!(
        said.contains(CITY) && said.contains("本文件 9，下级明细 8"),
        "{said}"
    );
    assert!(!f.iter().any(|x| x["code"] == "W-UNIT-NOT-DUE"), "{f:#?}");
    let o = huizong(root, &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let summary = root.join("output/2020年6月重点任务进展汇总.xlsx");
    let src = sheet(&summary, "数据来源");
    let (h, w) = src.end().unwrap();
    let lines: Vec<Vec<String>> = (0..=h)
        .map(|r| (0..=w).map(|c| text_at(&src, r, c)).collect())
        .filter(|l: &Vec<String>| l.iter().any(|x| x.contains("长春")))
        .collect();
    let found = lines
        .iter()
        .any(|l| l.iter().any(|x| x == "T05-01") && l.iter().any(|x| x == "13"));
    assert!(found, "数据来源 names the city's 13: {lines:#?}");
    // Beneath the city's figure, each county's part, read from its 下级明细.
    let county_part = lines.iter().any(|l| {
        l.iter().any(|x| x.contains("朝阳区"))
            && l.iter().any(|x| x == "8")
            && l.iter().any(|x| x.contains("下级构成：已采用"))
    });
    assert!(county_part, "数据来源 reaches the county cell: {lines:#?}");
    let roster = sheet(&summary, "单位报送情况");
    let city_state = (0..=roster.end().unwrap().0)
        .find(|r| text_at(&roster, *r, 1) == CITY)
        .map(|r| text_at(&roster, r, 3));
    assert_eq!(city_state.as_deref(), Some("已报\n下级已报 2/3"));
    assert_eq!(
        status_of(&summary, "T05-01"),
        "数据待核",
        "at the department"
    );

    // The city's return changed by hand after filling: a figure typed over, a detail row's
    // unit wiped. Each is an error on its cell; the rest of the month goes through.
    let city_file = june.join(format!("{CITY}_2020年6月_月报.xlsx"));
    set_number(&city_file, "重点任务进展", "F6", 20.0);
    set_text(&city_file, "下级明细", "D4", "");
    set_text(&city_file, "下级明细", "D5", "吉林市交通运输局");
    let (_, f) = findings(root, &["samples"]);
    assert!(has(&f, "E-LOWER-DETAIL", CITY, Some("F6")), "{f:#?}");
    assert!(
        f.iter().any(|x| x["code"] == "E-LOWER-DETAIL"
            && x["sheet"] == "下级明细"
            && x["cell"] == "A4"),
        "{f:#?}"
    );
    // A detail row naming a unit of the department's own: an error on the figure it enters.
    assert!(
        f.iter().any(|x| x["code"] == "E-LOWER-DETAIL"
            && x["cell"] == "E6"
            && x["message"]
                .as_str()
                .is_some_and(|m| m.contains("吉林市交通运输局") && m.contains("应报单位"))),
        "{f:#?}"
    );
    assert!(
        f.iter()
            .any(|x| x["level"] == "error" && x["unit"].as_str().is_some_and(|u| u != CITY)),
        "the other units' findings are still there"
    );

    // 下级明细 renamed: known by its header, still checked, never read as a progress table.
    let bytes = edit_part(&std::fs::read(&up).unwrap(), "xl/workbook.xml", |x| {
        String::from_utf8(x.to_vec())
            .unwrap()
            .replace("name=\"下级明细\"", "name=\"明细\"")
            .into_bytes()
    });
    std::fs::write(&city_file, bytes).unwrap();
    let (_, f) = findings(root, &["samples"]);
    let city: Vec<&serde_json::Value> = f.iter().filter(|x| x["unit"] == CITY).collect();
    assert!(
        !city
            .iter()
            .any(|x| x["code"] == "E-LOWER-DETAIL" || x["code"] == "E-TASK-DUP-ROW"),
        "{city:#?}"
    );
    // 下级明细 deleted: the figures can no longer be checked, and that is said.
    let bytes = edit_part(&std::fs::read(&up).unwrap(), "xl/workbook.xml", |x| {
        let x = String::from_utf8(x.to_vec()).unwrap();
        let at = x.find("<sheet name=\"下级明细\"").expect("the sheet");
        let end = at + x[at..].find("/>").unwrap() + 2;
        format!("{}{}", &x[..at], &x[end..]).into_bytes()
    });
    std::fs::write(&city_file, bytes).unwrap();
    let (_, f) = findings(root, &["samples"]);
    assert!(
        f.iter().any(|x| x["code"] == "E-LOWER-DETAIL"
            && x["message"]
                .as_str()
                .is_some_and(|m| m.contains("已被删除或改名"))),
        "{f:#?}"
    );
    assert!(has(&f, "E-LOWER-DISPUTED", CITY, Some("F6")), "{f:#?}");
}

#[test]
fn a_template_without_the_units_tasks_is_refused_with_what_to_ask_for() {
    let t = samples_copy();
    let root = t.path();
    let template = department_template(root);
    // As an older huizong wrote it: `_huizong` holds identity only, no task rows.
    let old = root.join("旧模板.xlsx");
    let part = sheet_part(&template, "_huizong");
    let bytes = edit_part(&std::fs::read(&template).unwrap(), &part, |data| {
        let xml = String::from_utf8(data.to_vec()).unwrap();
        let from = xml.find("<row r=\"5\"").expect("task rows from row 5");
        let to = xml.rfind("</row>").unwrap() + "</row>".len();
        format!("{}{}", &xml[..from], &xml[to..]).into_bytes()
    });
    std::fs::write(&old, bytes).unwrap();
    let o = huizong(root, &["tasks", "--from", "旧模板.xlsx"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("旧版 huizong"), "{}", stderr(&o));
    assert!(!root.join("任务清单.xlsx").exists());
    // The same template as the department made it is taken.
    let o = huizong(root, &["tasks", "--from", template.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(root.join("任务清单.xlsx").is_file());
    // A task list is no template at all; nor is a template for another month than the run.
    let o = huizong(
        root,
        &["tasks", "--from", "samples/任务清单.xlsx", "--out", "x"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("不是 huizong 生成的月报模板"),
        "{}",
        stderr(&o)
    );
    let o = huizong(
        root,
        &[
            "run",
            "samples",
            "--quiet",
            "--period",
            "2020-05",
            "--report-to",
            template.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("模板是2020年6月的"), "{}", stderr(&o));
    // Another unit's template for the month: none of its tasks is in this list.
    std::fs::create_dir_all(root.join("本级")).unwrap();
    let jilin = root.join("省模板/吉林市交通运输局_2020年6月_月报.xlsx");
    let list = root.join("任务清单.xlsx");
    let o = huizong(
        root,
        &[
            "run",
            "本级",
            "--tasks",
            list.to_str().unwrap(),
            "--period",
            "2020-06",
            "--report-to",
            jilin.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("拿错了单位的模板"), "{}", stderr(&o));
}
