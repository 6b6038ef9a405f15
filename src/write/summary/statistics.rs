//! 投资完成情况: the statistics table as offices publish it, by category and by unit. The
//! same sheet is the summary's and the standalone workbook's that is sent upward.

use super::common::*;
use crate::consolidate::{StatKind, StatRow, Statistics};

fn headers(st: &Statistics) -> [String; 16] {
    crate::layout::summary::statistics_headers(&st.amount_unit, st.yoy_growth)
}

/// The label of a row as printed: units by their short names, set in under their section.
fn label(r: &StatRow, config: &Config) -> String {
    match r.kind {
        StatKind::Unit => config.short_name(&r.label).to_string(),
        _ => r.label.clone(),
    }
}

/// The title of the table.
fn title(st: &Statistics) -> String {
    crate::layout::summary::statistics_title(st.period)
}

/// The line under the title: 统计期, 单位, rounding, and where 去年同期 came from.
fn subtitle(st: &Statistics) -> String {
    let mut s = format!("{}　　单位：{}、%", st.cutoff, st.amount_unit);
    if st.amount_unit == "亿元" {
        s.push_str("　　数据经舍位平衡处理（各分项之和等于合计，比率按未舍位的数计算）");
    }
    s.push_str("。\n");
    s.push_str(&st.last_year_source);
    if let Some(p) = st.last_month_period {
        s.push_str(&format!("；上月为 {}", p.label()));
    }
    s.push_str("。黄色的数字含有错误待核或缺报的部分，批注写明；空白表示没有可比的数，不是 0。");
    s.push_str(&st.rank_rule);
    s.push('。');
    s
}

fn pct(v: Option<f64>) -> Option<f64> {
    v.map(|v| v * 100.0)
}

/// Column widths: every figure shown whole, bold totals included.
fn widths(st: &Statistics, config: &Config) -> Widths {
    let h = headers(st);
    let refs: Vec<&str> = h.iter().map(String::as_str).collect();
    let mut w = header_widths(&refs, 6.0);
    for r in st.by_category.iter().chain(&st.by_unit) {
        let bold = !matches!(r.kind, StatKind::Category | StatKind::Unit);
        w.text(0, &label(r, config), bold);
        let s = &r.shown;
        for (c, v) in [
            (1, s.plan),
            (2, s.month),
            (4, s.ytd),
            (6, s.last_year),
            (8, s.last_month),
        ] {
            w.figure_bold(c, v, Shown::Money, bold);
        }
        for (c, v) in [
            (3, pct(r.month_rate)),
            (5, pct(r.ytd_rate)),
            (7, pct(r.yoy)),
            (9, pct(r.mom)),
            (10, pct(r.schedule)),
            (11, r.gap),
        ] {
            w.figure_bold(c, v, Shown::Money, bold);
        }
        w.text(13, &r.rank_text(), false);
        w.text(14, &r.change_text(), false);
        w.text(15, r.band.as_deref().unwrap_or(""), false);
    }
    w.at_most(0, 18.0);
    w
}

/// The sheet `投资完成情况`.
pub(crate) fn statistics_sheet(st: &Statistics, config: &Config) -> XResult<Worksheet> {
    let h = headers(st);
    let refs: Vec<&str> = h.iter().map(String::as_str).collect();
    let w = widths(st, config);
    let mut ws = table_sheet(
        crate::layout::summary::SHEET_STATISTICS,
        &title(st),
        &subtitle(st),
        &refs,
        &w.0,
    )?;
    let last = (h.len() - 1) as u16;
    let mut r = TABLE_HEADER_ROW + 1;
    // Points down the page: the title, the subtitle and the header, roughly, then each row.
    let mut down = 32.0 + 6.0 * crate::write::measure::LINE_PT;
    for (heading, rows) in [
        ("一、按任务类别", &st.by_category),
        ("二、按单位", &st.by_unit),
    ] {
        ws.merge_range(
            r,
            0,
            r,
            last,
            heading,
            &fm::Cell::new(Kind::Text).bold().format(),
        )?;
        down += crate::write::measure::height_of(1);
        r += 1;
        for row in rows {
            down += write_row(&mut ws, r, row, config, &w)?;
            r += 1;
        }
    }
    // A table sent upward prints on one page when it can at 82 % or more.
    let page = crate::write::measure::A4_LANDSCAPE_DOWN_PX * 0.75;
    if down * PRINT_SCALE <= page {
        ws.set_print_fit_to_pages(1, 1);
    }
    Ok(ws)
}

fn write_row(
    ws: &mut Worksheet,
    r: u32,
    row: &StatRow,
    config: &Config,
    w: &Widths,
) -> XResult<f64> {
    let (fill, bold) = match row.kind {
        StatKind::Total => (Some(fm::TOTAL_FILL), true),
        StatKind::SecondTotal | StatKind::Section => (Some(fm::SUBTOTAL_FILL), true),
        _ => (None, false),
    };
    let marked = |m: bool| if m { Some(fm::DISPUTED_FILL) } else { fill };
    let money = |m: bool| {
        fm::Cell::new(Kind::Money)
            .fill(marked(m))
            .bold_if(bold)
            .format()
    };
    let dec = |m: bool| {
        fm::Cell::new(Kind::Decimal2)
            .fill(marked(m))
            .bold_if(bold)
            .format()
    };
    let name = label(row, config);
    let lf = match row.kind {
        StatKind::Unit => fm::Cell::new(Kind::Text).fill(fill).indent().format(),
        _ => fm::Cell::new(Kind::Text).fill(fill).bold_if(bold).format(),
    };
    text(ws, r, 0, &name, &lf)?;
    let this = row.marked();
    let s = &row.shown;
    num(ws, r, 1, s.plan, &money(false))?;
    if let Some(n) = &row.plan_note {
        note(ws, r, 1, n)?;
    }
    num(ws, r, 2, s.month, &money(this))?;
    num(ws, r, 3, pct(row.month_rate), &dec(this))?;
    num(ws, r, 4, s.ytd, &money(this))?;
    if let Some(why) = parts_note(&row.disputed, &row.missing) {
        note(ws, r, 4, &why)?;
    }
    num(ws, r, 5, pct(row.ytd_rate), &dec(this))?;
    num(ws, r, 6, s.last_year, &money(row.last_year_marked))?;
    if let Some(n) = &row.last_year_note {
        note(ws, r, 6, n)?;
    }
    num(ws, r, 7, pct(row.yoy), &dec(this || row.last_year_marked))?;
    if let (None, Some(n)) = (row.yoy, &row.yoy_note) {
        note(ws, r, 7, n)?;
    }
    num(ws, r, 8, s.last_month, &money(row.last_month_marked))?;
    if let Some(n) = &row.last_month_note {
        note(ws, r, 8, n)?;
    }
    num(ws, r, 9, pct(row.mom), &dec(this || row.last_month_marked))?;
    num(ws, r, 10, pct(row.schedule), &dec(false))?;
    num(ws, r, 11, row.gap, &dec(this))?;
    let covered = match row.kind {
        StatKind::Undivided | StatKind::LastYearOther => String::new(),
        _ => format!("{}/{}", row.reported, row.due),
    };
    text(
        ws,
        r,
        12,
        &covered,
        &fm::Cell::new(Kind::Center)
            .fill(fill)
            .bold_if(bold)
            .format(),
    )?;
    let center = fm::Cell::new(Kind::Center).fill(fill).format();
    text(ws, r, 13, &row.rank_text(), &center)?;
    if row.kind == StatKind::Unit && row.rank.is_some() && row.rank_change.is_none() {
        note(
            ws,
            r,
            14,
            "上月没有可比的排名（上月的累计数未采用或没有上月的月报）",
        )?;
    }
    text(ws, r, 14, &row.change_text(), &center)?;
    text(ws, r, 15, row.band.as_deref().unwrap_or(""), &center)?;
    let h = height(w, &[(0, &name, bold)]);
    ws.set_row_height(r, h)?;
    Ok(h)
}

/// The standalone workbook `<YYYY>年<M>月固定资产投资完成情况表.xlsx`: the same sheet, to
/// send upward.
pub(crate) fn statistics_workbook(st: &Statistics, config: &Config) -> XResult<Workbook> {
    let mut wb = Workbook::new();
    wb.set_properties(&crate::write::properties(&title(st)));
    wb.push_worksheet(statistics_sheet(st, config)?);
    let ws = wb.add_worksheet();
    ws.set_name(crate::layout::SHEET_META)?;
    ws.write_string(0, 0, "kind")?;
    ws.write_string(0, 1, "summary")?;
    ws.write_string(1, 0, crate::layout::meta::PERIOD)?;
    ws.write_string(1, 1, st.period.code())?;
    ws.set_hidden(true);
    Ok(wb)
}
