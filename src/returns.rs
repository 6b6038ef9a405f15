//! Interprets a raw workbook as a monthly return: who sent it, for which month, and its
//! rows with every number parsed. Pure code; each problem is a finding at its cell.

use std::path::Path;

use crate::config::Config;
use crate::finding::{Code, Finding};
use crate::layout::{self, invest as ic, progress as pc};
use crate::messages as msg;
use crate::model::{
    Cell, CellRef, IdentitySource, InvestRow, NumField, Period, ProgressRow, Raw, RawTable,
    RawWorkbook, ReturnFile, TableKind, TextField,
};
use crate::normalize::{
    NumberRead, excel_serial_to_date, find_period_in, norm_unit, parse_date_text,
    parse_number_text, parse_period_text,
};

/// What a workbook turned out to be.
#[derive(Debug)]
pub enum Interpreted {
    /// A monthly return (possibly only a progress or only an investment table), or a file
    /// that should have been one and could not be read.
    Return(Box<ReturnFile>),
    /// It holds a task list and nothing else.
    TaskList,
    /// Something else, with the finding that says so.
    Other(Vec<Finding>),
}

/// Interprets one workbook.
pub fn interpret(wb: RawWorkbook, config: &Config) -> Interpreted {
    if wb.meta.iter().any(|(k, v)| k == "kind" && v == "summary") {
        return Interpreted::Other(vec![
            Finding::new(Code::FileSkipped, msg::summary_file_skipped()).file(wb.rel),
        ]);
    }
    let has_return_table = wb.tables.iter().any(|t| t.kind != TableKind::Tasks);
    if !wb.unreadable && !has_return_table {
        if wb.tables.iter().any(|t| t.kind == TableKind::Tasks) {
            return Interpreted::TaskList;
        }
        let mut f = wb.findings;
        f.push(Finding::new(Code::FileUnrecognised, msg::no_table()).file(wb.rel));
        return Interpreted::Other(f);
    }
    let mut ret = ReturnFile::empty(wb.path.clone(), wb.rel.clone());
    ret.modified = wb.modified;
    ret.findings = wb.findings.clone();
    resolve_identity(&wb, config, &mut ret);
    ret.first_filled = wb
        .meta
        .iter()
        .find(|(k, _)| k == layout::meta::FIRST_FILLED)
        .and_then(|(_, v)| chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").ok());
    ret.fingerprint = wb
        .meta
        .iter()
        .find(|(k, _)| k == layout::meta::FINGERPRINT)
        .map(|(_, v)| v.clone())
        .filter(|v| !v.is_empty());
    if let Some((raw, _)) = &wb.labels.reporter {
        ret.reporter = raw.display();
    }
    if let Some((raw, _)) = &wb.labels.phone {
        ret.phone = raw.display();
    }
    resolve_date(&wb, &mut ret);
    for table in &wb.tables {
        match table.kind {
            TableKind::Progress if ret.progress.is_none() => {
                ret.progress = Some(progress_rows(table, config, &mut ret.findings));
            }
            TableKind::Invest if ret.invest.is_none() => {
                ret.invest = Some(invest_rows(table, config, &mut ret.findings));
            }
            _ => {}
        }
    }
    for f in &mut ret.findings {
        if f.file.is_none() {
            f.file = Some(ret.rel.clone());
        }
        if f.unit.is_none() {
            f.unit = ret.unit.clone();
        }
        if f.period.is_none() {
            f.period = ret.period.map(Period::code);
        }
    }
    Interpreted::Return(Box::new(ret))
}

/// Unit and period from `_huizong`, else the label cells, else the file name; any
/// disagreement is W-IDENTITY.
fn resolve_identity(wb: &RawWorkbook, config: &Config, ret: &mut ReturnFile) {
    let meta = |key: &str| {
        wb.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    };
    let hidden_unit = meta(layout::meta::UNIT).map(|u| config.resolve_unit(&u));
    let hidden_period = meta(layout::meta::PERIOD).and_then(|p| parse_period_text(&p));

    let label_unit = wb
        .labels
        .unit
        .as_ref()
        .filter(|(r, _)| !r.is_empty())
        .map(|(r, at)| (config.resolve_unit(&r.display()), at.clone()));
    let label_period = match &wb.labels.period {
        Some((Raw::Date(d), at)) => {
            Period::new(chrono::Datelike::year(d), chrono::Datelike::month(d))
                .map(|p| (p, at.clone()))
        }
        Some((r @ Raw::Text(_), at)) | Some((r @ Raw::Number(_), at)) => {
            let text = r.display();
            match parse_period_text(&text) {
                Some(p) => Some((p, at.clone())),
                None => {
                    ret.findings.push(
                        Finding::new(Code::IdentityWarning, msg::period_unreadable(&text)).at(at),
                    );
                    None
                }
            }
        }
        _ => None,
    };

    let stem = Path::new(&wb.rel)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let file_period = find_period_in(&stem);
    let file_unit = unit_from_file_name(&stem, config);

    // The folder the file is in: the office's own filing (`2020年7月/…`).
    let folder_period = Path::new(&wb.rel)
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|p| find_period_in(&p.to_string_lossy()));

    // The template wrote the hidden sheet and the labels together; what a person sees and
    // types (the labels) beats a lone stale hidden sheet.
    let unit_candidates = [
        (
            label_unit.as_ref().map(|(u, _)| u.clone()),
            IdentitySource::Labels,
            label_unit.as_ref().map(|(_, at)| at.clone()),
        ),
        (hidden_unit, IdentitySource::Hidden, None),
        (file_unit, IdentitySource::FileName, None),
    ];
    let period_candidates = [
        (
            label_period.as_ref().map(|(p, _)| *p),
            IdentitySource::Labels,
            label_period.as_ref().map(|(_, at)| at.clone()),
        ),
        (hidden_period, IdentitySource::Hidden, None),
        (file_period, IdentitySource::FileName, None),
        (folder_period, IdentitySource::Folder, None),
    ];
    ret.unit = unit_candidates.iter().find_map(|(u, _, _)| u.clone());
    ret.period = period_candidates.iter().find_map(|(p, _, _)| *p);
    // A file name and a folder that agree are the office's filing: when the template's
    // content says another month (a unit reused last month's file), the return counts for
    // the filed month, disputed, and never replaces the other month's return.
    let inside = label_period.as_ref().map(|(p, _)| *p).or(hidden_period);
    let mut reused = false;
    if let (Some(inside), Some(f), Some(d)) = (inside, file_period, folder_period)
        && f == d
        && inside != f
    {
        ret.period = Some(f);
        let mut finding = Finding::new(
            Code::IdentityConflict,
            msg::identity_reused(&inside.label(), &f.label()),
        );
        if let Some((_, at)) = &label_period {
            finding = finding.at(at);
        }
        ret.findings.push(finding);
        reused = true;
    }
    if let Some(used) = &ret.unit {
        let label_at = label_unit.as_ref().map(|(_, at)| at);
        for (u, source, at) in &unit_candidates {
            if let Some(u) = u
                && norm_unit(u) != norm_unit(used)
            {
                let mut f = Finding::new(
                    Code::IdentityWarning,
                    msg::identity_unit_conflict(used, u, source.unit_label()),
                );
                if let Some(at) = at.as_ref().or(label_at) {
                    f = f.at(at);
                }
                ret.findings.push(f);
            }
        }
    } else if !wb.unreadable {
        ret.findings
            .push(Finding::new(Code::Identity, msg::identity_unknown_unit()));
    }
    if reused {
        // Said once, by E-IDENTITY-CONFLICT.
    } else if let Some(used) = ret.period {
        for (p, source, at) in &period_candidates {
            if let Some(p) = p
                && *p != used
            {
                let mut f = Finding::new(
                    Code::IdentityWarning,
                    msg::identity_period_conflict(&used.label(), &p.label(), source.period_label()),
                );
                if let Some(at) = at {
                    f = f.at(at);
                }
                ret.findings.push(f);
            }
        }
    } else if !wb.unreadable {
        ret.findings
            .push(Finding::new(Code::Identity, msg::identity_unknown_period()));
    }
}

/// The unit named in a file name: a known spelling inside it, else the text before the
/// year (`<单位>_2020年6月…`).
pub fn unit_from_file_name(stem: &str, config: &Config) -> Option<String> {
    let n = norm_unit(stem);
    for (spelling, name) in config.unit_spellings_normalised() {
        if n.contains(spelling.as_str()) {
            return Some(name.clone());
        }
    }
    let chars: Vec<char> = stem.chars().collect();
    let year_at = (0..chars.len().saturating_sub(3))
        .find(|&i| chars[i..i + 4].iter().all(|c| c.is_ascii_digit()))?;
    let prefix: String = chars[..year_at].iter().collect();
    let prefix = prefix.trim_matches(|c: char| c == '_' || c == '-' || c.is_whitespace());
    (!prefix.is_empty()).then(|| config.resolve_unit(prefix))
}

fn resolve_date(wb: &RawWorkbook, ret: &mut ReturnFile) {
    let Some((raw, at)) = &wb.labels.date else {
        return;
    };
    let date = match raw {
        Raw::Date(d) => Some(*d),
        Raw::Number(v) if (20000.0..80000.0).contains(v) => excel_serial_to_date(*v),
        Raw::Text(t) => parse_date_text(t),
        Raw::Empty => {
            ret.findings
                .push(Finding::new(Code::Date, msg::date_missing()).at(at));
            return;
        }
        _ => None,
    };
    match date {
        Some(d) => {
            ret.fill_date = Some(Cell {
                value: d,
                at: at.clone(),
            })
        }
        None => ret
            .findings
            .push(Finding::new(Code::Date, msg::date_unreadable(&raw.display())).at(at)),
    }
}

/// Parses a numeric cell: a finding for text that is not a figure, a placeholder, or a
/// negative number. Nothing non-empty is ever read as 0.
pub fn num_field(
    raw: &Raw,
    at: CellRef,
    field: &str,
    config: &Config,
    findings: &mut Vec<Finding>,
) -> NumField {
    let value = match raw {
        Raw::Empty => None,
        Raw::Number(v) => Some(*v),
        Raw::Text(t) => match parse_number_text(t, &config.number_suffixes) {
            NumberRead::Value(v) => Some(v),
            NumberRead::Placeholder => {
                findings.push(Finding::new(Code::NumEmpty, msg::num_placeholder(field, t)).at(&at));
                None
            }
            NumberRead::Invalid(why) => {
                findings
                    .push(Finding::new(Code::NumParse, msg::num_invalid(field, t, why)).at(&at));
                None
            }
        },
        Raw::Date(_) | Raw::Bad(_) => {
            findings.push(
                Finding::new(
                    Code::NumParse,
                    msg::num_invalid(field, &raw.display(), "不是数字"),
                )
                .at(&at),
            );
            None
        }
    };
    if let Some(v) = value
        && v < 0.0
    {
        findings.push(Finding::new(Code::NumNegative, msg::num_negative(field, v)).at(&at));
    }
    NumField {
        raw: raw.clone(),
        value: value.filter(|v| *v >= 0.0),
        at,
    }
}

fn text_field(table: &RawTable, cells: &[Raw], row: u32, name: &str) -> TextField {
    let i = table.index(name);
    TextField {
        value: cells[i].display().trim().to_string(),
        at: table.cell(row, i),
    }
}

/// Warns about texts too long for a cell of the summary (they are cut there).
fn long_texts(fields: &[&TextField], findings: &mut Vec<Finding>) {
    for f in fields {
        let n = f.value.chars().count();
        if n > crate::layout::MAX_CELL_CHARS {
            findings.push(Finding::new(Code::TextClipped, msg::text_clipped(n)).at(&f.at));
        }
    }
}

/// Whether a row's id says it is a total row.
fn is_total_label(id: &str) -> bool {
    let t: String = id.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(t.as_str(), "合计" | "小计" | "总计" | "总合计")
}

/// Common handling of a row's id: `None` when the row is skipped (with a finding when it
/// held data).
fn row_id(
    table: &RawTable,
    cells: &[Raw],
    row: u32,
    id_col: &str,
    name_col: &str,
    findings: &mut Vec<Finding>,
) -> Option<Cell<String>> {
    let id_i = table.index(id_col);
    let id = cells[id_i].display().trim().to_string();
    let name = cells[table.index(name_col)].display();
    if is_total_label(&id) || (id.is_empty() && is_total_label(&name)) {
        findings.push(
            Finding::new(
                Code::TotalRow,
                msg::total_row_skipped(if id.is_empty() { &name } else { &id }),
            )
            .at(&table.cell(row, id_i)),
        );
        return None;
    }
    if id.is_empty() {
        findings
            .push(Finding::new(Code::RowNoId, msg::row_without_id()).at(&table.cell(row, id_i)));
        return None;
    }
    Some(Cell {
        value: id,
        at: table.cell(row, id_i),
    })
}

fn missing_columns(table: &RawTable, names: &[&str], findings: &mut Vec<Finding>) {
    for name in names {
        let i = table.index(name);
        if table.cols[i].is_none() {
            findings.push(
                Finding::new(Code::ColumnMissing, msg::missing_column(name))
                    .at(&table.cell(table.header_row, i)),
            );
        }
    }
}

fn progress_rows(
    table: &RawTable,
    config: &Config,
    findings: &mut Vec<Finding>,
) -> Vec<ProgressRow> {
    missing_columns(
        table,
        &[pc::MONTH, pc::STATUS, pc::PROGRESS, pc::PROBLEMS],
        findings,
    );
    let mut out = Vec::new();
    for r in &table.rows {
        let Some(id) = row_id(table, &r.cells, r.row, pc::ID, pc::NAME, findings) else {
            continue;
        };
        let num = |name: &str, findings: &mut Vec<Finding>| {
            let i = table.index(name);
            num_field(&r.cells[i], table.cell(r.row, i), name, config, findings)
        };
        let month = num(pc::MONTH, findings);
        let ytd = num(pc::YTD, findings);
        let status = text_field(table, &r.cells, r.row, pc::STATUS);
        if !status.value.is_empty() && config.status_rank(&status.value).is_none() {
            findings.push(
                Finding::new(
                    Code::Status,
                    msg::status_unknown(&status.value, &config.statuses.join("、")),
                )
                .at(&status.at),
            );
        }
        let progress = text_field(table, &r.cells, r.row, pc::PROGRESS);
        let problems = text_field(table, &r.cells, r.row, pc::PROBLEMS);
        let next_steps = text_field(table, &r.cells, r.row, pc::NEXT);
        long_texts(&[&progress, &problems, &next_steps], findings);
        out.push(ProgressRow {
            task_name: r.cells[table.index(pc::NAME)].display(),
            task_id: id,
            month,
            ytd,
            status,
            progress,
            problems,
            next_steps,
        });
    }
    out
}

fn invest_rows(table: &RawTable, config: &Config, findings: &mut Vec<Finding>) -> Vec<InvestRow> {
    missing_columns(
        table,
        &[ic::MONTH, ic::F1, ic::F2, ic::F3, ic::F4, ic::F5],
        findings,
    );
    let mut out = Vec::new();
    for r in &table.rows {
        let Some(id) = row_id(table, &r.cells, r.row, ic::ID, ic::NAME, findings) else {
            continue;
        };
        let num = |name: &str, findings: &mut Vec<Finding>| {
            let i = table.index(name);
            num_field(&r.cells[i], table.cell(r.row, i), name, config, findings)
        };
        let plan = num(ic::PLAN, findings);
        let month = num(ic::MONTH, findings);
        let ytd = num(ic::YTD, findings);
        let funds = [
            num(ic::F1, findings),
            num(ic::F2, findings),
            num(ic::F3, findings),
            num(ic::F4, findings),
            num(ic::F5, findings),
        ];
        let nature = text_field(table, &r.cells, r.row, ic::NATURE);
        if !nature.value.is_empty() && !config.natures.contains(&nature.value) {
            findings.push(
                Finding::new(
                    Code::Nature,
                    msg::nature_unknown(&nature.value, &config.natures.join("、")),
                )
                .at(&nature.at),
            );
        }
        let image_progress = text_field(table, &r.cells, r.row, ic::IMAGE);
        long_texts(&[&image_progress], findings);
        let funds_reported = [ic::F1, ic::F2, ic::F3, ic::F4, ic::F5]
            .iter()
            .any(|f| table.cols[table.index(f)].is_some());
        out.push(InvestRow {
            funds_reported,
            project_name: r.cells[table.index(ic::NAME)].display(),
            project_id: id,
            nature,
            plan,
            month,
            ytd,
            funds,
            image_progress,
            remark: text_field(table, &r.cells, r.row, ic::REMARK),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_from_file_names() {
        let c = Config::embedded();
        assert_eq!(
            unit_from_file_name("长春市交通局2020年6月月报", &c).as_deref(),
            Some("长春市交通运输局")
        );
        assert_eq!(
            unit_from_file_name("某某县交通局_2020年6月_月报", &c).as_deref(),
            Some("某某县交通局")
        );
        assert_eq!(unit_from_file_name("月报", &c), None);
    }

    #[test]
    fn non_numbers_are_findings_never_zero() {
        let c = Config::embedded();
        let mut f = Vec::new();
        let at = CellRef::new("s", 6, 5);
        let n = num_field(
            &Raw::Text("约12公里".into()),
            at.clone(),
            "自年初累计完成",
            &c,
            &mut f,
        );
        assert_eq!(n.value, None);
        assert_eq!(f[0].code, Code::NumParse);
        assert_eq!(f[0].cell.map(|c| c.to_string()).as_deref(), Some("F7"));
        let n = num_field(&Raw::Text("—".into()), at.clone(), "x", &c, &mut f);
        assert_eq!(n.value, None);
        assert_eq!(f[1].code, Code::NumEmpty);
        let n = num_field(
            &Raw::Text("1,234.5万元".into()),
            at.clone(),
            "x",
            &c,
            &mut f,
        );
        assert_eq!(n.value, Some(1234.5));
        let n = num_field(&Raw::Bad("#DIV/0!".into()), at, "x", &c, &mut f);
        assert_eq!(n.value, None);
        assert_eq!(f.len(), 3);
    }

    fn workbook(rel: &str, meta_unit: &str, label_unit: &str, label_period: &str) -> RawWorkbook {
        RawWorkbook {
            path: rel.into(),
            rel: rel.into(),
            modified: 0,
            tables: vec![RawTable {
                kind: TableKind::Progress,
                sheet: "重点任务进展".into(),
                header_row: 4,
                cols: (0..10).map(Some).collect(),
                extras: vec![],
                rows: vec![],
            }],
            labels: crate::model::Labels {
                unit: Some((
                    Raw::Text(label_unit.into()),
                    CellRef::new("重点任务进展", 1, 1),
                )),
                period: Some((
                    Raw::Text(label_period.into()),
                    CellRef::new("重点任务进展", 1, 4),
                )),
                ..Default::default()
            },
            meta: vec![
                ("unit".into(), meta_unit.into()),
                ("period".into(), "2020-06".into()),
            ],
            findings: vec![],
            unreadable: false,
        }
    }

    #[test]
    fn identity_by_its_witnesses() {
        let c = Config::embedded();
        // June's file reused for May: the template says June, the file name and the folder
        // (the office's filing) both say May. It counts for May, disputed.
        let Interpreted::Return(r) = interpret(
            workbook(
                "2020年5月/长春_2020年5月.xlsx",
                "长春市交通运输局",
                "长春市交通局",
                "2020年6月",
            ),
            &c,
        ) else {
            panic!("a return");
        };
        assert_eq!(
            r.unit.as_deref(),
            Some("长春市交通运输局"),
            "alias resolved, no conflict"
        );
        assert_eq!(r.period, Period::new(2020, 5));
        let codes: Vec<Code> = r.findings.iter().map(|f| f.code).collect();
        assert_eq!(codes, vec![Code::IdentityConflict]);

        // The file name alone disagrees: the template's month, with a warning.
        let Interpreted::Return(r) = interpret(
            workbook(
                "长春_2020年5月.xlsx",
                "长春市交通运输局",
                "长春市交通局",
                "2020年6月",
            ),
            &c,
        ) else {
            panic!("a return");
        };
        assert_eq!(r.period, Period::new(2020, 6));
        let ids: Vec<_> = r
            .findings
            .iter()
            .map(|f| (f.code, f.message.contains("文件名")))
            .collect();
        assert_eq!(ids, vec![(Code::IdentityWarning, true)]);

        // The visible label beats a lone stale hidden sheet, named at the label cell.
        let Interpreted::Return(r) = interpret(
            workbook("x.xlsx", "吉林市交通运输局", "长春", "2020年6月"),
            &c,
        ) else {
            panic!("a return");
        };
        assert_eq!(r.unit.as_deref(), Some("长春市交通运输局"));
        let f = &r.findings[0];
        assert_eq!(
            (f.code, f.cell.map(|c| c.to_string()).as_deref()),
            (Code::IdentityWarning, Some("B2"))
        );
        assert!(f.message.contains("隐藏页"), "{}", f.message);
    }
}
