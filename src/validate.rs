//! Checks across returns: identity, duplicates, the roster, tasks, month-over-month rules,
//! funding sums, targets and deadlines. Pure code over typed rows: no files, no I/O.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use crate::config::Config;
use crate::messages as msg;
use crate::model::{
    CellRef, Finding, InvestRow, Level, NumField, PastRows, Period, ProgressRow, ReturnFile,
    TaskList,
};

/// One unit's accepted return for one period (progress and investment may come from two
/// files).
#[derive(Debug, Clone)]
pub struct UnitReturn {
    pub unit: String,
    pub period: Period,
    pub progress_file: Option<String>,
    pub invest_file: Option<String>,
    pub fill_date: Option<NaiveDate>,
    /// The file and cell the 填报日期 was read from.
    pub fill_date_at: Option<(String, CellRef)>,
    pub reporter: String,
    pub phone: String,
    pub progress: Vec<ProgressRow>,
    pub invest: Vec<InvestRow>,
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

/// A unit's line in the roster (单位报送情况).
#[derive(Debug, Clone)]
pub struct RosterEntry {
    pub unit: String,
    pub tasks_due: usize,
    /// 已报, 未报, or 无法读取.
    pub state: &'static str,
    pub fill_date: Option<NaiveDate>,
    /// `None` when unknown (no return or no date).
    pub on_time: Option<bool>,
    pub files: Vec<String>,
    pub errors: usize,
    pub warnings: usize,
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
    /// The deadline day the roster was judged by.
    pub deadline_day: u32,
}

const TOLERANCE: f64 = 0.01;

/// The latest period among the returns.
pub fn latest_period(returns: &[ReturnFile]) -> Option<Period> {
    returns.iter().filter_map(|r| r.period).max()
}

/// Validates all returns against the task list for `period`.
pub fn validate(
    tasks: TaskList,
    mut task_findings: Vec<Finding>,
    returns: Vec<ReturnFile>,
    period: Period,
    config: &Config,
) -> Batch {
    let due = tasks.units();
    let mut findings: Vec<Finding> = Vec::new();
    findings.append(&mut task_findings);

    // Group by unit and period; unreadable or unidentified files carry no data.
    let mut returns = returns;
    let mut groups: BTreeMap<(Period, String), Vec<&mut ReturnFile>> = BTreeMap::new();
    let mut unreadable_units: HashMap<String, Vec<String>> = HashMap::new();
    for r in returns.iter_mut() {
        let (Some(unit), Some(p)) = (&r.unit, r.period) else {
            continue;
        };
        if r.progress.is_none() && r.invest.is_none() {
            if p == period {
                unreadable_units
                    .entry(unit.clone())
                    .or_default()
                    .push(r.rel.clone());
            }
            continue;
        }
        if p.year != period.year || p > period {
            continue;
        }
        let key = (p, unit.clone());
        groups.entry(key).or_default().push(r);
    }

    let mut current: Vec<UnitReturn> = Vec::new();
    let mut history: BTreeMap<Period, Vec<PastReturn>> = BTreeMap::new();
    for ((p, unit), files) in groups {
        let is_current = p == period;
        if !due.contains(&unit) {
            if is_current {
                for f in &files {
                    findings.push(
                        Finding::new(Level::Warning, "W-UNIT-NOT-DUE", msg::not_due_unit(&unit))
                            .unit(unit.clone())
                            .period(p)
                            .file(f.rel.clone()),
                    );
                }
            }
            continue;
        }
        let (ret, past, dup_findings) = merge(&unit, p, files, !is_current);
        if is_current {
            findings.extend(dup_findings);
            current.push(ret);
        } else {
            history.entry(p).or_default().push(PastReturn {
                unit: ret.unit,
                period: p,
                progress_file: ret.progress_file,
                invest_file: ret.invest_file,
                rows: past,
            });
        }
    }

    // File-level findings: of the files used this period, of files that carry no data
    // (unreadable, unidentified) and of units not due. A superseded duplicate's own
    // problems are moot: W-DUPLICATE names it.
    let used: HashSet<&str> = current
        .iter()
        .flat_map(|r| r.progress_file.iter().chain(r.invest_file.iter()))
        .map(String::as_str)
        .collect();
    for r in &returns {
        let this_period = r.period.is_none() || r.period == Some(period);
        let no_data = r.progress.is_none() && r.invest.is_none();
        let not_due = r.unit.as_ref().is_some_and(|u| !due.contains(u));
        if this_period && (used.contains(r.rel.as_str()) || no_data || r.unit.is_none() || not_due)
        {
            findings.extend(r.findings.iter().cloned());
        }
    }

    // Row-level checks of the current period.
    for ret in &mut current {
        let prev = period
            .previous_in_year()
            .and_then(|pp| history.get(&pp))
            .and_then(|v| v.iter().find(|r| r.unit == ret.unit));
        check_return(ret, prev, &tasks, period, &mut findings);
    }
    check_targets(&current, &tasks, period, &mut findings);

    // Roster.
    let mut roster = Vec::new();
    for unit in &due {
        let tasks_due = tasks.tasks_of(unit).count();
        let ret = current.iter().find(|r| &r.unit == unit);
        let on_time = ret
            .and_then(|r| r.fill_date)
            .map(|d| d <= deadline(period, config.deadline_day));
        if let Some(r) = ret
            && let (Some(d), Some(false)) = (r.fill_date, on_time)
        {
            let mut f = Finding::new(
                Level::Warning,
                "W-LATE",
                msg::late(&d.format("%Y-%m-%d").to_string(), config.deadline_day),
            )
            .unit(unit.clone())
            .period(period);
            if let Some((file, at)) = &r.fill_date_at {
                f = f.file(file.clone()).at(at);
            }
            findings.push(f);
        }
        let state = if ret.is_some() {
            "已报"
        } else if unreadable_units.contains_key(unit) {
            "无法读取"
        } else {
            findings.push(
                Finding::new(
                    Level::Warning,
                    "W-MISSING-RETURN",
                    msg::missing_return(&period.label(), tasks_due),
                )
                .unit(unit.clone())
                .period(period),
            );
            "未报"
        };
        let mut files = ret.map(UnitReturn::files).unwrap_or_default();
        if let Some(u) = unreadable_units.get(unit) {
            files.extend(u.iter().cloned());
        }
        roster.push(RosterEntry {
            unit: unit.clone(),
            tasks_due,
            state,
            fill_date: ret.and_then(|r| r.fill_date),
            on_time,
            files,
            errors: 0,
            warnings: 0,
        });
    }
    let rank: HashMap<&str, usize> = due
        .iter()
        .enumerate()
        .map(|(i, u)| (u.as_str(), i))
        .collect();
    findings.sort_by(|a, b| {
        let unit_rank = |f: &Finding| {
            f.unit
                .as_deref()
                .and_then(|u| rank.get(u).copied())
                .unwrap_or(usize::MAX)
        };
        (
            unit_rank(a),
            &a.unit,
            &a.file,
            &a.sheet,
            cell_key(&a.cell),
            a.level,
            a.code,
        )
            .cmp(&(
                unit_rank(b),
                &b.unit,
                &b.file,
                &b.sheet,
                cell_key(&b.cell),
                b.level,
                b.code,
            ))
            .then_with(|| a.message.cmp(&b.message))
    });
    findings.dedup();
    for entry in &mut roster {
        for f in findings
            .iter()
            .filter(|f| f.unit.as_ref() == Some(&entry.unit))
        {
            match f.level {
                Level::Error => entry.errors += 1,
                Level::Warning => entry.warnings += 1,
                Level::Info => {}
            }
        }
    }
    Batch {
        period,
        tasks,
        current,
        history,
        roster,
        findings,
        deadline_day: config.deadline_day,
    }
}

/// Sort key for a cell name: row then column, so that F10 comes after F9.
fn cell_key(cell: &Option<String>) -> (u32, String) {
    match cell {
        None => (0, String::new()),
        Some(c) => {
            let letters: String = c
                .chars()
                .take_while(|ch| ch.is_ascii_alphabetic())
                .collect();
            let row = c[letters.len()..].parse().unwrap_or(0);
            (row, format!("{letters:>3}"))
        }
    }
}

/// The last day a return for `period` is on time.
pub fn deadline(period: Period, day: u32) -> NaiveDate {
    let mut d = day;
    loop {
        if let Some(date) = NaiveDate::from_ymd_opt(period.year, period.month, d) {
            return date;
        }
        d -= 1;
    }
}

/// Chooses, per table, the newest of several files of one unit and period.
/// Merges a unit's files of one period: per table, the newest file's rows are kept (moved
/// out of the file, not copied) and every other file with that table is a W-DUPLICATE. An
/// earlier month (`past`) keeps ids and figures only.
fn merge(
    unit: &str,
    period: Period,
    mut files: Vec<&mut ReturnFile>,
    past: bool,
) -> (UnitReturn, PastRows, Vec<Finding>) {
    files.sort_by(|a, b| {
        let da = a.fill_date.as_ref().map(|d| d.value);
        let db = b.fill_date.as_ref().map(|d| d.value);
        db.cmp(&da)
            .then(b.modified.cmp(&a.modified))
            .then(a.rel.cmp(&b.rel))
    });
    let mut findings = Vec::new();
    let mut ret = UnitReturn {
        unit: unit.to_string(),
        period,
        progress_file: None,
        invest_file: None,
        fill_date: None,
        fill_date_at: None,
        reporter: String::new(),
        phone: String::new(),
        progress: Vec::new(),
        invest: Vec::new(),
    };
    let has = |f: &ReturnFile, kind: usize| {
        if kind == 0 {
            f.progress.is_some()
        } else {
            f.invest.is_some()
        }
    };
    let kept = [0, 1].map(|kind| files.iter().position(|f| has(f, kind)));
    let mut past_rows = PastRows::default();
    if let Some(i) = kept[0] {
        if past {
            past_rows.progress = std::mem::take(&mut files[i].past_mut().progress);
        } else {
            ret.progress = files[i].progress.take().unwrap_or_default();
            files[i].progress = Some(Vec::new());
        }
        ret.progress_file = Some(files[i].rel.clone());
    }
    if let Some(i) = kept[1] {
        if past {
            past_rows.invest = std::mem::take(&mut files[i].past_mut().invest);
        } else {
            ret.invest = files[i].invest.take().unwrap_or_default();
            files[i].invest = Some(Vec::new());
        }
        ret.invest_file = Some(files[i].rel.clone());
    }
    for f in kept.iter().flatten().map(|&i| &files[i]) {
        if ret.fill_date.is_none()
            && let Some(d) = &f.fill_date
        {
            ret.fill_date = Some(d.value);
            ret.fill_date_at = Some((f.rel.clone(), d.at.clone()));
        }
        if ret.reporter.is_empty() {
            ret.reporter = f.reporter.clone();
            ret.phone = f.phone.clone();
        }
    }
    let why = |kept: &ReturnFile, dropped: &ReturnFile| {
        let dk = kept.fill_date.as_ref().map(|d| d.value);
        let dd = dropped.fill_date.as_ref().map(|d| d.value);
        if dk != dd {
            "填报日期较新".to_string()
        } else if kept.modified != dropped.modified {
            "填报日期相同，文件修改时间较新".to_string()
        } else {
            "填报日期和修改时间相同，按文件名先后".to_string()
        }
    };
    let mut dropped_seen: Vec<&str> = Vec::new();
    for (kind, k) in kept.iter().enumerate() {
        let Some(k) = *k else {
            continue;
        };
        let k = &files[k];
        for f in files.iter().filter(|f| has(f, kind)).skip(1) {
            if !dropped_seen.contains(&f.rel.as_str()) {
                dropped_seen.push(&f.rel);
                findings.push(
                    Finding::new(
                        Level::Warning,
                        "W-DUPLICATE",
                        msg::duplicate(&k.rel, &f.rel, &why(k, f)),
                    )
                    .unit(unit.to_string())
                    .period(period)
                    .file(f.rel.clone()),
                );
            }
        }
    }
    (ret, past_rows, findings)
}

fn err(
    code: &'static str,
    ret: &UnitReturn,
    file: &Option<String>,
    field: &NumField,
    text: String,
) -> Finding {
    Finding::new(Level::Error, code, text)
        .unit(ret.unit.clone())
        .period(ret.period)
        .file(file.clone().unwrap_or_default())
        .at(&field.at)
}

/// Month-over-month checks of one figure against last month's year-to-date.
#[allow(clippy::too_many_arguments)]
fn check_cumulative(
    ret: &UnitReturn,
    file: &Option<String>,
    month: &NumField,
    ytd: &NumField,
    prev: Option<(f64, &str)>,
    period: Period,
    has_prev_return: bool,
    findings: &mut Vec<Finding>,
) {
    let Some(y) = ytd.value else {
        return;
    };
    if let Some(m) = month.value
        && y + TOLERANCE < m
    {
        findings.push(err(
            "E-YTD-LT-MONTH",
            ret,
            file,
            ytd,
            msg::ytd_below_month(y, m),
        ));
        return;
    }
    if period.month == 1 {
        if let Some(m) = month.value
            && (m - y).abs() > TOLERANCE
        {
            findings.push(err(
                "E-MONTH-MISMATCH",
                ret,
                file,
                month,
                msg::january_mismatch(m, y),
            ));
        }
        return;
    }
    if !has_prev_return {
        return;
    }
    let (p, prev_file) = prev.unwrap_or((0.0, ""));
    let prev_label = period
        .previous_in_year()
        .map(Period::label)
        .unwrap_or_default();
    if y + TOLERANCE < p {
        findings.push(err(
            "E-CUM-DECREASE",
            ret,
            file,
            ytd,
            msg::cum_decrease(y, p, &prev_label, prev_file),
        ));
    } else if let Some(m) = month.value
        && (m - (y - p)).abs() > TOLERANCE
    {
        findings.push(err(
            "E-MONTH-MISMATCH",
            ret,
            file,
            month,
            msg::month_mismatch(m, y, p),
        ));
    }
}

fn check_return(
    ret: &UnitReturn,
    prev: Option<&PastReturn>,
    tasks: &TaskList,
    period: Period,
    findings: &mut Vec<Finding>,
) {
    let unit = ret.unit.clone();
    let base = |level, code, text: String, file: &Option<String>| {
        Finding::new(level, code, text)
            .unit(unit.clone())
            .period(period)
            .file(file.clone().unwrap_or_default())
    };
    if prev.is_none()
        && let Some(pp) = period.previous_in_year()
    {
        findings.push(base(
            Level::Info,
            "I-NO-HISTORY",
            msg::no_history(&pp.label()),
            &ret.progress_file.clone().or(ret.invest_file.clone()),
        ));
    }

    // Progress rows.
    if ret.progress_file.is_some() {
        let pf = &ret.progress_file;
        let mut seen: HashMap<&str, String> = HashMap::new();
        for row in &ret.progress {
            let id = row.task_id.value.as_str();
            if let Some(first) = seen.get(id) {
                findings.push(
                    base(
                        Level::Error,
                        "E-TASK-DUP-ROW",
                        msg::task_row_duplicate(id, first),
                        pf,
                    )
                    .at(&row.task_id.at),
                );
                continue;
            }
            seen.insert(id, row.task_id.at.a1());
            let Some(task) = tasks.get(id) else {
                findings.push(
                    base(Level::Error, "E-TASK-UNKNOWN", msg::task_unknown(id), pf)
                        .at(&row.task_id.at),
                );
                continue;
            };
            if !task.units.contains(&ret.unit) {
                findings.push(
                    base(
                        Level::Warning,
                        "W-TASK-NOT-ASSIGNED",
                        msg::task_not_assigned(id),
                        pf,
                    )
                    .at(&row.task_id.at),
                );
            }
            let prev_row = prev.and_then(|p| p.rows.progress.iter().find(|r| r.id == id));
            let prev_val = prev_row.map(|r| {
                (
                    r.ytd.unwrap_or(0.0),
                    prev.and_then(|p| p.progress_file.as_deref()).unwrap_or(""),
                )
            });
            check_cumulative(
                ret,
                pf,
                &row.month,
                &row.ytd,
                prev_val,
                period,
                prev.is_some_and(|p| p.progress_file.is_some()),
                findings,
            );
        }
        for task in tasks.tasks_of(&ret.unit) {
            if !ret.progress.iter().any(|r| r.task_id.value == task.id) {
                findings.push(
                    base(
                        Level::Warning,
                        "W-TASK-ROW-MISSING",
                        msg::task_row_missing(&task.id, &task.name),
                        pf,
                    )
                    .sheet(crate::layout::SHEET_PROGRESS),
                );
            }
        }
    }

    // Investment rows.
    let inv_f = &ret.invest_file;
    let mut seen: HashMap<&str, String> = HashMap::new();
    for row in &ret.invest {
        let id = row.project_id.value.as_str();
        if let Some(first) = seen.get(id) {
            findings.push(
                base(
                    Level::Error,
                    "E-TASK-DUP-ROW",
                    msg::task_row_duplicate(id, first),
                    inv_f,
                )
                .at(&row.project_id.at),
            );
            continue;
        }
        seen.insert(id, row.project_id.at.a1());
        let Some(task) = tasks.get(id).filter(|t| t.plan_investment.is_some()) else {
            findings.push(
                base(
                    Level::Error,
                    "E-TASK-UNKNOWN",
                    msg::project_unknown(id),
                    inv_f,
                )
                .at(&row.project_id.at),
            );
            continue;
        };
        if !task.units.contains(&ret.unit) {
            findings.push(
                base(
                    Level::Warning,
                    "W-TASK-NOT-ASSIGNED",
                    msg::task_not_assigned(id),
                    inv_f,
                )
                .at(&row.project_id.at),
            );
        }
        let prev_row = prev.and_then(|p| p.rows.invest.iter().find(|r| r.id == id));
        let prev_val = prev_row.map(|r| {
            (
                r.ytd.unwrap_or(0.0),
                prev.and_then(|p| p.invest_file.as_deref()).unwrap_or(""),
            )
        });
        check_cumulative(
            ret,
            inv_f,
            &row.month,
            &row.ytd,
            prev_val,
            period,
            prev.is_some_and(|p| p.invest_file.is_some()),
            findings,
        );
        if let Some(y) = row.ytd.value {
            let filled: Vec<f64> = row.funds.iter().filter_map(|f| f.value).collect();
            let any_raw = row.funds.iter().any(|f| !f.raw.is_empty());
            if row.funds_reported && (!filled.is_empty() || (y > 0.0 && !any_raw)) {
                let sum: f64 = filled.iter().sum();
                if (sum - y).abs() > TOLERANCE
                    && !row
                        .funds
                        .iter()
                        .any(|f| !f.raw.is_empty() && f.value.is_none())
                {
                    findings.push(err(
                        "E-FUND-SUM",
                        ret,
                        inv_f,
                        &row.funds[0],
                        msg::fund_sum(sum, y),
                    ));
                }
            }
            let plan = row.plan.value.or(task.plan_share());
            if let Some(plan) = plan
                && plan > 0.0
                && y > plan + TOLERANCE
            {
                findings.push(
                    base(
                        Level::Warning,
                        "W-OVER-TARGET",
                        msg::over_target(y, plan, "完成投资"),
                        inv_f,
                    )
                    .at(&row.ytd.at),
                );
            }
        }
    }
    let owes_invest = tasks
        .tasks_of(&ret.unit)
        .any(|t| t.plan_investment.is_some());
    if owes_invest && ret.invest_file.is_none() {
        findings.push(base(
            Level::Warning,
            "W-INVEST-MISSING",
            "本单位有投资项目，但没有报送固定资产投资表".to_string(),
            &ret.progress_file,
        ));
    }
}

/// W-OVER-TARGET on quantitative tasks, summed over their units.
fn check_targets(
    current: &[UnitReturn],
    tasks: &TaskList,
    period: Period,
    findings: &mut Vec<Finding>,
) {
    // Each unit's first row per task, gathered once.
    let mut by_task: HashMap<&str, Vec<(&UnitReturn, &ProgressRow)>> = HashMap::new();
    for r in current {
        let mut seen = HashSet::new();
        for p in &r.progress {
            if seen.insert(p.task_id.value.as_str()) && p.ytd.value.is_some() {
                by_task
                    .entry(p.task_id.value.as_str())
                    .or_default()
                    .push((r, p));
            }
        }
    }
    for task in &tasks.tasks {
        let Some(target) = task.target.filter(|t| *t > 0.0) else {
            continue;
        };
        if task.measure.is_none() {
            continue;
        }
        let rows: &[(&UnitReturn, &ProgressRow)] =
            by_task.get(task.id.as_str()).map_or(&[], Vec::as_slice);
        let total: f64 = rows.iter().filter_map(|(_, p)| p.ytd.value).sum();
        if total <= target + TOLERANCE {
            continue;
        }
        let what = format!("任务 {} 的自年初完成", task.id);
        if let [(r, p)] = rows {
            findings.push(
                Finding::new(
                    Level::Warning,
                    "W-OVER-TARGET",
                    msg::over_target(total, target, &what),
                )
                .unit(r.unit.clone())
                .period(period)
                .file(r.progress_file.clone().unwrap_or_default())
                .at(&p.ytd.at),
            );
        } else {
            findings.push(
                Finding::new(
                    Level::Warning,
                    "W-OVER-TARGET",
                    msg::over_target(total, target, &format!("{what}（各责任单位合计）")),
                )
                .period(period),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Cell, CellRef, Raw, Task, TextField};

    fn task(id: &str, units: &[&str], target: Option<f64>, plan: Option<f64>) -> Task {
        Task {
            id: id.into(),
            category: "农村公路".into(),
            name: format!("任务{id}"),
            content: String::new(),
            measure: target.map(|_| "公里".into()),
            target,
            plan_investment: plan,
            units: units.iter().map(|u| u.to_string()).collect(),
            partners: vec![],
            deadline_text: "年底前".into(),
            deadline_month: 12,
            row: 2,
        }
    }

    fn num(v: Option<f64>, row: u32, col: u32) -> NumField {
        NumField {
            raw: v.map_or(Raw::Empty, Raw::Number),
            value: v,
            at: CellRef::new("重点任务进展", row, col),
        }
    }

    fn text(row: u32, col: u32) -> TextField {
        TextField {
            value: String::new(),
            at: CellRef::new("重点任务进展", row, col),
        }
    }

    fn prow(id: &str, row: u32, month: Option<f64>, ytd: Option<f64>) -> ProgressRow {
        ProgressRow {
            task_id: Cell {
                value: id.into(),
                at: CellRef::new("重点任务进展", row, 0),
            },
            task_name: String::new(),
            month: num(month, row, 4),
            ytd: num(ytd, row, 5),
            status: text(row, 6),
            progress: text(row, 7),
            problems: text(row, 8),
            next_steps: text(row, 9),
        }
    }

    fn ret(unit: &str, p: Period, rel: &str, day: u32, rows: Vec<ProgressRow>) -> ReturnFile {
        let mut r = ReturnFile::empty(rel.into(), rel.into());
        r.unit = Some(unit.into());
        r.period = Some(p);
        r.fill_date = Some(Cell {
            value: NaiveDate::from_ymd_opt(p.year, p.month, day).unwrap(),
            at: CellRef::new("重点任务进展", 2, 7),
        });
        r.progress = Some(rows);
        r
    }

    fn codes(b: &Batch) -> Vec<(&'static str, Option<String>, Option<String>)> {
        b.findings
            .iter()
            .map(|f| (f.code, f.unit.clone(), f.cell.clone()))
            .collect()
    }

    fn irow(id: &str, row: u32, month: Option<f64>, ytd: Option<f64>) -> InvestRow {
        let at = CellRef::new("固定资产投资", row, 0);
        InvestRow {
            project_id: Cell {
                value: id.into(),
                at: at.clone(),
            },
            project_name: format!("项目{id}"),
            nature: TextField {
                value: "续建".into(),
                at: at.clone(),
            },
            plan: num(Some(100.0), row, 3),
            month: num(month, row, 4),
            ytd: num(ytd, row, 5),
            funds: std::array::from_fn(|i| num(None, row, 6 + i as u32)),
            funds_reported: false,
            image_progress: TextField {
                value: "路基完成".into(),
                at: at.clone(),
            },
            remark: TextField {
                value: String::new(),
                at,
            },
        }
    }

    #[test]
    fn an_earlier_month_keeps_ids_and_figures_of_both_tables() {
        let may = Period::new(2020, 5).unwrap();
        let jun = Period::new(2020, 6).unwrap();
        let tl = TaskList::new(
            vec![task("T1", &["甲"], Some(100.0), Some(100.0))],
            None,
            String::new(),
        );
        let mut earlier = ret(
            "甲",
            may,
            "5/甲.xlsx",
            25,
            vec![prow("T1", 5, Some(3.0), Some(30.0))],
        );
        earlier.invest = Some(vec![irow("T1", 5, Some(4.0), Some(40.0))]);
        let mut slimmed = earlier.clone();
        slimmed.slim();
        assert_eq!(
            slimmed.progress,
            Some(vec![]),
            "the table stays marked present"
        );
        assert_eq!(slimmed.invest, Some(vec![]));
        let mut now = ret(
            "甲",
            jun,
            "6/甲.xlsx",
            25,
            vec![prow("T1", 5, Some(1.0), Some(20.0))],
        );
        now.invest = Some(vec![irow("T1", 5, Some(1.0), Some(30.0))]);
        let mut batches = Vec::new();
        for may_return in [earlier, slimmed] {
            let b = validate(
                tl.clone(),
                vec![],
                vec![may_return, now.clone()],
                jun,
                &Config::embedded(),
            );
            let past = &b.history[&may][0];
            assert_eq!(past.progress_file.as_deref(), Some("5/甲.xlsx"));
            assert_eq!(past.invest_file.as_deref(), Some("5/甲.xlsx"));
            assert_eq!(
                (past.rows.progress[0].id.as_str(), past.rows.progress[0].ytd),
                ("T1", Some(30.0))
            );
            assert_eq!(
                (past.rows.invest[0].id.as_str(), past.rows.invest[0].ytd),
                ("T1", Some(40.0))
            );
            // Both year-to-date figures fell below May's.
            let falls = b
                .findings
                .iter()
                .filter(|f| f.code == "E-CUM-DECREASE")
                .count();
            assert_eq!(falls, 2, "{:?}", codes(&b));
            batches.push(codes(&b));
        }
        assert_eq!(batches[0], batches[1], "slimming changes no finding");
    }

    #[test]
    fn month_over_month_rules() {
        let may = Period::new(2020, 5).unwrap();
        let jun = Period::new(2020, 6).unwrap();
        let tl = TaskList::new(
            vec![
                task("T1", &["甲"], Some(100.0), None),
                task("T2", &["甲"], Some(100.0), None),
            ],
            None,
            String::new(),
        );
        let returns = vec![
            ret(
                "甲",
                may,
                "5/甲.xlsx",
                25,
                vec![
                    prow("T1", 5, Some(10.0), Some(30.0)),
                    prow("T2", 6, Some(5.0), Some(20.0)),
                ],
            ),
            // T1 falls below May; T2's month is not ytd minus last month.
            ret(
                "甲",
                jun,
                "6/甲.xlsx",
                25,
                vec![
                    prow("T1", 5, Some(0.0), Some(25.0)),
                    prow("T2", 6, Some(9.0), Some(25.0)),
                ],
            ),
        ];
        let b = validate(tl, vec![], returns, jun, &Config::embedded());
        let c = codes(&b);
        assert!(
            c.contains(&("E-CUM-DECREASE", Some("甲".into()), Some("F6".into()))),
            "{c:?}"
        );
        assert!(
            c.contains(&("E-MONTH-MISMATCH", Some("甲".into()), Some("E7".into()))),
            "{c:?}"
        );
        assert_eq!(
            b.findings
                .iter()
                .filter(|f| f.level == Level::Error)
                .count(),
            2
        );
    }

    #[test]
    fn duplicates_missing_late_and_unknown_tasks() {
        let jun = Period::new(2020, 6).unwrap();
        let tl = TaskList::new(
            vec![task("T1", &["甲", "乙", "丙"], Some(10.0), None)],
            None,
            String::new(),
        );
        let returns = vec![
            ret(
                "甲",
                jun,
                "甲-旧.xlsx",
                20,
                vec![prow("T1", 5, Some(1.0), Some(1.0))],
            ),
            ret(
                "甲",
                jun,
                "甲-新.xlsx",
                26,
                vec![
                    prow("T1", 5, Some(2.0), Some(2.0)),
                    prow("T9", 6, None, Some(1.0)),
                ],
            ),
            ret(
                "乙",
                jun,
                "乙.xlsx",
                30,
                vec![prow("T1", 5, None, Some(3.0))],
            ),
        ];
        let b = validate(tl, vec![], returns, jun, &Config::embedded());
        let c = codes(&b);
        assert!(
            c.contains(&("W-DUPLICATE", Some("甲".into()), None)),
            "{c:?}"
        );
        assert!(
            c.contains(&("E-TASK-UNKNOWN", Some("甲".into()), Some("A7".into()))),
            "{c:?}"
        );
        assert!(
            c.contains(&("W-LATE", Some("乙".into()), Some("H3".into()))),
            "{c:?}"
        );
        assert!(
            c.contains(&("W-MISSING-RETURN", Some("丙".into()), None)),
            "{c:?}"
        );
        let jia = b.current.iter().find(|r| r.unit == "甲").unwrap();
        assert_eq!(jia.progress_file.as_deref(), Some("甲-新.xlsx"));
        assert_eq!(b.roster[2].state, "未报");
        assert_eq!(b.roster[1].on_time, Some(false));
    }

    #[test]
    fn not_assigned_tasks_and_targets_exceeded() {
        let jun = Period::new(2020, 6).unwrap();
        let tl = TaskList::new(
            vec![
                task("T1", &["甲"], Some(10.0), None),
                task("T2", &["乙"], Some(5.0), None),
                task("T3", &["甲", "乙"], Some(4.0), None),
            ],
            None,
            String::new(),
        );
        let returns = vec![
            ret(
                "甲",
                jun,
                "甲.xlsx",
                25,
                vec![
                    prow("T1", 5, Some(12.0), Some(12.0)),
                    prow("T2", 6, Some(1.0), Some(1.0)),
                    prow("T3", 7, Some(3.0), Some(3.0)),
                ],
            ),
            ret(
                "乙",
                jun,
                "乙.xlsx",
                25,
                vec![
                    prow("T2", 5, Some(1.0), Some(1.0)),
                    prow("T3", 6, Some(2.0), Some(2.0)),
                ],
            ),
        ];
        let b = validate(tl, vec![], returns, jun, &Config::embedded());
        let c = codes(&b);
        assert!(
            c.contains(&("W-TASK-NOT-ASSIGNED", Some("甲".into()), Some("A7".into()))),
            "{c:?}"
        );
        assert!(
            c.contains(&("W-OVER-TARGET", Some("甲".into()), Some("F6".into()))),
            "one unit over: its cell {c:?}"
        );
        let multi = b
            .findings
            .iter()
            .find(|f| f.code == "W-OVER-TARGET" && f.unit.is_none())
            .expect("T3 summed over units");
        assert!(
            multi.message.contains("T3") && multi.message.contains('5'),
            "{}",
            multi.message
        );
        assert!(b.findings.iter().all(|f| f.level != Level::Error), "{c:?}");
    }
}
