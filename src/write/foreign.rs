//! Returns as other programs write them (dev only, feature `samples`): the benchmark corpora
//! and the tests read the same figures through every shape a unit's file comes in. The
//! values are the bench corpus's; only the shape differs.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::layout::{invest as ic, progress as pc};
use crate::model::{Period, Raw, ReturnValues, TaskList, fmt_num};

/// Writes a raw value as a program would: a figure as a number, or (`as_text`) as the text
/// a person typed.
fn put(ws: &mut Worksheet, r: u32, c: u16, v: &Raw, as_text: bool) -> Result<(), XlsxError> {
    match v {
        Raw::Number(n) if as_text => ws.write_string(r, c, fmt_num(*n))?,
        Raw::Number(n) => ws.write_number(r, c, *n)?,
        Raw::Empty => ws,
        other => ws.write_string(r, c, other.display())?,
    };
    Ok(())
}

/// A new sheet whose strings are written inline (`inline`) or shared.
fn sheet(wb: &mut Workbook, inline: bool) -> Result<&mut Worksheet, XlsxError> {
    if inline {
        wb.add_worksheet_with_constant_memory()
    } else {
        Ok(wb.add_worksheet())
    }
}

/// A return in the contract's layout as another program writes it (a script, an export): no
/// hidden sheet, identity from the labels only; its strings inline with `inline` (else
/// shared); a figure in about thirty typed as text.
pub fn other_program(
    list: &TaskList,
    unit: &str,
    p: Period,
    v: &ReturnValues,
    inline: bool,
) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    // One figure in about thirty typed as text (`12.5` in a text cell).
    let as_text = |key: &str| {
        key.bytes()
            .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32))
            % 30
            == 0
    };
    let labels = |ws: &mut Worksheet, title: &str| -> Result<(), XlsxError> {
        ws.write_string(0, 0, format!("{unit}{}{title}", p.label()))?;
        ws.write_string(1, 0, "填报单位：")?;
        ws.write_string(1, 1, unit)?;
        ws.write_string(1, 3, "报送月份：")?;
        ws.write_string(1, 4, p.label())?;
        ws.write_string(2, 0, "填报人：")?;
        ws.write_string(2, 1, &v.reporter)?;
        ws.write_string(2, 3, "联系电话：")?;
        ws.write_string(2, 4, &v.phone)?;
        ws.write_string(2, 6, "填报日期：")?;
        ws.write_string(2, 7, v.fill_date.display())?;
        Ok(())
    };
    let ws = sheet(&mut wb, inline)?;
    ws.set_name("重点任务进展")?;
    labels(ws, "重点任务进展情况表")?;
    for (c, h) in pc::ALL.iter().enumerate() {
        ws.write_string(4, c as u16, *h)?;
    }
    let mut r = 5;
    for t in list.tasks_of(unit) {
        let Some(pv) = v.progress.get(&t.id) else {
            continue;
        };
        ws.write_string(r, 0, &t.id)?;
        ws.write_string(r, 1, &t.name)?;
        ws.write_string(r, 2, t.measure.as_deref().unwrap_or(""))?;
        if let Some(target) = t.target {
            ws.write_number(r, 3, target)?;
        }
        put(ws, r, 4, &pv.month, as_text(&format!("{}m{r}", t.id)))?;
        put(ws, r, 5, &pv.ytd, as_text(&format!("{}y{r}", t.id)))?;
        for (c, text) in [
            (6, &pv.status),
            (7, &pv.progress),
            (8, &pv.problems),
            (9, &pv.next_steps),
        ] {
            if !text.is_empty() {
                ws.write_string(r, c, text)?;
            }
        }
        r += 1;
    }
    let ws = sheet(&mut wb, inline)?;
    ws.set_name("固定资产投资")?;
    labels(ws, "交通固定资产投资完成情况表")?;
    for (c, h) in ic::ALL.iter().enumerate() {
        ws.write_string(4, c as u16, *h)?;
    }
    let mut r = 5;
    for t in list.tasks_of(unit) {
        let Some(iv) = v.invest.get(&t.id) else {
            continue;
        };
        ws.write_string(r, 0, &t.id)?;
        ws.write_string(r, 1, &t.name)?;
        ws.write_string(r, 2, &iv.nature)?;
        if let Some(plan) = t.own_plan(unit) {
            ws.write_number(r, 3, plan)?;
        }
        put(ws, r, 4, &iv.month, false)?;
        put(ws, r, 5, &iv.ytd, as_text(&format!("{}i{r}", t.id)))?;
        for (k, f) in iv.funds.iter().enumerate() {
            put(ws, r, 6 + k as u16, f, false)?;
        }
        if !iv.image.is_empty() {
            ws.write_string(r, 11, &iv.image)?;
        }
        r += 1;
    }
    Ok(wb)
}

/// A return in a unit's own form: a title instead of labels, a two-row header with a merged
/// 完成情况, rows named by the task (序号, no id), a signature line; investment on its own
/// sheet in 元 under a `单位：元` line, 资金来源 merged over the five sources.
pub fn own_form(
    list: &TaskList,
    unit: &str,
    p: Period,
    v: &ReturnValues,
) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("进展情况")?;
    ws.merge_range(
        0,
        0,
        0,
        5,
        &format!("{unit}{}重点任务进展", p.label()),
        &Format::new(),
    )?;
    let plain = Format::new();
    for (c, h) in [
        (0, "序号"),
        (1, "任务名称"),
        (4, "完成状态"),
        (5, "存在问题"),
    ] {
        ws.merge_range(1, c, 2, c, h, &plain)?;
    }
    ws.merge_range(1, 2, 1, 3, "完成情况", &plain)?;
    ws.write_string(2, 2, "本月")?;
    ws.write_string(2, 3, "自年初累计")?;
    let mut r = 3;
    for (k, t) in list.tasks_of(unit).enumerate() {
        let Some(pv) = v.progress.get(&t.id) else {
            continue;
        };
        ws.write_number(r, 0, (k + 1) as f64)?;
        ws.write_string(r, 1, &t.name)?;
        put(ws, r, 2, &pv.month, false)?;
        put(ws, r, 3, &pv.ytd, false)?;
        ws.write_string(r, 4, &pv.status)?;
        if !pv.problems.is_empty() {
            ws.write_string(r, 5, &pv.problems)?;
        }
        r += 1;
    }
    ws.write_string(
        r + 1,
        0,
        format!(
            "填报人：{}　　联系电话：{}　　填报日期：{}",
            v.reporter,
            v.phone,
            v.fill_date.display()
        ),
    )?;
    let ws = wb.add_worksheet();
    ws.set_name("投资")?;
    ws.write_string(0, 0, format!("{}交通固定资产投资完成情况", p.label()))?;
    ws.write_string(1, 0, "单位：元")?;
    for (c, h) in [
        (0, "序号"),
        (1, "项目名称"),
        (2, "本年计划投资"),
        (3, "本月完成投资"),
        (4, "自年初累计完成投资"),
        (10, "形象进度"),
    ] {
        ws.merge_range(2, c, 3, c, h, &plain)?;
    }
    ws.merge_range(2, 5, 2, 9, "资金来源", &plain)?;
    for (k, h) in ["中央车购税", "省级资金", "市县资金", "银行贷款", "其他资金"]
        .iter()
        .enumerate()
    {
        ws.write_string(3, 5 + k as u16, *h)?;
    }
    // 元: the 万元 figures × 10,000.
    let yuan = |raw: &Raw| match raw {
        Raw::Number(n) => Raw::Number((n * 10_000.0 * 100.0).round() / 100.0),
        other => other.clone(),
    };
    let mut r = 4;
    for (k, t) in list.tasks_of(unit).enumerate() {
        let Some(iv) = v.invest.get(&t.id) else {
            continue;
        };
        ws.write_number(r, 0, (k + 1) as f64)?;
        ws.write_string(r, 1, &t.name)?;
        if let Some(plan) = t.own_plan(unit) {
            ws.write_number(r, 2, plan * 10_000.0)?;
        }
        put(ws, r, 3, &yuan(&iv.month), false)?;
        put(ws, r, 4, &yuan(&iv.ytd), false)?;
        for (j, f) in iv.funds.iter().enumerate() {
            put(ws, r, 5 + j as u16, &yuan(f), false)?;
        }
        ws.write_string(r, 10, &iv.image)?;
        r += 1;
    }
    Ok(wb)
}
