//! `samples/`: realistic, consistent with the work plan, and holding the planted mistakes
//! where `samples/README.md` says.

use std::collections::BTreeMap;

use crate::util::*;

struct Row {
    id: String,
    name: String,
    measure: String,
    target: Option<f64>,
    units: Vec<String>,
}

fn tasks() -> Vec<Row> {
    let r = sheet(&root().join("samples/任务清单.xlsx"), "任务清单");
    let (h, _) = r.end().unwrap();
    (2..=h)
        .map(|row| Row {
            id: text_at(&r, row, 0),
            name: text_at(&r, row, 2),
            measure: text_at(&r, row, 4),
            target: num_at(&r, row, 5),
            units: text_at(&r, row, 7)
                .split('、')
                .map(str::to_string)
                .collect(),
        })
        .filter(|t| !t.id.is_empty())
        .collect()
}

fn sum(rows: &[Row], pred: impl Fn(&Row) -> bool) -> f64 {
    rows.iter()
        .filter(|r| pred(r))
        .filter_map(|r| r.target)
        .sum()
}

#[test]
fn task_list_totals_equal_the_work_plan() {
    let t = tasks();
    let in_range = |r: &Row, a: &str, b: &str| r.id.as_str() >= a && r.id.as_str() <= b;
    // 3. Four continuing expressways open 718 km; four new starts.
    assert_eq!(
        sum(&t, |r| in_range(r, "T03-01", "T03-04")
            && r.measure == "公里"),
        718.0
    );
    assert_eq!(
        sum(&t, |r| r.id.starts_with("T03") && r.name.contains("新开工")),
        4.0
    );
    // 4. Trunk roads: 4 continuing, 3 new starts, 2 launched; 6 bridges; 44 km protection.
    assert_eq!(
        t.iter().filter(|r| in_range(r, "T04-01", "T04-04")).count(),
        4
    );
    assert_eq!(
        sum(&t, |r| r.id.starts_with("T04") && r.name.contains("新开工")),
        3.0
    );
    assert_eq!(
        sum(&t, |r| r.id.starts_with("T04") && r.name.contains("启动")),
        2.0
    );
    assert_eq!(
        sum(&t, |r| r.id.starts_with("T04") && r.measure == "座"),
        6.0
    );
    assert_eq!(
        sum(&t, |r| r.id.starts_with("T04")
            && r.name.contains("安全生命防护")),
        44.0
    );
    // 5. Rural roads: 105 km tourism roads, 24 bridges, 250 km protection.
    assert_eq!(sum(&t, |r| r.name.contains("旅游路资源路产业路")), 105.0);
    assert_eq!(
        sum(&t, |r| r.id.starts_with("T05") && r.measure == "座"),
        24.0
    );
    assert_eq!(
        sum(&t, |r| r.id.starts_with("T05")
            && r.name.contains("安全生命防护")),
        250.0
    );
    // 6. Three hubs and stations plus two township stations.
    assert_eq!(sum(&t, |r| r.id.starts_with("T06")), 5.0);
    // All fourteen tasks of the plan are there.
    for k in 1..=14 {
        let p = format!("T{k:02}-");
        assert!(
            t.iter().any(|r| r.id.starts_with(&p)),
            "task {k} of the plan"
        );
    }
    // Qualitative tasks have no measure.
    for id in ["T01-01", "T07-01", "T12-01", "T13-01", "T14-01"] {
        assert_eq!(t.iter().find(|r| r.id == id).unwrap().measure, "", "{id}");
    }
}

#[test]
fn every_responsible_unit_reported_in_april_and_may() {
    let t = tasks();
    let mut units: Vec<String> = t.iter().flat_map(|r| r.units.clone()).collect();
    units.sort();
    units.dedup();
    assert_eq!(units.len(), 14);
    for month in ["2020年4月", "2020年5月"] {
        let mut found: Vec<String> = std::fs::read_dir(root().join("samples").join(month))
            .unwrap()
            .map(|e| {
                let m = sheet(&e.unwrap().path(), "_huizong");
                assert_eq!(
                    text_at(&m, 2, 1),
                    if month.contains('4') {
                        "2020-04"
                    } else {
                        "2020-05"
                    }
                );
                text_at(&m, 1, 1)
            })
            .collect();
        found.sort();
        assert_eq!(found, units, "{month}");
    }
}

#[test]
fn each_planted_mistake_is_where_the_samples_readme_says() {
    let readme = std::fs::read_to_string(root().join("samples/README.md")).unwrap();
    let rows: Vec<Vec<String>> = readme
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| 单位") && !l.starts_with("|---"))
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect();
    let codes: Vec<&str> = rows.iter().map(|r| r[4].as_str()).collect();
    for code in [
        "W-MISSING-RETURN",
        "W-LATE",
        "E-NUM-PARSE",
        "E-CUM-DECREASE",
        "E-FUND-SUM",
        "W-DUPLICATE",
    ] {
        assert!(codes.contains(&code), "README lists {code}");
    }
    let t = samples_copy();
    let (code, f) = findings(t.path(), &["samples"]);
    assert_eq!(code, 1, "errors in the samples");
    for r in &rows {
        let (unit, file, sheet, cell, code) = (&r[0], &r[1], &r[2], &r[3], &r[4]);
        let hit = f.iter().any(|x| {
            x["code"] == code.as_str()
                && x["unit"] == unit.as_str()
                && (file == "—" || x["file"] == file.as_str())
                && (sheet == "—" || x["sheet"] == sheet.as_str())
                && (cell == "—" || x["cell"] == cell.as_str())
        });
        assert!(
            hit,
            "{code} for {unit} at {file} {sheet} {cell} not among {f:#?}"
        );
    }
    // And nothing else is an error: the clean returns are clean.
    let errors: BTreeMap<String, usize> =
        f.iter()
            .filter(|x| x["level"] == "error")
            .fold(BTreeMap::new(), |mut m, x| {
                *m.entry(x["code"].as_str().unwrap().to_string())
                    .or_default() += 1;
                m
            });
    // As many errors of each code as the generator planted.
    let t = tempfile::tempdir().unwrap();
    let planted = huizong::samples::generate_samples(t.path()).unwrap();
    let want: BTreeMap<String, usize> = planted
        .iter()
        .filter(|p| p.code.level() == huizong::finding::Level::Error)
        .fold(BTreeMap::new(), |mut m, p| {
            *m.entry(p.code.to_string()).or_default() += 1;
            m
        });
    assert!(!want.is_empty());
    assert_eq!(errors, want);
}

#[test]
fn samples_are_what_the_generator_writes() {
    let t = tempfile::tempdir().unwrap();
    huizong::samples::generate_samples(t.path()).unwrap();
    let (fresh, shipped) = (files_under(t.path()), files_under(&root().join("samples")));
    assert_eq!(
        fresh, shipped,
        "samples/ holds what the generator writes: run `cargo run --example gen_samples`"
    );
    for rel in &shipped {
        assert!(
            std::fs::read(t.path().join(rel)).unwrap()
                == std::fs::read(root().join("samples").join(rel)).unwrap(),
            "samples/{} differs from the generator: run `cargo run --example gen_samples`",
            rel.display()
        );
    }
}
