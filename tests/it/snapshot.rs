//! Per-sheet snapshots of the summary and of a correction workbook: cells with their
//! resolved formats, column widths, row heights, merged ranges, validations, protection
//! and print setup. A change of layout shows as a diff to review; after reviewing it,
//! `UPDATE_SNAPSHOTS=1 cargo test snapshot` rewrites `tests/snapshots/`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::util::*;

/// Every element `<tag …>…</tag>` or `<tag …/>` of `xml`, in order (no nesting of `tag`).
fn elements<'a>(xml: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag}");
    let close = format!("</{tag}>");
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find(&open) {
        let after = &rest[i + open.len()..];
        // `<c` must not match `<cols`: the tag name ends at a space, `>` or `/`.
        if !after.starts_with([' ', '>', '/']) {
            rest = after;
            continue;
        }
        let from = &rest[i..];
        let gt = from.find('>').unwrap();
        let len = if from[..gt].ends_with('/') {
            gt + 1
        } else {
            from.find(&close).unwrap() + close.len()
        };
        out.push(&from[..len]);
        rest = &from[len..];
    }
    out
}

/// The text of the first `<tag>` inside `el`, unescaped.
fn inner(el: &str, tag: &str) -> Option<String> {
    let e = *elements(el, tag).first()?;
    let start = e.find('>')? + 1;
    let end = e.rfind("</")?;
    (start <= end).then(|| unescape(&e[start..end]))
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#10;", "\n")
        .replace("&amp;", "&")
}

/// The opening tag of an element.
fn head(el: &str) -> &str {
    &el[..el.find('>').unwrap_or(el.len())]
}

/// Cell formats of styles.xml resolved to text, by index.
fn styles(path: &Path) -> Vec<String> {
    let xml = zip_text(path, "xl/styles.xml");
    let num_fmts: BTreeMap<String, String> = elements(&xml, "numFmt")
        .iter()
        .map(|e| {
            (
                attr(head(e), "numFmtId").unwrap(),
                unescape(&attr(head(e), "formatCode").unwrap()),
            )
        })
        .collect();
    let section = |name: &str| -> String {
        let s = xml.find(&format!("<{name}")).unwrap();
        let e = xml.find(&format!("</{name}>")).unwrap();
        xml[s..e].to_string()
    };
    let fonts: Vec<String> = elements(&section("fonts"), "font")
        .iter()
        .map(|f| {
            let name = elements(f, "name")
                .first()
                .and_then(|n| attr(head(n), "val"))
                .unwrap_or_default();
            let size = elements(f, "sz")
                .first()
                .and_then(|n| attr(head(n), "val"))
                .unwrap_or_default();
            let mut s = format!("{name} {size}");
            if f.contains("<b/>") {
                s.push_str(" bold");
            }
            if f.contains("<u/>") {
                s.push_str(" underline");
            }
            if let Some(c) = elements(f, "color")
                .first()
                .and_then(|c| attr(head(c), "rgb"))
            {
                s.push_str(&format!(" color {c}"));
            }
            s
        })
        .collect();
    let fills: Vec<String> = elements(&section("fills"), "fill")
        .iter()
        .map(|f| {
            elements(f, "fgColor")
                .first()
                .and_then(|c| attr(head(c), "rgb"))
                .unwrap_or_default()
        })
        .collect();
    let borders: Vec<String> = elements(&section("borders"), "border")
        .iter()
        .map(|b| {
            ["left", "right", "top", "bottom"]
                .iter()
                .filter_map(|side| {
                    let e = *elements(b, side).first()?;
                    attr(head(e), "style").map(|st| format!("{side}:{st}"))
                })
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    elements(&section("cellXfs"), "xf")
        .iter()
        .map(|xf| {
            let h = head(xf);
            let get = |a: &str| attr(h, a).unwrap_or_default();
            let fmt_id = get("numFmtId");
            let fmt = num_fmts.get(&fmt_id).cloned().unwrap_or(fmt_id);
            let idx = |a: &str| get(a).parse::<usize>().unwrap_or(0);
            let mut s = format!(
                "fmt {fmt} | font {} | fill {} | border {}",
                fonts[idx("fontId")],
                fills[idx("fillId")],
                borders[idx("borderId")]
            );
            if let Some(a) = elements(xf, "alignment").first() {
                s.push_str(&format!(
                    " | align {}",
                    head(a).trim_start_matches("<alignment")
                ));
            }
            if let Some(p) = elements(xf, "protection").first() {
                s.push_str(&format!(" | {}", head(p).trim_start_matches('<')));
            }
            s
        })
        .collect()
}

fn shared_strings(path: &Path) -> Vec<String> {
    let Ok(xml) = std::panic::catch_unwind(|| zip_text(path, "xl/sharedStrings.xml")) else {
        return Vec::new();
    };
    elements(&xml, "si")
        .iter()
        .map(|si| {
            elements(si, "t")
                .iter()
                .map(|t| inner(t, "t").unwrap_or_default())
                .collect::<String>()
        })
        .collect()
}

/// One sheet as text; `max_rows` cuts long uniform lists (their row count is kept).
fn dump_sheet(xml: &str, styles: &[String], strings: &[String], max_rows: usize) -> String {
    let mut out = String::new();
    for tag in [
        "sheetPr",
        "dimension",
        "pane",
        "pageMargins",
        "pageSetup",
        "printOptions",
        "sheetProtection",
        "autoFilter",
    ] {
        for e in elements(xml, tag) {
            out.push_str(&format!("{}\n", head(e).trim_end_matches('/')));
        }
    }
    for tag in ["oddHeader", "oddFooter"] {
        if let Some(t) = inner(xml, tag) {
            out.push_str(&format!("{tag}: {t}\n"));
        }
    }
    for c in elements(xml, "col") {
        out.push_str(&format!("{}\n", head(c).trim_end_matches('/')));
    }
    for m in elements(xml, "mergeCell") {
        out.push_str(&format!("merge {}\n", attr(head(m), "ref").unwrap()));
    }
    for v in elements(xml, "dataValidation") {
        out.push_str(&format!("{}\n", head(v)));
    }
    let rows = elements(xml, "row");
    out.push_str(&format!("rows: {}\n", rows.len()));
    // Formats by first use in the sheet: cells name them S1, S2 …; the legend follows.
    let mut legend: Vec<&str> = Vec::new();
    for row in rows.iter().take(max_rows) {
        let h = head(row);
        out.push_str(&format!(
            "row {} ht {}\n",
            attr(h, "r").unwrap(),
            attr(h, "ht").unwrap_or_default()
        ));
        for c in elements(row, "c") {
            let ch = head(c);
            let style = match attr(ch, "s").and_then(|s| s.parse::<usize>().ok()) {
                None => "default".to_string(),
                Some(s) => {
                    let text = styles[s].as_str();
                    let k = legend.iter().position(|l| *l == text).unwrap_or_else(|| {
                        legend.push(text);
                        legend.len() - 1
                    });
                    format!("S{}", k + 1)
                }
            };
            let value = match attr(ch, "t").as_deref() {
                Some("s") => inner(c, "v")
                    .and_then(|i| i.parse::<usize>().ok())
                    .map(|i| format!("{:?}", strings[i]))
                    .unwrap_or_default(),
                Some("inlineStr") => format!("{:?}", inner(c, "t").unwrap_or_default()),
                _ => {
                    let f = inner(c, "f").map(|f| format!(" ={f}")).unwrap_or_default();
                    format!("{}{f}", inner(c, "v").unwrap_or_default())
                }
            };
            out.push_str(&format!("  {} {value} [{style}]\n", attr(ch, "r").unwrap()));
        }
    }
    for l in elements(xml, "hyperlink").iter().take(3) {
        out.push_str(&format!("{}\n", head(l)));
    }
    for (k, l) in legend.iter().enumerate() {
        out.push_str(&format!("S{}: {l}\n", k + 1));
    }
    out
}

/// Every sheet of a workbook, in order: (name, dump).
fn dump(path: &Path, long: &[&str]) -> Vec<(String, String)> {
    let st = styles(path);
    let strings = shared_strings(path);
    let wb = zip_text(path, "xl/workbook.xml");
    elements(&wb, "sheet")
        .iter()
        .map(|s| {
            let name = unescape(&attr(head(s), "name").unwrap());
            let xml = sheet_xml(path, &name);
            let max = if long.contains(&name.as_str()) {
                40
            } else {
                usize::MAX
            };
            let mut d = dump_sheet(&xml, &st, &strings, max);
            if attr(head(s), "state").is_some() {
                d.insert_str(0, "hidden\n");
            }
            (name, d)
        })
        .collect()
}

/// Compares each sheet's dump with `tests/snapshots/<set>/<n>-<sheet>.txt`.
fn check(set: &str, sheets: &[(String, String)]) {
    let dir = root().join("tests/snapshots").join(set);
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    if update {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
    }
    let mut failures = Vec::new();
    for (k, (name, text)) in sheets.iter().enumerate() {
        let file = dir.join(format!("{:02}-{name}.txt", k + 1));
        if update {
            std::fs::write(&file, text).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&file).unwrap_or_default();
        if want != *text {
            let line = want
                .lines()
                .zip(text.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(want.lines().count().min(text.lines().count()));
            failures.push(format!(
                "{}: differs from line {}:\n  was: {:?}\n  now: {:?}",
                file.display(),
                line + 1,
                want.lines().nth(line).unwrap_or("(end)"),
                text.lines().nth(line).unwrap_or("(end)")
            ));
        }
    }
    let committed = std::fs::read_dir(&dir).map_or(0, |d| d.count());
    assert!(
        failures.is_empty() && committed == sheets.len(),
        "{} of {} sheets changed ({} snapshot files for {} sheets); review, then rerun with \
         UPDATE_SNAPSHOTS=1:\n{}",
        failures.len(),
        sheets.len(),
        committed,
        sheets.len(),
        failures.join("\n")
    );
}

#[test]
fn snapshot_of_the_samples_summary_and_a_correction_workbook() {
    let t = samples_copy();
    let o = huizong(t.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = t.path().join("output");
    let summary = dump(
        &out.join("2020年6月重点任务进展汇总.xlsx"),
        &["数据来源", "数据校验"],
    );
    assert!(summary.len() >= 9, "{:?}", summary.iter().map(|s| &s.0));
    check("summary", &summary);
    let correction = dump(
        &out.join("退回修改/通化市交通运输局_2020年6月_退回修改.xlsx"),
        &[],
    );
    check("correction", &correction);
}
