//! Month-over-month checks: a figure against the earlier months' accepted year-to-date.
//!
//! Only a figure that was accepted is history: one read as a number, not below the latest
//! earlier accepted figure, not below its own month, and (when the month before it was
//! accepted) agreeing with it. A rejected or blank figure is never compared with, and
//! nothing is compared with a 0 that nobody reported.

use super::batch::{PastReturn, TOLERANCE, UnitReturn, finding_in};
use crate::finding::{Code, Finding};
use crate::messages as msg;
use crate::model::{NumField, PastRow, Period};

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

/// Which table a figure is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Table {
    Progress,
    Invest,
}

/// The latest accepted figure of an earlier month.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Earlier<'a> {
    pub ytd: f64,
    pub period: Period,
    pub file: &'a str,
}

/// The month just before, as far as one id is concerned.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum JustBefore {
    /// Its year-to-date was accepted.
    Accepted(f64),
    /// Its return has the table, but this id's figure is absent, blank or was not accepted.
    NotAccepted,
    /// No return of that month has the table (the return-level I-NO-HISTORY says so).
    NoReturn,
}

/// What the earlier months of the year say about one id.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct History<'a> {
    pub latest: Option<Earlier<'a>>,
    pub just_before: JustBefore,
}

/// The history of `id` in `past` (the unit's earlier returns of the year, oldest first),
/// as seen from `period`.
pub(super) fn history_of<'a>(
    past: &[&'a PastReturn],
    id: &str,
    table: Table,
    period: Period,
) -> History<'a> {
    let mut latest: Option<Earlier<'a>> = None;
    let mut just_before = JustBefore::NoReturn;
    let before = period.previous_in_year();
    for p in past {
        let (file, rows) = match table {
            Table::Progress => (p.progress_file.as_deref(), &p.rows.progress),
            Table::Invest => (p.invest_file.as_deref(), &p.rows.invest),
        };
        let Some(file) = file else { continue };
        let row = rows.iter().find(|r| r.id == id);
        let accepted = row.and_then(|r| accepted_ytd(r, p.period, latest.as_ref()));
        if Some(p.period) == before {
            just_before = accepted.map_or(JustBefore::NotAccepted, JustBefore::Accepted);
        }
        if let Some(ytd) = accepted {
            latest = Some(Earlier {
                ytd,
                period: p.period,
                file,
            });
        }
    }
    History {
        latest,
        just_before,
    }
}

/// An earlier month's year-to-date, if it passes the checks its own month would have made
/// (`latest`: the latest accepted figure before it).
pub(super) fn accepted(row: &PastRow, period: Period, latest: Option<&Earlier<'_>>) -> Option<f64> {
    accepted_ytd(row, period, latest)
}

/// An earlier month's year-to-date, if it passes the checks its own month would have made.
fn accepted_ytd(row: &PastRow, period: Period, latest: Option<&Earlier<'_>>) -> Option<f64> {
    let y = row.ytd?;
    if row.month.is_some_and(|m| y + TOLERANCE < m) {
        return None;
    }
    if period.month == 1 {
        return match row.month {
            Some(m) if (m - y).abs() > TOLERANCE => None,
            _ => Some(y),
        };
    }
    if let Some(e) = latest {
        if y + TOLERANCE < e.ytd {
            return None;
        }
        if Some(e.period) == period.previous_in_year()
            && row
                .month
                .is_some_and(|m| (m - (y - e.ytd)).abs() > TOLERANCE)
        {
            return None;
        }
    }
    Some(y)
}

/// Month-over-month checks of one figure against its history. A template made with
/// `--history` carries 上月累计 (`prev`): it is checked against the month's accepted figure
/// when that is in the folder, and stands in for it when it is not.
pub(super) fn check_cumulative(
    ret: &UnitReturn,
    file: &Option<String>,
    month: &NumField,
    ytd: &NumField,
    prev: Option<&NumField>,
    history: &History<'_>,
    findings: &mut Vec<Finding>,
) {
    let prev_value = prev.and_then(|p| p.value);
    if let (Some(p), JustBefore::Accepted(h)) = (prev, &history.just_before)
        && let Some(v) = p.value
        && (v - h).abs() > TOLERANCE
    {
        findings.push(
            finding_in(
                ret,
                ret.period,
                Code::PrevYtdChanged,
                msg::prev_ytd_changed(v, *h),
                file,
            )
            .at(&p.at),
        );
    }
    let Some(y) = ytd.value else {
        return;
    };
    let period = ret.period;
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
    if let Some(e) = &history.latest
        && y + TOLERANCE < e.ytd
    {
        findings.push(err(
            Code::CumDecrease,
            ret,
            file,
            ytd,
            msg::cum_decrease(y, e.ytd, &e.period.label(), e.file),
        ));
        return;
    }
    let Some(m) = month.value else { return };
    // Without last month's return in the folder, the template's 上月累计 is the baseline.
    let just_before = match (&history.just_before, prev_value) {
        (JustBefore::NoReturn, Some(v)) => JustBefore::Accepted(v),
        (other, _) => other.clone(),
    };
    match just_before {
        JustBefore::Accepted(p) if (m - (y - p)).abs() > TOLERANCE => {
            findings.push(err(
                Code::MonthMismatch,
                ret,
                file,
                month,
                msg::month_mismatch(m, y, p),
            ));
        }
        JustBefore::NotAccepted => {
            let before = period
                .previous_in_year()
                .map(Period::label)
                .unwrap_or_default();
            findings.push(err(
                Code::NoHistory,
                ret,
                file,
                month,
                msg::no_history_figure(&before),
            ));
        }
        _ => {}
    }
}

/// A pair of figures a unit must fill (本月 and 自年初累计): W-NUM-BLANK when both are
/// left empty (one finding on the row), E-NUM-INCOMPLETE on the empty one when only one
/// is. A placeholder (`—`, `无`) already has its W-NUM-EMPTY.
pub(super) fn check_blanks(
    ret: &UnitReturn,
    file: &Option<String>,
    month: &NumField,
    ytd: &NumField,
    findings: &mut Vec<Finding>,
) {
    let blank = |f: &NumField| f.value.is_none() && f.raw.is_empty();
    let placeholder = |f: &NumField| {
        f.value.is_none()
            && matches!(&f.raw, crate::model::Raw::Text(t)
                if crate::normalize::parse_number_text(t, &[]) == crate::normalize::NumberRead::Placeholder)
    };
    let empty = |f: &NumField| blank(f) || placeholder(f);
    match (empty(month), empty(ytd)) {
        (true, true) if blank(month) && blank(ytd) => {
            findings.push(err(Code::NumBlank, ret, file, month, msg::row_blank()));
        }
        (true, false) if ytd.value.is_some() => {
            findings.push(err(
                Code::NumIncomplete,
                ret,
                file,
                month,
                msg::month_blank(ytd.value.unwrap_or_default()),
            ));
        }
        (false, true) if month.value.is_some() => {
            findings.push(err(
                Code::NumIncomplete,
                ret,
                file,
                ytd,
                msg::ytd_blank(month.value.unwrap_or_default()),
            ));
        }
        _ => {}
    }
}
