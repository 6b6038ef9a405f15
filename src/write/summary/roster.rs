//! 单位报送情况: each unit due, whether and when it reported.

use super::common::*;

pub(super) fn roster_sheet(batch: &Batch) -> XResult<Worksheet> {
    let title = format!("{}各单位报送情况", batch.period.label());
    let d = batch.deadline;
    let sub = format!(
        "报送截止日：{}。是否按时以首次报送的填报日期为准（之后的更正不影响）。红色为未报或已报（无法识别）：报来的文件读不出表格，见“数据校验”；黄色为逾期。",
        d.format("%Y-%m-%d")
    );
    let widths = roster_widths(batch);
    let mut sheet = table_sheet(SHEET_ROSTER, &title, &sub, &ROSTER_HEADERS, &widths.0)?;
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
        // A return filled by the level below says how many of its own units it holds.
        let state = state_text(e);
        text(ws, r, 3, &state, &ce)?;
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
        // Who to call, from an earlier month's return when this month's is missing.
        let reporter = contact_text(&e.reporter, e.contact_from);
        text(ws, r, 7, &reporter, &ce)?;
        text(ws, r, 8, &e.phone, &ce)?;
        let files = e.files.join("\n");
        text(ws, r, 9, &files, &tx)?;
        ws.set_row_height(
            r,
            height(
                &widths,
                &[
                    (1, &e.unit, false),
                    (3, &state, false),
                    (7, &reporter, false),
                    (9, &files, false),
                ],
            ),
        )?;
        ws.write_number_with_format(r, 10, e.errors as f64, &c)?;
        ws.write_number_with_format(r, 11, e.warnings as f64, &c)?;
    }
    Ok(sheet)
}

/// 填报人 as shown: with the month it comes from when that is not the period's.
fn contact_text(reporter: &str, from: Option<crate::model::Period>) -> String {
    match from {
        Some(p) if !reporter.is_empty() => format!("{reporter}\n（{}月报表）", p.month),
        _ => reporter.to_string(),
    }
}

/// 报送情况 as shown: with `下级已报 2/3` under it for a return filled by the level below
/// (the units not reported are named on its 下级明细).
fn state_text(e: &crate::model::RosterEntry) -> String {
    match &e.lower {
        Some(cov) => format!(
            "{}\n{}",
            e.state.label(),
            cov.split('；').next().unwrap_or(cov)
        ),
        None => e.state.label().to_string(),
    }
}

fn roster_widths(batch: &Batch) -> Widths {
    let mut w = header_widths(&ROSTER_HEADERS, 4.0);
    w.figure(0, Some(batch.roster.len() as f64), Shown::Count);
    for e in &batch.roster {
        w.text(1, &e.unit, false);
        w.figure(2, Some(e.tasks_due as f64), Shown::Count);
        w.text(3, &state_text(e), false);
        w.text(4, "2020-06-30", false);
        w.text(5, "2020-06-30", false);
        for line in contact_text(&e.reporter, e.contact_from).lines() {
            w.text(7, line, false);
        }
        w.text(8, &e.phone, false);
        for f in &e.files {
            w.text(9, f, false);
        }
        w.figure(10, Some(e.errors as f64), Shown::Count);
        w.figure(11, Some(e.warnings as f64), Shown::Count);
    }
    w.at_most(1, 22.0);
    w.at_most(3, 9.0);
    w.at_most(9, 60.0);
    w.fit_page(&[(9, 24.0), (1, 12.0)], PRINT_SCALE);
    w
}
