//! 任务进展: one row per task with its figures, status and each unit's texts; a text too
//! long for one printed row goes on in the rows below it (见续).

use super::common::*;
use crate::write::measure::pieces;

/// 任务进展 laid out before it is written: its columns, and each task's texts in the
/// pieces its rows show (one piece each unless a text is longer than a row can show).
pub(super) struct TaskLayout {
    pub widths: Widths,
    /// Per task, in the summary's order: 本月工作进展's and 存在问题's pieces.
    pub texts: Vec<[Vec<String>; 2]>,
}

/// The columns of 本月工作进展 and 存在问题.
const TEXT_COLUMNS: [u16; 2] = [12, 13];

impl TaskLayout {
    pub(super) fn new(s: &Summary, config: &Config) -> TaskLayout {
        let widths = task_widths(s, config);
        let texts = s
            .tasks
            .iter()
            .map(|t| {
                let text = [&t.progress_text, &t.problems_text];
                [0, 1].map(|i| pieces(text[i], widths.get(TEXT_COLUMNS[i] as usize), false))
            })
            .collect();
        TaskLayout { widths, texts }
    }

    /// The rows a task takes.
    fn rows(texts: &[Vec<String>; 2]) -> u32 {
        texts.iter().map(Vec::len).max().unwrap_or(1).max(1) as u32
    }

    /// Each text that goes on below its row, for 数据校验.
    pub(super) fn goes_on(&self, s: &Summary) -> Vec<GoesOn> {
        let mut out = Vec::new();
        let mut r = TABLE_HEADER_ROW + 1;
        for (t, texts) in s.tasks.iter().zip(&self.texts) {
            for ((p, c), text) in texts
                .iter()
                .zip(TEXT_COLUMNS)
                .zip([&t.progress_text, &t.problems_text])
            {
                if p.len() > 1 {
                    out.push(GoesOn {
                        sheet: SHEET_TASKS,
                        row: r,
                        col: c,
                        what: format!("任务 {} 的“{}”", t.id, TASK_HEADERS[c as usize]),
                        chars: text.chars().count(),
                        below: p.len() - 1,
                    });
                }
            }
            r += Self::rows(texts);
        }
        out
    }
}

pub(super) fn tasks_sheet(s: &Summary, config: &Config, layout: &TaskLayout) -> XResult<Worksheet> {
    let title = format!("{}重点任务进展情况", s.period.label());
    let widths = &layout.widths;
    let sub = format!(
        "序时进度：有节点目标的按节点目标，类别设了施工季的按施工季，其余按已过月数 ÷ 完成时限月数（批注写明按哪一种）；完成率比序时进度低 {} 个百分点以上为“滞后”。红色为滞后，绿色为已完成；黄色为数据待核：有单位未报、未填或数字有错误，批注写明哪个单位、什么问题。",
        crate::model::fmt_num(config.lag_tolerance)
    );
    let mut sheet = table_sheet(SHEET_TASKS, &title, &sub, &TASK_HEADERS, &widths.0)?;
    let ws = &mut sheet;
    let mut r = TABLE_HEADER_ROW + 1;
    for (t, texts) in s.tasks.iter().zip(&layout.texts) {
        write_task_row(ws, r, t, config, widths, texts)?;
        r += TaskLayout::rows(texts);
    }
    ws.autofilter(
        TABLE_HEADER_ROW,
        0,
        r.saturating_sub(1).max(TABLE_HEADER_ROW),
        TASK_HEADERS.len() as u16 - 1,
    )?;
    Ok(sheet)
}

/// The columns as wide as what they show: ids, figures and statuses whole; names, units
/// and texts wrapped in columns narrowed until the sheet prints at 82 % or more.
fn task_widths(s: &Summary, config: &Config) -> Widths {
    let mut w = header_widths(&TASK_HEADERS, 4.0);
    for t in &s.tasks {
        let units: Vec<&str> = t.units.iter().map(|u| config.short_name(u)).collect();
        w.text(0, &t.id, false);
        w.text(1, &t.category, false);
        w.text(2, &t.name, false);
        w.text(3, &units.join("、"), false);
        w.text(4, &t.coverage.label(), false);
        w.text(5, &t.measure, false);
        if t.quantitative {
            w.figure(6, t.target, Shown::General);
            w.figure(7, t.month, Shown::General);
            w.figure(8, t.ytd, Shown::General);
            w.figure(9, t.rate, Shown::Percent);
            w.figure(10, Some(t.schedule), Shown::Percent);
        }
        w.text(11, t.status.label(), true);
        for line in t.progress_text.lines() {
            w.text(12, line, false);
        }
        for line in t.problems_text.lines() {
            w.text(13, line, false);
        }
    }
    for (c, max) in [(1, 9.5), (2, 22.0), (3, 14.0), (12, 40.0), (13, 26.0)] {
        w.at_most(c, max);
    }
    w.fit_page(&[(12, 28.0), (13, 18.0), (2, 16.0), (3, 10.0)], PRINT_SCALE);
    w
}

fn write_task_row(
    ws: &mut Worksheet,
    r: u32,
    t: &TaskLine,
    config: &Config,
    widths: &Widths,
    texts: &[Vec<String>; 2],
) -> XResult<()> {
    // 滞后 and 已完成 colour the row; 数据待核 only its status and the cells that are not
    // yet facts, so that those stand out.
    let status_fill = status_fill(&t.status);
    let fill = status_fill.filter(|_| t.status != Status::Unverified);
    let tx = fm::Cell::new(Kind::Text).fill(fill).format();
    let ce = fm::Cell::new(Kind::Center).fill(fill).format();
    let q = fm::Cell::new(Kind::Quantity).fill(fill).format();
    let p = fm::Cell::new(Kind::Percent).fill(fill).format();
    text(ws, r, 0, &t.id, &ce)?;
    text(ws, r, 1, &t.category, &ce)?;
    text(ws, r, 2, &t.name, &tx)?;
    let units: Vec<&str> = t.units.iter().map(|u| config.short_name(u)).collect();
    text(ws, r, 3, &units.join("、"), &tx)?;
    // 已报单位: marked when a responsible unit's part is missing.
    let cov = &t.coverage;
    let missing = !cov.missing.is_empty();
    let mark = |k: Kind, on: bool| {
        fm::Cell::new(k)
            .fill(if on { Some(fm::DISPUTED_FILL) } else { fill })
            .format()
    };
    text(ws, r, 4, &cov.label(), &mark(Kind::Center, missing))?;
    if missing {
        let absent: Vec<&str> = cov
            .missing
            .iter()
            .filter(|u| !cov.unusable.contains(u))
            .map(String::as_str)
            .collect();
        let mut lines = Vec::new();
        if !absent.is_empty() {
            lines.push(format!("未报或缺少本任务的行：{}", absent.join("、")));
        }
        if !cov.unusable.is_empty() {
            lines.push(format!(
                "已报，但自年初累计未填或有错误未采用（不计入累计）：{}",
                cov.unusable.join("、")
            ));
        }
        note(ws, r, 4, &lines.join("\n"))?;
    }
    text(ws, r, 5, if t.quantitative { &t.measure } else { "—" }, &ce)?;
    if t.quantitative {
        let disputed = !cov.disputed.is_empty();
        let marked = mark(Kind::Quantity, disputed);
        num(ws, r, 6, t.target, &q)?;
        num(ws, r, 7, t.month, &marked)?;
        num(ws, r, 8, t.ytd, &marked)?;
        if disputed {
            note(
                ws,
                r,
                8,
                &format!(
                    "含有错误待核的数字（已计入本行）：\n{}",
                    cov.disputed.join("\n")
                ),
            )?;
        }
        num(ws, r, 9, t.rate, &p)?;
        num(ws, r, 10, Some(t.schedule), &p)?;
        note(ws, r, 10, &t.schedule_note)?;
    } else {
        for c in 6..=10 {
            ws.write_blank(r, c, &q)?;
        }
    }
    text(
        ws,
        r,
        11,
        t.status.label(),
        &fm::Cell::new(Kind::Center)
            .fill(status_fill)
            .bold()
            .format(),
    )?;
    let first = |p: &[String]| p.first().cloned().unwrap_or_default();
    let (progress, problems) = (first(&texts[0]), first(&texts[1]));
    text(ws, r, 12, &progress, &tx)?;
    text(ws, r, 13, &problems, &tx)?;
    let joined = units.join("、");
    let cov_label = cov.label();
    ws.set_row_height(
        r,
        height(
            widths,
            &[
                (0, &t.id, false),
                (1, &t.category, false),
                (2, &t.name, false),
                (3, &joined, false),
                (4, &cov_label, false),
                (11, t.status.label(), true),
                (12, &progress, false),
                (13, &problems, false),
            ],
        ),
    )?;
    // The rows a long text goes on in: the task's id again (a filter keeps them with
    // their task), 续上行 for its name, the row's fill.
    for k in 1..TaskLayout::rows(texts) {
        let rk = r + k;
        text(ws, rk, 0, &t.id, &ce)?;
        for c in 1..=11 {
            ws.write_blank(rk, c, &tx)?;
        }
        text(ws, rk, 2, "（续上行）", &tx)?;
        let piece = |p: &[String]| p.get(k as usize).cloned().unwrap_or_default();
        let (progress, problems) = (piece(&texts[0]), piece(&texts[1]));
        text(ws, rk, 12, &progress, &tx)?;
        text(ws, rk, 13, &problems, &tx)?;
        ws.set_row_height(
            rk,
            height(widths, &[(12, &progress, false), (13, &problems, false)]),
        )?;
    }
    Ok(())
}
