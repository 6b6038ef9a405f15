//! The one test helper: a temporary work folder, the real binary, and readers for the
//! workbooks it writes (calamine for cells, zip for the XML).

#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Output;

use calamine::{Data, Range, Reader, open_workbook_auto};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the real binary with `args` in `cwd`.
pub fn huizong(cwd: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_huizong"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run huizong")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// Copies a folder recursively.
pub fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        let to = dst.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to);
        } else {
            std::fs::copy(e.path(), &to).unwrap();
        }
    }
}

/// Every file under `dir`, recursively, as paths relative to `dir`, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// A temporary folder holding a copy of `samples/`.
pub fn samples_copy() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    copy_dir(&root().join("samples"), &t.path().join("samples"));
    t
}

/// A sheet of a workbook.
pub fn sheet(path: &Path, name: &str) -> Range<Data> {
    let mut wb =
        open_workbook_auto(path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    wb.worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name} of {}: {e}", path.display()))
}

pub fn sheet_names(path: &Path) -> Vec<String> {
    open_workbook_auto(path).unwrap().sheet_names()
}

/// `F7` → (6, 5).
pub fn pos(cell: &str) -> (u32, u32) {
    let letters: String = cell
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    let row: u32 = cell[letters.len()..].parse().unwrap();
    let col = letters
        .bytes()
        .fold(0u32, |acc, b| acc * 26 + (b - b'A' + 1) as u32);
    (row - 1, col - 1)
}

/// The value at a cell (absolute position).
pub fn at<'a>(r: &'a Range<Data>, cell: &str) -> &'a Data {
    static EMPTY: Data = Data::Empty;
    r.get_value(pos(cell)).unwrap_or(&EMPTY)
}

pub fn text_at(r: &Range<Data>, row: u32, col: u32) -> String {
    match r.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        Some(Data::Int(i)) => i.to_string(),
        _ => String::new(),
    }
}

/// A header cell as the contract names it: the summary breaks headers across lines on
/// purpose (`计量\n单位`), and the reader reads both alike.
pub fn header_at(r: &Range<Data>, row: u32, col: u32) -> String {
    text_at(r, row, col).replace('\n', "")
}

pub fn num_at(r: &Range<Data>, row: u32, col: u32) -> Option<f64> {
    match r.get_value((row, col)) {
        Some(Data::Float(f)) => Some(*f),
        Some(Data::Int(i)) => Some(*i as f64),
        _ => None,
    }
}

/// Asserts two optional figures are equal to the cent, naming where.
pub fn assert_close(got: Option<f64>, want: Option<f64>, place: &str) {
    match (got, want) {
        (None, None) => {}
        (Some(g), Some(w)) if (g - w).abs() < 0.005 => {}
        _ => panic!("{place}: got {got:?}, want {want:?}"),
    }
}

/// A file inside the xlsx zip, as text.
pub fn zip_text(path: &Path, inner: &str) -> String {
    let f = std::fs::File::open(path).unwrap();
    let mut z = zip::ZipArchive::new(f).unwrap();
    let mut s = String::new();
    z.by_name(inner)
        .unwrap_or_else(|_| panic!("{inner} in {}", path.display()))
        .read_to_string(&mut s)
        .unwrap();
    s
}

/// The part name of a sheet, through workbook.xml and its relationships.
pub fn sheet_part(path: &Path, name: &str) -> String {
    let wb = zip_text(path, "xl/workbook.xml");
    let tag_start = wb
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("sheet {name} in workbook.xml"));
    let tag = &wb[wb[..tag_start].rfind('<').unwrap()..];
    let tag = &tag[..tag.find("/>").unwrap()];
    let rid = attr(tag, "r:id").unwrap();
    let rels = zip_text(path, "xl/_rels/workbook.xml.rels");
    let i = rels.find(&format!("Id=\"{rid}\"")).unwrap();
    let rel = &rels[rels[..i].rfind('<').unwrap()..];
    let rel = &rel[..rel.find("/>").unwrap()];
    format!(
        "xl/{}",
        attr(rel, "Target").unwrap().trim_start_matches("/xl/")
    )
}

/// An attribute of an XML tag text.
pub fn attr(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let i = tag.find(&key)? + key.len();
    Some(tag[i..i + tag[i..].find('"')?].to_string())
}

/// The progress table's columns as the contract (docs/architecture.md) names them.
pub const PROGRESS_HEADERS: [&str; 10] = [
    "任务编号",
    "任务名称",
    "计量单位",
    "年度目标",
    "本月完成",
    "自年初累计完成",
    "完成状态",
    "本月工作进展",
    "存在问题",
    "下步工作打算",
];

/// The XML of a sheet by name.
pub fn sheet_xml(path: &Path, name: &str) -> String {
    zip_text(path, &sheet_part(path, name))
}

/// The XML element of one cell (`<c r="F7" …>…</c>` or self-closing).
pub fn cell_xml(xml: &str, cell: &str) -> Option<String> {
    let key = format!("<c r=\"{cell}\"");
    let i = xml.find(&key)?;
    let rest = &xml[i..];
    let open_end = rest.find('>')?;
    if rest[..open_end].ends_with('/') {
        return Some(rest[..=open_end].to_string());
    }
    let close = rest.find("</c>")?;
    Some(rest[..close + 4].to_string())
}

/// Replaces a cell's value by a number in an xlsx, keeping its style: what a person does
/// when they correct a cell in Excel.
pub fn set_number(path: &Path, sheet_name: &str, cell: &str, value: f64) {
    set_cell(path, sheet_name, cell, "", &format!("<v>{value}</v>"));
}

/// Replaces a cell's value by a text in an xlsx, keeping its style: what a person types.
pub fn set_text(path: &Path, sheet_name: &str, cell: &str, text: &str) {
    let escaped = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    set_cell(
        path,
        sheet_name,
        cell,
        " t=\"inlineStr\"",
        &format!("<is><t>{escaped}</t></is>"),
    );
}

/// Rewrites one cell: its type attribute and content, its style kept.
fn set_cell(path: &Path, sheet_name: &str, cell: &str, kind: &str, content: &str) {
    let part = sheet_part(path, sheet_name);
    let bytes = edit_part(&std::fs::read(path).unwrap(), &part, |data| {
        let xml = String::from_utf8(data.to_vec()).unwrap();
        let old = cell_xml(&xml, cell).unwrap_or_else(|| panic!("cell {cell} in {part}"));
        let style = attr(&old, "s")
            .map(|s| format!(" s=\"{s}\""))
            .unwrap_or_default();
        let new = format!("<c r=\"{cell}\"{style}{kind}>{content}</c>");
        xml.replacen(&old, &new, 1).into_bytes()
    });
    std::fs::write(path, bytes).unwrap();
}

/// A zip made of these parts, deflated.
pub fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        w.start_file(*name, o).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Rewrites one part of a zip with `edit`, keeping the others and their order.
pub fn edit_part(bytes: &[u8], part: &str, edit: impl Fn(&[u8]) -> Vec<u8>) -> Vec<u8> {
    rewrite_parts(bytes, |name, data| {
        let data = if name == part { edit(&data) } else { data };
        (name, data)
    })
}

/// The same zip with each part's name passed through `rename`, in the same order.
pub fn rename_parts(bytes: &[u8], rename: impl Fn(&str) -> String) -> Vec<u8> {
    rewrite_parts(bytes, |name, data| (rename(&name), data))
}

/// Every part of a zip, name and bytes, through `each`, zipped again in the same order.
pub fn rewrite_parts(bytes: &[u8], each: impl Fn(String, Vec<u8>) -> (String, Vec<u8>)) -> Vec<u8> {
    let parts: Vec<(String, Vec<u8>)> = parts_of(bytes)
        .into_iter()
        .map(|(name, data)| each(name, data))
        .collect();
    zip_of_parts(&parts)
}

/// Every part of a zip, name and inflated bytes, in the zip's order.
pub fn parts_of(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            (name, data)
        })
        .collect()
}

/// [`zip_of`] for parts held by value.
pub fn zip_of_parts(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let refs: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    zip_of(&refs)
}

/// Findings of `check --format json` on a folder.
pub fn findings(cwd: &Path, args: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let o = huizong(cwd, &all);
    let v = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect();
    (o.status.code().unwrap_or(-1), v)
}

/// Whether a finding with these fields exists.
pub fn has(f: &[serde_json::Value], code: &str, file_contains: &str, cell: Option<&str>) -> bool {
    f.iter().any(|x| {
        x["code"] == code
            && x["file"].as_str().unwrap_or("").contains(file_contains)
            && cell.is_none_or(|c| x["cell"] == c)
    })
}

/// The fill colour (`FFD966`, …) of a cell of a written workbook, empty when it has none.
pub fn fill_of(path: &Path, sheet_name: &str, cell: &str) -> String {
    let x = sheet_xml(path, sheet_name);
    let Some(style) = cell_xml(&x, cell).and_then(|c| attr(&c, "s")) else {
        return String::new();
    };
    let style: usize = style.parse().unwrap();
    let styles = zip_text(path, "xl/styles.xml");
    let xf: Vec<&str> = styles[styles.find("<cellXfs").unwrap()..]
        .split("<xf ")
        .skip(1)
        .collect();
    let fill: usize = attr(&format!(" {}", xf[style]), "fillId")
        .unwrap_or_else(|| "0".into())
        .parse()
        .unwrap();
    let fills: Vec<&str> = styles[styles.find("<fills").unwrap()..styles.find("</fills>").unwrap()]
        .split("<fill>")
        .skip(1)
        .collect();
    let f = fills[fill];
    f.find("rgb=\"FF")
        .map(|i| f[i + 7..i + 13].to_string())
        .unwrap_or_default()
}

/// The text of the note on a cell of a sheet, if it has one.
pub fn note_of(path: &Path, sheet_name: &str, cell: &str) -> Option<String> {
    // The sheet's comments part, through its relationships.
    let part = sheet_part(path, sheet_name);
    let (dir, file) = part.rsplit_once('/').unwrap();
    let rels =
        std::panic::catch_unwind(|| zip_text(path, &format!("{dir}/_rels/{file}.rels"))).ok()?;
    let target = rels
        .split("<Relationship ")
        .find(|r| r.contains("/comments\""))
        .and_then(|r| attr(&format!(" {r}"), "Target"))?;
    let comments = zip_text(path, &format!("xl/{}", target.trim_start_matches("../")));
    let key = format!("ref=\"{cell}\"");
    let at = comments.find(&key)?;
    let rest = &comments[at..];
    let end = rest.find("</comment>")?;
    let body = &rest[..end];
    let mut text = String::new();
    for piece in body.split("</t>") {
        // The run's text starts after its `<t>` (or `<t xml:space=…>`), not `<text>`.
        let open = piece.rfind("<t>").or_else(|| piece.rfind("<t "));
        if let Some(i) = open {
            let start = i + piece[i..].find('>')? + 1;
            text.push_str(&piece[start..]);
        }
    }
    Some(text)
}
