//! huizong (汇总): consolidates the monthly Excel returns of many units on a list of key tasks
//! and their fixed-asset investment into a print-ready summary workbook, with every data
//! problem named by file, sheet and cell.
//!
//! Data flows one way, and the folders say it: [`discover`] → [`read`] (calamine) →
//! [`interpret`] (typed rows: returns, the task list) → validate (pure: decides which rows are accepted) → consolidate (polars: every figure,
//! tally and status) → [`write`] (rust_xlsxwriter: lays out cells). [`app`] wires the
//! commands together; `docs/architecture.md` draws the whole house.
//!
//! Public are the modules the binary, the tests, the examples and the fuzz target use.

pub mod app;
mod atomic;
mod cell;
pub mod cli;
pub mod config;
pub mod consolidate;
mod correction;
mod discover;
pub mod double_click;
pub mod error;
mod export;
pub mod finding;
pub mod interpret;
mod labels;
mod layout;
pub mod log;
mod messages;
pub mod model;
mod normalize;
mod period;
pub mod read;
pub mod report;
#[cfg(feature = "samples")]
pub mod samples;
#[cfg(test)]
mod testkit;
mod validate;
pub mod write;

/// The exit status of a command, documented once (docs/architecture.md; README).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// `run`: the summary was written. `check`: no errors in the data.
    Success = 0,
    /// `run --strict` or `check`: the data holds errors.
    DataErrors = 1,
    /// Could not run: no task list, bad config, output not writable, bad flags.
    Failure = 2,
}
