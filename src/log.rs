//! The run's log (`huizong.log`): details a clerk does not need on the console (a reader
//! process that died, a caught panic) but a maintainer does. Created on the first line.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// A log file, written line by line from any thread.
#[derive(Debug)]
pub struct Log {
    path: PathBuf,
    file: Mutex<Option<std::fs::File>>,
}

/// Where panics are logged (set by the command that runs; see [`install_panic_hook`]).
static PANIC_LOG: OnceLock<PathBuf> = OnceLock::new();

impl Log {
    pub fn new(path: PathBuf) -> Log {
        Log {
            path,
            file: Mutex::new(None),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether anything was logged.
    pub fn is_empty(&self) -> bool {
        self.file.lock().map_or(true, |f| f.is_none())
    }

    /// Appends a line with the time.
    pub fn line(&self, text: &str) {
        let Ok(mut file) = self.file.lock() else {
            return;
        };
        if file.is_none() {
            if let Some(dir) = self.path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            *file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .ok();
        }
        if let Some(f) = file.as_mut() {
            let now = chrono::Local::now().format("%Y-%m-%d %H:%M:%S");
            let _ = writeln!(f, "[{now}] {text}");
        }
    }
}

/// Sends panic details to `log` instead of the console, which gets one Chinese line.
pub fn install_panic_hook(log: &Path) {
    let _ = PANIC_LOG.set(log.to_path_buf());
    std::panic::set_hook(Box::new(|info| {
        let path = PANIC_LOG.get().cloned().unwrap_or_default();
        let log = Log::new(path.clone());
        let backtrace = std::backtrace::Backtrace::force_capture();
        log.line(&format!("内部错误：{info}\n{backtrace}"));
        eprintln!(
            "程序内部错误，详情已记入 {}（如该文件未被汇总，会列在“数据校验”中）",
            path.display()
        );
    }));
}
