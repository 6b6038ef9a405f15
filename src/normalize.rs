//! Lenient reading of what people type: headers, unit lists, numbers, dates and periods.
//!
//! Pure functions over strings, so every form a clerk may write is unit-tested here.

use chrono::NaiveDate;

use crate::model::Period;

/// Maps full-width ASCII variants (digits, letters, punctuation, the ideographic space) to
/// their half-width forms.
pub fn to_half_width(s: &str) -> String {
    s.chars().map(half_width).collect()
}

/// One character in half-width form.
pub fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '【' => '[',
        '】' => ']',
        '。' => '.',
        '、' => ',',
        _ => c,
    }
}

/// Normalises a header cell: half-width brackets and colons, no whitespace or line breaks.
pub fn norm_header(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    out.extend(header_chars(s));
    out
}

/// The characters [`norm_header`] keeps, one by one: for comparing without building the
/// string.
pub fn header_chars(s: &str) -> impl Iterator<Item = char> + Clone + '_ {
    s.chars().map(half_width).filter(|c| !c.is_whitespace())
}

/// Values kept by the first character of a text (a spelling, a prefix), sorted by it:
/// looked up by a binary search for every character of titles and names, where hashing
/// each character costs more.
#[derive(Debug, Clone)]
pub struct ByFirstChar<T>(Vec<(char, Vec<T>)>);

impl<T> Default for ByFirstChar<T> {
    fn default() -> Self {
        ByFirstChar(Vec::new())
    }
}

impl<T> ByFirstChar<T> {
    /// Groups `(first character, value)` pairs; each group keeps the order of its pairs.
    pub fn new(pairs: impl IntoIterator<Item = (char, T)>) -> Self {
        let mut pairs: Vec<(char, T)> = pairs.into_iter().collect();
        pairs.sort_by_key(|(c, _)| *c);
        let mut groups: Vec<(char, Vec<T>)> = Vec::new();
        for (c, v) in pairs {
            match groups.last_mut() {
                Some((last, values)) if *last == c => values.push(v),
                _ => groups.push((c, vec![v])),
            }
        }
        ByFirstChar(groups)
    }

    /// The values kept for texts beginning with `c`.
    pub fn get(&self, c: char) -> &[T] {
        self.0
            .binary_search_by_key(&c, |(k, _)| *k)
            .map_or(&[], |i| &self.0[i].1)
    }
}

/// Normalises a unit name for comparison: no whitespace, half-width forms.
pub fn norm_unit(s: &str) -> String {
    norm_header(s)
}

/// [`norm_unit`] without a copy when the text is normalised already (most titles, file
/// names and units' names: no space, no full-width form), as unit names are looked up in
/// every return's title and file name.
pub fn norm_unit_cow(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().all(|c| !c.is_whitespace() && half_width(c) == c) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(norm_header(s))
    }
}

/// Splits a 责任单位 cell on 、，,; and line breaks, but not inside brackets
/// (`各县（市、区）交通运输局` is one name). Notes in brackets that say a unit's role
/// (`（牵头）`, `(配合)`) are dropped.
/// A responsible unit written with its own part of a shared task (任务分解):
/// `长春市（30公里）`, `吉林市（20公里，800万元）` → the name and the part: target (in the
/// task's measure) and plan (万元; 元 and 亿元 converted). `None` when the piece ends in no
/// bracket of figures (`长白山管委会（交通运输局）` stays a name).
pub fn unit_share(piece: &str) -> Option<(String, Option<f64>, Option<f64>)> {
    let t = piece.trim();
    let inner_end = t.strip_suffix('）').or_else(|| t.strip_suffix(')'))?;
    let open = inner_end.rfind(['（', '('])?;
    let name = inner_end[..open].trim();
    let inside = &inner_end[open..];
    let inside = inside.trim_start_matches(['（', '(']);
    if name.is_empty() || inside.trim().is_empty() {
        return None;
    }
    let (mut target, mut plan) = (None, None);
    for part in inside.split(['，', ',', '、', ';', '；']) {
        let part = to_half_width(part.trim());
        let digits: String = part
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let v: f64 = digits.parse().ok()?;
        let unit = part[digits.len()..].trim();
        let factor = match unit {
            u if u.ends_with("亿元") => Some(10_000.0),
            u if u.ends_with("万元") => Some(1.0),
            u if u.ends_with('元') => Some(0.0001),
            _ => None,
        };
        match factor {
            Some(f) if plan.is_none() => plan = Some(v * f),
            None if target.is_none() => target = Some(v),
            _ => return None,
        }
    }
    Some((name.to_string(), target, plan))
}

pub fn split_units(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    let mut push = |current: &mut String| {
        let mut p = current.trim().trim_matches('\u{3000}').to_string();
        // Every role note holds 牵 or 配: most pieces hold neither, and are not copied six
        // times to find that out.
        if p.contains(['牵', '配']) {
            for role in [
                "（牵头）",
                "(牵头)",
                "（配合）",
                "(配合)",
                "（牵头单位）",
                "(牵头单位)",
            ] {
                p = p.replace(role, "");
            }
        }
        let p = p.trim().to_string();
        if !p.is_empty() {
            out.push(p);
        }
        current.clear();
    };
    for c in s.chars() {
        match c {
            '（' | '(' | '【' | '[' => depth += 1,
            '）' | ')' | '】' | ']' => depth = (depth - 1).max(0),
            _ => {}
        }
        if depth == 0 && matches!(c, '、' | '，' | ',' | ';' | '；' | '\n' | '\r' | '/') {
            push(&mut current);
        } else {
            current.push(c);
        }
    }
    push(&mut current);
    out
}

/// What a non-empty cell meant when a number was expected.
#[derive(Debug, Clone, PartialEq)]
pub enum NumberRead {
    /// A figure.
    Value(f64),
    /// A placeholder such as `—`, `/` or `无`: read as empty, with a warning.
    Placeholder,
    /// Not a figure; the reason is a Chinese phrase.
    Invalid(&'static str),
}

/// Parses a number typed as text: `1,234.5`, full-width digits, a trailing measurement
/// unit from `suffixes` (`12.5公里`, `300万元`). Estimates (`约12`, `12左右`) and ranges
/// (`10-12`) are refused: an estimate is not a figure.
pub fn parse_number_text(raw: &str, suffixes: &[String]) -> NumberRead {
    let s: String = to_half_width(raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if s.is_empty() {
        return NumberRead::Placeholder;
    }
    if matches!(
        s.as_str(),
        "—" | "——" | "-" | "--" | "/" | "无" | "暂无" | "N/A" | "n/a" | "—/—" | "\\"
    ) {
        return NumberRead::Placeholder;
    }
    if s.starts_with('约')
        || s.starts_with('近')
        || s.starts_with('超')
        || s.ends_with("左右")
        || s.contains('余')
        || s.contains('多')
        || s.ends_with('+')
    {
        return NumberRead::Invalid("是估计数，不是确切数字");
    }
    let mut body = s.as_str();
    let mut stripped = true;
    while stripped {
        stripped = false;
        for suf in suffixes {
            let suf_h = to_half_width(suf);
            if !suf_h.is_empty() && body.len() > suf_h.len() && body.ends_with(suf_h.as_str()) {
                body = &body[..body.len() - suf_h.len()];
                stripped = true;
            }
        }
    }
    let body: String = body.chars().filter(|&c| c != ',').collect();
    let digits_after_start = body
        .char_indices()
        .skip(1)
        .any(|(_, c)| c == '-' || c == '~');
    if digits_after_start && body.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return NumberRead::Invalid("是一个范围，不是确切数字");
    }
    if body.contains('亿') || body.ends_with('元') {
        return NumberRead::Invalid("单位不对，请以万元为单位填写数字");
    }
    match body.parse::<f64>() {
        Ok(v) if v.is_finite() && !body.contains(['e', 'E', 'i', 'n', 'I', 'N']) => {
            NumberRead::Value(v)
        }
        _ => NumberRead::Invalid("不是数字"),
    }
}

/// Parses a date typed as text: `2020年6月25日`, `2020-06-25`, `2020/6/25`, `2020.6.25`,
/// `20200625`.
pub fn parse_date_text(raw: &str) -> Option<NaiveDate> {
    let half = to_half_width(raw);
    // The date part: before a time (`2020-06-25 10:30`, `2020-06-25T10:30`).
    let first = half.split_whitespace().next().unwrap_or("");
    let first = first.split('T').next().unwrap_or(first);
    // `2020年 6月 25日` with spaces inside: join the pieces back.
    let s: String = if first.contains('年') && !first.contains('日') {
        half.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        first.to_string()
    };
    let s = s.trim_end_matches('日').trim_end_matches('号');
    if s.len() == 8 && s.chars().all(|c| c.is_ascii_digit()) {
        let y = s[0..4].parse().ok()?;
        let m = s[4..6].parse().ok()?;
        let d = s[6..8].parse().ok()?;
        return NaiveDate::from_ymd_opt(y, m, d);
    }
    let parts: Vec<&str> = s
        .split(['年', '月', '-', '/', '.'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() != 3 {
        return None;
    }
    let y: i32 = parts[0].parse().ok()?;
    let m: u32 = parts[1].parse().ok()?;
    let d: u32 = parts[2].parse().ok()?;
    if !(1900..=2200).contains(&y) {
        return None;
    }
    NaiveDate::from_ymd_opt(y, m, d)
}

/// A date typed without its year (`6月26日`, `6.26`, `6/26`), in the year of `period`: the
/// year after it when the month is far before the period's (a December return filled in
/// January). `None` when it is not such a date.
pub fn parse_date_without_year(raw: &str, period: Period) -> Option<NaiveDate> {
    let s: String = to_half_width(raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let s = s.trim_end_matches(['日', '号']);
    let (m, d) = s.split_once(['月', '.', '/', '-'])?;
    let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    month_day_in(m, d, period)
}

/// Month and day in the year of `period` (or the next, see [`parse_date_without_year`]).
pub fn month_day_in(m: u32, d: u32, period: Period) -> Option<NaiveDate> {
    let year = if m + 6 < period.month {
        period.year + 1
    } else {
        period.year
    };
    NaiveDate::from_ymd_opt(year, m, d)
}

/// Converts an Excel serial date (1900 system) to a date.
pub fn excel_serial_to_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_days(chrono::Days::new(serial.floor() as u64))
}

/// A `--period` value: `2020-06` (also `2020年6月`, `202006` …).
impl std::str::FromStr for Period {
    type Err = crate::error::Error;
    fn from_str(s: &str) -> Result<Period, Self::Err> {
        parse_period_text(s).ok_or_else(|| crate::error::Error::BadPeriod(s.to_string()))
    }
}

/// A year written in Chinese numerals before 年 (`二〇二〇年`) in digits (`2020年`).
fn cn_years(text: &str) -> std::borrow::Cow<'_, str> {
    // A year is written before 年: a text without one is left as it is, with no copy.
    let is_year_digit =
        |c: char| c == '〇' || c == '零' || (cn_digit(c).is_some_and(|d| d <= 9) && c != '十');
    if !text.contains('年') || !text.chars().any(is_year_digit) {
        return std::borrow::Cow::Borrowed(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out: Option<String> = None;
    let mut i = 0;
    while i < chars.len() {
        if i + 4 < chars.len()
            && chars[i + 4] == '年'
            && chars[i..i + 4].iter().all(|&c| is_year_digit(c))
            && (i == 0 || !is_year_digit(chars[i - 1]))
        {
            let o = out.get_or_insert_with(|| chars[..i].iter().collect());
            for &c in &chars[i..i + 4] {
                o.push(char::from_digit(cn_digit(c).unwrap_or(0), 10).unwrap_or('0'));
            }
            i += 4;
            continue;
        }
        if let Some(o) = &mut out {
            o.push(chars[i]);
        }
        i += 1;
    }
    match out {
        Some(o) => std::borrow::Cow::Owned(o),
        None => std::borrow::Cow::Borrowed(text),
    }
}

/// Parses a period: `2020-06`, `2020-6`, `2020年6月`, `202006`, `2020.6`, `2020/06`,
/// `二〇二〇年六月`.
pub fn parse_period_text(raw: &str) -> Option<Period> {
    if raw.contains('年') && raw.chars().any(|c| cn_digit(c).is_some()) {
        return find_period_in(&cn_years(raw));
    }
    let s: String = to_half_width(raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let s = s.trim_end_matches("份").trim_end_matches('月');
    if s.len() == 6 && s.chars().all(|c| c.is_ascii_digit()) {
        return Period::new(s[0..4].parse().ok()?, s[4..6].parse().ok()?);
    }
    let parts: Vec<&str> = s
        .split(['年', '-', '/', '.'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() != 2 {
        return None;
    }
    Period::new(parts[0].parse().ok()?, parts[1].parse().ok()?)
}

/// Finds `<YYYY>年<M>月` (or `YYYY-MM`) inside a longer text such as a file name.
pub fn find_period_in(text: &str) -> Option<Period> {
    // Asked of every file name, folder, title and sheet name: a year is four digits, and a
    // text without one digit (a sheet named 投资) holds none.
    let text = cn_years(text);
    // One copy, as characters: on the stack for a text of up to 64 (a file name, a folder,
    // a title), asked of every return several times.
    let mut stack = ['\0'; 64];
    let mut n = 0;
    let mut heap = Vec::new();
    let mut all = text.chars().map(half_width);
    for c in all.by_ref() {
        if n == stack.len() {
            heap.extend_from_slice(&stack);
            heap.push(c);
            heap.extend(all);
            break;
        }
        stack[n] = c;
        n += 1;
    }
    let chars: &[char] = if heap.is_empty() { &stack[..n] } else { &heap };
    if !chars.iter().any(char::is_ascii_digit) {
        return None;
    }
    for i in 0..chars.len() {
        if i + 4 > chars.len() || !chars[i..i + 4].iter().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if i > 0 && chars[i - 1].is_ascii_digit() {
            continue;
        }
        let year = chars[i..i + 4]
            .iter()
            .fold(0i32, |y, c| y * 10 + c.to_digit(10).unwrap_or(0) as i32);
        let mut j = i + 4;
        if j < chars.len() && matches!(chars[j], '年' | '-' | '.' | '_') {
            j += 1;
        } else {
            continue;
        }
        let Some((mut month, mut end)) = month_at(chars, j) else {
            continue;
        };
        // `2020年1-6月`, `2020年1至6月`: a statistical form's months so far; the last is the
        // period.
        if end < chars.len()
            && matches!(chars[end], '-' | '~' | '～' | '—' | '至' | '到')
            && let Some((last, after)) = month_at(chars, end + 1)
            && after < chars.len()
            && chars[after] == '月'
            && last > month
        {
            (month, end) = (last, after);
        }
        let _ = end;
        if let Some(p) = Period::new(year, month) {
            return Some(p);
        }
    }
    None
}

/// Finds a month named without a year (`长春6月`, `六月份进展`, `1-6月`): one or two digits
/// or a Chinese numeral followed by 月, not part of a date (`6月26日`) nor of a longer
/// number. The first such month.
pub fn find_month_in(text: &str) -> Option<u32> {
    let t = to_half_width(text);
    let chars: Vec<char> = t.chars().collect();
    for i in 0..chars.len() {
        let starts_number = chars[i].is_ascii_digit() || cn_digit(chars[i]).is_some();
        if !starts_number
            || (i > 0 && (chars[i - 1].is_ascii_digit() || cn_digit(chars[i - 1]).is_some()))
        {
            continue;
        }
        let Some((m, end)) = month_at(&chars, i) else {
            continue;
        };
        if chars.get(end) != Some(&'月') || !(1..=12).contains(&m) {
            continue;
        }
        // `6月26日`, `6月二十六号`: a day follows, a date.
        let mut k = end + 1;
        while k < chars.len() && (chars[k].is_ascii_digit() || cn_digit(chars[k]).is_some()) {
            k += 1;
        }
        if k > end + 1 && matches!(chars.get(k), Some('日' | '号')) {
            continue;
        }
        return Some(m);
    }
    None
}

/// A month number at `chars[j..]`: one or two digits (not followed by a third), or a Chinese
/// numeral followed by 月 (`六月`, `十二月`). With where it ends.
fn month_at(chars: &[char], j: usize) -> Option<(u32, usize)> {
    let mut k = j;
    while k < chars.len() && chars[k].is_ascii_digit() && k - j < 2 {
        k += 1;
    }
    if k > j {
        if k < chars.len() && chars[k].is_ascii_digit() {
            return None;
        }
        let m = chars[j..k]
            .iter()
            .fold(0u32, |m, c| m * 10 + c.to_digit(10).unwrap_or(0));
        return Some((m, k));
    }
    let mut k = j;
    while k < chars.len() && cn_digit(chars[k]).is_some() && k - j < 3 {
        k += 1;
    }
    if k > j && k < chars.len() && chars[k] == '月' {
        let m = cn_number(&chars[j..k].iter().collect::<String>())?;
        return Some((m, k));
    }
    None
}

/// A Chinese numeral digit (〇 to 十).
fn cn_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        '十' => 10,
        _ => return None,
    })
}

/// A number written in Chinese numerals, 1 to 99 (`六`, `十二`, `二十三`).
pub fn cn_number(s: &str) -> Option<u32> {
    let d: Vec<u32> = s.chars().map(cn_digit).collect::<Option<_>>()?;
    match d.as_slice() {
        [n] if *n > 0 => Some(*n),
        [10, n] if *n < 10 => Some(10 + n),
        [t, 10] if (1..10).contains(t) => Some(t * 10),
        [t, 10, n] if (1..10).contains(t) && (1..10).contains(n) => Some(t * 10 + n),
        _ => None,
    }
}

/// The month a task is due (`完成时限`), 1–12, from a date, `2020年6月底`, `6月底`,
/// `年底前`, `长期坚持` (= 12). `None` when the text cannot be read.
/// The month of a 节点目标 column's header: `6月底目标`, `6月末目标`, `九月底累计目标`,
/// `6月底目标（公里）`; `None` for any other header.
pub fn milestone_month(header: &str) -> Option<u32> {
    let s: String = to_half_width(header)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let s = s.split(['(', '（']).next().unwrap_or("");
    let s = s.trim_start_matches("截至").trim_start_matches("截止");
    let (month, rest) = s.split_once('月')?;
    let rest = rest
        .trim_start_matches(['底', '末'])
        .trim_start_matches("累计");
    if rest != "目标" && rest != "节点目标" {
        return None;
    }
    let m = match month.parse::<u32>() {
        Ok(m) => m,
        Err(_) => cn_number(month)?,
    };
    (1..=12).contains(&m).then_some(m)
}

pub fn parse_deadline_text(raw: &str) -> Option<u32> {
    let s: String = to_half_width(raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if s.is_empty() {
        return Some(12);
    }
    let ongoing = [
        "长期",
        "持续",
        "年底",
        "年末",
        "全年",
        "年内",
        "下半年",
        "四季度",
        "每月",
    ];
    if ongoing.iter().any(|w| s.contains(w)) {
        return Some(12);
    }
    if s.contains("上半年") {
        return Some(6);
    }
    // `三季度末`, `第一季度`, `2季度`.
    if let Some(i) = s.find("季度") {
        let q = s[..i].trim_start_matches("第").chars().last()?;
        let q = cn_digit(q).or_else(|| q.to_digit(10))?;
        return (1..=4).contains(&q).then_some(q * 3);
    }
    if let Some(d) = parse_date_text(&s) {
        return Some(chrono::Datelike::month(&d));
    }
    // `2020年6月底`, `6月底前`, `2020-06`, `6月`, `十月底`
    let before_month = s.split('月').next()?;
    if let Some(m) = cn_number(before_month.rsplit('年').next().unwrap_or(before_month))
        && before_month.len() < s.len()
    {
        return (1..=12).contains(&m).then_some(m);
    }
    if before_month.len() == s.len() {
        return parse_period_text(&s).map(|p| p.month);
    }
    let digits: String = before_month
        .rsplit('年')
        .next()
        .unwrap_or(before_month)
        .chars()
        .filter(|c| c.is_ascii_digit())
        .collect();
    let m: u32 = digits.parse().ok()?;
    (1..=12).contains(&m).then_some(m)
}

/// Whether a 序号 or a name is numbered as a category heading is: `一、`, `（二）`, `第三部分`,
/// `三` (Chinese numerals, not `1.` or `(3)`).
pub fn chinese_numbered(raw: &str) -> bool {
    match strip_numbering(raw).0 {
        Some(n) => !n.is_empty() && n.chars().all(|c| cn_digit(c).is_some()),
        None => {
            let t = raw.trim();
            !t.is_empty() && t.chars().all(|c| cn_digit(c).is_some())
        }
    }
}

/// Strips the numbering a heading or a task name starts with: `一、`, `（二）`, `(3)`, `3.`,
/// `3、`, `①`, `第三部分`, `第2类`. Returns the numbering's number as written (`二`, `3`)
/// and the rest.
pub fn strip_numbering(raw: &str) -> (Option<String>, &str) {
    let s = raw.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{3000}');
    let is_num = |c: char| c.is_ascii_digit() || cn_digit(c).is_some() || is_fullwidth_digit(c);
    // Most names start with no numbering: told by their first character, with no copy (the
    // first characters the arms of the match below begin with).
    match s.chars().next() {
        Some(c) if matches!(c, '（' | '(' | '第' | '①'..='⑳') || is_num(c) => {}
        _ => return (None, s),
    }
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let take_num = |from: usize| -> usize {
        let mut k = from;
        while k < chars.len() && is_num(chars[k].1) {
            k += 1;
        }
        k
    };
    let at = |k: usize| chars.get(k).map_or(s.len(), |(i, _)| *i);
    let rest_from = |k: usize| {
        s[at(k)..].trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, '\u{3000}' | '、' | '.' | '．' | ':' | '：')
        })
    };
    let number = |a: usize, b: usize| to_half_width(&s[at(a)..at(b)]);
    match chars.first().map(|(_, c)| *c) {
        Some('（' | '(') => {
            let k = take_num(1);
            if k > 1 && matches!(chars.get(k).map(|x| x.1), Some('）' | ')')) {
                return (Some(number(1, k)), rest_from(k + 1));
            }
        }
        Some('第') => {
            let k = take_num(1);
            if k > 1
                && let Some((_, c)) = chars.get(k)
                && matches!(c, '部' | '类' | '章' | '节' | '项' | '条' | '篇')
            {
                let mut e = k + 1;
                if chars.get(e).is_some_and(|x| x.1 == '分') {
                    e += 1;
                }
                return (Some(number(1, k)), rest_from(e));
            }
        }
        Some(c) if ('①'..='⑳').contains(&c) => {
            let n = c as u32 - '①' as u32 + 1;
            return (Some(n.to_string()), rest_from(1));
        }
        Some(c) if is_num(c) => {
            let k = take_num(0);
            // A number is numbering only when a separator follows it: `3.高速公路`, not
            // `4条高速公路`. Digits may nest: `1.2`.
            let mut e = k;
            while e + 1 < chars.len()
                && matches!(chars[e].1, '.' | '．')
                && chars[e + 1].1.is_ascii_digit()
            {
                e = take_num(e + 1);
            }
            if let Some((_, sep)) = chars.get(e)
                && matches!(
                    sep,
                    '、' | '.' | '．' | ')' | '）' | ' ' | '\u{3000}' | '，' | ','
                )
            {
                return (Some(number(0, e)), rest_from(e + 1));
            }
        }
        _ => {}
    }
    (None, s)
}

fn is_fullwidth_digit(c: char) -> bool {
    ('０'..='９').contains(&c)
}

/// A task or project name reduced for comparison: numbering, spaces, brackets and
/// punctuation of either width removed, letters in lower case.
pub fn norm_name(raw: &str) -> String {
    let mut s = raw;
    loop {
        let (n, rest) = strip_numbering(s);
        if n.is_none() || rest.len() == s.len() {
            break;
        }
        s = rest;
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars().map(half_width) {
        // Letters and digits only, lower case. Most names are CJK ideographs and ASCII,
        // whose answers need no look-up in Unicode's tables (a row's name is normalised
        // once per return, and the tables cost most of it).
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            }
        } else if CJK_IDEOGRAPHS.contains(&c) {
            out.push(c);
        } else if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// CJK Unified Ideographs: all letters, none with a lower case.
const CJK_IDEOGRAPHS: std::ops::RangeInclusive<char> = '\u{4E00}'..='\u{9FFF}';

/// What a 年度目标 cell says.
#[derive(Debug, Clone, PartialEq)]
pub enum TargetRead {
    /// One figure with its measure (`718公里`, `新增通车里程718公里`), and whether words
    /// stand around it.
    Quantity {
        value: f64,
        measure: String,
        with_words: bool,
    },
    /// A figure without a measure (`718`).
    Bare(f64),
    /// Several figures (`改造危桥6座，实施安全生命防护工程44公里`): a task to split.
    Several(Vec<(f64, String)>),
    /// Only words (`年底前建成通车`).
    Words,
}

/// Measures a target may carry, longest first where one begins another.
const MEASURES: [&str; 30] = [
    "万平方米",
    "平方公里",
    "平方米",
    "个百分点",
    "公里",
    "千米",
    "延米",
    "km",
    "m2",
    "米",
    "座",
    "个",
    "处",
    "项",
    "条",
    "辆",
    "台",
    "套",
    "家",
    "户",
    "人次",
    "人",
    "次",
    "万吨",
    "吨",
    "亿元",
    "万元",
    "元",
    "%",
    "所",
];

/// Reads a 年度目标 cell: its figures and their measures (`718公里`, `1.2万平方米`). A
/// number followed by 年/月/日 is a date, and one after a letter a road's code (`G331`):
/// neither is a quantity.
pub fn parse_target(raw: &str) -> TargetRead {
    let s = to_half_width(raw);
    let chars: Vec<char> = s.chars().collect();
    let mut found: Vec<(f64, String)> = Vec::new();
    let mut words = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if !c.is_ascii_digit() {
            if !c.is_whitespace() && !c.is_ascii_punctuation() && !"，。、；：".contains(c) {
                words = true;
            }
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.' || chars[i] == ',') {
            i += 1;
        }
        let after_letter = start > 0 && chars[start - 1].is_ascii_alphabetic();
        let text: String = chars[start..i].iter().filter(|c| **c != ',').collect();
        let text = text.trim_end_matches('.');
        let mut j = i;
        while j < chars.len() && chars[j].is_whitespace() {
            j += 1;
        }
        let rest: String = chars[j..].iter().collect();
        if after_letter || rest.starts_with(['年', '月', '日', '号', '季']) {
            words = true;
            continue;
        }
        let Ok(v) = text.parse::<f64>() else {
            words = true;
            continue;
        };
        match MEASURES.iter().find(|m| rest.starts_with(**m)) {
            Some(m) => {
                found.push((v, m.to_string()));
                i = j + m.chars().count();
            }
            None => found.push((v, String::new())),
        }
    }
    match found.as_slice() {
        [] => TargetRead::Words,
        [(v, m)] if m.is_empty() => {
            if words {
                TargetRead::Words
            } else {
                TargetRead::Bare(*v)
            }
        }
        [(v, m)] => TargetRead::Quantity {
            value: *v,
            measure: m.clone(),
            with_words: words,
        },
        several => {
            let with_measure: Vec<(f64, String)> = several
                .iter()
                .filter(|(_, m)| !m.is_empty())
                .cloned()
                .collect();
            match with_measure.as_slice() {
                [] => TargetRead::Words,
                [(v, m)] => TargetRead::Quantity {
                    value: *v,
                    measure: m.clone(),
                    with_words: true,
                },
                _ => TargetRead::Several(with_measure),
            }
        }
    }
}

/// `一`, `二` … `十二`: the n-th of a numbered list, as Chinese headings number it.
pub fn chinese_ordinal(n: usize) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => D[n].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", D[n - 10]),
        20..=99 => format!("{}十{}", D[n / 10], D[n % 10]),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod cn_year_tests {
    use super::*;

    #[test]
    fn years_in_chinese_numerals() {
        assert_eq!(parse_period_text("二〇二〇年六月"), Period::new(2020, 6));
        assert_eq!(parse_period_text("二〇二〇年6月"), Period::new(2020, 6));
        assert_eq!(
            find_period_in("长春二〇二〇年十一月进展"),
            Period::new(2020, 11)
        );
        assert_eq!(parse_period_text("2020年6月"), Period::new(2020, 6));
    }
}

#[cfg(test)]
mod month_tests {
    use super::find_month_in;

    #[test]
    fn a_month_without_a_year() {
        assert_eq!(find_month_in("长春6月"), Some(6));
        assert_eq!(find_month_in("吉林市交通运输局 六月份 进展"), Some(6));
        assert_eq!(find_month_in("1-6月累计"), Some(6));
        assert_eq!(find_month_in("十二月"), Some(12));
        assert_eq!(find_month_in("报表（6月26日）"), None);
        assert_eq!(find_month_in("13月"), None);
        assert_eq!(find_month_in("近3个月"), None);
        assert_eq!(find_month_in("长春"), None);
    }
}

/// Whether a text names only measures (`公里`, `公里、座`, `万平方米/个`): the `单位：` line
/// of a statistical form, which says what the figures count, not who reports them.
pub fn is_measure_list(text: &str) -> bool {
    let s = to_half_width(text);
    let mut pieces = s
        .split(|c: char| c.is_whitespace() || "、,，;；/\\|".contains(c))
        .filter(|p| !p.is_empty())
        .peekable();
    pieces.peek().is_some()
        && pieces.all(|p| {
            let p = p.trim_matches(|c| matches!(c, '(' | ')' | '（' | '）'));
            MEASURES.contains(&p) || p.eq_ignore_ascii_case("km") || p == "千元"
        })
}

/// Whether a name in a 责任单位 cell stands for several units (`各县（市）交通运输局`,
/// `有关单位`, `省公路局等单位`) rather than naming one.
pub fn looks_collective(name: &str) -> bool {
    let n = norm_unit(name);
    ["各", "有关", "相关", "所有", "全省各"]
        .iter()
        .any(|p| n.starts_with(p))
        || ["等单位", "等部门", "等"].iter().any(|e| n.ends_with(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_ordinals_read_back_as_their_numbers() {
        for n in 1..=99 {
            assert_eq!(cn_number(&chinese_ordinal(n)), Some(n as u32), "{n}");
        }
        assert_eq!(chinese_ordinal(12), "十二");
    }

    fn suffixes() -> Vec<String> {
        ["公里", "座", "个", "万元", "%"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    #[test]
    fn headers_normalise_brackets_colons_spaces_and_breaks() {
        assert_eq!(norm_header("本年计划投资（万元）"), "本年计划投资(万元)");
        assert_eq!(norm_header("自年初\n累计 完成"), "自年初累计完成");
        assert_eq!(norm_header("其中：中央车购税"), "其中:中央车购税");
        assert_eq!(norm_header("填报单位:"), norm_header("填报单位："));
    }

    #[test]
    fn unit_lists_split_on_every_separator() {
        assert_eq!(
            split_units("长春市交通局、吉林市，四平市,辽源市;通化市\n白山市；松原市"),
            vec![
                "长春市交通局",
                "吉林市",
                "四平市",
                "辽源市",
                "通化市",
                "白山市",
                "松原市"
            ]
        );
        assert!(split_units("  ").is_empty());
        assert_eq!(
            split_units("各县（市、区）交通运输局、省公路局（牵头）"),
            vec!["各县（市、区）交通运输局", "省公路局"]
        );
    }

    #[test]
    fn numbers_in_every_lenient_form() {
        let s = suffixes();
        assert_eq!(parse_number_text("1,234.5", &s), NumberRead::Value(1234.5));
        assert_eq!(
            parse_number_text("１２３．５", &s),
            NumberRead::Value(123.5)
        );
        assert_eq!(parse_number_text("12.5公里", &s), NumberRead::Value(12.5));
        assert_eq!(parse_number_text("300万元", &s), NumberRead::Value(300.0));
        assert_eq!(parse_number_text(" 42 ", &s), NumberRead::Value(42.0));
        assert_eq!(parse_number_text("1，000", &s), NumberRead::Value(1000.0));
        assert_eq!(parse_number_text("-3", &s), NumberRead::Value(-3.0));
        for p in ["—", "/", "无", "-", "——"] {
            assert_eq!(parse_number_text(p, &s), NumberRead::Placeholder, "{p}");
        }
    }

    #[test]
    fn estimates_ranges_and_words_are_refused() {
        let s = suffixes();
        for bad in [
            "约12公里",
            "12公里左右",
            "10-12",
            "10~12",
            "100余",
            "二十",
            "abc",
            "1.2亿元",
            "300元",
            "NaN",
            "inf",
            "1e5",
        ] {
            assert!(
                matches!(parse_number_text(bad, &s), NumberRead::Invalid(_)),
                "{bad} should be refused"
            );
        }
    }

    #[test]
    fn dates_in_every_form() {
        let d = NaiveDate::from_ymd_opt(2020, 6, 25).unwrap();
        for f in [
            "2020年6月25日",
            "2020-06-25",
            "2020/6/25",
            "2020.6.25",
            "20200625",
            "2020-06-25 10:30:00",
            "２０２０年６月２５日",
        ] {
            assert_eq!(parse_date_text(f), Some(d), "{f}");
        }
        assert_eq!(parse_date_text("6月25日"), None);
        assert_eq!(parse_date_text("2020-02-30"), None);
        assert_eq!(excel_serial_to_date(44007.0), Some(d));
    }

    #[test]
    fn values_kept_by_first_character_in_their_order() {
        let by = ByFirstChar::new([('长', 3), ('吉', 1), ('长', 2), ('松', 5), ('吉', 0)]);
        assert_eq!(by.get('长'), [3, 2]);
        assert_eq!(by.get('吉'), [1, 0]);
        assert_eq!(by.get('松'), [5]);
        assert_eq!(by.get('白'), [0; 0]);
        assert_eq!(ByFirstChar::<u8>::default().get('长'), [0; 0]);
        assert_eq!(
            header_chars(" 本月（万元） ").collect::<String>(),
            norm_header(" 本月（万元） ")
        );
    }

    /// A text left as it is only when normalising would not change it.
    #[test]
    fn unit_names_are_copied_only_when_normalising_changes_them() {
        for t in [
            "长春市交通运输局",
            "长春市 交通运输局",
            "长春市\u{3000}交通运输局",
            "（长春）",
            "ＡＢＣ局",
            "【长春】",
            "长春。",
            "a\tb",
            "",
            "吉林省交通运输厅2020年6月",
        ] {
            let cow = norm_unit_cow(t);
            assert_eq!(cow.as_ref(), norm_unit(t), "{t:?}");
            assert_eq!(
                matches!(cow, std::borrow::Cow::Borrowed(_)),
                norm_unit(t) == t,
                "{t:?}"
            );
        }
    }

    #[test]
    fn periods_in_text_and_file_names() {
        let p = Period::new(2020, 6).unwrap();
        assert_eq!(parse_period_text("2020年6月"), Some(p));
        assert_eq!(parse_period_text("2020-06"), Some(p));
        assert_eq!(parse_period_text("202006"), Some(p));
        assert_eq!(parse_period_text("2020-13"), None);
        assert_eq!(find_period_in("长春市交通局2020年6月月报.xlsx"), Some(p));
        assert_eq!(find_period_in("吉林_2020-06_final.xlsx"), Some(p));
        assert_eq!(find_period_in("报表.xlsx"), None);
        assert_eq!(find_period_in("12020年6月"), None);
        // Longer than the copy kept on the stack: the period past its end, or across it.
        for lead in [62, 63, 64, 65, 100] {
            let long = format!("{}2020年6月", "说".repeat(lead));
            assert_eq!(find_period_in(&long), Some(p), "{lead}");
            let five = format!("{}12020年6月", "说".repeat(lead));
            assert_eq!(find_period_in(&five), None, "{lead}");
        }
    }

    #[test]
    fn a_units_own_part_written_beside_its_name() {
        assert_eq!(
            unit_share("长春市交通运输局（30公里）"),
            Some(("长春市交通运输局".into(), Some(30.0), None))
        );
        assert_eq!(
            unit_share("吉林市(20公里，800万元)"),
            Some(("吉林市".into(), Some(20.0), Some(800.0)))
        );
        assert_eq!(
            unit_share("四平市（0.15亿元）"),
            Some(("四平市".into(), None, Some(1500.0)))
        );
        assert_eq!(unit_share("长白山管委会（交通运输局）"), None);
        assert_eq!(unit_share("省公路管理局"), None);
    }

    #[test]
    fn milestone_headers_name_their_month() {
        for (h, m) in [
            ("6月底目标", Some(6)),
            ("9月末目标", Some(9)),
            ("九月底累计目标", Some(9)),
            ("12月底目标（公里）", Some(12)),
            ("截至6月底目标", Some(6)),
            ("６月底目标", Some(6)),
            ("年度目标", None),
            ("6月底完成", None),
            ("13月底目标", None),
            ("6月底目标值说明", None),
        ] {
            assert_eq!(milestone_month(h), m, "{h}");
        }
    }

    #[test]
    fn deadlines() {
        assert_eq!(parse_deadline_text("2020年6月底"), Some(6));
        assert_eq!(parse_deadline_text("年底前"), Some(12));
        assert_eq!(parse_deadline_text("长期坚持"), Some(12));
        assert_eq!(parse_deadline_text("2020-09-30"), Some(9));
        assert_eq!(parse_deadline_text("10月底前"), Some(10));
        assert_eq!(parse_deadline_text("尽快"), None);
    }

    #[test]
    fn deadlines_as_attachments_write_them() {
        for (text, month) in [
            ("全年", 12),
            ("年内", 12),
            ("年底前", 12),
            ("上半年", 6),
            ("三季度末", 9),
            ("第一季度", 3),
            ("6月底前", 6),
            ("10月15日前", 10),
            ("长期坚持", 12),
            ("持续推进", 12),
            ("十月底前", 10),
            ("2020年9月30日前", 9),
        ] {
            assert_eq!(parse_deadline_text(text), Some(month), "{text}");
        }
        assert_eq!(parse_deadline_text("尽快"), None);
    }

    #[test]
    fn a_statistical_forms_months_so_far_end_in_its_period() {
        let jun = Period::new(2020, 6);
        assert_eq!(find_period_in("长春市2020年1-6月重点任务进展"), jun);
        assert_eq!(find_period_in("2020年1～6月"), jun);
        assert_eq!(find_period_in("2020年1至6月份"), jun);
        assert_eq!(find_period_in("2020年六月"), jun);
        assert_eq!(find_period_in("2020年6月"), jun);
        assert_eq!(find_period_in("2020-06-25"), jun);
        // No 年: read as written.
        assert_eq!(find_period_in("长春 2020-06 进展"), jun);
        assert_eq!(find_period_in("长春六月进展"), None);
    }

    #[test]
    fn dates_without_a_year_take_the_periods() {
        let jun = Period::new(2020, 6).unwrap();
        let d = |m, day| NaiveDate::from_ymd_opt(2020, m, day);
        assert_eq!(parse_date_without_year("6月26日", jun), d(6, 26));
        assert_eq!(parse_date_without_year("6.26", jun), d(6, 26));
        assert_eq!(parse_date_without_year("６月２６号", jun), d(6, 26));
        assert_eq!(parse_date_without_year("7/2", jun), d(7, 2));
        assert_eq!(parse_date_without_year("6月31日", jun), None);
        assert_eq!(parse_date_without_year("高速", jun), None);
        // A December return filled in January.
        let dec = Period::new(2020, 12).unwrap();
        assert_eq!(
            parse_date_without_year("1月3日", dec),
            NaiveDate::from_ymd_opt(2021, 1, 3)
        );
    }

    #[test]
    fn numbering_is_stripped_from_headings_and_names() {
        for (raw, num, rest) in [
            (
                "一、加快推进贫困地区交通基础设施建设",
                Some("一"),
                "加快推进贫困地区交通基础设施建设",
            ),
            ("（二）巩固两通成果", Some("二"), "巩固两通成果"),
            ("(3)农村公路", Some("3"), "农村公路"),
            ("3.高速公路", Some("3"), "高速公路"),
            ("12、客运场站", Some("12"), "客运场站"),
            ("第三部分 消费扶贫", Some("三"), "消费扶贫"),
            ("①危桥改造", Some("1"), "危桥改造"),
            ("4条高速公路", None, "4条高速公路"),
            ("一级公路改造", None, "一级公路改造"),
            ("高速公路", None, "高速公路"),
        ] {
            let (n, r) = strip_numbering(raw);
            assert_eq!((n.as_deref(), r), (num, rest), "{raw}");
        }
        assert_eq!(
            norm_name("3. 旅游路、资源路（产业路）"),
            "旅游路资源路产业路"
        );
        assert_eq!(norm_name("（一）1.高速 公路"), "高速公路");
        assert_eq!(strip_numbering("高速公路"), (None, "高速公路"));
        assert_eq!(strip_numbering("　高速公路"), (None, "高速公路"));
        assert_eq!(strip_numbering("4条高速公路"), (None, "4条高速公路"));
        assert_eq!(strip_numbering("①高速"), (Some("1".into()), "高速"));
        assert_eq!(strip_numbering("第3项 桥梁").1, "桥梁");
        assert_eq!(strip_numbering("(2)桥梁").1, "桥梁");
        assert_eq!(strip_numbering("３．桥梁").1, "桥梁");
        assert_eq!(norm_name("G331 改造"), "g331改造");
        assert_eq!(norm_name("ＡＢ　Ｃ-Ｄé Σ"), "abcdéσ");
    }

    #[test]
    fn targets_with_their_measures() {
        let q = |v: f64, m: &str, w: bool| TargetRead::Quantity {
            value: v,
            measure: m.into(),
            with_words: w,
        };
        assert_eq!(parse_target("718公里"), q(718.0, "公里", false));
        assert_eq!(parse_target("6座"), q(6.0, "座", false));
        assert_eq!(parse_target("2个"), q(2.0, "个", false));
        assert_eq!(parse_target("1.2万平方米"), q(1.2, "万平方米", false));
        assert_eq!(parse_target("１００％"), q(100.0, "%", false));
        assert_eq!(parse_target("新增通车里程718公里"), q(718.0, "公里", true));
        assert_eq!(parse_target("718"), TargetRead::Bare(718.0));
        assert_eq!(parse_target("年底前建成通车"), TargetRead::Words);
        assert_eq!(parse_target("2020年底前完成"), TargetRead::Words);
        assert_eq!(parse_target("G331线改造"), TargetRead::Words);
        assert_eq!(
            parse_target("改造危桥6座，实施安全生命防护工程44公里"),
            TargetRead::Several(vec![(6.0, "座".into()), (44.0, "公里".into())])
        );
    }

    #[test]
    fn collective_names() {
        for c in [
            "各县（市、区）交通运输局",
            "有关单位",
            "省公路局等单位",
            "各直属单位",
        ] {
            assert!(looks_collective(c), "{c}");
        }
        for u in ["长春市交通运输局", "省高速公路集团", "厅扶贫办"] {
            assert!(!looks_collective(u), "{u}");
        }
    }

    #[test]
    fn ideographs_are_letters_without_a_lower_case() {
        // `norm_name` keeps them as they are without asking Unicode's tables.
        for c in CJK_IDEOGRAPHS {
            assert!(c.is_alphanumeric(), "{c:?}");
            assert!(c.to_lowercase().eq([c]), "{c:?}");
        }
    }
}
