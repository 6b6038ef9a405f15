//! 分类汇总: per category and measure, and tasks per 进度状态.

use super::common::*;

pub(super) fn categories_sheet(s: &Summary) -> XResult<Worksheet> {
    let title = format!("{}重点任务分类汇总", s.period.label());
    let statuses: Vec<&str> = s.status_columns.iter().map(Status::label).collect();
    let mut headers: Vec<&str> = CATEGORY_HEADERS.to_vec();
    headers.extend(statuses.iter().copied());
    let mut w = header_widths(&headers, 5.0);
    for line in &s.categories {
        w.text(0, &line.category, false);
        w.text(1, &line.measure, false);
        w.figure(3, line.target, Shown::General);
        w.figure(4, line.month, Shown::General);
        w.figure(5, line.ytd, Shown::General);
        w.figure(6, line.rate, Shown::Percent);
    }
    w.text(0, "合计", true);
    w.at_most(0, 16.0);
    w.fit_page(&[(0, 9.0)], PRINT_SCALE);
    let widths = w;
    let mut sheet = table_sheet(
        SHEET_CATEGORIES,
        &title,
        "同一类别按计量单位分行汇总；定性任务（计量单位为“—”）只统计任务数和状态。右侧各列为该行任务按进度状态的个数。",
        &headers,
        &widths.0,
    )?;
    let ws = &mut sheet;
    let tx = fm::Cell::new(Kind::Center).format();
    let q = fm::Cell::new(Kind::Quantity).format();
    let p = fm::Cell::new(Kind::Percent).format();
    let c = fm::Cell::new(Kind::Count).format();
    let mut r = TABLE_HEADER_ROW + 1;
    for line in &s.categories {
        text(ws, r, 0, &line.category, &tx)?;
        text(
            ws,
            r,
            1,
            if line.measure.is_empty() {
                "—"
            } else {
                &line.measure
            },
            &tx,
        )?;
        ws.write_number_with_format(r, 2, line.tasks as f64, &c)?;
        num(ws, r, 3, line.target, &q)?;
        // Sums that rest on a disputed or missing part: marked, the tasks named.
        let marked = if line.unverified.is_empty() {
            q.clone()
        } else {
            fm::Cell::new(Kind::Quantity)
                .fill(Some(fm::DISPUTED_FILL))
                .format()
        };
        num(ws, r, 4, line.month, &marked)?;
        num(ws, r, 5, line.ytd, &marked)?;
        if !line.unverified.is_empty() && line.ytd.is_some() {
            note(
                ws,
                r,
                5,
                &format!(
                    "含数据待核的任务（有单位未报、未填或数字待核）：{}",
                    line.unverified.join("、")
                ),
            )?;
        }
        num(ws, r, 6, line.rate, &p)?;
        for (k, n) in line.by_status.iter().enumerate() {
            ws.write_number_with_format(r, 7 + k as u16, *n as f64, &c)?;
        }
        ws.set_row_height(r, height(&widths, &[(0, &line.category, false)]))?;
        r += 1;
    }
    let tot = fm::Cell::new(Kind::Center)
        .fill(Some(fm::TOTAL_FILL))
        .bold()
        .format();
    let totc = fm::Cell::new(Kind::Count)
        .fill(Some(fm::TOTAL_FILL))
        .bold()
        .format();
    text(ws, r, 0, "合计", &tot)?;
    text(ws, r, 1, "", &tot)?;
    ws.write_number_with_format(r, 2, s.tasks.len() as f64, &totc)?;
    for col in 3..7 {
        ws.write_blank(r, col, &tot)?;
    }
    for (k, n) in s.status_totals.iter().enumerate() {
        ws.write_number_with_format(r, 7 + k as u16, *n as f64, &totc)?;
    }
    Ok(sheet)
}
