//! 存在问题汇总's lines: every unit's 存在问题 and 下步工作打算, by task in list order.

use std::collections::HashMap;

use crate::model::{ProgressRow, Task};
use crate::validate::Batch;

/// One unit's problems and next steps on one task.
pub struct ProblemLine<'a> {
    pub task: &'a Task,
    pub unit: &'a str,
    pub problems: &'a str,
    pub next_steps: &'a str,
}

/// The accepted rows that say something (a 存在问题 other than 无, or a 下步工作打算), by
/// task in the list's order, units in roster order.
pub fn problem_lines(batch: &Batch) -> Vec<ProblemLine<'_>> {
    let mut by_task: HashMap<&str, Vec<(&str, &ProgressRow)>> = HashMap::new();
    for ret in &batch.current {
        for row in ret.progress_rows() {
            by_task
                .entry(row.task_id.value.as_str())
                .or_default()
                .push((&ret.unit, row));
        }
    }
    let mut out = Vec::new();
    for task in &batch.tasks.tasks {
        for (unit, row) in by_task.get(task.id.as_str()).into_iter().flatten() {
            let problems = row.problems.value.trim();
            let next_steps = row.next_steps.value.trim();
            if (problems.is_empty() || problems == "无") && next_steps.is_empty() {
                continue;
            }
            out.push(ProblemLine {
                task,
                unit,
                problems,
                next_steps,
            });
        }
    }
    out
}
