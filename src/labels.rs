//! The label cells of a return (`填报单位：…`, `填报日期：…`) as people write them: the
//! template's own, their synonyms on units' forms, several in one cell, and the money-unit
//! line (`单位：万元`). Pure code over a cell's text.

use crate::normalize::{ByFirstChar, header_chars, norm_header};

/// What a label says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelKey {
    Unit,
    Period,
    Reporter,
    Phone,
    Date,
    /// `单位：元`, `金额单位：万元`: the unit amounts are in.
    Money,
}

/// Label texts (normalised, without a colon) and what they say; longer first where one
/// ends another (`填报日期` before `日期`).
const KEYS: [(&str, LabelKey); 36] = [
    ("填报单位(盖章)", LabelKey::Unit),
    ("填表单位(盖章)", LabelKey::Unit),
    ("报送单位(盖章)", LabelKey::Unit),
    ("单位名称(盖章)", LabelKey::Unit),
    ("填报单位", LabelKey::Unit),
    ("填表单位", LabelKey::Unit),
    ("报送单位", LabelKey::Unit),
    ("报表单位", LabelKey::Unit),
    ("单位名称", LabelKey::Unit),
    ("金额单位", LabelKey::Money),
    ("计量单位", LabelKey::Money),
    ("报送月份", LabelKey::Period),
    ("填报月份", LabelKey::Period),
    ("统计月份", LabelKey::Period),
    ("报告月份", LabelKey::Period),
    ("所属月份", LabelKey::Period),
    ("报告期", LabelKey::Period),
    ("统计期", LabelKey::Period),
    ("月份", LabelKey::Period),
    ("填报人", LabelKey::Reporter),
    ("填表人", LabelKey::Reporter),
    ("经办人", LabelKey::Reporter),
    ("制表人", LabelKey::Reporter),
    ("联系人", LabelKey::Reporter),
    ("联系电话", LabelKey::Phone),
    ("联系方式", LabelKey::Phone),
    ("电话", LabelKey::Phone),
    ("手机", LabelKey::Phone),
    ("填报日期", LabelKey::Date),
    ("填表日期", LabelKey::Date),
    ("报送日期", LabelKey::Date),
    ("制表日期", LabelKey::Date),
    ("填报时间", LabelKey::Date),
    ("填表时间", LabelKey::Date),
    ("报送时间", LabelKey::Date),
    ("日期", LabelKey::Date),
];

/// The money units amounts may be stated in, with what turns them into 万元.
pub const MONEY_UNITS: [(&str, f64); 5] = [
    ("亿元", 10_000.0),
    ("万元", 1.0),
    ("千元", 0.1),
    ("百元", 0.01),
    ("元", 0.0001),
];

/// The factor that turns an amount in `unit` into 万元.
pub fn money_factor(unit: &str) -> Option<f64> {
    MONEY_UNITS
        .iter()
        .find(|(u, _)| *u == unit)
        .map(|(_, f)| *f)
}

/// The money unit a text names on its own (`元`, `（万元）`, `单位:亿元`).
fn money_unit(value: &str) -> Option<&'static str> {
    // Compared character by character, normalised on the way: asked of every header that
    // ends in a bracket and of every label's value.
    let mut v = header_chars(value).filter(|c| !matches!(c, '(' | ')' | ':' | '[' | ']'));
    // `单位` before the unit, as often as it is written.
    loop {
        let mut ahead = v.clone();
        if (ahead.next(), ahead.next()) == (Some('单'), Some('位')) {
            v = ahead;
        } else {
            break;
        }
    }
    MONEY_UNITS
        .iter()
        .map(|(u, _)| *u)
        .find(|u| v.clone().eq(u.chars()))
}

/// The label keys as normalised characters, built once.
fn keys() -> &'static [(Vec<char>, LabelKey)] {
    static KEYS_CHARS: std::sync::OnceLock<Vec<(Vec<char>, LabelKey)>> = std::sync::OnceLock::new();
    KEYS_CHARS.get_or_init(|| {
        KEYS.iter()
            .copied()
            .chain([("单位", LabelKey::Money)])
            .map(|(k, what)| (norm_header(k).chars().collect(), what))
            .collect()
    })
}

/// The labels in one cell's text, in order, each with its value (empty when the value is
/// in the next cell). A label must end with a colon unless it is the whole text
/// (`填报单位` alone in a cell, its value beside it). `单位：…` is the money unit when its
/// value is one (`单位：元`), else the reporting unit.
pub fn parse(text: &str) -> Vec<(LabelKey, String)> {
    labels_in(text)
        .into_iter()
        .map(|(_, what, value)| (what, value))
        .collect()
}

/// The label keys ([`keys`]) by their first character: most texts begin with a character
/// no key begins with, and are then no label after one look-up.
fn keys_by_first() -> &'static ByFirstChar<usize> {
    static BY_FIRST: std::sync::OnceLock<ByFirstChar<usize>> = std::sync::OnceLock::new();
    BY_FIRST.get_or_init(|| {
        ByFirstChar::new(
            keys()
                .iter()
                .enumerate()
                .filter_map(|(i, (k, _))| k.first().map(|&c| (c, i))),
        )
    })
}

/// Whether a text is a label cell or a money line (so it is no title, no header and no
/// data): it starts with a label (`填报单位：…`, `（单位：元）`).
pub fn is_label(text: &str) -> bool {
    // The first characters, normalised, spaces and an opening bracket left out.
    let mut chars = text
        .chars()
        .map(crate::normalize::half_width)
        .filter(|c| !c.is_whitespace())
        .skip_while(|&c| c == '(');
    let Some(first) = chars.next() else {
        return false;
    };
    let candidates = keys_by_first().get(first);
    if candidates.is_empty() {
        return false;
    }
    let mut lead = ['\0'; 12];
    lead[0] = first;
    let mut n = 1;
    for c in chars {
        lead[n] = c;
        n += 1;
        if n == lead.len() {
            break;
        }
    }
    let lead = &lead[..n];
    candidates.iter().any(|&i| {
        let (k, what) = &keys()[i];
        lead.starts_with(k)
            && match lead.get(k.len()) {
                // `计量单位：公里` says nothing of money or of who reports.
                Some(':') => k.first() != Some(&'计'),
                None => *what != LabelKey::Money && text.chars().count() <= lead.len(),
                _ => false,
            }
    })
}

/// The labels of a text: where each starts (a byte offset), what it says, and its value.
fn labels_in(text: &str) -> Vec<(usize, LabelKey, String)> {
    // A label ends at a colon: a text without one is a label only when it is a key whole.
    if !text.contains(['：', ':']) {
        if text.len() > 48 {
            return Vec::new();
        }
        // Normalised once into place (a key has at most MAX_KEY_CHARS), then compared.
        let mut whole = ['\0'; MAX_KEY_CHARS];
        let mut n = 0;
        for c in header_chars(text) {
            if n == MAX_KEY_CHARS {
                return Vec::new();
            }
            whole[n] = c;
            n += 1;
        }
        let whole = &whole[..n];
        return keys()
            .iter()
            .find(|(k, what)| *what != LabelKey::Money && k.as_slice() == whole)
            .map(|(_, what)| vec![(text.len() - text.trim_start().len(), *what, String::new())])
            .unwrap_or_default();
    }
    // Each colon ends the longest key just before it (spaces skipped): (where the key
    // starts, the key, where the text after the colon starts), as byte offsets. Only the
    // few characters before a colon are looked at: a long text (a form's instructions) is
    // neither copied nor normalised whole.
    let mut found: Vec<(usize, LabelKey, usize)> = Vec::new();
    for (colon, c) in text.match_indices([':', '：']) {
        // The characters before the colon, normalised and nearest first, spaces left out
        // (`填 报 单 位：`), each with where it starts.
        let mut back = [('\0', 0usize); MAX_KEY_CHARS];
        let mut n = 0;
        for (at, c) in text[..colon].char_indices().rev() {
            let h = crate::normalize::half_width(c);
            if h.is_whitespace() {
                continue;
            }
            back[n] = (h, at);
            n += 1;
            if n == MAX_KEY_CHARS {
                break;
            }
        }
        let mut best: Option<(usize, LabelKey, usize)> = None;
        for (key, what) in keys() {
            // The last character first: most keys end otherwise.
            if key.len() > n
                || key.last() != Some(&back[0].0)
                || !key.iter().rev().zip(&back).all(|(k, (h, _))| k == h)
            {
                continue;
            }
            let start = back[key.len() - 1].1;
            // A generic key (`日期`, `电话`, `单位`) only where a word starts: not
            // `截止日期：`.
            let long = key.len() > 2;
            if (long || at_word_start(text, start))
                && best.is_none_or(|(s, ..)| start < s)
                && found.last().is_none_or(|(_, _, end)| start >= *end)
            {
                best = Some((start, *what, colon + c.len()));
            }
        }
        if let Some(b) = best {
            found.push(b);
        }
    }
    let mut out = Vec::new();
    for (k, (start, what, end)) in found.iter().enumerate() {
        // The text between the colon and the next label, as written.
        let stop = found.get(k + 1).map_or(text.len(), |n| n.0);
        let value = text[*end..stop]
            .trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '（' || c == '(')
            .trim_end_matches(['）', ')', '，', ',', '；', ';'])
            .trim()
            .to_string();
        let what = match what {
            LabelKey::Money if money_unit(&value).is_none() && !value.is_empty() => {
                // `单位：长春市交通运输局`; `计量单位：公里` and a form's `单位：公里、座` say
                // nothing of money or of who reports.
                let first = text[*start..]
                    .chars()
                    .next()
                    .map(crate::normalize::half_width);
                if first == Some('计') || crate::normalize::is_measure_list(&value) {
                    continue;
                }
                LabelKey::Unit
            }
            LabelKey::Money if value.is_empty() => continue,
            other => *other,
        };
        let value = match what {
            LabelKey::Money => money_unit(&value).unwrap_or_default().to_string(),
            _ => value,
        };
        out.push((*start, what, value));
    }
    out
}

/// The most characters a label key has, normalised (`填报单位(盖章)`).
const MAX_KEY_CHARS: usize = 8;

/// Whether a word starts at byte `at` of `text`: at its start, or after a space or a
/// punctuation mark.
fn at_word_start(text: &str, at: usize) -> bool {
    text[..at].chars().next_back().is_none_or(|p| {
        p.is_whitespace() || p.is_ascii_punctuation() || "\u{3000}，。；：、（）".contains(p)
    })
}

/// A header text reduced for matching columns: normalised, its money unit and punctuation
/// removed (`其中：中央车购税` and `其中中央车购税`, `本年计划投资（万元）` and `本年计划投资`
/// match).
pub fn match_key(text: &str) -> String {
    header_key(text).0
}

/// A header text's [`match_key`] and the money unit it names in its brackets
/// (`本年计划投资（元）`: `本年计划投资`, `元`), normalised once for both.
pub fn header_key(text: &str) -> (String, Option<&'static str>) {
    let mut key = norm_header(text);
    // A money unit in brackets at the end (`（万元）`) is no part of the name.
    let mut money = None;
    if key.ends_with(')')
        && let Some(open) = key.rfind('(')
        && let Some(unit) = money_unit(&key[open..])
    {
        key.truncate(open);
        money = Some(unit);
    }
    key.retain(|c| {
        !matches!(
            c,
            ':' | '(' | ')' | '[' | ']' | ',' | '.' | '/' | '\\' | '、'
        )
    });
    (key, money)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<(LabelKey, String)> {
        parse(text)
    }

    /// What `is_label` said when it compared the text with every key.
    fn is_label_by_every_key(text: &str) -> bool {
        let mut lead = ['\0'; 12];
        let mut n = 0;
        for c in text.chars().map(crate::normalize::half_width) {
            if c.is_whitespace() || (n == 0 && c == '(') {
                continue;
            }
            lead[n] = c;
            n += 1;
            if n == lead.len() {
                break;
            }
        }
        let lead = &lead[..n];
        let first = lead.first();
        super::keys().iter().any(|(k, what)| {
            k.first() == first
                && lead.starts_with(k)
                && match lead.get(k.len()) {
                    Some(':') => k.first() != Some(&'计'),
                    None => *what != LabelKey::Money && text.chars().count() <= lead.len(),
                    _ => false,
                }
        })
    }

    /// Looked up by its first character, a text is a label exactly when comparing it with
    /// every key says so.
    #[test]
    fn labels_are_known_by_their_first_character_as_by_every_key() {
        let mut texts: Vec<String> = [
            "",
            " ",
            "(",
            "（（单位：元）",
            "填报单位：长春市交通运输局",
            "填 报 单 位",
            "填报单位",
            "填报单位（盖章）：",
            "单位：万元",
            "单位",
            "（单位：亿元）",
            "计量单位：公里",
            "报送时间：2020年6月",
            "填报人：李强",
            "联系电话",
            "序号",
            "任务名称",
            "本月完成",
            "长春市交通运输局2020年6月重点任务进展",
            "单位名称（盖章）长春",
            "　填报日期：",
            "备注",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        for (k, _) in KEYS {
            for tail in ["", "：", ":x", "x", "（盖章）", " ：值"] {
                texts.push(format!("{k}{tail}"));
                texts.push(format!("（{k}{tail}"));
                texts.push(format!(" {k}{tail}"));
            }
        }
        for t in &texts {
            assert_eq!(is_label(t), is_label_by_every_key(t), "{t:?}");
        }
        assert!(texts.iter().filter(|t| is_label(t)).count() > 100);
        assert!(texts.iter().filter(|t| !is_label(t)).count() > 20);
    }

    #[test]
    fn every_key_fits_the_characters_looked_at_before_a_colon() {
        let longest = super::keys().iter().map(|(k, _)| k.len()).max();
        assert_eq!(longest, Some(MAX_KEY_CHARS));
    }

    #[test]
    fn labels_are_found_by_their_colons_in_a_long_text() {
        let long = format!(
            "{}报送时间：请于28日前报送。填 报 人 ：李强 联系电话:0431-1，截止日期：明天 单位：元",
            "说明".repeat(60)
        );
        let got = keys(&long);
        assert_eq!(
            got,
            vec![
                (LabelKey::Date, "请于28日前报送。".to_string()),
                (LabelKey::Reporter, "李强".to_string()),
                (LabelKey::Phone, "0431-1，截止日期：明天".to_string()),
                (LabelKey::Money, "元".to_string()),
            ]
        );
        // Where each label starts, in bytes of the text as written.
        let starts: Vec<usize> = labels_in(&long).iter().map(|(at, ..)| *at).collect();
        assert!(long[starts[1]..].starts_with("填 报 人"), "{starts:?}");
    }

    #[test]
    fn several_labels_in_one_cell() {
        assert_eq!(
            keys("填报单位：省高速公路集团　　填报日期：2020年6月24日"),
            vec![
                (LabelKey::Unit, "省高速公路集团".into()),
                (LabelKey::Date, "2020年6月24日".into()),
            ]
        );
        assert_eq!(
            keys("填报人：张三 联系电话:0431-88888888  日期：6月26日"),
            vec![
                (LabelKey::Reporter, "张三".into()),
                (LabelKey::Phone, "0431-88888888".into()),
                (LabelKey::Date, "6月26日".into()),
            ]
        );
    }

    #[test]
    fn labels_with_their_value_beside_them_and_stamps() {
        assert_eq!(keys("填报单位："), vec![(LabelKey::Unit, String::new())]);
        assert_eq!(keys("填报单位"), vec![(LabelKey::Unit, String::new())]);
        assert_eq!(
            keys("填报单位（盖章）：长春市交通运输局"),
            vec![(LabelKey::Unit, "长春市交通运输局".into())]
        );
        assert_eq!(
            keys("报告期：2020年1-6月"),
            vec![(LabelKey::Period, "2020年1-6月".into())]
        );
    }

    #[test]
    fn the_money_line_and_what_is_not_a_label() {
        assert_eq!(keys("单位：万元"), vec![(LabelKey::Money, "万元".into())]);
        assert_eq!(keys("（单位：元）"), vec![(LabelKey::Money, "元".into())]);
        assert_eq!(
            keys("金额单位:亿元"),
            vec![(LabelKey::Money, "亿元".into())]
        );
        assert_eq!(
            keys("单位：长春市交通运输局"),
            vec![(LabelKey::Unit, "长春市交通运输局".into())]
        );
        assert!(keys("计量单位：公里").is_empty());
        assert!(keys("单位：公里、座").is_empty());
        assert!(keys("单位：万平方米").is_empty());
        assert!(keys("长春市交通运输局2020年6月重点任务进展").is_empty());
        assert!(keys("加快推进单位内部改革").is_empty());
        assert!(keys("责任单位").is_empty());
        assert!(keys("报送截止日期：2020年6月28日").is_empty());
        assert_eq!(
            keys("张三联系电话：123"),
            vec![(LabelKey::Phone, "123".into())]
        );
    }

    #[test]
    fn money_units_in_headers() {
        assert_eq!(
            header_key("本年计划投资（元）"),
            ("本年计划投资".to_string(), Some("元"))
        );
        assert_eq!(
            header_key("自年初累计完成投资(亿元)"),
            ("自年初累计完成投资".to_string(), Some("亿元"))
        );
        assert_eq!(
            header_key("其中： 中央车购税 （单位：万元）"),
            ("其中中央车购税".to_string(), Some("万元"))
        );
        assert_eq!(
            header_key("本月完成（公里）"),
            ("本月完成公里".to_string(), None)
        );
        // `单位` as often as it is written, brackets and spaces of either width.
        assert_eq!(money_unit("［单位单位： 亿 元］"), Some("亿元"));
        assert_eq!(money_unit("单位"), None);
        assert_eq!(money_unit("元元"), None);
        assert_eq!(money_factor("元"), Some(0.0001));
    }
}
