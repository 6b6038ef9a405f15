//! The command line: clap definitions, turned into resolved settings before any work starts.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::app::{Export, Settings, TemplateSettings};
use crate::error::Result;
use crate::model::Period;

/// The log's file name in the output folder.
pub const LOG_FILE: &str = "huizong.log";

/// 汇总各单位月报：重点任务进展与固定资产投资。
#[derive(Debug, Parser)]
#[command(
    name = "huizong",
    version,
    about = "汇总各单位每月报送的重点任务进展和固定资产投资月报，生成可打印的汇总表、数据问题清单和未报单位名单。",
    after_help = "示例：\n  huizong run samples                         汇总 samples 文件夹中的月报\n  huizong check samples                       只检查数据，列出每个问题所在的单元格\n  huizong template --tasks 任务清单.xlsx --period 2020-07 --out 模板\n                                              为每个责任单位生成 7 月的月报模板"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
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
        after_help = "示例：\n  huizong run samples\n  huizong run 6月报表 --period 2020-06 --out 汇总结果\n  huizong run 报表 --strict --quiet     （供定时脚本使用：数据有错误时退出码为 1）\n\n退出码：0 已生成汇总表；1 使用 --strict 且数据有错误；2 无法运行（找不到任务清单、配置错误、无法写入等）。"
    )]
    Run {
        /// 存放月报的文件夹（含子文件夹）
        dir: PathBuf,
        #[command(flatten)]
        common: Common,
        /// 汇总表输出文件夹
        #[arg(long, default_value = "output")]
        out: PathBuf,
        /// 另外导出汇总明细表：csv 或 parquet
        #[arg(long, value_enum)]
        export: Option<ExportFormat>,
        /// 并行线程数：同时读取的文件数，写出汇总表与退回修改表时同样适用（默认等于 CPU 核数）
        #[arg(long)]
        jobs: Option<usize>,
        /// 不显示进度和结束时的统计
        #[arg(long)]
        quiet: bool,
        /// 数据有错误时以退出码 1 结束（供定时脚本使用）
        #[arg(long)]
        strict: bool,
    },
    /// 检查：只检查数据，按单位列出每个问题及其单元格，不生成汇总表。
    #[command(
        after_help = "示例：\n  huizong check samples\n  huizong check samples --format json > 问题.jsonl\n\n退出码：0 没有错误；1 数据有错误；2 无法运行。"
    )]
    Check {
        /// 存放月报的文件夹（含子文件夹）
        dir: PathBuf,
        #[command(flatten)]
        common: Common,
        /// 输出格式：text（中文列表）或 json（每行一条）
        #[arg(long, value_enum, default_value = "text")]
        format: CheckFormat,
    },
    /// 生成月报模板：为任务清单中的每个责任单位生成预填的月报。
    #[command(
        after_help = "示例：\n  huizong template --tasks 任务清单.xlsx --period 2020-07 --out 模板\n  huizong template --blank      （生成空白的 templates/任务清单模板.xlsx 和 templates/月报模板.xlsx）"
    )]
    Template {
        /// 任务清单文件（默认在当前文件夹中查找）
        #[arg(long)]
        tasks: Option<PathBuf>,
        /// 配置文件（默认为任务清单所在文件夹的 huizong.toml，否则用内置配置）
        #[arg(long)]
        config: Option<PathBuf>,
        /// 报送月份，如 2020-07
        #[arg(long, required_unless_present = "blank")]
        period: Option<String>,
        /// 模板输出文件夹（默认 output；与 --blank 一起使用时默认 templates）
        #[arg(long)]
        out: Option<PathBuf>,
        /// 生成空白模板（不预填单位和任务）
        #[arg(long)]
        blank: bool,
    },
}

/// Flags shared by `run` and `check`.
#[derive(Debug, clap::Args)]
pub struct Common {
    /// 任务清单文件（默认在文件夹中按表头自动查找）
    #[arg(long)]
    pub tasks: Option<PathBuf>,
    /// 配置文件（默认为文件夹中的 huizong.toml，否则用内置配置）
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// 汇总月份，如 2020-06（默认为文件夹中最新的月份）
    #[arg(long)]
    pub period: Option<String>,
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
            } => Resolved::Run {
                settings: settings(dir, common, out.clone(), jobs, quiet, out.join(LOG_FILE))?,
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
                )?,
                format,
            },
            Command::Template {
                tasks,
                config,
                period,
                out,
                blank,
            } => Resolved::Template(TemplateSettings {
                tasks,
                config,
                period: period.as_deref().map(str::parse::<Period>).transpose()?,
                out: out
                    .unwrap_or_else(|| PathBuf::from(if blank { "templates" } else { "output" })),
                blank,
                worker: std::env::current_exe().ok(),
                log: temp_log("template"),
            }),
        })
    }
}
