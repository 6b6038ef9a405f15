//! Finding the workbooks in a folder: recursive, sorted, skipping lock files, hidden files,
//! the output folder and symbolic-link loops.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

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

/// The file name extensions of spreadsheets (Excel, its templates, WPS, OpenDocument).
const EXTENSIONS: [&str; 11] = [
    "xlsx", "xlsm", "xltx", "xltm", "xls", "xlt", "et", "ett", "xlsb", "ods", "fods",
];

/// huizong's own files in a data folder: the configuration and the log.
const OWN_FILES: [&str; 2] = [crate::layout::files::CONFIG, crate::layout::files::LOG];

/// A file of the folder that is not a spreadsheet, named in an I-FILE-SKIPPED finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub rel: String,
    pub kind: Kind,
}

/// Whether a file name is a workbook we read: one of [`EXTENSIONS`] after its last dot,
/// whatever its case (`a.XLS`). Compared, not matched as a pattern: a folder of a year's
/// returns asks thousands of times.
pub fn is_workbook_name(name: &str) -> bool {
    if name.starts_with("~$") || name.starts_with('.') {
        return false;
    }
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| EXTENSIONS.iter().any(|e| ext.eq_ignore_ascii_case(e)))
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
    // Each name read once (a sort by key would ask for each entry's name at every
    // comparison, a new string each time).
    let mut entries: Vec<_> = entries.flatten().map(|e| (e.file_name(), e)).collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, entry) in entries {
        let name = name.to_string_lossy().to_string();
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
        // Another entry is asked of its folder, by its name alone (its path is not looked up
        // again from the start).
        let meta = match entry.file_type() {
            Ok(t) if !t.is_symlink() => entry.metadata(),
            _ => std::fs::metadata(&path),
        };
        let Ok(meta) = meta else {
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
                // Left by Excel, WPS or Explorer, hidden where they were made.
                Some(Kind::LockFile | Kind::Thumbnails | Kind::FolderSettings) => {}
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
        assert!(is_workbook_name("任务清单.Et"));
        assert!(is_workbook_name("a.b.FODS"));
        assert!(is_workbook_name("6月.xlsx.xls"));
        assert!(!is_workbook_name("长春.xlsx.bak"));
        assert!(!is_workbook_name("xlsx"));
        assert!(!is_workbook_name("长春.xlsx "));
        assert!(!is_workbook_name("长春.ｘｌｓｘ"));
        assert!(!is_workbook_name("长春.xls_"));
    }

    /// Entries are asked of their folder, links followed: a file and a folder reached
    /// through links are found with their sizes, a broken link is passed over, and a
    /// link back up the tree is walked once.
    #[cfg(unix)]
    #[test]
    fn links_are_followed_and_sizes_read() {
        use std::os::unix::fs::symlink;
        let t = tempfile::tempdir().expect("temp dir");
        let root = t.path().join("月报");
        let real = t.path().join("别处");
        std::fs::create_dir_all(root.join("6月")).expect("folders");
        std::fs::create_dir_all(&real).expect("folders");
        std::fs::write(root.join("6月").join("长春.xlsx"), [1u8; 700]).expect("a file");
        std::fs::write(real.join("吉林.xlsx"), [2u8; 900]).expect("a file");
        symlink(real.join("吉林.xlsx"), root.join("吉林链接.xlsx")).expect("a link");
        symlink(&real, root.join("别处链接")).expect("a link");
        symlink(t.path().join("不存在.xlsx"), root.join("断链.xlsx")).expect("a link");
        symlink(&root, root.join("6月").join("回到上层")).expect("a link");
        let found: Vec<(String, u64)> = discover(&root, &[])
            .into_iter()
            .map(|f| (f.rel, f.size))
            .collect();
        assert_eq!(
            found,
            vec![
                ("6月/长春.xlsx".to_string(), 700),
                ("别处链接/吉林.xlsx".to_string(), 900),
                ("吉林链接.xlsx".to_string(), 900),
            ]
        );
    }
}
