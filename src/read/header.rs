//! Finding a table's header in a sheet's top rows, as a clerk reads one: a single header
//! row (the template's), or a block of two or three rows whose group cells are merged
//! across the columns below them (`完成情况` over `本月 | 自年初累计`, `资金来源` over
//! `中央车购税 | 省级 …`). Pure code over the top rows' texts.
//!
//! A column is named by its deepest non-empty header cell read together with its groups;
//! the table is the kind (task list, progress, investment) whose columns the names match
//! best.

use crate::config::Config;
use crate::labels;
use crate::layout::{invest as ic, progress as pc};
use crate::model::TableKind;
use crate::normalize::norm_header;
use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};

/// The deepest header block read.
const MAX_DEPTH: usize = 3;
/// Rows below a candidate first row that the search looks at: the deepest block, moved
/// down by as much.
pub const WINDOW: u32 = 2 * MAX_DEPTH as u32;
/// Columns searched for header cells.
const MAX_WIDTH: usize = 512;

/// A cell of the top rows as the header search sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Head<'a> {
    Empty,
    Text(&'a str),
    /// A number, date or other non-text value: never a header.
    Figure,
}

/// The top rows of a sheet.
#[derive(Debug, Clone, Default)]
pub struct Grid<'a> {
    /// The sheet's row and column of the grid's first cell.
    pub top: u32,
    pub left: u32,
    width: usize,
    /// The cells, row by row (`width` a row): one allocation for the grid, not one a row.
    cells: Vec<Head<'a>>,
    /// Whether each row can be part of a header, decided once.
    likes: Vec<bool>,
    /// Each text of a row that can be part of a header, as columns are matched by it
    /// ([`labels::match_key`]) and the money unit it names, laid out as `cells`: worked out
    /// once per grid, not once per reading of a header block, and not at all for a grid
    /// whose header is remembered ([`remember_for`]).
    keys: OnceCell<Vec<Option<Key>>>,
    /// A word the sheet's title or name says of all its columns (`投资`): read as part of
    /// each column's header.
    context: String,
    /// Whether a column of project names may name the tasks of a progress table.
    projects_as_tasks: bool,
}

impl<'a> Grid<'a> {
    /// A grid of the rows `top..` and the columns `left..left+width` (at most
    /// [`MAX_WIDTH`]), filled by `cell(row, col)` in sheet coordinates.
    pub fn build(
        top: u32,
        bottom: u32,
        left: u32,
        width: usize,
        mut cell: impl FnMut(u32, u32) -> Head<'a>,
    ) -> Grid<'a> {
        let width = width.min(MAX_WIDTH);
        let height = if bottom < top {
            0
        } else {
            (bottom - top) as usize + 1
        };
        let mut cells = Vec::with_capacity(height * width);
        for r in top..=bottom {
            cells.extend((0..width).map(|c| cell(r, left + c as u32)));
        }
        let likes: Vec<bool> = if width == 0 {
            vec![false; height]
        } else {
            cells.chunks(width).map(header_like).collect()
        };
        Grid {
            top,
            left,
            width,
            cells,
            likes,
            keys: OnceCell::new(),
            context: String::new(),
            projects_as_tasks: false,
        }
    }

    /// The grid read with `word` as part of every column's header: a sheet titled
    /// `投资完成情况` whose columns say only `本月完成 | 累计完成`.
    pub fn with_context(mut self, word: &str) -> Grid<'a> {
        self.context = word.to_string();
        self
    }

    /// The grid read with a column of project names (`项目`, `项目名称`) standing for the
    /// tasks' names where no column names tasks and the figures are no investment: a unit's
    /// own form `项目 | 本月完成量 | 累计完成`. Tried last, so a sheet titled for investment
    /// stays investment.
    pub fn projects_as_tasks(mut self) -> Grid<'a> {
        self.projects_as_tasks = true;
        self
    }

    /// The grid's rows.
    fn height(&self) -> usize {
        self.likes.len()
    }

    /// Where the cell at row `r`, column `c` is kept, when the grid has it.
    fn at(&self, r: usize, c: usize) -> Option<usize> {
        (r < self.height() && c < self.width).then(|| r * self.width + c)
    }

    fn text(&self, r: usize, c: usize) -> Option<&str> {
        match self.at(r, c).map(|i| &self.cells[i]) {
            Some(Head::Text(t)) => Some(t),
            _ => None,
        }
    }

    /// The cached key of a text in a row that can be part of a header.
    fn key(&self, r: usize, c: usize) -> Option<&Key> {
        let keys = self.keys.get_or_init(|| {
            self.cells
                .iter()
                .enumerate()
                .map(|(i, h)| match h {
                    Head::Text(t) if self.likes[i / self.width] => Some(Key::of(t)),
                    _ => None,
                })
                .collect()
        });
        self.at(r, c).and_then(|i| keys[i].as_ref())
    }

    /// Everything [`find`] reads of the grid, as bytes: where it is, its context, and the
    /// cells of the rows that can be part of a header (the search never reads another row's
    /// cells, only that it cannot be part of one). Texts end in `0xFF` and an empty cell is
    /// `0xFE`, bytes no UTF-8 text holds, so two grids have the same bytes only when `find`
    /// reads the same of both.
    fn write_memo_key(&self, out: &mut Vec<u8>) {
        out.clear();
        for n in [self.top, self.left, self.width as u32, self.height() as u32] {
            out.extend_from_slice(&n.to_le_bytes());
        }
        out.push(u8::from(self.projects_as_tasks));
        out.extend_from_slice(self.context.as_bytes());
        out.push(0xFF);
        for (r, &likes) in self.likes.iter().enumerate() {
            if !likes {
                out.push(0);
                continue;
            }
            out.push(1);
            for h in &self.cells[r * self.width..(r + 1) * self.width] {
                match h {
                    Head::Text(t) => {
                        out.extend_from_slice(t.as_bytes());
                        out.push(0xFF);
                    }
                    Head::Empty => out.push(0xFE),
                    Head::Figure => out.push(0xFD),
                }
            }
        }
    }

    /// Whether row `r` can be part of a header.
    fn header_like(&self, r: usize) -> bool {
        self.likes.get(r).copied().unwrap_or(false)
    }
}

/// Whether a row can be part of a header: two texts or more, no figure, no label.
fn header_like(row: &[Head<'_>]) -> bool {
    let mut texts = 0;
    for h in row {
        match h {
            Head::Figure => return false,
            Head::Text(_) => texts += 1,
            Head::Empty => {}
        }
    }
    texts >= 2
        && row
            .iter()
            .all(|h| !matches!(h, Head::Text(t) if labels::is_label(t)))
}

/// A header text as columns are matched by it.
#[derive(Debug, Clone, PartialEq)]
struct Key {
    key: String,
    money: Option<&'static str>,
}

impl Key {
    fn of(text: &str) -> Key {
        let (key, money) = labels::header_key(text);
        Key { key, money }
    }
}

/// One header cell that names a column: its text and where it is.
#[derive(Debug, Clone, PartialEq)]
struct Part<'c> {
    text: &'c str,
    key: Cow<'c, Key>,
    row: u32,
    col: u32,
}

/// A column's header cells, top to bottom: at most one a row of the block, so kept in
/// place (a column's cells were a vector of their own, one allocation a column a reading).
#[derive(Default)]
struct Parts<'c> {
    items: [Option<Part<'c>>; MAX_DEPTH],
    len: usize,
}

impl<'c> Parts<'c> {
    fn push(&mut self, part: Part<'c>) {
        // A block is at most MAX_DEPTH rows deep, and a row gives a column one cell.
        if let Some(slot) = self.items.get_mut(self.len) {
            *slot = Some(part);
            self.len += 1;
        }
    }

    fn iter(&self) -> impl DoubleEndedIterator<Item = &Part<'c>> {
        self.items[..self.len].iter().flatten()
    }

    fn last(&self) -> Option<&Part<'c>> {
        self.len.checked_sub(1).and_then(|i| self.items[i].as_ref())
    }

    fn len(&self) -> usize {
        self.len
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }
}

/// A column's header cells with what their keys mean, looked up once for all table kinds.
struct Named<'c> {
    col: u32,
    parts: Parts<'c>,
    /// The groups' and the leaf's keys joined, with the grid's context word; `None` when
    /// that is the one part's key ([`Named::combined`]).
    joined: Option<String>,
    /// The canonical columns the joined keys and the leaf's key name in the configuration.
    by_combined: &'c [&'static str],
    by_leaf: &'c [&'static str],
    /// The money unit its own header cells name, deepest first, with that cell.
    money: Option<(&'static str, u32, u32)>,
}

impl Named<'_> {
    /// The groups' and the leaf's keys joined, with the grid's context word.
    fn combined(&self) -> &str {
        match &self.joined {
            Some(joined) => joined,
            None if self.parts.len() == 1 => self.parts.last().map_or("", |p| &p.key.key),
            None => "",
        }
    }
}

/// A table's header as found.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub kind: TableKind,
    /// The first header row (sheet coordinates) and how many rows the header takes.
    pub row: u32,
    pub rows: u32,
    /// Column of each canonical column ([`TableKind::columns`]), `None` when absent.
    pub cols: Vec<Option<u32>>,
    /// Header texts that name no known column, with their column (`组 / 列` for a column
    /// under a group).
    pub extras: Vec<(String, u32)>,
    /// The money unit a column's header names (`本年计划投资（元）`), with that cell.
    pub money: Vec<Option<(&'static str, u32, u32)>>,
    /// The header of a project-name column read as the tasks' names ([`Grid::projects_as_tasks`]).
    pub names_from: Option<String>,
}

impl Found {
    fn score(&self) -> (usize, usize) {
        (
            self.cols.iter().flatten().count(),
            self.money.iter().flatten().count(),
        )
    }
}

/// The most header searches a thread remembers.
const MEMO_ENTRIES: usize = 16;

/// Header searches remembered on a thread, for the one configuration they were made with.
struct Memo {
    config: &'static Config,
    /// Each grid's [`Grid::write_memo_key`] bytes and what [`find`] found in it, the most
    /// recently used first.
    entries: Vec<(Vec<u8>, Option<Found>)>,
    /// The bytes of the grid being looked up, kept from one search to the next.
    key: Vec<u8>,
}

thread_local! {
    static MEMO: RefCell<Option<Memo>> = const { RefCell::new(None) };
}

/// Makes this thread remember its header searches with `config`, which lives as long as
/// the process (a worker's): the units of a month mostly send the same forms, and a form's
/// header is then searched once a worker, not once a file. A search with another
/// configuration is made afresh. [`find`] is pure code over the grid's bytes and the
/// configuration, so what is remembered is what it would find again.
pub fn remember_for(config: &'static Config) {
    MEMO.with(|m| {
        *m.borrow_mut() = Some(Memo {
            config,
            entries: Vec::new(),
            key: Vec::new(),
        });
    });
}

/// Finds the header of a known table in the grid ([`search`]), as remembered on this
/// thread when it remembers searches with `config`.
pub fn find(grid: &Grid<'_>, config: &Config) -> Option<Found> {
    let remembered = MEMO.with(|m| {
        let mut m = m.borrow_mut();
        let memo = m
            .as_mut()
            .filter(|memo| std::ptr::eq(memo.config, config))?;
        let mut key = std::mem::take(&mut memo.key);
        grid.write_memo_key(&mut key);
        let hit = memo.entries.iter().position(|(k, _)| *k == key);
        let found = hit.map(|i| {
            memo.entries[..=i].rotate_right(1);
            memo.entries[0].1.clone()
        });
        memo.key = key;
        Some(found)
    });
    match remembered {
        Some(Some(found)) => found,
        Some(None) => {
            let found = search(grid, config);
            MEMO.with(|m| {
                if let Some(memo) = m.borrow_mut().as_mut() {
                    let key = memo.key.clone();
                    memo.entries.truncate(MEMO_ENTRIES - 1);
                    memo.entries.insert(0, (key, found.clone()));
                }
            });
            found
        }
        None => search(grid, config),
    }
}

/// Finds the header of a known table in the grid: the first rows that make one, moved down
/// while the rows below make as good a one (a title or label row above the header adds
/// nothing to it), then the header block's depth that names the most columns.
fn search(grid: &Grid<'_>, config: &Config) -> Option<Found> {
    let n = grid.height();
    let first = (0..n).find_map(|r| best_at(grid, r, config).map(|f| (r, f)))?;
    let (r0, mut best) = first;
    for r in r0 + 1..(r0 + MAX_DEPTH).min(n) {
        if let Some(f) = best_at(grid, r, config)
            && f.score() >= best.score()
        {
            best = f;
        }
    }
    Some(best)
}

/// The best table whose header starts at row `r`, over the block depths.
fn best_at(grid: &Grid<'_>, r: usize, config: &Config) -> Option<Found> {
    if !grid.header_like(r) {
        return None;
    }
    let mut best: Option<Found> = None;
    for depth in 1..=MAX_DEPTH {
        if depth > 1 && !grid.header_like(r + depth - 1) {
            break;
        }
        let names = column_names(grid, r, depth, config);
        let read: Vec<Found> = [TableKind::Progress, TableKind::Invest, TableKind::Tasks]
            .into_iter()
            .map(|kind| assign(kind, &names, grid, r, depth))
            .collect();
        // A table that reports figures (本月完成, 自年初累计完成) is a return, never a task
        // list, even when it names 责任单位.
        let figures = reports_figures(&read[0]);
        let candidate = read
            .into_iter()
            .filter(|f| f.kind.is_made_by(&f.cols))
            .filter(|f| f.kind != TableKind::Tasks || !figures)
            .max_by_key(|f| (f.score(), kind_rank(f.kind)));
        let candidate = candidate.map(|mut f| {
            extras_of(&mut f, &names);
            f
        });
        match (candidate, &best) {
            // A deeper block counts only when it names more.
            (Some(c), Some(b)) if c.score() > b.score() => best = Some(c),
            (Some(c), None) => best = Some(c),
            _ => {}
        }
    }
    best
}

/// The header texts of the columns a reading left unmatched (`组 / 列` under a group).
fn extras_of(found: &mut Found, names: &[Named<'_>]) {
    for (text, col) in &mut found.extras {
        if let Some(n) = names.iter().find(|n| n.col == *col) {
            *text = n
                .parts
                .iter()
                .map(|p| norm_header(p.text))
                .collect::<Vec<_>>()
                .join(" / ");
        }
    }
}

/// Ties go to a return before a task list.
fn kind_rank(kind: TableKind) -> u8 {
    match kind {
        TableKind::Progress => 2,
        TableKind::Invest => 1,
        TableKind::Tasks => 0,
    }
}

/// Whether a progress reading of the columns has 本月完成 or 自年初累计完成.
fn reports_figures(p: &Found) -> bool {
    let has = |name: &str| {
        let i = TableKind::Progress
            .columns()
            .iter()
            .position(|c| *c == name);
        i.is_some_and(|i| p.cols[i].is_some())
    };
    has(pc::MONTH) || has(pc::YTD)
}

/// Each column's header cells, top to bottom, over the block `r..r+depth`. An empty cell of
/// an upper row takes the text of the group cell to its left when that group has header
/// cells below it and every column between them does too (a merged group cell holds its
/// text in its first column only).
fn column_names<'c>(
    grid: &'c Grid<'_>,
    r: usize,
    depth: usize,
    config: &'c Config,
) -> Vec<Named<'c>> {
    let last = r + depth - 1;
    let below = |k: usize, c: usize| (k + 1..=last).any(|k2| grid.text(k2, c).is_some());
    let mut out = Vec::new();
    for c in 0..grid.width {
        let mut parts = Parts::default();
        for k in r..=last {
            let text = match grid.text(k, c) {
                Some(t) => Some((t, c)),
                None if k < last && below(k, c) => {
                    // The group cell to the left, over a run of columns with headers below.
                    let mut g = c;
                    let mut found = None;
                    while g > 0 {
                        g -= 1;
                        if !below(k, g) {
                            break;
                        }
                        if let Some(t) = grid.text(k, g) {
                            found = Some((t, g));
                            break;
                        }
                    }
                    found
                }
                None => None,
            };
            if let Some((t, at)) = text
                && parts.last().is_none_or(|p| p.text != t)
            {
                let key = match grid.key(k, at) {
                    Some(key) => Cow::Borrowed(key),
                    None => Cow::Owned(Key::of(t)),
                };
                parts.push(Part {
                    text: t,
                    key,
                    row: grid.top + k as u32,
                    col: grid.left + at as u32,
                });
            }
        }
        if !parts.is_empty() {
            // Most columns have one header cell and no context: their key is used as it is.
            let joined = (parts.len() > 1 || !grid.context.is_empty()).then(|| {
                let mut joined: String = parts.iter().map(|p| p.key.key.as_str()).collect();
                if !joined.contains(&grid.context) {
                    joined.insert_str(0, &grid.context);
                }
                joined
            });
            let by_combined = match &joined {
                Some(joined) if parts.len() > 1 => config.header_meanings(joined),
                _ => &[],
            };
            let leaf = parts.last().map_or("", |p| p.key.key.as_str());
            let money = parts
                .iter()
                .rev()
                .find_map(|p| p.key.money.map(|u| (u, p.row, p.col)));
            out.push(Named {
                col: grid.left + c as u32,
                by_combined,
                by_leaf: config.header_meanings(leaf),
                money,
                parts,
                joined,
            });
        }
    }
    out
}

/// Reads the named columns as a table of `kind`.
fn assign(kind: TableKind, names: &[Named<'_>], grid: &Grid<'_>, r: usize, depth: usize) -> Found {
    let columns = kind.columns();
    let mut found = Found {
        kind,
        row: grid.top + r as u32,
        rows: depth as u32,
        cols: vec![None; columns.len()],
        extras: Vec::new(),
        money: vec![None; columns.len()],
        names_from: None,
    };
    for named in names {
        let Named {
            col,
            by_combined,
            by_leaf,
            money,
            ..
        } = named;
        let combined = named.combined();
        let position = |name: &str| columns.iter().position(|c| *c == name);
        let by_alias = |meanings: &[&str]| meanings.iter().find_map(|m| position(m));
        // A column under an investment group is never a progress figure.
        let leaf_allowed = !(kind == TableKind::Progress && combined.contains("投资"));
        let i = by_alias(by_combined)
            .or_else(|| leaf_allowed.then(|| by_alias(by_leaf)).flatten())
            .or_else(|| keyword_column(kind, combined).and_then(position));
        match i {
            Some(i) if found.cols[i].is_none() => {
                found.cols[i] = Some(*col);
                found.money[i] = *money;
            }
            // Named once the reading is chosen (`extras_of`): most readings are not.
            _ => found.extras.push((String::new(), *col)),
        }
    }
    if kind == TableKind::Progress && grid.projects_as_tasks {
        projects_name_tasks(&mut found, names);
    }
    if kind == TableKind::Tasks {
        projects_are_tasks(&mut found, names);
    }
    found
}

/// A list of projects with their plans and responsible units (`序号 | 项目名称 | 年度计划投资 |
/// 责任单位`, an attachment's 重点项目投资计划) is a task list: each project a task.
fn projects_are_tasks(found: &mut Found, names: &[Named<'_>]) {
    use crate::layout::tasks as tc;
    let index = |name: &str| TableKind::Tasks.columns().iter().position(|c| *c == name);
    let (Some(name), Some(plan), Some(units)) =
        (index(tc::NAME), index(tc::PLAN), index(tc::UNITS))
    else {
        return;
    };
    if found.cols[name].is_some() || found.cols[plan].is_none() || found.cols[units].is_none() {
        return;
    }
    names_from_projects(found, names, name);
}

/// A progress reading without a task-name column takes the first column of project names
/// for it, when the table has figures and none of its columns speaks of investment.
fn projects_name_tasks(found: &mut Found, names: &[Named<'_>]) {
    let index = |name: &str| {
        TableKind::Progress
            .columns()
            .iter()
            .position(|c| *c == name)
    };
    let (Some(name), Some(month), Some(ytd)) = (index(pc::NAME), index(pc::MONTH), index(pc::YTD))
    else {
        return;
    };
    if found.cols[name].is_some()
        || (found.cols[month].is_none() && found.cols[ytd].is_none())
        || names.iter().any(|n| n.combined().contains("投资"))
    {
        return;
    }
    names_from_projects(found, names, name);
}

/// Reads the first unmatched column of project names (`项目`, `项目名称`) as the table's
/// name column `name`, its header kept to be said.
fn names_from_projects(found: &mut Found, names: &[Named<'_>], name: usize) {
    let project = names
        .iter()
        .find(|n| n.by_leaf.contains(&ic::NAME) && found.extras.iter().any(|(_, c)| *c == n.col));
    if let Some(n) = project {
        found.cols[name] = Some(n.col);
        found.extras.retain(|(_, c)| *c != n.col);
        found.names_from = n.parts.last().map(|p| norm_header(p.text));
    }
}

/// Headers written by other programs that no alias lists, recognised by their words:
/// `自年初累计完成投资额（万元）`, `1-6月累计完成投资`, `本年累计完成量`, and a column under
/// a group (`完成情况 / 本月`, `投资完成 / 自年初累计`).
fn keyword_column(kind: TableKind, text: &str) -> Option<&'static str> {
    if kind == TableKind::Tasks {
        return None;
    }
    // The characters the words below start with: a text holding none of them names none
    // (most headers are matched by an alias, and this runs for every kind).
    // As chars, not a `&str`: looked up for every character of every header text.
    const FIRST: [char; 17] = [
        '累', '开', '上', '本', '当', '投', '计', '车', '省', '市', '地', '贷', '其', '自', '资',
        '完', '进',
    ];
    let mut seen = 0u32;
    for c in text.chars() {
        if let Some(i) = FIRST.iter().position(|&f| f == c) {
            seen |= 1 << i;
        }
    }
    if seen == 0 {
        return None;
    }
    let has = |w: &str| {
        let first = w
            .chars()
            .next()
            .and_then(|f| FIRST.iter().position(|&x| x == f));
        first.is_some_and(|i| seen & (1 << i) != 0) && text.contains(w)
    };
    let cumulative = has("累计") && !has("开工") && !has("上月") && !has("上年");
    let this_month = has("本月") || has("当月");
    let name = match kind {
        TableKind::Invest if has("投资") && cumulative => ic::YTD,
        TableKind::Invest if has("投资") && this_month => ic::MONTH,
        TableKind::Invest if has("计划投资") || (has("投资") && has("计划")) => ic::PLAN,
        TableKind::Invest if has("车购税") => ic::F1,
        TableKind::Invest if has("省级") => ic::F2,
        TableKind::Invest if has("市县") || has("地方配套") => ic::F3,
        TableKind::Invest if has("贷款") => ic::F4,
        TableKind::Invest if has("其他资金") || has("自筹") || (has("资金") && has("其他")) => {
            ic::F5
        }
        TableKind::Progress if has("投资") => return None,
        TableKind::Progress if cumulative => pc::YTD,
        // `本月`, `当月`, `本月数` on their own: the month's figure.
        TableKind::Progress
            if ["本月", "当月", "本月数", "当月数", "本月量", "本月值"].contains(&text) =>
        {
            pc::MONTH
        }
        TableKind::Progress if this_month && (has("完成") || has("进度") || has("进展")) => {
            if has("进展") && !has("完成") {
                pc::PROGRESS
            } else {
                pc::MONTH
            }
        }
        _ => return None,
    };
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::tasks as tc;

    fn grid<'a>(rows: &[&[&'a str]]) -> Grid<'a> {
        let width = rows.iter().map(|r| r.len()).max().unwrap_or(0);
        Grid::build(0, rows.len() as u32 - 1, 0, width, |r, c| {
            match rows[r as usize].get(c as usize).copied().unwrap_or("") {
                "" => Head::Empty,
                "#" => Head::Figure,
                t => Head::Text(t),
            }
        })
    }

    fn col_of(f: &Found, name: &str) -> Option<u32> {
        let i = f.kind.columns().iter().position(|c| *c == name).unwrap();
        f.cols[i]
    }

    #[test]
    fn the_templates_single_header_row() {
        let c = Config::embedded();
        let g = grid(&[
            &["长春市交通运输局 2020年6月 重点任务进展情况表"],
            &["填报单位：", "长春", "", "报送月份：", "2020年6月"],
            &pc::ALL,
            &["T01", "高速", "公里", "#", "#", "#"],
        ]);
        let f = find(&g, &c).unwrap();
        assert_eq!((f.kind, f.row, f.rows), (TableKind::Progress, 2, 1));
        assert_eq!(col_of(&f, pc::YTD), Some(5));
        assert!(f.extras.is_empty(), "{:?}", f.extras);
    }

    #[test]
    fn a_two_row_header_with_a_merged_group() {
        let c = Config::embedded();
        let g = grid(&[
            &["长春市交通运输局2020年6月重点任务进展"],
            &["序号", "任务名称", "完成情况", "", "存在问题"],
            &["", "", "本月", "自年初累计", ""],
            &["#", "旅游路资源路产业路", "#", "#", "征地"],
        ]);
        let f = find(&g, &c).unwrap();
        assert_eq!((f.kind, f.row, f.rows), (TableKind::Progress, 1, 2));
        assert_eq!(col_of(&f, pc::SEQ), Some(0));
        assert_eq!(col_of(&f, pc::NAME), Some(1));
        assert_eq!(col_of(&f, pc::MONTH), Some(2));
        assert_eq!(col_of(&f, pc::YTD), Some(3));
        assert_eq!(col_of(&f, pc::PROBLEMS), Some(4));
        assert_eq!(col_of(&f, pc::ID), None);
    }

    #[test]
    fn a_three_row_investment_header_in_yuan() {
        let c = Config::embedded();
        let g = grid(&[
            &[
                "序号",
                "项目名称",
                "投资完成情况（元）",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "形象进度",
            ],
            &[
                "",
                "",
                "本年计划",
                "本月",
                "自年初累计",
                "资金来源",
                "",
                "",
                "",
                "",
                "",
            ],
            &[
                "",
                "",
                "",
                "",
                "",
                "中央车购税",
                "省级",
                "市县",
                "银行贷款",
                "其他",
                "",
            ],
            &[
                "#",
                "东丰至双辽",
                "#",
                "#",
                "#",
                "#",
                "#",
                "#",
                "#",
                "#",
                "路面",
            ],
        ]);
        let f = find(&g, &c).unwrap();
        assert_eq!((f.kind, f.row, f.rows), (TableKind::Invest, 0, 3));
        for (name, col) in [
            (ic::NAME, 1),
            (ic::PLAN, 2),
            (ic::MONTH, 3),
            (ic::YTD, 4),
            (ic::F1, 5),
            (ic::F2, 6),
            (ic::F3, 7),
            (ic::F4, 8),
            (ic::F5, 9),
            (ic::IMAGE, 10),
        ] {
            assert_eq!(col_of(&f, name), Some(col), "{name}");
        }
        let i = f.kind.columns().iter().position(|c| *c == ic::YTD).unwrap();
        assert_eq!(f.money[i], Some(("元", 0, 2)));
    }

    #[test]
    fn the_attachment_is_a_task_list_and_a_return_naming_units_is_not() {
        let c = Config::embedded();
        let g = grid(&[
            &["附件"],
            &["2020年决战决胜交通运输脱贫攻坚重点任务清单"],
            &[
                "序号",
                "重点任务",
                "主要内容",
                "年度目标",
                "牵头单位",
                "配合单位",
                "完成时限",
            ],
            &["一、加快推进贫困地区交通基础设施建设"],
        ]);
        let f = find(&g, &c).unwrap();
        assert_eq!((f.kind, f.row), (TableKind::Tasks, 2));
        assert_eq!(col_of(&f, tc::SEQ), Some(0));
        assert_eq!(col_of(&f, tc::NAME), Some(1));
        assert_eq!(col_of(&f, tc::CONTENT), Some(2));
        assert_eq!(col_of(&f, tc::UNITS), Some(4));
        assert_eq!(col_of(&f, tc::PARTNERS), Some(5));
        assert_eq!(col_of(&f, tc::DEADLINE), Some(6));

        let g = grid(&[&["序号", "任务名称", "责任单位", "本月完成", "累计完成"]]);
        assert_eq!(find(&g, &c).unwrap().kind, TableKind::Progress);
    }

    /// A remembered search finds what a fresh one finds: for a grid seen before, for one
    /// that differs only in a row the search never reads, for one whose header differs by
    /// a character or sits a row lower, and for another configuration.
    #[test]
    fn a_remembered_search_finds_what_a_fresh_one_finds() {
        let config: &'static Config = Box::leak(Box::new(Config::embedded()));
        let other = Config::embedded();
        // One header, with what stands above and below it.
        let header: [&[&str]; 2] = [
            &["序号", "任务名称", "完成情况", "", "存在问题"],
            &["", "", "本月", "自年初累计", ""],
        ];
        let around = |above: &[&'static [&'static str]], below: &[&'static [&'static str]]| {
            let rows: Vec<&[&str]> = above.iter().chain(&header).chain(below).copied().collect();
            grid(&rows)
        };
        let grids = [
            around(&[], &[&["#", "旅游路资源路产业路", "#", "#", "征地"]]),
            // Another unit's data row: the search does not read it.
            around(&[], &[&["#", "农村公路", "#", "#", ""]]),
            // A header cell that differs: found afresh.
            grid(&[
                header[0],
                &["", "", "本月", "", "自年初累计"],
                &["#", "旅游路资源路产业路", "#", "#", "征地"],
            ]),
            // The same header a row lower.
            around(
                &[&["长春市交通运输局"]],
                &[&["#", "旅游路资源路产业路", "#", "#", "征地"]],
            ),
            // Texts only below the header: rows the search reads.
            around(&[], &[&["任务名称", "完成状态", "本月工作进展"]]),
            grid(&[
                &["任务名称", "完成状态", "本月工作进展"],
                &["包保帮扶", "持续推进", "开展清零行动"],
            ]),
            grid(&[&["长春市交通运输局 2020年6月"]]),
        ];
        let fresh: Vec<Option<Found>> = grids.iter().map(|g| search(g, config)).collect();
        assert_eq!(fresh[0], fresh[1]);
        assert_ne!(fresh[0], fresh[2]);
        assert_ne!(fresh[0], fresh[3]);
        assert!(fresh[6].is_none());
        remember_for(config);
        for round in 0..3 {
            for (i, g) in grids.iter().enumerate() {
                assert_eq!(find(g, config), fresh[i], "round {round}, grid {i}");
                assert_eq!(find(g, &other), fresh[i], "another configuration, grid {i}");
            }
        }
        let (remembered, nothing_found) = MEMO.with(|m| {
            let m = m.borrow();
            let memo = m.as_ref().expect("remembering");
            (
                memo.entries.len(),
                memo.entries.iter().filter(|(_, f)| f.is_none()).count(),
            )
        });
        // Grids 0 and 1 are one search, each of the others its own; the last found nothing,
        // and that is remembered too.
        assert_eq!((remembered, nothing_found), (6, 1));
        MEMO.with(|m| *m.borrow_mut() = None);
    }

    #[test]
    fn a_text_only_first_row_is_data_not_header() {
        let c = Config::embedded();
        let g = grid(&[
            &["任务名称", "完成状态", "本月工作进展"],
            &["包保帮扶", "持续推进", "开展清零行动"],
        ]);
        let f = find(&g, &c).unwrap();
        assert_eq!((f.row, f.rows), (0, 1));
    }
}
