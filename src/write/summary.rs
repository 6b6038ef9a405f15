//! The summary workbook (汇总表): every sheet of DESIGN.md §2.3, formatted to print.

use std::collections::HashMap;

use chrono::Datelike;
use rust_xlsxwriter::{
    Chart, ChartLegendPosition, ChartType, ExcelDateTime, Format, Url, Workbook, Worksheet,
    XlsxError,
};

use super::formats::{self as fm, Kind};
use crate::config::Config;
use crate::consolidate::{DONE, InvestKind, LAGGING, NOT_STARTED, ON_SCHEDULE, Summary, TaskLine};
use crate::layout::{self, MAX_CELL_CHARS};
use crate::model::{Level, ProgressRow};
use crate::validate::Batch;

type XResult<T> = Result<T, XlsxError>;

/// Sheet names, in order.
pub const SHEET_OVERVIEW: &str = "总览";
pub const SHEET_TASKS: &str = "任务进展";
pub const SHEET_CATEGORIES: &str = "分类汇总";
pub const SHEET_INVEST: &str = "固定资产投资";
pub const SHEET_ROSTER: &str = "单位报送情况";
pub const SHEET_TREND: &str = "月度趋势";
pub const SHEET_PROBLEMS: &str = "存在问题汇总";
pub const SHEET_FINDINGS: &str = "数据校验";
pub const SHEET_SOURCES: &str = "数据来源";
pub const SHEET_CHART_DATA: &str = "图表数据";

/// Header rows of the table sheets: title, subtitle, header.
pub const TABLE_HEADER_ROW: u32 = 2;

/// Column headers of each table sheet.
pub const TASK_HEADERS: [&str; 13] = [
    "任务编号",
    "任务类别",
    "任务名称",
    "责任单位",
    "计量单位",
    "年度目标",
    "本月完成",
    "自年初累计完成",
    "完成率",
    "序时进度",
    "进度状态",
    "本月工作进展",
    "存在问题",
];
pub const CATEGORY_HEADERS: [&str; 7] = [
    "任务类别",
    "计量单位",
    "任务数",
    "年度目标",
    "本月完成",
    "自年初累计完成",
    "完成率",
];
pub const INVEST_HEADERS: [&str; 15] = [
    "项目编号",
    "项目名称",
    "任务类别",
    "责任单位",
    "建设性质",
    "本年计划投资（万元）",
    "本月完成投资（万元）",
    "自年初累计完成投资（万元）",
    "完成率",
    "其中：中央车购税",
    "其中：省级资金",
    "其中：市县资金",
    "其中：银行贷款",
    "其中：其他资金",
    "形象进度",
];
pub const ROSTER_HEADERS: [&str; 9] = [
    "序号",
    "单位",
    "应报任务数",
    "报送情况",
    "填报日期",
    "是否按时",
    "文件",
    "错误",
    "警告",
];
pub const PROBLEM_HEADERS: [&str; 6] = [
    "任务编号",
    "任务类别",
    "任务名称",
    "单位",
    "存在问题",
    "下步工作打算",
];
pub const SOURCE_HEADERS: [&str; 10] = [
    "任务/项目编号",
    "名称",
    "单位",
    "报送月份",
    "字段",
    "数值",
    "文件",
    "工作表",
    "单元格",
    "打开原表",
];
pub const FINDING_HEADERS: [&str; 7] = ["级别", "代码", "单位", "文件", "工作表", "单元格", "说明"];

/// Text as a cell can hold it.
fn clip(s: &str) -> String {
    // A string of at most MAX_CELL_CHARS bytes has at most as many characters.
    if s.len() <= MAX_CELL_CHARS || s.chars().count() <= MAX_CELL_CHARS {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(MAX_CELL_CHARS - 20).collect();
        t.push_str("…（内容过长，已截断）");
        t
    }
}

fn text(ws: &mut Worksheet, r: u32, c: u16, s: &str, f: &Format) -> XResult<()> {
    ws.write_string_with_format(r, c, clip(s), f)?;
    Ok(())
}

fn num(ws: &mut Worksheet, r: u32, c: u16, v: Option<f64>, f: &Format) -> XResult<()> {
    match v {
        Some(v) => ws.write_number_with_format(r, c, v, f)?,
        None => ws.write_blank(r, c, f)?,
    };
    Ok(())
}

/// A table sheet: title across the table, subtitle, header row, frozen, print setup.
fn table_sheet(
    name: &str,
    title: &str,
    subtitle: &str,
    headers: &[&str],
    widths: &[f64],
) -> XResult<Worksheet> {
    let mut ws = Worksheet::new();
    table_sheet_on(&mut ws, name, title, subtitle, headers, widths)?;
    Ok(ws)
}

/// Sets up `ws` as a table sheet, writing its first rows in order (so that a sheet in
/// streamed (low- or constant-memory) mode can take it).
fn table_sheet_on(
    ws: &mut Worksheet,
    name: &str,
    title: &str,
    subtitle: &str,
    headers: &[&str],
    widths: &[f64],
) -> XResult<()> {
    ws.set_name(name)?;
    let last = headers.len() as u16 - 1;
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.merge_range(0, 0, 0, last, title, &fm::title())?;
    ws.set_row_height(0, 32)?;
    if last > 0 {
        ws.merge_range(1, 0, 1, last, subtitle, &fm::subtitle())?;
    } else {
        ws.write_string_with_format(1, 0, subtitle, &fm::subtitle())?;
    }
    let h = fm::header();
    for (c, t) in headers.iter().enumerate() {
        ws.write_string_with_format(TABLE_HEADER_ROW, c as u16, *t, &h)?;
    }
    ws.set_row_height(TABLE_HEADER_ROW, 32)?;
    ws.set_freeze_panes(TABLE_HEADER_ROW + 1, 0)?;
    fm::print_setup(ws, title, TABLE_HEADER_ROW)?;
    Ok(())
}

/// The fill of a row by its 进度状态.
fn status_fill(status: &str) -> Option<u32> {
    match status {
        LAGGING => Some(fm::LAG_FILL),
        DONE => Some(fm::DONE_FILL),
        _ => None,
    }
}

/// Each unit's first row per task, in roster order.
type RowsByTask<'a> = HashMap<&'a str, Vec<(&'a str, &'a ProgressRow)>>;

fn rows_by_task(batch: &Batch) -> RowsByTask<'_> {
    let mut map: RowsByTask<'_> = HashMap::new();
    for r in &batch.current {
        let mut seen = std::collections::HashSet::new();
        for row in &r.progress {
            if seen.insert(row.task_id.value.as_str()) {
                map.entry(row.task_id.value.as_str())
                    .or_default()
                    .push((&r.unit, row));
            }
        }
    }
    map
}

/// Each unit's text for a task, prefixed 【unit】, in roster order.
fn unit_texts(
    rows: &RowsByTask<'_>,
    config: &Config,
    id: &str,
    get: impl Fn(&ProgressRow) -> &str,
) -> String {
    let mut parts = Vec::new();
    for (unit, row) in rows.get(id).into_iter().flatten() {
        let t = get(row).trim();
        if !t.is_empty() && t != "无" {
            parts.push(format!("【{}】{}", config.short_name(unit), t));
        }
    }
    parts.join("\n")
}

/// Builds the summary workbook. `link_prefix` is the input folder relative to the output
/// folder (`../samples`), for the links of 数据来源.
pub fn summary_workbook(
    s: &Summary,
    batch: &Batch,
    config: &Config,
    link_prefix: &str,
) -> XResult<Workbook> {
    let (sources, others) = rayon::join(
        || sources_workbook(batch, link_prefix),
        || other_sheets(list_sheets(batch, config)?, s, batch, config),
    );
    assemble(sources?, others?, s)
}

/// The summary's workbook with 数据来源 only, a row per consolidated figure: the longest
/// sheet, built on its own thread while the others are built on the other. It is streamed to
/// a temporary file (rust_xlsxwriter's low-memory mode); where no temporary file can be made
/// it is held in memory. [`assemble`] puts the other sheets around it.
pub fn sources_workbook(batch: &Batch, link_prefix: &str) -> XResult<Workbook> {
    let mut wb = Workbook::new();
    let title = format!("{}重点任务进展汇总", batch.period.label());
    wb.set_properties(&super::properties(&title));
    // Faster than the default level 6 (about half the time) for a file about a quarter larger.
    wb.set_zip_compression_level(2);
    // Streamed to a temporary file, its repeated texts (file, unit, sheet, field) shared
    // once in the workbook's string table: a smaller sheet to write and to compress.
    if wb.add_worksheet_with_low_memory().is_err() {
        wb.add_worksheet();
    }
    if let Some(ws) = wb.worksheets_mut().last_mut() {
        sources_sheet(ws, batch, link_prefix, MAX_LINKS)?;
    }
    Ok(wb)
}

/// The sheets that need only the checked batch (报送情况, 问题汇总, 数据校验), so that they
/// can be built while the consolidation runs.
pub struct ListSheets {
    roster: Worksheet,
    problems: Worksheet,
    findings: Worksheet,
}

pub fn list_sheets(batch: &Batch, config: &Config) -> XResult<ListSheets> {
    Ok(ListSheets {
        roster: roster_sheet(batch)?,
        problems: problems_sheet(batch, config)?,
        findings: findings_sheet(batch)?,
    })
}

/// Every sheet of the summary but 数据来源, in the contract's order: those before it and
/// those after it.
pub struct OtherSheets {
    before: Vec<Worksheet>,
    after: Vec<Worksheet>,
}

/// Builds the consolidated sheets (in two groups, side by side when a thread is free) and
/// puts them with the lists in the contract's order.
pub fn other_sheets(
    lists: ListSheets,
    s: &Summary,
    batch: &Batch,
    config: &Config,
) -> XResult<OtherSheets> {
    let (first, last) = rayon::join(
        || -> XResult<[Worksheet; 3]> {
            Ok([
                overview(s, batch)?,
                tasks_sheet(s, batch, config)?,
                categories_sheet(s)?,
            ])
        },
        || -> XResult<(Worksheet, Option<Worksheet>, Worksheet)> {
            let trend = match s.periods.len() > 1 {
                true => Some(trend_sheet(s)?),
                false => None,
            };
            Ok((
                invest_sheet(s, config)?,
                trend,
                chart_data_sheet(s, config)?,
            ))
        },
    );
    let (invest, trend, chart_data) = last?;
    let ListSheets {
        roster,
        problems,
        findings,
    } = lists;
    let mut before: Vec<Worksheet> = first?.into();
    before.push(invest);
    before.push(roster);
    before.extend(trend);
    before.push(problems);
    before.push(findings);
    Ok(OtherSheets {
        before,
        after: vec![chart_data],
    })
}

/// Puts the other sheets around 数据来源 and adds the hidden identity sheet.
pub fn assemble(mut wb: Workbook, others: OtherSheets, s: &Summary) -> XResult<Workbook> {
    let OtherSheets { before, after } = others;
    let n = before.len();
    wb.worksheets_mut().splice(0..0, before);
    debug_assert_eq!(wb.worksheets_mut()[n].name(), SHEET_SOURCES);
    for ws in after {
        wb.push_worksheet(ws);
    }
    let ws = wb.add_worksheet();
    ws.set_name(layout::SHEET_META)?;
    ws.write_string(0, 0, "kind")?;
    ws.write_string(0, 1, "summary")?;
    ws.write_string(1, 0, layout::meta::PERIOD)?;
    ws.write_string(1, 1, s.period.code())?;
    ws.set_hidden(true);
    Ok(wb)
}

fn overview(s: &Summary, batch: &Batch) -> XResult<Worksheet> {
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
    let deadline = crate::validate::deadline(s.period, batch.deadline_day);
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
    let h = fm::header();
    let key = fm::cell(Kind::Text, None, false, true);
    let count = fm::cell(Kind::Count, None, false, false);
    let txt = fm::cell(Kind::Text, None, false, false);
    let money = fm::cell(Kind::Money, None, false, false);
    let pct = fm::cell(Kind::Percent, None, false, false);
    let mut r = 3u32;

    // Reporting.
    let roster = &batch.roster;
    let reported = roster.iter().filter(|x| x.state == "已报").count();
    let on_time = roster.iter().filter(|x| x.on_time == Some(true)).count();
    let late: Vec<&str> = roster
        .iter()
        .filter(|x| x.on_time == Some(false))
        .map(|x| x.unit.as_str())
        .collect();
    let missing: Vec<&str> = roster
        .iter()
        .filter(|x| x.state != "已报")
        .map(|x| x.unit.as_str())
        .collect();
    let no_date: Vec<&str> = roster
        .iter()
        .filter(|x| x.state == "已报" && x.on_time.is_none())
        .map(|x| x.unit.as_str())
        .collect();
    ws.merge_range(r, 0, r, 3, "一、报送情况", &h)?;
    r += 1;
    let rows: Vec<(&str, usize, String)> = vec![
        ("应报单位", roster.len(), String::new()),
        ("已报单位", reported, String::new()),
        (
            "按时报送",
            on_time,
            if no_date.is_empty() {
                String::new()
            } else {
                format!("未填填报日期：{}", no_date.join("、"))
            },
        ),
        ("逾期报送", late.len(), late.join("、")),
        ("未报单位", missing.len(), missing.join("、")),
    ];
    for (k, v, names) in rows {
        text(ws, r, 0, k, &key)?;
        ws.write_number_with_format(r, 1, v as f64, &count)?;
        ws.merge_range(r, 2, r, 3, &clip(&names), &txt)?;
        ws.set_row_height(r, fm::row_height(&[(&names, 76.0)]))?;
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
    for (status, n) in &s.status_counts {
        if *n == 0 && ![DONE, ON_SCHEDULE, LAGGING, NOT_STARTED].contains(&status.as_str()) {
            continue;
        }
        let fill = status_fill(status);
        text(ws, r, 0, status, &fm::cell(Kind::Text, fill, false, true))?;
        ws.write_number_with_format(r, 1, *n as f64, &count)?;
        let ids: Vec<&str> = s
            .tasks
            .iter()
            .filter(|t| &t.status == status && (status == LAGGING || status == NOT_STARTED))
            .map(|t| t.id.as_str())
            .collect();
        let ids = ids.join("、");
        ws.merge_range(r, 2, r, 3, &clip(&ids), &txt)?;
        ws.set_row_height(r, fm::row_height(&[(&ids, 76.0)]))?;
        r += 1;
    }
    r += 1;

    // Investment.
    ws.merge_range(r, 0, r, 3, "三、固定资产投资（万元）", &h)?;
    r += 1;
    let total = s.invest.iter().find(|l| l.kind == InvestKind::Total);
    let (plan, month, ytd) = total.map_or((0.0, None, None), |t| (t.plan, t.month, t.ytd));
    for (k, v, f) in [
        ("本年计划投资", Some(plan), &money),
        ("本月完成投资", month, &money),
        ("自年初累计完成投资", ytd, &money),
        (
            "完成年计划",
            ytd.filter(|_| plan > 0.0).map(|y| y / plan),
            &pct,
        ),
    ] {
        text(ws, r, 0, k, &key)?;
        num(ws, r, 1, v, f)?;
        ws.merge_range(r, 2, r, 3, "", &txt)?;
        r += 1;
    }
    r += 1;

    // Data problems.
    let (e, w, _) = crate::app::counts(&batch.findings);
    ws.merge_range(r, 0, r, 3, "四、数据问题（明细见“数据校验”页）", &h)?;
    r += 1;
    let units_with_errors: Vec<&str> = roster
        .iter()
        .filter(|x| x.errors > 0)
        .map(|x| x.unit.as_str())
        .collect();
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
            &fm::cell(Kind::Text, if v > 0 { fill } else { None }, false, true),
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
struct ChartRows {
    categories: u32,
    units: u32,
    periods: u32,
}

fn chart_rows(s: &Summary) -> ChartRows {
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
fn chart_data_sheet(s: &Summary, config: &Config) -> XResult<Worksheet> {
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
        let total: f64 = s.trend_invest.iter().filter_map(|(_, v)| v[k]).sum();
        ws.write_number(r, 8, total)?;
    }
    ws.set_hidden(true);
    Ok(sheet)
}

/// The charts of 总览, beside the figures so that they print on the same page.
fn overview_charts(ws: &mut Worksheet, s: &Summary) -> XResult<()> {
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

fn tasks_sheet(s: &Summary, batch: &Batch, config: &Config) -> XResult<Worksheet> {
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
    let rows = rows_by_task(batch);
    let mut r = TABLE_HEADER_ROW + 1;
    for t in &s.tasks {
        write_task_row(ws, r, t, &rows, config)?;
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

fn write_task_row(
    ws: &mut Worksheet,
    r: u32,
    t: &TaskLine,
    rows: &RowsByTask<'_>,
    config: &Config,
) -> XResult<()> {
    let fill = status_fill(&t.status);
    let tx = fm::cell(Kind::Text, fill, false, false);
    let ce = fm::cell(Kind::Center, fill, false, false);
    let q = fm::cell(Kind::Quantity, fill, false, false);
    let p = fm::cell(Kind::Percent, fill, false, false);
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
        &t.status,
        &fm::cell(Kind::Center, fill, false, true),
    )?;
    let progress = unit_texts(rows, config, &t.id, |p| &p.progress.value);
    let problems = unit_texts(rows, config, &t.id, |p| &p.problems.value);
    text(ws, r, 11, &progress, &tx)?;
    text(ws, r, 12, &problems, &tx)?;
    let joined = units.join("、");
    ws.set_row_height(
        r,
        fm::row_height(&[
            (&t.name, 24.0),
            (&joined, 16.0),
            (&progress, 44.0),
            (&problems, 26.0),
        ]),
    )?;
    Ok(())
}

fn categories_sheet(s: &Summary) -> XResult<Worksheet> {
    let title = format!("{}重点任务分类汇总", s.period.label());
    let mut statuses: Vec<&str> = vec![DONE, ON_SCHEDULE, LAGGING, NOT_STARTED];
    for t in &s.tasks {
        if !statuses.contains(&t.status.as_str()) {
            statuses.push(&t.status);
        }
    }
    let mut headers: Vec<&str> = CATEGORY_HEADERS.to_vec();
    headers.extend(statuses.iter().copied());
    let mut widths = vec![12.0, 8.0, 7.0, 10.0, 10.0, 12.0, 8.0];
    widths.extend(statuses.iter().map(|_| 9.0));
    let mut sheet = table_sheet(
        SHEET_CATEGORIES,
        &title,
        "同一类别按计量单位分行汇总；定性任务（计量单位为“—”）只统计任务数和状态。右侧各列为该行任务按进度状态的个数。",
        &headers,
        &widths,
    )?;
    let ws = &mut sheet;
    let tx = fm::cell(Kind::Center, None, false, false);
    let q = fm::cell(Kind::Quantity, None, false, false);
    let p = fm::cell(Kind::Percent, None, false, false);
    let c = fm::cell(Kind::Count, None, false, false);
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
        num(ws, r, 4, line.month, &q)?;
        num(ws, r, 5, line.ytd, &q)?;
        num(ws, r, 6, line.rate, &p)?;
        for (k, st) in statuses.iter().enumerate() {
            let n = s
                .tasks
                .iter()
                .filter(|t| {
                    t.category == line.category
                        && (if t.quantitative { &t.measure } else { "" }) == line.measure
                        && t.status == *st
                })
                .count();
            ws.write_number_with_format(r, 7 + k as u16, n as f64, &c)?;
        }
        r += 1;
    }
    let tot = fm::cell(Kind::Center, Some(fm::TOTAL_FILL), false, true);
    let totc = fm::cell(Kind::Count, Some(fm::TOTAL_FILL), false, true);
    text(ws, r, 0, "合计", &tot)?;
    text(ws, r, 1, "", &tot)?;
    ws.write_number_with_format(r, 2, s.tasks.len() as f64, &totc)?;
    for col in 3..7 {
        ws.write_blank(r, col, &tot)?;
    }
    for (k, st) in statuses.iter().enumerate() {
        let n = s.tasks.iter().filter(|t| t.status == *st).count();
        ws.write_number_with_format(r, 7 + k as u16, n as f64, &totc)?;
    }
    Ok(sheet)
}

fn invest_sheet(s: &Summary, config: &Config) -> XResult<Worksheet> {
    let title = format!("{}交通固定资产投资完成情况", s.period.label());
    let widths = [
        9.0, 24.0, 10.0, 14.0, 7.0, 12.0, 11.0, 12.0, 7.5, 11.0, 11.0, 11.0, 11.0, 11.0, 16.0,
    ];
    let mut sheet = table_sheet(
        SHEET_INVEST,
        &title,
        "单位：万元。多家单位共同负责的项目按单位分行，本年计划投资按责任单位平分。先按类别列出项目和类别小计，再按单位小计，最后为合计。",
        &INVEST_HEADERS,
        &widths,
    )?;
    let ws = &mut sheet;
    let mut r = TABLE_HEADER_ROW + 1;
    let mut unit_header_done = false;
    for l in &s.invest {
        let (fill, bold) = match l.kind {
            InvestKind::Project => (None, false),
            InvestKind::CategorySubtotal | InvestKind::UnitSubtotal => {
                (Some(fm::SUBTOTAL_FILL), true)
            }
            InvestKind::Total => (Some(fm::TOTAL_FILL), true),
        };
        if l.kind == InvestKind::UnitSubtotal && !unit_header_done {
            unit_header_done = true;
            ws.merge_range(r, 0, r, 14, "按责任单位汇总", &fm::header())?;
            r += 1;
        }
        let tx = fm::cell(Kind::Text, fill, false, bold);
        let ce = fm::cell(Kind::Center, fill, false, bold);
        let m = fm::cell(Kind::Money, fill, false, bold);
        let p = fm::cell(Kind::Percent, fill, false, bold);
        let (id, name, cat, unit) = match l.kind {
            InvestKind::Project => (
                l.project_id.clone(),
                l.project_name.clone(),
                l.category.clone(),
                config.short_name(&l.unit).to_string(),
            ),
            InvestKind::CategorySubtotal => (
                String::new(),
                format!("{}小计", l.category),
                l.category.clone(),
                String::new(),
            ),
            InvestKind::UnitSubtotal => (
                String::new(),
                format!("{}小计", config.short_name(&l.unit)),
                String::new(),
                l.unit.clone(),
            ),
            InvestKind::Total => (
                String::new(),
                "合计".to_string(),
                String::new(),
                String::new(),
            ),
        };
        text(ws, r, 0, &id, &ce)?;
        text(ws, r, 1, &name, &tx)?;
        text(ws, r, 2, &cat, &ce)?;
        text(ws, r, 3, &unit, &tx)?;
        text(ws, r, 4, &l.nature, &ce)?;
        num(ws, r, 5, Some(l.plan), &m)?;
        num(ws, r, 6, l.month, &m)?;
        num(ws, r, 7, l.ytd, &m)?;
        num(ws, r, 8, l.rate, &p)?;
        for k in 0..5 {
            num(ws, r, 9 + k as u16, l.funds[k], &m)?;
        }
        let image = if l.kind == InvestKind::Project && !l.reported {
            "（本月未报）".to_string()
        } else {
            l.image.clone()
        };
        text(ws, r, 14, &image, &tx)?;
        ws.set_row_height(
            r,
            fm::row_height(&[(&name, 24.0), (&unit, 14.0), (&image, 16.0)]),
        )?;
        r += 1;
    }
    Ok(sheet)
}

fn roster_sheet(batch: &Batch) -> XResult<Worksheet> {
    let title = format!("{}各单位报送情况", batch.period.label());
    let d = crate::validate::deadline(batch.period, batch.deadline_day);
    let sub = format!(
        "报送截止日：{}。红色为未报或无法读取，黄色为逾期。",
        d.format("%Y-%m-%d")
    );
    let widths = [6.0, 24.0, 9.0, 10.0, 12.0, 9.0, 48.0, 7.0, 7.0];
    let mut sheet = table_sheet(SHEET_ROSTER, &title, &sub, &ROSTER_HEADERS, &widths)?;
    let ws = &mut sheet;
    for (r, (i, e)) in (TABLE_HEADER_ROW + 1..).zip(batch.roster.iter().enumerate()) {
        let fill = if e.state != "已报" {
            Some(fm::LAG_FILL)
        } else if e.on_time == Some(false) {
            Some(fm::LATE_FILL)
        } else {
            None
        };
        let tx = fm::cell(Kind::Text, fill, false, false);
        let ce = fm::cell(Kind::Center, fill, false, false);
        let c = fm::cell(Kind::Count, fill, false, false);
        ws.write_number_with_format(r, 0, (i + 1) as f64, &c)?;
        text(ws, r, 1, &e.unit, &tx)?;
        ws.write_number_with_format(r, 2, e.tasks_due as f64, &c)?;
        text(ws, r, 3, e.state, &ce)?;
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
                    &fm::cell(Kind::Date, fill, false, false),
                )?;
            }
            None => text(ws, r, 4, if e.state == "已报" { "未填" } else { "" }, &ce)?,
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

fn trend_sheet(s: &Summary) -> XResult<Worksheet> {
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
    let ce = fm::cell(Kind::Center, None, false, false);
    let q = fm::cell(Kind::Quantity, None, false, false);
    let m = fm::cell(Kind::Money, None, false, false);
    let mut r = TABLE_HEADER_ROW + 1;
    for (cat, measure, vals) in &s.trend_progress {
        text(ws, r, 0, cat, &ce)?;
        text(ws, r, 1, measure, &ce)?;
        for (k, v) in vals.iter().enumerate() {
            num(ws, r, 2 + k as u16, *v, &q)?;
        }
        r += 1;
    }
    let mut totals = vec![None::<f64>; s.periods.len()];
    for (cat, vals) in &s.trend_invest {
        text(ws, r, 0, &format!("{cat}投资"), &ce)?;
        text(ws, r, 1, "万元", &ce)?;
        for (k, v) in vals.iter().enumerate() {
            num(ws, r, 2 + k as u16, *v, &m)?;
            if let Some(v) = v {
                totals[k] = Some(totals[k].unwrap_or(0.0) + v);
            }
        }
        r += 1;
    }
    let tot = fm::cell(Kind::Center, Some(fm::TOTAL_FILL), false, true);
    let totm = fm::cell(Kind::Money, Some(fm::TOTAL_FILL), false, true);
    text(ws, r, 0, "投资合计", &tot)?;
    text(ws, r, 1, "万元", &tot)?;
    for (k, v) in totals.iter().enumerate() {
        num(ws, r, 2 + k as u16, *v, &totm)?;
    }
    Ok(sheet)
}

fn problems_sheet(batch: &Batch, config: &Config) -> XResult<Worksheet> {
    let title = format!("{}存在问题及下步工作打算", batch.period.label());
    let widths = [9.0, 10.0, 24.0, 14.0, 40.0, 40.0];
    let mut sheet = table_sheet(
        SHEET_PROBLEMS,
        &title,
        "按任务列出各单位填报的存在问题和下步工作打算（未填写的不列）。",
        &PROBLEM_HEADERS,
        &widths,
    )?;
    let ws = &mut sheet;
    let tx = fm::cell(Kind::Text, None, false, false);
    let ce = fm::cell(Kind::Center, None, false, false);
    let mut by_task: HashMap<&str, Vec<(&str, &ProgressRow)>> = HashMap::new();
    for ret in &batch.current {
        for row in &ret.progress {
            by_task
                .entry(row.task_id.value.as_str())
                .or_default()
                .push((&ret.unit, row));
        }
    }
    let mut r = TABLE_HEADER_ROW + 1;
    for t in &batch.tasks.tasks {
        let Some(rows) = by_task.get(t.id.as_str()) else {
            continue;
        };
        for (unit, row) in rows {
            let p = row.problems.value.trim();
            let n = row.next_steps.value.trim();
            if (p.is_empty() || p == "无") && n.is_empty() {
                continue;
            }
            text(ws, r, 0, &t.id, &ce)?;
            text(ws, r, 1, &t.category, &ce)?;
            text(ws, r, 2, &t.name, &tx)?;
            text(ws, r, 3, config.short_name(unit), &ce)?;
            text(ws, r, 4, p, &tx)?;
            text(ws, r, 5, n, &tx)?;
            ws.set_row_height(r, fm::row_height(&[(&t.name, 24.0), (p, 40.0), (n, 40.0)]))?;
            r += 1;
        }
    }
    Ok(sheet)
}

fn findings_sheet(batch: &Batch) -> XResult<Worksheet> {
    let title = format!("{}数据校验结果", batch.period.label());
    let (e, w, i) = crate::app::counts(&batch.findings);
    let sub = format!(
        "错误 {e} 条（须退回修改），警告 {w} 条（请核实），提示 {i} 条。单元格为该单位报送文件中的位置。"
    );
    let widths = [6.0, 20.0, 16.0, 36.0, 12.0, 7.0, 64.0];
    let mut sheet = table_sheet(SHEET_FINDINGS, &title, &sub, &FINDING_HEADERS, &widths)?;
    let ws = &mut sheet;
    let mut r = TABLE_HEADER_ROW + 1;
    for f in &batch.findings {
        let fill = match f.level {
            Level::Error => Some(fm::LAG_FILL),
            Level::Warning => Some(fm::LATE_FILL),
            Level::Info => None,
        };
        let tx = fm::cell(Kind::Text, None, false, false);
        let ce = fm::cell(Kind::Center, None, false, false);
        text(
            ws,
            r,
            0,
            f.level.label(),
            &fm::cell(Kind::Center, fill, false, true),
        )?;
        text(ws, r, 1, f.code, &ce)?;
        text(ws, r, 2, f.unit.as_deref().unwrap_or(""), &tx)?;
        text(ws, r, 3, f.file.as_deref().unwrap_or(""), &tx)?;
        text(ws, r, 4, f.sheet.as_deref().unwrap_or(""), &ce)?;
        text(ws, r, 5, f.cell.as_deref().unwrap_or(""), &ce)?;
        text(ws, r, 6, &f.message, &tx)?;
        let file = f.file.as_deref().unwrap_or("");
        let unit = f.unit.as_deref().unwrap_or("");
        ws.set_row_height(
            r,
            fm::row_height(&[(file, 36.0), (&f.message, 64.0), (unit, 16.0)]),
        )?;
        r += 1;
    }
    if !batch.findings.is_empty() {
        ws.autofilter(TABLE_HEADER_ROW, 0, r - 1, 6)?;
    }
    Ok(sheet)
}

/// Every consolidated number with the cell it came from and a link that opens it.
/// Fills 数据来源 row by row.
/// Fills 数据来源 row by row; the first `max_links` rows get a link to their source cell.
fn sources_sheet(
    ws: &mut Worksheet,
    batch: &Batch,
    link_prefix: &str,
    max_links: usize,
) -> XResult<()> {
    let title = format!("{}数据来源", batch.period.label());
    let widths = [11.0, 24.0, 16.0, 9.0, 22.0, 12.0, 40.0, 12.0, 7.0, 9.0];
    table_sheet_on(
        ws,
        SHEET_SOURCES,
        &title,
        "汇总表中每个数字来自哪个文件的哪个单元格；点击“打开”可打开原表（汇总表与报表文件夹一起移动时链接仍然有效）。",
        &SOURCE_HEADERS,
        &widths,
    )?;
    // Tens of thousands of rows: each column carries its format and the cells are written
    // without one (rust_xlsxwriter hashes a whole format for every formatted cell).
    // One per column of SOURCE_HEADERS; the last column's links carry their own format, and
    // 超出链接上限 takes the column's.
    let kinds: [Kind; SOURCE_HEADERS.len()] = [
        Kind::Center,
        Kind::Text,
        Kind::Text,
        Kind::Center,
        Kind::Text,
        Kind::Quantity,
        Kind::Text,
        Kind::Center,
        Kind::Center,
        Kind::Center,
    ];
    for (c, k) in kinds.into_iter().enumerate() {
        ws.set_column_format(c as u16, &fm::column(k))?;
    }
    let link_fmt = fm::column(Kind::Center)
        .set_font_color(rust_xlsxwriter::Color::Blue)
        .set_underline(rust_xlsxwriter::FormatUnderline::Single);
    ws.set_print_gridlines(true);
    let period = batch.period.label();
    for (i, (r, rec)) in (TABLE_HEADER_ROW + 1..)
        .zip(source_records(batch))
        .enumerate()
    {
        ws.write_string(r, 0, clip(rec.id))?;
        ws.write_string(r, 1, clip(rec.name))?;
        ws.write_string(r, 2, clip(rec.unit))?;
        ws.write_string(r, 3, &period)?;
        ws.write_string(r, 4, rec.field)?;
        ws.write_number(r, 5, rec.value)?;
        ws.write_string(r, 6, clip(rec.file))?;
        ws.write_string(r, 7, clip(&rec.at.sheet))?;
        ws.write_string(r, 8, rec.at.a1())?;
        let target = format!(
            "file:///{}#'{}'!{}",
            join_link(link_prefix, rec.file),
            rec.at.sheet.replace('\'', "''"),
            rec.at.a1()
        );
        if i < max_links {
            ws.write_url_with_format(r, 9, Url::new(target).set_text("打开"), &link_fmt)?;
        } else {
            // Excel refuses a sheet with more links; the file and cell are on the row.
            ws.write_string(r, 9, "超出链接上限")?;
        }
    }
    Ok(())
}

/// The most hyperlinks Excel accepts on one worksheet.
const MAX_LINKS: usize = 65_530;

fn join_link(prefix: &str, file: &str) -> String {
    if prefix.is_empty() || prefix == "." {
        file.to_string()
    } else {
        format!("{}/{file}", prefix.trim_end_matches('/'))
    }
}

/// One consolidated number and its cell.
pub struct SourceRecord<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub unit: &'a str,
    pub field: &'static str,
    pub value: f64,
    pub file: &'a str,
    pub at: &'a crate::model::CellRef,
}

/// The numbers that enter the summary, in roster order: first row per task or project of
/// each unit, known tasks only, figures only.
pub fn source_records(batch: &Batch) -> Vec<SourceRecord<'_>> {
    use crate::layout::{invest as ic, progress as pc};
    let mut out = Vec::new();
    for ret in &batch.current {
        let mut seen = std::collections::HashSet::new();
        let file = ret.progress_file.as_deref().unwrap_or("");
        for row in &ret.progress {
            let Some(task) = batch.tasks.get(&row.task_id.value) else {
                continue;
            };
            if !seen.insert(row.task_id.value.as_str()) {
                continue;
            }
            for (field, f) in [(pc::MONTH, &row.month), (pc::YTD, &row.ytd)] {
                if let Some(v) = f.value {
                    out.push(SourceRecord {
                        id: &task.id,
                        name: &task.name,
                        unit: &ret.unit,
                        field,
                        value: v,
                        file,
                        at: &f.at,
                    });
                }
            }
        }
        let mut seen = std::collections::HashSet::new();
        let file = ret.invest_file.as_deref().unwrap_or("");
        for row in &ret.invest {
            let Some(task) = batch
                .tasks
                .get(&row.project_id.value)
                .filter(|t| t.plan_investment.is_some())
            else {
                continue;
            };
            if !seen.insert(row.project_id.value.as_str()) {
                continue;
            }
            let mut fields = vec![(ic::MONTH, &row.month), (ic::YTD, &row.ytd)];
            let names = [ic::F1, ic::F2, ic::F3, ic::F4, ic::F5];
            fields.extend(names.iter().copied().zip(row.funds.iter()));
            for (field, f) in fields {
                if let Some(v) = f.value {
                    out.push(SourceRecord {
                        id: &task.id,
                        name: &task.name,
                        unit: &ret.unit,
                        field,
                        value: v,
                        file,
                        at: &f.at,
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The June batch of the shipped samples.
    fn sample_batch() -> Batch {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let settings = crate::app::Settings {
            dir: root.join("samples"),
            tasks: None,
            config: None,
            period: None,
            out: std::env::temp_dir().join("huizong-unit-test-unused"),
            jobs: Some(1),
            progress: false,
        };
        crate::app::load(&settings).expect("samples load").batch
    }

    #[test]
    fn rows_past_the_link_limit_say_so_instead_of_linking() {
        let batch = sample_batch();
        let rows = source_records(&batch).len();
        assert!(rows > 10);
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        sources_sheet(ws, &batch, "../samples", 10).unwrap();
        let bytes = wb.save_to_buffer().unwrap();

        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
            &mut xml,
        )
        .unwrap();
        assert_eq!(xml.matches("<hyperlink ").count(), 10);

        use calamine::Reader;
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(&bytes[..])).unwrap();
        let range = book.worksheet_range(SHEET_SOURCES).unwrap();
        let link_col = |i: u32| range.get_value((TABLE_HEADER_ROW + 1 + i, 9)).cloned();
        assert_eq!(link_col(9), Some(calamine::Data::String("打开".into())));
        assert_eq!(
            link_col(10),
            Some(calamine::Data::String("超出链接上限".into()))
        );
        let last = rows as u32 - 1;
        assert_eq!(
            link_col(last),
            Some(calamine::Data::String("超出链接上限".into()))
        );
        // The source cell stays on the row.
        assert!(
            matches!(range.get_value((TABLE_HEADER_ROW + 1 + last, 8)), Some(calamine::Data::String(a1)) if !a1.is_empty())
        );
    }

    #[test]
    fn source_cells_take_their_columns_look_without_borders() {
        let batch = sample_batch();
        let rows = source_records(&batch).len() as u32;
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet_with_low_memory().unwrap();
        sources_sheet(ws, &batch, "../samples", MAX_LINKS).unwrap();
        let bytes = wb.save_to_buffer().unwrap();

        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(&bytes[..])).unwrap();
        let styles = book.worksheet_style(SHEET_SOURCES).unwrap();
        for r in [TABLE_HEADER_ROW + 1, TABLE_HEADER_ROW + rows] {
            for c in 0..10u32 {
                let style = styles.get((r, c)).expect("a styled cell");
                let font = style.font.as_ref().expect("a font");
                assert_eq!(font.name.as_deref(), Some(fm::FONT), "row {r} col {c}");
                let bordered = style.borders.as_ref().is_some_and(|b| {
                    [&b.left, &b.right, &b.top, &b.bottom]
                        .iter()
                        .any(|e| e.style != calamine::BorderStyle::None)
                });
                assert!(!bordered, "row {r} col {c} has a border");
                let underlined = font.underline != calamine::UnderlineStyle::None;
                assert_eq!(underlined, c == 9, "row {r} col {c}");
            }
        }
        // The header keeps its own format (fill and border).
        let header = styles.get((TABLE_HEADER_ROW, 0)).expect("header style");
        assert!(header.fill.is_some());
    }
}
