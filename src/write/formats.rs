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
/// Prefilled, locked cells of a template: a grey that stands apart from the white input
/// cells on screen and on paper (relative luminance 0.69 against 1.0; F2F2F2 was 0.89).
pub const LOCKED_FILL: u32 = 0xD9D9D9;
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
    /// A percentage or points as a number with two decimals (`73.02` under a `%` header).
    Decimal2,
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
    indent: bool,
}

impl Cell {
    pub const fn new(kind: Kind) -> Cell {
        Cell {
            kind,
            fill: None,
            input: false,
            bold: false,
            indent: false,
        }
    }

    /// Text set in by one character: room between it and a figure in the column to its
    /// left (`9,898.68 | 路面铺筑中`).
    pub const fn indent(self) -> Cell {
        Cell {
            indent: true,
            ..self
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
            Kind::Decimal2 => f.set_num_format("0.00").set_font_name(FIGURE_FONT),
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
        if self.indent {
            f = f.set_indent(1);
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

/// The value beside a label; `input` values are unlocked and underlined by a border,
/// prefilled ones locked and grey like every prefilled cell.
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
        f.set_bold()
            .set_locked()
            .set_background_color(Color::RGB(LOCKED_FILL))
    }
}

/// The relative luminance (WCAG) of an RGB fill: how light it looks.
pub fn luminance(rgb: u32) -> f64 {
    let channel = |shift: u32| {
        let c = ((rgb >> shift) & 0xFF) as f64 / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
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

/// A header as printed: broken where a person would break it, not where the column ends
/// (`计量\n单位`, `本年计划投资\n（万元）`). The reader reads both forms alike.
pub fn broken(header: &str) -> String {
    const BREAKS: [(&str, &str); 25] = [
        ("任务编号", "任务\n编号"),
        ("任务类别", "任务\n类别"),
        ("已报单位", "已报\n单位"),
        ("计量单位", "计量\n单位"),
        ("年度目标", "年度\n目标"),
        ("本月完成", "本月\n完成"),
        ("自年初累计完成", "自年初\n累计完成"),
        ("序时进度", "序时\n进度"),
        ("进度状态", "进度\n状态"),
        ("项目编号", "项目\n编号"),
        ("建设性质", "建设\n性质"),
        ("本年计划投资（万元）", "本年计划\n投资（万元）"),
        ("本月完成投资（万元）", "本月完成\n投资（万元）"),
        (
            "自年初累计完成投资（万元）",
            "自年初累计\n完成投资\n（万元）",
        ),
        ("其中：中央车购税", "其中：\n中央车购税"),
        ("其中：省级资金", "其中：\n省级资金"),
        ("其中：市县资金", "其中：\n市县资金"),
        ("其中：银行贷款", "其中：\n银行贷款"),
        ("其中：其他资金", "其中：\n其他资金"),
        ("应报任务数", "应报\n任务数"),
        ("报送情况", "报送\n情况"),
        ("是否按时", "是否\n按时"),
        ("任务/项目编号", "任务/\n项目编号"),
        ("报送月份", "报送\n月份"),
        ("打开原表", "打开\n原表"),
    ];
    BREAKS
        .iter()
        .find(|(h, _)| *h == header)
        .map_or(header.to_string(), |(_, b)| b.to_string())
}

/// A row height (points) that shows every wrapped text of the row: `cells` are the texts
/// with the widths of their columns (or merged ranges). Spreadsheet programs do not grow
/// rows to wrapped text on their own, so the writer sets the height (`measure`).
pub fn row_height(cells: &[(&str, f64)]) -> f64 {
    let cells: Vec<(&str, f64, bool)> = cells.iter().map(|(t, w)| (*t, *w, false)).collect();
    super::measure::row_height(&cells)
}
