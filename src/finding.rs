//! Findings: every data problem, with its code (which carries its level and its meaning) and
//! the file, sheet and cell it is about.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::cell::{CellRef, a1};
use crate::period::Period;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Level::Error => "错误",
            Level::Warning => "警告",
            Level::Info => "提示",
        }
    }
}

/// Declares the finding codes once: the variant, its code text and its one-line meaning (the
/// README's table is this list, a test holds it to that). The level is the code's first
/// letter.
macro_rules! codes {
    ($($variant:ident = $code:literal, $meaning:literal;)*) => {
        /// A finding's code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// Every code, in the README's order.
            pub const ALL: &[Code] = &[$(Code::$variant,)*];

            /// `E-NUM-PARSE`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// What the code means, in one line.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Code::$variant => $meaning,)*
                }
            }
        }
    };
}

codes! {
    FileUnreadable = "E-FILE-UNREADABLE", "文件打不开：损坏、不完整、加密、不是工作簿（PDF、网页、文字）、含 XML 实体声明";
    FileLimit = "E-FILE-LIMIT", "超过 `[limits]` 上限：文件过大、解压后过大或压缩比异常（压缩炸弹）、单元格范围过大";
    Identity = "E-IDENTITY", "隐藏页、“填报单位：/报送月份：”和文件名都无法确定单位或月份";
    IdentityConflict = "E-IDENTITY-CONFLICT", "表内的月份与一致的文件名和文件夹不同（多半是用上月的文件改的）：按文件名的月份汇总，数字待核";
    LowerDisputed = "E-LOWER-DISPUTED", "下级汇总来的数字含有下级待核的数据（上报月报的隐藏页记载）：数字待核";
    LowerIncomplete = "E-LOWER-INCOMPLETE", "下级汇总来的数字缺少部分下级单位的数据（上报月报的隐藏页记载）：数字待核";
    LowerDetail = "E-LOWER-DETAIL", "上报月报的下级明细与所填的数不符、缺失或有对不上的行（多半是填好后又手工改过）：数字待核";
    TaskList = "E-TASKLIST", "任务清单某一行不能用：编号为空或重复、目标不是数字、没有责任单位";
    NumParse = "E-NUM-PARSE", "应填数字处填了文字、估计数或范围";
    NumNegative = "E-NUM-NEGATIVE", "应填数字处填了负数";
    NumIncomplete = "E-NUM-INCOMPLETE", "本月完成与自年初累计只填了一个（或填了资金来源而未填累计投资）";
    RowNoId = "E-ROW-NO-ID", "有数据但没有编号的行";
    TaskDupRow = "E-TASK-DUP-ROW", "同一编号在一份报表中出现两次（只采用第一行）";
    TaskUnknown = "E-TASK-UNKNOWN", "任务编号或项目编号不在任务清单中，或任务名称对应不到（或同时对应几项）清单中的任务";
    ReturnUnrecognised = "E-RETURN-UNRECOGNISED", "单位报来的文件打不开或其中没有可以读取的月报表格：单位记为“已报（无法识别）”，不是未报";
    YtdLtMonth = "E-YTD-LT-MONTH", "自年初累计小于本月数";
    CumDecrease = "E-CUM-DECREASE", "累计数比上月小";
    MonthMismatch = "E-MONTH-MISMATCH", "本月数 ≠ 本月累计 − 上月累计（1 月本月数应等于累计数）";
    FundSum = "E-FUND-SUM", "五项资金来源之和不等于自年初累计完成投资";
    PeriodFolder = "E-PERIOD-FOLDER", "文件放在本月的文件夹中，表内却是更早的月份（多半是把上月的文件改了又报来）：不作为本月的月报，单位本月记为未报；也不替换那个月已采用的月报";
    TaskListWarning = "W-TASKLIST", "任务清单某一行需要核实：完成时限无法识别等";
    MissingReturn = "W-MISSING-RETURN", "应报单位未报";
    LowerDirect = "W-LOWER-DIRECT", "下级单位的月报直接报到了本级，而它的数已在上级单位上报的月报中（下级明细）：按上级单位的数汇总，本文件不另计";
    ReturnNotWorkbook = "W-RETURN-NOT-WORKBOOK", "应报单位名下报来的不是工作簿（PDF、Word、图片等）：单位记为未报，请报送 Excel 月报";
    FileNobody = "W-FILE-NOBODY", "文件打不开（加密、损坏或不是工作簿），也认不出是哪个应报单位的：不是月报，未参加汇总";
    ReturnBlank = "W-RETURN-BLANK", "报来的是空白模板（数字、状态、文字和填报日期都没有填）：按未报处理";
    Late = "W-LATE", "填报日期晚于截止日";
    Duplicate = "W-DUPLICATE", "同一单位同一月份有两份报表（采用填报日期较新的一份）";
    IdentityWarning = "W-IDENTITY", "单位或月份前后不一致";
    Date = "W-DATE", "填报日期未填或无法识别";
    TaskNotAssigned = "W-TASK-NOT-ASSIGNED", "报了不归本单位负责的任务";
    TaskNameMismatch = "W-TASK-NAME-MISMATCH", "一行的编号或序号与任务名称指向清单中不同的任务：按名称计入";
    PrevYtdChanged = "W-PREV-YTD", "模板预填的“上月累计”与上月已采用的累计数不同（多半是上月报表在生成模板后更正过）";
    TaskRowMissing = "W-TASK-ROW-MISSING", "缺少某项任务的行";
    InvestMissing = "W-INVEST-MISSING", "缺少固定资产投资表";
    OverTarget = "W-OVER-TARGET", "累计超过年度目标或年度计划投资";
    NumEmpty = "W-NUM-EMPTY", "“—”“无”等按空白处理";
    NumBlank = "W-NUM-BLANK", "应填的本月完成和自年初累计都未填（不计入汇总，不按 0 计）";
    Status = "W-STATUS", "完成状态不在选项中";
    Nature = "W-NATURE", "建设性质不在选项中";
    ColumnMissing = "W-COLUMN-MISSING", "缺少某列";
    UnitNotDue = "W-UNIT-NOT-DUE", "非应报单位的报表（可在配置中补别名）";
    SheetUnrecognised = "W-SHEET-UNRECOGNISED", "月报中有一个工作表像表格，但认不出是哪种表（表头不含任务名称或项目名称、本月完成或自年初累计完成），未读取";
    FileUnrecognised = "W-FILE-UNRECOGNISED", "文件中没有月报表格，也认不出是哪个应报单位的（或该单位另有月报已汇总）";
    TaskListMultiple = "W-TASKLIST-MULTIPLE", "文件夹中有多份任务清单（未使用的各列一条）";
    TaskListChanged = "W-TASKLIST-CHANGED", "月报由另一版任务清单的模板填写";
    PeriodEmpty = "W-PERIOD", "汇总月份没有任何月报，或与任务清单的年份不一致";
    LastYearUnmatched = "W-LAST-YEAR", "去年同期对不上：去年的任务类别今年没有（计入“去年其他类别”），或有去年的月报却找不到去年的任务清单";
    TextClipped = "W-TEXT-CLIPPED", "文字过长，汇总表中已截断";
    TextGoesOn = "I-TEXT-CONTINUED", "文字一格打印不下（超过 Excel 行高上限 409 磅）：汇总表中续在下面的行，标“见续”，未删减";
    NoHistory = "I-NO-HISTORY", "缺上月报表或上月此项未被采用，未做逐月核对";
    OwnLayout = "I-OWN-LAYOUT", "单位没有用模板：说明怎样读的（表头在哪几行、没有编号时按名称对应任务）";
    UnitConverted = "I-UNIT-CONVERTED", "金额单位是元或亿元，已换算为万元";
    GroupExpanded = "I-GROUP-EXPANDED", "责任单位中的统称（如“各市（州）交通运输局”）按配置展开为各成员单位";
    TaskListNote = "I-TASKLIST", "任务清单的读法：没有任务编号时取序号（或类别序号.序号）";
    ExtraColumn = "I-EXTRA-COLUMN", "多余的列，已忽略";
    TotalRow = "I-TOTAL-ROW", "合计行，不计入汇总";
    NotAReturn = "I-NOT-A-RETURN", "不是月报：认不出是哪个应报单位的，表中也没有任务清单中的任务，未参加汇总，也未逐行检查";
    LastYear = "I-LAST-YEAR", "去年同月（或去年12月）的月报：按去年的任务清单读取，只用于投资完成情况表的去年同期和环比，不参加本年汇总和逐月核对";
    OtherYear = "I-OTHER-YEAR", "另一年的月报（如去年的报表），未参加本次汇总";
    BlankTemplate = "I-BLANK-TEMPLATE", "空白模板（什么都没有填），不是月报，未读取：该单位另有月报，或是别的月份的模板";
    FileSkipped = "I-FILE-SKIPPED", "文件夹中不是工作簿的文件（PDF、Word、图片等）或旧汇总表，未读取";
}

impl Code {
    /// The level, from the code's first letter.
    pub fn level(self) -> Level {
        match self.as_str().as_bytes()[0] {
            b'E' => Level::Error,
            b'W' => Level::Warning,
            _ => Level::Info,
        }
    }

    /// The README's table of codes, one row per code.
    pub fn table() -> String {
        let mut s = String::from("| 代码 | 级别 | 含义 |\n|---|---|---|\n");
        for c in Code::ALL {
            s.push_str(&format!(
                "| {} | {} | {} |\n",
                c.as_str(),
                c.level().label(),
                c.meaning()
            ));
        }
        s
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
        let s = String::deserialize(d)?;
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown code {s}")))
    }
}

/// A cell's position within the finding's sheet, zero-based; shown as `F7`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Place {
    pub row: u32,
    pub col: u32,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&a1(self.row, self.col))
    }
}

impl Serialize for Place {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// `F7` back to a place (the worker processes send findings as JSON).
impl<'de> Deserialize<'de> for Place {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Place, D::Error> {
        let s = String::deserialize(d)?;
        let letters = s.chars().take_while(char::is_ascii_uppercase).count();
        let col = s[..letters]
            .bytes()
            .fold(0u32, |acc, b| acc * 26 + (b - b'A' + 1) as u32);
        let row: u32 = s[letters..]
            .parse()
            .map_err(|_| serde::de::Error::custom(format!("not a cell: {s}")))?;
        if letters == 0 || row == 0 {
            return Err(serde::de::Error::custom(format!("not a cell: {s}")));
        }
        Ok(Place {
            row: row - 1,
            col: col - 1,
        })
    }
}

/// One data problem, with where it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub level: Level,
    pub code: Code,
    pub unit: Option<String>,
    pub period: Option<String>,
    /// Relative to the input folder, `/`-separated.
    pub file: Option<String>,
    pub sheet: Option<Arc<str>>,
    pub cell: Option<Place>,
    pub message: String,
}

impl Finding {
    pub fn new(code: Code, message: impl Into<String>) -> Finding {
        Finding {
            level: code.level(),
            code,
            unit: None,
            period: None,
            file: None,
            sheet: None,
            cell: None,
            message: message.into(),
        }
    }
    pub fn unit(mut self, unit: impl Into<String>) -> Self {
        self.unit = Some(unit.into());
        self
    }
    pub fn period(mut self, p: Period) -> Self {
        self.period = Some(p.code());
        self
    }
    pub fn file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }
    pub fn at(mut self, cell: &CellRef) -> Self {
        self.sheet = Some(cell.sheet.clone());
        self.cell = Some(Place {
            row: cell.row,
            col: cell.col,
        });
        self
    }
    pub fn sheet(mut self, sheet: &str) -> Self {
        self.sheet = Some(sheet.into());
        self
    }
}

impl Code {
    /// A finding that a file is no return at all (nobody's file, a file that is no
    /// workbook): counted apart from the units' problems.
    pub fn is_stray(self) -> bool {
        matches!(
            self,
            Code::NotAReturn | Code::FileNobody | Code::FileSkipped
        )
    }
}

/// Counts of the findings by level: errors, warnings, infos.
pub fn counts<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> (usize, usize, usize) {
    findings
        .into_iter()
        .fold((0, 0, 0), |(e, w, i), f| match f.level {
            Level::Error => (e + 1, w, i),
            Level::Warning => (e, w + 1, i),
            Level::Info => (e, w, i + 1),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_levelled_by_their_letter() {
        let mut seen = std::collections::HashSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.as_str()), "{c} twice");
            let want = match &c.as_str()[..2] {
                "E-" => Level::Error,
                "W-" => Level::Warning,
                "I-" => Level::Info,
                other => panic!("{c}: prefix {other}"),
            };
            assert_eq!(c.level(), want, "{c}");
            assert!(!c.meaning().is_empty(), "{c}");
        }
    }

    #[test]
    fn json_names_the_code_and_the_cell_as_people_write_them() {
        let f = Finding::new(Code::NumParse, "x")
            .at(&CellRef::new("重点任务进展", 6, 27))
            .file("a.xlsx");
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(v["code"], "E-NUM-PARSE");
        assert_eq!(v["level"], "error");
        assert_eq!(v["cell"], "AB7");
        assert_eq!(v["sheet"], "重点任务进展");
    }

    #[test]
    fn the_readme_table_is_the_list_of_codes() {
        let readme = include_str!("../README.md");
        assert!(
            readme.contains(&Code::table()),
            "README.md's table of codes must be, word for word:\n{}",
            Code::table()
        );
    }
}
