//! huizong (汇总): consolidates the monthly Excel returns of many units on a list of key tasks
//! and their fixed-asset investment into a print-ready summary workbook, with every data
//! problem named by file, sheet and cell.
//!
//! Data flows one way: [`discover`] → [`read`] (calamine) → typed rows ([`returns`],
//! [`tasklist`]) → [`validate`] (pure) → [`consolidate`] (polars) → [`write`]
//! (rust_xlsxwriter). [`app`] wires the commands together.

pub mod app;
pub mod cli;
pub mod config;
pub mod consolidate;
pub mod correction;
pub mod discover;
pub mod double_click;
pub mod error;
pub mod export;
pub mod guard;
pub mod layout;
pub mod messages;
pub mod model;
pub mod normalize;
pub mod read;
pub mod returns;
pub mod samples;
pub mod tasklist;
pub mod validate;
pub mod write;

/// The exit status of a command, documented once (DESIGN.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// `run`: the summary was written. `check`: no errors in the data.
    Success = 0,
    /// `run --strict` or `check`: the data holds errors.
    DataErrors = 1,
    /// Could not run: no task list, bad config, output not writable, bad flags.
    Failure = 2,
}
