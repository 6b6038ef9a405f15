//! A compound file's streams followed from its bytes, once `cfb` has opened it: the quick
//! way through [`compound`](super::compound)'s check for a file as writers leave it.
//!
//! The check reads every stream to its stated length through `cfb` (each opened by its path,
//! its name looked up, read through a buffer): a tenth of what a reading process spends on a
//! small .xls. Here the same chains are followed over the allocation tables read from the
//! bytes.
//! [`follow`] answers only when every stream's chain is as a writer leaves it: it ends,
//! stays among the file's sectors, is long enough for its stream, and every byte it holds
//! lies in the file. Then `cfb` would read every stream too, and the workbook stream's bytes
//! are the same. Anything else (a looping or cut chain, a sector marked free or as the
//! FAT's own, a link `cfb` would end the chain at, a file large enough for DIFAT sectors, two
//! names `cfb` could take for one another) is `None`: the check asks `cfb`, whose answer is
//! the finding. A unit test mutates files word by word and holds every answer given here to
//! `cfb`'s.

/// The names the workbook stream has: `Workbook` (BIFF8), `Book` (BIFF5), in any case.
pub const WORKBOOK_NAMES: [&str; 2] = ["Workbook", "Book"];

/// Sector markers of the allocation tables (MS-CFB 2.2).
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const FREE: u32 = 0xFFFF_FFFF;
/// What the FAT says of its own sectors (`cfb` marks them so whatever the file says).
const FAT_SECTOR: u32 = 0xFFFF_FFFD;
/// A directory link to no entry.
const NO_ENTRY: u32 = 0xFFFF_FFFF;
/// A stream shorter than this lives in the mini stream, in 64-byte mini sectors.
const MINI_CUTOFF: u64 = 4096;
const MINI_LEN: usize = 64;
/// The FAT sectors the header lists itself.
const HEADER_DIFAT: usize = 109;
const DIR_ENTRY_LEN: usize = 128;

/// Every stream of a compound file followed to its stated length. `Some` with the workbook
/// stream at the root (its name as written and its bytes, when `keep` asks and there is
/// one) when every chain is sound; `None` when anything is not as writers leave it, for
/// `cfb` to decide.
pub fn follow(bytes: &[u8], keep: bool) -> Option<Option<(String, Vec<u8>)>> {
    let file = Sectors::of(bytes)?;
    let dir = file.chain(&file.fat, u32_at(bytes, 0x30)?)?;
    let entries: Vec<Entry> = dir
        .iter()
        .map(|&s| file.sector(s))
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .flat_map(|sector| sector.chunks_exact(DIR_ENTRY_LEN))
        .map(|raw| Entry::read(raw, file.len_mask))
        .collect();
    let root = entries.first().filter(|e| e.kind == ROOT)?;
    let mini = Mini::of(&file, root)?;
    // The workbook stream's bytes are kept as its chain is followed, with the others'.
    let kept = workbook_entry(&entries)?.filter(|_| keep);
    let mut data = Vec::new();
    for entry in reached(&entries)?.into_iter().filter(|e| e.kind == STREAM) {
        if kept.is_some_and(|k| std::ptr::eq(k, entry)) {
            data.reserve(usize::try_from(entry.len).ok()?.min(bytes.len()));
            file.stream(&mini, entry, |piece| data.extend_from_slice(piece))?;
        } else {
            file.stream(&mini, entry, |_| ())?;
        }
    }
    let workbook = match kept {
        Some(entry) => {
            let name = Name::of(entry.name)?;
            Some((String::from_utf8_lossy(name.as_bytes()).into_owned(), data))
        }
        None => None,
    };
    Some(workbook)
}

/// The file as sectors, with its FAT as `cfb` holds it.
struct Sectors<'a> {
    bytes: &'a [u8],
    sector_len: usize,
    /// One entry a sector of the file (the last may be partial): what follows each.
    fat: Vec<u32>,
    /// Which bits of a stream's stated length count (version 3 keeps 32 of them).
    len_mask: u64,
}

impl<'a> Sectors<'a> {
    fn of(bytes: &'a [u8]) -> Option<Sectors<'a>> {
        let (sector_len, len_mask) = match u16_at(bytes, 0x1A)? {
            3 => (512, u64::from(u32::MAX)),
            4 => (4096, u64::MAX),
            _ => return None,
        };
        if bytes.len() < sector_len {
            return None;
        }
        // As `cfb` counts them: a partial last sector is one.
        let count = u32::try_from(bytes.len().div_ceil(sector_len) - 1).ok()?;
        // DIFAT sectors (a file of more than 109 FAT sectors: 7 MB and more) are left to `cfb`.
        let first_difat = u32_at(bytes, 0x44)?;
        if first_difat != END_OF_CHAIN && first_difat != FREE {
            return None;
        }
        let mut fat_sectors = Vec::new();
        for k in 0..HEADER_DIFAT {
            let s = u32_at(bytes, 0x4C + 4 * k)?;
            if s == FREE {
                break;
            }
            if s >= count {
                return None;
            }
            fat_sectors.push(s);
        }
        let mut file = Sectors {
            bytes,
            sector_len,
            fat: Vec::new(),
            len_mask,
        };
        let mut fat = Vec::with_capacity(count as usize);
        for &s in &fat_sectors {
            fat.extend(file.sector(s)?.chunks_exact(4).map(le_u32));
        }
        fat.resize(count as usize, FREE);
        for &s in &fat_sectors {
            fat[s as usize] = FAT_SECTOR;
        }
        file.fat = fat;
        Some(file)
    }

    /// A whole sector's bytes; `None` when the file ends before it does.
    fn sector(&self, s: u32) -> Option<&'a [u8]> {
        let start = (s as usize).checked_add(1)?.checked_mul(self.sector_len)?;
        self.bytes.get(start..start.checked_add(self.sector_len)?)
    }

    /// The chain from `start` through `table` (the FAT or the MiniFAT): `None` unless it
    /// ends, each link naming an entry of the table.
    fn chain(&self, table: &[u32], start: u32) -> Option<Vec<u32>> {
        let mut ids = Vec::new();
        let mut at = start;
        while at != END_OF_CHAIN {
            let next = *table.get(at as usize)?;
            ids.push(at);
            // Longer than the table: it loops.
            if ids.len() > table.len() || (next != END_OF_CHAIN && next as usize >= table.len()) {
                return None;
            }
            at = next;
        }
        Some(ids)
    }

    /// The bytes `n` long at `offset` into sector `s`, when they lie in the file.
    fn bytes_in(&self, s: u32, offset: usize, n: usize) -> Option<&'a [u8]> {
        let start = (s as usize)
            .checked_add(1)?
            .checked_mul(self.sector_len)?
            .checked_add(offset)?;
        self.bytes.get(start..start.checked_add(n)?)
    }

    /// Follows a stream's chain to its stated length, handing each piece of it to `take`;
    /// `None` when the chain cannot hold it.
    fn stream(&self, mini: &Mini, entry: &Entry, mut take: impl FnMut(&[u8])) -> Option<()> {
        let len = usize::try_from(entry.len).ok()?;
        if len == 0 {
            // Nothing to read, but `cfb` reading the workbook stream whole builds its chain
            // (a mini chain, for its length) unless it starts nowhere.
            return (entry.start == END_OF_CHAIN || self.chain(&mini.fat, entry.start).is_some())
                .then_some(());
        }
        if len > self.bytes.len() {
            return None;
        }
        if entry.len < MINI_CUTOFF {
            let per_sector = self.sector_len / MINI_LEN;
            let ids = self.chain(&mini.fat, entry.start)?;
            if ids.len() < len.div_ceil(MINI_LEN) {
                return None;
            }
            for (k, &m) in ids.iter().take(len.div_ceil(MINI_LEN)).enumerate() {
                let s = *mini.sectors.get(m as usize / per_sector)?;
                let n = MINI_LEN.min(len - k * MINI_LEN);
                take(self.bytes_in(s, (m as usize % per_sector) * MINI_LEN, n)?);
            }
        } else {
            let ids = self.chain(&self.fat, entry.start)?;
            if ids.len() < len.div_ceil(self.sector_len) {
                return None;
            }
            for (k, &s) in ids.iter().take(len.div_ceil(self.sector_len)).enumerate() {
                let n = self.sector_len.min(len - k * self.sector_len);
                take(self.bytes_in(s, 0, n)?);
            }
        }
        Some(())
    }
}

/// The mini stream: its MiniFAT and the regular sectors that hold it, as `cfb` holds them.
struct Mini {
    fat: Vec<u32>,
    sectors: Vec<u32>,
}

impl Mini {
    fn of(file: &Sectors<'_>, root: &Entry) -> Option<Mini> {
        let first_minifat = u32_at(file.bytes, 0x3C)?;
        let mut fat = Vec::new();
        for s in file.chain(&file.fat, first_minifat)? {
            fat.extend(file.sector(s)?.chunks_exact(4).map(le_u32));
        }
        while fat.last() == Some(&FREE) {
            fat.pop();
        }
        // `cfb` keeps no more entries than the root's stream holds mini sectors.
        let held = usize::try_from(root.len / MINI_LEN as u64).unwrap_or(usize::MAX);
        fat.truncate(held);
        let sectors = file.chain(&file.fat, root.start)?;
        Some(Mini { fat, sectors })
    }
}

const STREAM: u8 = 2;
const ROOT: u8 = 5;

/// What of a directory entry the streams' check needs.
struct Entry<'a> {
    /// The name's bytes as stored (UTF-16LE, 64 bytes) and its stated length in bytes.
    name: (&'a [u8], u16),
    kind: u8,
    left: u32,
    right: u32,
    child: u32,
    start: u32,
    len: u64,
}

impl<'a> Entry<'a> {
    fn read(raw: &'a [u8], len_mask: u64) -> Entry<'a> {
        let at = |o: usize| le_u32(&raw[o..o + 4]);
        Entry {
            name: (&raw[..64], u16::from_le_bytes([raw[64], raw[65]])),
            kind: raw[66],
            left: at(68),
            right: at(72),
            child: at(76),
            start: at(116),
            len: u64::from_le_bytes(raw[120..128].try_into().expect("eight bytes")) & len_mask,
        }
    }
}

/// Every entry the directory's tree reaches from the root, as `cfb` walks it; `None` when
/// the tree loops or leaves the directory, or when `cfb` could take one entry for another:
/// it opens a stream by its path, looking each name up among its storage's entries with
/// case folded, so two names of one storage that fold alike, or a name that is not ASCII
/// (folded by Unicode's tables), are left to it.
fn reached<'e, 'a>(entries: &'e [Entry<'a>]) -> Option<Vec<&'e Entry<'a>>> {
    let mut seen = vec![false; entries.len()];
    let mut reached = Vec::new();
    let mut names: Vec<Name> = Vec::new();
    let mut storages = vec![entries.first()?.child];
    while let Some(first) = storages.pop() {
        names.clear();
        let mut siblings = vec![first];
        while let Some(id) = siblings.pop() {
            if id == NO_ENTRY {
                continue;
            }
            let entry = entries.get(id as usize)?;
            if std::mem::replace(&mut seen[id as usize], true) {
                return None;
            }
            let name = Name::of(entry.name)?;
            if names
                .iter()
                .any(|n| n.as_bytes().eq_ignore_ascii_case(name.as_bytes()))
            {
                return None;
            }
            names.push(name);
            siblings.extend([entry.left, entry.right]);
            if entry.kind != STREAM {
                storages.push(entry.child);
            }
            reached.push(entry);
        }
    }
    Some(reached)
}

/// The stream at the root named for the workbook, the first in the order `cfb` lists the
/// root's entries (its tree, in order: `Book` before `Workbook` where a file holds both):
/// `Some(None)` when there is none, `None` when the root's tree loops or leaves the
/// directory.
fn workbook_entry<'e, 'a>(entries: &'e [Entry<'a>]) -> Option<Option<&'e Entry<'a>>> {
    let mut seen = vec![false; entries.len()];
    let mut stack = Vec::new();
    let mut at = entries.first()?.child;
    loop {
        while at != NO_ENTRY {
            let entry = entries.get(at as usize)?;
            if std::mem::replace(&mut seen[at as usize], true) {
                return None;
            }
            stack.push(entry);
            at = entry.left;
        }
        let Some(entry) = stack.pop() else {
            return Some(None);
        };
        if entry.kind == STREAM {
            let name = Name::of(entry.name)?;
            if WORKBOOK_NAMES
                .iter()
                .any(|n| name.as_bytes().eq_ignore_ascii_case(n.as_bytes()))
            {
                return Some(Some(entry));
            }
        }
        at = entry.right;
    }
}

/// A directory entry's name of ASCII characters (at most 31, as a name can hold), as `cfb`
/// reads it: its stated length, without the terminating null.
struct Name {
    chars: [u8; 32],
    len: usize,
}

impl Name {
    /// `None` for a name whose length `cfb` refuses, or with a character outside ASCII.
    fn of((raw, len): (&[u8], u16)) -> Option<Name> {
        let len = usize::from(len);
        if len > 64 || len % 2 != 0 {
            return None;
        }
        let mut name = Name {
            chars: [0; 32],
            len: (len / 2).saturating_sub(1),
        };
        for (k, unit) in raw[..name.len * 2].chunks_exact(2).enumerate() {
            name.chars[k] = u8::try_from(u16::from_le_bytes([unit[0], unit[1]]))
                .ok()
                .filter(u8::is_ascii)?;
        }
        Some(name)
    }

    fn as_bytes(&self) -> &[u8] {
        &self.chars[..self.len]
    }
}

fn le_u32(b: &[u8]) -> u32 {
    u32::from_le_bytes(b.try_into().expect("four bytes"))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    bytes.get(at..at + 4).map(le_u32)
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    bytes
        .get(at..at + 2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
}
