//! 固定资产投资: per project and unit, with category, unit and grand totals.

use super::common::*;

pub(super) fn invest_sheet(s: &Summary, config: &Config) -> XResult<Worksheet> {
    let title = format!("{}交通固定资产投资完成情况", s.period.label());
    let mut widths = [
        9.0, 24.0, 10.0, 14.0, 7.0, 12.0, 11.0, 12.0, 7.5, 11.0, 11.0, 11.0, 11.0, 11.0, 16.0,
    ];
    // Every figure, bold totals included, fits its column: never `###` on paper.
    for l in &s.invest {
        let bold = l.kind != InvestKind::Project;
        let figures = [(5, Some(l.plan)), (6, l.month), (7, l.ytd)]
            .into_iter()
            .chain((0..5).map(|k| (9 + k, l.funds[k])));
        for (c, v) in figures {
            if let Some(v) = v {
                widths[c] = f64::max(widths[c], fm::money_width(v, bold));
            }
        }
    }
    let mut sheet = table_sheet(
        SHEET_INVEST,
        &title,
        "单位：万元。多家单位共同负责的项目按单位分行，本年计划投资按责任单位平分。先按类别列出项目和类别小计，再按单位小计，最后为合计。黄色的数字含有错误待核或缺报的部分，批注写明。",
        &INVEST_HEADERS,
        &widths,
    )?;
    let ws = &mut sheet;
    let mut r = TABLE_HEADER_ROW + 1;
    let mut unit_header_done = false;
    for l in &s.invest {
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
        let p = fm::Cell::new(Kind::Percent)
            .fill(fill)
            .bold_if(bold)
            .format();
        let (id, name, cat, unit) = match l.kind {
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
        };
        text(ws, r, 0, &id, &ce)?;
        text(ws, r, 1, &name, &tx)?;
        text(ws, r, 2, &cat, &ce)?;
        text(ws, r, 3, &unit, &tx)?;
        text(ws, r, 4, &l.nature, &ce)?;
        num(ws, r, 5, Some(l.plan), &m)?;
        // A figure resting on a disputed part, or a sum lacking an owed one: marked, with
        // a note saying which and why.
        let disputed = !l.disputed.is_empty();
        let lacking = l.kind != InvestKind::Project && !l.missing.is_empty();
        let marked = if disputed || lacking {
            fm::Cell::new(Kind::Money)
                .fill(Some(fm::DISPUTED_FILL))
                .bold_if(bold)
                .format()
        } else {
            m.clone()
        };
        num(ws, r, 6, l.month, &marked)?;
        num(ws, r, 7, l.ytd, &marked)?;
        if disputed || lacking {
            let mut lines = Vec::new();
            if disputed {
                lines.push(format!(
                    "含有错误待核的数字（已计入）：\n{}",
                    l.disputed.join("\n")
                ));
            }
            if lacking {
                lines.push(format!("不含未报或未填的：{}", l.missing.join("、")));
            }
            note(ws, r, 7, &lines.join("\n"))?;
        }
        num(ws, r, 8, l.rate, &p)?;
        for k in 0..5 {
            num(ws, r, 9 + k as u16, l.funds[k], &m)?;
        }
        let image = if l.kind == InvestKind::Project && !l.reported {
            "（本月未报）".to_string()
        } else {
            l.image.clone()
        };
        text(ws, r, 14, &image, &tx)?;
        ws.set_row_height(
            r,
            fm::row_height(&[(&name, 24.0), (&unit, 14.0), (&image, 16.0)]),
        )?;
        r += 1;
    }
    Ok(sheet)
}
