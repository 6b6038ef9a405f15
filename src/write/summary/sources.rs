//! 数据来源: every consolidated figure with the file, sheet and cell it came from, linked.

use super::common::*;
use crate::consolidate::{Consolidated, SourceRecord};

/// The summary's workbook with 数据来源 only, a row per consolidated figure: the longest
/// sheet, built on its own thread while the others are built on the other. It is streamed to
/// a temporary file (rust_xlsxwriter's low-memory mode); where no temporary file can be made
/// it is held in memory. [`assemble`] puts the other sheets around it.
pub fn sources_workbook(
    c: &Consolidated<'_>,
    config: &Config,
    link_prefix: &str,
) -> XResult<Workbook> {
    let mut wb = Workbook::new();
    let title = format!("{}重点任务进展汇总", c.batch.period.label());
    wb.set_properties(&crate::write::properties(&title));
    // Faster than the default level 6 (about half the time) for a file about a quarter larger.
    wb.set_zip_compression_level(2);
    // Streamed to a temporary file, its repeated texts (file, unit, sheet, field) shared
    // once in the workbook's string table: a smaller sheet to write and to compress.
    if wb.add_worksheet_with_low_memory().is_err() {
        wb.add_worksheet();
    }
    if let Some(ws) = wb.worksheets_mut().last_mut() {
        sources_sheet(ws, c.batch, &c.sources, config, link_prefix, MAX_LINKS)?;
    }
    Ok(wb)
}

/// Every consolidated number with the cell it came from and a link that opens it.
/// Fills 数据来源 row by row; the first `max_links` rows get a link to their source cell.
pub(super) fn sources_sheet(
    ws: &mut Worksheet,
    batch: &Batch,
    records: &[SourceRecord<'_>],
    config: &Config,
    link_prefix: &str,
    max_links: usize,
) -> XResult<()> {
    let title = format!("{}数据来源", batch.period.label());
    let widths = source_widths(records, &batch.period.label(), config);
    let mut subtitle = "汇总表中每个数字（金额单位：万元）来自哪个文件的哪个单元格，按任务清单的顺序；点击“打开”可打开原表（汇总表与报表文件夹一起移动时链接仍然有效）。单位没有用模板时，“读取说明”写明怎样读的。".to_string();
    if let Some(note) = batch.tasks.id_source.note() {
        subtitle.push_str(note);
        subtitle.push('。');
    }
    // A row per figure would be half the summary's printed pages: the sheet is kept out
    // of print, and its first rows, which print, say so and where it is.
    subtitle.push_str(&format!(
        "本表共 {} 行，不打印（只打印这几行说明）：请在汇总表的“{SHEET_SOURCES}”工作表中查看、筛选；确要打印时，先在“页面布局 → 打印区域”中取消打印区域。",
        records.len()
    ));
    table_sheet_on(
        ws,
        SHEET_SOURCES,
        &title,
        &subtitle,
        &SOURCE_HEADERS,
        &widths.0,
    )?;
    ws.set_print_area(0, 0, TABLE_HEADER_ROW, SOURCE_HEADERS.len() as u16 - 1)?;
    // Tens of thousands of rows: each column carries its format and the cells are written
    // without one (rust_xlsxwriter hashes a whole format for every formatted cell).
    // One per column of SOURCE_HEADERS; the last column's links carry their own format, and
    // 超出链接上限 takes the column's.
    let kinds: [Kind; SOURCE_HEADERS.len()] = [
        Kind::Center,
        Kind::Text,
        Kind::Text,
        Kind::Center,
        Kind::Text,
        Kind::Money,
        Kind::Text,
        Kind::Center,
        Kind::Center,
        Kind::Center,
        Kind::Text,
    ];
    for (c, k) in kinds.into_iter().enumerate() {
        ws.set_column_format(c as u16, &fm::column(k))?;
    }
    let link_fmt = fm::column(Kind::Center)
        .set_font_color(rust_xlsxwriter::Color::Blue)
        .set_underline(rust_xlsxwriter::FormatUnderline::Single);
    let period = batch.period.label();
    let mut measured: [std::collections::HashMap<&str, usize>; SOURCE_HEADERS.len()] =
        Default::default();
    for (i, (r, rec)) in (TABLE_HEADER_ROW + 1..).zip(records.iter()).enumerate() {
        // Names, files and notes repeat row after row: each text's lines measured once.
        let lines = [
            (1, rec.name),
            (2, config.short_name(rec.unit)),
            (4, field(rec.field)),
            (6, rec.file),
            (7, &*rec.at.sheet),
            (10, &*rec.how),
        ]
        .into_iter()
        .map(|(c, t)| {
            *measured[c]
                .entry(t)
                .or_insert_with(|| crate::write::measure::lines(t, widths.get(c), false))
        })
        .max()
        .unwrap_or(1);
        ws.set_row_height(r, crate::write::measure::height_of(lines))?;
        ws.write_string(r, 0, clip(rec.id))?;
        ws.write_string(r, 1, clip(rec.name))?;
        ws.write_string(r, 2, clip(config.short_name(rec.unit)))?;
        ws.write_string(r, 3, &period)?;
        ws.write_string(r, 4, field(rec.field))?;
        ws.write_number(r, 5, rec.value)?;
        ws.write_string(r, 6, clip(rec.file))?;
        ws.write_string(r, 7, clip(&rec.at.sheet))?;
        let a1 = rec.at.a1();
        ws.write_string(r, 8, &a1)?;
        let target = format!(
            "file:///{}#'{}'!{a1}",
            join_link(link_prefix, rec.file),
            rec.at.sheet.replace('\'', "''"),
        );
        if i < max_links {
            ws.write_url_with_format(r, 9, Url::new(target).set_text("打开"), &link_fmt)?;
        } else {
            // Excel refuses a sheet with more links; the file and cell are on the row.
            ws.write_string(r, 9, "超出链接上限")?;
        }
        if !rec.how.is_empty() {
            ws.write_string(r, 10, clip(&rec.how))?;
        }
    }
    Ok(())
}

/// The columns of 数据来源, as wide as their distinct texts need (each measured once), the
/// long ones wrapped until the sheet prints at 82 % or more.
/// A field as 数据来源 names it, short: `其中：中央车购税` → `中央车购税`,
/// `本月完成投资（万元）` → `本月完成投资` (the sheet says 万元 once).
fn field(name: &str) -> &str {
    let name = name.strip_prefix("其中：").unwrap_or(name);
    name.strip_suffix("（万元）").unwrap_or(name)
}

fn source_widths(records: &[SourceRecord<'_>], period: &str, config: &Config) -> Widths {
    let mut w = header_widths(&SOURCE_HEADERS, 5.0);
    // Each distinct text measured once (files, names and units repeat row after row).
    let mut seen: [std::collections::HashSet<&str>; 11] = Default::default();
    let mut widest = 0.0f64;
    w.text(3, period, false);
    w.text(
        9,
        if records.len() > MAX_LINKS {
            "超出链接上限"
        } else {
            "打开"
        },
        false,
    );
    for r in records {
        for (c, t) in [
            (0, r.id),
            (1, r.name),
            (2, config.short_name(r.unit)),
            (4, field(r.field)),
            (6, r.file),
            (7, &*r.at.sheet),
            (10, &*r.how),
        ] {
            if seen[c].len() < 5_000 && seen[c].insert(t) {
                w.text(c, t, false);
            }
        }
        widest = widest.max(r.value.abs());
    }
    // The widest figure is the largest (two decimals each).
    w.figure(5, Some(widest), Shown::Money);
    w.text(8, "AA1000", false);
    // One line a row where it can be: the file path whole, long names and notes wrapped.
    for (c, max) in [(1, 30.0), (6, 50.0), (10, 18.0)] {
        w.at_most(c, max);
    }
    w.fit_page(&[(10, 12.0), (1, 16.0), (6, 30.0)], PRINT_SCALE);
    w
}

/// The most hyperlinks Excel accepts on one worksheet.
pub(super) const MAX_LINKS: usize = 65_530;

pub(super) fn join_link(prefix: &str, file: &str) -> String {
    if prefix.is_empty() || prefix == "." {
        file.to_string()
    } else {
        format!("{}/{file}", prefix.trim_end_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A month of three units and twelve tasks, each unit reporting month and year-to-date
    /// on its tasks and on one project: built from typed rows, not read from files.
    fn month_batch() -> Batch {
        use crate::model::{Period, TaskList};
        use crate::testkit::*;
        let units = ["甲", "乙", "丙"];
        let tasks: Vec<_> = (1..=12)
            .map(|i| task(&format!("T{i}"), &units, Some(100.0), Some(60.0)))
            .collect();
        let list = TaskList::new(tasks, None, String::new());
        let jun = Period::new(2020, 6).unwrap();
        let returns = units
            .iter()
            .map(|u| {
                let rows = (1..=12)
                    .map(|i| prow(&format!("T{i}"), 4 + i, Some(1.0), Some(5.0)))
                    .collect();
                let mut r = ret(u, jun, &format!("6/{u}.xlsx"), 25, rows);
                r.invest = Some(vec![irow("T1", 5, Some(2.0), Some(8.0))]);
                r
            })
            .collect();
        crate::validate::validate(list, vec![], returns, jun, &Config::embedded())
    }

    #[test]
    fn rows_past_the_link_limit_say_so_instead_of_linking() {
        let batch = month_batch();
        let records = crate::consolidate::source_records(&batch);
        let rows = records.len();
        assert!(rows > 10);
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        sources_sheet(ws, &batch, &records, &Config::embedded(), "../samples", 10).unwrap();
        let bytes = wb.save_to_buffer().unwrap();

        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).unwrap();
        let mut xml = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
            &mut xml,
        )
        .unwrap();
        assert_eq!(xml.matches("<hyperlink ").count(), 10);

        use calamine::Reader;
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(&bytes[..])).unwrap();
        let range = book.worksheet_range(SHEET_SOURCES).unwrap();
        let link_col = |i: u32| range.get_value((TABLE_HEADER_ROW + 1 + i, 9)).cloned();
        assert_eq!(link_col(9), Some(calamine::Data::String("打开".into())));
        assert_eq!(
            link_col(10),
            Some(calamine::Data::String("超出链接上限".into()))
        );
        let last = rows as u32 - 1;
        assert_eq!(
            link_col(last),
            Some(calamine::Data::String("超出链接上限".into()))
        );
        // The source cell stays on the row.
        assert!(
            matches!(range.get_value((TABLE_HEADER_ROW + 1 + last, 8)), Some(calamine::Data::String(a1)) if !a1.is_empty())
        );
    }

    #[test]
    fn source_cells_take_their_columns_look_without_borders() {
        let batch = month_batch();
        let records = crate::consolidate::source_records(&batch);
        let rows = records.len() as u32;
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet_with_low_memory().unwrap();
        sources_sheet(
            ws,
            &batch,
            &records,
            &Config::embedded(),
            "../samples",
            MAX_LINKS,
        )
        .unwrap();
        let bytes = wb.save_to_buffer().unwrap();

        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(&bytes[..])).unwrap();
        let styles = book.worksheet_style(SHEET_SOURCES).unwrap();
        for r in [TABLE_HEADER_ROW + 1, TABLE_HEADER_ROW + rows] {
            for c in 0..10u32 {
                let style = styles.get((r, c)).expect("a styled cell");
                let font = style.font.as_ref().expect("a font");
                // Figures in Calibri (the same widths in Excel and LibreOffice), text in 宋体.
                let want = if c == 5 { fm::FIGURE_FONT } else { fm::FONT };
                assert_eq!(font.name.as_deref(), Some(want), "row {r} col {c}");
                let bordered = style.borders.as_ref().is_some_and(|b| {
                    [&b.left, &b.right, &b.top, &b.bottom]
                        .iter()
                        .any(|e| e.style != calamine::BorderStyle::None)
                });
                assert!(!bordered, "row {r} col {c} has a border");
                let underlined = font.underline != calamine::UnderlineStyle::None;
                assert_eq!(underlined, c == 9, "row {r} col {c}");
            }
        }
        // The header keeps its own format (fill and border).
        let header = styles.get((TABLE_HEADER_ROW, 0)).expect("header style");
        assert!(header.fill.is_some());
    }
}
