//! Checks across returns: identity, duplicates, the roster, tasks, month-over-month rules,
//! funding sums, targets and deadlines. Pure code over typed rows: no files, no I/O.

use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};

mod batch;
mod history;
mod invest;
mod matching;
mod measures;
mod rows;
#[cfg(test)]
mod tests;

use batch::{Accepted, Parts, finding_in};
pub use batch::{Batch, LastYear, MonthBefore, Part, PastReturn, UnitReturn};

use crate::config::Config;
use crate::finding::{Code, Finding, Level};
use crate::messages as msg;
use crate::model::{
    NumField, PastRow, PastRows, Period, ReturnFile, RosterEntry, RosterState, Task, TaskList,
};

/// Each unit's last accepted year-to-date per task before the batch's period, within its
/// year: what a template made with `--history` prefills as 上月累计.
pub fn last_accepted(batch: &Batch) -> HashMap<String, HashMap<String, f64>> {
    let mut out: HashMap<String, HashMap<String, f64>> = HashMap::new();
    for unit in batch.tasks.units() {
        let past: Vec<&PastReturn> = batch
            .history
            .values()
            .flatten()
            .filter(|r| r.unit == unit)
            .collect();
        let figures: HashMap<String, f64> = batch
            .tasks
            .tasks_of(&unit)
            .filter_map(|t| {
                let h = history::history_of(&past, &t.id, history::Table::Progress, batch.period);
                h.latest.map(|e| (t.id.clone(), e.ytd))
            })
            .collect();
        out.insert(unit, figures);
    }
    out
}

/// The month to summarise when none is asked for: the latest among the workbooks that are
/// a due unit's return with at least one filled input cell, preferring the task list's
/// year. A blank template, a file in a later month's folder, a file that is no workbook and
/// a file of nobody (whatever its title, labels or name say) never set it.
pub fn latest_period(returns: &[ReturnFile], tasks: &TaskList, config: &Config) -> Option<Period> {
    let due = tasks.units();
    let dated: Vec<Period> = returns
        .iter()
        .filter(|r| counts_for_the_month(r) && (r.progress.is_some() || r.invest.is_some()))
        .filter(|r| {
            r.unit
                .as_ref()
                .is_some_and(|u| due.contains(u) || same_unit(u, &due).is_some())
        })
        .filter_map(|r| r.period)
        .collect();
    let year = config.year.or_else(|| tasks.year());
    let of_year = dated
        .iter()
        .filter(|p| year.is_none_or(|y| p.year == y))
        .max();
    of_year.or_else(|| dated.iter().max()).copied()
}

/// Whether a file may set the month at all: not a blank template, not a file in a later
/// month's folder, not a file that is no workbook.
pub fn counts_for_the_month(r: &ReturnFile) -> bool {
    !r.blank && r.misfiled.is_none() && r.sent_as.is_none()
}

/// Whether a file read may be a unit's return for its month: it [`counts_for_the_month`],
/// it is a unit's, and it has a table. Only such a file moves the month while reading, and
/// only such a file of an earlier month is slimmed ([`ReturnFile::slim`]).
pub fn may_be_a_return(r: &ReturnFile) -> bool {
    counts_for_the_month(r) && r.unit.is_some() && (r.progress.is_some() || r.invest.is_some())
}

/// Validates all returns against the task list for `period`.
/// The investment figures of the month before the batch's: within the year from its
/// history (a figure counts where its year-to-date was accepted, as the month checks
/// judge it); for January, last December's accepted figures when last year is known.
pub fn invest_month_before(batch: &Batch) -> MonthBefore {
    let Some(before) = batch.period.previous_in_year() else {
        let Some(dec) = batch.last_year.as_ref().and_then(|l| l.december.as_ref()) else {
            return MonthBefore::default();
        };
        let mut figures = HashMap::new();
        let mut ytd = HashMap::new();
        for r in &dec.current {
            for (row, part) in r.invest_parts() {
                let accepted = matches!(part, Part::Accepted);
                let key = (r.unit.clone(), row.project_id.value.clone());
                figures.insert(key.clone(), row.month.value.filter(|_| accepted));
                ytd.insert(key, row.ytd.value.filter(|_| accepted));
            }
        }
        return MonthBefore {
            period: Some(dec.period),
            figures,
            ytd,
        };
    };
    let mut figures = HashMap::new();
    let mut ytd = HashMap::new();
    for r in batch.history.get(&before).into_iter().flatten() {
        if r.invest_file.is_none() {
            continue;
        }
        let earlier: Vec<&PastReturn> = batch
            .history
            .range(..before)
            .flat_map(|(_, rs)| rs)
            .filter(|e| e.unit == r.unit)
            .collect();
        for row in &r.rows.invest {
            let h = history::history_of(&earlier, &row.id, history::Table::Invest, before);
            let accepted = history::accepted(row, before, h.latest.as_ref());
            let key = (r.unit.clone(), row.id.to_string());
            figures.insert(key.clone(), accepted.and(row.month));
            ytd.insert(key, accepted);
        }
    }
    MonthBefore {
        period: Some(before),
        figures,
        ytd,
    }
}

/// What the month's checks share: the task list, the units that owe a return, the period
/// summarised and the configuration.
struct Month<'a> {
    tasks: &'a TaskList,
    due: &'a [String],
    /// The same units, looked up: asked of every return and every unit's group.
    due_set: HashSet<&'a str>,
    period: Period,
    config: &'a Config,
}

impl Month<'_> {
    fn is_due(&self, unit: &str) -> bool {
        self.due_set.contains(unit)
    }
}

/// The files of the month sorted out: the returns by period and unit, and what is set
/// aside (each said once by [`set_aside_findings`]).
struct Sorted<'a> {
    groups: BTreeMap<(Period, String), Vec<&'a mut ReturnFile>>,
    /// A due unit's files this month that carry no data (unreadable, no table).
    unreadable_units: HashMap<String, Vec<String>>,
    blanks: Vec<&'a ReturnFile>,
    not_workbooks: Vec<&'a ReturnFile>,
    /// Files in a later month's folder that concern this month: unit, file, the month the
    /// file names, the month of its folder.
    misfiled_here: Vec<(String, String, Period, Period)>,
}

pub fn validate(
    tasks: TaskList,
    mut task_findings: Vec<Finding>,
    mut returns: Vec<ReturnFile>,
    period: Period,
    config: &Config,
) -> Batch {
    let due = tasks.units();
    let month = Month {
        tasks: &tasks,
        due: &due,
        due_set: due.iter().map(String::as_str).collect(),
        period,
        config,
    };
    let mut findings: Vec<Finding> = Vec::new();
    findings.append(&mut task_findings);
    read_as_due_units(&mut returns, &month);
    for r in returns
        .iter_mut()
        .filter(|r| r.unit.as_ref().is_some_and(|u| month.is_due(u)))
    {
        settle_period(r, period);
    }
    // The periods the returns are for, whatever else happens to them.
    let seen: std::collections::BTreeSet<Period> = returns
        .iter()
        .filter(|r| r.progress.is_some() || r.invest.is_some())
        .filter(|r| !r.blank && r.misfiled.is_none())
        .filter_map(|r| r.period)
        .collect();
    let contacts = contacts(&returns, period);
    match_rows_and_set_aside_nobodys(&mut returns, &month);
    let sorted = sort_files(&mut returns, &month, &mut findings);
    let unreadable_units = sorted.unreadable_units;
    let (mut current, history) = merge_groups(sorted.groups, &month, &mut findings);
    let (mut set_aside, roster_notes) = set_aside_findings(
        &current,
        sorted.misfiled_here,
        &sorted.not_workbooks,
        &sorted.blanks,
        period,
    );
    findings.append(&mut set_aside);
    file_findings(&returns, &current, &month, &mut findings);
    check_rows(&mut current, &history, &month, &mut findings);
    let mut roster = roster(
        &current,
        &unreadable_units,
        &roster_notes,
        &contacts,
        &month,
        &mut findings,
    );
    sort_findings(&mut findings, &due);
    for ret in &mut current {
        ret.parts = parts_of(ret, &findings);
    }
    let unrecognised = unreadable_units
        .keys()
        .filter(|u| month.is_due(u) && !current.iter().any(|r| &r.unit == *u))
        .count();
    let notices = period_notices(
        period,
        &seen,
        current.is_empty(),
        unrecognised,
        &tasks,
        config,
    );
    findings.extend(
        notices
            .iter()
            .map(|n| Finding::new(Code::PeriodEmpty, n.clone()).period(period)),
    );
    count_by_unit(&mut roster, &findings);
    Batch {
        period,
        tasks,
        current,
        history,
        roster,
        counts: crate::finding::counts(findings.iter().filter(|f| !f.code.is_stray())),
        strays: findings.iter().filter(|f| f.code.is_stray()).count(),
        findings,
        deadline: period.deadline(config.deadline_day),
        notices,
        last_year: None,
    }
}

/// `吉林交通运输局` or `四平市局` for a unit the list names another way: the one due unit
/// whose name reads the same, said.
fn read_as_due_units(returns: &mut [ReturnFile], month: &Month<'_>) {
    for r in returns.iter_mut() {
        if let Some(u) = r.unit.clone()
            && !month.is_due(&u)
            && let Some(d) = same_unit(&u, month.due)
        {
            for f in r
                .findings
                .iter_mut()
                .filter(|f| f.unit.as_ref() == Some(&u))
            {
                f.unit = Some(d.to_string());
            }
            let mut f = Finding::new(Code::IdentityWarning, msg::unit_read_as(&u, d))
                .unit(d.to_string())
                .file(r.rel.clone());
            if let Some(p) = r.period {
                f = f.period(p);
            }
            r.findings.push(f);
            r.unit = Some(d.to_string());
        }
    }
}

/// Who to call at each unit: its latest return up to the period that names someone.
fn contacts(returns: &[ReturnFile], period: Period) -> HashMap<String, (Period, String, String)> {
    let mut contacts: HashMap<String, (Period, String, String)> = HashMap::new();
    for r in returns {
        if let (Some(u), Some(p)) = (&r.unit, r.period)
            && (!r.reporter.trim().is_empty() || !r.phone.trim().is_empty())
            && p <= period
            && contacts.get(u).is_none_or(|(q, ..)| p > *q)
        {
            contacts.insert(
                u.clone(),
                (p, r.reporter.trim().into(), r.phone.trim().into()),
            );
        }
    }
    contacts
}

/// Rows named in a unit's own words find their task; figures typed with a measure are read.
/// Nobody's file (a payroll, a notice, another office's ledger) gets one finding saying what
/// it is, never its rows' checks, never an error, never a request to resend. A table whose
/// rows are the list's tasks stays a return whose unit is unknown.
fn match_rows_and_set_aside_nobodys(returns: &mut [ReturnFile], month: &Month<'_>) {
    let tasks = month.tasks;
    let matcher = matching::Matcher::new(tasks, month.config);
    let partners: HashSet<&str> = tasks
        .tasks
        .iter()
        .flat_map(|t| t.partners.iter().map(String::as_str))
        .collect();
    // Each unit's returns on their own: matched side by side, each unit with its memo of
    // earlier months' rows (a unit names its rows alike month after month), then judged
    // in order.
    let mut by_unit: Vec<&mut ReturnFile> = returns.iter_mut().collect();
    by_unit.sort_by(|a, b| a.unit.cmp(&b.unit));
    by_unit
        .par_chunk_by_mut(|a, b| a.unit == b.unit)
        .for_each(|unit_returns| {
            let mut memo = matching::PastMemo::default();
            for r in unit_returns.iter_mut() {
                matcher.match_return(r, &mut memo);
                measures::check_measures(r, tasks, &month.config.number_suffixes);
            }
        });
    for r in returns.iter_mut() {
        let owned = r
            .unit
            .as_ref()
            .is_some_and(|u| month.is_due(u) || partners.contains(u.as_str()));
        if owned || r.sent_as.is_some() || r.names_a_task(tasks) {
            continue;
        }
        let unreadable = r
            .findings
            .iter()
            .find(|f| matches!(f.code, Code::FileUnreadable | Code::FileLimit));
        let f = match unreadable {
            // Where the reader said it (a sheet too large to read) stays said.
            Some(f) => Finding {
                sheet: f.sheet.clone(),
                cell: f.cell,
                ..Finding::new(Code::FileNobody, msg::file_nobody(&f.message))
            },
            None => Finding::new(
                Code::NotAReturn,
                match &r.unit {
                    Some(u) => msg::not_a_return_of(u, r.row_count()),
                    None => msg::not_a_return(r.row_count()),
                },
            ),
        };
        r.findings = vec![f.file(r.rel.clone())];
        r.nobodys = true;
    }
}

/// Groups the files by unit and period; unreadable or unidentified files carry no data. A
/// unit's file that carries none counts for its period, else for the period summarised. A
/// due unit's blank template, a file that is no workbook and its file filed in a later
/// month's folder are no return of that month: set aside.
fn sort_files<'a>(
    returns: &'a mut [ReturnFile],
    month: &Month<'_>,
    findings: &mut Vec<Finding>,
) -> Sorted<'a> {
    let period = month.period;
    let mut sorted = Sorted {
        groups: BTreeMap::new(),
        unreadable_units: HashMap::new(),
        blanks: Vec::new(),
        not_workbooks: Vec::new(),
        misfiled_here: Vec::new(),
    };
    let mut misfiled: Vec<&mut ReturnFile> = Vec::new();
    for r in returns.iter_mut() {
        if r.nobodys {
            continue;
        }
        let of_due = r.unit.as_ref().is_some_and(|u| month.is_due(u));
        // A Word notice, a PDF or a photo named for a unit is never its return.
        if of_due && r.sent_as.is_some() {
            sorted.not_workbooks.push(r);
            continue;
        }
        if of_due && r.blank {
            sorted.blanks.push(r);
            continue;
        }
        if of_due && r.misfiled.is_some() {
            misfiled.push(r);
            continue;
        }
        if r.progress.is_none()
            && r.invest.is_none()
            && let Some(unit) = &r.unit
        {
            if r.period.unwrap_or(period) == period {
                sorted
                    .unreadable_units
                    .entry(unit.clone())
                    .or_default()
                    .push(r.rel.clone());
            }
            continue;
        }
        let (Some(unit), Some(p)) = (&r.unit, r.period) else {
            continue;
        };
        if p.year != period.year {
            // Last year's table, or next year's: named, not summed.
            if month.is_due(unit) {
                findings.push(
                    Finding::new(
                        Code::OtherYear,
                        msg::other_year(&p.label(), &period.label()),
                    )
                    .unit(unit.clone())
                    .period(p)
                    .file(r.rel.clone()),
                );
            }
            continue;
        }
        if p > period {
            continue;
        }
        let key = (p, unit.clone());
        sorted.groups.entry(key).or_default().push(r);
    }
    // A file in a later month's folder never replaces the return of the month it names; it
    // stands in for that month only where the unit has none (a late return), and only as an
    // earlier month. For the month of its folder it is nothing: said, the unit 未报.
    for r in misfiled {
        let (Some(unit), Some(p), Some(d)) = (r.unit.clone(), r.period, r.misfiled) else {
            continue;
        };
        if d == period || p == period {
            sorted
                .misfiled_here
                .push((unit.clone(), r.rel.clone(), p, d));
        }
        if p.year == period.year && p < period {
            sorted.groups.entry((p, unit)).or_insert_with(|| vec![r]);
        }
    }
    sorted
}

/// Where a lower unit's own return and its upper office's 下级明细 give the same figure
/// differently: `T05-01 自年初累计完成：本文件 9，下级明细 8`.
fn differences(f: &ReturnFile, rows: &[crate::model::LowerRow]) -> Vec<String> {
    use crate::layout::progress as pc;
    let mut out = Vec::new();
    for r in f.progress.iter().flatten() {
        for (field, n) in [(pc::MONTH, &r.month), (pc::YTD, &r.ytd)] {
            let there = rows
                .iter()
                .find(|x| x.id == r.task_id.value && x.field == field)
                .and_then(|x| x.value);
            if let (Some(a), Some(b)) = (n.value, there)
                && (a - b).abs() > batch::TOLERANCE
            {
                out.push(format!(
                    "{} {field}：本文件 {}，下级明细 {}",
                    r.task_id.value,
                    crate::model::fmt_num(a),
                    crate::model::fmt_num(b)
                ));
            }
        }
    }
    out
}

/// Each group's files merged into one return: the period's returns of due units, and the
/// earlier months as they counted. A unit that owes nothing is said.
fn merge_groups(
    groups: BTreeMap<(Period, String), Vec<&mut ReturnFile>>,
    month: &Month<'_>,
    findings: &mut Vec<Finding>,
) -> (Vec<UnitReturn>, BTreeMap<Period, Vec<PastReturn>>) {
    let tasks = month.tasks;
    let mut current: Vec<UnitReturn> = Vec::new();
    let mut history: BTreeMap<Period, Vec<PastReturn>> = BTreeMap::new();
    // The units beneath the month's returns filled by the level below: a lower unit's own
    // return arriving here beside its upper office's is in that office's figures already.
    let mut beneath: HashMap<String, (String, Vec<crate::model::LowerRow>)> = HashMap::new();
    for ((p, unit), files) in &groups {
        if *p != month.period || !month.is_due(unit) {
            continue;
        }
        for (f, l) in files
            .iter()
            .filter_map(|f| f.lower.as_ref().map(|l| (f, l)))
        {
            for (at, row) in &l.rows {
                // A unit of this level is nobody's lower unit: the detail is wrong.
                // On the figure it enters, which is then disputed; else on the detail row.
                if month.is_due(&row.unit) {
                    findings.push(
                        Finding::new(
                            Code::LowerDetail,
                            msg::lower_detail_due(&row.unit, unit, &row.id, &row.field, at.row + 1),
                        )
                        .unit(unit.clone())
                        .period(*p)
                        .file(f.rel.clone())
                        .at(f.figure_at(&row.id, &row.field).unwrap_or(at)),
                    );
                    continue;
                }
                beneath
                    .entry(row.unit.clone())
                    .or_insert_with(|| (unit.clone(), Vec::new()))
                    .1
                    .push(row.clone());
            }
        }
    }
    for ((p, unit), files) in groups {
        let is_current = p == month.period;
        if !month.is_due(&unit) {
            if is_current && let Some((upper, rows)) = beneath.get(&unit) {
                for f in &files {
                    findings.push(
                        Finding::new(
                            Code::LowerDirect,
                            msg::lower_direct(&unit, upper, &differences(f, rows)),
                        )
                        .unit(unit.clone())
                        .period(p)
                        .file(f.rel.clone()),
                    );
                }
                continue;
            }
            if is_current {
                for f in &files {
                    findings.push(
                        Finding::new(
                            Code::UnitNotDue,
                            if tasks.tasks.iter().any(|t| t.partners.contains(&unit)) {
                                msg::partner_unit(&unit)
                            } else {
                                msg::not_due_unit(&unit)
                            },
                        )
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
    // An earlier month counts as its own sums did: each return's rows on their own, side
    // by side (the month's checks wait for them).
    let mut past: Vec<&mut PastReturn> = history.values_mut().flatten().collect();
    past.par_iter_mut().for_each(|r| {
        first_known(&mut r.rows.progress, |id| tasks.get(id));
        first_known(&mut r.rows.invest, |id| batch::known_project(tasks, id));
    });
    (current, history)
}

/// The set-aside files' findings (misfiled, no workbook, blank), and the lines they add to
/// a unit's 单位报送情况 when it has no return.
fn set_aside_findings(
    current: &[UnitReturn],
    misfiled_here: Vec<(String, String, Period, Period)>,
    not_workbooks: &[&ReturnFile],
    blanks: &[&ReturnFile],
    period: Period,
) -> (Vec<Finding>, HashMap<String, Vec<String>>) {
    let mut set_aside: Vec<Finding> = Vec::new();
    let mut roster_notes: HashMap<String, Vec<String>> = HashMap::new();
    let reported = |unit: &str| current.iter().any(|c| c.unit == unit);
    for (unit, rel, p, d) in misfiled_here {
        // A unit that sent the month's return too has reported: the old file is only named.
        let f = if reported(&unit) && d == period {
            Finding::new(
                Code::IdentityWarning,
                msg::period_folder_beside_return(&p.label(), &d.label()),
            )
        } else if reported(&unit) {
            Finding::new(
                Code::IdentityWarning,
                msg::period_folder_earlier(&p.label(), &d.label()),
            )
        } else if d == period {
            Finding::new(
                Code::PeriodFolder,
                msg::period_folder(&p.label(), &d.label()),
            )
        } else {
            Finding::new(
                Code::PeriodFolder,
                msg::period_folder_earlier(&p.label(), &d.label()),
            )
        };
        if !reported(&unit) {
            roster_notes
                .entry(unit.clone())
                .or_default()
                .push(msg::roster_file_misfiled(&rel, &p.label()));
        }
        set_aside.push(f.unit(unit).period(period).file(rel));
    }
    // A file that is no workbook, named for a due unit: the unit stays 未报 and is asked for
    // its Excel return; beside a real return, or of another month, the file is only named.
    for r in not_workbooks {
        let unit = r.unit.clone().unwrap_or_default();
        let kind = r.sent_as.unwrap_or("");
        let p = r.period.unwrap_or(period);
        let f = if p != period {
            Finding::new(Code::FileSkipped, msg::file_skipped(kind))
        } else if reported(&unit) {
            Finding::new(Code::FileSkipped, msg::not_workbook_beside_return(kind)).unit(unit)
        } else {
            roster_notes
                .entry(unit.clone())
                .or_default()
                .push(msg::roster_file_not_workbook(&r.rel, kind));
            Finding::new(
                Code::ReturnNotWorkbook,
                msg::return_not_workbook_missing(&unit, kind),
            )
            .unit(unit)
        };
        set_aside.push(f.period(p).file(r.rel.clone()));
    }
    // A blank template: the unit's only file this month makes it 未报, said; beside a real
    // return, or of another month, it is only named.
    for r in blanks {
        let unit = r.unit.clone().unwrap_or_default();
        let p = r.period.unwrap_or(period);
        let reported = reported(&unit);
        let f = if p == period && !reported {
            roster_notes
                .entry(unit.clone())
                .or_default()
                .push(msg::roster_file_blank(&r.rel));
            Finding::new(Code::ReturnBlank, msg::return_blank())
        } else {
            let other = (p != period).then(|| p.label());
            Finding::new(
                Code::BlankTemplate,
                msg::blank_template(other.as_deref(), reported && p == period),
            )
        };
        set_aside.push(f.unit(unit).period(p).file(r.rel.clone()));
    }
    (set_aside, roster_notes)
}

/// File-level findings: of the files used this period, of files that carry no data
/// (unreadable, unidentified) and of units not due. A superseded duplicate's own problems
/// are moot: W-DUPLICATE names it.
fn file_findings(
    returns: &[ReturnFile],
    current: &[UnitReturn],
    month: &Month<'_>,
    findings: &mut Vec<Finding>,
) {
    let (tasks, period) = (month.tasks, month.period);
    let used: HashSet<&str> = current
        .iter()
        .flat_map(|r| r.progress_file.iter().chain(r.invest_file.iter()))
        .map(String::as_str)
        .collect();
    let reported: HashSet<&str> = current.iter().map(|r| r.unit.as_str()).collect();
    for r in returns.iter().filter(|r| r.nobodys) {
        findings.extend(r.findings.iter().cloned());
    }
    let set_aside = |r: &&ReturnFile| {
        let of_due = r.unit.as_ref().is_some_and(|u| month.is_due(u));
        r.nobodys || r.blank || r.misfiled.is_some() || (of_due && r.sent_as.is_some())
    };
    for r in returns.iter().filter(|r| !set_aside(r)) {
        let this_period = r.period.is_none() || r.period == Some(period);
        let no_data = r.progress.is_none() && r.invest.is_none();
        let not_due = r.unit.as_ref().is_some_and(|u| !month.is_due(u));
        if this_period && (used.contains(r.rel.as_str()) || no_data || r.unit.is_none() || not_due)
        {
            findings.extend(r.findings.iter().cloned());
        }
        // A unit's file without a table: the unit sent something (已报（无法识别）), unless
        // another file of it was read; a file of nobody due is just not a return, whatever
        // month its name seems to say (`page_margins_2016_5.xls`).
        if r.unrecognised
            && let Some(unit) = &r.unit
            && (this_period || !month.is_due(unit))
        {
            let f = if !month.is_due(unit) {
                Finding::new(Code::FileUnrecognised, msg::no_table())
            } else if reported.contains(unit.as_str()) {
                Finding::new(Code::FileUnrecognised, msg::no_table_besides_return())
            } else {
                Finding::new(
                    Code::ReturnUnrecognised,
                    match r.sent_as {
                        Some(kind) => msg::return_not_workbook(unit, kind),
                        None => msg::return_unrecognised(unit),
                    },
                )
                .unit(unit.clone())
            };
            findings.push(f.period(period).file(r.rel.clone()));
        }
        if this_period
            && used.contains(r.rel.as_str())
            && r.fingerprint
                .as_ref()
                .is_some_and(|fp| *fp != tasks.fingerprint())
        {
            findings.push(
                Finding::new(
                    Code::TaskListChanged,
                    msg::tasklist_changed(tasks.file.as_deref().unwrap_or("任务清单")),
                )
                .unit(r.unit.clone().unwrap_or_default())
                .period(period)
                .file(r.rel.clone()),
            );
        }
    }
}

/// Row-level checks of the current period, each unit against its earlier months; then the
/// targets across units.
fn check_rows(
    current: &mut [UnitReturn],
    history: &BTreeMap<Period, Vec<PastReturn>>,
    month: &Month<'_>,
    findings: &mut Vec<Finding>,
) {
    let mut past_of: HashMap<&str, Vec<&PastReturn>> = HashMap::new();
    for returns in history.values() {
        for r in returns {
            past_of.entry(r.unit.as_str()).or_default().push(r);
        }
    }
    // Each return checked on its own, side by side; the findings kept in the returns' order.
    let checked: Vec<Vec<Finding>> = current
        .par_iter_mut()
        .map(|ret| {
            let past = past_of
                .get(ret.unit.as_str())
                .map_or(&[][..], Vec::as_slice);
            let mut own = Vec::new();
            ret.accepted = check_return(ret, past, month.tasks, month.period, &mut own);
            own
        })
        .collect();
    findings.extend(checked.into_iter().flatten());
    rows::check_targets(current, month.tasks, month.period, findings);
}

/// 单位报送情况: each due unit's state, files, timeliness (judged on the first arrival: a
/// correction sent later keeps a unit on time) and whom to call. A late or missing return
/// is a finding.
fn roster(
    current: &[UnitReturn],
    unreadable_units: &HashMap<String, Vec<String>>,
    roster_notes: &HashMap<String, Vec<String>>,
    contacts: &HashMap<String, (Period, String, String)>,
    month: &Month<'_>,
    findings: &mut Vec<Finding>,
) -> Vec<RosterEntry> {
    let (period, config) = (month.period, month.config);
    let mut roster = Vec::new();
    for unit in month.due {
        let tasks_due = month.tasks.tasks_of(unit).count();
        let ret = current.iter().find(|r| &r.unit == unit);
        let on_time = ret
            .and_then(|r| r.first_date)
            .map(|d| d <= period.deadline(config.deadline_day));
        if let Some(r) = ret
            && let (Some(d), Some(false)) = (r.first_date, on_time)
        {
            let mut f = Finding::new(
                Code::Late,
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
            RosterState::Reported
        } else if unreadable_units.contains_key(unit) {
            RosterState::Unrecognised
        } else {
            findings.push(
                Finding::new(
                    Code::MissingReturn,
                    msg::missing_return(&period.label(), tasks_due),
                )
                .unit(unit.clone())
                .period(period),
            );
            RosterState::Missing
        };
        let mut files = ret.map(UnitReturn::files).unwrap_or_default();
        if let Some(u) = unreadable_units.get(unit) {
            files.extend(u.iter().cloned());
        }
        if ret.is_none()
            && let Some(notes) = roster_notes.get(unit)
        {
            files.extend(notes.iter().cloned());
        }
        let (reporter, phone, contact_from) = match (ret, contacts.get(unit)) {
            (Some(r), _) if !r.reporter.trim().is_empty() || !r.phone.trim().is_empty() => {
                (r.reporter.trim().into(), r.phone.trim().into(), None)
            }
            (_, Some((p, who, tel))) => (who.clone(), tel.clone(), (*p != period).then_some(*p)),
            _ => (String::new(), String::new(), None),
        };
        roster.push(RosterEntry {
            unit: unit.clone(),
            tasks_due,
            state,
            first_date: ret.and_then(|r| r.first_date),
            fill_date: ret.and_then(|r| r.fill_date),
            on_time,
            files,
            errors: 0,
            warnings: 0,
            reporter,
            phone,
            contact_from,
            lower: ret
                .and_then(|r| r.lower.as_ref())
                .map(|l| l.coverage.clone()),
        });
    }
    roster
}

/// Findings in the list's unit order, then by file, sheet, cell, level and code; duplicates
/// dropped.
fn sort_findings(findings: &mut Vec<Finding>, due: &[String]) {
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
            a.cell,
            a.level,
            a.code,
        )
            .cmp(&(
                unit_rank(b),
                &b.unit,
                &b.file,
                &b.sheet,
                b.cell,
                b.level,
                b.code,
            ))
            .then_with(|| a.message.cmp(&b.message))
    });
    findings.dedup();
}

/// Each unit's errors and warnings in 单位报送情况.
fn count_by_unit(roster: &mut [RosterEntry], findings: &[Finding]) {
    // Counted in one pass over the findings, not one pass a unit.
    let mut by_unit: HashMap<&str, (usize, usize)> = HashMap::new();
    for f in findings {
        if let Some(u) = f.unit.as_deref() {
            let counts = by_unit.entry(u).or_default();
            match f.level {
                Level::Error => counts.0 += 1,
                Level::Warning => counts.1 += 1,
                Level::Info => {}
            }
        }
    }
    for entry in roster.iter_mut() {
        if let Some((errors, warnings)) = by_unit.get(entry.unit.as_str()) {
            entry.errors += errors;
            entry.warnings += warnings;
        }
    }
}

/// A unit's name without its office words (`交通运输局`, `交通局`, `局`) and its 市/州/县/区:
/// `吉林市交通运输局`, `吉林交通运输局` and `吉林市局` all read `吉林`.
fn unit_core(name: &str) -> String {
    let n = crate::normalize::norm_unit(name);
    let mut core = n.as_str();
    for suffix in ["交通运输局", "交通局", "运输局", "局"] {
        if let Some(rest) = core.strip_suffix(suffix) {
            core = rest;
            break;
        }
    }
    core.trim_end_matches(['市', '州', '县', '区']).to_string()
}

/// The one due unit whose name reads as `name` does ([`unit_core`]), if only one does.
fn same_unit<'d>(name: &str, due: &'d [String]) -> Option<&'d str> {
    let core = unit_core(name);
    if core.chars().count() < 2 {
        return None;
    }
    let mut hits = due.iter().filter(|d| unit_core(d) == core);
    let first = hits.next()?;
    hits.next().is_none().then_some(first.as_str())
}

/// A due unit's file that names no period: a month without its year (`长春6月.xlsx`) takes the
/// year of the period summarised (the year before for a later month: `12月` in a January
/// summary); a file naming no month at all counts for the period summarised. Either is said.
fn settle_period(r: &mut ReturnFile, period: Period) {
    if r.period.is_some() || r.unit.is_none() {
        return;
    }
    let (p, finding) = match r.month_only {
        Some((m, source)) => {
            let year = if m <= period.month {
                period.year
            } else {
                period.year - 1
            };
            let Some(p) = Period::new(year, m) else {
                return;
            };
            (
                p,
                Finding::new(
                    Code::OwnLayout,
                    msg::month_without_year(m, source.period_label(), &p.label()),
                ),
            )
        }
        None => (
            period,
            Finding::new(
                Code::IdentityWarning,
                msg::period_assumed(&period.label(), r.unit.as_deref().unwrap_or_default()),
            ),
        ),
    };
    r.period = Some(p);
    let code = p.code();
    for f in &mut r.findings {
        if f.period.is_none() {
            f.period = Some(code.clone());
        }
    }
    r.findings.push(
        finding
            .unit(r.unit.clone().unwrap_or_default())
            .period(p)
            .file(r.rel.clone()),
    );
}

/// Notices about the period itself: no return at all for it, or a year other than the task
/// list's.
fn period_notices(
    period: Period,
    seen: &std::collections::BTreeSet<Period>,
    empty: bool,
    unrecognised: usize,
    tasks: &TaskList,
    config: &Config,
) -> Vec<String> {
    let mut out = Vec::new();
    if empty && unrecognised > 0 {
        out.push(msg::period_unrecognised_only(&period.label(), unrecognised));
    } else if empty {
        let others: Vec<String> = seen.iter().rev().take(6).map(|p| p.label()).collect();
        let hint = if others.is_empty() {
            "文件夹中没有找到任何月报".to_string()
        } else {
            format!("文件夹中有月报的月份：{}", others.join("、"))
        };
        out.push(msg::period_empty(&period.label(), &hint));
    }
    if let Some(year) = config.year.or_else(|| tasks.year())
        && year != period.year
    {
        out.push(msg::period_other_year(&period.label(), year));
    }
    out
}

/// Keeps the rows of an earlier month that the acceptance rule admits.
fn first_known<'t>(rows: &mut Vec<PastRow>, known: impl Fn(&str) -> Option<&'t Task>) {
    let keep: Vec<bool> = {
        let mut rule = batch::FirstKnown::for_rows(rows.len());
        rows.iter()
            .map(|r| {
                matches!(
                    rule.admit(&r.id, None, &known),
                    batch::Admission::Admitted(_)
                )
            })
            .collect()
    };
    let mut k = keep.into_iter();
    rows.retain(|_| k.next().unwrap_or(false));
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
        progress_note: None,
        invest_note: None,
        fill_date: None,
        first_date: None,
        fill_date_at: None,
        reporter: String::new(),
        phone: String::new(),
        progress: Vec::new(),
        invest: Vec::new(),
        accepted: Accepted::default(),
        parts: Parts::default(),
        lower: None,
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
        ret.progress_note = files[i].progress_note.take();
    }
    if let Some(i) = kept[1] {
        if past {
            past_rows.invest = std::mem::take(&mut files[i].past_mut().invest);
        } else {
            ret.invest = files[i].invest.take().unwrap_or_default();
            files[i].invest = Some(Vec::new());
        }
        ret.invest_file = Some(files[i].rel.clone());
        ret.invest_note = files[i].invest_note.take();
    }
    // Filled by the level below: what lies beneath its figures.
    if !past {
        ret.lower = kept.iter().flatten().find_map(|&i| files[i].lower.take());
    }
    // The first arrival: every file of the period counts, superseded or not.
    ret.first_date = files
        .iter()
        .flat_map(|f| {
            f.fill_date
                .as_ref()
                .map(|d| d.value)
                .into_iter()
                .chain(f.first_filled)
        })
        .min();
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
                    Finding::new(Code::Duplicate, msg::duplicate(&k.rel, &f.rel, &why(k, f)))
                        .unit(unit.to_string())
                        .period(period)
                        .file(f.rel.clone()),
                );
            }
        }
    }
    (ret, past_rows, findings)
}

/// Row-level checks of one return; decides which rows are accepted.
fn check_return(
    ret: &UnitReturn,
    past: &[&PastReturn],
    tasks: &TaskList,
    period: Period,
    findings: &mut Vec<Finding>,
) -> Accepted {
    let base =
        |code, text: String, file: &Option<String>| finding_in(ret, period, code, text, file);
    // A template made with `--history` carries last month's figures itself.
    let carries_history = ret.progress.iter().any(|r| r.prev_ytd.is_some());
    if let Some(pp) = period.previous_in_year()
        && !past.iter().any(|p| p.period == pp)
        && !carries_history
    {
        findings.push(base(
            Code::NoHistory,
            msg::no_history(&pp.label()),
            &ret.progress_file.clone().or(ret.invest_file.clone()),
        ));
    }

    Accepted {
        progress: rows::check_progress(ret, past, tasks, period, findings),
        invest: invest::check_invest(ret, past, tasks, period, findings),
    }
}

/// What each accepted row's figures are: missing when its year-to-date is not a figure,
/// disputed when an error finding sits on one of its figure cells.
fn parts_of(ret: &UnitReturn, findings: &[Finding]) -> Parts {
    let errors: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.level == Level::Error && f.cell.is_some())
        .filter(|f| {
            let file = f.file.as_deref();
            file.is_some()
                && (file == ret.progress_file.as_deref() || file == ret.invest_file.as_deref())
        })
        .collect();
    // A file filed under another month than its content says: every figure in it.
    let whole_file: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.code == Code::IdentityConflict)
        .collect();
    let part = |file: &Option<String>, ytd: &NumField, cells: &[&NumField]| {
        if ytd.value.is_none() {
            return Part::Missing;
        }
        let on: Vec<(Code, String)> = errors
            .iter()
            .filter(|f| f.file.as_deref() == file.as_deref())
            .filter(|f| {
                cells.iter().any(|c| {
                    f.sheet.as_deref() == Some(&*c.at.sheet)
                        && f.cell
                            .is_some_and(|p| p.row == c.at.row && p.col == c.at.col)
                })
            })
            .chain(
                whole_file
                    .iter()
                    .filter(|f| f.file.as_deref() == file.as_deref()),
            )
            .map(|f| (f.code, f.message.clone()))
            .collect();
        if on.is_empty() {
            Part::Accepted
        } else {
            Part::Disputed(on)
        }
    };
    Parts {
        progress: ret
            .progress_rows()
            .map(|r| part(&ret.progress_file, &r.ytd, &[&r.month, &r.ytd]))
            .collect(),
        invest: ret
            .invest_rows()
            .map(|r| {
                let mut cells = vec![&r.month, &r.ytd];
                cells.extend(r.funds.iter());
                part(&ret.invest_file, &r.ytd, &cells)
            })
            .collect(),
    }
}
