//! 总览: the roster and status counts, investment against plan, and the charts (with their data sheet 图表数据).

use super::common::*;
use crate::messages as msg;

pub(super) fn overview(s: &Summary, batch: &Batch) -> XResult<Worksheet> {
    let mut sheet = Worksheet::new();
    let ws = &mut sheet;
    ws.set_name(SHEET_OVERVIEW)?;
    let title = format!("{}重点任务进展汇总", s.period.label());
    ws.set_column_width(0, 22)?;
    ws.set_column_width(1, 16)?;
    ws.set_column_width(2, 16)?;
    ws.set_column_width(3, 60)?;
    ws.merge_range(0, 0, 0, 3, &title, &fm::title())?;
    ws.set_row_height(0, 36)?;
    let deadline = batch.deadline;
    ws.merge_range(
        1,
        0,
        1,
        3,
        &format!(
            "报送截止：{}年{}月{}日    应报单位：任务清单中的责任单位    金额单位：万元",
            deadline.year(),
            deadline.month(),
            deadline.day()
        ),
        &fm::subtitle(),
    )?;
    if !batch.notices.is_empty() {
        // What the office must know before reading any figure below.
        let warn = fm::Cell::new(Kind::Text)
            .fill(Some(fm::DISPUTED_FILL))
            .bold()
            .format();
        let notice = batch.notices.join("\n");
        ws.merge_range(2, 0, 2, 3, &clip(&notice), &warn)?;
        ws.set_row_height(2, 30.0 * batch.notices.len() as f64)?;
    }
    let h = fm::header();
    let key = fm::Cell::new(Kind::Text).bold().format();
    let count = fm::Cell::new(Kind::Count).format();
    let txt = fm::Cell::new(Kind::Text).format();
    let money = fm::Cell::new(Kind::Money).format();
    let pct = fm::Cell::new(Kind::Percent).format();
    let mut r = 3u32;

    // Reporting.
    let tally = &s.roster;
    ws.merge_range(r, 0, r, 3, "一、报送情况", &h)?;
    r += 1;
    let rows: Vec<(&str, usize, String)> = vec![
        ("应报单位", tally.due, String::new()),
        ("已报单位", tally.reported, String::new()),
        (
            "按时报送",
            tally.on_time,
            if tally.no_date.is_empty() {
                String::new()
            } else {
                format!("未填填报日期：{}", tally.no_date.join("、"))
            },
        ),
        ("逾期报送", tally.late.len(), tally.late.join("、")),
        ("未报单位", tally.missing.len(), tally.missing.join("、")),
        (
            "已报（无法识别）",
            tally.unrecognised.len(),
            if tally.unrecognised.is_empty() {
                String::new()
            } else {
                format!(
                    "{}：报来的文件读不出表格，见“数据校验”",
                    tally.unrecognised.join("、")
                )
            },
        ),
    ];
    for (k, v, names) in rows {
        text(ws, r, 0, k, &key)?;
        ws.write_number_with_format(r, 1, v as f64, &count)?;
        ws.merge_range(r, 2, r, 3, &clip(&names), &txt)?;
        ws.set_row_height(r, fm::row_height(&[(&names, 76.0)]))?;
        r += 1;
    }
    // Collective names of the task list, and whose units they stood for: another province
    // sees at once that it must define its own.
    for g in &batch.tasks.groups {
        let note = msg::group_expanded(&g.name, &g.members, &g.origin);
        text(ws, r, 0, "责任单位中的统称", &key)?;
        ws.write_number_with_format(r, 1, g.members.len() as f64, &count)?;
        ws.merge_range(r, 2, r, 3, &clip(&note), &txt)?;
        ws.set_row_height(r, fm::row_height(&[(&note, 76.0)]))?;
        r += 1;
    }
    r += 1;

    // Tasks by status.
    ws.merge_range(r, 0, r, 3, "二、任务进度", &h)?;
    r += 1;
    text(ws, r, 0, "任务总数", &key)?;
    ws.write_number_with_format(r, 1, s.tasks.len() as f64, &count)?;
    ws.merge_range(r, 2, r, 3, "", &txt)?;
    r += 1;
    for sc in &s.status_counts {
        if sc.tasks == 0 && !Status::QUANTITATIVE.contains(&sc.status) {
            continue;
        }
        let fill = status_fill(&sc.status);
        text(
            ws,
            r,
            0,
            sc.status.label(),
            &fm::Cell::new(Kind::Text).fill(fill).bold().format(),
        )?;
        ws.write_number_with_format(r, 1, sc.tasks as f64, &count)?;
        let ids = sc.listed.join("、");
        ws.merge_range(r, 2, r, 3, &clip(&ids), &txt)?;
        ws.set_row_height(r, fm::row_height(&[(&ids, 76.0)]))?;
        r += 1;
    }
    r += 1;

    // Investment.
    ws.merge_range(r, 0, r, 3, "三、固定资产投资（万元）", &h)?;
    r += 1;
    let total = s.invest.iter().find(|l| l.kind == InvestKind::Total);
    let (plan, month, ytd, rate) = total.map_or((0.0, None, None, None), |t| {
        (t.plan, t.month, t.ytd, t.rate)
    });
    for (k, v, f) in [
        ("本年计划投资", Some(plan), &money),
        ("本月完成投资", month, &money),
        ("自年初累计完成投资", ytd, &money),
        ("完成年计划", rate, &pct),
    ] {
        text(ws, r, 0, k, &key)?;
        num(ws, r, 1, v, f)?;
        ws.merge_range(r, 2, r, 3, "", &txt)?;
        r += 1;
    }
    r += 1;

    // Data problems.
    let (e, w, _) = batch.counts;
    ws.merge_range(r, 0, r, 3, "四、数据问题（明细见“数据校验”页）", &h)?;
    r += 1;
    let units_with_errors = &tally.with_errors;
    for (k, v, note, fill) in [
        (
            "错误",
            e,
            format!(
                "需退回修改的单位：{}",
                if units_with_errors.is_empty() {
                    "无".to_string()
                } else {
                    units_with_errors.join("、")
                }
            ),
            Some(fm::LAG_FILL),
        ),
        ("警告", w, "请核实".to_string(), Some(fm::LATE_FILL)),
    ] {
        text(
            ws,
            r,
            0,
            k,
            &fm::Cell::new(Kind::Text)
                .fill(if v > 0 { fill } else { None })
                .bold()
                .format(),
        )?;
        ws.write_number_with_format(r, 1, v as f64, &count)?;
        ws.merge_range(r, 2, r, 3, &clip(&note), &txt)?;
        ws.set_row_height(r, fm::row_height(&[(&note, 76.0)]))?;
        r += 1;
    }
    overview_charts(ws, s)?;
    fm::print_setup(ws, &title, 0)?;
    ws.set_print_fit_to_pages(1, 1);
    ws.set_active(true);
    Ok(sheet)
}

/// Rows of the chart data tables on the hidden 图表数据 sheet (first data row 1).
pub(super) struct ChartRows {
    categories: u32,
    units: u32,
    periods: u32,
}

pub(super) fn chart_rows(s: &Summary) -> ChartRows {
    ChartRows {
        categories: s.categories.iter().filter(|c| c.rate.is_some()).count() as u32,
        units: s
            .invest
            .iter()
            .filter(|l| l.kind == InvestKind::UnitSubtotal)
            .count() as u32,
        periods: s.periods.len() as u32,
    }
}

/// The data the charts of 总览 draw: completion rate per category, investment per unit,
/// year-to-date investment per month.
pub(super) fn chart_data_sheet(s: &Summary, config: &Config) -> XResult<Worksheet> {
    let mut sheet = Worksheet::new();
    let ws = &mut sheet;
    ws.set_name(SHEET_CHART_DATA)?;
    for (c, h) in [
        "类别",
        "完成率",
        "",
        "单位",
        "本年计划投资",
        "自年初累计完成投资",
        "",
        "月份",
        "自年初累计完成投资",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h)?;
    }
    let rated = s.categories.iter().filter(|c| c.rate.is_some());
    for (r, c) in (1..).zip(rated) {
        ws.write_string(r, 0, format!("{}（{}）", c.category, c.measure))?;
        ws.write_number(r, 1, c.rate.unwrap_or(0.0))?;
    }
    let units = s
        .invest
        .iter()
        .filter(|l| l.kind == InvestKind::UnitSubtotal);
    for (r, l) in (1..).zip(units) {
        ws.write_string(r, 3, config.short_name(&l.unit))?;
        ws.write_number(r, 4, l.plan)?;
        ws.write_number(r, 5, l.ytd.unwrap_or(0.0))?;
    }
    for (k, p) in s.periods.iter().enumerate() {
        let r = 1 + k as u32;
        ws.write_string(r, 7, p.label())?;
        let total = s.trend_invest_total[k].unwrap_or(0.0);
        ws.write_number(r, 8, total)?;
    }
    ws.set_hidden(true);
    Ok(sheet)
}

/// The charts of 总览, beside the figures so that they print on the same page.
pub(super) fn overview_charts(ws: &mut Worksheet, s: &Summary) -> XResult<()> {
    let rows = chart_rows(s);
    let data = SHEET_CHART_DATA;
    let mut top = 0u32;
    if rows.categories > 0 {
        let mut c = Chart::new(ChartType::Bar);
        c.add_series()
            .set_name("完成率")
            .set_categories((data, 1, 0, rows.categories, 0))
            .set_values((data, 1, 1, rows.categories, 1));
        c.title().set_name("各类别年度目标完成率");
        c.x_axis().set_name("完成率").set_num_format("0%");
        c.y_axis()
            .set_reverse()
            .set_font(rust_xlsxwriter::ChartFont::new().set_size(8));
        c.legend().set_hidden();
        let h = (70 + 26 * rows.categories).clamp(220, 420);
        c.set_width(560).set_height(h);
        ws.insert_chart_with_offset(3, 5, &c, 0, top)?;
        top += h + 12;
    }
    if rows.units > 0 {
        let mut c = Chart::new(ChartType::Column);
        c.add_series()
            .set_name("本年计划投资")
            .set_categories((data, 1, 3, rows.units, 3))
            .set_values((data, 1, 4, rows.units, 4));
        c.add_series()
            .set_name("自年初累计完成投资")
            .set_categories((data, 1, 3, rows.units, 3))
            .set_values((data, 1, 5, rows.units, 5));
        c.title().set_name("各单位投资计划与完成（万元）");
        c.x_axis().set_name("责任单位");
        c.y_axis().set_name("万元").set_num_format("#,##0");
        c.legend().set_position(ChartLegendPosition::Bottom);
        c.set_width(560).set_height(300);
        ws.insert_chart_with_offset(3, 5, &c, 0, top)?;
        top += 300 + 12;
    }
    if rows.periods > 1 {
        let mut c = Chart::new(ChartType::Line);
        c.add_series()
            .set_name("自年初累计完成投资")
            .set_categories((data, 1, 7, rows.periods, 7))
            .set_values((data, 1, 8, rows.periods, 8));
        c.title().set_name("各月自年初累计完成投资（万元）");
        c.x_axis().set_name("月份");
        c.y_axis().set_name("万元").set_num_format("#,##0");
        c.legend().set_hidden();
        c.set_width(560).set_height(240);
        ws.insert_chart_with_offset(3, 5, &c, 0, top)?;
    }
    Ok(())
}
