//! `--export csv`: the consolidated long tables for other tools (UTF-8 with BOM, so that
//! Excel opens the Chinese correctly).

use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::model::fmt_num;
use crate::validate::Batch;
use crate::write::write_atomic;

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn num(v: Option<f64>) -> String {
    v.map(fmt_num).unwrap_or_default()
}

/// A long table: file name, header, rows.
pub type Table = (&'static str, Vec<&'static str>, Vec<Vec<String>>);

/// The long tables of the period.
pub fn tables(batch: &Batch) -> Vec<Table> {
    let period = batch.period.code();
    let mut progress = Vec::new();
    for r in &batch.current {
        for row in &r.progress {
            if batch.tasks.get(&row.task_id.value).is_none() {
                continue;
            }
            progress.push(vec![
                period.clone(),
                r.unit.clone(),
                row.task_id.value.clone(),
                num(row.month.value),
                num(row.ytd.value),
                row.status.value.clone(),
                row.progress.value.clone(),
                row.problems.value.clone(),
                row.next_steps.value.clone(),
                r.progress_file.clone().unwrap_or_default(),
                row.ytd.at.sheet.to_string(),
                row.ytd.at.a1(),
            ]);
        }
    }
    let mut invest = Vec::new();
    for r in &batch.current {
        for row in &r.invest {
            if batch.tasks.get(&row.project_id.value).is_none() {
                continue;
            }
            let mut line = vec![
                period.clone(),
                r.unit.clone(),
                row.project_id.value.clone(),
                row.nature.value.clone(),
                num(row.plan.value),
                num(row.month.value),
                num(row.ytd.value),
            ];
            line.extend(row.funds.iter().map(|f| num(f.value)));
            line.push(r.invest_file.clone().unwrap_or_default());
            line.push(row.ytd.at.sheet.to_string());
            line.push(row.ytd.at.a1());
            invest.push(line);
        }
    }
    let findings = batch
        .findings
        .iter()
        .map(|f| {
            vec![
                f.level.label().to_string(),
                f.code.to_string(),
                f.unit.clone().unwrap_or_default(),
                f.period.clone().unwrap_or_default(),
                f.file.clone().unwrap_or_default(),
                f.sheet.clone().unwrap_or_default(),
                f.cell.clone().unwrap_or_default(),
                f.message.clone(),
            ]
        })
        .collect();
    vec![
        (
            "progress",
            vec![
                "报送月份",
                "单位",
                "任务编号",
                "本月完成",
                "自年初累计完成",
                "完成状态",
                "本月工作进展",
                "存在问题",
                "下步工作打算",
                "文件",
                "工作表",
                "单元格",
            ],
            progress,
        ),
        (
            "investment",
            vec![
                "报送月份",
                "单位",
                "项目编号",
                "建设性质",
                "本年计划投资（万元）",
                "本月完成投资（万元）",
                "自年初累计完成投资（万元）",
                "其中：中央车购税",
                "其中：省级资金",
                "其中：市县资金",
                "其中：银行贷款",
                "其中：其他资金",
                "文件",
                "工作表",
                "单元格",
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

/// Writes `progress.csv`, `investment.csv` and `findings.csv` into `out`.
pub fn write_csv(batch: &Batch, out: &Path) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (name, header, rows) in tables(batch) {
        let mut text = String::from("\u{FEFF}");
        text.push_str(
            &header
                .iter()
                .map(|h| csv_field(h))
                .collect::<Vec<_>>()
                .join(","),
        );
        text.push_str("\r\n");
        for r in rows {
            text.push_str(&r.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(","));
            text.push_str("\r\n");
        }
        let path = out.join(format!("{name}.csv"));
        write_atomic(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}
