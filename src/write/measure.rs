//! How wide and tall what a cell shows is, as the programs that open the workbook draw it:
//! column widths that show every figure whole (never `###`) and row heights that show
//! every wrapped line (never cut). Pure code, so every rule is unit-tested.
//!
//! Widths are in pixels at 96 dpi for 10-point text. Where Excel and LibreOffice differ,
//! the wider counts: figures are set in Calibri (LibreOffice draws Carlito, the same
//! widths); text is set in 宋体, which Excel draws with SimSun (Latin half as wide as a
//! CJK character) and LibreOffice, lacking it, with Noto Sans CJK for CJK and DejaVu Sans
//! for Latin (wider), so Latin in text is measured at DejaVu's widths. A line of CJK text
//! is 14.5 points high in Noto Sans CJK (13.5 in SimSun).

/// Pixels of one em of 10-point text.
const EM: f64 = 10.0 * 96.0 / 72.0;

/// The pixels a column of `units` (Excel's: widths of Calibri 11's digit, 7 px) shows.
pub fn units_to_px(units: f64) -> f64 {
    units * 7.0 + 5.0
}

/// The room a cell leaves around its content (both sides).
const PADDING_PX: f64 = 10.0;

/// The column width (units) that shows `px` of content.
pub fn px_to_units(px: f64) -> f64 {
    (((px + PADDING_PX - 5.0) / 7.0) * 4.0).ceil() / 4.0
}

/// Whether a character is drawn a full em wide (CJK, full-width forms, CJK punctuation).
#[inline]
fn full_width(c: char) -> bool {
    let u = c as u32;
    // Latin first, then the common CJK ideographs: most characters measured are one of them.
    if u < 0x80 {
        return false;
    }
    if (0x4E00..=0x9FFF).contains(&u) {
        return true;
    }
    matches!(u,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF |
        0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF |
        0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
        || matches!(
            c,
            '“' | '”' | '‘' | '’' | '…' | '—' | '·' | '×' | '÷' | '≥' | '≤' | '−'
        )
}

/// Width of a Latin character of text, as DejaVu Sans draws it (in em).
fn latin_em(c: char) -> f64 {
    match c {
        ' ' => 0.32,
        '.' | ',' | ':' | ';' | '\'' | '!' | '|' | 'i' | 'j' | 'l' => 0.32,
        '(' | ')' | '[' | ']' | '-' | 'f' | 't' | 'r' => 0.40,
        '0'..='9' => 0.636,
        '%' => 0.95,
        'm' | 'w' => 0.95,
        'M' | 'W' => 1.0,
        'A'..='Z' => 0.72,
        _ => 0.62,
    }
}

/// The two programs a workbook is drawn by, which differ in text and column widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Program {
    /// SimSun: Latin half as wide as CJK; a width unit is 7 px.
    Excel,
    /// Noto Sans CJK and DejaVu Sans: Latin wider; a width unit is 7.44 px.
    LibreOffice,
}

const PROGRAMS: [Program; 2] = [Program::Excel, Program::LibreOffice];

impl Program {
    fn unit_px(self) -> f64 {
        match self {
            Program::Excel => 7.0,
            Program::LibreOffice => 7.44,
        }
    }

    /// Pixels a column of `units` shows, content and margins.
    fn column_px(self, units: f64) -> f64 {
        units * self.unit_px() + 5.0
    }

    #[inline]
    fn char_px(self, c: char, bold: bool) -> f64 {
        self.char_px_of(c, full_width(c), bold)
    }

    /// [`Program::char_px`] of a character already known to be full width or not.
    #[inline]
    fn char_px_of(self, c: char, full: bool, bold: bool) -> f64 {
        let w = if full {
            EM
        } else {
            match self {
                Program::Excel => 0.5 * EM,
                Program::LibreOffice => latin_em(c) * EM,
            }
        };
        if bold { w * 1.06 } else { w }
    }

    fn text_px(self, text: &str, bold: bool) -> f64 {
        text.chars().map(|c| self.char_px(c, bold)).sum()
    }
}

/// Pixels of `text` on one line, in the text font, as the wider of the two programs draws
/// it; bold adds what emboldening adds.
pub fn text_px(text: &str, bold: bool) -> f64 {
    PROGRAMS
        .iter()
        .map(|p| p.text_px(text, bold))
        .fold(0.0, f64::max)
}

/// Pixels of a figure as displayed, in Calibri (digits are a fixed 0.507 em, bold too).
pub fn figure_px(shown: &str) -> f64 {
    shown
        .chars()
        .map(|c| {
            EM * match c {
                '0'..='9' => 0.507,
                ',' | '.' => 0.25,
                '-' => 0.306,
                '%' => 0.715,
                '—' => 1.0,
                _ => 0.55,
            }
        })
        .sum()
}

/// A figure as Excel shows it in the formats the workbooks use: `#,##0.00`, `0.0%`, `0`
/// and General (up to ten significant digits, no separators).
pub fn shown(v: f64, format: Shown) -> String {
    match format {
        Shown::Money => grouped(v, 2),
        Shown::Whole => grouped(v.round(), 0),
        Shown::Percent => format!("{:.1}%", v * 100.0),
        Shown::Count => format!("{}", v.round() as i64),
        Shown::General => {
            let s = format!("{v}");
            if s.len() > 11 {
                format!("{v:.4}")
                    .trim_end_matches('0')
                    .trim_end_matches('.')
                    .to_string()
            } else {
                s
            }
        }
    }
}

/// The display formats [`shown`] knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Money,
    /// `#,##0`.
    Whole,
    Percent,
    Count,
    General,
}

/// `1982400.0` → `1,982,400.00`.
fn grouped(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    let sign = if v < 0.0 { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{out}")
    } else {
        format!("{sign}{out}.{frac}")
    }
}

/// The lines `text` takes in a column of `units`, wrapped as the programs wrap: CJK at any
/// character, a Latin word whole when it fits on a line. Explicit line breaks count.
pub fn lines(text: &str, units: f64, bold: bool) -> usize {
    // Most cells hold less than a line even at a full em a character: no need to wrap them.
    let narrowest = (units * Program::Excel.unit_px() + 5.0 - PADDING_PX).max(EM);
    if !text.contains('\n') && text.chars().count() as f64 * EM * 1.06 <= narrowest {
        return 1;
    }
    PROGRAMS
        .iter()
        .map(|&p| {
            let room = (p.column_px(units) - PADDING_PX).max(EM);
            text.split('\n')
                .map(|para| para_lines(para, room, bold, p))
                .sum::<usize>()
        })
        .max()
        .unwrap_or(1)
}

/// The lines of one paragraph in `room` pixels: tokens are single CJK characters, spaces
/// and Latin words; a line ends before a token that does not fit, and a word wider than a
/// whole line is split.
fn para_lines(para: &str, room: f64, bold: bool, program: Program) -> usize {
    // Each token is fitted as soon as it ends: no list of tokens is built.
    let mut wrap = Wrap {
        room,
        lines: 1,
        used: 0.0,
    };
    let mut word = 0.0;
    for c in para.chars() {
        let full = full_width(c);
        let w = program.char_px_of(c, full, bold);
        if c == ' ' || full {
            if word > 0.0 {
                wrap.token(word, false);
                word = 0.0;
            }
            wrap.token(w, c == ' ');
        } else {
            word += w;
        }
    }
    if word > 0.0 {
        wrap.token(word, false);
    }
    wrap.lines
}

/// Lines filled so far, token by token.
struct Wrap {
    room: f64,
    lines: usize,
    used: f64,
}

impl Wrap {
    /// Places a token `w` pixels wide (`space`: a space, never carried to the next line).
    fn token(&mut self, w: f64, space: bool) {
        let room = self.room;
        if self.used + w <= room {
            self.used += w;
        } else if space {
            self.lines += 1;
            self.used = 0.0;
        } else if w <= room {
            self.lines += 1;
            self.used = w;
        } else {
            // Split across lines: what is left after whole lines.
            let mut rest = w - (room - self.used);
            self.lines += 1;
            while rest > room {
                self.lines += 1;
                rest -= room;
            }
            self.used = rest;
        }
    }
}

/// Points of one line of 10-point text (the taller of the two renderings).
pub const LINE_PT: f64 = 14.5;

/// The height (points) of a row of `lines` lines.
pub fn height_of(lines: usize) -> f64 {
    (lines.max(1) as f64 * LINE_PT + 4.0).clamp(18.0, 409.0)
}

/// The height (points) of a row whose cells show `cells`: each text with the width of its
/// column (or merged range) and whether it is bold. At least one line; at most a
/// spreadsheet row's 409 points.
pub fn row_height(cells: &[(&str, f64, bool)]) -> f64 {
    let lines = cells
        .iter()
        .map(|(t, w, b)| lines(t, *w, *b))
        .max()
        .unwrap_or(1);
    height_of(lines)
}

/// The most lines a row shows: a spreadsheet row is at most 409 points high.
pub const MAX_LINES: usize = ((409.0 - 4.0) / LINE_PT) as usize;

/// What ends a piece of text that goes on in the next row.
pub const GOES_ON: &str = "（见续）";
/// What starts a piece that goes on from the row above.
pub const GOES_ON_FROM: &str = "（续）";

/// `text` as the rows of a column of `units` show it whole: one piece when it fits in a
/// row ([`MAX_LINES`]), else pieces that each fit, every one but the last ending in a
/// line [`GOES_ON`] and every one but the first starting with [`GOES_ON_FROM`]. A piece
/// ends, where it can, at a line break or a sentence's end in its last third.
pub fn pieces(text: &str, units: f64, bold: bool) -> Vec<String> {
    if lines(text, units, bold) <= MAX_LINES {
        return vec![text.to_string()];
    }
    let chars: Vec<char> = text.chars().collect();
    let shown = |from: usize, to: usize, more: bool| {
        let mut s = String::new();
        if from > 0 {
            s.push_str(GOES_ON_FROM);
        }
        s.extend(&chars[from..to]);
        if more {
            s.push('\n');
            s.push_str(GOES_ON);
        }
        s
    };
    let fits = |s: &str| lines(s, units, bold) <= MAX_LINES;
    let mut out = Vec::new();
    let mut from = 0;
    while from < chars.len() {
        let last = shown(from, chars.len(), false);
        if fits(&last) {
            out.push(last);
            break;
        }
        // The longest piece that fits (at least one character, so that it ends).
        let (mut lo, mut hi) = (from + 1, chars.len() - 1);
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if fits(&shown(from, mid, true)) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        let floor = from + (lo - from) * 2 / 3;
        let to = (floor + 1..=lo)
            .rev()
            .find(|&i| matches!(chars[i - 1], '\n' | '。' | '；' | ';'))
            .unwrap_or(lo);
        // A break at the cut is the row's end, not the next piece's first line.
        let piece_end = if chars[to - 1] == '\n' { to - 1 } else { to };
        out.push(shown(from, piece_end, true));
        from = to;
    }
    out
}

/// The narrowest width (units, in quarters, at most `cap`) at which `text` fits in one
/// row ([`MAX_LINES`]); `cap` when none up to it does.
pub fn units_for_a_row(text: &str, bold: bool, cap: f64) -> f64 {
    if lines(text, cap, bold) > MAX_LINES {
        return cap;
    }
    let (mut lo, mut hi) = (4u32, (cap * 4.0) as u32);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if lines(text, mid as f64 / 4.0, bold) <= MAX_LINES {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo as f64 / 4.0
}

/// The width (units) that shows `text` without wrapping, in both programs: its longest
/// line.
pub fn text_units(text: &str, bold: bool) -> f64 {
    let units = PROGRAMS
        .iter()
        .map(|p| {
            let px = text
                .split('\n')
                .map(|l| p.text_px(l, bold))
                .fold(0.0, f64::max);
            (px + PADDING_PX - 5.0) / p.unit_px()
        })
        .fold(0.0, f64::max);
    (units * 4.0).ceil() / 4.0
}

/// The width (units) that shows a figure whole.
pub fn figure_units(v: f64, format: Shown) -> f64 {
    px_to_units(figure_px(&shown(v, format)))
}

/// Printable pixels across an A4 landscape page with the workbooks' margins (0.4 inch).
pub const A4_LANDSCAPE_PX: f64 = (297.0 / 25.4 - 0.8) * 96.0;
/// Printable pixels down the same page, less the page header and footer.
pub const A4_LANDSCAPE_DOWN_PX: f64 = (210.0 / 25.4 - 1.4) * 96.0;

/// The pixels a column of `units` takes on a page. Excel shows 7 px a unit (what a figure
/// must fit in, [`units_to_px`]); LibreOffice lays a unit out as Carlito 11's digit, 7.44 px
/// (what the page must hold).
pub fn page_px(units: f64) -> f64 {
    units * 7.44 + 5.0
}

/// The scale (≤ 1) at which columns of these widths print one page wide.
pub fn print_scale(widths: &[f64]) -> f64 {
    let total: f64 = widths.iter().map(|w| page_px(*w)).sum();
    (A4_LANDSCAPE_PX / total).min(1.0)
}

/// A sheet's column widths (units), grown to what each column will show.
#[derive(Debug, Clone, PartialEq)]
pub struct Widths(pub Vec<f64>);

impl Widths {
    /// Columns as wide as their headers' longest lines (bold), at least `min` each.
    pub fn of_headers(headers: &[&str], min: f64) -> Widths {
        Widths(
            headers
                .iter()
                .map(|h| text_units(h, true).max(min))
                .collect(),
        )
    }

    /// Grows column `c` to show `text` on one line.
    pub fn text(&mut self, c: usize, text: &str, bold: bool) {
        let w = text_units(text, bold);
        if w > self.0[c] {
            self.0[c] = w;
        }
    }

    /// Grows column `c` to show a figure whole.
    pub fn figure(&mut self, c: usize, v: Option<f64>, format: Shown) {
        self.figure_bold(c, v, format, false);
    }

    /// As [`Widths::figure`], for a figure that may be bold (a total): a little wider.
    pub fn figure_bold(&mut self, c: usize, v: Option<f64>, format: Shown, bold: bool) {
        if let Some(v) = v {
            let px = figure_px(&shown(v, format)) * if bold { 1.05 } else { 1.0 };
            let w = px_to_units(px);
            if w > self.0[c] {
                self.0[c] = w;
            }
        }
    }

    /// Caps column `c` (its text wraps beyond).
    pub fn at_most(&mut self, c: usize, max: f64) {
        if self.0[c] > max {
            self.0[c] = max;
        }
    }

    /// At least `min`.
    pub fn at_least(&mut self, c: usize, min: f64) {
        if self.0[c] < min {
            self.0[c] = min;
        }
    }

    pub fn get(&self, c: usize) -> f64 {
        self.0[c]
    }

    /// Narrows the wrapping columns `shrink`, the first down to its floor before the next,
    /// until the sheet prints one page wide at `scale` or more; what cannot be met is left
    /// at the floors.
    pub fn fit_page(&mut self, shrink: &[(usize, f64)], scale: f64) {
        let room = A4_LANDSCAPE_PX / scale;
        for &(c, floor) in shrink {
            let total: f64 = self.0.iter().map(|w| page_px(*w)).sum();
            if total <= room {
                return;
            }
            let over = (total - room) / 7.44;
            let narrower = ((self.0[c] - over) * 4.0).floor() / 4.0;
            self.0[c] = narrower.max(floor).min(self.0[c]);
        }
    }

    /// Narrows the columns `widened` (each with the width it had before it was widened)
    /// back towards that width, each in proportion to what it gained, until the sheet
    /// prints one page wide at `scale` or more.
    pub fn give_back(&mut self, widened: &[(usize, f64)], scale: f64) {
        let room = A4_LANDSCAPE_PX / scale;
        let total: f64 = self.0.iter().map(|w| page_px(*w)).sum();
        let gained: f64 = widened
            .iter()
            .map(|&(c, was)| (self.0[c] - was).max(0.0))
            .sum();
        if total <= room || gained <= 0.0 {
            return;
        }
        let share = ((total - room) / 7.44 / gained).min(1.0);
        for &(c, was) in widened {
            let gain = (self.0[c] - was).max(0.0);
            self.0[c] = ((self.0[c] - gain * share) * 4.0).floor() / 4.0;
        }
    }

    /// The width of columns `a..=b` merged.
    pub fn span(&self, a: usize, b: usize) -> f64 {
        // Merged columns also share the gaps between them.
        self.0[a..=b].iter().sum::<f64>() + (b - a) as f64 * 5.0 / 7.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_too_long_for_a_row_goes_on_in_pieces_that_each_fit() {
        let sentence = "路面基层施工完成，桥梁下部结构完成八成。";
        let text = sentence.repeat(40);
        let units = 30.0;
        assert!(lines(&text, units, false) > MAX_LINES);
        let p = pieces(&text, units, false);
        assert!(p.len() >= 2, "{}", p.len());
        for (i, piece) in p.iter().enumerate() {
            assert!(lines(piece, units, false) <= MAX_LINES, "piece {i}");
            assert_eq!(piece.starts_with(GOES_ON_FROM), i > 0, "piece {i}");
            assert_eq!(piece.ends_with(GOES_ON), i + 1 < p.len(), "piece {i}");
        }
        // Nothing lost, nothing added but the marks; pieces end at a sentence's end.
        let joined: String = p
            .iter()
            .map(|s| {
                s.trim_start_matches(GOES_ON_FROM)
                    .trim_end_matches(GOES_ON)
                    .trim_end_matches('\n')
            })
            .collect();
        assert_eq!(joined, text);
        assert!(p[0].trim_end_matches(GOES_ON).trim_end().ends_with('。'));
        // A text that fits stays one piece, as it is.
        assert_eq!(pieces(sentence, units, false), vec![sentence.to_string()]);
    }

    #[test]
    fn the_narrowest_column_that_shows_a_text_in_one_row() {
        let text = "路面基层施工完成，桥梁下部结构完成八成。".repeat(25);
        let w = units_for_a_row(&text, false, 80.0);
        assert!(lines(&text, w, false) <= MAX_LINES);
        assert!(lines(&text, w - 0.25, false) > MAX_LINES, "{w}");
        assert_eq!(units_for_a_row(&"字".repeat(9000), false, 60.0), 60.0);
    }

    #[test]
    fn widened_columns_give_back_what_the_page_cannot_hold() {
        // Two text columns widened from 20 to 100 and 60: the page at 82 % holds about 170
        // units, so they give back in proportion to what they gained (80 and 40).
        let mut w = Widths(vec![30.0, 100.0, 60.0]);
        w.give_back(&[(1, 20.0), (2, 20.0)], 0.82);
        let total: f64 = w.0.iter().map(|x| page_px(*x)).sum();
        assert!(total <= A4_LANDSCAPE_PX / 0.82, "{:?}", w.0);
        assert!(total > A4_LANDSCAPE_PX / 0.82 - 20.0, "{:?}", w.0);
        let (g1, g2) = (w.get(1) - 20.0, w.get(2) - 20.0);
        assert!((g1 / g2 - 2.0).abs() < 0.1, "{:?}", w.0);
        // A sheet that fits keeps its widths.
        let mut small = Widths(vec![30.0, 40.0]);
        small.give_back(&[(1, 20.0)], 0.82);
        assert_eq!(small.0, vec![30.0, 40.0]);
    }

    #[test]
    fn a_text_without_a_sentence_end_is_cut_where_the_row_is_full() {
        let text = "字".repeat(2000);
        let p = pieces(&text, 20.0, false);
        assert!(p.len() >= 3);
        let kept: usize = p
            .iter()
            .map(|s| s.chars().filter(|&c| c == '字').count())
            .sum();
        assert_eq!(kept, 2000);
        assert!(p.iter().all(|s| lines(s, 20.0, false) <= MAX_LINES));
    }

    #[test]
    fn figures_show_as_excel_shows_them() {
        assert_eq!(shown(1_982_400.0, Shown::Money), "1,982,400.00");
        assert_eq!(shown(-1234.5, Shown::Money), "-1,234.50");
        assert_eq!(shown(0.446, Shown::Percent), "44.6%");
        assert_eq!(shown(718.0, Shown::General), "718");
        assert_eq!(shown(22.7, Shown::General), "22.7");
    }

    #[test]
    fn a_bold_grand_total_fits_the_width_given_for_it() {
        // The samples' 本年计划投资 total, bold, that printed as ### in a 12.7 column when
        // figures were set in 宋体 (drawn in DejaVu Sans by LibreOffice).
        let mut w = Widths(vec![0.0]);
        w.figure_bold(0, Some(1_982_400.0), Shown::Money, true);
        let room = Program::Excel.column_px(w.get(0)) - PADDING_PX;
        assert!(figure_px("1,982,400.00") * 1.05 <= room, "{}", w.get(0));
        // In DejaVu's digits it would not have fitted that width.
        assert!(Program::LibreOffice.text_px("1,982,400.00", true) > room);
    }

    #[test]
    fn cjk_counts_about_two_latin_widths() {
        let cjk = text_px("普通干线公路", false);
        let latin = text_px("abcdef", false);
        assert!(cjk / latin > 1.5 && cjk / latin < 2.2, "{cjk} {latin}");
        assert_eq!(text_units("计量\n单位", true), text_units("计量", true));
    }

    #[test]
    fn wrapped_lines_as_a_column_of_that_width_shows_them() {
        // Six CJK characters in a column holding four: two lines.
        assert_eq!(lines("普通干线公路", px_to_units(4.0 * EM), false), 2);
        assert_eq!(lines("普通干线", px_to_units(4.0 * EM), false), 1);
        assert_eq!(lines("甲\n乙\n丙", 20.0, false), 3);
        // A Latin word is not split while it fits a line.
        assert_eq!(
            lines("T01-01 T01-02", text_units("T01-01", false), false),
            2
        );
        let h = row_height(&[("普通干线公路", px_to_units(4.0 * EM), false)]);
        assert!((h - (2.0 * LINE_PT + 4.0)).abs() < 1e-9);
    }

    #[test]
    fn the_print_scale_of_a_sheet() {
        assert_eq!(print_scale(&[10.0; 10]), 1.0);
        assert!(print_scale(&[20.0; 10]) < 0.8);
    }

    /// Wrapping as a list of tokens first (spaces, single CJK characters, Latin words),
    /// then fitted: the rule as first written, which the one-pass wrapping must equal.
    fn lines_by_tokens(para: &str, room: f64, bold: bool, program: Program) -> usize {
        let mut tokens: Vec<(f64, bool)> = Vec::new();
        let mut word = 0.0;
        for c in para.chars() {
            if full_width(c) || c == ' ' {
                if word > 0.0 {
                    tokens.push((word, false));
                    word = 0.0;
                }
                tokens.push((program.char_px(c, bold), c == ' '));
            } else {
                word += program.char_px(c, bold);
            }
        }
        if word > 0.0 {
            tokens.push((word, false));
        }
        let mut lines = 1;
        let mut used = 0.0;
        for (w, space) in tokens {
            if used + w <= room {
                used += w;
            } else if space {
                lines += 1;
                used = 0.0;
            } else if w <= room {
                lines += 1;
                used = w;
            } else {
                let mut rest = w - (room - used);
                lines += 1;
                while rest > room {
                    lines += 1;
                    rest -= room;
                }
                used = rest;
            }
        }
        lines
    }

    #[test]
    fn wrapping_in_one_pass_counts_the_lines_a_token_list_does() {
        let texts = [
            "",
            "普通干线公路",
            "T01-01 T01-02 T01-03",
            "新建农村公路 120 公里，完成投资 3,500.00 万元（占年度计划的 58.3%）",
            "Averyveryveryverylongwordthatmustbesplitacrosslines 甲乙丙",
            "  leading and  double  spaces  ",
            "“客货同站”——乡镇客运站与物流企业合作",
        ];
        let mut compared = 0;
        for t in texts {
            for room in [EM, 3.0 * EM, 7.5 * EM, 20.0 * EM] {
                for p in PROGRAMS {
                    for bold in [false, true] {
                        assert_eq!(
                            para_lines(t, room, bold, p),
                            lines_by_tokens(t, room, bold, p),
                            "{t:?} in {room} px, {p:?}, bold {bold}"
                        );
                        compared += 1;
                    }
                }
            }
        }
        assert_eq!(compared, 7 * 4 * 2 * 2);
    }

    #[test]
    fn latin_is_never_full_width_and_every_common_ideograph_is() {
        assert!((0u8..0x80).all(|b| !full_width(char::from(b))));
        assert!((0x4E00..=0x9FFF).filter_map(char::from_u32).all(full_width));
        assert!(full_width('，') && full_width('“') && full_width('㐀'));
        assert!(!full_width('é') && !full_width('½'));
    }
}
