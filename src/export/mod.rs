//! `--export`: the consolidated long tables (progress, investment, findings) for other
//! tools, as CSV ([`csv`]) or Parquet ([`parquet`]).

pub mod csv;
pub mod parquet;

use crate::layout::{invest as ic, progress as pc};
use crate::model::fmt_num;
use crate::validate::Batch;

/// A cell of a long table: text, or a figure (kept as a number for Parquet).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Figure(Option<f64>),
}

impl Value {
    /// The cell as CSV text.
    pub fn text(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Figure(v) => v.map(fmt_num).unwrap_or_default(),
        }
    }
}

fn num(v: Option<f64>) -> Value {
    Value::Figure(v)
}

fn txt(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

/// The columns of the long tables that hold figures.
const FIGURES: [&str; 10] = [
    pc::MONTH,
    pc::YTD,
    ic::PLAN,
    ic::MONTH,
    ic::YTD,
    ic::F1,
    ic::F2,
    ic::F3,
    ic::F4,
    ic::F5,
];

/// Whether a column of the long tables holds figures (typed as numbers in Parquet).
pub fn is_figure(column: &str) -> bool {
    FIGURES.contains(&column)
}

/// A long table: file name, header, rows.
pub type Table = (&'static str, Vec<&'static str>, Vec<Vec<Value>>);

/// The long tables of the period.
pub fn tables(batch: &Batch) -> Vec<Table> {
    let period = batch.period.code();
    let mut progress = Vec::new();
    for r in &batch.current {
        for (row, part) in r.progress_parts() {
            progress.push(vec![
                txt(&period),
                txt(&r.unit),
                txt(&row.task_id.value),
                num(row.month.value),
                num(row.ytd.value),
                txt(&row.status.value),
                txt(&row.progress.value),
                txt(&row.problems.value),
                txt(&row.next_steps.value),
                txt(r.progress_file.clone().unwrap_or_default()),
                txt(&*row.ytd.at.sheet),
                txt(row.ytd.at.a1()),
                txt(part.label()),
            ]);
        }
    }
    let mut invest = Vec::new();
    for r in &batch.current {
        for (row, part) in r.invest_parts() {
            let mut line = vec![
                txt(&period),
                txt(&r.unit),
                txt(&row.project_id.value),
                txt(&row.nature.value),
                num(row.plan.value),
                num(row.month.value),
                num(row.ytd.value),
            ];
            line.extend(row.funds.iter().map(|f| num(f.value)));
            line.push(txt(r.invest_file.clone().unwrap_or_default()));
            line.push(txt(&*row.ytd.at.sheet));
            line.push(txt(row.ytd.at.a1()));
            line.push(txt(part.label()));
            invest.push(line);
        }
    }
    let findings = batch
        .findings
        .iter()
        .map(|f| {
            vec![
                txt(f.level.label()),
                txt(f.code.as_str()),
                txt(f.unit.clone().unwrap_or_default()),
                txt(f.period.clone().unwrap_or_default()),
                txt(f.file.clone().unwrap_or_default()),
                txt(f.sheet.as_deref().unwrap_or_default()),
                txt(f.cell.map(|c| c.to_string()).unwrap_or_default()),
                txt(&f.message),
            ]
        })
        .collect();
    vec![
        (
            "progress",
            vec![
                "报送月份",
                "单位",
                pc::ID,
                pc::MONTH,
                pc::YTD,
                pc::STATUS,
                pc::PROGRESS,
                pc::PROBLEMS,
                pc::NEXT,
                "文件",
                "工作表",
                "单元格",
                "数据状态",
            ],
            progress,
        ),
        (
            "investment",
            vec![
                "报送月份",
                "单位",
                ic::ID,
                ic::NATURE,
                ic::PLAN,
                ic::MONTH,
                ic::YTD,
                ic::F1,
                ic::F2,
                ic::F3,
                ic::F4,
                ic::F5,
                "文件",
                "工作表",
                "单元格",
                "数据状态",
            ],
            invest,
        ),
        (
            "findings",
            vec![
                "级别",
                "代码",
                "单位",
                "报送月份",
                "文件",
                "工作表",
                "单元格",
                "说明",
            ],
            findings,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::model::{Period, TaskList};
    use crate::testkit::*;

    /// The exports hold the rows the summary holds: a duplicate row (E-TASK-DUP-ROW) and a
    /// row of a task not in the list (E-TASK-UNKNOWN) are findings, not data.
    #[test]
    fn exports_take_the_accepted_rows_only() {
        let jun = Period::new(2020, 6).unwrap();
        let tasks = TaskList::new(
            vec![task("T1", &["甲"], Some(100.0), Some(50.0))],
            None,
            String::new(),
        );
        let mut r = ret(
            "甲",
            jun,
            "6/甲.xlsx",
            25,
            vec![
                prow("T1", 5, Some(1.0), Some(1.0)),
                prow("T1", 6, Some(9.0), Some(9.0)),
                prow("T8", 7, Some(2.0), Some(2.0)),
            ],
        );
        r.invest = Some(vec![
            irow("T1", 5, Some(3.0), Some(3.0)),
            irow("T1", 6, Some(7.0), Some(7.0)),
        ]);
        let batch = crate::validate::validate(tasks, vec![], vec![r], jun, &Config::embedded());
        let t = tables(&batch);
        let (_, progress_header, progress) = &t[0];
        let ytd = progress_header.iter().position(|h| *h == pc::YTD).unwrap();
        assert_eq!(progress.len(), 1);
        assert_eq!(progress[0][ytd], Value::Figure(Some(1.0)));
        let (_, invest_header, invest) = &t[1];
        let ytd = invest_header.iter().position(|h| *h == ic::YTD).unwrap();
        assert_eq!(invest.len(), 1);
        assert_eq!(invest[0][ytd], Value::Figure(Some(3.0)));
    }
}
