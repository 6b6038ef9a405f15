//! The office's settings: the embedded default (`templates/default.toml`) or a `huizong.toml`.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::labels::match_key;
use crate::normalize::norm_unit;

/// The default configuration, embedded so that the binary works on its own.
pub const DEFAULT_TOML: &str = include_str!("../templates/default.toml");

/// Settings loaded from TOML. Unknown keys are an error.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The plan year; when absent, the year of the period.
    pub year: Option<i32>,
    /// Day of the month by which returns are due.
    pub deadline_day: u32,
    /// Percentage points below the schedule before a task counts as 滞后.
    pub lag_tolerance: f64,
    /// Completion statuses, least advanced first.
    pub statuses: Vec<String>,
    /// Construction natures for the dropdown.
    pub natures: Vec<String>,
    /// Measurement units accepted after a number (`12.5公里`).
    pub number_suffixes: Vec<String>,
    /// Who to call, shown on the template's instructions.
    pub contact: String,
    pub limits: Limits,
    #[serde(default)]
    pub units: Vec<UnitConfig>,
    #[serde(default)]
    pub header_aliases: BTreeMap<String, Vec<String>>,
    /// Collective names of the task list's 责任单位 (`各市（州）交通运输局`) and the units
    /// each stands for.
    #[serde(default)]
    pub groups: Vec<GroupConfig>,
    /// Construction seasons (施工季): the categories whose 序时进度 runs over some months
    /// only (a winter-stop province builds from April to October).
    #[serde(default)]
    pub seasons: Vec<SeasonConfig>,
    /// The investment statistics table (投资完成情况表): its amount unit, its 同比 column,
    /// its unit sections and its second total.
    #[serde(default)]
    pub statistics: StatisticsConfig,
    /// The month's briefing (通报): its wording, its bands, its fonts.
    #[serde(default)]
    pub brief: BriefConfig,
    /// Reporting up a level (`run --report-to`): who signs the return filled for the
    /// upper office.
    #[serde(default)]
    pub upward: UpwardConfig,
    /// Where this configuration came from: the embedded default or a file (said where a
    /// group is expanded).
    #[serde(skip)]
    pub origin: String,
    /// Header spelling → canonical columns, built once on first use.
    #[serde(skip)]
    headers: OnceLock<HashMap<String, Vec<&'static str>>>,
    /// Normalised unit spellings, built once on first use. Apart from the headers: a
    /// reading process searches headers and never names a unit, and the unit finder is the
    /// costlier of the two to build.
    #[serde(skip)]
    cache: OnceLock<Cache>,
}

/// Lookups built once from the configuration: unit spelling → unit.
#[derive(Debug, Clone, Default)]
struct Cache {
    units: HashMap<String, String>,
    /// Normalised unit spellings, longest first, with their canonical name.
    spellings: Vec<(String, String)>,
    /// The spellings with a character, found together in one pass over a text (asked of
    /// every title and file name), with each pattern's place in `spellings`; `always` the
    /// places of those with no character at all, inside every text. `None` only if the
    /// automaton could not be built: the spellings are then tried one by one.
    unit_finder: Option<(AhoCorasick, Vec<usize>)>,
    always: Vec<usize>,
}

/// Bounds on what one input file may cost.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Bytes of one input file.
    pub max_file_bytes: u64,
    /// Cells of the rectangle spanned by a sheet's non-empty cells.
    pub max_cells_per_sheet: u64,
    /// Inflated bytes of one part of a zip-based workbook.
    pub max_part_bytes: u64,
    /// Inflated bytes of all parts of a workbook.
    pub max_inflated_bytes: u64,
    /// Inflated / compressed size of a part larger than 1 MiB.
    pub max_inflate_ratio: u64,
    /// Memory of one reading process, in MB (Linux): a file that needs more is refused.
    #[serde(default = "default_worker_memory_mb")]
    pub worker_memory_mb: u64,
}

fn default_worker_memory_mb() -> u64 {
    400
}

/// A collective name and its members.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupConfig {
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub members: Vec<String>,
}

/// A construction season: its categories and its months (`"4-10"`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeasonConfig {
    pub categories: Vec<String>,
    pub months: String,
}

impl SeasonConfig {
    /// The first and last month of `"4-10"` (`4–10`, `4至10`, `4~10`, with or without 月).
    pub fn span(&self) -> Option<(u32, u32)> {
        let t = self.months.replace('月', "");
        let (a, b) = t.split_once(['-', '–', '—', '~', '～', '至', '－'])?;
        let (a, b): (u32, u32) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
        ((1..=12).contains(&a) && (a..=12).contains(&b)).then_some((a, b))
    }
}

/// `[statistics]`: how the investment statistics table is laid out.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatisticsConfig {
    /// 万元 or 亿元 (`--amount-unit` overrides it).
    #[serde(default = "default_amount_unit")]
    pub amount_unit: String,
    /// The year-over-year column: `为去年同期%` (this year over last year) or `同比增长%`
    /// (the growth).
    #[serde(default = "default_yoy")]
    pub yoy: String,
    /// The 统计期 as the office words it (`上月26日至本月25日`); unset, the period and the
    /// deadline day say it.
    #[serde(default)]
    pub cutoff: Option<String>,
    /// Groups of units in the by-unit table, each with a 小计; units in none come last.
    #[serde(default)]
    pub unit_sections: Vec<UnitSection>,
    /// A second total that leaves some categories out (`不含养护工程`).
    #[serde(default)]
    pub second_total: Option<SecondTotal>,
}

impl Default for StatisticsConfig {
    fn default() -> Self {
        StatisticsConfig {
            amount_unit: default_amount_unit(),
            yoy: default_yoy(),
            cutoff: None,
            unit_sections: Vec::new(),
            second_total: None,
        }
    }
}

impl StatisticsConfig {
    /// Whether amounts are shown in 亿元.
    pub fn in_yi(&self) -> bool {
        self.amount_unit == "亿元"
    }

    /// Whether the 同比 column is the growth (`同比增长%`) rather than the ratio.
    pub fn yoy_growth(&self) -> bool {
        self.yoy.contains("增长")
    }
}

fn default_amount_unit() -> String {
    "万元".to_string()
}

fn default_yoy() -> String {
    "为去年同期%".to_string()
}

/// A section of the by-unit table (`市（州）`, `直属单位`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitSection {
    pub name: String,
    pub units: Vec<String>,
}

/// A second total of the category table, without some categories.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecondTotal {
    /// Its label (`合计（不含养护工程）`).
    pub name: String,
    /// The categories it leaves out.
    pub leave_out: Vec<String>,
}

/// `[brief]`: the month's briefing (通报) drafted beside the summary. Texts may hold `{年}`
/// and `{月}`, replaced by the period's.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BriefConfig {
    /// Whether `run` writes the draft at all.
    pub enabled: bool,
    pub title: String,
    /// 主送: who it is addressed to.
    pub to: String,
    /// 导语: the paragraphs before 一、.
    pub lead: Vec<String>,
    /// 五、下一步工作要求: its paragraphs.
    pub next_steps: Vec<String>,
    /// 发文单位.
    pub issuer: String,
    /// The date under the issuer; unset, the day the draft is written.
    pub date: Option<String>,
    /// The three bands of a unit by the points between its completion rate and its
    /// 序时进度: at or above it, behind by no more than `band_tolerance`, further behind.
    pub bands: Vec<String>,
    /// Points behind 序时进度 still in the middle band; unset, `lag_tolerance`.
    pub band_tolerance: Option<f64>,
    /// How many of the last units are named.
    pub last_named: usize,
    pub fonts: BriefFonts,
}

/// `[upward]`: 填报人 and 联系电话 of the return filled for the upper office.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UpwardConfig {
    pub reporter: String,
    pub phone: String,
}

/// The fonts of the briefing, as offices name them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BriefFonts {
    /// The title (小标宋).
    pub title: String,
    /// The body (仿宋).
    pub body: String,
    /// 一、 headings (黑体).
    pub heading: String,
    /// （一） headings (楷体).
    pub subheading: String,
    /// Page numbers (宋体).
    pub page_number: String,
}

impl Default for BriefFonts {
    fn default() -> Self {
        BriefFonts {
            title: "方正小标宋简体".into(),
            body: "仿宋_GB2312".into(),
            heading: "黑体".into(),
            subheading: "楷体_GB2312".into(),
            page_number: "宋体".into(),
        }
    }
}

impl Default for BriefConfig {
    fn default() -> Self {
        BriefConfig {
            enabled: true,
            title: "关于{年}年{月}月重点任务进展情况的通报".into(),
            to: "各有关单位：".into(),
            lead: vec!["现将{年}年{月}月重点任务进展情况通报如下。".into()],
            next_steps: Vec::new(),
            issuer: String::new(),
            date: None,
            bands: vec!["超序时".into(), "基本达到".into(), "滞后".into()],
            band_tolerance: None,
            last_named: 3,
            fonts: BriefFonts::default(),
        }
    }
}

impl BriefConfig {
    /// A configured text with the period's year and month in it.
    pub fn fill(text: &str, year: i32, month: u32) -> String {
        text.replace("{年}", &year.to_string())
            .replace("{月}", &month.to_string())
    }
}

/// What the embedded default is called where the office is told where a setting came from.
pub const EMBEDDED_ORIGIN: &str = "内置默认配置";

/// A known unit with its other names.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitConfig {
    pub name: String,
    pub short: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
}

impl Config {
    /// The embedded default.
    pub fn embedded() -> Config {
        let mut config: Config = toml::from_str(DEFAULT_TOML).expect("embedded default is valid");
        config.origin = EMBEDDED_ORIGIN.to_string();
        config.check().expect("embedded default is in range");
        config
    }

    /// The construction season of a task category, `(first month, last month)`.
    pub fn season_of(&self, category: &str) -> Option<(u32, u32)> {
        let key = match_key(category);
        self.seasons
            .iter()
            .find(|s| s.categories.iter().any(|c| match_key(c) == key))
            .and_then(SeasonConfig::span)
    }

    /// An office's `huizong.toml` over the embedded default: the file holds only what it
    /// changes (see [`merge`]); `origin` names it in error messages. An unknown key is
    /// still an error, named with its line.
    pub fn parse(text: &str, origin: &str) -> Result<Config> {
        let bad = |detail: String| Error::ConfigParse {
            path: origin.to_string(),
            detail,
        };
        let over: toml::Table =
            toml::from_str(text).map_err(|e| bad(describe_toml_error(text, &e)))?;
        let mut merged: toml::Table =
            toml::from_str(DEFAULT_TOML).expect("embedded default is valid");
        merge(&mut merged, over);
        let mut config = Config::deserialize(toml::Value::Table(merged))
            .map_err(|e| bad(describe_merged_error(text, &e)))?;
        config.origin = origin.to_string();
        config.check()?;
        Ok(config)
    }

    /// `--config FILE`, else `huizong.toml` in `dir`, else the embedded default.
    pub fn load(explicit: Option<&Path>, dir: Option<&Path>) -> Result<Config> {
        let path = match explicit {
            Some(p) => Some(p.to_path_buf()),
            None => dir
                .map(|d| d.join(crate::layout::files::CONFIG))
                .filter(|p| p.is_file()),
        };
        match path {
            None => Ok(Config::embedded()),
            Some(path) => {
                let text = std::fs::read_to_string(&path).map_err(|source| Error::ConfigRead {
                    path: path.clone(),
                    source,
                })?;
                Config::parse(&text, &path.display().to_string())
            }
        }
    }

    fn check(&self) -> Result<()> {
        if !(1..=31).contains(&self.deadline_day) {
            return Err(Error::ConfigValue {
                key: "deadline_day",
                detail: format!("{}，应在 1 到 31 之间", self.deadline_day),
            });
        }
        if !(0.0..=100.0).contains(&self.lag_tolerance) {
            return Err(Error::ConfigValue {
                key: "lag_tolerance",
                detail: format!("{}，应在 0 到 100 之间", self.lag_tolerance),
            });
        }
        for g in &self.groups {
            if g.members.is_empty() {
                return Err(Error::ConfigValue {
                    key: "groups",
                    detail: format!("“{}”没有列出成员（members）", g.name),
                });
            }
        }
        for season in &self.seasons {
            if season.span().is_none() {
                return Err(Error::ConfigValue {
                    key: "seasons",
                    detail: format!(
                        "months = \"{}\" 看不懂，应写成 \"4-10\"（4 月到 10 月，起止都在 1 到 12 之间）",
                        season.months
                    ),
                });
            }
            if season.categories.is_empty() {
                return Err(Error::ConfigValue {
                    key: "seasons",
                    detail: format!("施工季 {} 没有列出任务类别（categories）", season.months),
                });
            }
        }
        let st = &self.statistics;
        if !matches!(st.amount_unit.as_str(), "万元" | "亿元") {
            return Err(Error::ConfigValue {
                key: "statistics.amount_unit",
                detail: format!("“{}”，应为 万元 或 亿元", st.amount_unit),
            });
        }
        if !matches!(st.yoy.as_str(), "为去年同期%" | "同比增长%") {
            return Err(Error::ConfigValue {
                key: "statistics.yoy",
                detail: format!("“{}”，应为 为去年同期% 或 同比增长%", st.yoy),
            });
        }
        if let Some(t) = &st.second_total
            && (t.leave_out.is_empty() || t.name.trim().is_empty())
        {
            return Err(Error::ConfigValue {
                key: "statistics.second_total",
                detail: "应写明名称（name）和不计入的任务类别（leave_out）".into(),
            });
        }
        let b = &self.brief;
        if b.bands.len() != 3 || b.bands.iter().any(|n| n.trim().is_empty()) {
            return Err(Error::ConfigValue {
                key: "brief.bands",
                detail: "应写三个档次的名称，如 [\"超序时\", \"基本达到\", \"滞后\"]".into(),
            });
        }
        if let Some(t) = b.band_tolerance
            && !(0.0..=100.0).contains(&t)
        {
            return Err(Error::ConfigValue {
                key: "brief.band_tolerance",
                detail: format!("{t}，应在 0 到 100 之间"),
            });
        }
        if self.statuses.is_empty() {
            return Err(Error::ConfigValue {
                key: "statuses",
                detail: "不能为空".into(),
            });
        }
        let l = &self.limits;
        if [
            l.max_file_bytes,
            l.max_cells_per_sheet,
            l.max_part_bytes,
            l.max_inflated_bytes,
            l.max_inflate_ratio,
        ]
        .contains(&0)
        {
            return Err(Error::ConfigValue {
                key: "limits",
                detail: "上限不能为 0".into(),
            });
        }
        Ok(())
    }

    fn headers(&self) -> &HashMap<String, Vec<&'static str>> {
        self.headers.get_or_init(|| {
            let mut headers: HashMap<String, Vec<&'static str>> = HashMap::new();
            let kinds = [
                &crate::layout::tasks::READ[..],
                &crate::layout::progress::READ[..],
                &crate::layout::invest::READ[..],
            ];
            for canonical in kinds.iter().flat_map(|k| k.iter()) {
                for spelling in self.header_spellings(canonical) {
                    let v = headers.entry(spelling).or_default();
                    if !v.contains(canonical) {
                        v.push(canonical);
                    }
                }
            }
            headers
        })
    }

    fn cache(&self) -> &Cache {
        self.cache.get_or_init(|| {
            let mut c = Cache::default();
            // Short names first, so that full names and aliases win when they collide.
            for u in &self.units {
                if let Some(s) = &u.short {
                    c.units.insert(norm_unit(s), u.name.clone());
                }
            }
            for u in &self.units {
                for a in std::iter::once(&u.name).chain(&u.aliases) {
                    c.units.insert(norm_unit(a), u.name.clone());
                }
            }
            c.spellings = self
                .unit_spellings()
                .into_iter()
                .map(|(spelling, name)| (norm_unit(&spelling), name))
                .collect();
            let mut places = Vec::new();
            for (i, (spelling, _)) in c.spellings.iter().enumerate() {
                if spelling.is_empty() {
                    c.always.push(i);
                } else {
                    places.push(i);
                }
            }
            c.unit_finder = AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(places.iter().map(|&i| &c.spellings[i].0))
                .ok()
                .map(|finder| (finder, places));
            c
        })
    }

    /// The canonical name of the first unit spelling (longest first, as
    /// [`Config::unit_spellings_normalised`]) found inside `text` (a title, a file name),
    /// both normalised as unit names are. Every spelling inside the text is found in one
    /// pass ([`AhoCorasick`], overlapping matches) and the first of them in that order
    /// wins: such texts are read several times a return, and the roster may hold hundreds
    /// of spellings.
    pub fn unit_in(&self, text: &str) -> Option<&str> {
        let c = self.cache();
        let normalised = crate::normalize::norm_unit_cow(text);
        let first = match &c.unit_finder {
            Some((finder, places)) => finder
                .find_overlapping_iter(normalised.as_ref())
                .map(|m| places[m.pattern().as_usize()])
                .chain(c.always.first().copied())
                .min(),
            None => c
                .spellings
                .iter()
                .position(|(s, _)| normalised.contains(s.as_str())),
        };
        first.map(|i| c.spellings[i].1.as_str())
    }

    /// The canonical columns a header text may mean, looked up by its
    /// [`match_key`].
    pub fn header_meanings(&self, key: &str) -> &[&'static str] {
        self.headers().get(key).map_or(&[], Vec::as_slice)
    }

    /// Resolves a unit name through the aliases; an unknown name stays as it is (trimmed).
    pub fn resolve_unit(&self, raw: &str) -> String {
        match self
            .cache()
            .units
            .get(crate::normalize::norm_unit_cow(raw).as_ref())
        {
            Some(name) => name.clone(),
            None => raw.trim().to_string(),
        }
    }

    /// The short name of a unit, or its full name.
    pub fn short_name<'a>(&'a self, unit: &'a str) -> &'a str {
        self.units
            .iter()
            .find(|u| u.name == unit)
            .and_then(|u| u.short.as_deref())
            .unwrap_or(unit)
    }

    /// The normalised spellings of [`Config::unit_spellings`], computed once.
    pub fn unit_spellings_normalised(&self) -> &[(String, String)] {
        &self.cache().spellings
    }

    /// All known spellings (names, short names, aliases) with their canonical name, longest
    /// first, for finding a unit inside a file name.
    pub fn unit_spellings(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for u in &self.units {
            out.push((u.name.clone(), u.name.clone()));
            if let Some(s) = &u.short {
                out.push((s.clone(), u.name.clone()));
            }
            for a in &u.aliases {
                out.push((a.clone(), u.name.clone()));
            }
        }
        out.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then(a.0.cmp(&b.0))
        });
        out
    }

    /// The header spellings (as [`match_key`]s) that mean `canonical`.
    pub fn header_spellings(&self, canonical: &str) -> Vec<String> {
        let mut v = vec![match_key(canonical)];
        if let Some(aliases) = self.header_aliases.get(canonical) {
            v.extend(aliases.iter().map(|a| match_key(a)));
        }
        // Aliases may be keyed by a spelling that normalises to the canonical one.
        for (k, aliases) in &self.header_aliases {
            if k != canonical && match_key(k) == match_key(canonical) {
                v.extend(aliases.iter().map(|a| match_key(a)));
            }
        }
        v
    }

    /// The collective names (names and aliases, normalised, longest first) with their
    /// group.
    pub fn group_spellings(&self) -> Vec<(String, &GroupConfig)> {
        let mut out: Vec<(String, &GroupConfig)> = self
            .groups
            .iter()
            .flat_map(|g| {
                std::iter::once(&g.name)
                    .chain(&g.aliases)
                    .map(move |s| (norm_unit(s), g))
            })
            .collect();
        out.sort_by(|a, b| {
            b.0.chars()
                .count()
                .cmp(&a.0.chars().count())
                .then(a.0.cmp(&b.0))
        });
        out
    }

    /// Rank of a completion status (0 = least advanced), if it is in the vocabulary.
    pub fn status_rank(&self, status: &str) -> Option<usize> {
        self.statuses.iter().position(|s| s == status)
    }
}

/// Turns a toml error into a Chinese sentence that names the line and the key.
/// An office's settings over the default: a value replaces the default's; a table
/// (`[limits]`, `[header_aliases]`) merges key by key; `[[units]]` and `[[groups]]` merge by
/// `name` (an entry of the same name replaces the default's, a new one is added); any other
/// list is replaced whole.
fn merge(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge(b, o),
            (Some(toml::Value::Array(b)), toml::Value::Array(o))
                if key == "units" || key == "groups" =>
            {
                for item in o {
                    let name = |v: &toml::Value| {
                        v.get("name")
                            .and_then(toml::Value::as_str)
                            .map(str::to_string)
                    };
                    let mine = name(&item);
                    match b.iter().position(|x| mine.is_some() && name(x) == mine) {
                        Some(i) => b[i] = item,
                        None => b.push(item),
                    }
                }
            }
            (_, v) => {
                base.insert(key, v);
            }
        }
    }
}

/// An error of the merged settings, said as one of the office's file: the key, and its line
/// in the file when the file names it.
fn describe_merged_error(text: &str, e: &toml::de::Error) -> String {
    let what = describe_toml_error("", e);
    let key = e
        .message()
        .split('`')
        .nth(1)
        .unwrap_or_default()
        .to_string();
    let line = (!key.is_empty())
        .then(|| {
            text.lines().position(|l| {
                let l = l.trim_start().trim_start_matches('[');
                l.strip_prefix(key.as_str())
                    .is_some_and(|rest| rest.trim_start().starts_with(['=', ']', '.']))
            })
        })
        .flatten();
    match line {
        Some(l) => format!("第 {} 行：{what}", l + 1),
        None => what,
    }
}

fn describe_toml_error(text: &str, e: &toml::de::Error) -> String {
    let line = e
        .span()
        .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1);
    let msg = e.message().to_string();
    let what = if let Some(rest) = msg.strip_prefix("unknown field ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        format!("未知的配置项 {key}（请检查拼写）")
    } else if let Some(rest) = msg.strip_prefix("missing field ") {
        format!("缺少配置项 {}", rest.trim())
    } else if msg.starts_with("invalid type") {
        format!("值的类型不对（{msg}）")
    } else {
        format!("格式错误（{msg}）")
    };
    match line {
        Some(l) => format!("第 {l} 行：{what}"),
        None => what,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brief_settings_are_checked_like_the_rest() {
        let c = Config::embedded();
        assert!(c.brief.enabled);
        assert_eq!(c.brief.bands.len(), 3);
        assert_eq!(c.brief.fonts.body, "仿宋_GB2312");
        let with = |old: &str, new: &str| {
            assert!(DEFAULT_TOML.contains(old), "{old}");
            Config::parse(&DEFAULT_TOML.replace(old, new), "test")
        };
        // An unknown key, in the section and in its fonts.
        assert!(with("last_named = 3", "last_named = 3\ncolour = 1").is_err());
        assert!(with("page_number = \"宋体\"", "page_number = \"宋体\"\nsize = 3").is_err());
        // Three bands, named.
        assert!(
            with(
                "bands = [\"超序时\", \"基本达到\", \"滞后\"]",
                "bands = [\"好\", \"差\"]"
            )
            .is_err()
        );
        let c = with("# band_tolerance = 10.0", "band_tolerance = 5.0").unwrap();
        assert_eq!(c.brief.band_tolerance, Some(5.0));
        assert_eq!(
            BriefConfig::fill("关于{年}年{月}月的通报", 2020, 6),
            "关于2020年6月的通报"
        );
    }

    #[test]
    fn embedded_default_parses_and_resolves_aliases() {
        let c = Config::embedded();
        assert_eq!(c.deadline_day, 28);
        assert_eq!(c.resolve_unit("长春市交通局"), "长春市交通运输局");
        assert_eq!(c.resolve_unit(" 长春 "), "长春市交通运输局");
        assert_eq!(c.resolve_unit("某某县交通局"), "某某县交通局");
        assert_eq!(c.short_name("长春市交通运输局"), "长春");
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let text = format!("{DEFAULT_TOML}\n[limits2]\nx = 1\n");
        let err = Config::parse(
            &text.replace("deadline_day = 28", "deadline_dya = 28"),
            "t.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("deadline_dya"), "{err}");
        assert!(err.contains("行"), "{err}");
    }

    #[test]
    fn a_file_holds_only_what_it_changes() {
        let c = Config::parse(
            "deadline_day = 25\n\n[[units]]\nname = \"东县交通运输局\"\nshort = \"东县\"\n\n[limits]\nworker_memory_mb = 300\n",
            "t.toml",
        )
        .unwrap();
        assert_eq!(c.deadline_day, 25);
        assert_eq!(c.lag_tolerance, Config::embedded().lag_tolerance);
        assert_eq!(c.short_name("东县交通运输局"), "东县");
        // The default's units and limits stay.
        assert_eq!(c.short_name("长春市交通运输局"), "长春");
        assert_eq!(c.limits.worker_memory_mb, 300);
        assert_eq!(
            c.limits.max_file_bytes,
            Config::embedded().limits.max_file_bytes
        );
        // A unit of the same name replaces the default's; a list replaces the default's.
        let c = Config::parse(
            "statuses = [\"未开工\", \"已完工\"]\n[[units]]\nname = \"长春市交通运输局\"\nshort = \"春\"\n",
            "t.toml",
        )
        .unwrap();
        assert_eq!(c.short_name("长春市交通运输局"), "春");
        assert_eq!(c.statuses, ["未开工", "已完工"]);
        let n = |c: &Config| {
            c.units
                .iter()
                .filter(|u| u.name == "长春市交通运输局")
                .count()
        };
        assert_eq!(n(&c), 1);
        // An unknown key in a short file is named with its line.
        let err = Config::parse("deadline_day = 25\ndeadline_dya = 26\n", "t.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("deadline_dya") && err.contains("第 2 行"),
            "{err}"
        );
    }

    #[test]
    fn out_of_range_value_is_rejected() {
        let text = DEFAULT_TOML.replace("deadline_day = 28", "deadline_day = 40");
        let err = Config::parse(&text, "t.toml").unwrap_err().to_string();
        assert!(err.contains("deadline_day"), "{err}");
    }

    #[test]
    fn a_unit_inside_a_text_is_the_first_spelling_found_longest_first() {
        let c = Config::embedded();
        let scan = |n: &str| {
            c.unit_spellings_normalised()
                .iter()
                .find(|(s, _)| n.contains(s.as_str()))
                .map(|(_, name)| name.as_str())
        };
        let texts = [
            "长春市交通运输局2020年6月月报",
            "长春市交通局_6月",
            "2020年吉林市、长春市交通运输局重点任务",
            "某某县交通局",
            "",
            "省高速公路集团有限公司",
        ];
        for t in texts {
            assert_eq!(c.unit_in(t), scan(&crate::normalize::norm_unit(t)), "{t}");
        }
        assert!(c.unit_in(texts[0]).is_some());
        // Every pair of the roster's spellings in one text, either way round: the one
        // first in order wins wherever it stands, overlapping the other or not.
        let spellings: Vec<&str> = c
            .unit_spellings_normalised()
            .iter()
            .map(|(s, _)| s.as_str())
            .collect();
        assert!(spellings.len() > 10, "{}", spellings.len());
        for a in &spellings {
            for b in &spellings {
                let t = format!("关于{a}{b}与{b}的报告");
                assert_eq!(c.unit_in(&t), scan(&crate::normalize::norm_unit(&t)), "{t}");
            }
        }
    }
}
