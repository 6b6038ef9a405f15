//! What the console says: the closing summary of `run` and the report of `check` (text or
//! JSON lines).

use crate::app::RunOutcome;
use crate::validate::Batch;

/// The closing summary of `run` on stderr, in Chinese.
pub fn run_report(o: &RunOutcome) -> String {
    let b = &o.loaded.batch;
    let t = &o.summary.roster;
    let (e, w, _) = b.counts;
    let mut s = String::new();
    for n in &b.notices {
        s.push_str(&format!("注意：{n}\n"));
    }
    s.push_str(&format!(
        "汇总完成：{}，读取 {} 个文件。应报 {} 家，已报 {} 家（按时 {} 家，逾期 {} 家），未报 {} 家",
        b.period.label(),
        o.loaded.files,
        t.due,
        t.reported,
        t.on_time,
        t.late.len(),
        t.missing.len()
    ));
    if !t.missing.is_empty() {
        s.push_str(&format!("：{}", t.missing.join("、")));
    }
    if !t.unrecognised.is_empty() {
        s.push_str(&format!(
            "；已报但无法识别 {} 家：{}（报来的文件读不出表格）",
            t.unrecognised.len(),
            t.unrecognised.join("、")
        ));
    }
    s.push_str("。\n");
    if e + w == 0 {
        s.push_str("数据检查：没有发现问题。\n");
    } else {
        s.push_str(&format!(
            "数据检查：错误 {e} 条，警告 {w} 条，逐条列在汇总表的“数据校验”页（也可运行 huizong check 查看）。\n"
        ));
    }
    if b.strays > 0 {
        s.push_str(&format!("{}。\n", crate::messages::strays_apart(b.strays)));
    }
    if !o.loaded.log.is_empty() {
        s.push_str(&format!(
            "读取过程的详细记录（供维护人员查看）：{}\n",
            o.loaded.log.path().display()
        ));
    }
    s.push_str(&format!("汇总表：{}\n", o.summary_path.display()));
    if let Some(p) = &o.statistics {
        s.push_str(&format!("投资完成情况表（可报上级）：{}\n", p.display()));
    }
    match &o.brief {
        Ok(p) => s.push_str(&format!(
            "通报草稿（数字取自汇总表，请修改后印发）：{}\n",
            p.display()
        )),
        Err(crate::write::brief::Skipped::EmptyMonth) => {
            s.push_str("通报草稿：本月没有收到任何单位的月报，没有写通报草稿。\n")
        }
        Err(crate::write::brief::Skipped::Disabled) => {}
    }
    if let Some(p) = &o.upward {
        s.push_str(&format!(
            "报上级的月报（已填好本月汇总数；标红的数待核或不全，构成见“下级明细”页）：{}\n",
            p.display()
        ));
    }
    if !o.corrections.is_empty() {
        let dir = o.corrections[0]
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        s.push_str(&format!(
            "退回修改：{} 个单位有错误，已为每个单位生成标出问题单元格的工作簿，保存在 {dir}\n",
            o.corrections.len()
        ));
    }
    s
}

/// The line `check` closes with on standard error, while its list goes to standard output.
pub fn check_closing(b: &Batch) -> String {
    let (e, w, i) = b.counts;
    let strays = if b.strays > 0 {
        format!("；{}", crate::messages::strays_apart(b.strays))
    } else {
        String::new()
    };
    format!(
        "检查完成：{}，错误 {e} 条，警告 {w} 条，提示 {i} 条{strays}（问题列表输出在标准输出，可用 > 问题.txt 保存）。",
        b.period.label()
    )
}

/// `check` as text: findings grouped by unit.
pub fn check_text(b: &Batch) -> String {
    let mut out = String::new();
    for n in &b.notices {
        out.push_str(&format!("注意：{n}\n"));
    }
    let (e, w, i) = b.counts;
    out.push_str(&format!(
        "{} 数据检查：错误 {e} 条，警告 {w} 条，提示 {i} 条\n",
        b.period.label()
    ));
    if b.strays > 0 {
        out.push_str(&format!("{}\n", crate::messages::strays_apart(b.strays)));
    }
    let mut current: Option<Option<String>> = None;
    for f in &b.findings {
        if current.as_ref() != Some(&f.unit) {
            current = Some(f.unit.clone());
            out.push_str(&format!(
                "\n【{}】\n",
                f.unit
                    .clone()
                    .unwrap_or_else(|| "任务清单及其他文件".into())
            ));
        }
        let mut place = Vec::new();
        if let Some(file) = &f.file {
            place.push(file.clone());
        }
        if let Some(sheet) = &f.sheet {
            place.push(sheet.to_string());
        }
        if let Some(cell) = f.cell {
            place.push(cell.to_string());
        }
        let place = if place.is_empty() {
            String::new()
        } else {
            format!(" {}", place.join(" › "))
        };
        out.push_str(&format!(
            "  [{}] {}{}：{}\n",
            f.level.label(),
            f.code,
            place,
            f.message
        ));
    }
    out
}

/// One JSON object per finding per line.
pub fn check_json(b: &Batch) -> String {
    let mut out = String::new();
    for f in &b.findings {
        out.push_str(&serde_json::to_string(f).unwrap_or_default());
        out.push('\n');
    }
    out
}
