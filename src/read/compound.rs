//! Compound files (.xls, .et, an encrypted .xlsx's container) through the `cfb` crate: its
//! header, allocation tables, directory and chains are checked as they are opened (a chain
//! that loops or leaves the file is refused), streams read and a copy re-made with one
//! stream replaced. Only the BIFF records inside the workbook stream are read by our code
//! (`xls`).
//!
//! calamine and office-crypto follow a compound file's chains with readers of their own; a
//! looping chain runs them until memory runs out (ExcelDataReader's
//! `Test_git_issue_382_oom.xls` is 25 KB). [`check`] is what keeps such a file from them.

use std::io::{BufRead, Cursor, Read, Write};

use cfb::CompoundFile;

use super::refusal::Refusal;

/// The names the workbook stream has: `Workbook` (BIFF8), `Book` (BIFF5), in any case.
const WORKBOOK_NAMES: [&str; 2] = ["Workbook", "Book"];

pub type Opened<'a> = CompoundFile<Cursor<&'a [u8]>>;

/// Opens a compound file held in memory; `None` when its structure is damaged.
pub fn open(bytes: &[u8]) -> Option<Opened<'_>> {
    CompoundFile::open(Cursor::new(bytes)).ok()
}

/// The names at the file's root: what the file is (`kind::compound_kind`).
pub fn root_names(file: &Opened<'_>) -> Vec<String> {
    file.read_root_storage()
        .map(|e| e.name().to_string())
        .collect()
}

/// Checks a compound file before another reader follows its chains: it opens, and every
/// stream reads to its stated length within the file.
pub fn check(bytes: &[u8]) -> Result<(), Refusal> {
    let file = open(bytes).ok_or(Refusal::CompoundDamaged)?;
    read_streams(file, bytes, false).map(|_| ())
}

/// A compound file [`check`]ed, and its workbook stream at the root as read on the way.
pub struct Inspected {
    /// The workbook stream's name as the file writes it (`Workbook`, `BOOK`) and its bytes;
    /// `None` when the root holds none.
    pub workbook: Option<(String, Vec<u8>)>,
}

/// [`check`] of a file already opened (`None`: it would not open), keeping the workbook
/// stream's bytes as they are read: the file is opened and its chains followed once, not
/// once to tell what it is, once to check them and again to read the stream.
pub fn inspect(bytes: &[u8], opened: Option<Opened<'_>>) -> Result<Inspected, Refusal> {
    let file = opened.ok_or(Refusal::CompoundDamaged)?;
    read_streams(file, bytes, true).map(|workbook| Inspected { workbook })
}

/// Reads every stream of the file to its stated length (refused where one cannot be read
/// so); the workbook stream's name and bytes when `keep` says to keep them.
fn read_streams(
    mut file: Opened<'_>,
    bytes: &[u8],
    keep: bool,
) -> Result<Option<(String, Vec<u8>)>, Refusal> {
    let workbook = if keep { workbook_path(&file) } else { None };
    let streams: Vec<_> = file
        .walk()
        .filter(|e| e.is_stream())
        .map(|e| (e.path().to_path_buf(), e.len()))
        .collect();
    let mut kept = None;
    for (path, len) in streams {
        // A stream cannot hold more than the file does.
        if len > bytes.len() as u64 {
            return Err(Refusal::CompoundDamaged);
        }
        let mut stream = file
            .open_stream(&path)
            .map_err(|_| Refusal::CompoundDamaged)?;
        let read = if workbook.as_ref() == Some(&path) {
            let mut data = Vec::with_capacity(len as usize);
            let read = stream
                .read_to_end(&mut data)
                .map_err(|_| Refusal::CompoundDamaged)?;
            kept = Some(data);
            read as u64
        } else {
            drain(&mut stream).map_err(|_| Refusal::CompoundDamaged)?
        };
        if read != len {
            return Err(Refusal::CompoundDamaged);
        }
    }
    let name = |p: &std::path::Path| p.file_name().map(|n| n.to_string_lossy().to_string());
    Ok(workbook.as_deref().and_then(name).zip(kept))
}

/// Reads a stream to its end through its own buffer, keeping nothing: how many bytes it
/// holds. (`io::copy` would zero a buffer of its own for every stream, and copy each byte
/// into it: a fifth of checking a small .xls.)
fn drain(stream: &mut impl BufRead) -> std::io::Result<u64> {
    let mut read = 0;
    loop {
        let n = stream.fill_buf()?.len();
        if n == 0 {
            return Ok(read);
        }
        stream.consume(n);
        read += n as u64;
    }
}

/// The path of the workbook stream at the root, if there is one.
fn workbook_path(file: &Opened<'_>) -> Option<std::path::PathBuf> {
    file.read_root_storage()
        .filter(|e| e.is_stream())
        .find(|e| {
            WORKBOOK_NAMES
                .iter()
                .any(|n| e.name().eq_ignore_ascii_case(n))
        })
        .map(|e| e.path().to_path_buf())
}

/// The workbook stream's bytes (`Workbook` or `Book`).
#[cfg(test)]
pub fn workbook_stream(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut file = open(bytes)?;
    let path = workbook_path(&file)?;
    let mut data = Vec::new();
    file.open_stream(path).ok()?.read_to_end(&mut data).ok()?;
    Some(data)
}

/// Whether a workbook stream's name is written as calamine looks for it.
pub fn is_canonical_name(name: &str) -> bool {
    WORKBOOK_NAMES.contains(&name)
}

/// A copy of the compound file whose workbook stream is named as calamine looks for it
/// (`Workbook`, `Book`), when it is named otherwise (`WORKBOOK`: some older writers); `None`
/// when it already is, or there is none.
pub fn with_workbook_named(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut file = open(bytes)?;
    let path = workbook_path(&file)?;
    let name = path.file_name()?.to_string_lossy().to_string();
    let canonical = *WORKBOOK_NAMES
        .iter()
        .find(|n| n.eq_ignore_ascii_case(&name))?;
    if name == canonical {
        return None;
    }
    let mut data = Vec::new();
    file.open_stream(&path).ok()?.read_to_end(&mut data).ok()?;
    let mut copy = file.copy_to(Cursor::new(Vec::new())).ok()?;
    copy.remove_stream(&path).ok()?;
    copy.create_stream(format!("/{canonical}"))
        .ok()?
        .write_all(&data)
        .ok()?;
    copy.flush().ok()?;
    Some(copy.into_inner().into_inner())
}

/// A copy of the compound file with its workbook stream replaced by `data` (a decrypted or
/// patched stream): every other storage and stream as it was. The file itself is never
/// written.
pub fn with_workbook_stream(bytes: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    let mut file = open(bytes)?;
    let path = workbook_path(&file)?;
    let mut copy = file.copy_to(Cursor::new(Vec::new())).ok()?;
    copy.create_stream(&path).ok()?.write_all(data).ok()?;
    copy.flush().ok()?;
    Some(copy.into_inner().into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A compound file holding a `Workbook` stream of `len` bytes and a second stream.
    fn compound(len: usize) -> Vec<u8> {
        let mut file =
            CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).unwrap();
        let data: Vec<u8> = (0..len).map(|i| (i % 251) as u8).collect();
        file.create_stream("/Workbook")
            .unwrap()
            .write_all(&data)
            .unwrap();
        file.create_stream("/\u{5}SummaryInformation")
            .unwrap()
            .write_all(b"summary")
            .unwrap();
        file.flush().unwrap();
        file.into_inner().into_inner()
    }

    #[test]
    fn streams_are_read_and_replaced_on_a_copy() {
        // In the mini stream and in regular sectors.
        for len in [1_000, 20_000] {
            let bytes = compound(len);
            assert_eq!(check(&bytes), Ok(()));
            let stream = workbook_stream(&bytes).unwrap();
            assert_eq!(stream.len(), len);
            let changed: Vec<u8> = stream.iter().map(|b| b ^ 0x5A).collect();
            let copy = with_workbook_stream(&bytes, &changed).unwrap();
            assert_eq!(workbook_stream(&copy).unwrap(), changed);
            assert_eq!(
                workbook_stream(&bytes).unwrap(),
                stream,
                "the original is untouched"
            );
            let mut other = Vec::new();
            open(&copy)
                .unwrap()
                .open_stream("/\u{5}SummaryInformation")
                .unwrap()
                .read_to_end(&mut other)
                .unwrap();
            assert_eq!(other, b"summary");
        }
    }

    #[test]
    fn a_looping_or_cut_chain_is_refused() {
        let bytes = compound(20_000);
        // The FAT's first sector (header offset 0x4C); its entries are sector links.
        let fat = (u32::from_le_bytes(bytes[0x4C..0x50].try_into().unwrap()) as usize + 1) * 512;
        let start = u32::from_le_bytes(bytes[0x30..0x34].try_into().unwrap());
        // Some link of the Workbook's chain pointed back at itself.
        let mut looped = bytes.clone();
        let (mut s, mut n) = (0usize, 0);
        while n < 200 {
            let next = u32::from_le_bytes(looped[fat + 4 * s..fat + 4 * s + 4].try_into().unwrap());
            if next == s as u32 + 1 && s as u32 != start {
                looped[fat + 4 * s..fat + 4 * s + 4].copy_from_slice(&(s as u32).to_le_bytes());
                break;
            }
            s += 1;
            n += 1;
        }
        assert_ne!(looped, bytes, "a link was changed");
        assert_eq!(check(&looped), Err(Refusal::CompoundDamaged));
        // The file cut in half: the chains leave it.
        assert_eq!(
            check(&bytes[..bytes.len() / 2]),
            Err(Refusal::CompoundDamaged)
        );
        assert_eq!(
            check(b"not a compound file at all"),
            Err(Refusal::CompoundDamaged)
        );
    }
}
