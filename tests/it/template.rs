//! `huizong template`: prefilled returns and the committed blank templates.

use std::collections::HashMap;

use crate::util::*;

/// The task list's rows as the test reads them.
/// id, name, measure, target, units, plan.
type TaskRow = (String, String, String, Option<f64>, String, Option<f64>);

fn task_list() -> Vec<TaskRow> {
    let r = sheet(&root().join("samples/任务清单.xlsx"), "任务清单");
    let (h, _) = r.end().unwrap();
    (2..=h)
        .map(|row| {
            (
                text_at(&r, row, 0),
                text_at(&r, row, 2),
                text_at(&r, row, 4),
                num_at(&r, row, 5),
                text_at(&r, row, 7),
                num_at(&r, row, 6),
            )
        })
        .filter(|t| !t.0.is_empty())
        .collect()
}

#[test]
fn template_round_trip_prefills_each_units_tasks() {
    let t = tempfile::tempdir().unwrap();
    let tasks = root().join("samples/任务清单.xlsx");
    let o = huizong(
        t.path(),
        &[
            "template",
            "--tasks",
            tasks.to_str().unwrap(),
            "--period",
            "2020-07",
            "--out",
            "模板",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let list = task_list();
    let mut units: Vec<String> = Vec::new();
    for (.., u, _) in &list {
        for x in u.split('、') {
            if !units.contains(&x.to_string()) {
                units.push(x.to_string());
            }
        }
    }
    let files: Vec<String> = std::fs::read_dir(t.path().join("模板"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(files.len(), units.len(), "{files:?}");

    let unit = "白城市交通运输局";
    let path = t.path().join(format!("模板/{unit}_2020年7月_月报.xlsx"));
    assert_eq!(
        sheet_names(&path),
        vec!["填报说明", "重点任务进展", "固定资产投资", "_huizong"]
    );

    let p = sheet(&path, "重点任务进展");
    let headers: Vec<String> = (0..10).map(|c| header_at(&p, 4, c)).collect();
    assert_eq!(headers, PROGRESS_HEADERS);
    assert_eq!(text_at(&p, 1, 0), "填报单位：");
    assert_eq!(text_at(&p, 1, 1), unit);
    assert_eq!(text_at(&p, 1, 3), "报送月份：");
    assert_eq!(text_at(&p, 1, 4), "2020年7月");
    let mine: Vec<_> = list
        .iter()
        .filter(|t| t.4.split('、').any(|u| u == unit))
        .collect();
    for (i, (id, name, measure, target, units, _)) in mine.iter().enumerate() {
        let row = 5 + i as u32;
        assert_eq!(&text_at(&p, row, 0), id, "A{}", row + 1);
        assert_eq!(&text_at(&p, row, 1), name, "B{}", row + 1);
        assert_eq!(&text_at(&p, row, 2), measure, "C{}", row + 1);
        // A task shared by several units says its target is the whole one.
        let n = units.split('、').count();
        match target {
            Some(v) if n > 1 => assert_eq!(
                text_at(&p, row, 3),
                format!("总目标 {v}，共 {n} 个责任单位"),
                "D{}",
                row + 1
            ),
            _ => assert_eq!(num_at(&p, row, 3), *target, "D{}", row + 1),
        }
    }
    assert_eq!(text_at(&p, 5 + mine.len() as u32, 0), "", "no extra rows");

    let inv = sheet(&path, "固定资产投资");
    let headers: Vec<String> = (0..13).map(|c| header_at(&inv, 4, c)).collect();
    assert_eq!(headers[3], "本年计划投资（万元）");
    assert_eq!(headers[6], "其中：中央车购税");
    let with_plan: Vec<_> = mine.iter().filter(|t| t.5.is_some()).collect();
    for (i, t) in with_plan.iter().enumerate() {
        let row = 5 + i as u32;
        let n = t.4.split('、').count();
        assert_eq!(text_at(&inv, row, 0), t.0);
        // The unit's own plan; a shared one the list does not break down stays blank,
        // never an equal split.
        let own = if n == 1 { t.5 } else { None };
        assert_close(num_at(&inv, row, 3), own, "own plan");
        if n > 1 {
            let at = format!("D{}", row + 1);
            let note = note_of(&path, "固定资产投资", &at).unwrap_or_default();
            assert!(note.contains("共同项目未分解"), "{at}: {note}");
        }
    }

    let meta = sheet(&path, "_huizong");
    let kv: HashMap<String, String> = (0..4)
        .map(|r| (text_at(&meta, r, 0), text_at(&meta, r, 1)))
        .collect();
    assert_eq!(kv["unit"], unit);
    assert_eq!(kv["period"], "2020-07");
    assert_eq!(kv["template_version"], "1");
    assert_eq!(kv["tasklist_fingerprint"].len(), 16);

    // The XML: hidden identity sheet, protection, locked and unlocked cells, validations,
    // print setup.
    let wbx = zip_text(&path, "xl/workbook.xml");
    let meta_tag = &wbx[wbx.find("name=\"_huizong\"").unwrap()..];
    // Very hidden: Excel's 取消隐藏 does not offer it.
    assert!(meta_tag[..meta_tag.find("/>").unwrap()].contains("state=\"veryHidden\""));
    assert!(wbx.contains("_xlnm.Print_Titles"), "repeated header rows");
    let x = sheet_xml(&path, "重点任务进展");
    assert!(x.contains("<sheetProtection"), "sheet protected");
    assert!(!x.contains("password="), "no password");
    assert!(x.contains("orientation=\"landscape\"") && x.contains("paperSize=\"9\""));
    assert!(x.contains("fitToWidth=\"1\"") || x.contains("fitToPage=\"1\""));
    assert!(x.contains("type=\"list\"") && x.contains("未启动,前期工作,在建,持续推进,已完成"));
    assert!(x.contains("type=\"decimal\"") && x.contains("operator=\"greaterThanOrEqual\""));
    let styles = zip_text(&path, "xl/styles.xml");
    let xfs = &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap()];
    let xf: Vec<&str> = xfs.split("<xf ").skip(1).collect();
    let locked = |cell: &str| {
        let c = cell_xml(&x, cell).unwrap();
        let s: usize = attr(&c, "s").unwrap().parse().unwrap();
        !xf[s].contains("locked=\"0\"")
    };
    assert!(
        locked("A6") && locked("B6") && locked("D6"),
        "prefilled cells locked"
    );
    assert!(
        !locked("E6") && !locked("F6") && !locked("G6") && !locked("J6"),
        "input cells unlocked"
    );
    assert!(!locked("H2") && !locked("B3"), "date and reporter unlocked");
    let ix = sheet_xml(&path, "固定资产投资");
    assert!(ix.contains("续建") && ix.contains("type=\"list\""));

    // Every locked cell is grey, every input cell white, and the two stand apart: relative
    // luminance at least 0.10 apart (F2F2F2 against white was 0.11, barely seen on paper).
    let luminance = |hex: &str| {
        let v = u32::from_str_radix(if hex.is_empty() { "FFFFFF" } else { hex }, 16).unwrap();
        let ch = |s: u32| {
            let c = ((v >> s) & 0xFF) as f64 / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * ch(16) + 0.7152 * ch(8) + 0.0722 * ch(0)
    };
    for cell in ["A6", "B6", "C6", "D6", "B2", "E2"] {
        assert!(locked(cell), "{cell} locked");
        let fill = fill_of(&path, "重点任务进展", cell);
        assert!(
            1.0 - luminance(&fill) >= 0.25,
            "{cell}: locked and grey, not {fill:?}"
        );
    }
    for cell in ["E6", "F6", "H2", "B3"] {
        assert_eq!(
            fill_of(&path, "重点任务进展", cell),
            "",
            "{cell}: input, white"
        );
    }
    let (grey, white) = (luminance(&fill_of(&path, "重点任务进展", "A6")), 1.0);
    assert!(white - grey >= 0.10, "{grey}");
    // A qualitative task (no 计量单位) reports no figure: its number cells are locked.
    let qualitative = mine
        .iter()
        .position(|t| t.2.is_empty())
        .expect("a qualitative task");
    let row = 6 + qualitative as u32;
    for c in ["E", "F"] {
        let cell = format!("{c}{row}");
        assert!(locked(&cell), "{cell} of a qualitative task");
    }
    // One wording: a blank is a finding, no figure this month is 0.
    assert!(x.contains("本月没有完成量请填 0") && !x.contains("请留空"));
    let guide = sheet(&path, "填报说明");
    let (h, _) = guide.end().unwrap();
    let text: String = (0..=h).map(|r| text_at(&guide, r, 0)).collect();
    assert!(
        text.contains("本月没有完成量请填 0") && text.contains("灰色") && text.contains("白色")
    );
}

#[test]
fn committed_blank_templates_are_what_the_command_writes_today() {
    let t = tempfile::tempdir().unwrap();
    let o = huizong(t.path(), &["template", "--blank", "--out", "fresh"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for name in ["任务清单模板.xlsx", "月报模板.xlsx"] {
        let fresh = std::fs::read(t.path().join("fresh").join(name)).unwrap();
        let committed = std::fs::read(root().join("templates").join(name)).unwrap();
        assert!(
            fresh == committed,
            "templates/{name} differs from `huizong template --blank`: run it and commit the result"
        );
    }
    let tl = sheet(&root().join("templates/任务清单模板.xlsx"), "任务清单");
    let headers: Vec<String> = (0..10).map(|c| header_at(&tl, 1, c)).collect();
    assert_eq!(
        headers,
        vec![
            "任务编号",
            "任务类别",
            "任务名称",
            "建设内容及目标",
            "计量单位",
            "年度目标",
            "年度计划投资（万元）",
            "责任单位",
            "配合单位",
            "完成时限"
        ]
    );
    assert_eq!(text_at(&tl, 2, 0), "T01-01", "example row");
}

#[test]
fn template_without_period_or_task_list_exits_2_with_a_chinese_message() {
    let t = tempfile::tempdir().unwrap();
    let o = huizong(t.path(), &["template", "--period", "2020-07"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("任务清单"), "{}", stderr(&o));
    let o = huizong(
        t.path(),
        &["template", "--period", "2020-13", "--tasks", "x.xlsx"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("2020-13"), "{}", stderr(&o));
}

/// `template --history`: a locked 上月累计 column with each task's last accepted
/// year-to-date; the reader knows it, checks 本月 against it when last month's return is not
/// in the folder, and says so when it disagrees with the accepted figure that is.
#[test]
fn a_template_with_history_carries_last_months_accepted_figures() {
    let t = samples_copy();
    let tasks = t.path().join("samples/任务清单.xlsx");
    let o = huizong(
        t.path(),
        &[
            "template",
            "--tasks",
            tasks.to_str().unwrap(),
            "--period",
            "2020-07",
            "--history",
            "samples",
            "--out",
            "模板",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let path = t.path().join("模板/通化市交通运输局_2020年7月_月报.xlsx");
    let p = sheet(&path, "重点任务进展");
    assert_eq!(header_at(&p, 4, 4), "上月累计");
    assert_eq!(header_at(&p, 4, 5), "本月完成");
    // The last accepted figures: June's, except where June's was rejected (通化's T05-03
    // “约12公里”), then May's.
    let jun = sheet(
        &t.path()
            .join("samples/2020年6月/通化市交通运输局_2020年6月_月报.xlsx"),
        "重点任务进展",
    );
    let may = sheet(
        &t.path()
            .join("samples/2020年5月/通化市交通运输局_2020年5月_月报.xlsx"),
        "重点任务进展",
    );
    let row_of = |r: &calamine::Range<calamine::Data>, id: &str| {
        (5..=r.end().unwrap().0)
            .find(|&x| text_at(r, x, 0) == id)
            .unwrap()
    };
    assert_eq!(text_at(&jun, row_of(&jun, "T05-03"), 5), "约12公里");
    let t0503 = row_of(&p, "T05-03");
    assert_eq!(
        num_at(&p, t0503, 4),
        num_at(&may, row_of(&may, "T05-03"), 5)
    );
    let t0508 = row_of(&p, "T05-08");
    let june_0508 = num_at(&jun, row_of(&jun, "T05-08"), 5).unwrap();
    assert_eq!(num_at(&p, t0508, 4), Some(june_0508));
    let fill = fill_of(&path, "重点任务进展", &format!("E{}", t0508 + 1));
    assert_eq!(fill, "D9D9D9", "上月累计 is prefilled: locked, grey");

    // The unit fills July: T05-03 inconsistent with its 上月累计, T05-08 consistent.
    let prev_0503 = num_at(&p, t0503, 4).unwrap();
    set_number(&path, "重点任务进展", &format!("F{}", t0503 + 1), 1.0);
    set_number(
        &path,
        "重点任务进展",
        &format!("G{}", t0503 + 1),
        prev_0503 + 5.0,
    );
    set_number(&path, "重点任务进展", &format!("F{}", t0508 + 1), 1.0);
    set_number(
        &path,
        "重点任务进展",
        &format!("G{}", t0508 + 1),
        june_0508 + 1.0,
    );

    // Alone with the task list (no June in the folder): 上月累计 is the baseline.
    let alone = t.path().join("七月");
    std::fs::create_dir_all(&alone).unwrap();
    std::fs::copy(&tasks, alone.join("任务清单.xlsx")).unwrap();
    std::fs::copy(&path, alone.join("通化市交通运输局_2020年7月_月报.xlsx")).unwrap();
    let (_, f) = findings(t.path(), &["七月"]);
    let mine: Vec<&serde_json::Value> = f
        .iter()
        .filter(|x| x["unit"] == "通化市交通运输局")
        .collect();
    let at = |code: &str| -> Vec<String> {
        mine.iter()
            .filter(|x| x["code"] == code)
            .map(|x| x["cell"].as_str().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(
        at("E-MONTH-MISMATCH"),
        vec![format!("F{}", t0503 + 1)],
        "{mine:#?}"
    );
    assert!(
        at("I-EXTRA-COLUMN").is_empty() && at("I-NO-HISTORY").is_empty(),
        "{mine:#?}"
    );
    // The correction keeps the template's 上月累计 column: the cell its 问题清单 names and
    // marks is the one `check` names, and the figure that explains the error is still there.
    let o = huizong(t.path(), &["run", "七月", "--out", "七月输出", "--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let back = t
        .path()
        .join("七月输出/退回修改/通化市交通运输局_2020年7月_退回修改.xlsx");
    let list = sheet(&back, "问题清单");
    let (h, _) = list.end().unwrap();
    let line = (3..=h)
        .find(|r| text_at(&list, *r, 2) == "E-MONTH-MISMATCH")
        .unwrap_or_else(|| panic!("no E-MONTH-MISMATCH in 问题清单"));
    let cell = format!("F{}", t0503 + 1);
    assert_eq!(text_at(&list, line, 4), cell);
    let remade = sheet(&back, "重点任务进展");
    assert_eq!(header_at(&remade, 4, 4), "上月累计");
    assert_eq!(num_at(&remade, t0503, 4), Some(prev_0503));
    assert_eq!(
        num_at(&remade, t0503, 5),
        Some(1.0),
        "本月 where the unit typed it"
    );
    assert!(
        note_of(&back, "重点任务进展", &cell).is_some_and(|n| n.contains("上月")),
        "the marked cell is the one named"
    );

    // Beside the earlier months, a 上月累计 that is not the accepted June figure is said.
    set_number(
        &path,
        "重点任务进展",
        &format!("E{}", t0508 + 1),
        june_0508 - 2.0,
    );
    std::fs::create_dir_all(t.path().join("samples/2020年7月")).unwrap();
    std::fs::copy(
        &path,
        t.path()
            .join("samples/2020年7月/通化市交通运输局_2020年7月_月报.xlsx"),
    )
    .unwrap();
    let (_, f) = findings(t.path(), &["samples", "--period", "2020-07"]);
    assert!(
        has(
            &f,
            "W-PREV-YTD",
            "通化市交通运输局_2020年7月",
            Some(&format!("E{}", t0508 + 1))
        ),
        "{:#?}",
        f.iter()
            .filter(|x| x["unit"] == "通化市交通运输局")
            .collect::<Vec<_>>()
    );
}

/// 填报说明's rows are as tall as their wrapped text: the longest items (二, 三) run to three
/// printed lines at 11 pt in the sheet's width and kept only two at a fixed 36 pt.
#[test]
fn the_guides_rows_hold_their_whole_text() {
    let t = samples_copy();
    let tasks = t.path().join("samples/任务清单.xlsx");
    let o = huizong(
        t.path(),
        &[
            "template",
            "--tasks",
            tasks.to_str().unwrap(),
            "--period",
            "2020-07",
            "--out",
            "模板",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let path = t.path().join("模板/省公路管理局_2020年7月_月报.xlsx");
    let xml = sheet_xml(&path, "填报说明");
    let guide = sheet(&path, "填报说明");
    let height = |r: u32| -> f64 {
        let tag = format!("<row r=\"{}\"", r + 1);
        let at = xml.find(&tag).unwrap_or_else(|| panic!("row {}", r + 1));
        attr(&xml[at..at + xml[at..].find('>').unwrap()], "ht")
            .unwrap()
            .parse()
            .unwrap()
    };
    let (h, _) = guide.end().unwrap();
    let items: Vec<(String, f64)> = (2..=h)
        .map(|r| (text_at(&guide, r, 0), height(r)))
        .filter(|(t, _)| !t.is_empty())
        .collect();
    let longest = items.iter().max_by_key(|(t, _)| t.chars().count()).unwrap();
    assert!(
        longest.0.starts_with("三、") || longest.0.starts_with("二、"),
        "{longest:?}"
    );
    // Three lines of 11-point text need about 48 points.
    assert!(longest.1 >= 47.0, "{longest:?}");
    let first = &items[0];
    assert!(first.1 < longest.1, "{first:?} against {longest:?}");
}
