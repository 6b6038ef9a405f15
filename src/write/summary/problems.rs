//! 存在问题汇总: every unit's 存在问题 and 下步工作打算, by task; a text too long for one
//! printed row goes on in the rows below it (见续).

use super::common::*;
use crate::consolidate::Consolidated;
use crate::write::measure::pieces;

/// The columns of 存在问题 and 下步工作打算.
const TEXT_COLUMNS: [u16; 2] = [4, 5];

/// 存在问题汇总 laid out before it is written: its columns, and each line's texts in the
/// pieces its rows show.
pub(super) struct ProblemLayout {
    pub widths: Widths,
    pub texts: Vec<[Vec<String>; 2]>,
}

impl ProblemLayout {
    pub(super) fn new(c: &Consolidated<'_>, config: &Config) -> ProblemLayout {
        let lines = &c.problems;
        let mut w = header_widths(&PROBLEM_HEADERS, 5.0);
        for line in lines {
            w.text(0, &line.task.id, false);
            w.text(1, &line.task.category, false);
            w.text(2, &line.task.name, false);
            w.text(3, config.short_name(line.unit), false);
            w.text(4, line.problems, false);
            w.text(5, line.next_steps, false);
        }
        for (c, max) in [(1, 9.5), (2, 22.0), (3, 10.0), (4, 44.0), (5, 44.0)] {
            w.at_most(c, max);
        }
        w.fit_page(&[(4, 24.0), (5, 24.0), (2, 14.0)], PRINT_SCALE);
        let texts = lines
            .iter()
            .map(|line| {
                let text = [line.problems, line.next_steps];
                [0, 1].map(|i| pieces(text[i], w.get(TEXT_COLUMNS[i] as usize), false))
            })
            .collect();
        ProblemLayout { widths: w, texts }
    }

    fn rows(texts: &[Vec<String>; 2]) -> u32 {
        texts.iter().map(Vec::len).max().unwrap_or(1).max(1) as u32
    }

    /// Each text that goes on below its row, for 数据校验.
    pub(super) fn goes_on(&self, c: &Consolidated<'_>, config: &Config) -> Vec<GoesOn> {
        let mut out = Vec::new();
        let mut r = TABLE_HEADER_ROW + 1;
        for (line, texts) in c.problems.iter().zip(&self.texts) {
            for (i, p) in texts.iter().enumerate() {
                if p.len() > 1 {
                    let col = TEXT_COLUMNS[i];
                    let text = [line.problems, line.next_steps][i];
                    out.push(GoesOn {
                        sheet: SHEET_PROBLEMS,
                        row: r,
                        col,
                        what: format!(
                            "{}在任务 {} 的“{}”",
                            config.short_name(line.unit),
                            line.task.id,
                            PROBLEM_HEADERS[col as usize]
                        ),
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

pub(super) fn problems_sheet(
    c: &Consolidated<'_>,
    config: &Config,
    layout: &ProblemLayout,
) -> XResult<Worksheet> {
    let title = format!("{}存在问题及下步工作打算", c.batch.period.label());
    let widths = &layout.widths;
    let mut sheet = table_sheet(
        SHEET_PROBLEMS,
        &title,
        "按任务列出各单位填报的存在问题和下步工作打算（未填写的不列）。",
        &PROBLEM_HEADERS,
        &widths.0,
    )?;
    let ws = &mut sheet;
    let tx = fm::Cell::new(Kind::Text).format();
    let ce = fm::Cell::new(Kind::Center).format();
    let mut r = TABLE_HEADER_ROW + 1;
    for (line, texts) in c.problems.iter().zip(&layout.texts) {
        let t = line.task;
        let unit = config.short_name(line.unit);
        for k in 0..ProblemLayout::rows(texts) {
            let piece = |i: usize| texts[i].get(k as usize).cloned().unwrap_or_default();
            let (p, n) = (piece(0), piece(1));
            // The rows a long text goes on in repeat the task and the unit, so that a
            // filter keeps them together.
            let name = if k == 0 {
                t.name.as_str()
            } else {
                "（续上行）"
            };
            text(ws, r, 0, &t.id, &ce)?;
            text(ws, r, 1, &t.category, &ce)?;
            text(ws, r, 2, name, &tx)?;
            text(ws, r, 3, unit, &ce)?;
            text(ws, r, 4, &p, &tx)?;
            text(ws, r, 5, &n, &tx)?;
            ws.set_row_height(
                r,
                height(
                    widths,
                    &[
                        (1, &t.category, false),
                        (2, name, false),
                        (4, &p, false),
                        (5, &n, false),
                    ],
                ),
            )?;
            r += 1;
        }
    }
    Ok(sheet)
}
