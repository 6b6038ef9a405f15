//! A worker's answer as the parent takes it: the workbook's labels, titles and tables'
//! headers decoded at once, its rows left in the answer's bytes until they are asked for.
//!
//! A month of returns is mostly earlier months' (1,100 of 1,200 files): of those, only each
//! row's key and two figures are kept (`ReturnFile::slim`). Decoding every cell of them, a
//! string each, then dropping them, was a fifth of what the process that interprets did.
//! Whose a return is and for which month is known from the head alone; the rows are then
//! decoded whole (`TableRows` is an iterator of rows), or with only the cells an earlier
//! month keeps, into one row used again ([`TableRows::next_kept`]).
//!
//! The answer's layout (worker → parent; written by [`encode`]):
//! the workbook in postcard's form with every table's rows left out, then for each table
//! its rows' byte length and count (four bytes each, little-endian) and its rows, each in
//! postcard's form.

use std::borrow::Cow;

use crate::finding::{Code, Finding};
use crate::messages as msg;
use crate::model::{Raw, RawRow, RawTable, RawWorkbook, TableKind};

/// A workbook as read, its rows possibly still in a worker's answer.
pub struct Answer<'a> {
    wb: RawWorkbook,
    rows: Deferred<'a>,
}

/// The rows of each table still in the answer's bytes; empty once they are all decoded.
#[derive(Default)]
pub struct Deferred<'a> {
    /// Per table of the workbook (in order): its rows' bytes and how many rows they hold.
    tables: Vec<(&'a [u8], usize)>,
}

impl Answer<'static> {
    /// A workbook read whole (in this process, or a worker's JSON answer).
    pub fn whole(wb: RawWorkbook) -> Answer<'static> {
        Answer {
            wb,
            rows: Deferred::default(),
        }
    }
}

impl<'a> Answer<'a> {
    /// The workbook: the tables' rows are empty while they are deferred.
    pub fn head(&self) -> &RawWorkbook {
        &self.wb
    }

    /// Whether the workbook holds a task list's table.
    pub fn has_tasks(&self) -> bool {
        self.wb.tables.iter().any(|t| t.kind == TableKind::Tasks)
    }

    /// The workbook with every table's rows.
    pub fn into_workbook(self) -> RawWorkbook {
        let (mut wb, mut rows) = self.into_parts();
        let broken = rows.fill(&mut wb);
        wb.findings.extend(broken);
        wb
    }

    /// The workbook (rows empty where deferred) and its deferred rows.
    pub fn into_parts(self) -> (RawWorkbook, Deferred<'a>) {
        (self.wb, self.rows)
    }
}

impl<'a> Deferred<'a> {
    /// Decodes every deferred table's rows into `wb`. A table whose rows cannot be decoded
    /// (a broken answer: never seen) keeps none, and its finding is returned.
    pub fn fill(&mut self, wb: &mut RawWorkbook) -> Vec<Finding> {
        let mut broken = Vec::new();
        for (k, (bytes, n)) in std::mem::take(&mut self.tables).into_iter().enumerate() {
            let Some(table) = wb.tables.get_mut(k) else {
                break;
            };
            let mut reader = TableRows::encoded(bytes, n);
            let mut rows = Vec::with_capacity(n);
            loop {
                match reader.next() {
                    Some(Ok(r)) => rows.push(r.into_owned()),
                    Some(Err(why)) => {
                        rows.clear();
                        // Said at the table's header, the rows it lost below it.
                        broken.push(
                            Finding::new(Code::FileUnreadable, msg::answer_broken(&why))
                                .file(wb.rel.clone())
                                .at(&table.header_cell()),
                        );
                        break;
                    }
                    None => break,
                }
            }
            table.rows = rows;
        }
        broken
    }

    /// The rows of `table`, the `k`-th table of the workbook: from the answer while they
    /// are deferred, else its own.
    pub fn rows<'t>(&'t self, k: usize, table: &'t RawTable) -> TableRows<'t> {
        match self.tables.get(k) {
            Some(&(bytes, n)) => TableRows::encoded(bytes, n),
            None => TableRows(Rows::Here(table.rows.iter())),
        }
    }
}

/// A table's rows, one at a time.
pub struct TableRows<'t>(Rows<'t>);

/// The rows one after another, a deferred one decoded whole; a row already decoded is given
/// as it is.
impl<'t> Iterator for TableRows<'t> {
    type Item = Result<Cow<'t, RawRow>, String>;

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            Rows::Here(it) => it.next().map(|r| Ok(Cow::Borrowed(r))),
            Rows::Encoded { rest, left } => {
                if *left == 0 {
                    return None;
                }
                *left -= 1;
                let row = read_row(rest);
                if row.is_err() {
                    *left = 0;
                }
                Some(row.map(Cow::Owned).map_err(str::to_string))
            }
        }
    }
}

enum Rows<'t> {
    Here(std::slice::Iter<'t, RawRow>),
    Encoded { rest: &'t [u8], left: usize },
}

impl<'t> TableRows<'t> {
    fn encoded(bytes: &'t [u8], n: usize) -> TableRows<'t> {
        TableRows(Rows::Encoded {
            rest: bytes,
            left: n,
        })
    }

    /// How many rows the table holds.
    pub fn len(&self) -> usize {
        match &self.0 {
            Rows::Here(it) => it.len(),
            Rows::Encoded { left, .. } => *left,
        }
    }

    /// Whether the table holds no row.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The next row with only the cells whose column `keep` marks (the others
    /// [`Raw::Empty`], no extras), a deferred one decoded into `scratch`: the cells not kept
    /// are passed over in the bytes, never copied, and the row and its texts are written
    /// over the last row's, in the room it had. An earlier month's rows are read this way,
    /// one after another, and dropped once their key and figures are kept. A row already
    /// decoded is given as it is.
    pub fn next_kept<'a>(
        &'a mut self,
        keep: &[bool],
        scratch: &'a mut RawRow,
    ) -> Option<Result<&'a RawRow, String>>
    where
        't: 'a,
    {
        match &mut self.0 {
            Rows::Here(it) => it.next().map(Ok),
            Rows::Encoded { rest, left } => {
                if *left == 0 {
                    return None;
                }
                *left -= 1;
                match read_row_into(rest, keep, scratch) {
                    Ok(()) => Some(Ok(&*scratch)),
                    Err(why) => {
                        *left = 0;
                        Some(Err(why.to_string()))
                    }
                }
            }
        }
    }
}

/// Writes `wb` as [`decode`] reads it, to the end of `out`.
pub fn encode(mut wb: RawWorkbook, mut out: Vec<u8>) -> postcard::Result<Vec<u8>> {
    let rows: Vec<Vec<RawRow>> = wb
        .tables
        .iter_mut()
        .map(|t| std::mem::take(&mut t.rows))
        .collect();
    out = postcard::to_extend(&wb, out)?;
    for table in &rows {
        let at = out.len();
        out.extend_from_slice(&[0; 8]);
        for r in table {
            write_row(&mut out, r)?;
        }
        let len =
            u32::try_from(out.len() - at - 8).map_err(|_| postcard::Error::SerializeBufferFull)?;
        let n = u32::try_from(table.len()).map_err(|_| postcard::Error::SerializeBufferFull)?;
        out[at..at + 4].copy_from_slice(&len.to_le_bytes());
        out[at + 4..at + 8].copy_from_slice(&n.to_le_bytes());
    }
    Ok(out)
}

/// Writes one row as postcard writes a `RawRow` ([`read_row`] reads it back). Written out
/// rather than through serde: a worker writes every cell it reads, and serde's serializer
/// was about three fifths of the answer's writing on units' own forms.
fn write_row(out: &mut Vec<u8>, r: &RawRow) -> postcard::Result<()> {
    put_varint(out, u64::from(r.row));
    put_varint(out, r.cells.len() as u64);
    for c in &r.cells {
        write_cell(out, c)?;
    }
    put_varint(out, r.extra.len() as u64);
    for c in &r.extra {
        write_cell(out, c)?;
    }
    Ok(())
}

/// One cell: `Raw`'s variant index, then an `f64`'s eight bytes or a text's length and
/// bytes. A date (rare) goes through serde, which writes it as chrono's text.
#[inline]
fn write_cell(out: &mut Vec<u8>, c: &Raw) -> postcard::Result<()> {
    match c {
        Raw::Empty => out.push(0),
        Raw::Number(v) => {
            out.push(1);
            out.extend_from_slice(&v.to_le_bytes());
        }
        Raw::Text(t) => {
            out.push(2);
            put_text(out, t);
        }
        Raw::Date(d) => {
            out.push(3);
            let written = postcard::to_extend(d, std::mem::take(out))?;
            *out = written;
        }
        Raw::Bad(t) => {
            out.push(4);
            put_text(out, t);
        }
    }
    Ok(())
}

#[inline]
fn put_text(out: &mut Vec<u8>, t: &str) {
    put_varint(out, t.len() as u64);
    out.extend_from_slice(t.as_bytes());
}

/// postcard's unsigned varint ([`varint`] reads it).
#[inline]
fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads an answer [`encode`] wrote: the workbook at once, the rows framed and left in
/// `bytes`. The framing must cover the answer exactly.
pub fn decode(bytes: &[u8]) -> Result<Answer<'_>, String> {
    let (wb, mut rest): (RawWorkbook, &[u8]) =
        postcard::take_from_bytes(bytes).map_err(|e| e.to_string())?;
    let mut tables = Vec::with_capacity(wb.tables.len());
    for _ in 0..wb.tables.len() {
        let word = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
        if rest.len() < 8 {
            return Err("行数据不完整".to_string());
        }
        let (len, n) = (word(&rest[..4]), word(&rest[4..8]));
        let Some(body) = rest.get(8..8 + len) else {
            return Err("行数据不完整".to_string());
        };
        tables.push((body, n));
        rest = &rest[8 + len..];
    }
    if !rest.is_empty() {
        return Err(format!("末尾多出 {} 字节", rest.len()));
    }
    Ok(Answer {
        wb,
        rows: Deferred { tables },
    })
}

/// Reads one row whole as postcard wrote it (`RawRow`: its number, its cells, its extra
/// cells; a cell is `Raw`'s variant index, then an `f64` in eight bytes or a text's length
/// and bytes). Written out rather than through serde, as is [`read_row_into`], where a cell
/// passed over is a length and a jump, about a tenth of what serde's visitors took for it.
/// The tests hold both to what serde writes.
fn read_row(b: &mut &[u8]) -> Result<RawRow, &'static str> {
    let row = u32::try_from(varint(b)?).map_err(|_| "行号超出范围")?;
    let n = len(b)?;
    let mut cells = Vec::with_capacity(n);
    for _ in 0..n {
        cells.push(cell(b)?);
    }
    let n = len(b)?;
    let mut extra = Vec::with_capacity(n);
    for _ in 0..n {
        extra.push(cell(b)?);
    }
    Ok(RawRow { row, cells, extra })
}

/// A row as [`read_row`] reads it, with only the cells `keep` marks, into `row`: the room
/// of `row`'s cells and texts used again.
fn read_row_into(b: &mut &[u8], keep: &[bool], row: &mut RawRow) -> Result<(), &'static str> {
    row.row = u32::try_from(varint(b)?).map_err(|_| "行号超出范围")?;
    let n = len(b)?;
    row.cells.truncate(n);
    row.cells.resize_with(n, || Raw::Empty);
    for (i, c) in row.cells.iter_mut().enumerate() {
        if keep.get(i).copied().unwrap_or(false) {
            cell_into(b, c)?;
        } else {
            skip(b)?;
            *c = Raw::Empty;
        }
    }
    let n = len(b)?;
    for _ in 0..n {
        skip(b)?;
    }
    row.extra.clear();
    Ok(())
}

/// One cell, as [`cell`] reads it, into `c`: a text written over the text `c` holds.
#[inline]
fn cell_into(b: &mut &[u8], c: &mut Raw) -> Result<(), &'static str> {
    let tag = varint(b)?;
    match c {
        Raw::Text(s) if tag == TEXT => {
            let t = text(b)?;
            s.clear();
            s.push_str(t);
        }
        _ => *c = tagged(tag, b)?,
    }
    Ok(())
}

/// `Raw::Text`'s variant index.
const TEXT: u64 = 2;

/// One cell.
#[inline]
fn cell(b: &mut &[u8]) -> Result<Raw, &'static str> {
    let tag = varint(b)?;
    tagged(tag, b)
}

/// A cell whose variant index `tag` is read: the rest of it.
#[inline]
fn tagged(tag: u64, b: &mut &[u8]) -> Result<Raw, &'static str> {
    Ok(match tag {
        0 => Raw::Empty,
        1 => Raw::Number(number(b)?),
        TEXT => Raw::Text(text(b)?.to_string()),
        3 => Raw::Date(text(b)?.parse().map_err(|_| "日期无法解析")?),
        4 => Raw::Bad(text(b)?.to_string()),
        _ => return Err("未知的单元格类型"),
    })
}

/// One cell passed over: a jump over its bytes, its text neither checked nor copied.
#[inline]
fn skip(b: &mut &[u8]) -> Result<(), &'static str> {
    match varint(b)? {
        0 => {}
        1 => {
            take(b, 8)?;
        }
        2..=4 => {
            let n = len(b)?;
            take(b, n)?;
        }
        _ => return Err("未知的单元格类型"),
    }
    Ok(())
}

#[inline]
fn number(b: &mut &[u8]) -> Result<f64, &'static str> {
    let bytes = take(b, 8)?;
    let mut v = [0; 8];
    v.copy_from_slice(bytes);
    Ok(f64::from_le_bytes(v))
}

#[inline]
fn text<'a>(b: &mut &'a [u8]) -> Result<&'a str, &'static str> {
    let n = len(b)?;
    std::str::from_utf8(take(b, n)?).map_err(|_| "文字不是 UTF-8")
}

/// A length: a count of items or bytes, never more than the bytes left could hold.
#[inline]
fn len(b: &mut &[u8]) -> Result<usize, &'static str> {
    let n = varint(b)?;
    usize::try_from(n)
        .ok()
        .filter(|n| *n <= b.len())
        .ok_or("长度超出剩余数据")
}

/// postcard's unsigned varint: seven bits a byte, least significant first.
#[inline]
fn varint(b: &mut &[u8]) -> Result<u64, &'static str> {
    // Most are one byte: a cell's kind, a short text's length.
    if let Some((&x, rest)) = b.split_first()
        && x & 0x80 == 0
    {
        *b = rest;
        return Ok(u64::from(x));
    }
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let (&x, rest) = b.split_first().ok_or(INCOMPLETE)?;
        *b = rest;
        v |= u64::from(x & 0x7f) << shift;
        if x & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err("变长整数过长")
}

#[inline]
fn take<'a>(b: &mut &'a [u8], n: usize) -> Result<&'a [u8], &'static str> {
    if b.len() < n {
        return Err(INCOMPLETE);
    }
    let (head, rest) = b.split_at(n);
    *b = rest;
    Ok(head)
}

const INCOMPLETE: &str = "行数据不完整";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cell::CellRef;

    fn row(n: u32, cells: Vec<Raw>) -> RawRow {
        RawRow {
            row: n,
            cells,
            extra: vec![Raw::Text("节点".into()), Raw::Number(2.0)],
        }
    }

    fn every_kind() -> Vec<Raw> {
        vec![
            Raw::Empty,
            Raw::Number(1.5),
            Raw::Text("进展顺利，已完成路基".into()),
            Raw::Date(chrono::NaiveDate::from_ymd_opt(2020, 6, 28).expect("a date")),
            Raw::Bad("#DIV/0!".into()),
            Raw::Text(String::new()),
            Raw::Text("长".repeat(300)),
            Raw::Number(f64::NAN),
        ]
    }

    fn workbook() -> RawWorkbook {
        let mut wb = RawWorkbook::new("a.xlsx".into(), "a.xlsx".into());
        for kind in [TableKind::Progress, TableKind::Invest] {
            wb.tables.push(RawTable {
                kind,
                sheet: "表".into(),
                header_row: 3,
                cols: vec![Some(0); 8],
                extras: Vec::new(),
                rows: (0..3)
                    .map(|n| {
                        let mut cells = every_kind();
                        cells.rotate_left(n as usize);
                        row(4 + n * 70_000, cells)
                    })
                    .collect(),
                header_rows: 1,
                money: vec![None; 8],
                skipped: Vec::new(),
                names_from: None,
            });
        }
        wb.labels
            .titles
            .push(("标题".into(), CellRef::new("表", 0, 0)));
        wb
    }

    /// Each kind of cell is passed over exactly: what follows it decodes as written.
    #[test]
    fn rows_decode_whole_or_with_their_kept_cells_only() {
        let wb = workbook();
        let bytes = encode(wb.clone(), Vec::new()).expect("encodes");
        let answer = decode(&bytes).expect("decodes");
        assert!(answer.head().tables.iter().all(|t| t.rows.is_empty()));
        let (head, rows) = answer.into_parts();
        let keep = [false, true, false, true, false, true, false, true];
        for (k, table) in wb.tables.iter().enumerate() {
            let mut all = rows.rows(k, &head.tables[k]);
            let mut some = rows.rows(k, &head.tables[k]);
            assert_eq!(all.len(), table.rows.len());
            // Each row kept into this one, over what the row before left (and what was
            // there before any: texts and extra cells of its own).
            let mut scratch = RawRow {
                row: 0,
                cells: vec![Raw::Text("上一行".into()); 20],
                extra: vec![Raw::Number(1.0)],
            };
            for r in &table.rows {
                let got = all.next().expect("a row").expect("decodes");
                assert_eq!(format!("{:?}", *got), format!("{r:?}"));
                let got = some.next_kept(&keep, &mut scratch).expect("a row");
                let got = got.expect("decodes");
                assert_eq!(got.row, r.row);
                assert!(got.extra.is_empty());
                assert_eq!(got.cells.len(), r.cells.len());
                for (i, c) in got.cells.iter().enumerate() {
                    let want = if keep[i] {
                        r.cells[i].clone()
                    } else {
                        Raw::Empty
                    };
                    assert_eq!(
                        format!("{c:?}"),
                        format!("{want:?}"),
                        "row {} cell {i}",
                        r.row
                    );
                }
            }
            assert!(all.next().is_none());
            assert!(some.next_kept(&keep, &mut scratch).is_none());
        }
        let whole = decode(&bytes).expect("decodes").into_workbook();
        assert_eq!(format!("{whole:?}"), format!("{wb:?}"));
    }

    /// The rows are written byte for byte as postcard writes them, whatever their cells.
    #[test]
    fn rows_are_written_as_postcard_writes_them() {
        let mut rows = vec![
            RawRow {
                row: 0,
                cells: Vec::new(),
                extra: Vec::new(),
            },
            row(u32::MAX, every_kind()),
            row(127, vec![Raw::Number(-0.0), Raw::Number(f64::INFINITY)]),
            row(128, vec![Raw::Bad("长".repeat(20_000)), Raw::Empty]),
        ];
        rows.push(RawRow {
            row: 16_384,
            cells: (0..200).map(|i| Raw::Number(f64::from(i))).collect(),
            extra: vec![Raw::Date(
                chrono::NaiveDate::from_ymd_opt(-44, 3, 15).expect("a date"),
            )],
        });
        for r in &rows {
            let mut ours = vec![9];
            write_row(&mut ours, r).expect("writes");
            let theirs = postcard::to_extend(r, vec![9]).expect("serde writes");
            assert_eq!(ours, theirs, "row {}", r.row);
        }
    }

    /// A truncated or padded answer is refused; a broken row is said, never dropped quietly.
    #[test]
    fn broken_answers_are_said() {
        let bytes = encode(workbook(), Vec::new()).expect("encodes");
        assert!(decode(&bytes[..bytes.len() - 1]).is_err());
        let mut more = bytes.clone();
        more.push(0);
        assert!(decode(&more).is_err());
        // The second table said to hold one row more than it does: the framing holds, the
        // rows do not.
        let (_, rest): (RawWorkbook, &[u8]) = postcard::take_from_bytes(&bytes).expect("a head");
        let first = bytes.len() - rest.len();
        let len = u32::from_le_bytes(bytes[first..first + 4].try_into().expect("4 bytes"));
        let n_at = first + 8 + len as usize + 4;
        let mut bad = bytes.clone();
        bad[n_at] += 1;
        // Read into one row: the rows there are, then the broken one, then no more.
        let (head, rows) = decode(&bad).expect("framing holds").into_parts();
        let mut second = rows.rows(1, &head.tables[1]);
        let mut scratch = RawRow {
            row: 0,
            cells: Vec::new(),
            extra: Vec::new(),
        };
        let mut read = Vec::new();
        while let Some(r) = second.next_kept(&[true; 8], &mut scratch) {
            read.push(r.is_ok());
        }
        assert_eq!(read, [true, true, true, false]);
        let wb = decode(&bad).expect("framing holds").into_workbook();
        assert_eq!(wb.tables[0].rows.len(), 3);
        assert!(wb.tables[1].rows.is_empty());
        let said = wb.findings.iter().find(|f| f.code == Code::FileUnreadable);
        let said = said.expect("the broken rows are said");
        assert_eq!(said.file.as_deref(), Some("a.xlsx"));
        assert_eq!(
            said.cell.as_ref().map(|c| c.to_string()).as_deref(),
            Some("A4")
        );
    }
}
