//! 投资完成情况表: the investment statistics as offices publish them, by category and by
//! unit, with last year's same month (去年同期), last month (环比), 序时进度 weighted by plan,
//! and the amounts rounded so that every total is the sum of its shown parts (舍位平衡).
//!
//! Built from the investment table's lines (the same sums, the same states); pure Rust over
//! them, so the writers of the sheet and of the standalone workbook only lay it out.

use std::collections::{HashMap, HashSet};

use super::lines::{InvestKind, InvestLine, TaskLine, round_to};
use crate::config::{Config, SecondTotal};
use crate::labels::match_key;
use crate::model::Period;
use crate::validate::MonthBefore;

/// What a row of the statistics table is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatKind {
    /// 合计.
    Total,
    /// The configured second total (`合计（不含养护工程）`).
    SecondTotal,
    Category,
    /// A section of units (`市（州）`) with its 小计.
    Section,
    Unit,
    /// Plans no unit owns: shared projects not broken down (by-unit table only), so that
    /// the units' plans add up to 合计.
    Undivided,
    /// Last year's categories or units that this year has not: their 去年同期 only, so that
    /// the column adds up to 合计's.
    LastYearOther,
}

/// The amounts of a row as shown: in the table's unit, two decimals, balanced.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Shown {
    pub plan: Option<f64>,
    pub month: Option<f64>,
    pub ytd: Option<f64>,
    pub last_year: Option<f64>,
    pub last_month: Option<f64>,
}

/// One row of the statistics table. Amounts in 万元 at full precision; rates as fractions
/// computed from them; `shown` what the table prints.
#[derive(Debug, Clone, PartialEq)]
pub struct StatRow {
    pub kind: StatKind,
    pub label: String,
    pub plan: Option<f64>,
    pub month: Option<f64>,
    pub ytd: Option<f64>,
    pub last_year: Option<f64>,
    pub last_month: Option<f64>,
    /// A unit's (or a section's) month and year-to-date on the projects whose plan it owns:
    /// what its rates divide (DESIGN §2.1).
    pub own_month: Option<f64>,
    pub own_ytd: Option<f64>,
    /// 序时进度, the plan-weighted mean of the row's projects' (0–1).
    pub schedule: Option<f64>,
    /// 本月完成占年计划, 完成年计划, 为去年同期 (or 同比增长), 环比增长: fractions.
    pub month_rate: Option<f64>,
    pub ytd_rate: Option<f64>,
    pub yoy: Option<f64>,
    pub mom: Option<f64>,
    /// 与序时进度差, in percentage points.
    pub gap: Option<f64>,
    /// 已报单位: units that sent a figure of the row, of the units that owe one.
    pub reported: usize,
    pub due: usize,
    /// This year's parts with an error finding, and owed parts that are missing.
    pub disputed: Vec<String>,
    pub missing: Vec<String>,
    /// Why the plan (and rates over it) is what it is (a unit's shared projects left out,
    /// the categories a second total leaves out).
    pub plan_note: Option<String>,
    /// What 去年同期 rests on when it is not a plain fact: missing, partial or disputed.
    pub last_year_note: Option<String>,
    /// 去年同期 rests on a disputed or missing part of last year.
    pub last_year_marked: bool,
    /// Why 上月 or 环比 is blank or not like for like.
    pub last_month_note: Option<String>,
    pub last_month_marked: bool,
    /// Why 同比 is blank (no base, a zero base).
    pub yoy_note: Option<String>,
    pub shown: Shown,
    /// A unit's place by 完成年计划% (ties by 自年初累计完成), when its figure is a fact.
    pub rank: Option<usize>,
    /// Why a unit is not ranked (数据待核, 未报, 无计划).
    pub unranked: Option<&'static str>,
    /// Places moved up (negative: down) since last month, when it was ranked then too.
    pub rank_change: Option<i64>,
    /// Its band by the points between its completion rate and its 序时进度 (`[brief] bands`).
    pub band: Option<String>,
}

impl StatRow {
    fn new(kind: StatKind, label: String) -> StatRow {
        StatRow {
            kind,
            label,
            plan: None,
            month: None,
            ytd: None,
            last_year: None,
            last_month: None,
            own_month: None,
            own_ytd: None,
            schedule: None,
            month_rate: None,
            ytd_rate: None,
            yoy: None,
            mom: None,
            gap: None,
            reported: 0,
            due: 0,
            disputed: Vec::new(),
            missing: Vec::new(),
            plan_note: None,
            last_year_note: None,
            last_year_marked: false,
            last_month_note: None,
            last_month_marked: false,
            yoy_note: None,
            shown: Shown::default(),
            rank: None,
            unranked: None,
            rank_change: None,
            band: None,
        }
    }

    /// Whether this year's figures rest on a disputed or missing part.
    pub fn marked(&self) -> bool {
        !self.disputed.is_empty() || !self.missing.is_empty()
    }

    /// 排名 as shown: the place, or why there is none.
    pub fn rank_text(&self) -> String {
        match (self.rank, self.unranked) {
            (Some(r), _) => r.to_string(),
            (None, Some(why)) => why.to_string(),
            (None, None) => String::new(),
        }
    }

    /// 较上月 as shown: ↑2, ↓1, 持平; blank when either month is not ranked.
    pub fn change_text(&self) -> String {
        match self.rank_change {
            Some(0) => "持平".to_string(),
            Some(c) if c > 0 => format!("↑{c}"),
            Some(c) => format!("↓{}", -c),
            None => String::new(),
        }
    }
}

/// The statistics table, by category and by unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Statistics {
    pub period: Period,
    /// 万元 or 亿元.
    pub amount_unit: String,
    /// The 同比 column is 同比增长% (else 为去年同期%).
    pub yoy_growth: bool,
    /// 合计 first, then the second total, the categories in the list's order, and last
    /// year's other categories.
    pub by_category: Vec<StatRow>,
    /// 合计 first, then each section's 小计 followed by its units, units in no section,
    /// plans no unit owns, and last year's other units.
    pub by_unit: Vec<StatRow>,
    /// Where 去年同期 came from, or why it is missing.
    pub last_year_source: String,
    /// Whether 去年同期 is known at all.
    pub last_year_known: bool,
    /// The month 上月 is, when known.
    pub last_month_period: Option<Period>,
    /// 统计期, as the subtitle says it.
    pub cutoff: String,
    /// The units ranked last (`[brief] last_named` of them), worst last, when more units
    /// are ranked than that.
    pub last_units: Vec<String>,
    /// Those of `last_units` that were among the last last month too.
    pub last_twice: Vec<String>,
    /// How units are ranked and banded, as the table's subtitle and the briefing say it.
    pub rank_rule: String,
}

impl Statistics {
    /// The units whose figures hold a disputed part (数据待核) and those with an owed part
    /// missing (未报), in the by-unit table's order.
    pub fn marked_units(&self) -> (Vec<&str>, Vec<&str>) {
        let units = || self.by_unit.iter().filter(|r| r.kind == StatKind::Unit);
        (
            units()
                .filter(|r| !r.disputed.is_empty())
                .map(|r| r.label.as_str())
                .collect(),
            units()
                .filter(|r| r.disputed.is_empty() && !r.missing.is_empty())
                .map(|r| r.label.as_str())
                .collect(),
        )
    }
}

/// What last year's investment table says, for matching by category and unit.
pub struct LastYearLines<'a> {
    pub period: Period,
    pub lines: &'a [InvestLine],
    pub files: usize,
    pub list_file: &'a str,
}

/// A figure of last year for one row: its value, and whether it is partial or disputed.
struct LastFigure {
    value: Option<f64>,
    disputed: bool,
    missing: bool,
}

fn last_figure(l: &InvestLine) -> LastFigure {
    LastFigure {
        value: l.ytd,
        disputed: !l.disputed.is_empty(),
        missing: !l.missing.is_empty(),
    }
}

/// The statistics table from this month's investment lines.
#[allow(clippy::too_many_arguments)]
pub fn statistics(
    period: Period,
    invest: &[InvestLine],
    tasks: &[TaskLine],
    weights: &HashMap<String, f64>,
    before: &MonthBefore,
    last_year: Option<&LastYearLines<'_>>,
    config: &Config,
) -> Statistics {
    let st = &config.statistics;
    let projects: Vec<&InvestLine> = invest
        .iter()
        .filter(|l| l.kind == InvestKind::Project)
        .collect();
    let mut units = HashMap::new();
    for t in tasks {
        // The first task of an id, as a search down the list finds it.
        units.entry(t.id.as_str()).or_insert(t.units.as_slice());
    }
    let filler = Filler {
        schedule: tasks.iter().map(|t| (t.id.as_str(), t.schedule)).collect(),
        units,
        weights,
        before,
        period,
        config,
    };
    let last_label = last_year.map(|l| l.period.label()).unwrap_or_default();
    let last_known = last_year.is_some();
    let (mut total, mut cats) = category_rows(invest, &projects, &filler);
    let (mut units, last_month_ytd) = unit_rows(invest, &projects, &filler);
    let (last_source, last_other_cats, last_other_units) = match last_year {
        None => (
            no_last_year(period, &mut total, &mut cats, &mut units),
            None,
            None,
        ),
        Some(ly) => {
            let (c, u) = with_last_year(ly, &mut total, &mut cats, &mut units, config);
            (last_year_source(ly), c, u)
        }
    };
    let Sections {
        rows: mut by_unit,
        parts: parts_of_total,
        sections,
    } = unit_sections(
        &units,
        &total,
        &projects,
        last_other_units,
        (&last_label, last_known),
        config,
    );
    // The second total: the categories it keeps, as shown.
    let mut cat_rows: Vec<StatRow> = cats;
    cat_rows.extend(last_other_cats);
    let cat_parts: Vec<usize> = (0..cat_rows.len()).collect();
    // 舍位平衡: the total once, both tables to it.
    let factor = if st.in_yi() { 1e-4 } else { 1.0 };
    total.shown = Shown {
        plan: total.plan.map(|v| show(v, factor)),
        month: total.month.map(|v| show(v, factor)),
        ytd: total.ytd.map(|v| show(v, factor)),
        last_year: total.last_year.map(|v| show(v, factor)),
        last_month: total.last_month.map(|v| show(v, factor)),
    };
    balance_rows(&total.shown, &mut cat_rows, &cat_parts, factor);
    balance_rows(&total.shown, &mut by_unit, &parts_of_total, factor);
    for (at, members) in &sections {
        let shown = by_unit[*at].shown;
        balance_rows(&shown, &mut by_unit, members, factor);
    }

    let second = st
        .second_total
        .as_ref()
        .map(|t| second_total(t, &cat_rows, &last_label, last_known));
    let mut by_category = vec![total.clone()];
    by_category.extend(second);
    by_category.extend(cat_rows);
    let mut units_table = vec![total];
    units_table.extend(by_unit);
    for row in by_category.iter_mut().chain(units_table.iter_mut()) {
        rates(row, st.yoy_growth());
    }
    let (last_units, last_twice) = rank(&mut units_table, &last_month_ytd, config);
    Statistics {
        period,
        amount_unit: st.amount_unit.clone(),
        yoy_growth: st.yoy_growth(),
        by_category,
        by_unit: units_table,
        last_year_source: last_source,
        last_year_known: last_known,
        last_month_period: before.period,
        cutoff: cutoff(period, config),
        last_units,
        last_twice,
        rank_rule: rank_rule(config),
    }
}

/// What the rows of the table are filled from.
struct Filler<'a> {
    /// Each task's 序时进度.
    schedule: HashMap<&'a str, f64>,
    /// Each task's 责任单位, by its id.
    units: HashMap<&'a str, &'a [String]>,
    /// Each project's whole plan (a category weighs each project once).
    weights: &'a HashMap<String, f64>,
    before: &'a MonthBefore,
    period: Period,
    config: &'a Config,
}

impl Filler<'_> {
    /// Whether the project line's unit owes it (it is a 责任单位 of the task).
    fn owed(&self, p: &InvestLine) -> bool {
        self.units
            .get(p.project_id.as_str())
            .is_some_and(|units| units.contains(&p.unit))
    }

    /// This year's figures of a set of project lines, and the line that sums them.
    fn fill(
        &self,
        row: &mut StatRow,
        lines: &[&InvestLine],
        sum: Option<&InvestLine>,
        by_unit: bool,
    ) {
        if let Some(s) = sum {
            row.plan = Some(s.plan);
            row.month = s.month;
            row.ytd = s.ytd;
            row.disputed = s.disputed.clone();
            row.missing = s.missing.clone();
            if by_unit && !s.left_out.is_empty() {
                row.plan_note = Some(crate::messages::left_out(&s.left_out));
            }
        }
        // 序时进度 weighted by the plans the row counts (a unit: its own).
        let (mut w, mut ws) = (0.0, 0.0);
        for p in lines {
            if !by_unit {
                continue;
            }
            let plan = if p.undivided { 0.0 } else { p.plan };
            if let Some(s) = self.schedule.get(p.project_id.as_str()) {
                w += plan;
                ws += plan * s;
            }
        }
        if !by_unit {
            // Each project once, with its whole plan.
            let ids: std::collections::BTreeSet<&str> =
                lines.iter().map(|p| p.project_id.as_str()).collect();
            for id in ids {
                if let (Some(s), Some(plan)) = (self.schedule.get(id), self.weights.get(id)) {
                    w += plan;
                    ws += plan * s;
                }
            }
        }
        row.schedule = (w > 0.0).then(|| ws / w);
        let due: HashSet<&str> = lines
            .iter()
            .filter(|p| self.owed(p))
            .map(|p| p.unit.as_str())
            .collect();
        let sent: HashSet<&str> = lines
            .iter()
            .filter(|p| p.reported && due.contains(p.unit.as_str()))
            .map(|p| p.unit.as_str())
            .collect();
        row.due = due.len();
        row.reported = sent.len();
        // 上月: the accepted 本月 of each of the row's lines a month ago.
        if let Some(bp) = self.before.period {
            let mut sum: Option<f64> = None;
            let mut unlike: Vec<String> = Vec::new();
            for p in lines {
                let was = self
                    .before
                    .figures
                    .get(&(p.unit.clone(), p.project_id.clone()))
                    .copied()
                    .flatten();
                if let Some(v) = was {
                    sum = Some(sum.unwrap_or(0.0) + v);
                }
                if was.is_some() != p.month.is_some() {
                    unlike.push(format!(
                        "{}（{}）{}",
                        p.project_id,
                        self.config.short_name(&p.unit),
                        if was.is_some() {
                            "本月缺"
                        } else {
                            "上月缺"
                        }
                    ));
                }
            }
            row.last_month = sum.map(|v| round_to(v, 2));
            if row.last_month.is_none() {
                row.last_month_note = Some(format!("{} 没有已采用的本月完成投资", bp.label()));
            } else if !unlike.is_empty() {
                row.last_month_marked = true;
                row.last_month_note = Some(format!("环比不是同口径：{}", unlike.join("、")));
            }
        } else {
            row.last_month_note = Some(match self.period.month {
                1 => "上月为去年12月：没有找到去年12月的月报".to_string(),
                _ => "没有找到上月的月报".to_string(),
            });
        }
    }
}

/// 合计 and a row per category.
fn category_rows(
    invest: &[InvestLine],
    projects: &[&InvestLine],
    filler: &Filler<'_>,
) -> (StatRow, Vec<StatRow>) {
    let total_line = invest.iter().find(|l| l.kind == InvestKind::Total);
    let mut total = StatRow::new(StatKind::Total, "合计".to_string());
    filler.fill(&mut total, projects, total_line, false);
    let mut cats: Vec<StatRow> = Vec::new();
    for sub in invest
        .iter()
        .filter(|l| l.kind == InvestKind::CategorySubtotal)
    {
        let lines: Vec<&InvestLine> = projects
            .iter()
            .copied()
            .filter(|p| p.category == sub.category)
            .collect();
        let mut row = StatRow::new(StatKind::Category, sub.category.clone());
        filler.fill(&mut row, &lines, Some(sub), false);
        cats.push(row);
    }
    (total, cats)
}

/// A row per unit, with its own projects' figures, and each unit's own year-to-date a month
/// ago (known only when each own project's was accepted).
fn unit_rows(
    invest: &[InvestLine],
    projects: &[&InvestLine],
    filler: &Filler<'_>,
) -> (Vec<StatRow>, HashMap<String, Option<f64>>) {
    let before = filler.before;
    let mut units: Vec<StatRow> = Vec::new();
    let mut last_month_ytd: HashMap<String, Option<f64>> = HashMap::new();
    for sub in invest.iter().filter(|l| l.kind == InvestKind::UnitSubtotal) {
        let lines: Vec<&InvestLine> = projects
            .iter()
            .copied()
            .filter(|p| p.unit == sub.unit)
            .collect();
        let mut row = StatRow::new(StatKind::Unit, sub.unit.clone());
        filler.fill(&mut row, &lines, Some(sub), true);
        // A unit's rates cover its own projects only (DESIGN §2.1).
        let own = |f: fn(&InvestLine) -> Option<f64>| {
            lines
                .iter()
                .filter(|p| !p.undivided)
                .filter_map(|p| f(p))
                .reduce(|a, b| a + b)
        };
        row.own_month = own(|p| p.month);
        row.own_ytd = own(|p| p.ytd);
        // Last month's own year-to-date: known only when each own project's was accepted.
        let was: Option<f64> = lines
            .iter()
            .filter(|p| !p.undivided)
            .map(|p| {
                before
                    .ytd
                    .get(&(p.unit.clone(), p.project_id.clone()))
                    .copied()
                    .flatten()
            })
            .try_fold(0.0, |a, v| v.map(|v| a + v));
        last_month_ytd.insert(sub.unit.clone(), was.filter(|_| before.period.is_some()));
        units.push(row);
    }

    (units, last_month_ytd)
}

/// No report of last year was found: every row says so. The table's sentence on its source.
fn no_last_year(
    period: Period,
    total: &mut StatRow,
    cats: &mut [StatRow],
    units: &mut [StatRow],
) -> String {
    let last_source = format!(
        "去年同期数据缺失：没有找到 {} 年 {} 月的月报和去年的任务清单（可把去年的月报文件夹放进汇总文件夹，或用 --last-year 指定）",
        period.year - 1,
        period.month
    );
    for row in std::iter::once(total)
        .chain(cats.iter_mut())
        .chain(units.iter_mut())
    {
        row.last_year_note = Some(last_source.clone());
    }
    last_source
}

/// Where 去年同期 comes from, in words.
fn last_year_source(ly: &LastYearLines<'_>) -> String {
    format!(
        "去年同期取自 {} 的 {} 份月报（按去年的任务清单“{}”读取）",
        ly.period.label(),
        ly.files,
        ly.list_file
    )
}

/// Last year's figures by category name and unit name; what matches no row this year makes
/// a row of its own (去年其他类别, 去年其他单位).
fn with_last_year(
    ly: &LastYearLines<'_>,
    total: &mut StatRow,
    cats: &mut [StatRow],
    units: &mut [StatRow],
    config: &Config,
) -> (Option<StatRow>, Option<StatRow>) {
    let last_label = ly.period.label();
    let find = |kind: InvestKind, key: &dyn Fn(&InvestLine) -> bool| {
        ly.lines.iter().find(|l| l.kind == kind && key(l))
    };
    let set = |row: &mut StatRow, f: Option<LastFigure>, what: &str| match f {
        Some(f) if f.value.is_some() => {
            row.last_year = f.value;
            let mut why = Vec::new();
            if f.disputed {
                why.push(format!("{last_label} 的数字含有错误待核的部分"));
            }
            if f.missing {
                why.push(format!("{last_label} 有应报未报的部分，不含在内"));
            }
            row.last_year_marked = !why.is_empty();
            row.last_year_note = (!why.is_empty()).then(|| why.join("；"));
        }
        _ => {
            row.last_year_note = Some(format!(
                "去年同期数据缺失：{last_label} 没有{what}已采用的数字"
            ))
        }
    };
    set(
        total,
        find(InvestKind::Total, &|_| true).map(last_figure),
        "",
    );
    let mut matched: HashSet<String> = HashSet::new();
    for row in cats.iter_mut() {
        let key = match_key(&row.label);
        let f = find(InvestKind::CategorySubtotal, &|l| {
            match_key(&l.category) == key
        });
        if f.is_some() {
            matched.insert(key);
        }
        set(row, f.map(last_figure), "该类别");
    }
    let others: Vec<&InvestLine> = ly
        .lines
        .iter()
        .filter(|l| {
            l.kind == InvestKind::CategorySubtotal && !matched.contains(&match_key(&l.category))
        })
        .collect();
    let last_other_cats = other_row(&others, "去年其他类别", |l| l.category.clone());
    let mut matched_units: HashSet<&str> = HashSet::new();
    for row in units.iter_mut() {
        let f = find(InvestKind::UnitSubtotal, &|l| l.unit == row.label);
        if let Some(l) = f {
            matched_units.insert(l.unit.as_str());
        }
        set(row, f.map(last_figure), "该单位");
    }
    let others: Vec<&InvestLine> = ly
        .lines
        .iter()
        .filter(|l| l.kind == InvestKind::UnitSubtotal && !matched_units.contains(l.unit.as_str()))
        .collect();
    let last_other_units = other_row(&others, "去年其他单位", |l| {
        config.short_name(&l.unit).to_string()
    });
    (last_other_cats, last_other_units)
}

/// The unit table's rows: sections of units, each with its 小计, and the units in none
/// after them; the plans no unit owns; last year's other units.
struct Sections {
    rows: Vec<StatRow>,
    /// The rows that add up to 合计.
    parts: Vec<usize>,
    /// Each section's 小计 row and its members' rows.
    sections: Vec<(usize, Vec<usize>)>,
}

fn unit_sections(
    units: &[StatRow],
    total: &StatRow,
    projects: &[&InvestLine],
    last_other_units: Option<StatRow>,
    (last_label, last_known): (&str, bool),
    config: &Config,
) -> Sections {
    let st = &config.statistics;
    let mut by_unit: Vec<StatRow> = Vec::new();
    let mut placed: HashSet<String> = HashSet::new();
    let mut parts_of_total: Vec<usize> = Vec::new();
    let mut sections: Vec<(usize, Vec<usize>)> = Vec::new();
    for sec in &st.unit_sections {
        // In the section's order, as the office lists its units.
        let members: Vec<&StatRow> = sec
            .units
            .iter()
            .filter_map(|m| {
                let name = config.resolve_unit(m);
                units.iter().find(|u| u.label == name)
            })
            .filter(|u| !placed.contains(&u.label))
            .collect();
        if members.is_empty() {
            continue;
        }
        let at = by_unit.len();
        by_unit.push(section_row(&sec.name, &members, last_label, last_known));
        let mut idx = Vec::new();
        for m in members {
            placed.insert(m.label.clone());
            idx.push(by_unit.len());
            by_unit.push(m.clone());
        }
        parts_of_total.push(at);
        sections.push((at, idx));
    }
    for u in units.iter().filter(|u| !placed.contains(&u.label)) {
        parts_of_total.push(by_unit.len());
        by_unit.push(u.clone());
    }
    // Plans no unit owns.
    let owned: f64 = units.iter().filter_map(|u| u.plan).sum();
    let rest = total.plan.unwrap_or(0.0) - owned;
    if rest.abs() > 0.005 {
        let mut row = StatRow::new(StatKind::Undivided, "未分解到单位的计划".to_string());
        row.plan = Some(round_to(rest, 2));
        let names: Vec<String> = projects
            .iter()
            .filter(|p| p.undivided)
            .map(|p| p.project_id.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        row.plan_note = Some(format!(
            "多家单位共同负责、任务清单没有分解到单位的项目，计划只计入合计一次：{}；其完成投资已计入各单位",
            names.join("、")
        ));
        parts_of_total.push(by_unit.len());
        by_unit.push(row);
    }
    if let Some(o) = last_other_units {
        parts_of_total.push(by_unit.len());
        by_unit.push(o);
    }

    Sections {
        rows: by_unit,
        parts: parts_of_total,
        sections,
    }
}

/// The second total (合计 without the categories it leaves out), from the rows as shown.
fn second_total(
    t: &SecondTotal,
    cat_rows: &[StatRow],
    last_label: &str,
    last_known: bool,
) -> StatRow {
    let leave: HashSet<String> = t.leave_out.iter().map(|c| match_key(c)).collect();
    let kept: Vec<&StatRow> = cat_rows
        .iter()
        .filter(|r| r.kind == StatKind::Category && !leave.contains(&match_key(&r.label)))
        .collect();
    let mut row = section_row(&t.name, &kept, last_label, last_known);
    row.kind = StatKind::SecondTotal;
    row.label = t.name.clone();
    let sum = |f: fn(&Shown) -> Option<f64>| {
        kept.iter()
            .filter_map(|r| f(&r.shown))
            .reduce(|a, b| a + b)
            .map(|v| round_to(v, 2))
    };
    row.shown = Shown {
        plan: sum(|s| s.plan),
        month: sum(|s| s.month),
        ytd: sum(|s| s.ytd),
        last_year: sum(|s| s.last_year),
        last_month: sum(|s| s.last_month),
    };
    row.plan_note = Some(format!("不含：{}", t.leave_out.join("、")));
    row
}

/// The ranking and banding rule in words.
fn rank_rule(config: &Config) -> String {
    let b = &config.brief;
    let tolerance = b.band_tolerance.unwrap_or(config.lag_tolerance);
    format!(
        "单位按完成年计划%排名（相同时按自年初累计完成），数据待核或未报的单位不排名；档次按完成年计划%与序时进度之差：不低于序时进度为“{}”，落后不超过{}个百分点为“{}”，落后更多为“{}”",
        b.bands[0],
        crate::model::fmt_num(tolerance),
        b.bands[1],
        b.bands[2]
    )
}

/// Ranks the units by 完成年计划% (ties by 自年初累计完成; equal on both, equal places),
/// bands them by the points between that rate and their 序时进度, and compares with last
/// month's ranking by the year-to-date accepted then. A unit whose figure holds a disputed
/// or missing part is not ranked: its place is not a fact. Returns the last units named
/// and those of them that were among the last a month ago.
fn rank(
    rows: &mut [StatRow],
    last_month_ytd: &HashMap<String, Option<f64>>,
    config: &Config,
) -> (Vec<String>, Vec<String>) {
    let brief = &config.brief;
    let tolerance = brief.band_tolerance.unwrap_or(config.lag_tolerance);
    // (index, rate, year-to-date) of the rows ranked this month and last month.
    let mut now: Vec<(usize, f64, f64)> = Vec::new();
    let mut then: Vec<(usize, f64, f64)> = Vec::new();
    for (i, r) in rows.iter_mut().enumerate() {
        if r.kind != StatKind::Unit {
            continue;
        }
        let plan = r.plan.filter(|p| *p > 0.0);
        if let (Some(p), Some(Some(y))) = (plan, last_month_ytd.get(&r.label)) {
            then.push((i, y / p, *y));
        }
        r.unranked = if !r.disputed.is_empty() {
            Some("数据待核")
        } else if r.due > 0 && r.reported == 0 {
            Some("未报")
        } else if !r.missing.is_empty() {
            Some("数据待核")
        } else if plan.is_none() {
            Some("无计划")
        } else {
            None
        };
        if r.unranked.is_some() {
            continue;
        }
        if let (Some(rate), Some(y)) = (r.ytd_rate, r.own_ytd) {
            now.push((i, rate, y));
        } else {
            r.unranked = Some("未报");
        }
    }
    let places = |list: &mut Vec<(usize, f64, f64)>| -> HashMap<usize, usize> {
        list.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then(b.2.total_cmp(&a.2))
                .then(a.0.cmp(&b.0))
        });
        let mut out = HashMap::new();
        let mut place = 0;
        for (k, &(i, rate, y)) in list.iter().enumerate() {
            let same = k > 0 && {
                let (_, r0, y0) = list[k - 1];
                (r0 - rate).abs() < 1e-12 && (y0 - y).abs() < 1e-9
            };
            if !same {
                place = k + 1;
            }
            out.insert(i, place);
        }
        out
    };
    let places_now = places(&mut now);
    let places_then = places(&mut then);
    for (&i, &place) in &places_now {
        let r = &mut rows[i];
        r.rank = Some(place);
        r.rank_change = places_then.get(&i).map(|&was| was as i64 - place as i64);
        r.band = r.gap.map(|g| {
            let k = if g >= -1e-9 {
                0
            } else if g >= -tolerance - 1e-9 {
                1
            } else {
                2
            };
            brief.bands[k].clone()
        });
    }
    // The last ones: named only when more units are ranked than that.
    let n = brief.last_named;
    let tail = |list: &[(usize, f64, f64)]| -> Vec<usize> {
        if n == 0 || list.len() <= n {
            return Vec::new();
        }
        list[list.len() - n..].iter().map(|e| e.0).collect()
    };
    let last_now = tail(&now);
    let last_then = tail(&then);
    let name = |i: &usize| rows[*i].label.clone();
    (
        last_now.iter().map(name).collect(),
        last_now
            .iter()
            .filter(|i| last_then.contains(i))
            .map(name)
            .collect(),
    )
}

/// A section's 小计 (or a second total) as the sum of its rows.
fn section_row(name: &str, members: &[&StatRow], last_label: &str, last_known: bool) -> StatRow {
    let mut row = StatRow::new(StatKind::Section, format!("{name}小计"));
    let sum = |f: fn(&StatRow) -> Option<f64>| {
        members
            .iter()
            .filter_map(|r| f(r))
            .reduce(|a, b| a + b)
            .map(|v| round_to(v, 2))
    };
    row.plan = sum(|r| r.plan);
    row.month = sum(|r| r.month);
    row.ytd = sum(|r| r.ytd);
    row.last_month = sum(|r| r.last_month);
    row.last_year = sum(|r| r.last_year);
    row.own_month = sum(|r| r.own_month);
    row.own_ytd = sum(|r| r.own_ytd);
    row.reported = members.iter().map(|r| r.reported).sum();
    row.due = members.iter().map(|r| r.due).sum();
    row.disputed = members.iter().flat_map(|r| r.disputed.clone()).collect();
    row.missing = members.iter().flat_map(|r| r.missing.clone()).collect();
    let (mut w, mut ws) = (0.0, 0.0);
    for r in members {
        if let (Some(p), Some(s)) = (r.plan, r.schedule) {
            w += p;
            ws += p * s;
        }
    }
    row.schedule = (w > 0.0).then(|| ws / w);
    let lacking_ly: Vec<&str> = members
        .iter()
        .filter(|r| r.last_year.is_none())
        .map(|r| r.label.as_str())
        .collect();
    row.last_year_marked = members.iter().any(|r| r.last_year_marked)
        || (row.last_year.is_some() && !lacking_ly.is_empty());
    if last_known && !lacking_ly.is_empty() && row.last_year.is_some() {
        row.last_year_note = Some(format!("{last_label} 缺：{}", lacking_ly.join("、")));
    } else if row.last_year.is_none() {
        row.last_year_note = members.first().and_then(|r| r.last_year_note.clone());
    } else if row.last_year_marked {
        row.last_year_note = Some("含去年待核或缺报的部分，见各行批注".to_string());
    }
    row.last_month_marked = members.iter().any(|r| r.last_month_marked);
    if row.last_month_marked {
        row.last_month_note = Some("环比不是同口径，见各行批注".to_string());
    } else if row.last_month.is_none() {
        row.last_month_note = members.first().and_then(|r| r.last_month_note.clone());
    }
    row
}

/// A row holding last year's figures that match no row of this year.
fn other_row(
    lines: &[&InvestLine],
    label: &str,
    name: impl Fn(&InvestLine) -> String,
) -> Option<StatRow> {
    let value = lines.iter().filter_map(|l| l.ytd).reduce(|a, b| a + b)?;
    let mut row = StatRow::new(StatKind::LastYearOther, label.to_string());
    row.last_year = Some(round_to(value, 2));
    row.last_year_marked = lines
        .iter()
        .any(|l| !l.disputed.is_empty() || !l.missing.is_empty());
    row.last_year_note = Some(format!(
        "去年有、今年没有的：{}",
        lines.iter().map(|l| name(l)).collect::<Vec<_>>().join("、")
    ));
    Some(row)
}

/// An amount in the table's unit, two decimals.
fn show(v: f64, factor: f64) -> f64 {
    round_to(v * factor, 2)
}

/// Rounds `rows[parts]`' amounts so that each column adds up to `total` (largest
/// remainder), in hundredths of the table's unit.
fn balance_rows(total: &Shown, rows: &mut [StatRow], parts: &[usize], factor: f64) {
    type Get = fn(&StatRow) -> Option<f64>;
    type Set = fn(&mut Shown, Option<f64>);
    let columns: [(Option<f64>, Get, Set); 5] = [
        (total.plan, |r| r.plan, |s, v| s.plan = v),
        (total.month, |r| r.month, |s, v| s.month = v),
        (total.ytd, |r| r.ytd, |s, v| s.ytd = v),
        (total.last_year, |r| r.last_year, |s, v| s.last_year = v),
        (total.last_month, |r| r.last_month, |s, v| s.last_month = v),
    ];
    for (t, get, set) in columns {
        let values: Vec<Option<f64>> = parts
            .iter()
            .map(|&i| get(&rows[i]).map(|v| v * factor))
            .collect();
        let shown = match t {
            Some(t) => balance(t, &values),
            None => values.iter().map(|v| v.map(|v| round_to(v, 2))).collect(),
        };
        for (&i, v) in parts.iter().zip(shown) {
            set(&mut rows[i].shown, v);
        }
    }
}

/// 舍位平衡: `parts` rounded to two decimals so that the known ones add up to `total`
/// (already shown at two decimals) exactly. Each part is its value cut to two decimals,
/// plus one hundredth for the parts with the largest remainders, as many as the total
/// needs; so no part moves by more than one last digit. Unknown parts stay unknown.
pub fn balance(total: f64, parts: &[Option<f64>]) -> Vec<Option<f64>> {
    // In hundredths, with float noise removed before cutting.
    let cents = |v: f64| (v * 100.0 * 1e6).round() / 1e6;
    let target = (total * 100.0).round() as i64;
    let mut floors: Vec<(usize, i64, f64)> = parts
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            v.map(|v| {
                let c = cents(v);
                (i, c.floor() as i64, c - c.floor())
            })
        })
        .collect();
    let mut out: Vec<Option<f64>> = vec![None; parts.len()];
    if floors.is_empty() {
        return out;
    }
    let mut left = target - floors.iter().map(|(_, f, _)| f).sum::<i64>();
    // Largest remainders first; ties in the order given.
    let mut order: Vec<usize> = (0..floors.len()).collect();
    order.sort_by(|&a, &b| floors[b].2.total_cmp(&floors[a].2).then(a.cmp(&b)));
    let n = floors.len() as i64;
    // More than one hundredth each only when the total itself is not the parts' sum.
    let each = left.div_euclid(n);
    left = left.rem_euclid(n);
    for f in floors.iter_mut() {
        f.1 += each;
    }
    for &k in order.iter().take(left as usize) {
        floors[k].1 += 1;
    }
    for (i, c, _) in floors {
        out[i] = Some(c as f64 / 100.0);
    }
    out
}

/// The rates of a row, from its full-precision amounts.
fn rates(row: &mut StatRow, growth: bool) {
    let plan = row.plan.filter(|p| *p > 0.0);
    let (month, ytd) = match row.kind {
        StatKind::Unit | StatKind::Section => (row.own_month, row.own_ytd),
        _ => (row.month, row.ytd),
    };
    row.month_rate = plan.zip(month).map(|(p, m)| m / p);
    row.ytd_rate = plan.zip(ytd).map(|(p, y)| y / p);
    row.gap = row.ytd_rate.zip(row.schedule).map(|(r, s)| (r - s) * 100.0);
    match (row.ytd, row.last_year) {
        (Some(y), Some(l)) if l > 0.0 => {
            row.yoy = Some(if growth { y / l - 1.0 } else { y / l });
        }
        (Some(_), Some(_)) => {
            row.yoy_note = Some("去年同期为 0，不计算同比".to_string());
        }
        (None, _) if !matches!(row.kind, StatKind::LastYearOther | StatKind::Undivided) => {
            row.yoy_note = Some("本年没有已采用的累计数".to_string());
        }
        _ => {}
    }
    match (row.month, row.last_month) {
        (Some(m), Some(l)) if l > 0.0 => row.mom = Some(m / l - 1.0),
        (Some(_), Some(_)) if row.last_month_note.is_none() => {
            row.last_month_note = Some("上月完成投资为 0，不计算环比".to_string());
        }
        _ => {}
    }
}

/// 统计期: as the office words it, else the months of the year and the deadline.
fn cutoff(period: Period, config: &Config) -> String {
    match &config.statistics.cutoff {
        Some(c) => format!("统计期：{}年{}月（{c}）", period.year, period.month),
        None => {
            let months = if period.month == 1 {
                "1月".to_string()
            } else {
                format!("1—{}月", period.month)
            };
            format!(
                "统计期：{}年{months}（截至{}月{}日报送）",
                period.year, period.month, config.deadline_day
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(v: &[Option<f64>]) -> i64 {
        v.iter().flatten().map(|x| (x * 100.0).round() as i64).sum()
    }

    #[test]
    fn balanced_parts_add_up_to_the_total_and_move_by_at_most_one_digit() {
        // Three thirds of 1: 0.33 + 0.33 + 0.34.
        let parts = [Some(1.0 / 3.0), Some(1.0 / 3.0), Some(1.0 / 3.0)];
        let b = balance(1.0, &parts);
        assert_eq!(sum(&b), 100);
        assert_eq!(b.iter().flatten().filter(|v| **v == 0.34).count(), 1);
        // Many parts in 亿元 from 万元 figures: each within one hundredth of its value,
        // the sum the shown total.
        let wan = [
            123_456.78, 98_765.43, 5_555.55, 44_444.44, 12_345.67, 999.99, 0.0, 76_543.21,
        ];
        let parts: Vec<Option<f64>> = wan.iter().map(|v| Some(v / 1e4)).collect();
        let total: f64 = wan.iter().sum::<f64>() / 1e4;
        let shown_total = round_to(total, 2);
        let b = balance(shown_total, &parts);
        assert_eq!(sum(&b), (shown_total * 100.0).round() as i64);
        for (p, s) in parts.iter().zip(&b) {
            let (p, s) = (p.unwrap(), s.unwrap());
            assert!((s - p).abs() < 0.01 + 1e-9, "{p} shown as {s}");
        }
        // Plain rounding would not add up here: 0.125 + 0.125 + 0.125 + 0.125 = 0.50.
        let b = balance(0.5, &[Some(0.125); 4]);
        assert_eq!(sum(&b), 50);
        // Unknown parts stay unknown.
        let b = balance(3.0, &[Some(1.0), None, Some(2.0)]);
        assert_eq!(b, vec![Some(1.0), None, Some(2.0)]);
    }

    #[test]
    fn yoy_and_mom_with_a_missing_or_zero_base_are_blank_with_a_note() {
        let mut r = StatRow::new(StatKind::Category, "农村公路".into());
        r.plan = Some(200.0);
        r.month = Some(30.0);
        r.ytd = Some(120.0);
        r.last_year = Some(100.0);
        r.last_month = Some(20.0);
        r.schedule = Some(0.5);
        rates(&mut r, false);
        assert_eq!(r.yoy, Some(1.2));
        assert_eq!(r.mom, Some(0.5));
        assert_eq!(r.ytd_rate, Some(0.6));
        assert_eq!(r.month_rate, Some(0.15));
        assert!((r.gap.unwrap() - 10.0).abs() < 1e-9);
        let mut g = r.clone();
        rates(&mut g, true);
        assert!((g.yoy.unwrap() - 0.2).abs() < 1e-12);
        // Zero bases: nothing divided by 0, a note says why.
        let mut z = r.clone();
        z.yoy = None;
        z.mom = None;
        z.last_year = Some(0.0);
        z.last_month = Some(0.0);
        rates(&mut z, false);
        assert_eq!((z.yoy, z.mom), (None, None));
        assert!(z.yoy_note.as_deref().unwrap().contains("为 0"));
        assert!(z.last_month_note.as_deref().unwrap().contains("为 0"));
        // Missing base: blank, never 0.
        let mut m = r.clone();
        m.yoy = None;
        m.last_year = None;
        rates(&mut m, false);
        assert_eq!(m.yoy, None);
        // No plan: no rate.
        let mut p = r.clone();
        p.plan = Some(0.0);
        p.ytd_rate = None;
        p.month_rate = None;
        rates(&mut p, false);
        assert_eq!((p.ytd_rate, p.month_rate, p.gap), (None, None, None));
    }

    fn line(kind: InvestKind, category: &str, unit: &str, plan: f64, ytd: f64) -> InvestLine {
        InvestLine {
            kind,
            category: category.into(),
            unit: unit.into(),
            project_id: format!("{category}{unit}"),
            project_name: String::new(),
            nature: String::new(),
            plan,
            month: Some(ytd / 6.0),
            ytd: Some(ytd),
            rate: Some(ytd / plan),
            funds: [None; 5],
            image: String::new(),
            undivided: false,
            left_out: Vec::new(),
            reported: true,
            disputed: Vec::new(),
            missing: Vec::new(),
            funds_total: None,
            funds_differ: false,
            funds_unbalanced: Vec::new(),
            funds_unfilled: Vec::new(),
        }
    }

    /// This year's 农村公路 and 客运场站 against last year's 农村公路（spelled with a space）,
    /// 客运场站 disputed and 养护工程 that this year has not.
    #[test]
    fn categories_match_across_years_by_name_and_the_rest_is_kept_apart() {
        use InvestKind::*;
        let this = vec![
            line(Project, "农村公路", "甲", 100.0, 60.0),
            line(CategorySubtotal, "农村公路", "", 100.0, 60.0),
            line(Project, "客运场站", "甲", 50.0, 20.0),
            line(CategorySubtotal, "客运场站", "", 50.0, 20.0),
            line(UnitSubtotal, "", "甲", 150.0, 80.0),
            line(Total, "", "", 150.0, 80.0),
        ];
        let mut disputed = line(CategorySubtotal, "客运场站", "", 40.0, 16.0);
        disputed.disputed = vec!["【甲】E-FUND-SUM".into()];
        let last = vec![
            line(CategorySubtotal, "农村 公路", "", 80.0, 40.0),
            disputed,
            line(CategorySubtotal, "养护工程", "", 30.0, 9.0),
            line(UnitSubtotal, "", "甲", 150.0, 65.0),
            line(Total, "", "", 150.0, 65.0),
        ];
        let period = Period::new(2020, 6).unwrap();
        let ly = LastYearLines {
            period: Period::new(2019, 6).unwrap(),
            lines: &last,
            files: 1,
            list_file: "2019.xlsx",
        };
        let st = statistics(
            period,
            &this,
            &[],
            &HashMap::new(),
            &MonthBefore::default(),
            Some(&ly),
            &Config::embedded(),
        );
        let get = |label: &str| st.by_category.iter().find(|r| r.label == label).unwrap();
        assert_eq!(get("合计").last_year, Some(65.0));
        assert_eq!(get("农村公路").last_year, Some(40.0));
        assert_eq!(get("农村公路").yoy, Some(1.5));
        assert!(!get("农村公路").last_year_marked);
        let k = get("客运场站");
        assert_eq!(k.last_year, Some(16.0));
        assert!(k.last_year_marked && k.last_year_note.as_deref().unwrap().contains("待核"));
        let other = get("去年其他类别");
        assert_eq!(other.last_year, Some(9.0));
        assert!(
            other
                .last_year_note
                .as_deref()
                .unwrap()
                .contains("养护工程")
        );
        // The column adds up to 合计's: 40 + 16 + 9.
        let parts: f64 = st.by_category[1..]
            .iter()
            .filter_map(|r| r.shown.last_year)
            .sum();
        assert_eq!(parts, 65.0);
        // No month before known: blank with a note, never 0.
        assert_eq!(get("合计").last_month, None);
        assert!(get("合计").last_month_note.is_some());
    }

    /// A unit row ranked on its own figures: plan, year-to-date, 序时进度.
    fn unit(name: &str, plan: f64, ytd: f64, schedule: f64) -> StatRow {
        let mut r = StatRow::new(StatKind::Unit, name.into());
        r.plan = Some(plan);
        r.own_ytd = Some(ytd);
        r.ytd = Some(ytd);
        r.schedule = Some(schedule);
        r.due = 1;
        r.reported = 1;
        rates(&mut r, false);
        r
    }

    #[test]
    fn units_rank_by_rate_then_year_to_date_and_a_disputed_one_is_not_ranked() {
        let mut config = Config::embedded().clone();
        config.brief.last_named = 2;
        let mut rows = vec![
            StatRow::new(StatKind::Total, "合计".into()),
            unit("甲", 100.0, 50.0, 0.5),  // 50 %, on schedule
            unit("乙", 200.0, 100.0, 0.5), // 50 %, more done: before 甲
            unit("丙", 100.0, 45.0, 0.5),  // 5 points behind
            unit("丁", 100.0, 30.0, 0.5),  // 20 points behind
            unit("戊", 100.0, 90.0, 0.5),  // best rate, but disputed
        ];
        rows[5].disputed = vec!["戊（T03-01）".into()];
        // Last month (40, 30, 20, 25 %): 甲, 乙, 丁, 丙.
        let last: HashMap<String, Option<f64>> = [
            ("甲", Some(40.0)),
            ("乙", Some(60.0)),
            ("丙", Some(20.0)),
            ("丁", Some(25.0)),
            ("戊", None),
        ]
        .into_iter()
        .map(|(u, v)| (u.to_string(), v))
        .collect();
        let (last_units, twice) = rank(&mut rows, &last, &config);
        let place = |i: usize| (rows[i].rank, rows[i].band.clone(), rows[i].rank_change);
        assert_eq!(place(2), (Some(1), Some("超序时".into()), Some(1)));
        assert_eq!(place(1), (Some(2), Some("超序时".into()), Some(-1)));
        assert_eq!(place(3), (Some(3), Some("基本达到".into()), Some(1)));
        assert_eq!(place(4), (Some(4), Some("滞后".into()), Some(-1)));
        assert_eq!(rows[5].rank, None);
        assert_eq!(rows[5].rank_text(), "数据待核");
        assert_eq!(rows[5].band, None);
        assert_eq!(rows[3].change_text(), "↑1");
        assert_eq!(rows[4].change_text(), "↓1");
        assert_eq!(last_units, vec!["丙".to_string(), "丁".to_string()]);
        assert_eq!(twice, vec!["丙".to_string(), "丁".to_string()]);
    }
}
