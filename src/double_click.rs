//! Starting huizong without a command line: a double-click, or a folder dropped on it.
//!
//! On Windows the clerk double-clicks huizong.exe itself; on a Linux desktop (Kylin, UOS) the
//! launcher `汇总.desktop` beside the binary runs `huizong __double_click` in a terminal
//! window (packaging/linux). Both take this one path. The release folder holds the program
//! beside folders of its own (`示例数据`, `空白模板`). A double-click reads only `报表` beside
//! it, so nothing that ships is ever read as the office's data; files left beside it are
//! named with where to move them, never mixed in. The sentences here are the ones
//! 使用说明.txt and the README use, word for word (a test holds them to it); they are written
//! for Windows and said on a Linux desktop by [`Desk::say`].

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use crate::ExitStatus;
use crate::app::{self, Settings};
use crate::discover;

/// The folder beside the exe that a double-click reads: the office's returns and task list.
pub const REPORTS_DIR: &str = "报表";
/// The shipped example folder, read only when the clerk asks for the example.
pub const EXAMPLES_DIR: &str = "示例数据";
/// The shipped blank templates, never read.
pub const TEMPLATES_DIR: &str = "空白模板";
/// The office's output beside the exe.
pub const OUTPUT_DIR: &str = "output";
/// Where the example's summary goes, apart from the office's output.
pub const EXAMPLE_OUTPUT_DIR: &str = "示例输出";
/// What the clerk types to try the example.
pub const EXAMPLE_WORD: &str = "示例";

/// Where the month's files go: the same sentence on the console, in 使用说明.txt and in the
/// README.
pub const WHERE_TO_PUT: &str = "把各单位本月报回的 Excel 文件（以及以前月份的报表）和任务清单复制到 huizong.exe 旁边的“报表”文件夹里，再双击 huizong.exe。";
/// How to try the example: the same sentence on the console, in 使用说明.txt and in the README.
pub const HOW_TO_TRY: &str = "想先看看汇总表是什么样子：输入 示例 后按回车，程序用“示例数据”文件夹试汇总一次，结果在“示例输出”文件夹里；直接按回车则关闭窗口。";
/// What is never read: the same sentence on the console, in 使用说明.txt and in the README.
pub const NEVER_READ: &str =
    "双击时只汇总“报表”文件夹；“示例数据”“空白模板”和放在 huizong.exe 旁边的其他文件都不会被汇总。";
const PRESS_ENTER: &str = "按回车键关闭窗口……";

/// The argument the Linux launcher passes: start as a double-click on it, with the words of
/// that desktop. A folder may follow (dropped on the launcher).
pub const LAUNCHER_ARG: &str = "__double_click";
/// The name the Linux launcher shows on the desktop (`Name=` of 汇总.desktop).
pub const LAUNCHER_NAME: &str = "汇总";

/// Where the clerk started huizong: what the sentences call the thing double-clicked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Desk {
    /// huizong.exe on Windows.
    Windows,
    /// The launcher beside the binary on a Linux desktop.
    Linux,
}

impl Desk {
    /// A sentence written for Windows, as said on this desk: huizong.exe becomes the
    /// launcher's icon (without the spaces that set a Latin name apart in Chinese text).
    pub fn say(self, sentence: &str) -> String {
        match self {
            Desk::Windows => sentence.to_string(),
            Desk::Linux => {
                let icon = format!("“{LAUNCHER_NAME}”图标");
                [
                    " huizong.exe ",
                    " huizong.exe",
                    "huizong.exe ",
                    "huizong.exe",
                ]
                .iter()
                .fold(sentence.to_string(), |s, exe| s.replace(exe, &icon))
            }
        }
    }

    /// A place to copy the folder to where the clerk may write.
    fn writable_place(self) -> &'static str {
        match self {
            Desk::Windows => "例如 D:\\月报汇总",
            Desk::Linux => "例如主文件夹里的“月报汇总”",
        }
    }
}

/// How the program was started without a sub-command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// No arguments: a double-click on the exe in this folder.
    DoubleClick(PathBuf),
    /// One folder as the only argument: dropped on the exe.
    Dropped(PathBuf),
    /// Something other than one folder dropped on the Linux launcher: nothing is read.
    NotAFolder(Vec<PathBuf>),
}

/// What a start without a sub-command means, or `None` for a command line to parse as usual.
pub fn bare_start(args: &[std::ffi::OsString], exe_dir: Option<&Path>) -> Option<Start> {
    match args {
        [] => exe_dir.map(|d| Start::DoubleClick(d.to_path_buf())),
        [one] => {
            let p = PathBuf::from(one);
            p.is_dir().then_some(Start::Dropped(p))
        }
        _ => None,
    }
}

/// What the arguments after [`LAUNCHER_ARG`] mean: the launcher always starts bare.
pub fn launcher_start(args: &[std::ffi::OsString], exe_dir: &Path) -> Start {
    bare_start(args, Some(exe_dir))
        .unwrap_or_else(|| Start::NotAFolder(args.iter().map(PathBuf::from).collect()))
}

/// Runs a bare start: talks to the clerk on `console` in the words of `desk`, reads answers
/// from `input`, and waits for Enter before the window closes.
pub fn run(
    start: &Start,
    desk: Desk,
    input: &mut dyn BufRead,
    console: &mut dyn Write,
) -> ExitStatus {
    let status = match start {
        Start::DoubleClick(exe_dir) => double_click(exe_dir, desk, input, console),
        Start::Dropped(dir) => summarise(dir, &dir.join(OUTPUT_DIR), console),
        Start::NotAFolder(paths) => {
            let _ = writeln!(
                console,
                "拖到“{LAUNCHER_NAME}”图标上的应是一个装报表的文件夹，这次没有汇总。拖上来的是："
            );
            for p in paths {
                let _ = writeln!(console, "  {}", p.display());
            }
            ExitStatus::Failure
        }
    };
    let _ = writeln!(console, "\n{PRESS_ENTER}");
    let _ = console.flush();
    let mut line = String::new();
    let _ = input.read_line(&mut line);
    status
}

fn double_click(
    exe_dir: &Path,
    desk: Desk,
    input: &mut dyn BufRead,
    console: &mut dyn Write,
) -> ExitStatus {
    let reports = exe_dir.join(REPORTS_DIR);
    if !reports.is_dir() {
        if let Err(e) = std::fs::create_dir_all(&reports) {
            let _ = writeln!(
                console,
                "{}",
                desk.say(&format!(
                    "错误：无法在 huizong.exe 旁边建立“{REPORTS_DIR}”文件夹（{e}）。请把 huizong 所在的文件夹复制到有写权限的位置（{}）后再双击。",
                    desk.writable_place()
                ))
            );
            return ExitStatus::Failure;
        }
        let _ = writeln!(
            console,
            "{}",
            desk.say(&format!(
                "已在 huizong.exe 旁边建立“{REPORTS_DIR}”文件夹：{}",
                reports.display()
            ))
        );
    }
    let strays = strays(exe_dir);
    if !strays.is_empty() {
        let _ = writeln!(
            console,
            "{}",
            desk.say(&format!(
                "下列文件或文件夹放在了 huizong.exe 旁边，不会被汇总。请把它们移到“{REPORTS_DIR}”文件夹里，再双击 huizong.exe："
            ))
        );
        for s in &strays {
            let _ = writeln!(console, "  {s}");
        }
        let _ = writeln!(console);
    }
    let out = exe_dir.join(OUTPUT_DIR);
    if !discover::discover(&reports, std::slice::from_ref(&out)).is_empty() {
        let _ = writeln!(console, "{}", desk.say(NEVER_READ));
        return summarise(&reports, &out, console);
    }
    let _ = writeln!(
        console,
        "“{REPORTS_DIR}”文件夹里还没有报表：{}\n{}\n\n{}",
        reports.display(),
        desk.say(WHERE_TO_PUT),
        desk.say(HOW_TO_TRY)
    );
    let _ = write!(console, "> ");
    let _ = console.flush();
    let mut answer = String::new();
    let _ = input.read_line(&mut answer);
    if answer.trim() != EXAMPLE_WORD {
        return ExitStatus::Success;
    }
    let examples = exe_dir.join(EXAMPLES_DIR);
    if !examples.is_dir() {
        let _ = writeln!(
            console,
            "{}",
            desk.say(&format!(
                "找不到“{EXAMPLES_DIR}”文件夹（应在 huizong.exe 旁边）。请重新解压 huizong 的压缩包。"
            ))
        );
        return ExitStatus::Failure;
    }
    let _ = writeln!(
        console,
        "用“{EXAMPLES_DIR}”试汇总，结果写到“{EXAMPLE_OUTPUT_DIR}”文件夹（不是 output）。"
    );
    summarise(&examples, &exe_dir.join(EXAMPLE_OUTPUT_DIR), console)
}

/// The entries beside the exe that a clerk may have meant as data: workbooks, and folders
/// (other than the release folder's own) that hold any.
fn strays(exe_dir: &Path) -> Vec<String> {
    const OWN: [&str; 5] = [
        REPORTS_DIR,
        EXAMPLES_DIR,
        TEMPLATES_DIR,
        OUTPUT_DIR,
        EXAMPLE_OUTPUT_DIR,
    ];
    let Ok(entries) = std::fs::read_dir(exe_dir) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            let path = e.path();
            let is_data = if path.is_dir() {
                !OWN.contains(&name.as_str())
                    && !name.starts_with('.')
                    && !discover::discover(&path, &[]).is_empty()
            } else {
                discover::is_workbook_name(&name)
            };
            is_data.then_some(name)
        })
        .collect();
    out.sort();
    out
}

/// The executable for the reading processes: this program when it is huizong itself (not a
/// test harness calling the library).
fn worker_exe() -> Option<PathBuf> {
    std::env::current_exe().ok().filter(|p| {
        p.file_stem()
            .is_some_and(|s| s.to_string_lossy().eq_ignore_ascii_case("huizong"))
    })
}

/// `run` on a folder with its closing summary on the console.
fn summarise(dir: &Path, out: &Path, console: &mut dyn Write) -> ExitStatus {
    let _ = writeln!(console, "huizong 汇总：{}", dir.display());
    let settings = Settings {
        dir: dir.to_path_buf(),
        tasks: None,
        config: None,
        period: None,
        out: out.to_path_buf(),
        jobs: None,
        progress: true,
        worker: worker_exe(),
        log: out.join(crate::cli::LOG_FILE),
        last_year: None,
        amount_unit: None,
        report_to: None,
    };
    match app::run(&settings, None) {
        Ok(outcome) => {
            let _ = write!(console, "{}", crate::report::run_report(&outcome));
            ExitStatus::Success
        }
        Err(e) => {
            let _ = writeln!(console, "{}", crate::error::chain(&e));
            ExitStatus::Failure
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn double_click_and_drag_and_drop() {
        let here = std::env::temp_dir();
        assert_eq!(
            bare_start(&[], Some(&here)),
            Some(Start::DoubleClick(here.clone()))
        );
        assert_eq!(
            bare_start(&[here.clone().into_os_string()], None),
            Some(Start::Dropped(here.clone()))
        );
        assert_eq!(
            bare_start(&["run".into()], None),
            None,
            "a subcommand is parsed as usual"
        );
        assert_eq!(
            bare_start(&["run".into(), here.into_os_string()], None),
            None
        );
    }

    #[test]
    fn strays_are_workbooks_and_folders_of_workbooks_beside_the_exe() {
        let t = tempfile::tempdir().unwrap();
        let d = t.path();
        for own in [REPORTS_DIR, EXAMPLES_DIR, TEMPLATES_DIR, OUTPUT_DIR] {
            std::fs::create_dir_all(d.join(own)).unwrap();
            std::fs::write(d.join(own).join("a.xlsx"), b"x").unwrap();
        }
        std::fs::write(d.join("huizong.exe"), b"x").unwrap();
        std::fs::write(d.join("使用说明.txt"), b"x").unwrap();
        std::fs::write(d.join("长春_7月.xlsx"), b"x").unwrap();
        std::fs::write(d.join("~$长春_7月.xlsx"), b"x").unwrap();
        std::fs::create_dir_all(d.join("7月报表/子")).unwrap();
        std::fs::write(d.join("7月报表/子/吉林.xls"), b"x").unwrap();
        std::fs::create_dir_all(d.join("照片")).unwrap();
        std::fs::write(d.join("照片/a.jpg"), b"x").unwrap();
        assert_eq!(
            strays(d),
            vec!["7月报表".to_string(), "长春_7月.xlsx".into()]
        );
    }
}
