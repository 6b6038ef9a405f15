//! The summary workbook (汇总表): every sheet of the contract (docs/architecture.md), formatted
//! to print. One file per sheet (or family of sheets); this entry holds what they share and
//! puts them together in the contract's order.

use std::collections::HashMap;
use std::path::Path;

use chrono::Datelike;
use rust_xlsxwriter::{
    Chart, ChartLegendPosition, ChartType, ExcelDateTime, Format, Url, Workbook, Worksheet,
    XlsxError,
};

use super::formats::{self as fm, Kind};
use crate::config::Config;
use crate::consolidate::{InvestKind, Summary, TaskLine};
use crate::error::Result;
use crate::finding::Level;
use crate::layout::{self, MAX_CELL_CHARS};
use crate::model::{ProgressRow, RosterState, Status};
use crate::validate::Batch;

mod categories;
mod findings;
mod invest;
mod overview;
mod problems;
mod roster;
mod sources;
mod tasks;
mod trend;

use categories::categories_sheet;
use findings::findings_sheet;
use invest::invest_sheet;
use overview::{chart_data_sheet, overview};
use problems::problems_sheet;
use roster::roster_sheet;
pub use sources::sources_workbook;
use tasks::tasks_sheet;
use trend::trend_sheet;

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
fn status_fill(status: &Status) -> Option<u32> {
    match status {
        Status::Lagging => Some(fm::LAG_FILL),
        Status::Done => Some(fm::DONE_FILL),
        _ => None,
    }
}

/// Consolidates a batch and writes its summary workbook to `path` (atomically); the entry
/// `run` and the benchmark share. `link_prefix` is the input folder relative to the output
/// folder (`../samples`), for the links of 数据来源.
///
/// The thread plan: 数据来源 (the longest sheet) is built on one thread while the other
/// consolidates, builds the sheets that need only the batch, then the consolidated ones.
pub fn write(batch: &Batch, config: &Config, link_prefix: &str, path: &Path) -> Result<Summary> {
    let xlsx = |e| super::xlsx_err(path, e);
    let (sources, rest) = rayon::join(
        || sources_workbook(batch, link_prefix),
        || -> Result<(Summary, OtherSheets)> {
            let (summary, lists) = rayon::join(
                || crate::consolidate::consolidate(batch, config),
                || list_sheets(batch, config),
            );
            let summary = summary?;
            let others =
                other_sheets(lists.map_err(xlsx)?, &summary, batch, config).map_err(xlsx)?;
            Ok((summary, others))
        },
    );
    let (summary, others) = rest?;
    let mut wb = assemble(sources.map_err(xlsx)?, others, &summary).map_err(xlsx)?;
    super::save(&mut wb, path)?;
    Ok(summary)
}

/// The sheets that need only the checked batch (报送情况, 问题汇总, 数据校验), so that they
/// can be built while the consolidation runs.
struct ListSheets {
    roster: Worksheet,
    problems: Worksheet,
    findings: Worksheet,
}

fn list_sheets(batch: &Batch, config: &Config) -> XResult<ListSheets> {
    Ok(ListSheets {
        roster: roster_sheet(batch)?,
        problems: problems_sheet(batch, config)?,
        findings: findings_sheet(batch)?,
    })
}

/// Every sheet of the summary but 数据来源, in the contract's order: those before it and
/// those after it.
struct OtherSheets {
    before: Vec<Worksheet>,
    after: Vec<Worksheet>,
}

/// Builds the consolidated sheets (in two groups, side by side when a thread is free) and
/// puts them with the lists in the contract's order.
fn other_sheets(
    lists: ListSheets,
    s: &Summary,
    batch: &Batch,
    config: &Config,
) -> XResult<OtherSheets> {
    let (first, last) = rayon::join(
        || -> XResult<[Worksheet; 3]> {
            Ok([
                overview(s, batch)?,
                tasks_sheet(s, config)?,
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
fn assemble(mut wb: Workbook, others: OtherSheets, s: &Summary) -> XResult<Workbook> {
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
