//! A look at an .xls file's cells before calamine reads it.
//!
//! calamine reserves room for the rows × columns a sheet declares (its DIMENSIONS record),
//! then builds the grid its cells span: a 42 KB file declaring 65,536 × 256 cells, or holding
//! one stray cell at `IV65536`, costs a gigabyte before any limit can refuse it. This pre-scan
//! walks the BIFF records of the workbook stream as calamine will: it finds the span of each
//! sheet's real cells, refuses a sheet whose cells spread beyond the limit (naming where), and
//! where a sheet only *declares* more than it holds, hands back a copy of the file with the
//! declaration brought down to the cells it has. The file on disk is never written.

use crate::cell::Span;

/// What the pre-scan found.
#[derive(Debug, PartialEq)]
pub enum Prescan {
    /// Read the file as it is.
    Fine,
    /// Read this copy of the workbook stream: a sheet declared more rows × columns than its
    /// cells fill.
    Patched(Vec<u8>),
    /// A sheet's cells spread over more cells than allowed.
    TooSpread {
        sheet: String,
        span: Span,
        filled: u64,
    },
}

/// Pre-scans an .xls's workbook stream.
pub fn prescan(data: &[u8], limit: u64) -> Prescan {
    let mut sheets: Vec<(usize, String)> = Vec::new();
    // The globals substream: sheet positions and names, until its EOF.
    for (at, typ, rec) in Records::new(data, 0) {
        match typ {
            // FILEPASS: the records are encrypted; calamine refuses the file as such.
            0x002F => return Prescan::Fine,
            0x0085 if rec.len() >= 8 => {
                let pos = u32_at(rec, 0).unwrap_or(0) as usize;
                let name =
                    sheet_name(rec).unwrap_or_else(|| format!("第 {} 个工作表", sheets.len() + 1));
                sheets.push((pos, name));
            }
            0x000A if at > 0 => break,
            _ => {}
        }
    }
    let mut patches: Vec<(usize, Vec<u8>)> = Vec::new();
    for (pos, name) in sheets {
        let scan = scan_sheet(data, pos);
        if scan.span.area() > limit {
            return Prescan::TooSpread {
                sheet: name,
                span: scan.span,
                filled: scan.filled,
            };
        }
        for (at, len) in scan.dimensions {
            if let Some(fixed) = bounded_dimensions(&data[at..at + len], &scan.span, limit) {
                patches.push((at, fixed));
            }
        }
    }
    if patches.is_empty() {
        return Prescan::Fine;
    }
    let mut copy = data.to_vec();
    for (at, fixed) in patches {
        copy[at..at + fixed.len()].copy_from_slice(&fixed);
    }
    Prescan::Patched(copy)
}

/// One sheet's cells, as calamine collects them.
struct SheetScan {
    span: Span,
    filled: u64,
    /// Where each DIMENSIONS record's data is in the stream, and its length.
    dimensions: Vec<(usize, usize)>,
}

/// Walks a sheet's substream from its BOF at `pos` to its EOF, skipping nested substreams
/// (embedded charts), as calamine does.
fn scan_sheet(data: &[u8], pos: usize) -> SheetScan {
    let mut scan = SheetScan {
        span: Span::default(),
        filled: 0,
        dimensions: Vec::new(),
    };
    let (mut seen_bof, mut nested) = (false, 0usize);
    for (at, typ, rec) in Records::new(data, pos) {
        if nested > 0 {
            match typ {
                0x0809 => nested += 1,
                0x000A => nested -= 1,
                _ => {}
            }
            continue;
        }
        let row_col = || Some((u16_at(rec, 0)? as u32, u16_at(rec, 2)? as u32));
        match typ {
            0x0809 if seen_bof => nested += 1,
            0x0809 => seen_bof = true,
            0x000A => break,
            0x0200 => scan.dimensions.push((at + 4, rec.len())),
            // Number, Label, RString, BoolErr, Rk, LabelSst, Formula.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                if let Some((r, c)) = row_col() {
                    scan.span.add(r, c);
                    scan.filled += 1;
                }
            }
            // MulRk: a row's run of numbers, its last column in the record's last two bytes.
            0x00BD if rec.len() >= 6 => {
                if let (Some((r, first)), Some(last)) = (row_col(), u16_at(rec, rec.len() - 2)) {
                    let last = last as u32;
                    if last >= first {
                        scan.span.add(r, first);
                        scan.span.add(r, last);
                        scan.filled += (last - first + 1) as u64;
                    }
                }
            }
            _ => {}
        }
    }
    scan
}

/// A DIMENSIONS record rewritten to the cells' span, when it declares more than `limit`
/// cells or an impossible range (which calamine would turn into a huge reservation).
fn bounded_dimensions(rec: &[u8], span: &Span, limit: u64) -> Option<Vec<u8>> {
    let wide = match rec.len() {
        10 => false,
        14 | 16 => true,
        _ => return None,
    };
    let (r0, r1, c0, c1) = if wide {
        (
            u32_at(rec, 0)? as u64,
            u32_at(rec, 4)? as u64,
            u16_at(rec, 8)? as u64,
            u16_at(rec, 10)? as u64,
        )
    } else {
        (
            u16_at(rec, 0)? as u64,
            u16_at(rec, 2)? as u64,
            u16_at(rec, 4)? as u64,
            u16_at(rec, 6)? as u64,
        )
    };
    // The last row and column are exclusive; calamine reads "first column above 255 or
    // after the last" as column 0.
    let c0 = if c0 > 0xFF || c1 < c0 { 0 } else { c0 };
    let impossible = r1 >= 1 && c1 >= 1 && (r1 - 1 < r0 || c1 - 1 < c0);
    let declared = r1.saturating_sub(r0).max(1) * c1.saturating_sub(c0).max(1);
    if !impossible && declared <= limit {
        return None;
    }
    let ((fr, lr), (fc, lc)) = span.bounds().unwrap_or(((0, 0), (0, 0)));
    // The exclusive ends saturate: a cell in the last row or column a record can name (a
    // hostile file's) must not wrap the range to 0.
    let u16_of = |v: u32| u16::try_from(v).unwrap_or(u16::MAX);
    let (end_r, end_c) = (lr.saturating_add(1), lc.saturating_add(1));
    let mut out = rec.to_vec();
    if wide {
        out[0..4].copy_from_slice(&fr.to_le_bytes());
        out[4..8].copy_from_slice(&end_r.to_le_bytes());
        out[8..10].copy_from_slice(&u16_of(fc).to_le_bytes());
        out[10..12].copy_from_slice(&u16_of(end_c).to_le_bytes());
    } else {
        out[0..2].copy_from_slice(&u16_of(fr).to_le_bytes());
        out[2..4].copy_from_slice(&u16_of(end_r).to_le_bytes());
        out[4..6].copy_from_slice(&u16_of(fc).to_le_bytes());
        out[6..8].copy_from_slice(&u16_of(end_c).to_le_bytes());
    }
    Some(out)
}

/// A BOUNDSHEET record's sheet name: BIFF8's Unicode string, or BIFF5's bytes when they
/// are plain ASCII (their code page is not known here).
fn sheet_name(rec: &[u8]) -> Option<String> {
    let n = *rec.get(6)? as usize;
    let flags = *rec.get(7)?;
    let biff8 = flags <= 1 && rec.len() >= 8 + n * if flags == 1 { 2 } else { 1 };
    if biff8 {
        let chars = &rec[8..];
        return Some(if flags == 1 {
            let units: Vec<u16> = chars[..n * 2]
                .chunks_exact(2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]))
                .collect();
            String::from_utf16_lossy(&units)
        } else {
            chars[..n].iter().map(|&b| b as char).collect()
        });
    }
    let chars = rec.get(7..7 + n)?;
    chars
        .is_ascii()
        .then(|| String::from_utf8_lossy(chars).into_owned())
}

/// BIFF records from `pos`: where each starts, its type and its data. Stops at the end of
/// the stream or at a record that runs past it.
pub struct Records<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Records<'a> {
    pub fn new(data: &'a [u8], at: usize) -> Records<'a> {
        Records { data, at }
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = (usize, u16, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let at = self.at;
        let typ = u16_at(self.data, at)?;
        let len = u16_at(self.data, at + 2)? as usize;
        let rec = self.data.get(at + 4..at + 4 + len)?;
        self.at = at + 4 + len;
        Some((at, typ, rec))
    }
}

/// Little-endian `u16` at `o`, if the bytes reach that far.
pub fn u16_at(bytes: &[u8], o: usize) -> Option<u16> {
    bytes
        .get(o..o.checked_add(2)?)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
}

/// Little-endian `u32` at `o`, if the bytes reach that far.
pub fn u32_at(bytes: &[u8], o: usize) -> Option<u32> {
    bytes
        .get(o..o.checked_add(4)?)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dims(r0: u32, r1: u32, c0: u16, c1: u16) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(&r0.to_le_bytes());
        v.extend_from_slice(&r1.to_le_bytes());
        v.extend_from_slice(&c0.to_le_bytes());
        v.extend_from_slice(&c1.to_le_bytes());
        v.extend_from_slice(&[0, 0]);
        v
    }

    #[test]
    fn a_declaration_larger_than_the_limit_is_brought_to_the_cells() {
        let mut span = Span::default();
        span.add(2, 1);
        span.add(9, 4);
        let fixed = bounded_dimensions(&dims(0, 65536, 0, 256), &span, 1_000_000).unwrap();
        assert_eq!(fixed, dims(2, 10, 1, 5));
        // A declaration within the limit stays as it is.
        assert_eq!(
            bounded_dimensions(&dims(0, 100, 0, 10), &span, 1_000_000),
            None
        );
        // An impossible one (last row before the first) is rewritten too.
        assert!(bounded_dimensions(&dims(50, 3, 0, 10), &span, 1_000_000).is_some());
    }

    #[test]
    fn cells_in_the_last_row_and_column_a_record_can_name_do_not_wrap_the_range() {
        let mut span = Span::default();
        span.add(0, 0);
        span.add(u32::MAX, u32::from(u16::MAX));
        assert_eq!(span.size(), (1 << 32, 1 << 16));
        assert_eq!(span.area(), 1 << 48);
        let fixed = bounded_dimensions(&dims(0, 65536, 0, 256), &span, 1_000).unwrap();
        assert_eq!(fixed, dims(0, u32::MAX, 0, u16::MAX));
    }
}
