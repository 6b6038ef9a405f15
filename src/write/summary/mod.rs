//! The summary workbook (汇总表): every sheet of the contract (docs/architecture.md), formatted
//! to print. One file per sheet (or family of sheets), what they share in `common`; this
//! entry receives the consolidation's result and puts the sheets together in the
//! contract's order. Nothing here computes a figure.

use std::path::Path;

use rust_xlsxwriter::{Workbook, Worksheet};

use crate::config::Config;
use crate::consolidate::{Consolidated, Summary};
use crate::error::Result;
use crate::layout;

mod categories;
mod common;
mod findings;
mod invest;
mod overview;
mod problems;
mod roster;
mod sources;
mod statistics;
mod tasks;
mod trend;

use categories::categories_sheet;
use common::{SHEET_SOURCES, XResult};
use findings::findings_sheet;
use invest::invest_sheet;
use overview::{chart_data_sheet, overview};
use problems::{ProblemLayout, problems_sheet};
use roster::roster_sheet;
use sources::sources_workbook;
use tasks::{TaskLayout, tasks_sheet};
use trend::trend_sheet;

/// Writes the summary workbook of a consolidated batch to `path` (atomically); the entry
/// `run` and the benchmark share. `link_prefix` is the input folder relative to the output
/// folder (`../samples`), for the links of 数据来源. The workbook comes back as
/// [`Saved`](super::Saved), for the caller to free when it is done.
///
/// The thread plan: 数据来源 (the longest sheet) is built on one thread while the other
/// builds the sheets that need only the lists (报送情况, 问题汇总, 数据校验), then the
/// figures' sheets in two groups.
pub fn write(
    c: &Consolidated<'_>,
    config: &Config,
    link_prefix: &str,
    path: &Path,
) -> Result<super::Saved> {
    let xlsx = |e| super::xlsx_err(path, e);
    // The sheets with long texts are laid out first: 数据校验 lists each text that goes
    // on below its row.
    let file = path.file_name().map(|f| f.to_string_lossy().into_owned());
    let texts = Texts {
        tasks: TaskLayout::new(&c.summary, config),
        problems: ProblemLayout::new(c, config),
        file: file.unwrap_or_default(),
    };
    let (sources, others) = rayon::join(
        || sources_workbook(c, config, link_prefix),
        || -> XResult<OtherSheets> {
            let (lists, figures) = rayon::join(
                || list_sheets(c, config, &texts),
                || figure_sheets(c, config, &texts.tasks),
            );
            Ok(other_sheets(lists?, figures?))
        },
    );
    let mut wb =
        assemble(sources.map_err(xlsx)?, others.map_err(xlsx)?, &c.summary).map_err(xlsx)?;
    super::save(&mut wb, path)?;
    Ok(super::Saved { _workbook: wb })
}

/// Writes the statistics table's own workbook (投资完成情况表, to send upward) to `path`,
/// atomically: the summary's sheet `投资完成情况`, alone.
pub fn write_statistics(c: &Consolidated<'_>, config: &Config, path: &Path) -> Result<bool> {
    let Some(st) = &c.summary.statistics else {
        return Ok(false);
    };
    let mut wb =
        statistics::statistics_workbook(st, config).map_err(|e| super::xlsx_err(path, e))?;
    super::save(&mut wb, path)?;
    Ok(true)
}

/// The sheets that show the checked batch's lists (报送情况, 问题汇总, 数据校验).
struct ListSheets {
    roster: Worksheet,
    problems: Worksheet,
    findings: Worksheet,
}

/// The layouts of the sheets whose texts may go on below their rows, and the summary's
/// file name (数据校验 names it for those).
struct Texts {
    tasks: TaskLayout,
    problems: ProblemLayout,
    file: String,
}

fn list_sheets(c: &Consolidated<'_>, config: &Config, texts: &Texts) -> XResult<ListSheets> {
    let mut goes_on = texts.tasks.goes_on(&c.summary);
    goes_on.extend(texts.problems.goes_on(c, config));
    Ok(ListSheets {
        roster: roster_sheet(c.batch)?,
        problems: problems_sheet(c, config, &texts.problems)?,
        findings: findings_sheet(c.batch, &goes_on, &texts.file)?,
    })
}

/// Every sheet of the summary but 数据来源, in the contract's order: those before it and
/// those after it.
struct OtherSheets {
    before: Vec<Worksheet>,
    after: Vec<Worksheet>,
}

/// The sheets of the figures, in two groups (side by side when a thread is free).
struct FigureSheets {
    first: [Worksheet; 3],
    invest: Worksheet,
    statistics: Option<Worksheet>,
    trend: Option<Worksheet>,
    chart_data: Worksheet,
}

fn figure_sheets(
    c: &Consolidated<'_>,
    config: &Config,
    tasks: &TaskLayout,
) -> XResult<FigureSheets> {
    let s = &c.summary;
    let (first, last) = rayon::join(
        || -> XResult<[Worksheet; 3]> {
            Ok([
                overview(c, config)?,
                tasks_sheet(s, config, tasks)?,
                categories_sheet(s)?,
            ])
        },
        || -> XResult<(Worksheet, Option<Worksheet>, Option<Worksheet>, Worksheet)> {
            let trend = match s.periods.len() > 1 {
                true => Some(trend_sheet(s)?),
                false => None,
            };
            let statistics = match &s.statistics {
                Some(st) => Some(statistics::statistics_sheet(st, config)?),
                None => None,
            };
            Ok((
                invest_sheet(s, config)?,
                statistics,
                trend,
                chart_data_sheet(s, config)?,
            ))
        },
    );
    let (invest, statistics, trend, chart_data) = last?;
    Ok(FigureSheets {
        first: first?,
        invest,
        statistics,
        trend,
        chart_data,
    })
}

/// The lists and the figures' sheets in the contract's order.
fn other_sheets(lists: ListSheets, figures: FigureSheets) -> OtherSheets {
    let ListSheets {
        roster,
        problems,
        findings,
    } = lists;
    let FigureSheets {
        first,
        invest,
        statistics,
        trend,
        chart_data,
    } = figures;
    let mut before: Vec<Worksheet> = first.into();
    before.push(invest);
    before.extend(statistics);
    before.push(roster);
    before.extend(trend);
    before.push(problems);
    before.push(findings);
    OtherSheets {
        before,
        after: vec![chart_data],
    }
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
