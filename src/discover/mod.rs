//! Finding the workbooks in a folder: recursive, sorted, skipping lock files, hidden files,
//! the output folder and symbolic-link loops.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use glob::{MatchOptions, Pattern};

pub mod kind;

use kind::Kind;

/// A workbook found in the input folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    pub path: PathBuf,
    /// Relative to the input folder, `/`-separated.
    pub rel: String,
    /// Size in bytes when found (files are read largest first).
    pub size: u64,
}

/// The file name patterns of spreadsheets (Excel, its templates, WPS, OpenDocument).
const PATTERNS: [&str; 11] = [
    "*.xlsx", "*.xlsm", "*.xltx", "*.xltm", "*.xls", "*.xlt", "*.et", "*.ett", "*.xlsb", "*.ods",
    "*.fods",
];

/// huizong's own files in a data folder: the configuration and the log.
const OWN_FILES: [&str; 2] = [crate::layout::files::CONFIG, crate::layout::files::LOG];

/// A file of the folder that is not a spreadsheet, named in an I-FILE-SKIPPED finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub rel: String,
    pub kind: Kind,
}

/// Whether a file name is a workbook we read.
pub fn is_workbook_name(name: &str) -> bool {
    if name.starts_with("~$") || name.starts_with('.') {
        return false;
    }
    let opts = MatchOptions {
        case_sensitive: false,
        ..MatchOptions::new()
    };
    // Compiled once: a folder of a year's returns asks thousands of times.
    static COMPILED: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
        PATTERNS
            .iter()
            .filter_map(|p| Pattern::new(p).ok())
            .collect()
    });
    COMPILED.iter().any(|p| p.matches_with(name, opts))
}

/// Lists the workbooks under `dir`, sorted by relative path. `skip` (the output folder) is
/// left out; a folder reached twice through links is visited once.
pub fn discover(dir: &Path, skip: &[PathBuf]) -> Vec<Found> {
    discover_all(dir, skip).0
}

/// The workbooks under `dir` (by name, or by bytes whatever the name), and every other file
/// but lock files, hidden files and huizong's own, sorted by relative path.
pub fn discover_all(dir: &Path, skip: &[PathBuf]) -> (Vec<Found>, Vec<Skipped>) {
    let skip: Vec<PathBuf> = skip.iter().filter_map(|p| p.canonicalize().ok()).collect();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    walk(dir, "", &skip, &mut seen, &mut out, &mut skipped);
    out.sort();
    skipped.sort_by(|a: &Skipped, b: &Skipped| a.rel.cmp(&b.rel));
    (out, skipped)
}

/// What a file not named as a spreadsheet is, from its first bytes (the whole file when it
/// is small, so that a compound file's directory is seen).
fn sniff_file(path: &Path, size: u64) -> Kind {
    use std::io::Read;
    let Ok(f) = std::fs::File::open(path) else {
        return Kind::Unknown;
    };
    let take = if size <= 16 << 20 { size } else { 64 << 10 };
    let mut bytes = Vec::with_capacity(take as usize);
    if f.take(take).read_to_end(&mut bytes).is_err() {
        return Kind::Unknown;
    }
    kind::detect(&bytes)
}

fn walk(
    dir: &Path,
    prefix: &str,
    skip: &[PathBuf],
    seen: &mut HashSet<PathBuf>,
    out: &mut Vec<Found>,
    skipped: &mut Vec<Skipped>,
) {
    let Ok(canon) = dir.canonicalize() else {
        return;
    };
    if skip.contains(&canon) || !seen.insert(canon) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        let path = entry.path();
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        // Follows links, so a link to a folder is walked (once) and a broken link skipped.
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            walk(&path, &rel, skip, seen, out, skipped);
        } else if meta.is_file() {
            let own = OWN_FILES.iter().any(|o| name.eq_ignore_ascii_case(o));
            let workbook_name = is_workbook_name(&name);
            // A lock file whatever its name (copied, renamed): skipped as `~$` ones are.
            if workbook_name && meta.len() <= 512 && sniff_file(&path, meta.len()) == Kind::LockFile
            {
                continue;
            }
            let kind = (!workbook_name && !own).then(|| sniff_file(&path, meta.len()));
            match kind {
                Some(Kind::LockFile) => {}
                Some(kind) if !kind.is_spreadsheet() => skipped.push(Skipped { rel, kind }),
                _ if own => {}
                _ => out.push(Found {
                    path,
                    rel,
                    size: meta.len(),
                }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workbook_names() {
        assert!(is_workbook_name("长春.xlsx"));
        assert!(is_workbook_name("a.XLS"));
        assert!(is_workbook_name("b.ods"));
        assert!(!is_workbook_name("~$长春.xlsx"));
        assert!(!is_workbook_name(".hidden.xlsx"));
        assert!(!is_workbook_name("a.csv"));
    }
}
