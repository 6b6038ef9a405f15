//! The command line: clap definitions, turned into resolved settings before any work starts.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{ArgAction, Parser, Subcommand, ValueEnum};

use crate::app::{Export, Settings, TasksSettings, TemplateSettings};
use crate::error::Result;
use crate::model::Period;

/// The log's file name in the output folder.
pub const LOG_FILE: &str = crate::layout::files::LOG;

/// The help page's layout, in Chinese: clap's own headings (`Usage:`, `Options:`) are
/// English.
const HELP: &str = "{about-with-newline}\n用法：{usage}\n\n{all-args}{after-help}";

/// 汇总各单位月报：重点任务进展与固定资产投资。
#[derive(Debug, Parser)]
#[command(
    name = "huizong",
    version,
    about = "汇总各单位每月报送的重点任务进展和固定资产投资月报，生成可打印的汇总表、数据问题清单和未报单位名单。",
    override_usage = "huizong <命令> [选项]",
    help_template = HELP,
    subcommand_help_heading = "命令",
    subcommand_value_name = "命令",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    after_help = "示例：\n  huizong run samples                         汇总 samples 文件夹中的月报\n  huizong check samples                       只检查数据，列出每个问题所在的单元格\n  huizong template --tasks 任务清单.xlsx --period 2020-07 --out 模板\n                                              为每个责任单位生成 7 月的月报模板\n\n每个命令的说明：huizong <命令> --help，例如 huizong run --help"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// 显示帮助
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true, help_heading = "选项", display_order = 100)]
    help: Option<bool>,
    /// 显示版本号
    #[arg(short = 'V', long = "version", action = ArgAction::Version, help_heading = "选项", display_order = 101)]
    version: Option<bool>,
}

/// `--export` formats.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Parquet,
}

/// `check --format`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum CheckFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// 汇总：读取文件夹中的全部月报，检查数据，生成汇总表。
    #[command(
        override_usage = "huizong run <文件夹> [选项]",
        help_template = HELP,
        disable_help_flag = true,
        after_help = "示例：\n  huizong run samples\n  huizong run 6月报表 --period 2020-06 --out 汇总结果\n  huizong run 报表 --strict --quiet     （供定时脚本使用：数据有错误时退出码为 1）\n\n结果写在当前文件夹下的 output 文件夹中（可用 --out 指定）。\n退出码：0 已生成汇总表；1 使用 --strict 且数据有错误（或该月没有任何月报）；2 无法运行（找不到任务清单、配置错误、无法写入等）。"
    )]
    Run {
        /// 存放月报的文件夹（含子文件夹）；必填
        #[arg(value_name = "文件夹", help_heading = "参数")]
        dir: PathBuf,
        #[command(flatten)]
        common: Common,
        /// 汇总表输出文件夹（默认：当前文件夹下的 output）
        #[arg(
            long,
            value_name = "文件夹",
            default_value = "output",
            hide_default_value = true,
            help_heading = "选项"
        )]
        out: PathBuf,
        /// 另外导出汇总明细表：csv 或 parquet
        #[arg(
            long,
            value_enum,
            value_name = "格式",
            hide_possible_values = true,
            help_heading = "选项"
        )]
        export: Option<ExportFormat>,
        /// 并行线程数：同时读取的文件数，写出汇总表与退回修改表时同样适用（默认等于 CPU 核数）
        #[arg(long, value_name = "数量", help_heading = "选项")]
        jobs: Option<usize>,
        /// 不显示进度和结束时的统计
        #[arg(long, help_heading = "选项")]
        quiet: bool,
        /// 数据有错误或该月没有任何月报时以退出码 1 结束（供定时脚本使用）
        #[arg(long, help_heading = "选项")]
        strict: bool,
        /// 去年同期月报所在的文件夹（含去年的任务清单），用于投资完成情况表的去年同期和同比
        #[arg(long, value_name = "文件夹", help_heading = "选项")]
        last_year: Option<PathBuf>,
        /// 投资完成情况表的金额单位：万元 或 亿元（亿元时舍位平衡）
        #[arg(
            long,
            value_name = "单位",
            value_parser = ["万元", "亿元"],
            hide_possible_values = true,
            help_heading = "选项"
        )]
        amount_unit: Option<String>,
        /// 上级发给本单位的月报模板：按本月汇总结果填好，写在输出文件夹的“上报”中，可直接报给上级
        #[arg(long, value_name = "文件", help_heading = "选项")]
        report_to: Option<PathBuf>,
    },
    /// 检查：只检查数据，按单位列出每个问题及其单元格，不生成汇总表。
    #[command(
        override_usage = "huizong check <文件夹> [选项]",
        help_template = HELP,
        disable_help_flag = true,
        after_help = "示例：\n  huizong check samples\n  huizong check samples > 问题.txt            （问题列表保存到文件，屏幕上只显示统计）\n  huizong check samples --format json > 问题.jsonl\n\n退出码：0 没有错误；1 数据有错误；2 无法运行。"
    )]
    Check {
        /// 存放月报的文件夹（含子文件夹）；必填
        #[arg(value_name = "文件夹", help_heading = "参数")]
        dir: PathBuf,
        #[command(flatten)]
        common: Common,
        /// 输出格式：text（中文列表，默认）或 json（每行一条）
        #[arg(
            long,
            value_enum,
            value_name = "格式",
            default_value = "text",
            hide_default_value = true,
            hide_possible_values = true,
            help_heading = "选项"
        )]
        format: CheckFormat,
    },
    /// 生成月报模板：为任务清单中的每个责任单位生成预填的月报。
    #[command(
        override_usage = "huizong template --period <月份> [选项]\n      huizong template --blank [选项]",
        help_template = HELP,
        disable_help_flag = true,
        after_help = "示例：\n  huizong template --tasks 任务清单.xlsx --period 2020-07 --out 模板\n  huizong template --tasks 任务清单.xlsx --period 2020-07 --history 报表   （加“上月累计”列，取报表文件夹中本单位已采用的累计数）\n  huizong template --blank      （生成空白的 templates/任务清单模板.xlsx 和 templates/月报模板.xlsx）"
    )]
    Template {
        /// 任务清单文件（默认在当前文件夹中查找）
        #[arg(long, value_name = "文件", help_heading = "选项")]
        tasks: Option<PathBuf>,
        /// 配置文件（默认为任务清单所在文件夹的 huizong.toml，否则用内置配置）
        #[arg(long, value_name = "文件", help_heading = "选项")]
        config: Option<PathBuf>,
        /// 报送月份，如 2020-07；必填（生成空白模板时不用）
        #[arg(
            long,
            value_name = "月份",
            required_unless_present = "blank",
            help_heading = "选项"
        )]
        period: Option<String>,
        /// 模板输出文件夹（默认：当前文件夹下的 output；与 --blank 一起使用时默认 templates）
        #[arg(long, value_name = "文件夹", help_heading = "选项")]
        out: Option<PathBuf>,
        /// 存放以前月份月报的文件夹：模板加一列“上月累计”，预填本单位上月已采用的自年初累计完成
        #[arg(long, value_name = "文件夹", help_heading = "选项")]
        history: Option<PathBuf>,
        /// 生成空白模板（不预填单位和任务）
        #[arg(long, help_heading = "选项")]
        blank: bool,
    },
    /// 生成本级任务清单：从上级发来的月报模板生成本单位的任务清单，供向下级布置任务、逐级汇总。
    #[command(
        override_usage = "huizong tasks --from <上级模板> [选项]",
        help_template = HELP,
        disable_help_flag = true,
        after_help = "示例：\n  huizong tasks --from 长春市交通运输局_2020年7月_月报.xlsx\n  huizong tasks --from 省厅模板.xlsx --out 本级\n\n生成的任务清单保留上级的任务编号、名称、类别、完成时限和下达给本单位的目标；\n请在“责任单位”列填写下级单位，再用 huizong template 为下级生成月报模板。\n汇总下级月报时加 --report-to <上级模板>，即可生成报给上级的月报。"
    )]
    Tasks {
        /// 上级发给本单位的月报模板（由 huizong template 生成）；必填
        #[arg(long, value_name = "文件", help_heading = "选项")]
        from: PathBuf,
        /// 任务清单的输出文件夹（默认：当前文件夹）
        #[arg(long, value_name = "文件夹", help_heading = "选项")]
        out: Option<PathBuf>,
    },
}

/// Flags shared by `run` and `check`.
#[derive(Debug, clap::Args)]
pub struct Common {
    /// 任务清单文件（默认在文件夹中按表头自动查找）
    #[arg(long, value_name = "文件", help_heading = "选项")]
    pub tasks: Option<PathBuf>,
    /// 配置文件（默认为文件夹中的 huizong.toml，否则用内置配置）
    #[arg(long, value_name = "文件", help_heading = "选项")]
    pub config: Option<PathBuf>,
    /// 汇总月份，如 2020-06（默认为各应报单位月报中最新的月份）
    #[arg(long, value_name = "月份", help_heading = "选项")]
    pub period: Option<String>,
}

/// What clap says of a command line it cannot take, in Chinese, with the usage line and
/// where to find help; help and version pages as clap lays them out (their headings are
/// already Chinese). The exit status stays clap's: 0 for help, 2 for a mistake.
pub fn explain(e: &clap::Error, args: &[String]) -> (String, i32) {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let get = |k: ContextKind| -> Vec<String> {
        match e.get(k) {
            Some(ContextValue::String(s)) => vec![s.clone()],
            Some(ContextValue::Strings(v)) => v.clone(),
            Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
            Some(ContextValue::StyledStrs(v)) => v.iter().map(|s| s.to_string()).collect(),
            Some(ContextValue::Number(n)) => vec![n.to_string()],
            _ => Vec::new(),
        }
    };
    let first = |k: ContextKind| get(k).into_iter().next().unwrap_or_default();
    let quoted = |v: Vec<String>| {
        v.iter()
            .map(|x| format!("“{x}”"))
            .collect::<Vec<_>>()
            .join("、")
    };
    let usage = first(ContextKind::Usage)
        .trim()
        .trim_start_matches("Usage:")
        .trim()
        .to_string();
    // The command the mistake is in, for the help hint.
    let command = args
        .iter()
        .map(String::as_str)
        .find(|a| ["run", "check", "template"].contains(a));
    let help = match command {
        Some(c) => format!("huizong {c} --help"),
        None => "huizong --help".to_string(),
    };
    let text = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => return (help_page(e), 0),
        // `huizong` alone: the help page, as a mistake.
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => return (help_page(e), 2),
        ErrorKind::MissingSubcommand => {
            "缺少命令：请写 run（汇总）、check（检查）或 template（生成模板）".to_string()
        }
        ErrorKind::InvalidSubcommand => {
            let bad = first(ContextKind::InvalidSubcommand);
            let hint = match get(ContextKind::SuggestedSubcommand).first() {
                Some(s) => format!("是不是要用 {s}？"),
                None => String::new(),
            };
            format!(
                "没有“{bad}”这个命令。{hint}可用的命令：run（汇总）、check（检查）、template（生成模板）"
            )
        }
        ErrorKind::MissingRequiredArgument => {
            let missing = get(ContextKind::InvalidArg);
            let what: Vec<String> = missing.iter().map(|m| describe_arg(m)).collect();
            format!("缺少必填的{}", what.join("、"))
        }
        ErrorKind::InvalidValue => {
            let arg = first(ContextKind::InvalidArg);
            let value = first(ContextKind::InvalidValue);
            let valid = get(ContextKind::ValidValue);
            let name = arg.split_whitespace().next().unwrap_or(&arg).to_string();
            if value.is_empty() {
                format!("{name} 后面缺少值")
            } else if valid.is_empty() {
                format!("{name} 的值“{value}”不可用")
            } else {
                format!("{name} 的值“{value}”不可用，只能是：{}", valid.join("、"))
            }
        }
        ErrorKind::ValueValidation => {
            let arg = first(ContextKind::InvalidArg);
            let value = first(ContextKind::InvalidValue);
            let name = arg.split_whitespace().next().unwrap_or(&arg).to_string();
            format!("{name} 的值“{value}”不对，应为数字")
        }
        ErrorKind::UnknownArgument => {
            let bad = first(ContextKind::InvalidArg);
            let hint = match get(ContextKind::SuggestedArg).first() {
                Some(s) => format!("是不是要用 {s}？"),
                None => String::new(),
            };
            if bad.starts_with('-') {
                format!("不认识的选项“{bad}”。{hint}")
            } else {
                format!("多余的参数“{bad}”（文件夹只能写一个；路径中有空格时请加引号）。{hint}")
            }
        }
        ErrorKind::ArgumentConflict => {
            let args = get(ContextKind::InvalidArg);
            let prior = get(ContextKind::PriorArg);
            format!("{} 不能与 {} 一起使用", quoted(args), quoted(prior))
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("{} 的值个数不对", quoted(get(ContextKind::InvalidArg)))
        }
        ErrorKind::NoEquals => format!(
            "{} 需要写成 --选项=值",
            quoted(get(ContextKind::InvalidArg))
        ),
        ErrorKind::InvalidUtf8 => "命令行中有无法识别的字符".to_string(),
        _ => "命令行参数有误".to_string(),
    };
    let usage = if usage.is_empty() {
        String::new()
    } else {
        format!("\n用法：{usage}")
    };
    let text = text.trim_end_matches('。');
    // A sentence ending in a question (`是不是要用 --out？`) takes no full stop after it.
    let stop = if text.ends_with('？') { "" } else { "。" };
    (format!("错误：{text}{stop}{usage}\n说明：{help}\n"), 2)
}

/// A help page as clap lays it out, its headings ending in a Chinese colon.
fn help_page(e: &clap::Error) -> String {
    let mut page = e.to_string();
    for heading in ["命令", "参数", "选项"] {
        page = page.replace(&format!("\n{heading}:\n"), &format!("\n{heading}：\n"));
    }
    page
}

/// `huizong help [命令]` as `huizong [命令] --help`: clap's own help sub-command is off (its
/// words are English).
pub fn help_alias(args: Vec<String>) -> Vec<String> {
    match args.get(1).map(String::as_str) {
        Some("help") => {
            let mut out = vec![args[0].clone()];
            out.extend(args[2..].iter().cloned());
            out.push("--help".to_string());
            out
        }
        _ => args,
    }
}

/// A missing argument as the help page names it: `<文件夹>` → 文件夹, `--period <月份>` → 选项
/// --period（月份）.
fn describe_arg(arg: &str) -> String {
    let arg = arg.trim();
    if let Some(inner) = arg.strip_prefix('<').and_then(|a| a.strip_suffix('>')) {
        return format!("参数：{inner}");
    }
    match arg.split_once(' ') {
        Some((flag, value)) => format!(
            "选项 {flag}（{}）",
            value.trim_start_matches('<').trim_end_matches('>')
        ),
        None => format!("选项 {arg}"),
    }
}

/// A log in the system's temporary folder, for commands that write no output folder of
/// their own.
fn temp_log(command: &str) -> PathBuf {
    std::env::temp_dir().join(format!("huizong-{command}-{}.log", std::process::id()))
}

fn settings(
    dir: PathBuf,
    common: Common,
    out: PathBuf,
    jobs: Option<usize>,
    quiet: bool,
    log: PathBuf,
    (last_year, amount_unit, report_to): (Option<PathBuf>, Option<String>, Option<PathBuf>),
) -> Result<Settings> {
    Ok(Settings {
        dir,
        tasks: common.tasks,
        config: common.config,
        period: common
            .period
            .as_deref()
            .map(str::parse::<Period>)
            .transpose()?,
        out,
        jobs,
        progress: !quiet && std::io::stderr().is_terminal(),
        worker: std::env::current_exe().ok(),
        log,
        last_year,
        amount_unit,
        report_to,
    })
}

/// A command with its settings resolved.
#[derive(Debug)]
pub enum Resolved {
    Run {
        settings: Settings,
        export: Option<Export>,
        quiet: bool,
        strict: bool,
    },
    Check {
        settings: Settings,
        format: CheckFormat,
    },
    Template(TemplateSettings),
    Tasks(TasksSettings),
}

impl Cli {
    /// Resolves the raw flags.
    pub fn resolve(self) -> Result<Resolved> {
        Ok(match self.command {
            Command::Run {
                dir,
                common,
                out,
                export,
                jobs,
                quiet,
                strict,
                last_year,
                amount_unit,
                report_to,
            } => Resolved::Run {
                settings: settings(
                    dir,
                    common,
                    out.clone(),
                    jobs,
                    quiet,
                    out.join(LOG_FILE),
                    (last_year, amount_unit, report_to),
                )?,
                export: export.map(|e| match e {
                    ExportFormat::Csv => Export::Csv,
                    ExportFormat::Parquet => Export::Parquet,
                }),
                quiet,
                strict,
            },
            Command::Check {
                dir,
                common,
                format,
            } => Resolved::Check {
                settings: settings(
                    dir,
                    common,
                    PathBuf::from("output"),
                    None,
                    true,
                    temp_log("check"),
                    (None, None, None),
                )?,
                format,
            },
            Command::Template {
                tasks,
                config,
                period,
                out,
                history,
                blank,
            } => Resolved::Template(TemplateSettings {
                tasks,
                config,
                history,
                period: period.as_deref().map(str::parse::<Period>).transpose()?,
                out: out
                    .unwrap_or_else(|| PathBuf::from(if blank { "templates" } else { "output" })),
                blank,
                worker: std::env::current_exe().ok(),
                log: temp_log("template"),
            }),
            Command::Tasks { from, out } => Resolved::Tasks(TasksSettings {
                from,
                out: out.unwrap_or_else(|| PathBuf::from(".")),
                worker: std::env::current_exe().ok(),
                log: temp_log("tasks"),
            }),
        })
    }
}
