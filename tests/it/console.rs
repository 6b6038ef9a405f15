//! The console speaks the clerk's language: help pages and every argument mistake in
//! Chinese (clap's own words are English), exit 2 for a mistake; `check` writes its list to
//! standard output and only its closing line to standard error.

use crate::util::*;

/// Words of clap's that must never reach a clerk.
const CLAP_ENGLISH: [&str; 12] = [
    "Usage",
    "Options",
    "Arguments",
    "Commands",
    "Print help",
    "Print version",
    "error:",
    "[default",
    "possible values",
    "For more information",
    "unexpected argument",
    "required",
];

fn no_english(text: &str, what: &str) {
    for w in CLAP_ENGLISH {
        assert!(!text.contains(w), "{what}: “{w}” in\n{text}");
    }
}

#[test]
fn help_pages_are_chinese_and_mark_what_is_required() {
    let t = tempfile::tempdir().unwrap();
    for args in [
        vec!["--help"],
        vec!["-h"],
        vec!["help"],
        vec!["run", "--help"],
        vec!["help", "run"],
        vec!["check", "--help"],
        vec!["template", "--help"],
    ] {
        let o = huizong(t.path(), &args);
        let out = stdout(&o);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(
            out.contains("用法：") && out.contains("选项："),
            "{args:?}:\n{out}"
        );
        no_english(&out, &format!("{args:?}"));
    }
    let run = stdout(&huizong(t.path(), &["run", "--help"]));
    assert!(run.contains("参数：") && run.contains("<文件夹>") && run.contains("必填"));
    assert!(
        run.contains("当前文件夹下的 output"),
        "where output goes:\n{run}"
    );
    let template = stdout(&huizong(t.path(), &["template", "--help"]));
    assert!(
        template.contains("--period <月份>") && template.contains("必填"),
        "{template}"
    );
    assert!(template.contains("--history"), "{template}");
}

#[test]
fn every_argument_mistake_is_a_chinese_sentence_with_exit_2() {
    let t = tempfile::tempdir().unwrap();
    for (args, says) in [
        (vec![], "用法：huizong <命令>"),
        (vec!["run"], "缺少必填的参数：文件夹"),
        (vec!["rnu", "samples"], "没有“rnu”这个命令"),
        (vec!["chek", "samples"], "是不是要用 check"),
        (
            vec!["run", "samples", "--export", "xlsx"],
            "只能是：csv、parquet",
        ),
        (
            vec!["check", "samples", "--format", "csv"],
            "只能是：text、json",
        ),
        (vec!["template"], "缺少必填的选项 --period"),
        (
            vec!["run", "samples", "--jobs", "两个"],
            "--jobs 的值“两个”不对",
        ),
        (vec!["run", "samples", "--foo"], "不认识的选项“--foo”"),
        (vec!["run", "a", "b"], "多余的参数“b”"),
        (vec!["run", "samples", "--export"], "--export 后面缺少值"),
    ] {
        let o = huizong(t.path(), &args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: want “{says}” in\n{err}");
        no_english(&err, &format!("{args:?}"));
        assert!(stdout(&o).is_empty(), "{args:?} wrote to stdout");
    }
    // The hint names the command the mistake is in.
    let err = stderr(&huizong(t.path(), &["run", "samples", "--export", "xlsx"]));
    assert!(err.contains("huizong run --help"), "{err}");
    // A question takes no full stop after it.
    let err = stderr(&huizong(t.path(), &["run", "samples", "--ou", "x"]));
    assert!(!err.contains("？。"), "{err}");
}

#[test]
fn a_file_for_the_folder_and_a_missing_task_list_are_said_in_chinese() {
    let t = samples_copy();
    let file = "samples/任务清单.xlsx";
    let o = huizong(t.path(), &["check", file]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("是一个文件，不是文件夹"), "{err}");
    let o = huizong(t.path(), &["run", "samples", "--tasks", "不存在.xlsx"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("文件或文件夹不存在"), "{err}");
    no_english(&err, "--tasks 不存在.xlsx");
}

#[test]
fn check_writes_its_list_to_standard_output_and_closes_on_standard_error() {
    let t = samples_copy();
    let o = huizong(t.path(), &["check", "samples"]);
    assert_eq!(o.status.code(), Some(1), "the samples hold errors");
    let (out, err) = (stdout(&o), stderr(&o));
    assert!(
        out.contains("E-NUM-PARSE") && out.contains("【通化市交通运输局】"),
        "{out}"
    );
    assert!(
        !err.contains("E-NUM-PARSE"),
        "the list went to stderr:\n{err}"
    );
    let closing: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(closing.len(), 1, "{err}");
    assert!(
        closing[0].starts_with("检查完成：2020年6月") && closing[0].contains("错误"),
        "{err}"
    );
}

/// Display columns of a console line: a Chinese character takes two.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum()
}

/// The help's option descriptions start at one column, counted as a terminal shows Chinese
/// (two columns a character): `--out <文件夹>` is not a space further than `--tasks <文件>`.
#[test]
fn help_columns_align_by_display_width() {
    let o = huizong(&root(), &["run", "--help"]);
    let text = stdout(&o);
    let starts: Vec<(String, usize)> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("--"))
        .filter_map(|l| {
            // The description starts after the run of spaces that follows the flag.
            let flag_end = l.trim_start().find("  ")? + (l.len() - l.trim_start().len());
            let rest = &l[flag_end..];
            let desc = flag_end + (rest.len() - rest.trim_start().len());
            Some((l.to_string(), display_width(&l[..desc])))
        })
        .collect();
    assert!(starts.len() >= 6, "{text}");
    let first = starts[0].1;
    for (line, col) in &starts {
        assert_eq!(*col, first, "{line}");
    }
}
