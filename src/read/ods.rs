//! .ods: checked as a zip (`zipped`, which also bounds the grid its `content.xml` spans,
//! since calamine's ODS reader cannot be streamed), then read a whole sheet at a time.

use super::ranged;
use crate::config::Config;
use crate::discover::kind::Kind;
use crate::model::RawWorkbook;

/// Reads a checked .ods into `wb`.
pub fn read(bytes: &[u8], wb: &mut RawWorkbook, config: &Config) {
    ranged::read(bytes, Kind::Ods, wb, config);
}
