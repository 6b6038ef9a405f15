//! The return template (月报) and the task list template (任务清单), blank or prefilled, and
//! the same return filled with values (samples, correction workbooks).

use chrono::Datelike;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, ExcelDateTime, Format, Note,
    ProtectionOptions, Workbook, Worksheet, XlsxError,
};

use super::formats::{self as fm, Kind};
use super::measure::Widths;
use crate::config::Config;
use crate::correction::Problem;
use crate::layout::{self, invest as ic, progress as pc, tasks as tc};
use crate::model::{
    InvestValues, LowerDetail, Mark, Period, ProgressValues, Raw, ReturnValues, Task, TaskList,
};

/// Rows left for a unit to fill in the blank template.
const BLANK_ROWS: u32 = 30;

type XResult<T> = Result<T, XlsxError>;

fn protect(ws: &mut Worksheet) {
    let options = ProtectionOptions {
        format_columns: true,
        format_rows: true,
        ..ProtectionOptions::new()
    };
    ws.protect_with_options(&options);
}

/// Writes what a unit typed, as typed: a number as a number, text as text (never a formula).
pub(crate) fn write_raw(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    raw: &Raw,
    f: &Format,
) -> XResult<()> {
    match raw {
        Raw::Empty => ws.write_blank(row, col, f)?,
        Raw::Number(v) => ws.write_number_with_format(row, col, *v, f)?,
        Raw::Text(s) | Raw::Bad(s) => ws.write_string_with_format(row, col, s, f)?,
        Raw::Date(d) => {
            let dt = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
            ws.write_datetime_with_format(row, col, &dt, &f.clone().set_num_format("yyyy-mm-dd"))?
        }
    };
    Ok(())
}

fn number_validation() -> XResult<DataValidation> {
    DataValidation::new()
        .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
        .set_error_title("请填写数字")?
        .set_error_message(
            "这里应填写大于等于 0 的数字，不要带单位或文字；本月没有完成量请填 0（空着不计入汇总）。",
        )?
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_input_title("填写数字")
        .and_then(|v| v.set_input_message("填写大于等于 0 的数字，不带单位；本月没有完成量请填 0。"))
}

fn list_validation(items: &[String], what: &str) -> XResult<DataValidation> {
    DataValidation::new()
        .allow_list_strings(items)?
        .set_error_title(format!("请从下拉列表选择{what}"))?
        .set_error_message(format!("{what}应为：{}", items.join("、")))
}

/// The header row of a table.
fn header_row(ws: &mut Worksheet, row: u32, headers: &[&str]) -> XResult<()> {
    let h = fm::header();
    let mut lines = 1;
    for (c, text) in headers.iter().enumerate() {
        let shown = fm::broken(text);
        lines = lines.max(shown.lines().count());
        ws.write_string_with_format(row, c as u16, &shown, &h)?;
    }
    ws.set_row_height(row, lines as f64 * crate::write::measure::LINE_PT + 4.0)?;
    Ok(())
}

/// Column widths for `headers` as printed (broken on purpose), at least `min` each.
fn header_widths(headers: &[&str], min: f64) -> Widths {
    let shown: Vec<String> = headers.iter().map(|h| fm::broken(h)).collect();
    let refs: Vec<&str> = shown.iter().map(String::as_str).collect();
    Widths::of_headers(&refs, min)
}

/// The label rows above a table.
fn label_rows(
    ws: &mut Worksheet,
    unit: &str,
    period: Option<Period>,
    values: Option<&ReturnValues>,
    with_contact: bool,
) -> XResult<()> {
    let l = fm::label();
    let locked = fm::label_value(false);
    let input = fm::label_value(true);
    ws.write_string_with_format(1, 0, layout::LABEL_UNIT, &l)?;
    if unit.is_empty() {
        ws.write_blank(1, 1, &input)?;
    } else {
        ws.write_string_with_format(1, 1, unit, &locked)?;
    }
    ws.write_string_with_format(1, 3, layout::LABEL_PERIOD, &l)?;
    match period {
        Some(p) => ws.write_string_with_format(1, 4, p.label(), &locked)?,
        None => ws.write_blank(1, 4, &input)?,
    };
    if with_contact {
        ws.write_string_with_format(1, 6, layout::LABEL_DATE, &l)?;
        let date = values.map(|v| v.fill_date.clone()).unwrap_or_default();
        write_raw(ws, 1, 7, &date, &input.clone().set_num_format("yyyy-mm-dd"))?;
        ws.write_string_with_format(2, 0, layout::LABEL_REPORTER, &l)?;
        write_raw(
            ws,
            2,
            1,
            &text_raw(values.map(|v| v.reporter.as_str())),
            &input,
        )?;
        ws.write_string_with_format(2, 3, layout::LABEL_PHONE, &l)?;
        write_raw(
            ws,
            2,
            4,
            &text_raw(values.map(|v| v.phone.as_str())),
            &input,
        )?;
        let dv = DataValidation::new()
            .allow_date(DataValidationRule::GreaterThan(ExcelDateTime::from_ymd(
                2000, 1, 1,
            )?))
            .set_error_title("请填写日期")?
            .set_error_message("填报日期应为日期，例如 2020-06-25。")?;
        ws.add_data_validation(1, 7, 1, 7, &dv)?;
    }
    Ok(())
}

fn text_raw(s: Option<&str>) -> Raw {
    match s {
        Some(t) if !t.is_empty() => Raw::Text(t.to_string()),
        _ => Raw::Empty,
    }
}

fn opt_num(v: Option<f64>) -> Raw {
    v.map_or(Raw::Empty, Raw::Number)
}

/// The instructions' column, in character units.
const GUIDE_WIDTH: f64 = 110.0;

/// The height of an instruction in the prose format (11 pt, wrapped): its lines as the
/// measure counts them at 10 pt in a column 10/11 as wide, each 11/10 as tall, with room
/// to spare. A fixed height cut the third line of the longer items.
fn guide_row_height(text: &str, width: f64) -> f64 {
    let n = super::measure::lines(text, width * 10.0 / 11.0, false);
    (n as f64 * super::measure::LINE_PT * 1.1 + 8.0).clamp(20.0, 409.0)
}

/// The sheet of instructions.
fn guide_sheet(
    wb: &mut Workbook,
    unit: &str,
    period: Option<Period>,
    tasks: &[&Task],
    config: &Config,
) -> XResult<()> {
    let ws = wb.add_worksheet();
    ws.set_name(layout::SHEET_GUIDE)?;
    ws.set_column_width(0, GUIDE_WIDTH)?;
    let title = match period {
        Some(p) if !unit.is_empty() => format!("{unit} {} 月报填报说明", p.label()),
        _ => "月报填报说明".to_string(),
    };
    ws.write_string_with_format(0, 0, &title, &fm::title())?;
    ws.set_row_height(0, 30)?;
    let deadline = match period {
        Some(p) => format!("{}年{}月{}日", p.year, p.month, config.deadline_day),
        None => format!("每月{}日", config.deadline_day),
    };
    // Shared projects whose plan the list does not break down: the unit's plan is blank.
    let multi: Vec<String> = tasks
        .iter()
        .filter(|t| t.plan_investment.is_some() && t.own_plan(unit).is_none())
        .map(|t| t.id.clone())
        .collect();
    let mut lines = vec![
        format!("一、报送时间：请于 {deadline} 前（含当日）将本表报送至{}。", config.contact),
        "二、灰色单元格是预填的内容（任务、目标、本单位名称和月份等），已锁定，不能修改；白色单元格由本单位填写。“重点任务进展”页请填写本月完成、自年初累计完成、完成状态（下拉选择）、本月工作进展、存在问题和下步工作打算；定性任务（没有计量单位）的数字栏为灰色，不用填。".to_string(),
        "三、数字栏只填数字（可带小数），不要写“约”“左右”或单位；本月没有完成量请填 0，不要空着，也不要写“—”或“无”（空着的数字不计入汇总）。由几个单位共同负责的任务，年度目标一栏写的是全部责任单位的总目标（任务清单分解到各单位的，先写本单位的目标），请只填报本单位完成的部分。".to_string(),
        "四、自年初累计完成 = 上月自年初累计完成 + 本月完成；1 月份本月完成等于自年初累计完成。累计数在年内不能下降。".to_string(),
        "五、“固定资产投资”页：金额单位为万元，保留两位小数；五项资金来源（中央车购税、省级资金、市县资金、银行贷款、其他资金）之和应等于自年初累计完成投资。".to_string(),
        "六、页首“填报人、联系电话、填报日期”必须填写；填报日期晚于截止日按逾期统计。".to_string(),
        "七、请不要增删行列、修改表头或工作表名称，也不要删除隐藏的 _huizong 页：它用于识别本表，文件改名也不影响汇总。".to_string(),
        "八、同一月份如需更正，直接修改后重新报送即可，程序以填报日期较新的一份为准。".to_string(),
    ];
    if !multi.is_empty() {
        lines.push(format!(
            "九、由多家单位共同负责、任务清单没有分解到各单位的项目，本年计划投资一栏空着（共同项目未分解，不按单位平分），请照常填报本单位完成的投资：{}。",
            multi.join("；")
        ));
    }
    let p = fm::prose();
    for (i, line) in lines.iter().enumerate() {
        ws.write_string_with_format(2 + i as u32, 0, line, &p)?;
        ws.set_row_height(2 + i as u32, guide_row_height(line, GUIDE_WIDTH))?;
    }
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    protect(ws);
    Ok(())
}

/// The first sheet of a correction workbook: every problem with its cell.
fn problems_sheet(wb: &mut Workbook, title: &str, problems: &[Problem]) -> XResult<()> {
    let ws = wb.add_worksheet();
    ws.set_name(layout::SHEET_CORRECTION_PROBLEMS)?;
    // A return in the unit's own layout was re-made into the template: each problem gives
    // the cell here and the place in the file the unit sent.
    let both = problems.iter().any(|p| p.sent_at.is_some());
    let mut headers = vec!["序号", "级别", "代码", "工作表", "单元格"];
    let mut widths = vec![6.0, 8.0, 20.0, 14.0, 8.0];
    if both {
        headers.push(layout::CORRECTION_SENT_AT);
        widths.push(18.0);
    }
    headers.push("问题说明");
    let message_width = if both { 60.0 } else { 70.0 };
    widths.push(message_width);
    let last = headers.len() as u16 - 1;
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.merge_range(0, 0, 0, last, title, &fm::title())?;
    ws.set_row_height(0, 32)?;
    let note = if both {
        "请按下列问题修改本工作簿中标红的单元格（鼠标移到单元格上可看批注），改好后更新填报日期，把本文件重新报送即可。本工作簿按模板重排了贵单位报来的表格，“原报表位置”是问题在贵单位原文件中的位置。“警告”请核实，如无误可不改。"
    } else {
        "请按下列问题修改本工作簿中标红的单元格（鼠标移到单元格上可看批注），改好后更新填报日期，把本文件重新报送即可。“警告”请核实，如无误可不改。"
    };
    ws.merge_range(1, 0, 1, last, note, &fm::subtitle())?;
    let span: f64 = widths.iter().sum();
    ws.set_row_height(1, fm::row_height(&[(note, span)]).max(30.0))?;
    header_row(ws, 2, &headers)?;
    let tx = fm::Cell::new(Kind::Text).format();
    let ce = fm::Cell::new(Kind::Center).format();
    for (i, p) in problems.iter().enumerate() {
        let r = 3 + i as u32;
        let fill = (p.level == crate::finding::Level::Error).then_some(fm::ERROR_FILL);
        ws.write_number_with_format(r, 0, (i + 1) as f64, &fm::Cell::new(Kind::Count).format())?;
        ws.write_string_with_format(
            r,
            1,
            p.level.label(),
            &fm::Cell::new(Kind::Center).fill(fill).bold().format(),
        )?;
        ws.write_string_with_format(r, 2, p.code.as_str(), &ce)?;
        ws.write_string_with_format(r, 3, &p.sheet, &ce)?;
        ws.write_string_with_format(r, 4, &p.cell, &ce)?;
        if both {
            ws.write_string_with_format(r, 5, p.sent_at.as_deref().unwrap_or(""), &ce)?;
        }
        ws.write_string_with_format(r, last, &p.message, &tx)?;
        ws.set_row_height(
            r,
            fm::row_height(&[
                (&p.message, message_width),
                (p.sent_at.as_deref().unwrap_or(""), 18.0),
            ]),
        )?;
    }
    fm::print_setup(ws, title, 2)?;
    ws.set_active(true);
    Ok(())
}

/// 下级明细: the coverage of the lower units, then every lower unit's part of each figure
/// with its state and the cell it was read from.
fn lower_detail_sheet(wb: &mut Workbook, title: &str, d: &LowerDetail) -> XResult<()> {
    use layout::lower as lc;
    let ws = wb.add_worksheet();
    ws.set_name(layout::SHEET_LOWER_DETAIL)?;
    let widths = [10.0, 28.0, 28.0, 20.0, 12.0, 10.0, 36.0, 14.0, 8.0];
    let last = widths.len() as u16 - 1;
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.merge_range(0, 0, 0, last, title, &fm::title())?;
    ws.set_row_height(0, 32)?;
    let mut line = format!("{} {}/{}", lc::COVERAGE, d.reported, d.due);
    if !d.not_reported.is_empty() {
        line.push_str(&format!("；未报：{}", d.not_reported.join("、")));
    }
    line.push_str("。每个数字的下级单位构成如下：“已采用”计入该数，“待核”计入该数但有错误待核实，“未报”不在该数中。");
    ws.merge_range(1, 0, 1, last, &line, &fm::subtitle())?;
    let span: f64 = widths.iter().sum();
    ws.set_row_height(1, fm::row_height(&[(&line, span)]).max(24.0))?;
    header_row(ws, 2, &lc::ALL)?;
    let tx = fm::Cell::new(Kind::Text).format();
    let ce = fm::Cell::new(Kind::Center).format();
    for (i, x) in d.rows.iter().enumerate() {
        let r = 3 + i as u32;
        let fill = (x.state != lc::ACCEPTED).then_some(fm::ERROR_FILL);
        ws.write_string_with_format(r, 0, &x.id, &ce)?;
        ws.write_string_with_format(r, 1, &x.name, &tx)?;
        ws.write_string_with_format(r, 2, &x.field, &ce)?;
        ws.write_string_with_format(r, 3, &x.unit, &tx)?;
        write_raw(
            ws,
            r,
            4,
            &opt_num(x.value),
            &fm::Cell::new(Kind::Quantity).format(),
        )?;
        ws.write_string_with_format(
            r,
            5,
            &x.state,
            &fm::Cell::new(Kind::Center).fill(fill).format(),
        )?;
        ws.write_string_with_format(r, 6, &x.file, &tx)?;
        ws.write_string_with_format(r, 7, &x.sheet, &ce)?;
        ws.write_string_with_format(r, 8, &x.cell, &ce)?;
        ws.set_row_height(
            r,
            fm::row_height(&[(&x.name, 28.0), (&x.field, 28.0), (&x.file, 36.0)]),
        )?;
    }
    ws.set_freeze_panes(3, 2)?;
    fm::print_setup(ws, title, 2)?;
    Ok(())
}

/// Applies marks that fall on this sheet: red fill and a note signed by the office.
fn apply_marks(ws: &mut Worksheet, sheet: &str, marks: &[Mark], contact: &str) -> XResult<()> {
    for m in marks.iter().filter(|m| m.sheet == sheet) {
        let note = Note::new(&m.note).set_author(contact).set_width(300);
        ws.insert_note(m.row, m.col, &note)?;
    }
    Ok(())
}

fn is_marked(marks: &[Mark], sheet: &str, row: u32, col: u16) -> bool {
    marks
        .iter()
        .any(|m| m.sheet == sheet && m.row == row && m.col == col)
}

/// Format for an input cell, red when marked.
fn input_fmt(kind: Kind, marks: &[Mark], sheet: &str, row: u32, col: u16) -> Format {
    let fill = is_marked(marks, sheet, row, col).then_some(fm::ERROR_FILL);
    fm::Cell::new(kind).fill(fill).input().format()
}

/// What a return workbook is made for: the blank template, a unit's template for a period,
/// or a unit's correction workbook (its values, the cells to mark and the problems).
pub struct ReturnSpec<'a> {
    pub tasks: &'a TaskList,
    pub config: &'a Config,
    /// The unit it is prefilled for; `None` gives the blank template.
    pub unit: Option<&'a str>,
    pub period: Option<Period>,
    /// The values the unit sent, written into the input cells.
    pub values: Option<&'a ReturnValues>,
    /// Cells filled red with a note.
    pub marks: &'a [Mark],
    /// The problems, listed first on 问题清单.
    pub problems: Option<&'a [Problem]>,
    /// With `--history`: each task's last accepted year-to-date (by id), shown in a locked
    /// 上月累计 column.
    pub history: Option<&'a std::collections::HashMap<String, f64>>,
    /// Filled for the level above (`run --report-to`): the upper office's fingerprint, the
    /// states of figures that are not plain facts, and the sheet 下级明细.
    pub upward: Option<&'a UpwardSpec<'a>>,
}

/// What a return filled for the level above carries besides its values.
pub struct UpwardSpec<'a> {
    /// The upper office's task list fingerprint, as its template carried it.
    pub fingerprint: &'a str,
    /// The lower office that filled it.
    pub filled_by: &'a str,
    /// One JSON object per figure that is disputed or incomplete.
    pub parts: &'a [String],
    pub detail: &'a LowerDetail,
}

impl<'a> ReturnSpec<'a> {
    /// A unit's empty template for a period (`unit: None`: the blank template).
    pub fn template(
        tasks: &'a TaskList,
        config: &'a Config,
        unit: Option<&'a str>,
        period: Option<Period>,
    ) -> ReturnSpec<'a> {
        ReturnSpec {
            tasks,
            config,
            unit,
            period,
            values: None,
            marks: &[],
            problems: None,
            history: None,
            upward: None,
        }
    }
}

/// A return being built: the spec and what follows from it.
struct Ctx<'a> {
    spec: &'a ReturnSpec<'a>,
    /// Empty for the blank template.
    unit: &'a str,
    blank: bool,
    /// The unit's tasks, and those of them with an investment plan.
    mine: Vec<&'a Task>,
    invest: Vec<&'a Task>,
}

impl Ctx<'_> {
    /// A sheet's title: unit and period before `what`, except in the blank template.
    fn title(&self, what: &str) -> String {
        match self.spec.period {
            Some(p) if !self.blank => format!("{} {} {what}", self.unit, p.label()),
            _ => what.to_string(),
        }
    }
}

/// Builds a return workbook as `spec` says.
pub fn return_workbook(spec: &ReturnSpec<'_>) -> XResult<Workbook> {
    let unit = spec.unit.unwrap_or("");
    let blank = unit.is_empty();
    let mine: Vec<&Task> = if blank {
        Vec::new()
    } else {
        spec.tasks.tasks_of(unit).collect()
    };
    let invest: Vec<&Task> = mine
        .iter()
        .copied()
        .filter(|t| t.plan_investment.is_some())
        .collect();
    let c = Ctx {
        spec,
        unit,
        blank,
        mine,
        invest,
    };
    let mut wb = Workbook::new();
    wb.set_properties(&super::properties(&c.title("月报")));
    if let Some(problems) = spec.problems {
        problems_sheet(&mut wb, &c.title("月报退回修改通知"), problems)?;
    }
    guide_sheet(&mut wb, unit, spec.period, &c.mine, spec.config)?;
    progress_sheet(&mut wb, &c)?;
    if blank || !c.invest.is_empty() {
        invest_sheet(&mut wb, &c)?;
    }
    if let Some(up) = spec.upward {
        lower_detail_sheet(&mut wb, &c.title(layout::SHEET_LOWER_DETAIL), up.detail)?;
    }
    meta_sheet(&mut wb, &c)?;
    Ok(wb)
}

/// The return filled for the level above (`run --report-to`): the upper office's template
/// for the unit, with the consolidated values, the marks, 下级明细 and the hidden sheet that
/// carries the figures' states.
pub fn upward_workbook(
    up: &crate::consolidate::upward::Upward,
    config: &Config,
    period: Period,
) -> XResult<Workbook> {
    let spec = UpwardSpec {
        fingerprint: &up.fingerprint,
        filled_by: &up.unit,
        parts: &up.parts,
        detail: &up.detail,
    };
    return_workbook(&ReturnSpec {
        values: Some(&up.values),
        marks: &up.marks,
        upward: Some(&spec),
        ..ReturnSpec::template(&up.tasks, config, Some(&up.unit), Some(period))
    })
}

/// What a shared task's 年度目标 says in a unit's template: the whole target is not the
/// unit's own.
fn target_text(t: &Task, unit: &str) -> Raw {
    // The task's 节点目标, which its 序时进度 is read from: the unit sees them.
    let milestones = if t.milestones.is_empty() {
        String::new()
    } else {
        let listed: Vec<String> = t
            .milestones
            .iter()
            .map(|(m, v)| format!("{m}月底 {}", crate::model::fmt_num(*v)))
            .collect();
        format!("（节点目标：{}）", listed.join("，"))
    };
    match t.target {
        // The unit's own part, where the list breaks the task down (任务分解).
        Some(v) if t.units.len() > 1 => match t.own_target(unit) {
            Some(own) => Raw::Text(format!(
                "本单位 {}，总目标 {}{milestones}",
                crate::model::fmt_num(own),
                crate::model::fmt_num(v),
            )),
            None => Raw::Text(format!(
                "总目标 {}，共 {} 个责任单位{milestones}",
                crate::model::fmt_num(v),
                t.units.len()
            )),
        },
        Some(v) if !milestones.is_empty() => {
            Raw::Text(format!("{}{milestones}", crate::model::fmt_num(v)))
        }
        other => opt_num(other),
    }
}

/// 重点任务进展: the unit's tasks, prefilled and locked, with the input cells.
/// The widest a return's text column is made for a long text. Beyond it, or beyond what
/// the page holds at 82 %, a text longer than a row can show is whole in its cell but cut
/// in print, as in the unit's own file (the summary shows it whole, 见续).
const TEXT_CAP: f64 = 60.0;

fn progress_sheet(wb: &mut Workbook, c: &Ctx<'_>) -> XResult<()> {
    let (unit, period, values, marks, config, blank) = (
        c.unit,
        c.spec.period,
        c.spec.values,
        c.spec.marks,
        c.spec.config,
        c.blank,
    );
    let (mine, problems) = (&c.mine, c.spec.problems);
    let history = c.spec.history;
    let cols = pc::columns(history.is_some());
    let col = |name: &str| cols.iter().position(|c| *c == name).unwrap_or(0) as u16;
    let last = cols.len() as u16 - 1;
    let sheet = layout::SHEET_PROGRESS;
    let ws = wb.add_worksheet();
    ws.set_name(sheet)?;
    let w = progress_widths(c, &cols);
    for (i, width) in w.0.iter().enumerate() {
        ws.set_column_width(i as u16, *width)?;
    }
    let title = c.title("重点任务进展情况表");
    ws.merge_range(0, 0, 0, last, &title, &fm::title())?;
    ws.set_row_height(0, 32)?;
    label_rows(ws, unit, period, values, true)?;
    let note = if history.is_some() {
        "说明：灰色单元格为预填内容，不能修改；请在白色单元格填写，数字栏只填数字，本月没有完成量请填 0。完成状态请从下拉列表选择。“上月累计”是上月已采用的自年初累计完成，自年初累计完成 = 上月累计 + 本月完成。"
    } else {
        "说明：灰色单元格为预填内容，不能修改；请在白色单元格填写，数字栏只填数字，本月没有完成量请填 0。完成状态请从下拉列表选择。"
    };
    ws.merge_range(3, 0, 3, last, note, &fm::subtitle())?;
    ws.set_row_height(
        3,
        crate::write::measure::row_height(&[(note, w.span(0, last as usize), false)]),
    )?;
    let hr = layout::RETURN_HEADER_ROW;
    header_row(ws, hr, &cols)?;
    let n = if blank { BLANK_ROWS } else { mine.len() as u32 };
    for i in 0..n {
        progress_row(
            ws,
            c,
            &cols,
            &w,
            hr + 1 + i,
            mine.get(i as usize).copied(),
            n,
        )?;
    }
    if n > 0 {
        let status = col(pc::STATUS);
        ws.add_data_validation(
            hr + 1,
            status,
            hr + n,
            status,
            &list_validation(&config.statuses, "完成状态")?,
        )?;
    }
    apply_marks(ws, sheet, marks, &config.contact)?;
    ws.set_freeze_panes(hr + 1, 2)?;
    fm::print_setup(ws, &title, hr)?;
    protect(ws);
    ws.set_active(problems.is_none());
    Ok(())
}

/// 重点任务进展's column widths: what the ids, names and targets show, room for typing, and a
/// text a unit sent (a correction keeps it) whole in its row where the page allows.
fn progress_widths(c: &Ctx<'_>, cols: &[&str]) -> Widths {
    let (unit, values, mine) = (c.unit, c.spec.values, &c.mine);
    let col = |name: &str| cols.iter().position(|c| *c == name).unwrap_or(0) as u16;
    let mut w = header_widths(cols, 6.0);
    for t in mine {
        w.text(col(pc::ID) as usize, &t.id, false);
        w.text(col(pc::NAME) as usize, &t.name, false);
        for line in target_text(t, unit).display().split(['，', '（']) {
            w.text(col(pc::TARGET) as usize, line, false);
        }
    }
    for (name, width) in [
        (pc::ID, 8.0),
        (pc::NAME, 24.0),
        (pc::MONTH, 9.0),
        (pc::YTD, 9.0),
        (pc::STATUS, 10.0),
        (pc::PROGRESS, 30.0),
        (pc::PROBLEMS, 22.0),
        (pc::NEXT, 22.0),
    ] {
        w.at_least(col(name) as usize, width);
    }
    w.at_most(col(pc::NAME) as usize, 28.0);
    w.at_most(col(pc::TARGET) as usize, 13.0);
    // The label cells (`填报单位：` in A, `报送月份：` in D, `填报日期：` in G) fit their columns.
    for (c, label) in [
        (0, layout::LABEL_UNIT),
        (3, layout::LABEL_PERIOD),
        (6, layout::LABEL_DATE),
    ] {
        w.text(c, label, true);
    }
    // A text a unit sent (a correction keeps it) shows whole in its row: its column is
    // as wide as one row of it needs, as far as the page holds at 82 %.
    let mut floors = [
        (pc::PROGRESS, 20.0),
        (pc::PROBLEMS, 14.0),
        (pc::NEXT, 14.0),
        (pc::NAME, 16.0),
    ]
    .map(|(name, floor)| (col(name) as usize, floor));
    let (before, base_floors) = (w.clone(), floors);
    if let Some(values) = values {
        for v in mine.iter().filter_map(|t| values.progress.get(&t.id)) {
            for (i, text) in [&v.progress, &v.problems, &v.next_steps]
                .into_iter()
                .enumerate()
            {
                let need = crate::write::measure::units_for_a_row(text, false, TEXT_CAP);
                w.at_least(floors[i].0, need);
                floors[i].1 = f64::max(floors[i].1, need);
            }
        }
    }
    w.fit_page(&floors, 0.82);
    let widened: Vec<(usize, f64)> = floors[..3]
        .iter()
        .map(|&(c, _)| (c, before.get(c)))
        .collect();
    w.give_back(&widened, 0.82);
    w.fit_page(&base_floors, 0.82);
    w
}

/// One row of 重点任务进展 at sheet row `r`: the task prefilled and locked (a blank row in the
/// blank template), then its input cells with what the unit sent.
fn progress_row(
    ws: &mut Worksheet,
    c: &Ctx<'_>,
    cols: &[&str],
    w: &Widths,
    r: u32,
    task: Option<&Task>,
    n: u32,
) -> XResult<()> {
    let (unit, period, values, marks) = (c.unit, c.spec.period, c.spec.values, c.spec.marks);
    let history = c.spec.history;
    let sheet = layout::SHEET_PROGRESS;
    let col = |name: &str| cols.iter().position(|c| *c == name).unwrap_or(0) as u16;
    let locked = |kind: Kind| fm::Cell::new(kind).fill(Some(fm::LOCKED_FILL)).format();
    // A qualitative task reports no figure: its number cells are locked.
    let figures = task.is_none_or(|t| t.is_quantitative());
    match task {
        Some(t) => {
            ws.write_string_with_format(r, col(pc::ID), &t.id, &locked(Kind::Center))?;
            ws.write_string_with_format(r, col(pc::NAME), &t.name, &locked(Kind::Text))?;
            write_raw(
                ws,
                r,
                col(pc::MEASURE),
                &text_raw(t.measure.as_deref()),
                &locked(Kind::Center),
            )?;
            let target = target_text(t, unit);
            let kind = if matches!(target, Raw::Text(_)) {
                Kind::Center
            } else {
                Kind::Quantity
            };
            write_raw(ws, r, col(pc::TARGET), &target, &locked(kind))?;
            if let Some(h) = history {
                let prev = if !figures {
                    Raw::Empty
                } else if period.is_some_and(|p| p.month == 1) {
                    // The year starts again in January.
                    Raw::Number(0.0)
                } else {
                    opt_num(h.get(&t.id).copied())
                };
                write_raw(ws, r, col(pc::PREV_YTD), &prev, &locked(Kind::Quantity))?;
            }
        }
        None => {
            for name in [pc::ID, pc::NAME, pc::MEASURE, pc::TARGET] {
                let kind = if name == pc::TARGET {
                    Kind::Quantity
                } else {
                    Kind::Text
                };
                let c = col(name);
                ws.write_blank(r, c, &input_fmt(kind, marks, sheet, r, c))?;
            }
        }
    }
    let v = task.and_then(|t| values.and_then(|v| v.progress.get(&t.id)));
    let d = ProgressValues::default();
    let v = v.unwrap_or(&d);
    for (name, raw) in [(pc::MONTH, &v.month), (pc::YTD, &v.ytd)] {
        let c = col(name);
        // A figure sent for a qualitative task is still shown (a correction workbook
        // keeps what the unit typed), locked.
        let f = if figures {
            input_fmt(Kind::Quantity, marks, sheet, r, c)
        } else {
            locked(Kind::Quantity)
        };
        write_raw(ws, r, c, raw, &f)?;
    }
    for (name, text, kind) in [
        (pc::STATUS, &v.status, Kind::Center),
        (pc::PROGRESS, &v.progress, Kind::Text),
        (pc::PROBLEMS, &v.problems, Kind::Text),
        (pc::NEXT, &v.next_steps, Kind::Text),
    ] {
        let c = col(name);
        write_raw(
            ws,
            r,
            c,
            &text_raw(Some(text)),
            &input_fmt(kind, marks, sheet, r, c),
        )?;
    }
    let name = task.map_or(String::new(), |t| t.name.clone());
    let target = task.map_or(String::new(), |t| target_text(t, unit).display());
    let h = crate::write::measure::row_height(&[
        (&name, w.get(col(pc::NAME) as usize), false),
        (&target, w.get(col(pc::TARGET) as usize), false),
        (&v.progress, w.get(col(pc::PROGRESS) as usize), false),
        (&v.problems, w.get(col(pc::PROBLEMS) as usize), false),
        (&v.next_steps, w.get(col(pc::NEXT) as usize), false),
    ]);
    // Room to type a line or two.
    ws.set_row_height(r, h.max(33.0))?;
    if figures && n > 0 {
        ws.add_data_validation(r, col(pc::MONTH), r, col(pc::YTD), &number_validation()?)?;
    }
    Ok(())
}

/// 固定资产投资: the unit's projects with a plan (always in the blank template).
fn invest_sheet(wb: &mut Workbook, c: &Ctx<'_>) -> XResult<()> {
    let (unit, period, values, marks, config, blank) = (
        c.unit,
        c.spec.period,
        c.spec.values,
        c.spec.marks,
        c.spec.config,
        c.blank,
    );
    let invest = &c.invest;
    let sheet = layout::SHEET_INVEST;
    let ws = wb.add_worksheet();
    ws.set_name(sheet)?;
    let w = invest_widths(c);
    for (col, width) in w.0.iter().enumerate() {
        ws.set_column_width(col as u16, *width)?;
    }
    let title = c.title("交通固定资产投资完成情况表");
    ws.merge_range(0, 0, 0, 12, &title, &fm::title())?;
    ws.set_row_height(0, 32)?;
    label_rows(ws, unit, period, values, false)?;
    ws.merge_range(
        3,
        0,
        3,
        12,
        "说明：灰色单元格为预填内容，不能修改；请在白色单元格填写。单位：万元（保留两位小数）。五项资金来源之和应等于自年初累计完成投资；本月没有完成投资请填 0。",
        &fm::subtitle(),
    )?;
    let hr = layout::RETURN_HEADER_ROW;
    header_row(ws, hr, &ic::ALL)?;
    let n = if blank {
        BLANK_ROWS
    } else {
        invest.len() as u32
    };
    for i in 0..n {
        invest_row(ws, c, &w, hr + 1 + i, invest.get(i as usize).copied())?;
    }
    if n > 0 {
        let last = hr + n;
        ws.add_data_validation(hr + 1, 4, last, 10, &number_validation()?)?;
        ws.add_data_validation(
            hr + 1,
            2,
            last,
            2,
            &list_validation(&config.natures, "建设性质")?,
        )?;
        if blank {
            ws.add_data_validation(hr + 1, 3, last, 3, &number_validation()?)?;
        }
    }
    apply_marks(ws, sheet, marks, &config.contact)?;
    ws.set_freeze_panes(hr + 1, 2)?;
    fm::print_setup(ws, &title, hr)?;
    protect(ws);
    Ok(())
}

/// 固定资产投资's column widths: ids, names, plans, and room for the figures a unit types
/// (up to 99,999,999.99 万元) and its texts.
fn invest_widths(c: &Ctx<'_>) -> Widths {
    let (unit, invest) = (c.unit, &c.invest);
    let mut w = header_widths(&ic::ALL, 6.0);
    for t in invest {
        w.text(0, &t.id, false);
        w.text(1, &t.name, false);
        w.figure(3, t.own_plan(unit), crate::write::measure::Shown::Money);
    }
    for (col, width) in [(1, 24.0), (2, 7.0), (11, 18.0), (12, 12.0)] {
        w.at_least(col, width);
    }
    for col in 4..=10 {
        w.figure(
            col,
            Some(99_999_999.99),
            crate::write::measure::Shown::Money,
        );
    }
    w.at_most(1, 28.0);
    for (c, label) in [(0, layout::LABEL_UNIT), (3, layout::LABEL_PERIOD)] {
        w.text(c, label, true);
    }
    w.fit_page(&[(11, 12.0), (12, 8.0), (1, 16.0)], 0.82);
    w
}

/// One row of 固定资产投资 at sheet row `r`: the project prefilled and locked (a shared plan
/// not broken down noted on its plan), then its input cells with what the unit sent.
fn invest_row(
    ws: &mut Worksheet,
    c: &Ctx<'_>,
    w: &Widths,
    r: u32,
    task: Option<&Task>,
) -> XResult<()> {
    let (unit, values, marks, config) = (c.unit, c.spec.values, c.spec.marks, c.spec.config);
    let sheet = layout::SHEET_INVEST;
    let locked_text = fm::Cell::new(Kind::Text)
        .fill(Some(fm::LOCKED_FILL))
        .format();
    let locked_center = fm::Cell::new(Kind::Center)
        .fill(Some(fm::LOCKED_FILL))
        .format();
    let locked_money = fm::Cell::new(Kind::Money)
        .fill(Some(fm::LOCKED_FILL))
        .format();
    match task {
        Some(t) => {
            ws.write_string_with_format(r, 0, &t.id, &locked_center)?;
            ws.write_string_with_format(r, 1, &t.name, &locked_text)?;
            write_raw(ws, r, 3, &opt_num(t.own_plan(unit)), &locked_money)?;
            if t.plan_investment.is_some() && t.own_plan(unit).is_none() {
                let note = Note::new(format!(
                    "共同项目未分解：{} 由 {} 个单位共同负责，本年计划投资 {} 万元在任务清单中没有分到各单位，不按单位平分。请照常填报本单位完成的投资。",
                    t.id,
                    t.units.len(),
                    crate::model::fmt_num(t.plan_investment.unwrap_or(0.0))
                ))
                .set_author(&config.contact)
                .set_width(300);
                ws.insert_note(r, 3, &note)?;
            }
        }
        None => {
            for c in [0u16, 1] {
                ws.write_blank(r, c, &input_fmt(Kind::Text, marks, sheet, r, c))?;
            }
            ws.write_blank(r, 3, &input_fmt(Kind::Money, marks, sheet, r, 3))?;
        }
    }
    let v = task.and_then(|t| values.and_then(|v| v.invest.get(&t.id)));
    let d = InvestValues::default();
    let v = v.unwrap_or(&d);
    write_raw(
        ws,
        r,
        2,
        &text_raw(Some(&v.nature)),
        &input_fmt(Kind::Center, marks, sheet, r, 2),
    )?;
    write_raw(
        ws,
        r,
        4,
        &v.month,
        &input_fmt(Kind::Money, marks, sheet, r, 4),
    )?;
    write_raw(
        ws,
        r,
        5,
        &v.ytd,
        &input_fmt(Kind::Money, marks, sheet, r, 5),
    )?;
    for k in 0..5u16 {
        let c = 6 + k;
        write_raw(
            ws,
            r,
            c,
            &v.funds[k as usize],
            &input_fmt(Kind::Money, marks, sheet, r, c),
        )?;
    }
    let indented = fm::Cell::new(Kind::Text)
        .fill(is_marked(marks, sheet, r, 11).then_some(fm::ERROR_FILL))
        .input()
        .indent()
        .format();
    write_raw(ws, r, 11, &text_raw(Some(&v.image)), &indented)?;
    write_raw(
        ws,
        r,
        12,
        &text_raw(Some(&v.remark)),
        &input_fmt(Kind::Text, marks, sheet, r, 12),
    )?;
    let name = task.map_or("", |t| t.name.as_str());
    let h = crate::write::measure::row_height(&[
        (name, w.get(1), false),
        (&v.image, w.get(11), false),
        (&v.remark, w.get(12), false),
    ]);
    ws.set_row_height(r, h.max(33.0))?;
    Ok(())
}

/// `_huizong`: the hidden identity of the return.
fn meta_sheet(wb: &mut Workbook, c: &Ctx<'_>) -> XResult<()> {
    let (unit, period, tasks, blank) = (c.unit, c.spec.period, c.spec.tasks, c.blank);
    let ws = wb.add_worksheet();
    ws.set_name(layout::SHEET_META)?;
    let rows = [
        (layout::meta::VERSION, layout::TEMPLATE_VERSION.to_string()),
        (layout::meta::UNIT, unit.to_string()),
        (
            layout::meta::PERIOD,
            period.map(Period::code).unwrap_or_default(),
        ),
        (
            layout::meta::FINGERPRINT,
            match c.spec.upward {
                // Filled for the level above: the upper office's list, not the one re-made.
                Some(up) => up.fingerprint.to_string(),
                None if blank => String::new(),
                None => tasks.fingerprint(),
            },
        ),
    ];
    for (i, (k, v)) in rows.iter().enumerate() {
        ws.write_string(i as u32, 0, *k)?;
        ws.write_string(i as u32, 1, v)?;
    }
    let mut r = rows.len() as u32;
    let mut put = |k: &str, v: &str| -> XResult<()> {
        ws.write_string(r, 0, k)?;
        ws.write_string(r, 1, v)?;
        r += 1;
        Ok(())
    };
    // A correction workbook carries the first return's date: the unit stays on time when
    // it sends the correction back after the deadline, even if the first file is gone.
    if let Some(d) = c.spec.values.and_then(|v| v.first_filled) {
        put(
            layout::meta::FIRST_FILLED,
            &d.format("%Y-%m-%d").to_string(),
        )?;
    }
    // The unit's tasks as the list gives them, its own part only: the level below re-makes
    // its task list and this template from them (`tasks --from`, `run --report-to`).
    for t in &c.mine {
        let own = Task {
            shares: t
                .shares
                .iter()
                .filter(|s| s.unit == unit)
                .cloned()
                .collect(),
            ..(*t).clone()
        };
        let json = serde_json::to_string(&own).unwrap_or_default();
        put(layout::meta::TASK, &json)?;
    }
    if let Some(up) = c.spec.upward {
        put(layout::meta::FILLED_BY, up.filled_by)?;
        for p in up.parts {
            put(layout::meta::PART, p)?;
        }
    }
    // Kept from casual unhiding: Excel's 取消隐藏 does not list a very hidden sheet.
    ws.set_very_hidden(true);
    protect(ws);
    Ok(())
}

/// A lower office's task list made from the upper office's template for `unit`: the list,
/// and a hidden sheet that says whose template it came from.
pub fn lower_task_list_workbook(tasks: &[Task], title: &str, unit: &str) -> XResult<Workbook> {
    let mut wb = task_list_workbook(tasks, title)?;
    let ws = wb.add_worksheet();
    ws.set_name(layout::SHEET_META)?;
    ws.write_string(0, 0, layout::meta::VERSION)?;
    ws.write_string(0, 1, layout::TEMPLATE_VERSION)?;
    ws.write_string(1, 0, layout::meta::UPPER_UNIT)?;
    ws.write_string(1, 1, unit)?;
    ws.set_very_hidden(true);
    protect(ws);
    Ok(wb)
}

/// The task list workbook: `tasks`, or one example row when empty.
pub fn task_list_workbook(tasks: &[Task], title: &str) -> XResult<Workbook> {
    let mut wb = Workbook::new();
    wb.set_properties(&super::properties(title));
    let ws = wb.add_worksheet();
    ws.set_name(layout::SHEET_TASKS)?;
    let widths = [10.0, 12.0, 30.0, 40.0, 8.0, 10.0, 13.0, 26.0, 18.0, 12.0];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    ws.merge_range(0, 0, 0, 9, title, &fm::title())?;
    ws.set_row_height(0, 32)?;
    let hr = layout::TASKS_HEADER_ROW;
    header_row(ws, hr, &tc::ALL)?;
    let text = fm::Cell::new(Kind::Text).input().format();
    let center = fm::Cell::new(Kind::Center).input().format();
    let qty = fm::Cell::new(Kind::Quantity).input().format();
    let money = fm::Cell::new(Kind::Money).input().format();
    let example;
    let rows: &[Task] = if tasks.is_empty() {
        example = [Task {
            id: "T01-01".into(),
            seq: String::new(),
            category: "农村公路".into(),
            name: "（示例，请删除）旅游路资源路产业路建设".into(),
            content: "建设旅游路资源路产业路 105 公里".into(),
            measure: Some("公里".into()),
            target: Some(105.0),
            plan_investment: Some(52500.0),
            units: vec!["长春市交通运输局".into(), "吉林市交通运输局".into()],
            partners: vec!["省公路管理局".into()],
            deadline_text: "2020年12月底".into(),
            deadline_month: 12,
            milestones: Vec::new(),
            shares: Vec::new(),
            row: 2,
        }];
        &example
    } else {
        tasks
    };
    for (i, t) in rows.iter().enumerate() {
        let r = hr + 1 + i as u32;
        ws.write_string_with_format(r, 0, &t.id, &center)?;
        ws.write_string_with_format(r, 1, &t.category, &center)?;
        ws.write_string_with_format(r, 2, &t.name, &text)?;
        ws.write_string_with_format(r, 3, &t.content, &text)?;
        write_raw(ws, r, 4, &text_raw(t.measure.as_deref()), &center)?;
        write_raw(ws, r, 5, &opt_num(t.target), &qty)?;
        write_raw(ws, r, 6, &opt_num(t.plan_investment), &money)?;
        ws.write_string_with_format(r, 7, t.units.join("、"), &text)?;
        ws.write_string_with_format(r, 8, t.partners.join("、"), &text)?;
        ws.write_string_with_format(r, 9, &t.deadline_text, &center)?;
        let units = t.units.join("、");
        let h = fm::row_height(&[(&t.name, 30.0), (&t.content, 40.0), (&units, 26.0)]);
        ws.set_row_height(r, h.max(30.0))?;
    }
    ws.set_freeze_panes(hr + 1, 3)?;
    fm::print_setup(ws, title, hr)?;
    Ok(wb)
}
