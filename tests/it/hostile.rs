//! Hostile and broken files beside the samples: each gets a finding naming it, nothing
//! crashes, hangs or eats the machine, and the summary's figures stay those of the samples.

use std::path::Path;

use crate::util::*;

const SUMMARY: &str = "output/2020年6月重点任务进展汇总.xlsx";

/// An xlsx whose shared strings inflate to `mb` MB more of the same byte.
fn zip_bomb(mb: usize) -> Vec<u8> {
    let base = std::fs::read(root().join("samples/2020年6月/长春市交通运输局_2020年6月_月报.xlsx"))
        .unwrap();
    edit_part(&base, "xl/sharedStrings.xml", |xml| {
        let mut x = vec![b' '; mb << 20];
        x.extend_from_slice(xml);
        x
    })
}

/// A 2 KB xlsx whose two cells sit at A1 and XFD1048576.
fn grid_bomb(path: &Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "任务编号").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    wb.save(path).unwrap();
}

/// What an encrypted OOXML file looks like: an OLE2 container with an EncryptedPackage.
fn encrypted() -> Vec<u8> {
    let mut b = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    b.resize(1024, 0);
    b.extend(
        "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    b.resize(4096, 0);
    b
}

fn figures(path: &Path) -> Vec<(String, Vec<Option<f64>>)> {
    let mut out = Vec::new();
    for (name, cols) in [
        ("任务进展", vec![5, 6, 7, 8, 9]),
        ("固定资产投资", (5..14).collect::<Vec<u32>>()),
    ] {
        let s = sheet(path, name);
        let (h, _) = s.end().unwrap();
        for r in 3..=h {
            let key = format!(
                "{name}|{}|{}|{}",
                text_at(&s, r, 0),
                text_at(&s, r, 1),
                text_at(&s, r, 3)
            );
            out.push((key, cols.iter().map(|c| num_at(&s, r, *c)).collect()));
        }
    }
    out
}

#[test]
fn hostile_files_beside_the_samples_are_named_and_change_nothing() {
    let clean = samples_copy();
    assert_eq!(
        huizong(clean.path(), &["run", "samples", "--quiet"])
            .status
            .code(),
        Some(0)
    );

    let t = samples_copy();
    let d = t.path().join("samples/收件箱");
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("压缩炸弹.xlsx"), zip_bomb(40)).unwrap();
    grid_bomb(&d.join("网格炸弹.xlsx"));
    std::fs::write(d.join("加密.xlsx"), encrypted()).unwrap();
    let sample =
        std::fs::read(root().join("samples/2020年6月/长春市交通运输局_2020年6月_月报.xlsx"))
            .unwrap();
    std::fs::write(d.join("截断.xlsx"), &sample[..sample.len() / 2]).unwrap();
    std::fs::write(d.join("空文件.xlsx"), b"").unwrap();
    std::fs::write(d.join("说明.xlsx"), "这不是表格，是一段文字。".as_bytes()).unwrap();
    std::fs::write(d.join("扫描件.xlsx"), b"%PDF-1.4\n%...").unwrap();
    std::fs::write(
        d.join("网页导出.xls"),
        b"<html><body><table><tr><td>1</td></tr></table></body></html>",
    )
    .unwrap();
    let entity = zip_of(&[(
        "xl/workbook.xml",
        b"<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY b \"c\">]><a>&b;</a>",
    )]);
    std::fs::write(d.join("实体.xlsx"), entity).unwrap();
    std::fs::write(d.join("~$长春.xlsx"), b"lock file").unwrap();
    // An xlsx saved with the wrong extension is read by its bytes.
    let may = t.path().join("samples/2020年5月");
    std::fs::rename(
        may.join("辽源市交通运输局_2020年5月_月报.xlsx"),
        may.join("辽源市交通运输局_2020年5月_月报.xls"),
    )
    .unwrap();
    // A link back up the tree must not make discovery loop.
    #[cfg(unix)]
    std::os::unix::fs::symlink(t.path().join("samples"), d.join("循环链接")).unwrap();

    let start = std::time::Instant::now();
    let o = huizong(t.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(start.elapsed().as_secs() < 120, "ends by itself");
    assert_eq!(
        huizong(
            t.path(),
            &["run", "samples", "--quiet", "--strict", "--out", "o2"]
        )
        .status
        .code(),
        Some(1)
    );
    assert_eq!(
        figures(&t.path().join(SUMMARY)),
        figures(&clean.path().join(SUMMARY)),
        "figures as without the bad files"
    );

    let (_, f) = findings(t.path(), &["samples"]);
    // The files name no unit: each is nobody's, one warning saying why it cannot be read,
    // never an error nor a request to resend.
    let expect = [
        ("压缩炸弹.xlsx", "W-FILE-NOBODY", "压缩"),
        ("网格炸弹.xlsx", "W-FILE-NOBODY", "单元格"),
        ("加密.xlsx", "W-FILE-NOBODY", "密码"),
        ("截断.xlsx", "W-FILE-NOBODY", "不完整"),
        ("空文件.xlsx", "W-FILE-NOBODY", "空"),
        ("说明.xlsx", "W-FILE-NOBODY", "不是"),
        ("扫描件.xlsx", "W-FILE-NOBODY", "PDF"),
        ("网页导出.xls", "W-FILE-NOBODY", "网页"),
        ("实体.xlsx", "W-FILE-NOBODY", "实体"),
    ];
    for (file, code, word) in expect {
        let hit = f
            .iter()
            .find(|x| x["file"].as_str().is_some_and(|p| p.ends_with(file)) && x["code"] == code);
        let hit = hit.unwrap_or_else(|| panic!("{code} for {file} in {f:#?}"));
        let m = hit["message"].as_str().unwrap();
        // Nor the condition that led into such a request (`如果…，请…`).
        assert!(
            m.contains(word) && !m.contains("请") && !m.contains("如果"),
            "{hit}"
        );
        // A sheet too large to read is named, as for a unit's own file.
        if file == "网格炸弹.xlsx" {
            assert!(
                hit["sheet"].as_str().is_some_and(|s| !s.is_empty()),
                "{hit}"
            );
        }
    }
    assert!(
        !f.iter()
            .any(|x| x["file"].as_str().is_some_and(|p| p.contains("~$"))),
        "lock files skipped"
    );
    assert!(
        !f.iter()
            .any(|x| x["file"].as_str().is_some_and(|p| p.contains("循环链接"))),
        "the loop is walked once"
    );
}

#[test]
fn unwritable_output_exits_2_and_keeps_the_old_summary() {
    let t = samples_copy();
    assert_eq!(
        huizong(t.path(), &["run", "samples", "--quiet"])
            .status
            .code(),
        Some(0)
    );
    let before = std::fs::read(t.path().join(SUMMARY)).unwrap();
    std::fs::write(t.path().join("不是文件夹"), b"x").unwrap();
    let o = huizong(t.path(), &["run", "samples", "--out", "不是文件夹/汇总"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("无法写入"), "{}", stderr(&o));
    // A run that fails half way leaves no temporary file and the old summary as it was.
    assert_eq!(std::fs::read(t.path().join(SUMMARY)).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(t.path().join("output"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .collect();
    assert!(leftovers.is_empty());
}

/// A small deterministic generator (xorshift).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One mutation of `base`: bits flipped, the file cut short, or one of its zip `parts`
/// edited (deleted, doubled, digits raised, references pushed out, a cell inserted, quotes
/// changed). `parts` empty: flips and cuts only.
fn mutate(rng: &mut Rng, base: &[u8], parts: &[&str], k: usize) -> Vec<u8> {
    match k % 3 {
        0 => {
            let mut b = base.to_vec();
            for _ in 0..1 + rng.below(8) {
                let i = rng.below(b.len());
                b[i] ^= 1 << rng.below(8);
            }
            b
        }
        1 => base[..rng.below(base.len())].to_vec(),
        _ if parts.is_empty() => {
            // Several flips in one region: a record or a sector damaged through.
            let mut b = base.to_vec();
            let at = rng.below(b.len());
            for _ in 0..16 {
                let i = (at + rng.below(64)).min(b.len() - 1);
                b[i] = rng.next() as u8;
            }
            b
        }
        _ => {
            let part = parts[rng.below(parts.len())];
            let (a, b2, c) = (rng.next(), rng.next(), rng.below(6));
            edit_part(base, part, |xml| {
                let mut x = xml.to_vec();
                let i = (a as usize) % x.len().max(1);
                let j = (i + (b2 as usize) % 200).min(x.len());
                match c {
                    0 => {
                        x.drain(i..j);
                    }
                    1 => {
                        let dup = x[i..j].to_vec();
                        x.splice(i..i, dup);
                    }
                    2 => {
                        for v in &mut x[i..j] {
                            if v.is_ascii_digit() {
                                *v = b'9';
                            }
                        }
                    }
                    3 => {
                        let s = String::from_utf8_lossy(&x).replacen(
                            "r=\"",
                            "r=\"XFD",
                            1 + (a % 5) as usize,
                        );
                        x = s.into_bytes();
                    }
                    4 => x
                        .splice(i..i, b"<c r=\"B2\" t=\"s\"><v>99999</v></c>".to_vec())
                        .for_each(drop),
                    _ => {
                        for v in &mut x[i..j] {
                            if *v == b'"' {
                                *v = b'\'';
                            }
                        }
                    }
                }
                x
            })
        }
    }
}

/// Reads and interprets `n` mutations of `bases` (each with its extension) as a worker does;
/// returns the variants that panicked and how many still read.
fn mutations(
    bases: &[(Vec<u8>, &str)],
    parts: &[&str],
    n: usize,
    seed: u64,
) -> (Vec<usize>, usize) {
    let config = huizong::config::Config::embedded();
    let mut rng = Rng(seed);
    let mut panics = Vec::new();
    let mut readable = 0;
    for k in 0..n {
        let (base, ext) = &bases[k % bases.len()];
        let bytes = mutate(&mut rng, base, parts, k);
        let result = std::panic::catch_unwind(|| {
            let mut wb =
                huizong::model::RawWorkbook::new(format!("m.{ext}").into(), format!("m{k}.{ext}"));
            huizong::read::read_bytes(&bytes, &mut wb, &config);
            let ok = !wb.unreadable;
            let _ = huizong::interpret::returns::interpret(wb, &config);
            ok
        });
        match result {
            Ok(true) => readable += 1,
            Ok(false) => {}
            Err(_) => panics.push(k),
        }
    }
    (panics, readable)
}

#[test]
fn thousands_of_mutated_returns_end_as_data_or_findings_never_a_panic() {
    let bases: Vec<(Vec<u8>, &str)> = [
        "samples/2020年6月/省高速公路集团_2020年6月_月报.xlsx",
        "samples/2020年6月/通化市交通运输局_2020年6月_月报.xlsx",
        "samples/任务清单.xlsx",
    ]
    .iter()
    .map(|p| (std::fs::read(root().join(p)).unwrap(), "xlsx"))
    .collect();
    let parts = [
        "xl/worksheets/sheet2.xml",
        "xl/worksheets/sheet3.xml",
        "xl/sharedStrings.xml",
        "xl/workbook.xml",
        "xl/worksheets/sheet1.xml",
        "xl/styles.xml",
    ];
    let (panics, readable) = mutations(&bases, &parts, 2100, 0x9E37_79B9_7F4A_7C15);
    assert!(panics.is_empty(), "variants that panicked: {panics:?}");
    // The mutations reach both outcomes: some still read, many are refused.
    assert!(readable > 200, "some variants still read: {readable}");
    assert!(
        readable < 1900,
        "most mutations break the file: {readable} of 2100 read"
    );
}

#[test]
fn mutated_xls_and_ods_returns_end_as_data_or_findings_never_a_panic() {
    // A unit's return saved as .xls (BIFF8, by LibreOffice), an RC4-encrypted and a 40-bit
    // CryptoAPI .xls from the public suites, and a return saved as .ods.
    let xls: Vec<(Vec<u8>, &str)> = [
        "tests/fixtures/西县交通运输局_2020年6月_月报.xls",
        "tests/fixtures/public/Test_git_issue_242_std_rc4_pwd_password.xls",
        "tests/fixtures/public/Test_git_issue_477_crypto_keylength40.xls",
    ]
    .iter()
    .map(|p| (std::fs::read(root().join(p)).unwrap(), "xls"))
    .collect();
    let (panics, readable) = mutations(&xls, &[], 1200, 0xD1B5_4A32_D192_ED03);
    assert!(panics.is_empty(), ".xls variants that panicked: {panics:?}");
    assert!(
        readable > 100 && readable < 1150,
        "both outcomes: {readable} of 1200 .xls variants read"
    );
    let ods = vec![(
        std::fs::read(root().join("tests/fixtures/东县交通运输局_2020年6月_月报.ods")).unwrap(),
        "ods",
    )];
    let (panics, readable) = mutations(
        &ods,
        &["content.xml", "styles.xml"],
        900,
        0x94D0_49BB_1331_11EB,
    );
    assert!(panics.is_empty(), ".ods variants that panicked: {panics:?}");
    assert!(
        readable > 100 && readable < 850,
        "both outcomes: {readable} of 900 .ods variants read"
    );
}

/// The harshest parent a worker can have: it sends every request (long paths, far more than
/// a pipe holds) before it takes a single answer. The worker takes its requests off the pipe
/// as they come, so neither waits for the other; a worker that read a request only after
/// writing the last answer would wait for room in its full answer pipe while the parent
/// waited for room in the request pipe, for ever.
#[test]
fn a_worker_takes_its_requests_while_its_answers_wait() {
    use std::io::{BufRead, Read, Write};
    let t = tempfile::tempdir().unwrap();
    // Nine folders of 75 characters (225 bytes each): a request of about 4 KB, path and name.
    let mut dir = t.path().to_path_buf();
    for _ in 0..9 {
        dir.push("长春市交通运输局二〇二〇年六月重点任务进展情况月报".repeat(3));
    }
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("长春市交通运输局_2020年6月_月报.xlsx");
    std::fs::copy(
        root().join("samples/2020年6月/长春市交通运输局_2020年6月_月报.xlsx"),
        &file,
    )
    .unwrap();
    let rel = file
        .strip_prefix(t.path())
        .unwrap()
        .to_string_lossy()
        .to_string();
    let request = serde_json::json!({ "path": file, "rel": rel }).to_string() + "\n";
    assert!(request.len() > 3_500, "{}", request.len());
    const N: usize = 100;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_huizong"))
        .args(["__worker", "400", "{}"])
        .env("HUIZONG_READER_MEMORY_MB", "400")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut to = child.stdin.take().unwrap();
    let (done, written) = std::sync::mpsc::channel();
    let writer = std::thread::spawn(move || {
        for _ in 0..N {
            to.write_all(request.as_bytes()).unwrap();
        }
        to.flush().unwrap();
        done.send(()).unwrap();
        to
    });
    // About 400 KB of requests, every one sent before any answer is read. A writer that
    // failed (the worker gone) says why when joined.
    if let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
        written.recv_timeout(std::time::Duration::from_secs(120))
    {
        let _ = child.kill();
        panic!("the worker stopped taking requests while its answers waited");
    }
    let to = writer.join().unwrap();
    drop(to);
    let mut from = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    from.read_line(&mut first).unwrap();
    assert_eq!(first.trim_end(), "ready");
    let mut sizes = Vec::new();
    for _ in 0..N {
        let mut len = [0u8; 8];
        from.read_exact(&mut len).unwrap();
        let mut body = vec![0; u64::from_le_bytes(len) as usize];
        from.read_exact(&mut body).unwrap();
        sizes.push(body.len());
    }
    // Each answer is the return read whole, and nothing follows the last.
    assert!(
        sizes.iter().all(|&s| s == sizes[0] && s > 2_000),
        "{sizes:?}"
    );
    assert_eq!(from.read(&mut [0u8; 1]).unwrap(), 0);
    child.wait().unwrap();
}
