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
use crate::guard::{self, Refusal};
use crate::kind::{self, Kind};
use crate::layout;
use crate::messages as msg;
use crate::model::{CellRef, Labels, Raw, RawRow, RawTable, RawWorkbook, TableKind};
use crate::normalize::{norm_header, parse_date_text};

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
    let rel = wb.rel.clone();
    let kind = kind::detect(bytes);
    if kind == Kind::Xls
        && let Err(Refusal::Unreadable(t) | Refusal::Limit(t)) = guard::check_compound(bytes)
    {
        wb.unreadable = true;
        wb.findings
            .push(Finding::new(Code::FileUnreadable, t).file(rel));
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
        let (code, text) = match refusal {
            Refusal::Limit(t) => (Code::FileLimit, t),
            Refusal::Unreadable(t) => (Code::FileUnreadable, t),
        };
        wb.unreadable = true;
        wb.findings.push(Finding::new(code, text).file(rel));
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
        let streamed = stream_sheet(|| reader.next_cell().map_err(drop), config);
        drop(reader);
        if !take_sheet(streamed, &name, wb, bytes, config) {
            return;
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

/// Reads one sheet's grid: the hidden identity sheet, or a known table and its labels.
fn read_sheet<T: Value>(range: &Range<T>, name: &str, wb: &mut RawWorkbook, config: &Config) {
    if name == layout::SHEET_META {
        wb.meta = read_meta(range);
        return;
    }
    if let Some(table) = find_table(range, name, config) {
        if table.kind != TableKind::Tasks {
            read_labels(range, name, table.header_row, &mut wb.labels);
        }
        for (text, col) in &table.extras {
            wb.findings.push(
                Finding::new(Code::ExtraColumn, msg::extra_column(text))
                    .file(wb.rel.clone())
                    .at(&CellRef::new(name, table.header_row, *col)),
            );
        }
        wb.tables.push(table);
    }
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

/// Matches a normalised header text, with its configured meanings, against a table's columns.
fn header_index(kind: TableKind, text: &str, meanings: &[&str]) -> Option<usize> {
    if text.is_empty() {
        return None;
    }
    kind.columns()
        .iter()
        .position(|c| meanings.contains(c))
        .or_else(|| keyword_column(kind, text))
}

/// Headers written by other programs that no alias lists, recognised by their words:
/// `自年初累计完成投资额（万元）`, `1-6月累计完成投资`, `本年累计完成量` ….
fn keyword_column(kind: TableKind, text: &str) -> Option<usize> {
    use crate::layout::{invest as ic, progress as pc};
    if kind == TableKind::Tasks {
        return None;
    }
    let has = |w: &str| text.contains(w);
    let cumulative = has("累计") && !has("开工") && !has("上月");
    let name = match kind {
        TableKind::Invest if has("投资") && cumulative => ic::YTD,
        TableKind::Invest if has("投资") && (has("本月") || has("当月")) => ic::MONTH,
        TableKind::Invest if has("计划投资") => ic::PLAN,
        TableKind::Invest if has("车购税") => ic::F1,
        TableKind::Invest if has("省级") => ic::F2,
        TableKind::Invest if has("市县") || has("地方配套") => ic::F3,
        TableKind::Invest if has("贷款") => ic::F4,
        TableKind::Invest if has("其他资金") || has("自筹") => ic::F5,
        TableKind::Progress if cumulative && !has("投资") => pc::YTD,
        TableKind::Progress if (has("本月") || has("当月")) && has("完成") && !has("投资") => {
            pc::MONTH
        }
        _ => return None,
    };
    kind.columns().iter().position(|c| *c == name)
}

/// Finds the header row of a known table in the top rows and reads the rows below it.
fn find_table<T: Value>(range: &Range<T>, sheet: &str, config: &Config) -> Option<RawTable> {
    let (start_row, start_col) = range.start()?;
    let (end_row, end_col) = range.end()?;
    let last_search = end_row.min(start_row + HEADER_SEARCH_ROWS);
    // A header cell: its column, its normalised text and what that text may mean.
    let header_cells = |r: u32| -> Vec<(u32, String, &[&'static str])> {
        (start_col..=end_col)
            .filter_map(|c| {
                let t = norm_header(&range.get_value((r, c))?.display());
                (!t.is_empty()).then(|| {
                    let meanings = config.header_meanings(&t);
                    (c, t, meanings)
                })
            })
            .collect()
    };
    for r in start_row..=last_search {
        let texts = header_cells(r);
        if texts.is_empty() {
            continue;
        }
        for kind in [TableKind::Tasks, TableKind::Progress, TableKind::Invest] {
            let mut cols: Vec<Option<u32>> = vec![None; kind.columns().len()];
            let mut extras = Vec::new();
            for (c, t, meanings) in &texts {
                match header_index(kind, t, meanings) {
                    Some(i) if cols[i].is_none() => cols[i] = Some(*c),
                    _ => extras.push((t.clone(), *c)),
                }
            }
            let has_required = kind.required().iter().all(|req| {
                let i = kind.columns().iter().position(|c| c == req).unwrap_or(0);
                cols[i].is_some()
            });
            // The progress table also has 任务编号; a task list is told apart by 责任单位.
            if !has_required {
                continue;
            }
            // A second header row (其中 above 中央车购税 …) fills the columns still missing.
            let mut first_data = r + 1;
            if r < end_row {
                let mut filled = false;
                for (c, t, meanings) in header_cells(r + 1) {
                    if let Some(i) = header_index(kind, &t, meanings)
                        && cols[i].is_none()
                        && !cols.contains(&Some(c))
                    {
                        cols[i] = Some(c);
                        extras.retain(|(_, x)| *x != c);
                        filled = true;
                    }
                }
                if filled {
                    first_data = r + 2;
                }
            }
            let rows = (first_data..=end_row)
                .filter_map(|row| {
                    let cells: Vec<Raw> = cols
                        .iter()
                        .map(|c| {
                            c.and_then(|c| range.get_value((row, c)))
                                .map_or(Raw::Empty, Value::raw)
                        })
                        .collect();
                    (!cells.iter().all(Raw::is_empty)).then_some(RawRow { row, cells })
                })
                .collect();
            return Some(RawTable {
                kind,
                sheet: sheet.into(),
                header_row: r,
                cols,
                extras,
                rows,
            });
        }
    }
    None
}

/// Reads the label cells (`填报单位：` …) above the header row: either the value in the same
/// cell after the label, or the next non-empty cell to its right.
fn read_labels<T: Value>(range: &Range<T>, sheet: &str, header_row: u32, labels: &mut Labels) {
    let Some((start_row, start_col)) = range.start() else {
        return;
    };
    let Some((_, end_col)) = range.end() else {
        return;
    };
    // The labels as they read once normalised, without their colon.
    let keys = [
        layout::LABEL_UNIT,
        layout::LABEL_PERIOD,
        layout::LABEL_REPORTER,
        layout::LABEL_PHONE,
        layout::LABEL_DATE,
    ]
    .map(|name| norm_header(name).trim_end_matches(':').to_string());
    let is_label = |t: &str| {
        let t = norm_header(t);
        keys.iter().any(|k| t.starts_with(k.as_str()))
    };
    for r in start_row..header_row {
        for c in start_col..=end_col {
            let Some(original) = range.get_value((r, c)).and_then(Value::text) else {
                continue;
            };
            let text = norm_header(original);
            for (i, key) in keys.iter().enumerate() {
                let Some(rest) = text.strip_prefix(key.as_str()) else {
                    continue;
                };
                let slot = match i {
                    0 => &mut labels.unit,
                    1 => &mut labels.period,
                    2 => &mut labels.reporter,
                    3 => &mut labels.phone,
                    _ => &mut labels.date,
                };
                if slot.is_some() {
                    continue;
                }
                let rest = rest.trim_start_matches(':');
                if !rest.is_empty() {
                    // Value in the label cell itself: keep the original spelling.
                    let value = original
                        .split_once(['：', ':'])
                        .map_or(rest.to_string(), |(_, v)| v.trim().to_string());
                    *slot = Some((Raw::Text(value), CellRef::new(sheet, r, c)));
                } else {
                    let value = (c + 1..=end_col.min(c + 4)).find_map(|vc| {
                        range
                            .get_value((r, vc))
                            .map(Value::raw)
                            .filter(|v| !v.is_empty())
                            // Stop at the next label.
                            .filter(|v| !matches!(v, Raw::Text(t) if is_label(t)))
                            .map(|v| (v, CellRef::new(sheet, r, vc)))
                    });
                    *slot = Some(value.unwrap_or((Raw::Empty, CellRef::new(sheet, r, c + 1))));
                }
                break;
            }
        }
    }
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
