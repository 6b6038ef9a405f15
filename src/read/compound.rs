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

use super::chains::{self, WORKBOOK_NAMES};
use super::refusal::Refusal;

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
    if chains::follow(bytes, false).is_some() {
        return Ok(());
    }
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
    // Where every chain is as writers leave it, followed from the bytes; else through `cfb`.
    if let Some(workbook) = chains::follow(bytes, true) {
        return Ok(Inspected { workbook });
    }
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

    /// A file as old Excel versions leave it: `Book` and `Workbook` at the root, a storage
    /// holding a stream, and the summary streams (in the mini stream).
    fn dual(version: cfb::Version, len: usize) -> Vec<u8> {
        let mut file = CompoundFile::create_with_version(version, Cursor::new(Vec::new())).unwrap();
        let data: Vec<u8> = (0..len).map(|i| (i % 241) as u8).collect();
        for (path, data) in [
            ("/Workbook", &data[..]),
            ("/Book", &data[..len / 3]),
            ("/\u{5}SummaryInformation", b"summary".as_slice()),
            ("/\u{1}CompOBJ", &data[..100]),
        ] {
            file.create_stream(path).unwrap().write_all(data).unwrap();
        }
        file.create_storage("/_VBA_PROJECT_CUR").unwrap();
        file.create_stream("/_VBA_PROJECT_CUR/dir")
            .unwrap()
            .write_all(&data[..5000.min(len)])
            .unwrap();
        file.flush().unwrap();
        file.into_inner().into_inner()
    }

    fn le(bytes: &[u8], at: usize) -> u32 {
        u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap())
    }

    /// The sectors holding a file's tables and directory: its FAT's (from the header),
    /// its directory's and its MiniFAT's (their first sectors' chains, through the FAT).
    fn table_sectors(bytes: &[u8]) -> Vec<usize> {
        let sector = 1usize << u16::from_le_bytes([bytes[0x1E], bytes[0x1F]]);
        let fat_sectors: Vec<u32> = (0..109)
            .map(|k| le(bytes, 0x4C + 4 * k))
            .take_while(|&s| s != 0xFFFF_FFFF)
            .collect();
        let fat: Vec<u32> = fat_sectors
            .iter()
            .flat_map(|&s| {
                let at = (s as usize + 1) * sector;
                (0..sector / 4).map(move |k| at + 4 * k)
            })
            .map(|at| le(bytes, at))
            .collect();
        let mut sectors: Vec<usize> = fat_sectors.iter().map(|&s| s as usize).collect();
        for start in [le(bytes, 0x30), le(bytes, 0x3C)] {
            let mut at = start;
            while (at as usize) < fat.len() && !sectors.contains(&(at as usize)) {
                sectors.push(at as usize);
                at = fat[at as usize];
            }
        }
        sectors
    }

    #[test]
    fn chains_followed_from_the_bytes_answer_only_as_cfb_would() {
        let mut quick = 0;
        let mut left_to_cfb_and_refused = 0;
        let bases = [
            (compound(1_000), "Workbook"),
            (compound(20_000), "Workbook"),
            (dual(cfb::Version::V3, 9_000), "Book"),
            (dual(cfb::Version::V4, 9_000), "Book"),
            (dual(cfb::Version::V3, 700), "Book"),
        ];
        for (bytes, name) in &bases {
            // Sound as written: the quick way answers, with the stream cfb reads (`Book`
            // first, as cfb lists the root).
            let read = read_streams(open(bytes).unwrap(), bytes, true).unwrap();
            assert_eq!(read.as_ref().map(|(n, _)| n.as_str()), Some(*name));
            assert_eq!(chains::follow(bytes, true), Some(read));
            let sector = 1usize << u16::from_le_bytes([bytes[0x1E], bytes[0x1F]]);
            let mut words: Vec<usize> = (0..128).map(|k| 4 * k).collect();
            for s in table_sectors(bytes) {
                words.extend((0..sector / 4).map(|k| (s + 1) * sector + 4 * k));
            }
            let count = (bytes.len().div_ceil(sector) - 1) as u32;
            let mut mutants: Vec<Vec<u8>> = Vec::new();
            for &at in &words {
                let was = le(bytes, at);
                // Nothing, a neighbour, the end of the file, the markers.
                for value in [0, 1, was.wrapping_add(1), count, 0xFFFF_FFFE, 0xFFFF_FFFF] {
                    let mut m = bytes.clone();
                    m[at..at + 4].copy_from_slice(&value.to_le_bytes());
                    mutants.push(m);
                }
            }
            mutants.extend((1..bytes.len() / 64).map(|k| bytes[..k * 64].to_vec()));
            for m in &mutants {
                let Some(file) = open(m) else { continue };
                match chains::follow(m, true) {
                    Some(workbook) => {
                        quick += 1;
                        // Where it goes wrong: the first byte changed, or the length cut to.
                        assert_eq!(
                            read_streams(file, m, true),
                            Ok(workbook),
                            "{:?} of {} bytes",
                            (0..m.len()).find(|&i| m[i] != bytes[i]),
                            m.len()
                        );
                    }
                    None => {
                        left_to_cfb_and_refused +=
                            usize::from(read_streams(file, m, true).is_err());
                    }
                }
            }
        }
        // The mutations reach both ways: many files are answered here, and some that are
        // not are refused by cfb.
        assert!(quick > 1_000, "{quick}");
        assert!(left_to_cfb_and_refused > 50, "{left_to_cfb_and_refused}");
    }

    #[test]
    fn names_cfb_could_take_for_one_another_are_left_to_it() {
        let bytes = dual(cfb::Version::V3, 9_000);
        let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
        let at = bytes
            .windows(16)
            .position(|w| w == utf16("\u{1}CompOBJ"))
            .expect("the entry");
        // Named as the workbook stream is, but for case (cfb looks names up case folded);
        // then with a letter outside ASCII (folded by Unicode's tables).
        for name in ["WORKBOOK", "\u{1}CompÖBJ"] {
            let mut renamed = bytes.clone();
            renamed[at..at + 16].copy_from_slice(&utf16(name));
            assert!(open(&renamed).is_some(), "{name}: cfb opens it");
            assert!(chains::follow(&renamed, true).is_none(), "{name}");
        }
        assert!(chains::follow(&bytes, true).is_some());
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
