//! Row checks of the progress table, and targets summed over units.

use std::collections::HashMap;

use super::batch::{Admission, FirstKnown, PastReturn, TOLERANCE, UnitReturn, finding_in};
use super::history::{Table, check_blanks, check_cumulative, history_of};
use crate::finding::{Code, Finding};
use crate::messages as msg;
use crate::model::{Period, ProgressRow, TaskList};

/// The progress rows of one return: duplicates, unknown and unassigned tasks, missing rows,
/// month-over-month figures. Returns the indices of the accepted rows.
pub(super) fn check_progress(
    ret: &UnitReturn,
    past: &[&PastReturn],
    tasks: &TaskList,
    period: Period,
    findings: &mut Vec<Finding>,
) -> Vec<usize> {
    let mut accepted = Vec::new();
    let base =
        |code, text: String, file: &Option<String>| finding_in(ret, period, code, text, file);
    // Progress rows.
    if ret.progress_file.is_some() {
        let pf = &ret.progress_file;
        let mut rule = FirstKnown::for_rows(ret.progress.len());
        for (k, row) in ret.progress.iter().enumerate() {
            let id = row.task_id.value.as_str();
            let task = match rule.admit(id, Some(&row.task_id.at), |id| tasks.get(id)) {
                // A row named in the unit's words that matched no task: said by the matcher.
                Admission::Blank => continue,
                Admission::Repeat(first) => {
                    findings.push(
                        base(Code::TaskDupRow, msg::task_row_duplicate(id, &first), pf)
                            .at(&row.task_id.at),
                    );
                    continue;
                }
                Admission::Unknown => {
                    findings.push(
                        base(Code::TaskUnknown, msg::task_unknown(id), pf).at(&row.task_id.at),
                    );
                    continue;
                }
                Admission::Admitted(task) => task,
            };
            accepted.push(k);
            if !task.units.contains(&ret.unit) {
                findings.push(
                    base(Code::TaskNotAssigned, msg::task_not_assigned(id), pf).at(&row.task_id.at),
                );
            }
            if task.measure.is_some() {
                check_blanks(ret, pf, &row.month, &row.ytd, findings);
            }
            let history = history_of(past, id, Table::Progress, period);
            check_cumulative(
                ret,
                pf,
                &row.month,
                &row.ytd,
                row.prev_ytd.as_ref(),
                &history,
                findings,
            );
        }
        // The unit's own sheet when it has rows (`Sheet1` of its own form), else the
        // template's.
        let sheet: &str = ret
            .progress
            .first()
            .map_or(crate::layout::SHEET_PROGRESS, |r| &r.task_id.at.sheet);
        for task in tasks.tasks_of(&ret.unit) {
            if !ret.progress.iter().any(|r| r.task_id.value == task.id) {
                findings.push(
                    base(
                        Code::TaskRowMissing,
                        msg::task_row_missing(&task.id, &task.name),
                        pf,
                    )
                    .sheet(sheet),
                );
            }
        }
    }

    accepted
}

/// W-OVER-TARGET on quantitative tasks, summed over their units.
pub(super) fn check_targets(
    current: &[UnitReturn],
    tasks: &TaskList,
    period: Period,
    findings: &mut Vec<Finding>,
) {
    // Each unit's first row per task, gathered once.
    let mut by_task: HashMap<&str, Vec<(&UnitReturn, &ProgressRow)>> = HashMap::new();
    for r in current {
        for p in r.progress_rows() {
            if p.ytd.value.is_some() {
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
                Finding::new(Code::OverTarget, msg::over_target(total, target, &what))
                    .unit(r.unit.clone())
                    .period(period)
                    .file(r.progress_file.clone().unwrap_or_default())
                    .at(&p.ytd.at),
            );
        } else {
            findings.push(
                Finding::new(
                    Code::OverTarget,
                    msg::over_target(total, target, &format!("{what}（各责任单位合计）")),
                )
                .period(period),
            );
        }
    }
}
