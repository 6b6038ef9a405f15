//! The lines consolidation hands the writers (任务进展's, 分类汇总's, 固定资产投资's), what
//! they know of their parts, and the rounding every sum takes.

use crate::model::Status;

/// Decimals kept of a sum of quantities (units type at most this many) and of 万元.
pub(super) const QUANTITY_DECIMALS: i32 = 4;
pub(super) const MONEY_DECIMALS: i32 = 2;

/// A sum rounded to the precision of its inputs, so that float noise (36.400000000000006)
/// is never stored, shown, compared with a target or exported.
pub fn round_to(v: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (v * f).round() / f
}

pub(super) fn rq(v: Option<f64>) -> Option<f64> {
    v.map(|v| round_to(v, QUANTITY_DECIMALS))
}

pub(super) fn rm(v: Option<f64>) -> Option<f64> {
    v.map(|v| round_to(v, MONEY_DECIMALS))
}

/// Which of a task's parts can be read as facts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Coverage {
    /// Responsible units whose return has the task's row, whatever the state of its
    /// figures (已报单位).
    pub reported: usize,
    /// Of those, the units whose year-to-date is in the sums (accepted or disputed; every
    /// reporting unit, for a qualitative task).
    pub counted: usize,
    /// Responsible units.
    pub due: usize,
    /// Responsible units whose part is missing (no return, no row, blank or rejected), by
    /// short name.
    pub missing: Vec<String>,
    /// Of `missing`, the units that sent the row but no usable year-to-date (blank or
    /// rejected): reported, not counted.
    pub unusable: Vec<String>,
    /// One line per disputed part: `【unit】code：message`.
    pub disputed: Vec<String>,
    /// The sum of the accepted parts' year-to-date.
    pub accepted_ytd: f64,
}

impl Coverage {
    /// Every part is reported and accepted.
    pub fn complete(&self) -> bool {
        self.missing.is_empty() && self.disputed.is_empty()
    }

    /// `2/3`; `2/3` over `有效1` when a reporting unit's year-to-date is not in the sums
    /// (two lines, so that the column stays as narrow as its header).
    pub fn label(&self) -> String {
        if self.counted == self.reported {
            format!("{}/{}", self.reported, self.due)
        } else {
            format!("{}/{}\n有效{}", self.reported, self.due, self.counted)
        }
    }
}

/// A note line for a disputed part: `【unit】E-CODE：message`.
pub fn dispute_line(unit: &str, disputes: &[(crate::finding::Code, String)]) -> String {
    disputes
        .iter()
        .map(|(c, m)| format!("【{unit}】{}：{m}", c.as_str()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One line of 任务进展.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskLine {
    pub id: String,
    pub category: String,
    pub name: String,
    pub units: Vec<String>,
    pub measure: String,
    pub target: Option<f64>,
    pub month: Option<f64>,
    pub ytd: Option<f64>,
    pub rate: Option<f64>,
    /// 序时进度 (0–1) and the rule that gave it (节点目标, 施工季 or 日历), said.
    pub schedule: f64,
    pub schedule_note: String,
    pub status: Status,
    pub quantitative: bool,
    /// Which parts are reported, accepted, disputed or missing.
    pub coverage: Coverage,
    /// Each unit's 本月工作进展, prefixed 【unit】, in roster order.
    pub progress_text: String,
    /// Each unit's 存在问题, likewise.
    pub problems_text: String,
}

/// One line of 分类汇总: a category and one 计量单位 (empty for qualitative tasks).
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryLine {
    pub category: String,
    pub measure: String,
    pub tasks: usize,
    pub target: Option<f64>,
    pub month: Option<f64>,
    pub ytd: Option<f64>,
    pub rate: Option<f64>,
    /// Tasks of this line per 进度状态, one count per [`Summary::status_columns`].
    pub by_status: Vec<usize>,
    /// Tasks of this line with a disputed or missing part.
    pub unverified: Vec<String>,
    /// The mean 序时进度 of the line's quantitative tasks (what 总览's chart compares the
    /// completion rate with).
    pub schedule: Option<f64>,
}

/// Tasks in one 进度状态, for 总览.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusCount {
    pub status: Status,
    pub tasks: usize,
    /// The tasks listed beside the count (滞后, 未启动 and 数据待核): id and name.
    pub listed: Vec<(String, String)>,
}

/// What a line of the investment table is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvestKind {
    Project,
    CategorySubtotal,
    UnitSubtotal,
    Total,
}

/// One line of 固定资产投资.
#[derive(Debug, Clone, PartialEq)]
pub struct InvestLine {
    pub kind: InvestKind,
    pub category: String,
    pub unit: String,
    pub project_id: String,
    pub project_name: String,
    pub nature: String,
    pub plan: f64,
    pub month: Option<f64>,
    pub ytd: Option<f64>,
    pub rate: Option<f64>,
    pub funds: [Option<f64>; 5],
    pub image: String,
    /// A shared project the task list does not break down (共同项目未分解): the unit's
    /// line has no plan and no rate of its own.
    pub undivided: bool,
    /// A unit's subtotal: the shared projects not broken down, whose figures it holds
    /// but whose plans its plan and rate leave out (`project`).
    pub left_out: Vec<String>,
    /// Whether the unit reported this line.
    pub reported: bool,
    /// Disputed parts in this line (a subtotal: in the lines it sums): `【unit】code：message`.
    pub disputed: Vec<String>,
    /// Parts owed but missing in this line (a subtotal: in the lines it sums): `project（unit）`.
    pub missing: Vec<String>,
    /// The funding columns added up (`None` when none is filled).
    pub funds_total: Option<f64>,
    /// Whether the funding columns add up to something else than 自年初累计 (both filled).
    pub funds_differ: bool,
    /// Why, for a subtotal or total: the projects summed whose own funding sources do not add
    /// up to their year-to-date …
    pub funds_unbalanced: Vec<FundsGap>,
    /// … and those with a year-to-date but no funding source (`project（unit）`).
    pub funds_unfilled: Vec<String>,
}

/// A project whose funding sources add up to something else than its year-to-date.
#[derive(Debug, Clone, PartialEq)]
pub struct FundsGap {
    /// `project（unit）`.
    pub project: String,
    pub funds: f64,
    pub ytd: f64,
}
