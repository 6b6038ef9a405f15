//! The `huizong` binary: parse the flags, run the command, turn the result into an exit code.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use huizong::ExitStatus;
use huizong::cli::{CheckFormat, Cli, Resolved};
use huizong::read::worker;
use huizong::{app, double_click, report};

/// The static Linux builds replace musl's allocator, slow for this allocation-heavy reading
/// (docs/linux-builds.md); everywhere else the system's is used.
#[cfg(target_env = "musl")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc keeps freed pages for a while by default, which here costs a third more peak
/// memory than glibc for no measurable time: they are returned at once.
#[cfg(target_env = "musl")]
fn tune_allocator() {
    // `mi_option_purge_delay` of mimalloc.h (v2), which the bindings do not name.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: sets one of mimalloc's options; it takes effect on the next purge.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 0) }
}

fn main() -> ExitCode {
    #[cfg(target_env = "musl")]
    tune_allocator();
    // A reading process started by huizong itself (see `worker`).
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some(worker::SUBCOMMAND) {
        return ExitCode::from(worker::serve(&args[1..]) as u8);
    }
    // On Windows a clerk double-clicks huizong.exe, or drops a folder on it; on a Linux
    // desktop the launcher beside the binary starts it so (packaging/linux).
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let exe_dir = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(std::path::Path::to_path_buf));
    let start = match (args.split_first(), exe_dir.as_deref()) {
        (Some((first, rest)), Some(dir)) if first == double_click::LAUNCHER_ARG => Some((
            double_click::launcher_start(rest, dir),
            double_click::Desk::Linux,
        )),
        _ if cfg!(windows) => double_click::bare_start(&args, exe_dir.as_deref())
            .map(|s| (s, double_click::Desk::Windows)),
        _ => None,
    };
    if let Some((start, desk)) = start {
        let status = double_click::run(
            &start,
            desk,
            &mut std::io::stdin().lock(),
            &mut std::io::stderr(),
        );
        return ExitCode::from(status as u8);
    }
    let argv = huizong::cli::help_alias(std::env::args().collect());
    let cli = match Cli::try_parse_from(&argv) {
        Ok(c) => c,
        Err(e) => {
            // Help and version on standard output; a mistake, in Chinese, on standard error.
            let (text, code) = huizong::cli::explain(&e, &argv);
            if code == 0 {
                print!("{text}");
            } else {
                eprint!("{text}");
            }
            return ExitCode::from(code as u8);
        }
    };
    let status = match run(cli) {
        Ok(s) => s,
        Err(e) => {
            print_error(&e);
            ExitStatus::Failure
        }
    };
    ExitCode::from(status as u8)
}

/// Prints an error with its whole cause chain.
fn print_error(e: &huizong::error::Error) {
    eprintln!("{}", huizong::error::chain(e));
}

/// Leaves the month's data (every return's rows, the consolidated figures) to the system,
/// which takes the whole memory back when the process ends: freeing it piece by piece
/// first cost the run 9 ms at 1,200 returns, on one thread, after the last output was
/// written. Its files are all written and closed by then (the log writes unbuffered).
fn exit_without_freeing<T>(data: T) {
    std::mem::forget(data);
}

fn run(cli: Cli) -> huizong::error::Result<ExitStatus> {
    match cli.resolve()? {
        Resolved::Run {
            settings,
            export,
            quiet,
            strict,
        } => {
            huizong::log::install_panic_hook(&settings.log);
            let outcome = app::run(&settings, export)?;
            if !quiet {
                eprint!("{}", report::run_report(&outcome));
            }
            // A month with no return at all fails a scheduled run as errors do.
            let b = &outcome.loaded.batch;
            let (errors, ..) = b.counts;
            let status = if strict && (errors > 0 || b.current.is_empty()) {
                ExitStatus::DataErrors
            } else {
                ExitStatus::Success
            };
            exit_without_freeing(outcome);
            Ok(status)
        }
        Resolved::Check { settings, format } => {
            huizong::log::install_panic_hook(&settings.log);
            let loaded = app::load(&settings)?;
            if !loaded.log.is_empty() {
                eprintln!("读取过程的详细记录：{}", loaded.log.path().display());
            }
            let text = match format {
                CheckFormat::Json => report::check_json(&loaded.batch),
                CheckFormat::Text => report::check_text(&loaded.batch),
            };
            // The list is check's product: on standard output, so that
            // `huizong check 报表 > 问题.txt` keeps it. A closed pipe (`| head`) is not an error.
            let mut out = std::io::stdout().lock();
            let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
            eprintln!("{}", report::check_closing(&loaded.batch));
            let (errors, ..) = loaded.batch.counts;
            let status = if errors > 0 || loaded.batch.current.is_empty() {
                ExitStatus::DataErrors
            } else {
                ExitStatus::Success
            };
            exit_without_freeing(loaded);
            Ok(status)
        }
        Resolved::Template(t) => {
            let written = app::template(&t)?;
            eprintln!(
                "已生成 {} 个模板，保存在 {}",
                written.len(),
                t.out.display()
            );
            Ok(ExitStatus::Success)
        }
        Resolved::Tasks(t) => {
            let done = app::tasks_from(&t)?;
            eprintln!(
                "已从{}的模板生成本级任务清单（{} 项任务）：{}\n下一步：在“责任单位”列填写下级单位，再用 huizong template --tasks {} --period {} 为下级生成月报模板",
                done.upper.unit,
                done.upper.tasks.len(),
                done.path.display(),
                done.path.display(),
                done.upper
                    .period
                    .map(|p| p.code())
                    .unwrap_or_else(|| "YYYY-MM".into()),
            );
            Ok(ExitStatus::Success)
        }
    }
}
