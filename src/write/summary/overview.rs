//! 总览: the roster and status counts, investment against plan, and the charts (with their
//! data sheet 图表数据). The table prints at full size on the first page; the charts follow
//! on pages of their own, two to a page.

use super::common::*;
use crate::consolidate::{Consolidated, UnitInvest};
use crate::messages as msg;
use crate::write::measure;

/// A line of the table: label, count or figure, detail.
struct Line {
    label: String,
    value: Value,
    detail: String,
    fill: Option<u32>,
    /// A figure that rests on disputed or missing parts: marked, with this note.
    mark: Option<String>,
}

enum Value {
    Count(usize),
    Money(Option<f64>),
    Rate(Option<f64>),
}

impl Line {
    fn count(label: &str, n: usize, detail: String) -> Line {
        Line {
            label: label.to_string(),
            value: Value::Count(n),
            detail,
            fill: None,
            mark: None,
        }
    }
}

/// The sections of the table, in order.
fn sections(s: &Summary, batch: &Batch, config: &Config) -> Vec<(String, Vec<Line>)> {
    let tally = &s.roster;
    let names = |v: &[String]| v.join("、");
    let mut reporting = vec![
        Line::count("应报单位", tally.due, String::new()),
        Line::count("已报单位", tally.reported, String::new()),
        Line::count(
            "按时报送",
            tally.on_time,
            if tally.no_date.is_empty() {
                String::new()
            } else {
                format!("未填填报日期：{}", names(&tally.no_date))
            },
        ),
        Line::count("逾期报送", tally.late.len(), names(&tally.late)),
        Line::count("未报单位", tally.missing.len(), names(&tally.missing)),
        Line::count(
            "已报（无法识别）",
            tally.unrecognised.len(),
            if tally.unrecognised.is_empty() {
                String::new()
            } else {
                format!(
                    "{}：报来的文件读不出表格，见“数据校验”",
                    names(&tally.unrecognised)
                )
            },
        ),
    ];
    if !tally.missing.is_empty() {
        reporting[4].fill = Some(fm::LAG_FILL);
    }
    // Collective names of the task list, and whose units they stood for: another province
    // sees at once that it must define its own.
    for g in &batch.tasks.groups {
        reporting.push(Line::count(
            "责任单位中的统称",
            g.members.len(),
            msg::group_expanded(&g.name, &g.members, &g.origin),
        ));
    }

    let mut progress = vec![Line::count("任务总数", s.tasks.len(), String::new())];
    for sc in &s.status_counts {
        if sc.tasks == 0 && !Status::QUANTITATIVE.contains(&sc.status) {
            continue;
        }
        let listed: Vec<String> = sc
            .listed
            .iter()
            .map(|(id, name)| format!("{id} {name}"))
            .collect();
        let mut line = Line::count(sc.status.label(), sc.tasks, listed.join("；"));
        line.fill = status_fill(&sc.status);
        progress.push(line);
    }

    let (plan, month, ytd, rate) = s
        .invest_total
        .as_ref()
        .map_or((None, None, None, None), |t| {
            (Some(t.plan), t.month, t.ytd, t.rate)
        });
    let money = |label: &str, v: Value| Line {
        label: label.to_string(),
        value: v,
        detail: String::new(),
        fill: None,
        mark: None,
    };
    // No project in the list nor in any return: there is no plan, not a plan of 0.
    let no_projects = !s.has_projects;
    let plan = plan.filter(|_| !no_projects);
    let mut plan_line = money("本年计划投资", Value::Money(plan));
    if no_projects {
        plan_line.detail = "任务清单和各单位月报中都没有投资项目".to_string();
    }
    let mut investment = vec![
        plan_line,
        money("本月完成投资", Value::Money(month)),
        money("自年初累计完成投资", Value::Money(ytd)),
        money("完成年计划", Value::Rate(rate)),
    ];
    // The total's figures rest on what its parts are: marked as on 固定资产投资.
    if let Some(t) = s.invest_total.as_ref().filter(|_| s.has_projects) {
        if let Some(why) = parts_note(&t.disputed, &t.missing) {
            for line in &mut investment[1..] {
                line.mark = Some(why.clone());
            }
        }
        if let Some((plan_in, rate_in)) = s.invest_reported_plan {
            investment[3].detail = format!(
                "按全部计划计算；已报部分的计划 {} 万元，按此为 {}",
                measure::shown(plan_in, Shown::Money),
                rate_in.map_or_else(|| "—".to_string(), |r| measure::shown(r, Shown::Percent))
            );
        }
    }

    let (e, w, _) = batch.counts;
    let with_errors = if tally.with_errors.is_empty() {
        "无".to_string()
    } else {
        tally
            .with_errors
            .iter()
            .map(|u| config.short_name(u))
            .collect::<Vec<_>>()
            .join("、")
    };
    let mut errors = Line::count("错误", e, format!("需退回修改的单位：{with_errors}"));
    errors.fill = (e > 0).then_some(fm::LAG_FILL);
    // Files that are no return, counted apart from the units' problems, said beside them
    // (a line of their own pushed the table past its page).
    let warn_detail = match batch.strays {
        0 => "请核实".to_string(),
        n => format!("请核实。另有 {n} 个文件不是月报，未参加汇总，见“数据校验”"),
    };
    let mut warnings = Line::count("警告", w, warn_detail);
    warnings.fill = (w > 0).then_some(fm::LATE_FILL);
    let problems = vec![errors, warnings];
    vec![
        ("一、报送情况".to_string(), reporting),
        ("二、任务进度".to_string(), progress),
        ("三、固定资产投资（万元）".to_string(), investment),
        ("四、数据问题（明细见“数据校验”页）".to_string(), problems),
    ]
}

/// The table's three columns: labels and figures as wide as they are, the details taking
/// the rest of a page at full size.
fn widths(sections: &[(String, Vec<Line>)]) -> Widths {
    let mut w = Widths(vec![8.0, 8.0, 0.0]);
    for (_, lines) in sections {
        for l in lines {
            w.text(0, &l.label, true);
            match l.value {
                Value::Count(n) => w.figure(1, Some(n as f64), Shown::Count),
                Value::Money(v) => w.figure(1, v, Shown::Money),
                Value::Rate(v) => w.figure(1, v, Shown::Percent),
            }
        }
    }
    // The rest of the page, at 100 %.
    let used = measure::page_px(w.get(0)) + measure::page_px(w.get(1));
    w.0[2] = ((measure::A4_LANDSCAPE_PX - used - 5.0 - 8.0) / 7.44).floor();
    w
}

pub(super) fn overview(c: &Consolidated<'_>, config: &Config) -> XResult<Worksheet> {
    let (s, batch) = (&c.summary, c.batch);
    let mut sheet = Worksheet::new();
    let ws = &mut sheet;
    ws.set_name(SHEET_OVERVIEW)?;
    let title = format!("{}重点任务进展汇总", s.period.label());
    let sections = sections(s, batch, config);
    let w = widths(&sections);
    for (c, width) in w.0.iter().enumerate() {
        ws.set_column_width(c as u16, *width)?;
    }
    let across = w.span(0, 2);
    ws.merge_range(0, 0, 0, 2, &title, &fm::title())?;
    ws.set_row_height(0, 30)?;
    let deadline = batch.deadline;
    let sub = format!(
        "报送截止：{}年{}月{}日    应报单位：任务清单中的责任单位    金额单位：万元    图表见下页",
        deadline.year(),
        deadline.month(),
        deadline.day()
    );
    ws.merge_range(1, 0, 1, 2, &sub, &fm::subtitle())?;
    let mut r = 2u32;
    if !batch.notices.is_empty() {
        // What the office must know before reading any figure below.
        let warn = fm::Cell::new(Kind::Text)
            .fill(Some(fm::DISPUTED_FILL))
            .bold()
            .format();
        let notice = batch.notices.join("\n");
        ws.merge_range(r, 0, r, 2, &clip(&notice), &warn)?;
        ws.set_row_height(r, measure::row_height(&[(&notice, across, true)]))?;
        r += 1;
    }
    let h = fm::header();
    for (heading, lines) in &sections {
        ws.merge_range(r, 0, r, 2, heading, &h)?;
        ws.set_row_height(r, 18)?;
        r += 1;
        for l in lines {
            let key = fm::Cell::new(Kind::Text).fill(l.fill).bold().format();
            text(ws, r, 0, &l.label, &key)?;
            let marked = l.mark.is_some().then_some(fm::DISPUTED_FILL);
            match l.value {
                Value::Count(n) => {
                    let f = fm::Cell::new(Kind::Count).format();
                    num(ws, r, 1, Some(n as f64), &f)?
                }
                Value::Money(v) => {
                    let f = fm::Cell::new(Kind::Money).fill(marked).format();
                    num(ws, r, 1, v, &f)?
                }
                Value::Rate(v) => {
                    let f = fm::Cell::new(Kind::Percent).fill(marked).format();
                    num(ws, r, 1, v, &f)?
                }
            }
            if let Some(why) = &l.mark {
                note(ws, r, 1, why)?;
            }
            text(ws, r, 2, &l.detail, &fm::Cell::new(Kind::Text).format())?;
            ws.set_row_height(r, height(&w, &[(0, &l.label, true), (2, &l.detail, false)]))?;
            r += 1;
        }
    }
    // The charts, after a page break: the table prints on its own page at full size.
    let (last, mut breaks) = overview_charts(ws, s, r + 1, w.span(0, 2))?;
    breaks.insert(0, r);
    ws.set_page_breaks(&breaks)?;
    fm::page_setup(ws, &title);
    ws.set_print_area(0, 0, last.max(r), 2)?;
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
        categories: s.rated_categories.len() as u32,
        units: s.unit_invest.len() as u32,
        periods: s.periods.len() as u32,
    }
}

/// A unit's label on the investment chart: its short name and plan, or that it did not
/// report.
fn unit_label(u: &UnitInvest, config: &Config) -> String {
    let short = config.short_name(&u.unit);
    let mut said = match (u.rate, u.ytd) {
        (Some(_), _) => format!("计划 {} 万元", measure::shown(u.plan, Shown::Whole)),
        // Reported, on shared projects only, none broken down: no plan of its own.
        (None, Some(_)) if u.left_out => "无本单位计划：共同项目未分解".to_string(),
        (None, Some(_)) => "无计划".to_string(),
        (None, None) => "未报".to_string(),
    };
    if u.rate.is_some() && u.left_out {
        said.push_str("，不含未分解的共同项目");
    }
    // A bar built on a disputed figure, or lacking an owed part, says so.
    if u.rate.is_some() && u.disputed {
        said.push_str("，含待核数");
    }
    if u.rate.is_some() && u.lacking {
        said.push_str("，有缺报");
    }
    format!("{short}（{said}）")
}

/// The data the charts of 总览 draw: completion rate and 序时进度 per category, investment
/// completion per unit, year-to-date investment per month.
pub(super) fn chart_data_sheet(s: &Summary, config: &Config) -> XResult<Worksheet> {
    let mut sheet = Worksheet::new();
    let ws = &mut sheet;
    ws.set_name(SHEET_CHART_DATA)?;
    for (c, h) in [
        "类别",
        "完成率",
        "序时进度",
        "",
        "单位",
        "完成率",
        "",
        "月份",
        "自年初累计完成投资",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h)?;
    }
    let rated = s.rated_categories.iter().map(|&i| &s.categories[i]);
    for (r, c) in (1..).zip(rated) {
        // A bar built on a task with a disputed or missing part says so.
        let unverified = if c.unverified.is_empty() {
            ""
        } else {
            "，含待核"
        };
        ws.write_string(r, 0, format!("{}（{}{unverified}）", c.category, c.measure))?;
        ws.write_number(r, 1, c.rate.unwrap_or(0.0))?;
        if let Some(sch) = c.schedule {
            ws.write_number(r, 2, sch)?;
        }
    }
    for (r, u) in (1..).zip(&s.unit_invest) {
        ws.write_string(r, 4, unit_label(u, config))?;
        // A unit that did not report has no bar, not a bar of 0.
        if let Some(rate) = u.rate {
            ws.write_number(r, 5, rate)?;
        }
    }
    for (k, p) in s.periods.iter().enumerate() {
        let r = 1 + k as u32;
        ws.write_string(r, 7, p.label())?;
        if let Some(total) = s.trend_invest_total[k] {
            ws.write_number(r, 8, total)?;
        }
    }
    ws.set_hidden(true);
    Ok(sheet)
}

/// Pixels of a default row (15 points), where the charts stand.
const ROW_PX: u32 = 20;
/// The height of a chart, two to a landscape page.
const CHART_PX: u32 = 290;
/// What a landscape page holds down, at full size.
const PAGE_PX: u32 = measure::A4_LANDSCAPE_DOWN_PX as u32;

fn chart_font() -> rust_xlsxwriter::ChartFont {
    rust_xlsxwriter::ChartFont::new()
        .set_name(fm::FONT)
        .set_size(9)
        .clone()
}

/// The charts of 总览 from row `top` down, `across` units wide, two to a page: completion
/// by category against 序时进度, investment completion by unit, and the monthly trend when
/// earlier months exist. Returns the last row they cover and the page breaks between them.
pub(super) fn overview_charts(
    ws: &mut Worksheet,
    s: &Summary,
    top: u32,
    across: f64,
) -> XResult<(u32, Vec<u32>)> {
    use rust_xlsxwriter::{ChartDataLabel, ChartDataLabelPosition, ChartMarker, ChartMarkerType};
    let rows = chart_rows(s);
    let data = SHEET_CHART_DATA;
    // Within the columns in both programs: Excel draws them narrower.
    let width = measure::units_to_px(across) as u32 - 10;
    // Each chart, and whether it is the units' chart.
    let mut charts: Vec<(Chart, bool)> = Vec::new();
    if rows.categories > 0 {
        let n = rows.categories;
        let mut c = Chart::new(ChartType::Column);
        c.add_series()
            .set_name((data, 0, 1))
            .set_categories((data, 1, 0, n, 0))
            .set_values((data, 1, 1, n, 1))
            .set_data_label(
                ChartDataLabel::new()
                    .show_value()
                    .set_num_format("0.0%")
                    .set_font(&chart_font()),
            );
        let mut line = Chart::new(ChartType::Line);
        line.add_series()
            .set_name((data, 0, 2))
            .set_categories((data, 1, 0, n, 0))
            .set_values((data, 1, 2, n, 2))
            .set_marker(ChartMarker::new().set_type(ChartMarkerType::Diamond));
        c.combine(&line);
        c.title().set_name("各类别年度目标完成率与序时进度");
        c.x_axis().set_font(&chart_font());
        c.y_axis()
            .set_name("完成率（%）")
            .set_num_format("0%")
            .set_min(0.0)
            .set_font(&chart_font());
        c.legend().set_position(ChartLegendPosition::Bottom);
        charts.push((c, false));
    }
    if rows.units > 0 {
        let n = rows.units;
        let mut c = Chart::new(ChartType::Bar);
        c.add_series()
            .set_name("自年初累计完成投资 ÷ 本年计划投资")
            .set_categories((data, 1, 4, n, 4))
            .set_values((data, 1, 5, n, 5))
            .set_data_label(
                ChartDataLabel::new()
                    .show_value()
                    .set_num_format("0.0%")
                    .set_position(ChartDataLabelPosition::OutsideEnd)
                    .set_font(&chart_font()),
            );
        c.title()
            .set_name("各单位投资完成率（按完成率排列，未报的单位不画条）");
        c.x_axis()
            .set_name("完成率（%）")
            .set_num_format("0%")
            .set_min(0.0)
            .set_font(&chart_font());
        c.y_axis().set_reverse().set_font(&chart_font());
        c.legend().set_hidden();
        charts.push((c, true));
    }
    if rows.periods > 1 {
        let n = rows.periods;
        let mut c = Chart::new(ChartType::Line);
        c.add_series()
            .set_name("自年初累计完成投资")
            .set_categories((data, 1, 7, n, 7))
            .set_values((data, 1, 8, n, 8))
            .set_marker(ChartMarker::new().set_type(ChartMarkerType::Circle))
            .set_data_label(
                ChartDataLabel::new()
                    .show_value()
                    .set_num_format("#,##0")
                    .set_position(ChartDataLabelPosition::Above)
                    .set_font(&chart_font()),
            );
        c.title().set_name("各月自年初累计完成投资（万元）");
        c.x_axis().set_font(&chart_font());
        c.y_axis()
            .set_name("万元")
            .set_num_format("#,##0")
            .set_font(&chart_font());
        c.legend().set_hidden();
        charts.push((c, false));
    }
    // The two short charts together, the units' last.
    charts.sort_by_key(|(_, units)| *units);
    // The category chart and the trend share a page; the units' chart, a bar a unit, has
    // one of its own, as tall as its units need (up to the page).
    let unit_px = (22 * rows.units + 110).clamp(CHART_PX, PAGE_PX - 2 * ROW_PX);
    let mut row = top;
    let mut breaks = Vec::new();
    let mut on_page = 0;
    for (c, is_units) in charts.iter_mut() {
        let px = if *is_units { unit_px } else { CHART_PX };
        if on_page > 0 && (*is_units || on_page + px > PAGE_PX) {
            breaks.push(row);
            on_page = 0;
        }
        c.set_width(width).set_height(px);
        ws.insert_chart(row, 0, c)?;
        row += px.div_ceil(ROW_PX) + 1;
        on_page += px + ROW_PX;
        if *is_units {
            on_page = PAGE_PX;
        }
    }
    Ok((row, breaks))
}
