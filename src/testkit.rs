//! Builders of typed rows, tasks and returns for the unit tests (no files), and of zips.

use chrono::NaiveDate;

use crate::model::{
    Cell, CellRef, InvestRow, NumField, Period, ProgressRow, Raw, ReturnFile, RowKey, Task,
    TextField,
};

pub fn task(id: &str, units: &[&str], target: Option<f64>, plan: Option<f64>) -> Task {
    Task {
        id: id.into(),
        seq: String::new(),
        category: "农村公路".into(),
        name: format!("任务{id}"),
        content: String::new(),
        measure: target.map(|_| "公里".into()),
        target,
        plan_investment: plan,
        units: units.iter().map(|u| u.to_string()).collect(),
        partners: vec![],
        deadline_text: "年底前".into(),
        deadline_month: 12,
        milestones: Vec::new(),
        shares: Vec::new(),
        row: 2,
    }
}

/// The key of a template's row: its id typed.
pub fn typed_key() -> RowKey {
    RowKey {
        typed_id: true,
        ..RowKey::default()
    }
}

pub fn num(v: Option<f64>, row: u32, col: u32) -> NumField {
    NumField {
        raw: v.map_or(Raw::Empty, Raw::Number),
        value: v,
        at: CellRef::new("重点任务进展", row, col),
    }
}

pub fn text(row: u32, col: u32) -> TextField {
    TextField {
        value: String::new(),
        at: CellRef::new("重点任务进展", row, col),
    }
}

pub fn prow(id: &str, row: u32, month: Option<f64>, ytd: Option<f64>) -> ProgressRow {
    ProgressRow {
        task_id: Cell {
            value: id.into(),
            at: CellRef::new("重点任务进展", row, 0),
        },
        task_name: String::new(),
        key: typed_key(),
        month: num(month, row, 4),
        ytd: num(ytd, row, 5),
        prev_ytd: None,
        status: text(row, 6),
        progress: text(row, 7),
        problems: text(row, 8),
        next_steps: text(row, 9),
    }
}

pub fn ret(unit: &str, p: Period, rel: &str, day: u32, rows: Vec<ProgressRow>) -> ReturnFile {
    let mut r = ReturnFile::empty(rel.into(), rel.into());
    r.unit = Some(unit.into());
    r.period = Some(p);
    r.fill_date = Some(Cell {
        value: NaiveDate::from_ymd_opt(p.year, p.month, day).unwrap(),
        at: CellRef::new("重点任务进展", 2, 7),
    });
    r.progress = Some(rows);
    r
}

pub fn irow(id: &str, row: u32, month: Option<f64>, ytd: Option<f64>) -> InvestRow {
    let at = CellRef::new("固定资产投资", row, 0);
    InvestRow {
        project_id: Cell {
            value: id.into(),
            at: at.clone(),
        },
        project_name: format!("项目{id}"),
        key: typed_key(),
        nature: TextField {
            value: "续建".into(),
            at: at.clone(),
        },
        plan: num(Some(100.0), row, 3),
        month: num(month, row, 4),
        ytd: num(ytd, row, 5),
        funds: std::array::from_fn(|i| num(None, row, 6 + i as u32)),
        funds_reported: false,
        image_progress: TextField {
            value: "路基完成".into(),
            at: at.clone(),
        },
        remark: TextField {
            value: String::new(),
            at,
        },
    }
}

/// A zip of `parts` (name, bytes), each deflated, as the unit tests of packages build them.
pub fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        w.start_file(*name, o).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A sheet made large enough on disk to be pre-read by the zip check: an XML comment of
/// pseudo-random hex digits, which deflate cannot shrink below half, before `</worksheet>`.
pub fn padded(sheet: &[u8]) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut out = sheet.to_vec();
    let at = out.len() - b"</worksheet>".len();
    let mut pad = b"<!--".to_vec();
    for _ in 0..80_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        pad.push(b"0123456789abcdef"[(x & 15) as usize]);
    }
    pad.extend_from_slice(b"-->");
    out.splice(at..at, pad);
    out
}

/// An .xlsx of one sheet, `Sheet1`, whose part is `sheet` as given.
pub fn xlsx_of_sheet(sheet: &[u8]) -> Vec<u8> {
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    const PKG: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
    let types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#;
    let rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
    );
    let workbook = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    );
    let workbook_rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
    );
    zip_of(&[
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", rels.as_bytes()),
        ("xl/workbook.xml", workbook.as_bytes()),
        ("xl/_rels/workbook.xml.rels", workbook_rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet),
    ])
}
