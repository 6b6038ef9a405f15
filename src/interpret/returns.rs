//! Interprets a raw workbook as a monthly return: who sent it, for which month, and its
//! rows with every number parsed. Pure code; each problem is a finding at its cell.

use std::borrow::Cow;
use std::path::Path;

use compact_str::CompactString;

use crate::config::Config;
use crate::finding::{Code, Finding};
use crate::layout::{self, invest as ic, progress as pc};
use crate::messages as msg;
use crate::model::{
    Cell, CellRef, IdentitySource, InvestRow, NumField, PastRow, PastRows, Period, ProgressRow,
    Raw, RawRow, RawTable, RawWorkbook, ReturnFile, RowKey, TableKind, TextField, fmt_num_compact,
};
use crate::normalize::{
    NumberRead, excel_serial_to_date, find_month_in, find_period_in, month_day_in, norm_unit_cow,
    parse_date_text, parse_date_without_year, parse_number_text, parse_period_text,
};
use crate::read::{Answer, Deferred};

/// What a workbook turned out to be.
#[derive(Debug)]
pub enum Interpreted {
    /// A monthly return (possibly only a progress or only an investment table), or a file
    /// that should have been one and could not be read.
    Return(Box<ReturnFile>),
    /// One workbook holding the returns of several months, a sheet (or sheets) for each
    /// (`5月`, `6月`): a return per month, earliest first.
    Several(Vec<ReturnFile>),
    /// It holds a task list and nothing else.
    TaskList,
    /// Something else, with the finding that says so.
    Other(Vec<Finding>),
}

/// Interprets one workbook.
pub fn interpret(wb: RawWorkbook, config: &Config) -> Interpreted {
    interpret_for(Answer::whole(wb), config, &|_| false)
}

/// Interprets one workbook, where `earlier(period)` says that a return for `period` is
/// already known to be an earlier month's than the batch's. Such a return, a unit's of
/// one month and no blank template, is read only as far as an earlier month keeps it: what
/// [`ReturnFile::slim`] would leave of it, without its texts and findings being made first.
///
/// The rows of a worker's answer are decoded here: whole, or for such a return with only
/// the cells it keeps.
pub fn interpret_for(
    answer: Answer<'_>,
    config: &Config,
    earlier: &dyn Fn(Period) -> bool,
) -> Interpreted {
    let (mut wb, mut rows) = answer.into_parts();
    if wb.meta.iter().any(|(k, v)| k == "kind" && v == "summary") {
        return Interpreted::Other(vec![
            Finding::new(Code::FileSkipped, msg::summary_file_skipped()).file(wb.rel),
        ]);
    }
    let has_return_table = wb.tables.iter().any(|t| t.kind != TableKind::Tasks);
    let unrecognised = !wb.unreadable && !has_return_table;
    if unrecognised && wb.tables.iter().any(|t| t.kind == TableKind::Tasks) {
        return Interpreted::TaskList;
    }
    // A file without a table is known by the labels and titles of its other sheets.
    if unrecognised {
        wb.labels = std::mem::take(&mut wb.loose_labels);
    }
    let mut ret = ReturnFile::empty(wb.path.clone(), wb.rel.clone());
    ret.modified = wb.modified;
    ret.findings = wb.findings.clone();
    // What the titles say of the unit and period, when they were read for it.
    let title;
    if unrecognised {
        // Whose it is, by its name, labels or title: then it is that unit's file whose table
        // could not be read (validation decides what that makes the unit), else nobody's.
        let mut quiet = ReturnFile::empty(wb.path.clone(), wb.rel.clone());
        title = resolve_identity(&wb, config, &mut quiet);
        // Nobody's file without a table: what it is, once (its sheets' own findings are
        // about a file that is no return).
        if quiet.unit.is_none() {
            return Interpreted::Other(vec![
                Finding::new(Code::NotAReturn, msg::not_a_return(0)).file(wb.rel),
            ]);
        }
        ret.unit = quiet.unit;
        ret.period = quiet.period;
        ret.month_only = quiet.month_only;
        ret.unrecognised = true;
    } else {
        title = resolve_identity(&wb, config, &mut ret);
    }
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
    // A file without a table is judged by validation only (whose it is, what it lacks).
    if !unrecognised {
        resolve_date(&wb, &mut ret);
    }
    let months = sheet_groups(&wb, config);
    if months.len() < 2 {
        let tables: Vec<&RawTable> = wb.tables.iter().collect();
        // What `validate::may_be_a_return` asks, as far as it is known before the rows
        // are read: whether the file is a blank template `take_past_tables` finds out.
        let past = !unrecognised
            && ret.unit.is_some()
            && ret.misfiled.is_none()
            && ret.sent_as.is_none()
            && ret.period.is_some_and(earlier);
        if !(past && take_past_tables(&mut ret, &tables, &rows, config)) {
            let broken = rows.fill(&mut wb);
            ret.findings.extend(broken);
            let tables: Vec<&RawTable> = wb.tables.iter().collect();
            take_tables(&mut ret, &tables, config);
        }
    } else {
        let broken = rows.fill(&mut wb);
        ret.findings.extend(broken);
    }
    // A sheet of a return that holds a table huizong cannot read is named, never skipped
    // in silence.
    if !unrecognised {
        for (at, heads) in &wb.unread_sheets {
            ret.findings
                .push(Finding::new(Code::SheetUnrecognised, msg::sheet_unrecognised(heads)).at(at));
        }
    }
    if months.len() >= 2 {
        let mut several = split_by_sheet(&wb, ret, months, config);
        for r in &mut several {
            r.blank = r.inputs_empty();
        }
        return Interpreted::Several(several);
    }
    if ret.past.is_some() {
        // As slimmed: no findings, and no blank template (`take_past_tables`).
        ret.findings = Vec::new();
        ret.lower = super::upper::lower_read(&wb);
        return Interpreted::Return(Box::new(ret));
    }
    // The titles were read when a label was missing (`resolve_identity`).
    if let Some(title) = title
        && !wb.labels.titles.is_empty()
        && ret.findings.iter().all(|f| f.code != Code::Identity)
        && (ret.progress.is_some() || ret.invest.is_some())
        && let Some(note) = title_identity_note(&wb, title)
    {
        ret.findings.push(note);
    }
    // Filled by the level below: its figures that were not facts there are not here.
    let lower = super::upper::lower_part_findings(&wb.meta, &ret);
    ret.findings.extend(lower);
    let detail = super::upper::lower_detail_findings(&wb, &ret);
    ret.findings.extend(detail);
    ret.lower = super::upper::lower_read(&wb);
    // Written once, not once a finding.
    let code = ret.period.map(Period::code);
    for f in &mut ret.findings {
        if f.file.is_none() {
            f.file = Some(ret.rel.clone());
        }
        if f.unit.is_none() {
            f.unit = ret.unit.clone();
        }
        if f.period.is_none() {
            f.period.clone_from(&code);
        }
    }
    ret.blank = ret.inputs_empty();
    Interpreted::Return(Box::new(ret))
}

/// A file that is no workbook (a Word document, a PDF, a photo), as the return its name
/// and folder say it is: whose, for which month, with nothing read.
pub fn not_a_workbook(
    path: std::path::PathBuf,
    rel: String,
    kind: &'static str,
    config: &Config,
) -> ReturnFile {
    let wb = RawWorkbook::new(path.clone(), rel.clone());
    let mut r = ReturnFile::empty(path, rel);
    resolve_identity(&wb, config, &mut r);
    r.unrecognised = true;
    r.sent_as = Some(kind);
    r
}

/// Reads the tables into the return: the rows of several tables of one kind (a unit that
/// put half its tasks on a second sheet) together, each table's notes said.
fn take_tables(ret: &mut ReturnFile, tables: &[&RawTable], config: &Config) {
    for table in tables {
        match table.kind {
            TableKind::Progress => {
                let rows = progress_rows(table, config, &mut ret.findings);
                let note = own_layout(table, None, Some(&mut ret.findings));
                append(&mut ret.progress, rows);
                ret.progress_note = ret.progress_note.take().or(note);
            }
            TableKind::Invest => {
                let rows = invest_rows(table, config, &mut ret.findings);
                let money = converted(table, &mut ret.findings);
                let note = own_layout(table, money, Some(&mut ret.findings));
                append(&mut ret.invest, rows);
                ret.invest_note = ret.invest_note.take().or(note);
            }
            TableKind::Tasks => {}
        }
    }
}

/// A table's rows after those of the tables of its kind before it; the first table's rows
/// are taken as they are, not copied.
fn append<T>(rows: &mut Option<Vec<T>>, mut more: Vec<T>) {
    match rows {
        Some(rows) => rows.extend(more),
        None => {
            // Kept until the month is consolidated: no room for the rows set aside.
            more.shrink_to_fit();
            *rows = Some(more);
        }
    }
}

/// The month a sheet is for, by its title, its own 报送月份 label or its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum SheetMonth {
    Full(Period),
    /// A month without its year (`6月`).
    Month(u32),
}

fn sheet_month(wb: &RawWorkbook, sheet: &str) -> Option<SheetMonth> {
    let on_sheet = |at: &CellRef| &*at.sheet == sheet;
    let titled = wb
        .labels
        .titles
        .iter()
        .filter(|(_, at)| on_sheet(at))
        .find_map(|(t, _)| find_period_in(t));
    let labelled = wb
        .labels
        .period
        .as_ref()
        .filter(|(_, at)| on_sheet(at))
        .and_then(|(r, _)| parse_period_text(&r.display()));
    titled
        .or(labelled)
        .or_else(|| find_period_in(sheet))
        .map(SheetMonth::Full)
        .or_else(|| find_month_in(sheet).map(SheetMonth::Month))
}

/// The unit a sheet's own 填报单位 (or title) names.
fn sheet_unit(wb: &RawWorkbook, sheet: &str, config: &Config) -> Option<String> {
    let on_sheet = |at: &CellRef| &*at.sheet == sheet;
    wb.labels
        .units_seen
        .iter()
        .find(|(t, at)| on_sheet(at) && !t.trim().is_empty())
        .map(|(t, _)| config.resolve_unit(t))
        .or_else(|| {
            wb.labels
                .titles
                .iter()
                .filter(|(_, at)| on_sheet(at))
                .find_map(|(t, _)| config.unit_in(t).map(str::to_string))
        })
}

/// Whose and which month's a group of a workbook's tables is: `None` where the workbook
/// does not tell its sheets apart by it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct SheetKey {
    unit: Option<String>,
    month: Option<SheetMonth>,
}

/// The tables of a workbook grouped by the unit and the month of their sheets, when its
/// return tables stand on sheets for two units or two months or more (a unit's workbook
/// with a sheet a month, two units' returns in one file); otherwise none. A table on a
/// sheet that names neither goes with the last group.
fn sheet_groups(wb: &RawWorkbook, config: &Config) -> Vec<(SheetKey, Vec<usize>)> {
    let returns: Vec<(usize, Option<String>, Option<SheetMonth>)> = wb
        .tables
        .iter()
        .enumerate()
        .filter(|(_, t)| t.kind != TableKind::Tasks)
        .map(|(i, t)| {
            (
                i,
                sheet_unit(wb, &t.sheet, config),
                sheet_month(wb, &t.sheet),
            )
        })
        .collect();
    // Two or more different units (months) among the sheets that name one.
    let by_unit = {
        let mut named = returns.iter().filter_map(|(_, u, _)| u.as_deref());
        named
            .next()
            .is_some_and(|first| named.any(|other| other != first))
    };
    let by_month = {
        let mut named = returns.iter().filter_map(|(_, _, m)| *m);
        named
            .next()
            .is_some_and(|first| named.any(|other| other != first))
    };
    if !by_unit && !by_month {
        return Vec::new();
    }
    let key_of = |u: &Option<String>, m: &Option<SheetMonth>| SheetKey {
        unit: u.clone().filter(|_| by_unit),
        month: m.filter(|_| by_month),
    };
    let complete =
        |k: &SheetKey| (k.unit.is_some() || !by_unit) && (k.month.is_some() || !by_month);
    let mut keys: Vec<SheetKey> = returns
        .iter()
        .map(|(_, u, m)| key_of(u, m))
        .filter(complete)
        .collect();
    keys.sort();
    keys.dedup();
    if keys.len() < 2 {
        return Vec::new();
    }
    let mut groups: Vec<(SheetKey, Vec<usize>)> =
        keys.into_iter().map(|k| (k, Vec::new())).collect();
    for (i, u, m) in &returns {
        let key = key_of(u, m);
        let k = groups
            .iter()
            .position(|(g, _)| *g == key)
            .unwrap_or(groups.len() - 1);
        groups[k].1.push(*i);
    }
    groups
}

/// A return for each unit and month of a workbook that holds several, a sheet (or sheets)
/// each. The file's own findings (identity, date) go with the last group, the latest month
/// a monthly summary reads; each group gets its tables' findings, and the labels of its
/// own sheets only.
fn split_by_sheet(
    wb: &RawWorkbook,
    base: ReturnFile,
    groups: Vec<(SheetKey, Vec<usize>)>,
    config: &Config,
) -> Vec<ReturnFile> {
    let year = base.period.map(|p| p.year).or_else(|| {
        groups.iter().find_map(|(k, _)| match k.month {
            Some(SheetMonth::Full(p)) => Some(p.year),
            _ => None,
        })
    });
    let sheet_of = |l: &Option<(Raw, CellRef)>| l.as_ref().map(|(_, at)| at.sheet.clone());
    let (date_sheet, reporter_sheet, phone_sheet) = (
        sheet_of(&wb.labels.date),
        sheet_of(&wb.labels.reporter),
        sheet_of(&wb.labels.phone),
    );
    let last = groups.len() - 1;
    let latest_table = groups[last].1.first().map(|&i| &wb.tables[i]);
    let grouped: Vec<std::sync::Arc<str>> = groups
        .iter()
        .flat_map(|(_, t)| t.iter().map(|&i| wb.tables[i].sheet.clone()))
        .collect();
    let mut said = Vec::new();
    let mut out = Vec::new();
    for (k, (key, tables)) in groups.into_iter().enumerate() {
        let mut r = base.clone();
        // A finding on a sheet goes with that sheet's return; the file's own with the last.
        r.findings.retain(|f| match &f.sheet {
            Some(s) if grouped.contains(s) => tables.iter().any(|&i| wb.tables[i].sheet == *s),
            _ => k == last,
        });
        if let Some(u) = &key.unit {
            r.unit = Some(u.clone());
        }
        // A workbook kept a sheet a month lies in its latest month's folder by design.
        if key.month.is_some() {
            r.misfiled = None;
        }
        match key.month {
            Some(SheetMonth::Full(p)) => (r.period, r.month_only) = (Some(p), None),
            Some(SheetMonth::Month(m)) => {
                (r.period, r.month_only) = match year.and_then(|y| Period::new(y, m)) {
                    Some(p) => (Some(p), None),
                    None => (None, Some((m, IdentitySource::Title))),
                }
            }
            None => {}
        }
        let sheets: Vec<&str> = {
            let mut v: Vec<&str> = tables.iter().map(|&i| &*wb.tables[i].sheet).collect();
            v.dedup();
            v
        };
        let here =
            |s: &Option<std::sync::Arc<str>>| s.as_deref().is_some_and(|d| sheets.contains(&d));
        if !here(&date_sheet) {
            r.fill_date = None;
        }
        if key.unit.is_some() && !here(&reporter_sheet) {
            r.reporter.clear();
        }
        if key.unit.is_some() && !here(&phone_sheet) {
            r.phone.clear();
        }
        let mut shown = Vec::new();
        if let Some(u) = &key.unit {
            shown.push(u.clone());
        }
        if key.month.is_some() {
            shown.push(r.period.map_or_else(
                || format!("{}月", r.month_only.map_or(0, |m| m.0)),
                |p| p.label(),
            ));
        }
        said.push(format!("“{}”按 {}", sheets.join("”“"), shown.join(" ")));
        let picked: Vec<&RawTable> = tables.iter().map(|&i| &wb.tables[i]).collect();
        take_tables(&mut r, &picked, config);
        out.push(r);
    }
    if let (Some(latest), Some(t)) = (out.last_mut(), latest_table) {
        latest.findings.push(
            Finding::new(Code::OwnLayout, msg::returns_by_sheet(&said.join("，")))
                .at(&CellRef::new(&t.sheet, t.header_row, 0)),
        );
    }
    for r in &mut out {
        for f in &mut r.findings {
            if f.file.is_none() {
                f.file = Some(r.rel.clone());
            }
            if f.unit.is_none() {
                f.unit = r.unit.clone();
            }
            if f.period.is_none() {
                f.period = r.period.map(Period::code);
            }
        }
    }
    out
}

/// What a return's unit and period can be read from, in order of trust, each with its
/// cell where it has one.
type Candidates<T, const N: usize> = [(Option<T>, IdentitySource, Option<CellRef>); N];

/// The witnesses of a return's identity, in order of trust (the labels, or the title in their
/// place; the hidden sheet; the file name; the folder).
struct Witnesses {
    units: Candidates<String, 3>,
    periods: Candidates<Period, 4>,
    /// The label's (or title's) unit with its cell.
    label_unit: Option<(String, CellRef)>,
    /// The label's (or title's) period with its cell.
    label_period: Option<(Period, CellRef)>,
    hidden_period: Option<Period>,
    file_period: Option<Period>,
    folder_period: Option<Period>,
    /// The file's name without its extension.
    stem: String,
    /// What the titles say, when they were read (a label missing).
    title: Option<TitleIdentity>,
}

/// Unit and period from `_huizong`, else the label cells, else the file name; any
/// disagreement is W-IDENTITY. Gives back what the titles say, when they were read.
fn resolve_identity(
    wb: &RawWorkbook,
    config: &Config,
    ret: &mut ReturnFile,
) -> Option<TitleIdentity> {
    let mut w = witnesses(wb, config, ret);
    ret.unit = w.units.iter().find_map(|(u, _, _)| u.clone());
    ret.period = w.periods.iter().find_map(|(p, _, _)| *p);
    let reused = settle_reuse(&w, ret);
    unit_conflicts(&w, wb, ret);
    if reused {
        // Said once, by E-IDENTITY-CONFLICT.
    } else if let Some(used) = ret.period {
        period_conflicts(&w, used, ret);
    } else {
        month_only(wb, &w.stem, ret);
    }
    w.title.take()
}

/// Reads every witness of the return's unit and period; a period label that cannot be read
/// is said.
fn witnesses(wb: &RawWorkbook, config: &Config, ret: &mut ReturnFile) -> Witnesses {
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
    let label_period = label_period(wb, ret);
    // The title stands in for a label that is missing (`长春市交通运输局2020年6月重点任务进展`).
    let title = (wb.labels.unit.is_none() || wb.labels.period.is_none())
        .then(|| title_identity(wb, config));
    let (title_unit, title_period) = title.clone().unwrap_or((None, None));
    let label_unit = label_unit.or_else(|| title_unit.filter(|_| wb.labels.unit.is_none()));
    let label_from_title = wb.labels.unit.is_none() && label_unit.is_some();
    let period_from_title = wb.labels.period.is_none() && title_period.is_some();
    let label_period = label_period.or_else(|| title_period.filter(|_| wb.labels.period.is_none()));

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
    let units = [
        (
            label_unit.as_ref().map(|(u, _)| u.clone()),
            if label_from_title {
                IdentitySource::Title
            } else {
                IdentitySource::Labels
            },
            label_unit.as_ref().map(|(_, at)| at.clone()),
        ),
        (hidden_unit, IdentitySource::Hidden, None),
        (file_unit, IdentitySource::FileName, None),
    ];
    let periods = [
        (
            label_period.as_ref().map(|(p, _)| *p),
            if period_from_title {
                IdentitySource::Title
            } else {
                IdentitySource::Labels
            },
            label_period.as_ref().map(|(_, at)| at.clone()),
        ),
        (hidden_period, IdentitySource::Hidden, None),
        (file_period, IdentitySource::FileName, None),
        (folder_period, IdentitySource::Folder, None),
    ];
    Witnesses {
        units,
        periods,
        label_unit,
        label_period,
        hidden_period,
        file_period,
        folder_period,
        stem,
        title,
    }
}

/// The period the 报送月份 label (or a date label naming a month) says, with its cell.
fn label_period(wb: &RawWorkbook, ret: &mut ReturnFile) -> Option<(Period, CellRef)> {
    let label_period = match &wb.labels.period {
        Some((Raw::Date(d), at)) => {
            Period::new(chrono::Datelike::year(d), chrono::Datelike::month(d))
                .map(|p| (p, at.clone()))
        }
        Some((r @ Raw::Text(_), at)) | Some((r @ Raw::Number(_), at)) => {
            let text = r.display();
            // `2020年6月`, or a statistical form's `2020年1-6月`.
            match parse_period_text(&text).or_else(|| find_period_in(&text)) {
                Some(p) => Some((p, at.clone())),
                // `报送月份：6月`: the year comes from the period summarised.
                None if find_month_in(&text).is_some() => None,
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
    // `报送时间：2021年5月`: a date label that names a month is the period.
    label_period.or_else(|| {
        date_label_month(wb)
            .filter(|_| wb.labels.period.is_none())
            .map(|(p, at)| (p, at.clone()))
    })
}

/// A file name and a folder that agree are the office's filing: when the template's content
/// says another month (a unit reused last month's file), the return counts for the filed
/// month, disputed, and never replaces the other month's return. Returns whether it was so.
/// The file lies in a later month's folder than the month its witnesses agree on: last
/// month's file edited and filed again. It is no month's return (validation says so);
/// 填报日期 plays no part.
fn settle_reuse(w: &Witnesses, ret: &mut ReturnFile) -> bool {
    let (label_period, hidden_period) = (&w.label_period, w.hidden_period);
    let (file_period, folder_period) = (w.file_period, w.folder_period);
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
        if let Some((_, at)) = label_period {
            finding = finding.at(at);
        }
        ret.findings.push(finding);
        reused = true;
    }
    // The file lies in a later month's folder than the month its witnesses agree on: last
    // month's file edited and filed again. It is no month's return (validation says so);
    // 填报日期 plays no part.
    if !reused
        && let (Some(p), Some(d)) = (ret.period, folder_period)
        && d > p
    {
        ret.misfiled = Some(d);
    }
    reused
}

/// Every witness naming another unit than the one used is said; no unit at all is an error
/// (unless the file could not be read).
fn unit_conflicts(w: &Witnesses, wb: &RawWorkbook, ret: &mut ReturnFile) {
    if let Some(used) = &ret.unit {
        let label_at = w.label_unit.as_ref().map(|(_, at)| at);
        for (u, source, at) in &w.units {
            if let Some(u) = u
                && norm_unit_cow(u) != norm_unit_cow(used)
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
}

/// Every witness naming another period than the one used is said.
fn period_conflicts(w: &Witnesses, used: Period, ret: &mut ReturnFile) {
    for (p, source, at) in &w.periods {
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
}

/// A month without its year, where a period would be: validation gives it the year of the
/// period summarised, or takes the file for that period.
fn month_only(wb: &RawWorkbook, stem: &str, ret: &mut ReturnFile) {
    let label_text = match &wb.labels.period {
        Some((r @ (Raw::Text(_) | Raw::Number(_)), _)) => Some(r.display()),
        _ => None,
    };
    let folder = Path::new(&wb.rel)
        .parent()
        .and_then(|p| p.file_name())
        .map(|p| p.to_string_lossy().to_string());
    let title_month = || {
        wb.labels
            .titles
            .iter()
            .find_map(|(t, _)| find_month_in(t))
            .filter(|_| wb.labels.period.is_none())
    };
    ret.month_only = label_text
        .as_deref()
        .and_then(find_month_in)
        .map(|m| (m, IdentitySource::Labels))
        .or_else(|| title_month().map(|m| (m, IdentitySource::Title)))
        .or_else(|| find_month_in(stem).map(|m| (m, IdentitySource::FileName)))
        .or_else(|| {
            folder
                .as_deref()
                .and_then(find_month_in)
                .map(|m| (m, IdentitySource::Folder))
        });
    // A unit's file without any month counts for the period summarised (validation
    // says so); a file of nobody is not used at all.
    if ret.unit.is_none() && !wb.unreadable {
        ret.findings
            .push(Finding::new(Code::Identity, msg::identity_unknown_period()));
    }
}

/// What a title says of its table's unit and period, each with the title's cell.
type TitleIdentity = (Option<(String, CellRef)>, Option<(Period, CellRef)>);

/// Unit and period named in the title lines above a table: a known unit spelling, or the
/// text before the year when it reads as a unit's name (`某某县交通运输局2020年6月…`); the
/// period as a file name would give it (`2020年6月`, `2020年1-6月`).
fn title_identity(wb: &RawWorkbook, config: &Config) -> TitleIdentity {
    let mut unit = None;
    let mut period = None;
    for (text, at) in &wb.labels.titles {
        if unit.is_none() {
            let known = config.unit_in(text).map(str::to_string);
            let named = known
                .or_else(|| unit_before_year(text, config).filter(|u| looks_like_unit_name(u)));
            unit = named.map(|u| (u, at.clone()));
        }
        if period.is_none() {
            period = find_period_in(text).map(|p| (p, at.clone()));
        }
    }
    (unit, period)
}

/// Whether a text ends as an organisation's name does (`…交通运输局`, `…集团`).
fn looks_like_unit_name(s: &str) -> bool {
    let s = s.trim();
    s.chars().count() >= 3
        && [
            "局",
            "集团",
            "公司",
            "办",
            "委",
            "委员会",
            "中心",
            "处",
            "厅",
            "站",
            "院",
            "所",
            "管委会",
            "政府",
        ]
        .iter()
        .any(|e| s.ends_with(e))
}

/// Says that the unit or period came from the title (there were no labels), on the title:
/// `title` as [`resolve_identity`] read it.
fn title_identity_note(wb: &RawWorkbook, title: TitleIdentity) -> Option<Finding> {
    let (unit, period) = title;
    let unit = unit.filter(|_| wb.labels.unit.is_none());
    let period = period.filter(|_| wb.labels.period.is_none());
    let at = unit
        .as_ref()
        .map(|(_, at)| at.clone())
        .or(period.as_ref().map(|(_, at)| at.clone()))?;
    let mut said = Vec::new();
    let mut missing = String::new();
    if let Some((u, _)) = &unit {
        said.push(format!("填报单位“{u}”"));
        missing.push_str("“填报单位：”");
    }
    if let Some((p, _)) = &period {
        said.push(format!("报送月份 {}", p.label()));
        missing.push_str("“报送月份：”");
    }
    Some(
        Finding::new(
            Code::OwnLayout,
            msg::identity_from_title(&missing, &said.join("、")),
        )
        .at(&at),
    )
}

/// The unit named in a file name: a known spelling inside it, else the text before the
/// year (`<单位>_2020年6月…`).
pub fn unit_from_file_name(stem: &str, config: &Config) -> Option<String> {
    if let Some(name) = config.unit_in(stem) {
        return Some(name.to_string());
    }
    unit_before_year(stem, config)
}

/// The text before a year (`<单位>_2020年6月…`, `<单位>202006`), as a unit's name.
///
/// A year is four digits from 1900 to 2099 that stand alone or begin a date written as
/// digits (`202006`, `20200627`); what is before it is a name only if it holds a character
/// that is not ASCII. A name made for the file by a program (`51a11608.xlsx`,
/// `3f2019ab.xlsx`) names no unit: read as one, it would be a witness against the return's
/// own label.
fn unit_before_year(stem: &str, config: &Config) -> Option<String> {
    // ASCII digits are bytes that begin no other character: the year is found in the
    // bytes, and what is before it is a whole prefix of the text.
    let bytes = stem.as_bytes();
    // Each run of digits once, from its first digit.
    let mut at = 0;
    let year_at = loop {
        let start = at + bytes[at..].iter().position(u8::is_ascii_digit)?;
        let run = bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if matches!(run, 4 | 6 | 8) && matches!(&bytes[start..start + 2], b"19" | b"20") {
            break start;
        }
        at = start + run;
    };
    let prefix = stem[..year_at].trim_matches(|c: char| c == '_' || c == '-' || c.is_whitespace());
    (!prefix.is_ascii()).then(|| config.resolve_unit(prefix))
}

/// A date label whose text is a month and no day (`报送时间：2021年5月`).
fn date_label_month(wb: &RawWorkbook) -> Option<(Period, &CellRef)> {
    match &wb.labels.date {
        Some((Raw::Text(t), at)) if parse_date_text(t).is_none() => {
            parse_period_text(t).map(|p| (p, at))
        }
        _ => None,
    }
}

fn resolve_date(wb: &RawWorkbook, ret: &mut ReturnFile) {
    let Some((raw, at)) = &wb.labels.date else {
        return;
    };
    // A text is read as a date once (`date_label_month` would read it again).
    let text_date = match raw {
        Raw::Text(t) => parse_date_text(t),
        _ => None,
    };
    if let Raw::Text(t) = raw
        && wb.labels.period.is_none()
        && text_date.is_none()
        && parse_period_text(t).is_some()
    {
        // A month (`报送时间：2021年5月`), read as the period ([`date_label_month`]); the
        // return has no date to judge lateness by.
        return;
    }
    let date = match raw {
        Raw::Date(d) => Some(*d),
        Raw::Number(v) if (20000.0..80000.0).contains(v) => excel_serial_to_date(*v),
        // `20200627` typed as a number.
        Raw::Number(v) if (19_000_101.0..22_001_231.0).contains(v) => {
            parse_date_text(&format!("{}", *v as i64))
        }
        // `6.26` typed as a number: month and day of the period's year.
        Raw::Number(v) if (1.0..13.0).contains(v) && v.fract() > 0.0 => {
            let text = crate::model::fmt_num(*v);
            let date = ret.period.and_then(|p| parse_date_without_year(&text, p));
            if let (Some(d), Some((_, day))) = (date, text.split_once('.'))
                && day.len() == 1
                && day != "0"
                && chrono::Datelike::day(&d) <= 3
            {
                // 6.3 may be 6.30 with its zero dropped by the spreadsheet.
                let m = chrono::Datelike::month(&d);
                let later = ret
                    .period
                    .and_then(|p| month_day_in(m, chrono::Datelike::day(&d) * 10, p));
                if later.is_some() {
                    ret.findings.push(
                        Finding::new(
                            Code::Date,
                            msg::date_ambiguous(&text, m, chrono::Datelike::day(&d)),
                        )
                        .at(at),
                    );
                }
            }
            date
        }
        Raw::Text(t) => {
            text_date.or_else(|| ret.period.and_then(|p| parse_date_without_year(t, p)))
        }
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
        Raw::Bad(f) if f.starts_with('=') => {
            findings.push(Finding::new(Code::NumParse, msg::formula_uncomputed(field, f)).at(&at));
            None
        }
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
    // One copy of the text, trimmed (`display` would copy it whole first).
    let value = match &cells[i] {
        Raw::Empty => String::new(),
        Raw::Text(t) => t.trim().to_string(),
        other => other.display().trim().to_string(),
    };
    TextField {
        value,
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
    // Asked of every row's id, name and 序号: the first four characters tell, with no copy.
    let mut head = ['\0'; 4];
    let mut n = 0;
    for c in id.chars().filter(|c| !c.is_whitespace()) {
        if n == head.len() {
            return false;
        }
        head[n] = c;
        n += 1;
    }
    matches!(
        head[..n],
        ['合', '计'] | ['小', '计'] | ['总', '计'] | ['总', '合', '计']
    )
}

/// A row's key ([`row_key`]), judged with whether the row holds anything besides its
/// `keys`.
fn keyed(
    table: &RawTable,
    r: &RawRow,
    keys: &[&str],
    names: (&str, &str, &str),
    findings: &mut Vec<Finding>,
) -> Option<(Cell<String>, RowKey)> {
    let data = has_data(table, &r.cells, keys);
    row_key(table, &r.cells, r.row, names, data, findings)
}

/// Common handling of a row's key: its id as typed, else its name (matched to the task list
/// by validation), with its 序号. `None` when the row is skipped: a total row, or a row
/// with nothing to name it (a finding when it holds data).
fn row_key(
    table: &RawTable,
    cells: &[Raw],
    row: u32,
    names: (&str, &str, &str),
    has_data: bool,
    findings: &mut Vec<Finding>,
) -> Option<(Cell<String>, RowKey)> {
    let at = (
        table.index(names.0),
        table.index(names.1),
        table.index(names.2),
    );
    let key = key_text(table, cells, row, at, has_data, findings)?;
    let (id_i, name_i, _) = at;
    let name_at = table.cols[name_i].map(|_| table.cell(row, name_i));
    let at = table.cell(row, if key.typed_id { id_i } else { name_i });
    Some((
        Cell {
            value: key.id.into_owned(),
            at,
        },
        RowKey {
            typed_id: key.typed_id,
            seq: key.seq.into_string(),
            name_at,
            how: None,
        },
    ))
}

/// A row's key as its cells say it, borrowed where they are texts (most rows of an earlier
/// month's return are kept without their cells' addresses).
struct KeyText<'a> {
    /// The id as typed; empty where the row is named instead.
    id: std::borrow::Cow<'a, str>,
    typed_id: bool,
    /// Copied, inline up to 24 bytes: a 序号 is short, and most are numbers, whose text is
    /// made here without allocating.
    seq: CompactString,
}

/// What [`row_key`] reads of a row's cells (the id's, name's and 序号's at their indices in
/// the table's columns), and when it skips the row.
fn key_text<'a>(
    table: &RawTable,
    cells: &'a [Raw],
    row: u32,
    (id_i, name_i, seq_i): (usize, usize, usize),
    has_data: bool,
    findings: &mut Vec<Finding>,
) -> Option<KeyText<'a>> {
    // Borrowed where the cell is text: most rows are read, few are kept whole.
    let text = |i: usize| -> std::borrow::Cow<'a, str> {
        match &cells[i] {
            Raw::Empty => std::borrow::Cow::Borrowed(""),
            Raw::Text(s) => std::borrow::Cow::Borrowed(s.trim()),
            other => {
                let shown = other.display();
                let trimmed = shown.trim();
                std::borrow::Cow::Owned(if trimmed.len() == shown.len() {
                    shown
                } else {
                    trimmed.to_string()
                })
            }
        }
    };
    let seq = match &cells[seq_i] {
        Raw::Number(v) => fmt_num_compact(*v),
        _ => CompactString::from(text(seq_i)),
    };
    let (id, name) = (text(id_i), text(name_i));
    if let Some((label, i)) = [(&*id, id_i), (&*name, name_i), (seq.as_str(), seq_i)]
        .into_iter()
        .find(|(t, _)| is_total_label(t))
    {
        let at = table.cell(row, i);
        findings.push(Finding::new(Code::TotalRow, msg::total_row_skipped(label)).at(&at));
        return None;
    }
    if !id.is_empty() {
        return Some(KeyText {
            id,
            typed_id: true,
            seq,
        });
    }
    if !name.is_empty() {
        return Some(KeyText {
            id: std::borrow::Cow::Borrowed(""),
            typed_id: false,
            seq,
        });
    }
    if has_data {
        findings
            .push(Finding::new(Code::RowNoId, msg::row_without_id()).at(&table.cell(row, id_i)));
    }
    None
}

/// Whether a row holds anything to report besides its key.
fn has_data(table: &RawTable, cells: &[Raw], keys: &[&str]) -> bool {
    table
        .kind
        .columns()
        .iter()
        .zip(cells)
        .any(|(c, v)| !keys.contains(c) && !v.is_empty())
}

/// The money unit of the table's amount columns when it is not 万元: an I-UNIT-CONVERTED on
/// each cell that says so; returns the units, for 数据来源.
fn converted(table: &RawTable, findings: &mut Vec<Finding>) -> Option<String> {
    let mut said: Vec<(&str, &CellRef)> = Vec::new();
    for (unit, at) in table.money.iter().flatten() {
        if unit != "万元" && !said.iter().any(|(u, a)| *u == unit && *a == at) {
            said.push((unit, at));
        }
    }
    for (unit, at) in &said {
        let factor = crate::labels::money_factor(unit).unwrap_or(1.0);
        findings.push(Finding::new(Code::UnitConverted, msg::unit_converted(unit, factor)).at(at));
    }
    let units: Vec<&str> = said.iter().map(|(u, _)| *u).collect();
    (!units.is_empty()).then(|| msg::converted_note(&units.join("、")))
}

/// Says how a table not in the template's layout was read (I-OWN-LAYOUT, at its header),
/// and returns the same for 数据来源. `None` for the template's layout.
fn own_layout(
    table: &RawTable,
    money: Option<String>,
    findings: Option<&mut Vec<Finding>>,
) -> Option<String> {
    let mut how = Vec::new();
    let first = table.header_row + 1;
    if table.header_rows > 1 {
        how.push(msg::header_rows_note(first, first + table.header_rows - 1));
    }
    let id = table.index(if table.kind == TableKind::Invest {
        ic::ID
    } else {
        pc::ID
    });
    if table.cols[id].is_none() {
        how.push(msg::NAMES_NOTE.to_string());
    }
    if let Some(header) = &table.names_from {
        how.push(msg::names_from_note(header));
    }
    for (row, why) in &table.skipped {
        how.push(format!("第 {} 行是{why}", row + 1));
    }
    if how.is_empty() && money.is_none() {
        return None;
    }
    // An earlier month's return keeps the note and drops its findings: none is made.
    if !how.is_empty()
        && let Some(findings) = findings
    {
        findings.push(
            Finding::new(Code::OwnLayout, msg::own_layout(&how.join("；")))
                .at(&table.header_cell()),
        );
    }
    how.extend(money);
    Some(how.join("；"))
}

/// One W-COLUMN-MISSING naming every expected column the table lacks, where a person would
/// add them (just right of the table).
fn missing_columns(table: &RawTable, names: &[&str], findings: &mut Vec<Finding>) {
    let missing: Vec<&str> = names
        .iter()
        .copied()
        .filter(|n| table.cols[table.index(n)].is_none())
        .collect();
    if let Some(first) = missing.first() {
        findings.push(
            Finding::new(Code::ColumnMissing, msg::missing_columns(&missing))
                .at(&table.cell(table.header_row, table.index(first))),
        );
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
    let mut out = Vec::with_capacity(table.rows.len());
    out.extend(
        table
            .rows
            .iter()
            .filter_map(|r| progress_row(table, r, config, findings)),
    );
    out
}

/// The progress table's keys: cells that do not make a row one with data.
const PROGRESS_KEYS: [&str; 6] = [
    pc::ID,
    pc::NAME,
    pc::SEQ,
    pc::MEASURE,
    pc::TARGET,
    pc::PREV_YTD,
];

/// A row of the progress table, or `None` where it is no task's (a total, an empty row).
fn progress_row(
    table: &RawTable,
    r: &RawRow,
    config: &Config,
    findings: &mut Vec<Finding>,
) -> Option<ProgressRow> {
    let (id, key) = keyed(
        table,
        r,
        &PROGRESS_KEYS,
        (pc::ID, pc::NAME, pc::SEQ),
        findings,
    )?;
    let num = |name: &str, findings: &mut Vec<Finding>| {
        let i = table.index(name);
        num_field(&r.cells[i], table.cell(r.row, i), name, config, findings)
    };
    let month = num(pc::MONTH, findings);
    let ytd = num(pc::YTD, findings);
    let prev_ytd = table.cols[table.index(pc::PREV_YTD)]
        .is_some()
        .then(|| num(pc::PREV_YTD, findings));
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
    Some(ProgressRow {
        task_name: r.cells[table.index(pc::NAME)].display(),
        task_id: id,
        key,
        month,
        ytd,
        prev_ytd,
        status,
        progress,
        problems,
        next_steps,
    })
}

fn invest_rows(table: &RawTable, config: &Config, findings: &mut Vec<Finding>) -> Vec<InvestRow> {
    missing_columns(table, &[ic::MONTH], findings);
    // A form without any funding source says so once; one lacking some, per column.
    let funds = [ic::F1, ic::F2, ic::F3, ic::F4, ic::F5];
    if funds.iter().all(|f| table.cols[table.index(f)].is_none()) {
        findings.push(
            Finding::new(Code::ColumnMissing, msg::NO_FUND_COLUMNS.to_string())
                .at(&table.cell(table.header_row, table.index(ic::F1))),
        );
    } else {
        missing_columns(table, &funds, findings);
    }
    let mut out = Vec::with_capacity(table.rows.len());
    out.extend(
        table
            .rows
            .iter()
            .filter_map(|r| invest_row(table, r, config, findings)),
    );
    out
}

/// The investment table's keys: cells that do not make a row one with data.
const INVEST_KEYS: [&str; 4] = [ic::ID, ic::NAME, ic::SEQ, ic::PLAN];

/// An amount of the investment table's row: in 万元, whatever unit the table was in.
fn invest_num(
    table: &RawTable,
    r: &RawRow,
    name: &str,
    config: &Config,
    findings: &mut Vec<Finding>,
) -> NumField {
    invest_num_at(table, r, table.index(name), name, config, findings)
}

/// As [`invest_num`], of the cell at `i` in the table's columns (the column `name`).
fn invest_num_at(
    table: &RawTable,
    r: &RawRow,
    i: usize,
    name: &str,
    config: &Config,
    findings: &mut Vec<Finding>,
) -> NumField {
    let mut f = num_field(&r.cells[i], table.cell(r.row, i), name, config, findings);
    // An amount in 元 or 亿元 becomes 万元, as typed and as read (the correction workbook is
    // in 万元 too).
    if let Some((unit, _)) = &table.money[i]
        && let Some(factor) = crate::labels::money_factor(unit)
        && factor != 1.0
        && let Some(v) = f.value
    {
        f.value = Some(v * factor);
        f.raw = Raw::Number(v * factor);
    }
    f
}

/// A row of the investment table, or `None` where it is no project's.
fn invest_row(
    table: &RawTable,
    r: &RawRow,
    config: &Config,
    findings: &mut Vec<Finding>,
) -> Option<InvestRow> {
    let (id, key) = keyed(
        table,
        r,
        &INVEST_KEYS,
        (ic::ID, ic::NAME, ic::SEQ),
        findings,
    )?;
    let num =
        |name: &str, findings: &mut Vec<Finding>| invest_num(table, r, name, config, findings);
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
    Some(InvestRow {
        funds_reported,
        project_name: r.cells[table.index(ic::NAME)].display(),
        project_id: id,
        key,
        nature,
        plan,
        month,
        ytd,
        funds,
        image_progress,
        remark: text_field(table, &r.cells, r.row, ic::REMARK),
    })
}

/// An earlier month's return's tables, read only as far as that month keeps them
/// ([`ReturnFile::slim`]): each row's id, key and two figures, no texts, notes or findings
/// kept. Rows are read whole until one has an input cell typed: before that the file may
/// be a blank template, which is no month's return and is kept whole. Returns whether one
/// had (else nothing is taken and the tables are to be read whole).
fn take_past_tables(
    ret: &mut ReturnFile,
    tables: &[&RawTable],
    rows: &Deferred<'_>,
    config: &Config,
) -> bool {
    // Findings of an earlier month's return are dropped; they go here meanwhile.
    let mut findings = Vec::new();
    let mut typed = ret.fill_date.is_some();
    // Room for every row from the start, as `slim` collects them: a vector grown row by
    // row leaves the room it outgrew between the month's kept rows.
    let count = |kind: TableKind| -> usize {
        tables
            .iter()
            .enumerate()
            .filter(|(_, t)| t.kind == kind)
            .map(|(k, t)| rows.rows(k, t).len())
            .sum()
    };
    let mut past = PastRows {
        progress: Vec::with_capacity(count(TableKind::Progress)),
        invest: Vec::with_capacity(count(TableKind::Invest)),
    };
    let (mut progress, mut invest) = (false, false);
    for (k, table) in tables.iter().enumerate() {
        let cols = match table.kind {
            TableKind::Progress => {
                progress = true;
                PastCols::of(table, (pc::ID, pc::NAME, pc::SEQ), pc::MONTH, pc::YTD)
            }
            TableKind::Invest => {
                invest = true;
                PastCols::of(table, (ic::ID, ic::NAME, ic::SEQ), ic::MONTH, ic::YTD)
            }
            TableKind::Tasks => continue,
        };
        let keep = cols.keep(table.kind.columns().len());
        let mut each = rows.rows(k, table);
        // Rows are read whole until one has an input typed (before that the file may be a
        // blank template); after, with only the cells kept, one after another into one row.
        let mut scratch = RawRow {
            row: 0,
            cells: Vec::new(),
            extra: Vec::new(),
        };
        loop {
            let row = if typed {
                // A broken answer: read whole, where it is said.
                let r = match each.next_kept(&keep, &mut scratch) {
                    None => break,
                    Some(Err(_)) => return false,
                    Some(Ok(r)) => r,
                };
                match table.kind {
                    TableKind::Progress => progress_past(table, &cols, r, config, &mut findings),
                    _ => invest_past(table, &cols, r, config, &mut findings),
                }
            } else {
                let r = match each.next() {
                    None => break,
                    Some(Err(_)) => return false,
                    Some(Ok(r)) => r,
                };
                let whole = match table.kind {
                    TableKind::Progress => progress_row(table, &r, config, &mut findings)
                        .map(|row| (!row.inputs_empty(), PastRow::from(&row))),
                    _ => invest_row(table, &r, config, &mut findings)
                        .map(|row| (!row.inputs_empty(), PastRow::from(&row))),
                };
                whole.map(|(has_input, row)| {
                    typed = has_input;
                    row
                })
            };
            match table.kind {
                TableKind::Progress => past.progress.extend(row),
                _ => past.invest.extend(row),
            }
        }
    }
    if !typed {
        return false;
    }
    // Kept until the month is consolidated: no room set aside, as `slim` collects them.
    past.progress.shrink_to_fit();
    past.invest.shrink_to_fit();
    ret.progress = progress.then(Vec::new);
    ret.invest = invest.then(Vec::new);
    // No note of how a table was read: 数据来源 is the summarised month's only.
    ret.past = Some(past);
    true
}

/// Where an earlier month's row's cells stand in its table: id, name and 序号 ([`key_text`]),
/// 本月 and 累计. Found once a table, not once a row.
struct PastCols {
    key: (usize, usize, usize),
    month: usize,
    ytd: usize,
}

impl PastCols {
    /// Which of a row's `n` cells an earlier month reads: these, no other.
    fn keep(&self, n: usize) -> Vec<bool> {
        let mut keep = vec![false; n];
        for i in [self.key.0, self.key.1, self.key.2, self.month, self.ytd] {
            if let Some(k) = keep.get_mut(i) {
                *k = true;
            }
        }
        keep
    }

    fn of(table: &RawTable, (id, name, seq): (&str, &str, &str), month: &str, ytd: &str) -> Self {
        PastCols {
            key: (table.index(id), table.index(name), table.index(seq)),
            month: table.index(month),
            ytd: table.index(ytd),
        }
    }
}

/// What an earlier month keeps of a progress row: what [`progress_row`] reads of it, less
/// all an earlier month does not keep.
fn progress_past(
    table: &RawTable,
    cols: &PastCols,
    r: &RawRow,
    config: &Config,
    findings: &mut Vec<Finding>,
) -> Option<PastRow> {
    let month = past_figure(&r.cells[cols.month], config);
    let ytd = past_figure(&r.cells[cols.ytd], config);
    past_row(table, cols, r, month, ytd, findings)
}

/// As [`progress_past`], of an investment row.
fn invest_past(
    table: &RawTable,
    cols: &PastCols,
    r: &RawRow,
    config: &Config,
    findings: &mut Vec<Finding>,
) -> Option<PastRow> {
    // An amount in 元 or 亿元 in 万元, as `invest_num_at` reads it.
    let amount = |i: usize| {
        past_figure(&r.cells[i], config).map(|v| match &table.money[i] {
            Some((unit, _)) => match crate::labels::money_factor(unit) {
                Some(factor) if factor != 1.0 => v * factor,
                _ => v,
            },
            None => v,
        })
    };
    let (month, ytd) = (amount(cols.month), amount(cols.ytd));
    past_row(table, cols, r, month, ytd, findings)
}

/// A figure of an earlier month's row: what [`num_field`] reads as its value, without the
/// findings an earlier month drops.
fn past_figure(raw: &Raw, config: &Config) -> Option<f64> {
    match raw {
        Raw::Number(v) => Some(*v),
        Raw::Text(t) => match parse_number_text(t, &config.number_suffixes) {
            NumberRead::Value(v) => Some(v),
            NumberRead::Placeholder | NumberRead::Invalid(_) => None,
        },
        Raw::Empty | Raw::Date(_) | Raw::Bad(_) => None,
    }
    .filter(|v| *v >= 0.0)
}

/// An earlier month's row from its key and figures: where its id is to be found by name,
/// its 序号 and name copied into one block ([`PastRow::new`]).
fn past_row(
    table: &RawTable,
    cols: &PastCols,
    r: &RawRow,
    month: Option<f64>,
    ytd: Option<f64>,
    findings: &mut Vec<Finding>,
) -> Option<PastRow> {
    // Whether the row holds data decides only a finding, which an earlier month drops.
    let key = key_text(table, &r.cells, r.row, cols.key, false, findings)?;
    if key.typed_id {
        return Some(PastRow::new(key.id.into(), None, month, ytd));
    }
    let name = match &r.cells[cols.key.1] {
        Raw::Text(s) => Cow::Borrowed(s.as_str()),
        other => Cow::Owned(other.display()),
    };
    let named = Some((key.seq.as_str(), name.as_ref()));
    Some(PastRow::new(key.id.into(), named, month, ytd))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An earlier month's figure is the value `num_field` reads, cell for cell.
    #[test]
    fn an_earlier_months_figure_is_the_value_num_field_reads() {
        let c = Config::embedded();
        let cells = [
            Raw::Empty,
            Raw::Number(12.5),
            Raw::Number(-3.0),
            Raw::Number(0.0),
            Raw::Text("约12公里".into()),
            Raw::Text("12,345.6".into()),
            Raw::Text("12万元".into()),
            Raw::Text("—".into()),
            Raw::Text("-5".into()),
            Raw::Text(" 7 ".into()),
            Raw::Text(String::new()),
            Raw::Bad("#DIV/0!".into()),
            Raw::Bad("=A1+B1".into()),
            Raw::Date(chrono::NaiveDate::from_ymd_opt(2020, 6, 1).expect("a date")),
        ];
        for raw in cells {
            let mut f = Vec::new();
            let want = num_field(&raw, CellRef::new("s", 0, 0), "x", &c, &mut f).value;
            assert_eq!(past_figure(&raw, &c), want, "{raw:?}");
        }
    }

    #[test]
    fn total_labels_are_known_whatever_their_spaces() {
        for t in ["合计", " 合 计 ", "小计", "总计", "总　合　计", "总合计\n"] {
            assert!(is_total_label(t), "{t:?}");
        }
        for t in ["", "合", "合计行", "小计：", "总合计数", "国道合计", "计合"] {
            assert!(!is_total_label(t), "{t:?}");
        }
    }

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
        assert_eq!(
            unit_from_file_name("某某县交通局202006", &c).as_deref(),
            Some("某某县交通局")
        );
    }

    /// A name a program made for the file (a hash, a code) holds no unit, though it holds
    /// four digits: `1160` is inside a longer number, `2019` follows letters and digits
    /// only.
    #[test]
    fn made_up_file_names_name_no_unit() {
        let c = Config::embedded();
        for stem in [
            "51a11608",
            "3f2019ab",
            "a1",
            "IMG_2020_06",
            "20200627",
            "x2020年6月",
        ] {
            assert_eq!(unit_from_file_name(stem, &c), None, "{stem}");
        }
        assert_eq!(
            unit_from_file_name("某某县交通局_2020-06", &c).as_deref(),
            Some("某某县交通局")
        );
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
                cols: (0..10).map(Some).chain([None, None]).collect(),
                extras: vec![],
                rows: vec![],
                header_rows: 1,
                money: vec![None; 12],
                skipped: vec![],
                names_from: None,
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
            unread_sheets: vec![],
            loose_labels: Default::default(),
            lower: None,
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

#[cfg(test)]
mod past_tests {
    use super::*;
    use std::path::Path;

    /// Every workbook of the samples and of units' own layouts, read here.
    fn workbooks() -> Vec<RawWorkbook> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = Config::embedded();
        let mut out = Vec::new();
        let mut dirs = vec![root.join("samples"), root.join("tests/fixtures/layouts")];
        while let Some(dir) = dirs.pop() {
            for e in std::fs::read_dir(&dir).expect("a fixture folder") {
                let path = e.expect("an entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else if matches!(
                    path.extension().and_then(|x| x.to_str()),
                    Some("xlsx" | "xls" | "ods")
                ) {
                    let rel = path.strip_prefix(root).expect("under the root");
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    out.push(crate::read::read_workbook(&path, &rel, &config));
                }
            }
        }
        out
    }

    /// What the batch does to a return of an earlier month (`app::read_all`).
    fn slimmed(i: Interpreted) -> Interpreted {
        match i {
            Interpreted::Return(mut r) => {
                if crate::validate::may_be_a_return(&r) && r.period.is_some() {
                    r.slim();
                }
                Interpreted::Return(r)
            }
            other => other,
        }
    }

    /// The input cells of a table of either kind (what a blank template leaves empty).
    const INPUTS: [&str; 16] = [
        pc::MONTH,
        pc::YTD,
        pc::STATUS,
        pc::PROGRESS,
        pc::PROBLEMS,
        pc::NEXT,
        ic::MONTH,
        ic::YTD,
        ic::F1,
        ic::F2,
        ic::F3,
        ic::F4,
        ic::F5,
        ic::NATURE,
        ic::IMAGE,
        ic::REMARK,
    ];

    /// Empties the named cells of every row but the last `keep` of the workbook.
    fn emptied(mut wb: RawWorkbook, names: &[&str], keep: usize) -> RawWorkbook {
        let total: usize = wb.tables.iter().map(|t| t.rows.len()).sum();
        let mut n = 0;
        for t in &mut wb.tables {
            let at: Vec<usize> = t
                .kind
                .columns()
                .iter()
                .enumerate()
                .filter(|(_, c)| names.contains(c))
                .map(|(i, _)| i)
                .collect();
            for r in &mut t.rows {
                n += 1;
                if n + keep <= total {
                    for &i in &at {
                        r.cells[i] = Raw::Empty;
                    }
                }
            }
        }
        wb
    }

    /// Each workbook as read, and as a unit might have sent it instead: rows named but
    /// without ids, nothing typed (a blank template), one row typed at its end.
    fn variants(wb: RawWorkbook) -> Vec<RawWorkbook> {
        let mut undated = wb.clone();
        undated.labels.date = None;
        vec![
            emptied(wb.clone(), &[pc::ID, ic::ID], 0),
            emptied(undated.clone(), &INPUTS, 0),
            emptied(undated, &INPUTS, 1),
            wb,
        ]
    }

    #[test]
    fn an_earlier_month_read_as_it_keeps_it_is_what_slimming_leaves() {
        let config = Config::embedded();
        let (mut past, mut typed, mut named, mut whole) = (0, 0, 0, 0);
        for wb in workbooks().into_iter().flat_map(variants) {
            let rel = wb.rel.clone();
            let expected = slimmed(interpret(wb.clone(), &config));
            // As a worker's answer: the rows decoded whole, or only their kept cells.
            let bytes = crate::read::answer::encode(wb.clone(), Vec::new()).expect("encodes");
            let answer = || crate::read::answer::decode(&bytes).expect("decodes");
            let at_once = interpret(wb.clone(), &config);
            let answered = interpret_for(answer(), &config, &|_| false);
            assert_eq!(format!("{answered:?}"), format!("{at_once:?}"), "{rel}");
            let answered = interpret_for(answer(), &config, &|_| true);
            assert_eq!(format!("{answered:?}"), format!("{expected:?}"), "{rel}");
            let got = interpret_for(Answer::whole(wb), &config, &|_| true);
            assert_eq!(format!("{got:?}"), format!("{expected:?}"), "{rel}");
            if let Interpreted::Return(r) = &got {
                match &r.past {
                    Some(p) => {
                        past += 1;
                        for row in p.progress.iter().chain(&p.invest) {
                            match row.named() {
                                Some(_) => named += 1,
                                None => typed += 1,
                            }
                        }
                    }
                    None => whole += 1,
                }
            }
        }
        // The comparison saw returns of every kind it is about: rows by id and by name,
        // and returns kept whole (blank templates, files of nobody).
        assert!(
            past >= 100 && typed >= 500 && named >= 200 && whole >= 40,
            "{past} {typed} {named} {whole}"
        );
    }
}
