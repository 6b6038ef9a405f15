//! The domain: periods, tasks, returns and findings, as plain Rust types.
//!
//! Every value read from a workbook keeps the cell it came from ([`CellRef`]), so that a
//! finding, a correction workbook and the provenance sheet can name it.

use std::path::PathBuf;

use chrono::NaiveDate;
use compact_str::CompactString;

use serde::{Deserialize, Serialize};

use crate::finding::Finding;

pub use crate::cell::{CellRef, a1, col_name};
pub use crate::period::Period;

/// 进度状态: where a task stands.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Status {
    /// 已完成: year-to-date reached the target.
    Done,
    /// 按序时推进.
    OnSchedule,
    /// 滞后: the completion rate is below 序时进度 by more than the tolerance.
    Lagging,
    /// 未启动: every part reported, none above 0.
    NotStarted,
    /// 数据待核: the status would rest on a disputed or missing part.
    Unverified,
    /// A qualitative task's 完成状态 as its units reported it (前期工作, 在建, 持续推进 …).
    Reported(String),
}

impl Status {
    /// The states of a quantitative task, in display order.
    pub const QUANTITATIVE: [Status; 5] = [
        Status::Done,
        Status::OnSchedule,
        Status::Lagging,
        Status::NotStarted,
        Status::Unverified,
    ];

    /// A 完成状态 as reported: one of the four by its text, else as reported.
    pub fn from_label(s: &str) -> Status {
        Status::QUANTITATIVE
            .into_iter()
            .find(|q| q.label() == s)
            .unwrap_or_else(|| Status::Reported(s.to_string()))
    }

    pub fn label(&self) -> &str {
        match self {
            Status::Done => "已完成",
            Status::OnSchedule => "按序时推进",
            Status::Lagging => "滞后",
            Status::NotStarted => "未启动",
            Status::Unverified => "数据待核",
            Status::Reported(s) => s,
        }
    }
}

/// 报送情况 of a unit due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RosterState {
    /// 已报: a return was accepted.
    Reported,
    /// 未报.
    Missing,
    /// 已报（无法识别）: the unit sent something, but no table could be read from it (a file
    /// that cannot be opened, or one that holds no table huizong knows).
    Unrecognised,
}

impl RosterState {
    pub fn label(self) -> &'static str {
        match self {
            RosterState::Reported => "已报",
            RosterState::Missing => "未报",
            RosterState::Unrecognised => "已报（无法识别）",
        }
    }
}

/// A unit's line in the roster (单位报送情况).
#[derive(Debug, Clone)]
pub struct RosterEntry {
    pub unit: String,
    pub tasks_due: usize,
    pub state: RosterState,
    /// 首次报送: the earliest 填报日期 of the unit's returns for the period.
    pub first_date: Option<NaiveDate>,
    /// 最近更正: the 填报日期 of the return used, when later than the first.
    pub fill_date: Option<NaiveDate>,
    /// `None` when unknown (no return or no date); judged on the first arrival.
    pub on_time: Option<bool>,
    pub files: Vec<String>,
    pub errors: usize,
    pub warnings: usize,
    /// Who to call: 填报人 and 联系电话 of the unit's latest return in the folder, and its
    /// month when it is not the period's (a unit that has not reported yet).
    pub reporter: String,
    pub phone: String,
    pub contact_from: Option<Period>,
    /// A return filled by the level below: its coverage (`下级已报 2/3；未报：…`).
    pub lower: Option<String>,
}

/// The roster counted: what 总览 and the closing line say.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RosterTally {
    pub due: usize,
    pub reported: usize,
    pub on_time: usize,
    pub late: Vec<String>,
    /// Nothing came from them.
    pub missing: Vec<String>,
    /// They sent files from which no table could be read (已报（无法识别）).
    pub unrecognised: Vec<String>,
    /// Reported without a 填报日期.
    pub no_date: Vec<String>,
    pub with_errors: Vec<String>,
}

impl RosterTally {
    pub fn of(roster: &[RosterEntry]) -> RosterTally {
        let names = |keep: &dyn Fn(&RosterEntry) -> bool| -> Vec<String> {
            roster
                .iter()
                .filter(|e| keep(e))
                .map(|e| e.unit.clone())
                .collect()
        };
        let reported = |e: &RosterEntry| e.state == RosterState::Reported;
        RosterTally {
            due: roster.len(),
            reported: roster.iter().filter(|e| reported(e)).count(),
            on_time: roster.iter().filter(|e| e.on_time == Some(true)).count(),
            late: names(&|e| e.on_time == Some(false)),
            missing: names(&|e| e.state == RosterState::Missing),
            unrecognised: names(&|e| e.state == RosterState::Unrecognised),
            no_date: names(&|e| reported(e) && e.on_time.is_none()),
            with_errors: names(&|e| e.errors > 0),
        }
    }
}

/// A map looked up once a row or more (task ids, ids seen, names matched), with foldhash's
/// fast hash instead of SipHash: its keys are ids and names from the office's own files.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A task of the task list (任务清单). Serialised into a unit's template (`_huizong`),
/// whence the level below re-makes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub id: String,
    /// The list's 序号 as typed (empty when it has none): a return's own numbering is
    /// compared with it only where the row's name agrees.
    pub seq: String,
    pub category: String,
    pub name: String,
    pub content: String,
    /// 计量单位; `None` for a qualitative task.
    pub measure: Option<String>,
    pub target: Option<f64>,
    /// 年度计划投资（万元）; `None` when the task has no investment line.
    pub plan_investment: Option<f64>,
    /// Resolved responsible units, in the order written.
    pub units: Vec<String>,
    pub partners: Vec<String>,
    /// As written, for display.
    pub deadline_text: String,
    /// Month the task is due, 1–12.
    pub deadline_month: u32,
    /// 节点目标: year-to-date targets due by the end of a month (`6月底目标`), months
    /// rising (one column a month), none below the one before, at most the annual target.
    pub milestones: Vec<(u32, f64)>,
    /// 任务分解: each responsible unit's own target and plan, where the list gives them
    /// (`长春市（30公里）` in 责任单位, or the sheet 任务分解).
    pub shares: Vec<Share>,
    /// Row in the task list (zero-based), for findings.
    pub row: u32,
}

impl Task {
    pub fn is_quantitative(&self) -> bool {
        self.measure.is_some() && self.target.is_some()
    }

    /// A unit's own 年度计划投资: the task's when the unit is its only responsible unit, else
    /// the unit's line of the breakdown. `None` for a shared task without one: nothing is
    /// ever split equally.
    pub fn own_plan(&self, unit: &str) -> Option<f64> {
        if self.units.len() == 1 && self.units[0] == unit {
            return self.plan_investment;
        }
        self.shares.iter().find(|s| s.unit == unit)?.plan
    }

    /// A unit's own 年度目标, likewise.
    pub fn own_target(&self, unit: &str) -> Option<f64> {
        if self.units.len() == 1 && self.units[0] == unit {
            return self.target;
        }
        self.shares.iter().find(|s| s.unit == unit)?.target
    }
}

/// One responsible unit's part of a shared task (任务分解).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Share {
    pub unit: String,
    pub target: Option<f64>,
    /// 万元.
    pub plan: Option<f64>,
}

/// The task list with where it came from.
#[derive(Debug, Clone, Default)]
pub struct TaskList {
    pub tasks: Vec<Task>,
    /// Relative path of the task list file, when read from a file.
    pub file: Option<String>,
    pub sheet: String,
    /// Where the ids came from (a 任务编号 column, the 序号, …).
    pub id_source: IdSource,
    /// The collective names (各市（州）交通运输局 …) expanded to their members.
    pub groups: Vec<GroupUse>,
    /// The list has no 年度计划投资 column (an attachment as published): an investment row
    /// may report any task, its plan the unit's own 本年计划投资.
    pub plans_from_returns: bool,
    /// Made by `tasks --from` from the upper office's template for this unit.
    pub upper_unit: Option<String>,
    /// Lookups by id and by unit, built on first use (the tasks are not changed after).
    index: std::sync::OnceLock<TaskIndex>,
}

#[derive(Debug, Clone, Default)]
struct TaskIndex {
    by_id: FastMap<String, usize>,
    /// Ids as a person may type them ([`id_key`]); `None` when two ids
    /// share a key.
    by_key: FastMap<String, Option<usize>>,
    by_unit: std::collections::HashMap<String, Vec<usize>>,
    /// Units in the order they first appear.
    units: Vec<String>,
    /// Made when first asked for: only a return made from huizong's template carries one to
    /// compare with. Hashing the bench's list of 1,500 tasks was 2 % of the instructions
    /// that interpret a month of units' own forms.
    fingerprint: std::sync::OnceLock<String>,
}

impl TaskList {
    /// The plan year, as its 完成时限 texts and its file name say (`2020年12月底`): the year
    /// most of them name, if any.
    pub fn year(&self) -> Option<i32> {
        let mut counts: std::collections::BTreeMap<i32, usize> = std::collections::BTreeMap::new();
        let texts = self
            .tasks
            .iter()
            .map(|t| t.deadline_text.as_str())
            .chain(self.file.as_deref());
        // Four ASCII digits are four bytes that begin no other character: a year before 年
        // is found in the bytes, without a copy of each text (asked of every task, more
        // than once a run).
        const NIAN: &[u8] = "年".as_bytes();
        for text in texts {
            for w in text.as_bytes().windows(4 + NIAN.len()) {
                if &w[4..] == NIAN && w[..4].iter().all(u8::is_ascii_digit) {
                    let y = w[..4]
                        .iter()
                        .fold(0i32, |y, d| y * 10 + i32::from(d - b'0'));
                    if (2000..2100).contains(&y) {
                        *counts.entry(y).or_default() += 1;
                    }
                }
            }
        }
        counts.into_iter().max_by_key(|(_, n)| *n).map(|(y, _)| y)
    }

    pub fn new(tasks: Vec<Task>, file: Option<String>, sheet: String) -> TaskList {
        TaskList {
            tasks,
            file,
            sheet,
            id_source: IdSource::Column,
            groups: Vec::new(),
            plans_from_returns: false,
            upper_unit: None,
            index: std::sync::OnceLock::new(),
        }
    }

    /// Whether a task may have an investment line: it has a plan, or the list leaves plans
    /// to the returns.
    pub fn invests(&self, t: &Task) -> bool {
        t.plan_investment.is_some() || self.plans_from_returns
    }

    fn index(&self) -> &TaskIndex {
        self.index.get_or_init(|| {
            let mut ix = TaskIndex::default();
            for (i, t) in self.tasks.iter().enumerate() {
                ix.by_id.entry(t.id.clone()).or_insert(i);
                ix.by_key
                    .entry(id_key(&t.id))
                    .and_modify(|k| *k = None)
                    .or_insert(Some(i));
                for u in &t.units {
                    let tasks = ix.by_unit.entry(u.clone()).or_default();
                    if tasks.is_empty() {
                        ix.units.push(u.clone());
                    }
                    tasks.push(i);
                }
            }
            ix
        })
    }

    /// Builds the lookups now (where the list is read, in parallel with the returns) rather
    /// than on first use.
    pub fn prepare(&self) {
        self.index();
    }

    pub fn get(&self, id: &str) -> Option<&Task> {
        self.position(id).map(|i| &self.tasks[i])
    }

    /// Where the task with this id stands in the list.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index().by_id.get(id).copied()
    }

    /// The task an id typed another way stands for (`t5-8`, `T05－08`, ` T05-08 ` for
    /// `T05-08`), when only one task's id reads so.
    pub fn get_typed(&self, typed: &str) -> Option<&Task> {
        self.get(typed).or_else(|| {
            let key = id_key(typed);
            (!key.is_empty())
                .then(|| self.index().by_key.get(&key).copied().flatten())
                .flatten()
                .map(|i| &self.tasks[i])
        })
    }

    /// Units that owe a return, sorted in the order they first appear.
    pub fn units(&self) -> Vec<String> {
        self.index().units.clone()
    }

    /// Tasks a unit is responsible for, in task-list order.
    pub fn tasks_of<'a>(&'a self, unit: &str) -> impl Iterator<Item = &'a Task> + 'a {
        let ids: &'a [usize] = self.index().by_unit.get(unit).map_or(&[], Vec::as_slice);
        ids.iter().map(move |&i| &self.tasks[i])
    }

    /// A short, stable fingerprint of the task list's content.
    pub fn fingerprint(&self) -> String {
        self.index()
            .fingerprint
            .get_or_init(|| self.compute_fingerprint())
            .clone()
    }

    fn compute_fingerprint(&self) -> String {
        use sha2::{Digest, Sha256};
        use std::fmt::Write;
        let mut h = Sha256::new();
        // The figures written into one buffer, kept from task to task.
        let mut figures = String::new();
        for t in &self.tasks {
            h.update(t.id.as_bytes());
            h.update([0]);
            h.update(t.name.as_bytes());
            h.update([0]);
            h.update(t.measure.as_deref().unwrap_or("").as_bytes());
            h.update([0]);
            figures.clear();
            let _ = write!(figures, "{:?}|{:?}|", t.target, t.plan_investment);
            h.update(figures.as_bytes());
            // The units joined with commas, as hashed since the first templates.
            for (i, u) in t.units.iter().enumerate() {
                if i > 0 {
                    h.update(b",");
                }
                h.update(u.as_bytes());
            }
            h.update([1]);
        }
        let d = h.finalize();
        d.iter().take(8).map(|b| format!("{b:02x}")).collect()
    }
}

/// Where a task list's ids came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IdSource {
    /// Its 任务编号 column.
    #[default]
    Column,
    /// Its 序号, as typed (there is no 任务编号).
    Seq,
    /// Its 序号 restarts in each category: the category's number and the 序号 (`二.3`).
    SeqInCategory,
    /// Neither: the tasks' order, 1, 2, 3 ….
    RowOrder,
}

impl IdSource {
    /// Whether the ids are the list's 序号 (a return's own 序号 may then look like one).
    pub fn is_seq(self) -> bool {
        matches!(self, IdSource::Seq | IdSource::SeqInCategory)
    }

    /// What the office is told about the ids, when they are not a 任务编号 column.
    pub fn note(self) -> Option<&'static str> {
        match self {
            IdSource::Column => None,
            IdSource::Seq => Some("任务清单没有“任务编号”列，任务编号取清单的“序号”"),
            IdSource::SeqInCategory => Some(
                "任务清单的“序号”在每个类别中重新编号，任务编号取“类别序号.序号”（如 二.3 为第二类第 3 项）",
            ),
            IdSource::RowOrder => {
                Some("任务清单没有“任务编号”和“序号”列，任务编号按任务的先后取 1、2、3……")
            }
        }
    }
}

/// A collective name of the task list (`各市（州）交通运输局`) and the units it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupUse {
    pub name: String,
    pub members: Vec<String>,
    /// Where the group is defined: the embedded default or the office's huizong.toml.
    pub origin: String,
}

/// A value read from a cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell<T> {
    pub value: T,
    pub at: CellRef,
}

/// A raw cell as read: what a unit typed, before number parsing.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub enum Raw {
    #[default]
    Empty,
    Number(f64),
    Text(String),
    /// A date cell (as a date).
    Date(NaiveDate),
    /// `#DIV/0!` and friends, or a boolean: never a figure.
    Bad(String),
}

impl Raw {
    pub fn is_empty(&self) -> bool {
        match self {
            Raw::Empty => true,
            Raw::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The text a person would see in the cell.
    pub fn display(&self) -> String {
        match self {
            Raw::Empty => String::new(),
            Raw::Number(v) => fmt_num(*v),
            Raw::Text(s) => s.clone(),
            Raw::Date(d) => d.format("%Y-%m-%d").to_string(),
            Raw::Bad(s) => s.clone(),
        }
    }
}

/// Formats a number without a needless `.0`.
pub fn fmt_num(v: f64) -> String {
    fmt_num_compact(v).into_string()
}

/// [`fmt_num`]'s text, held inline up to 24 bytes: a whole number (every 序号 of every
/// return's rows comes through here) is written without allocating, its digits by
/// `compact_str`'s integer writer rather than through the formatting machinery.
pub fn fmt_num_compact(v: f64) -> CompactString {
    use compact_str::ToCompactString;
    if (v - v.round()).abs() < 1e-9 {
        (v.round() as i64).to_compact_string()
    } else {
        let s = format!("{v:.4}");
        CompactString::new(s.trim_end_matches('0').trim_end_matches('.'))
    }
}

/// A numeric field of a row: the raw cell and what it means.
#[derive(Debug, Clone, PartialEq)]
pub struct NumField {
    pub raw: Raw,
    /// The figure, when the cell holds one.
    pub value: Option<f64>,
    pub at: CellRef,
}

/// A text field of a row.
#[derive(Debug, Clone, PartialEq)]
pub struct TextField {
    pub value: String,
    pub at: CellRef,
}

/// How a row named its task or project, beyond an id: what a unit's own layout carries.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RowKey {
    /// Whether the row's id was typed in a 任务编号/项目编号 column (else `task_id` is
    /// found by name, and is empty until then).
    pub typed_id: bool,
    /// The unit's own 序号, as typed.
    pub seq: String,
    /// The cell of the task or project name, when the table has one.
    pub name_at: Option<CellRef>,
    /// How the row was matched to the list when not by its id (said on 数据来源).
    pub how: Option<String>,
}

/// A row of the progress table (重点任务进展).
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressRow {
    /// The task the row counts for: as typed, or as matched by name (empty when unmatched).
    pub task_id: Cell<String>,
    pub key: RowKey,
    pub task_name: String,
    pub month: NumField,
    pub ytd: NumField,
    /// 上月累计, when the template was made with `--history` (the last accepted
    /// year-to-date the office prefilled).
    pub prev_ytd: Option<NumField>,
    pub status: TextField,
    pub progress: TextField,
    pub problems: TextField,
    pub next_steps: TextField,
}

/// A row of the investment table (固定资产投资).
#[derive(Debug, Clone, PartialEq)]
pub struct InvestRow {
    /// As [`ProgressRow::task_id`].
    pub project_id: Cell<String>,
    pub key: RowKey,
    pub project_name: String,
    pub nature: TextField,
    pub plan: NumField,
    pub month: NumField,
    pub ytd: NumField,
    pub funds: [NumField; 5],
    /// Whether the table has any funding-source column (else the sum is not checked).
    pub funds_reported: bool,
    pub image_progress: TextField,
    pub remark: TextField,
}

/// Whether a text field holds nothing but spaces.
fn text_empty(f: &TextField) -> bool {
    f.value.trim().is_empty()
}

impl ProgressRow {
    /// Whether the unit typed nothing into the row's input cells (本月, 累计, 完成状态 and
    /// the texts); what a template prefills does not count.
    pub fn inputs_empty(&self) -> bool {
        self.month.raw.is_empty()
            && self.ytd.raw.is_empty()
            && [
                &self.status,
                &self.progress,
                &self.problems,
                &self.next_steps,
            ]
            .into_iter()
            .all(text_empty)
    }
}

impl InvestRow {
    /// As [`ProgressRow::inputs_empty`]: 本月, 累计, the funding sources, 建设性质 and the
    /// texts.
    pub fn inputs_empty(&self) -> bool {
        self.month.raw.is_empty()
            && self.ytd.raw.is_empty()
            && self.funds.iter().all(|f| f.raw.is_empty())
            && [&self.nature, &self.image_progress, &self.remark]
                .into_iter()
                .all(text_empty)
    }
}

/// Where a return's unit or period came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentitySource {
    /// The template's hidden sheet `_huizong`.
    Hidden,
    /// The label cells above the table (填报单位：, 报送月份：).
    Labels,
    /// The title above the table (`长春市交通运输局2020年6月重点任务进展`), when there are
    /// no labels.
    Title,
    FileName,
    /// The folder the file is in (`2020年7月/`).
    Folder,
}

impl IdentitySource {
    /// Where a unit came from, as a finding names it.
    pub fn unit_label(self) -> &'static str {
        match self {
            IdentitySource::Hidden => "隐藏页 _huizong",
            IdentitySource::Labels => "“填报单位：”",
            IdentitySource::Title => "表格标题",
            IdentitySource::FileName => "文件名",
            IdentitySource::Folder => "所在文件夹",
        }
    }

    /// Where a period came from, as a finding names it.
    pub fn period_label(self) -> &'static str {
        match self {
            IdentitySource::Hidden => "隐藏页 _huizong",
            IdentitySource::Labels => "“报送月份：”",
            IdentitySource::Title => "表格标题",
            IdentitySource::FileName => "文件名",
            IdentitySource::Folder => "所在文件夹",
        }
    }
}

/// One workbook as read: identity, header fields and its tables.
#[derive(Debug, Clone)]
pub struct ReturnFile {
    pub path: PathBuf,
    /// Relative to the input folder, `/`-separated.
    pub rel: String,
    pub unit: Option<String>,
    pub period: Option<Period>,
    pub reporter: String,
    pub phone: String,
    pub fill_date: Option<Cell<NaiveDate>>,
    /// The first return's 填报日期, when this file is a correction workbook sent back.
    pub first_filled: Option<NaiveDate>,
    /// The fingerprint of the task list its template was made from (`_huizong`).
    pub fingerprint: Option<String>,
    /// Seconds since the epoch, for breaking ties between duplicates.
    pub modified: i64,
    pub progress: Option<Vec<ProgressRow>>,
    pub invest: Option<Vec<InvestRow>>,
    /// An earlier month's rows once [`ReturnFile::slim`]med (`progress` and `invest` then
    /// only tell which tables the file has).
    pub past: Option<PastRows>,
    /// Problems met while reading this file.
    pub findings: Vec<Finding>,
    /// It belongs to a unit (by its name, labels or title) but holds no table huizong can
    /// read: validation decides whether that makes the unit 已报（无法识别）.
    pub unrecognised: bool,
    /// What the file is when it is no workbook at all (a Word document, a PDF, a photo)
    /// though its name says whose return it is.
    pub sent_as: Option<&'static str>,
    /// How each table was understood when it is not the template's layout (header rows,
    /// money unit): said on 数据来源.
    pub progress_note: Option<String>,
    pub invest_note: Option<String>,
    /// When no period was found: a month named without its year (`长春6月.xlsx`, a title
    /// `6月进展`), with where. Validation gives it the year of the period summarised.
    pub month_only: Option<(u32, IdentitySource)>,
    /// Every input cell is empty (figures, statuses, texts, 填报日期): a blank template, not a
    /// return. Set once the file is read (see [`ReturnFile::inputs_empty`]).
    pub blank: bool,
    /// The month of the folder the file lies in, when that folder is of a later month than
    /// the one its witnesses name (last month's file edited and filed again): the file is
    /// no month's return.
    pub misfiled: Option<Period>,
    /// Nobody's file, decided by validation: its witnesses name no due or partner unit and
    /// none of its rows is a task of the list. One finding, never its rows.
    pub nobodys: bool,
    /// Filled by the level below (`run --report-to` there): its 下级明细.
    pub lower: Option<Box<LowerRead>>,
}

/// What an earlier month keeps of a row: its id and figures. An earlier month serves only
/// the month-over-month checks and the trend, so it is held in a few dozen bytes per row
/// instead of the whole row.
#[derive(Debug, Clone, PartialEq)]
pub struct PastRow {
    /// Held inline up to 24 bytes (`T05-08`, `U003-01`): a row matched by name takes its
    /// task's id without allocating, 24,748 times on units' own forms.
    pub id: CompactString,
    pub month: Option<f64>,
    pub ytd: Option<f64>,
    /// The row's 序号 and name, when its id is to be found by name ([`PastRow::named`]).
    named: Option<Named>,
}

/// A row's 序号 and name in one block of memory, the 序号 first. A month's earlier rows are
/// most of the rows a batch keeps (24,748 of 27,048 on units' own forms): kept as a box of
/// two strings, they were three blocks a row.
#[derive(Debug, Clone, PartialEq)]
struct Named {
    text: Box<str>,
    /// Where the 序号 ends in `text`.
    seq_len: usize,
}

impl PastRow {
    fn of(
        id: &Cell<String>,
        key: &RowKey,
        name: &str,
        month: Option<f64>,
        ytd: Option<f64>,
    ) -> Self {
        let named = (!key.typed_id).then_some((key.seq.as_str(), name));
        PastRow::new(CompactString::new(&id.value), named, month, ytd)
    }

    /// The row as an earlier month keeps it: its id as read, its 序号 and name where the id
    /// is to be found by name, and its figures as read.
    pub fn new(
        id: CompactString,
        named: Option<(&str, &str)>,
        month: Option<f64>,
        ytd: Option<f64>,
    ) -> Self {
        let named = named.map(|(seq, name)| {
            let mut text = String::with_capacity(seq.len() + name.len());
            text.push_str(seq);
            text.push_str(name);
            Named {
                text: text.into_boxed_str(),
                seq_len: seq.len(),
            }
        });
        PastRow {
            id,
            month,
            ytd,
            named,
        }
    }

    /// The row's 序号 and name, when its id is to be found by name.
    pub fn named(&self) -> Option<(&str, &str)> {
        self.named
            .as_ref()
            .map(|n| (&n.text[..n.seq_len], &n.text[n.seq_len..]))
    }
}

impl From<&ProgressRow> for PastRow {
    fn from(r: &ProgressRow) -> PastRow {
        PastRow::of(&r.task_id, &r.key, &r.task_name, r.month.value, r.ytd.value)
    }
}

impl From<&InvestRow> for PastRow {
    fn from(r: &InvestRow) -> PastRow {
        PastRow::of(
            &r.project_id,
            &r.key,
            &r.project_name,
            r.month.value,
            r.ytd.value,
        )
    }
}

/// The rows of an earlier month's return, reduced to ids and figures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PastRows {
    pub progress: Vec<PastRow>,
    pub invest: Vec<PastRow>,
}

impl ReturnFile {
    /// Whether a unit typed nothing into the file: it has a table, and every input cell of
    /// it (本月, 累计 and the funding sources; 完成状态, 建设性质 and the texts) and 填报日期 are
    /// empty. What the template prefills (ids, names, targets, plans, 上月累计) does not
    /// count.
    pub fn inputs_empty(&self) -> bool {
        if self.fill_date.is_some() || (self.progress.is_none() && self.invest.is_none()) {
            return false;
        }
        let progress_empty = self
            .progress
            .iter()
            .flatten()
            .all(ProgressRow::inputs_empty);
        let invest_empty = self.invest.iter().flatten().all(InvestRow::inputs_empty);
        progress_empty && invest_empty
    }

    /// Whether a row of the file (kept whole, or slimmed to an earlier month's ids) names
    /// a task of the list by id, as typed or as matched by name.
    pub fn names_a_task(&self, tasks: &TaskList) -> bool {
        let known = |id: &str| !id.is_empty() && tasks.get(id).is_some();
        self.progress
            .iter()
            .flatten()
            .any(|r| known(&r.task_id.value))
            || self
                .invest
                .iter()
                .flatten()
                .any(|r| known(&r.project_id.value))
            || self
                .past
                .iter()
                .any(|p| p.progress.iter().chain(&p.invest).any(|r| known(&r.id)))
    }

    /// Rows the file holds (kept whole or slimmed).
    pub fn row_count(&self) -> usize {
        let whole =
            self.progress.as_ref().map_or(0, Vec::len) + self.invest.as_ref().map_or(0, Vec::len);
        whole
            + self
                .past
                .as_ref()
                .map_or(0, |p| p.progress.len() + p.invest.len())
    }

    /// The cell of a figure of the file by its task and column name (progress's or
    /// investment's 本月完成 and 自年初累计完成, the funding sources), as a return filled for
    /// the level above names them.
    pub fn figure_at(&self, task: &str, field: &str) -> Option<&CellRef> {
        use crate::layout::{invest as ic, progress as pc};
        let progress = self
            .progress
            .iter()
            .flatten()
            .find(|r| r.task_id.value == task);
        let invest = self
            .invest
            .iter()
            .flatten()
            .find(|r| r.project_id.value == task);
        match field {
            pc::MONTH => progress.map(|r| &r.month.at),
            pc::YTD => progress.map(|r| &r.ytd.at),
            ic::MONTH => invest.map(|r| &r.month.at),
            ic::YTD => invest.map(|r| &r.ytd.at),
            f => {
                let k = [ic::F1, ic::F2, ic::F3, ic::F4, ic::F5]
                    .iter()
                    .position(|x| *x == f)?;
                invest.map(|r| &r.funds[k].at)
            }
        }
    }

    /// Reduces the return to what an earlier month needs (see [`PastRow`]): its rows move to
    /// [`ReturnFile::past`], its tables stay marked as present, and its findings, texts
    /// (the notes on how its tables were read among them: 数据来源 is the summarised month's
    /// only) and cell references are dropped.
    pub fn slim(&mut self) {
        if self.past.is_some() {
            return;
        }
        self.findings = Vec::new();
        self.progress_note = None;
        self.invest_note = None;
        let progress = match &mut self.progress {
            Some(rows) => std::mem::take(rows).iter().map(PastRow::from).collect(),
            None => Vec::new(),
        };
        let invest = match &mut self.invest {
            Some(rows) => std::mem::take(rows).iter().map(PastRow::from).collect(),
            None => Vec::new(),
        };
        self.past = Some(PastRows { progress, invest });
    }

    /// The return's rows as an earlier month keeps them (made from the full rows if the
    /// return was not slimmed).
    pub fn past_mut(&mut self) -> &mut PastRows {
        let (progress, invest) = (&self.progress, &self.invest);
        self.past.get_or_insert_with(|| PastRows {
            progress: progress.iter().flatten().map(PastRow::from).collect(),
            invest: invest.iter().flatten().map(PastRow::from).collect(),
        })
    }

    pub fn empty(path: PathBuf, rel: String) -> ReturnFile {
        ReturnFile {
            path,
            rel,
            unit: None,
            period: None,
            reporter: String::new(),
            phone: String::new(),
            fill_date: None,
            first_filled: None,
            fingerprint: None,
            modified: 0,
            progress: None,
            invest: None,
            past: None,
            findings: Vec::new(),
            unrecognised: false,
            sent_as: None,
            progress_note: None,
            invest_note: None,
            month_only: None,
            blank: false,
            misfiled: None,
            nobodys: false,
            lower: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a1_names() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(6, 5), "F7");
        assert_eq!(col_name(25), "Z");
        assert_eq!(col_name(26), "AA");
        assert_eq!(col_name(16383), "XFD");
    }

    /// The plan year is the year most deadlines name before 年, in ASCII digits, 2000–2099.
    #[test]
    fn the_plan_year_is_the_year_most_deadlines_name() {
        let list = |deadlines: &[&str], file: Option<&str>| {
            let tasks = deadlines
                .iter()
                .map(|d| {
                    let mut t = crate::testkit::task("1", &["长春"], None, None);
                    t.deadline_text = d.to_string();
                    t
                })
                .collect();
            TaskList::new(tasks, file.map(str::to_string), String::new()).year()
        };
        assert_eq!(
            list(&["2020年12月底", "2020年6月", "2021年3月"], None),
            Some(2020)
        );
        assert_eq!(list(&["12月底"], Some("2021年任务清单.xlsx")), Some(2021));
        // Four digits before 年 in a longer number, a full-width year, a year out of range,
        // a year with no 年.
        assert_eq!(list(&["12020年"], None), Some(2020));
        assert_eq!(
            list(&["２０２０年", "1999年", "2020-12", "年底"], None),
            None
        );
        assert_eq!(list(&["2022年2021年", "2021年"], None), Some(2021));
    }

    #[test]
    fn january_has_no_previous_month() {
        assert_eq!(Period::new(2020, 1).unwrap().previous_in_year(), None);
        assert_eq!(
            Period::new(2020, 6).unwrap().previous_in_year(),
            Period::new(2020, 5)
        );
    }
}

/// Which table a sheet holds, known by its header row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TableKind {
    Tasks,
    Progress,
    Invest,
}

impl TableKind {
    /// The canonical columns the reader knows for this table: the template's, in contract
    /// order, then those only other layouts have (序号).
    pub fn columns(self) -> &'static [&'static str] {
        use crate::layout;
        match self {
            TableKind::Tasks => &layout::tasks::READ,
            TableKind::Progress => &layout::progress::READ,
            TableKind::Invest => &layout::invest::READ,
        }
    }

    /// Whether the columns found (aligned with [`TableKind::columns`]) make this table: a
    /// task list has task names and responsible units (its breakdown, ids and units with a
    /// target or plan); a return names its rows (by id or
    /// name) and has something to report on them.
    pub fn is_made_by(self, cols: &[Option<u32>]) -> bool {
        use crate::layout::{invest as ic, progress as pc, tasks as tc};
        let has = |name: &str| {
            self.columns()
                .iter()
                .position(|c| *c == name)
                .is_some_and(|i| cols.get(i).is_some_and(Option::is_some))
        };
        match self {
            // A task list, or its breakdown (任务分解: ids, units and their parts).
            TableKind::Tasks => {
                has(tc::UNITS)
                    && (has(tc::NAME) || (has(tc::ID) && (has(tc::TARGET) || has(tc::PLAN))))
            }
            TableKind::Progress => {
                (has(pc::ID) || has(pc::NAME))
                    && [pc::MONTH, pc::YTD, pc::STATUS, pc::PROGRESS]
                        .iter()
                        .any(|c| has(c))
            }
            TableKind::Invest => (has(ic::ID) || has(ic::NAME)) && (has(ic::MONTH) || has(ic::YTD)),
        }
    }
}

/// A table as found in a sheet, cells aligned with [`TableKind::columns`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RawTable {
    pub kind: TableKind,
    #[serde(deserialize_with = "crate::cell::shared_sheet")]
    pub sheet: std::sync::Arc<str>,
    pub header_row: u32,
    /// Column index of each canonical column, `None` when the sheet lacks it.
    pub cols: Vec<Option<u32>>,
    /// Header cells that match no known column: text and column.
    pub extras: Vec<(String, u32)>,
    pub rows: Vec<RawRow>,
    /// How many rows the header takes (2 or 3 with merged group cells above).
    pub header_rows: u32,
    /// The money unit each column's figures are in when it is not 万元 (`元`, `亿元`), with
    /// the cell that says so (its header or a `单位：元` line), aligned with `cols`.
    pub money: Vec<Option<(String, CellRef)>>,
    /// Rows below the header that are not data (a row of column numbers, a note), with why.
    pub skipped: Vec<(u32, String)>,
    /// The header of the column read as the tasks' names when it names projects instead
    /// (`项目 | 本月完成量 | 累计完成`).
    #[serde(default)]
    pub names_from: Option<String>,
}

impl RawTable {
    /// The table's header cell, where a finding about the whole table is said: the header's
    /// first row, at the table's leftmost column.
    pub fn header_cell(&self) -> CellRef {
        let first = self.cols.iter().flatten().min().copied().unwrap_or(0);
        CellRef::new(&self.sheet, self.header_row, first)
    }

    /// The cell reference of canonical column `i` in `row`. When the column is missing,
    /// the reference points just right of the table, where a person would add it.
    pub fn cell(&self, row: u32, i: usize) -> CellRef {
        let col =
            self.cols[i].unwrap_or_else(|| self.cols.iter().flatten().max().map_or(0, |m| m + 1));
        CellRef {
            sheet: self.sheet.clone(),
            row,
            col,
        }
    }

    /// Index of a canonical column name.
    pub fn index(&self, name: &str) -> usize {
        let columns = self.kind.columns();
        // Asked with the layout's own constants: where the caller's copy of the constant is
        // the list's own, found without comparing texts (a kind's columns are distinct, so
        // the first found either way is the same). Each codegen unit may hold its own copy,
        // so most calls compare the texts: a loop over many rows finds its indices once
        // (`interpret::returns::PastCols`).
        columns
            .iter()
            .position(|c| std::ptr::eq(c.as_ptr(), name.as_ptr()) && c.len() == name.len())
            .or_else(|| columns.iter().position(|c| *c == name))
            .expect("column of this table")
    }
}

/// One data row, cells aligned with the canonical columns.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RawRow {
    pub row: u32,
    pub cells: Vec<Raw>,
    /// A task list's cells under its headers that name no known column, aligned with
    /// `RawTable::extras` (节点目标 columns, `6月底目标`); empty in other tables.
    #[serde(default)]
    pub extra: Vec<Raw>,
}

/// The label cells above a table (填报单位： …), each with its value cell.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Labels {
    pub unit: Option<(Raw, CellRef)>,
    pub period: Option<(Raw, CellRef)>,
    pub reporter: Option<(Raw, CellRef)>,
    pub phone: Option<(Raw, CellRef)>,
    pub date: Option<(Raw, CellRef)>,
    /// The texts above the table that are not labels: its title lines.
    pub titles: Vec<(String, CellRef)>,
    /// Every 填报单位 written in the cell of its label, on whatever sheet: a workbook may hold
    /// several units' returns, a sheet each.
    #[serde(default)]
    pub units_seen: Vec<(String, CellRef)>,
}

/// A workbook as read, before any interpretation.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RawWorkbook {
    pub path: PathBuf,
    pub rel: String,
    pub modified: i64,
    pub tables: Vec<RawTable>,
    pub labels: Labels,
    /// Key/value pairs of the hidden `_huizong` sheet.
    pub meta: Vec<(String, String)>,
    /// Problems met while reading (unreadable file, extra columns, …).
    pub findings: Vec<Finding>,
    /// True when the file could not be read at all.
    pub unreadable: bool,
    /// Sheets that hold what looks like a table (a row of headers, figures below) but no
    /// table huizong knows: the header row's first cell and its texts.
    #[serde(default)]
    pub unread_sheets: Vec<(CellRef, String)>,
    /// Labels and titles of sheets without a table: they say whose a file is only when no
    /// sheet of it holds a table (an instructions sheet's `报送时间：` is no 填报日期).
    #[serde(default)]
    pub loose_labels: Labels,
    /// 下级明细 of a return filled by the level below, as written.
    #[serde(default)]
    pub lower: Option<LowerSheet>,
}

/// The sheet 下级明细 as read: its coverage line and its rows' cells (the columns of
/// `layout::lower::ALL`), each row with its zero-based row number.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LowerSheet {
    pub coverage: String,
    pub rows: Vec<(u32, Vec<Raw>)>,
}

impl RawWorkbook {
    /// Nothing read yet.
    pub fn new(path: PathBuf, rel: String) -> RawWorkbook {
        RawWorkbook {
            path,
            rel,
            modified: 0,
            tables: Vec::new(),
            labels: Labels::default(),
            meta: Vec::new(),
            findings: Vec::new(),
            unreadable: false,
            unread_sheets: Vec::new(),
            loose_labels: Labels::default(),
            lower: None,
        }
    }

    /// A file that could not be read, with the finding that says why.
    pub fn failed(path: PathBuf, rel: String, finding: Finding) -> RawWorkbook {
        RawWorkbook {
            findings: vec![finding],
            unreadable: true,
            ..RawWorkbook::new(path, rel)
        }
    }
}

/// Values a unit typed in its progress table, by 任务编号.
#[derive(Debug, Clone, Default)]
pub struct ProgressValues {
    pub month: Raw,
    pub ytd: Raw,
    pub status: String,
    pub progress: String,
    pub problems: String,
    pub next_steps: String,
}

/// Values a unit typed in its investment table, by 项目编号.
#[derive(Debug, Clone, Default)]
pub struct InvestValues {
    pub nature: String,
    pub month: Raw,
    pub ytd: Raw,
    pub funds: [Raw; 5],
    pub image: String,
    pub remark: String,
}

/// A filled return.
#[derive(Debug, Clone, Default)]
pub struct ReturnValues {
    pub reporter: String,
    pub phone: String,
    pub fill_date: Raw,
    /// The 填报日期 of the unit's first return of the period (kept in `_huizong`).
    pub first_filled: Option<NaiveDate>,
    pub progress: std::collections::HashMap<String, ProgressValues>,
    pub invest: std::collections::HashMap<String, InvestValues>,
}

/// 下级明细: what lies beneath a return filled for the level above.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LowerDetail {
    /// Lower units that sent a return for the period, of those due.
    pub reported: usize,
    pub due: usize,
    /// The lower units due that sent none.
    pub not_reported: Vec<String>,
    pub rows: Vec<LowerRow>,
}

/// One lower unit's part of one figure: its value and state (`layout::lower`), and where
/// it was read (empty for a part not reported).
#[derive(Debug, Clone, PartialEq)]
pub struct LowerRow {
    pub id: String,
    pub name: String,
    /// The figure's column (本月完成, 自年初累计完成, …).
    pub field: String,
    pub unit: String,
    pub value: Option<f64>,
    pub state: String,
    pub file: String,
    pub sheet: String,
    pub cell: String,
}

/// 下级明细 as the upper level reads it from a return filled below: the coverage line
/// (`下级已报 2/3；未报：…`) and each row with its own cell in that sheet.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LowerRead {
    /// The lower office that filled the return.
    pub filled_by: String,
    pub coverage: String,
    pub rows: Vec<(CellRef, LowerRow)>,
}

/// A cell to highlight with a note (correction workbooks).
#[derive(Debug, Clone)]
pub struct Mark {
    pub sheet: String,
    pub row: u32,
    pub col: u16,
    pub note: String,
}

/// An id as compared when typed another way: half-width, upper case, without spaces, any
/// dash as `-`, each run of digits without its leading zeros (`t5-8` and `T05－08` both
/// read `T5-8`).
fn id_key(id: &str) -> String {
    // Full-width forms (`Ｔ０５－０８`) as their ASCII.
    let t: String = id
        .chars()
        .map(|c| match c as u32 {
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            0x3000 => ' ',
            _ => c,
        })
        .collect();
    let mut out = String::new();
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        if !digits.is_empty() {
            let d = digits.trim_start_matches('0');
            out.push_str(if d.is_empty() { "0" } else { d });
            digits.clear();
        }
    };
    for c in t.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        flush(&mut digits, &mut out);
        match c {
            c if c.is_whitespace() => {}
            '－' | '—' | '–' | '‐' | '_' | '−' => out.push('-'),
            c => out.extend(c.to_uppercase()),
        }
    }
    flush(&mut digits, &mut out);
    out
}

#[cfg(test)]
mod id_tests {
    use super::id_key;

    #[test]
    fn ids_typed_another_way_read_the_same() {
        assert_eq!(id_key("T05-08"), id_key("t5-8"));
        assert_eq!(id_key("T05-08"), id_key("T05－08"));
        assert_eq!(id_key("T05-08"), id_key(" T05—08 "));
        assert_ne!(id_key("T05-08"), id_key("T05-18"));
        assert_ne!(id_key("1.1"), id_key("1.10"));
    }
}

#[cfg(test)]
mod index_tests {
    use super::{RawTable, TableKind};

    /// A column is found by its constant and by a copy of its text alike, at its own place
    /// (the kinds' columns are distinct, which the lookup by address relies on).
    #[test]
    fn a_column_is_found_by_its_text_wherever_the_text_is_kept() {
        for kind in [TableKind::Tasks, TableKind::Progress, TableKind::Invest] {
            let columns = kind.columns();
            let table = RawTable {
                kind,
                sheet: "表".into(),
                header_row: 0,
                cols: vec![None; columns.len()],
                extras: Vec::new(),
                rows: Vec::new(),
                header_rows: 1,
                money: vec![None; columns.len()],
                skipped: Vec::new(),
                names_from: None,
            };
            for (i, name) in columns.iter().enumerate() {
                assert_eq!(
                    columns.iter().filter(|c| *c == name).count(),
                    1,
                    "{kind:?} {name}"
                );
                assert_eq!(table.index(name), i, "{kind:?} {name}");
                let copy = name.to_string();
                assert_eq!(table.index(&copy), i, "{kind:?} {name}, copied");
            }
        }
    }
}

#[cfg(test)]
mod fmt_tests {
    use super::{fmt_num, fmt_num_compact};

    /// Whole numbers are written as the integer's own `to_string` writes them.
    #[test]
    fn whole_numbers_are_written_as_integers_write_themselves() {
        let cases = [
            0.0,
            -0.0,
            1.0,
            9.0,
            10.0,
            -1.0,
            -10.0,
            12_345.0,
            2020.0,
            1e15,
            -1e18,
            9.2e18,
            -9.3e18,
            1e300,
            3.000_000_000_01,
        ];
        for v in cases {
            assert_eq!(fmt_num(v), (v.round() as i64).to_string(), "{v}");
        }
        for n in -1_000..=1_000 {
            assert_eq!(fmt_num(f64::from(n)), n.to_string());
        }
        assert_eq!(fmt_num(2.5), "2.5");
        assert_eq!(fmt_num(-0.125), "-0.125");
        // The inline text is the same text, whole or not.
        for v in cases {
            assert_eq!(fmt_num_compact(v), (v.round() as i64).to_string(), "{v}");
        }
        let others = [
            (2.5, "2.5"),
            (-0.125, "-0.125"),
            (1e-12, "0"),
            (-0.0, "0"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "inf"),
            (0.1 + 0.2, "0.3"),
        ];
        for (v, text) in others {
            assert_eq!(fmt_num_compact(v), text, "{v}");
            assert_eq!(fmt_num(v), text, "{v}");
        }
    }
}
