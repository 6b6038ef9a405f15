//! The summary workbook (汇总表): every sheet of the contract (docs/architecture.md), formatted
//! to print. One file per sheet (or family of sheets), what they share in `common`; this
//! entry consolidates and puts the sheets together in the contract's order.

use std::path::Path;

use rust_xlsxwriter::{Workbook, Worksheet};

use crate::config::Config;
use crate::consolidate::Summary;
use crate::error::Result;
use crate::layout;
use crate::validate::Batch;

mod categories;
mod common;
mod findings;
mod invest;
mod overview;
mod problems;
mod roster;
mod sources;
mod tasks;
mod trend;

use categories::categories_sheet;
use common::{SHEET_SOURCES, XResult};
use findings::findings_sheet;
use invest::invest_sheet;
use overview::{chart_data_sheet, overview};
use problems::problems_sheet;
use roster::roster_sheet;
use sources::sources_workbook;
use tasks::tasks_sheet;
use trend::trend_sheet;

/// Consolidates a batch and writes its summary workbook to `path` (atomically); the entry
/// `run` and the benchmark share. `link_prefix` is the input folder relative to the output
/// folder (`../samples`), for the links of 数据来源.
///
/// The thread plan: 数据来源 (the longest sheet) is built on one thread while the other
/// consolidates, builds the sheets that need only the batch, then the consolidated ones.
pub fn write(batch: &Batch, config: &Config, link_prefix: &str, path: &Path) -> Result<Summary> {
    let xlsx = |e| super::xlsx_err(path, e);
    let (sources, rest) = rayon::join(
        || sources_workbook(batch, config, link_prefix),
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
                overview(s, batch, config)?,
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
