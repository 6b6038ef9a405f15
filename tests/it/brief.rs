//! The month's briefing (通报, DESIGN §2.6): the draft read back from its XML and held
//! against the summary's cells: every figure of 一、 and 三、 is the summary's, ranks and
//! bands follow the rates, the units named as not reported are the roster's.

use std::path::Path;

use crate::util::*;

const BRIEF: &str = "output/2020年6月重点任务进展情况通报（草稿）.docx";
const SUMMARY: &str = "output/2020年6月重点任务进展汇总.xlsx";

/// The text of each `<w:t>` run inside `xml`, joined.
fn runs(xml: &str) -> String {
    let mut out = String::new();
    for piece in xml.split("<w:t").skip(1) {
        let Some(start) = piece.find('>') else {
            continue;
        };
        if piece[..start].ends_with('/') {
            continue;
        }
        let body = &piece[start + 1..];
        if let Some(end) = body.find("</w:t>") {
            out.push_str(&body[..end]);
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
}

/// The document's paragraphs outside tables, and its tables (rows of cells).
fn read_brief(path: &Path) -> (Vec<String>, Vec<Vec<Vec<String>>>) {
    let xml = zip_text(path, "word/document.xml");
    let mut paragraphs = Vec::new();
    let mut rows = Vec::new();
    let mut rest = xml.as_str();
    while !rest.is_empty() {
        let tbl = rest.find("<w:tbl>");
        let (before, after) = match tbl {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, ""),
        };
        for p in before.split("</w:p>") {
            let t = runs(p);
            if !t.is_empty() {
                paragraphs.push(t);
            }
        }
        if after.is_empty() {
            break;
        }
        let end = after.find("</w:tbl>").expect("a table ends") + "</w:tbl>".len();
        let mut table = Vec::new();
        for tr in after[..end].split("</w:tr>") {
            let cells: Vec<String> = tr.split("</w:tc>").map(runs).collect();
            if cells.len() > 1 {
                table.push(cells[..cells.len() - 1].to_vec());
            }
        }
        rows.push(table);
        rest = &after[end..];
    }
    (paragraphs, rows)
}

/// An amount as `#,##0.00` shows it.
fn money(v: f64) -> String {
    let s = format!("{:.2}", (v * 100.0).round() / 100.0);
    let (int, dec) = s.split_once('.').unwrap();
    let mut g = String::new();
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            g.push(',');
        }
        g.push(c);
    }
    format!("{g}.{dec}")
}

#[test]
fn the_briefing_quotes_the_summary() {
    let t = samples_copy();
    let o = huizong(t.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let brief = t.path().join(BRIEF);
    assert!(brief.is_file(), "the draft is written beside the summary");
    let (paragraphs, tables) = read_brief(&brief);
    let rows: Vec<Vec<String>> = tables.iter().flatten().cloned().collect();
    let text = paragraphs.join("\n");
    let summary = t.path().join(SUMMARY);

    // 一、: the investment headline is 投资完成情况's 合计, as it shows it.
    let st = sheet(&summary, "投资完成情况");
    let (h, _) = st.end().unwrap();
    let total = (0..=h).find(|r| text_at(&st, *r, 0) == "合计").unwrap();
    let ytd = num_at(&st, total, 4).unwrap();
    let rate = num_at(&st, total, 5).unwrap();
    let month = num_at(&st, total, 2).unwrap();
    assert!(
        text.contains(&format!(
            "1-6月累计完成{}万元，占年计划的{:.2}%",
            money(ytd),
            rate
        )),
        "headline year-to-date in:\n{text}"
    );
    assert!(
        text.contains(&format!("6月份完成{}万元", money(month))),
        "headline month"
    );

    // 一、: the units not reported are exactly the roster's.
    let roster = sheet(&summary, "单位报送情况");
    let (rh, _) = roster.end().unwrap();
    let missing: Vec<String> = (0..=rh)
        .filter(|r| text_at(&roster, *r, 3) == "未报")
        .map(|r| text_at(&roster, r, 1))
        .collect();
    assert!(
        !missing.is_empty(),
        "the samples have a unit that did not report"
    );
    let reporting = paragraphs
        .iter()
        .find(|p| p.starts_with("本月应报"))
        .expect("the reporting paragraph");
    let named = reporting
        .split(&format!("未报{}个：", missing.len()))
        .nth(1)
        .expect("未报 named with their count")
        .trim_end_matches('。')
        .split(['；', '。'])
        .next()
        .unwrap()
        .to_string();
    assert_eq!(named, missing.join("、"));

    // 三、: the ranking table, row by row against the by-unit part of the sheet.
    let by_unit = (0..=h)
        .find(|r| text_at(&st, *r, 0) == "二、按单位")
        .unwrap();
    let sheet_row = |unit: &str| {
        (by_unit..=h)
            .find(|r| text_at(&st, *r, 0).trim() == unit)
            .unwrap_or_else(|| panic!("{unit} on the sheet"))
    };
    // The ranking table, its pieces (续表) together, header rows left out.
    let ranking: Vec<&Vec<String>> = tables
        .iter()
        .filter(|t| t[0].first().map(String::as_str) == Some("排名"))
        .flat_map(|t| &t[1..])
        .collect();
    assert!(ranking.len() >= 10, "every unit is in the table");
    let mut last_rate = f64::INFINITY;
    let mut last_rank = 0usize;
    for r in &ranking {
        let unit = &r[1];
        let sr = sheet_row(unit);
        assert_eq!(r[0], text_at(&st, sr, 13), "{unit} 排名");
        assert_eq!(r[7], text_at(&st, sr, 14), "{unit} 较上月");
        assert_eq!(r[8], text_at(&st, sr, 15), "{unit} 档次");
        if let Ok(rank) = r[0].parse::<usize>() {
            // Ranked first, in order of place, and places follow the rates.
            let rate = num_at(&st, sr, 5).unwrap();
            assert!(rank >= last_rank, "order by place");
            assert!(rate <= last_rate + 1e-9, "{unit}: places follow the rates");
            assert_eq!(r[4], format!("{rate:.2}"), "{unit} 完成年计划%");
            // The band by the points behind 序时进度 (tolerance 10 by default).
            let gap = num_at(&st, sr, 11).unwrap();
            let band = if gap >= 0.0 {
                "超序时"
            } else if gap >= -10.0 {
                "基本达到"
            } else {
                "滞后"
            };
            assert_eq!(r[8], band, "{unit} band from gap {gap}");
            last_rank = rank;
            last_rate = rate;
        } else {
            // An unranked unit says why, and is named as such in the text.
            assert!(
                ["数据待核", "未报", "无计划"].contains(&r[0].as_str()),
                "{unit}: {}",
                r[0]
            );
            assert!(r[8].is_empty(), "{unit} has no band");
            last_rank = usize::MAX;
            last_rate = f64::NEG_INFINITY;
            if r[0] != "无计划" {
                assert!(
                    text.contains(&format!("{unit}（{}）", r[0])),
                    "{unit} named as not ranked"
                );
            }
        }
    }
    // A disputed unit is among them in the samples (高速集团's error).
    assert!(ranking.iter().any(|r| r[0] == "数据待核"));
    // The last ones named are the last places.
    let ranked: Vec<&&Vec<String>> = ranking
        .iter()
        .filter(|r| r[0].parse::<usize>().is_ok())
        .collect();
    let last3: Vec<String> = ranked[ranked.len() - 3..]
        .iter()
        .map(|r| r[1].clone())
        .collect();
    assert!(
        text.contains(&format!("排在最后的3个单位是{}", last3.join("、"))),
        "last three named"
    );

    // 附件 1: a row per task of 任务进展, its status as shown there.
    let tasks = sheet(&summary, "任务进展");
    let (th, _) = tasks.end().unwrap();
    let ids: Vec<u32> = (0..=th)
        .filter(|r| {
            let id = text_at(&tasks, *r, 0);
            id.starts_with('T') && id.contains('-')
        })
        .collect();
    for r in ids {
        let id = text_at(&tasks, r, 0);
        let row = rows
            .iter()
            .find(|x| x.first() == Some(&id) && x.len() == 9)
            .unwrap_or_else(|| panic!("{id} in 附件 1"));
        let status_col = (0..30)
            .find(|c| header_at(&tasks, 2, *c).replace('\n', "") == "进度状态")
            .expect("进度状态 column");
        assert_eq!(row[8], text_at(&tasks, r, status_col), "{id} 进度状态");
    }

    // No placeholder left, no English.
    assert!(!text.contains('{') && !text.contains("None") && !text.contains("NaN"));
    let zero = text.match_indices("0项").any(|(i, _)| {
        !text[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_digit() || c == '.')
    });
    assert!(!zero, "no zero class");
}

#[test]
fn an_empty_month_writes_no_briefing_and_says_why() {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path().join("报表");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        root().join("samples/任务清单.xlsx"),
        dir.join("任务清单.xlsx"),
    )
    .unwrap();
    let o = huizong(t.path(), &["run", "报表", "--period", "2020-06"]);
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(
        !files_under(t.path())
            .iter()
            .any(|f| f.extension().is_some_and(|e| e == "docx")),
        "no draft for a month without returns: {all}"
    );
    assert!(all.contains("没有写通报草稿"), "said why: {all}");
}

#[test]
fn the_office_turns_the_briefing_off() {
    let t = samples_copy();
    let cfg = t.path().join("huizong.toml");
    let text = huizong::config::DEFAULT_TOML.replace("enabled = true", "enabled = false");
    std::fs::write(&cfg, text).unwrap();
    let o = huizong(
        t.path(),
        &["run", "samples", "--quiet", "--config", "huizong.toml"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(t.path().join(SUMMARY).is_file());
    assert!(!t.path().join(BRIEF).exists());
}

#[test]
fn lagging_tasks_are_named_under_problems_with_the_units_own_words() {
    // No tolerance: every task behind its 序时进度 is 滞后.
    let t = samples_copy();
    let text = huizong::config::DEFAULT_TOML.replace("lag_tolerance = 10.0", "lag_tolerance = 0.0");
    std::fs::write(t.path().join("huizong.toml"), text).unwrap();
    let o = huizong(
        t.path(),
        &["run", "samples", "--quiet", "--config", "huizong.toml"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let tasks = sheet(&t.path().join(SUMMARY), "任务进展");
    let (th, _) = tasks.end().unwrap();
    let behind: Vec<u32> = (3..=th)
        .filter(|r| ["滞后", "未启动"].contains(&text_at(&tasks, *r, 11).as_str()))
        .collect();
    assert!(behind.len() >= 2, "tasks lag with no tolerance");
    let (paragraphs, _) = read_brief(&t.path().join(BRIEF));
    let problems = paragraphs
        .iter()
        .find(|p| p.contains("项任务滞后或未启动"))
        .expect("四 names the lagging tasks");
    assert!(
        problems.contains(&format!("{}项任务滞后或未启动", behind.len())),
        "{problems}"
    );
    for r in behind {
        let name = text_at(&tasks, r, 2);
        assert!(problems.contains(&name), "{name} named");
        for line in text_at(&tasks, r, 13).lines() {
            let (unit, words) = line
                .trim_start_matches('【')
                .split_once('】')
                .expect("a unit's words");
            assert!(
                problems.contains(&format!("{unit}：{}", words.trim())),
                "{unit}'s own words for {name}"
            );
        }
    }
}

/// The tables' text takes the office's fonts through the document's paragraph styles (one
/// per kind of cell, not the font written on every cell of 附件 1): every cell names a
/// style the document defines, at 五号 or 小五 on an exact line, the header row in the
/// heading font and the rest in the body font.
#[test]
fn table_cells_take_the_offices_fonts_from_the_styles() {
    let t = samples_copy();
    let cfg = t.path().join("huizong.toml");
    let text = huizong::config::DEFAULT_TOML
        .replace("body = \"仿宋_GB2312\"", "body = \"华文仿宋\"")
        .replace("heading = \"黑体\"", "heading = \"方正黑体_GBK\"");
    std::fs::write(&cfg, text).unwrap();
    let o = huizong(
        t.path(),
        &["run", "samples", "--quiet", "--config", "huizong.toml"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let path = t.path().join(BRIEF);
    let styles = zip_text(&path, "word/styles.xml");
    // Each paragraph style's id, with its font, size (half-points) and line.
    let mut defined = std::collections::HashMap::new();
    for s in styles.split("<w:style ").skip(1) {
        let s = &s[..s.find("</w:style>").unwrap()];
        let id = between(s, "w:styleId=\"", "\"");
        let font = s
            .find("w:eastAsia=\"")
            .map(|_| between(s, "w:eastAsia=\"", "\""));
        let size = s.find("<w:sz ").map(|_| between(s, "<w:sz w:val=\"", "\""));
        let exact = s.contains("w:lineRule=\"exact\"");
        defined.insert(id, (font, size, exact));
    }
    let xml = zip_text(&path, "word/document.xml");
    let (mut cells, mut body) = (0, 0);
    for tbl in xml.split("<w:tbl>").skip(1) {
        let tbl = &tbl[..tbl.find("</w:tbl>").unwrap()];
        for (r, tr) in tbl.split("</w:tr>").enumerate() {
            for tc in tr.split("</w:tc>").filter(|c| c.contains("<w:p ")) {
                cells += 1;
                assert!(
                    !tc.contains("<w:rFonts") && !tc.contains("<w:sz "),
                    "a cell writes its own font or size: {tc}"
                );
                let id = between(tc, "<w:pStyle w:val=\"", "\"");
                let (font, size, exact) = defined
                    .get(&id)
                    .unwrap_or_else(|| panic!("style {id} is not defined"));
                assert!(*exact, "{id}: an exact line");
                assert!(
                    matches!(size.as_deref(), Some("21" | "18")),
                    "{id}: 五号 or 小五, not {size:?}"
                );
                // The header row in the heading font; a total or a group's row may be too.
                let allowed: &[&str] = if r == 0 {
                    &["方正黑体_GBK"]
                } else {
                    &["华文仿宋", "方正黑体_GBK"]
                };
                assert!(
                    font.as_deref().is_some_and(|f| allowed.contains(&f)),
                    "row {r}: {font:?} in {tc}"
                );
                body += usize::from(font.as_deref() == Some("华文仿宋"));
            }
        }
    }
    assert!(body > 50, "{body} cells in the body font of {cells}");
}

/// The text between the first `start` and the `end` after it.
fn between(s: &str, start: &str, end: &str) -> String {
    let i = s.find(start).unwrap_or_else(|| panic!("no {start} in {s}")) + start.len();
    let j = s[i..].find(end).unwrap() + i;
    s[i..j].to_string()
}
