//! Finding the workbooks in a folder: recursive, sorted, skipping lock files, hidden files,
//! the output folder and symbolic-link loops.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use glob::{MatchOptions, Pattern};

/// A workbook found in the input folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    pub path: PathBuf,
    /// Relative to the input folder, `/`-separated.
    pub rel: String,
    /// Size in bytes when found (files are read largest first).
    pub size: u64,
}

/// The file name patterns of workbooks.
const PATTERNS: [&str; 4] = ["*.xlsx", "*.xlsm", "*.xls", "*.ods"];

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
    let skip: Vec<PathBuf> = skip.iter().filter_map(|p| p.canonicalize().ok()).collect();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut out = Vec::new();
    walk(dir, "", &skip, &mut seen, &mut out);
    out.sort();
    out
}

fn walk(
    dir: &Path,
    prefix: &str,
    skip: &[PathBuf],
    seen: &mut HashSet<PathBuf>,
    out: &mut Vec<Found>,
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
            walk(&path, &rel, skip, seen, out);
        } else if meta.is_file() && is_workbook_name(&name) {
            out.push(Found {
                path,
                rel,
                size: meta.len(),
            });
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
