//! 序时进度: the share of a task's annual target due by the end of the month, by the first
//! rule that applies to it — its 节点目标, else its category's construction season, else
//! the calendar — with the sentence that says which rule gave it (the note on each
//! 序时进度 cell).

use crate::model::{Task, fmt_num};

/// A task's 序时进度 in a month and how it was reached.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    /// 0–1.
    pub value: f64,
    pub note: String,
}

/// 序时进度 of `task` at the end of `month`, with `season` its category's construction
/// season (first and last month), if any.
pub fn schedule(task: &Task, season: Option<(u32, u32)>, month: u32) -> Schedule {
    let deadline = task.deadline_month.clamp(1, 12);
    // A season counts for a task due within or after it; one due before it starts runs on
    // the calendar.
    let season = season.filter(|&(from, _)| deadline >= from);
    match (task.target, task.milestones.is_empty()) {
        (Some(target), false) if target > 0.0 => {
            milestones(&task.milestones, target, deadline, season, month)
        }
        _ => match season {
            Some(s) => in_season(s, deadline, month),
            None => calendar(deadline, month),
        },
    }
}

fn pct(v: f64) -> String {
    format!("{:.1}%", v * 100.0)
}

/// Elapsed months over the months until 完成时限.
fn calendar(deadline: u32, month: u32) -> Schedule {
    let value = (month as f64 / deadline as f64).min(1.0);
    let note = if month >= deadline {
        format!("按日历：已到完成时限（{deadline} 月），为 100%")
    } else {
        format!(
            "按日历：已过 {month} 个月 ÷ 完成时限 {deadline} 个月 = {}",
            pct(value)
        )
    };
    Schedule { value, note }
}

/// Over the season's months only, ended early by a 完成时限 inside it.
fn in_season((from, to): (u32, u32), deadline: u32, month: u32) -> Schedule {
    let end = to.min(deadline);
    let said = if end < to {
        format!("按施工季（{from}–{to} 月，完成时限 {end} 月止）")
    } else {
        format!("按施工季（{from}–{to} 月）")
    };
    let (value, how) = if month < from {
        (0.0, format!("{month} 月在施工季之前，为 0，不判滞后"))
    } else if month >= end {
        (1.0, format!("{end} 月已过，为 100%"))
    } else {
        let done = month - from + 1;
        let months = end - from + 1;
        let value = done as f64 / months as f64;
        (
            value,
            format!("已过 {done} 个施工月 ÷ {months} 个 = {}", pct(value)),
        )
    };
    Schedule {
        value,
        note: format!("{said}：{how}"),
    }
}

/// Read from the 节点目标, straight between them: from nothing at the start of the year
/// (or of the season), through each milestone, to the annual target at 完成时限.
fn milestones(
    points: &[(u32, f64)],
    target: f64,
    deadline: u32,
    season: Option<(u32, u32)>,
    month: u32,
) -> Schedule {
    // The start: the end of the month before the season (nothing is built before it), or
    // the year's start; never after the first milestone.
    let start = season.map_or(0, |(from, _)| from - 1).min(points[0].0 - 1);
    let mut line = vec![(start, 0.0)];
    line.extend(points.iter().copied());
    if line.last().is_some_and(|&(m, _)| m < deadline) {
        line.push((deadline, target));
    }
    let due = if month <= start {
        0.0
    } else if let Some(w) = line.windows(2).find(|w| month <= w[1].0) {
        let ((m0, v0), (m1, v1)) = (w[0], w[1]);
        v0 + (v1 - v0) * (month - m0) as f64 / (m1 - m0) as f64
    } else {
        target
    };
    let value = (due / target).min(1.0);
    let listed: Vec<String> = points
        .iter()
        .map(|(m, v)| format!("{m}月底 {}", fmt_num(*v)))
        .collect();
    let from = if start > 0 {
        format!("，施工季 {} 月起", start + 1)
    } else {
        String::new()
    };
    Schedule {
        value,
        note: format!(
            "按节点目标（{}，年度目标 {}{from}）：{month} 月底应完成 {}，为 {}",
            listed.join("，"),
            fmt_num(target),
            fmt_num((due * 100.0).round() / 100.0),
            pct(value)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testkit::task;

    fn due(deadline: u32, target: f64, milestones: &[(u32, f64)]) -> Task {
        let mut t = task("T1", &["甲"], Some(target), None);
        t.deadline_month = deadline;
        t.milestones = milestones.to_vec();
        t
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn the_calendar_runs_from_january_to_the_deadline() {
        let t = due(12, 100.0, &[]);
        let s = schedule(&t, None, 3);
        assert!(close(s.value, 0.25), "{s:?}");
        assert!(
            s.note.starts_with("按日历") && s.note.contains("25.0%"),
            "{}",
            s.note
        );
        let t = due(6, 100.0, &[]);
        assert_eq!(schedule(&t, None, 6).value, 1.0);
        assert_eq!(schedule(&t, None, 9).value, 1.0);
    }

    #[test]
    fn a_season_is_zero_before_it_runs_over_its_months_and_is_full_after_it() {
        let t = due(12, 100.0, &[]);
        let season = Some((4, 10));
        // March: before the season, nothing due.
        let s = schedule(&t, season, 3);
        assert_eq!(s.value, 0.0);
        assert!(
            s.note.contains("施工季之前") && s.note.contains("不判滞后"),
            "{}",
            s.note
        );
        // April is the first of seven months; July the fourth.
        assert!(close(schedule(&t, season, 4).value, 1.0 / 7.0));
        assert!(close(schedule(&t, season, 7).value, 4.0 / 7.0));
        // October ends it; November and December stay at 100 %.
        for m in [10, 11, 12] {
            assert_eq!(schedule(&t, season, m).value, 1.0, "{m}");
        }
    }

    #[test]
    fn a_deadline_inside_the_season_ends_it_there() {
        let t = due(8, 100.0, &[]);
        let s = schedule(&t, Some((4, 10)), 6);
        // April to August: five months, June the third.
        assert!(close(s.value, 3.0 / 5.0), "{s:?}");
        assert!(s.note.contains("完成时限 8 月止"), "{}", s.note);
        assert_eq!(schedule(&t, Some((4, 10)), 8).value, 1.0);
        // Due before the season starts: the calendar.
        let early = due(3, 100.0, &[]);
        let s = schedule(&early, Some((4, 10)), 2);
        assert!(
            close(s.value, 2.0 / 3.0) && s.note.starts_with("按日历"),
            "{s:?}"
        );
    }

    #[test]
    fn milestones_come_first_and_run_straight_between_them() {
        let t = due(12, 100.0, &[(6, 30.0), (9, 60.0)]);
        // From January: March is half of June's 30.
        let s = schedule(&t, None, 3);
        assert!(close(s.value, 0.15), "{s:?}");
        assert!(
            s.note.starts_with("按节点目标") && s.note.contains("6月底 30"),
            "{}",
            s.note
        );
        assert!(close(schedule(&t, None, 6).value, 0.30));
        // Between 6月底 30 and 9月底 60: August is 50.
        assert!(close(schedule(&t, None, 8).value, 0.50));
        // After the last milestone, on to the annual target at the deadline.
        assert!(close(schedule(&t, None, 12).value, 1.0));
        assert!(close(
            schedule(&t, None, 10).value,
            (60.0 + 40.0 / 3.0) / 100.0
        ));
        // Milestones over a season: nothing is due before the season starts.
        let s = schedule(&t, Some((4, 10)), 3);
        assert_eq!(s.value, 0.0, "{s:?}");
        // May: two of the three months from the season's start to 6月底 30.
        assert!(close(schedule(&t, Some((4, 10)), 5).value, 0.20));
        // A milestone at the deadline and the target reached there.
        let t = due(9, 100.0, &[(6, 40.0), (9, 100.0)]);
        assert!(close(schedule(&t, None, 9).value, 1.0));
        assert!(close(schedule(&t, None, 11).value, 1.0));
    }

    #[test]
    fn a_task_without_a_target_keeps_the_calendar_or_the_season() {
        let mut t = due(12, 100.0, &[(6, 30.0)]);
        t.target = None;
        assert!(schedule(&t, None, 3).note.starts_with("按日历"));
        assert!(schedule(&t, Some((4, 10)), 3).note.starts_with("按施工季"));
    }
}
