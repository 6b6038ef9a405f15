//! Figures typed with a measure (`5公里`, `3座`): read as their number only when the
//! measure is the task's own kind. `5座` for a task counted in 公里, or `5公里` for an
//! amount in 万元, is not a figure of that task; it is refused, never read as 5.

use crate::finding::{Code, Finding};
use crate::layout::{invest as ic, progress as pc};
use crate::messages as msg;
use crate::model::{NumField, Raw, ReturnFile, TaskList};

/// The kind of quantity a measure counts; `None` for one huizong does not know.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Length,
    Count,
    Percent,
    Money,
}

fn kind_of(measure: &str) -> Option<Kind> {
    let m = crate::normalize::to_half_width(measure.trim());
    match m.as_str() {
        "公里" | "千米" | "km" | "KM" | "Km" => Some(Kind::Length),
        "个" | "座" | "处" | "项" | "条" | "家" | "所" | "户" | "辆" | "次" => {
            Some(Kind::Count)
        }
        "%" => Some(Kind::Percent),
        "万元" => Some(Kind::Money),
        _ => None,
    }
}

/// The measure typed after a figure (`5公里` → `公里`), among the configured suffixes.
fn typed_measure<'s>(field: &NumField, suffixes: &'s [String]) -> Option<&'s str> {
    let Raw::Text(t) = &field.raw else {
        return None;
    };
    let t = crate::normalize::to_half_width(t.trim());
    suffixes
        .iter()
        .filter(|s| {
            let s = crate::normalize::to_half_width(s);
            !s.is_empty() && t.len() > s.len() && t.ends_with(s.as_str())
        })
        .max_by_key(|s| s.len())
        .map(String::as_str)
}

/// Whether a typed measure may stand for `expected`: the same kind, or a count word for a
/// measure huizong does not know (`3个` for 户).
fn agrees(typed: &str, expected: &str) -> bool {
    if crate::normalize::to_half_width(typed) == crate::normalize::to_half_width(expected) {
        return true;
    }
    match (kind_of(typed), kind_of(expected)) {
        (Some(a), Some(b)) => a == b,
        (Some(Kind::Count), None) => true,
        _ => false,
    }
}

/// Refuses the figures of a return's rows whose typed measure is not their task's, with an
/// E-NUM-PARSE finding at the cell.
pub(super) fn check_measures(ret: &mut ReturnFile, tasks: &TaskList, suffixes: &[String]) {
    let mut findings = Vec::new();
    let mut refuse = |field: &mut NumField, name: &str, expected: &str| {
        if field.value.is_none() {
            return;
        }
        if let Some(typed) = typed_measure(field, suffixes)
            && !agrees(typed, expected)
        {
            findings.push(
                Finding::new(
                    Code::NumParse,
                    msg::num_measure_mismatch(name, &field.raw.display(), expected),
                )
                .at(&field.at),
            );
            field.value = None;
        }
    };
    // Words in the figure cells of a qualitative task (`已完成`, `持续推进`) are the unit's
    // own form speaking, not a wrong figure: nothing is counted there anyway.
    let mut words: Vec<(crate::model::CellRef, String, &str)> = Vec::new();
    if let Some(rows) = &mut ret.progress {
        for r in rows.iter_mut() {
            let Some(task) = tasks.get(&r.task_id.value) else {
                continue;
            };
            let Some(measure) = task.measure.clone() else {
                for (f, name) in [(&r.month, pc::MONTH), (&r.ytd, pc::YTD)] {
                    if let Raw::Text(t) = &f.raw
                        && f.value.is_none()
                    {
                        words.push((f.at.clone(), t.trim().to_string(), name));
                    }
                }
                continue;
            };
            refuse(&mut r.month, pc::MONTH, &measure);
            refuse(&mut r.ytd, pc::YTD, &measure);
        }
    }
    if let Some(rows) = &mut ret.invest {
        for r in rows.iter_mut() {
            refuse(&mut r.plan, ic::PLAN, "万元");
            refuse(&mut r.month, ic::MONTH, "万元");
            refuse(&mut r.ytd, ic::YTD, "万元");
            for (f, name) in r
                .funds
                .iter_mut()
                .zip([ic::F1, ic::F2, ic::F3, ic::F4, ic::F5])
            {
                refuse(f, name, "万元");
            }
        }
    }
    for (at, text, name) in words {
        let here = |f: &Finding| {
            f.sheet.as_deref() == Some(&*at.sheet)
                && f.cell.is_some_and(|c| c.row == at.row && c.col == at.col)
        };
        let before = ret.findings.len();
        ret.findings
            .retain(|f| !(matches!(f.code, Code::NumParse | Code::NumEmpty) && here(f)));
        if ret.findings.len() < before {
            findings
                .push(Finding::new(Code::OwnLayout, msg::qualitative_words(name, &text)).at(&at));
        }
    }
    for f in &mut findings {
        f.unit = ret.unit.clone();
        f.period = ret.period.map(crate::model::Period::code);
        f.file = Some(ret.rel.clone());
    }
    ret.findings.extend(findings);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_of_one_kind_agree_and_others_do_not() {
        assert!(agrees("千米", "公里"));
        assert!(agrees("座", "个"));
        assert!(agrees("个", "户"));
        assert!(agrees("％", "%"));
        assert!(!agrees("座", "公里"));
        assert!(!agrees("公里", "万元"));
        assert!(!agrees("%", "公里"));
        assert!(!agrees("公里", "万平方米"));
    }
}
