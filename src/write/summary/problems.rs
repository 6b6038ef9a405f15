//! 存在问题汇总: every unit's 存在问题 and 下步工作打算, by task.

use super::common::*;
use crate::consolidate::Consolidated;

pub(super) fn problems_sheet(c: &Consolidated<'_>, config: &Config) -> XResult<Worksheet> {
    let title = format!("{}存在问题及下步工作打算", c.batch.period.label());
    let lines = &c.problems;
    let mut w = header_widths(&PROBLEM_HEADERS, 5.0);
    for line in lines {
        w.text(0, &line.task.id, false);
        w.text(1, &line.task.category, false);
        w.text(2, &line.task.name, false);
        w.text(3, config.short_name(line.unit), false);
        w.text(4, line.problems, false);
        w.text(5, line.next_steps, false);
    }
    for (c, max) in [(1, 9.5), (2, 22.0), (3, 10.0), (4, 44.0), (5, 44.0)] {
        w.at_most(c, max);
    }
    w.fit_page(&[(4, 24.0), (5, 24.0), (2, 14.0)], PRINT_SCALE);
    let widths = w;
    let mut sheet = table_sheet(
        SHEET_PROBLEMS,
        &title,
        "按任务列出各单位填报的存在问题和下步工作打算（未填写的不列）。",
        &PROBLEM_HEADERS,
        &widths.0,
    )?;
    let ws = &mut sheet;
    let tx = fm::Cell::new(Kind::Text).format();
    let ce = fm::Cell::new(Kind::Center).format();
    for (r, line) in (TABLE_HEADER_ROW + 1..).zip(lines) {
        let (t, p, n) = (line.task, line.problems, line.next_steps);
        text(ws, r, 0, &t.id, &ce)?;
        text(ws, r, 1, &t.category, &ce)?;
        text(ws, r, 2, &t.name, &tx)?;
        text(ws, r, 3, config.short_name(line.unit), &ce)?;
        text(ws, r, 4, p, &tx)?;
        text(ws, r, 5, n, &tx)?;
        ws.set_row_height(
            r,
            height(
                &widths,
                &[
                    (1, &t.category, false),
                    (2, &t.name, false),
                    (4, p, false),
                    (5, n, false),
                ],
            ),
        )?;
    }
    Ok(sheet)
}
