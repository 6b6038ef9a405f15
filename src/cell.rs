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
