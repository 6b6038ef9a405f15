//! Month-over-month checks: a figure against last month's year-to-date.

use super::batch::{TOLERANCE, UnitReturn};
use crate::finding::{Code, Finding};
use crate::messages as msg;
use crate::model::{NumField, Period};

/// A finding on one figure of a return.
pub(super) fn err(
    code: Code,
    ret: &UnitReturn,
    file: &Option<String>,
    field: &NumField,
    text: String,
) -> Finding {
    Finding::new(code, text)
        .unit(ret.unit.clone())
        .period(ret.period)
        .file(file.clone().unwrap_or_default())
        .at(&field.at)
}

/// Month-over-month checks of one figure against last month's year-to-date.
#[allow(clippy::too_many_arguments)]
pub(super) fn check_cumulative(
    ret: &UnitReturn,
    file: &Option<String>,
    month: &NumField,
    ytd: &NumField,
    prev: Option<(f64, &str)>,
    period: Period,
    has_prev_return: bool,
    findings: &mut Vec<Finding>,
) {
    let Some(y) = ytd.value else {
        return;
    };
    if let Some(m) = month.value
        && y + TOLERANCE < m
    {
        findings.push(err(
            Code::YtdLtMonth,
            ret,
            file,
            ytd,
            msg::ytd_below_month(y, m),
        ));
        return;
    }
    if period.month == 1 {
        if let Some(m) = month.value
            && (m - y).abs() > TOLERANCE
        {
            findings.push(err(
                Code::MonthMismatch,
                ret,
                file,
                month,
                msg::january_mismatch(m, y),
            ));
        }
        return;
    }
    if !has_prev_return {
        return;
    }
    let (p, prev_file) = prev.unwrap_or((0.0, ""));
    let prev_label = period
        .previous_in_year()
        .map(Period::label)
        .unwrap_or_default();
    if y + TOLERANCE < p {
        findings.push(err(
            Code::CumDecrease,
            ret,
            file,
            ytd,
            msg::cum_decrease(y, p, &prev_label, prev_file),
        ));
    } else if let Some(m) = month.value
        && (m - (y - p)).abs() > TOLERANCE
    {
        findings.push(err(
            Code::MonthMismatch,
            ret,
            file,
            month,
            msg::month_mismatch(m, y, p),
        ));
    }
}
