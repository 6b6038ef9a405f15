//! Last year, for the statistics table's 去年同期 and a January's 环比: last year's returns
//! found in the folder (another year's month folders) or in `--last-year DIR`, read against
//! last year's task list found beside them, validated at the same month (and at December).
//! Their findings are last year's, not this month's: only a line per file says where each
//! went.

use std::collections::HashMap;

use crate::config::Config;
use crate::finding::{Code, Finding};
use crate::messages as msg;
use crate::model::{Period, ReturnFile, TaskList};
use crate::validate::{self, LastYear};

use super::lists::{FoundList, choose_task_list};

/// Last year's part of what was read: the task lists that are last year's and every return
/// whose period is last year's.
#[derive(Default)]
pub(super) struct Found {
    pub lists: Vec<FoundList>,
    pub returns: Vec<ReturnFile>,
}

impl Found {
    /// Takes last year's returns out of `returns` (this year's stay).
    pub(super) fn take_returns(&mut self, returns: &mut Vec<ReturnFile>, period: Period) {
        // Taken out in place: the month's returns are not moved into a new list.
        let last = returns.extract_if(.., |r| {
            r.unit.is_some()
                && r.period.is_some_and(|p| p.year + 1 == period.year)
                && (r.progress.is_some() || r.invest.is_some())
        });
        self.returns.extend(last);
    }
}

/// The task lists found in the folder split into this year's and older ones: a list whose
/// 完成时限 name a year before `year` (the year summarised, else the newest list's) is last
/// year's, never a candidate for this year. When every list is older, all stay candidates.
pub(super) fn split_lists(
    lists: Vec<FoundList>,
    year: Option<i32>,
) -> (Vec<FoundList>, Vec<FoundList>) {
    let year = year.or_else(|| lists.iter().filter_map(|l| l.list.0.year()).max());
    let Some(year) = year else {
        return (lists, Vec::new());
    };
    let (older, this): (Vec<FoundList>, Vec<FoundList>) = lists
        .into_iter()
        .partition(|l| l.list.0.year().is_some_and(|y| y < year));
    if this.is_empty() {
        (older, Vec::new())
    } else {
        (this, older)
    }
}

/// Last year validated, with a finding per file of it. `reread` reads a file again whole
/// (a return of last year read while a later month was the latest was slimmed to its
/// figures). Returns that cannot serve (no list of last year) go back to `returns`, where
/// they are named as another year's.
pub(super) fn load(
    found: Found,
    period: Period,
    this_year: &TaskList,
    config: &Config,
    reread: impl Fn(&str) -> Option<ReturnFile>,
    returns: &mut Vec<ReturnFile>,
) -> (Option<LastYear>, Vec<Finding>) {
    let year = period.year - 1;
    let Found {
        lists,
        returns: mut last,
    } = found;
    let mut findings = Vec::new();
    if last.is_empty() {
        return (None, findings);
    }
    let lists: Vec<FoundList> = lists
        .into_iter()
        .filter(|l| l.list.0.year().is_none_or(|y| y == year))
        .collect();
    let Some(chosen) = choose_task_list(lists, &last) else {
        findings.push(Finding::new(
            Code::LastYearUnmatched,
            msg::last_year_without_list(year, last.len()),
        ));
        returns.append(&mut last);
        return (None, findings);
    };
    let (tasks, _) = chosen.list;
    let list_file = tasks.file.clone().unwrap_or_default();
    // A category of last year's investment that this year's list has not: its 去年同期
    // cannot be matched (it goes to 去年其他类别), said once.
    let key = crate::labels::match_key;
    let mut unmatched: Vec<&str> = Vec::new();
    for t in tasks.tasks.iter().filter(|t| t.plan_investment.is_some()) {
        let known = this_year
            .tasks
            .iter()
            .any(|n| key(&n.category) == key(&t.category));
        if !known && !unmatched.contains(&t.category.as_str()) {
            unmatched.push(&t.category);
        }
    }
    for c in unmatched {
        findings.push(
            Finding::new(Code::LastYearUnmatched, msg::last_year_category(c, year))
                .file(list_file.clone()),
        );
    }
    let same = Period::new(year, period.month).unwrap_or(period);
    let december = Period::new(year, 12).unwrap_or(period);
    let wanted = |p: Option<Period>| p == Some(same) || (period.month == 1 && p == Some(december));
    for r in last.iter_mut() {
        if wanted(r.period)
            && r.past.is_some()
            && let Some(whole) = reread(&r.rel)
        {
            *r = whole;
        }
    }
    // Months after the same month (but a January's December) serve nothing: another
    // year's returns, named as such.
    let (used, unused): (Vec<ReturnFile>, Vec<ReturnFile>) = last
        .into_iter()
        .partition(|r| r.period.is_some_and(|p| p <= same || wanted(Some(p))));
    returns.extend(unused);
    let last = used;
    let mut named: HashMap<String, (Period, String)> = HashMap::new();
    for r in &last {
        if let (Some(p), Some(u)) = (r.period, &r.unit) {
            named.insert(r.rel.clone(), (p, u.clone()));
        }
    }
    let mut names: Vec<(String, (Period, String))> = named.into_iter().collect();
    names.sort();
    for (rel, (p, unit)) in names {
        findings.push(
            Finding::new(Code::LastYear, msg::last_year_file(&p.label(), &list_file))
                .unit(unit)
                .period(p)
                .file(rel),
        );
    }
    let dec = (period.month == 1)
        .then(|| validate::validate(tasks.clone(), Vec::new(), last.clone(), december, config));
    let batch = validate::validate(tasks, Vec::new(), last, same, config);
    (
        Some(LastYear {
            batch,
            december: dec,
            list_file,
        }),
        findings,
    )
}
