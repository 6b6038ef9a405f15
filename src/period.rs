//! A reporting month (报送月份).

use std::fmt;

use chrono::NaiveDate;

/// A reporting month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub year: i32,
    pub month: u32,
}

impl Period {
    pub fn new(year: i32, month: u32) -> Option<Period> {
        ((1900..=2200).contains(&year) && (1..=12).contains(&month))
            .then_some(Period { year, month })
    }

    /// The month before, within the same year (January has none: the year restarts).
    pub fn previous_in_year(self) -> Option<Period> {
        (self.month > 1).then(|| Period {
            year: self.year,
            month: self.month - 1,
        })
    }

    /// `2020-06`, the machine form.
    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// `2020年6月`, the form people read.
    pub fn label(self) -> String {
        format!("{}年{}月", self.year, self.month)
    }

    /// The last day a return for this period is on time: the deadline day, or the month's
    /// last day when the month is shorter.
    pub fn deadline(self, day: u32) -> NaiveDate {
        (1..=day.max(1))
            .rev()
            .find_map(|d| NaiveDate::from_ymd_opt(self.year, self.month, d))
            .expect("every month has a first day")
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}
