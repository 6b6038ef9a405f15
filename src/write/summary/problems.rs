//! 存在问题汇总: every unit's 存在问题 and 下步工作打算, by task.

use super::*;

pub(super) fn problems_sheet(batch: &Batch, config: &Config) -> XResult<Worksheet> {
    let title = format!("{}存在问题及下步工作打算", batch.period.label());
    let widths = [9.0, 10.0, 24.0, 14.0, 40.0, 40.0];
    let mut sheet = table_sheet(
        SHEET_PROBLEMS,
        &title,
        "按任务列出各单位填报的存在问题和下步工作打算（未填写的不列）。",
        &PROBLEM_HEADERS,
        &widths,
    )?;
    let ws = &mut sheet;
    let tx = fm::Cell::new(Kind::Text).format();
    let ce = fm::Cell::new(Kind::Center).format();
    let mut by_task: HashMap<&str, Vec<(&str, &ProgressRow)>> = HashMap::new();
    for ret in &batch.current {
        for row in ret.progress_rows() {
            by_task
                .entry(row.task_id.value.as_str())
                .or_default()
                .push((&ret.unit, row));
        }
    }
    let mut r = TABLE_HEADER_ROW + 1;
    for t in &batch.tasks.tasks {
        let Some(rows) = by_task.get(t.id.as_str()) else {
            continue;
        };
        for (unit, row) in rows {
            let p = row.problems.value.trim();
            let n = row.next_steps.value.trim();
            if (p.is_empty() || p == "无") && n.is_empty() {
                continue;
            }
            text(ws, r, 0, &t.id, &ce)?;
            text(ws, r, 1, &t.category, &ce)?;
            text(ws, r, 2, &t.name, &tx)?;
            text(ws, r, 3, config.short_name(unit), &ce)?;
            text(ws, r, 4, p, &tx)?;
            text(ws, r, 5, n, &tx)?;
            ws.set_row_height(r, fm::row_height(&[(&t.name, 24.0), (p, 40.0), (n, 40.0)]))?;
            r += 1;
        }
    }
    Ok(sheet)
}
