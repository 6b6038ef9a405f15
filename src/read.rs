//! Reading workbooks with calamine: the only module that touches calamine.
//!
//! A sheet is recognised by its header row, not by its name. What is read is returned raw
//! ([`RawWorkbook`]): interpretation (numbers, identity, tasks) is done by pure code.

use std::borrow::Cow;
use std::io::Cursor;
use std::path::Path;

use calamine::{
    CellType, Data, DataRef, DataType, ExcelDateTime, Ods, OdsError, Range, Reader, Sheets, Xls,
    XlsError, Xlsb, XlsbError, Xlsx, XlsxError, open_workbook_auto_from_rs,
};

use crate::biff::{self, Prescan};
use crate::biff_crypt::{self, Encryption};
use crate::cell::Span;
use crate::config::Config;
use crate::finding::{Code, Finding};
use crate::guard;
use crate::header::{self, Grid, Head};
use crate::kind::{self, Kind};
use crate::labels::LabelKey;
use crate::layout;
use crate::messages as msg;
use crate::model::{CellRef, Labels, Raw, RawRow, RawTable, RawWorkbook, TableKind};
use crate::normalize::parse_date_text;

/// The password Excel uses when a workbook is encrypted without one being asked for.
const EXCEL_DEFAULT_KEY: &str = "VelvetSweatshop";

/// How many rows from the top are searched for a header row.
const HEADER_SEARCH_ROWS: u32 = 40;

/// Reads one workbook. Never fails: a file that cannot be read yields a finding.
pub fn read_workbook(path: &Path, rel: &str, config: &Config) -> RawWorkbook {
    let mut wb = RawWorkbook::new(path.to_path_buf(), rel.to_string());
    let fail = |wb: &mut RawWorkbook, code: Code, text: String| {
        wb.unreadable = true;
        wb.findings
            .push(Finding::new(code, text).file(rel.to_string()));
    };
    let size = match std::fs::metadata(path) {
        Ok(m) => {
            wb.modified = modified_secs(&m);
            m.len()
        }
        Err(e) => {
            fail(&mut wb, Code::FileUnreadable, msg::file_io(&e));
            return wb;
        }
    };
    if size > config.limits.max_file_bytes {
        fail(
            &mut wb,
            Code::FileLimit,
            msg::file_too_big(size, config.limits.max_file_bytes),
        );
        return wb;
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            fail(&mut wb, Code::FileUnreadable, msg::file_io(&e));
            return wb;
        }
    };
    read_bytes(&bytes, &mut wb, config);
    wb
}

/// Reads a workbook held in memory into `wb`.
pub fn read_bytes(bytes: &[u8], wb: &mut RawWorkbook, config: &Config) {
    // A library that panics on a damaged file (calamine's cell-reference arithmetic does in
    // a debug build) costs that file, here as in the worker: a finding, never a panic.
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_bytes_unguarded(bytes, wb, config)
    }));
    if caught.is_err() {
        let finding = Finding::new(Code::FileUnreadable, msg::READER_PANIC).file(wb.rel.clone());
        *wb = RawWorkbook::failed(wb.path.clone(), wb.rel.clone(), finding);
    }
}

fn read_bytes_unguarded(bytes: &[u8], wb: &mut RawWorkbook, config: &Config) {
    let rel = wb.rel.clone();
    let kind = kind::detect(bytes);
    if kind == Kind::Xls
        && let Err(refusal) = guard::check_compound(bytes)
    {
        wb.unreadable = true;
        wb.findings
            .push(Finding::new(refusal.code(), refusal.message()).file(rel));
        return;
    }
    if kind == Kind::Xls {
        match biff_crypt::open(bytes) {
            Encryption::None => {}
            // Excel opens it without asking: so does huizong, from a decrypted copy.
            Encryption::DefaultKey(plain) => return read_bytes(&plain, wb, config),
            Encryption::Password => {
                wb.unreadable = true;
                wb.findings
                    .push(Finding::new(Code::FileUnreadable, msg::ENCRYPTED).file(rel));
                return;
            }
        }
        let limit = config.limits.max_cells_per_sheet;
        match biff::prescan(bytes, limit) {
            Prescan::Fine => {}
            // The copy's declarations are within the limit: read it instead.
            Prescan::Patched(copy) => return read_bytes(&copy, wb, config),
            Prescan::TooSpread {
                sheet,
                span,
                filled,
            } => {
                wb.unreadable = true;
                wb.findings.push(
                    Finding::new(
                        Code::FileLimit,
                        msg::cells_spread(&span, Some(filled), limit),
                    )
                    .file(rel)
                    .sheet(&sheet),
                );
                return;
            }
        }
    }
    if kind == Kind::EncryptedOoxml {
        // Excel opens a file encrypted only with its default key without asking anything;
        // so does huizong. Any other password is the unit's to remove.
        // The decryptor follows the compound file's chains: only sound ones.
        let decrypted = guard::check_compound(bytes).ok().and_then(|()| {
            office_crypto::decrypt_from_bytes(bytes.to_vec(), EXCEL_DEFAULT_KEY).ok()
        });
        match decrypted {
            Some(plain) if kind::detect(&plain) == Kind::Xlsx => {
                return read_bytes(&plain, wb, config);
            }
            _ => {
                wb.unreadable = true;
                wb.findings
                    .push(Finding::new(Code::FileUnreadable, msg::ENCRYPTED).file(rel));
                return;
            }
        }
    }
    if let Some(reason) = sniff(kind) {
        wb.unreadable = true;
        wb.findings
            .push(Finding::new(Code::FileUnreadable, reason).file(rel));
        return;
    }
    if bytes.starts_with(b"PK")
        && let Err(refusal) = guard::check_zip(bytes, &config.limits)
    {
        wb.unreadable = true;
        wb.findings
            .push(Finding::new(refusal.code(), refusal.message()).file(rel));
        return;
    }
    match kind {
        Kind::Xlsx => read_xlsx(bytes, wb, config),
        Kind::Xlsb => read_xlsb(bytes, wb, config),
        _ => read_other(bytes, kind, wb, config),
    }
}

/// Reads a workbook that is not an .xlsx (.xls, .ods, .xlsb) through calamine's whole-sheet
/// ranges, opened as the format its bytes are.
fn read_other(bytes: &[u8], kind: Kind, wb: &mut RawWorkbook, config: &Config) {
    let rel = wb.rel.clone();
    let cursor = || Cursor::new(bytes);
    let opened: Result<Sheets<Cursor<&[u8]>>, bool> = match kind {
        Kind::Xls => Xls::new(cursor())
            .map(Sheets::Xls)
            .map_err(|e| matches!(e, XlsError::Password)),
        Kind::Ods => Ods::new(cursor())
            .map(Sheets::Ods)
            .map_err(|e| matches!(e, OdsError::Password)),
        Kind::Xlsb => Xlsb::new(cursor())
            .map(Sheets::Xlsb)
            .map_err(|e| matches!(e, XlsbError::Password)),
        _ => open_workbook_auto_from_rs(cursor()).map_err(|_| false),
    };
    let mut book = match opened {
        Ok(b) => b,
        Err(password) => {
            wb.unreadable = true;
            let text = if password {
                msg::ENCRYPTED
            } else if guard::declares_entities(bytes) {
                msg::XML_ENTITIES
            } else {
                msg::DAMAGED
            };
            wb.findings
                .push(Finding::new(Code::FileUnreadable, text).file(rel));
            return;
        }
    };
    for name in book.sheet_names() {
        match book.worksheet_range(&name) {
            Ok(range) => {
                let mut span = Span::default();
                for (r, c) in [range.start(), range.end()].into_iter().flatten() {
                    span.add(r, c);
                }
                if span.area() > config.limits.max_cells_per_sheet {
                    too_many_cells(wb, &name, &span, config);
                    return;
                }
                read_sheet(&range, &name, wb, config);
                if let Sheets::Xls(xls) = &book
                    && reads_task_list(wb, &name)
                    && let Ok(merges) = xls.merge_cells_by_sheet_name(&name)
                {
                    fill_merged_down(wb, &merges);
                }
            }
            Err(_) => sheet_unreadable(wb, &name, bytes),
        }
    }
}

/// Reads an .xlsx sheet by sheet, streaming each sheet's cells: shared strings are borrowed,
/// not copied, and the grid a sheet spans is bounded before it is allocated (calamine would
/// allocate it whole, and abort the process when that fails).
fn read_xlsx(bytes: &[u8], wb: &mut RawWorkbook, config: &Config) {
    let Ok(mut book) = Xlsx::new(Cursor::new(bytes)) else {
        return read_other(bytes, Kind::Xlsx, wb, config);
    };
    for name in book.sheet_names() {
        let mut reader = match book.worksheet_cells_reader(&name) {
            Ok(r) => r,
            // A chart sheet or a dialog sheet holds no cells.
            Err(XlsxError::NotAWorksheet(_)) => continue,
            Err(_) => {
                sheet_unreadable(wb, &name, bytes);
                continue;
            }
        };
        // A figure shown as a percentage (`85%`, stored as 0.85) is read as the unit saw and
        // typed it.
        let percent: Vec<bool> = reader
            .styles()
            .iter()
            .map(|s| {
                s.number_format
                    .as_ref()
                    .is_some_and(|f| is_percent_format(&f.format_code))
            })
            .collect();
        let streamed = if percent.iter().any(|p| *p) {
            stream_sheet(
                || {
                    reader
                        .next_cell_with_style_id()
                        .map(|c| {
                            c.map(|(cell, style)| {
                                let figure = match cell.get_value() {
                                    DataRef::Float(v) => Some(*v),
                                    DataRef::Int(v) => Some(*v as f64),
                                    _ => None,
                                };
                                match figure.filter(|_| percent.get(style) == Some(&true)) {
                                    Some(v) => {
                                        calamine::Cell::new(cell.get_position(), percent_text(v))
                                    }
                                    None => cell,
                                }
                            })
                        })
                        .map_err(drop)
                },
                config,
            )
        } else {
            stream_sheet(|| reader.next_cell().map_err(drop), config)
        };
        drop(reader);
        if !take_sheet(streamed, &name, wb, bytes, config) {
            return;
        }
        // A figure left blank beside others may be a formula saved without its result (a
        // file written by a script): then it is said to be one, never read as not filled.
        let blanks = blank_figures(wb, &name);
        if !blanks.is_empty()
            && let Ok(mut reader) = book.worksheet_cells_reader(&name)
        {
            let mut formulas = Vec::new();
            while let Ok(Some(c)) = reader.next_cell_with_formula() {
                if let Some(f) = c.formula
                    && c.value.is_empty()
                    && blanks.contains(&c.pos)
                {
                    formulas.push((c.pos, f));
                }
            }
            drop(reader);
            mark_formulas(wb, &name, &formulas);
        }
        // A task list's merged columns (a 类别 or 牵头单位 merged down over its tasks): read
        // once the sheet's cells are dropped, and only for the list (one file a run).
        if reads_task_list(wb, &name)
            && let Ok(merges) = book.merge_cells_by_sheet_name(&name)
        {
            fill_merged_down(wb, &merges);
        }
    }
}

/// The figure columns a return table has: each one's index among the table's columns and
/// its sheet column.
fn figure_columns(table: &RawTable) -> Vec<(usize, u32)> {
    let names: &[&str] = match table.kind {
        TableKind::Progress => &[layout::progress::MONTH, layout::progress::YTD],
        TableKind::Invest => &layout::invest::AMOUNTS,
        TableKind::Tasks => &[],
    };
    names
        .iter()
        .filter_map(|name| {
            let i = table.index(name);
            table.cols[i].map(|c| (i, c))
        })
        .collect()
}

/// The empty figure cells of this sheet's return tables in rows that hold another figure.
fn blank_figures(wb: &RawWorkbook, sheet: &str) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    for table in wb.tables.iter().filter(|t| &*t.sheet == sheet) {
        let cols = figure_columns(table);
        for row in &table.rows {
            if cols.iter().any(|(i, _)| !row.cells[*i].is_empty()) {
                out.extend(
                    cols.iter()
                        .filter(|(i, _)| row.cells[*i].is_empty())
                        .map(|(_, c)| (row.row, *c)),
                );
            }
        }
    }
    out
}

/// Marks the cells that hold a formula saved without its result.
fn mark_formulas(wb: &mut RawWorkbook, sheet: &str, formulas: &[((u32, u32), String)]) {
    for table in wb.tables.iter_mut().filter(|t| &*t.sheet == sheet) {
        let cols = figure_columns(table);
        for row in &mut table.rows {
            for (i, c) in &cols {
                if let Some((_, f)) = formulas.iter().find(|(p, _)| *p == (row.row, *c)) {
                    row.cells[*i] = Raw::Bad(format!("={}", f.trim_start_matches('=')));
                }
            }
        }
    }
}

/// Whether a number format shows its figure as a percentage: a `%` outside quoted text,
/// brackets and escapes, in its first section.
fn is_percent_format(code: &str) -> bool {
    let mut quoted = false;
    let mut bracket = false;
    let mut escaped = false;
    for c in code.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if !quoted => escaped = true,
            '"' => quoted = !quoted,
            '[' if !quoted => bracket = true,
            ']' if !quoted => bracket = false,
            ';' if !quoted && !bracket => return false,
            '%' if !quoted && !bracket => return true,
            _ => {}
        }
    }
    false
}

/// `85%` for 0.85, as the cell shows it.
fn percent_text<'a>(v: f64) -> DataRef<'a> {
    let p = (v * 100.0 * 1e9).round() / 1e9;
    DataRef::String(format!("{}%", crate::model::fmt_num(p)))
}

/// Whether the last table read is a task list on this sheet.
fn reads_task_list(wb: &RawWorkbook, sheet: &str) -> bool {
    wb.tables
        .last()
        .is_some_and(|t| t.kind == TableKind::Tasks && &*t.sheet == sheet)
}

/// A cell merged down over several rows holds its value in its first row only: a person
/// reads it on every row it spans. For the task list's text columns (类别, 责任单位, 配合单位,
/// 完成时限, 建设内容及目标), never its figures (a target merged over two tasks is not each
/// task's target).
fn fill_merged_down(wb: &mut RawWorkbook, merges: &[calamine::Dimensions]) {
    use crate::layout::tasks as tc;
    let Some(table) = wb.tables.last_mut() else {
        return;
    };
    let fill = [
        tc::CATEGORY,
        tc::UNITS,
        tc::PARTNERS,
        tc::DEADLINE,
        tc::CONTENT,
    ];
    for m in merges.iter().filter(|m| m.end.0 > m.start.0) {
        let (top, col) = m.start;
        let Some(i) = fill
            .iter()
            .map(|f| table.index(f))
            .find(|&i| table.cols[i] == Some(col))
        else {
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
            .filter(|r| r.row > top && r.row <= m.end.0)
        {
            if r.cells[i].is_empty() {
                r.cells[i] = value.clone();
            }
        }
    }
}

/// Reads an .xlsb as an .xlsx is read: each sheet's cells streamed, their grid bounded
/// before it is built.
fn read_xlsb(bytes: &[u8], wb: &mut RawWorkbook, config: &Config) {
    let Ok(mut book) = Xlsb::new(Cursor::new(bytes)) else {
        return read_other(bytes, Kind::Xlsb, wb, config);
    };
    for name in book.sheet_names() {
        let Ok(mut reader) = book.worksheet_cells_reader(&name) else {
            sheet_unreadable(wb, &name, bytes);
            continue;
        };
        let streamed = stream_sheet(|| reader.next_cell().map_err(drop), config);
        drop(reader);
        if !take_sheet(streamed, &name, wb, bytes, config) {
            return;
        }
    }
}

/// A sheet's cells as streamed.
enum Streamed<'a> {
    Cells(Vec<calamine::Cell<DataRef<'a>>>),
    /// They spread over more cells than allowed (as far as seen).
    TooSpread(Span),
    /// The reader failed.
    Broken,
}

/// Streams one sheet's non-empty cells, stopping as soon as they span more than the limit.
fn stream_sheet<'a>(
    mut next: impl FnMut() -> Result<Option<calamine::Cell<DataRef<'a>>>, ()>,
    config: &Config,
) -> Streamed<'a> {
    let limit = config.limits.max_cells_per_sheet;
    let mut cells = Vec::new();
    let mut span = Span::default();
    loop {
        match next() {
            Ok(Some(cell)) if cell.get_value().is_empty() => {}
            Ok(Some(cell)) => {
                let (r, c) = cell.get_position();
                if span.add(r, c) > limit {
                    return Streamed::TooSpread(span);
                }
                cells.push(cell);
            }
            Ok(None) => return Streamed::Cells(cells),
            Err(()) => return Streamed::Broken,
        }
    }
}

/// Reads a streamed sheet into `wb`; false when the whole file is refused.
fn take_sheet(
    streamed: Streamed<'_>,
    name: &str,
    wb: &mut RawWorkbook,
    bytes: &[u8],
    config: &Config,
) -> bool {
    match streamed {
        Streamed::Cells(cells) => read_sheet(&Range::from_sparse(cells), name, wb, config),
        Streamed::TooSpread(span) => {
            too_many_cells(wb, name, &span, config);
            return false;
        }
        Streamed::Broken => sheet_unreadable(wb, name, bytes),
    }
    true
}

/// A sheet spans more cells than allowed: the file is refused whole, as the pre-scan refuses
/// one.
fn too_many_cells(wb: &mut RawWorkbook, sheet: &str, span: &Span, config: &Config) {
    wb.unreadable = true;
    wb.findings.push(
        Finding::new(
            Code::FileLimit,
            msg::cells_spread(span, None, config.limits.max_cells_per_sheet),
        )
        .file(wb.rel.clone())
        .sheet(sheet),
    );
}

/// A sheet calamine could not read; entity declarations are named as the likely cause.
fn sheet_unreadable(wb: &mut RawWorkbook, sheet: &str, bytes: &[u8]) {
    let text = if guard::declares_entities(bytes) {
        msg::XML_ENTITIES
    } else {
        msg::SHEET_DAMAGED
    };
    wb.findings.push(
        Finding::new(Code::FileUnreadable, text)
            .file(wb.rel.clone())
            .sheet(sheet),
    );
}

/// Reads one sheet's grid: the hidden identity sheet, or a known table and its labels. A
/// sheet without a table still gives its labels and title (a unit's file whose table cannot
/// be read is still known to be the unit's).
fn read_sheet<T: Value>(range: &Range<T>, name: &str, wb: &mut RawWorkbook, config: &Config) {
    if name == layout::SHEET_META {
        wb.meta = read_meta(range);
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
fn take_table<T: Value>(
    range: &Range<T>,
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

/// Recognises what the bytes are before calamine sees them: `None` for a workbook to read,
/// else the message that says what the file is and what to send instead.
fn sniff(kind: Kind) -> Option<String> {
    Some(match kind {
        k if k.is_readable_workbook() => return None,
        Kind::Empty => msg::EMPTY_FILE.to_string(),
        Kind::EncryptedOoxml => msg::ENCRYPTED.to_string(),
        Kind::OldExcel => msg::OLD_EXCEL.to_string(),
        Kind::XmlSpreadsheet => msg::XML_SPREADSHEET.to_string(),
        Kind::BrokenZip => msg::TRUNCATED.to_string(),
        Kind::DamagedCompound => msg::DAMAGED.to_string(),
        Kind::Html => msg::IS_HTML.to_string(),
        other => msg::not_workbook(other.name()),
    })
}

fn modified_secs(meta: &std::fs::Metadata) -> i64 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs() as i64)
}

/// A cell as calamine hands it over: owned (`Data`, from .xls and .ods) or borrowing the
/// shared strings (`DataRef`, from .xlsx).
trait Value: CellType {
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

impl Value for Data {
    fn raw(&self) -> Raw {
        match self {
            Data::Empty => Raw::Empty,
            Data::Int(i) => Raw::Number(*i as f64),
            Data::Float(f) => Raw::Number(*f),
            Data::String(s) => text_raw(s),
            Data::Bool(b) => bool_raw(*b),
            Data::DateTime(dt) => date_raw(dt),
            Data::DateTimeIso(s) => parse_date_text(s).map_or(Raw::Text(s.clone()), Raw::Date),
            Data::DurationIso(s) => Raw::Text(s.clone()),
            Data::Error(e) => Raw::Bad(format!("#{e:?}")),
        }
    }

    fn text(&self) -> Option<&str> {
        match self {
            Data::String(s) => Some(s),
            _ => None,
        }
    }
}

impl Value for DataRef<'_> {
    fn raw(&self) -> Raw {
        match self {
            DataRef::Empty => Raw::Empty,
            DataRef::Int(i) => Raw::Number(*i as f64),
            DataRef::Float(f) => Raw::Number(*f),
            DataRef::String(s) => text_raw(s),
            DataRef::SharedString(s) => text_raw(s),
            DataRef::Bool(b) => bool_raw(*b),
            DataRef::DateTime(dt) => date_raw(dt),
            DataRef::DateTimeIso(s) => parse_date_text(s).map_or(Raw::Text(s.clone()), Raw::Date),
            DataRef::DurationIso(s) => Raw::Text(s.clone()),
            DataRef::Error(e) => Raw::Bad(format!("#{e:?}")),
        }
    }

    fn text(&self) -> Option<&str> {
        match self {
            DataRef::String(s) => Some(s),
            DataRef::SharedString(s) => Some(s),
            _ => None,
        }
    }
}

fn text_raw(s: &str) -> Raw {
    if s.trim().is_empty() {
        Raw::Empty
    } else {
        Raw::Text(s.to_string())
    }
}

fn bool_raw(b: bool) -> Raw {
    Raw::Bad(if b { "TRUE" } else { "FALSE" }.to_string())
}

fn date_raw(dt: &ExcelDateTime) -> Raw {
    let (y, m, day, ..) = dt.to_ymd_hms_milli();
    match chrono::NaiveDate::from_ymd_opt(y as i32, m as u32, day as u32) {
        Some(date) if dt.is_datetime() => Raw::Date(date),
        _ => Raw::Number(dt.as_f64()),
    }
}

fn read_meta<T: Value>(range: &Range<T>) -> Vec<(String, String)> {
    let text = |c: Option<&T>| {
        c.map(|c| c.display().trim().to_string())
            .unwrap_or_default()
    };
    range
        .rows()
        .filter_map(|r| {
            let k = text(r.first());
            (!k.is_empty()).then(|| (k, text(r.get(1))))
        })
        .collect()
}

/// A cell as the header search sees it.
fn head<T: Value>(cell: Option<&T>) -> Head {
    match cell {
        None => Head::Empty,
        Some(v) => match v.text() {
            Some(t) if t.trim().is_empty() => Head::Empty,
            Some(t) => Head::Text(t.to_string()),
            None if v.raw().is_empty() => Head::Empty,
            None => Head::Figure,
        },
    }
}

/// Finds the header of a known table in the top rows (`header::find`) and reads the rows
/// below it. Rows that are not data are set aside with why: a row of column numbers under
/// the header (`甲 乙 1 2 3`), a signature line (`填报人：…`), a note (`注：…`).
fn find_table<T: Value>(
    range: &Range<T>,
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
                let grid = Grid::build(r, bottom, start_col, width, |r, c| {
                    head(range.get_value((r, c)))
                })
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
                        .get_value((r, c))
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
            .get_value((r, c))
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
                c.and_then(|c| range.get_value((row, c)))
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
                .map(|(_, c)| range.get_value((row, *c)).map_or(Raw::Empty, Value::raw))
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
fn starts_table<T: Value>(
    range: &Range<T>,
    row: u32,
    left: u32,
    width: usize,
    config: &Config,
) -> bool {
    let right = left + width as u32 - 1;
    if !may_start_header(range, row, left, right) {
        return false;
    }
    let label = (left..=right).any(|c| {
        range
            .get_value((row, c))
            .and_then(Value::text)
            .is_some_and(crate::labels::is_label)
    });
    if label {
        return false;
    }
    let bottom = row + 3;
    let grid = Grid::build(row, bottom, left, width, |r, c| {
        head(range.get_value((r, c)))
    });
    header::find(&grid, config).is_some_and(|f| f.row == row)
}

/// A block that looks like a table a person would read (a row of three texts or more, a
/// row of figures within the next three) in a sheet where no known table was found: its
/// header row's first cell and texts.
fn table_like<T: Value>(range: &Range<T>, sheet: &str) -> Option<(CellRef, String)> {
    let (start, left) = range.start()?;
    let (end, right) = range.end()?;
    let right = right.min(left + 64);
    let texts = |r: u32| -> Vec<String> {
        (left..=right)
            .filter_map(|c| range.get_value((r, c)).and_then(Value::text))
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect()
    };
    let figures = |r: u32| {
        (left..=right)
            .filter(|&c| {
                range
                    .get_value((r, c))
                    .is_some_and(|v| v.text().is_none() && !v.raw().is_empty())
            })
            .count()
    };
    for r in start..=end.min(start + HEADER_SEARCH_ROWS) {
        let heads = texts(r);
        if heads.len() >= 3 && figures(r) == 0 && (r + 1..=end.min(r + 3)).any(|b| figures(b) >= 2)
        {
            let first = (left..=right)
                .find(|&c| range.get_value((r, c)).and_then(Value::text).is_some())
                .unwrap_or(left);
            return Some((CellRef::new(sheet, r, first), heads.join("、")));
        }
    }
    None
}

/// Whether a row has two texts or more and no figure: only such a row can start a header.
fn may_start_header<T: Value>(range: &Range<T>, row: u32, from: u32, to: u32) -> bool {
    let mut texts = 0;
    for c in from..=to.min(from + 512) {
        match range.get_value((row, c)) {
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
fn column_numbers<T: Value>(range: &Range<T>, row: u32, from: u32, to: u32) -> bool {
    let mut last = 0.0;
    let mut numbers = 0;
    for c in from..=to {
        let Some(v) = range.get_value((row, c)) else {
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
fn read_labels<T: Value>(
    range: &Range<T>,
    sheet: &str,
    rows: impl Iterator<Item = u32>,
    titles: bool,
    labels: &mut Labels,
) -> Option<(String, CellRef)> {
    let (_, start_col) = range.start()?;
    let (_, end_col) = range.end()?;
    let mut money = None;
    for r in rows {
        for c in start_col..=end_col {
            let Some(original) = range.get_value((r, c)).and_then(Value::text) else {
                continue;
            };
            if original.trim().is_empty() {
                continue;
            }
            let parsed = crate::labels::parse(original);
            if parsed.is_empty() {
                // A value right of a label is not a title.
                let after_label = c > start_col
                    && range
                        .get_value((r, c - 1))
                        .and_then(Value::text)
                        .is_some_and(|t| {
                            crate::labels::parse(t)
                                .last()
                                .is_some_and(|(_, v)| v.is_empty())
                        });
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
                            .get_value((r, vc))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8], config: &Config) -> RawWorkbook {
        let mut wb = RawWorkbook::new("t.xlsx".into(), "t.xlsx".into());
        read_bytes(bytes, &mut wb, config);
        wb
    }

    fn xlsx(cells: &[(u32, u16, &str)]) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        for (r, c, t) in cells {
            ws.write_string(*r, *c, *t).unwrap();
        }
        book.save_to_buffer().unwrap()
    }

    #[test]
    fn percent_formats_are_known() {
        assert!(is_percent_format("0%"));
        assert!(is_percent_format("0.0%"));
        assert!(is_percent_format("[Red]0.00%"));
        assert!(!is_percent_format("0.00"));
        assert!(!is_percent_format("0\\%"));
        assert!(!is_percent_format("\"%\"0"));
        assert!(!is_percent_format("#,##0;[Red]-0%"));
        assert_eq!(percent_text(0.85), DataRef::String("85%".into()));
        assert_eq!(percent_text(0.123), DataRef::String("12.3%".into()));
    }

    #[test]
    fn a_small_grid_bomb_is_refused_while_its_cells_stream() {
        let bytes = xlsx(&[(0, 0, "任务编号"), (1_048_575, 16_383, "x")]);
        // Small enough on disk that the pre-scan leaves it to the reader.
        assert!(bytes.len() < 16 << 10);
        let wb = read(&bytes, &Config::embedded());
        assert!(wb.unreadable);
        assert_eq!(wb.findings.len(), 1);
        assert_eq!(wb.findings[0].code, Code::FileLimit);
        assert_eq!(wb.findings[0].sheet.as_deref(), Some("Sheet1"));
    }

    #[test]
    fn the_grid_limit_counts_the_span_of_non_empty_cells() {
        let bytes = xlsx(&[(0, 0, "a"), (9, 9, "b")]);
        let mut config = Config::embedded();
        config.limits.max_cells_per_sheet = 100;
        assert!(read(&bytes, &config).findings.is_empty());
        config.limits.max_cells_per_sheet = 99;
        let wb = read(&bytes, &config);
        assert!(wb.findings[0].message.contains("100"), "{:?}", wb.findings);
    }

    #[test]
    fn labels_and_a_table_are_read_from_shared_strings() {
        let bytes = xlsx(&[
            (0, 0, "填报单位：长春市交通运输局"),
            (1, 0, "报送月份："),
            (1, 1, "2020年6月"),
            (2, 0, "任务编号"),
            (2, 1, "自年初累计完成"),
            (3, 0, "1-1"),
            (3, 1, "12"),
        ]);
        let wb = read(&bytes, &Config::embedded());
        let unit = wb.labels.unit.as_ref().map(|(v, _)| v.display());
        assert_eq!(unit.as_deref(), Some("长春市交通运输局"));
        let period = wb
            .labels
            .period
            .as_ref()
            .map(|(v, at)| (v.display(), at.col));
        assert_eq!(period, Some(("2020年6月".to_string(), 1)));
        let table = &wb.tables[0];
        assert_eq!(table.kind, TableKind::Progress);
        assert_eq!(table.header_row, 2);
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0].cells[0], Raw::Text("1-1".into()));
    }
}
