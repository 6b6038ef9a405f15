//! What a workbook read says, in the domain's terms: a return's identity and typed rows
//! (`returns`), the task list (`tasklist`). Pure code over what `read` found; every bad
//! cell a finding.

pub mod returns;
pub(crate) mod tasklist;
pub mod upper;
