//! The page of a Chinese official document (GB/T 9704) in docx-rs: A4, the text block
//! 156 × 225 mm at 37 mm from the top and 28 mm from the left, 22 lines of 28 characters
//! in 3号仿宋, page numbers "— 1 —" in 4号宋体 right on odd pages and left on even ones,
//! tables in landscape sections for the 附件. What goes on the page is a list of [`Block`]s.

use std::io::{self, Write};
use std::rc::Rc;

use docx_rs::{
    AlignmentType, BookmarkStart, BreakType, BuildXML, Docx, FieldCharType, Footer, InstrPAGE,
    InstrText, LineSpacing, LineSpacingType, PageMargin, PageOrientationType, Paragraph, Run,
    RunFonts, SectionProperty, Shading, SpecialIndentType, Style, StyleType, Table, TableCell,
    TableCellMargins, TableLayoutType, TableRow, VAlignType, WidthType,
};

use crate::config::BriefFonts;

/// Twips (twentieths of a point) in a millimetre.
const TWIPS_PER_MM: f64 = 1440.0 / 25.4;

fn mm(v: f64) -> i32 {
    (v * TWIPS_PER_MM).round() as i32
}

/// A4 in twips.
const A4_W: u32 = 11906;
const A4_H: u32 = 16838;
/// The text block: 156 × 225 mm.
const BLOCK_W_MM: f64 = 156.0;
const BLOCK_H_MM: f64 = 225.0;
/// 3号 (16 pt) body, 2号 (22 pt) title, 4号 (14 pt) page numbers, in half-points.
const BODY_HALF_PT: usize = 32;
const TITLE_HALF_PT: usize = 44;
const PAGE_NUMBER_HALF_PT: usize = 28;
/// 22 lines in 225 mm: the exact line pitch, in twips.
fn line_pitch() -> u32 {
    (BLOCK_H_MM / 22.0 * TWIPS_PER_MM).round() as u32
}
/// 28 characters of 16 pt in 156 mm: each character 0.25 pt closer (in twips).
const BODY_CHAR_SPACING: i32 = -5;
/// Table text: 五号 (10.5 pt) on 15 pt lines; 附件 2's wider table in 小五 (9 pt) on 13 pt.
const TABLE_PT: f64 = 10.5;
const TABLE_LINE_PT: f64 = 15.0;
const SMALL_TABLE_PT: f64 = 9.0;
const SMALL_TABLE_LINE_PT: f64 = 13.0;
/// Fill of a figure that holds a disputed or missing part, as on the summary.
const MARKED_FILL: &str = "FFF2CC";
const HEADER_FILL: &str = "F2F2F2";

/// The paragraph style of a table cell's text: its font, size and exact line are set once in
/// the document's styles, not on every cell (附件 1 has a cell for each task and column).
#[derive(Debug, Clone, Copy, PartialEq)]
enum CellStyle {
    Body,
    Heading,
    SmallBody,
    SmallHeading,
}

impl CellStyle {
    const ALL: [CellStyle; 4] = [
        CellStyle::Body,
        CellStyle::Heading,
        CellStyle::SmallBody,
        CellStyle::SmallHeading,
    ];

    fn of(small: bool, heading: bool) -> CellStyle {
        match (small, heading) {
            (false, false) => CellStyle::Body,
            (false, true) => CellStyle::Heading,
            (true, false) => CellStyle::SmallBody,
            (true, true) => CellStyle::SmallHeading,
        }
    }

    fn id(self) -> &'static str {
        match self {
            CellStyle::Body => "TableText",
            CellStyle::Heading => "TableHeading",
            CellStyle::SmallBody => "SmallTableText",
            CellStyle::SmallHeading => "SmallTableHeading",
        }
    }

    /// The name Word and WPS show in their style lists.
    fn name(self) -> &'static str {
        match self {
            CellStyle::Body => "表格文字",
            CellStyle::Heading => "表格表头",
            CellStyle::SmallBody => "表格文字（小五）",
            CellStyle::SmallHeading => "表格表头（小五）",
        }
    }

    fn style(self, f: &BriefFonts) -> Style {
        let small = matches!(self, CellStyle::SmallBody | CellStyle::SmallHeading);
        let (pt, line_pt) = if small {
            (SMALL_TABLE_PT, SMALL_TABLE_LINE_PT)
        } else {
            (TABLE_PT, TABLE_LINE_PT)
        };
        let font = match self {
            CellStyle::Body | CellStyle::SmallBody => &f.body,
            CellStyle::Heading | CellStyle::SmallHeading => &f.heading,
        };
        Style::new(self.id(), StyleType::Paragraph)
            .name(self.name())
            .fonts(fonts(font))
            .size((pt * 2.0) as usize)
            .line_spacing(exact((line_pt * 20.0) as u32))
    }
}

/// How a table column's cells are aligned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Align {
    Left,
    Center,
    Right,
}

/// A cell: its text and whether it holds a disputed or missing part.
#[derive(Debug, Clone, Default)]
pub(super) struct Cell {
    pub text: String,
    pub marked: bool,
    pub bold: bool,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            ..Cell::default()
        }
    }

    pub fn marked(mut self, m: bool) -> Cell {
        self.marked = m;
        self
    }

    pub fn bold(mut self, b: bool) -> Cell {
        self.bold = b;
        self
    }
}

/// A table: header cells, column widths in millimetres (adding up to at most the text
/// block's width), alignments, rows; the font size and line of its text.
#[derive(Debug, Clone)]
pub(super) struct TableSpec {
    pub headers: Vec<String>,
    pub widths_mm: Vec<f64>,
    pub align: Vec<Align>,
    pub rows: Vec<Vec<Cell>>,
    pub small: bool,
}

/// What goes on the pages, in order.
#[derive(Debug, Clone)]
pub(super) enum Block {
    /// The title, centred, 2号小标宋; a blank line after it.
    Title(String),
    /// A line without indent (主送, 附件说明).
    Plain(String),
    /// A body paragraph, first line set in two characters.
    Para(String),
    /// A paragraph opening with a （一） lead-in in 楷体.
    Lead(String, String),
    /// An 一、 heading in 黑体.
    Heading(String),
    /// A table in the text.
    Table(TableSpec),
    /// The issuer and the date, right-aligned, with blank lines above.
    Signature(Vec<String>),
    /// An attachment on landscape pages of its own: 附件N, its title, its tables, notes.
    Attachment {
        label: String,
        title: String,
        subtitle: String,
        tables: Vec<TableSpec>,
        notes: Vec<String>,
    },
}

/// Fonts for a run: the office's name for East Asian text and the same for the rest.
fn fonts(name: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(name)
        .ascii(name)
        .hi_ansi(name)
        .cs(name)
}

fn exact(twips: u32) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(twips as i32)
        .before(0)
        .after(0)
}

fn body_run(text: &str, font: &str) -> Run {
    Run::new()
        .add_text(text)
        .fonts(fonts(font))
        .size(BODY_HALF_PT)
        .character_spacing(BODY_CHAR_SPACING)
}

fn body_para() -> Paragraph {
    Paragraph::new()
        .line_spacing(exact(line_pitch()))
        .align(AlignmentType::Both)
}

/// Two characters of 3号 (the first-line indent).
fn two_chars() -> i32 {
    (2.0 * 16.0 * 20.0) as i32
}

/// The footer of odd pages (right) or even pages (left): "— N —", one character in from
/// the edge of the text block.
fn page_footer(font: &str, odd: bool) -> Footer {
    let run = |r: Run| r.fonts(fonts(font)).size(PAGE_NUMBER_HALF_PT);
    let one_char = (14.0 * 20.0) as i32;
    let (align, left, right) = if odd {
        (AlignmentType::Right, None, Some(one_char))
    } else {
        (AlignmentType::Left, Some(one_char), None)
    };
    let p = Paragraph::new()
        .align(align)
        .indent(left, None, right, None)
        .add_run(run(Run::new().add_text("— ")))
        .add_run(run(Run::new().add_field_char(FieldCharType::Begin, false)))
        .add_run(run(
            Run::new().add_instr_text(InstrText::PAGE(InstrPAGE::new()))
        ))
        .add_run(run(
            Run::new().add_field_char(FieldCharType::Separate, false)
        ))
        .add_run(run(Run::new().add_text("1")))
        .add_run(run(Run::new().add_field_char(FieldCharType::End, false)))
        .add_run(run(Run::new().add_text(" —")));
    Footer::new().add_paragraph(p)
}

/// The margins of a portrait page (the text block as GB/T 9704 sets it) or of a landscape
/// one (the same block turned: 225 wide, 156 high); the page number 7 mm under the block.
fn margins(landscape: bool) -> PageMargin {
    let (page_w, page_h, top, left, w, h) = if landscape {
        (297.0, 210.0, 28.0, 37.0, BLOCK_H_MM, BLOCK_W_MM)
    } else {
        (210.0, 297.0, 37.0, 28.0, BLOCK_W_MM, BLOCK_H_MM)
    };
    let bottom = page_h - top - h;
    // The footer distance is to the number line's foot: 7 mm down and one 4号 line (6 mm).
    PageMargin::new()
        .top(mm(top))
        .bottom(mm(bottom))
        .left(mm(left))
        .right(mm(page_w - left - w))
        .header(mm(15.0))
        .footer(mm(bottom - 7.0 - 6.0))
        .gutter(0)
}

/// Lays the blocks out: the text on portrait pages, each attachment on landscape pages.
pub(super) fn document<'a>(blocks: &'a [Block], f: &BriefFonts, title: &str) -> Draft<'a> {
    // Split into the text and the attachments, each a section of its own.
    let mut sections: Vec<(bool, Vec<Part<'a>>)> = vec![(false, Vec::new())];
    for b in blocks {
        match b {
            Block::Attachment {
                label,
                title,
                subtitle,
                tables,
                notes,
            } => {
                let mut parts = vec![
                    Part::p(
                        body_para()
                            .add_run(body_run(label, &f.heading))
                            .keep_next(true),
                    ),
                    Part::p(
                        Paragraph::new()
                            .align(AlignmentType::Center)
                            .line_spacing(exact(line_pitch()))
                            .keep_next(true)
                            .add_run(Run::new().add_text(title).fonts(fonts(&f.title)).size(36)),
                    ),
                ];
                if !subtitle.is_empty() {
                    parts.push(Part::p(small_para(subtitle, &f.body, true)));
                }
                let mut first = true;
                for t in tables {
                    let page = BLOCK_W_MM - if first { 30.0 } else { 8.0 };
                    parts.extend(table_parts(t, &f.heading, page, BLOCK_W_MM));
                    first = false;
                }
                for n in notes {
                    parts.push(Part::p(small_para(n, &f.body, false)));
                }
                sections.push((true, parts));
            }
            other => {
                let parts = &mut sections[0].1;
                parts.extend(text_parts(other, f));
            }
        }
    }
    // The footers once, for the whole document: each section's break refers to them
    // (docx-rs keeps one footer of a `Section`, so the breaks are written as paragraphs).
    let mut docx = Docx::new()
        .default_fonts(fonts(&f.body))
        .default_size(BODY_HALF_PT)
        .footer(page_footer(&f.page_number, true))
        .even_footer(page_footer(&f.page_number, false));
    for s in CellStyle::ALL {
        docx = docx.add_style(s.style(f));
    }
    let mut tables = Vec::new();
    let last = sections.len() - 1;
    for (k, (landscape, parts)) in sections.into_iter().enumerate() {
        let (w, h, orient) = if landscape {
            (A4_H, A4_W, PageOrientationType::Landscape)
        } else {
            (A4_W, A4_H, PageOrientationType::Portrait)
        };
        for p in parts {
            docx = match p {
                Part::P(p) => docx.add_paragraph(*p),
                Part::T(piece) => {
                    let mark = placeholder(tables.len());
                    tables.push(piece);
                    docx.add_bookmark_start(mark.id, mark.name)
                }
            };
        }
        if k < last {
            let property = SectionProperty::new()
                .page_size(docx_rs::PageSize::new().size(w, h).orient(orient))
                .page_margin(margins(landscape))
                .footer(page_footer(&f.page_number, true), "rIdFooter1")
                .even_footer(page_footer(&f.page_number, false), "rIdFooter2");
            docx = docx.add_paragraph(Paragraph::new().section_property(property));
        } else {
            docx = docx
                .page_size(w, h)
                .page_orient(orient)
                .page_margin(margins(landscape));
        }
    }
    let docx = docx
        .created_at("2020-01-01T00:00:00Z")
        .updated_at("2020-01-01T00:00:00Z")
        .custom_property("title", title);
    Draft {
        docx,
        tables: Tables(tables),
    }
}

/// The document without its tables, and the tables, to be built into its XML one at a
/// time.
///
/// docx-rs writes a document from its whole tree, and a table's tree is large: about 4 KB
/// a cell, so a 附件 1 of 1,500 tasks would be some 70 MB held only to be written out, and
/// most of the briefing's time went to allocating and freeing it. In the tree each table is
/// a placeholder (a bookmark, [`placeholder`]); [`Tables::splice`] puts each table's XML,
/// built by docx-rs, where docx-rs wrote its placeholder, and drops it before the next.
/// Every byte is docx-rs's: an element's XML on its own is its `BuildXML::build` (public,
/// though left out of its documentation), the same it writes inside the document, which the
/// test `the_tables_are_spliced_where_docx_rs_would_have_written_them` holds.
pub(super) struct Draft<'a> {
    pub docx: Docx,
    pub tables: Tables<'a>,
}

/// The pieces of the document's tables, in the order of their placeholders.
pub(super) struct Tables<'a>(Vec<Piece<'a>>);

/// A table's rows that fit one page, laid out but not built yet.
struct Piece<'a> {
    spec: &'a TableSpec,
    /// The columns' widths (mm), the same for every piece of the table.
    widths: Rc<[f64]>,
    rows: Vec<&'a Vec<Cell>>,
}

/// The first paragraph id of the tables' cells. docx-rs numbers the paragraphs it holds
/// from 1 (and again from 1 when it builds), so the tables, built after, number theirs far
/// above; Word takes ids below 0x80000000.
const TABLE_PARA_IDS: u32 = 0x4000_0000;

/// The bookmark that holds the place of the `k`th table piece: a name no text can make,
/// since a text's characters are escaped inside its run.
fn placeholder(k: usize) -> BookmarkStart {
    BookmarkStart::new(k, format!("_huizong_table_{k}"))
}

impl Tables<'_> {
    /// Writes `xml`, the document's XML as docx-rs wrote it from [`Draft::docx`], with each
    /// table's XML in its placeholder's place. A placeholder that is not there (a docx-rs that
    /// writes bookmarks otherwise) is an error, not a table left out.
    pub(super) fn splice(&self, xml: &[u8], out: &mut dyn Write) -> io::Result<()> {
        let mut rest = xml;
        let mut ids = TABLE_PARA_IDS;
        for (k, piece) in self.0.iter().enumerate() {
            let mark = placeholder(k).build();
            let at = memchr::memmem::find(rest, &mark).ok_or_else(|| {
                io::Error::other(format!("通报草稿的第 {} 张表格找不到其位置", k + 1))
            })?;
            out.write_all(&rest[..at])?;
            out.write_all(&table(piece, &mut ids).build())?;
            rest = &rest[at + mark.len()..];
        }
        out.write_all(rest)
    }
}

/// A paragraph or a table of a section.
enum Part<'a> {
    P(Box<Paragraph>),
    T(Piece<'a>),
}

impl Part<'_> {
    fn p(p: Paragraph) -> Part<'static> {
        Part::P(Box::new(p))
    }
}

fn text_parts<'a>(b: &'a Block, f: &BriefFonts) -> Vec<Part<'a>> {
    let indented = || {
        body_para().indent(
            None,
            Some(SpecialIndentType::FirstLine(two_chars())),
            None,
            None,
        )
    };
    match b {
        Block::Title(t) => vec![
            Part::p(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .line_spacing(exact(mm(12.0) as u32))
                    .add_run(
                        Run::new()
                            .add_text(t)
                            .fonts(fonts(&f.title))
                            .size(TITLE_HALF_PT),
                    ),
            ),
            Part::p(body_para()),
        ],
        Block::Plain(t) => vec![Part::p(body_para().add_run(body_run(t, &f.body)))],
        Block::Para(t) => vec![Part::p(indented().add_run(body_run(t, &f.body)))],
        Block::Lead(lead, rest) => vec![Part::p(
            indented()
                .add_run(body_run(lead, &f.subheading))
                .add_run(body_run(rest, &f.body)),
        )],
        Block::Heading(t) => vec![Part::p(
            indented().keep_next(true).add_run(body_run(t, &f.heading)),
        )],
        Block::Table(t) => table_parts(t, &f.heading, BLOCK_H_MM, BLOCK_H_MM),
        Block::Signature(lines) => {
            let mut v = vec![Part::p(body_para()), Part::p(body_para())];
            for (k, l) in lines.iter().enumerate() {
                v.push(Part::p(
                    body_para()
                        .keep_next(k + 1 < lines.len())
                        .align(AlignmentType::Right)
                        .indent(None, None, Some(two_chars() * 2), None)
                        .add_run(body_run(l, &f.body)),
                ));
            }
            v
        }
        Block::Attachment { .. } => Vec::new(),
    }
}

/// A paragraph in the tables' size (a subtitle or a note).
fn small_para(t: &str, font: &str, center: bool) -> Paragraph {
    let p = Paragraph::new()
        .line_spacing(exact((TABLE_LINE_PT * 20.0) as u32))
        .align(if center {
            AlignmentType::Center
        } else {
            AlignmentType::Left
        });
    p.add_run(
        Run::new()
            .add_text(t)
            .fonts(fonts(font))
            .size((TABLE_PT * 2.0) as usize),
    )
}

/// How many lines a cell's text takes in a column, by display width (a CJK character is
/// as wide as the font size, others half).
fn lines_in(text: &str, col_mm: f64, pt: f64) -> usize {
    // Cell margins: 1.5 mm each side.
    let room = ((col_mm - 3.0) / 25.4 * 72.0).max(pt);
    text.split('\n')
        .map(|line| ((text_pt(line, pt) / room).ceil() as usize).max(1))
        .sum()
}

/// The width of a line of text in points, as [`lines_in`] measures it.
fn text_pt(line: &str, pt: f64) -> f64 {
    line.chars()
        .map(|c| if (c as u32) < 0x2E80 { pt * 0.55 } else { pt })
        .sum()
}

/// The width a line needs in a cell, its margins included, in millimetres: a digit a little
/// over half a character (as LibreOffice sets the GB fonts' digits; Word's 仿宋_GB2312 sets
/// them at half), a point or a comma under a third.
fn line_mm(line: &str, pt: f64) -> f64 {
    let em: f64 = line
        .chars()
        .map(|c| match c {
            '0'..='9' => 0.56,
            c if (c as u32) < 0x2E80 => 0.3,
            _ => 1.0,
        })
        .sum();
    em * pt / 72.0 * 25.4 + 3.4
}

/// The columns' widths with every figure on one line: a figure column is widened to its
/// widest figure (`1,982,400.00` split after its point reads as two numbers). The room is
/// taken from the other figure columns beyond their figures and their header's longest
/// line, most from those with most; never from the names. The table keeps its width; when
/// that is too little, the figures get what there is.
fn fitted_widths(t: &TableSpec, pt: f64) -> Vec<f64> {
    let widest =
        |lines: &mut dyn Iterator<Item = &str>| lines.map(|l| line_mm(l, pt)).fold(0.0, f64::max);
    let cjk = |text: &str| text.chars().any(|c| (c as u32) >= 0x2E80);
    let need: Vec<f64> = t
        .widths_mm
        .iter()
        .enumerate()
        .map(|(k, &w)| {
            let align = t.align.get(k).copied().unwrap_or(Align::Left);
            if align == Align::Left {
                // The names' columns give nothing: a name broken over another line costs
                // more than it gives (a hundred units' 附件 2 grew by pages).
                return w;
            }
            let cells = || {
                t.rows
                    .iter()
                    .filter_map(move |r| r.get(k))
                    .map(|c| c.text.as_str())
            };
            // A figure (`1,982,400.00`, `11/12`) on one line…
            let figures = widest(&mut cells().filter(|x| !cjk(x)).flat_map(|x| x.split('\n')));
            // …and the words (the header's lines, `数据待核`) as much as they had.
            let words = widest(
                &mut cells()
                    .filter(|x| cjk(x))
                    .chain(t.headers.get(k).map(String::as_str))
                    .flat_map(|x| x.split('\n')),
            );
            match align {
                Align::Right => figures.max(words.min(w)),
                // A centred column (排名, 任务编号, 档次) gives what it does not use and asks
                // for nothing: the ids its width was set for fit as they print.
                _ => figures.max(words).min(w),
            }
        })
        .collect();
    let gaps: Vec<f64> = need.iter().zip(&t.widths_mm).map(|(n, w)| n - w).collect();
    let short: f64 = gaps.iter().map(|g| g.max(0.0)).sum();
    let spare: f64 = gaps.iter().map(|g| (-g).max(0.0)).sum();
    let moved = short.min(spare);
    if moved <= 0.0 {
        return t.widths_mm.clone();
    }
    t.widths_mm
        .iter()
        .zip(&gaps)
        .map(|(w, &g)| {
            if g > 0.0 {
                w + g / short * moved
            } else {
                w + g / spare * moved
            }
        })
        .collect()
}

/// A table cut into pieces that each fit a page (`first_mm` of room on the first page,
/// `rest_mm` on the others), each with its header row and the pieces after the first
/// under 续表: Word, WPS and LibreOffice then print a header on every page of it.
fn table_parts<'a>(t: &'a TableSpec, heading: &str, first_mm: f64, rest_mm: f64) -> Vec<Part<'a>> {
    let (pt, line_pt) = if t.small {
        (SMALL_TABLE_PT, SMALL_TABLE_LINE_PT)
    } else {
        (TABLE_PT, TABLE_LINE_PT)
    };
    let widths: Rc<[f64]> = fitted_widths(t, pt).into();
    let row_mm = |cells: Vec<&str>| -> f64 {
        let lines = cells
            .iter()
            .zip(widths.iter())
            .map(|(c, w)| lines_in(c, *w, pt))
            .max()
            .unwrap_or(1);
        (lines as f64 * line_pt + 1.0) / 72.0 * 25.4
    };
    let header_mm = row_mm(t.headers.iter().map(String::as_str).collect());
    let mut pieces: Vec<Vec<&Vec<Cell>>> = vec![Vec::new()];
    let mut room = first_mm - header_mm;
    for r in &t.rows {
        let h = row_mm(r.iter().map(|c| c.text.as_str()).collect());
        if h > room && !pieces.last().is_some_and(|p| p.is_empty()) {
            pieces.push(Vec::new());
            room = rest_mm - header_mm - 8.0;
        }
        room -= h;
        if let Some(p) = pieces.last_mut() {
            p.push(r);
        }
    }
    let mut out = Vec::new();
    for (k, piece) in pieces.into_iter().enumerate() {
        if k > 0 {
            out.push(Part::p(
                Paragraph::new()
                    .page_break_before(true)
                    .keep_next(true)
                    .line_spacing(exact((line_pt * 20.0) as u32))
                    .add_run(
                        Run::new()
                            .add_text("续表")
                            .fonts(fonts(heading))
                            .size((pt * 2.0) as usize),
                    ),
            ));
        }
        out.push(Part::T(Piece {
            spec: t,
            widths: widths.clone(),
            rows: piece,
        }));
    }
    out
}

/// A piece of a table, its cells' paragraphs numbered from `ids` on.
fn table(piece: &Piece<'_>, ids: &mut u32) -> Table {
    let (t, rows) = (piece.spec, &piece.rows);
    let widths: Vec<usize> = piece.widths.iter().map(|w| mm(*w) as usize).collect();
    let mut cell =
        |text: &str, w: usize, align: Align, heading: bool, fill: Option<&str>, keep: bool| {
            let a = match align {
                Align::Left => AlignmentType::Left,
                Align::Center => AlignmentType::Center,
                Align::Right => AlignmentType::Right,
            };
            let mut p = Paragraph::new()
                .id(format!("{:08x}", *ids))
                .style(CellStyle::of(t.small, heading).id())
                .align(a)
                .keep_next(keep);
            for (k, line) in text.split('\n').enumerate() {
                let mut r = Run::new();
                if k > 0 {
                    r = r.add_break(BreakType::TextWrapping);
                }
                p = p.add_run(r.add_text(line));
            }
            *ids += 1;
            let mut c = TableCell::new()
                .add_paragraph(p)
                .width(w, WidthType::Dxa)
                .vertical_align(VAlignType::Center);
            if let Some(fill) = fill {
                c = c.shading(Shading::new().fill(fill));
            }
            c
        };
    let n = rows.len();
    let mut out = vec![
        TableRow::new(
            t.headers
                .iter()
                .zip(&widths)
                .map(|(h, w)| cell(h, *w, Align::Center, true, Some(HEADER_FILL), true))
                .collect(),
        )
        .cant_split(),
    ];
    for (k, r) in rows.iter().enumerate() {
        // Each piece kept on one page: every row but the last keeps with the next.
        let keep = k + 1 < n;
        out.push(
            TableRow::new(
                r.iter()
                    .zip(&widths)
                    .zip(&t.align)
                    .map(|((c, w), a)| {
                        cell(
                            &c.text,
                            *w,
                            *a,
                            c.bold,
                            c.marked.then_some(MARKED_FILL),
                            keep,
                        )
                    })
                    .collect(),
            )
            .cant_split(),
        );
    }
    Table::new(out)
        .set_grid(widths.clone())
        .layout(TableLayoutType::Fixed)
        .width(widths.iter().sum(), WidthType::Dxa)
        .align(docx_rs::TableAlignmentType::Center)
        .margins(TableCellMargins::new().margin(0, mm(1.5) as usize, 0, mm(1.5) as usize))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 附件 2's columns (as `content::statistics_table` sets them) with a province's figures.
    fn statistics_like() -> TableSpec {
        let mut align = vec![Align::Left];
        align.extend((1..12).map(|_| Align::Right));
        align.push(Align::Center);
        let row = |label: &str| {
            let mut r = vec![Cell::new(label)];
            for v in [
                "1,982,400.00",
                "147,198.00",
                "7.43",
                "883,161.57",
                "44.55",
                "807,029.77",
                "109.43",
                "147,318.00",
                "-0.08",
                "51.98",
                "-7.43",
                "11/12",
            ] {
                r.push(Cell::new(v));
            }
            r
        };
        TableSpec {
            headers: (0..13).map(|k| format!("列{k}")).collect(),
            widths_mm: vec![
                27.0, 19.0, 18.0, 15.0, 19.0, 15.0, 19.0, 15.0, 18.0, 14.0, 14.0, 17.0, 14.0,
            ],
            align,
            rows: vec![row("合计"), row("直属单位小计")],
            small: true,
        }
    }

    /// A briefing with a table in its text and two attachments, the first of them long
    /// enough for several pages.
    fn briefing_blocks() -> Vec<Block> {
        let mut long = statistics_like();
        let rows = long.rows.clone();
        for k in 0..60 {
            let mut r = rows[k % 2].clone();
            r[0] = Cell::new(format!("第{k}项任务 <&> \"名称\""));
            long.rows.push(r);
        }
        let attachment = |label: &str, tables: Vec<TableSpec>| Block::Attachment {
            label: label.into(),
            title: "表格".into(),
            subtitle: String::new(),
            tables,
            notes: vec!["注：说明。".into()],
        };
        vec![
            Block::Title("通报".into()),
            Block::Para("正文。".into()),
            Block::Table(statistics_like()),
            Block::Signature(vec!["办公室".into()]),
            attachment("附件1", vec![long]),
            attachment("附件2", vec![statistics_like(), statistics_like()]),
        ]
    }

    /// The document's XML with every paragraph id blanked: docx-rs numbers the paragraphs
    /// of the text as it makes them, so two drafts differ in those alone.
    fn without_para_ids(xml: &[u8]) -> String {
        let xml = std::str::from_utf8(xml).unwrap();
        let mut out = String::new();
        let mut rest = xml;
        while let Some(at) = rest.find("w14:paraId=\"") {
            let value = at + "w14:paraId=\"".len();
            out.push_str(&rest[..value]);
            rest = &rest[value + 8..];
        }
        out.push_str(rest);
        out
    }

    fn para_ids(xml: &str) -> Vec<&str> {
        xml.split("w14:paraId=\"")
            .skip(1)
            .map(|s| &s[..8])
            .collect()
    }

    #[test]
    fn the_tables_are_spliced_where_docx_rs_would_have_written_them() {
        let blocks = briefing_blocks();
        let fonts = BriefFonts::default();
        let Draft { docx, tables } = document(&blocks, &fonts, "通报");
        let mut spliced = Vec::new();
        tables.splice(&docx.build().document, &mut spliced).unwrap();

        // The same draft with its tables in the tree, as docx-rs writes them in place.
        let Draft { mut docx, tables } = document(&blocks, &fonts, "通报");
        let mut ids = TABLE_PARA_IDS;
        let mut pieces = tables.0.iter();
        for child in &mut docx.document.children {
            if matches!(child, docx_rs::DocumentChild::BookmarkStart(_)) {
                let piece = pieces.next().expect("a piece for each placeholder");
                *child = docx_rs::DocumentChild::Table(Box::new(table(piece, &mut ids)));
            }
        }
        assert!(pieces.next().is_none(), "a placeholder for each piece");
        let in_place = docx.build().document;

        assert_eq!(without_para_ids(&spliced), without_para_ids(&in_place));
        let xml = String::from_utf8(spliced).unwrap();
        // 附件 1 runs over pages: more pieces than tables.
        assert!(
            xml.matches("<w:tbl>").count() > 4,
            "{}",
            xml.matches("<w:tbl>").count()
        );
        assert!(!xml.contains("_huizong_table_"));
        assert!(xml.contains("第59项任务 &lt;&amp;&gt;"));
        // Word wants every paragraph's id its own.
        let ids = para_ids(&xml);
        let distinct: std::collections::HashSet<&str> = ids.iter().copied().collect();
        assert_eq!(distinct.len(), ids.len());
    }

    #[test]
    fn a_table_without_its_placeholder_is_an_error_not_a_gap() {
        let blocks = briefing_blocks();
        let Draft { docx, tables } = document(&blocks, &BriefFonts::default(), "通报");
        let xml = docx.build().document;
        let mark = placeholder(1).build();
        let at = memchr::memmem::find(&xml, &mark).unwrap();
        let mut cut = xml[..at].to_vec();
        cut.extend_from_slice(&xml[at + mark.len()..]);
        let err = tables.splice(&cut, &mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("第 2 张表格"), "{err}");
    }

    #[test]
    fn every_figure_fits_its_column_on_one_line() {
        let t = statistics_like();
        // As the table was laid out before: amounts in the hundreds of thousands broke after
        // their decimal point.
        assert!(line_mm("1,982,400.00", SMALL_TABLE_PT) > t.widths_mm[1] + 0.5);
        let w = fitted_widths(&t, SMALL_TABLE_PT);
        let total: f64 = t.widths_mm.iter().sum();
        assert!(
            (w.iter().sum::<f64>() - total).abs() < 1e-9,
            "the table keeps its width"
        );
        for r in &t.rows {
            for (k, c) in r
                .iter()
                .enumerate()
                .filter(|(k, _)| t.align[*k] == Align::Right)
            {
                assert!(
                    line_mm(&c.text, SMALL_TABLE_PT) <= w[k] + 1e-9,
                    "{} in {:.1} mm",
                    c.text,
                    w[k]
                );
            }
        }
        // The room came from the figure columns that had more than they need: the names
        // keep theirs.
        assert_eq!(w[0], t.widths_mm[0]);
    }

    #[test]
    fn a_column_without_figures_keeps_room_for_its_header() {
        let mut t = statistics_like();
        // No last year: 去年同期 and 为去年同期% are empty.
        t.headers[6] = "去年同期\n累计完成\n（万元）".into();
        for r in &mut t.rows {
            r[6].text.clear();
            r[7].text.clear();
        }
        let w = fitted_widths(&t, SMALL_TABLE_PT);
        assert!(
            line_mm("累计完成", SMALL_TABLE_PT) <= w[6] + 1e-9,
            "{:.1} mm",
            w[6]
        );
        assert!(line_mm("1,982,400.00", SMALL_TABLE_PT) <= w[1] + 1e-9);
        // A centred column asks for nothing.
        assert!(w[12] <= t.widths_mm[12]);
    }

    #[test]
    fn a_table_whose_figures_fit_keeps_its_widths() {
        let mut t = statistics_like();
        for r in &mut t.rows {
            for c in r.iter_mut().skip(1) {
                c.text = "1.00".into();
            }
        }
        assert_eq!(fitted_widths(&t, SMALL_TABLE_PT), t.widths_mm);
    }
}
