//! 单位报送情况: each unit due, whether and when it reported.

use super::common::*;

pub(super) fn roster_sheet(batch: &Batch) -> XResult<Worksheet> {
    let title = format!("{}各单位报送情况", batch.period.label());
    let d = batch.deadline;
    let sub = format!(
        "报送截止日：{}。是否按时以首次报送的填报日期为准（之后的更正不影响）。红色为未报或已报（无法识别）：报来的文件读不出表格，见“数据校验”；黄色为逾期。",
        d.format("%Y-%m-%d")
    );
    let widths = [6.0, 24.0, 9.0, 10.0, 11.0, 11.0, 9.0, 44.0, 7.0, 7.0];
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
        let date = |ws: &mut Worksheet, c: u16, d: Option<chrono::NaiveDate>| -> XResult<()> {
            match d {
                Some(date) => {
                    let dt = ExcelDateTime::from_ymd(
                        date.year() as u16,
                        date.month() as u8,
                        date.day() as u8,
                    )?;
                    ws.write_datetime_with_format(
                        r,
                        c,
                        &dt,
                        &fm::Cell::new(Kind::Date).fill(fill).format(),
                    )?;
                }
                None => text(ws, r, c, "", &ce)?,
            }
            Ok(())
        };
        if e.first_date.is_none() && e.state == RosterState::Reported {
            text(ws, r, 4, "未填", &ce)?;
        } else {
            date(ws, 4, e.first_date)?;
        }
        // 最近更正: only when a later return replaced the first.
        date(ws, 5, e.fill_date.filter(|d| Some(*d) != e.first_date))?;
        let on_time = match e.on_time {
            Some(true) => "按时",
            Some(false) => "逾期",
            None => "—",
        };
        text(ws, r, 6, on_time, &ce)?;
        let files = e.files.join("\n");
        text(ws, r, 7, &files, &tx)?;
        ws.set_row_height(r, fm::row_height(&[(&files, 48.0), (&e.unit, 24.0)]))?;
        ws.write_number_with_format(r, 8, e.errors as f64, &c)?;
        ws.write_number_with_format(r, 9, e.warnings as f64, &c)?;
    }
    Ok(sheet)
}
