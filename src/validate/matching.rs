//! Rows a unit named in its own words: matched to the task list by their task or project
//! name, normalised (spaces, brackets and punctuation of either width, numbering, a unit
//! or place name the unit put first). A unit's 序号 is its own row numbering: it counts
//! only where the row's name agrees with it. Figures are never silently given to another
//! task: a name that matches nothing, or several tasks, is E-TASK-UNKNOWN naming the
//! closest; an id and a name that point at different tasks are W-TASK-NAME-MISMATCH, and
//! the name decides.

use std::collections::{HashMap, HashSet};

use compact_str::CompactString;

use crate::config::Config;
use crate::finding::{Code, Finding};
use crate::messages as msg;
use crate::model::{CellRef, FastMap, PastRow, ReturnFile, RowKey, Task, TaskList};
use crate::normalize::{ByFirstChar, norm_name};

/// Which table a row is in: an investment row matches only tasks with an investment plan.
#[derive(Clone, Copy, PartialEq)]
enum Table {
    Progress,
    Invest,
}

/// The task list prepared for matching names.
pub(super) struct Matcher<'a> {
    tasks: &'a TaskList,
    /// Each task's normalised name.
    names: Vec<String>,
    /// The tasks of each normalised name, in list order: a row's name is looked up, not
    /// compared with every task's.
    by_name: HashMap<String, Vec<usize>>,
    /// The characters in each normalised name.
    name_chars: Vec<usize>,
    /// Each task's 序号 as compared ([`clean_seq`]), when the list's ids are 序号.
    seqs: Vec<String>,
    /// Unit and place spellings (normalised) a unit may put before a name.
    prefixes: HashSet<String>,
    /// The lengths in bytes of those spellings by their first character (sorted), longest
    /// first: a name's prefix of each length its first character begins is looked up, not
    /// compared with every spelling.
    prefix_lengths: ByFirstChar<usize>,
}

/// Earlier months' rows matched so far, by name ([`Matcher::past_id`]). Kept by who
/// matches a unit's returns, one memo to a unit: the threads that match side by side share
/// nothing, so no row waits on a lock (one memo for all, locked twice a row from both
/// threads, was a fifth of matching's samples on units' own forms, waiting).
#[derive(Default)]
pub(super) struct PastMemo(FastMap<String, Vec<PastMatch>>);

/// An earlier month's row as matched: its 序号, unit and table, and the id it took. A unit
/// names its rows alike month after month, so most of a batch's earlier rows are rows seen
/// before.
struct PastMatch {
    seq: String,
    unit: String,
    table: Table,
    id: CompactString,
}

/// What a row's key points at.
#[derive(Debug, PartialEq)]
enum Found {
    /// A task, and whether it was found by its name (else by its id). The note saying so
    /// is written by who keeps it: earlier months' rows throw it away.
    Task(usize, bool),
    /// The id and the name point at different tasks: the name's, with a warning.
    NameOverId {
        task: usize,
        other: usize,
        by: String,
    },
    /// Several tasks, none of them preferred.
    Several(Vec<usize>),
    /// No task: the closest are looked for only when a finding names them.
    Nothing,
}

impl<'a> Matcher<'a> {
    pub(super) fn new(tasks: &'a TaskList, config: &Config) -> Matcher<'a> {
        let prefixes: HashSet<String> = config
            .unit_spellings_normalised()
            .iter()
            .map(|(s, _)| norm_name(s))
            .chain(tasks.units().iter().map(|u| norm_name(u)))
            .filter(|s| s.chars().count() >= 2)
            .collect();
        // Longest first within each character, each length once.
        let mut lengths: Vec<(char, usize)> = prefixes
            .iter()
            .filter_map(|p| p.chars().next().map(|first| (first, p.len())))
            .collect();
        lengths.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        lengths.dedup();
        let prefix_lengths = ByFirstChar::new(lengths);
        let names: Vec<String> = tasks.tasks.iter().map(|t| norm_name(&t.name)).collect();
        let name_chars = names.iter().map(|n| n.chars().count()).collect();
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, n) in names.iter().enumerate() {
            by_name.entry(n.clone()).or_default().push(i);
        }
        let seqs = if tasks.id_source.is_seq() {
            tasks.tasks.iter().map(|t| clean_seq(&t.seq)).collect()
        } else {
            Vec::new()
        };
        Matcher {
            tasks,
            names,
            name_chars,
            by_name,
            seqs,
            prefixes,
            prefix_lengths,
        }
    }

    /// Matches the current month's named rows of a return, with findings; earlier months'
    /// rows are matched silently (their findings are not this month's).
    pub(super) fn match_return(&self, ret: &mut ReturnFile, memo: &mut PastMemo) {
        let unit = ret.unit.clone().unwrap_or_default();
        let mut findings = Vec::new();
        if let Some(rows) = &mut ret.progress {
            let headings = headings(
                rows.iter()
                    .map(|r| (r.key.seq.as_str(), r.task_name.as_str())),
            );
            for (r, heading) in rows.iter_mut().zip(headings) {
                let has_data = [&r.month, &r.ytd].iter().any(|f| !f.raw.is_empty())
                    || [&r.status, &r.progress, &r.problems, &r.next_steps]
                        .iter()
                        .any(|t| !t.value.is_empty());
                self.settle(
                    (&mut r.task_id.value, &r.task_id.at, &mut r.key),
                    &r.task_name,
                    &unit,
                    Table::Progress,
                    (has_data, heading),
                    &mut findings,
                );
            }
        }
        if let Some(rows) = &mut ret.invest {
            let headings = headings(
                rows.iter()
                    .map(|r| (r.key.seq.as_str(), r.project_name.as_str())),
            );
            for (r, heading) in rows.iter_mut().zip(headings) {
                let has_data = [&r.month, &r.ytd].iter().any(|f| !f.raw.is_empty())
                    || r.funds.iter().any(|f| !f.raw.is_empty())
                    || !r.image_progress.value.is_empty();
                self.settle(
                    (&mut r.project_id.value, &r.project_id.at, &mut r.key),
                    &r.project_name,
                    &unit,
                    Table::Invest,
                    (has_data, heading),
                    &mut findings,
                );
            }
        }
        if let Some(past) = &mut ret.past {
            for (rows, table) in [
                (&mut past.progress, Table::Progress),
                (&mut past.invest, Table::Invest),
            ] {
                for r in rows.iter_mut() {
                    self.settle_past(r, &unit, table, memo);
                }
            }
        }
        for f in &mut findings {
            f.unit = ret.unit.clone();
            f.period = ret.period.map(crate::model::Period::code);
            f.file = Some(ret.rel.clone());
        }
        ret.findings.extend(findings);
    }

    /// Settles one row's task: its id stays when its name agrees (or it has none); else the
    /// task its name points at. An unmatched row keeps an empty id (its finding says why).
    fn settle(
        &self,
        (id, at, key): (&mut String, &CellRef, &mut RowKey),
        name: &str,
        unit: &str,
        table: Table,
        (has_data, heading): (bool, bool),
        findings: &mut Vec<Finding>,
    ) {
        // `t5-8` or `T05－08` typed for `T05-08`: the list's id, said on 数据来源.
        if key.typed_id
            && self.tasks.get(id).is_none()
            && let Some(t) = self.tasks.get_typed(id)
        {
            key.how = Some(msg::id_read_as(id.trim(), &t.id));
            *id = t.id.clone();
        }
        let typed = if key.typed_id { id.as_str() } else { "" };
        // The template's rows: an id and its own name, nothing to settle. An id without a
        // name is the row checks' to judge, as it always was.
        if key.typed_id
            && (name.trim().is_empty()
                || self
                    .eligible(typed, table)
                    .is_some_and(|t| self.names[t] == norm_name(name)))
        {
            return;
        }
        let name_at = key.name_at.clone().unwrap_or_else(|| at.clone());
        let task = |i: usize| &self.tasks.tasks[i];
        match self.find(typed, &key.seq, name, unit, table) {
            Found::Task(i, by_name) => {
                *id = task(i).id.clone();
                key.how = by_name.then(|| msg::matched_by_name(name.trim(), &task(i).id));
            }
            Found::NameOverId { task: i, other, by } => {
                findings.push(
                    Finding::new(
                        Code::TaskNameMismatch,
                        msg::name_over_id(&by, task(other), name.trim(), task(i)),
                    )
                    .at(&name_at),
                );
                *id = task(i).id.clone();
                key.how = Some(msg::matched_by_name(name.trim(), &task(i).id));
            }
            Found::Several(_) | Found::Nothing if !has_data && !key.typed_id => {
                // A heading or an empty line of the unit's own form: nothing to report.
                id.clear();
            }
            Found::Several(_) | Found::Nothing if heading && !key.typed_id => {
                // `一、续建项目` over its projects, with their subtotal.
                let label = format!("{}{}", key.seq.trim(), name.trim());
                findings.push(
                    Finding::new(Code::TotalRow, msg::category_row_skipped(&label)).at(&name_at),
                );
                id.clear();
            }
            found @ (Found::Several(_) | Found::Nothing) => {
                let text = if !name.trim().is_empty() {
                    let (candidates, several) = match found {
                        Found::Several(c) => (c, true),
                        _ => (self.closest(name, unit, table, &key.seq), false),
                    };
                    let listed: Vec<&Task> = candidates.iter().map(|&i| task(i)).collect();
                    msg::name_unknown(name.trim(), &listed, several, table == Table::Invest)
                } else {
                    msg::id_unknown_here(typed, table == Table::Invest)
                };
                findings.push(Finding::new(Code::TaskUnknown, text).at(&name_at));
                id.clear();
            }
        }
    }

    fn settle_past(&self, r: &mut PastRow, unit: &str, table: Table, memo: &mut PastMemo) {
        let Some((seq, name)) = r.named() else {
            return;
        };
        r.id = self.past_id(seq, name, unit, table, memo);
    }

    /// The id an earlier month's row named `name` takes: the task its key points at, or
    /// none. The same key is matched once for a memo.
    fn past_id(
        &self,
        seq: &str,
        name: &str,
        unit: &str,
        table: Table,
        memo: &mut PastMemo,
    ) -> CompactString {
        let same = |m: &&PastMatch| m.seq == seq && m.unit == unit && m.table == table;
        if let Some(m) = memo.0.get(name).and_then(|ms| ms.iter().find(same)) {
            return m.id.clone();
        }
        let id = match self.find("", seq, name, unit, table) {
            Found::Task(i, _) | Found::NameOverId { task: i, .. } => {
                CompactString::new(&self.tasks.tasks[i].id)
            }
            Found::Several(_) | Found::Nothing => CompactString::default(),
        };
        memo.0.entry(name.to_string()).or_default().push(PastMatch {
            seq: seq.to_string(),
            unit: unit.to_string(),
            table,
            id: id.clone(),
        });
        id
    }

    /// A task of the list with this id that this table may report.
    fn eligible(&self, id: &str, table: Table) -> Option<usize> {
        let i = self.tasks.position(id)?;
        self.allowed(i, table).then_some(i)
    }

    /// What a row's id, 序号 and name point at.
    fn find(&self, id: &str, seq: &str, name: &str, unit: &str, table: Table) -> Found {
        let by_id = (!id.is_empty()).then(|| self.eligible(id, table)).flatten();
        let by_name = self.by_name(name, unit, table);
        // A unit's 序号 says something only when the list's ids are 序号 too.
        let by_seq = self.by_seq(seq, table);
        match (by_id, by_name) {
            (Some(t), NameMatch::None) if name.trim().is_empty() => Found::Task(t, false),
            (Some(t), NameMatch::One(n)) if n == t => Found::Task(t, false),
            (Some(t), NameMatch::One(n)) => Found::NameOverId {
                task: n,
                other: t,
                by: format!("编号“{id}”"),
            },
            (Some(t), NameMatch::Several(c)) if c.contains(&t) => Found::Task(t, false),
            // The id is the list's and the name, though not the task's own, points nowhere
            // else: the id stands.
            (Some(t), _) => Found::Task(t, false),
            (None, NameMatch::One(n)) => match by_seq.as_slice() {
                [s] if *s != n => Found::NameOverId {
                    task: n,
                    other: *s,
                    by: format!("序号“{seq}”"),
                },
                _ => Found::Task(n, true),
            },
            (None, NameMatch::Several(c)) => {
                // The 序号 or the unit's own tasks may tell them apart.
                let agree: Vec<usize> = c.iter().copied().filter(|i| by_seq.contains(i)).collect();
                let mine: Vec<usize> = c
                    .iter()
                    .copied()
                    .filter(|&i| self.tasks.tasks[i].units.iter().any(|u| u == unit))
                    .collect();
                match (agree.as_slice(), mine.as_slice()) {
                    ([one], _) | ([], [one]) => Found::Task(*one, true),
                    _ => Found::Several(c),
                }
            }
            (None, NameMatch::None) => Found::Nothing,
        }
    }

    /// The tasks a unit's 序号 names, when the list's ids are 序号 too.
    fn by_seq(&self, seq: &str, table: Table) -> Vec<usize> {
        if self.seqs.is_empty() || seq.is_empty() {
            return Vec::new();
        }
        let s = clean_seq(seq);
        self.candidates(table)
            .filter(|&i| self.seqs[i] == s)
            .collect()
    }

    /// Whether this table may report the task at `i`.
    fn allowed(&self, i: usize, table: Table) -> bool {
        table == Table::Progress || self.tasks.invests(&self.tasks.tasks[i])
    }

    fn candidates(&self, table: Table) -> impl Iterator<Item = usize> + '_ {
        (0..self.tasks.tasks.len()).filter(move |&i| self.allowed(i, table))
    }

    /// The tasks a name points at: the same name (once the unit's own prefix is removed),
    /// else the tasks whose name it contains or that contain it, the longest agreement
    /// first.
    fn by_name(&self, name: &str, unit: &str, table: Table) -> NameMatch {
        let n = norm_name(name);
        if n.is_empty() {
            return NameMatch::None;
        }
        let bare = self.without_prefix(&n);
        // The bare name is looked up too when a prefix came off.
        let keys = if bare.len() == n.len() { 1 } else { 2 };
        let mut exact: Vec<usize> = [n.as_str(), bare]
            .into_iter()
            .take(keys)
            .filter_map(|k| self.by_name.get(k))
            .flatten()
            .copied()
            .filter(|&i| self.allowed(i, table))
            .collect();
        exact.sort_unstable();
        exact.dedup();
        if !exact.is_empty() {
            return NameMatch::of(self.prefer_mine(exact, unit));
        }
        // Containment: a task name inside the row's name (`长春市旅游路资源路产业路建设`), or
        // the row's name inside a task name (`旅游路资源路产业路`); at least two characters.
        let bare_chars = bare.chars().count();
        let mut scored: Vec<(usize, usize)> = self
            .candidates(table)
            .filter_map(|i| {
                let t = &self.names[i];
                let t_chars = self.name_chars[i];
                let len = if t_chars >= 2 && (n.contains(t.as_str()) || bare.contains(t.as_str())) {
                    t_chars
                } else if bare_chars >= 4 && t.contains(bare) {
                    bare_chars
                } else {
                    return None;
                };
                Some((i, len))
            })
            .collect();
        let Some(best) = scored.iter().map(|(_, l)| *l).max() else {
            return NameMatch::None;
        };
        scored.retain(|(_, l)| *l == best);
        NameMatch::of(self.prefer_mine(scored.into_iter().map(|(i, _)| i).collect(), unit))
    }

    /// Among several tasks, the unit's own when only one of them is.
    fn prefer_mine(&self, found: Vec<usize>, unit: &str) -> Vec<usize> {
        if found.len() < 2 {
            return found;
        }
        let mine: Vec<usize> = found
            .iter()
            .copied()
            .filter(|&i| self.tasks.tasks[i].units.iter().any(|u| u == unit))
            .collect();
        if mine.len() == 1 { mine } else { found }
    }

    /// A normalised name without a unit or place name put before it.
    fn without_prefix<'n>(&self, n: &'n str) -> &'n str {
        let Some(first) = n.chars().next() else {
            return n;
        };
        // The longest spelling first, as a clerk reads `长春市公路管理处` before `长春市`.
        for &len in self.prefix_lengths.get(first) {
            if let (Some(head), Some(rest)) = (n.get(..len), n.get(len..))
                && rest.chars().count() >= 2
                && self.prefixes.contains(head)
            {
                return rest;
            }
        }
        n
    }

    /// The tasks closest to a name that matches none (shared character pairs), the unit's
    /// own first; the task a 序号 names among them.
    fn closest(&self, name: &str, unit: &str, table: Table, seq: &str) -> Vec<usize> {
        let by_seq = self.by_seq(seq, table);
        let name = norm_name(name);
        let n = self.without_prefix(&name);
        let mut scored: Vec<(usize, f64, bool)> = self
            .candidates(table)
            .map(|i| {
                let mine = self.tasks.tasks[i].units.iter().any(|u| u == unit);
                (i, similarity(n, &self.names[i]), mine)
            })
            .filter(|(i, s, _)| *s > 0.2 || by_seq.contains(i))
            .collect();
        scored.sort_by(|a, b| {
            b.2.cmp(&a.2)
                .then(b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal))
                .then(a.0.cmp(&b.0))
        });
        scored.into_iter().take(3).map(|(i, _, _)| i).collect()
    }
}

/// What a name points at.
#[derive(Debug, PartialEq)]
enum NameMatch {
    None,
    One(usize),
    Several(Vec<usize>),
}

impl NameMatch {
    fn of(found: Vec<usize>) -> NameMatch {
        match found.as_slice() {
            [] => NameMatch::None,
            [one] => NameMatch::One(*one),
            _ => NameMatch::Several(found),
        }
    }
}

/// Which rows are category headings of the unit's own form: numbered `一、` `（二）` (in
/// their 序号 or before their name) with a row below them that is not.
fn headings<'r>(rows: impl Iterator<Item = (&'r str, &'r str)>) -> Vec<bool> {
    let numbered: Vec<bool> = rows
        .map(|(seq, name)| {
            if seq.trim().is_empty() {
                crate::normalize::chinese_numbered(name)
            } else {
                crate::normalize::chinese_numbered(seq)
            }
        })
        .collect();
    (0..numbered.len())
        .map(|k| numbered[k] && numbered.get(k + 1).is_some_and(|next| !next))
        .collect()
}

/// A 序号 compared: `3`, `3.`, `（3）` and `３` are the same.
fn clean_seq(s: &str) -> String {
    crate::normalize::to_half_width(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// How alike two names are: the share of their character pairs in common (Dice).
fn similarity(a: &str, b: &str) -> f64 {
    let pairs = |s: &str| -> Vec<(char, char)> {
        let c: Vec<char> = s.chars().collect();
        c.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let (pa, mut pb) = (pairs(a), pairs(b));
    if pa.is_empty() || pb.is_empty() {
        return 0.0;
    }
    let total = pa.len() + pb.len();
    let mut common = 0;
    for p in &pa {
        if let Some(k) = pb.iter().position(|q| q == p) {
            pb.swap_remove(k);
            common += 1;
        }
    }
    2.0 * common as f64 / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::IdSource;
    use crate::testkit::task;

    fn named(tasks: Vec<Task>) -> TaskList {
        let mut t = TaskList::new(tasks, None, String::new());
        t.id_source = IdSource::Seq;
        t
    }

    fn with_name(id: &str, seq: &str, name: &str, units: &[&str]) -> Task {
        let mut t = task(id, units, Some(10.0), None);
        t.seq = seq.into();
        t.name = name.into();
        t
    }

    fn list() -> TaskList {
        named(vec![
            with_name("1", "1", "高速公路", &["高速集团"]),
            with_name("2", "2", "普通干线公路", &["公路局"]),
            with_name(
                "3",
                "3",
                "旅游路资源路产业路",
                &["长春市交通运输局", "吉林市交通运输局"],
            ),
            with_name("4", "4", "危桥改造", &["公路局"]),
            with_name("5", "5", "危桥改造", &["长春市交通运输局"]),
            with_name("6", "6", "客运场站", &["运管局"]),
        ])
    }

    fn found(m: &Matcher<'_>, id: &str, seq: &str, name: &str, unit: &str) -> Found {
        m.find(id, seq, name, unit, Table::Progress)
    }

    fn task_of(f: &Found) -> Option<usize> {
        match f {
            Found::Task(i, _) => Some(*i),
            _ => None,
        }
    }

    #[test]
    fn names_match_once_normalised() {
        let c = Config::embedded();
        let l = list();
        let m = Matcher::new(&l, &c);
        let u = "长春市交通运输局";
        // Punctuation, brackets, numbering and the unit's own place name.
        assert_eq!(
            task_of(&found(&m, "", "", "（一）旅游路、资源路（产业路）", u)),
            Some(2)
        );
        assert_eq!(
            task_of(&found(&m, "", "", "长春市旅游路资源路产业路", u)),
            Some(2)
        );
        assert_eq!(task_of(&found(&m, "", "", "3. 高速 公路", u)), Some(0));
        // Containment: the task's name inside a longer one.
        assert_eq!(task_of(&found(&m, "", "", "客运场站建设情况", u)), Some(5));
        // Two tasks of one name: the unit's own decides.
        assert_eq!(task_of(&found(&m, "", "", "危桥改造", u)), Some(4));
    }

    #[test]
    fn a_name_that_matches_nothing_or_several_names_candidates() {
        let c = Config::embedded();
        let l = list();
        let m = Matcher::new(&l, &c);
        assert_eq!(
            found(&m, "", "", "危桥改造", "四平市交通运输局"),
            Found::Several(vec![3, 4])
        );
        assert_eq!(found(&m, "", "", "客运站建设", "运管局"), Found::Nothing);
        let closest = m.closest("客运站建设", "运管局", Table::Progress, "");
        assert_eq!(closest.first(), Some(&5), "客运场站 is the closest");
    }

    #[test]
    fn a_units_own_numbering_counts_only_where_its_name_agrees() {
        let c = Config::embedded();
        let l = list();
        let m = Matcher::new(&l, &c);
        let u = "运管局";
        // 序号 2 is the list's 普通干线公路; the name says 客运场站: the name decides.
        assert_eq!(
            found(&m, "", "2", "客运场站", u),
            Found::NameOverId {
                task: 5,
                other: 1,
                by: "序号“2”".into()
            }
        );
        // The name agrees with its 序号: no warning.
        assert_eq!(task_of(&found(&m, "", "6", "客运场站", u)), Some(5));
        // An id typed in a 任务编号 column that the name contradicts.
        assert!(matches!(
            found(&m, "1", "", "客运场站", u),
            Found::NameOverId {
                task: 5,
                other: 0,
                ..
            }
        ));
        // An id with its own task's name.
        assert_eq!(found(&m, "1", "", "高速公路", u), Found::Task(0, false));
    }

    #[test]
    fn the_longest_prefix_goes_first_and_leaves_a_name() {
        let c = Config::embedded();
        let l = list();
        let m = Matcher::new(&l, &c);
        // The list's units are prefixes: `长春市交通运输局` before any shorter spelling.
        assert_eq!(m.without_prefix("长春市交通运输局危桥改造"), "危桥改造");
        // A prefix that would leave less than two characters is no prefix.
        assert_eq!(m.without_prefix("运管局站"), "运管局站");
        assert_eq!(m.without_prefix("运管局客运"), "客运");
        assert_eq!(m.without_prefix("危桥改造"), "危桥改造");
    }

    #[test]
    fn an_earlier_rows_match_remembered_is_the_match_made_afresh() {
        let c = Config::embedded();
        let l = list();
        let m = Matcher::new(&l, &c);
        // One memo for every unit here: keys of different units must still not mix.
        let mut memo = PastMemo::default();
        let fresh = |seq: &str, name: &str, unit: &str, table: Table| match m
            .find("", seq, name, unit, table)
        {
            Found::Task(i, _) | Found::NameOverId { task: i, .. } => l.tasks[i].id.clone(),
            _ => String::new(),
        };
        let keys = [
            ("", "危桥改造", "长春市交通运输局", Table::Progress),
            ("", "危桥改造", "四平市交通运输局", Table::Progress),
            ("2", "客运场站", "运管局", Table::Progress),
            ("6", "客运场站", "运管局", Table::Progress),
            ("", "客运场站", "运管局", Table::Progress),
            ("", "客运场站", "运管局", Table::Invest),
            ("", "高速公路", "运管局", Table::Progress),
            ("", "客运站建设", "运管局", Table::Progress),
        ];
        // Asked twice over, in turn: the second time each is remembered, and keys that
        // differ only in their 序号, unit or table are not taken for one another.
        for _ in 0..2 {
            for (seq, name, unit, table) in keys {
                assert_eq!(
                    m.past_id(seq, name, unit, table, &mut memo),
                    fresh(seq, name, unit, table),
                    "{seq} {name} {unit}"
                );
            }
        }
        assert_eq!(memo.0.values().map(Vec::len).sum::<usize>(), keys.len());
        // The keys do not all agree: the memo could not pass by answering one id for all.
        let ids: HashSet<String> = keys.iter().map(|k| fresh(k.0, k.1, k.2, k.3)).collect();
        assert!(ids.len() >= 3, "{ids:?}");
    }

    #[test]
    fn similarity_shares_character_pairs() {
        assert!((similarity("客运场站", "客运场站") - 1.0).abs() < 1e-9);
        assert!(similarity("客运站", "客运场站") > 0.3);
        assert_eq!(similarity("高速", "危桥"), 0.0);
    }
}
