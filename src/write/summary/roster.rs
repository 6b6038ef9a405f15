//! 单位报送情况: each unit due, whether and when it reported.

use super::common::*;

pub(super) fn roster_sheet(batch: &Batch) -> XResult<Worksheet> {
    let title = format!("{}各单位报送情况", batch.period.label());
    let d = batch.deadline;
    let sub = format!(
        "报送截止日：{}。红色为未报或无法读取，黄色为逾期。",
        d.format("%Y-%m-%d")
    );
    let widths = [6.0, 24.0, 9.0, 10.0, 12.0, 9.0, 48.0, 7.0, 7.0];
    let mut sheet = table_sheet(SHEET_ROSTER, &title, &sub, &ROSTER_HEADERS, &widths)?;
    let ws = &mut sheet;
    for (r, (i, e)) in (TABLE_HEADER_ROW + 1..).zip(batch.roster.iter().enumerate()) {
        let fill = if e.state != RosterState::Reported {
            Some(fm::LAG_FILL)
        } else if e.on_time == Some(false) {
            Some(fm::LATE_FILL)
        } else {
            None
        };
        let tx = fm::Cell::new(Kind::Text).fill(fill).format();
        let ce = fm::Cell::new(Kind::Center).fill(fill).format();
        let c = fm::Cell::new(Kind::Count).fill(fill).format();
        ws.write_number_with_format(r, 0, (i + 1) as f64, &c)?;
        text(ws, r, 1, &e.unit, &tx)?;
        ws.write_number_with_format(r, 2, e.tasks_due as f64, &c)?;
        text(ws, r, 3, e.state.label(), &ce)?;
        match e.fill_date {
            Some(date) => {
                let dt = ExcelDateTime::from_ymd(
                    date.year() as u16,
                    date.month() as u8,
                    date.day() as u8,
                )?;
                ws.write_datetime_with_format(
                    r,
                    4,
                    &dt,
                    &fm::Cell::new(Kind::Date).fill(fill).format(),
                )?;
            }
            None => text(
                ws,
                r,
                4,
                if e.state == RosterState::Reported {
                    "未填"
                } else {
                    ""
                },
                &ce,
            )?,
        }
        let on_time = match e.on_time {
            Some(true) => "按时",
            Some(false) => "逾期",
            None => "—",
        };
        text(ws, r, 5, on_time, &ce)?;
        let files = e.files.join("\n");
        text(ws, r, 6, &files, &tx)?;
        ws.set_row_height(r, fm::row_height(&[(&files, 48.0), (&e.unit, 24.0)]))?;
        ws.write_number_with_format(r, 7, e.errors as f64, &c)?;
        ws.write_number_with_format(r, 8, e.warnings as f64, &c)?;
    }
    Ok(sheet)
}
