//! The return filled for the level above (`run --report-to`): the upper office's template
//! for this unit, re-made from its hidden sheet, with this month's consolidated figures of
//! the lower units, what lies beneath each figure (下级明细), and which figures are not plain
//! facts (a disputed part inside, or a lower unit's part missing).

use chrono::NaiveDate;

use super::lines::{MONEY_DECIMALS, QUANTITY_DECIMALS, dispute_line, round_to};
use crate::config::Config;
use crate::layout::{self, invest as ic, lower as lc, progress as pc};
use crate::model::{
    CellRef, InvestValues, LowerDetail, LowerRow, Mark, NumField, ProgressValues, Raw,
    ReturnValues, RosterState, Task, TaskList,
};
use crate::validate::{Batch, Part};

/// The upper office's template as `run --report-to` read it.
pub struct UpperTasks<'a> {
    /// The unit the template was made for (this office, as the upper office names it).
    pub unit: &'a str,
    /// Its tasks, each with the unit's own part.
    pub tasks: &'a [Task],
    /// The upper office's task list fingerprint.
    pub fingerprint: &'a str,
}

/// The filled return's contents, for the template writer.
#[derive(Debug, Clone)]
pub struct Upward {
    pub unit: String,
    /// The upper office's tasks for the unit, as a list the template writer lays out.
    pub tasks: TaskList,
    pub fingerprint: String,
    pub values: ReturnValues,
    /// Figures that are not plain facts: filled red with a note that says why.
    pub marks: Vec<Mark>,
    /// The same, as data for the hidden sheet: one JSON object each.
    pub parts: Vec<String>,
    pub detail: LowerDetail,
}

/// One lower unit's part of one figure.
struct Piece<'a> {
    unit: &'a str,
    value: Option<f64>,
    state: &'static str,
    /// Why it is disputed: `【unit】E-CODE：message`.
    why: String,
    file: &'a str,
    at: Option<&'a CellRef>,
}

/// A figure added up from its pieces, and what it says of them.
struct Figure {
    value: Option<f64>,
    /// Disputes inside the figure, one line each.
    disputed: Vec<String>,
    /// Lower units due whose part is not in the figure.
    missing: Vec<String>,
}

fn add_up(pieces: &[Piece<'_>], decimals: i32, config: &Config) -> Figure {
    let values: Vec<f64> = pieces.iter().filter_map(|p| p.value).collect();
    Figure {
        value: (!values.is_empty()).then(|| round_to(values.iter().sum(), decimals)),
        disputed: pieces
            .iter()
            .filter(|p| p.state == lc::DISPUTED)
            .map(|p| p.why.clone())
            .collect(),
        missing: pieces
            .iter()
            .filter(|p| p.state == lc::MISSING)
            .map(|p| config.short_name(p.unit).to_string())
            .collect(),
    }
}

/// A part's state in 下级明细's words, and why when disputed.
fn state_of(unit: &str, part: &Part, config: &Config) -> (&'static str, String) {
    match part {
        Part::Accepted => (lc::ACCEPTED, String::new()),
        Part::Disputed(d) => (lc::DISPUTED, dispute_line(config.short_name(unit), d)),
        Part::Missing => (lc::MISSING, String::new()),
    }
}

/// The pieces of one field of a task: every lower unit's row that has the task (in the
/// order of the returns), then each responsible lower unit without one, as 未报.
fn pieces<'a, R>(
    rows: &[(&'a str, &'a str, &'a R, &'a Part)],
    due: &'a [String],
    field: fn(&R, usize) -> &NumField,
    k: usize,
    config: &Config,
) -> Vec<Piece<'a>> {
    let mut out: Vec<Piece<'a>> = rows
        .iter()
        .map(|&(unit, file, row, part)| {
            let f = field(row, k);
            let (state, why) = state_of(unit, part, config);
            Piece {
                unit,
                value: if state == lc::MISSING { None } else { f.value },
                state,
                why,
                file,
                at: Some(&f.at),
            }
        })
        .collect();
    for u in due {
        if !rows.iter().any(|(unit, ..)| *unit == u.as_str()) {
            out.push(Piece {
                unit: u,
                value: None,
                state: lc::MISSING,
                why: String::new(),
                file: "",
                at: None,
            });
        }
    }
    out
}

/// 本月完成 (0) or 自年初累计完成 (1) of a progress row.
fn progress_field(r: &crate::model::ProgressRow, k: usize) -> &NumField {
    if k == 0 { &r.month } else { &r.ytd }
}

/// 本月 (0), 累计 (1) or a funding source (2–6) of an investment row.
fn invest_field(r: &crate::model::InvestRow, k: usize) -> &NumField {
    match k {
        0 => &r.month,
        1 => &r.ytd,
        f => &r.funds[f - 2],
    }
}

/// Each lower unit's text, prefixed 【unit】; blanks and 无 left out.
fn joined<'a>(texts: impl Iterator<Item = (&'a str, &'a str)>, config: &Config) -> String {
    texts
        .filter(|(_, t)| !t.trim().is_empty() && t.trim() != "无")
        .map(|(u, t)| format!("【{}】{}", config.short_name(u), t.trim()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What is said of a figure that is not a plain fact, or `None` for one that is.
fn note_of(fig: &Figure) -> Option<(&'static str, String)> {
    let mut lines = Vec::new();
    if fig.value.is_none() && !fig.missing.is_empty() {
        lines.push(format!("下级均未报此数，未填：{}", fig.missing.join("、")));
    } else if !fig.missing.is_empty() {
        lines.push(format!(
            "不全：不含{}（未报、未填或数字不能用）",
            fig.missing.join("、")
        ));
    }
    if !fig.disputed.is_empty() {
        lines.push("待核：含有错误待核实的下级数据".to_string());
        lines.extend(fig.disputed.iter().cloned());
    }
    if lines.is_empty() {
        return None;
    }
    let state = if fig.disputed.is_empty() {
        lc::INCOMPLETE
    } else {
        lc::DISPUTED
    };
    Some((state, lines.join("\n")))
}

fn raw_of(v: Option<f64>) -> Raw {
    v.map_or(Raw::Empty, Raw::Number)
}

/// Fills the upper office's template with the month's figures.
pub fn fill(batch: &Batch, upper: &UpperTasks<'_>, config: &Config, today: NaiveDate) -> Upward {
    let list = TaskList::new(upper.tasks.to_vec(), None, layout::SHEET_TASKS.to_string());
    list.prepare();
    let mut values = ReturnValues {
        reporter: config.upward.reporter.clone(),
        phone: config.upward.phone.clone(),
        fill_date: Raw::Date(today),
        ..ReturnValues::default()
    };
    let mut marks = Vec::new();
    let mut parts = Vec::new();
    let mut rows_out: Vec<LowerRow> = Vec::new();
    let none: Vec<String> = Vec::new();
    let first_row = layout::RETURN_HEADER_ROW + 1;
    let pcols = pc::columns(false);
    let col = |cols: &[&str], name: &str| cols.iter().position(|c| *c == name).unwrap_or(0) as u16;

    let mine: Vec<&Task> = list.tasks_of(upper.unit).collect();
    let mut invest_at = 0u32;
    for (i, t) in mine.iter().enumerate() {
        let lower = batch.tasks.get(&t.id);
        let due = lower.map_or(&none, |l| &l.units);
        if lower.is_none() {
            // The lower list dropped the task: nothing is filled, and that is said.
            let note = crate::messages::UPWARD_NOT_IN_LIST.to_string();
            marks.push(Mark {
                sheet: layout::SHEET_PROGRESS.to_string(),
                row: first_row + i as u32,
                col: col(&pcols, pc::YTD),
                note: note.clone(),
            });
            let part = serde_json::json!({
                "task": t.id, "field": pc::YTD, "state": lc::INCOMPLETE, "why": note,
            });
            parts.push(part.to_string());
        }
        let mut record = |sheet: &str,
                          row: u32,
                          field: &'static str,
                          cols: &[&str],
                          pieces: &[Piece<'_>],
                          fig: &Figure| {
            if let Some((state, note)) = note_of(fig) {
                marks.push(Mark {
                    sheet: sheet.to_string(),
                    row,
                    col: col(cols, field),
                    note: note.clone(),
                });
                let part = serde_json::json!({
                    "task": t.id, "field": field, "state": state, "why": note,
                });
                parts.push(part.to_string());
            }
            for p in pieces {
                if p.state == lc::ACCEPTED && p.value.is_none() {
                    continue;
                }
                rows_out.push(LowerRow {
                    id: t.id.clone(),
                    name: t.name.clone(),
                    field: field.to_string(),
                    unit: p.unit.to_string(),
                    value: p.value,
                    state: p.state.to_string(),
                    file: p.file.to_string(),
                    sheet: p.at.map(|a| a.sheet.to_string()).unwrap_or_default(),
                    cell: p.at.map(CellRef::a1).unwrap_or_default(),
                });
            }
        };

        // 重点任务进展.
        let rows: Vec<(&str, &str, &crate::model::ProgressRow, &Part)> = batch
            .current
            .iter()
            .flat_map(|r| {
                let file = r.progress_file.as_deref().unwrap_or("");
                r.progress_parts()
                    .filter(|(row, _)| row.task_id.value == t.id)
                    .map(move |(row, part)| (r.unit.as_str(), file, row, part))
            })
            .collect();
        let row = first_row + i as u32;
        let mut progress = ProgressValues::default();
        if t.is_quantitative() || rows.iter().any(|(_, _, r, _)| r.ytd.value.is_some()) {
            for (k, field) in [pc::MONTH, pc::YTD].into_iter().enumerate() {
                let ps = pieces(&rows, due, progress_field, k, config);
                let fig = add_up(&ps, QUANTITY_DECIMALS, config);
                let raw = raw_of(fig.value);
                if field == pc::MONTH {
                    progress.month = raw;
                } else {
                    progress.ytd = raw;
                }
                record(layout::SHEET_PROGRESS, row, field, &pcols, &ps, &fig);
            }
        }
        // The least advanced status a lower unit reported: the task is no further on.
        progress.status = rows
            .iter()
            .filter(|(.., p)| !matches!(p, Part::Missing))
            .filter_map(|(_, _, r, _)| {
                config
                    .statuses
                    .iter()
                    .position(|s| *s == r.status.value.trim())
            })
            .min()
            .map(|k| config.statuses[k].clone())
            .unwrap_or_default();
        progress.progress = joined(
            rows.iter()
                .map(|(u, _, r, _)| (*u, r.progress.value.as_str())),
            config,
        );
        progress.problems = joined(
            rows.iter()
                .map(|(u, _, r, _)| (*u, r.problems.value.as_str())),
            config,
        );
        progress.next_steps = joined(
            rows.iter()
                .map(|(u, _, r, _)| (*u, r.next_steps.value.as_str())),
            config,
        );
        values.progress.insert(t.id.clone(), progress);

        // 固定资产投资: the projects the upper office planned for the unit.
        if t.plan_investment.is_none() {
            continue;
        }
        let row = first_row + invest_at;
        invest_at += 1;
        let rows: Vec<(&str, &str, &crate::model::InvestRow, &Part)> = batch
            .current
            .iter()
            .flat_map(|r| {
                let file = r.invest_file.as_deref().unwrap_or("");
                r.invest_parts()
                    .filter(|(row, _)| row.project_id.value == t.id)
                    .map(move |(row, part)| (r.unit.as_str(), file, row, part))
            })
            .collect();
        let mut inv = InvestValues {
            nature: rows
                .iter()
                .map(|(_, _, r, _)| r.nature.value.trim())
                .find(|n| !n.is_empty())
                .unwrap_or("")
                .to_string(),
            image: joined(
                rows.iter()
                    .map(|(u, _, r, _)| (*u, r.image_progress.value.as_str())),
                config,
            ),
            ..InvestValues::default()
        };
        let funds = [ic::F1, ic::F2, ic::F3, ic::F4, ic::F5];
        let fields = [ic::MONTH, ic::YTD].into_iter().chain(funds);
        for (k, field) in fields.enumerate() {
            // A funding source a lower unit left blank is not a missing part: only the
            // month's and the year's investment name the units that did not report.
            let ps: Vec<Piece<'_>> = pieces(
                &rows,
                if k < 2 { due } else { &none },
                invest_field,
                k,
                config,
            );
            let fig = add_up(&ps, MONEY_DECIMALS, config);
            let raw = raw_of(fig.value);
            match k {
                0 => inv.month = raw,
                1 => inv.ytd = raw,
                f => inv.funds[f - 2] = raw,
            }
            record(layout::SHEET_INVEST, row, field, &ic::ALL, &ps, &fig);
        }
        values.invest.insert(t.id.clone(), inv);
    }

    let due: Vec<&crate::model::RosterEntry> = batch.roster.iter().collect();
    let detail = LowerDetail {
        reported: due
            .iter()
            .filter(|e| e.state != RosterState::Missing)
            .count(),
        due: due.len(),
        not_reported: due
            .iter()
            .filter(|e| e.state == RosterState::Missing)
            .map(|e| e.unit.clone())
            .collect(),
        rows: rows_out,
    };
    Upward {
        unit: upper.unit.to_string(),
        tasks: list,
        fingerprint: upper.fingerprint.to_string(),
        values,
        marks,
        parts,
        detail,
    }
}
