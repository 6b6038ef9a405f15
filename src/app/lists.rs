//! Choosing among the task lists found: the one the returns' templates were made from,
//! else the newest, said openly.

use crate::finding::Finding;
use crate::model::{ReturnFile, TaskList};

/// A task list found in the folder.
pub(super) struct FoundList {
    pub rel: String,
    pub modified: i64,
    pub list: (TaskList, Vec<Finding>),
}

/// The task list chosen among several, said openly.
pub(super) struct ChosenList {
    pub list: (TaskList, Vec<Finding>),
    pub notice: Option<ListNotice>,
}

/// What the office is told when several task lists were found.
pub(super) struct ListNotice {
    pub text: String,
    pub ignored: Vec<String>,
}

/// With several task lists, the one the returns' templates were made from (most returns
/// carrying its fingerprint), else the most recently modified.
pub(super) fn choose_task_list(
    mut lists: Vec<FoundList>,
    returns: &[ReturnFile],
) -> Option<ChosenList> {
    if lists.len() <= 1 {
        return lists.pop().map(|l| ChosenList {
            list: l.list,
            notice: None,
        });
    }
    let made_from = |l: &FoundList| {
        let fp = l.list.0.fingerprint();
        returns
            .iter()
            .filter(|r| r.fingerprint.as_deref() == Some(fp.as_str()))
            .count()
    };
    let counts: Vec<usize> = lists.iter().map(made_from).collect();
    let best = (0..lists.len()).max_by_key(|&i| {
        (
            counts[i],
            lists[i].modified,
            std::cmp::Reverse(lists[i].rel.clone()),
        )
    })?;
    let why = if counts[best] > 0 {
        format!("{} 份月报由它的模板填写", counts[best])
    } else {
        "没有月报注明由哪一份的模板填写，取修改时间最新的一份".to_string()
    };
    let chosen = lists.swap_remove(best);
    let ignored: Vec<String> = lists.into_iter().map(|l| l.rel).collect();
    let text = format!(
        "文件夹中有 {} 份任务清单，使用“{}”（{why}），未使用：{}；如需指定请用 --tasks",
        ignored.len() + 1,
        chosen.rel,
        ignored.join("、")
    );
    Some(ChosenList {
        list: chosen.list,
        notice: Some(ListNotice { text, ignored }),
    })
}
