//! Consolidation, once, in the middle: the only module that touches polars.
//!
//! Typed rows from validation become data frames; joins and group-bys give the figures of
//! every summary sheet. [`consolidate`] hands every writer one [`Consolidated`]: the
//! figures as plain Rust ([`Summary`]), 数据来源's records, 存在问题汇总's lines and the
//! correction workbooks' contents. Writers receive it and compute nothing.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;

use crate::config::Config;
use crate::correction::{self, Correction};
use crate::error::{Error, Result};
use crate::model::{PastRow, PastRows, Period, ProgressRow, RosterTally, Status, TaskList};
use crate::validate::{Batch, Part, PastReturn, UnitReturn};

mod lines;
mod problems;
pub mod schedule;
mod sources;
pub mod statistics;
pub mod upward;

pub use lines::{
    CategoryLine, Coverage, FundsGap, InvestKind, InvestLine, StatusCount, TaskLine, dispute_line,
    round_to,
};
use lines::{MONEY_DECIMALS, QUANTITY_DECIMALS, rm, rq};
pub use problems::{ProblemLine, problem_lines};
pub use sources::{SourceRecord, source_records};
pub use statistics::{StatKind, StatRow, Statistics};

/// What consolidation hands every output: the checked batch and everything computed from
/// it. The summary workbook, the correction workbooks and the exports receive this and
/// derive nothing; a new output is one more receiver.
pub struct Consolidated<'a> {
    /// The checked batch: the task list, the roster, the findings and their counts, the
    /// deadline and the notices, and the accepted rows (for the long tables).
    pub batch: &'a Batch,
    /// Every figure, tally, status and list the summary's sheets show.
    pub summary: Summary,
    /// 数据来源: every consolidated figure with its cell, in the task list's order.
    pub sources: Vec<SourceRecord<'a>>,
    /// 存在问题汇总: each unit's problems and next steps, by task.
    pub problems: Vec<ProblemLine<'a>>,
    /// One correction workbook's contents per unit with errors.
    pub corrections: Vec<Correction>,
}

/// Consolidates a checked batch, once, for every output. The figures (polars) are computed
/// on one thread while the records of 数据来源, the problem lines and the corrections are
/// gathered on the other.
pub fn consolidate<'a>(batch: &'a Batch, config: &Config) -> Result<Consolidated<'a>> {
    let (summary, (sources, (problems, corrections))) = rayon::join(
        || figures(batch, config),
        || {
            rayon::join(
                || source_records(batch),
                || (problem_lines(batch), correction::corrections(batch)),
            )
        },
    );
    Ok(Consolidated {
        batch,
        summary: summary?,
        sources,
        problems,
        corrections,
    })
}

/// What was done over what was planned or targeted, when there is a figure and a plan
/// above 0 to rate it by.
fn rate_of(done: Option<f64>, of: Option<f64>) -> Option<f64> {
    match (done, of) {
        (Some(d), Some(o)) if o > 0.0 => Some(d / o),
        _ => None,
    }
}

/// 进度状态 of a quantitative task. On complete, accepted data: 未启动 when no part is above
/// 0, 已完成 at the target, 滞后 when the completion rate is more than `tolerance` below
/// 序时进度 (`schedule`), else 按序时推进. With a disputed or missing part: 已完成 if the
/// accepted parts alone reach the target, else 数据待核.
pub fn quantitative_status(
    ytd: Option<f64>,
    coverage: &Coverage,
    target: Option<f64>,
    schedule: f64,
    tolerance: f64,
) -> Status {
    if !coverage.complete() {
        return match target {
            Some(t) if coverage.accepted_ytd >= t => Status::Done,
            _ => Status::Unverified,
        };
    }
    let Some(y) = ytd.filter(|y| *y > 0.0) else {
        return Status::NotStarted;
    };
    match target {
        Some(t) if y >= t => Status::Done,
        Some(t) if t > 0.0 && y / t < schedule - tolerance => Status::Lagging,
        _ => Status::OnSchedule,
    }
}

/// The consolidated figures of a period.
#[derive(Debug, Clone)]
pub struct Summary {
    pub period: Period,
    pub tasks: Vec<TaskLine>,
    pub categories: Vec<CategoryLine>,
    /// Tasks per 进度状态 overall, in 总览's order.
    pub status_counts: Vec<StatusCount>,
    /// The 进度状态 columns of 分类汇总: the four of quantitative tasks, then the others
    /// in order of appearance.
    pub status_columns: Vec<Status>,
    /// Tasks per status column over all categories.
    pub status_totals: Vec<usize>,
    pub roster: RosterTally,
    /// Projects by category with category subtotals, then unit subtotals, then the total.
    pub invest: Vec<InvestLine>,
    /// The investment table's 合计 line (also the last line of `invest`).
    pub invest_total: Option<InvestLine>,
    /// When parts of the total are missing: the plans of the parts that are in (the project
    /// lines reported with a plan of their own, and shared projects not broken down that
    /// all their units reported) and those parts' year-to-date over them, shown beside
    /// 完成年计划 (which divides by the full plan).
    pub invest_reported_plan: Option<(f64, Option<f64>)>,
    /// Whether any project is in the list or in a return: without one there is no plan,
    /// not a plan of 0.
    pub has_projects: bool,
    /// The lines of `categories` that have a completion rate (what 总览's chart draws), by
    /// index, in order.
    pub rated_categories: Vec<usize>,
    /// Each unit's investment as 总览's chart shows it: the units that reported by completion
    /// rate, highest first, then those that did not.
    pub unit_invest: Vec<UnitInvest>,
    /// The plans are the units' own 本年计划投资 (the list has none), not shares of the
    /// list's.
    pub plans_from_returns: bool,
    /// Periods present this year up to the summary's period.
    pub periods: Vec<Period>,
    /// Year-to-date investment per category, one value per period.
    pub trend_invest: Vec<(String, Vec<Option<f64>>)>,
    /// Year-to-date investment of all categories, one value per period.
    pub trend_invest_total: Vec<Option<f64>>,
    /// Year-to-date progress per category and 计量单位, one value per period.
    pub trend_progress: Vec<(String, String, Vec<Option<f64>>)>,
    /// Per category, per period: the category's responsible units that sent no return that
    /// month (short names), so that a month's entry lacking units is marked.
    pub trend_missing: HashMap<String, Vec<Vec<String>>>,
    /// 投资完成情况表, when there is investment.
    pub statistics: Option<Statistics>,
}

fn pe(e: PolarsError) -> Error {
    Error::Consolidate(Box::new(e))
}

fn f64s(df: &DataFrame, name: &str) -> Result<Vec<Option<f64>>> {
    df.column(name)
        .map_err(pe)?
        .cast(&DataType::Float64)
        .map_err(pe)?
        .f64()
        .map_err(pe)
        .map(|ca| (0..ca.len()).map(|i| ca.get(i)).collect())
}

fn strs(df: &DataFrame, name: &str) -> Result<Vec<String>> {
    df.column(name).map_err(pe)?.str().map_err(pe).map(|ca| {
        (0..ca.len())
            .map(|i| ca.get(i).unwrap_or("").to_string())
            .collect()
    })
}

/// Rows of progress of the accepted returns: first row per (unit, task) only.
fn progress_frame(returns: &[&UnitReturn], config: &Config) -> Result<DataFrame> {
    let mut unit = Vec::new();
    let mut id = Vec::new();
    let mut month = Vec::new();
    let mut ytd = Vec::new();
    let mut rank: Vec<Option<f64>> = Vec::new();
    for r in returns {
        for row in r.progress_rows() {
            unit.push(r.unit.clone());
            id.push(row.task_id.value.clone());
            month.push(row.month.value);
            ytd.push(row.ytd.value);
            rank.push(config.status_rank(&row.status.value).map(|r| r as f64));
        }
    }
    df!(
        "unit" => unit,
        "id" => id,
        "month" => month,
        "ytd" => ytd,
        "rank" => rank,
    )
    .map_err(pe)
}

/// Each unit's accepted row per task, with what its figures are, in roster order.
type RowsByTask<'a> = HashMap<&'a str, Vec<(&'a str, &'a ProgressRow, &'a Part)>>;

fn rows_by_task(batch: &Batch) -> RowsByTask<'_> {
    let mut map: RowsByTask<'_> = HashMap::new();
    for r in &batch.current {
        for (row, part) in r.progress_parts() {
            map.entry(row.task_id.value.as_str())
                .or_default()
                .push((&r.unit, row, part));
        }
    }
    map
}

/// A task's coverage: its responsible units' parts, and disputes of any unit's part.
fn coverage_of(task: &crate::model::Task, rows: &RowsByTask<'_>, config: &Config) -> Coverage {
    let parts = rows.get(task.id.as_str()).map_or(&[][..], Vec::as_slice);
    let quantitative = task.is_quantitative();
    let mut c = Coverage {
        due: task.units.len(),
        ..Coverage::default()
    };
    for unit in &task.units {
        let sent = parts.iter().find(|(u, _, _)| *u == unit.as_str());
        let short = config.short_name(unit).to_string();
        match sent {
            Some((_, _, Part::Missing)) if quantitative => {
                c.reported += 1;
                c.unusable.push(short.clone());
                c.missing.push(short);
            }
            Some(_) => {
                c.reported += 1;
                c.counted += 1;
            }
            None => c.missing.push(short),
        }
    }
    for (unit, row, part) in parts {
        match part {
            Part::Accepted => {
                c.accepted_ytd = round_to(
                    c.accepted_ytd + row.ytd.value.unwrap_or(0.0),
                    QUANTITY_DECIMALS,
                )
            }
            Part::Disputed(d) => c.disputed.push(dispute_line(config.short_name(unit), d)),
            Part::Missing => {}
        }
    }
    c
}

/// Each unit's text for a task, prefixed 【unit】, in roster order; blanks and 无 left out.
fn unit_texts(
    rows: &RowsByTask<'_>,
    config: &Config,
    id: &str,
    get: impl Fn(&ProgressRow) -> &str,
) -> String {
    let mut parts = Vec::new();
    for (unit, row, _) in rows.get(id).into_iter().flatten() {
        let t = get(row).trim();
        if !t.is_empty() && t != "无" {
            parts.push(format!("【{}】{}", config.short_name(unit), t));
        }
    }
    parts.join("\n")
}

/// The task list as a frame, built once for the month's figures and the trend: id, list
/// order, category, 计量单位 and target (quantitative tasks only), whether
/// quantitative, whether it carries investment.
fn task_frame(batch: &Batch) -> Result<DataFrame> {
    let tasks = &batch.tasks.tasks;
    df!(
        "id" => tasks.iter().map(|t| t.id.clone()).collect::<Vec<_>>(),
        "order" => (0..tasks.len() as i64).collect::<Vec<_>>(),
        "category" => tasks.iter().map(|t| t.category.clone()).collect::<Vec<_>>(),
        "measure" => tasks.iter().map(|t| if t.is_quantitative() { t.measure.clone().unwrap_or_default() } else { String::new() }).collect::<Vec<_>>(),
        "target" => tasks.iter().map(|t| if t.is_quantitative() { t.target } else { None }).collect::<Vec<_>>(),
        "quant" => tasks.iter().map(|t| t.is_quantitative()).collect::<Vec<_>>(),
        "has_plan" => tasks.iter().map(|t| batch.tasks.invests(t)).collect::<Vec<_>>(),
    )
    .map_err(pe)
}

/// The figures of a checked batch: every sum, rate, status and tally.
fn figures(batch: &Batch, config: &Config) -> Result<Summary> {
    let period = batch.period;
    let tasks_df = task_frame(batch)?;
    // Three independent parts side by side: the tasks' lines, the investment lines, the
    // trend (each a chain of polars queries and loops of its own).
    let ((lines_of_tasks, invest), trend_of) = rayon::join(
        || {
            rayon::join(
                || task_lines(batch, config, &tasks_df),
                || investment(batch, config),
            )
        },
        || trend(batch, tasks_df.clone()),
    );
    let (task_lines, lines) = lines_of_tasks?;
    let mut categories = category_lines(lines)?;
    let (status_counts, status_columns, status_totals) =
        status_tallies(&task_lines, &mut categories, config);
    let invest = invest?;
    let unit_invest = unit_investment(&invest);
    let invest_total = invest.iter().find(|l| l.kind == InvestKind::Total).cloned();
    let has_projects = invest.iter().any(|l| l.kind == InvestKind::Project);
    let invest_reported_plan = invest_total
        .as_ref()
        .filter(|t| !t.missing.is_empty())
        .map(|_| reported_plan(batch, &invest));
    let rated_categories = (0..categories.len())
        .filter(|&i| categories[i].rate.is_some())
        .collect();
    let (periods, trend_invest, trend_progress) = trend_of?;
    let trend_invest_total = trend_total(&trend_invest, periods.len());
    let trend_missing = trend_missing(batch, config, &periods);
    let statistics = match has_projects {
        true => Some(statistics_of(batch, config, &invest, &task_lines)?),
        false => None,
    };
    Ok(Summary {
        period,
        tasks: task_lines,
        categories,
        status_counts,
        status_columns,
        status_totals,
        roster: RosterTally::of(&batch.roster),
        invest,
        invest_total,
        invest_reported_plan,
        has_projects,
        rated_categories,
        unit_invest,
        plans_from_returns: batch.tasks.plans_from_returns,
        periods,
        trend_invest,
        trend_invest_total,
        trend_progress,
        trend_missing,
        statistics,
    })
}

/// Per task: sums over units, rate, 序时进度 and status; with the frame of those lines (in
/// the list's order), which the categories are summed from.
fn task_lines(
    batch: &Batch,
    config: &Config,
    tasks_df: &DataFrame,
) -> Result<(Vec<TaskLine>, DataFrame)> {
    let period = batch.period;
    let tasks = &batch.tasks.tasks;
    let current: Vec<&UnitReturn> = batch.current.iter().collect();
    let prog = progress_frame(&current, config)?;
    let per_task = prog.lazy().group_by([col("id")]).agg([
        col("month").sum().alias("month_sum"),
        col("month").count().cast(DataType::Int64).alias("n_month"),
        col("ytd").sum().alias("ytd_sum"),
        col("ytd").count().cast(DataType::Int64).alias("n_ytd"),
        col("rank").min().alias("min_rank"),
    ]);
    let tol = config.lag_tolerance / 100.0;
    let mut lines = tasks_df
        .clone()
        .lazy()
        .left_join(per_task, col("id"), col("id"))
        .sort(["order"], SortMultipleOptions::default())
        .collect()
        .map_err(pe)?;
    // A task's sums where a unit reported it, its rate where it has a target. Worked out
    // here rather than by a conditional in the query: polars makes the null branch of one
    // a column of nulls from a shared zeroed buffer, 8 MB touched the first time.
    let reported = |sum: &str, n: &str| -> Result<Vec<Option<f64>>> {
        let n = f64s(&lines, n)?;
        Ok(f64s(&lines, sum)?
            .into_iter()
            .zip(n)
            .map(|(s, n)| s.filter(|_| n.is_some_and(|n| n > 0.0)))
            .collect())
    };
    let month_sum = reported("month_sum", "n_month")?;
    let ytd_sum = reported("ytd_sum", "n_ytd")?;
    let quant = lines.column("quant").map_err(pe)?.bool().map_err(pe)?;
    let rate: Vec<Option<f64>> = f64s(&lines, "target")?
        .into_iter()
        .zip(&ytd_sum)
        .enumerate()
        .map(|(i, (target, ytd))| rate_of(*ytd, target.filter(|_| quant.get(i) == Some(true))))
        .collect();
    let month: Vec<Option<f64>> = month_sum.iter().copied().map(rq).collect();
    let ytd: Vec<Option<f64>> = ytd_sum.iter().copied().map(rq).collect();
    // The categories are summed from the same, unrounded.
    for (name, values) in [("month", month_sum), ("ytd", ytd_sum)] {
        lines
            .with_column(Column::new(name.into(), values))
            .map_err(pe)?;
    }
    // 序时进度 by each task's rule: 节点目标, season or calendar.
    let schedules: Vec<schedule::Schedule> = tasks
        .iter()
        .map(|t| schedule::schedule(t, config.season_of(&t.category), period.month))
        .collect();
    let min_rank = f64s(&lines, "min_rank")?;
    let rows = rows_by_task(batch);
    let mut task_lines = Vec::with_capacity(tasks.len());
    for (i, t) in tasks.iter().enumerate() {
        let quantitative = t.is_quantitative();
        let coverage = coverage_of(t, &rows, config);
        let status = if quantitative {
            quantitative_status(ytd[i], &coverage, t.target, schedules[i].value, tol)
        } else if !coverage.complete() {
            Status::Unverified
        } else {
            min_rank[i]
                .and_then(|r| config.statuses.get(r as usize))
                .map_or(Status::NotStarted, |s| Status::from_label(s))
        };
        task_lines.push(TaskLine {
            id: t.id.clone(),
            category: t.category.clone(),
            name: t.name.clone(),
            units: t.units.clone(),
            measure: t.measure.clone().unwrap_or_default(),
            target: t.target,
            month: month[i],
            ytd: ytd[i],
            rate: rate[i],
            schedule: schedules[i].value,
            schedule_note: schedules[i].note.clone(),
            status,
            quantitative,
            coverage,
            progress_text: unit_texts(&rows, config, &t.id, |p| &p.progress.value),
            problems_text: unit_texts(&rows, config, &t.id, |p| &p.problems.value),
        });
    }

    Ok((task_lines, lines))
}

/// Per category and measure: tasks, targets, month and year-to-date, rate.
fn category_lines(lines: DataFrame) -> Result<Vec<CategoryLine>> {
    let cats = lines
        .lazy()
        .group_by([col("category"), col("measure")])
        .agg([
            len().cast(DataType::Int64).alias("n"),
            col("order").min().alias("first"),
            col("target").sum().alias("target"),
            col("month").sum().alias("month"),
            col("month").count().cast(DataType::Int64).alias("n_month"),
            col("ytd").sum().alias("ytd"),
            col("ytd").count().cast(DataType::Int64).alias("n_ytd"),
        ])
        .sort(["first", "measure"], SortMultipleOptions::default())
        .collect()
        .map_err(pe)?;
    let (c_cat, c_meas) = (strs(&cats, "category")?, strs(&cats, "measure")?);
    let (c_n, c_target) = (f64s(&cats, "n")?, f64s(&cats, "target")?);
    let (c_month, c_nm) = (f64s(&cats, "month")?, f64s(&cats, "n_month")?);
    let (c_ytd, c_ny) = (f64s(&cats, "ytd")?, f64s(&cats, "n_ytd")?);
    let mut categories = Vec::new();
    for i in 0..cats.height() {
        let quant = !c_meas[i].is_empty();
        let ytd = (c_ny[i].unwrap_or(0.0) > 0.0).then(|| c_ytd[i].unwrap_or(0.0));
        let target = if quant { c_target[i] } else { None };
        categories.push(CategoryLine {
            category: c_cat[i].clone(),
            measure: c_meas[i].clone(),
            tasks: c_n[i].unwrap_or(0.0) as usize,
            target: rq(target),
            month: rq((c_nm[i].unwrap_or(0.0) > 0.0).then(|| c_month[i].unwrap_or(0.0))),
            ytd: if quant { rq(ytd) } else { None },
            rate: rate_of(ytd, target),
            by_status: Vec::new(),
            unverified: Vec::new(),
            schedule: None,
        });
    }
    Ok(categories)
}

/// Tasks per 进度状态 (with the tasks each lagging, unstarted or unverified one lists), the
/// status columns of 分类汇总 and their totals; each category's plan-free 序时进度,
/// unverified tasks and counts per status are filled in.
fn status_tallies(
    task_lines: &[TaskLine],
    categories: &mut [CategoryLine],
    config: &Config,
) -> (Vec<StatusCount>, Vec<Status>, Vec<usize>) {
    let mut order: Vec<Status> = Status::QUANTITATIVE.to_vec();
    for s in config.statuses.iter().rev() {
        let s = Status::from_label(s);
        if !order.contains(&s) {
            order.push(s);
        }
    }
    let status_counts = order
        .into_iter()
        .map(|status| {
            let of: Vec<&TaskLine> = task_lines.iter().filter(|t| t.status == status).collect();
            let listed = match status {
                Status::Lagging | Status::NotStarted | Status::Unverified => {
                    of.iter().map(|t| (t.id.clone(), t.name.clone())).collect()
                }
                _ => Vec::new(),
            };
            StatusCount {
                tasks: of.len(),
                status,
                listed,
            }
        })
        .collect();
    let mut status_columns: Vec<Status> = Status::QUANTITATIVE.to_vec();
    for t in task_lines {
        if !status_columns.contains(&t.status) {
            status_columns.push(t.status.clone());
        }
    }
    for line in categories.iter_mut() {
        let schedules: Vec<f64> = task_lines
            .iter()
            .filter(|t| t.quantitative && t.category == line.category && t.measure == line.measure)
            .map(|t| t.schedule)
            .collect();
        line.schedule =
            (!schedules.is_empty()).then(|| schedules.iter().sum::<f64>() / schedules.len() as f64);
        line.unverified = task_lines
            .iter()
            .filter(|t| {
                t.category == line.category
                    && (if t.quantitative { &t.measure } else { "" }) == line.measure
                    && !t.coverage.complete()
            })
            .map(|t| t.id.clone())
            .collect();
        line.by_status = status_columns
            .iter()
            .map(|st| {
                task_lines
                    .iter()
                    .filter(|t| {
                        t.category == line.category
                            && (if t.quantitative { &t.measure } else { "" }) == line.measure
                            && t.status == *st
                    })
                    .count()
            })
            .collect();
    }
    let status_totals = status_columns
        .iter()
        .map(|st| task_lines.iter().filter(|t| t.status == *st).count())
        .collect();

    (status_counts, status_columns, status_totals)
}

/// The investment plan of the parts that are in, and their year-to-date rate: a reported
/// line with a plan of its own, and a shared project not broken down whose responsible units
/// all reported (its plan whole).
fn reported_plan(batch: &Batch, invest: &[InvestLine]) -> (f64, Option<f64>) {
    let projects: Vec<&InvestLine> = invest
        .iter()
        .filter(|l| l.kind == InvestKind::Project)
        .collect();
    let (mut plan, mut ytd) = (0.0, None::<f64>);
    let mut add = |p: f64, y: Option<f64>| {
        plan += p;
        if let Some(y) = y {
            ytd = Some(ytd.unwrap_or(0.0) + y);
        }
    };
    for l in projects.iter().filter(|l| l.reported && !l.undivided) {
        add(l.plan, l.ytd);
    }
    let mut seen: Vec<&str> = Vec::new();
    for l in projects.iter().filter(|l| l.undivided) {
        if seen.contains(&l.project_id.as_str()) {
            continue;
        }
        seen.push(&l.project_id);
        let lines: Vec<&&InvestLine> = projects
            .iter()
            .filter(|p| p.project_id == l.project_id)
            .collect();
        let whole = batch
            .tasks
            .get(&l.project_id)
            .and_then(|t| t.plan_investment);
        if let Some(whole) = whole
            && lines.iter().all(|p| p.reported || !p.undivided)
        {
            add(
                whole,
                lines.iter().filter_map(|p| p.ytd).reduce(|a, b| a + b),
            );
        }
    }
    let plan = round_to(plan, MONEY_DECIMALS);
    (plan, rate_of(ytd, Some(plan)))
}

/// The investment trend's total per month.
fn trend_total(trend_invest: &[(String, Vec<Option<f64>>)], months: usize) -> Vec<Option<f64>> {
    let mut trend_invest_total = vec![None::<f64>; months];
    for (_, vals) in trend_invest {
        for (total, v) in trend_invest_total.iter_mut().zip(vals) {
            if let Some(v) = v {
                *total = rm(Some(total.unwrap_or(0.0) + v));
            }
        }
    }

    trend_invest_total
}

/// The statistics table: this month's investment lines, the month before's accepted
/// figures, and last year's investment table at the same month.
fn statistics_of(
    batch: &Batch,
    config: &Config,
    invest: &[InvestLine],
    tasks: &[TaskLine],
) -> Result<Statistics> {
    let mut weights: HashMap<String, f64> = HashMap::new();
    for l in invest.iter().filter(|l| l.kind == InvestKind::Project) {
        let whole = batch
            .tasks
            .get(&l.project_id)
            .and_then(|t| t.plan_investment);
        match whole {
            Some(w) => {
                weights.insert(l.project_id.clone(), w);
            }
            None => *weights.entry(l.project_id.clone()).or_default() += l.plan,
        }
    }
    let before = crate::validate::invest_month_before(batch);
    let last = match &batch.last_year {
        Some(ly) => {
            let lines = investment(&ly.batch, config)?;
            let files: std::collections::BTreeSet<String> =
                ly.batch.current.iter().flat_map(|r| r.files()).collect();
            Some((lines, files.len(), ly))
        }
        None => None,
    };
    let last_lines = last
        .as_ref()
        .map(|(lines, files, ly)| statistics::LastYearLines {
            period: ly.batch.period,
            lines,
            files: *files,
            list_file: &ly.list_file,
        });
    Ok(statistics::statistics(
        batch.period,
        invest,
        tasks,
        &weights,
        &before,
        last_lines.as_ref(),
        config,
    ))
}

/// A unit's investment for 总览's chart.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitInvest {
    pub unit: String,
    pub plan: f64,
    pub ytd: Option<f64>,
    /// Year-to-date over plan; `None` when the unit reported no figure (not 0).
    pub rate: Option<f64>,
    /// The unit's figures include a disputed part.
    pub disputed: bool,
    /// Some of the unit's owed parts are missing.
    pub lacking: bool,
    /// Some of the unit's projects are shared and not broken down: its plan and rate
    /// leave them out.
    pub left_out: bool,
}

/// The unit subtotals of the investment table, by completion rate (unreported last).
fn unit_investment(invest: &[InvestLine]) -> Vec<UnitInvest> {
    let mut out: Vec<UnitInvest> = invest
        .iter()
        .filter(|l| l.kind == InvestKind::UnitSubtotal)
        .map(|l| UnitInvest {
            unit: l.unit.clone(),
            plan: l.plan,
            ytd: l.ytd,
            rate: l.rate,
            disputed: !l.disputed.is_empty(),
            lacking: !l.missing.is_empty(),
            left_out: !l.left_out.is_empty(),
        })
        .collect();
    out.sort_by(|a, b| match (a.rate, b.rate) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    out
}

/// Per category and period, the responsible units without a return that month.
fn trend_missing(
    batch: &Batch,
    config: &Config,
    periods: &[Period],
) -> HashMap<String, Vec<Vec<String>>> {
    let mut sent: HashMap<Period, std::collections::HashSet<&str>> = HashMap::new();
    for r in batch.history.values().flatten() {
        sent.entry(r.period).or_default().insert(r.unit.as_str());
    }
    for r in &batch.current {
        sent.entry(r.period).or_default().insert(r.unit.as_str());
    }
    let mut due: Vec<(&str, Vec<&str>)> = Vec::new();
    for t in &batch.tasks.tasks {
        let entry = match due.iter().position(|(c, _)| *c == t.category) {
            Some(i) => &mut due[i].1,
            None => {
                due.push((&t.category, Vec::new()));
                &mut due.last_mut().expect("just pushed").1
            }
        };
        for u in &t.units {
            if !entry.contains(&u.as_str()) {
                entry.push(u);
            }
        }
    }
    due.into_iter()
        .map(|(cat, units)| {
            let per: Vec<Vec<String>> = periods
                .iter()
                .map(|p| {
                    units
                        .iter()
                        .filter(|u| !sent.get(p).is_some_and(|s| s.contains(*u)))
                        .map(|u| config.short_name(u).to_string())
                        .collect()
                })
                .collect();
            (cat.to_string(), per)
        })
        .collect()
}

/// The investment table: every (project, unit) of the task list plus any reported by a unit
/// not responsible for it, joined with the figures reported.
fn investment(batch: &Batch, config: &Config) -> Result<Vec<InvestLine>> {
    let (reported, pairs, own_plan) = reported_frame(batch)?;
    let plan = plan_frame(&batch.tasks, &pairs, &own_plan)?;
    let joined = join_plan(plan, reported)?;
    let mut out = Vec::new();
    // Projects, each category followed by its subtotal.
    let mut projects = Vec::new();
    read_lines(&joined, InvestKind::Project, &mut projects)?;
    mark_parts(batch, config, &mut projects);
    let mut cat_sub = Vec::new();
    read_lines(
        &sums(&joined, &["category"], &["order"])?,
        InvestKind::CategorySubtotal,
        &mut cat_sub,
    )?;
    for sub in cat_sub {
        out.extend(
            projects
                .iter()
                .filter(|p| p.category == sub.category)
                .cloned(),
        );
        out.push(sub);
    }
    read_lines(
        &sums(&joined, &["unit"], &["urank"])?,
        InvestKind::UnitSubtotal,
        &mut out,
    )?;
    read_lines(&sums(&joined, &[], &[])?, InvestKind::Total, &mut out)?;
    carry_marks(&mut out, &projects, config);
    Ok(out)
}

/// The reported rows (first per unit and project, known projects only) as a frame; which
/// unit reported which project; and each unit's own 本年计划投资 (what a list without plans
/// takes).
#[allow(clippy::type_complexity)]
fn reported_frame(
    batch: &Batch,
) -> Result<(DataFrame, Vec<(String, String)>, HashMap<(&str, &str), f64>)> {
    let mut r_unit = Vec::new();
    let mut r_id = Vec::new();
    let mut r_nature = Vec::new();
    let mut r_month = Vec::new();
    let mut r_ytd = Vec::new();
    let mut r_funds: [Vec<Option<f64>>; 5] = Default::default();
    let mut r_image = Vec::new();
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut own_plan: HashMap<(&str, &str), f64> = HashMap::new();
    for r in &batch.current {
        for row in r.invest_rows() {
            let id = &row.project_id.value;
            r_unit.push(r.unit.clone());
            r_id.push(id.clone());
            r_nature.push(row.nature.value.clone());
            r_month.push(row.month.value);
            r_ytd.push(row.ytd.value);
            for (col, fund) in r_funds.iter_mut().zip(&row.funds) {
                col.push(fund.value);
            }
            r_image.push(row.image_progress.value.clone());
            pairs.push((id.clone(), r.unit.clone()));
            if let Some(p) = row.plan.value {
                own_plan.insert((id.as_str(), r.unit.as_str()), p);
            }
        }
    }
    let mut reported = df!(
        "id" => r_id,
        "unit" => r_unit,
        "nature" => r_nature,
        "month" => r_month,
        "ytd" => r_ytd,
        "image" => r_image,
    )
    .map_err(pe)?;
    for (k, v) in r_funds.into_iter().enumerate() {
        reported
            .with_column(Column::new(format!("f{k}").into(), v))
            .map_err(pe)?;
    }

    Ok((reported, pairs, own_plan))
}

/// The plan: one line per project and responsible unit, plus the units that reported a
/// project without being responsible for it.
fn plan_frame(
    tasks: &TaskList,
    pairs: &[(String, String)],
    own_plan: &HashMap<(&str, &str), f64>,
) -> Result<DataFrame> {
    let units = tasks.units();
    let unit_rank = |u: &str| units.iter().position(|x| x == u).unwrap_or(units.len()) as i64;
    // Units that reported a project, by project.
    let mut extra_units: HashMap<&str, Vec<String>> = HashMap::new();
    for (id, u) in pairs {
        extra_units.entry(id.as_str()).or_default().push(u.clone());
    }

    let mut p_id = Vec::new();
    let mut p_unit = Vec::new();
    // The unit's own plan (null for a shared project the list does not break down) and
    // the project's plan on its first line only (what categories and 合计 add up: a shared
    // project's plan counts once).
    let mut p_plan: Vec<Option<f64>> = Vec::new();
    let mut p_once: Vec<f64> = Vec::new();
    let mut p_cat = Vec::new();
    let mut p_name = Vec::new();
    let mut p_order = Vec::new();
    let mut p_urank = Vec::new();
    for (order, t) in tasks.tasks.iter().enumerate() {
        let reported_by_some = extra_units.contains_key(t.id.as_str());
        if t.plan_investment.is_none() && !(tasks.plans_from_returns && reported_by_some) {
            continue;
        }
        let mut us: Vec<String> = t.units.clone();
        for u in extra_units.get(t.id.as_str()).into_iter().flatten() {
            if !us.contains(u) {
                us.push(u.clone());
            }
        }
        if t.plan_investment.is_none() {
            // Only the units that reported it: the others' plans are unknown.
            us.retain(|u| {
                extra_units
                    .get(t.id.as_str())
                    .is_some_and(|r| r.contains(u))
            });
        }
        for (k, u) in us.into_iter().enumerate() {
            let (plan, once) = match t.plan_investment {
                None => {
                    let own = own_plan
                        .get(&(t.id.as_str(), u.as_str()))
                        .copied()
                        .unwrap_or(0.0);
                    (Some(own), own)
                }
                Some(whole) => {
                    let plan = match t.units.contains(&u) {
                        true => t.own_plan(&u),
                        false => Some(0.0),
                    };
                    (plan, if k == 0 { whole } else { 0.0 })
                }
            };
            p_once.push(once);
            p_id.push(t.id.clone());
            p_urank.push(unit_rank(&u));
            p_unit.push(u);
            p_plan.push(plan);
            p_cat.push(t.category.clone());
            p_name.push(t.name.clone());
            p_order.push(order as i64);
        }
    }
    df!(
        "id" => p_id,
        "unit" => p_unit,
        "plan" => p_plan,
        "plan_once" => p_once,
        "category" => p_cat,
        "name" => p_name,
        "order" => p_order,
        "urank" => p_urank,
    )
    .map_err(pe)
}

/// The plan joined with what was reported: whether a line was reported, its rate, and the
/// year-to-date its unit's rate covers; in the list's order, then the units'.
fn join_plan(plan: DataFrame, reported: DataFrame) -> Result<DataFrame> {
    let mut joined = plan
        .lazy()
        .join(
            reported.lazy(),
            [col("id"), col("unit")],
            [col("id"), col("unit")],
            JoinArgs::new(JoinType::Left),
        )
        .with_column(
            col("month")
                .is_not_null()
                .or(col("ytd").is_not_null())
                .alias("reported"),
        )
        .sort(["order", "urank"], SortMultipleOptions::default())
        .collect()
        .map_err(pe)?;
    // Worked out here, not by a conditional in the query (see `task_lines`).
    let (plan, ytd) = (f64s(&joined, "plan")?, f64s(&joined, "ytd")?);
    let rate: Vec<Option<f64>> = plan
        .iter()
        .zip(&ytd)
        .map(|(p, y)| rate_of(*y, *p))
        .collect();
    // What a unit's rate covers: the projects whose plan it has.
    let rated_ytd: Vec<Option<f64>> = plan.iter().zip(&ytd).map(|(p, y)| p.and(*y)).collect();
    for (name, values) in [("rate", rate), ("rated_ytd", rated_ytd)] {
        joined
            .with_column(Column::new(name.into(), values))
            .map_err(pe)?;
    }
    Ok(joined)
}

/// The funding-source columns of the frames: `f0` … `f4`.
fn fund_cols() -> Vec<String> {
    (0..5).map(|k| format!("f{k}")).collect()
}

/// Sums of the joined lines by `keys` (none: the total). A unit's subtotal adds its own
/// plans and rates its year-to-date on those projects; a category's and 合计 add each
/// project's plan once.
fn sums(joined: &DataFrame, keys: &[&str], sort: &[&str]) -> Result<DataFrame> {
    let by_unit = keys == ["unit"];
    let mut aggs = vec![
        col(if by_unit { "plan" } else { "plan_once" })
            .sum()
            .alias("plan"),
        col("rated_ytd").sum().alias("rated_ytd"),
        col("rated_ytd")
            .count()
            .cast(DataType::Int64)
            .alias("n_rated"),
        col("month").sum().alias("month"),
        col("month").count().cast(DataType::Int64).alias("n_month"),
        col("ytd").sum().alias("ytd"),
        col("ytd").count().cast(DataType::Int64).alias("n_ytd"),
        col("order").min().alias("order"),
        col("urank").min().alias("urank"),
    ];
    for f in &fund_cols() {
        aggs.push(col(f.as_str()).sum().alias(f.as_str()));
        aggs.push(
            col(f.as_str())
                .count()
                .cast(DataType::Int64)
                .alias(format!("n_{f}").as_str()),
        );
    }
    let lf = joined.clone().lazy();
    let lf = if keys.is_empty() {
        lf.select(aggs)
    } else {
        lf.group_by(keys.iter().map(|k| col(*k)).collect::<Vec<_>>())
            .agg(aggs)
            .sort(
                sort.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                SortMultipleOptions::default(),
            )
    };
    lf.collect().map_err(pe)
}

/// The lines of a frame of projects or of sums, as the writers take them.
fn read_lines(df: &DataFrame, kind: InvestKind, out: &mut Vec<InvestLine>) -> Result<()> {
    let get_s = |n: &str| -> Result<Vec<String>> {
        if df.column(n).is_ok() {
            strs(df, n)
        } else {
            Ok(vec![String::new(); df.height()])
        }
    };
    let (cat, unit, id, name) = (
        get_s("category")?,
        get_s("unit")?,
        get_s("id")?,
        get_s("name")?,
    );
    let (nature, image) = (get_s("nature")?, get_s("image")?);
    let plan = f64s(df, "plan")?;
    let rated = match kind {
        InvestKind::UnitSubtotal => f64s(df, "rated_ytd")?
            .into_iter()
            .zip(f64s(df, "n_rated")?)
            .map(|(v, n)| v.filter(|_| n.unwrap_or(0.0) > 0.0))
            .collect(),
        _ => Vec::new(),
    };
    let month = f64s(df, "month")?;
    let ytd = f64s(df, "ytd")?;
    let counts = |n: &str| -> Result<Vec<Option<f64>>> {
        if df.column(n).is_ok() {
            f64s(df, n)
        } else {
            Ok(vec![Some(1.0); df.height()])
        }
    };
    let (nm, ny) = (counts("n_month")?, counts("n_ytd")?);
    let mut funds: Vec<Vec<Option<f64>>> = Vec::new();
    let mut fcounts: Vec<Vec<Option<f64>>> = Vec::new();
    for f in &fund_cols() {
        funds.push(f64s(df, f)?);
        fcounts.push(counts(&format!("n_{f}"))?);
    }
    for i in 0..df.height() {
        let has = |c: &Vec<Option<f64>>| c[i].unwrap_or(0.0) > 0.0;
        let month_v = month[i].filter(|_| has(&nm));
        let ytd_v = ytd[i].filter(|_| has(&ny));
        // A project line without a plan of its own: a shared project not broken down.
        let undivided = kind == InvestKind::Project && plan[i].is_none();
        let plan_v = plan[i].unwrap_or(0.0);
        let rated_v = match kind {
            InvestKind::UnitSubtotal => rated[i],
            _ => ytd_v,
        };
        let funds: [Option<f64>; 5] =
            std::array::from_fn(|k| rm(funds[k][i].filter(|_| has(&fcounts[k]))));
        let funds_total = funds
            .iter()
            .flatten()
            .copied()
            .reduce(|a, b| a + b)
            .map(|v| round_to(v, MONEY_DECIMALS));
        let funds_differ = matches!((funds_total, rm(ytd_v)),
            (Some(f), Some(y)) if (f - y).abs() > 0.005);
        out.push(InvestLine {
            kind,
            category: cat[i].clone(),
            unit: unit[i].clone(),
            project_id: id[i].clone(),
            project_name: name[i].clone(),
            nature: nature[i].clone(),
            plan: round_to(plan_v, MONEY_DECIMALS),
            month: rm(month_v),
            ytd: rm(ytd_v),
            rate: rate_of(rated_v, Some(plan_v)),
            undivided,
            left_out: Vec::new(),
            funds,
            image: image[i].clone(),
            reported: ytd_v.is_some() || month_v.is_some(),
            disputed: Vec::new(),
            missing: Vec::new(),
            funds_total,
            funds_differ,
            funds_unbalanced: Vec::new(),
            funds_unfilled: Vec::new(),
        });
    }
    Ok(())
}

/// Each subtotal and the total carry the marks of the lines they sum, and why their
/// funding columns do not add up to their year-to-date.
fn carry_marks(out: &mut [InvestLine], projects: &[InvestLine], config: &Config) {
    let marks: Vec<&InvestLine> = projects.iter().collect();
    let described = |p: &InvestLine| format!("{}（{}）", p.project_id, config.short_name(&p.unit));
    for line in out.iter_mut() {
        let of = |m: &&&InvestLine| match line.kind {
            InvestKind::Project => false,
            InvestKind::CategorySubtotal => m.category == line.category,
            InvestKind::UnitSubtotal => m.unit == line.unit,
            InvestKind::Total => true,
        };
        if line.kind == InvestKind::Project {
            continue;
        }
        if line.kind == InvestKind::UnitSubtotal {
            line.left_out = projects
                .iter()
                .filter(|p| p.unit == line.unit && p.undivided)
                .map(|p| p.project_id.clone())
                .collect();
        }
        line.disputed = marks
            .iter()
            .filter(of)
            .flat_map(|m| m.disputed.clone())
            .collect();
        line.missing = marks
            .iter()
            .filter(of)
            .flat_map(|m| m.missing.clone())
            .collect();
        if line.funds_differ {
            line.funds_unbalanced = marks
                .iter()
                .filter(of)
                .filter(|m| m.funds_differ)
                .map(|m| FundsGap {
                    project: described(m),
                    funds: m.funds_total.unwrap_or(0.0),
                    ytd: m.ytd.unwrap_or(0.0),
                })
                .collect();
            line.funds_unfilled = marks
                .iter()
                .filter(of)
                .filter(|m| m.ytd.is_some_and(|y| y != 0.0) && m.funds_total.is_none())
                .map(|m| described(m))
                .collect();
        }
    }
}

/// Marks each project line with its part: disputed (the findings on it) or, for a
/// responsible unit, missing.
fn mark_parts(batch: &Batch, config: &Config, projects: &mut [InvestLine]) {
    let mut parts: HashMap<(&str, &str), &Part> = HashMap::new();
    for r in &batch.current {
        for (row, part) in r.invest_parts() {
            parts.insert((row.project_id.value.as_str(), r.unit.as_str()), part);
        }
    }
    for p in projects.iter_mut() {
        let owed = batch
            .tasks
            .get(&p.project_id)
            .is_some_and(|t| t.units.contains(&p.unit));
        let short = config.short_name(&p.unit).to_string();
        match parts.get(&(p.project_id.as_str(), p.unit.as_str())) {
            Some(Part::Disputed(d)) => p.disputed.push(dispute_line(&short, d)),
            Some(Part::Accepted) => {}
            Some(Part::Missing) | None if owed => {
                p.missing.push(format!("{}（{short}）", p.project_id))
            }
            _ => {}
        }
    }
}

type Trend = (
    Vec<Period>,
    Vec<(String, Vec<Option<f64>>)>,
    Vec<(String, String, Vec<Option<f64>>)>,
);

/// Id, year-to-date and period of each row kept of earlier returns (validation keeps the
/// first per id, as in the month's own sums), for the trend.
fn past_frame(all: &[&PastReturn], rows: impl Fn(&PastReturn) -> &[PastRow]) -> Result<DataFrame> {
    let (mut id, mut ytd, mut period) = (Vec::new(), Vec::new(), Vec::new());
    for r in all {
        for row in rows(r) {
            id.push(row.id.as_str());
            ytd.push(row.ytd);
            period.push(r.period.code());
        }
    }
    df!("id" => id, "ytd" => ytd, "period" => period).map_err(pe)
}

/// Year-to-date per category for every period of the year up to the summary's.
fn trend(batch: &Batch, tasks_df: DataFrame) -> Result<Trend> {
    // Every return of the year as ids and figures: earlier months as they were kept, this
    // month's made from its rows.
    let current: Vec<PastReturn> = batch
        .current
        .iter()
        .map(|r| PastReturn {
            unit: r.unit.clone(),
            period: r.period,
            progress_file: None,
            invest_file: None,
            rows: PastRows {
                progress: r.progress_rows().map(PastRow::from).collect(),
                invest: r.invest_rows().map(PastRow::from).collect(),
            },
        })
        .collect();
    let all: Vec<&PastReturn> = batch.history.values().flatten().chain(&current).collect();
    let mut periods: Vec<Period> = all.iter().map(|r| r.period).collect();
    periods.sort();
    periods.dedup();
    let codes: Vec<String> = periods.iter().map(|p| p.code()).collect();

    // Progress.
    let prog = past_frame(&all, |r| &r.rows.progress)?;
    let tp = prog
        .lazy()
        .join(
            tasks_df.clone().lazy(),
            [col("id")],
            [col("id")],
            JoinArgs::new(JoinType::Inner),
        )
        .filter(col("measure").neq(lit("")))
        .group_by([col("category"), col("measure"), col("period")])
        .agg([
            col("ytd").sum().alias("ytd"),
            col("order").min().alias("order"),
        ])
        .sort(
            ["order", "measure", "period"],
            SortMultipleOptions::default(),
        )
        .collect()
        .map_err(pe)?;
    let mut trend_progress: Vec<(String, String, Vec<Option<f64>>)> = Vec::new();
    let (cat, meas, per, ytd) = (
        strs(&tp, "category")?,
        strs(&tp, "measure")?,
        strs(&tp, "period")?,
        f64s(&tp, "ytd")?,
    );
    for i in 0..tp.height() {
        let k = codes.iter().position(|c| c == &per[i]).unwrap_or(0);
        match trend_progress
            .iter_mut()
            .find(|(c, m, _)| c == &cat[i] && m == &meas[i])
        {
            Some(line) => line.2[k] = rq(ytd[i]),
            None => {
                let mut v = vec![None; codes.len()];
                v[k] = rq(ytd[i]);
                trend_progress.push((cat[i].clone(), meas[i].clone(), v));
            }
        }
    }

    // Investment.
    let inv = past_frame(&all, |r| &r.rows.invest)?;
    let ti = inv
        .lazy()
        .join(
            tasks_df.lazy(),
            [col("id")],
            [col("id")],
            JoinArgs::new(JoinType::Inner),
        )
        .filter(col("has_plan"))
        .group_by([col("category"), col("period")])
        .agg([
            col("ytd").sum().alias("ytd"),
            col("order").min().alias("order"),
        ])
        .sort(["order", "period"], SortMultipleOptions::default())
        .collect()
        .map_err(pe)?;
    let mut by_cat: BTreeMap<i64, (String, Vec<Option<f64>>)> = BTreeMap::new();
    let (cat, per, ytd, ord) = (
        strs(&ti, "category")?,
        strs(&ti, "period")?,
        f64s(&ti, "ytd")?,
        f64s(&ti, "order")?,
    );
    for i in 0..ti.height() {
        let k = codes.iter().position(|c| c == &per[i]).unwrap_or(0);
        let entry = by_cat
            .entry(ord[i].unwrap_or(0.0) as i64)
            .or_insert_with(|| (cat[i].clone(), vec![None; codes.len()]));
        entry.1[k] = rm(ytd[i]);
    }
    // Categories appear in task-list order; merge entries of the same category.
    let mut trend_invest: Vec<(String, Vec<Option<f64>>)> = Vec::new();
    for (_, (c, v)) in by_cat {
        match trend_invest.iter_mut().find(|(x, _)| x == &c) {
            Some((_, acc)) => {
                for (a, b) in acc.iter_mut().zip(v) {
                    if let Some(b) = b {
                        *a = rm(Some(a.unwrap_or(0.0) + b));
                    }
                }
            }
            None => trend_invest.push((c, v)),
        }
    }
    Ok((periods, trend_invest, trend_progress))
}

#[cfg(test)]
mod tests;
