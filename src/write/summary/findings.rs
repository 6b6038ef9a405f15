//! 数据校验: every finding with its place, and, after the batch's, a note for each text of
//! the summary that goes on below its row (见续).

use super::common::*;
use crate::cell::CellRef;
use crate::finding::{Code, Finding};
use crate::messages as msg;

/// `goes_on` as findings of the summary file `file`.
fn goes_on_findings(goes_on: &[GoesOn], file: &str) -> Vec<Finding> {
    goes_on
        .iter()
        .map(|g| {
            Finding::new(
                Code::TextGoesOn,
                msg::text_goes_on(&g.what, g.chars, g.below),
            )
            .file(file)
            .at(&CellRef::new(g.sheet, g.row, g.col as u32))
        })
        .collect()
}

pub(super) fn findings_sheet(batch: &Batch, goes_on: &[GoesOn], file: &str) -> XResult<Worksheet> {
    let title = format!("{}数据校验结果", batch.period.label());
    let own = goes_on_findings(goes_on, file);
    let (e, w, i) = batch.counts;
    let i = i + own.len();
    let strays = if batch.strays > 0 {
        format!(
            "另有 {} 个文件不是月报（未参加汇总），各一条。",
            batch.strays
        )
    } else {
        String::new()
    };
    let sub = format!(
        "错误 {e} 条（须退回修改），警告 {w} 条（请核实），提示 {i} 条。{strays}单元格为该单位报送文件中的位置（“见续”的提示指本汇总表的单元格）。"
    );
    // Notes are the last level: the summary's own follow the batch's.
    let mut findings = batch.findings_by_level();
    findings.extend(&own);
    let mut w = header_widths(&FINDING_HEADERS, 5.0);
    for f in &findings {
        w.text(0, f.level.label(), true);
        w.text(1, f.code.as_str(), false);
        w.text(2, f.unit.as_deref().unwrap_or(""), false);
        w.text(3, f.file.as_deref().unwrap_or(""), false);
        w.text(4, f.sheet.as_deref().unwrap_or(""), false);
        w.text(5, &f.cell.map(|c| c.to_string()).unwrap_or_default(), false);
        w.text(6, &f.message, false);
    }
    for (c, max) in [(2, 14.0), (3, 30.0), (4, 12.0), (6, 70.0)] {
        w.at_most(c, max);
    }
    w.fit_page(&[(6, 40.0), (3, 16.0)], PRINT_SCALE);
    let widths = w;
    let mut sheet = table_sheet(SHEET_FINDINGS, &title, &sub, &FINDING_HEADERS, &widths.0)?;
    let ws = &mut sheet;
    let mut r = TABLE_HEADER_ROW + 1;
    let any = !findings.is_empty();
    for f in findings {
        let fill = match f.level {
            Level::Error => Some(fm::LAG_FILL),
            Level::Warning => Some(fm::LATE_FILL),
            Level::Info => None,
        };
        let tx = fm::Cell::new(Kind::Text).format();
        let ce = fm::Cell::new(Kind::Center).format();
        text(
            ws,
            r,
            0,
            f.level.label(),
            &fm::Cell::new(Kind::Center).fill(fill).bold().format(),
        )?;
        text(ws, r, 1, f.code.as_str(), &ce)?;
        text(ws, r, 2, f.unit.as_deref().unwrap_or(""), &tx)?;
        text(ws, r, 3, f.file.as_deref().unwrap_or(""), &tx)?;
        text(ws, r, 4, f.sheet.as_deref().unwrap_or(""), &ce)?;
        text(
            ws,
            r,
            5,
            &f.cell.map(|c| c.to_string()).unwrap_or_default(),
            &ce,
        )?;
        text(ws, r, 6, &f.message, &tx)?;
        let file = f.file.as_deref().unwrap_or("");
        let unit = f.unit.as_deref().unwrap_or("");
        let sheet_name = f.sheet.as_deref().unwrap_or("");
        ws.set_row_height(
            r,
            height(
                &widths,
                &[
                    (2, unit, false),
                    (3, file, false),
                    (4, sheet_name, false),
                    (6, &f.message, false),
                ],
            ),
        )?;
        r += 1;
    }
    if any {
        ws.autofilter(TABLE_HEADER_ROW, 0, r - 1, 6)?;
    }
    Ok(sheet)
}
