//! .xlsx (and .xlsm, templates): checked as a zip (`zipped`), then read sheet by sheet with
//! each sheet's cells streamed; figures shown as percentages read as shown, formulas saved
//! without their result named, a task list's merged columns filled down.

use std::io::Cursor;

use calamine::{DataRef, DataType, Reader, Xlsx, XlsxError};

use super::copy;
use super::mend;
use super::ranged;
use super::refusal::{Checked, Refusal};
use super::sheet;
use super::tables;
use super::zipped;
use crate::config::{Config, Limits};
use crate::discover::kind::Kind;
use crate::layout;
use crate::model::{Raw, RawTable, RawWorkbook, TableKind};

/// Checks an .xlsx before calamine reads it. A small one is first copied as calamine is to
/// open it (`copy`: the parts it reads stored inflated, what huizong never reads left out);
/// the copy is then checked as any .xlsx is, its parts read where they are stored, by the
/// check as by calamine.
pub fn check(bytes: &[u8], limits: &Limits) -> Result<Checked, Refusal> {
    match copy::for_calamine(bytes, limits) {
        Some(copy) => Ok(Checked::Copy(copy)),
        None => zipped::check(bytes, limits).map(|()| Checked::AsTheyAre),
    }
}

/// Reads a checked .xlsx sheet by sheet, streaming each sheet's cells: shared strings are
/// borrowed, not copied, and the grid a sheet spans is bounded before it is allocated
/// (calamine would allocate it whole, and abort the process when that fails).
pub fn read(bytes: &[u8], wb: &mut RawWorkbook, config: &Config) {
    let Ok(mut book) = Xlsx::new(Cursor::new(bytes)) else {
        // A file calamine refuses whole for a cause a copy can mend (`mend`): the copy,
        // checked as the file was, is read instead.
        if let Some(copy) = mend::for_calamine(bytes, config.limits.max_part_bytes)
            && Xlsx::new(Cursor::new(copy.as_slice())).is_ok()
        {
            return match check(&copy, &config.limits) {
                Ok(Checked::AsTheyAre) => read(&copy, wb, config),
                Ok(Checked::Copy(lighter)) => read(&lighter, wb, config),
                Err(refusal) => sheet::refuse(wb, &refusal),
            };
        }
        return ranged::read(bytes, Kind::Xlsx, wb, config);
    };
    for name in book.sheet_names() {
        let mut reader = match book.worksheet_cells_reader(&name) {
            Ok(r) => r,
            // A chart sheet or a dialog sheet holds no cells.
            Err(XlsxError::NotAWorksheet(_)) => continue,
            Err(_) => {
                sheet::sheet_unreadable(wb, &name, bytes);
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
        let mut streamed = if percent.iter().any(|p| *p) {
            sheet::stream_sheet(
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
            sheet::stream_sheet(|| reader.next_cell().map_err(drop), config)
        };
        drop(reader);
        let valueless = match &mut streamed {
            sheet::Streamed::Cells(_, v) => std::mem::take(v),
            _ => sheet::Valueless::default(),
        };
        if !sheet::take_sheet(streamed, &name, wb, bytes, config) {
            return;
        }
        // A figure left blank beside others may be a formula saved without its result (a
        // file written by a script): then it is said to be one, never read as not filled.
        // Only a cell written without a value can be one: the sheet is read again for its
        // formulas only when such a cell is blank here.
        let blanks = blank_figures(wb, &name);
        if blanks.iter().any(|&at| valueless.may_hold(at))
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
        // once the sheet's cells are dropped, only for the list (one file a run), and only
        // when one of those columns has a blank a merge could fill (calamine reads the
        // whole sheet again for its merges).
        if tables::reads_task_list(wb, &name)
            && tables::may_fill_merged(wb)
            && let Ok(merges) = book.merge_cells_by_sheet_name(&name)
        {
            tables::fill_merged_down(wb, &ranged::merges_of(&merges));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::part_methods as methods;

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

    /// A workbook with a theme (rust_xlsxwriter writes one), a percentage and a date.
    fn themed() -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        let pct = rust_xlsxwriter::Format::new().set_num_format("0%");
        let day = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        ws.write_string(0, 0, "完成率").unwrap();
        ws.write_number_with_format(0, 1, 0.85, &pct).unwrap();
        ws.write_number_with_format(1, 1, 44000.0, &day).unwrap();
        book.save_to_buffer().unwrap()
    }

    fn names(bytes: &[u8]) -> Vec<String> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        zip.file_names().map(|n| n.unwrap().into_owned()).collect()
    }

    /// What calamine reads of a workbook's first sheet: its cells and number formats.
    fn first_sheet(b: &[u8]) -> (String, Vec<Option<String>>) {
        let mut book = Xlsx::new(Cursor::new(b)).unwrap();
        let range = book.worksheet_range("Sheet1").unwrap();
        let formats: Vec<_> = book
            .worksheet_cells_reader("Sheet1")
            .unwrap()
            .styles()
            .iter()
            .map(|s| s.number_format.as_ref().map(|f| f.format_code.clone()))
            .collect();
        (format!("{range:?}"), formats)
    }

    #[test]
    fn a_small_workbook_is_opened_inflated_without_its_theme_and_reads_the_same() {
        let bytes = themed();
        assert!(names(&bytes).iter().any(|n| n == "xl/theme/theme1.xml"));
        assert!(methods(&bytes).iter().all(|(_, stored)| !stored));
        let copy = copy::for_calamine(&bytes, &Config::embedded().limits).expect("a copy");
        // Every part is still there; the theme's entry is renamed.
        let renamed = names(&copy);
        assert_eq!(renamed.len(), names(&bytes).len());
        assert!(!renamed.iter().any(|n| n == "xl/theme/theme1.xml"));
        assert!(renamed.iter().any(|n| n == "xl/theme/theme1.xm_"));
        // The parts calamine reads are stored inflated; the others keep their bytes.
        let stored: Vec<String> = methods(&copy)
            .into_iter()
            .filter(|(_, stored)| *stored)
            .map(|(n, _)| n)
            .collect();
        for part in [
            "_rels/.rels",
            "xl/_rels/workbook.xml.rels",
            "xl/workbook.xml",
            "xl/styles.xml",
            "xl/worksheets/sheet1.xml",
        ] {
            assert!(stored.iter().any(|n| n == part), "{part}: {stored:?}");
        }
        assert!(
            !stored
                .iter()
                .any(|n| n.starts_with("docProps/") || n.contains("theme"))
        );
        // The parts before the copy's new ones keep their bytes and places.
        let dir = memchr::memmem::find(&bytes, b"PK\x01\x02").unwrap();
        assert_eq!(copy[..dir], bytes[..dir]);
        // calamine reads the same cells, number formats and all, without the theme.
        let (range, formats) = first_sheet(&copy);
        assert!(range.contains("DateTime"), "{range}");
        assert!(
            formats.iter().any(|f| f.as_deref() == Some("0%")),
            "{formats:?}"
        );
        assert_eq!((range, formats), first_sheet(&bytes));
    }

    /// A part whose bytes do not inflate to what its record says (here its checksum) is
    /// left as it is: calamine meets it as it would have, whatever it makes of it.
    #[test]
    fn a_part_that_is_not_what_its_record_says_keeps_its_bytes() {
        let bytes = themed();
        let dir = memchr::memmem::find(&bytes, b"PK\x01\x02").unwrap();
        let name = dir + memchr::memmem::find(&bytes[dir..], b"xl/worksheets/sheet1.xml").unwrap();
        let mut odd = bytes.clone();
        // The record's checksum, 30 bytes before its name.
        odd[name - 30] ^= 0xff;
        let copy = copy::for_calamine(&odd, &Config::embedded().limits).expect("a copy");
        let method = |b: &[u8], part: &str| {
            methods(b)
                .into_iter()
                .find(|(n, _)| n == part)
                .map(|(_, stored)| stored)
        };
        assert_eq!(method(&copy, "xl/worksheets/sheet1.xml"), Some(false));
        assert_eq!(method(&copy, "xl/workbook.xml"), Some(true));
        let sheet = |b: &[u8]| {
            let mut book = Xlsx::new(Cursor::new(b)).unwrap();
            format!("{:?}", book.worksheet_range("Sheet1"))
        };
        // The zip reader checks a part's checksum only once it reads the part to its end;
        // calamine stops at the sheet's closing tag, and reads these cells either way.
        assert!(sheet(&odd).contains("完成率"), "{}", sheet(&odd));
        assert_eq!(sheet(&copy), sheet(&odd));
    }

    /// A workbook of rich strings (a font for each run, as LibreOffice writes every string),
    /// `more` of them besides the few checked.
    fn rich(more: u32) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        let (bold, plain) = run_fonts();
        let red = rust_xlsxwriter::Format::new().set_font_color("#FF0000");
        ws.write_rich_string(
            0,
            0,
            &[(&bold, "单位"), (&plain, "075"), (&red, " 交通运输局 ")],
        )
        .unwrap();
        ws.write_rich_string(1, 0, &[(&plain, "  前后有空格  "), (&bold, "&<>\"'")])
            .unwrap();
        ws.write_string(2, 0, "平常的字").unwrap();
        ws.write_string(3, 0, "_x000D_转义").unwrap();
        ws.write_number(2, 1, 12.5).unwrap();
        let day = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
        ws.write_number_with_format(3, 1, 44000.0, &day).unwrap();
        for i in 0..more {
            let n = format!("{i}");
            ws.write_rich_string(4 + i, 0, &[(&bold, "第"), (&plain, &n), (&red, "项任务")])
                .unwrap();
        }
        book.save_to_buffer().unwrap()
    }

    /// What calamine reads of every sheet: cells, number formats, merges.
    fn read_by_calamine(b: &[u8]) -> String {
        let mut book = Xlsx::new(Cursor::new(b)).unwrap();
        let mut out = String::new();
        for name in book.sheet_names() {
            let range = book.worksheet_range(&name).unwrap();
            let formats: Vec<_> = book
                .worksheet_cells_reader(&name)
                .unwrap()
                .styles()
                .iter()
                .map(|s| s.number_format.as_ref().map(|f| f.format_code.clone()))
                .collect();
            out.push_str(&format!("{name}: {range:?} {formats:?}\n"));
        }
        out
    }

    /// Two runs' fonts, a bold 黑体 and a plain one, as LibreOffice gives a string's runs.
    fn run_fonts() -> (rust_xlsxwriter::Format, rust_xlsxwriter::Format) {
        let bold = rust_xlsxwriter::Format::new()
            .set_bold()
            .set_font_name("黑体");
        (bold, rust_xlsxwriter::Format::new().set_font_size(11))
    }

    /// A part of a workbook, inflated.
    fn part(b: &[u8], name: &str) -> String {
        use std::io::Read as _;
        let mut zip = zip::ZipArchive::new(Cursor::new(b)).unwrap();
        let mut xml = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut xml).unwrap();
        xml
    }

    /// The shared strings part of a workbook, inflated.
    fn shared_strings(b: &[u8]) -> String {
        part(b, "xl/sharedStrings.xml")
    }

    #[test]
    fn rich_strings_lose_their_fonts_and_read_the_same() {
        let bytes = rich(200);
        let copy = copy::for_calamine(&bytes, &Config::embedded().limits).expect("a copy");
        let (before, after) = (shared_strings(&bytes), shared_strings(&copy));
        assert!(before.contains("<rPr>"), "{before}");
        assert!(!after.contains("<rPr"), "{after}");
        assert!(!after.contains("黑体") && after.len() < before.len());
        // The theme is left out as well, and every other part is still there.
        let (old, new) = (names(&bytes), names(&copy));
        assert_eq!(old.len(), new.len());
        assert!(new.iter().any(|n| n == "xl/theme/theme1.xm_"));
        let got = read_by_calamine(&copy);
        assert!(got.contains("单位075 交通运输局 "), "{got}");
        assert!(got.contains("DateTime"), "{got}");
        assert_eq!(got, read_by_calamine(&bytes));
        // And as huizong reads it.
        let config = crate::config::Config::embedded();
        let mut a = RawWorkbook::new("a.xlsx".into(), "a.xlsx".into());
        read(&bytes, &mut a, &config);
        let mut plain = RawWorkbook::new("a.xlsx".into(), "a.xlsx".into());
        super::super::ranged::read(&bytes, Kind::Xlsx, &mut plain, &config);
        assert_eq!(format!("{:?}", a.labels), format!("{:?}", plain.labels));
    }

    /// Runs that keep their spaces (rust_xlsxwriter says `xml:space="preserve"` only for a
    /// text with a space at an end, LibreOffice for every text) are joined into one, where
    /// calamine joins their texts the same; a run it trims stays a run of its own.
    #[test]
    fn runs_that_keep_their_spaces_are_joined_and_read_the_same() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        let (bold, plain) = run_fonts();
        for i in 0..200u32 {
            let n = format!("{i} ");
            ws.write_rich_string(i, 0, &[(&bold, " 第"), (&plain, &n), (&bold, " 项 &<> ")])
                .unwrap();
        }
        // The first run is trimmed by calamine (no space at its ends): not joined.
        ws.write_rich_string(200, 0, &[(&bold, "甲"), (&plain, " 乙 ")])
            .unwrap();
        let pct = rust_xlsxwriter::Format::new().set_num_format("0.0%");
        ws.write_number_with_format(0, 1, 0.855, &pct).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let copy = copy::for_calamine(&bytes, &Config::embedded().limits).expect("a copy");
        let (before, after) = (shared_strings(&bytes), shared_strings(&copy));
        assert_eq!(before.matches("<r>").count(), 602, "{before}");
        assert_eq!(after.matches("<r>").count(), 202, "{after}");
        assert!(
            after.contains("<t xml:space=\"preserve\"> 第7  项 &amp;&lt;&gt; </t>"),
            "{after}"
        );
        // The styles keep the number formats only.
        let styles = |b: &[u8]| part(b, "xl/styles.xml");
        assert!(styles(&bytes).contains("<fonts"));
        assert!(!styles(&copy).contains("<fonts") && styles(&copy).contains("0.0%"));
        let got = read_by_calamine(&copy);
        assert!(got.contains(" 第7  项 &<> "), "{got}");
        assert!(got.contains("0.0%"), "{got}");
        assert_eq!(got, read_by_calamine(&bytes));
    }

    /// A few rich strings are not worth cutting: the part is stored inflated as it is.
    #[test]
    fn few_rich_strings_are_left_as_they_are() {
        let bytes = rich(0);
        let copy = copy::for_calamine(&bytes, &Config::embedded().limits).expect("a copy");
        assert!(shared_strings(&copy).contains("<rPr>"));
        assert_eq!(shared_strings(&copy), shared_strings(&bytes));
        assert_eq!(read_by_calamine(&copy), read_by_calamine(&bytes));
    }

    #[test]
    fn a_large_or_themeless_workbook_is_read_as_it_is() {
        assert!(
            copy::for_calamine(b"PK\x05\x06 no directory", &Config::embedded().limits).is_none()
        );
        let mut bytes = themed();
        // Past the size up to which a copy is cheaper than the theme.
        bytes.resize(copy::UP_TO + 1, 0);
        assert!(copy::for_calamine(&bytes, &Config::embedded().limits).is_none());
        // A directory whose entry for the name says another length is left alone.
        let bytes = themed();
        let at = memchr::memmem::find(&bytes, b"PK\x01\x02").unwrap();
        let entry = at + memchr::memmem::find(&bytes[at..], copy::THEME).unwrap() - 46;
        let mut odd = bytes.clone();
        odd[entry + 28] = 18;
        assert!(copy::for_calamine(&odd, &Config::embedded().limits).is_none());
    }

    #[test]
    fn a_large_sheet_the_check_would_inflate_is_stored_in_the_copy_within_its_limits() {
        // 1.2 MB of figures, under 256 KB on disk: a sheet the zip check inflates.
        let mut sheet = br#"<worksheet><sheetData>"#.to_vec();
        let mut x: u32 = 12345;
        for r in 1..=8_000 {
            sheet.extend_from_slice(format!("<row r=\"{r}\">").as_bytes());
            for _ in 0..10 {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                sheet.extend_from_slice(format!("<c><v>{}</v></c>", (x >> 16) % 1000).as_bytes());
            }
            sheet.extend_from_slice(b"</row>");
        }
        sheet.extend_from_slice(b"</sheetData></worksheet>");
        let bytes = crate::testkit::xlsx_of_sheet(&sheet);
        assert!(sheet.len() > 1 << 20 && bytes.len() < copy::UP_TO);
        assert!(zipped::would_inflate(bytes.len() as u64 / 2));
        let limits = Config::embedded().limits;
        let stored = |copy: &[u8]| {
            methods(copy)
                .into_iter()
                .any(|(n, stored)| n == "xl/worksheets/sheet1.xml" && stored)
        };
        // Stored, so that it is inflated once; read as the file is.
        let copy = copy::for_calamine(&bytes, &limits).expect("a copy");
        assert!(stored(&copy));
        assert_eq!(first_sheet(&copy), first_sheet(&bytes));
        assert_eq!(zipped::check(&copy, &limits), Ok(()));
        // Beyond the inflate ratio the check allows: kept as it is, and the check of the
        // copy refuses it as the check of the file does.
        let mut strict = limits.clone();
        strict.max_inflate_ratio = 4;
        let copy = copy::for_calamine(&bytes, &strict).expect("a copy");
        assert!(!stored(&copy));
        let refused = zipped::check(&bytes, &strict);
        assert!(
            matches!(refused, Err(Refusal::RatioTooHigh { .. })),
            "{refused:?}"
        );
        assert_eq!(zipped::check(&copy, &strict), refused);
    }
}
