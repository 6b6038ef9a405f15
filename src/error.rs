//! Errors that stop a command: bad flags, bad configuration, no task list, unwritable output.
//!
//! Data problems are never errors here: they are [`crate::model::Finding`]s and the batch
//! goes on. What is left is what prevents any useful result (exit status 2).

use std::path::PathBuf;

/// A failure that stops the command (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The configuration file could not be read.
    #[error("无法读取配置文件 {path}")]
    ConfigRead {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The configuration file is not valid TOML or holds an unknown key or a wrong value.
    #[error("配置文件 {path} 有误：{detail}")]
    ConfigParse { path: String, detail: String },
    /// A configuration value is out of range.
    #[error("配置项 {key} 的值不合理：{detail}")]
    ConfigValue { key: &'static str, detail: String },
    /// The input folder does not exist or is not a folder.
    #[error("找不到数据文件夹 {0}")]
    NoInputDir(PathBuf),
    /// A file was named where the folder of returns is expected.
    #[error("{0} 是一个文件，不是文件夹：请写月报所在的文件夹（如 huizong run 报表）")]
    InputIsFile(PathBuf),
    /// No task list was found in the folder and none was named.
    #[error(
        "在 {0} 中没有找到任务清单（表头含“任务名称”或“重点任务”、“责任单位”或“牵头单位”的工作表）。请把任务清单放进该文件夹，或用 --tasks 指定"
    )]
    NoTaskList(PathBuf),
    /// The named task list could not be read as a task list.
    #[error("任务清单 {path} 无法使用：{detail}")]
    BadTaskList { path: PathBuf, detail: String },
    /// The template named by `tasks --from` or `run --report-to` cannot serve.
    #[error("上级模板 {path} 无法使用：{detail}")]
    BadUpperTemplate { path: PathBuf, detail: String },
    /// `tasks --from` would overwrite the lower office's task list.
    #[error(
        "{0} 已存在，未覆盖（其中可能已填好责任单位）。如需重新生成，请先改名或移走该文件，或用 --out 指定另一个文件夹"
    )]
    WouldOverwrite(PathBuf),
    /// No return was found for any period and none was given.
    #[error(
        "在 {0} 中没有找到任何月报，无法确定汇总月份。请用 --period 指定，例如 --period 2020-06"
    )]
    NoPeriod(PathBuf),
    /// A `--period` value that is not `YYYY-MM`.
    #[error("报送月份“{0}”格式不对，应写成 YYYY-MM，例如 2020-06")]
    BadPeriod(String),
    /// An output file or folder could not be written. The hint (a file open in Excel or WPS,
    /// a folder without write permission) is the cause's, said once in the chain.
    #[error("无法写入 {path}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The workbook writer failed.
    #[error("生成工作簿 {path} 失败")]
    Xlsx {
        path: PathBuf,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The document writer failed.
    #[error("生成文档 {path} 失败")]
    Docx {
        path: PathBuf,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// Consolidation failed (an internal error: please report it).
    #[error("汇总计算失败（程序内部错误，请把数据文件夹发给开发者）")]
    Consolidate(#[source] Box<dyn std::error::Error + Send + Sync>),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error with its whole cause chain, as the console shows it.
pub fn chain(e: &Error) -> String {
    let mut msg = format!("错误：{e}");
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let reason = match s.downcast_ref::<std::io::Error>() {
            Some(io) => crate::messages::io_reason(io),
            None => s.to_string(),
        };
        msg.push_str(&format!("\n  原因：{reason}"));
        source = s.source();
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file open in Excel: the hint is said once, by the cause.
    #[test]
    fn a_write_errors_hint_is_said_once() {
        let e = Error::Write {
            path: PathBuf::from("output/汇总.xlsx"),
            source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
        };
        let text = chain(&e);
        assert!(
            text.starts_with("错误：无法写入 output/汇总.xlsx"),
            "{text}"
        );
        assert_eq!(text.matches("Excel/WPS").count(), 1, "{text}");
        assert!(text.contains("原因：没有读写权限"), "{text}");
    }
}
