//! 固定资产投资: per project and unit, with category, unit and grand totals.

use super::common::*;
use crate::write::measure;

/// What each line shows in its name, category and unit columns.
fn labels(l: &crate::consolidate::InvestLine, config: &Config) -> (String, String, String, String) {
    match l.kind {
        InvestKind::Project => (
            l.project_id.clone(),
            l.project_name.clone(),
            l.category.clone(),
            config.short_name(&l.unit).to_string(),
        ),
        InvestKind::CategorySubtotal => (
            String::new(),
            format!("{}小计", l.category),
            l.category.clone(),
            String::new(),
        ),
        InvestKind::UnitSubtotal => (
            String::new(),
            format!("{}小计", config.short_name(&l.unit)),
            String::new(),
            l.unit.clone(),
        ),
        InvestKind::Total => (
            String::new(),
            "合计".to_string(),
            String::new(),
            String::new(),
        ),
    }
}

/// Amount columns as wide as their widest figure, bold totals included; names and texts
/// wrapped in columns narrowed until the sheet prints at 82 % or more.
fn invest_widths(s: &Summary, config: &Config) -> Widths {
    let mut w = header_widths(&INVEST_HEADERS, 4.0);
    for l in &s.invest {
        let bold = l.kind != InvestKind::Project;
        let (id, name, cat, unit) = labels(l, config);
        w.text(0, &id, false);
        w.text(1, &name, bold);
        w.text(2, &cat, bold);
        w.text(3, &unit, bold);
        w.text(4, &l.nature, false);
        let figures = [(5, Some(l.plan)), (6, l.month), (7, l.ytd)]
            .into_iter()
            .chain((0..5).map(|k| (9 + k, l.funds[k])));
        for (c, v) in figures {
            w.figure_bold(c, v, Shown::Money, bold);
        }
        w.figure(8, l.rate, Shown::Percent);
        w.text(14, &l.image, false);
    }
    for (c, max) in [(1, 22.0), (2, 9.5), (3, 12.0), (14, 16.0)] {
        w.at_most(c, max);
    }
    w.fit_page(&[(1, 14.0), (14, 10.0), (3, 8.0), (2, 7.0)], PRINT_SCALE);
    w
}

/// Why a subtotal's funding columns do not add up to its year-to-date.
fn funds_note(l: &crate::consolidate::InvestLine) -> String {
    let money = |v: f64| measure::shown(v, Shown::Money);
    let mut lines = vec![format!(
        "其中各项之和为 {}，与自年初累计 {} 不等：",
        l.funds_total.map_or_else(|| "—".to_string(), money),
        l.ytd.map_or_else(|| "—".to_string(), money)
    )];
    if !l.funds_unbalanced.is_empty() {
        lines.push("以下项目本身的资金来源之和与累计不符（错误待核，已计入）：".to_string());
        for g in &l.funds_unbalanced {
            lines.push(format!(
                "{}：其中合计 {}，累计 {}",
                g.project,
                money(g.funds),
                money(g.ytd)
            ));
        }
    }
    if !l.funds_unfilled.is_empty() {
        lines.push(format!(
            "以下项目填了累计、没有填资金来源：{}",
            l.funds_unfilled.join("、")
        ));
    }
    lines.join("\n")
}

pub(super) fn invest_sheet(s: &Summary, config: &Config) -> XResult<Worksheet> {
    let title = format!("{}交通固定资产投资完成情况", s.period.label());
    // Every figure, bold totals included, fits its column: never `###` on paper.
    let widths = invest_widths(s, config);
    let mut sheet = table_sheet(
        SHEET_INVEST,
        &title,
        if s.plans_from_returns {
            "单位：万元。任务清单没有年度计划投资，本年计划投资取各单位月报中自己填报的数。先按类别列出项目和类别小计，再按单位小计，最后为合计。黄色的数字含有错误待核或缺报的部分，批注写明。"
        } else {
            "单位：万元。多家单位共同负责的项目按单位分行：任务清单分解到各单位的，本年计划投资和完成率按各单位自己的；没有分解的，单位行不列计划和完成率（共同项目未分解），项目的计划只计入类别小计和合计一次。先按类别列出项目和类别小计，再按单位小计，最后为合计。黄色的数字含有错误待核或缺报的部分，批注写明。"
        },
        &INVEST_HEADERS,
        &widths.0,
    )?;
    let ws = &mut sheet;
    let mut r = TABLE_HEADER_ROW + 1;
    let mut unit_header_done = false;
    // No project anywhere: one line that says so, not a 合计 of 0.
    let no_projects = !s.has_projects;
    if no_projects {
        ws.merge_range(
            r,
            0,
            r,
            14,
            "任务清单和各单位月报中都没有投资项目",
            &fm::Cell::new(Kind::Text).format(),
        )?;
    }
    for l in s.invest.iter().filter(|_| !no_projects) {
        let (fill, bold) = match l.kind {
            InvestKind::Project => (None, false),
            InvestKind::CategorySubtotal | InvestKind::UnitSubtotal => {
                (Some(fm::SUBTOTAL_FILL), true)
            }
            InvestKind::Total => (Some(fm::TOTAL_FILL), true),
        };
        if l.kind == InvestKind::UnitSubtotal && !unit_header_done {
            unit_header_done = true;
            ws.merge_range(r, 0, r, 14, "按责任单位汇总", &fm::header())?;
            r += 1;
        }
        let tx = fm::Cell::new(Kind::Text).fill(fill).bold_if(bold).format();
        let ce = fm::Cell::new(Kind::Center)
            .fill(fill)
            .bold_if(bold)
            .format();
        let m = fm::Cell::new(Kind::Money).fill(fill).bold_if(bold).format();
        let (id, name, cat, unit) = labels(l, config);
        text(ws, r, 0, &id, &ce)?;
        text(ws, r, 1, &name, &tx)?;
        text(ws, r, 2, &cat, &ce)?;
        text(ws, r, 3, &unit, &tx)?;
        text(ws, r, 4, &l.nature, &ce)?;
        // A shared project not broken down: no plan of the unit's own, and no rate.
        num(ws, r, 5, (!l.undivided).then_some(l.plan), &m)?;
        if l.undivided {
            note(ws, r, 5, crate::messages::UNDIVIDED)?;
        }
        if !l.left_out.is_empty() {
            note(ws, r, 5, &crate::messages::left_out(&l.left_out))?;
        }
        // A figure resting on a disputed part, or a sum lacking an owed one: marked, with
        // a note saying which and why.
        let disputed = !l.disputed.is_empty();
        let lacking = l.kind != InvestKind::Project && !l.missing.is_empty();
        // The month, year-to-date, rate and funding columns rest on the same parts: marked
        // alike.
        let figure_fill = (disputed || lacking).then_some(fm::DISPUTED_FILL).or(fill);
        let marked = fm::Cell::new(Kind::Money)
            .fill(figure_fill)
            .bold_if(bold)
            .format();
        let marked_rate = fm::Cell::new(Kind::Percent)
            .fill(figure_fill)
            .bold_if(bold)
            .format();
        num(ws, r, 6, l.month, &marked)?;
        num(ws, r, 7, l.ytd, &marked)?;
        let missing: &[String] = if lacking { &l.missing } else { &[] };
        if let Some(why) = parts_note(&l.disputed, missing) {
            note(ws, r, 7, &why)?;
        }
        num(ws, r, 8, l.rate, &marked_rate)?;
        for k in 0..5 {
            num(ws, r, 9 + k as u16, l.funds[k], &marked)?;
        }
        if l.funds_differ && l.kind != InvestKind::Project {
            note(ws, r, 9, &funds_note(l))?;
        }
        let image = if l.kind == InvestKind::Project && !l.reported {
            "（本月未报）".to_string()
        } else {
            l.image.clone()
        };
        let indented = fm::Cell::new(Kind::Text)
            .fill(fill)
            .bold_if(bold)
            .indent()
            .format();
        text(ws, r, 14, &image, &indented)?;
        ws.set_row_height(
            r,
            height(
                &widths,
                &[
                    (1, &name, bold),
                    (2, &cat, bold),
                    (3, &unit, bold),
                    (14, &image, false),
                ],
            ),
        )?;
        r += 1;
    }
    Ok(sheet)
}
