//! 存在问题汇总: every unit's 存在问题 and 下步工作打算, by task.

use super::common::*;
use crate::consolidate::problem_lines;

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
    for (r, line) in (TABLE_HEADER_ROW + 1..).zip(problem_lines(batch)) {
        let (t, p, n) = (line.task, line.problems, line.next_steps);
        text(ws, r, 0, &t.id, &ce)?;
        text(ws, r, 1, &t.category, &ce)?;
        text(ws, r, 2, &t.name, &tx)?;
        text(ws, r, 3, config.short_name(line.unit), &ce)?;
        text(ws, r, 4, p, &tx)?;
        text(ws, r, 5, n, &tx)?;
        ws.set_row_height(r, fm::row_height(&[(&t.name, 24.0), (p, 40.0), (n, 40.0)]))?;
    }
    Ok(sheet)
}
