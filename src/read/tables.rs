//! Finding tables and labels in a sheet as a clerk reads them, on any format's grid (the
//! [`Sheet`] a format's reader hands over, never copied): the header in the top rows
//! (`header`), the rows below it with what is not data set aside, a second table below the
//! first, the label cells above and below, the hidden identity sheet. No library here.

use std::borrow::Cow;

use super::header::{self, Grid, Head};
use crate::config::Config;
use crate::finding::{Code, Finding};
use crate::labels::LabelKey;
use crate::layout;
use crate::messages as msg;
use crate::model::{CellRef, Labels, LowerSheet, Raw, RawRow, RawTable, RawWorkbook, TableKind};

/// How many rows from the top are searched for a header row.
const HEADER_SEARCH_ROWS: u32 = 40;

/// A merged range: its first and last cell (row, column).
pub type Merge = ((u32, u32), (u32, u32));

/// A sheet's cells as a format's reader holds them: where they start and end, and each by
/// its position.
pub trait Sheet {
    type Cell: Value;
    /// The first non-empty cell's row and the first column (zero-based).
    fn start(&self) -> Option<(u32, u32)>;
    /// The last row and column.
    fn end(&self) -> Option<(u32, u32)>;
    /// The cell at a position; `None` outside the sheet's cells.
    fn get(&self, row: u32, col: u32) -> Option<&Self::Cell>;
}

/// A cell as calamine hands it over: owned (`Data`, from .xls and .ods) or borrowing the
/// shared strings (`DataRef`, from .xlsx).
pub trait Value {
    /// The cell as a raw value.
    fn raw(&self) -> Raw;
    /// The text of a text cell (`None` for any other cell).
    fn text(&self) -> Option<&str>;

    /// The cell as text: text cells as they are, others as displayed.
    fn display(&self) -> Cow<'_, str> {
        match self.text() {
            Some(t) => Cow::Borrowed(t),
            None => Cow::Owned(self.raw().display()),
        }
    }
}

/// Reads one sheet's grid: the hidden identity sheet, or a known table and its labels. A
/// sheet without a table still gives its labels and title (a unit's file whose table cannot
/// be read is still known to be the unit's).
pub fn read_sheet<S: Sheet>(range: &S, name: &str, wb: &mut RawWorkbook, config: &Config) {
    if name == layout::SHEET_META {
        wb.meta = read_meta(range);
        return;
    }
    // 下级明细 of a return filled for the level above: the lower units' rows behind the
    // figures, not figures of the return. The figures' states travel in `_huizong`.
    // Known by its name, or by its header under another name (renamed by hand).
    if name == layout::SHEET_LOWER_DETAIL || lower_header(range).is_some() {
        wb.lower = Some(read_lower(range));
        return;
    }
    let Some((start, _)) = range.start() else {
        return;
    };
    let Some((end, _)) = range.end() else {
        return;
    };
    let Some((table, mut next)) = find_table(range, name, config, start) else {
        let top = start..=end.min(start + HEADER_SEARCH_ROWS);
        read_labels(range, name, top, true, &mut wb.loose_labels);
        if let Some(unread) = table_like(range, name) {
            wb.unread_sheets.push(unread);
        }
        return;
    };
    take_table(range, name, table, true, wb);
    // A second table below the first (the investment table under the progress table).
    while let Some(from) = next {
        let Some((table, after)) = find_table(range, name, config, from) else {
            break;
        };
        take_table(range, name, table, false, wb);
        next = after;
    }
}

/// Adds a table found on a sheet, with its labels (above the first table, and the
/// signature lines below it), its money unit and its extra columns.
fn take_table<S: Sheet>(
    range: &S,
    name: &str,
    mut table: RawTable,
    first: bool,
    wb: &mut RawWorkbook,
) {
    if table.kind != TableKind::Tasks {
        // A later table's money line stands just above its header.
        let start = if first {
            range.start().map_or(0, |(r, _)| r)
        } else {
            table.header_row.saturating_sub(3)
        };
        let above = start..table.header_row;
        let money = read_labels(range, name, above, first, &mut wb.labels);
        let footers = table.skipped.iter().map(|(r, _)| *r).collect::<Vec<_>>();
        read_labels(range, name, footers.into_iter(), false, &mut wb.labels);
        // A `单位：元` line above the table sets the money unit of the amounts whose
        // header names none.
        if table.kind == TableKind::Invest
            && let Some((unit, at)) = money
        {
            for amount in layout::invest::AMOUNTS {
                let i = table.index(amount);
                if table.cols[i].is_some() && table.money[i].is_none() {
                    table.money[i] = Some((unit.clone(), at.clone()));
                }
            }
        }
        // A unit named in one amount header (`自年初累计完成投资（元）`) is the table's: it
        // applies to the amounts whose header names none (the funding sources under a
        // merged 资金来源 group), when the headers that name one agree.
        if table.kind == TableKind::Invest {
            let named: Vec<(String, crate::model::CellRef)> = layout::invest::AMOUNTS
                .iter()
                .filter_map(|a| table.money[table.index(a)].clone())
                .collect();
            if let Some((unit, at)) = named.first().cloned()
                && named.iter().all(|(u, _)| *u == unit)
            {
                for amount in layout::invest::AMOUNTS {
                    let i = table.index(amount);
                    if table.cols[i].is_some() && table.money[i].is_none() {
                        table.money[i] = Some((unit.clone(), at.clone()));
                    }
                }
            }
        }
    }
    for (text, col) in &table.extras {
        // A task list's 节点目标 (`6月底目标`) is read by the task list.
        if table.kind == TableKind::Tasks && crate::normalize::milestone_month(text).is_some() {
            continue;
        }
        wb.findings.push(
            Finding::new(Code::ExtraColumn, msg::extra_column(text))
                .file(wb.rel.clone())
                .at(&CellRef::new(name, table.header_row, *col)),
        );
    }
    wb.tables.push(table);
}

/// The hidden identity sheet's key–value rows: its first two columns.
fn read_meta<S: Sheet>(range: &S) -> Vec<(String, String)> {
    let text = |c: Option<&S::Cell>| {
        c.map(|c| c.display().trim().to_string())
            .unwrap_or_default()
    };
    let (Some((top, left)), Some((bottom, _))) = (range.start(), range.end()) else {
        return Vec::new();
    };
    (top..=bottom)
        .filter_map(|r| {
            let k = text(range.get(r, left));
            (!k.is_empty()).then(|| (k, text(range.get(r, left + 1))))
        })
        .collect()
}

/// The row of 下级明细's header (its nine columns, as written), near the top.
fn lower_header<S: Sheet>(range: &S) -> Option<u32> {
    let (top, _) = range.start()?;
    let (bottom, _) = range.end()?;
    // Headers are broken for print (`任务\n编号`): compared without their whitespace, with
    // no copy (every sheet's top rows are asked).
    let is = |r: u32, c: u32, h: &str| {
        let shown = range.get(r, c).map(Value::display);
        let shown = shown.as_deref().unwrap_or("");
        shown.chars().filter(|c| !c.is_whitespace()).eq(h.chars())
    };
    (top..=bottom.min(top + 10)).find(|&r| {
        layout::lower::ALL
            .iter()
            .enumerate()
            .all(|(c, h)| is(r, c as u32, h))
    })
}

/// 下级明细: the line above its header (the coverage) and the cells of the rows below it.
fn read_lower<S: Sheet>(range: &S) -> LowerSheet {
    let text = |r: u32, c: u32| {
        range
            .get(r, c)
            .map(|v| v.display().trim().to_string())
            .unwrap_or_default()
    };
    let Some((bottom, _)) = range.end() else {
        return LowerSheet::default();
    };
    let Some(header) = lower_header(range) else {
        return LowerSheet::default();
    };
    let width = layout::lower::ALL.len() as u32;
    LowerSheet {
        coverage: if header > 0 {
            text(header - 1, 0)
        } else {
            String::new()
        },
        rows: (header + 1..=bottom)
            .map(|r| {
                let cells = (0..width)
                    .map(|c| range.get(r, c).map_or(Raw::Empty, |v| v.raw()))
                    .collect();
                (r, cells)
            })
            .filter(|(_, cells): &(u32, Vec<Raw>)| cells.iter().any(|c| !c.is_empty()))
            .collect(),
    }
}

/// A cell as the header search sees it.
fn head<T: Value>(cell: Option<&T>) -> Head<'_> {
    match cell {
        None => Head::Empty,
        Some(v) => match v.text() {
            Some(t) if t.trim().is_empty() => Head::Empty,
            Some(t) => Head::Text(t),
            None if v.raw().is_empty() => Head::Empty,
            None => Head::Figure,
        },
    }
}

/// Finds the header of a known table in the top rows (`header::find`) and reads the rows
/// below it. Rows that are not data are set aside with why: a row of column numbers under
/// the header (`甲 乙 1 2 3`), a signature line (`填报人：…`), a note (`注：…`).
fn find_table<S: Sheet>(
    range: &S,
    sheet: &str,
    config: &Config,
    start_row: u32,
) -> Option<(RawTable, Option<u32>)> {
    let (_, start_col) = range.start()?;
    let (end_row, end_col) = range.end()?;
    let width = (end_col - start_col + 1) as usize;
    // Rows that may start a header (two texts or more, no figure), found by a scan that
    // copies nothing; the header search looks at a few rows from each.
    let last = end_row.min(start_row + HEADER_SEARCH_ROWS);
    let search = |context: &str, projects: bool| {
        (start_row..=last)
            .filter(|&r| may_start_header(range, r, start_col, end_col))
            .find_map(|r| {
                let bottom = end_row.min(r + header::WINDOW);
                let grid = Grid::build(r, bottom, start_col, width, |r, c| head(range.get(r, c)))
                    .with_context(context);
                let grid = if projects {
                    grid.projects_as_tasks()
                } else {
                    grid
                };
                header::find(&grid, config)
            })
    };
    // A sheet named or titled for investment (`投资`, `投资完成情况（单位：亿元）`) whose
    // columns say only `本月完成 | 累计完成`: read as a clerk would, as investment.
    // Last, a unit's own `项目 | 本月完成量 | 累计完成`: its projects are the tasks.
    let found = search("", false).or_else(|| {
        let titled = sheet.contains("投资")
            || (start_row..=last.min(start_row + 5)).any(|r| {
                (start_col..=end_col).any(|c| {
                    range
                        .get(r, c)
                        .and_then(Value::text)
                        .is_some_and(|t| t.contains("投资"))
                })
            });
        if titled {
            search("投资", false)
        } else {
            None
        }
    });
    let found = found.or_else(|| search("", true))?;
    let first_data = found.row + found.rows;
    let text_at = |r: u32, c: u32| {
        range
            .get(r, c)
            .and_then(Value::text)
            .filter(|t| !t.trim().is_empty())
    };
    let mut rows = Vec::new();
    let mut skipped = Vec::new();
    let mut next = None;
    for row in first_data..=end_row {
        // Another table's header: this table ends above it.
        if row > first_data && starts_table(range, row, start_col, width, config) {
            next = Some(row);
            break;
        }
        let mut cells: Vec<Raw> = found
            .cols
            .iter()
            .map(|c| {
                c.and_then(|c| range.get(row, c))
                    .map_or(Raw::Empty, Value::raw)
            })
            .collect();
        let lead = (start_col..=end_col).find_map(|c| text_at(row, c).map(|t| (c, t)));
        if cells.iter().all(Raw::is_empty) {
            // A task list's category heading merged across, its text in a column the list
            // does not name: kept as a heading in the name's place.
            if found.kind == TableKind::Tasks
                && let Some((_, t)) = lead
            {
                let name = found
                    .kind
                    .columns()
                    .iter()
                    .position(|c| *c == layout::tasks::NAME);
                if let Some(i) = name {
                    cells[i] = Raw::Text(t.to_string());
                    rows.push(RawRow {
                        row,
                        cells,
                        extra: Vec::new(),
                    });
                }
            }
            continue;
        }
        let figures = cells
            .iter()
            .any(|c| matches!(c, Raw::Number(_) | Raw::Date(_)));
        if row == first_data && column_numbers(range, row, start_col, end_col) {
            skipped.push((row, msg::COLUMN_NUMBERS_ROW.to_string()));
            continue;
        }
        if !figures
            && let Some((_, t)) = lead
            && is_footer(t)
        {
            skipped.push((row, msg::FOOTER_ROW.to_string()));
            continue;
        }
        // A task list's other columns (节点目标 among them) are kept for it to read.
        let extra = match found.kind {
            TableKind::Tasks => found
                .extras
                .iter()
                .map(|(_, c)| range.get(row, *c).map_or(Raw::Empty, Value::raw))
                .collect(),
            _ => Vec::new(),
        };
        rows.push(RawRow { row, cells, extra });
    }
    let money = found
        .money
        .iter()
        .map(|m| m.map(|(u, r, c)| (u.to_string(), CellRef::new(sheet, r, c))))
        .collect();
    let table = RawTable {
        kind: found.kind,
        sheet: sheet.into(),
        header_row: found.row,
        cols: found.cols,
        extras: found.extras,
        rows,
        header_rows: found.rows,
        money,
        skipped,
        names_from: found.names_from,
    };
    Some((table, next))
}

/// Whether a known table's header starts at `row`: a row of texts only (a data row of
/// figures never is one) that, with the rows below it, names a table's columns. Rows
/// between it and the table above (a title, a `单位：元` line) belong to the new table.
fn starts_table<S: Sheet>(range: &S, row: u32, left: u32, width: usize, config: &Config) -> bool {
    let right = left + width as u32 - 1;
    if !may_start_header(range, row, left, right) {
        return false;
    }
    let label = (left..=right).any(|c| {
        range
            .get(row, c)
            .and_then(Value::text)
            .is_some_and(crate::labels::is_label)
    });
    if label {
        return false;
    }
    let bottom = row + 3;
    let grid = Grid::build(row, bottom, left, width, |r, c| head(range.get(r, c)));
    header::find(&grid, config).is_some_and(|f| f.row == row)
}

/// A block that looks like a table a person would read (a row of three texts or more, a
/// row of figures within the next three) in a sheet where no known table was found: its
/// header row's first cell and texts.
fn table_like<S: Sheet>(range: &S, sheet: &str) -> Option<(CellRef, String)> {
    let (start, left) = range.start()?;
    let (end, right) = range.end()?;
    let right = right.min(left + 64);
    let texts = |r: u32| -> Vec<String> {
        (left..=right)
            .filter_map(|c| range.get(r, c).and_then(Value::text))
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect()
    };
    let figures = |r: u32| {
        (left..=right)
            .filter(|&c| {
                range
                    .get(r, c)
                    .is_some_and(|v| v.text().is_none() && !v.raw().is_empty())
            })
            .count()
    };
    for r in start..=end.min(start + HEADER_SEARCH_ROWS) {
        let heads = texts(r);
        if heads.len() >= 3 && figures(r) == 0 && (r + 1..=end.min(r + 3)).any(|b| figures(b) >= 2)
        {
            let first = (left..=right)
                .find(|&c| range.get(r, c).and_then(Value::text).is_some())
                .unwrap_or(left);
            return Some((CellRef::new(sheet, r, first), heads.join("、")));
        }
    }
    None
}

/// Whether a row has two texts or more and no figure: only such a row can start a header.
fn may_start_header<S: Sheet>(range: &S, row: u32, from: u32, to: u32) -> bool {
    let mut texts = 0;
    for c in from..=to.min(from + 512) {
        match range.get(row, c) {
            None => {}
            Some(v) => match v.text() {
                Some(t) if t.trim().is_empty() => {}
                Some(_) => texts += 1,
                None if v.raw().is_empty() => {}
                None => return false,
            },
        }
    }
    texts >= 2
}

/// Whether a row under the header numbers the columns (`甲 | 乙 | 1 | 2 | 3 | 4=2+3`), as
/// statistical forms do: it is not data.
fn column_numbers<S: Sheet>(range: &S, row: u32, from: u32, to: u32) -> bool {
    let mut last = 0.0;
    let mut numbers = 0;
    for c in from..=to {
        let Some(v) = range.get(row, c) else {
            continue;
        };
        match v.raw() {
            Raw::Empty => {}
            Raw::Number(n) if n.fract() == 0.0 && n > last => {
                last = n;
                numbers += 1;
            }
            Raw::Text(t) => {
                let t = t.trim();
                match t.parse::<f64>() {
                    Ok(n) if n.fract() == 0.0 && n > last => {
                        last = n;
                        numbers += 1;
                    }
                    _ if ["甲", "乙", "丙", "丁", "戊", "栏次", "行次", "序号"].contains(&t)
                        || t.contains('=') => {}
                    _ => return false,
                }
            }
            _ => return false,
        }
    }
    numbers >= 3
}

/// Whether a row below the table is a signature line or a note rather than data.
fn is_footer(lead: &str) -> bool {
    let t = crate::normalize::norm_header(lead);
    [
        "注:",
        "注1",
        "注：",
        "说明:",
        "填表说明",
        "填报说明",
        "备注:",
    ]
    .iter()
    .any(|p| t.starts_with(&crate::normalize::norm_header(p)))
        || crate::labels::is_label(lead)
}

/// Reads the label cells (`填报单位：` …) in `rows`: the value in the same cell after the
/// label (several labels may share a cell), or the next non-empty cell to its right. With
/// `titles`, other texts are the table's title lines. Returns the money unit a `单位：元`
/// line states, with its cell.
fn read_labels<S: Sheet>(
    range: &S,
    sheet: &str,
    rows: impl Iterator<Item = u32>,
    titles: bool,
    labels: &mut Labels,
) -> Option<(String, CellRef)> {
    let (_, start_col) = range.start()?;
    let (_, end_col) = range.end()?;
    let mut money = None;
    for r in rows {
        // Whether the cell just left of this one ends with a label whose value is beside it.
        let mut open = false;
        for c in start_col..=end_col {
            let after_label = std::mem::replace(&mut open, false);
            let Some(original) = range.get(r, c).and_then(Value::text) else {
                continue;
            };
            if original.trim().is_empty() {
                continue;
            }
            let parsed = crate::labels::parse(original);
            open = parsed.last().is_some_and(|(_, v)| v.is_empty());
            if parsed.is_empty() {
                // A value right of a label is not a title.
                if titles && !after_label && labels.titles.len() < 4 {
                    labels
                        .titles
                        .push((original.trim().to_string(), CellRef::new(sheet, r, c)));
                }
                continue;
            }
            let n = parsed.len();
            for (k, (key, value)) in parsed.into_iter().enumerate() {
                let at = CellRef::new(sheet, r, c);
                let slot = match key {
                    LabelKey::Unit => &mut labels.unit,
                    LabelKey::Period => &mut labels.period,
                    LabelKey::Reporter => &mut labels.reporter,
                    LabelKey::Phone => &mut labels.phone,
                    LabelKey::Date => &mut labels.date,
                    LabelKey::Money => {
                        if money.is_none() {
                            money = Some((value, at));
                        }
                        continue;
                    }
                };
                if slot.is_some() && key != LabelKey::Unit {
                    continue;
                }
                let found = if !value.is_empty() {
                    Some((Raw::Text(value), at.clone()))
                } else if k + 1 == n {
                    (c + 1..=end_col.min(c + 4)).find_map(|vc| {
                        range
                            .get(r, vc)
                            .map(Value::raw)
                            .filter(|v| !v.is_empty())
                            // Stop at the next label.
                            .filter(|v| !matches!(v, Raw::Text(t) if crate::labels::is_label(t)))
                            .map(|v| (v, CellRef::new(sheet, r, vc)))
                    })
                } else {
                    None
                };
                // Every sheet's own 填报单位 (a workbook may hold two units' returns).
                if key == LabelKey::Unit
                    && let Some((v, at)) = &found
                {
                    labels.units_seen.push((v.display(), at.clone()));
                }
                if slot.is_some() {
                    continue;
                }
                *slot = Some(match found {
                    Some(f) => f,
                    None if k + 1 == n => (Raw::Empty, CellRef::new(sheet, r, c + 1)),
                    None => (Raw::Empty, at),
                });
            }
        }
    }
    money
}

/// Whether the last table read is a task list on this sheet.
pub fn reads_task_list(wb: &RawWorkbook, sheet: &str) -> bool {
    wb.tables
        .last()
        .is_some_and(|t| t.kind == TableKind::Tasks && &*t.sheet == sheet)
}

/// The task list's text columns a merged cell is read down (类别, 责任单位, 配合单位, 完成时限,
/// 建设内容及目标), never its figures (a target merged over two tasks is not each task's
/// target): each one's index among the table's columns, with its sheet column.
fn filled_down(table: &RawTable) -> impl Iterator<Item = (usize, u32)> + '_ {
    use crate::layout::tasks as tc;
    [
        tc::CATEGORY,
        tc::UNITS,
        tc::PARTNERS,
        tc::DEADLINE,
        tc::CONTENT,
    ]
    .into_iter()
    .filter_map(|f| {
        let i = table.index(f);
        table.cols[i].map(|c| (i, c))
    })
}

/// Whether the task list just read has a blank cell a merge could fill: one below a cell
/// with a value in the same column (a merge is read down from its first cell). Without one
/// its merged cells change nothing, and the sheet need not be read again for them; a column
/// left blank throughout (配合单位 often is) has none.
pub fn may_fill_merged(wb: &RawWorkbook) -> bool {
    wb.tables.last().is_some_and(|table| {
        filled_down(table).any(|(i, _)| {
            let mut above = false;
            table.rows.iter().any(|r| {
                let blank = r.cells[i].is_empty();
                above |= !blank;
                above && blank
            })
        })
    })
}

/// A cell merged down over several rows holds its value in its first row only: a person
/// reads it on every row it spans, in the task list's text columns ([`filled_down`]).
pub fn fill_merged_down(wb: &mut RawWorkbook, merges: &[Merge]) {
    let Some(table) = wb.tables.last_mut() else {
        return;
    };
    let fill: Vec<(usize, u32)> = filled_down(table).collect();
    for (start, end) in merges.iter().filter(|(s, e)| e.0 > s.0) {
        let (top, col) = *start;
        let Some(i) = fill.iter().find(|(_, c)| *c == col).map(|(i, _)| *i) else {
            continue;
        };
        let Some(value) = table
            .rows
            .iter()
            .find(|r| r.row == top)
            .map(|r| r.cells[i].clone())
            .filter(|v| !v.is_empty())
        else {
            continue;
        };
        for r in table
            .rows
            .iter_mut()
            .filter(|r| r.row > top && r.row <= end.0)
        {
            if r.cells[i].is_empty() {
                r.cells[i] = value.clone();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::tasks as tc;

    /// A task list of three rows whose 类别 (column B) is filled as `category` says and whose
    /// 年度目标 (column D, a figure) is blank on the second row.
    fn list(category: [&str; 3]) -> RawWorkbook {
        let mut table = RawTable {
            kind: TableKind::Tasks,
            sheet: "清单".into(),
            header_row: 0,
            cols: vec![None; TableKind::Tasks.columns().len()],
            extras: Vec::new(),
            rows: Vec::new(),
            header_rows: 1,
            money: vec![None; TableKind::Tasks.columns().len()],
            skipped: Vec::new(),
            names_from: None,
        };
        let (cat, target) = (table.index(tc::CATEGORY), table.index(tc::TARGET));
        table.cols[cat] = Some(1);
        table.cols[target] = Some(3);
        for (k, c) in category.iter().enumerate() {
            let mut cells = vec![Raw::Empty; table.cols.len()];
            if !c.is_empty() {
                cells[cat] = Raw::Text(c.to_string());
            }
            if k != 1 {
                cells[target] = Raw::Number(10.0);
            }
            table.rows.push(RawRow {
                row: k as u32 + 1,
                cells,
                extra: Vec::new(),
            });
        }
        let mut wb = RawWorkbook::new("清单.xlsx".into(), "清单.xlsx".into());
        wb.tables.push(table);
        wb
    }

    #[test]
    fn a_value_beside_its_label_is_no_title_and_the_next_text_is() {
        use calamine::{Data, Range};
        let texts = [
            ["2020年6月重点任务进展", "", "", ""],
            [
                "填报单位：",
                "长春市交通运输局",
                "报送月份：2020-06",
                "某某说明",
            ],
            ["填报人：张三", "联系电话：", "", "第二行标题"],
        ];
        let mut range: Range<Data> = Range::new((0, 0), (2, 3));
        for (r, row) in texts.iter().enumerate() {
            for (c, t) in row.iter().enumerate() {
                if !t.is_empty() {
                    range.set_value((r as u32, c as u32), Data::String(t.to_string()));
                }
            }
        }
        range.set_value((2, 2), Data::Float(88888888.0));
        let mut labels = Labels::default();
        read_labels(&range, "表", 0..3, true, &mut labels);
        let titles: Vec<&str> = labels.titles.iter().map(|(t, _)| t.as_str()).collect();
        // `长春市交通运输局` is the value of the label left of it; `某某说明` stands right of a
        // label whose value is in its own cell, and `第二行标题` right of a label's value.
        assert_eq!(titles, ["2020年6月重点任务进展", "某某说明", "第二行标题"]);
        let unit = labels.unit.map(|(v, at)| (v.display(), at.a1()));
        assert_eq!(
            unit,
            Some(("长春市交通运输局".to_string(), "B2".to_string()))
        );
        let phone = labels.phone.map(|(v, at)| (v.display(), at.a1()));
        assert_eq!(phone, Some(("88888888".to_string(), "C3".to_string())));
    }

    #[test]
    fn merges_are_read_only_where_a_text_column_has_a_blank() {
        // A blank figure is never filled from a merge, nor a blank with no value above it:
        // no reason to read the merges.
        assert!(!may_fill_merged(&list(["公路", "公路", "水运"])));
        assert!(!may_fill_merged(&list(["", "", "水运"])));
        assert!(!may_fill_merged(&list(["", "", ""])));
        let mut wb = list(["公路", "", "水运"]);
        assert!(may_fill_merged(&wb));
        // 类别 and the target each merged over rows 1–2: only the 类别 is read down.
        fill_merged_down(&mut wb, &[((1, 1), (2, 1)), ((1, 3), (2, 3))]);
        let t = &wb.tables[0];
        let (cat, target) = (t.index(tc::CATEGORY), t.index(tc::TARGET));
        assert_eq!(t.rows[1].cells[cat], Raw::Text("公路".into()));
        assert_eq!(t.rows[1].cells[target], Raw::Empty);
        assert!(!may_fill_merged(&wb));
    }
}
