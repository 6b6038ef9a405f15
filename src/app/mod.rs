//! The commands: `run`, `check` and `template`, over resolved settings (no clap types here).

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::Config;
use crate::consolidate::{self, Consolidated, Summary};
use crate::discover::{self, Found};
use crate::error::{Error, Result};
use crate::finding::{Code, Finding};
use crate::interpret::returns::{self, Interpreted};
use crate::interpret::tasklist;
use crate::interpret::upper::Upper;
use crate::layout::files;
use crate::log::Log;
use crate::messages as msg;
use crate::model::{Period, RawWorkbook, ReturnFile, TableKind, TaskList};
use crate::read::Answer;
use crate::read::worker::{self, ConfigSource, Pool};
use crate::validate::{self, Batch};
use crate::write;
use crate::write::template::ReturnSpec;

mod last_year;
mod lists;
mod upward;

pub use upward::{TasksOutcome, TasksSettings};

use lists::{FoundList, choose_task_list};

/// What `run` and `check` need to know, resolved from the command line.
#[derive(Debug, Clone)]
pub struct Settings {
    pub dir: PathBuf,
    pub tasks: Option<PathBuf>,
    pub config: Option<PathBuf>,
    pub period: Option<Period>,
    pub out: PathBuf,
    pub jobs: Option<usize>,
    /// Show a progress bar (stderr is a terminal and not `--quiet`).
    pub progress: bool,
    /// The huizong executable that reads files in worker processes; `None` reads them in
    /// this process (the library used from tests).
    pub worker: Option<PathBuf>,
    /// Where details for a maintainer go (`huizong.log`).
    pub log: PathBuf,
    /// `--last-year DIR`: last year's returns and task list, for 去年同期.
    pub last_year: Option<PathBuf>,
    /// `--amount-unit`: 万元 or 亿元 in the statistics table, over the config's.
    pub amount_unit: Option<String>,
    /// `--report-to FILE`: the upper office's template, filled with this month's figures.
    pub report_to: Option<PathBuf>,
}

/// Everything read and validated.
#[derive(Debug)]
pub struct Loaded {
    pub config: Config,
    pub batch: Batch,
    /// Number of workbooks read.
    pub files: usize,
    /// What was logged for a maintainer while reading.
    pub log: Log,
    /// `--report-to`: the upper office's template.
    pub upper: Option<Upper>,
}

fn rel_of(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// One file as read and interpreted; a task list comes with the list built from its table.
type ReadFile = (String, i64, Option<(TaskList, Vec<Finding>)>, Interpreted);

/// Reads and interprets the files in parallel. Each file's raw cells are dropped as soon as
/// it is interpreted, so memory holds typed rows only.
///
/// Memory: a return of an earlier month than the summary's (`period`, or the latest month
/// seen so far) is slimmed at once to its ids and figures.
fn read_all(
    found: &[Found],
    reader: &Reader<'_>,
    config: &Config,
    jobs: Option<usize>,
    progress: bool,
    period: Option<Period>,
) -> Vec<ReadFile> {
    let month_index = |p: Period| p.year as u32 * 12 + p.month;
    let latest = std::sync::atomic::AtomicU32::new(period.map_or(0, month_index));
    let bar = if progress && found.len() >= 20 {
        let b = indicatif::ProgressBar::new(found.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("读取月报 {bar:40} {pos}/{len} {elapsed}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(b)
    } else {
        None
    };
    // Built here, in parallel with the other files, not after all are read.
    let interpret = |answer: Answer<'_>| -> ReadFile {
        // A task list is read whole; a return's rows are decoded as far as its month keeps
        // them (`returns::interpret_for`).
        let (answer, list) = if answer.has_tasks() {
            let wb = answer.into_workbook();
            let list = task_list_from(&wb, config);
            (Answer::whole(wb), list)
        } else {
            (answer, None)
        };
        let (rel, modified) = (answer.head().rel.clone(), answer.head().modified);
        // A return already known to be an earlier month's is read only as far as `slim`
        // keeps it (a later month was read, or the month is given and is another).
        let earlier = |p: Period| match period {
            Some(wanted) => p != wanted,
            None => latest.load(std::sync::atomic::Ordering::Relaxed) > month_index(p),
        };
        let mut interpreted = returns::interpret_for(answer, config, &earlier);
        let slim = |r: &mut ReturnFile| {
            // Only what may be a unit's return moves the month while reading: a blank
            // template, a file in a later month's folder, a file of nobody (no unit, no
            // table) never does. Should the month chosen still differ, `load` reads again.
            if !validate::may_be_a_return(r) {
                return;
            }
            if let Some(p) = r.period {
                let m = month_index(p);
                let keep = match period {
                    Some(wanted) => p == wanted,
                    None => latest.fetch_max(m, std::sync::atomic::Ordering::Relaxed) <= m,
                };
                if !keep {
                    r.slim();
                }
            }
        };
        match &mut interpreted {
            Interpreted::Return(r) => slim(r),
            Interpreted::Several(rs) => rs.iter_mut().for_each(slim),
            _ => {}
        }
        if let Some(b) = &bar {
            b.inc(1);
        }
        (rel, modified, list, interpreted)
    };
    let work = || {
        // Largest files first: a big file (the task list, a unit's oversized return) read
        // last would leave the other threads idle while it finishes.
        let mut order: Vec<usize> = (0..found.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(found[i].size));
        let mut read: Vec<(usize, ReadFile)> = reader.read_each(found, &order, interpret);
        // Back to the order of discovery: what follows does not depend on timing.
        read.sort_unstable_by_key(|(i, _)| *i);
        read.into_iter().map(|(_, r)| r).collect::<Vec<_>>()
    };
    let out = with_jobs(jobs, work);
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    out
}

/// Runs `work` on `jobs` threads (`None`: one per core), in a pool of its own.
///
/// Never on the calling thread, even without `--jobs` (reading and `run`'s consolidating and
/// writing both go through here, under one rule): the threads that consolidate and write
/// then start after the reading threads have ended, and glibc hands them the memory
/// arenas those left, with the room freed in them once each file was interpreted. Run on the
/// main thread and rayon's global pool instead, they kept arenas of their own beside the
/// reading threads' idle ones: 2 MiB more at the peak on units' own forms
/// (docs/benchmarks.md, 2026-12-06).
fn with_jobs<R: Send>(jobs: Option<usize>, work: impl FnOnce() -> R + Send) -> R {
    let j = jobs.filter(|j| *j > 0).unwrap_or(0);
    match rayon::ThreadPoolBuilder::new().num_threads(j).build() {
        Ok(pool) => pool.install(work),
        Err(_) => work(),
    }
}

/// How files are read: in worker processes, or here.
enum Reader<'a> {
    Workers(Pool<'a>),
    Here(&'a Config),
}

impl<'a> Reader<'a> {
    /// Workers made by running `exe`, or this process when there is none.
    fn new(
        exe: Option<&Path>,
        config_file: Option<&Path>,
        dir: &Path,
        config: &'a Config,
        log: &'a Log,
    ) -> Reader<'a> {
        match exe {
            Some(exe) => Reader::Workers(Pool::new(
                exe.to_path_buf(),
                ConfigSource {
                    file: config_file.map(Path::to_path_buf),
                    dir: Some(dir.to_path_buf()),
                },
                config,
                log,
            )),
            None => Reader::Here(config),
        }
    }

    /// Reads the files `found[i]` for each `i` of `order`, in that order and in parallel,
    /// and interprets each with `f`; each result comes with its `i`.
    fn read_each<T: Send>(
        &self,
        found: &[Found],
        order: &[usize],
        f: impl Fn(Answer<'_>) -> T + Sync,
    ) -> Vec<(usize, T)> {
        match self {
            Reader::Workers(pool) => {
                let files: Vec<&Found> = order.iter().map(|&i| &found[i]).collect();
                let out = std::sync::Mutex::new(Vec::with_capacity(order.len()));
                pool.read_each(&files, rayon::current_num_threads(), |k, wb| {
                    let t = f(wb);
                    if let Ok(mut o) = out.lock() {
                        o.push((order[k], t));
                    }
                });
                out.into_inner().unwrap_or_default()
            }
            Reader::Here(config) => order
                .par_iter()
                .map(|&i| {
                    let x = &found[i];
                    (
                        i,
                        f(Answer::whole(worker::read_caught(&x.path, &x.rel, config))),
                    )
                })
                .collect(),
        }
    }

    /// Starts as many workers as the reading will use (one per thread of `jobs`, or per
    /// core), before the files to read are known.
    fn start_ahead(&self, jobs: Option<usize>) {
        if let Reader::Workers(pool) = self {
            let threads = jobs.filter(|j| *j > 0).unwrap_or_else(|| {
                std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
            });
            pool.start_ahead(threads);
        }
    }

    /// Reads one file.
    fn read_one(&self, f: &Found) -> RawWorkbook {
        match self {
            Reader::Workers(pool) => pool.read_one(f),
            Reader::Here(config) => worker::read_caught(&f.path, &f.rel, config),
        }
    }
}

/// Reads the task list from a workbook.
fn task_list_from(wb: &RawWorkbook, config: &Config) -> Option<(TaskList, Vec<Finding>)> {
    let table = wb
        .tables
        .iter()
        .find(|t| t.kind == TableKind::Tasks && !tasklist::is_breakdown(t))?;
    let (mut list, mut findings) = tasklist::build(table, Some(&wb.rel), config);
    // The breakdown (任务分解): each unit's own target and plan of a shared task.
    let breakdowns: Vec<&crate::model::RawTable> = wb
        .tables
        .iter()
        .filter(|t| t.kind == TableKind::Tasks && tasklist::is_breakdown(t))
        .collect();
    for b in &breakdowns {
        findings.extend(tasklist::apply_breakdown(
            &mut list,
            b,
            Some(&wb.rel),
            config,
        ));
    }
    list.prepare();
    list.upper_unit = wb
        .meta
        .iter()
        .find(|(k, _)| k == crate::layout::meta::UPPER_UNIT)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty());
    // The list is one table: another table of the file (附件2's project plan, a second
    // list) is named, never dropped in silence.
    let others = wb
        .tables
        .iter()
        .filter(|t| !std::ptr::eq(*t, table) && !breakdowns.iter().any(|b| std::ptr::eq(*b, *t)))
        .map(|t| {
            let heads: Vec<&str> = t
                .kind
                .columns()
                .iter()
                .zip(&t.cols)
                .filter(|(_, c)| c.is_some())
                .map(|(name, _)| match &t.names_from {
                    Some(own) if *name == crate::layout::tasks::NAME => own.as_str(),
                    _ => *name,
                })
                .collect();
            (
                crate::model::CellRef::new(&t.sheet, t.header_row, 0),
                heads.join("、"),
            )
        })
        .chain(wb.unread_sheets.iter().cloned());
    for (at, heads) in others {
        findings.push(
            Finding::new(
                Code::TaskListWarning,
                msg::tasklist_other_table(&at.sheet, &heads, &table.sheet),
            )
            .file(wb.rel.clone())
            .at(&at),
        );
    }
    Some((list, findings))
}

/// Reads the task list named by `--tasks` (in a worker, as every file).
fn load_task_list(
    reader: &Reader<'_>,
    path: &Path,
    rel: &str,
    config: &Config,
) -> Result<(TaskList, Vec<Finding>)> {
    let wb = upward::read_named(|f| reader.read_one(f), path, rel).map_err(|detail| {
        Error::BadTaskList {
            path: path.to_path_buf(),
            detail,
        }
    })?;
    task_list_from(&wb, config).ok_or_else(|| Error::BadTaskList {
        path: path.to_path_buf(),
        detail: "没有找到表头含“任务名称”或“重点任务”、“责任单位”或“牵头单位”的工作表".into(),
    })
}

/// A file that is no workbook but whose name says it is a due unit's return: that unit's
/// unreadable return, for the period its name or folder gives.
fn sent_instead(
    k: &discover::Skipped,
    due: &[String],
    config: &Config,
    dir: &Path,
) -> Option<ReturnFile> {
    use crate::discover::kind::Kind;
    let path = Path::new(&k.rel);
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let sendable = match k.kind {
        Kind::Word
        | Kind::Pdf
        | Kind::Image
        | Kind::Archive
        | Kind::Rtf
        | Kind::Html
        | Kind::PowerPoint
        | Kind::Outlook
        | Kind::Iwork
        | Kind::OtherCompound
        | Kind::Empty => true,
        Kind::Text => matches!(ext.as_str(), "csv" | "tsv"),
        _ => false,
    };
    if !sendable {
        return None;
    }
    let r = returns::not_a_workbook(dir.join(&k.rel), k.rel.clone(), k.kind.name(), config);
    r.unit
        .as_ref()
        .is_some_and(|u| due.contains(u))
        .then_some(r)
}

/// Discovers, reads and validates a folder.
pub fn load(s: &Settings) -> Result<Loaded> {
    if s.dir.is_file() {
        return Err(Error::InputIsFile(s.dir.clone()));
    }
    if !s.dir.is_dir() {
        return Err(Error::NoInputDir(s.dir.clone()));
    }
    let mut config = Config::load(s.config.as_deref(), Some(&s.dir))?;
    if let Some(u) = &s.amount_unit {
        config.statistics.amount_unit = u.clone();
    }
    let log = Log::new(s.log.clone());
    let reader = Reader::new(
        s.worker.as_deref(),
        s.config.as_deref(),
        &s.dir,
        &config,
        &log,
    );
    // The workers start while the folder is searched.
    reader.start_ahead(s.jobs);
    let (mut found, skipped) = discover::discover_all(&s.dir, std::slice::from_ref(&s.out));
    // The upper office's template, read first so that a wrong one stops at once; it is no
    // return of this month.
    let upper = match &s.report_to {
        Some(p) => {
            let upper = upward::read_upper(|f| reader.read_one(f), p)?;
            if let Ok(canon) = p.canonicalize() {
                found.retain(|f| f.path.canonicalize().ok().as_ref() != Some(&canon));
            }
            Some(upper)
        }
        None => None,
    };
    let explicit_tasks = match &s.tasks {
        Some(p) => {
            let canon = p.canonicalize().ok();
            found.retain(|f| f.path.canonicalize().ok() != canon || canon.is_none());
            Some(load_task_list(&reader, p, &rel_of(&s.dir, p), &config)?)
        }
        None => None,
    };
    let raw = read_all(&found, &reader, &config, s.jobs, s.progress, s.period);
    let files = raw.len();

    let Sorted {
        lists,
        unusable_lists,
        mut returns,
        other,
    } = sort_read(raw);
    // Last year's lists are not candidates for this year's; with --tasks, none is.
    let (lists, older_lists) = match explicit_tasks {
        Some(_) => (Vec::new(), lists),
        None => last_year::split_lists(lists, s.period.map(|p| p.year).or(config.year)),
    };
    let (tasks, mut task_findings, notice) = match explicit_tasks {
        Some((t, f)) => (t, f, None),
        None => {
            let chosen = choose_task_list(lists, &returns)
                .ok_or_else(|| Error::NoTaskList(s.dir.clone()))?;
            (chosen.list.0, chosen.list.1, chosen.notice)
        }
    };
    let ignored = notice.iter().flat_map(|n| n.ignored.iter());
    task_findings.extend(lists_not_used(unusable_lists.iter().chain(ignored), &tasks));
    task_findings.extend(other);
    // A Word document, a PDF or a photo named as a unit's return (`长春市交通运输局2020年6月
    // 进展.docx`): the unit sent something, in a form that cannot be read.
    let due = tasks.units();
    for k in skipped {
        match sent_instead(&k, &due, &config, &s.dir) {
            Some(r) => returns.push(r),
            None => task_findings.push(
                Finding::new(Code::FileSkipped, msg::file_skipped(k.kind.name())).file(k.rel),
            ),
        }
    }
    let period = match s.period {
        Some(p) => p,
        None => validate::latest_period(&returns, &tasks, &config)
            .ok_or_else(|| Error::NoPeriod(s.dir.clone()))?,
    };
    // A file read while a later month was thought the latest was slimmed: when that month
    // turns out not to be the one summarised (its file was nobody's), read again for it.
    if s.period.is_none()
        && returns
            .iter()
            .any(|r| r.period == Some(period) && r.past.is_some())
    {
        drop(reader);
        return load(&Settings {
            period: Some(period),
            ..s.clone()
        });
    }
    // Last year's returns (in the folder, or in --last-year) serve 去年同期 only.
    let mut last = last_year::Found {
        lists: older_lists,
        returns: Vec::new(),
    };
    last.take_returns(&mut returns, period);
    let last_found = match &s.last_year {
        Some(dir) => read_last_year_dir(dir, s, &reader, &config, period, &mut last)?,
        None => Vec::new(),
    };
    let reread = |rel: &str| -> Option<ReturnFile> {
        let f = found.iter().chain(&last_found).find(|f| f.rel == rel)?;
        match returns::interpret(reader.read_one(f), &config) {
            Interpreted::Return(r) => Some(*r),
            _ => None,
        }
    };
    let (last_year, last_findings) =
        last_year::load(last, period, &tasks, &config, reread, &mut returns);
    drop(reader);
    task_findings.extend(last_findings);
    for r in returns
        .iter_mut()
        .filter(|r| r.period.is_some_and(|p| p != period) && r.unit.is_some())
    {
        r.slim();
    }
    let mut batch = validate::validate(tasks, task_findings, returns, period, &config);
    batch.last_year = last_year.map(Box::new);
    if let Some(n) = notice {
        batch.notices.insert(0, n.text);
    }
    if let Some(u) = &upper
        && let Some(p) = u.period
        && p != period
    {
        return Err(Error::BadUpperTemplate {
            path: s.report_to.clone().unwrap_or_default(),
            detail: msg::upper_other_period(&p.label(), &period.label()),
        });
    }
    // Another unit's template: the list was made from another unit's, or none of its tasks
    // is in this office's list.
    if let Some(u) = &upper
        && (batch
            .tasks
            .upper_unit
            .as_ref()
            .is_some_and(|m| *m != u.unit)
            || !u.tasks.iter().any(|t| batch.tasks.get(&t.id).is_some()))
    {
        return Err(Error::BadUpperTemplate {
            path: s.report_to.clone().unwrap_or_default(),
            detail: msg::upper_no_common_task(&u.unit),
        });
    }
    Ok(Loaded {
        config,
        batch,
        files,
        log,
        upper,
    })
}

/// What was read, sorted: the task lists (and those that could not be used), the returns,
/// and the other files' findings.
struct Sorted {
    lists: Vec<FoundList>,
    unusable_lists: Vec<String>,
    returns: Vec<ReturnFile>,
    other: Vec<Finding>,
}

fn sort_read(raw: Vec<ReadFile>) -> Sorted {
    let mut lists: Vec<FoundList> = Vec::new();
    let mut unusable_lists: Vec<String> = Vec::new();
    let mut returns: Vec<ReturnFile> = Vec::with_capacity(raw.len());
    let mut other: Vec<Finding> = Vec::new();
    for (rel, modified, list, interpreted) in raw {
        match interpreted {
            Interpreted::Return(r) => returns.push(*r),
            Interpreted::Several(rs) => returns.extend(rs),
            Interpreted::TaskList => match list {
                Some(l) => lists.push(FoundList {
                    rel,
                    modified,
                    list: l,
                }),
                None => unusable_lists.push(rel),
            },
            Interpreted::Other(f) => other.extend(f),
        }
    }
    Sorted {
        lists,
        unusable_lists,
        returns,
        other,
    }
}

/// A task list found beside the one used: named, with how to choose another.
fn lists_not_used<'a>(rels: impl Iterator<Item = &'a String>, tasks: &TaskList) -> Vec<Finding> {
    rels.map(|rel| {
        Finding::new(
            Code::TaskListMultiple,
            format!(
                "文件夹中有多份任务清单，使用“{}”，未使用本文件；可用 --tasks 指定",
                tasks.file.clone().unwrap_or_default()
            ),
        )
        .file(rel.clone())
    })
    .collect()
}

/// The folder given with `--last-year`: its task lists and its returns of last year's same
/// month go to `last`; the files found, for reading again.
fn read_last_year_dir(
    dir: &Path,
    s: &Settings,
    reader: &Reader<'_>,
    config: &Config,
    period: Period,
    last: &mut last_year::Found,
) -> Result<Vec<Found>> {
    if !dir.is_dir() {
        return Err(Error::NoInputDir(dir.to_path_buf()));
    }
    let (mut more, _) = discover::discover_all(dir, std::slice::from_ref(&s.out));
    for f in more.iter_mut() {
        f.rel = rel_of(&s.dir, &f.path);
    }
    let same = Period::new(period.year - 1, period.month);
    let mut got: Vec<ReturnFile> = Vec::new();
    for (rel, modified, list, interpreted) in read_all(&more, reader, config, s.jobs, false, same) {
        match (interpreted, list) {
            (Interpreted::TaskList, Some(l)) => last.lists.push(FoundList {
                rel,
                modified,
                list: l,
            }),
            (Interpreted::Return(r), _) => got.push(*r),
            (Interpreted::Several(rs), _) => got.extend(rs),
            _ => {}
        }
    }
    // Only last year's returns of that folder serve.
    last.take_returns(&mut got, period);
    Ok(more)
}

/// What `run` produced.
#[derive(Debug)]
pub struct RunOutcome {
    pub summary_path: PathBuf,
    /// Correction workbooks written, one per unit with errors.
    pub corrections: Vec<PathBuf>,
    /// The long tables written by `--export`.
    pub exports: Vec<PathBuf>,
    /// 投资完成情况表's own workbook, when there is investment.
    pub statistics: Option<PathBuf>,
    /// The briefing's draft, or why none was written.
    pub brief: std::result::Result<PathBuf, write::brief::Skipped>,
    pub loaded: Loaded,
    /// The consolidated figures (the console's closing lines read the roster from them).
    pub summary: Summary,
    /// `--report-to`: the return filled for the level above.
    pub upward: Option<PathBuf>,
    /// The summary's workbook as saved, freed when the outcome is (`main` leaves it to the
    /// process's end).
    pub saved: write::Saved,
}

/// `run`: read and check, consolidate once, and hand the result to every output: the
/// summary workbook, the correction workbooks and, with `--export`, the long tables.
pub fn run(s: &Settings, export: Option<Export>) -> Result<RunOutcome> {
    let loaded = load(s)?;
    let path = s.out.join(files::summary(loaded.batch.period));
    std::fs::create_dir_all(&s.out).map_err(|source| Error::Write {
        path: s.out.clone(),
        source,
    })?;
    let prefix = relative_path(&s.out, &s.dir);
    let config = &loaded.config;
    let statistics_path = s.out.join(files::statistics(loaded.batch.period));
    let brief_path = s.out.join(files::brief(loaded.batch.period));
    // The date under the briefing's signature, unless the config sets one.
    let today = chrono::Local::now()
        .date_naive()
        .format("%Y年%-m月%-d日")
        .to_string();
    let upward_path = loaded.upper.as_ref().map(|u| {
        s.out
            .join(files::UPWARD_DIR)
            .join(files::upward(&u.unit, loaded.batch.period))
    });
    let (corrections, exports, statistics, brief, summary, saved) =
        with_jobs(s.jobs, || -> Result<_> {
            let c = consolidate::consolidate(&loaded.batch, config)?;
            if let (Some(u), Some(path)) = (&loaded.upper, &upward_path) {
                let up = consolidate::upward::fill(
                    &loaded.batch,
                    &consolidate::upward::UpperTasks {
                        unit: &u.unit,
                        tasks: &u.tasks,
                        fingerprint: &u.fingerprint,
                    },
                    config,
                    chrono::Local::now().date_naive(),
                );
                let mut wb = write::template::upward_workbook(&up, config, loaded.batch.period)
                    .map_err(|e| write::xlsx_err(path, e))?;
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(|source| Error::Write {
                        path: dir.to_path_buf(),
                        source,
                    })?;
                }
                write::save(&mut wb, path)?;
            }
            // The outputs are written side by side, each from the same result. The briefing,
            // one thread's work as long as the summary's sheets, is written on a thread of its
            // own that yields to the others: the summary's sheets are built first, on every
            // core, and its saving (one thread's work again) goes beside the briefing.
            let write_brief = || write::brief::write(&c, config, &brief_path, &today);
            let (brief, ((saved, statistics), (corrections, exports))) = std::thread::scope(|t| {
                let brief = (rayon::current_num_threads() > 1).then(|| {
                    t.spawn(|| {
                        yield_to_the_others();
                        write_brief()
                    })
                });
                let rest = rayon::join(
                    || {
                        rayon::join(
                            || write::summary::write(&c, config, &prefix, &path),
                            || write::summary::write_statistics(&c, config, &statistics_path),
                        )
                    },
                    || {
                        rayon::join(
                            || write_corrections(&c, config, &s.out),
                            || write_exports(&c, &s.out, export),
                        )
                    },
                );
                let brief = match brief {
                    Some(thread) => thread
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                    None => write_brief(),
                };
                (brief, rest)
            });
            let saved = saved?;
            let statistics = statistics?.then(|| statistics_path.clone());
            let brief = brief?.map(|()| brief_path.clone());
            Ok((corrections?, exports?, statistics, brief, c.summary, saved))
        })?;
    Ok(RunOutcome {
        summary_path: path,
        loaded,
        summary,
        corrections,
        exports,
        statistics,
        brief,
        upward: upward_path,
        saved,
    })
}

/// Lets the calling thread give way to busy threads, the summary's among them (its nice
/// value 10 higher, which Linux keeps per thread); it runs at full speed on a core they
/// leave idle. On a machine kept busy by other programs it waits for them too. Only a hint:
/// where the system refuses it, and elsewhere than on Linux, nothing changes but the order
/// the work gets done in.
#[cfg(target_os = "linux")]
fn yield_to_the_others() {
    // SAFETY: nice changes the calling thread's nice value; it touches no memory of ours.
    let _ = unsafe { libc::nice(10) };
}

#[cfg(not(target_os = "linux"))]
fn yield_to_the_others() {}

/// What `template` needs.
#[derive(Debug, Clone)]
pub struct TemplateSettings {
    pub tasks: Option<PathBuf>,
    pub config: Option<PathBuf>,
    /// Earlier returns: the template gets a locked 上月累计 column from them.
    pub history: Option<PathBuf>,
    pub period: Option<Period>,
    pub out: PathBuf,
    pub blank: bool,
    /// As [`Settings::worker`].
    pub worker: Option<PathBuf>,
    /// As [`Settings::log`].
    pub log: PathBuf,
}

/// `template`: one prefilled return per responsible unit, or the blank templates.
pub fn template(s: &TemplateSettings) -> Result<Vec<PathBuf>> {
    if s.blank {
        let config = Config::load(s.config.as_deref(), None)?;
        let mut written = Vec::new();
        let path = s.out.join(files::TASK_LIST_TEMPLATE);
        let mut wb = write::template::task_list_workbook(&[], "重点任务清单")
            .map_err(|e| write::xlsx_err(&path, e))?;
        write::save(&mut wb, &path)?;
        written.push(path);
        let path = s.out.join(files::RETURN_TEMPLATE);
        let none = TaskList::default();
        let mut wb =
            write::template::return_workbook(&ReturnSpec::template(&none, &config, None, None))
                .map_err(|e| write::xlsx_err(&path, e))?;
        write::save(&mut wb, &path)?;
        written.push(path);
        return Ok(written);
    }
    let period = s
        .period
        .ok_or_else(|| Error::BadPeriod("（未指定，请用 --period 2020-07）".into()))?;
    let cwd = PathBuf::from(".");
    let (tasks_path, search_dir) = match &s.tasks {
        Some(p) => (
            Some(p.clone()),
            p.parent().map(Path::to_path_buf).unwrap_or(cwd),
        ),
        None => (None, cwd),
    };
    let config = Config::load(s.config.as_deref(), Some(&search_dir))?;
    let log = Log::new(s.log.clone());
    let reader = Reader::new(
        s.worker.as_deref(),
        s.config.as_deref(),
        &search_dir,
        &config,
        &log,
    );
    let (tasks_file, (tasks, _findings)) = match tasks_path {
        Some(p) => {
            let list = load_task_list(&reader, &p, &p.display().to_string(), &config)?;
            (p, list)
        }
        None => {
            let found = discover::discover(&search_dir, std::slice::from_ref(&s.out));
            found
                .iter()
                .find_map(|f| {
                    task_list_from(&reader.read_one(f), &config).map(|l| (f.path.clone(), l))
                })
                .ok_or_else(|| Error::NoTaskList(search_dir.clone()))?
        }
    };
    drop(reader);
    // With --history: each unit's last accepted year-to-date, read from the earlier
    // returns as `run` reads them.
    let history = match &s.history {
        Some(dir) => {
            let loaded = load(&Settings {
                dir: dir.clone(),
                tasks: Some(tasks_file),
                config: s.config.clone(),
                period: Some(period),
                out: s.out.clone(),
                jobs: None,
                progress: false,
                worker: s.worker.clone(),
                log: s.log.clone(),
                last_year: None,
                amount_unit: None,
                report_to: None,
            })?;
            Some(validate::last_accepted(&loaded.batch))
        }
        None => None,
    };
    let mut written = Vec::new();
    for unit in tasks.units() {
        let path = s.out.join(files::unit_return(&unit, period));
        let figures = history
            .as_ref()
            .map(|h| h.get(&unit).cloned().unwrap_or_default());
        let mut wb = write::template::return_workbook(&ReturnSpec {
            history: figures.as_ref(),
            ..ReturnSpec::template(&tasks, &config, Some(&unit), Some(period))
        })
        .map_err(|e| write::xlsx_err(&path, e))?;
        write::save(&mut wb, &path)?;
        written.push(path);
    }
    Ok(written)
}

/// `tasks --from`: this office's own task list, made from the upper office's template.
/// An existing list is never overwritten: the office may have filled its 责任单位.
pub fn tasks_from(s: &TasksSettings) -> Result<TasksOutcome> {
    let config = Config::load(None, None)?;
    let log = Log::new(s.log.clone());
    let dir = s.from.parent().map(Path::to_path_buf).unwrap_or_default();
    let reader = Reader::new(s.worker.as_deref(), None, &dir, &config, &log);
    let upper = upward::read_upper(|f| reader.read_one(f), &s.from)?;
    drop(reader);
    let path = s.out.join(files::TASK_LIST);
    if path.exists() {
        return Err(Error::WouldOverwrite(path));
    }
    std::fs::create_dir_all(&s.out).map_err(|source| Error::Write {
        path: s.out.clone(),
        source,
    })?;
    let title = format!("{}重点任务清单", upper.unit);
    let mut wb =
        write::template::lower_task_list_workbook(&upper.lower_tasks(), &title, &upper.unit)
            .map_err(|e| write::xlsx_err(&path, e))?;
    write::save(&mut wb, &path)?;
    Ok(TasksOutcome { path, upper })
}

/// What `--export` writes besides the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    Csv,
    Parquet,
}

/// `--export`: the consolidated long tables, from the same result as the summary.
fn write_exports(c: &Consolidated<'_>, out: &Path, format: Option<Export>) -> Result<Vec<PathBuf>> {
    match format {
        None => Ok(Vec::new()),
        Some(Export::Csv) => crate::export::csv::write_csv(c, out),
        Some(Export::Parquet) => crate::export::parquet::write_parquet(c, out),
    }
}

/// Writes one correction workbook per unit with errors; old ones of the period are replaced.
fn write_corrections(c: &Consolidated<'_>, config: &Config, out: &Path) -> Result<Vec<PathBuf>> {
    let period = c.batch.period;
    let dir = out.join(files::CORRECTIONS_DIR);
    let suffix = files::correction_suffix(period);
    // Remove this period's corrections of units that no longer have errors.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().ends_with(&suffix) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    c.corrections
        .par_iter()
        .map(|k| {
            let path = dir.join(files::correction(&k.unit, period));
            let mut wb = write::template::return_workbook(&ReturnSpec {
                values: Some(&k.values),
                marks: &k.marks,
                problems: Some(&k.problems),
                history: k.history.as_ref(),
                ..ReturnSpec::template(&c.batch.tasks, config, Some(&k.unit), Some(period))
            })
            .map_err(|e| write::xlsx_err(&path, e))?;
            write::save(&mut wb, &path)?;
            Ok(path)
        })
        .collect()
}

/// `to` relative to `from` (both folders), `/`-separated, for links that survive moving
/// the two folders together.
pub fn relative_path(from: &Path, to: &Path) -> String {
    let (Ok(from), Ok(to)) = (from.canonicalize(), to.canonicalize()) else {
        return to.display().to_string();
    };
    let f: Vec<_> = from.components().collect();
    let t: Vec<_> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); f.len() - common];
    parts.extend(
        t[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().to_string()),
    );
    if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    /// Consolidating and writing never run on the calling thread, with or without `--jobs`:
    /// on a thread of a pool made for them, as many threads as asked.
    #[test]
    fn the_work_runs_in_a_pool_of_its_own_also_without_jobs() {
        let caller = std::thread::current().id();
        for jobs in [None, Some(1), Some(2)] {
            let (thread, in_pool, threads) = super::with_jobs(jobs, || {
                (
                    std::thread::current().id(),
                    rayon::current_thread_index().is_some(),
                    rayon::current_num_threads(),
                )
            });
            assert_ne!(thread, caller, "{jobs:?}");
            assert!(in_pool, "{jobs:?}");
            if let Some(j) = jobs {
                assert_eq!(threads, j);
            }
        }
    }

    /// The briefing's thread gives way to the others; the thread that started it does not.
    #[cfg(target_os = "linux")]
    #[test]
    fn only_the_thread_that_gives_way_runs_at_a_lower_priority() {
        // SAFETY: getpriority with who = 0 reads the calling thread's nice value (an error
        // would read as -1, which the comparisons below would show as a wrong value).
        let nice = || unsafe { libc::getpriority(libc::PRIO_PROCESS as _, 0) };
        let before = nice();
        let giving_way = std::thread::spawn(move || {
            super::yield_to_the_others();
            nice()
        })
        .join()
        .expect("the thread ends");
        assert_eq!(giving_way, (before + 10).min(19));
        assert_eq!(nice(), before);
    }
}
