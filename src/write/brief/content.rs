//! The briefing's outline (DESIGN §2.6) from the consolidation's result: every figure is
//! the summary's, formatted as the summary shows it; nothing is computed here but words.

use super::page::{Align, Block, Cell, TableSpec};
use crate::config::{BriefConfig, Config};
use crate::consolidate::{Consolidated, StatKind, StatRow, Statistics, Summary, TaskLine};
use crate::model::{Status, fmt_num};
use crate::normalize::chinese_ordinal;

/// A number rounded as Excel shows it (halves away from zero), with `d` decimals.
fn fixed(v: f64, d: usize) -> String {
    let k = 10f64.powi(d as i32);
    let r = (v * k).round() / k;
    format!("{r:.d$}")
}

/// A task rate as the summary shows it (`0.0%`).
fn pct1(v: f64) -> String {
    format!("{}%", fixed(v * 100.0, 1))
}

/// A statistics-table rate as it shows it (two decimals of a percentage).
fn pct2(v: f64) -> String {
    format!("{}%", fixed(v * 100.0, 2))
}

/// An amount as the statistics table shows it (`#,##0.00`).
fn money(v: f64) -> String {
    let s = fixed(v.abs(), 2);
    let (int, dec) = s.split_once('.').unwrap_or((&s, "00"));
    let mut grouped = String::new();
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{}{grouped}.{dec}", if v < 0.0 { "-" } else { "" })
}

/// How many tasks of a category 二、分领域进展 tells one by one: a longer category tells
/// only those not done or on schedule, up to this many, and leaves the rest to 附件 1.
const TASKS_TOLD: usize = 10;

/// Names joined as offices write them.
fn names<S: AsRef<str>>(v: &[S]) -> String {
    v.iter().map(|s| s.as_ref()).collect::<Vec<_>>().join("、")
}

/// The first sentence of a text (up to 。；; or the end), trimmed.
fn first_sentence(t: &str) -> String {
    let t = t.trim();
    match t.find(['。', '；', ';']) {
        Some(i) => t[..i].to_string(),
        None => t.to_string(),
    }
}

/// Each unit's words (`【长春】…` lines, as the summary joins them) as `长春：…`, each
/// passed through `cut`.
fn unit_words(text: &str, cut: impl Fn(&str) -> String) -> Vec<String> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let l = l.trim();
            match l.strip_prefix('【').and_then(|r| r.split_once('】')) {
                Some((unit, rest)) => format!("{unit}：{}", cut(rest)),
                None => cut(l),
            }
        })
        .collect()
}

/// Each unit's text cut to its first sentence: `长春：…`.
fn condensed(text: &str) -> Vec<String> {
    unit_words(text, first_sentence)
}

/// 1-6月 (or 1月).
fn months(m: u32) -> String {
    if m == 1 {
        "1月".to_string()
    } else {
        format!("1-{m}月")
    }
}

/// The briefing's blocks, in order: title to signature, then the attachments.
pub(super) fn blocks(c: &Consolidated<'_>, config: &Config, today: &str) -> Vec<Block> {
    let s = &c.summary;
    let b = &config.brief;
    let (y, m) = (s.period.year, s.period.month);
    let mut out = vec![
        Block::Title(BriefConfig::fill(&b.title, y, m)),
        Block::Plain(BriefConfig::fill(&b.to, y, m)),
    ];
    out.extend(
        b.lead
            .iter()
            .map(|p| Block::Para(BriefConfig::fill(p, y, m))),
    );

    out.push(Block::Heading("一、总体进展".into()));
    out.push(Block::Para(reporting(s)));
    out.push(Block::Para(task_statuses(s)));
    if let Some(p) = quantities(s) {
        out.push(Block::Para(p));
    }
    if let Some(st) = &s.statistics
        && let Some(p) = investment(st)
    {
        out.push(Block::Para(p));
    }

    out.push(Block::Heading("二、分领域进展".into()));
    out.extend(by_category(s, config));

    if let Some(st) = &s.statistics {
        out.push(Block::Heading("三、各单位进展".into()));
        out.extend(by_unit(st, config));
    }

    let problems = problems(c, config);
    let n = if s.statistics.is_some() { "四" } else { "三" };
    out.push(Block::Heading(format!("{n}、存在问题")));
    out.extend(problems);

    if !b.next_steps.is_empty() {
        let n = if s.statistics.is_some() { "五" } else { "四" };
        out.push(Block::Heading(format!("{n}、下一步工作要求")));
        out.extend(
            b.next_steps
                .iter()
                .map(|p| Block::Para(BriefConfig::fill(p, y, m))),
        );
    }

    // 附件说明, the signature, then the attachments on pages of their own.
    let mut attached = vec![format!("{y}年{m}月重点任务进展情况表")];
    if let Some(st) = &s.statistics {
        attached.push(crate::layout::summary::statistics_title(st.period));
    }
    out.push(Block::Plain(String::new()));
    for (k, a) in attached.iter().enumerate() {
        let head = if k == 0 { "附件：" } else { "　　　" };
        out.push(Block::Para(if attached.len() > 1 {
            format!("{head}{}.{a}", k + 1)
        } else {
            format!("附件：{a}")
        }));
    }
    let date = b
        .date
        .as_deref()
        .map(|d| BriefConfig::fill(d, y, m))
        .unwrap_or_else(|| today.to_string());
    let mut sign: Vec<String> = Vec::new();
    if !b.issuer.trim().is_empty() {
        sign.push(b.issuer.clone());
    }
    sign.push(date);
    out.push(Block::Signature(sign));

    let label = |k: usize| {
        if attached.len() > 1 {
            format!("附件{k}")
        } else {
            "附件".to_string()
        }
    };
    out.push(Block::Attachment {
        label: label(1),
        title: attached[0].clone(),
        subtitle: format!("截至{y}年{m}月底"),
        tables: vec![task_table(s, config)],
        notes: vec![
            "注：带底色的数字含有错误待核或缺报的部分（见汇总表批注）；完成率、序时进度、进度状态与汇总表“任务进展”页相同。".into(),
        ],
    });
    if let Some(st) = &s.statistics {
        out.push(Block::Attachment {
            label: label(2),
            title: attached[1].clone(),
            subtitle: format!("{}　　单位：{}、%", st.cutoff, st.amount_unit),
            tables: vec![statistics_table(st, config)],
            notes: vec![format!(
                "注：{}。带底色的数字含有错误待核或缺报的部分；空白表示没有可比的数，不是 0。与汇总表“投资完成情况”页相同。",
                st.last_year_source
            )],
        });
    }
    out
}

/// Reporting: 应报, 按时, 逾期 and 未报 named.
fn reporting(s: &Summary) -> String {
    let t = &s.roster;
    let mut p = format!("本月应报{}个单位，已报{}个", t.due, t.reported);
    let mut clauses = Vec::new();
    if t.on_time > 0 {
        clauses.push(format!("按时报送{}个", t.on_time));
    }
    if !t.late.is_empty() {
        clauses.push(format!("逾期报送{}个（{}）", t.late.len(), names(&t.late)));
    }
    if !clauses.is_empty() {
        p.push_str(&format!("，其中{}", clauses.join("，")));
    }
    let mut rest = Vec::new();
    if !t.missing.is_empty() {
        rest.push(format!("未报{}个：{}", t.missing.len(), names(&t.missing)));
    }
    if !t.unrecognised.is_empty() {
        rest.push(format!(
            "报送的文件无法识别{}个：{}",
            t.unrecognised.len(),
            names(&t.unrecognised)
        ));
    }
    if !rest.is_empty() {
        p.push('；');
        p.push_str(&rest.join("；"));
    }
    p.push('。');
    p
}

/// Tasks by 进度状态 against 序时进度, zero classes left out.
fn task_statuses(s: &Summary) -> String {
    let n = s.tasks.len();
    let m = s.period.month;
    let mut p = format!("截至{m}月底，");
    let quantitative: Vec<&TaskLine> = s.tasks.iter().filter(|t| t.quantitative).collect();
    // One 序时进度 only when every task follows the same rule.
    let one = quantitative.first().filter(|f| {
        quantitative
            .iter()
            .all(|t| t.schedule == f.schedule && t.schedule_note == f.schedule_note)
    });
    match one {
        Some(t) => p.push_str(&format!("序时进度{}，", pct1(t.schedule))),
        None => {
            // Per category as 分类汇总 shows it: one figure, or the span of its lines'.
            let mut per: Vec<String> = Vec::new();
            let mut seen: Vec<&str> = Vec::new();
            for c in &s.categories {
                if seen.contains(&c.category.as_str()) {
                    continue;
                }
                seen.push(&c.category);
                let mut values: Vec<f64> = s
                    .categories
                    .iter()
                    .filter(|x| x.category == c.category)
                    .filter_map(|x| x.schedule)
                    .collect();
                values.sort_by(f64::total_cmp);
                let mut v: Vec<String> = values.into_iter().map(pct1).collect();
                v.dedup();
                match v.as_slice() {
                    [] => {}
                    [one] => per.push(format!("{}{one}", c.category)),
                    [lo, .., hi] => per.push(format!("{}{lo}至{hi}", c.category)),
                }
            }
            if !per.is_empty() {
                p.push_str(&format!("各类任务序时进度：{}；", per.join("、")));
            }
        }
    }
    p.push_str(&format!("{n}项重点任务中"));
    let counts: Vec<String> = s
        .status_columns
        .iter()
        .zip(&s.status_totals)
        .filter(|(_, k)| **k > 0)
        .map(|(st, k)| {
            let label = match st {
                Status::Reported(l) => format!("（定性任务）{l}"),
                other => other.label().to_string(),
            };
            format!("{label}{k}项")
        })
        .collect();
    p.push_str(&counts.join("、"));
    p.push('。');
    if let Some(c) = s
        .status_counts
        .iter()
        .find(|c| c.status == Status::Unverified && c.tasks > 0)
    {
        p.push_str(&format!(
            "数据待核的{}项任务，其状态待各单位核实后确定。",
            c.tasks
        ));
    }
    p
}

/// Each category's quantities in every 计量单位, as shares of their targets.
fn quantities(s: &Summary) -> Option<String> {
    let parts: Vec<String> = s
        .categories
        .iter()
        .filter(|c| !c.measure.is_empty())
        .filter_map(|c| {
            let ytd = c.ytd?;
            let mut t = format!("{}累计完成{}{}", c.category, fmt_num(ytd), c.measure);
            if let (Some(target), Some(rate)) = (c.target, c.rate) {
                t.push_str(&format!(
                    "，年度目标{}{}，占{}",
                    fmt_num(target),
                    c.measure,
                    pct1(rate)
                ));
            }
            if !c.unverified.is_empty() {
                t.push_str(&format!("（其中{}数据待核）", names(&c.unverified)));
            }
            Some(t)
        })
        .collect();
    (!parts.is_empty()).then(|| format!("分类完成情况：{}。", parts.join("；")))
}

/// Investment: the month, the year to date, shares of the plan, 同比 when known; what the
/// total leaves out or holds in dispute said with it.
fn investment(st: &Statistics) -> Option<String> {
    let total = st.by_category.first()?;
    let u = &st.amount_unit;
    let m = st.period.month;
    let mut p = String::from("固定资产投资方面，");
    if let Some(v) = total.shown.month {
        p.push_str(&format!("{m}月份完成{}{u}", money(v)));
        if let Some(r) = total.month_rate {
            p.push_str(&format!("，占年计划的{}", pct2(r)));
        }
        p.push('；');
    }
    let ytd = total.shown.ytd?;
    p.push_str(&format!("{}累计完成{}{u}", months(m), money(ytd)));
    if let Some(r) = total.ytd_rate {
        p.push_str(&format!("，占年计划的{}", pct2(r)));
    }
    if let Some(y) = total.yoy {
        if st.yoy_growth {
            p.push_str(&format!("，同比增长{}", pct2(y)));
        } else {
            p.push_str(&format!("，为去年同期的{}", pct2(y)));
        }
    }
    if let Some(sched) = total.schedule {
        p.push_str(&format!("（序时进度{}）", pct2(sched)));
    }
    p.push('。');
    let (disputed, missing) = st.marked_units();
    let mut why = Vec::new();
    if !disputed.is_empty() {
        why.push(format!("{}数据待核", names(&disputed)));
    }
    if !missing.is_empty() {
        why.push(format!("{}未报，未计入", names(&missing)));
    }
    if !why.is_empty() {
        p.push_str(&format!("以上数字中，{}。", why.join("，")));
    }
    Some(p)
}

/// 二、分领域进展: a paragraph per category with its tasks and the units' own words.
fn by_category(s: &Summary, config: &Config) -> Vec<Block> {
    let mut cats: Vec<&str> = Vec::new();
    for t in &s.tasks {
        if !cats.contains(&t.category.as_str()) {
            cats.push(&t.category);
        }
    }
    let mut out = Vec::new();
    for (k, cat) in cats.iter().enumerate() {
        let tasks: Vec<&TaskLine> = s.tasks.iter().filter(|t| t.category == *cat).collect();
        let mut p = format!("共{}项任务", tasks.len());
        for c in s.categories.iter().filter(|c| c.category == *cat) {
            if let (Some(ytd), false) = (c.ytd, c.measure.is_empty()) {
                p.push_str(&format!("，累计完成{}{}", fmt_num(ytd), c.measure));
                if let Some(r) = c.rate {
                    p.push_str(&format!("，占年度目标的{}", pct1(r)));
                }
            }
        }
        p.push('。');
        // A long category: only the tasks that need attention, the rest in 附件 1.
        let shown: Vec<&TaskLine> = if tasks.len() <= TASKS_TOLD {
            tasks.clone()
        } else {
            tasks
                .iter()
                .copied()
                .filter(|t| {
                    matches!(
                        t.status,
                        Status::Lagging | Status::NotStarted | Status::Unverified
                    )
                })
                .collect()
        };
        let told = shown.len().min(TASKS_TOLD);
        for t in &shown[..told] {
            let units: Vec<&str> = t.units.iter().map(|u| config.short_name(u)).collect();
            p.push_str(&format!("{}（{}）", t.name, names(&units)));
            let mut state = t.status.label().to_string();
            if let Some(r) = t.rate {
                state.push_str(&format!("，完成率{}", pct1(r)));
            }
            p.push_str(&state);
            // The units' own words, the first three of them: 附件 1 and the summary hold all.
            let words = condensed(&t.progress_text);
            if !words.is_empty() {
                p.push_str(&format!("。{}", words[..words.len().min(3)].join("；")));
                if words.len() > 3 {
                    p.push_str(&format!(
                        "；其余{}个单位的进展见汇总表“任务进展”页",
                        words.len() - 3
                    ));
                }
            }
            p.push('。');
        }
        if told < tasks.len() {
            let rest = if told == 0 {
                "各项任务"
            } else {
                "其余任务"
            };
            p.push_str(&format!(
                "{}{}见附件1。",
                if shown.len() > told {
                    format!("另有{}项滞后、未启动或数据待核的任务，", shown.len() - told)
                } else {
                    String::new()
                },
                if shown.len() > told {
                    "详细情况".to_string()
                } else {
                    format!("{rest}没有滞后、未启动或数据待核的，详细情况")
                }
            ));
        }
        out.push(Block::Lead(
            format!("（{}）{cat}。", chinese_ordinal(k + 1)),
            p,
        ));
    }
    out
}

/// 三、各单位进展: the ranking table and the sentences on bands and the last units.
fn by_unit(st: &Statistics, config: &Config) -> Vec<Block> {
    let units: Vec<&StatRow> = st
        .by_unit
        .iter()
        .filter(|r| r.kind == StatKind::Unit)
        .collect();
    let mut ranked: Vec<&StatRow> = units.iter().copied().filter(|r| r.rank.is_some()).collect();
    ranked.sort_by_key(|r| r.rank);
    let unranked: Vec<&StatRow> = units.iter().copied().filter(|r| r.rank.is_none()).collect();
    let mut out = vec![Block::Para(format!("{}。", st.rank_rule))];
    let short = |r: &StatRow| config.short_name(&r.label).to_string();
    let u = &st.amount_unit;
    let rows: Vec<Vec<Cell>> = ranked
        .iter()
        .chain(&unranked)
        .map(|r| {
            let marked = r.marked();
            vec![
                Cell::new(r.rank_text()),
                Cell::new(short(r)),
                Cell::new(r.shown.plan.map(money).unwrap_or_default()),
                Cell::new(r.shown.ytd.map(money).unwrap_or_default()).marked(marked),
                Cell::new(r.ytd_rate.map(|v| fixed(v * 100.0, 2)).unwrap_or_default())
                    .marked(marked),
                Cell::new(r.schedule.map(|v| fixed(v * 100.0, 2)).unwrap_or_default()),
                Cell::new(r.gap.map(|v| fixed(v, 2)).unwrap_or_default()).marked(marked),
                Cell::new(r.change_text()),
                Cell::new(r.band.clone().unwrap_or_default()),
            ]
        })
        .collect();
    out.push(Block::Table(TableSpec {
        headers: vec![
            "排名".into(),
            "单位".into(),
            format!("本年计划\n投资（{u}）"),
            format!("自年初累计\n完成（{u}）"),
            "完成\n年计划%".into(),
            "序时\n进度%".into(),
            "与序时进度差\n（百分点）".into(),
            "较上月".into(),
            "档次".into(),
        ],
        widths_mm: vec![15.0, 18.0, 24.0, 24.0, 15.0, 14.0, 17.0, 13.0, 16.0],
        align: vec![
            Align::Center,
            Align::Left,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Center,
            Align::Center,
        ],
        rows,
        small: false,
    }));
    // Bands, zero bands left out.
    let mut bands = Vec::new();
    for name in &config.brief.bands {
        let members: Vec<String> = ranked
            .iter()
            .filter(|r| r.band.as_ref() == Some(name))
            .map(|r| short(r))
            .collect();
        if !members.is_empty() {
            bands.push(format!("{name}的{}个：{}", members.len(), names(&members)));
        }
    }
    let mut p = String::new();
    if !bands.is_empty() {
        p.push_str(&format!("按档次分，{}。", bands.join("；")));
    }
    if !st.last_units.is_empty() {
        let last: Vec<String> = st
            .last_units
            .iter()
            .map(|u| config.short_name(u).to_string())
            .collect();
        p.push_str(&format!("排在最后的{}个单位是{}", last.len(), names(&last)));
        if !st.last_twice.is_empty() {
            let twice: Vec<String> = st
                .last_twice
                .iter()
                .map(|u| config.short_name(u).to_string())
                .collect();
            if twice.len() == last.len() {
                p.push_str("，均已连续两个月排在最后");
            } else {
                p.push_str(&format!("，其中{}连续两个月排在最后", names(&twice)));
            }
        }
        p.push('。');
    }
    let not: Vec<String> = unranked
        .iter()
        .filter(|r| r.unranked != Some("无计划"))
        .map(|r| format!("{}（{}）", short(r), r.rank_text()))
        .collect();
    if !not.is_empty() {
        p.push_str(&format!("{}未参加排名。", names(&not)));
    }
    if !p.is_empty() {
        out.push(Block::Para(p));
    }
    out
}

/// 四、存在问题: lagging and unstarted tasks with the units' own words; units not reported,
/// late, or whose data went back for correction.
fn problems(c: &Consolidated<'_>, config: &Config) -> Vec<Block> {
    let s = &c.summary;
    let mut out = Vec::new();
    let behind: Vec<&TaskLine> = s
        .tasks
        .iter()
        .filter(|t| matches!(t.status, Status::Lagging | Status::NotStarted))
        .collect();
    let mut k = 0;
    if !behind.is_empty() {
        k += 1;
        let mut p = String::new();
        for t in &behind {
            let units: Vec<&str> = t.units.iter().map(|u| config.short_name(u)).collect();
            p.push_str(&format!(
                "{}（{}）{}",
                t.name,
                names(&units),
                t.status.label()
            ));
            if let Some(r) = t.rate {
                p.push_str(&format!(
                    "，完成率{}，序时进度{}",
                    pct1(r),
                    pct1(t.schedule)
                ));
            }
            let words = unit_words(&t.problems_text, |w| w.trim().to_string());
            if words.is_empty() {
                p.push_str("，单位未填写存在问题");
            } else {
                p.push_str(&format!("。存在问题：{}", words.join("；")));
            }
            if !p.ends_with('。') {
                p.push('。');
            }
        }
        out.push(Block::Lead(
            format!(
                "（{}）{}项任务滞后或未启动。",
                chinese_ordinal(k),
                behind.len()
            ),
            p,
        ));
    }
    let t = &s.roster;
    let mut clauses = Vec::new();
    if !t.missing.is_empty() {
        clauses.push(format!("{}未按时报送月报", names(&t.missing)));
    }
    if !t.late.is_empty() {
        clauses.push(format!("{}逾期报送", names(&t.late)));
    }
    if !t.unrecognised.is_empty() {
        clauses.push(format!("{}报送的文件无法识别", names(&t.unrecognised)));
    }
    if !c.corrections.is_empty() {
        let units: Vec<&str> = c.corrections.iter().map(|x| x.unit.as_str()).collect();
        clauses.push(format!(
            "{}报送的数据有错误，已退回更正，相关数字待核",
            names(&units)
        ));
    }
    if let Some(st) = &s.statistics {
        let (disputed, _) = st.marked_units();
        let extra: Vec<&str> = disputed
            .into_iter()
            .filter(|u| !c.corrections.iter().any(|x| x.unit == *u))
            .collect();
        if !extra.is_empty() {
            clauses.push(format!("{}的投资数据待核", names(&extra)));
        }
    }
    if !clauses.is_empty() {
        k += 1;
        out.push(Block::Lead(
            format!("（{}）报送和数据质量方面。", chinese_ordinal(k)),
            format!("{}。", clauses.join("；")),
        ));
    }
    if out.is_empty() {
        out.push(Block::Para(
            "本月各项任务均未滞后，各单位均按时报送，数据无错误。".into(),
        ));
    }
    out
}

/// 附件 1: the task progress table as 任务进展 shows it.
fn task_table(s: &Summary, config: &Config) -> TableSpec {
    let rows = s
        .tasks
        .iter()
        .map(|t| {
            let marked = !t.coverage.disputed.is_empty() || !t.coverage.missing.is_empty();
            let units: Vec<&str> = t.units.iter().map(|u| config.short_name(u)).collect();
            vec![
                Cell::new(t.id.clone()),
                Cell::new(t.name.clone()),
                Cell::new(names(&units)),
                Cell::new(t.measure.clone()),
                Cell::new(t.target.map(fmt_num).unwrap_or_default()),
                Cell::new(t.ytd.map(fmt_num).unwrap_or_default()).marked(marked),
                Cell::new(t.rate.map(pct1).unwrap_or_default()).marked(marked),
                Cell::new(if t.quantitative {
                    pct1(t.schedule)
                } else {
                    String::new()
                }),
                Cell::new(t.status.label()),
            ]
        })
        .collect();
    TableSpec {
        headers: [
            "任务编号",
            "任务名称",
            "责任单位",
            "计量单位",
            "年度目标",
            "自年初\n累计完成",
            "完成率",
            "序时进度",
            "进度状态",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect(),
        widths_mm: vec![16.0, 64.0, 35.0, 16.0, 18.0, 20.0, 17.0, 17.0, 22.0],
        align: vec![
            Align::Center,
            Align::Left,
            Align::Left,
            Align::Center,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Right,
            Align::Center,
        ],
        rows,
        small: false,
    }
}

/// 附件 2: the statistics table, by category then by unit, as 投资完成情况 shows it.
fn statistics_table(st: &Statistics, config: &Config) -> TableSpec {
    let headers: Vec<String> =
        crate::layout::summary::statistics_headers(&st.amount_unit, st.yoy_growth)[..13].to_vec();
    let mut rows = Vec::new();
    let opt = |v: Option<f64>, f: fn(f64) -> String| v.map(f).unwrap_or_default();
    let p2 = |v: f64| fixed(v * 100.0, 2);
    let d2 = |v: f64| fixed(v, 2);
    for (heading, table) in [
        ("一、按任务类别", &st.by_category),
        ("二、按单位", &st.by_unit),
    ] {
        let mut h = vec![Cell::new(heading).bold(true)];
        h.extend((1..13).map(|_| Cell::new("")));
        rows.push(h);
        for r in table {
            let bold = !matches!(r.kind, StatKind::Category | StatKind::Unit);
            let this = r.marked();
            let label = match r.kind {
                StatKind::Unit => format!("　{}", config.short_name(&r.label)),
                _ => r.label.clone(),
            };
            let s = &r.shown;
            let covered = match r.kind {
                StatKind::Undivided | StatKind::LastYearOther => String::new(),
                _ => format!("{}/{}", r.reported, r.due),
            };
            rows.push(vec![
                Cell::new(label).bold(bold),
                Cell::new(opt(s.plan, money)),
                Cell::new(opt(s.month, money)).marked(this),
                Cell::new(opt(r.month_rate, p2)).marked(this),
                Cell::new(opt(s.ytd, money)).marked(this),
                Cell::new(opt(r.ytd_rate, p2)).marked(this),
                Cell::new(opt(s.last_year, money)).marked(r.last_year_marked),
                Cell::new(opt(r.yoy, p2)).marked(this || r.last_year_marked),
                Cell::new(opt(s.last_month, money)).marked(r.last_month_marked),
                Cell::new(opt(r.mom, p2)).marked(this || r.last_month_marked),
                Cell::new(opt(r.schedule, p2)),
                Cell::new(opt(r.gap, d2)).marked(this),
                Cell::new(covered),
            ]);
        }
    }
    let mut align = vec![Align::Left];
    align.extend((1..12).map(|_| Align::Right));
    align.push(Align::Center);
    TableSpec {
        headers,
        widths_mm: vec![
            27.0, 19.0, 18.0, 15.0, 19.0, 15.0, 19.0, 15.0, 18.0, 14.0, 14.0, 17.0, 14.0,
        ],
        align,
        rows,
        small: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_round_as_excel_shows_them() {
        assert_eq!(pct1(0.0625), "6.3%");
        assert_eq!(pct1(0.5), "50.0%");
        assert_eq!(money(1234567.891), "1,234,567.89");
        assert_eq!(money(85.705), "85.71");
        assert_eq!(money(-1000.0), "-1,000.00");
        assert_eq!(money(999.999), "1,000.00");
    }

    #[test]
    fn a_unit_text_is_cut_to_its_first_sentence() {
        assert_eq!(
            condensed("【长春】路基完成80%。桥梁开工\n【吉林】正在招标；下月开工"),
            vec![
                "长春：路基完成80%".to_string(),
                "吉林：正在招标".to_string()
            ]
        );
    }
}
