//! Deterministic sample data: the task list of the reference work plan and three months of
//! returns with the everyday mistakes planted in the last month. Also makes synthetic
//! corpora of any size for benchmarks.
//!
//! Everything is derived from hashes of names, never from a clock or a random seed, so the
//! same call writes the same bytes.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::config::Config;
use crate::error::Result;
use crate::finding::Code;
use crate::layout;
use crate::layout::files::safe_file_stem;
use crate::model::{
    InvestValues, Period, ProgressValues, Raw, ReturnValues, Task, TaskList, col_name, fmt_num,
};
use crate::write::template::{ReturnSpec, return_workbook, task_list_workbook};
use crate::write::{save, xlsx_err};

const HW: &str = "省高速公路集团";
const GL: &str = "省公路管理局";
const YG: &str = "省道路运输管理局";
const FP: &str = "厅扶贫办";
const CC: &str = "长春市交通运输局";
const JL: &str = "吉林市交通运输局";
const SP: &str = "四平市交通运输局";
const LY: &str = "辽源市交通运输局";
const TH: &str = "通化市交通运输局";
const BS: &str = "白山市交通运输局";
const SY: &str = "松原市交通运输局";
const BC: &str = "白城市交通运输局";
const YB: &str = "延边州交通运输局";
const CBS: &str = "长白山管委会交通运输局";
const LOCAL: [&str; 10] = [CC, JL, SP, LY, TH, BS, SY, BC, YB, CBS];

#[allow(clippy::too_many_arguments)]
fn task(
    id: &str,
    category: &str,
    name: &str,
    content: &str,
    measure: Option<&str>,
    target: Option<f64>,
    plan: Option<f64>,
    units: &[&str],
    partners: &[&str],
    deadline: &str,
) -> Task {
    Task {
        id: id.into(),
        seq: String::new(),
        category: category.into(),
        name: name.into(),
        content: content.into(),
        measure: measure.map(str::to_string),
        target,
        plan_investment: plan,
        units: units.iter().map(|u| u.to_string()).collect(),
        partners: partners.iter().map(|u| u.to_string()).collect(),
        deadline_text: deadline.into(),
        deadline_month: crate::normalize::parse_deadline_text(deadline).unwrap_or(12),
        milestones: Vec::new(),
        shares: Vec::new(),
        row: 0,
    }
}

/// The task list of the 2020 work plan, broken into projects whose targets add up to the
/// plan's figures (4 continuing expressways 718 km, 105 km of tourism roads, …).
pub fn reference_tasks() -> Vec<Task> {
    let mut v = vec![
        task(
            "T01-01",
            "学习领会",
            "深入学习习近平总书记关于脱贫攻坚和乡村振兴重要论述",
            "提高政治站位，把思想和行动统一到决策部署上来",
            None,
            None,
            None,
            &[HW, GL, YG, FP],
            &[],
            "长期坚持",
        ),
        task(
            "T02-01",
            "学习领会",
            "科学谋划“十四五”贫困地区交通运输发展规划",
            "支持对贫困地区具有战略性、全局性支撑作用的交通项目",
            None,
            None,
            None,
            &[GL, YG],
            &[],
            "2020年12月底",
        ),
        task(
            "T03-01",
            "高速公路",
            "东丰至双辽高速公路（吉林段）",
            "续建，年底前建成通车",
            Some("公里"),
            Some(226.0),
            Some(420000.0),
            &[HW],
            &[],
            "2020年12月底",
        ),
        task(
            "T03-02",
            "高速公路",
            "龙井至大蒲柴河高速公路",
            "续建，年底前建成通车，新增和龙通高速",
            Some("公里"),
            Some(191.0),
            Some(380000.0),
            &[HW],
            &[YB],
            "2020年12月底",
        ),
        task(
            "T03-03",
            "高速公路",
            "双辽至洮南高速公路",
            "续建，年底前建成通车",
            Some("公里"),
            Some(165.0),
            Some(300000.0),
            &[HW],
            &[],
            "2020年12月底",
        ),
        task(
            "T03-04",
            "高速公路",
            "松原至通榆高速公路",
            "续建，年底前建成通车，新增通榆通高速",
            Some("公里"),
            Some(136.0),
            Some(260000.0),
            &[HW],
            &[BC],
            "2020年12月底",
        ),
        task(
            "T03-05",
            "高速公路",
            "长春至太平川高速公路（新开工）",
            "加快前期工作，力争新开工",
            Some("个"),
            Some(1.0),
            Some(60000.0),
            &[HW],
            &[CC],
            "2020年10月底",
        ),
        task(
            "T03-06",
            "高速公路",
            "集安至桓仁高速公路（新开工）",
            "加快前期工作，力争新开工",
            Some("个"),
            Some(1.0),
            Some(50000.0),
            &[HW],
            &[TH],
            "2020年10月底",
        ),
        task(
            "T03-07",
            "高速公路",
            "大蒲柴河至烟筒山高速公路（新开工）",
            "加快前期工作，力争新开工",
            Some("个"),
            Some(1.0),
            Some(45000.0),
            &[HW],
            &[],
            "2020年10月底",
        ),
        task(
            "T03-08",
            "高速公路",
            "烟筒山至长春高速公路（新开工）",
            "加快前期工作，力争新开工",
            Some("个"),
            Some(1.0),
            Some(40000.0),
            &[HW],
            &[JL],
            "2020年10月底",
        ),
        task(
            "T04-01",
            "普通干线公路",
            "龙井新化至维新公路",
            "续建",
            Some("公里"),
            Some(28.0),
            Some(56000.0),
            &[GL, YB],
            &[],
            "2020年12月底",
        ),
        task(
            "T04-02",
            "普通干线公路",
            "园池至图们公路（一期工程）",
            "续建",
            Some("公里"),
            Some(36.0),
            Some(72000.0),
            &[GL, YB],
            &[],
            "2020年12月底",
        ),
        task(
            "T04-03",
            "普通干线公路",
            "长白鸡冠崖子至冷沟子公路",
            "续建",
            Some("公里"),
            Some(22.0),
            Some(44000.0),
            &[GL, BS],
            &[],
            "2020年12月底",
        ),
        task(
            "T04-04",
            "普通干线公路",
            "大安舍力至海坨乡公路",
            "续建",
            Some("公里"),
            Some(40.0),
            Some(48000.0),
            &[GL, BC],
            &[],
            "2020年12月底",
        ),
        task(
            "T04-05",
            "普通干线公路",
            "营城子至伊通镇公路（新开工）",
            "新开工",
            Some("个"),
            Some(1.0),
            Some(30000.0),
            &[GL],
            &[SP],
            "2020年9月底",
        ),
        task(
            "T04-06",
            "普通干线公路",
            "珲春新华至英安公路（新开工）",
            "新开工",
            Some("个"),
            Some(1.0),
            Some(25000.0),
            &[GL],
            &[YB],
            "2020年9月底",
        ),
        task(
            "T04-07",
            "普通干线公路",
            "延吉至安图公路（新开工）",
            "新开工",
            Some("个"),
            Some(1.0),
            Some(35000.0),
            &[GL],
            &[YB],
            "2020年9月底",
        ),
        task(
            "T04-08",
            "普通干线公路",
            "龙井至东盛涌、敦化绕越线（启动）",
            "启动 2 个项目前期工作",
            Some("个"),
            Some(2.0),
            None,
            &[GL, YB],
            &[],
            "年底前",
        ),
        task(
            "T04-09",
            "普通干线公路",
            "普通干线公路危桥改造",
            "改造危桥 6 座",
            Some("座"),
            Some(6.0),
            Some(9000.0),
            &[GL],
            &[],
            "2020年11月底",
        ),
        task(
            "T04-10",
            "普通干线公路",
            "普通干线公路安全生命防护工程",
            "实施安全生命防护工程 44 公里",
            Some("公里"),
            Some(44.0),
            Some(4400.0),
            &[GL],
            &[],
            "2020年10月底",
        ),
    ];
    let tourism = [
        (CC, 15.0),
        (JL, 12.0),
        (TH, 14.0),
        (BS, 16.0),
        (BC, 18.0),
        (YB, 20.0),
        (SY, 10.0),
    ];
    for (i, (unit, km)) in tourism.iter().enumerate() {
        let city = unit.trim_end_matches("交通运输局");
        v.push(task(
            &format!("T05-{:02}", i + 1),
            "农村公路",
            &format!("{city}旅游路资源路产业路"),
            &format!("建设旅游路资源路产业路 {km} 公里"),
            Some("公里"),
            Some(*km),
            Some(km * 500.0),
            &[unit],
            &[GL],
            "2020年11月底",
        ));
    }
    v.extend([
        task(
            "T05-08",
            "农村公路",
            "农村公路危桥改造",
            "改造危桥 24 座",
            Some("座"),
            Some(24.0),
            Some(7200.0),
            &[SP, LY, TH, BS, SY, BC],
            &[GL],
            "2020年10月底",
        ),
        task(
            "T05-09",
            "农村公路",
            "农村公路安全生命防护工程",
            "实施安全生命防护工程 250 公里",
            Some("公里"),
            Some(250.0),
            Some(7500.0),
            &LOCAL,
            &[GL],
            "2020年10月底",
        ),
        task(
            "T06-01",
            "客运场站",
            "长白山综合客运枢纽",
            "推动建设",
            Some("个"),
            Some(1.0),
            Some(18000.0),
            &[CBS],
            &[YG],
            "2020年12月底",
        ),
        task(
            "T06-02",
            "客运场站",
            "白城市西部公路客运换乘中心",
            "推动建设",
            Some("个"),
            Some(1.0),
            Some(12000.0),
            &[BC],
            &[YG],
            "2020年12月底",
        ),
        task(
            "T06-03",
            "客运场站",
            "长白县客运站",
            "推动建设",
            Some("个"),
            Some(1.0),
            Some(6000.0),
            &[BS],
            &[YG],
            "2020年12月底",
        ),
        task(
            "T06-04",
            "客运场站",
            "靖宇县崇礼、通榆县瞻榆乡镇运输服务站",
            "建成 2 个乡镇运输服务站",
            Some("个"),
            Some(2.0),
            Some(800.0),
            &[BS, BC],
            &[YG],
            "2020年10月底",
        ),
        task(
            "T07-01",
            "两通巩固",
            "乡镇、建制村通硬化路路况监测和督导检查",
            "及时整治“畅返不畅”，防止问题反弹",
            None,
            None,
            None,
            &[GL],
            &[],
            "长期坚持",
        ),
        task(
            "T07-02",
            "两通巩固",
            "整治“畅返不畅”路段",
            "整治 60 公里",
            Some("公里"),
            Some(60.0),
            None,
            &[TH, BS, YB],
            &[GL],
            "2020年10月底",
        ),
        task(
            "T08-01",
            "两通巩固",
            "巩固通客车成果，农村客运“开得通、留得住”",
            "信息化动态监测",
            None,
            None,
            None,
            &[YG],
            &[],
            "长期坚持",
        ),
        task(
            "T09-01",
            "两通巩固",
            "深化农村公路管理养护体制改革，推动“四好农村路”",
            "落实地方政府主体责任",
            None,
            None,
            None,
            &LOCAL,
            &[GL],
            "年底前",
        ),
        task(
            "T10-01",
            "消费扶贫",
            "乡镇客运站“客货同站”",
            "引导乡镇客运站与物流企业合作",
            Some("个"),
            Some(15.0),
            None,
            &[YG],
            &[],
            "年底前",
        ),
        task(
            "T11-01",
            "消费扶贫",
            "高速公路服务区农产品销售专区",
            "销售人参、鹿茸、大米等特色产品",
            Some("个"),
            Some(10.0),
            None,
            &[HW],
            &[],
            "2020年9月底",
        ),
        task(
            "T12-01",
            "包保帮扶",
            "“两不愁、三保障”清零行动和产业项目落地",
            "维护饮水设施，落实防范返贫机制",
            None,
            None,
            None,
            &[FP],
            &[],
            "年底前",
        ),
        task(
            "T13-01",
            "专项治理",
            "交通扶贫领域腐败和作风问题专项治理",
            "整治形式主义、官僚主义等问题",
            None,
            None,
            None,
            &[FP, HW, GL, YG],
            &[],
            "年底前",
        ),
        task(
            "T14-01",
            "专项治理",
            "交通扶贫项目和资金监管",
            "整治项目把关不严、资金沉淀、挪用资金",
            None,
            None,
            None,
            &[FP],
            &[],
            "长期坚持",
        ),
    ]);
    v
}

/// A number in [0, 1) from a key (FNV-1a).
fn noise(key: &str) -> f64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in key.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    (h >> 11) as f64 / (1u64 << 53) as f64
}

fn pick<'a>(list: &[&'a str], key: &str) -> &'a str {
    list[(noise(key) * list.len() as f64) as usize % list.len()]
}

/// Year-to-date of a unit's share of a quantitative task at the end of `month`.
fn ytd_qty(task: &Task, unit: &str, month: u32) -> f64 {
    let share = task.target.unwrap_or(0.0) / task.units.len() as f64;
    let pace = 0.95 + 0.4 * noise(&format!("{}{unit}pace", task.id));
    let frac = (pace * month as f64 / task.deadline_month.max(1) as f64).min(1.0);
    let whole = matches!(task.measure.as_deref(), Some("个" | "座"));
    if whole {
        (share * frac).round()
    } else {
        (share * frac * 10.0).floor() / 10.0
    }
}

/// Year-to-date investment (in cents) of a unit's share at the end of `month`.
fn ytd_cents(task: &Task, unit: &str, month: u32) -> i64 {
    // The samples' units pace their work on an equal part of a shared plan (data made up
    // for the samples; the summary never splits a plan).
    let part = task.own_plan(unit).or(task
        .plan_investment
        .map(|p| p / task.units.len().max(1) as f64));
    let plan = (part.unwrap_or(0.0) * 100.0).round() as i64;
    let pace = 0.7 + 0.5 * noise(&format!("{}{unit}invest", task.id));
    let frac = (pace * month as f64 / 12.0).min(1.0);
    if frac >= 1.0 {
        return plan;
    }
    let cents = (noise(&format!("{}{unit}{month}c", task.id)) * 99.0) as i64;
    (((plan as f64 * frac) as i64 / 100) * 100 + cents).min(plan)
}

/// Splits an amount in cents into the five funding sources.
fn funds_split(category: &str, cents: i64) -> [i64; 5] {
    let shares: [f64; 4] = match category {
        "高速公路" => [0.30, 0.20, 0.0, 0.45],
        "普通干线公路" => [0.40, 0.30, 0.20, 0.0],
        "农村公路" => [0.50, 0.20, 0.25, 0.0],
        _ => [0.30, 0.30, 0.30, 0.0],
    };
    let mut out = [0i64; 5];
    let mut used = 0;
    for k in 0..4 {
        out[k] = (cents as f64 * shares[k]).round() as i64;
        used += out[k];
    }
    out[4] = cents - used;
    out
}

fn money(cents: i64) -> Raw {
    Raw::Number(cents as f64 / 100.0)
}

const PROGRESS_TEXTS: [&str; 6] = [
    "路基土石方和桥梁下部结构施工有序推进",
    "路面工程全面展开，完成本月计划",
    "已完成施工图设计审查，正在办理施工许可",
    "组织专题会议推进，各项工作按计划实施",
    "开展现场督导检查 2 次，整改问题已销号",
    "召开调度会，督促施工单位增加作业面",
];
const PROBLEMS: [&str; 5] = [
    "受疫情影响开工推迟",
    "征地拆迁未完成",
    "资金到位不足",
    "砂石料价格上涨，供应偏紧",
    "",
];
const NEXT: [&str; 4] = [
    "加快施工进度，确保按期完成年度目标",
    "协调地方政府加快征地拆迁",
    "积极争取资金，保障项目建设",
    "加强质量安全监管",
];

/// The values a unit reports for a period (a clean, consistent return).
fn clean_values(tasks: &TaskList, unit: &str, p: Period) -> ReturnValues {
    let mut v = ReturnValues {
        reporter: pick(
            &["王丽", "李强", "张伟", "刘洋", "陈静", "赵磊"],
            &format!("{unit}rep"),
        )
        .to_string(),
        phone: format!(
            "0431-8{:07}",
            (noise(&format!("{unit}tel")) * 9_999_999.0) as u64
        ),
        fill_date: Raw::Date(
            NaiveDate::from_ymd_opt(
                p.year,
                p.month,
                20 + (noise(&format!("{unit}{}day", p.code())) * 7.0) as u32,
            )
            .expect("valid day"),
        ),
        ..Default::default()
    };
    for t in tasks.tasks_of(unit) {
        let key = format!("{}{unit}{}", t.id, p.code());
        let (month, ytd, status) = if t.is_quantitative() {
            let y = ytd_qty(t, unit, p.month);
            let prev = if p.month > 1 {
                ytd_qty(t, unit, p.month - 1)
            } else {
                0.0
            };
            let share = t.target.unwrap_or(0.0) / t.units.len() as f64;
            let status = if y >= share - 1e-9 {
                "已完成"
            } else if y > 0.0 {
                "在建"
            } else {
                "前期工作"
            };
            let m = ((y - prev) * 10.0).round() / 10.0;
            (Raw::Number(m), Raw::Number(y), status)
        } else {
            (
                Raw::Empty,
                Raw::Empty,
                pick(&["持续推进", "持续推进", "已完成"], &key),
            )
        };
        v.progress.insert(
            t.id.clone(),
            ProgressValues {
                month,
                ytd,
                status: status.to_string(),
                progress: format!("{}。", pick(&PROGRESS_TEXTS, &format!("{key}p"))),
                problems: pick(&PROBLEMS, &format!("{key}q")).to_string(),
                next_steps: pick(&NEXT, &format!("{key}n")).to_string(),
            },
        );
        if t.plan_investment.is_some() {
            let y = ytd_cents(t, unit, p.month);
            let prev = if p.month > 1 {
                ytd_cents(t, unit, p.month - 1)
            } else {
                0
            };
            let f = funds_split(&t.category, y);
            v.invest.insert(
                t.id.clone(),
                InvestValues {
                    nature: if t.name.contains("新开工") {
                        "新建"
                    } else {
                        "续建"
                    }
                    .to_string(),
                    month: money(y - prev),
                    ytd: money(y),
                    funds: f.map(money),
                    image: pick(
                        &[
                            "路基完成 60%",
                            "桥梁下部结构完成",
                            "路面铺筑中",
                            "主体结构施工",
                            "完成前期手续",
                        ],
                        &format!("{key}i"),
                    )
                    .to_string(),
                    remark: String::new(),
                },
            );
        }
    }
    v
}

/// A planted mistake, for `samples/README.md` and the tests.
#[derive(Debug, Clone)]
pub struct Planted {
    pub unit: String,
    pub file: String,
    pub sheet: String,
    pub cell: String,
    pub code: Code,
    pub what: String,
}

fn row_of(tasks: &TaskList, unit: &str, id: &str, invest: bool) -> u32 {
    let idx = tasks
        .tasks_of(unit)
        .filter(|t| !invest || t.plan_investment.is_some())
        .position(|t| t.id == id)
        .expect("task of unit");
    layout::RETURN_HEADER_ROW + 1 + idx as u32
}

fn return_name(unit: &str, p: Period) -> String {
    crate::layout::files::unit_return(unit, p)
}

fn write_return(
    dir: &Path,
    rel: &str,
    tasks: &TaskList,
    unit: &str,
    p: Period,
    config: &Config,
    v: &ReturnValues,
) -> Result<PathBuf> {
    let path = dir.join(rel);
    let mut wb = return_workbook(&ReturnSpec {
        values: Some(v),
        ..ReturnSpec::template(tasks, config, Some(unit), Some(p))
    })
    .map_err(|e| xlsx_err(&path, e))?;
    save(&mut wb, &path)?;
    Ok(path)
}

/// Writes `samples/`: the task list, returns for 2020-04 to 2020-06 with the planted
/// mistakes in June, and a README listing them. Returns the planted mistakes.
pub fn generate_samples(dir: &Path) -> Result<Vec<Planted>> {
    let config = Config::embedded();
    let tasks = TaskList::new(reference_tasks(), None, layout::SHEET_TASKS.into());
    let path = dir.join("任务清单.xlsx");
    let mut wb = task_list_workbook(&tasks.tasks, "2020年交通运输脱贫攻坚重点任务清单")
        .map_err(|e| xlsx_err(&path, e))?;
    save(&mut wb, &path)?;

    let mut planted = Vec::new();
    let june = Period::new(2020, 6).expect("valid");
    for month in 4..=6 {
        let p = Period::new(2020, month).expect("valid");
        let folder = p.label();
        for unit in tasks.units() {
            let mut v = clean_values(&tasks, &unit, p);
            let rel = format!("{folder}/{}", return_name(&unit, p));
            if p == june {
                match unit.as_str() {
                    LY => {
                        planted.push(Planted {
                            unit: unit.clone(),
                            file: "—".into(),
                            sheet: "—".into(),
                            cell: "—".into(),
                            code: Code::MissingReturn,
                            what: "6 月未报送".into(),
                        });
                        continue;
                    }
                    SP => {
                        v.fill_date =
                            Raw::Date(NaiveDate::from_ymd_opt(2020, 6, 30).expect("valid"));
                        planted.push(Planted {
                            unit: unit.clone(),
                            file: rel.clone(),
                            sheet: layout::SHEET_PROGRESS.into(),
                            cell: "H2".into(),
                            code: Code::Late,
                            what: "填报日期 2020-06-30，晚于 28 日".into(),
                        });
                    }
                    TH => {
                        let id = "T05-03";
                        v.progress.get_mut(id).expect("task").ytd = Raw::Text("约12公里".into());
                        planted.push(Planted {
                            unit: unit.clone(),
                            file: rel.clone(),
                            sheet: layout::SHEET_PROGRESS.into(),
                            cell: format!("F{}", row_of(&tasks, &unit, id, false) + 1),
                            code: Code::NumParse,
                            what: format!("{id} 自年初累计完成写成“约12公里”"),
                        });
                    }
                    BC => {
                        let id = "T05-05";
                        let may = ytd_qty(tasks.get(id).expect("task"), &unit, 5);
                        let pv = v.progress.get_mut(id).expect("task");
                        pv.ytd = Raw::Number(may - 2.0);
                        pv.month = Raw::Number(0.0);
                        planted.push(Planted {
                            unit: unit.clone(),
                            file: rel.clone(),
                            sheet: layout::SHEET_PROGRESS.into(),
                            cell: format!("F{}", row_of(&tasks, &unit, id, false) + 1),
                            code: Code::CumDecrease,
                            what: format!(
                                "{id} 自年初累计 {} 低于 5 月的 {}",
                                fmt_num(may - 2.0),
                                fmt_num(may)
                            ),
                        });
                    }
                    HW => {
                        let id = "T03-02";
                        let iv = v.invest.get_mut(id).expect("project");
                        if let Raw::Number(x) = iv.funds[3] {
                            iv.funds[3] = Raw::Number(x + 1000.0);
                        }
                        planted.push(Planted {
                            unit: unit.clone(),
                            file: rel.clone(),
                            sheet: layout::SHEET_INVEST.into(),
                            cell: format!("{}{}", col_name(6), row_of(&tasks, &unit, id, true) + 1),
                            code: Code::FundSum,
                            what: format!(
                                "{id} 银行贷款多填 1000 万元，资金来源之和不等于自年初累计完成投资"
                            ),
                        });
                    }
                    JL => {
                        // An earlier version with a mistake, replaced by a corrected one.
                        let mut old = v.clone();
                        old.fill_date =
                            Raw::Date(NaiveDate::from_ymd_opt(2020, 6, 18).expect("valid"));
                        if let Some(pv) = old.progress.get_mut("T05-02") {
                            pv.ytd = Raw::Text("约10".into());
                        }
                        v.fill_date =
                            Raw::Date(NaiveDate::from_ymd_opt(2020, 6, 26).expect("valid"));
                        let old_rel = format!("{folder}/{}", return_name(&unit, p));
                        write_return(dir, &old_rel, &tasks, &unit, p, &config, &old)?;
                        let new_rel = format!(
                            "{folder}/{}_{}_月报（更正）.xlsx",
                            safe_file_stem(&unit),
                            p.label()
                        );
                        write_return(dir, &new_rel, &tasks, &unit, p, &config, &v)?;
                        planted.push(Planted {
                            unit: unit.clone(),
                            file: old_rel,
                            sheet: "—".into(),
                            cell: "—".into(),
                            code: Code::Duplicate,
                            what: "报了两份：6 月 18 日的旧版和 6 月 26 日的更正版，采用更正版"
                                .into(),
                        });
                        continue;
                    }
                    _ => {}
                }
            }
            write_return(dir, &rel, &tasks, &unit, p, &config, &v)?;
        }
    }
    last_year(dir, &tasks, &config)?;
    let readme = samples_readme(&planted);
    crate::atomic::write_atomic(&dir.join("README.md"), readme.as_bytes())?;
    Ok(planted)
}

/// Last year's June: a 2019 list whose categories are this year's and whose projects are
/// others (each 2020 project but the last of a category had a 2019 one, at four fifths of
/// its plan, and one 2019 expressway is finished and has none this year), and every unit's
/// clean return of June 2019, in `2019年6月/` beside that list: what 去年同期 reads.
fn last_year(dir: &Path, this_year: &TaskList, config: &Config) -> Result<()> {
    let mut tasks: Vec<Task> = Vec::new();
    let invest: Vec<&Task> = this_year
        .tasks
        .iter()
        .filter(|t| t.plan_investment.is_some())
        .collect();
    for (k, t) in invest.iter().enumerate() {
        let last_of_category = invest.get(k + 1).is_none_or(|n| n.category != t.category);
        if last_of_category && t.category != "高速公路" {
            continue;
        }
        let mut old = (*t).clone();
        old.id = format!("L{}", &t.id[1..]);
        old.name = format!("{}（2019年度）", t.name);
        old.plan_investment = t.plan_investment.map(|p| (p * 0.8 / 100.0).round() * 100.0);
        old.target = t.target.map(|x| (x * 0.8).round());
        old.deadline_text = "2019年12月底".into();
        old.shares = Vec::new();
        tasks.push(old);
    }
    let mut done = tasks[0].clone();
    done.id = "L03-00".into();
    done.name = "鹤岗至大连高速公路（2019年建成段）".into();
    done.plan_investment = Some(150000.0);
    done.target = Some(60.0);
    tasks.insert(0, done);
    let list = TaskList::new(tasks, None, layout::SHEET_TASKS.into());
    let folder = dir.join("2019年6月");
    let path = folder.join("2019年任务清单.xlsx");
    let mut wb = task_list_workbook(&list.tasks, "2019年交通运输脱贫攻坚重点任务清单")
        .map_err(|e| xlsx_err(&path, e))?;
    save(&mut wb, &path)?;
    let june = Period::new(2019, 6).expect("valid");
    for unit in list.units() {
        let v = clean_values(&list, &unit, june);
        let rel = format!("2019年6月/{}", return_name(&unit, june));
        write_return(dir, &rel, &list, &unit, june, config, &v)?;
    }
    Ok(())
}

fn samples_readme(planted: &[Planted]) -> String {
    let mut s = String::from(
        "# 示例数据 samples/\n\n\
         由 `cargo run --example gen_samples` 生成（确定性，每次生成的文件逐字节相同），请勿手工修改。\n\n\
         - `任务清单.xlsx`：依据《决战决胜交通运输脱贫攻坚工作方案》（2020）编制的重点任务清单，14 项任务分解为项目，\
         数量合计与方案一致（4 条续建高速公路新增通车 718 公里、旅游路资源路产业路 105 公里、农村公路危桥 24 座、安全生命防护工程 250 公里等）。\n\
         - `2020年4月/`、`2020年5月/`、`2020年6月/`：各责任单位按模板报送的月报，逐月累计数一致。\n\
         - `2019年6月/`：去年同月的月报和去年的任务清单（类别与今年相同，项目不同），汇总时只用于“投资完成情况”的去年同期和同比。\n\n\
         ## 6 月份有意设置的问题\n\n\
         运行 `cargo run --release -- run samples` 或 `huizong check samples` 应逐条报告下列问题：\n\n\
         | 单位 | 文件 | 工作表 | 单元格 | 代码 | 问题 |\n|---|---|---|---|---|---|\n",
    );
    for p in planted {
        s.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            p.unit, p.file, p.sheet, p.cell, p.code, p.what
        ));
    }
    s.push_str(
        "\n# Samples (English)\n\nGenerated by `cargo run --example gen_samples`; do not edit by hand. The task list follows the \
         2020 work plan (targets add up to its figures); returns for April–June 2020, and June 2019 with its own list (for 去年同期); the June returns hold the mistakes listed \
         above (one unit missing, one late, a number typed as text, a falling cumulative, funding that does not add up, \
         a duplicate).\n",
    );
    s
}

/// What a unit of the bench corpus reports for a month; with `with_mistakes`, about one
/// return in twenty carries an everyday mistake (an estimate typed as a figure, a late date).
/// The bench writes the same values in other programs' shapes.
pub fn corpus_values(list: &TaskList, unit: &str, p: Period, with_mistakes: bool) -> ReturnValues {
    let m = p.month;
    let mut v = clean_values(list, unit, p);
    if with_mistakes {
        match (noise(&format!("{unit}{m}noise")) * 40.0) as u32 {
            0 => {
                let first = list.tasks_of(unit).next().map(|t| t.id.clone());
                if let Some(pv) = first.and_then(|id| v.progress.get_mut(&id)) {
                    pv.ytd = Raw::Text(format!("约{}公里", m * 3));
                }
            }
            1 => {
                let late = NaiveDate::from_ymd_opt(2020, m, 28).and_then(|d| d.succ_opt());
                v.fill_date = late.map_or(Raw::Empty, Raw::Date);
            }
            _ => {}
        }
    }
    v
}

/// The shape a corpus's returns are rewritten in (`write::foreign`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// The contract's layout written by another program: no hidden sheet; every other
    /// unit's strings inline.
    OtherProgram,
    /// A unit's own form: title, two-row header, rows named by the task, money in 元.
    OwnForm,
}

/// Rewrites every return of a corpus made by [`generate_corpus`] in `shape`, each with the
/// values it holds: the figures a run consolidates stay the same.
pub fn rewrite_corpus(
    dir: &Path,
    list: &TaskList,
    months: u32,
    with_mistakes: bool,
    shape: Shape,
) -> Result<()> {
    for (u, unit) in list.units().iter().enumerate() {
        for m in 1..=months.min(12) {
            let p = Period::new(2020, m).expect("valid");
            let v = corpus_values(list, unit, p, with_mistakes);
            let path = dir.join(corpus_return(unit, p));
            let wb = match shape {
                Shape::OtherProgram => {
                    crate::write::foreign::other_program(list, unit, p, &v, u % 2 == 1)
                }
                Shape::OwnForm => crate::write::foreign::own_form(list, unit, p, &v),
            };
            let mut wb = wb.map_err(|e| xlsx_err(&path, e))?;
            save(&mut wb, &path)?;
        }
    }
    Ok(())
}

/// The path of a unit's return for a month in the bench corpus, relative to its folder.
pub fn corpus_return(unit: &str, p: Period) -> String {
    format!("{}/{}", p.label(), return_name(unit, p))
}

/// A synthetic corpus for benchmarks: `units` units × `months` months, `tasks_per_unit`
/// tasks each (half with an investment line). Returns the folder's task list.
///
/// With `with_mistakes`, about one return in twenty carries an everyday mistake (a number typed as
/// text, a late date), so that validation does real work.
pub fn generate_corpus(
    dir: &Path,
    units: usize,
    months: u32,
    tasks_per_unit: usize,
    with_mistakes: bool,
) -> Result<TaskList> {
    let config = Config::embedded();
    let categories = ["高速公路", "普通干线公路", "农村公路", "客运场站"];
    let mut tasks = Vec::new();
    for u in 0..units {
        let unit = format!("单位{:03}交通运输局", u + 1);
        for k in 0..tasks_per_unit {
            let id = format!("U{:03}-{:02}", u + 1, k + 1);
            let cat = categories[k % categories.len()];
            let target = 10.0 + (noise(&id) * 90.0).round();
            tasks.push(task(
                &id,
                cat,
                &format!("{cat}项目{id}"),
                "",
                Some("公里"),
                Some(target),
                (k % 2 == 0).then_some(target * 500.0),
                &[unit.as_str()],
                &[],
                "年底前",
            ));
        }
    }
    let list = TaskList::new(tasks, None, layout::SHEET_TASKS.into());
    let path = dir.join("任务清单.xlsx");
    let mut wb =
        task_list_workbook(&list.tasks, "基准测试任务清单").map_err(|e| xlsx_err(&path, e))?;
    save(&mut wb, &path)?;
    for unit in list.units() {
        for m in 1..=months.min(12) {
            let p = Period::new(2020, m).expect("valid");
            let v = corpus_values(&list, &unit, p, with_mistakes);
            write_return(dir, &corpus_return(&unit, p), &list, &unit, p, &config, &v)?;
        }
    }
    Ok(list)
}
