//! Reading workbooks with calamine: the only module that touches calamine.
//!
//! A sheet is recognised by its header row, not by its name. What is read is returned raw
//! ([`RawWorkbook`]): interpretation (numbers, identity, tasks) is done by pure code.

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Range, Reader, open_workbook_auto_from_rs};

use crate::config::Config;
use crate::guard::{self, Refusal};
use crate::layout;
use crate::messages as msg;
use crate::model::{
    CellRef, Finding, Labels, Level, Raw, RawRow, RawTable, RawWorkbook, TableKind,
};
use crate::normalize::{norm_header, parse_date_text};

/// How many rows from the top are searched for a header row.
const HEADER_SEARCH_ROWS: u32 = 40;

/// Reads one workbook. Never fails: a file that cannot be read yields a finding.
pub fn read_workbook(path: &Path, rel: &str, config: &Config) -> RawWorkbook {
    let mut wb = RawWorkbook {
        path: path.to_path_buf(),
        rel: rel.to_string(),
        modified: modified_secs(path),
        tables: Vec::new(),
        labels: Labels::default(),
        meta: Vec::new(),
        findings: Vec::new(),
        unreadable: false,
    };
    let fail = |wb: &mut RawWorkbook, code: &'static str, text: String| {
        wb.unreadable = true;
        wb.findings
            .push(Finding::new(Level::Error, code, text).file(rel.to_string()));
    };
    let size = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) => {
            fail(&mut wb, "E-FILE-UNREADABLE", msg::file_io(&e));
            return wb;
        }
    };
    if size > config.limits.max_file_bytes {
        fail(
            &mut wb,
            "E-FILE-LIMIT",
            msg::file_too_big(size, config.limits.max_file_bytes),
        );
        return wb;
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            fail(&mut wb, "E-FILE-UNREADABLE", msg::file_io(&e));
            return wb;
        }
    };
    read_bytes(&bytes, &mut wb, config);
    wb
}

/// Reads a workbook held in memory into `wb`.
pub fn read_bytes(bytes: &[u8], wb: &mut RawWorkbook, config: &Config) {
    let rel = wb.rel.clone();
    if let Some(reason) = sniff(bytes) {
        wb.unreadable = true;
        wb.findings
            .push(Finding::new(Level::Error, "E-FILE-UNREADABLE", reason).file(rel));
        return;
    }
    if bytes.starts_with(b"PK")
        && let Err(refusal) = guard::check_zip(bytes, &config.limits)
    {
        let (code, text) = match refusal {
            Refusal::Limit(t) => ("E-FILE-LIMIT", t),
            Refusal::Unreadable(t) => ("E-FILE-UNREADABLE", t),
        };
        wb.unreadable = true;
        wb.findings
            .push(Finding::new(Level::Error, code, text).file(rel));
        return;
    }
    let mut book = match open_workbook_auto_from_rs(Cursor::new(bytes)) {
        Ok(b) => b,
        Err(e) => {
            wb.unreadable = true;
            wb.findings.push(
                Finding::new(
                    Level::Error,
                    "E-FILE-UNREADABLE",
                    msg::not_a_workbook(&e.to_string()),
                )
                .file(rel),
            );
            return;
        }
    };
    let sheets: Vec<String> = book.sheet_names();
    for name in sheets {
        let range = match book.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => {
                wb.findings.push(
                    Finding::new(
                        Level::Error,
                        "E-FILE-UNREADABLE",
                        msg::sheet_unreadable(&e.to_string()),
                    )
                    .file(rel.clone())
                    .sheet(name.clone()),
                );
                continue;
            }
        };
        let (h, w) = range.get_size();
        if (h as u64) * (w as u64) > config.limits.max_cells_per_sheet {
            wb.findings.push(
                Finding::new(
                    Level::Error,
                    "E-FILE-LIMIT",
                    msg::too_many_cells(h as u64 * w as u64, config.limits.max_cells_per_sheet),
                )
                .file(rel.clone())
                .sheet(name.clone()),
            );
            continue;
        }
        if name == layout::SHEET_META {
            wb.meta = read_meta(&range);
            continue;
        }
        if let Some(table) = find_table(&range, &name, config) {
            if table.kind != TableKind::Tasks {
                read_labels(&range, &name, table.header_row, &mut wb.labels);
            }
            for (text, col) in &table.extras {
                wb.findings.push(
                    Finding::new(Level::Info, "I-EXTRA-COLUMN", msg::extra_column(text))
                        .file(rel.clone())
                        .at(&CellRef::new(&name, table.header_row, *col)),
                );
            }
            wb.tables.push(table);
        }
    }
}

/// Recognises what the bytes are before calamine sees them, for a clear message.
fn sniff(bytes: &[u8]) -> Option<String> {
    if bytes.is_empty() {
        return Some(msg::EMPTY_FILE.to_string());
    }
    const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(&OLE) {
        // Encrypted OOXML is an OLE2 container holding an `EncryptedPackage` stream; the
        // name is stored in UTF-16 in the directory.
        let needle: Vec<u8> = "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        if bytes.windows(needle.len()).any(|w| w == needle.as_slice()) {
            return Some(msg::ENCRYPTED.to_string());
        }
        return None;
    }
    if bytes.starts_with(b"PK") {
        return None;
    }
    let head = &bytes[..bytes.len().min(512)];
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    if text.contains("<html") || text.contains("<!doctype html") {
        return Some(msg::IS_HTML.to_string());
    }
    if bytes.starts_with(b"%PDF") {
        return Some(msg::IS_PDF.to_string());
    }
    Some(msg::NOT_WORKBOOK.to_string())
}

fn modified_secs(path: &Path) -> i64 {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_secs() as i64)
}

/// Converts a calamine cell to a raw value.
fn raw(d: &Data) -> Raw {
    match d {
        Data::Empty => Raw::Empty,
        Data::Int(i) => Raw::Number(*i as f64),
        Data::Float(f) => Raw::Number(*f),
        Data::String(s) => {
            if s.trim().is_empty() {
                Raw::Empty
            } else {
                Raw::Text(s.clone())
            }
        }
        Data::Bool(b) => Raw::Bad(if *b { "TRUE" } else { "FALSE" }.to_string()),
        Data::DateTime(dt) => {
            let (y, m, day, ..) = dt.to_ymd_hms_milli();
            match chrono::NaiveDate::from_ymd_opt(y as i32, m as u32, day as u32) {
                Some(date) if dt.is_datetime() => Raw::Date(date),
                _ => Raw::Number(dt.as_f64()),
            }
        }
        Data::DateTimeIso(s) => parse_date_text(s).map_or(Raw::Text(s.clone()), Raw::Date),
        Data::DurationIso(s) => Raw::Text(s.clone()),
        Data::Error(e) => Raw::Bad(format!("#{e:?}")),
    }
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => raw(other).display(),
    }
}

fn read_meta(range: &Range<Data>) -> Vec<(String, String)> {
    range
        .rows()
        .filter_map(|r| {
            let k = r.first().map(cell_text).unwrap_or_default();
            let v = r.get(1).map(cell_text).unwrap_or_default();
            (!k.trim().is_empty()).then(|| (k.trim().to_string(), v.trim().to_string()))
        })
        .collect()
}

/// Matches a normalised header text against a table's columns.
fn header_index(kind: TableKind, text: &str, config: &Config) -> Option<usize> {
    if text.is_empty() {
        return None;
    }
    let meanings = config.header_meanings(text);
    kind.columns()
        .iter()
        .position(|c| meanings.contains(c))
        .or_else(|| keyword_column(kind, text))
}

/// Headers written by other programs that no alias lists, recognised by their words:
/// `自年初累计完成投资额（万元）`, `1-6月累计完成投资`, `本年累计完成量` ….
fn keyword_column(kind: TableKind, text: &str) -> Option<usize> {
    use crate::layout::{invest as ic, progress as pc};
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
fn find_table(range: &Range<Data>, sheet: &str, config: &Config) -> Option<RawTable> {
    let (start_row, start_col) = range.start()?;
    let (end_row, end_col) = range.end()?;
    let last_search = end_row.min(start_row + HEADER_SEARCH_ROWS);
    for r in start_row..=last_search {
        let texts: Vec<(u32, String)> = (start_col..=end_col)
            .map(|c| {
                let t = range.get_value((r, c)).map(cell_text).unwrap_or_default();
                (c, norm_header(&t))
            })
            .collect();
        for kind in [TableKind::Tasks, TableKind::Progress, TableKind::Invest] {
            let mut cols: Vec<Option<u32>> = vec![None; kind.columns().len()];
            let mut extras = Vec::new();
            for (c, t) in &texts {
                match header_index(kind, t, config) {
                    Some(i) if cols[i].is_none() => cols[i] = Some(*c),
                    Some(_) => extras.push((t.clone(), *c)),
                    None if !t.is_empty() => extras.push((t.clone(), *c)),
                    None => {}
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
                for c in start_col..=end_col {
                    let t = norm_header(
                        &range
                            .get_value((r + 1, c))
                            .map(cell_text)
                            .unwrap_or_default(),
                    );
                    if let Some(i) = header_index(kind, &t, config)
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
                                .map(raw)
                                .unwrap_or(Raw::Empty)
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
fn read_labels(range: &Range<Data>, sheet: &str, header_row: u32, labels: &mut Labels) {
    let Some((start_row, start_col)) = range.start() else {
        return;
    };
    let Some((_, end_col)) = range.end() else {
        return;
    };
    let names = [
        layout::LABEL_UNIT,
        layout::LABEL_PERIOD,
        layout::LABEL_REPORTER,
        layout::LABEL_PHONE,
        layout::LABEL_DATE,
    ];
    for r in start_row..header_row {
        for c in start_col..=end_col {
            let Some(d) = range.get_value((r, c)) else {
                continue;
            };
            let text = norm_header(&cell_text(d));
            for (i, name) in names.iter().enumerate() {
                let key = norm_header(name);
                let key = key.trim_end_matches(':');
                let Some(rest) = text.strip_prefix(key) else {
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
                    let original = cell_text(d);
                    let value = original
                        .split_once(['：', ':'])
                        .map_or(rest.to_string(), |(_, v)| v.trim().to_string());
                    *slot = Some((Raw::Text(value), CellRef::new(sheet, r, c)));
                } else {
                    let value = (c + 1..=end_col.min(c + 4)).find_map(|vc| {
                        range
                            .get_value((r, vc))
                            .map(raw)
                            .filter(|v| !v.is_empty())
                            .filter(|v| {
                                // Stop at the next label.
                                !matches!(v, Raw::Text(t) if names.iter().any(|n| norm_header(t).starts_with(norm_header(n).trim_end_matches(':'))))
                            })
                            .map(|v| (v, CellRef::new(sheet, r, vc)))
                    });
                    *slot = Some(value.unwrap_or((Raw::Empty, CellRef::new(sheet, r, c + 1))));
                }
                break;
            }
        }
    }
}
