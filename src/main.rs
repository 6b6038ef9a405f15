//! The `huizong` binary: parse the flags, run the command, turn the result into an exit code.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use huizong::ExitStatus;
use huizong::cli::{CheckFormat, Cli, Resolved};
use huizong::read::worker;
use huizong::{app, double_click, report};

/// On Linux the processes that read allocate with mimalloc (`allocator`); the static builds
/// (musl) do so everywhere. Elsewhere the system's allocator is used.
#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOCATOR: allocator::ByProcess = allocator::ByProcess;

#[cfg(target_os = "linux")]
mod allocator {
    //! Reading allocates a string a cell: mimalloc makes it about a tenth faster than glibc's
    //! allocator. The reading processes (workers, started with `worker::READER_ENV` set to
    //! their memory cap) use it, capped before its first allocation; the process that
    //! consolidates and writes keeps glibc's, with which its peak is lower
    //! (docs/benchmarks.md). musl's own allocator is slow for both, so the static builds use
    //! mimalloc in every process (docs/linux-builds.md).

    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicU8, Ordering};

    use huizong::read::worker::{READER_ENV, cap_memory};

    /// The system's allocator or mimalloc, chosen once, at the process's first allocation.
    pub struct ByProcess;

    const UNCHOSEN: u8 = 0;
    const SYSTEM: u8 = 1;
    const MIMALLOC: u8 = 2;
    static CHOSEN: AtomicU8 = AtomicU8::new(UNCHOSEN);

    #[inline]
    fn mimalloc() -> bool {
        match CHOSEN.load(Ordering::Relaxed) {
            UNCHOSEN => {
                // SAFETY: getenv allocates nothing, and nothing in this program writes the
                // environment. Every call decides the same, so a race could not mix the two.
                let cap = unsafe { libc::getenv(READER_ENV.as_ptr()) };
                if !cap.is_null() {
                    // SAFETY: getenv's value is a C string that lives as long as the process.
                    let mb = unsafe { std::ffi::CStr::from_ptr(cap) }.to_bytes();
                    // The worker caps itself again, and says so when it cannot; capped here,
                    // no block of mimalloc's is reserved outside the cap.
                    if let Some(mb) = whole_number(mb) {
                        let _ = cap_memory(mb);
                    }
                }
                let set = cfg!(target_env = "musl") || !cap.is_null();
                if set {
                    configure_mimalloc();
                } else {
                    configure_glibc();
                }
                CHOSEN.store(if set { MIMALLOC } else { SYSTEM }, Ordering::Relaxed);
                set
            }
            c => c == MIMALLOC,
        }
    }

    /// `400` as a number, without allocating; `None` for anything else.
    fn whole_number(digits: &[u8]) -> Option<u64> {
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        digits.iter().try_fold(0u64, |n, d| {
            n.checked_mul(10)?.checked_add(u64::from(d - b'0'))
        })
    }

    /// Options set before mimalloc's first allocation (`mi_option_*` of mimalloc.h, v2,
    /// which the bindings do not all name).
    fn configure_mimalloc() {
        const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
        const ARENA_RESERVE: libmimalloc_sys::mi_option_t = 23;
        // SAFETY: sets mimalloc's options; nothing has been allocated with it yet.
        unsafe {
            // By default mimalloc reserves 1 GiB of address space at a time, more than a
            // worker's cap (RLIMIT_AS) allows; without the reserve each segment is asked of
            // the system, and counted against the cap.
            libmimalloc_sys::mi_option_set(ARENA_RESERVE, 0);
            // mimalloc keeps freed pages for a while by default, which in the process that
            // writes costs a third more peak memory than glibc for no measurable time: the
            // static builds return them at once.
            if cfg!(target_env = "musl") {
                libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
            }
        }
    }

    /// glibc maps a block of 128 KiB or more on its own and gives it back when it is freed,
    /// but by default raises that threshold to the size of each such block freed (up to 32
    /// MiB): after the first large buffer was freed, the writers' large buffers (a sheet's
    /// XML, the zip being written) were carved from the heaps, and their room kept. Set,
    /// the threshold stays at glibc's starting value: 2–2.5 MiB less at the process's peak
    /// on every kind of corpus, the same time (docs/benchmarks.md, 2026-12-06).
    fn configure_glibc() {
        // SAFETY: mallopt sets one of glibc's malloc parameters and allocates nothing here.
        #[cfg(target_env = "gnu")]
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, 128 << 10);
        }
    }

    /// Whether this process allocates with mimalloc.
    #[cfg(test)]
    pub fn is_mimalloc() -> bool {
        mimalloc()
    }

    // SAFETY: each call goes to the one allocator chosen for the whole process, so every
    // block is freed or resized by the allocator that made it.
    unsafe impl GlobalAlloc for ByProcess {
        #[inline]
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            if mimalloc() {
                unsafe { mimalloc::MiMalloc.alloc(layout) }
            } else {
                unsafe { System.alloc(layout) }
            }
        }

        #[inline]
        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            if mimalloc() {
                unsafe { mimalloc::MiMalloc.alloc_zeroed(layout) }
            } else {
                unsafe { System.alloc_zeroed(layout) }
            }
        }

        #[inline]
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            if mimalloc() {
                unsafe { mimalloc::MiMalloc.dealloc(ptr, layout) }
            } else {
                unsafe { System.dealloc(ptr, layout) }
            }
        }

        #[inline]
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            if mimalloc() {
                unsafe { mimalloc::MiMalloc.realloc(ptr, layout, new_size) }
            } else {
                unsafe { System.realloc(ptr, layout, new_size) }
            }
        }
    }
}

fn main() -> ExitCode {
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

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use huizong::read::worker::READER_ENV;

    use super::allocator;

    fn reading_env() -> &'static str {
        READER_ENV.to_str().expect("ASCII")
    }

    /// Run twice: here, where the variable is not set, and by the next test in a process of
    /// its own that has it, as a worker has: mimalloc there, under the cap it names.
    #[test]
    fn the_allocator_is_the_one_the_environment_names() {
        // The static builds allocate with mimalloc in every process.
        let set = cfg!(target_env = "musl") || std::env::var_os(reading_env()).is_some();
        let b = Box::new([7u8; 100]);
        assert_eq!(b.iter().map(|&x| u32::from(x)).sum::<u32>(), 700);
        assert_eq!(allocator::is_mimalloc(), set);
        // A reading process is capped from its first allocation on.
        if let Some(mb) = std::env::var_os(reading_env()) {
            let mb: u64 = mb.to_str().unwrap().parse().unwrap();
            let mut limit = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            // SAFETY: getrlimit writes the struct it is given.
            assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_AS, &mut limit) }, 0);
            assert_eq!(limit.rlim_cur, mb << 20);
        }
    }

    /// The process that writes keeps large blocks mapped on their own: after a larger one is
    /// freed, a block of 1 MiB is mapped too, not carved from a heap (glibc's default).
    #[cfg(target_env = "gnu")]
    #[test]
    fn a_large_block_is_mapped_on_its_own_after_a_larger_one_is_freed() {
        assert!(!allocator::is_mimalloc());
        // SAFETY: mallinfo2 only reads glibc's counters.
        let mapped = || unsafe { libc::mallinfo2() }.hblkhd;
        drop(std::hint::black_box(vec![1u8; 8 << 20]));
        let before = mapped();
        let block = std::hint::black_box(vec![1u8; 1 << 20]);
        let after = mapped();
        assert!(
            after >= before + (1 << 20),
            "mapped {before} bytes before, {after} after"
        );
        drop(block);
    }

    #[test]
    fn a_process_started_as_a_worker_allocates_with_mimalloc() {
        let me = std::env::current_exe().unwrap();
        let out = std::process::Command::new(me)
            .env(reading_env(), "400")
            .args([
                "--exact",
                "tests::the_allocator_is_the_one_the_environment_names",
                "--test-threads=1",
            ])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{stdout}");
        assert!(stdout.contains("1 passed"), "{stdout}");
    }
}
