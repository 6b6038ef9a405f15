//! Provenance: every consolidated figure with the file, sheet and cell it came from.

use std::sync::Arc;

use crate::layout::{invest as ic, progress as pc};
use crate::model::CellRef;
use crate::validate::Batch;

/// One consolidated number and its cell.
pub struct SourceRecord<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub unit: &'a str,
    pub field: &'static str,
    pub value: f64,
    pub file: &'a str,
    pub at: &'a CellRef,
    /// How the figure was read when not from the template's layout: the table's header
    /// rows and money unit, the row's match by name. Shared by the figures of one row: a
    /// unit's own form says the same of each of them.
    pub how: Arc<str>,
}

/// The table's note and the row's, joined; `none` when there is neither.
fn how(table: &Option<String>, row: &Option<String>, none: &Arc<str>) -> Arc<str> {
    match (row.as_deref(), table.as_deref()) {
        (None, None) => none.clone(),
        (Some(one), None) | (None, Some(one)) => one.into(),
        (Some(row), Some(table)) => format!("{row}；{table}").into(),
    }
}

/// The numbers that enter the summary, in the task list's order (progress, then
/// investment), each task's units in roster order: the accepted rows' figures.
pub fn source_records(batch: &Batch) -> Vec<SourceRecord<'_>> {
    let mut out = records(batch);
    // Held until the last output is written: no room to spare.
    out.shrink_to_fit();
    let order: std::collections::HashMap<&str, usize> = batch
        .tasks
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    // A stable sort: within a task, the units and fields keep the order they came in.
    out.sort_by_key(|r| {
        let investment = !matches!(r.field, pc::MONTH | pc::YTD);
        (investment, order.get(r.id).copied().unwrap_or(usize::MAX))
    });
    out
}

/// The figures, unit by unit in roster order.
fn records(batch: &Batch) -> Vec<SourceRecord<'_>> {
    let mut out = Vec::new();
    let none: Arc<str> = Arc::from("");
    for ret in &batch.current {
        let file = ret.progress_file.as_deref().unwrap_or("");
        for row in ret.progress_rows() {
            let Some(task) = batch.tasks.get(&row.task_id.value) else {
                continue;
            };
            let how = how(&ret.progress_note, &row.key.how, &none);
            for (field, f) in [(pc::MONTH, &row.month), (pc::YTD, &row.ytd)] {
                if let Some(v) = f.value {
                    out.push(SourceRecord {
                        id: &task.id,
                        name: &task.name,
                        unit: &ret.unit,
                        field,
                        value: v,
                        file,
                        at: &f.at,
                        how: how.clone(),
                    });
                    beneath(ret, task, field, file, &mut out);
                }
            }
        }
        let file = ret.invest_file.as_deref().unwrap_or("");
        for row in ret.invest_rows() {
            let Some(task) = batch.tasks.get(&row.project_id.value) else {
                continue;
            };
            let mut fields = vec![(ic::MONTH, &row.month), (ic::YTD, &row.ytd)];
            let names = [ic::F1, ic::F2, ic::F3, ic::F4, ic::F5];
            fields.extend(names.iter().copied().zip(row.funds.iter()));
            let how = how(&ret.invest_note, &row.key.how, &none);
            for (field, f) in fields {
                if let Some(v) = f.value {
                    out.push(SourceRecord {
                        id: &task.id,
                        name: &task.name,
                        unit: &ret.unit,
                        field,
                        value: v,
                        file,
                        at: &f.at,
                        how: how.clone(),
                    });
                    beneath(ret, task, field, file, &mut out);
                }
            }
        }
    }
    out
}

/// Beneath a figure of a return filled by the level below: each lower unit's part of it, as
/// its 下级明细 gives it (the cell there, and where the lower unit's own file had it).
fn beneath<'a>(
    ret: &'a crate::validate::UnitReturn,
    task: &'a crate::model::Task,
    field: &'static str,
    file: &'a str,
    out: &mut Vec<SourceRecord<'a>>,
) {
    let Some(lower) = &ret.lower else {
        return;
    };
    for (at, row) in lower
        .rows
        .iter()
        .filter(|(_, r)| r.id == task.id && r.field == field)
    {
        let Some(v) = row.value else {
            continue;
        };
        let place = if row.file.is_empty() {
            String::new()
        } else {
            format!("，原表 {} {}!{}", row.file, row.sheet, row.cell)
        };
        out.push(SourceRecord {
            id: &task.id,
            name: &task.name,
            unit: &row.unit,
            field,
            value: v,
            file,
            at,
            how: format!("{}上报数的下级构成：{}{place}", lower.filled_by, row.state).into(),
        });
    }
}
