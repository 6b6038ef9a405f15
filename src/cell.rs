//! Where a value was read: a sheet's cell, and the `A1` names people use for it.

/// A cell in a sheet: zero-based row and column.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct CellRef {
    /// Shared by every cell of a sheet: one allocation per sheet, not per value.
    pub sheet: std::sync::Arc<str>,
    pub row: u32,
    pub col: u32,
}

impl CellRef {
    pub fn new(sheet: &str, row: u32, col: u32) -> CellRef {
        CellRef {
            sheet: sheet.into(),
            row,
            col,
        }
    }

    /// `F7`.
    pub fn a1(&self) -> String {
        a1(self.row, self.col)
    }
}

/// Zero-based row/column to `A1` notation.
pub fn a1(row: u32, col: u32) -> String {
    format!("{}{}", col_name(col), row + 1)
}

/// Zero-based column index to letters (`0` → `A`, `27` → `AB`).
pub fn col_name(col: u32) -> String {
    let mut n = col + 1;
    let mut s = Vec::new();
    while n > 0 {
        let r = (n - 1) % 26;
        s.push(b'A' + r as u8);
        n = (n - 1) / 26;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The rectangle spanned by the non-empty cells of a sheet seen so far.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    rows: Option<(u32, u32)>,
    cols: Option<(u32, u32)>,
}

impl Span {
    /// Adds a cell; returns the area now spanned.
    pub fn add(&mut self, row: u32, col: u32) -> u64 {
        let widen =
            |b: Option<(u32, u32)>, v: u32| b.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v)));
        self.rows = Some(widen(self.rows, row));
        self.cols = Some(widen(self.cols, col));
        self.area()
    }

    /// Cells in the rectangle, filled or not.
    pub fn area(&self) -> u64 {
        match (self.rows, self.cols) {
            (Some(rows), Some(cols)) => span(rows) * span(cols),
            _ => 0,
        }
    }

    /// `A1:IV65536`, or `None` when no cell was added.
    pub fn a1(&self) -> Option<String> {
        let ((r0, r1), (c0, c1)) = (self.rows?, self.cols?);
        Some(format!("{}:{}", a1(r0, c0), a1(r1, c1)))
    }

    /// First and last row, first and last column, or `None` when no cell was added.
    pub fn bounds(&self) -> Option<((u32, u32), (u32, u32))> {
        Some((self.rows?, self.cols?))
    }

    /// Rows and columns spanned.
    pub fn size(&self) -> (u64, u64) {
        (self.rows.map_or(0, span), self.cols.map_or(0, span))
    }
}

/// Rows (or columns) from `lo` to `hi`, in u64: 0 to u32::MAX is 2^32 of them.
fn span((lo, hi): (u32, u32)) -> u64 {
    u64::from(hi) - u64::from(lo) + 1
}
