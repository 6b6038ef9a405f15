//! The Windows start (double-click, drag-and-drop) and the release folder.
//!
//! The start's logic is the library's `double_click` module, run here on Linux with a
//! release-shaped folder and a scripted console; the tests marked `#[ignore]` run the real
//! cross-built exe under Wine (`.ci/run` installs mingw and Wine and runs them).

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use huizong::ExitStatus;
use huizong::double_click::{self, Start};

use crate::util::*;

/// A month that is not the samples': 3 units × 2 tasks, January 2020, own task list.
pub(crate) fn office_month(dir: &Path) {
    huizong::samples::generate_corpus(dir, 3, 1, 2, false).unwrap();
}

/// A folder shaped as the release: exe placeholder, 示例数据, 空白模板, 使用说明.txt.
fn release_like() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    let d = t.path();
    copy_dir(&root().join("samples"), &d.join(double_click::EXAMPLES_DIR));
    copy_dir(
        &root().join("templates"),
        &d.join(double_click::TEMPLATES_DIR),
    );
    std::fs::write(d.join("huizong.exe"), b"").unwrap();
    std::fs::copy(root().join("docs/使用说明.txt"), d.join("使用说明.txt")).unwrap();
    t
}

/// Runs a bare start with what the clerk types; returns the exit status and the console.
fn start(s: &Start, typed: &str) -> (ExitStatus, String) {
    let mut input = Cursor::new(typed.as_bytes().to_vec());
    let mut console = Vec::new();
    let status = double_click::run(s, double_click::Desk::Windows, &mut input, &mut console);
    (status, String::from_utf8(console).unwrap())
}

/// Every return's 自年初累计完成 per 任务编号 under `dir`, summed: what the summary must show.
fn ytd_by_task(dir: &Path) -> BTreeMap<String, f64> {
    let mut sums = BTreeMap::new();
    for rel in files_under(dir) {
        let p = dir.join(rel);
        if p.extension().is_none_or(|x| x != "xlsx")
            || !sheet_names(&p).contains(&"重点任务进展".to_string())
        {
            continue;
        }
        let r = sheet(&p, "重点任务进展");
        let (h, w) = r.end().unwrap();
        let header = (0..=h)
            .find(|&row| (0..=w).any(|c| header_at(&r, row, c) == "任务编号"))
            .unwrap();
        let col = |name: &str| (0..=w).find(|&c| header_at(&r, header, c) == name).unwrap();
        let (id, ytd) = (col("任务编号"), col("自年初累计完成"));
        for row in header + 1..=h {
            if let Some(v) = num_at(&r, row, ytd) {
                *sums.entry(text_at(&r, row, id)).or_insert(0.0) += v;
            }
        }
    }
    sums
}

/// The units listed on 单位报送情况, and 任务进展's year-to-date per task.
pub(crate) fn summary_units_and_figures(summary: &Path) -> (Vec<String>, BTreeMap<String, f64>) {
    let roster = sheet(summary, "单位报送情况");
    let (h, _) = roster.end().unwrap();
    let units = (3..=h)
        .map(|r| text_at(&roster, r, 1))
        .filter(|u| !u.is_empty())
        .collect();
    let tasks = sheet(summary, "任务进展");
    let (h, w) = tasks.end().unwrap();
    let ytd = (0..=w)
        .find(|&c| header_at(&tasks, 2, c) == "自年初累计完成")
        .unwrap();
    let figures = (3..=h)
        .filter_map(|r| Some((text_at(&tasks, r, 0), num_at(&tasks, r, ytd)?)))
        .filter(|(id, _)| !id.is_empty())
        .collect();
    (units, figures)
}

pub(crate) fn assert_office_month(summary: &Path, reports: &Path) {
    let (units, figures) = summary_units_and_figures(summary);
    assert_eq!(
        units,
        vec![
            "单位001交通运输局",
            "单位002交通运输局",
            "单位003交通运输局"
        ],
        "the office's units and no other"
    );
    let want = ytd_by_task(reports);
    assert_eq!(
        figures.keys().collect::<Vec<_>>(),
        want.keys().collect::<Vec<_>>()
    );
    for (id, w) in &want {
        assert_close(figures.get(id).copied(), Some(*w), id);
    }
}

#[test]
fn double_click_reads_only_the_reports_folder() {
    let t = release_like();
    let d = t.path();
    let reports = d.join(double_click::REPORTS_DIR);
    office_month(&reports);
    // What a clerk also does: a sample return left beside the exe, a folder of returns too.
    std::fs::copy(
        root().join("samples/2020年6月/吉林市交通运输局_2020年6月_月报.xlsx"),
        d.join("吉林市交通运输局_2020年6月_月报.xlsx"),
    )
    .unwrap();
    copy_dir(&root().join("samples/2020年5月"), &d.join("5月"));

    let (status, console) = start(&Start::DoubleClick(d.to_path_buf()), "\n");
    assert_eq!(status, ExitStatus::Success, "{console}");
    assert!(console.contains(double_click::NEVER_READ), "{console}");
    assert!(
        console.contains("请把它们移到“报表”文件夹里")
            && console.contains("  5月\n")
            && console.contains("  吉林市交通运输局_2020年6月_月报.xlsx\n"),
        "the strays are named with where to move them: {console}"
    );
    assert!(console.contains("按回车键关闭窗口"), "{console}");
    let summary = d.join("output/2020年1月重点任务进展汇总.xlsx");
    assert!(summary.exists(), "{console}");
    assert_office_month(&summary, &reports);
    assert!(
        !d.join(double_click::EXAMPLE_OUTPUT_DIR).exists(),
        "the example is not run"
    );
    let mut written: Vec<PathBuf> = std::fs::read_dir(d.join("output"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    written.sort();
    let statistics = d.join("output/2020年1月固定资产投资完成情况表.xlsx");
    let brief = d.join("output/2020年1月重点任务进展情况通报（草稿）.docx");
    let mut want = vec![summary, statistics, brief];
    want.sort();
    assert_eq!(
        written, want,
        "one summary, its statistics table and its briefing, of the office's month"
    );
}

#[test]
fn first_start_makes_the_reports_folder_and_offers_the_example() {
    let t = release_like();
    let d = t.path();
    // Enter alone: nothing is summarised, the folder to fill exists.
    let (status, console) = start(&Start::DoubleClick(d.to_path_buf()), "\n\n");
    assert_eq!(status, ExitStatus::Success, "{console}");
    assert!(d.join(double_click::REPORTS_DIR).is_dir());
    assert!(
        console.contains("已在 huizong.exe 旁边建立“报表”文件夹"),
        "{console}"
    );
    assert!(console.contains(double_click::WHERE_TO_PUT), "{console}");
    assert!(console.contains(double_click::HOW_TO_TRY), "{console}");
    assert!(!d.join("output").exists(), "{console}");
    assert!(!d.join(double_click::EXAMPLE_OUTPUT_DIR).exists());

    // 示例 then Enter: the samples, summarised apart from the office's output.
    let (status, console) = start(&Start::DoubleClick(d.to_path_buf()), "示例\n\n");
    assert_eq!(status, ExitStatus::Success, "{console}");
    assert!(
        !console.contains("已在 huizong.exe 旁边建立"),
        "made once: {console}"
    );
    let example = d.join("示例输出/2020年6月重点任务进展汇总.xlsx");
    assert!(example.exists(), "{console}");
    assert!(
        !d.join("output").exists(),
        "the office's output stays empty"
    );
    let (units, _) = summary_units_and_figures(&example);
    assert!(units.contains(&"省高速公路集团".to_string()), "{units:?}");
}

#[test]
fn a_dropped_folder_is_read_and_only_it() {
    let t = release_like();
    let d = t.path();
    let month = d.join("七月");
    office_month(&month);
    office_month(&d.join(double_click::REPORTS_DIR));
    let (status, console) = start(&Start::Dropped(month.clone()), "\n");
    assert_eq!(status, ExitStatus::Success, "{console}");
    let summary = month.join("output/2020年1月重点任务进展汇总.xlsx");
    assert_office_month(&summary, &month);
    assert!(!d.join("output").exists(), "{console}");
}

#[test]
fn the_manual_and_the_readme_say_what_the_console_says() {
    for doc in ["docs/使用说明.txt", "README.md"] {
        let text = std::fs::read_to_string(root().join(doc)).unwrap();
        for sentence in [
            double_click::WHERE_TO_PUT,
            double_click::HOW_TO_TRY,
            double_click::NEVER_READ,
        ] {
            assert!(text.contains(sentence), "{doc} lacks “{sentence}”");
        }
    }
}

/// The Wine tests cross-build with cargo and rustup: one at a time.
static WINE: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Wine's prefix and the shim that Wine 8 lacks (bcryptprimitives.dll; see
/// scripts/wine-shim.sh), laid beside the exe.
fn wine(exe_dir: &Path, prefix: &Path) -> std::process::Command {
    let shim = std::process::Command::new("bash")
        .arg(root().join("scripts/wine-shim.sh"))
        .arg(exe_dir)
        .output()
        .unwrap();
    assert!(shim.status.success(), "{}", stderr(&shim));
    let mut c = std::process::Command::new("/usr/lib/wine/wine64");
    c.env("WINEDEBUG", "-all")
        .env("WINEPREFIX", prefix)
        .current_dir(exe_dir);
    c
}

#[test]
#[ignore = "needs mingw-w64 and wine64 (.ci/run installs them): cross-builds the release folder"]
fn release_folder_double_click_reads_only_the_office_month() {
    let _one = WINE.lock().unwrap_or_else(|e| e.into_inner());
    let built = std::process::Command::new("bash")
        .arg(root().join("scripts/release-windows.sh"))
        .output()
        .unwrap();
    assert!(built.status.success(), "{}", stderr(&built));
    let folder = root().join(stdout(&built).trim());
    let t = tempfile::tempdir().unwrap();
    let d = t.path().join("月报汇总");
    copy_dir(&folder, &d);
    for own in [
        "huizong.exe",
        "使用说明.txt",
        "报表",
        "示例数据",
        "空白模板",
    ] {
        assert!(d.join(own).exists(), "the release folder holds {own}");
    }
    // 使用说明 step 2: the month's returns and the task list into 报表.
    office_month(&d.join("报表"));
    let double_click = || {
        wine(&d, &t.path().join("prefix"))
            .arg("huizong.exe")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child.stdin.take().unwrap().write_all(b"\r\n")?;
                child.wait_with_output()
            })
            .unwrap()
    };
    // huizong always says something on the console; a start that says nothing and fails is
    // Wine's first start of a new prefix on a busy machine (seen once in CI), tried again.
    let mut o = double_click();
    if !o.status.success() && o.stderr.is_empty() {
        o = double_click();
    }
    let console = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{console}");
    assert!(console.contains(double_click::NEVER_READ), "{console}");
    let summary = d.join("output/2020年1月重点任务进展汇总.xlsx");
    assert!(summary.exists(), "{console}");
    assert_office_month(&summary, &d.join("报表"));
    assert!(!d.join(double_click::EXAMPLE_OUTPUT_DIR).exists());
}

#[test]
#[ignore = "needs mingw-w64 and wine64 (.ci/run installs them): cross-builds the exe"]
fn windows_exe_under_wine_gives_the_linux_figures() {
    let _one = WINE.lock().unwrap_or_else(|e| e.into_inner());
    let out = std::process::Command::new("bash")
        .arg(root().join("scripts/test-windows.sh"))
        .env("LINUX_HUIZONG", env!("CARGO_BIN_EXE_huizong"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("same figures"), "{text}");
}
