//! A template sent by the level above (`tasks --from`, `run --report-to`): whose it is, for
//! which month, the upper office's task list fingerprint and the unit's tasks, all read from
//! its hidden sheet `_huizong`.

use crate::layout::meta;
use crate::model::{Period, RawWorkbook, Task};

/// What an upper office's template says of the unit it was made for.
#[derive(Debug, Clone, PartialEq)]
pub struct Upper {
    /// The unit as the upper office names it.
    pub unit: String,
    pub period: Option<Period>,
    pub fingerprint: String,
    /// The unit's tasks, each with the unit's own part only.
    pub tasks: Vec<Task>,
}

/// Why a workbook cannot serve as the upper office's template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotUpper {
    /// No hidden sheet: not a template huizong made.
    NoMeta,
    /// The blank template, made for no unit.
    Blank,
    /// Made by a huizong that did not yet write the unit's tasks into it.
    Old,
    /// A task row that cannot be read (edited by hand).
    Damaged,
}

impl NotUpper {
    /// What the office is told.
    pub fn message(self) -> &'static str {
        use crate::messages as msg;
        match self {
            NotUpper::NoMeta => msg::UPPER_NO_META,
            NotUpper::Blank => msg::UPPER_BLANK,
            NotUpper::Old => msg::UPPER_OLD,
            NotUpper::Damaged => msg::UPPER_DAMAGED,
        }
    }
}

/// Reads the upper office's template from a read workbook.
pub fn upper_template(wb: &RawWorkbook) -> Result<Upper, NotUpper> {
    if wb.meta.is_empty() {
        return Err(NotUpper::NoMeta);
    }
    let get = |k: &str| {
        wb.meta
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let unit = get(meta::UNIT).ok_or(NotUpper::Blank)?;
    let rows: Vec<&str> = wb
        .meta
        .iter()
        .filter(|(k, _)| k == meta::TASK)
        .map(|(_, v)| v.as_str())
        .collect();
    if rows.is_empty() {
        return Err(NotUpper::Old);
    }
    let tasks = rows
        .iter()
        .map(|v| serde_json::from_str::<Task>(v).map_err(|_| NotUpper::Damaged))
        .collect::<Result<Vec<Task>, NotUpper>>()?;
    Ok(Upper {
        unit,
        period: get(meta::PERIOD).and_then(|p| p.parse::<Period>().ok()),
        fingerprint: get(meta::FINGERPRINT).unwrap_or_default(),
        tasks,
    })
}

impl Upper {
    /// The lower office's own task list from the upper office's tasks: ids, names,
    /// categories and 完成时限 as they are; the unit's own target and plan where the upper
    /// office set one, else no target, the whole task's target said in 主要内容 (a share
    /// nobody set is not the unit's target); 责任单位 left for the lower office to fill.
    pub fn lower_tasks(&self) -> Vec<Task> {
        self.tasks
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let alone = t.units.len() <= 1;
                let (target, plan) = if alone {
                    (t.target, t.plan_investment)
                } else {
                    (t.own_target(&self.unit), t.own_plan(&self.unit))
                };
                let mut content = t.content.clone();
                let whole_target = t.target.filter(|_| !alone && target.is_none());
                let whole_plan = t.plan_investment.filter(|_| !alone && plan.is_none());
                if whole_target.is_some() || whole_plan.is_some() {
                    content.push_str(&crate::messages::upper_shared(
                        whole_target,
                        t.measure.as_deref().unwrap_or(""),
                        whole_plan,
                        t.units.len(),
                    ));
                }
                Task {
                    target,
                    plan_investment: plan,
                    content,
                    units: Vec::new(),
                    partners: Vec::new(),
                    // The upper office's 节点目标 are the whole task's: the unit's own only
                    // when it is the task's one unit.
                    milestones: if alone {
                        t.milestones.clone()
                    } else {
                        Vec::new()
                    },
                    shares: Vec::new(),
                    row: i as u32 + crate::layout::TASKS_HEADER_ROW + 1,
                    ..t.clone()
                }
            })
            .collect()
    }
}

/// A return filled for the level above carries, in its hidden sheet, each figure that is not
/// a plain fact (a lower unit's part disputed or missing). Read at the upper level, each is
/// an error on that figure's cell: the figure arrives disputed, as it left.
pub fn lower_part_findings(
    meta: &[(String, String)],
    ret: &crate::model::ReturnFile,
) -> Vec<crate::finding::Finding> {
    use crate::finding::{Code, Finding};
    let mut out = Vec::new();
    for (_, v) in meta.iter().filter(|(k, _)| k == meta::PART) {
        let Ok(part) = serde_json::from_str::<serde_json::Value>(v) else {
            continue;
        };
        let text = |k: &str| part[k].as_str().unwrap_or("").to_string();
        let (task, field, state, why) = (text("task"), text("field"), text("state"), text("why"));
        let cell = ret.figure_at(&task, &field);
        let code = if state == crate::layout::lower::DISPUTED {
            Code::LowerDisputed
        } else {
            Code::LowerIncomplete
        };
        let mut f = Finding::new(code, crate::messages::lower_part(&task, &field, &why))
            .file(ret.rel.clone());
        if let Some(at) = cell {
            f = f.at(at);
        }
        out.push(f);
    }
    out
}

/// A return filled by the level below, checked against its 下级明细: each figure must be
/// the sum of the lower units' parts in it (a figure typed over after filling is caught),
/// every detail row must name a figure of the return and a lower unit, and the sheet must
/// be there. Each mismatch is an error on the figure's cell (or the detail row's).
pub fn lower_detail_findings(
    wb: &RawWorkbook,
    ret: &crate::model::ReturnFile,
) -> Vec<crate::finding::Finding> {
    use crate::finding::{Code, Finding};
    use crate::layout::{invest as ic, lower as lc, progress as pc};
    use crate::messages as msg;
    use crate::model::{CellRef, NumField, Raw};
    if !wb.meta.iter().any(|(k, _)| k == meta::FILLED_BY) {
        return Vec::new();
    }
    let file = || ret.rel.clone();
    let Some(sheet) = &wb.lower else {
        return vec![
            Finding::new(Code::LowerDetail, msg::LOWER_DETAIL_MISSING.to_string()).file(file()),
        ];
    };
    let col = |name: &str| lc::ALL.iter().position(|c| *c == name).unwrap_or(0);
    let text =
        |cells: &[Raw], name: &str| cells.get(col(name)).map(Raw::display).unwrap_or_default();
    let mut out = Vec::new();
    // (task, field) → the sum of its parts in the figure, and the first detail row.
    let mut sums: std::collections::HashMap<(String, String), (f64, u32)> = Default::default();
    let figures: Vec<(&str, &str, &NumField)> = ret
        .progress
        .iter()
        .flatten()
        .flat_map(|r| {
            [(pc::MONTH, &r.month), (pc::YTD, &r.ytd)]
                .map(|(f, n)| (r.task_id.value.as_str(), f, n))
        })
        .chain(ret.invest.iter().flatten().flat_map(|r| {
            let mut v = vec![(ic::MONTH, &r.month), (ic::YTD, &r.ytd)];
            v.extend(
                [ic::F1, ic::F2, ic::F3, ic::F4, ic::F5]
                    .into_iter()
                    .zip(r.funds.iter()),
            );
            v.into_iter()
                .map(|(f, n)| (r.project_id.value.as_str(), f, n))
        }))
        .collect();
    for (row, cells) in &sheet.rows {
        let (id, field, unit, state) = (
            text(cells, lc::ID),
            text(cells, lc::FIELD),
            text(cells, lc::UNIT),
            text(cells, lc::STATE),
        );
        let at = CellRef::new(crate::layout::SHEET_LOWER_DETAIL, *row, col(lc::ID) as u32);
        let known = figures.iter().any(|(i, f, _)| *i == id && *f == field);
        if !known || unit.is_empty() {
            out.push(
                Finding::new(Code::LowerDetail, msg::lower_detail_row(&id, &field, &unit))
                    .file(file())
                    .at(&at),
            );
            continue;
        }
        let e = sums.entry((id, field)).or_insert((0.0, *row));
        if state != lc::MISSING
            && let Some(Raw::Number(v)) = cells.get(col(lc::VALUE))
        {
            e.0 += v;
        }
    }
    for (id, field, n) in figures {
        let sum = sums.get(&(id.to_string(), field.to_string()));
        let differs = match (n.value, sum) {
            (Some(v), Some((s, _))) => (v - s).abs() > 0.01,
            (Some(_), None) => true,
            (None, Some((s, _))) => s.abs() > 0.01,
            (None, None) => false,
        };
        if differs {
            out.push(
                Finding::new(
                    Code::LowerDetail,
                    msg::lower_detail_sum(id, field, n.value, sum.map(|(s, r)| (*s, r + 1))),
                )
                .file(file())
                .at(&n.at),
            );
        }
    }
    out
}

/// 下级明细 of a return filled by the level below, as typed values: what the upper level
/// shows beneath the return's figures (数据来源) and in its roster (单位报送情况).
pub fn lower_read(wb: &RawWorkbook) -> Option<Box<crate::model::LowerRead>> {
    use crate::layout::lower as lc;
    use crate::model::{CellRef, LowerRead, LowerRow, Raw};
    let filled_by = wb
        .meta
        .iter()
        .find(|(k, _)| k == meta::FILLED_BY)
        .map(|(_, v)| v.trim().to_string())?;
    let sheet = wb.lower.as_ref()?;
    let col = |name: &str| lc::ALL.iter().position(|c| *c == name).unwrap_or(0);
    let rows = sheet
        .rows
        .iter()
        .map(|(r, cells)| {
            let text = |name: &str| {
                cells
                    .get(col(name))
                    .map(|c| c.display().trim().to_string())
                    .unwrap_or_default()
            };
            let value = match cells.get(col(lc::VALUE)) {
                Some(Raw::Number(v)) => Some(*v),
                _ => None,
            };
            (
                CellRef::new(crate::layout::SHEET_LOWER_DETAIL, *r, 0),
                LowerRow {
                    id: text(lc::ID),
                    name: text(lc::NAME),
                    field: text(lc::FIELD),
                    unit: text(lc::UNIT),
                    value,
                    state: text(lc::STATE),
                    file: text(lc::FILE),
                    sheet: text(lc::SHEET),
                    cell: text(lc::CELL),
                },
            )
        })
        .collect();
    // The coverage line without the sentence that explains the states.
    let coverage = sheet
        .coverage
        .split('。')
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    Some(Box::new(LowerRead {
        filled_by,
        coverage,
        rows,
    }))
}
