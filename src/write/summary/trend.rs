//! 月度趋势: year-to-date per category and month.

use super::common::*;

pub(super) fn trend_sheet(s: &Summary) -> XResult<Worksheet> {
    let title = format!("{}年各月自年初累计完成情况", s.period.year);
    let mut headers: Vec<String> = vec!["类别".into(), "计量单位".into()];
    headers.extend(s.periods.iter().map(|p| p.label()));
    let hdr: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut w = header_widths(&hdr, 6.0);
    for (cat, measure, vals) in &s.trend_progress {
        w.text(0, cat, false);
        w.text(1, measure, false);
        for (k, v) in vals.iter().enumerate() {
            w.figure(2 + k, *v, Shown::General);
        }
    }
    for (cat, vals) in &s.trend_invest {
        w.text(0, &format!("{cat}投资"), false);
        for (k, v) in vals.iter().enumerate() {
            w.figure(2 + k, *v, Shown::Money);
        }
    }
    for (k, v) in s.trend_invest_total.iter().enumerate() {
        w.figure_bold(2 + k, *v, Shown::Money, true);
    }
    w.at_most(0, 18.0);
    let widths = w;
    let mut sheet = table_sheet(
        SHEET_TREND,
        &title,
        "各月自年初累计数；投资单位：万元。黄色：当月有单位未报（见批注）。",
        &hdr,
        &widths.0,
    )?;
    let ws = &mut sheet;
    let ce = fm::Cell::new(Kind::Center).format();
    let mut r = TABLE_HEADER_ROW + 1;
    // A month's entry of a category some of whose units did not report that month: marked.
    let write_vals =
        |ws: &mut Worksheet, r: u32, cat: &str, vals: &[Option<f64>], kind: Kind| -> XResult<()> {
            let plain = fm::Cell::new(kind).format();
            let marked = fm::Cell::new(kind).fill(Some(fm::DISPUTED_FILL)).format();
            for (k, v) in vals.iter().enumerate() {
                let missing = s
                    .trend_missing
                    .get(cat)
                    .and_then(|per| per.get(k))
                    .filter(|m| !m.is_empty());
                let c = 2 + k as u16;
                match missing {
                    Some(m) if v.is_some() => {
                        num(ws, r, c, *v, &marked)?;
                        note(ws, r, c, &format!("当月未报，不含其数：{}", m.join("、")))?;
                    }
                    _ => num(ws, r, c, *v, &plain)?,
                }
            }
            Ok(())
        };
    for (cat, measure, vals) in &s.trend_progress {
        text(ws, r, 0, cat, &ce)?;
        text(ws, r, 1, measure, &ce)?;
        write_vals(ws, r, cat, vals, Kind::Quantity)?;
        ws.set_row_height(r, height(&widths, &[(0, cat, false)]))?;
        r += 1;
    }
    for (cat, vals) in &s.trend_invest {
        let name = format!("{cat}投资");
        text(ws, r, 0, &name, &ce)?;
        text(ws, r, 1, "万元", &ce)?;
        write_vals(ws, r, cat, vals, Kind::Money)?;
        ws.set_row_height(r, height(&widths, &[(0, &name, false)]))?;
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
