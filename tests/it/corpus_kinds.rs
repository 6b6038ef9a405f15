//! The bench corpus in every shape units send (huizong's templates, the contract's layout
//! written by another program, units' own forms, files re-saved by LibreOffice) reads to the
//! same figures: what the speed benchmarks compare is the same work.

use std::collections::BTreeMap;
use std::path::Path;

use huizong::samples::{Shape, generate_corpus, rewrite_corpus};

use crate::util::*;

/// Each figure row of an export, by (month, unit, id), without where it was read: its columns
/// from `first` up to `drop_from`, and 数据状态.
fn figures(out: &Path, file: &str, first: &str, drop_from: &str) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(out.join(file)).unwrap();
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let first = header.iter().position(|h| *h == first).unwrap();
    let keep = header.iter().position(|h| *h == drop_from).unwrap();
    let state = header.len() - 1;
    lines
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            let key = cells[..3].join("|");
            let mut vals: Vec<&str> = cells[first..keep].to_vec();
            vals.push(cells[state]);
            (key, vals.join("|"))
        })
        .collect()
}

/// Runs the month and returns its progress and investment figures.
fn run_figures(dir: &Path) -> (BTreeMap<String, String>, BTreeMap<String, String>) {
    let out = dir.join("_out");
    let o = huizong(
        dir,
        &["run", ".", "--out", "_out", "--export", "csv", "--quiet"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    (
        figures(&out, "progress.csv", "本月完成", "本月工作进展"),
        // A unit's own form has no 建设性质: its figures are compared.
        figures(&out, "investment.csv", "本年计划投资（万元）", "文件"),
    )
}

/// A corpus of 6 units × 3 months, 4 tasks each (two with investment), in `shape`.
fn corpus(shape: Option<Shape>) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let list = generate_corpus(d.path(), 6, 3, 4, true).unwrap();
    if let Some(shape) = shape {
        rewrite_corpus(d.path(), &list, 3, true, shape).unwrap();
    }
    d
}

#[test]
fn every_shape_of_the_bench_corpus_reads_to_the_same_figures() {
    let templates = corpus(None);
    let (progress, invest) = run_figures(templates.path());
    assert_eq!(progress.len(), 6 * 4, "the month's rows: {progress:?}");
    assert_eq!(invest.len(), 6 * 2, "{invest:?}");
    assert!(
        progress.values().any(|v| v.contains("已采用")),
        "{progress:?}"
    );
    for shape in [Shape::OtherProgram, Shape::OwnForm] {
        let d = corpus(Some(shape));
        // No hidden sheet in either: nothing of huizong's own is left in the files.
        let sample = files_under(d.path())
            .into_iter()
            .find(|f| f.to_string_lossy().contains("单位001"))
            .unwrap();
        assert!(
            !sheet_names(&d.path().join(&sample))
                .iter()
                .any(|n| n == "_huizong"),
            "{shape:?}"
        );
        let (p, i) = run_figures(d.path());
        assert_eq!(p, progress, "{shape:?}: progress");
        assert_eq!(i, invest, "{shape:?}: investment");
    }
}

#[test]
#[ignore = "needs LibreOffice (soffice)"]
fn the_bench_corpus_resaved_by_libreoffice_reads_to_the_same_figures() {
    let templates = corpus(None);
    let want = run_figures(templates.path());
    let d = corpus(None);
    for month in ["2020年1月", "2020年2月", "2020年3月"] {
        let folder = d.path().join(month);
        let out = d.path().join("resaved");
        let files: Vec<_> = std::fs::read_dir(&folder)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        let o = std::process::Command::new("soffice")
            .args(["--headless", "--convert-to", "xlsx", "--outdir"])
            .arg(&out)
            .args(&files)
            .output()
            .expect("soffice");
        assert!(o.status.success());
        for f in std::fs::read_dir(&out).unwrap().flatten() {
            std::fs::rename(f.path(), folder.join(f.file_name())).unwrap();
        }
        std::fs::remove_dir_all(&out).unwrap();
    }
    assert_eq!(run_figures(d.path()), want);
}
