//! Turns the task list table into tasks: pure code, every bad row a finding with its cell.

use std::collections::HashMap;

use crate::config::Config;
use crate::finding::{Code, Finding};
use crate::layout::tasks as col;
use crate::messages as msg;
use crate::model::{Raw, RawTable, Task, TaskList};
use crate::normalize::{NumberRead, parse_deadline_text, parse_number_text, split_units};

/// Builds the task list from its table. Bad rows are left out with a finding; the rest loads.
pub fn build(table: &RawTable, file: Option<&str>, config: &Config) -> (TaskList, Vec<Finding>) {
    let mut findings = Vec::new();
    let mut tasks: Vec<Task> = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    let i = |name: &str| table.index(name);
    let finding = |code, cell: crate::model::CellRef, text: String| {
        let mut f = Finding::new(code, text).at(&cell);
        if let Some(file) = file {
            f = f.file(file.to_string());
        }
        f
    };
    for name in [col::ID, col::CATEGORY, col::NAME, col::UNITS] {
        if table.cols[i(name)].is_none() {
            findings.push(finding(
                Code::TaskList,
                table.cell(table.header_row, i(name)),
                msg::tasklist_missing_column(name),
            ));
        }
    }
    for row in &table.rows {
        let text = |name: &str| row.cells[i(name)].display().trim().to_string();
        let cell = |name: &str| table.cell(row.row, i(name));
        let id = text(col::ID);
        if id.is_empty() {
            findings.push(finding(Code::TaskList, cell(col::ID), msg::task_id_empty()));
            continue;
        }
        if let Some(first) = seen.get(&id) {
            findings.push(finding(
                Code::TaskList,
                cell(col::ID),
                msg::task_id_duplicate(&id, first),
            ));
            continue;
        }
        seen.insert(id.clone(), cell(col::ID).a1());
        for name in [col::CATEGORY, col::NAME] {
            if text(name).is_empty() {
                findings.push(finding(
                    Code::TaskListWarning,
                    cell(name),
                    msg::task_field_empty(name, &id),
                ));
            }
        }
        let units: Vec<String> = split_units(&text(col::UNITS))
            .iter()
            .map(|u| config.resolve_unit(u))
            .fold(Vec::new(), |mut acc, u| {
                if !acc.contains(&u) {
                    acc.push(u);
                }
                acc
            });
        if units.is_empty() {
            findings.push(finding(
                Code::TaskList,
                cell(col::UNITS),
                msg::task_no_units(&id),
            ));
            continue;
        }
        let partners = split_units(&text(col::PARTNERS))
            .iter()
            .map(|u| config.resolve_unit(u))
            .collect();
        let mut measure = Some(text(col::MEASURE)).filter(|m| !m.is_empty());
        let mut target = None;
        if measure.is_some() {
            match number(&row.cells[i(col::TARGET)], config) {
                Some(Ok(v)) => target = Some(v),
                Some(Err(raw)) => {
                    findings.push(finding(
                        Code::TaskList,
                        cell(col::TARGET),
                        msg::task_target_bad(&id, &raw),
                    ));
                    measure = None;
                }
                None => {
                    findings.push(finding(
                        Code::TaskList,
                        cell(col::TARGET),
                        msg::task_target_missing(&id),
                    ));
                    measure = None;
                }
            }
        }
        let plan_investment = match number(&row.cells[i(col::PLAN)], config) {
            Some(Ok(v)) => Some(v),
            Some(Err(raw)) => {
                findings.push(finding(
                    Code::TaskList,
                    cell(col::PLAN),
                    msg::task_plan_bad(&id, &raw),
                ));
                None
            }
            None => None,
        };
        let deadline_raw = &row.cells[i(col::DEADLINE)];
        let (deadline_text, deadline_month) = match deadline_raw {
            Raw::Date(d) => (d.format("%Y-%m-%d").to_string(), chrono::Datelike::month(d)),
            other => {
                let t = other.display();
                match parse_deadline_text(&t) {
                    Some(m) => (t, m),
                    None => {
                        findings.push(finding(
                            Code::TaskListWarning,
                            cell(col::DEADLINE),
                            msg::task_deadline_bad(&id, &t),
                        ));
                        (t, 12)
                    }
                }
            }
        };
        tasks.push(Task {
            id,
            category: text(col::CATEGORY),
            name: text(col::NAME),
            content: text(col::CONTENT),
            measure,
            target,
            plan_investment,
            units,
            partners,
            deadline_text,
            deadline_month,
            row: row.row,
        });
    }
    (
        TaskList::new(tasks, file.map(str::to_string), table.sheet.to_string()),
        findings,
    )
}

/// A number cell: `None` when empty, `Err(raw text)` when not a figure.
fn number(raw: &Raw, config: &Config) -> Option<Result<f64, String>> {
    match raw {
        Raw::Empty => None,
        Raw::Number(v) => Some(Ok(*v)),
        Raw::Text(t) => match parse_number_text(t, &config.number_suffixes) {
            NumberRead::Value(v) => Some(Ok(v)),
            NumberRead::Placeholder => None,
            NumberRead::Invalid(_) => Some(Err(t.clone())),
        },
        other => Some(Err(other.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RawRow, TableKind};

    fn table(rows: Vec<Vec<Raw>>) -> RawTable {
        RawTable {
            kind: TableKind::Tasks,
            sheet: "任务清单".into(),
            header_row: 1,
            cols: (0..10).map(Some).collect(),
            extras: vec![],
            rows: rows
                .into_iter()
                .enumerate()
                .map(|(k, cells)| RawRow {
                    row: 2 + k as u32,
                    cells,
                })
                .collect(),
        }
    }

    fn t(s: &str) -> Raw {
        if s.is_empty() {
            Raw::Empty
        } else {
            Raw::Text(s.into())
        }
    }

    fn row(id: &str, measure: &str, target: Raw, units: &str, deadline: &str) -> Vec<Raw> {
        vec![
            t(id),
            t("农村公路"),
            t("名称"),
            t(""),
            t(measure),
            target,
            Raw::Empty,
            t(units),
            t(""),
            t(deadline),
        ]
    }

    #[test]
    fn bad_rows_become_findings_with_cells_and_the_rest_loads() {
        let c = Config::embedded();
        let (list, findings) = build(
            &table(vec![
                row(
                    "T1",
                    "公里",
                    Raw::Number(10.0),
                    "长春市交通局、吉林市",
                    "2020年6月底",
                ),
                row("", "公里", Raw::Number(1.0), "长春", ""),
                row("T1", "", Raw::Empty, "长春", ""),
                row("T2", "座", t("约5座"), "长春", ""),
                row("T3", "", Raw::Empty, "", ""),
                row("T4", "", Raw::Empty, "某县交通局", "长期坚持"),
            ]),
            Some("任务清单.xlsx"),
            &c,
        );
        let ids: Vec<&str> = list.tasks.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, vec!["T1", "T2", "T4"]);
        assert_eq!(
            list.tasks[0].units,
            vec!["长春市交通运输局", "吉林市交通运输局"]
        );
        assert_eq!(list.tasks[0].deadline_month, 6);
        assert_eq!(
            list.tasks[1].measure, None,
            "bad target makes it qualitative"
        );
        assert_eq!(list.tasks[2].units, vec!["某县交通局"]);
        let cells: Vec<(Code, String)> = findings
            .iter()
            .map(|f| (f.code, f.cell.unwrap().to_string()))
            .collect();
        assert_eq!(
            cells,
            vec![
                (Code::TaskList, "A4".to_string()),
                (Code::TaskList, "A5".to_string()),
                (Code::TaskList, "F6".to_string()),
                (Code::TaskList, "H7".to_string()),
            ]
        );
        assert!(findings[1].message.contains("A3"));
    }
}
