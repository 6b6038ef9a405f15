//! The `huizong` binary: parse the flags, run the command, turn the result into an exit code.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use huizong::ExitStatus;
use huizong::app;
use huizong::cli::{CheckFormat, Cli, Resolved};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                ExitStatus::Failure as u8
            } else {
                0
            });
        }
    };
    let status = match run(cli) {
        Ok(s) => s,
        Err(e) => {
            let mut msg = format!("错误：{e}");
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                msg.push_str(&format!("\n  原因：{s}"));
                source = s.source();
            }
            eprintln!("{msg}");
            ExitStatus::Failure
        }
    };
    ExitCode::from(status as u8)
}

fn run(cli: Cli) -> huizong::error::Result<ExitStatus> {
    match cli.resolve()? {
        Resolved::Run {
            settings,
            export,
            quiet,
            strict,
        } => {
            let outcome = app::run(&settings)?;
            if let Some(format) = export {
                app::export(&outcome, &settings.out, format)?;
            }
            if !quiet {
                eprint!("{}", app::run_report(&outcome));
            }
            let (errors, ..) = app::counts(&outcome.loaded.batch.findings);
            Ok(if strict && errors > 0 {
                ExitStatus::DataErrors
            } else {
                ExitStatus::Success
            })
        }
        Resolved::Check { settings, format } => {
            let loaded = app::load(&settings)?;
            let text = match format {
                CheckFormat::Json => app::check_json(&loaded.batch),
                CheckFormat::Text => app::check_text(&loaded.batch),
            };
            if format == CheckFormat::Json {
                let mut out = std::io::stdout().lock();
                // A closed pipe (`| head`) is not an error.
                let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
            } else {
                eprint!("{text}");
            }
            let (errors, ..) = app::counts(&loaded.batch.findings);
            Ok(if errors > 0 {
                ExitStatus::DataErrors
            } else {
                ExitStatus::Success
            })
        }
        Resolved::Template(t) => {
            let written = app::template(&t)?;
            eprintln!(
                "已生成 {} 个模板，保存在 {}",
                written.len(),
                t.out.display()
            );
            Ok(ExitStatus::Success)
        }
    }
}
