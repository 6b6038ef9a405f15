//! The Linux desktops (信创: Kylin and UOS, x86_64 and ARM64): the launcher, its manual, the
//! static builds.
//!
//! The launcher (packaging/linux) runs the real binary here; the tests marked `#[ignore]`
//! cross-build the static binaries with cargo-zigbuild (`scripts/build-linux.sh`), launch the
//! release folder through GLib's own launcher as the desktops' file managers do, and run the
//! ARM64 binary under qemu-user (`.ci/run` installs what they need and runs them).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use calamine::{DataType, Reader, open_workbook_auto};
use huizong::double_click::{self, Desk};

use crate::util::*;
use crate::windows::{assert_office_month, office_month, summary_units_and_figures};

/// A release-shaped Linux folder around `binary`, at a path with a space and Chinese.
fn linux_folder(binary: &Path) -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let d = t.path().join("月报 汇总");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::copy(binary, d.join("huizong")).unwrap();
    for f in ["huizong.sh", "汇总.desktop"] {
        std::fs::copy(root().join("packaging/linux").join(f), d.join(f)).unwrap();
    }
    copy_dir(&root().join("samples"), &d.join(double_click::EXAMPLES_DIR));
    (t, d)
}

/// Runs the launcher's script as the terminal window does, with what the clerk types.
fn launch(folder: &Path, args: &[&str], typed: &str) -> Output {
    let mut child = Command::new("sh")
        .arg(folder.join("huizong.sh"))
        // Started in a terminal already: the script opens none.
        .arg("--in-terminal")
        .args(args)
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(typed.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn the_launcher_summarises_the_reports_folder_beside_it() {
    let (_t, d) = linux_folder(Path::new(env!("CARGO_BIN_EXE_huizong")));
    let reports = d.join(double_click::REPORTS_DIR);
    office_month(&reports);
    std::fs::copy(
        root().join("samples/2020年6月/吉林市交通运输局_2020年6月_月报.xlsx"),
        d.join("吉林市交通运输局_2020年6月_月报.xlsx"),
    )
    .unwrap();
    let o = launch(&d, &[], "\n");
    let console = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{console}");
    assert!(
        console.contains(&Desk::Linux.say(double_click::NEVER_READ)),
        "{console}"
    );
    assert!(
        console.contains("放在了“汇总”图标旁边，不会被汇总")
            && console.contains("  吉林市交通运输局_2020年6月_月报.xlsx\n"),
        "the stray is named, in the launcher's words: {console}"
    );
    assert!(!console.contains("huizong.exe"), "{console}");
    assert!(console.contains("按回车键关闭窗口"), "{console}");
    assert_office_month(&d.join("output/2020年1月重点任务进展汇总.xlsx"), &reports);
}

#[test]
fn the_launchers_first_start_offers_the_example_in_its_own_words() {
    let (_t, d) = linux_folder(Path::new(env!("CARGO_BIN_EXE_huizong")));
    let o = launch(&d, &[], "示例\n\n");
    let console = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{console}");
    assert!(d.join(double_click::REPORTS_DIR).is_dir(), "{console}");
    for sentence in [double_click::WHERE_TO_PUT, double_click::HOW_TO_TRY] {
        assert!(console.contains(&Desk::Linux.say(sentence)), "{console}");
    }
    assert!(
        console.contains("已在“汇总”图标旁边建立“报表”文件夹"),
        "{console}"
    );
    let example = d.join("示例输出/2020年6月重点任务进展汇总.xlsx");
    let (units, _) = summary_units_and_figures(&example);
    assert!(units.contains(&"省高速公路集团".to_string()), "{units:?}");
    assert!(!d.join(double_click::OUTPUT_DIR).exists());
}

#[test]
fn a_folder_dropped_on_the_launcher_is_read_alone_and_a_file_is_refused() {
    let (_t, d) = linux_folder(Path::new(env!("CARGO_BIN_EXE_huizong")));
    let month = d.join("七月");
    office_month(&month);
    let o = launch(&d, &[month.to_str().unwrap()], "\n");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_office_month(&month.join("output/2020年1月重点任务进展汇总.xlsx"), &month);
    assert!(!d.join(double_click::OUTPUT_DIR).exists());

    let file = month.join(&files_under(&month)[0]);
    let o = launch(&d, &[file.to_str().unwrap()], "\n");
    let console = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{console}");
    assert!(
        console.contains("拖到“汇总”图标上的应是一个装报表的文件夹，这次没有汇总")
            && console.contains(&file.display().to_string())
            && console.contains("按回车键关闭窗口"),
        "{console}"
    );
    assert!(!d.join(double_click::REPORTS_DIR).exists(), "nothing read");
}

#[test]
fn the_linux_manual_says_what_the_launcher_says_and_the_windows_words_where_they_apply() {
    let linux = std::fs::read_to_string(root().join("docs/使用说明-linux.txt")).unwrap();
    for sentence in [
        double_click::WHERE_TO_PUT,
        double_click::HOW_TO_TRY,
        double_click::NEVER_READ,
    ] {
        let said = Desk::Linux.say(sentence);
        assert!(linux.contains(&said), "the Linux manual lacks “{said}”");
    }
    // Every line of the Windows manual, said on the Linux desk with its paths, is in the
    // Linux one, except the lines about what only Windows has.
    let windows_only = [
        "huizong.exe     汇总程序",
        "D:\\",
        "Word",
        "huizong.exe template",
    ];
    let windows = std::fs::read_to_string(root().join("docs/使用说明.txt")).unwrap();
    for line in windows.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if windows_only.iter().any(|w| line.contains(w)) {
            continue;
        }
        let said = Desk::Linux.say(line).replace('\\', "/");
        assert!(linux.contains(&said), "the Linux manual lacks “{said}”");
    }
    let desktop = std::fs::read_to_string(root().join("packaging/linux/汇总.desktop")).unwrap();
    assert!(
        desktop
            .lines()
            .any(|l| l == format!("Name={}", double_click::LAUNCHER_NAME)),
        "the icon shows the name the sentences use"
    );
}

/// Every cell of every sheet of a workbook, as text.
fn every_cell(path: &Path) -> BTreeMap<(String, u32, u32), String> {
    let mut wb = open_workbook_auto(path).unwrap();
    let mut out = BTreeMap::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, row) in range.rows().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    out.insert(
                        (name.clone(), r0 + r as u32, c0 + c as u32),
                        format!("{v:?}"),
                    );
                }
            }
        }
    }
    out
}

/// Whether an ELF file asks for a loader or a shared library: its program headers of type
/// PT_INTERP (3) or PT_DYNAMIC (2).
fn dynamic_parts(elf: &[u8]) -> Vec<u32> {
    assert_eq!(&elf[..4], b"\x7fELF", "an ELF file");
    assert_eq!(elf[4], 2, "64-bit");
    let u16_at = |o: usize| u16::from_le_bytes(elf[o..o + 2].try_into().unwrap()) as usize;
    let phoff = u64::from_le_bytes(elf[0x20..0x28].try_into().unwrap()) as usize;
    let (size, count) = (u16_at(0x36), u16_at(0x38));
    (0..count)
        .map(|i| u32::from_le_bytes(elf[phoff + i * size..][..4].try_into().unwrap()))
        .filter(|&t| t == 2 || t == 3)
        .collect()
}

/// The cross builds share cargo and rustup: one at a time.
static CROSS: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn script(name: &str, args: &[&str], env: &[(&str, &str)]) -> String {
    let mut c = Command::new("bash");
    c.arg(root().join("scripts").join(name)).args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    let o = c.output().unwrap();
    assert!(o.status.success(), "{name}: {}", stderr(&o));
    stdout(&o).trim().to_string()
}

#[test]
#[ignore = "needs cargo-zigbuild and zig (scripts/build-linux.sh installs them), python3-gi (GLib's launcher) and desktop-file-utils"]
fn the_static_release_folder_double_clicked_through_glib_reads_only_the_office_month() {
    let _one = CROSS.lock().unwrap_or_else(|e| e.into_inner());
    let folder = script(
        "release-linux.sh",
        &["x86_64"],
        &[("HUIZONG_PROFILE", "debug")],
    );
    let folder = root().join(folder);
    let binary = std::fs::read(folder.join("huizong")).unwrap();
    assert_eq!(
        dynamic_parts(&binary),
        Vec::<u32>::new(),
        "no loader, no shared library: starts on glibc 2.28 or none"
    );
    // Unpack the archive as the clerk does: tar keeps the launcher executable.
    let t = tempfile::tempdir().unwrap();
    let home = t.path().join("主文件夹 甲");
    std::fs::create_dir_all(&home).unwrap();
    let tarball = PathBuf::from(format!("{}.tar.gz", folder.display()));
    let untar = Command::new("tar")
        .arg("-xzf")
        .arg(&tarball)
        .current_dir(&home)
        .output()
        .unwrap();
    assert!(untar.status.success(), "{}", stderr(&untar));
    let d = home.join(folder.file_name().unwrap());
    for own in [
        "huizong",
        "huizong.sh",
        "汇总.desktop",
        "使用说明.txt",
        "报表",
        "示例数据",
        "空白模板",
    ] {
        assert!(d.join(own).exists(), "the release folder holds {own}");
    }
    use std::os::unix::fs::PermissionsExt;
    for exe in ["huizong", "huizong.sh", "汇总.desktop"] {
        let mode = std::fs::metadata(d.join(exe)).unwrap().permissions().mode();
        assert!(mode & 0o100 != 0, "{exe} unpacks executable");
    }
    let valid = Command::new("desktop-file-validate")
        .arg(d.join("汇总.desktop"))
        .output()
        .unwrap();
    assert!(
        valid.status.success() && valid.stdout.is_empty(),
        "{}",
        stdout(&valid)
    );
    office_month(&d.join("报表"));

    // GLib's launcher, as the file managers of Kylin (Peony) and UOS (dde-file-manager)
    // call it on a double-click: Terminal=true runs a terminal from GLib's list; a stand-in
    // `xterm` here runs the command with the clerk's Enter and keeps the console.
    let fake = t.path().join("bin");
    std::fs::create_dir_all(&fake).unwrap();
    let log = t.path().join("terminal");
    std::fs::create_dir_all(&log).unwrap();
    std::fs::write(log.join("typed"), "\n").unwrap();
    let terminal = format!(
        "#!/bin/sh\n[ \"$1\" = -e ] && shift\n\"$@\" <'{l}/typed' >'{l}/console' 2>&1\necho $? >'{l}/done'\n",
        l = log.display()
    );
    // GLib's list ends with xterm; huizong.sh, started without a terminal, asks for Debian's
    // x-terminal-emulator: the stand-in answers to both.
    for name in ["xterm", "x-terminal-emulator"] {
        std::fs::write(fake.join(name), &terminal).unwrap();
        std::fs::set_permissions(fake.join(name), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let launched = Command::new("/usr/bin/python3")
        .arg("-c")
        .arg(
            "import sys, gi\n\
             gi.require_version('Gio', '2.0')\n\
             from gi.repository import Gio\n\
             app = Gio.DesktopAppInfo.new_from_filename(sys.argv[1])\n\
             assert app is not None, 'not a valid desktop file'\n\
             assert app.launch([], None)\n",
        )
        .arg(d.join("汇总.desktop"))
        .env("PATH", format!("{}:/usr/bin:/bin", fake.display()))
        // A desktop session: the launcher may open a terminal.
        .env("DISPLAY", ":0")
        .current_dir(t.path())
        .output()
        .unwrap();
    assert!(launched.status.success(), "{}", stderr(&launched));
    let done = log.join("done");
    let start = std::time::Instant::now();
    while !done.exists() && start.elapsed().as_secs() < 300 {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    let console = std::fs::read_to_string(log.join("console")).unwrap_or_default();
    assert_eq!(
        std::fs::read_to_string(&done).unwrap_or_default().trim(),
        "0",
        "{console}"
    );
    assert!(
        console.contains(&Desk::Linux.say(double_click::NEVER_READ)),
        "{console}"
    );
    assert_office_month(
        &d.join("output/2020年1月重点任务进展汇总.xlsx"),
        &d.join("报表"),
    );

    // Its reading processes allocate with mimalloc, which reserved address space before
    // they capped their memory: a worker capped at 16 MB read every file. Capped now from
    // its first allocation, no reader fits, and no task list can be read.
    let capped = crate::public_files::samples_capped_at(16);
    let o = Command::new(d.join("huizong"))
        .args(["check", "samples"])
        .current_dir(capped.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("没有找到任务清单"), "{}", stderr(&o));
}

#[test]
#[ignore = "needs qemu-user, cargo-zigbuild and zig (scripts/build-linux.sh installs the last two)"]
fn the_arm64_binary_under_qemu_gives_every_figure_of_the_native_run() {
    let _one = CROSS.lock().unwrap_or_else(|e| e.into_inner());
    // A debug build: CI's time; the release script builds the shipped one the same way.
    let binary = root().join(script("build-linux.sh", &["aarch64", "--debug"], &[]));
    let elf = std::fs::read(&binary).unwrap();
    assert_eq!(
        u16::from_le_bytes([elf[18], elf[19]]),
        183,
        "an ARM64 binary"
    );
    assert_eq!(dynamic_parts(&elf), Vec::<u32>::new(), "static");

    let t = samples_copy();
    let native = huizong(t.path(), &["run", "samples", "--quiet", "--out", "native"]);
    assert!(native.status.success(), "{}", stderr(&native));
    let arm = Command::new("qemu-aarch64")
        .arg(&binary)
        .args(["run", "samples", "--quiet", "--out", "arm64"])
        .current_dir(t.path())
        .output()
        .unwrap();
    assert!(arm.status.success(), "{}", stderr(&arm));
    let (native, arm) = (t.path().join("native"), t.path().join("arm64"));
    let workbooks: Vec<PathBuf> = files_under(&native)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "xlsx"))
        .collect();
    assert!(
        workbooks.len() >= 3,
        "the summary, the statistics table and corrections: {workbooks:?}"
    );
    assert_eq!(
        workbooks,
        files_under(&arm)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|x| x == "xlsx"))
            .collect::<Vec<_>>(),
        "the same workbooks"
    );
    let mut cells = 0;
    for w in &workbooks {
        let (a, b) = (every_cell(&native.join(w)), every_cell(&arm.join(w)));
        assert_eq!(a.len(), b.len(), "{}", w.display());
        for (place, v) in &a {
            assert_eq!(b.get(place), Some(v), "{} {place:?}", w.display());
        }
        cells += a.len();
    }
    assert!(cells > 5_000, "{cells} cells compared");
}
