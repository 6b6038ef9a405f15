//! Files from public spreadsheet test suites (`tests/fixtures/public`, sources and licences
//! in its README) beside the samples: none stops the batch, none vanishes, each gets a
//! finding a clerk can act on, and the samples' figures stay what they were.

use std::path::Path;

use crate::util::*;

fn public(name: &str) -> std::path::PathBuf {
    root().join("tests/fixtures/public").join(name)
}

/// The summary's figures of 任务进展 and 固定资产投资, row by row.
fn figures(summary: &Path) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for name in ["任务进展", "固定资产投资"] {
        let r = sheet(summary, name);
        let (h, w) = r.end().unwrap();
        for row in 3..=h {
            out.push((0..=w).map(|c| text_at(&r, row, c)).collect());
        }
    }
    out
}

/// The samples' figures on the summary as a run with the default configuration shows them.
fn samples_figures() -> Vec<Vec<String>> {
    let alone = samples_copy();
    let o = huizong(alone.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    figures(&alone.path().join("output/2020年6月重点任务进展汇总.xlsx"))
}

/// A copy of the samples whose configuration caps each reading process at `mb`.
pub(crate) fn samples_capped_at(mb: u64) -> tempfile::TempDir {
    let t = samples_copy();
    let toml = std::fs::read_to_string(root().join("templates/default.toml"))
        .unwrap()
        .replace(
            "worker_memory_mb = 400",
            &format!("worker_memory_mb = {mb}"),
        );
    std::fs::write(t.path().join("samples/huizong.toml"), toml).unwrap();
    t
}

fn finding<'a>(f: &'a [serde_json::Value], file: &str) -> &'a serde_json::Value {
    f.iter()
        .find(|x| x["file"].as_str().is_some_and(|p| p.ends_with(file)))
        .unwrap_or_else(|| panic!("no finding names {file}: {f:#?}"))
}

#[test]
fn a_file_that_exhausts_memory_costs_only_itself() {
    // Before: ExcelDataReader's 25 KB looping compound file made calamine allocate until
    // the process aborted, and nothing at all came out of the run.
    let alone = samples_copy();
    let o = huizong(alone.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let want = figures(&alone.path().join("output/2020年6月重点任务进展汇总.xlsx"));

    let t = samples_copy();
    let hostile = t.path().join("samples/外来文件");
    std::fs::create_dir_all(&hostile).unwrap();
    for f in [
        "Test_git_issue_382_oom.xls",
        "Test_Issue_12556_corrupt.xls",
        "Test_git_issue_467_empty_continue_leftoverbytes.xls",
    ] {
        std::fs::copy(public(f), hostile.join(f)).unwrap();
    }
    let o = huizong(t.path(), &["run", "samples"]);
    let console = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{console}");
    assert!(
        !console.contains("panicked") && !console.contains("thread '"),
        "no panic text on the console: {console}"
    );
    let summary = t.path().join("output/2020年6月重点任务进展汇总.xlsx");
    assert_eq!(figures(&summary), want, "every other figure unchanged");
    let (_, f) = findings(t.path(), &["samples"]);
    for name in [
        "Test_git_issue_382_oom.xls",
        "Test_Issue_12556_corrupt.xls",
        "Test_git_issue_467_empty_continue_leftoverbytes.xls",
    ] {
        let x = finding(&f, name);
        // It names no unit: nobody's file, one warning.
        assert_eq!(x["code"], "W-FILE-NOBODY", "{x}");
        assert!(
            !x["message"].as_str().unwrap().is_ascii(),
            "a Chinese message: {x}"
        );
    }
}

#[test]
#[cfg(target_os = "linux")]
fn a_reading_process_at_its_memory_cap_costs_that_file_and_is_replaced() {
    // A cap no reader fits in: every file ends its worker, each gets E-FILE-LIMIT, the
    // workers are replaced file after file, and the run still ends with its message.
    let t = samples_capped_at(16);
    let (code, f) = findings(t.path(), &["samples"]);
    assert_eq!(code, 2, "no task list could be read");
    assert!(f.is_empty());
    let o = huizong(t.path(), &["check", "samples"]);
    assert!(stderr(&o).contains("没有找到任务清单"), "{}", stderr(&o));
}

/// A workbook whose one sheet holds `rows` × 10 numbers: within every limit of the reader,
/// but large in memory once read.
fn big_workbook(rows: u32) -> Vec<u8> {
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for r in 1..=rows {
        sheet.push_str(&format!("<row r=\"{r}\">"));
        for c in ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"] {
            sheet.push_str(&format!("<c r=\"{c}{r}\"><v>{r}</v></c>"));
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    zip_of(&[
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ])
}

#[test]
#[cfg(target_os = "linux")]
fn a_worker_killed_at_its_cap_mid_file_costs_that_file_only() {
    let want = samples_figures();
    let t = samples_capped_at(200);
    let d = t.path().join("samples");
    std::fs::write(d.join("大表.xlsx"), big_workbook(150_000)).unwrap();
    let o = huizong(t.path(), &["run", "samples"]);
    let console = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{console}");
    assert!(
        console.contains("huizong.log"),
        "the log is named: {console}"
    );
    let summary = t.path().join("output/2020年6月重点任务进展汇总.xlsx");
    assert_eq!(figures(&summary), want, "every other figure unchanged");
    let log = std::fs::read_to_string(t.path().join("output/huizong.log")).unwrap();
    assert!(log.contains("大表.xlsx"), "{log}");
    let (_, f) = findings(t.path(), &["samples"]);
    // It names no unit: nobody's file, one warning that still says why.
    let x = finding(&f, "大表.xlsx");
    assert_eq!(x["code"], "W-FILE-NOBODY", "{x}");
    assert!(x["message"].as_str().unwrap().contains("200 MB"), "{x}");
}

#[test]
fn a_worker_that_cannot_cap_its_memory_reads_nothing_and_the_files_are_read_all_the_same() {
    let want = samples_figures();
    // A hard address-space limit below the workers' cap, and no privilege to raise it:
    // a worker's setrlimit fails, as it may on a locked-down machine.
    let t = samples_capped_at(8000);
    // Root could raise it: setpriv (util-linux) drops that privilege first.
    let root_user = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    let mut c = std::process::Command::new(if root_user { "setpriv" } else { "sh" });
    if root_user {
        c.args(["--inh-caps=-all", "--bounding-set=-all", "--", "sh"]);
    }
    let o = c
        .arg("-c")
        .arg("ulimit -v 6000000 && exec \"$0\" run samples --quiet")
        .arg(env!("CARGO_BIN_EXE_huizong"))
        .current_dir(t.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let summary = t.path().join("output/2020年6月重点任务进展汇总.xlsx");
    assert_eq!(
        figures(&summary),
        want,
        "every figure, read in the main process"
    );
    let log = std::fs::read_to_string(t.path().join("output/huizong.log")).unwrap();
    assert!(
        log.contains("读取进程无法把内存限制在 8000 MB")
            && log.contains("在主进程中读取 2020年6月/"),
        "{log}"
    );
}

#[test]
fn passwords_are_named_in_every_format() {
    let t = samples_copy();
    let d = t.path().join("samples");
    let protected = [
        "Test_git_issue_242_std_rc4_pwd_password.xls",
        "Test_git_issue_477_crypto_keylength40.xls",
        "standard_AES128_SHA1_ECB_pwd_password.xlsx",
        "pass_protected.ods",
        "pass_protected.xlsb",
    ];
    for f in protected.iter().chain(["protectedsheet-xxx.xls"].iter()) {
        std::fs::copy(public(f), d.join(f)).unwrap();
    }
    let (_, f) = findings(t.path(), &["samples"]);
    for name in protected {
        let x = finding(&f, name);
        // Nobody's (the name names no unit): one warning that still says why.
        assert_eq!(x["code"], "W-FILE-NOBODY", "{x}");
        assert!(x["message"].as_str().unwrap().contains("密码"), "{x}");
    }
    // An .xls encrypted with Excel's default key (a protected structure), which Excel opens
    // without asking: read (it holds no return, so it is named as such), not refused.
    let x = finding(&f, "protectedsheet-xxx.xls");
    assert_eq!(x["code"], "I-NOT-A-RETURN", "{x}");
}

#[test]
fn every_spreadsheet_is_read_or_named_and_other_files_are_listed() {
    let t = samples_copy();
    let d = t.path().join("samples");
    // WPS's .et is the BIFF file it is; an .xlsb is read; a Word document and a zip renamed
    // .xlsx are named as what they are; a PDF, a picture and a note beside the returns are
    // listed as skipped.
    std::fs::copy(
        root().join("tests/fixtures/西县交通运输局_2020年6月_月报.xls"),
        d.join("西县_6月.et"),
    )
    .unwrap();
    std::fs::copy(public("issues.xlsb"), d.join("issues.xlsb")).unwrap();
    let docx = zip_of(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", b"<w:document/>"),
    ]);
    std::fs::write(d.join("长春_6月.xlsx"), &docx).unwrap();
    std::fs::write(d.join("资料.xls"), zip_of(&[("a.txt", b"hello")])).unwrap();
    std::fs::write(d.join("说明.pdf"), b"%PDF-1.4\n...").unwrap();
    std::fs::write(d.join("照片.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]).unwrap();
    std::fs::write(d.join("旧表.xls"), [0x09, 0x04, 0x06, 0, 0, 0, 0x10, 0]).unwrap();
    let mut msg_file = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    msg_file.resize(512, 0);
    msg_file.extend(
        "__substg1.0_0037001F"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    std::fs::write(d.join("邮件.xls"), msg_file).unwrap();
    let (_, f) = findings(t.path(), &["samples"]);
    // The .et was read: it holds a return of a unit not on the samples' roster, of tasks
    // not in their list: no return of this month, named once as what it is.
    let x = finding(&f, "西县_6月.et");
    assert_eq!(x["code"], "I-NOT-A-RETURN", "{x}");
    assert!(x["message"].as_str().unwrap().contains("西县"), "{x}");
    assert_eq!(finding(&f, "issues.xlsb")["code"], "I-NOT-A-RETURN");
    let named = |file: &str, what: &str| {
        let x = finding(&f, file);
        assert!(x["message"].as_str().unwrap().contains(what), "{x}");
        x["code"].as_str().unwrap().to_string()
    };
    // Named for a unit: that unit's unreadable return, an error asking it to resend.
    assert_eq!(named("长春_6月.xlsx", "Word 文档"), "E-FILE-UNREADABLE");
    // Nobody's: one warning saying what the file is.
    assert_eq!(named("资料.xls", "压缩包"), "W-FILE-NOBODY");
    assert_eq!(named("旧表.xls", "Excel 2.x–4.0"), "W-FILE-NOBODY");
    assert_eq!(named("邮件.xls", "Outlook 邮件"), "W-FILE-NOBODY");
    assert_eq!(named("说明.pdf", "PDF"), "I-FILE-SKIPPED");
    assert_eq!(named("照片.jpg", "图片"), "I-FILE-SKIPPED");
    assert_eq!(named("README.md", "文本"), "I-FILE-SKIPPED");
}

#[test]
fn csv_export_shows_a_units_formula_as_text() {
    let t = samples_copy();
    let file = t
        .path()
        .join("samples/2020年6月/长春市交通运输局_2020年6月_月报.xlsx");
    set_text(
        &file,
        "重点任务进展",
        "H6",
        "=HYPERLINK(\"http://x\",\"click\")",
    );
    let o = huizong(t.path(), &["run", "samples", "--quiet", "--export", "csv"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = std::fs::read_to_string(t.path().join("output/progress.csv")).unwrap();
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\""),
        "the formula is written as text: {}",
        csv.lines()
            .find(|l| l.contains("HYPERLINK"))
            .unwrap_or("(absent)")
    );
    assert!(!csv.contains(",=HYPERLINK"));
}

#[test]
fn excels_default_key_is_opened_as_excel_opens_it_and_a_password_is_named() {
    let alone = samples_copy();
    let o = huizong(alone.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let want = figures(&alone.path().join("output/2020年6月重点任务进展汇总.xlsx"));

    // 长春's June return, encrypted with Excel's default key (VelvetSweatshop) by
    // msoffcrypto-tool: the same figures as the plain file.
    let t = samples_copy();
    let june = t.path().join("samples/2020年6月");
    std::fs::remove_file(june.join("长春市交通运输局_2020年6月_月报.xlsx")).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/长春市交通运输局_2020年6月_月报（默认密钥加密）.xlsx"),
        june.join("长春市交通运输局_2020年6月_月报.xlsx"),
    )
    .unwrap();
    let o = huizong(t.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let summary = t.path().join("output/2020年6月重点任务进展汇总.xlsx");
    assert_eq!(figures(&summary), want);

    // Another password: named, not read.
    std::fs::copy(
        root().join("tests/fixtures/长春市交通运输局_2020年6月_月报（密码123456）.xlsx"),
        june.join("长春市交通运输局_2020年6月_月报.xlsx"),
    )
    .unwrap();
    let (_, f) = findings(t.path(), &["samples"]);
    let x = finding(&f, "长春市交通运输局_2020年6月_月报.xlsx");
    assert_eq!(x["code"], "E-FILE-UNREADABLE", "{x}");
    assert!(x["message"].as_str().unwrap().contains("密码"), "{x}");
}

#[test]
fn a_package_whose_parts_are_named_otherwise_is_read_as_excel_reads_it() {
    let want = samples_figures();
    let t = samples_copy();
    let d = t.path().join("samples");
    // Some Windows programs write a package's names with backslashes (`xl\\workbook.xml`);
    // Excel and calamine open such a file. A sample's return rewritten so is still that
    // unit's return, with the same figures.
    let ret = d.join("2020年6月/长春市交通运输局_2020年6月_月报.xlsx");
    let bytes = std::fs::read(&ret).unwrap();
    std::fs::write(&ret, rename_parts(&bytes, |n| n.replace('/', "\\"))).unwrap();
    // Another exporter writes them in lower case too (`[content_types].xml`,
    // `xl\\sharedstrings.xml`, as umya-spreadsheet's 49609.xlsx has them).
    let ret = d.join("2020年6月/四平市交通运输局_2020年6月_月报.xlsx");
    let bytes = std::fs::read(&ret).unwrap();
    let lower = |n: &str| n.replace('/', "\\").to_lowercase();
    std::fs::write(&ret, rename_parts(&bytes, lower)).unwrap();
    // calamine's issue_530.xlsx, an attendance table exported that way, and a workbook with
    // an Excel 4.0 macro sheet, which calamine refuses whole.
    for f in ["issue_530.xlsx", "BlankSheetTypes.xlsm"] {
        std::fs::copy(public(f), d.join(f)).unwrap();
    }
    let (_, f) = findings(t.path(), &["samples"]);
    assert!(
        !f.iter().any(|x| x["file"]
            .as_str()
            .is_some_and(|p| p.contains("长春市交通运输局_2020年6月_月报.xlsx")
                || p.contains("四平市交通运输局_2020年6月_月报.xlsx"))
            && (x["code"] == "E-FILE-UNREADABLE" || x["code"] == "W-FILE-NOBODY")),
        "the return is read: {f:#?}"
    );
    // Read, and named for what it is: a workbook that is no return, not "a zip".
    let x = finding(&f, "issue_530.xlsx");
    assert_eq!(x["code"], "I-NOT-A-RETURN", "{x}");
    // Refused with its cause, not called damaged.
    let x = finding(&f, "BlankSheetTypes.xlsm");
    assert_eq!(x["code"], "W-FILE-NOBODY", "{x}");
    let m = x["message"].as_str().unwrap();
    assert!(m.contains("宏表") && !m.contains("损坏"), "{x}");

    let o = huizong(t.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let summary = t.path().join("output/2020年6月重点任务进展汇总.xlsx");
    assert_eq!(figures(&summary), want, "the figures are the samples' own");
}

/// A compound file with these streams (paths; their storages are made), as the cfb crate
/// writes one.
fn compound_of(streams: &[&str]) -> Vec<u8> {
    use std::io::Write;
    let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
    for path in streams {
        if let Some((dir, _)) = path.rsplit_once('/') {
            file.create_storage_all(dir).unwrap();
        }
        file.create_stream(path).unwrap().write_all(b"x").unwrap();
    }
    file.flush().unwrap();
    file.into_inner().into_inner()
}

#[test]
fn compound_files_of_explorer_and_macros_are_not_called_damaged_workbooks() {
    let t = samples_copy();
    let d = t.path().join("samples");
    // Explorer's thumbnail cache, left in folders on network drives (hidden on Windows, not
    // once copied elsewhere), and a workbook's macros taken out of it.
    std::fs::write(d.join("Thumbs.db"), compound_of(&["Catalog", "1", "2"])).unwrap();
    std::fs::write(
        d.join("2020年6月/Thumbs.db"),
        compound_of(&["256_79dea834bece3f6b"]),
    )
    .unwrap();
    std::fs::write(
        d.join("vbaProject.bin"),
        compound_of(&["VBA/dir", "PROJECT", "PROJECTwm"]),
    )
    .unwrap();
    // Explorer's settings of a folder, in UTF-16 as it writes them.
    let ini: Vec<u8> = [0xFEFF_u16]
        .into_iter()
        .chain("[.ShellClassInfo]\r\nIconResource=C:\\x.ico,0\r\n".encode_utf16())
        .flat_map(|u| u.to_le_bytes())
        .collect();
    std::fs::write(d.join("2020年6月/desktop.ini"), ini).unwrap();
    // Another program's compound file (Visio's streams), named for a unit as its return.
    std::fs::write(
        d.join("2020年6月/辽源市交通运输局_2020年6月_月报.vsd"),
        compound_of(&["VisioDocument", "VisioInformation"]),
    )
    .unwrap();
    let (_, f) = findings(t.path(), &["samples"]);
    let x = finding(&f, "辽源市交通运输局_2020年6月_月报.vsd");
    assert_eq!(x["code"], "W-RETURN-NOT-WORKBOOK", "{x}");
    assert_eq!(x["unit"], "辽源市交通运输局", "{x}");
    assert!(
        x["message"].as_str().unwrap().contains("其他程序的文件"),
        "{x}"
    );
    assert!(
        !f.iter().any(|x| x["file"]
            .as_str()
            .is_some_and(|p| p.contains("Thumbs.db") || p.contains("desktop.ini"))),
        "skipped as hidden files are: {f:#?}"
    );
    let x = finding(&f, "vbaProject.bin");
    assert_eq!(x["code"], "I-FILE-SKIPPED", "{x}");
    assert!(x["message"].as_str().unwrap().contains("VBA 宏工程"), "{x}");
    assert!(
        !f.iter()
            .any(|x| x["message"].as_str().is_some_and(|m| m.contains("损坏"))),
        "nothing called damaged: {f:#?}"
    );
}

#[test]
fn a_return_sent_as_a_web_page_a_numbers_file_or_a_quattro_notebook_is_named_for_what_it_is() {
    // Before: the web page (UTF-16, as PhpSpreadsheet's test has it) was “a text file”, the
    // Quattro Pro notebook “may be damaged”, and the Numbers file “a zip” skipped as no
    // return at all: its unit was listed as not having reported.
    let t = samples_copy();
    let june = t.path().join("samples/2020年6月");
    for unit in ["四平市交通运输局", "松原市交通运输局"] {
        std::fs::remove_file(june.join(format!("{unit}_2020年6月_月报.xlsx"))).unwrap();
    }
    let sent = [
        (
            "charset.UTF-16.lebom.html",
            "四平市交通运输局_2020年6月_月报.xls",
            "网页（HTML）",
        ),
        (
            "minimal_112.numbers",
            "松原市交通运输局_2020年6月_月报.numbers",
            "苹果 Numbers 表格",
        ),
        (
            "crlfq9.qpw",
            "辽源市交通运输局_2020年6月_月报.qpw",
            "Quattro Pro 工作簿",
        ),
    ];
    for (file, name, _) in &sent {
        std::fs::copy(public(file), june.join(name)).unwrap();
    }
    let (_, f) = findings(t.path(), &["samples"]);
    for (_, name, what) in &sent {
        let x = finding(&f, name);
        assert_eq!(x["code"], "E-FILE-UNREADABLE", "{x}");
        let unit = name.split('_').next().unwrap();
        assert_eq!(x["unit"], unit, "{x}");
        let message = x["message"].as_str().unwrap();
        assert!(message.contains(what), "{x}");
        assert!(!message.contains("损坏"), "{x}");
        assert!(
            !f.iter()
                .any(|m| m["code"] == "W-MISSING-RETURN" && m["unit"] == unit),
            "{unit} sent a file: {f:#?}"
        );
    }
}

#[test]
fn a_workbook_in_utf16_or_listing_a_sheet_without_its_part_is_read_as_excel_reads_it() {
    let want = samples_figures();
    let t = samples_copy();
    let june = t.path().join("samples/2020年6月");
    // Excel on Windows Phone writes every part in UTF-16; calamine reads UTF-8 only.
    let ret = june.join("长春市交通运输局_2020年6月_月报.xlsx");
    let utf16 = rewrite_parts(&std::fs::read(&ret).unwrap(), |name, data| {
        if !(name.ends_with(".xml") || name.ends_with(".rels")) {
            return (name, data);
        }
        let text = String::from_utf8(data).unwrap().replacen(
            r#"encoding="UTF-8""#,
            r#"encoding="UTF-16""#,
            1,
        );
        let bytes = [0xFEFF_u16]
            .into_iter()
            .chain(text.encode_utf16())
            .flat_map(|u| u.to_le_bytes())
            .collect();
        (name, bytes)
    });
    std::fs::write(&ret, utf16).unwrap();
    // Excel 2010 lists an Excel 5 module sheet it kept no part for with an empty `r:id`;
    // calamine refuses the whole workbook for it.
    let ret = june.join("吉林市交通运输局_2020年6月_月报.xlsx");
    let listed = rewrite_parts(&std::fs::read(&ret).unwrap(), |name, data| {
        if name != "xl/workbook.xml" {
            return (name, data);
        }
        let text = String::from_utf8(data).unwrap().replacen(
            "</sheets>",
            r#"<sheet name="Module1" sheetId="99" state="veryHidden" r:id=""/></sheets>"#,
            1,
        );
        (name, text.into_bytes())
    });
    std::fs::write(&ret, listed).unwrap();
    // roo's file from Windows Phone, ClosedXML's sheets without relationships.
    for f in ["Pfand_from_windows_phone.xlsx", "SheetsWithoutRelId.xlsx"] {
        std::fs::copy(public(f), june.join(f)).unwrap();
    }
    let (_, f) = findings(t.path(), &["samples"]);
    for unit in ["长春市交通运输局", "吉林市交通运输局"] {
        assert!(
            !f.iter().any(|x| x["unit"] == unit
                && (x["code"] == "E-FILE-UNREADABLE" || x["code"] == "W-MISSING-RETURN")),
            "{unit}'s return is read: {f:#?}"
        );
    }
    for file in ["Pfand_from_windows_phone.xlsx", "SheetsWithoutRelId.xlsx"] {
        let x = finding(&f, file);
        assert_eq!(x["code"], "I-NOT-A-RETURN", "read, no return: {x}");
    }
    let o = huizong(t.path(), &["run", "samples", "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let summary = t.path().join("output/2020年6月重点任务进展汇总.xlsx");
    assert_eq!(figures(&summary), want, "the figures are the samples' own");
}
