//! The house's rules, read from the source: imports go one way (no two files of `src/` reach
//! each other), each library stays in its room, no room holds more than a tenth of the
//! code, and nothing points at a design file outside the repository.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::util::*;

/// Every `.rs` file under `src/` by module path (`write/summary/tasks`, `lib`), with its
/// text up to its unit tests.
fn modules() -> BTreeMap<Vec<String>, (String, String)> {
    let src = root().join("src");
    let mut out = BTreeMap::new();
    for file in files_under(&src) {
        if file.extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let p = src.join(&file);
        let mut m: Vec<String> = file
            .with_extension("")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().to_string())
            .collect();
        if matches!(m.last().map(String::as_str), Some("mod" | "lib")) {
            m.pop();
        }
        let text = std::fs::read_to_string(&p).unwrap();
        let code = match text.find("#[cfg(test)]\nmod tests {") {
            Some(i) => text[..i].to_string(),
            None => text.clone(),
        };
        let code: String = code
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        out.insert(m, (file.display().to_string(), code));
    }
    out
}

/// The paths a file names after `crate::` or `super::`: `a::b::c`, each item of
/// `{a, b::c}` groups, `a::*`.
fn paths_after(code: &str, head: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let key = format!("{head}::");
    let mut rest = code;
    while let Some(i) = rest.find(&key) {
        let before = rest[..i].chars().last();
        rest = &rest[i + key.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        // `super::super::x` is handled by the caller as leading `super` segments.
        let mut path = Vec::new();
        let mut s = rest;
        loop {
            let ident: String = s
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if ident.is_empty() {
                break;
            }
            s = &s[ident.len()..];
            path.push(ident);
            if let Some(t) = s.strip_prefix("::") {
                s = t;
            } else {
                break;
            }
        }
        if s.starts_with('{') {
            let group = &s[1..s.find('}').unwrap_or(s.len())];
            for item in group.split(',') {
                let mut p = path.clone();
                p.extend(
                    item.trim()
                        .split("::")
                        .filter(|x| !x.is_empty() && *x != "self" && *x != "*")
                        .map(|x| x.split_whitespace().next().unwrap_or("").to_string()),
                );
                out.push(p);
            }
        } else {
            out.push(path);
        }
    }
    out
}

/// Edges between files: `crate::`/`super::` paths, and a parent's paths into its own
/// child modules.
fn edges(mods: &BTreeMap<Vec<String>, (String, String)>) -> BTreeSet<(Vec<String>, Vec<String>)> {
    let resolve = |parts: &[String]| -> Option<Vec<String>> {
        (0..=parts.len())
            .rev()
            .map(|k| parts[..k].to_vec())
            .find(|p| mods.contains_key(p))
    };
    let mut out = BTreeSet::new();
    for (m, (_, code)) in mods {
        let parent: Vec<String> = m[..m.len().saturating_sub(1)].to_vec();
        let mut targets = Vec::new();
        for p in paths_after(code, "crate") {
            targets.push(p);
        }
        for p in paths_after(code, "super") {
            let mut base = parent.clone();
            let mut p = p.as_slice();
            while let Some(rest) = p.strip_prefix(&["super".to_string()]) {
                base.pop();
                p = rest;
            }
            base.extend(p.iter().cloned());
            targets.push(base);
        }
        for line in code.lines() {
            let l = line
                .trim_start()
                .trim_start_matches("pub ")
                .trim_start_matches("pub(crate) ");
            if let Some(child) = l.strip_prefix("mod ").and_then(|c| c.strip_suffix(';')) {
                let mut c = m.clone();
                c.push(child.to_string());
                if code.contains(&format!("{child}::")) {
                    targets.push(c);
                }
            }
        }
        for t in targets {
            if let Some(t) = resolve(&t)
                && &t != m
                && !t.is_empty()
            {
                out.insert((m.clone(), t));
            }
        }
    }
    out
}

#[test]
fn no_two_files_reach_each_other() {
    let mods = modules();
    let edges = edges(&mods);
    assert!(edges.len() > 50, "the graph is read: {} edges", edges.len());
    let mut reach: BTreeMap<&Vec<String>, BTreeSet<&Vec<String>>> = BTreeMap::new();
    for (a, b) in &edges {
        reach.entry(a).or_default().insert(b);
    }
    loop {
        let mut grew = false;
        let keys: Vec<&Vec<String>> = reach.keys().copied().collect();
        for a in keys {
            let via: BTreeSet<&Vec<String>> = reach[a]
                .iter()
                .flat_map(|b| reach.get(b).cloned().unwrap_or_default())
                .collect();
            let set = reach.get_mut(a).unwrap();
            let before = set.len();
            set.extend(via);
            grew |= set.len() > before;
        }
        if !grew {
            break;
        }
    }
    let name = |m: &Vec<String>| mods[m].0.clone();
    let cycles: BTreeSet<(String, String)> = reach
        .iter()
        .flat_map(|(a, bs)| bs.iter().map(move |b| (*a, *b)))
        .filter(|(a, b)| a != b && reach.get(b).is_some_and(|s| s.contains(a)))
        .map(|(a, b)| {
            let (x, y) = (name(a), name(b));
            if x < y { (x, y) } else { (y, x) }
        })
        .collect();
    assert!(cycles.is_empty(), "files that reach each other: {cycles:?}");
}

#[test]
fn the_reader_finds_a_cycle_when_there_is_one() {
    let mut mods = BTreeMap::new();
    let m = |s: &str| s.split('/').map(str::to_string).collect::<Vec<_>>();
    mods.insert(m("a"), ("a.rs".into(), "use crate::b::X;".to_string()));
    mods.insert(m("b"), ("b.rs".into(), "use crate::{c, a::Y};".to_string()));
    mods.insert(m("c"), ("c/mod.rs".into(), "mod d;\nuse d::Z;".to_string()));
    mods.insert(m("c/d"), ("c/d.rs".into(), "use super::*;".to_string()));
    let e = edges(&mods);
    for (x, y) in [
        ("a", "b"),
        ("b", "a"),
        ("b", "c"),
        ("c", "c/d"),
        ("c/d", "c"),
    ] {
        assert!(e.contains(&(m(x), m(y))), "{x} -> {y} in {e:?}");
    }
}

#[test]
fn each_library_stays_in_its_room() {
    let mods = modules();
    let rooms: [(&str, &[&str]); 4] = [
        ("calamine::", &["read/"]),
        ("rust_xlsxwriter::", &["write/"]),
        ("polars::", &["consolidate/mod.rs", "export/parquet.rs"]),
        ("clap::", &["cli.rs", "main.rs"]),
    ];
    for (lib, allowed) in rooms {
        for (file, code) in mods.values() {
            if code.contains(lib) {
                assert!(
                    allowed.iter().any(|a| file.starts_with(a)),
                    "{file} uses {lib} (only {allowed:?} may)"
                );
            }
        }
    }
}

#[test]
fn no_room_holds_more_than_a_tenth_of_the_code() {
    let mods = modules();
    let lines = |f: &str| {
        std::fs::read_to_string(root().join("src").join(f))
            .unwrap()
            .lines()
            .count()
    };
    let total: usize = mods.values().map(|(f, _)| lines(f)).sum();
    for (f, _) in mods.values() {
        assert!(
            lines(f) * 10 <= total,
            "src/{f}: {} of {total} lines",
            lines(f)
        );
    }
}

#[test]
fn nothing_points_outside_the_repository_for_its_design() {
    for dir in ["src", "tests/it", "examples", "docs"] {
        for e in std::fs::read_dir(root().join(dir)).unwrap().flatten() {
            let p = e.path();
            if p.is_file() {
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                assert!(
                    !text.contains(&["DESIGN", ".md"].concat()),
                    "{} cites a design file that is not in the repository",
                    p.display()
                );
            }
        }
    }
    assert!(Path::new(&root().join("docs/architecture.md")).exists());
}

/// docs/architecture.md names every module of `src/`: a top-level one in the modules table
/// (`` `app` ``, `` `validate/` ``), a folder's child in its folder's row (`` `batch` ``).
#[test]
fn the_architecture_names_every_module() {
    let doc = std::fs::read_to_string(root().join("docs/architecture.md")).unwrap();
    let mut missing = Vec::new();
    for m in modules().keys() {
        let Some(last) = m.last() else { continue };
        if m.len() == 1 && m[0] == "lib" {
            continue;
        }
        let named = [
            format!("`{last}`"),
            format!("`{last}/`"),
            format!("`{last}.rs`"),
        ]
        .iter()
        .any(|n| doc.contains(n.as_str()));
        if !named {
            missing.push(m.join("/"));
        }
    }
    assert!(
        missing.is_empty(),
        "docs/architecture.md does not name: {missing:?}"
    );
}

/// The outputs receive the consolidation's result and compute nothing: under `write/` and
/// `export/` the only names taken from `consolidate` are its types (`Consolidated`,
/// `InvestLine` …), never a function of it.
#[test]
fn writers_take_types_from_consolidation_never_its_functions() {
    let mut calls = Vec::new();
    for (file, code) in modules().values() {
        if !(file.starts_with("write/") || file.starts_with("export/")) {
            continue;
        }
        for p in paths_after(code, "crate") {
            if p.first().map(String::as_str) != Some("consolidate") {
                continue;
            }
            let item = p.last().map(String::as_str).unwrap_or("");
            if p.len() < 2 || !item.starts_with(|c: char| c.is_ascii_uppercase()) {
                calls.push(format!("{file}: crate::{}", p.join("::")));
            }
        }
    }
    assert!(calls.is_empty(), "writers that consolidate: {calls:?}");
}
