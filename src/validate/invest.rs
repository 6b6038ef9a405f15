//! Row checks of the investment table.

use super::batch::{
    Admission, FirstKnown, PastReturn, TOLERANCE, UnitReturn, finding_in, known_project,
};
use super::history::{Table, check_blanks, check_cumulative, err, history_of};
use crate::finding::{Code, Finding};
use crate::messages as msg;
use crate::model::{Period, TaskList};

/// The investment rows of one return: duplicates, unknown projects, month-over-month figures,
/// funding sums, plans exceeded, a missing table. Returns the indices of the accepted rows.
pub(super) fn check_invest(
    ret: &UnitReturn,
    past: &[&PastReturn],
    tasks: &TaskList,
    period: Period,
    findings: &mut Vec<Finding>,
) -> Vec<usize> {
    let mut accepted = Vec::new();
    let base =
        |code, text: String, file: &Option<String>| finding_in(ret, period, code, text, file);
    // Investment rows.
    let inv_f = &ret.invest_file;
    let mut rule = FirstKnown::for_rows(ret.invest.len());
    for (k, row) in ret.invest.iter().enumerate() {
        let id = row.project_id.value.as_str();
        let at = &row.project_id.at;
        let task = match rule.admit(id, Some(at), |id| known_project(tasks, id)) {
            Admission::Blank => continue,
            Admission::Repeat(first) => {
                findings.push(
                    base(Code::TaskDupRow, msg::task_row_duplicate(id, &first), inv_f).at(at),
                );
                continue;
            }
            Admission::Unknown => {
                findings.push(base(Code::TaskUnknown, msg::project_unknown(id), inv_f).at(at));
                continue;
            }
            Admission::Admitted(task) => task,
        };
        accepted.push(k);
        if !task.units.contains(&ret.unit) {
            findings.push(
                base(Code::TaskNotAssigned, msg::task_not_assigned(id), inv_f)
                    .at(&row.project_id.at),
            );
        }
        check_blanks(ret, inv_f, &row.month, &row.ytd, findings);
        // Funding sources without the total they split (when 本月 is filled too, the
        // blank 累计 already has its finding).
        if row.ytd.value.is_none()
            && row.ytd.raw.is_empty()
            && row.month.value.is_none()
            && row.funds.iter().any(|f| f.value.is_some())
        {
            findings.push(err(
                Code::NumIncomplete,
                ret,
                inv_f,
                &row.ytd,
                msg::INVEST_YTD_BLANK.to_string(),
            ));
        }
        let history = history_of(past, id, Table::Invest, period);
        check_cumulative(ret, inv_f, &row.month, &row.ytd, None, &history, findings);
        if let Some(y) = row.ytd.value {
            let filled: Vec<f64> = row.funds.iter().filter_map(|f| f.value).collect();
            let any_raw = row.funds.iter().any(|f| !f.raw.is_empty());
            if row.funds_reported && (!filled.is_empty() || (y > 0.0 && !any_raw)) {
                let sum: f64 = filled.iter().sum();
                if (sum - y).abs() > TOLERANCE
                    && !row
                        .funds
                        .iter()
                        .any(|f| !f.raw.is_empty() && f.value.is_none())
                {
                    findings.push(err(
                        Code::FundSum,
                        ret,
                        inv_f,
                        &row.funds[0],
                        msg::fund_sum(sum, y),
                    ));
                }
            }
            let plan = row.plan.value.or(task.own_plan(&ret.unit));
            if let Some(plan) = plan
                && plan > 0.0
                && y > plan + TOLERANCE
            {
                findings.push(
                    base(
                        Code::OverTarget,
                        msg::over_target(y, plan, "完成投资"),
                        inv_f,
                    )
                    .at(&row.ytd.at),
                );
            }
        }
    }
    let owes_invest = tasks
        .tasks_of(&ret.unit)
        .any(|t| t.plan_investment.is_some());
    if owes_invest && ret.invest_file.is_none() {
        findings.push(base(
            Code::InvestMissing,
            "本单位有投资项目，但没有报送固定资产投资表".to_string(),
            &ret.progress_file,
        ));
    }
    accepted
}
