//! What the summary's sheets share: sheet names and headers of the contract, the helpers
//! that write a clipped text or an optional figure, the table sheet's frame, and the
//! imports every sheet uses.

pub(super) use chrono::Datelike;
pub(super) use rust_xlsxwriter::{
    Chart, ChartLegendPosition, ChartType, ExcelDateTime, Format, Url, Workbook, Worksheet,
    XlsxError,
};

pub(super) use crate::config::Config;
pub(super) use crate::consolidate::{InvestKind, Summary, TaskLine};
pub(super) use crate::error::Result;
pub(super) use crate::finding::Level;
pub(super) use crate::layout::MAX_CELL_CHARS;
pub(super) use crate::model::{RosterState, Status};
pub(super) use crate::validate::Batch;
pub(super) use crate::write::formats::{self as fm, Kind};
pub(super) use crate::write::measure::{Shown, Widths};

pub(super) type XResult<T> = Result<T, XlsxError>;

/// Sheet names, in order (the contract's, in `layout`).
pub use crate::layout::summary::*;

/// Header rows of the table sheets: title, subtitle, header.
pub const TABLE_HEADER_ROW: u32 = 2;

/// Column headers of each table sheet.
pub const TASK_HEADERS: [&str; 14] = [
    "任务编号",
    "任务类别",
    "任务名称",
    "责任单位",
    "已报单位",
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

pub(super) use crate::write::formats::broken;

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

pub const ROSTER_HEADERS: [&str; 12] = [
    "序号",
    "单位",
    "应报任务数",
    "报送情况",
    "首次报送",
    "最近更正",
    "是否按时",
    "填报人",
    "联系电话",
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

pub const SOURCE_HEADERS: [&str; 11] = [
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
    "读取说明",
];

pub const FINDING_HEADERS: [&str; 7] = ["级别", "代码", "单位", "文件", "工作表", "单元格", "说明"];

/// A text too long for one printed row, that goes on in the rows below it (见续): where,
/// what, how long, in how many more rows. 数据校验 lists each.
pub(super) struct GoesOn {
    pub sheet: &'static str,
    pub row: u32,
    pub col: u16,
    pub what: String,
    pub chars: usize,
    pub below: usize,
}

/// The lowest scale a printed page may take (DESIGN §8: every page at 80 % or more).
pub(super) const PRINT_SCALE: f64 = 0.82;

/// The height of a row whose cells `(column, text, bold)` wrap in their columns' widths.
pub(super) fn height(w: &Widths, cells: &[(usize, &str, bool)]) -> f64 {
    let cells: Vec<(&str, f64, bool)> = cells.iter().map(|(c, t, b)| (*t, w.get(*c), *b)).collect();
    crate::write::measure::row_height(&cells)
}

/// Text as a cell can hold it.
pub(super) fn clip(s: &str) -> String {
    // A string of at most MAX_CELL_CHARS bytes has at most as many characters.
    if s.len() <= MAX_CELL_CHARS || s.chars().count() <= MAX_CELL_CHARS {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(MAX_CELL_CHARS - 20).collect();
        t.push_str("…（内容过长，已截断）");
        t
    }
}

pub(super) fn text(ws: &mut Worksheet, r: u32, c: u16, s: &str, f: &Format) -> XResult<()> {
    ws.write_string_with_format(r, c, clip(s), f)?;
    Ok(())
}

/// A note on a summary cell: why its figure is not yet a fact.
pub(super) fn note(ws: &mut Worksheet, r: u32, c: u16, text: &str) -> XResult<()> {
    let note = rust_xlsxwriter::Note::new(clip(text))
        .set_author(fm::NOTE_AUTHOR)
        .add_author_prefix(false)
        .set_width(360)
        .set_height(160);
    ws.insert_note(r, c, &note)?;
    Ok(())
}

pub(super) fn num(ws: &mut Worksheet, r: u32, c: u16, v: Option<f64>, f: &Format) -> XResult<()> {
    match v {
        Some(v) => ws.write_number_with_format(r, c, v, f)?,
        None => ws.write_blank(r, c, f)?,
    };
    Ok(())
}

/// A table sheet: title across the table, subtitle, header row, frozen, print setup.
/// The widths a table's headers need, as printed ([`broken`]), at least `min` each.
pub(super) fn header_widths(headers: &[&str], min: f64) -> Widths {
    let shown: Vec<String> = headers.iter().map(|h| broken(h)).collect();
    let refs: Vec<&str> = shown.iter().map(String::as_str).collect();
    Widths::of_headers(&refs, min)
}

pub(super) fn table_sheet(
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
pub(super) fn table_sheet_on(
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
    // The subtitle wraps across the table's width. Its height is set before the rows
    // below are written: a sheet written row by row (数据来源, low memory) keeps no
    // height set for a row it has passed.
    let across: f64 =
        widths.iter().sum::<f64>() + widths.len().saturating_sub(1) as f64 * 5.0 / 7.0;
    ws.set_row_height(
        1,
        crate::write::measure::row_height(&[(subtitle, across, false)]),
    )?;
    let h = fm::header();
    let mut lines = 1;
    for (c, t) in headers.iter().enumerate() {
        let shown = broken(t);
        let w = widths.get(c).copied().unwrap_or(8.43);
        lines = lines.max(crate::write::measure::lines(&shown, w, true));
        ws.write_string_with_format(TABLE_HEADER_ROW, c as u16, &shown, &h)?;
    }
    ws.set_row_height(
        TABLE_HEADER_ROW,
        lines as f64 * crate::write::measure::LINE_PT + 4.0,
    )?;
    ws.set_freeze_panes(TABLE_HEADER_ROW + 1, 0)?;
    fm::print_setup(ws, title, TABLE_HEADER_ROW)?;
    Ok(())
}

/// The fill of a row by its 进度状态.
pub(super) fn status_fill(status: &Status) -> Option<u32> {
    match status {
        Status::Lagging => Some(fm::LAG_FILL),
        Status::Done => Some(fm::DONE_FILL),
        Status::Unverified => Some(fm::DISPUTED_FILL),
        _ => None,
    }
}

/// The note on a figure resting on disputed parts or lacking owed ones (固定资产投资 and
/// 总览 say it alike); `None` when it rests on neither.
pub(super) fn parts_note(disputed: &[String], missing: &[String]) -> Option<String> {
    let mut lines = Vec::new();
    if !disputed.is_empty() {
        lines.push(format!(
            "含有错误待核的数字（已计入）：\n{}",
            disputed.join("\n")
        ));
    }
    if !missing.is_empty() {
        lines.push(format!("不含未报或未填的：{}", missing.join("、")));
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}
