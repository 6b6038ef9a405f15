//! 月度趋势: year-to-date per category and month.

use super::common::*;

pub(super) fn trend_sheet(s: &Summary) -> XResult<Worksheet> {
    let title = format!("{}年各月自年初累计完成情况", s.period.year);
    let mut headers: Vec<String> = vec!["类别".into(), "计量单位".into()];
    headers.extend(s.periods.iter().map(|p| p.label()));
    let hdr: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut widths = vec![16.0, 10.0];
    widths.extend(s.periods.iter().map(|_| 13.0));
    let mut sheet = table_sheet(
        SHEET_TREND,
        &title,
        "每格为截至该月的自年初累计完成数（各月已采用的报表合计）；投资单位为万元。",
        &hdr,
        &widths,
    )?;
    let ws = &mut sheet;
    let ce = fm::Cell::new(Kind::Center).format();
    let q = fm::Cell::new(Kind::Quantity).format();
    let m = fm::Cell::new(Kind::Money).format();
    let mut r = TABLE_HEADER_ROW + 1;
    for (cat, measure, vals) in &s.trend_progress {
        text(ws, r, 0, cat, &ce)?;
        text(ws, r, 1, measure, &ce)?;
        for (k, v) in vals.iter().enumerate() {
            num(ws, r, 2 + k as u16, *v, &q)?;
        }
        r += 1;
    }
    for (cat, vals) in &s.trend_invest {
        text(ws, r, 0, &format!("{cat}投资"), &ce)?;
        text(ws, r, 1, "万元", &ce)?;
        for (k, v) in vals.iter().enumerate() {
            num(ws, r, 2 + k as u16, *v, &m)?;
        }
        r += 1;
    }
    let tot = fm::Cell::new(Kind::Center)
        .fill(Some(fm::TOTAL_FILL))
        .bold()
        .format();
    let totm = fm::Cell::new(Kind::Money)
        .fill(Some(fm::TOTAL_FILL))
        .bold()
        .format();
    text(ws, r, 0, "投资合计", &tot)?;
    text(ws, r, 1, "万元", &tot)?;
    for (k, v) in s.trend_invest_total.iter().enumerate() {
        num(ws, r, 2 + k as u16, *v, &totm)?;
    }
    Ok(sheet)
}
