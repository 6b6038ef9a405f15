//! The benchmark: makes a synthetic corpus and measures `huizong run` on it.
//!
//! ```sh
//! cargo run --release --example bench -- --units 100 --months 12
//! cargo run --release --example bench -- --units 834 --months 12 --tasks 15   # ≈ 10,000 returns
//! cargo run --release --example bench -- --kind other      # as another program writes them
//! cargo run --release --example bench -- --kind resaved    # re-saved by LibreOffice
//! cargo run --release --example bench -- --kind own        # units' own forms
//! ```
//!
//! The corpus is written to a temporary folder (or `--keep DIR`); the run is measured in a
//! child process so that its peak memory is not the generator's: wall time, time per return
//! and peak resident memory (VmHWM) are printed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

struct Args {
    units: usize,
    months: u32,
    tasks: usize,
    jobs: Option<usize>,
    keep: Option<PathBuf>,
    noise: bool,
    runs: usize,
    kind: Kind,
}

fn parse() -> Args {
    let mut a = Args {
        units: 100,
        months: 12,
        tasks: 15,
        jobs: None,
        keep: None,
        noise: true,
        runs: 3,
        kind: Kind::Templates,
    };
    let v: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < v.len() {
        let val = v.get(i + 1).cloned().unwrap_or_default();
        match v[i].as_str() {
            "--units" => a.units = val.parse().expect("--units N"),
            "--months" => a.months = val.parse().expect("--months N"),
            "--tasks" => a.tasks = val.parse().expect("--tasks N"),
            "--jobs" => a.jobs = Some(val.parse().expect("--jobs N")),
            "--keep" => a.keep = Some(PathBuf::from(val)),
            "--runs" => a.runs = val.parse().expect("--runs N"),
            "--kind" => {
                a.kind = match val.as_str() {
                    "templates" => Kind::Templates,
                    "other" => Kind::Other,
                    "resaved" => Kind::Resaved,
                    "own" => Kind::Own,
                    k => panic!("--kind templates|other|resaved|own, not {k}"),
                }
            }
            "--clean" => {
                a.noise = false;
                i -= 1;
            }
            "--floor" => {
                floor(Path::new(&val));
                std::process::exit(0);
            }
            "--load" => {
                // Reading and checking only, as `--measure` reads (workers unless
                // HUIZONG_BENCH_IN_PROCESS is set): what the isolation of reading costs.
                load(Path::new(&val));
                std::process::exit(0);
            }
            "--measure" => {
                // `--measure DIR [N]` or `--measure DIR --jobs N`.
                let jobs = match v.get(i + 2).map(String::as_str) {
                    Some("--jobs") => v.get(i + 3),
                    _ => v.get(i + 2),
                };
                measure(Path::new(&val), jobs.and_then(|j| j.parse().ok()));
                std::process::exit(0);
            }
            other => panic!("unknown argument {other}"),
        }
        i += 2;
    }
    a
}

/// Reads and checks the month in `dir` (`huizong::app::load`), nothing written; prints the
/// time it took and the returns it counted.
fn load(dir: &Path) {
    let settings = settings(dir, None);
    let start = Instant::now();
    let loaded = huizong::app::load(&settings).expect("load");
    // Said every time: a bench copied away from its huizong reads in-process, and a
    // comparison of the two ways would compare one way with itself.
    let how = match &settings.worker {
        Some(w) => format!("in worker processes ({})", w.display()),
        None => "in-process".to_string(),
    };
    println!(
        "read+validate {how}: {} files in {:.3} s, {:.2} s CPU",
        loaded.files,
        start.elapsed().as_secs_f64(),
        cpu_secs()
    );
    // As `huizong run` leaves the month's data to the system at its end (`main.rs`,
    // `exit_without_freeing`): freeing it is no work a user's run does.
    std::mem::forget(loaded);
}

/// The huizong binary of this build, to run the workers: `target/release/huizong` for
/// `target/release/examples/bench`, or one beside a copied bench.
fn worker_binary() -> Option<std::path::PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let name = format!("huizong{}", std::env::consts::EXE_SUFFIX);
    let dir = exe.parent()?;
    [dir.parent().map(|d| d.join(&name)), Some(dir.join(&name))]
        .into_iter()
        .flatten()
        .find(|p| p.is_file())
}

/// The settings `huizong run DIR` would use, the output under `DIR/_out`.
fn settings(dir: &Path, jobs: Option<usize>) -> huizong::app::Settings {
    huizong::app::Settings {
        dir: dir.to_path_buf(),
        tasks: None,
        config: None,
        period: None,
        out: dir.join("_out"),
        jobs,
        progress: false,
        // As `huizong run` reads: in worker processes (the huizong binary of this build),
        // unless HUIZONG_BENCH_IN_PROCESS is set.
        worker: std::env::var_os("HUIZONG_BENCH_IN_PROCESS")
            .is_none()
            .then(worker_binary)
            .flatten(),
        log: dir.join("_out").join("huizong.log"),
        last_year: None,
        amount_unit: None,
        report_to: None,
    }
}

/// Child process: one `run` in-process, then its wall time and peak memory.
fn measure(dir: &Path, jobs: Option<usize>) {
    let settings = settings(dir, jobs);
    if std::env::var_os("HUIZONG_BENCH_PHASES").is_some() {
        let t = Instant::now();
        let loaded = huizong::app::load(&settings).expect("load");
        let t_load = t.elapsed().as_secs_f64();
        let m_load = rss_mb();
        let t = Instant::now();
        let out = dir.join("_out");
        std::fs::create_dir_all(&out).expect("output folder");
        let c =
            huizong::consolidate::consolidate(&loaded.batch, &loaded.config).expect("consolidate");
        let t_consolidate = t.elapsed().as_secs_f64();
        let t = Instant::now();
        huizong::write::summary::write(&c, &loaded.config, ".", &out.join("phases.xlsx"))
            .expect("summary");
        let t_summary = t.elapsed().as_secs_f64();
        eprintln!(
            "phases: read+validate {t_load:.3} s ({m_load:.0} MB resident), consolidated \
             {t_consolidate:.3} s, summary written {t_summary:.3} s (peak {:.0} MB)",
            hwm_mb()
        );
        // The measured run below starts from a fresh process state only in a new child.
        std::process::exit(0);
    }
    let start = Instant::now();
    let o = huizong::app::run(&settings, None).expect("run");
    let secs = start.elapsed().as_secs_f64();
    let hwm = hwm_mb() * 1024.0;
    let (e, w, _) = o.loaded.batch.counts;
    println!("{secs} {hwm} {} {e} {w} {}", o.loaded.files, cpu_secs());
}

/// The floor any calamine-based reader pays: every workbook under `dir` opened with calamine
/// and every sheet read whole, in parallel, nothing else (no guard, no checks, no summary).
fn floor(dir: &Path) {
    use calamine::Reader;
    use rayon::prelude::*;
    // Every workbook calamine opens (.xlsx, .xls and the rest), as huizong reads them all.
    let pattern = format!("{}/**/*", dir.display());
    let opened = |p: &PathBuf| {
        p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            ["xlsx", "xlsm", "xls", "xlsb", "ods"]
                .iter()
                .any(|x| e.eq_ignore_ascii_case(x))
        })
    };
    let files: Vec<PathBuf> = glob::glob(&pattern)
        .expect("pattern")
        .flatten()
        .filter(|p| opened(p) && !p.components().any(|c| c.as_os_str() == "_out"))
        .collect();
    let start = Instant::now();
    let cells: usize = files
        .par_iter()
        .map(|f| {
            let bytes = std::fs::read(f).expect("read");
            let mut book =
                calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).expect("open");
            book.sheet_names()
                .iter()
                .map(|n| {
                    book.worksheet_range(n)
                        .map_or(0, |r| r.used_cells().count())
                })
                .sum::<usize>()
        })
        .sum();
    let secs = start.elapsed().as_secs_f64();
    println!(
        "calamine alone: {} workbooks, {cells} cells in {secs:.3} s ({:.3} ms per workbook), {:.2} s CPU",
        files.len(),
        secs * 1000.0 / files.len().max(1) as f64,
        cpu_secs()
    );
}

/// A memory figure of this process from /proc/self/status, in MB.
fn status_mb(key: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|k| k.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Resident memory now.
fn rss_mb() -> f64 {
    status_mb("VmRSS:")
}

/// Peak resident memory so far.
fn hwm_mb() -> f64 {
    status_mb("VmHWM:")
}

/// User plus system CPU time of this process so far (Linux; clock ticks of 1/100 s). On a
/// shared machine CPU time varies less than wall time between runs.
fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|t| t.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let a = parse();
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = a.keep.clone().unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir).expect("corpus dir");
    let t = Instant::now();
    let list = huizong::samples::generate_corpus(&dir, a.units, a.months, a.tasks, a.noise)
        .expect("corpus");
    rewrite(&dir, &list, &a);
    let returns = a.units * a.months as usize;
    eprintln!(
        "语料：{} 个单位 × {} 个月 = {returns} 份月报，每份 {} 项任务（生成用时 {:.1} s）",
        a.units,
        a.months,
        a.tasks,
        t.elapsed().as_secs_f64()
    );
    let exe = std::env::current_exe().expect("exe");
    let mut best = f64::MAX;
    for run in 1..=a.runs {
        let mut cmd = Command::new(&exe);
        cmd.arg("--measure").arg(&dir);
        if let Some(j) = a.jobs {
            cmd.arg(j.to_string());
        }
        let out = cmd.output().expect("child");
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
        let line = String::from_utf8_lossy(&out.stdout);
        let f: Vec<&str> = line.split_whitespace().collect();
        if std::env::var_os("HUIZONG_BENCH_PHASES").is_some() {
            // The child printed its phases instead of a measured run.
            continue;
        }
        assert!(
            f.len() == 6,
            "child failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let secs: f64 = f[0].parse().unwrap_or(0.0);
        let mb = f[1].parse::<f64>().unwrap_or(0.0) / 1024.0;
        let cpu: f64 = f[5].parse().unwrap_or(0.0);
        best = best.min(secs);
        println!(
            "run {run}: {secs:.3} s wall, {:.3} ms per return, {cpu:.2} s CPU, peak memory {mb:.0} MB ({} files, {} errors, {} warnings)",
            secs * 1000.0 / returns as f64,
            f[2],
            f[3],
            f[4]
        );
    }
    println!(
        "best: {best:.3} s for {returns} returns ({:.3} ms per return)",
        best * 1000.0 / returns as f64
    );
    if a.keep.is_some() {
        eprintln!("语料保留在 {}", dir.display());
    }
}

/// How the corpus's returns are written.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// By huizong's own templates (the hidden `_huizong` sheet, locked cells).
    Templates,
    /// The contract's layout as another program writes it (a script, an export): no hidden
    /// sheet, identity from the labels only; every other unit's strings inline rather than
    /// shared; a figure typed as text here and there.
    Other,
    /// Every return re-saved by LibreOffice (`soffice --convert-to`): its own styles, shared
    /// strings and XML, and no hidden sheet kept hidden the same way.
    Resaved,
    /// A unit's own form: a title instead of labels, a two-row header with a merged
    /// 完成情况, rows named by the task (序号, no id); investment on its own sheet in 元 under
    /// a `单位：元` line, 资金来源 merged over the five sources.
    Own,
}

/// Rewrites the corpus's returns in `kind`'s shape, each with the values it already holds.
fn rewrite(dir: &Path, list: &huizong::model::TaskList, a: &Args) {
    match a.kind {
        Kind::Templates => {}
        Kind::Other | Kind::Own => {
            let shape = match a.kind {
                Kind::Other => huizong::samples::Shape::OtherProgram,
                _ => huizong::samples::Shape::OwnForm,
            };
            huizong::samples::rewrite_corpus(dir, list, a.months, a.noise, shape).expect("rewrite")
        }
        Kind::Resaved => {
            for m in 1..=a.months.min(12) {
                let p = huizong::model::Period::new(2020, m).expect("month");
                let folder = dir.join(p.label());
                let out = dir.join(format!("_resaving_{m}"));
                let files: Vec<PathBuf> = std::fs::read_dir(&folder)
                    .expect("month folder")
                    .flatten()
                    .map(|e| e.path())
                    .collect();
                let status = Command::new("soffice")
                    .args(["--headless", "--convert-to", "xlsx", "--outdir"])
                    .arg(&out)
                    .args(&files)
                    .output()
                    .expect("soffice (libreoffice-calc) on PATH");
                assert!(status.status.success(), "soffice failed");
                for f in std::fs::read_dir(&out).expect("re-saved").flatten() {
                    std::fs::rename(f.path(), folder.join(f.file_name())).expect("move");
                }
                std::fs::remove_dir_all(&out).expect("clean");
            }
        }
    }
}
