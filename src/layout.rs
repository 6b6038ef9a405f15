//! The workbook contract (docs/architecture.md): every sheet name of every workbook, header
//! texts and label cells, and the names of the files huizong writes, defined once and shared
//! by the reader and the writers.

use crate::period::Period;

/// Sheet names of a monthly return.
pub const SHEET_GUIDE: &str = "填报说明";
pub const SHEET_PROGRESS: &str = "重点任务进展";
pub const SHEET_INVEST: &str = "固定资产投资";
pub const SHEET_META: &str = "_huizong";
/// Sheet name of the task list.
pub const SHEET_TASKS: &str = "任务清单";
/// The task list's breakdown sheet: each unit's own target and plan of a shared task.
pub const SHEET_BREAKDOWN: &str = "任务分解";
/// The first sheet of a correction workbook (退回修改), before the re-made return.
pub const SHEET_CORRECTION_PROBLEMS: &str = "问题清单";
/// 问题清单's column of a problem's place in the file the unit sent, when the correction
/// re-made a return in the unit's own layout.
pub const CORRECTION_SENT_AT: &str = "原报表位置";
/// The sheet of a return filled for the level above (`run --report-to`): every lower
/// unit's row behind each figure, with its state and cell.
pub const SHEET_LOWER_DETAIL: &str = "下级明细";

/// Sheet names of the summary workbook (汇总表), in the contract's order; its hidden
/// identity sheet is [`SHEET_META`].
pub mod summary {
    pub const SHEET_OVERVIEW: &str = "总览";
    pub const SHEET_TASKS: &str = "任务进展";
    pub const SHEET_CATEGORIES: &str = "分类汇总";
    pub const SHEET_INVEST: &str = "固定资产投资";
    /// 投资完成情况表 (DESIGN §2.5), when there is investment; also its own workbook.
    pub const SHEET_STATISTICS: &str = "投资完成情况";
    pub const SHEET_ROSTER: &str = "单位报送情况";
    /// Only when earlier months of the year are in the folder.
    pub const SHEET_TREND: &str = "月度趋势";
    pub const SHEET_PROBLEMS: &str = "存在问题汇总";
    pub const SHEET_FINDINGS: &str = "数据校验";
    pub const SHEET_SOURCES: &str = "数据来源";

    /// The title of the statistics table (投资完成情况表) of a month.
    pub fn statistics_title(p: crate::period::Period) -> String {
        let months = if p.month == 1 {
            "1月".to_string()
        } else {
            format!("1—{}月", p.month)
        };
        format!("{}年{months}交通固定资产投资完成情况表", p.year)
    }

    /// The statistics table's columns (DESIGN §2.5), broken where a person would break
    /// them; the amount unit and the 同比 column's name are the config's. The last three
    /// are the by-unit table's ranking.
    pub fn statistics_headers(unit: &str, yoy_growth: bool) -> [String; 16] {
        let u = unit;
        [
            "项目".to_string(),
            format!("本年计划\n投资（{u}）"),
            format!("本月完成\n投资（{u}）"),
            "本月完成\n占年计划%".to_string(),
            format!("自年初\n累计完成\n（{u}）"),
            "完成\n年计划%".to_string(),
            format!("去年同期\n累计完成\n（{u}）"),
            if yoy_growth {
                "同比\n增长%".to_string()
            } else {
                "为去年\n同期%".to_string()
            },
            format!("上月完成\n投资（{u}）"),
            "环比\n增长%".to_string(),
            "序时\n进度%".to_string(),
            "与序时\n进度差\n（百分点）".to_string(),
            "已报\n单位".to_string(),
            "排名".to_string(),
            "较上月".to_string(),
            "档次".to_string(),
        ]
    }
    /// Hidden: what 总览's charts draw.
    pub const SHEET_CHART_DATA: &str = "图表数据";
}

/// The names of the files and folders huizong writes or looks for beside the returns.
pub mod files {
    use super::Period;

    /// The configuration file looked for in the input folder.
    pub const CONFIG: &str = "huizong.toml";
    /// Details for a maintainer, in the output folder.
    pub const LOG: &str = "huizong.log";
    /// The folder of the correction workbooks, inside the output folder.
    pub const CORRECTIONS_DIR: &str = "退回修改";
    /// The folder of the return filled for the level above (`run --report-to`).
    pub const UPWARD_DIR: &str = "上报";
    /// `tasks --from`: the lower office's own task list.
    pub const TASK_LIST: &str = "任务清单.xlsx";
    /// `template --blank`: the empty task list and return.
    pub const TASK_LIST_TEMPLATE: &str = "任务清单模板.xlsx";
    pub const RETURN_TEMPLATE: &str = "月报模板.xlsx";

    /// The summary workbook of a month.
    pub fn summary(p: Period) -> String {
        format!("{}年{}月重点任务进展汇总.xlsx", p.year, p.month)
    }

    /// The month's briefing (通报), a draft for the office to edit.
    pub fn brief(p: Period) -> String {
        format!("{}年{}月重点任务进展情况通报（草稿）.docx", p.year, p.month)
    }

    /// The statistics table of a month, to send upward.
    pub fn statistics(p: Period) -> String {
        format!("{}年{}月固定资产投资完成情况表.xlsx", p.year, p.month)
    }

    /// A unit's correction workbook (退回修改) of a month.
    pub fn correction(unit: &str, p: Period) -> String {
        format!("{}{}", safe_file_stem(unit), correction_suffix(p))
    }

    /// How every correction workbook of a month ends: the month's old ones are found by it.
    pub fn correction_suffix(p: Period) -> String {
        format!("_{}年{}月_退回修改.xlsx", p.year, p.month)
    }

    /// The return filled for the level above, in [`UPWARD_DIR`].
    pub fn upward(unit: &str, p: Period) -> String {
        unit_return(unit, p)
    }

    /// A unit's return of a month, as `template` names it.
    pub fn unit_return(unit: &str, p: Period) -> String {
        format!("{}_{}_月报.xlsx", safe_file_stem(unit), p.label())
    }

    /// A long table of `--export` (`progress`, `investment`, `findings`) in a format (`csv`,
    /// `parquet`).
    pub fn export(table: &str, ext: &str) -> String {
        format!("{table}.{ext}")
    }

    /// A unit's name made safe as a file name on Windows: forbidden characters become `_`,
    /// reserved device names are prefixed, trailing dots and spaces go, at most 80
    /// characters.
    pub fn safe_file_stem(s: &str) -> String {
        let cleaned: String = s
            .chars()
            .map(|c| match c {
                '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' => '_',
                c if (c as u32) < 32 => '_',
                c => c,
            })
            .collect();
        let trimmed = cleaned.trim().trim_end_matches(['.', ' ']).to_string();
        let upper = trimmed.to_ascii_uppercase();
        let reserved = ["CON", "PRN", "AUX", "NUL"];
        let stem = upper.split('.').next().unwrap_or("");
        let is_reserved = reserved.contains(&stem)
            || ((stem.starts_with("COM") || stem.starts_with("LPT"))
                && stem.len() == 4
                && stem.as_bytes()[3].is_ascii_digit());
        let out = if trimmed.is_empty() || is_reserved {
            format!("_{trimmed}")
        } else {
            trimmed
        };
        out.chars().take(80).collect()
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn file_stems_are_valid_on_windows() {
            assert_eq!(safe_file_stem("a/b:c*?"), "a_b_c__");
            assert_eq!(safe_file_stem("CON"), "_CON");
            assert_eq!(safe_file_stem("单位. "), "单位");
        }

        #[test]
        fn a_months_corrections_share_their_suffix() {
            let p = Period::new(2020, 6).unwrap();
            let name = correction("长春市/交通运输局", p);
            assert_eq!(name, "长春市_交通运输局_2020年6月_退回修改.xlsx");
            assert!(name.ends_with(&correction_suffix(p)));
            assert_eq!(summary(p), "2020年6月重点任务进展汇总.xlsx");
        }
    }
}

/// The most characters a spreadsheet cell holds; longer texts are cut in the summary.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Template version written into `_huizong`.
pub const TEMPLATE_VERSION: &str = "1";

/// Label cells above the progress table.
pub const LABEL_UNIT: &str = "填报单位：";
pub const LABEL_PERIOD: &str = "报送月份：";
pub const LABEL_REPORTER: &str = "填报人：";
pub const LABEL_PHONE: &str = "联系电话：";
pub const LABEL_DATE: &str = "填报日期：";

/// Task list columns.
pub mod tasks {
    pub const ID: &str = "任务编号";
    pub const CATEGORY: &str = "任务类别";
    pub const NAME: &str = "任务名称";
    pub const CONTENT: &str = "建设内容及目标";
    pub const MEASURE: &str = "计量单位";
    pub const TARGET: &str = "年度目标";
    pub const PLAN: &str = "年度计划投资（万元）";
    pub const UNITS: &str = "责任单位";
    pub const PARTNERS: &str = "配合单位";
    pub const DEADLINE: &str = "完成时限";
    /// 序号: the attachment's own numbering, the id when there is no 任务编号.
    pub const SEQ: &str = "序号";
    /// The template's columns, in contract order.
    pub const ALL: [&str; 10] = [
        ID, CATEGORY, NAME, CONTENT, MEASURE, TARGET, PLAN, UNITS, PARTNERS, DEADLINE,
    ];
    /// What the reader knows: the template's columns and those of published attachments.
    pub const READ: [&str; 11] = [
        ID, CATEGORY, NAME, CONTENT, MEASURE, TARGET, PLAN, UNITS, PARTNERS, DEADLINE, SEQ,
    ];
}

/// Progress table columns.
pub mod progress {
    pub const ID: &str = "任务编号";
    pub const NAME: &str = "任务名称";
    pub const MEASURE: &str = "计量单位";
    pub const TARGET: &str = "年度目标";
    pub const MONTH: &str = "本月完成";
    pub const YTD: &str = "自年初累计完成";
    pub const STATUS: &str = "完成状态";
    pub const PROGRESS: &str = "本月工作进展";
    pub const PROBLEMS: &str = "存在问题";
    pub const NEXT: &str = "下步工作打算";
    /// A unit's own row numbering (never the list's id).
    pub const SEQ: &str = "序号";
    /// The last accepted year-to-date, prefilled by `template --history`.
    pub const PREV_YTD: &str = "上月累计";
    pub const ALL: [&str; 10] = [
        ID, NAME, MEASURE, TARGET, MONTH, YTD, STATUS, PROGRESS, PROBLEMS, NEXT,
    ];
    /// What the reader knows: the template's columns, a unit's own 序号 and 上月累计.
    pub const READ: [&str; 12] = [
        ID, NAME, MEASURE, TARGET, MONTH, YTD, STATUS, PROGRESS, PROBLEMS, NEXT, SEQ, PREV_YTD,
    ];

    /// The columns of a return's progress table: the template's, with 上月累计 before
    /// 本月完成 when it was made with `--history` (the correction re-made from it keeps them).
    pub fn columns(history: bool) -> Vec<&'static str> {
        let mut cols = ALL.to_vec();
        if history {
            let at = cols.iter().position(|c| *c == MONTH).unwrap_or(4);
            cols.insert(at, PREV_YTD);
        }
        cols
    }
}

/// Investment table columns.
pub mod invest {
    pub const ID: &str = "项目编号";
    pub const NAME: &str = "项目名称";
    pub const NATURE: &str = "建设性质";
    pub const PLAN: &str = "本年计划投资（万元）";
    pub const MONTH: &str = "本月完成投资（万元）";
    pub const YTD: &str = "自年初累计完成投资（万元）";
    pub const F1: &str = "其中：中央车购税";
    pub const F2: &str = "其中：省级资金";
    pub const F3: &str = "其中：市县资金";
    pub const F4: &str = "其中：银行贷款";
    pub const F5: &str = "其中：其他资金";
    pub const IMAGE: &str = "形象进度";
    pub const REMARK: &str = "备注";
    /// A unit's own row numbering.
    pub const SEQ: &str = "序号";
    pub const ALL: [&str; 13] = [
        ID, NAME, NATURE, PLAN, MONTH, YTD, F1, F2, F3, F4, F5, IMAGE, REMARK,
    ];
    /// What the reader knows: the template's columns and a unit's own 序号.
    pub const READ: [&str; 14] = [
        ID, NAME, NATURE, PLAN, MONTH, YTD, F1, F2, F3, F4, F5, IMAGE, REMARK, SEQ,
    ];
    /// The amount columns (万元): converted when a sheet states another money unit.
    pub const AMOUNTS: [&str; 8] = [PLAN, MONTH, YTD, F1, F2, F3, F4, F5];
}

/// Columns of 下级明细 (a return filled for the level above), and its coverage line.
pub mod lower {
    pub const ID: &str = "任务编号";
    pub const NAME: &str = "任务名称";
    pub const FIELD: &str = "指标";
    pub const UNIT: &str = "下级单位";
    pub const VALUE: &str = "数值";
    pub const STATE: &str = "状态";
    pub const FILE: &str = "文件";
    pub const SHEET: &str = "工作表";
    pub const CELL: &str = "单元格";
    pub const ALL: [&str; 9] = [ID, NAME, FIELD, UNIT, VALUE, STATE, FILE, SHEET, CELL];
    /// The coverage line's opening words: `下级已报 2/3`.
    pub const COVERAGE: &str = "下级已报";
    /// A lower unit's part: in the figure, in it but disputed, not in it.
    pub const ACCEPTED: &str = "已采用";
    pub const DISPUTED: &str = "待核";
    /// A figure of the filled return with a lower unit's part missing (`_huizong`'s `part`).
    pub const INCOMPLETE: &str = "不全";
    pub const MISSING: &str = "未报";
}

/// Keys of the hidden `_huizong` sheet (column A key, column B value).
pub mod meta {
    pub const VERSION: &str = "template_version";
    pub const UNIT: &str = "unit";
    pub const PERIOD: &str = "period";
    pub const FINGERPRINT: &str = "tasklist_fingerprint";
    /// The first return's 填报日期, carried by a correction workbook (the first arrival).
    pub const FIRST_FILLED: &str = "first_fill_date";
    /// One row per task of the unit, its value the task as JSON (ids, names, category,
    /// 完成时限, targets and plans, the unit's own part): what `tasks --from` and
    /// `run --report-to` re-make the upper office's tasks from.
    pub const TASK: &str = "task";
    /// A return filled for the level above: the lower office that filled it (its config's
    /// office name) and, one row each, a figure that is not a plain fact (JSON: task, field,
    /// state 待核 or 不全, and why).
    pub const FILLED_BY: &str = "filled_by";
    pub const PART: &str = "part";
    /// A lower office's task list made by `tasks --from`: the unit the upper office's
    /// template was made for (`run --report-to` refuses another unit's template).
    pub const UPPER_UNIT: &str = "upper_unit";
}

/// Rows of the return template (zero-based): title, two label rows, a blank, the header.
pub const RETURN_HEADER_ROW: u32 = 4;
/// Rows of the task list template: title, header.
pub const TASKS_HEADER_ROW: u32 = 1;
