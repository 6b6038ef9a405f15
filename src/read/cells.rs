//! calamine's cells as the table finding reads them: owned (`Data`, from .xls, .ods and a
//! whole-sheet read) or borrowing the shared strings (`DataRef`, from a streamed .xlsx), and
//! calamine's `Range` as a [`Sheet`].

use calamine::{CellType, Data, DataRef, ExcelDateTime, Range};

use super::tables::{Sheet, Value};
use crate::model::Raw;
use crate::normalize::parse_date_text;

impl<T: Value + CellType> Sheet for Range<T> {
    type Cell = T;

    fn start(&self) -> Option<(u32, u32)> {
        Range::start(self)
    }

    fn end(&self) -> Option<(u32, u32)> {
        Range::end(self)
    }

    fn get(&self, row: u32, col: u32) -> Option<&T> {
        self.get_value((row, col))
    }
}

impl Value for Data {
    fn raw(&self) -> Raw {
        match self {
            Data::Empty => Raw::Empty,
            Data::Int(i) => Raw::Number(*i as f64),
            Data::Float(f) => Raw::Number(*f),
            Data::String(s) => text_raw(s),
            Data::Bool(b) => bool_raw(*b),
            Data::DateTime(dt) => date_raw(dt),
            Data::DateTimeIso(s) => parse_date_text(s).map_or(Raw::Text(s.clone()), Raw::Date),
            Data::DurationIso(s) => Raw::Text(s.clone()),
            Data::Error(e) => Raw::Bad(format!("#{e:?}")),
        }
    }

    fn text(&self) -> Option<&str> {
        match self {
            Data::String(s) => Some(s),
            _ => None,
        }
    }
}

impl Value for DataRef<'_> {
    fn raw(&self) -> Raw {
        match self {
            DataRef::Empty => Raw::Empty,
            DataRef::Int(i) => Raw::Number(*i as f64),
            DataRef::Float(f) => Raw::Number(*f),
            DataRef::String(s) => text_raw(s),
            DataRef::SharedString(s) => text_raw(s),
            DataRef::Bool(b) => bool_raw(*b),
            DataRef::DateTime(dt) => date_raw(dt),
            DataRef::DateTimeIso(s) => parse_date_text(s).map_or(Raw::Text(s.clone()), Raw::Date),
            DataRef::DurationIso(s) => Raw::Text(s.clone()),
            DataRef::Error(e) => Raw::Bad(format!("#{e:?}")),
        }
    }

    fn text(&self) -> Option<&str> {
        match self {
            DataRef::String(s) => Some(s),
            DataRef::SharedString(s) => Some(s),
            _ => None,
        }
    }
}

fn text_raw(s: &str) -> Raw {
    if s.trim().is_empty() {
        Raw::Empty
    } else {
        Raw::Text(s.to_string())
    }
}

fn bool_raw(b: bool) -> Raw {
    Raw::Bad(if b { "TRUE" } else { "FALSE" }.to_string())
}

fn date_raw(dt: &ExcelDateTime) -> Raw {
    let (y, m, day, ..) = dt.to_ymd_hms_milli();
    match chrono::NaiveDate::from_ymd_opt(y as i32, m as u32, day as u32) {
        Some(date) if dt.is_datetime() => Raw::Date(date),
        _ => Raw::Number(dt.as_f64()),
    }
}
