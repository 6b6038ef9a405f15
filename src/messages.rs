//! Every Chinese sentence a user reads in a finding, in one place.

use crate::cell::Span;
use crate::model::fmt_num;

pub const EMPTY_FILE: &str = "文件是空的（0 字节），可能在下载或复制时出错，请重新报送";
pub const ENCRYPTED: &str = "文件设有密码保护（或被加密保存），程序无法打开，请取消密码后重新报送";
pub const IS_HTML: &str = "这是网页（HTML）文件，不是 Excel 工作簿（常见于从网页系统导出的“xls”），请用 Excel 或 WPS 另存为 .xlsx 后重新报送";

pub const TRUNCATED: &str =
    "文件不完整或已损坏（压缩包结构无法读取），可能在下载或复制时中断，请重新报送";
pub const XML_ENTITIES: &str =
    "文件中含有 XML 实体声明（DOCTYPE/ENTITY），为安全起见未读取；请用 Excel 或 WPS 重新保存后报送";

pub fn part_too_big(part: &str, limit: u64) -> String {
    format!(
        "工作簿部件 {part} 解压后超过 {} MB（配置项 limits.max_part_bytes），未读取",
        limit >> 20
    )
}
pub fn inflated_too_big(limit: u64) -> String {
    format!(
        "工作簿解压后超过 {} MB（配置项 limits.max_inflated_bytes），未读取",
        limit >> 20
    )
}
pub fn ratio_too_high(part: &str, ratio: u64) -> String {
    format!(
        "工作簿部件 {part} 的压缩比超过 {ratio} 倍（配置项 limits.max_inflate_ratio），疑似压缩炸弹，未读取"
    )
}
pub fn text_clipped(chars: usize) -> String {
    format!("文字长度 {chars} 字超过单元格上限 32767 字，汇总表中已截断")
}

pub fn text_goes_on(what: &str, chars: usize, below: usize) -> String {
    format!("{what}共 {chars} 字，一格打印不下（行高最多 409 磅），续在下面 {below} 行，标“见续”")
}

/// The note on a shared project's unit line when the list does not break it down.
pub const UNDIVIDED: &str = "共同项目未分解：任务清单没有把这个项目的本年计划投资分到各责任单位，单位行不列计划和完成率（不按单位平分）；项目的计划计入类别小计和合计一次。";

/// The note on a unit's subtotal whose plan leaves shared projects out.
pub fn left_out(projects: &[String]) -> String {
    format!(
        "本年计划投资和完成率只含本单位独自负责或任务清单分解到本单位的项目；共同项目未分解的 {} 的完成投资计入本行的完成数，不计入完成率。",
        projects.join("、")
    )
}

pub fn file_io(e: &std::io::Error) -> String {
    format!("无法读取文件：{}", io_reason(e))
}
/// What the system said about a file, in the clerk's words.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "文件或文件夹不存在".to_string(),
        K::PermissionDenied => {
            "没有读写权限（文件是否正在 Excel/WPS 中打开，或文件夹没有写权限？）".to_string()
        }
        K::AlreadyExists => "同名文件已存在".to_string(),
        K::StorageFull => "磁盘已满".to_string(),
        K::ReadOnlyFilesystem => "磁盘或文件夹是只读的".to_string(),
        K::IsADirectory => "这是一个文件夹，不是文件".to_string(),
        K::InvalidData | K::UnexpectedEof => "文件内容不完整或已损坏".to_string(),
        _ => format!("系统错误（{e}）"),
    }
}
pub fn file_too_big(size: u64, limit: u64) -> String {
    format!(
        "文件大小 {:.1} MB，超过上限 {:.1} MB（配置项 limits.max_file_bytes），未读取",
        size as f64 / 1048576.0,
        limit as f64 / 1048576.0
    )
}
pub fn too_many_cells(n: u64, limit: u64) -> String {
    format!(
        "工作表的内容范围有 {n} 个单元格，超过上限 {limit}（配置项 limits.max_cells_per_sheet），未读取"
    )
}
/// A sheet whose filled cells spread over more cells than allowed; `filled` when every
/// filled cell was counted.
pub fn cells_spread(span: &Span, filled: Option<u64>, limit: u64) -> String {
    let (rows, cols) = span.size();
    let range = span.a1().unwrap_or_default();
    let filled = filled.map_or_else(String::new, |n| format!("，其中有内容的只有 {n} 个"));
    format!(
        "工作表的内容分布在 {range}（{rows} 行 × {cols} 列，共 {} 个单元格{filled}），超过上限 {limit}（配置项 limits.max_cells_per_sheet），未读取；如果远处的单元格是误填的，请删除多余的行和列后重新报送",
        span.area()
    )
}
pub const DAMAGED: &str = "无法作为工作簿打开，文件可能已损坏或不完整，请用 Excel 或 WPS 打开检查、另存为 .xlsx 后重新报送";
/// A workbook calamine refuses whole because one of its sheets is of a kind it does not read
/// (an Excel 4.0 macro sheet), `part` naming that sheet inside the file.
pub fn sheet_kind_unread(part: &str) -> String {
    let what = if part.contains("macrosheet") {
        "，是 Excel 4.0 宏表"
    } else {
        ""
    };
    format!(
        "工作簿中有一张程序读不了的工作表（{part}{what}），整个文件因此无法打开。请把月报的表格复制到一个新工作簿，另存为 .xlsx 后重新报送"
    )
}
/// A workbook whose main part is not where Excel keeps it (`part` was looked for).
pub fn part_missing(part: &str) -> String {
    format!(
        "工作簿的内部部件不在 Excel 通常存放的位置（找不到 {part}），程序无法读取。请用 Excel 或 WPS 打开后另存为 .xlsx 再报送"
    )
}
pub const SHEET_DAMAGED: &str = "工作表内容已损坏，无法读取，请用 Excel 或 WPS 打开检查后重新报送";
pub const OLD_EXCEL: &str =
    "这是 Excel 2.x–4.0 的旧格式工作表，程序无法读取，请用 Excel 或 WPS 打开后另存为 .xlsx 再报送";
pub const NUMBERS: &str = "这是苹果 Numbers 表格，程序无法读取，请在 Numbers 中选“文件 > 导出为 > Excel”，存为 .xlsx 后重新报送";
pub const QUATTRO_PRO: &str = "这是 Quattro Pro 工作簿，不是 Excel 工作簿，程序无法读取，请另存为 Excel 格式（.xlsx）后重新报送";
pub const XML_SPREADSHEET: &str = "这是 XML 格式的电子表格（.fods 或 Excel 2003 XML），程序无法读取，请用 Excel 或 WPS 另存为 .xlsx 后重新报送";
pub fn not_workbook(kind: &str) -> String {
    format!("这是{kind}，不是 Excel 工作簿，请报送 Excel 格式的月报（.xlsx）")
}
pub fn file_skipped(kind: &str) -> String {
    format!("这是{kind}，不是工作簿，未读取")
}
pub const COLUMN_NUMBERS_ROW: &str = "表头下的栏次行（甲、乙、1、2、3……），不是数据";
pub const FOOTER_ROW: &str = "表格下方的签署行或注释，不是数据";
pub fn extra_column(header: &str) -> String {
    format!("列“{header}”不是模板中的列，已忽略")
}

// Task list
pub fn task_id_empty() -> String {
    "任务编号为空，这一行未读入任务清单".into()
}
pub fn task_id_duplicate(id: &str, first_cell: &str) -> String {
    format!("任务编号 {id} 重复（第一次出现在 {first_cell}），这一行未读入")
}
pub fn task_field_empty(field: &str, id: &str) -> String {
    format!("任务 {id} 的“{field}”为空")
}
pub fn task_no_units(id: &str) -> String {
    format!("任务 {id} 没有填写责任单位，无人报送此任务")
}
pub fn task_target_bad(id: &str, raw: &str) -> String {
    format!("任务 {id} 的年度目标“{raw}”不是数字，但已填写计量单位；该任务按定性任务处理")
}
pub fn task_target_missing(id: &str) -> String {
    format!("任务 {id} 填写了计量单位但没有年度目标；该任务按定性任务处理")
}
pub fn task_plan_bad(id: &str, raw: &str) -> String {
    format!("任务 {id} 的年度计划投资“{raw}”不是数字，该任务不设投资行")
}
pub fn task_deadline_bad(id: &str, raw: &str) -> String {
    format!("任务 {id} 的完成时限“{raw}”无法识别，按年底（12 月）计算序时进度")
}
pub fn task_milestone_bad(id: &str, header: &str, raw: &str) -> String {
    format!("任务 {id} 的{header}“{raw}”不是数字，未用作节点目标")
}
pub fn task_milestones_unused(id: &str, why: &str) -> String {
    format!("任务 {id} 的节点目标未用（{why}），序时进度按施工季或日历计算")
}
pub fn breakdown_unknown_task(id: &str) -> String {
    format!("任务分解中的任务编号 {id} 不在任务清单中，这一行未用")
}
pub fn breakdown_not_responsible(id: &str, unit: &str) -> String {
    format!("任务分解中 {unit} 不是任务 {id} 的责任单位，这一行未用")
}
pub fn breakdown_bad_figure(id: &str, unit: &str, what: &str, raw: &str) -> String {
    format!("任务分解中任务 {id}、{unit} 的{what}“{raw}”不是数字，未用")
}
pub fn task_only_collective(id: &str, name: &str) -> String {
    format!(
        "任务 {id} 的责任单位只有统称“{name}”，没有定义它包括哪些单位，无人报送此任务；请在报表文件夹的 huizong.toml 中定义，例如：[[groups]] name = \"{name}\" members = [\"某某市交通运输局\", \"某某县交通运输局\"]"
    )
}
pub fn task_seq_empty() -> String {
    "序号为空，这一行未读入任务清单（任务清单没有“任务编号”列，以序号作任务编号）".into()
}
pub fn task_target_no_measure(id: &str, v: f64) -> String {
    format!(
        "任务 {id} 的年度目标 {} 没有计量单位，按不带单位的数量统计；请在“计量单位”列或目标后写明单位（如 718公里）",
        fmt_num(v)
    )
}
pub fn task_target_several(id: &str, raw: &str, parts: &[(f64, String)]) -> String {
    let parts: Vec<String> = parts
        .iter()
        .map(|(v, m)| format!("{}{m}", fmt_num(*v)))
        .collect();
    format!(
        "任务 {id} 的年度目标“{raw}”含 {} 个数量（{}），一项任务只能对照一个目标，按定性任务处理；如需统计完成量，请把它拆成 {} 项任务，各写一个目标",
        parts.len(),
        parts.join("、"),
        parts.len()
    )
}
pub fn collective_undefined(name: &str) -> String {
    format!(
        "责任单位“{name}”是一类单位的统称，不是一个单位，未列为应报单位；请在报表文件夹的 huizong.toml 中写明它包括哪些单位，例如：[[groups]] name = \"{name}\" members = [\"某某市交通运输局\", \"某某县交通运输局\"]"
    )
}
/// Where the embedded groups come from, as a finding says it.
pub const EMBEDDED_GROUPS: &str = "内置默认配置（参考省份吉林省的单位）";
pub fn group_expanded(name: &str, members: &[String], origin: &str) -> String {
    format!(
        "责任单位“{name}”按{origin}展开为 {} 家单位：{}；本省的单位不同时，请在 huizong.toml 的 [[groups]] 中重新定义",
        members.len(),
        members.join("、")
    )
}

// Identity
pub fn identity_unknown_unit() -> String {
    "无法确定填报单位：隐藏页、“填报单位：”、表格标题和文件名中都没有单位名称，本文件未参加汇总"
        .into()
}
pub fn identity_unknown_period() -> String {
    "无法确定报送月份：隐藏页、“报送月份：”和文件名中都没有月份（如 2020年6月），本文件未参加汇总"
        .into()
}
pub fn identity_unit_conflict(used: &str, other: &str, source: &str) -> String {
    format!("填报单位不一致：按“{used}”汇总，但{source}写的是“{other}”，请核对")
}
pub fn identity_period_conflict(used: &str, other: &str, source: &str) -> String {
    format!("报送月份不一致：按 {used} 汇总，但{source}写的是 {other}，请核对")
}
pub fn identity_reused(inside: &str, office: &str) -> String {
    format!(
        "表内（报送月份或隐藏页）写的是 {inside}，但文件名和所在文件夹都是 {office}，多半是用上月的文件改的：本表按 {office} 汇总，数字标为待核；请用 {office} 的新模板重新填报"
    )
}
pub fn period_unreadable(raw: &str) -> String {
    format!("报送月份“{raw}”无法识别，应写成“2020年6月”")
}
pub fn date_unreadable(raw: &str) -> String {
    format!("填报日期“{raw}”无法识别，应写成“2020年6月25日”或 2020-06-25；无法判断是否逾期")
}
pub fn date_missing() -> String {
    "未填写填报日期，无法判断是否逾期".into()
}
pub fn no_table() -> String {
    "文件中没有找到月报表格（表头含“任务名称”或“任务编号”以及“本月完成”“自年初累计完成”，或“项目名称”或“项目编号”以及“自年初累计完成投资”），未参加汇总".into()
}
pub const NO_FUND_COLUMNS: &str =
    "表格没有资金来源各列（中央车购税、省级资金、市县资金、银行贷款、其他资金），资金来源未核对";
pub fn return_not_workbook(unit: &str, kind: &str) -> String {
    format!(
        "这个文件按文件名是“{unit}”报来的，但它是{kind}，不是 Excel 工作簿，无法读取。本单位记为“已报（无法识别）”，不是未报；请用退回修改中的模板（Excel 工作簿）重新填报"
    )
}
pub fn return_unrecognised(unit: &str) -> String {
    format!(
        "这个文件是“{unit}”报来的，但其中没有可以读取的月报表格（应有一行表头，含“任务名称”或“任务编号”，以及“本月完成”“自年初累计完成”或“本月工作进展”；投资表含“项目名称”或“项目编号”和“自年初累计完成投资”）。本单位记为“已报（无法识别）”，不是未报；请用退回修改中的模板重新填报"
    )
}
pub fn month_without_year(month: u32, source: &str, period: &str) -> String {
    format!("{source}只写了“{month}月”，没有年份，按汇总月份的年份计为 {period}")
}
pub fn period_assumed(period: &str, unit: &str) -> String {
    format!(
        "“报送月份：”、表格标题和文件名中都没有月份，按汇总月份 {period} 计入；如果不是本月的报表，请在文件名中写明月份（如“{unit}{period}.xlsx”）"
    )
}
pub fn identity_from_title(missing: &str, said: &str) -> String {
    format!("表内没有{missing}，{said}取自表格标题")
}
pub fn date_ambiguous(text: &str, m: u32, d: u32) -> String {
    format!(
        "填报日期“{text}”按 {m}月{d}日 计算；如是 {m}月{}日，请写成“2020年{m}月{}日”这样的完整日期",
        d * 10,
        d * 10
    )
}
pub fn unit_converted(unit: &str, factor: f64) -> String {
    let how = if factor < 1.0 {
        format!("除以 {}", fmt_num(1.0 / factor))
    } else {
        format!("乘以 {}", fmt_num(factor))
    };
    format!("本表金额单位为{unit}，已换算为万元（{how}）后汇总")
}
pub fn converted_note(units: &str) -> String {
    format!("金额原为{units}，已换算为万元")
}
pub fn header_rows_note(first: u32, last: u32) -> String {
    format!("表头在第 {first}–{last} 行（分组表头）")
}
pub const NAMES_NOTE: &str = "没有编号列，各行按名称对应任务清单";

/// How a column of project names was read in a progress table.
pub fn names_from_note(header: &str) -> String {
    format!("表中没有“任务名称”列，“{header}”列中的名称按任务名称对应任务清单")
}
pub fn own_layout(how: &str) -> String {
    format!("本表不是模板的格式，按以下方式读取：{how}")
}
pub fn summary_file_skipped() -> String {
    "这是 huizong 生成的汇总表，不是月报，已跳过".into()
}
pub fn missing_columns(cols: &[&str]) -> String {
    let quoted: Vec<String> = cols.iter().map(|c| format!("“{c}”")).collect();
    format!("表格缺少{}列", quoted.join(""))
}

// Numbers
pub fn num_invalid(field: &str, raw: &str, why: &str) -> String {
    format!("“{field}”填写的“{raw}”{why}，应填写数字（如 12.5）")
}
pub fn returns_by_sheet(said: &str) -> String {
    format!("一个文件中有几份报表，按工作表分别读取：{said}")
}
pub fn qualitative_words(field: &str, text: &str) -> String {
    format!("定性任务不填数字：“{field}”中的“{text}”按文字看待，不作为数字汇总")
}
pub fn num_measure_mismatch(field: &str, raw: &str, expected: &str) -> String {
    format!(
        "“{field}”填写的“{raw}”单位与本项的计量单位“{expected}”不一致，此数不计入汇总；请按“{expected}”只填数字"
    )
}
pub fn formula_uncomputed(field: &str, formula: &str) -> String {
    format!(
        "“{field}”是公式“{formula}”，文件中没有保存它的计算结果（多半是程序生成的文件），此项不计入汇总；请用 Excel 或 WPS 打开本文件、保存后再报送"
    )
}
pub fn num_placeholder(field: &str, raw: &str) -> String {
    format!("“{field}”填写的“{raw}”按空白处理，不计入汇总；本月没有完成量请填 0")
}
pub fn num_negative(field: &str, v: f64) -> String {
    format!("“{field}”为负数 {}，应大于等于 0", fmt_num(v))
}
pub fn row_without_id() -> String {
    "这一行填了数据但没有编号，无法对应到任务，未参加汇总".into()
}
pub fn tasklist_other_table(sheet: &str, heads: &str, list: &str) -> String {
    format!(
        "工作表“{sheet}”的表格（{heads}）未读入：任务清单只读工作表“{list}”的一张表。其中的投资项目请作为任务列入清单（每个项目一行，填“年度计划投资”）"
    )
}
pub fn roles_split(lead: &str, partners: &str) -> String {
    format!(
        "责任单位一格中写了牵头和配合单位，分开读取：牵头的“{lead}”是责任单位（报送），配合的“{partners}”是配合单位（不报送）；清单中其他任务同样处理"
    )
}
pub fn id_read_as(typed: &str, id: &str) -> String {
    format!("编号“{typed}”按任务清单的 {id} 读取")
}
pub fn category_row_skipped(label: &str) -> String {
    format!("“{label}”是分类行（小计），名称对应不到任务清单，由程序按下面各行重新计算，未参加汇总")
}
pub fn total_row_skipped(label: &str) -> String {
    format!("“{label}”行是合计行，由程序重新计算，未参加汇总")
}
pub fn status_unknown(raw: &str, allowed: &str) -> String {
    format!("完成状态“{raw}”不在下拉选项中（应为：{allowed}）")
}
pub fn nature_unknown(raw: &str, allowed: &str) -> String {
    format!("建设性质“{raw}”不在下拉选项中（应为：{allowed}）")
}

// Validation
pub fn task_unknown(id: &str) -> String {
    format!("任务编号 {id} 不在任务清单中，未参加汇总；请按模板填写编号")
}
pub fn sheet_unrecognised(heads: &str) -> String {
    format!(
        "这个工作表像一张表格（表头：{heads}），但认不出是进展表还是投资表，其中的数字未参加汇总；请用模板的表头（任务名称、本月完成、自年初累计完成，或项目名称、本月完成投资、自年初累计完成投资）"
    )
}
pub fn no_table_besides_return() -> String {
    "文件中没有月报表格，未读取；本单位另有月报已参加汇总".into()
}
pub fn matched_by_name(name: &str, id: &str) -> String {
    format!("按名称“{name}”对应任务 {id}")
}
pub fn name_over_id(
    by: &str,
    other: &crate::model::Task,
    name: &str,
    task: &crate::model::Task,
) -> String {
    format!(
        "本行{by}是任务清单中的 {}“{}”，但名称“{name}”是任务 {}“{}”：按名称计入任务 {}，请核对（单位自己的行号不是任务编号）",
        other.id, other.name, task.id, task.name, task.id
    )
}
pub fn name_unknown(
    name: &str,
    candidates: &[&crate::model::Task],
    several: bool,
    invest: bool,
) -> String {
    let list: Vec<String> = candidates
        .iter()
        .map(|t| format!("{}“{}”", t.id, t.name))
        .collect();
    let what = if invest { "投资项目" } else { "任务" };
    if several {
        format!(
            "名称“{name}”与任务清单中的几项{what}都相符（{}），无法确定是哪一项，未参加汇总；请写完整的名称或任务编号",
            list.join("、")
        )
    } else if list.is_empty() {
        format!("名称“{name}”对应不到任务清单中的{what}，未参加汇总；请按任务清单写名称或任务编号")
    } else {
        format!(
            "名称“{name}”对应不到任务清单中的{what}，未参加汇总；最接近的是：{}。请按任务清单写名称或任务编号",
            list.join("、")
        )
    }
}
pub fn id_unknown_here(id: &str, invest: bool) -> String {
    if invest {
        project_unknown(id)
    } else {
        task_unknown(id)
    }
}
pub fn project_unknown(id: &str) -> String {
    format!("项目编号 {id} 不在任务清单的投资项目中，未参加汇总；请按模板填写编号")
}
pub fn task_not_assigned(id: &str) -> String {
    format!("本单位不是任务 {id} 的责任单位，数据仍计入汇总，请核对")
}
pub fn task_row_duplicate(id: &str, first: &str) -> String {
    format!("编号 {id} 在本表中出现两次（第一次在 {first}），这一行未参加汇总")
}
pub fn task_row_missing(id: &str, name: &str) -> String {
    format!("缺少任务 {id}“{name}”的填报行")
}
pub fn ytd_below_month(ytd: f64, month: f64) -> String {
    format!(
        "自年初累计 {} 小于本月完成 {}，累计数应大于等于本月数",
        fmt_num(ytd),
        fmt_num(month)
    )
}
pub fn cum_decrease(ytd: f64, prev: f64, prev_period: &str, prev_file: &str) -> String {
    format!(
        "自年初累计 {} 低于{prev_period}已采用的 {}（{prev_file}），累计数在年内不应下降",
        fmt_num(ytd),
        fmt_num(prev)
    )
}
pub fn month_mismatch(month: f64, ytd: f64, prev: f64) -> String {
    format!(
        "本月完成 {} 不等于 自年初累计 {} − 上月累计 {} = {}",
        fmt_num(month),
        fmt_num(ytd),
        fmt_num(prev),
        fmt_num(ytd - prev)
    )
}
pub fn january_mismatch(month: f64, ytd: f64) -> String {
    format!(
        "1 月的本月完成 {} 应等于自年初累计 {}",
        fmt_num(month),
        fmt_num(ytd)
    )
}
pub fn fund_sum(sum: f64, ytd: f64) -> String {
    let more = if sum > ytd { "多" } else { "少" };
    format!(
        "资金来源合计 {} 万元不等于自年初累计完成投资 {} 万元（资金来源{more} {} 万元）",
        fmt_num(sum),
        fmt_num(ytd),
        fmt_num(((sum - ytd).abs() * 100.0).round() / 100.0)
    )
}
pub fn over_target(total: f64, target: f64, what: &str) -> String {
    format!(
        "{what}累计 {} 超过{}{}，请确认",
        fmt_num(total),
        if what.contains("投资") {
            "年度计划 "
        } else {
            "年度目标 "
        },
        fmt_num(target)
    )
}
pub fn late(date: &str, deadline_day: u32) -> String {
    format!("填报日期 {date} 晚于每月 {deadline_day} 日的报送截止日")
}
/// Nobody's file that names a unit that is not due (nor a partner).
pub fn not_a_return_of(unit: &str, rows: usize) -> String {
    format!(
        "是“{unit}”的表，但它不是任务清单中的责任单位或配合单位，表中 {rows} 行也没有一行是任务清单中的任务：不是月报，未参加汇总，也未逐行检查"
    )
}
pub fn not_a_return(rows: usize) -> String {
    if rows == 0 {
        "不是月报：认不出是哪个应报单位的，也没有月报表格，未参加汇总".to_string()
    } else {
        format!(
            "不是月报：认不出是哪个应报单位的，表中 {rows} 行也没有一行是任务清单中的任务，未参加汇总，也未逐行检查"
        )
    }
}
/// Nobody's file that cannot be read: why (the reader's words without their request to
/// resend, which would be addressed to nobody), and that it is no return.
pub fn file_nobody(why: &str) -> String {
    let cut = ["，请", "；请", "。请", ",请"]
        .iter()
        .filter_map(|p| why.find(p))
        .min()
        .unwrap_or(why.len());
    let mut why = why[..cut].trim_end_matches(['，', '；', '。', ' ']);
    // A condition that led into the request (`如果远处的单元格是误填的，请删除…`) goes with it.
    // (The three marks are all three bytes long.)
    if let Some(at) = why.rfind(['，', '；', '。'])
        && ["如果", "若"]
            .iter()
            .any(|w| why[at + '，'.len_utf8()..].starts_with(w))
    {
        why = &why[..at];
    }
    format!("{why}。认不出是哪个应报单位的：不是月报，未参加汇总")
}
pub fn return_not_workbook_missing(unit: &str, kind: &str) -> String {
    format!(
        "这个文件按文件名是“{unit}”的，但它是{kind}，不是 Excel 工作簿，不能作为月报：本单位记为未报，请报送 Excel 格式的月报（.xlsx）"
    )
}
pub fn not_workbook_beside_return(kind: &str) -> String {
    format!("这是{kind}，不是工作簿，未读取；该单位本月另有月报")
}
pub fn roster_file_not_workbook(rel: &str, kind: &str) -> String {
    format!("{rel}（{kind}，不是月报）")
}
pub fn strays_apart(n: usize) -> String {
    format!("另有 {n} 个文件不是月报，未参加汇总，见“数据校验”")
}
pub fn last_year_without_list(year: i32, files: usize) -> String {
    format!(
        "有 {files} 份 {year} 年的月报，但没有找到 {year} 年的任务清单（完成时限写着 {year} 年的那一份），去年同期无法计算；请把去年的任务清单放在去年的月报旁边（或用 --last-year 指定去年的文件夹）"
    )
}
pub fn last_year_category(category: &str, year: i32) -> String {
    format!(
        "{year} 年的任务类别“{category}”在今年的任务清单中没有，对应不上：它的去年同期计入投资完成情况表的“去年其他类别”行（若今年改了名称，请把类别名称写得与去年一致）"
    )
}
pub fn last_year_file(period: &str, list: &str) -> String {
    format!(
        "{period} 的月报：按去年的任务清单“{list}”读取，只用于投资完成情况表的去年同期和环比，不参加本年汇总和逐月核对"
    )
}
pub fn other_year(period: &str, summary: &str) -> String {
    format!("这是 {period} 的月报，与汇总月份 {summary} 不是同一年，未参加本次汇总")
}
pub fn return_blank() -> String {
    "报来的是空白模板：数字、完成状态、文字和填报日期都没有填写，按未报处理；请填好后重新报送"
        .to_string()
}
pub fn blank_template(period: Option<&str>, reported: bool) -> String {
    match (period, reported) {
        (_, true) => "空白模板（什么都没有填写），未读取：该单位本月另有月报".to_string(),
        (Some(p), false) => format!("{p}的空白模板（什么都没有填写），不是月报，未读取"),
        (None, false) => "空白模板（什么都没有填写），不是月报，未读取".to_string(),
    }
}
/// The note beside a file in 单位报送情况's 文件 column.
pub fn roster_file_blank(rel: &str) -> String {
    format!("{rel}（空白模板，按未报处理）")
}
pub fn period_folder(inside: &str, folder: &str) -> String {
    format!(
        "这个文件放在 {folder} 的文件夹中，但表内（报送月份、隐藏页或文件名）是 {inside}，多半是把 {inside} 的文件改了又报来：不作为 {folder} 的月报，本单位 {folder} 记为未报，也不替换 {inside} 已采用的月报；请用 {folder} 的模板重新填报"
    )
}
pub fn period_folder_earlier(inside: &str, folder: &str) -> String {
    format!(
        "这个文件表内是 {inside}，却放在 {folder} 的文件夹中（多半是改成 {folder} 的数字后又报来）：不作为 {inside} 的月报；{inside} 以该月文件夹中的月报为准"
    )
}
pub fn period_folder_beside_return(inside: &str, folder: &str) -> String {
    format!(
        "这个文件放在 {folder} 的文件夹中，但表内（报送月份、隐藏页或文件名）是 {inside}：本单位 {folder} 另有月报，已采用；本文件未读取，也不替换 {inside} 已采用的月报"
    )
}
pub fn roster_file_misfiled(rel: &str, inside: &str) -> String {
    format!("{rel}（表内为{inside}，不计入本月）")
}
pub fn missing_return(period: &str, tasks: usize) -> String {
    format!("{period} 未报送月报（负责 {tasks} 项任务）")
}
pub fn duplicate(kept: &str, dropped: &str, why: &str) -> String {
    format!("同一单位同一月份有两份报表：采用“{kept}”（{why}），未采用本文件“{dropped}”")
}
pub fn unit_read_as(typed: &str, unit: &str) -> String {
    format!(
        "填报单位写作“{typed}”，按应报单位“{unit}”计入；如不是同一单位，请在 huizong.toml 的 units 中写明"
    )
}
pub fn partner_unit(unit: &str) -> String {
    format!(
        "“{unit}”在任务清单中只是配合单位，不是责任单位，其报表未参加汇总（数字由牵头的责任单位报送，以免重复计算）"
    )
}
pub fn not_due_unit(unit: &str) -> String {
    format!(
        "“{unit}”不是任务清单中的责任单位，其报表未参加汇总；如为别名请在 huizong.toml 的 units 中补充"
    )
}
pub fn no_history_figure(prev: &str) -> String {
    format!("上月（{prev}）此项的自年初累计未填或有错误、未被采用，本月完成未与之核对")
}
pub fn row_blank() -> String {
    "本月完成和自年初累计完成都未填写，不计入汇总；本月没有完成量请填 0，累计照填".to_string()
}
pub fn month_blank(ytd: f64) -> String {
    format!(
        "填了自年初累计完成 {}，本月完成却未填，此项不计入汇总；本月没有完成量请填 0",
        fmt_num(ytd)
    )
}
pub fn ytd_blank(month: f64) -> String {
    format!(
        "填了本月完成 {}，自年初累计完成却未填，此项不计入汇总；请填写自年初累计完成",
        fmt_num(month)
    )
}
pub const INVEST_YTD_BLANK: &str =
    "填了资金来源，自年初累计完成投资却未填，此项不计入汇总；请填写自年初累计完成投资";
pub fn prev_ytd_changed(template: f64, accepted: f64) -> String {
    format!(
        "模板预填的上月累计 {} 与上月已采用的自年初累计 {} 不同（上月报表可能在生成模板后更正过），本月完成按 {} 核对",
        fmt_num(template),
        fmt_num(accepted),
        fmt_num(accepted)
    )
}
pub fn no_history(prev: &str) -> String {
    format!("没有找到上月（{prev}）的报表，未做本月与累计数的逐月核对")
}

pub const WORKER_DIED: &str = "读取此文件时读取程序意外终止，文件可能已损坏，请用 Excel 或 WPS 打开检查后重新报送（详情记在 huizong.log 中，其位置显示在屏幕上）";
pub const READER_PANIC: &str =
    "读取时出现意外错误，文件可能已损坏，请重新报送（详情记在 huizong.log 中，其位置显示在屏幕上）";
/// A worker's answer whose rows could not be decoded (never seen: the worker wrote them).
pub fn answer_broken(why: &str) -> String {
    format!(
        "读取进程送回的表格行无法解析（{why}），此表的行未读入，请重新汇总；仍出现时请把此文件和 huizong.log 发给维护人员"
    )
}
/// A reading process that could not cap its own memory, and so read nothing.
pub fn worker_not_capped(mb: u64, why: &str) -> String {
    format!(
        "读取进程无法把内存限制在 {mb} MB（配置项 limits.worker_memory_mb）：{why}；读取进程不在无限制的情况下读取文件"
    )
}

pub fn worker_no_thread(why: &str) -> String {
    format!("读取进程无法启动接收请求的线程：{why}")
}

pub fn worker_out_of_memory(mb: u64) -> String {
    format!(
        "读取此文件需要的内存超过上限 {mb} MB（配置项 limits.worker_memory_mb），未读取；文件可能已损坏或异常庞大，请检查后重新报送"
    )
}
pub const COMPOUND_DAMAGED: &str = "文件内部结构已损坏（复合文档的扇区链越界或循环），无法读取，请用 Excel 或 WPS 打开检查、另存为 .xlsx 后重新报送";

pub fn period_empty(period: &str, hint: &str) -> String {
    format!(
        "{period}没有任何单位的月报，汇总表中各单位都显示为未报；{hint}。请检查 --period 指定的月份，或月报是否放进了这个文件夹"
    )
}
pub fn period_unrecognised_only(period: &str, units: usize) -> String {
    format!(
        "{period}没有可以读取的月报：{units} 家单位报来的文件都无法识别（见“已报（无法识别）”和 E-RETURN-UNRECOGNISED），汇总表中没有数字；请把退回修改表发给这些单位，或检查文件是否报错了"
    )
}
pub fn period_other_year(period: &str, year: i32) -> String {
    format!(
        "汇总月份是{period}，但任务清单是 {year} 年的（按任务清单的完成时限或配置项 year）；请检查 --period，或换用当年的任务清单"
    )
}
pub fn tasklist_changed(list: &str) -> String {
    format!(
        "本表的模板由另一版任务清单生成，与本次使用的“{list}”不同：任务编号、目标或计划投资可能已变化，请核对；下月请使用新发的模板"
    )
}

/// 主要内容's addition in a lower office's task list, where the upper office set the task's
/// target or plan for several units and no part of it for this one.
pub fn upper_shared(target: Option<f64>, measure: &str, plan: Option<f64>, units: usize) -> String {
    let mut what = Vec::new();
    if let Some(t) = target {
        what.push(format!("总目标 {}{measure}", crate::model::fmt_num(t)));
    }
    if let Some(p) = plan {
        what.push(format!("总计划投资 {} 万元", crate::model::fmt_num(p)));
    }
    format!(
        "（上级下达的{}，由 {units} 个责任单位共同完成，未分解到本单位；年度目标和计划投资请按上级分解后填写）",
        what.join("、")
    )
}

/// Why the upper office's template cannot be used (`tasks --from`, `run --report-to`).
pub const UPPER_NO_META: &str = "不是 huizong 生成的月报模板（没有隐藏的 _huizong 工作表）；请使用上级用 huizong template 生成、发给本单位的月报模板";
pub const UPPER_BLANK: &str = "是空白模板，没有预填单位；请使用上级为本单位生成的月报模板";
pub const UPPER_OLD: &str = "由旧版 huizong 生成，模板中没有任务的类别、完成时限和目标，无法生成本级任务清单或上报月报；请向上级索取用新版 huizong 生成的模板";
pub const UPPER_DAMAGED: &str =
    "隐藏工作表 _huizong 中的任务信息已被改动，无法读取；请向上级重新索取本单位的月报模板";

pub fn upper_other_period(template: &str, run: &str) -> String {
    format!(
        "模板是{template}的，本次汇总的是{run}；请使用上级发来的{run}模板，或用 --period 指定月份"
    )
}

/// A task of the upper office's template that the lower office's task list does not hold.
pub const UPWARD_NOT_IN_LIST: &str =
    "本级任务清单中没有该任务（任务编号不同或已删除），未填；请在任务清单中保留上级的任务编号";

/// A figure of a return filled by the level below that is not a plain fact there.
pub fn lower_part(task: &str, field: &str, why: &str) -> String {
    format!("{task} 的“{field}”是下级汇总数，下级报来时即不是确定的数：{why}")
}

/// A return filled by the level below whose 下级明细 is gone.
pub const LOWER_DETAIL_MISSING: &str = "这是下级汇总后上报的月报，但“下级明细”页已被删除或改名，无法核对其中的数由哪些下级单位组成；请下级重新生成后报送";

/// A 下级明细 row that names no figure of the return or no lower unit.
pub fn lower_detail_row(id: &str, field: &str, unit: &str) -> String {
    if unit.is_empty() {
        format!("下级明细中 {id} 的“{field}”一行没有写下级单位，无法核对")
    } else {
        format!(
            "下级明细中“{unit}”的 {id}“{field}”在本表中没有对应的数，无法核对（任务编号或指标被改过）"
        )
    }
}

/// A figure of a return filled by the level below that is not the sum of its 下级明细.
pub fn lower_detail_sum(
    id: &str,
    field: &str,
    figure: Option<f64>,
    sum: Option<(f64, u32)>,
) -> String {
    let shown = |v: Option<f64>| v.map_or("空白".to_string(), crate::model::fmt_num);
    match sum {
        Some((s, row)) => format!(
            "{id} 的“{field}”填的是 {}，而下级明细中各下级单位之和是 {}（下级明细第 {row} 行起）；多半是填好后又手工改过，请下级核实后重新报送",
            shown(figure),
            crate::model::fmt_num((s * 1e4).round() / 1e4)
        ),
        None => format!(
            "{id} 的“{field}”填的是 {}，但下级明细中没有它的构成；多半是填好后又手工加的，请下级核实后重新报送",
            shown(figure)
        ),
    }
}

/// A lower unit's own return beside its upper office's return that holds it.
pub fn lower_direct(unit: &str, upper: &str, differences: &[String]) -> String {
    let mut s = format!(
        "本文件是{unit}直接报来的月报；{unit}是{upper}的下级单位，它的数已计入{upper}上报的月报（见其“下级明细”页），按{upper}的数汇总，本文件不另计"
    );
    if !differences.is_empty() {
        s.push_str(&format!("。两处的数不同：{}", differences.join("；")));
    }
    s
}

/// `run --report-to` with a template none of whose tasks is in this office's list.
pub fn upper_no_common_task(unit: &str) -> String {
    format!(
        "这是上级发给{unit}的模板，与本级任务清单对不上（任务清单是从另一单位的模板生成的，或其中的任务编号一个也不在本级任务清单中）：可能拿错了单位的模板"
    )
}

/// A 下级明细 row naming a unit that reports to this level itself.
pub fn lower_detail_due(unit: &str, upper: &str, id: &str, field: &str, row: u32) -> String {
    format!(
        "{id} 的“{field}”：下级明细第 {row} 行的“{unit}”是本级的应报单位，不是{upper}的下级单位，它的数不应计入{upper}的数；请{upper}核实后重新报送"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nobodys_unreadable_file_says_why_without_the_request_or_its_condition() {
        let mut span = crate::cell::Span::default();
        span.add(0, 0);
        span.add(65535, 255);
        let m = file_nobody(&cells_spread(&span, None, 2_000_000));
        assert!(m.contains("未读取。认不出是哪个应报单位的"), "{m}");
        assert!(!m.contains("如果") && !m.contains("请"), "{m}");
        let m = file_nobody("文件设有密码保护（或被加密保存），程序无法打开。请去掉密码后重新报送");
        assert_eq!(
            m,
            "文件设有密码保护（或被加密保存），程序无法打开。认不出是哪个应报单位的：不是月报，未参加汇总"
        );
    }
}
