//! What validation hands over: each unit's return with its accepted rows, earlier months,
//! the roster and the findings.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use crate::finding::Finding;
use crate::model::{
    CellRef, FastMap, InvestRow, PastRows, Period, ProgressRow, RosterEntry, Task, TaskList,
};

/// What the acceptance rule says of one row.
pub(super) enum Admission<'t> {
    /// No id (a row named in the unit's words that matched no task: the matcher said so).
    Blank,
    /// A later row of an id already admitted; the first row's cell.
    Repeat(String),
    /// An id the list does not know (for investment: no project with a plan).
    Unknown,
    /// The row enters the summary.
    Admitted(&'t Task),
}

/// The acceptance rule, the one place it is written: of a table's rows, the first row of
/// each id the task list knows enters the summary and the exports; a later row of the same
/// id and a row of an id the list does not know are findings. Both tables of the month's
/// returns and the rows kept of earlier months go through it.
pub(super) struct FirstKnown<'a> {
    /// Each id seen with its first row's cell, named (`C7`) only when a repeat says it.
    seen: FastMap<&'a str, Option<&'a CellRef>>,
}

impl<'a> FirstKnown<'a> {
    /// The rule for a table of `rows` rows: room for each id from the start, so that the
    /// ids seen are not hashed again as the table grows.
    pub(super) fn for_rows(rows: usize) -> FirstKnown<'a> {
        FirstKnown {
            seen: FastMap::with_capacity_and_hasher(rows, Default::default()),
        }
    }

    /// The rule's word on the row with `id` at `at` (a row of an earlier month has no cell:
    /// `None`); `known` looks the id up in the list.
    pub(super) fn admit<'t>(
        &mut self,
        id: &'a str,
        at: Option<&'a CellRef>,
        known: impl FnOnce(&str) -> Option<&'t Task>,
    ) -> Admission<'t> {
        if id.is_empty() {
            return Admission::Blank;
        }
        if let Some(first) = self.seen.get(id) {
            return Admission::Repeat(first.map(CellRef::a1).unwrap_or_default());
        }
        self.seen.insert(id, at);
        match known(id) {
            Some(task) => Admission::Admitted(task),
            None => Admission::Unknown,
        }
    }
}

/// The investment rows' lookup: a project is a task of the list that carries investment.
pub(super) fn known_project<'t>(tasks: &'t TaskList, id: &str) -> Option<&'t Task> {
    tasks.get(id).filter(|t| tasks.invests(t))
}

/// One unit's accepted return for one period (progress and investment may come from two
/// files).
#[derive(Debug, Clone)]
pub struct UnitReturn {
    pub unit: String,
    pub period: Period,
    pub progress_file: Option<String>,
    pub invest_file: Option<String>,
    /// How each table was read when it is not the template's layout (数据来源 says it).
    pub progress_note: Option<String>,
    pub invest_note: Option<String>,
    pub fill_date: Option<NaiveDate>,
    /// 首次报送: the earliest 填报日期 among the unit's returns for the period (superseded
    /// ones and the date a correction workbook carries included): timeliness is judged on it.
    pub first_date: Option<NaiveDate>,
    /// The file and cell the 填报日期 was read from.
    pub fill_date_at: Option<(String, CellRef)>,
    pub reporter: String,
    pub phone: String,
    /// Every row as sent (the correction workbook re-makes them all).
    pub progress: Vec<ProgressRow>,
    pub invest: Vec<InvestRow>,
    /// Which rows enter the summary and the exports, decided once by validation: the first
    /// row per task (per project with a plan, for investment) of the task list.
    pub(super) accepted: Accepted,
    /// What each accepted row's figures are, aligned with `accepted`.
    pub(super) parts: Parts,
    /// Filled by the level below: its 下级明细.
    pub lower: Option<Box<crate::model::LowerRead>>,
}

/// What a unit's figure on a task or project is (`docs`: what a figure means).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Part {
    /// Read, and no error finding on it.
    #[default]
    Accepted,
    /// Read, with error findings on its cells: shown where it belongs, marked.
    Disputed(Vec<(crate::finding::Code, String)>),
    /// Left blank or rejected: not in any sum.
    Missing,
}

impl Part {
    /// How the exports say it: 已采用, 待核（codes）, 缺报.
    pub fn label(&self) -> String {
        match self {
            Part::Accepted => "已采用".to_string(),
            Part::Disputed(d) => {
                let codes: Vec<&str> = d.iter().map(|(c, _)| c.as_str()).collect();
                format!("待核（{}）", codes.join("、"))
            }
            Part::Missing => "缺报（未填或无法识别）".to_string(),
        }
    }
}

/// The [`Part`] of each accepted row.
#[derive(Debug, Clone, Default)]
pub(super) struct Parts {
    pub(super) progress: Vec<Part>,
    pub(super) invest: Vec<Part>,
}

/// Indices of the accepted rows of a [`UnitReturn`].
#[derive(Debug, Clone, Default)]
pub(super) struct Accepted {
    pub(super) progress: Vec<usize>,
    pub(super) invest: Vec<usize>,
}

/// A unit's return of an earlier month: which files were kept, and their ids and figures.
#[derive(Debug, Clone, PartialEq)]
pub struct PastReturn {
    pub unit: String,
    pub period: Period,
    pub progress_file: Option<String>,
    pub invest_file: Option<String>,
    pub rows: PastRows,
}

impl UnitReturn {
    /// The progress rows that enter the summary, in the order sent.
    pub fn progress_rows(&self) -> impl Iterator<Item = &ProgressRow> {
        self.accepted.progress.iter().map(|&i| &self.progress[i])
    }

    /// The investment rows that enter the summary, in the order sent.
    pub fn invest_rows(&self) -> impl Iterator<Item = &InvestRow> {
        self.accepted.invest.iter().map(|&i| &self.invest[i])
    }

    /// The progress rows that enter the summary, each with what its figures are.
    pub fn progress_parts(&self) -> impl Iterator<Item = (&ProgressRow, &Part)> {
        self.progress_rows().zip(
            self.parts
                .progress
                .iter()
                .chain(std::iter::repeat(&Part::Accepted)),
        )
    }

    /// The investment rows that enter the summary, each with what its figures are.
    pub fn invest_parts(&self) -> impl Iterator<Item = (&InvestRow, &Part)> {
        self.invest_rows().zip(
            self.parts
                .invest
                .iter()
                .chain(std::iter::repeat(&Part::Accepted)),
        )
    }

    pub fn files(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .progress_file
            .iter()
            .chain(self.invest_file.iter())
            .cloned()
            .collect();
        v.dedup();
        v
    }
}

/// Everything validated, ready to consolidate.
#[derive(Debug, Clone)]
pub struct Batch {
    pub period: Period,
    pub tasks: TaskList,
    /// Accepted returns of the period, in roster order.
    pub current: Vec<UnitReturn>,
    /// Accepted returns of earlier periods of the same year.
    pub history: BTreeMap<Period, Vec<PastReturn>>,
    pub roster: Vec<RosterEntry>,
    /// Findings of the period (and of files whose period is unknown), sorted.
    pub findings: Vec<Finding>,
    /// The deadline the roster was judged by.
    pub deadline: NaiveDate,
    /// The units' findings by level: errors, warnings, infos (files that are no return are
    /// counted apart, in `strays`).
    pub counts: (usize, usize, usize),
    /// Files of the folder that are no return (nobody's files, files that are no workbook,
    /// old summaries): one finding each, counted apart from the units' problems.
    pub strays: usize,
    /// What the office must know before reading any figure (an empty month, another year):
    /// shown first on screen and on 总览.
    pub notices: Vec<String>,
    /// Last year's returns at the same month (and at December, for a January's 环比),
    /// validated against last year's task list: 去年同期 comes from them. Set by the
    /// loader after validation.
    pub last_year: Option<Box<LastYear>>,
}

impl Batch {
    /// The findings as 数据校验 lists them: errors, then warnings, then infos, each in the
    /// batch's order (by unit, file and cell).
    pub fn findings_by_level(&self) -> Vec<&Finding> {
        let mut out: Vec<&Finding> = self.findings.iter().collect();
        out.sort_by_key(|f| f.level);
        out
    }
}

/// How far two figures may differ and still agree (rounding in the units' sheets).
pub(super) const TOLERANCE: f64 = 0.01;

/// A finding about a unit's return of a period, in one of its files.
pub(super) fn finding_in(
    ret: &UnitReturn,
    period: Period,
    code: crate::finding::Code,
    text: String,
    file: &Option<String>,
) -> Finding {
    Finding::new(code, text)
        .unit(ret.unit.clone())
        .period(period)
        .file(file.clone().unwrap_or_default())
}

/// Last year, as the statistics table compares with it.
#[derive(Debug, Clone)]
pub struct LastYear {
    /// The same month of last year, validated against last year's list (its findings are
    /// not the office's this month and are not shown).
    pub batch: Batch,
    /// Last December, when the month summarised is January.
    pub december: Option<Batch>,
    /// The task list last year's returns were read against.
    pub list_file: String,
}

/// The investment figures of the month before, as history counts them.
#[derive(Debug, Clone, Default)]
pub struct MonthBefore {
    pub period: Option<Period>,
    /// Each (unit, project) row of that month: its 本月 where its year-to-date was accepted,
    /// `None` where the row was sent but not accepted.
    pub figures: HashMap<(String, String), Option<f64>>,
    /// Each (unit, project) row's accepted 自年初累计 of that month (what ranked the units
    /// then), `None` where it was not accepted.
    pub ytd: HashMap<(String, String), Option<f64>>,
}
