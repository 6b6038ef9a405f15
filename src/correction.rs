//! Correction workbooks (退回修改): each unit with errors gets its own return re-made from
//! the template with the values it sent, the wrong cells marked, and a list of problems.
//!
//! The mapping from a finding's cell in the unit's file to the cell of the re-made return
//! is pure code here; the writing is done by the template writer.

use std::collections::HashMap;
use std::sync::Arc;

use crate::finding::{Code, Finding, Level, Place};
use crate::layout::{self, invest as ic, progress as pc};
use crate::model::{CellRef, InvestValues, Mark, ProgressValues, Raw, ReturnValues, TaskList};
use crate::validate::{Batch, UnitReturn};

/// One line of the 问题清单 sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub level: Level,
    pub code: Code,
    /// Sheet and cell in the correction workbook, when the problem sits in a cell.
    pub sheet: String,
    pub cell: String,
    /// Where the problem is in the file the unit sent (`Sheet1!F9`), when that is another
    /// place than the correction's cell: a return in the unit's own layout, re-made into
    /// the template.
    pub sent_at: Option<String>,
    pub message: String,
}

/// A correction workbook to write.
#[derive(Debug, Clone)]
pub struct Correction {
    pub unit: String,
    pub values: ReturnValues,
    pub marks: Vec<Mark>,
    pub problems: Vec<Problem>,
    /// The 上月累计 the unit's return carried (a template made with `--history`), by task:
    /// the correction keeps that column, so that every cell address is the one 数据校验
    /// and `check` name.
    pub history: Option<HashMap<String, f64>>,
}

/// The 上月累计 column of a unit's return, when its template had one.
fn history_of(ret: &UnitReturn) -> Option<HashMap<String, f64>> {
    if !ret.progress.iter().any(|r| r.prev_ytd.is_some()) {
        return None;
    }
    Some(
        ret.progress
            .iter()
            .filter_map(|r| {
                let v = r.prev_ytd.as_ref()?.value?;
                Some((r.task_id.value.clone(), v))
            })
            .collect(),
    )
}

/// The values a unit sent, as it typed them.
pub fn values_of(ret: &UnitReturn) -> ReturnValues {
    let mut v = ReturnValues {
        reporter: ret.reporter.clone(),
        phone: ret.phone.clone(),
        fill_date: ret.fill_date.map_or(Raw::Empty, Raw::Date),
        first_filled: ret.first_date,
        ..Default::default()
    };
    for row in &ret.progress {
        v.progress
            .entry(row.task_id.value.clone())
            .or_insert(ProgressValues {
                month: row.month.raw.clone(),
                ytd: row.ytd.raw.clone(),
                status: row.status.value.clone(),
                progress: row.progress.value.clone(),
                problems: row.problems.value.clone(),
                next_steps: row.next_steps.value.clone(),
            });
    }
    for row in &ret.invest {
        v.invest
            .entry(row.project_id.value.clone())
            .or_insert(InvestValues {
                nature: row.nature.value.clone(),
                month: row.month.raw.clone(),
                ytd: row.ytd.raw.clone(),
                funds: row.funds.clone().map(|f| f.raw),
                image: row.image_progress.value.clone(),
                remark: row.remark.value.clone(),
            });
    }
    v
}

/// A cell of a unit's file: file, sheet, position.
type Source = (String, Arc<str>, Place);

/// Where each cell of the unit's file lands in the re-made return.
fn cell_map(ret: &UnitReturn, tasks: &TaskList) -> HashMap<Source, (String, u32, u16)> {
    let mut map = HashMap::new();
    let first_row = layout::RETURN_HEADER_ROW + 1;
    let mine: Vec<&str> = tasks.tasks_of(&ret.unit).map(|t| t.id.as_str()).collect();
    let mine_inv: Vec<&str> = tasks
        .tasks_of(&ret.unit)
        .filter(|t| t.plan_investment.is_some())
        .map(|t| t.id.as_str())
        .collect();
    let col = |cols: &[&str], name: &str| cols.iter().position(|c| *c == name).unwrap_or(0) as u16;
    let pcols = pc::columns(history_of(ret).is_some());
    let mut put = |file: &Option<String>, at: &CellRef, sheet: &str, row: u32, c: u16| {
        if let Some(f) = file {
            let place = Place {
                row: at.row,
                col: at.col,
            };
            map.insert(
                (f.clone(), at.sheet.clone(), place),
                (sheet.to_string(), row, c),
            );
        }
    };
    for row in &ret.progress {
        let Some(i) = mine.iter().position(|id| *id == row.task_id.value) else {
            continue;
        };
        let r = first_row + i as u32;
        let s = layout::SHEET_PROGRESS;
        let f = &ret.progress_file;
        put(f, &row.task_id.at, s, r, col(&pcols, pc::ID));
        put(f, &row.month.at, s, r, col(&pcols, pc::MONTH));
        put(f, &row.ytd.at, s, r, col(&pcols, pc::YTD));
        put(f, &row.status.at, s, r, col(&pcols, pc::STATUS));
        if let Some(prev) = &row.prev_ytd {
            put(f, &prev.at, s, r, col(&pcols, pc::PREV_YTD));
        }
    }
    for row in &ret.invest {
        let Some(i) = mine_inv.iter().position(|id| *id == row.project_id.value) else {
            continue;
        };
        let r = first_row + i as u32;
        let s = layout::SHEET_INVEST;
        let f = &ret.invest_file;
        put(f, &row.project_id.at, s, r, col(&ic::ALL, ic::ID));
        put(f, &row.nature.at, s, r, col(&ic::ALL, ic::NATURE));
        put(f, &row.plan.at, s, r, col(&ic::ALL, ic::PLAN));
        put(f, &row.month.at, s, r, col(&ic::ALL, ic::MONTH));
        put(f, &row.ytd.at, s, r, col(&ic::ALL, ic::YTD));
        for (k, fund) in row.funds.iter().enumerate() {
            put(f, &fund.at, s, r, col(&ic::ALL, ic::F1) + k as u16);
        }
    }
    map
}

/// The columns of the re-made return (on `sheet`) that a problem involves besides the cell
/// it is reported at.
fn involved(code: Code, sheet: &str, history: bool) -> Vec<u16> {
    let at = |cols: &[&str], name: &str| cols.iter().position(|c| *c == name).unwrap_or(0) as u16;
    let progress = sheet == layout::SHEET_PROGRESS;
    let pcols = pc::columns(history);
    match code {
        Code::FundSum => [ic::YTD, ic::F1, ic::F2, ic::F3, ic::F4, ic::F5]
            .iter()
            .map(|c| at(&ic::ALL, c))
            .collect(),
        Code::MonthMismatch | Code::YtdLtMonth if progress => {
            vec![at(&pcols, pc::MONTH), at(&pcols, pc::YTD)]
        }
        Code::MonthMismatch | Code::YtdLtMonth => {
            vec![at(&ic::ALL, ic::MONTH), at(&ic::ALL, ic::YTD)]
        }
        _ => Vec::new(),
    }
}

/// The correction workbooks of a batch: one per unit with at least one error.
pub fn corrections(batch: &Batch) -> Vec<Correction> {
    let mut out = Vec::new();
    for entry in batch.roster.iter().filter(|e| e.errors > 0) {
        let unit = &entry.unit;
        let ret = batch.current.iter().find(|r| &r.unit == unit);
        let map = ret.map(|r| cell_map(r, &batch.tasks)).unwrap_or_default();
        let history = ret.and_then(history_of);
        let mut marks = Vec::new();
        let mut problems = Vec::new();
        let mine: Vec<&Finding> = batch
            .findings
            .iter()
            .filter(|f| f.unit.as_ref() == Some(unit) && f.level != Level::Info)
            .collect();
        for f in mine {
            let target = match (&f.file, &f.sheet, f.cell) {
                (Some(file), Some(sheet), Some(cell)) => {
                    map.get(&(file.clone(), sheet.clone(), cell))
                }
                _ => None,
            };
            let (sheet, cell) = match target {
                Some((s, r, c)) => {
                    if f.level == Level::Error {
                        // Every cell the problem involves, so that the unit does not fix
                        // the wrong one (a funding sum: the total and all five sources).
                        let mut cols = involved(f.code, s, history.is_some());
                        if !cols.contains(c) {
                            cols.insert(0, *c);
                        }
                        for col in cols {
                            marks.push(Mark {
                                sheet: s.clone(),
                                row: *r,
                                col,
                                note: f.message.clone(),
                            });
                        }
                    }
                    (s.clone(), crate::model::a1(*r, *c as u32))
                }
                None => (String::new(), String::new()),
            };
            let sent = match (&f.sheet, f.cell) {
                (Some(s), Some(c)) => Some((s.to_string(), crate::model::a1(c.row, c.col))),
                _ => None,
            };
            let sent_at = sent
                .filter(|(s, c)| (s, c) != (&sheet, &cell))
                .map(|(s, c)| format!("{s}!{c}"));
            problems.push(Problem {
                level: f.level,
                code: f.code,
                sheet,
                cell,
                sent_at,
                message: f.message.clone(),
            });
        }
        // Several problems on one cell share one note.
        let mut merged: Vec<Mark> = Vec::new();
        for m in marks {
            match merged
                .iter_mut()
                .find(|x| x.sheet == m.sheet && x.row == m.row && x.col == m.col)
            {
                Some(x) => {
                    x.note.push('\n');
                    x.note.push_str(&m.note);
                }
                None => merged.push(m),
            }
        }
        out.push(Correction {
            unit: unit.clone(),
            values: ret.map(values_of).unwrap_or_default(),
            marks: merged,
            problems,
            history,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::model::Period;
    use crate::testkit::*;

    /// 甲 sent its rows in its own order (T2 first) and at its own rows; the findings land on
    /// the re-made return's rows, which follow the task list.
    #[test]
    fn findings_mark_the_cells_of_the_remade_return() {
        let config = Config::embedded();
        let may = Period::new(2020, 5).unwrap();
        let jun = Period::new(2020, 6).unwrap();
        let tasks = TaskList::new(
            vec![
                task("T1", &["甲"], Some(100.0), None),
                task("T2", &["甲"], Some(100.0), None),
            ],
            None,
            String::new(),
        );
        let june = ret(
            "甲",
            jun,
            "6/甲.xlsx",
            25,
            vec![
                prow("T2", 9, Some(1.0), Some(200.0)),
                prow("T1", 10, Some(1.0), Some(40.0)),
            ],
        );
        let may_ret = ret(
            "甲",
            may,
            "5/甲.xlsx",
            25,
            vec![
                prow("T1", 5, Some(50.0), Some(50.0)),
                prow("T2", 6, Some(199.0), Some(199.0)),
            ],
        );
        let batch = crate::validate::validate(tasks, vec![], vec![june, may_ret], jun, &config);
        let c = corrections(&batch);
        assert_eq!(c.len(), 1);
        let c = &c[0];
        assert_eq!(c.unit, "甲");
        let ytd_col = pc::ALL.iter().position(|h| *h == pc::YTD).unwrap() as u16;
        let first = layout::RETURN_HEADER_ROW + 1;
        // T1's falling cumulative (source row 11, F11) is marked on T1's row: the first.
        assert_eq!(c.marks.len(), 1, "{:?}", c.marks);
        let m = &c.marks[0];
        assert_eq!(
            (m.sheet.as_str(), m.row, m.col),
            (layout::SHEET_PROGRESS, first, ytd_col)
        );
        assert!(m.note.contains("50"), "{}", m.note);
        // The 问题清单 names the re-made cell; T2 over its target is a warning: listed, not
        // marked.
        let cum = c
            .problems
            .iter()
            .find(|p| p.code == Code::CumDecrease)
            .unwrap();
        assert_eq!(cum.cell, crate::model::a1(first, ytd_col as u32));
        // The unit's own file had it at another row: both places are given.
        let sent = format!("{}!{}", layout::SHEET_PROGRESS, crate::model::a1(10, 5));
        assert_eq!(cum.sent_at.as_deref(), Some(sent.as_str()), "{cum:?}");
        let over = c
            .problems
            .iter()
            .find(|p| p.code == Code::OverTarget)
            .unwrap();
        assert_eq!(over.level, Level::Warning);
        assert_eq!(over.cell, crate::model::a1(first + 1, ytd_col as u32));
        // The values are the unit's, under the re-made order.
        assert_eq!(c.values.progress["T1"].ytd, Raw::Number(40.0));
    }
}
