//! The formats of every workbook, defined once: title, header, text, numbers, rates, fills.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

/// Body font: fits Chinese text in Excel, WPS and LibreOffice.
pub const FONT: &str = "宋体";
/// Figures' font: the same widths in Excel (Calibri) and LibreOffice (Carlito), so that a
/// column sized for a figure shows it whole in both (see `measure`).
pub const FIGURE_FONT: &str = "Calibri";
/// Title font.
pub const TITLE_FONT: &str = "黑体";

/// Fill colours.
pub const HEADER_FILL: u32 = 0xDDEBF7;
pub const LOCKED_FILL: u32 = 0xF2F2F2;
pub const LAG_FILL: u32 = 0xFFC7CE;
pub const DONE_FILL: u32 = 0xC6EFCE;
pub const ERROR_FILL: u32 = 0xFF8080;
pub const SUBTOTAL_FILL: u32 = 0xFFF2CC;
pub const LATE_FILL: u32 = 0xFFEB9C;
pub const TOTAL_FILL: u32 = 0xFCE4D6;
/// A figure, subtotal or status that rests on a disputed or missing part (数据待核).
pub const DISPUTED_FILL: u32 = 0xFFD966;
/// Who signs the summary's notes.
pub const NOTE_AUTHOR: &str = "数据校验";

/// What a cell shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Plain text, wrapped.
    Text,
    /// Short text, centred.
    Center,
    /// 万元: `#,##0.00`.
    Money,
    /// A quantity in its own unit.
    Quantity,
    /// A rate: `0.0%`.
    Percent,
    /// An integer count.
    Count,
    /// A date: `yyyy-mm-dd`.
    Date,
}

/// Base format with font and border.
fn base() -> Format {
    Format::new()
        .set_font_name(FONT)
        .set_font_size(10)
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
}

/// The style of a table cell: its kind, an optional fill, whether the unit types into it
/// (unlocked) and whether it is bold. `Cell::new(Kind::Money).fill(f).bold().format()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cell {
    kind: Kind,
    fill: Option<u32>,
    input: bool,
    bold: bool,
}

impl Cell {
    pub const fn new(kind: Kind) -> Cell {
        Cell {
            kind,
            fill: None,
            input: false,
            bold: false,
        }
    }

    pub const fn fill(self, fill: Option<u32>) -> Cell {
        Cell { fill, ..self }
    }

    /// An input cell: unlocked in the protected sheet.
    pub const fn input(self) -> Cell {
        Cell {
            input: true,
            ..self
        }
    }

    pub const fn bold(self) -> Cell {
        self.bold_if(true)
    }

    pub const fn bold_if(self, bold: bool) -> Cell {
        Cell { bold, ..self }
    }

    pub fn format(self) -> Format {
        let mut f = base();
        f = match self.kind {
            Kind::Text => f.set_text_wrap().set_align(FormatAlign::Left),
            Kind::Center => f.set_text_wrap().set_align(FormatAlign::Center),
            Kind::Money => f.set_num_format("#,##0.00").set_font_name(FIGURE_FONT),
            Kind::Quantity => f.set_num_format("General").set_font_name(FIGURE_FONT),
            Kind::Percent => f.set_num_format("0.0%").set_font_name(FIGURE_FONT),
            Kind::Count => f
                .set_num_format("0")
                .set_align(FormatAlign::Center)
                .set_font_name(FIGURE_FONT),
            Kind::Date => f
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Center)
                .set_font_name(FIGURE_FONT),
        };
        if let Some(c) = self.fill {
            f = f.set_background_color(Color::RGB(c));
        }
        f = if self.input {
            f.set_unlocked()
        } else {
            f.set_locked()
        };
        if self.bold {
            f = f.set_bold();
        }
        f
    }
}

/// The format of a whole column of a long list: as [`Cell`] without the border, so that
/// cells written without a format of their own take it (no per-cell format lookup) and the
/// empty rows below the list stay plain. The list prints with gridlines instead of borders.
pub fn column(kind: Kind) -> Format {
    Cell::new(kind).format().set_border(FormatBorder::None)
}

/// The title above a table.
pub fn title() -> Format {
    Format::new()
        .set_font_name(TITLE_FONT)
        .set_font_size(16)
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
}

/// A subtitle line (period, notes).
pub fn subtitle() -> Format {
    Format::new()
        .set_font_name(FONT)
        .set_font_size(10)
        .set_align(FormatAlign::Left)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
}

/// A header cell.
pub fn header() -> Format {
    Format::new()
        .set_font_name(FONT)
        .set_font_size(10)
        .set_bold()
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(Color::RGB(HEADER_FILL))
}

/// A label such as `填报单位：`.
pub fn label() -> Format {
    Format::new()
        .set_font_name(FONT)
        .set_font_size(10)
        .set_bold()
        .set_align(FormatAlign::Right)
        .set_align(FormatAlign::VerticalCenter)
}

/// The value beside a label; `input` values are unlocked and underlined by a border.
pub fn label_value(input: bool) -> Format {
    let f = Format::new()
        .set_font_name(FONT)
        .set_font_size(10)
        .set_align(FormatAlign::Left)
        .set_align(FormatAlign::VerticalCenter)
        .set_border_bottom(FormatBorder::Thin);
    if input {
        f.set_unlocked()
    } else {
        f.set_bold().set_locked()
    }
}

/// Free text on an instructions page.
pub fn prose() -> Format {
    Format::new()
        .set_font_name(FONT)
        .set_font_size(11)
        .set_text_wrap()
        .set_align(FormatAlign::Top)
}

/// Print setup shared by every sheet: A4 landscape, one page wide, the header row repeated,
/// the title in the page header and page numbers in the footer.
pub fn print_setup(ws: &mut Worksheet, title: &str, repeat_row: u32) -> Result<(), XlsxError> {
    page_setup(ws, title);
    ws.set_repeat_rows(repeat_row, repeat_row)?;
    Ok(())
}

/// As [`print_setup`], without a repeated row (a sheet that is not one long table).
pub fn page_setup(ws: &mut Worksheet, title: &str) {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_header(format!("&C&\"{FONT},Bold\"{}", escape_hf(title)));
    ws.set_footer("&C第 &P 页 共 &N 页");
    ws.set_margins(0.4, 0.4, 0.7, 0.6, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
}

/// `&` is a control character in page headers.
pub fn escape_hf(s: &str) -> String {
    s.replace('&', "&&")
}

/// A row height (points) that shows every wrapped text of the row: `cells` are the texts
/// with the widths of their columns (or merged ranges). Spreadsheet programs do not grow
/// rows to wrapped text on their own, so the writer sets the height (`measure`).
pub fn row_height(cells: &[(&str, f64)]) -> f64 {
    let cells: Vec<(&str, f64, bool)> = cells.iter().map(|(t, w)| (*t, *w, false)).collect();
    super::measure::row_height(&cells)
}
