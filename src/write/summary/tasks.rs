//! 任务进展: one row per task with its figures, status and each unit's texts.

use super::common::*;

pub(super) fn tasks_sheet(s: &Summary, config: &Config) -> XResult<Worksheet> {
    let title = format!("{}重点任务进展情况", s.period.label());
    let widths = [
        9.0, 10.0, 24.0, 16.0, 6.0, 8.0, 8.0, 9.0, 7.5, 7.5, 9.0, 44.0, 26.0,
    ];
    let sub = format!(
        "序时进度 = 已过月数 ÷ 完成时限月数；完成率比序时进度低 {} 个百分点以上为“滞后”。红色为滞后，绿色为已完成。",
        crate::model::fmt_num(config.lag_tolerance)
    );
    let mut sheet = table_sheet(SHEET_TASKS, &title, &sub, &TASK_HEADERS, &widths)?;
    let ws = &mut sheet;
    let mut r = TABLE_HEADER_ROW + 1;
    for t in &s.tasks {
        write_task_row(ws, r, t, config)?;
        r += 1;
    }
    ws.autofilter(
        TABLE_HEADER_ROW,
        0,
        r.saturating_sub(1).max(TABLE_HEADER_ROW),
        TASK_HEADERS.len() as u16 - 1,
    )?;
    Ok(sheet)
}

pub(super) fn write_task_row(
    ws: &mut Worksheet,
    r: u32,
    t: &TaskLine,
    config: &Config,
) -> XResult<()> {
    let fill = status_fill(&t.status);
    let tx = fm::Cell::new(Kind::Text).fill(fill).format();
    let ce = fm::Cell::new(Kind::Center).fill(fill).format();
    let q = fm::Cell::new(Kind::Quantity).fill(fill).format();
    let p = fm::Cell::new(Kind::Percent).fill(fill).format();
    text(ws, r, 0, &t.id, &ce)?;
    text(ws, r, 1, &t.category, &ce)?;
    text(ws, r, 2, &t.name, &tx)?;
    let units: Vec<&str> = t.units.iter().map(|u| config.short_name(u)).collect();
    text(ws, r, 3, &units.join("、"), &tx)?;
    text(ws, r, 4, if t.quantitative { &t.measure } else { "—" }, &ce)?;
    if t.quantitative {
        num(ws, r, 5, t.target, &q)?;
        num(ws, r, 6, t.month, &q)?;
        num(ws, r, 7, t.ytd, &q)?;
        num(ws, r, 8, t.rate, &p)?;
        num(ws, r, 9, Some(t.schedule), &p)?;
    } else {
        for c in 5..=9 {
            ws.write_blank(r, c, &q)?;
        }
    }
    text(
        ws,
        r,
        10,
        t.status.label(),
        &fm::Cell::new(Kind::Center).fill(fill).bold().format(),
    )?;
    let (progress, problems) = (&t.progress_text, &t.problems_text);
    text(ws, r, 11, progress, &tx)?;
    text(ws, r, 12, problems, &tx)?;
    let joined = units.join("、");
    ws.set_row_height(
        r,
        fm::row_height(&[
            (&t.name, 24.0),
            (&joined, 16.0),
            (progress, 44.0),
            (problems, 26.0),
        ]),
    )?;
    Ok(())
}
