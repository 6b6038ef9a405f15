//! Where a value was read: a sheet's cell, and the `A1` names people use for it.

/// A cell in a sheet: zero-based row and column.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct CellRef {
    /// Shared by every cell of a sheet: one allocation per sheet, not per value.
    #[serde(deserialize_with = "shared_sheet")]
    pub sheet: std::sync::Arc<str>,
    pub row: u32,
    pub col: u32,
}

thread_local! {
    /// The sheet name last read back on this thread ([`shared_sheet`]).
    static LAST_SHEET: std::cell::RefCell<Option<std::sync::Arc<str>>> =
        const { std::cell::RefCell::new(None) };
}

/// A sheet's name as read back from a worker's answer: shared with the cell read just
/// before it when that one is on the same sheet, as the cells of a sheet share it when
/// read. (Read one by one, each cell of an answer cost a name of its own, allocated twice.)
pub fn shared_sheet<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<std::sync::Arc<str>, D::Error> {
    struct Name;
    impl serde::de::Visitor<'_> for Name {
        type Value = std::sync::Arc<str>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a sheet's name")
        }

        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Self::Value, E> {
            Ok(LAST_SHEET.with(|last| {
                let mut last = last.borrow_mut();
                match last.as_ref() {
                    Some(name) if **name == *s => name.clone(),
                    _ => {
                        let name: std::sync::Arc<str> = s.into();
                        *last = Some(name.clone());
                        name
                    }
                }
            }))
        }
    }
    d.deserialize_str(Name)
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
    // Written a character at a time: the summary names a cell for every figure.
    let mut s = String::with_capacity(12);
    push_col_name(&mut s, col);
    let mut digits = [0u8; 10];
    let mut k = digits.len();
    let mut n = u64::from(row) + 1;
    while n > 0 {
        k -= 1;
        digits[k] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    s.push_str(std::str::from_utf8(&digits[k..]).expect("ASCII digits"));
    s
}

/// Zero-based column index to letters (`0` → `A`, `27` → `AB`).
pub fn col_name(col: u32) -> String {
    let mut s = String::with_capacity(3);
    push_col_name(&mut s, col);
    s
}

fn push_col_name(s: &mut String, col: u32) {
    // 26^7 letters' worth is more than u32 holds.
    let mut letters = [0u8; 7];
    let mut k = letters.len();
    let mut n = u64::from(col) + 1;
    while n > 0 {
        k -= 1;
        letters[k] = b'A' + ((n - 1) % 26) as u8;
        n = (n - 1) / 26;
    }
    s.push_str(std::str::from_utf8(&letters[k..]).expect("ASCII letters"));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Cells read back from a worker's answer are the cells sent; those of one sheet share
    /// its name, and a cell of another sheet has its own.
    #[test]
    fn cells_read_back_share_their_sheets_name() {
        let cells = vec![
            CellRef::new("进展", 3, 1),
            CellRef::new("进展", 4, 2),
            CellRef::new("投资", 5, 0),
            CellRef::new("进展", 6, 1),
            CellRef::new("", 0, 0),
        ];
        let bytes = postcard::to_stdvec(&cells).expect("written");
        let back: Vec<CellRef> = postcard::from_bytes(&bytes).expect("read");
        assert_eq!(back, cells);
        assert!(std::sync::Arc::ptr_eq(&back[0].sheet, &back[1].sheet));
        assert!(!std::sync::Arc::ptr_eq(&back[1].sheet, &back[3].sheet));
        assert_eq!(&*back[2].sheet, "投资");
        let json = serde_json::to_string(&cells).expect("written");
        let back: Vec<CellRef> = serde_json::from_str(&json).expect("read");
        assert_eq!(back, cells);
    }

    #[test]
    fn columns_and_rows_are_named_as_excel_names_them() {
        for (col, name) in [
            (0, "A"),
            (25, "Z"),
            (26, "AA"),
            (27, "AB"),
            (701, "ZZ"),
            (702, "AAA"),
            (16_383, "XFD"),
        ] {
            assert_eq!(col_name(col), name);
        }
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(6, 5), "F7");
        assert_eq!(a1(9, 2), "C10");
        assert_eq!(a1(1_048_575, 16_383), "XFD1048576");
        assert_eq!(a1(u32::MAX, 0), "A4294967296");
        // The last column u32 can name: seven letters.
        assert_eq!(col_name(u32::MAX), "MWLQKWV");
    }
}
