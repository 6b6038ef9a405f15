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
fn half_width(c: char) -> char {
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
    out.extend(s.chars().map(half_width).filter(|c| !c.is_whitespace()));
    out
}

/// Normalises a unit name for comparison: no whitespace, half-width forms.
pub fn norm_unit(s: &str) -> String {
    norm_header(s)
}

/// Splits a 责任单位 cell on 、，,; and line breaks.
pub fn split_units(s: &str) -> Vec<String> {
    s.split(['、', '，', ',', ';', '；', '\n', '\r', '/'])
        .map(|p| p.trim().trim_matches('\u{3000}').to_string())
        .filter(|p| !p.is_empty())
        .collect()
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

/// Parses a period: `2020-06`, `2020-6`, `2020年6月`, `202006`, `2020.6`, `2020/06`.
pub fn parse_period_text(raw: &str) -> Option<Period> {
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
    let t = to_half_width(text);
    let chars: Vec<char> = t.chars().collect();
    for i in 0..chars.len() {
        if i + 4 > chars.len() || !chars[i..i + 4].iter().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if i > 0 && chars[i - 1].is_ascii_digit() {
            continue;
        }
        let year: i32 = chars[i..i + 4].iter().collect::<String>().parse().ok()?;
        let mut j = i + 4;
        if j < chars.len() && matches!(chars[j], '年' | '-' | '.' | '_') {
            j += 1;
        } else {
            continue;
        }
        let start = j;
        while j < chars.len() && chars[j].is_ascii_digit() && j - start < 2 {
            j += 1;
        }
        if j == start {
            continue;
        }
        if j < chars.len() && chars[j].is_ascii_digit() {
            continue;
        }
        let month: u32 = chars[start..j].iter().collect::<String>().parse().ok()?;
        if let Some(p) = Period::new(year, month) {
            return Some(p);
        }
    }
    None
}

/// The month a task is due (`完成时限`), 1–12, from a date, `2020年6月底`, `6月底`,
/// `年底前`, `长期坚持` (= 12). `None` when the text cannot be read.
pub fn parse_deadline_text(raw: &str) -> Option<u32> {
    let s: String = to_half_width(raw)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if s.is_empty() {
        return Some(12);
    }
    if s.contains("长期") || s.contains("年底") || s.contains("年末") || s.contains("全年")
    {
        return Some(12);
    }
    if let Some(d) = parse_date_text(&s) {
        return Some(chrono::Datelike::month(&d));
    }
    // `2020年6月底`, `6月底前`, `2020-06`, `6月`
    let before_month = s.split('月').next()?;
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

/// Replaces characters that are not allowed in Windows file names.
pub fn safe_file_stem(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| match c {
            '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*' => '_',
            c if (c as u32) < 32 => '_',
            c => c,
        })
        .collect();
    let trimmed = cleaned.trim().trim_end_matches(['.', ' ']).to_string();
    let upper = trimmed.to_ascii_uppercase();
    let reserved = ["CON", "PRN", "AUX", "NUL"];
    let stem = upper.split('.').next().unwrap_or("");
    let is_reserved = reserved.contains(&stem)
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit());
    let out = if trimmed.is_empty() || is_reserved {
        format!("_{trimmed}")
    } else {
        trimmed
    };
    out.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn file_stems_are_valid_on_windows() {
        assert_eq!(safe_file_stem("a/b:c*?"), "a_b_c__");
        assert_eq!(safe_file_stem("CON"), "_CON");
        assert_eq!(safe_file_stem("单位. "), "单位");
    }
}
