//! Reading files in worker processes: the last line of defence, which does not depend on
//! knowing a reader's bug in advance.
//!
//! huizong re-runs itself with the hidden sub-command `__worker`; a worker reads one file at
//! a time (paths on its standard input, one JSON line each) and answers with the file as
//! read on its standard output: its length in eight bytes, then the file in postcard's
//! compact binary form, its rows apart (`answer`: decoded when asked for; parsing JSON
//! answers cost the parent a tenth of its reading time).
//! `__worker MB SOURCE json` answers one JSON line per file instead, to look at what a
//! worker reads. Each worker runs under a memory cap where
//! the system gives one (Unix: `RLIMIT_AS`; Windows: a job object), so a file that would exhaust memory, loop or
//! crash a library ends that worker only: the file gets a finding, a new worker takes its
//! place, and the batch goes on. The details go to the run's log (`huizong.log`).

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::discover::Found;
use crate::finding::{Code, Finding};
use crate::log::Log;
use crate::messages as msg;
use crate::model::RawWorkbook;
use crate::read::{self, Answer, answer as wire};

/// The hidden sub-command that makes the process a worker.
pub const SUBCOMMAND: &str = "__worker";
/// A worker's first line: its memory is capped and it reads requests.
const READY: &str = "ready";
/// A worker's first and last line: its memory could not be capped (or no thread started to
/// take its requests), it reads nothing.
const NOT_CAPPED: &str = "not capped";
/// Set in a worker's environment to its memory cap in MB. The binary caps the process at its
/// first allocation (see `main.rs`), before anything is allocated, and allocates with
/// mimalloc there, which makes reading about a tenth faster; the process that consolidates and
/// writes keeps the system's allocator, with which its peak is lower.
pub const READER_ENV: &std::ffi::CStr = c"HUIZONG_READER_MEMORY_MB";
/// The largest answer taken: more is no workbook a worker read but a broken pipe.
const MAX_ANSWER: u64 = 1 << 31;
/// How many files a worker is sent ahead of the answers taken from it. With the reading
/// threads taking their turn on the scheduler's tick (`no_wakeup_preemption`), a worker kept
/// four deep ran dry every few files and waited for its thread: about 700 context switches a
/// month of 1,200 returns. 32 deep and topped up sixteen at a time, about 300, and units' own
/// forms read in about 5 % less time (docs/benchmarks.md, 2026-12-07).
const DEPTH: usize = 32;
/// The room for a worker's answers not yet taken (Linux; elsewhere the system's pipe): 32 of
/// a unit's returns, and the task list, fit.
#[cfg(target_os = "linux")]
const ANSWER_PIPE: libc::c_int = 1 << 20;

/// How many files a worker may have queued while `left` files are not yet handed out among
/// `threads` workers: [`DEPTH`], down to an even share of what is left at the end, so that
/// no worker is still reading a long queue while the others have finished.
fn ahead(left: usize, threads: usize) -> usize {
    (left / threads.max(1)).clamp(1, DEPTH)
}

/// How the parent finds the worker's configuration: the same resolution as its own.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ConfigSource {
    /// `--config`.
    pub file: Option<PathBuf>,
    /// The input folder (its `huizong.toml`).
    pub dir: Option<PathBuf>,
}

#[derive(Serialize, Deserialize)]
struct Request {
    path: PathBuf,
    rel: String,
}

/// One worker process and its pipes.
struct Worker {
    child: Child,
    to: BufWriter<ChildStdin>,
    from: BufReader<ChildStdout>,
    /// Where the worker's standard error goes, read when it dies.
    stderr: PathBuf,
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.stderr);
    }
}

/// Worker processes, one per reading thread, replaced when one dies.
pub struct Pool<'a> {
    exe: PathBuf,
    source: ConfigSource,
    memory_mb: u64,
    log: &'a Log,
    spawned: AtomicUsize,
    /// Workers being started ahead of the reading ([`Pool::start_ahead`]), each on a
    /// thread of its own; the first threads that read take them.
    ahead: Mutex<Vec<std::thread::JoinHandle<std::io::Result<Worker>>>>,
}

/// What starts one worker, owned, so that a thread of its own can start it.
struct Start {
    exe: PathBuf,
    source: ConfigSource,
    memory_mb: u64,
    /// The worker's number in this run, which names its standard error's file.
    n: usize,
}

impl<'a> Pool<'a> {
    /// A pool of workers made by running `exe`; none is started until a file needs one.
    pub fn new(exe: PathBuf, source: ConfigSource, config: &Config, log: &'a Log) -> Pool<'a> {
        Pool {
            exe,
            source,
            memory_mb: config.limits.worker_memory_mb,
            log,
            spawned: AtomicUsize::new(0),
            ahead: Mutex::new(Vec::new()),
        }
    }

    /// Starts `n` workers now, while the caller goes on (finding the files to read): a
    /// worker takes a few milliseconds to start (the program loaded and linked, its memory
    /// capped, the configuration read), which the reading otherwise waits for at its
    /// beginning. A worker that is not taken is ended with the pool.
    pub fn start_ahead(&self, n: usize) {
        let Ok(mut ahead) = self.ahead.lock() else {
            return;
        };
        for _ in 0..n {
            let start = self.start();
            match std::thread::Builder::new().spawn(move || start.spawn()) {
                Ok(handle) => ahead.push(handle),
                // No thread to spare: the reading starts its workers itself.
                Err(_) => break,
            }
        }
    }

    /// A worker started ahead, once it has started (or failed to), or a new one.
    fn spawn(&self) -> std::io::Result<Worker> {
        let ahead = self.ahead.lock().ok().and_then(|mut a| a.pop());
        match ahead {
            Some(handle) => handle
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("读取进程未能启动"))),
            None => self.start().spawn(),
        }
    }

    fn start(&self) -> Start {
        Start {
            exe: self.exe.clone(),
            source: self.source.clone(),
            memory_mb: self.memory_mb,
            n: self.spawned.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// Reads `files` in `threads` workers and hands each file, as read, to `each` (with its
    /// index in `files`), on the thread that talks to its worker. Never fails: a worker that
    /// dies costs the file it was reading only, and the files queued behind it go to its
    /// replacement.
    ///
    /// Each worker is kept up to [`DEPTH`] files ahead: while `each` interprets here, the
    /// worker already reads the next ones, so neither side waits for the other.
    pub fn read_each<F>(&self, files: &[&Found], threads: usize, each: F)
    where
        F: Fn(usize, Answer<'_>) + Sync,
    {
        let threads = threads.clamp(1, files.len().max(1));
        let next = AtomicUsize::new(0);
        let take = |queued: usize| {
            let left = files.len().saturating_sub(next.load(Ordering::Relaxed));
            if queued >= ahead(left, threads) {
                return None;
            }
            let i = next.fetch_add(1, Ordering::Relaxed);
            (i < files.len()).then_some(i)
        };
        std::thread::scope(|scope| {
            for _ in 0..threads {
                scope.spawn(|| self.feed(files, &take, &each));
            }
        });
    }

    /// One thread's loop: keeps one worker busy with the files `take` hands out (given how
    /// many this worker has queued, it says whether to queue one more).
    fn feed<F>(&self, files: &[&Found], take: &dyn Fn(usize) -> Option<usize>, each: &F)
    where
        F: Fn(usize, Answer<'_>),
    {
        no_wakeup_preemption();
        let mut queued: VecDeque<usize> = VecDeque::with_capacity(DEPTH);
        let mut worker: Option<Worker> = None;
        let mut answer = Vec::new();
        loop {
            // Keep the worker's queue full, topped up once half of it is read: the worker
            // takes requests in batches, not waking once a file for each. A request that
            // cannot be written is found out below, when its answer does not come.
            let mut sent = false;
            let refill = queued.len() <= DEPTH / 2;
            while refill && let Some(i) = take(queued.len()) {
                queued.push_back(i);
                if let Some(w) = worker.as_mut() {
                    sent |= send(w, files[i]).is_ok();
                }
            }
            if sent && let Some(w) = worker.as_mut() {
                let _ = flush(w);
            }
            let Some(i) = queued.pop_front() else { break };
            if worker.is_none() {
                match self.spawn() {
                    Ok(mut w) => {
                        for &j in std::iter::once(&i).chain(queued.iter()) {
                            let _ = send(&mut w, files[j]);
                        }
                        let _ = flush(&mut w);
                        worker = Some(w);
                    }
                    Err(e) => {
                        // No process can be started here (a locked-down machine): read
                        // in-process, one file at a time.
                        self.log.line(&format!(
                            "无法启动读取进程（{e}），在主进程中读取 {}",
                            files[i].rel
                        ));
                        each(
                            i,
                            Answer::whole(read_caught(
                                &files[i].path,
                                &files[i].rel,
                                &self.config(),
                            )),
                        );
                        continue;
                    }
                }
            }
            let w = worker.as_mut().expect("a worker was just started");
            match receive(w, &mut answer) {
                Ok(wb) => {
                    if wb
                        .head()
                        .findings
                        .iter()
                        .any(|x| x.message == msg::READER_PANIC)
                    {
                        // The worker caught a panic: its message is in the worker's stderr.
                        let err = std::fs::read_to_string(&w.stderr).unwrap_or_default();
                        self.log.line(&format!(
                            "读取 {} 时出现内部错误：{}",
                            files[i].rel,
                            err.trim()
                        ));
                        let _ = std::fs::File::create(&w.stderr);
                    }
                    each(i, wb);
                }
                Err(why) => {
                    // A worker answers in order, so it died reading this file; the files
                    // queued behind it go to its replacement.
                    let dead = worker.take().expect("the worker just asked");
                    each(i, Answer::whole(self.died(dead, files[i], &why)));
                }
            }
        }
    }

    /// Reads one file in a worker (the task list named on the command line).
    pub fn read_one(&self, f: &Found) -> RawWorkbook {
        let out = Mutex::new(None);
        self.read_each(&[f], 1, |_, wb| {
            if let Ok(mut o) = out.lock() {
                *o = Some(wb.into_workbook());
            }
        });
        out.into_inner()
            .ok()
            .flatten()
            .unwrap_or_else(|| RawWorkbook::new(f.path.clone(), f.rel.clone()))
    }

    /// The configuration, loaded as the workers load it (only when no worker can start).
    fn config(&self) -> Config {
        Config::load(self.source.file.as_deref(), self.source.dir.as_deref())
            .unwrap_or_else(|_| Config::embedded())
    }

    /// A worker died (or answered nonsense) while reading `f`: the file's finding, the
    /// details in the log.
    fn died(&self, mut worker: Worker, f: &Found, why: &str) -> RawWorkbook {
        let _ = worker.child.kill();
        let status = worker.child.wait().ok();
        let mut err = String::new();
        if let Ok(mut file) = std::fs::File::open(&worker.stderr) {
            let _ = file.read_to_string(&mut err);
        }
        let out_of_memory =
            err.contains("memory allocation of") || err.contains("capacity overflow");
        self.log.line(&format!(
            "读取进程在读取 {} 时终止（{why}；退出状态 {}）：{}",
            f.rel,
            status.map_or_else(|| "未知".to_string(), |s| s.to_string()),
            err.trim()
        ));
        let (code, text) = if out_of_memory {
            (Code::FileLimit, msg::worker_out_of_memory(self.memory_mb))
        } else {
            (Code::FileUnreadable, msg::WORKER_DIED.to_string())
        };
        RawWorkbook::failed(
            f.path.clone(),
            f.rel.clone(),
            Finding::new(code, text).file(f.rel.clone()),
        )
    }
}

impl Drop for Pool<'_> {
    /// Workers started ahead and never taken end here (each [`Worker`] ends its process).
    fn drop(&mut self) {
        let ahead = match self.ahead.get_mut() {
            Ok(a) => std::mem::take(a),
            Err(poisoned) => std::mem::take(poisoned.into_inner()),
        };
        for handle in ahead {
            let _ = handle.join();
        }
    }
}

impl Start {
    /// Starts the worker and waits until it says it is ready.
    fn spawn(self) -> std::io::Result<Worker> {
        let n = self.n;
        let stderr =
            std::env::temp_dir().join(format!("huizong-worker-{}-{n}.err", std::process::id()));
        let mut cmd = Command::new(&self.exe);
        cmd.arg(SUBCOMMAND)
            .env(
                READER_ENV.to_str().expect("ASCII"),
                self.memory_mb.to_string(),
            )
            .arg(self.memory_mb.to_string())
            .arg(serde_json::to_string(&self.source).unwrap_or_default())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // Appended to: the file is emptied after each caught panic is logged, and the
            // worker's next message must start at its beginning, not at the old offset.
            .stderr(Stdio::from(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&stderr)?,
            ));
        let mut child = cmd.spawn()?;
        if let Some(out) = &child.stdout {
            widen(out);
        }
        let to = BufWriter::new(child.stdin.take().expect("piped stdin"));
        let mut from =
            BufReader::with_capacity(1 << 16, child.stdout.take().expect("piped stdout"));
        // A worker says it is ready once its memory is capped; one that cannot cap it says
        // so, with why on its standard error, and ends: the files are read here instead. One
        // that ends before either (a cap too small to start in) costs the file it is sent,
        // as a worker's death always does.
        let mut first = String::new();
        let _ = from.read_line(&mut first);
        if first.trim_end() == NOT_CAPPED {
            let _ = child.wait();
            let why = std::fs::read_to_string(&stderr).unwrap_or_default();
            let _ = std::fs::remove_file(&stderr);
            return Err(std::io::Error::other(why.trim().to_string()));
        }
        Ok(Worker {
            child,
            to,
            from,
            stderr,
        })
    }
}

/// Gives a worker's answers [`ANSWER_PIPE`] bytes of room, where the system allows it (it
/// may refuse beyond `/proc/sys/fs/pipe-max-size`: the pipe then keeps its size, and a
/// worker with its answers untaken waits a little more often).
#[cfg(target_os = "linux")]
fn widen(pipe: &ChildStdout) {
    use std::os::fd::AsRawFd;
    // SAFETY: F_SETPIPE_SZ takes an int and changes only the size of the pipe behind the
    // descriptor, which `pipe` owns and keeps open for the call.
    let _ = unsafe { libc::fcntl(pipe.as_raw_fd(), libc::F_SETPIPE_SZ, ANSWER_PIPE) };
}

#[cfg(not(target_os = "linux"))]
fn widen(_pipe: &ChildStdout) {}

/// Writes one file's request for a worker; [`flush`] sends what is written.
fn send(w: &mut Worker, f: &Found) -> Result<(), String> {
    let req = Request {
        path: f.path.clone(),
        rel: f.rel.clone(),
    };
    serde_json::to_writer(&mut w.to, &req).map_err(|e| e.to_string())?;
    w.to.write_all(b"\n").map_err(|e| format!("写入失败：{e}"))
}

/// Sends the requests written to a worker.
fn flush(w: &mut Worker) -> Result<(), String> {
    w.to.flush().map_err(|e| format!("写入失败：{e}"))
}

/// Reads the worker's next answer (`buf` is kept from answer to answer, and holds the
/// answer's rows until they are decoded).
fn receive<'b>(w: &mut Worker, buf: &'b mut Vec<u8>) -> Result<Answer<'b>, String> {
    let mut len = [0u8; 8];
    match w.from.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            return Err("读取进程提前退出".to_string());
        }
        Err(e) => return Err(format!("读取失败：{e}")),
    }
    let len = u64::from_le_bytes(len);
    if len > MAX_ANSWER {
        return Err(format!("回答长度 {len} 字节，无法解析"));
    }
    buf.resize(len as usize, 0);
    w.from
        .read_exact(buf)
        .map_err(|e| format!("回答不完整：{e}"))?;
    wire::decode(buf).map_err(|e| format!("回答无法解析：{e}"))
}

/// Writes one answer as [`receive`] reads it, or as one JSON line.
fn answer(out: &mut impl Write, wb: RawWorkbook, json: bool) -> std::io::Result<()> {
    if json {
        serde_json::to_writer(&mut *out, &wb)?;
        out.write_all(b"\n")?;
    } else {
        let bytes = wire::encode(wb, Vec::new()).map_err(std::io::Error::other)?;
        out.write_all(&(bytes.len() as u64).to_le_bytes())?;
        out.write_all(&bytes)?;
    }
    out.flush()
}

/// The worker's side: caps its memory, then reads each file asked for until its input ends.
/// `args` are what follows the sub-command: the memory cap in MB and the config source.
pub fn serve(args: &[String]) -> i32 {
    let memory_mb: u64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(400);
    let source: ConfigSource = args
        .get(1)
        .and_then(|a| serde_json::from_str(a).ok())
        .unwrap_or_default();
    let json = args.get(2).is_some_and(|a| a == "json");
    // Never read a file uncapped: the parent reads it itself rather.
    if let Err(e) = cap_memory(memory_mb) {
        eprintln!("{}", msg::worker_not_capped(memory_mb, &e.to_string()));
        println!("{NOT_CAPPED}");
        return 2;
    }
    let config = match Config::load(source.file.as_deref(), source.dir.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    // The worker's configuration lives as long as the worker, and its header searches are
    // remembered with it: a form's header is searched once a worker, not once a file.
    let config: &'static Config = Box::leak(Box::new(config));
    read::header::remember_for(config);
    // The requests are taken off the pipe as they come, on a thread of their own: the parent
    // sends up to `DEPTH` ahead and must never wait to write one while this worker waits for
    // room to write an answer (a pipe may hold as little as 4 KB, 32 long paths more).
    let (requests, queue) = std::sync::mpsc::channel::<String>();
    let taker = std::thread::Builder::new().spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if requests.send(line).is_err() {
                break;
            }
        }
    });
    if let Err(e) = taker {
        // As a worker that cannot cap its memory: the parent reads the files itself.
        eprintln!("{}", msg::worker_no_thread(&e.to_string()));
        println!("{NOT_CAPPED}");
        return 2;
    }
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    if writeln!(out, "{READY}").and_then(|_| out.flush()).is_err() {
        return 2;
    }
    // A panic inside a reader is caught below; its message goes to standard error (the
    // parent's log), never to the clerk's console.
    for line in queue {
        let Ok(req) = serde_json::from_str::<Request>(&line) else {
            break;
        };
        let wb = read_caught(&req.path, &req.rel, config);
        if answer(&mut out, wb, json).is_err() {
            break;
        }
    }
    0
}

/// Reads a file in this process; a panic inside the reader becomes the file's finding.
pub fn read_caught(path: &Path, rel: &str, config: &Config) -> RawWorkbook {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read::read_workbook(path, rel, config)
    }));
    result.unwrap_or_else(|_| {
        let finding = Finding::new(Code::FileUnreadable, msg::READER_PANIC).file(rel.to_string());
        RawWorkbook::failed(path.to_path_buf(), rel.to_string(), finding)
    })
}

/// Lets the calling thread, and the workers it starts, take the processor on the
/// scheduler's tick rather than the moment they wake (Linux's `SCHED_BATCH`).
///
/// A thread that talks to a worker sleeps until each answer comes. Woken, it took a core
/// from a worker that was reading (on two cores: two workers and two such threads), about
/// two context switches per file: 4,800 for 1,200 returns, against 30 when reading here.
/// With both sides waiting for the tick, answers are taken a few at a time: 740 switches,
/// and 2–8 % less time to read and check the month (docs/benchmarks.md, 2026-12-05). Only
/// a hint: where the system refuses it, nothing changes but the speed.
#[cfg(target_os = "linux")]
fn no_wakeup_preemption() {
    // SAFETY: sched_param is a plain C struct (musl's has more fields than glibc's), for
    // which all zeroes is a valid value: priority 0, the one SCHED_BATCH takes.
    // sched_setscheduler reads it by reference; pid 0 is the calling thread, whose
    // scheduling policy alone changes.
    let _ = unsafe {
        let param: libc::sched_param = std::mem::zeroed();
        libc::sched_setscheduler(0, libc::SCHED_BATCH, &param)
    };
}

#[cfg(not(target_os = "linux"))]
fn no_wakeup_preemption() {}

/// Caps this process's address space (Linux and other Unix). Allocates nothing.
#[cfg(unix)]
pub fn cap_memory(mb: u64) -> std::io::Result<()> {
    let bytes = mb.saturating_mul(1 << 20) as libc::rlim_t;
    let limit = libc::rlimit {
        rlim_cur: bytes,
        rlim_max: bytes,
    };
    // SAFETY: setrlimit reads the struct passed by reference and changes only this process.
    if unsafe { libc::setrlimit(libc::RLIMIT_AS, &limit) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Caps this process's committed memory with a job object (Windows).
#[cfg(windows)]
fn cap_memory(mb: u64) -> std::io::Result<()> {
    use windows_sys::Win32::System::JobObjects::{
        AssignProcessToJobObject, CreateJobObjectW, JOB_OBJECT_LIMIT_PROCESS_MEMORY,
        JOBOBJECT_EXTENDED_LIMIT_INFORMATION, JobObjectExtendedLimitInformation,
        SetInformationJobObject,
    };
    use windows_sys::Win32::System::Threading::GetCurrentProcess;
    // SAFETY: plain Win32 calls on a job object this process creates for itself; the limit
    // struct is zeroed (a valid value) and outlives the call that reads it.
    unsafe {
        let job = CreateJobObjectW(std::ptr::null(), std::ptr::null());
        if job.is_null() {
            return Err(std::io::Error::last_os_error());
        }
        let mut info: JOBOBJECT_EXTENDED_LIMIT_INFORMATION = std::mem::zeroed();
        info.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_PROCESS_MEMORY;
        info.ProcessMemoryLimit = mb.saturating_mul(1 << 20) as usize;
        let ok = SetInformationJobObject(
            job,
            JobObjectExtendedLimitInformation,
            (&info as *const JOBOBJECT_EXTENDED_LIMIT_INFORMATION).cast(),
            std::mem::size_of::<JOBOBJECT_EXTENDED_LIMIT_INFORMATION>() as u32,
        );
        if ok == 0 || AssignProcessToJobObject(job, GetCurrentProcess()) == 0 {
            return Err(std::io::Error::last_os_error());
        }
    }
    Ok(())
}

#[cfg(not(any(unix, windows)))]
fn cap_memory(_mb: u64) -> std::io::Result<()> {
    Err(std::io::Error::other("此系统不支持限制内存"))
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    /// The reading threads wait for the tick; the thread that goes on to consolidate and
    /// write does not.
    #[test]
    fn only_the_thread_that_talks_to_workers_waits_for_the_tick() {
        // SAFETY: sched_getscheduler only reads the calling thread's policy.
        let policy = || unsafe { libc::sched_getscheduler(0) };
        let before = policy();
        let reading = std::thread::spawn(move || {
            super::no_wakeup_preemption();
            policy()
        })
        .join()
        .expect("the thread ends");
        assert_eq!(reading, libc::SCHED_BATCH);
        assert_eq!(policy(), before);
        assert_ne!(before, libc::SCHED_BATCH);
    }
}

#[cfg(test)]
mod queue_tests {
    use super::{DEPTH, ahead};

    #[test]
    fn a_worker_is_kept_deep_until_the_last_files_are_shared_out_evenly() {
        assert_eq!(ahead(1_200, 2), DEPTH);
        assert_eq!(ahead(2 * DEPTH, 2), DEPTH);
        // Ten left for two workers: five each at most, so that neither holds all ten.
        assert_eq!(ahead(10, 2), 5);
        assert_eq!(ahead(3, 2), 1);
        // Nothing left: a worker still takes the file it asks for next.
        assert_eq!(ahead(0, 2), 1);
        assert_eq!(ahead(7, 0), 7);
    }
}
