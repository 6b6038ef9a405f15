//! Turns the task list table into tasks: pure code, every bad row a finding with its cell.
//!
//! Two shapes are read: the template's (任务编号, 任务类别 … columns) and the attachment as a
//! department publishes it (序号 as the id, category rows such as `一、加快推进…` merged
//! across the table between the tasks, a target typed with its unit, collective names such
//! as `各市（州）交通运输局` as the responsible unit).

use std::collections::HashMap;

use crate::config::{Config, EMBEDDED_ORIGIN, GroupConfig};
use crate::finding::{Code, Finding};
use crate::layout::tasks as col;
use crate::messages as msg;
use crate::model::{
    CellRef, GroupUse, IdSource, Raw, RawRow, RawTable, Share, Task, TaskList, fmt_num,
};
use crate::normalize::{
    NumberRead, TargetRead, cn_number, half_width, looks_collective, parse_deadline_text,
    parse_number_text, parse_target, split_units, strip_numbering,
};

/// A task row read, with the cell its id came from.
struct Draft {
    task: Task,
    id_cell: CellRef,
}

/// What a row of the list is: a category heading, or a task with its 序号 and the heading
/// (number, text) above it.
enum Shape {
    Heading,
    Task {
        seq: String,
        heading: Option<(String, String)>,
    },
}

/// Builds the task list from its table. Bad rows are left out with a finding; the rest loads.
pub fn build(table: &RawTable, file: Option<&str>, config: &Config) -> (TaskList, Vec<Finding>) {
    let mut findings = Vec::new();
    let plan_factor = plan_factor(table, file, &mut findings);
    let id_source = if has_column(table, col::ID) {
        IdSource::Column
    } else if has_column(table, col::SEQ) {
        IdSource::Seq
    } else {
        IdSource::RowOrder
    };
    // First the rows' shape: headings, and each task row's 序号 under its heading, so that
    // the ids are settled before any row is judged (a finding names the id the office will
    // see).
    let (shapes, headings) = shapes(table, id_source);
    let id_source = if id_source == IdSource::Seq && restarts(&shapes) {
        IdSource::SeqInCategory
    } else {
        id_source
    };
    let mut reading = Reading {
        table,
        file,
        config,
        spellings: config
            .group_spellings()
            .into_iter()
            .map(|(s, g)| {
                let first = s.chars().next();
                (s, g, first)
            })
            .collect(),
        id_source,
        headings,
        plan_factor,
        milestone_cols: milestone_cols(table),
        findings,
        groups_used: Vec::new(),
        roles_said: false,
        undefined: Vec::new(),
        units_memo: HashMap::new(),
    };
    let mut drafts: Vec<Draft> = Vec::new();
    let mut order = 0usize;
    for (row, shape) in table.rows.iter().zip(&shapes) {
        let Shape::Task { seq, heading } = shape else {
            continue;
        };
        order += 1;
        drafts.extend(reading.draft(row, seq, heading.as_ref(), order));
    }
    let Reading {
        mut findings,
        groups_used,
        ..
    } = reading;
    let tasks = first_of_each_id(drafts, file, &mut findings);
    if let Some(note) = id_source.note() {
        let i = |name: &str| table.index(name);
        let at = table.cell(table.header_row, i(col::SEQ).min(i(col::NAME)));
        findings.push(at_cell(file, Code::TaskListNote, &at, note.to_string()));
    }
    let groups = groups_said(groups_used, file, config, &mut findings);
    // In the list's order, whichever pass found them.
    findings.sort_by_key(|f| f.cell.map(|c| (c.row, c.col)));
    let mut list = TaskList::new(tasks, file.map(str::to_string), table.sheet.to_string());
    list.id_source = id_source;
    list.groups = groups;
    list.plans_from_returns = !has_column(table, col::PLAN);
    (list, findings)
}

/// A finding at a cell of the list's file.
fn at_cell(file: Option<&str>, code: Code, cell: &CellRef, text: String) -> Finding {
    let mut f = Finding::new(code, text).at(cell);
    if let Some(file) = file {
        f = f.file(file.to_string());
    }
    f
}

/// Whether the list has the column.
fn has_column(table: &RawTable, name: &str) -> bool {
    table.cols[table.index(name)].is_some()
}

/// 年度计划投资 in 元 or 亿元 (its header or a `单位：亿元` line): the factor to 万元, said
/// once.
fn plan_factor(table: &RawTable, file: Option<&str>, findings: &mut Vec<Finding>) -> f64 {
    match &table.money[table.index(col::PLAN)] {
        Some((unit, at)) if has_column(table, col::PLAN) => {
            let factor = crate::labels::money_factor(unit).unwrap_or(1.0);
            if factor != 1.0 {
                findings.push(at_cell(
                    file,
                    Code::UnitConverted,
                    at,
                    msg::unit_converted(unit, factor),
                ));
            }
            factor
        }
        _ => 1.0,
    }
}

/// Each row's shape (a heading, or a task with its 序号 under its heading), and how many
/// headings there are.
fn shapes(table: &RawTable, id_source: IdSource) -> (Vec<Shape>, usize) {
    let mut shapes: Vec<Shape> = Vec::new();
    let mut headings = 0usize;
    let mut current: Option<(String, String)> = None;
    for row in &table.rows {
        match category_heading(table, row, id_source) {
            Some((number, title)) => {
                headings += 1;
                let number = number.unwrap_or_else(|| crate::normalize::chinese_ordinal(headings));
                current = Some((number, title));
                shapes.push(Shape::Heading);
            }
            None => shapes.push(Shape::Task {
                seq: row.cells[table.index(col::SEQ)]
                    .display()
                    .trim()
                    .to_string(),
                heading: current.clone(),
            }),
        }
    }
    (shapes, headings)
}

/// 节点目标 columns (`6月底目标`), by month: (index in the rows' extras, month, column, header).
fn milestone_cols(table: &RawTable) -> Vec<(usize, u32, u32, &str)> {
    let mut cols: Vec<(usize, u32, u32, &str)> = table
        .extras
        .iter()
        .enumerate()
        .filter_map(|(k, (text, c))| {
            crate::normalize::milestone_month(text).map(|m| (k, m, *c, text.as_str()))
        })
        .collect();
    cols.sort_by_key(|&(_, m, ..)| m);
    cols
}

/// The first task of each id; a later one is a finding naming the first's cell.
fn first_of_each_id(
    drafts: Vec<Draft>,
    file: Option<&str>,
    findings: &mut Vec<Finding>,
) -> Vec<Task> {
    let mut tasks: Vec<Task> = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for d in drafts {
        if let Some(first) = seen.get(&d.task.id) {
            findings.push(at_cell(
                file,
                Code::TaskList,
                &d.id_cell,
                msg::task_id_duplicate(&d.task.id, first),
            ));
            continue;
        }
        seen.insert(d.task.id.clone(), d.id_cell.a1());
        tasks.push(d.task);
    }
    tasks
}

/// The collective names the list used, each said once with its members and where they are
/// defined.
fn groups_said(
    groups_used: Vec<(&GroupConfig, CellRef)>,
    file: Option<&str>,
    config: &Config,
    findings: &mut Vec<Finding>,
) -> Vec<GroupUse> {
    let origin = if config.origin == EMBEDDED_ORIGIN || config.origin.is_empty() {
        msg::EMBEDDED_GROUPS.to_string()
    } else {
        format!("配置文件 {}", config.origin)
    };
    let mut groups = Vec::new();
    for (g, at) in groups_used {
        let members: Vec<String> = g.members.iter().map(|m| config.resolve_unit(m)).collect();
        findings.push(at_cell(
            file,
            Code::GroupExpanded,
            &at,
            msg::group_expanded(&g.name, &members, &origin),
        ));
        groups.push(GroupUse {
            name: g.name.clone(),
            members,
            origin: origin.clone(),
        });
    }
    groups
}

/// Reading the task rows: what every row is read with, and what the rows read so far have
/// said (findings, collective names used or undefined).
struct Reading<'a> {
    table: &'a RawTable,
    file: Option<&'a str>,
    config: &'a Config,
    /// The collective names' spellings with their first characters.
    spellings: Vec<(String, &'a GroupConfig, Option<char>)>,
    id_source: IdSource,
    headings: usize,
    plan_factor: f64,
    milestone_cols: Vec<(usize, u32, u32, &'a str)>,
    findings: Vec<Finding>,
    groups_used: Vec<(&'a GroupConfig, CellRef)>,
    /// Whether a 牵头/配合 split in 责任单位 was said (once for the list).
    roles_said: bool,
    undefined: Vec<String>,
    /// Each 责任单位 and 配合单位 text read so far ([`Reading::units_read`]).
    units_memo: HashMap<String, UnitsRead<'a>>,
}

impl<'a> Reading<'a> {
    fn say(&mut self, code: Code, cell: &CellRef, text: String) {
        self.findings.push(at_cell(self.file, code, cell, text));
    }

    /// One task row read into a task; `None` (with a finding) when it cannot be one.
    fn draft(
        &mut self,
        row: &RawRow,
        seq: &str,
        heading: Option<&(String, String)>,
        order: usize,
    ) -> Option<Draft> {
        let (table, file, config) = (self.table, self.file, self.config);
        let i = |name: &str| table.index(name);
        let has = |name: &str| has_column(table, name);
        let text = |name: &str| row.cells[i(name)].display().trim().to_string();
        let cell = |name: &str| table.cell(row.row, i(name));
        let id = match self.id_source {
            IdSource::Column => text(col::ID),
            IdSource::Seq => seq.to_string(),
            IdSource::SeqInCategory => {
                let bare = seq.trim_end_matches(['.', '．', '、']).to_string();
                match heading {
                    Some((number, _)) if !bare.is_empty() => format!("{number}.{bare}"),
                    _ => bare,
                }
            }
            IdSource::RowOrder => order.to_string(),
        };
        let id_cell = match self.id_source {
            IdSource::Column => cell(col::ID),
            IdSource::RowOrder => cell(col::NAME),
            _ => cell(col::SEQ),
        };
        if id.is_empty() {
            let empty = if self.id_source == IdSource::Column {
                msg::task_id_empty()
            } else {
                msg::task_seq_empty()
            };
            self.say(Code::TaskList, &id_cell, empty);
            return None;
        }
        let category = match text(col::CATEGORY) {
            c if !c.is_empty() => c,
            _ => heading.as_ref().map(|(_, t)| t.clone()).unwrap_or_default(),
        };
        if text(col::NAME).is_empty() {
            self.say(
                Code::TaskListWarning,
                &cell(col::NAME),
                msg::task_field_empty(col::NAME, &id),
            );
        }
        if category.is_empty() && (has(col::CATEGORY) || self.headings > 0) {
            self.say(
                Code::TaskListWarning,
                &cell(col::CATEGORY),
                msg::task_field_empty(col::CATEGORY, &id),
            );
        }
        let (read, partners) = self.responsible(row, &id)?;
        let mut content = text(col::CONTENT);
        let (measure, target) = measure_and_target(
            row,
            table,
            &id,
            config,
            &mut content,
            &mut self.findings,
            file,
        );
        let plan_investment = match number(&row.cells[i(col::PLAN)], config) {
            Some(Ok(v)) => Some(v * self.plan_factor),
            Some(Err(raw)) => {
                self.say(
                    Code::TaskList,
                    &cell(col::PLAN),
                    msg::task_plan_bad(&id, &raw),
                );
                None
            }
            None => None,
        };
        let (deadline_text, deadline_month) = self.deadline(row, &id);
        let findings = &mut self.findings;
        let milestones = milestones_of(
            row,
            &self.milestone_cols,
            &id,
            target.filter(|_| measure.is_some()),
            deadline_month,
            config,
            &mut |code, c, text| {
                findings.push(at_cell(
                    file,
                    code,
                    &CellRef::new(&table.sheet, row.row, c),
                    text,
                ))
            },
        );
        Some(Draft {
            task: Task {
                id,
                seq: seq.to_string(),
                category,
                name: text(col::NAME),
                content,
                measure,
                target,
                plan_investment,
                units: read.units,
                partners,
                deadline_text,
                deadline_month,
                milestones,
                shares: read.shares,
                row: row.row,
            },
            id_cell,
        })
    }

    /// The task's 责任单位 (its collective names expanded, said once each) and 配合单位;
    /// `None` (with a finding) when nobody can report it.
    fn responsible(&mut self, row: &RawRow, id: &str) -> Option<(UnitsRead<'a>, Vec<String>)> {
        let table = self.table;
        let text = |name: &str| row.cells[table.index(name)].display().trim().to_string();
        let units_cell = table.cell(row.row, table.index(col::UNITS));
        let (lead, partners_said) = split_roles(&text(col::UNITS));
        if let Some(p) = &partners_said
            && !self.roles_said
        {
            self.say(Code::TaskListNote, &units_cell, msg::roles_split(&lead, p));
            self.roles_said = true;
        }
        let mut read = self.units_read(&lead);
        for g in std::mem::take(&mut read.groups) {
            if !self.groups_used.iter().any(|(u, _)| std::ptr::eq(*u, g)) {
                self.groups_used.push((g, units_cell.clone()));
            }
        }
        if read.units.is_empty() {
            // Nobody can report it: said once, with how to define the collective name.
            let text = match read.collectives.first() {
                Some(name) => msg::task_only_collective(id, name),
                None => msg::task_no_units(id),
            };
            self.undefined.extend(std::mem::take(&mut read.collectives));
            self.say(Code::TaskList, &units_cell, text);
            return None;
        }
        for name in std::mem::take(&mut read.collectives) {
            if !self.undefined.contains(&name) {
                self.say(
                    Code::TaskListWarning,
                    &units_cell,
                    msg::collective_undefined(&name),
                );
                self.undefined.push(name);
            }
        }
        let partner_text = match partners_said {
            Some(p) => format!("{}、{p}", text(col::PARTNERS)),
            None => text(col::PARTNERS),
        };
        let partners = self.units_read(&partner_text).units;
        Some((read, partners))
    }

    /// A 责任单位 or 配合单位 text read ([`units_of`]), once for each text: a list names the
    /// same units task after task (the bench's list of 1,500 tasks, 100 texts), and reading
    /// one tries every collective name at every character.
    fn units_read(&mut self, text: &str) -> UnitsRead<'a> {
        if let Some(read) = self.units_memo.get(text) {
            return read.clone();
        }
        let read = units_of(text, self.config, &self.spellings);
        self.units_memo.insert(text.to_string(), read.clone());
        read
    }

    /// The task's 完成时限 as written and the month it ends in (12 when it cannot be read,
    /// said).
    fn deadline(&mut self, row: &RawRow, id: &str) -> (String, u32) {
        let i = self.table.index(col::DEADLINE);
        match &row.cells[i] {
            Raw::Date(d) => (d.format("%Y-%m-%d").to_string(), chrono::Datelike::month(d)),
            other => {
                let t = other.display();
                match parse_deadline_text(&t) {
                    Some(m) => (t, m),
                    None => {
                        self.say(
                            Code::TaskListWarning,
                            &self.table.cell(row.row, i),
                            msg::task_deadline_bad(id, &t),
                        );
                        (t, 12)
                    }
                }
            }
        }
    }
}

/// Whether a row is a category heading (`一、加快推进贫困地区交通基础设施建设`, usually merged
/// across the table): text in its first columns only, no responsible unit, no figure. In a
/// list with a 任务编号 column only a numbered heading counts (an incomplete task row is a
/// finding, not a heading). Gives the heading's number (`一`) and its text without it.
fn category_heading(
    table: &RawTable,
    row: &RawRow,
    ids: IdSource,
) -> Option<(Option<String>, String)> {
    let lead = [col::SEQ, col::ID, col::CATEGORY, col::NAME];
    let mut texts = Vec::new();
    for (k, name) in table.kind.columns().iter().enumerate() {
        let v = &row.cells[k];
        if v.is_empty() {
            continue;
        }
        if !lead.contains(name) {
            return None;
        }
        texts.push((*name, v.display().trim().to_string()));
    }
    if texts.is_empty() || texts.len() > 2 {
        return None;
    }
    // `一 | 加快推进…`: the number in the 序号 column, the text beside it (the 序号 column
    // comes last in the list's columns).
    texts.sort_by_key(|(name, _)| *name != col::SEQ);
    if let [(col::SEQ, n), (_, t)] = texts.as_slice()
        && cn_number(n.trim_end_matches(['、', '.', '．'])).is_some()
    {
        let n = n.trim_end_matches(['、', '.', '．']).to_string();
        return Some((Some(n), strip_numbering(t).1.to_string()));
    }
    if texts.len() != 1 {
        return None;
    }
    let (_, text) = &texts[0];
    let (number, rest) = strip_numbering(text);
    // A bare number in the 序号 column is a task without its other cells, not a heading.
    if rest.trim().is_empty() {
        return None;
    }
    if number.is_none() && ids == IdSource::Column {
        return None;
    }
    Some((number, rest.trim().to_string()))
}

#[cfg(test)]
mod role_tests {
    use super::split_roles;

    #[test]
    fn lead_and_partners_written_in_one_cell() {
        let s = |t: &str| split_roles(t);
        assert_eq!(
            s("省公路管理局牵头，各市（州）交通运输局配合"),
            ("省公路管理局".into(), Some("各市（州）交通运输局".into()))
        );
        assert_eq!(
            s("牵头单位：省公路管理局；配合单位：长春市交通运输局、吉林市交通运输局"),
            (
                "省公路管理局".into(),
                Some("长春市交通运输局、吉林市交通运输局".into())
            )
        );
        assert_eq!(
            s("省公路管理局、长春市交通运输局牵头，各市（州）、长白山管委会交通运输局配合"),
            (
                "省公路管理局、长春市交通运输局".into(),
                Some("各市（州）、长白山管委会交通运输局".into())
            )
        );
        assert_eq!(s("省公路管理局牵头"), ("省公路管理局".into(), None));
        assert_eq!(
            s("省公路管理局、长春市交通运输局"),
            ("省公路管理局、长春市交通运输局".into(), None)
        );
    }
}

/// Whether the 序号 restarts in each category: a number seen again under another heading.
fn restarts(shapes: &[Shape]) -> bool {
    let mut first: HashMap<&str, Option<&str>> = HashMap::new();
    for s in shapes {
        let Shape::Task { seq, heading } = s else {
            continue;
        };
        let seq = seq.trim_end_matches(['.', '．', '、']);
        if seq.is_empty() {
            continue;
        }
        let h = heading.as_ref().map(|(n, _)| n.as_str());
        match first.get(seq) {
            Some(prev) if *prev != h => return true,
            Some(_) => {}
            None => {
                first.insert(seq, h);
            }
        }
    }
    false
}

/// Which part a unit plays in a 责任单位 cell that says it.
#[derive(Clone, Copy, PartialEq)]
enum Role {
    Lead,
    Partner,
}

/// Splits a 责任单位 cell that names both roles (`省公路管理局牵头，各市（州）交通运输局配合`,
/// `牵头单位：省公路管理局；配合单位：长春市交通运输局`, `A（牵头）、B（配合）`) into the lead
/// units, who report, and the partners, who do not. A role written after names (`…配合`)
/// covers the untagged names before it; one written as a label (`配合单位：`) the names
/// after it. `None` for partners when the cell names no partner role.
fn split_roles(text: &str) -> (String, Option<String>) {
    const LEAD_LABELS: [&str; 5] = ["牵头单位", "牵头部门", "责任单位", "主责单位", "牵头"];
    const PARTNER_LABELS: [&str; 5] = ["配合单位", "配合部门", "协办单位", "协助单位", "配合"];
    const LEAD_SUFFIXES: [&str; 6] = [
        "（牵头）",
        "(牵头)",
        "（牵头单位）",
        "牵头负责",
        "牵头",
        "负责",
    ];
    const PARTNER_SUFFIXES: [&str; 7] = [
        "（配合）",
        "(配合)",
        "（配合单位）",
        "配合",
        "协办",
        "协助",
        "参与",
    ];
    let mut pieces = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = (depth - 1).max(0),
            _ => {}
        }
        if depth == 0 && matches!(c, '、' | '，' | ',' | '；' | ';' | '。' | '\n') {
            pieces.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    pieces.push(current);
    let mut lead: Vec<String> = Vec::new();
    let mut partners: Vec<String> = Vec::new();
    let mut any_tag = false;
    let mut pending: Vec<String> = Vec::new();
    let mut forward: Option<Role> = None;
    let put = |role: Role, p: String, lead: &mut Vec<String>, partners: &mut Vec<String>| {
        let p = p.trim().to_string();
        if !p.is_empty() {
            match role {
                Role::Lead => lead.push(p),
                Role::Partner => partners.push(p),
            }
        }
    };
    for piece in pieces {
        let p = piece.trim();
        let label = |labels: &[&str]| {
            labels.iter().find_map(|l| {
                p.strip_prefix(l)
                    .and_then(|r| r.strip_prefix(['：', ':']))
                    .map(str::to_string)
            })
        };
        let suffix = |suffixes: &[&str]| {
            suffixes
                .iter()
                .find_map(|s| p.strip_suffix(s).filter(|r| !r.trim().is_empty()))
                .map(str::to_string)
        };
        let tagged = if let Some(r) = label(&PARTNER_LABELS) {
            Some((Role::Partner, r, true))
        } else if let Some(r) = label(&LEAD_LABELS) {
            Some((Role::Lead, r, true))
        } else if let Some(r) = suffix(&PARTNER_SUFFIXES) {
            Some((Role::Partner, r, false))
        } else {
            suffix(&LEAD_SUFFIXES).map(|r| (Role::Lead, r, false))
        };
        match tagged {
            Some((role, rest, is_label)) => {
                any_tag = true;
                let before = forward.unwrap_or(if is_label { Role::Lead } else { role });
                for q in pending.drain(..) {
                    put(before, q, &mut lead, &mut partners);
                }
                put(role, rest, &mut lead, &mut partners);
                forward = is_label.then_some(role);
            }
            None => match forward {
                Some(role) => put(role, p.to_string(), &mut lead, &mut partners),
                None => pending.push(p.to_string()),
            },
        }
    }
    if !any_tag {
        return (text.to_string(), None);
    }
    for q in pending {
        put(Role::Lead, q, &mut lead, &mut partners);
    }
    let partners = (!partners.is_empty()).then(|| partners.join("、"));
    (lead.join("、"), partners)
}

/// A 责任单位 cell read: its units, the groups it named, and collective names that are not
/// defined.
#[derive(Clone)]
struct UnitsRead<'c> {
    units: Vec<String>,
    groups: Vec<&'c GroupConfig>,
    collectives: Vec<String>,
    /// Units written with their own part (`长春市（30公里）`).
    shares: Vec<Share>,
}

/// Reads a 责任单位 cell: collective names (`各市（州）、长白山管委会交通运输局`) are found
/// first, whole, and stand for their members; the rest is split on its separators. A name
/// that looks collective and is not defined is set aside, never taken as a unit.
fn units_of<'c>(
    text: &str,
    config: &'c Config,
    spellings: &[(String, &'c GroupConfig, Option<char>)],
) -> UnitsRead<'c> {
    // Each group found is replaced by a placeholder, so that the rest splits around it and
    // the order written is kept.
    let mut marked = String::new();
    let mut groups: Vec<&GroupConfig> = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    // Each character as unit names are normalised (half-width, no spaces): `None` for one
    // that normalises away.
    let norm: Vec<Option<char>> = chars
        .iter()
        .map(|&c| Some(half_width(c)).filter(|h| !h.is_whitespace()))
        .collect();
    let mut i = 0;
    'outer: while i < chars.len() {
        for (spelling, g, first) in spellings {
            // A spelling starts only where its first character stands (the few texts of a
            // list's 责任单位 are each tried against every spelling at every character).
            if first.is_some() && *first != norm[i] {
                continue;
            }
            if let Some(end) = match_at(&norm, i, spelling) {
                marked.push_str(&format!("\u{E000}{}\u{E001}", groups.len()));
                groups.push(g);
                i = end;
                continue 'outer;
            }
        }
        marked.push(chars[i]);
        i += 1;
    }
    let mut out = UnitsRead {
        units: Vec::new(),
        groups: Vec::new(),
        collectives: Vec::new(),
        shares: Vec::new(),
    };
    let add = |u: String, units: &mut Vec<String>| {
        if !units.contains(&u) {
            units.push(u);
        }
    };
    for piece in split_units(&marked) {
        // A piece holds a placeholder and perhaps a suffix left over (`…交通运输局` after an
        // alias that ends earlier): the group stands for it.
        if let Some(start) = piece.find('\u{E000}')
            && let Some(end) = piece.find('\u{E001}')
            && let Ok(k) = piece[start + '\u{E000}'.len_utf8()..end].parse::<usize>()
        {
            let g = groups[k];
            for m in &g.members {
                add(config.resolve_unit(m), &mut out.units);
            }
            if !out.groups.iter().any(|x| std::ptr::eq(*x, g)) {
                out.groups.push(g);
            }
            continue;
        }
        if looks_collective(&piece) {
            out.collectives.push(piece);
            continue;
        }
        if let Some((name, target, plan)) = crate::normalize::unit_share(&piece) {
            let unit = config.resolve_unit(&name);
            if !out.shares.iter().any(|s| s.unit == unit) {
                out.shares.push(Share {
                    unit: unit.clone(),
                    target,
                    plan,
                });
            }
            add(unit, &mut out.units);
            continue;
        }
        add(config.resolve_unit(&piece), &mut out.units);
    }
    out
}

/// Where `spelling` (normalised) ends when it starts at `chars[i]`, skipping characters
/// that normalise to nothing (spaces).
fn match_at(norm: &[Option<char>], i: usize, spelling: &str) -> Option<usize> {
    if !matches!(norm.get(i), Some(Some(_))) {
        return None;
    }
    let mut j = i;
    for want in spelling.chars() {
        // The next character that did not normalise away must be this one.
        loop {
            let n = *norm.get(j)?;
            j += 1;
            match n {
                None => continue,
                Some(c) if c == want => break,
                Some(_) => return None,
            }
        }
    }
    Some(j)
}

/// 计量单位 and 年度目标: from their columns, or from a target typed with its unit
/// (`718公里`) when the 计量单位 is empty. Words only make the task qualitative (and join
/// its 建设内容及目标); two quantities in one cell make it qualitative with a finding that
/// suggests splitting it.
fn measure_and_target(
    row: &RawRow,
    table: &RawTable,
    id: &str,
    config: &Config,
    content: &mut String,
    findings: &mut Vec<Finding>,
    file: Option<&str>,
) -> (Option<String>, Option<f64>) {
    let i = |name: &str| table.index(name);
    let at = table.cell(row.row, i(col::TARGET));
    let push = |findings: &mut Vec<Finding>, code, text: String| {
        let mut f = Finding::new(code, text).at(&at);
        if let Some(file) = file {
            f = f.file(file.to_string());
        }
        findings.push(f);
    };
    let measure = row.cells[i(col::MEASURE)].display().trim().to_string();
    let raw = &row.cells[i(col::TARGET)];
    if !measure.is_empty() {
        return match number(raw, config) {
            Some(Ok(v)) => (Some(measure), Some(v)),
            Some(Err(raw)) => {
                push(findings, Code::TaskList, msg::task_target_bad(id, &raw));
                (None, None)
            }
            None => {
                push(findings, Code::TaskList, msg::task_target_missing(id));
                (None, None)
            }
        };
    }
    let words = |text: &str, content: &mut String| {
        if content.is_empty() {
            *content = text.to_string();
        } else if !content.contains(text) {
            content.push_str("；年度目标：");
            content.push_str(text);
        }
    };
    match raw {
        Raw::Empty => (None, None),
        Raw::Number(v) => {
            push(
                findings,
                Code::TaskListWarning,
                msg::task_target_no_measure(id, *v),
            );
            (Some(String::new()), Some(*v))
        }
        Raw::Text(t) => match parse_target(t) {
            TargetRead::Quantity {
                value,
                measure,
                with_words,
            } => {
                if with_words {
                    words(t.trim(), content);
                }
                (Some(measure), Some(value))
            }
            TargetRead::Bare(v) => {
                push(
                    findings,
                    Code::TaskListWarning,
                    msg::task_target_no_measure(id, v),
                );
                (Some(String::new()), Some(v))
            }
            TargetRead::Several(parts) => {
                push(
                    findings,
                    Code::TaskListWarning,
                    msg::task_target_several(id, t.trim(), &parts),
                );
                words(t.trim(), content);
                (None, None)
            }
            TargetRead::Words => {
                words(t.trim(), content);
                (None, None)
            }
        },
        other => {
            push(
                findings,
                Code::TaskList,
                msg::task_target_bad(id, &other.display()),
            );
            (None, None)
        }
    }
}

/// A number cell: `None` when empty, `Err(raw text)` when not a figure.
/// Whether a table of the task list's workbook is its breakdown (任务分解): a sheet of that
/// name, or a table of 任务编号 and 责任单位 with a target or plan and no 任务名称.
pub fn is_breakdown(table: &RawTable) -> bool {
    let has = |name: &str| table.cols[table.index(name)].is_some();
    let named = table.sheet.trim() == crate::layout::SHEET_BREAKDOWN;
    table.kind == crate::model::TableKind::Tasks
        && has(col::ID)
        && breakdown_unit_column(table).is_some()
        && (has(col::TARGET) || has(col::PLAN))
        && (named || !has(col::NAME) || table.names_from.is_some())
}

/// The breakdown's column of units: 责任单位, or the column the reader took for names when
/// the table has none (a table of ids and units has no 任务名称; the reader reads its
/// units column as the names, and says so in `names_from`).
fn breakdown_unit_column(table: &RawTable) -> Option<&'static str> {
    if table.cols[table.index(col::UNITS)].is_some() {
        Some(col::UNITS)
    } else if table.names_from.is_some() && table.cols[table.index(col::NAME)].is_some() {
        Some(col::NAME)
    } else {
        None
    }
}

/// Applies the breakdown table (任务分解) to the list: each row gives one responsible unit
/// its own target and plan of a task (over what its 责任单位 cell said). A row whose task
/// is not on the list, whose unit is not the task's, or whose figure is no number is a
/// warning at its cell, and is not used.
pub fn apply_breakdown(
    list: &mut TaskList,
    table: &RawTable,
    file: Option<&str>,
    config: &Config,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let i = |name: &str| table.index(name);
    let plan_factor = match &table.money[i(col::PLAN)] {
        Some((unit, _)) => crate::labels::money_factor(unit).unwrap_or(1.0),
        None => 1.0,
    };
    let Some(units_col) = breakdown_unit_column(table) else {
        return findings;
    };
    for row in &table.rows {
        let text = |name: &str| row.cells[i(name)].display().trim().to_string();
        let warn = |name: &str, message: String| {
            let mut f =
                Finding::new(Code::TaskListWarning, message).at(&table.cell(row.row, i(name)));
            if let Some(file) = file {
                f = f.file(file.to_string());
            }
            f
        };
        let id = text(col::ID);
        if id.is_empty() {
            continue;
        }
        let Some(task) = list.tasks.iter_mut().find(|t| t.id == id) else {
            findings.push(warn(col::ID, msg::breakdown_unknown_task(&id)));
            continue;
        };
        let unit = config.resolve_unit(&text(units_col));
        if !task.units.contains(&unit) {
            findings.push(warn(units_col, msg::breakdown_not_responsible(&id, &unit)));
            continue;
        }
        let mut figure = |name: &str, factor: f64| match number(&row.cells[i(name)], config) {
            Some(Ok(v)) => Some(v * factor),
            Some(Err(raw)) => {
                findings.push(warn(
                    name,
                    msg::breakdown_bad_figure(&id, &unit, name, &raw),
                ));
                None
            }
            None => None,
        };
        let (target, plan) = (figure(col::TARGET, 1.0), figure(col::PLAN, plan_factor));
        task.shares.retain(|s| s.unit != unit);
        task.shares.push(Share { unit, target, plan });
    }
    findings
}

/// A task's 节点目标 from its row's `M月底目标` cells: year-to-date targets by month. They
/// count only on a task with an annual target, each below the next, none above the target
/// and none after 完成时限; otherwise none counts, with a warning naming why (a cell that
/// is no number: that cell).
fn milestones_of(
    row: &RawRow,
    cols: &[(usize, u32, u32, &str)],
    id: &str,
    target: Option<f64>,
    deadline: u32,
    config: &Config,
    warn: &mut dyn FnMut(Code, u32, String),
) -> Vec<(u32, f64)> {
    let mut out = Vec::new();
    for &(k, month, col, header) in cols {
        match row.extra.get(k).and_then(|raw| number(raw, config)) {
            Some(Ok(v)) => out.push((month, v)),
            Some(Err(raw)) => warn(
                Code::TaskListWarning,
                col,
                msg::task_milestone_bad(id, header, &raw),
            ),
            None => {}
        }
    }
    let Some(&(_, _, first_col, _)) = cols.first() else {
        return out;
    };
    let why = match target {
        _ if out.is_empty() => return out,
        None => Some("用于有年度目标的定量任务，本任务没有年度目标".to_string()),
        Some(t) => {
            if out.windows(2).any(|w| w[1].0 == w[0].0) {
                Some("同一月份有两个节点目标列".to_string())
            } else if out.windows(2).any(|w| w[1].1 < w[0].1) {
                Some("应逐月不减（后一个节点不小于前一个）".to_string())
            } else if let Some((m, v)) = out.iter().find(|(_, v)| *v > t) {
                Some(format!(
                    "{m}月底 {} 超过年度目标 {}",
                    fmt_num(*v),
                    fmt_num(t)
                ))
            } else if let Some((m, _)) = out.iter().find(|(m, _)| *m > deadline) {
                Some(format!("{m}月底在完成时限（{deadline} 月）之后"))
            } else {
                None
            }
        }
    };
    match why {
        Some(why) => {
            warn(
                Code::TaskListWarning,
                first_col,
                msg::task_milestones_unused(id, &why),
            );
            Vec::new()
        }
        None => out,
    }
}

fn number(raw: &Raw, config: &Config) -> Option<Result<f64, String>> {
    match raw {
        Raw::Empty => None,
        Raw::Number(v) => Some(Ok(*v)),
        Raw::Text(t) => match parse_number_text(t, &config.number_suffixes) {
            NumberRead::Value(v) => Some(Ok(v)),
            NumberRead::Placeholder => None,
            NumberRead::Invalid(_) => Some(Err(t.clone())),
        },
        other => Some(Err(other.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{RawRow, TableKind};

    fn table(rows: Vec<Vec<Raw>>) -> RawTable {
        RawTable {
            kind: TableKind::Tasks,
            sheet: "任务清单".into(),
            header_row: 1,
            cols: (0..10).map(Some).chain([None]).collect(),
            extras: vec![],
            rows: rows
                .into_iter()
                .enumerate()
                .map(|(k, mut cells)| {
                    cells.resize(col::READ.len(), Raw::Empty);
                    RawRow {
                        row: 2 + k as u32,
                        cells,
                        extra: Vec::new(),
                    }
                })
                .collect(),
            header_rows: 1,
            money: vec![None; col::READ.len()],
            skipped: vec![],
            names_from: None,
        }
    }

    fn t(s: &str) -> Raw {
        if s.is_empty() {
            Raw::Empty
        } else {
            Raw::Text(s.into())
        }
    }

    fn row(id: &str, measure: &str, target: Raw, units: &str, deadline: &str) -> Vec<Raw> {
        vec![
            t(id),
            t("农村公路"),
            t("名称"),
            t(""),
            t(measure),
            target,
            Raw::Empty,
            t(units),
            t(""),
            t(deadline),
        ]
    }

    #[test]
    fn bad_rows_become_findings_with_cells_and_the_rest_loads() {
        let c = Config::embedded();
        let (list, findings) = build(
            &table(vec![
                row(
                    "T1",
                    "公里",
                    Raw::Number(10.0),
                    "长春市交通局、吉林市",
                    "2020年6月底",
                ),
                row("", "公里", Raw::Number(1.0), "长春", ""),
                row("T1", "", Raw::Empty, "长春", ""),
                row("T2", "座", t("约5座"), "长春", ""),
                row("T3", "", Raw::Empty, "", ""),
                row("T4", "", Raw::Empty, "某县交通局", "长期坚持"),
            ]),
            Some("任务清单.xlsx"),
            &c,
        );
        let ids: Vec<&str> = list.tasks.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, vec!["T1", "T2", "T4"]);
        assert_eq!(
            list.tasks[0].units,
            vec!["长春市交通运输局", "吉林市交通运输局"]
        );
        assert_eq!(list.tasks[0].deadline_month, 6);
        assert_eq!(
            list.tasks[1].measure, None,
            "bad target makes it qualitative"
        );
        assert_eq!(list.tasks[2].units, vec!["某县交通局"]);
        let cells: Vec<(Code, String)> = findings
            .iter()
            .map(|f| (f.code, f.cell.unwrap().to_string()))
            .collect();
        assert_eq!(
            cells,
            vec![
                (Code::TaskList, "A4".to_string()),
                (Code::TaskList, "A5".to_string()),
                (Code::TaskList, "F6".to_string()),
                (Code::TaskList, "H7".to_string()),
            ]
        );
        assert!(findings[1].message.contains("A3"));
    }
}
