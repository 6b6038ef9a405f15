//! .xls (BIFF8, BIFF5; WPS's .et): the compound file checked and its workbook stream taken
//! out (`compound`, on the `cfb` crate), decrypted when Excel's default key opens it
//! (`crypt`), its declared sizes pre-scanned against the cells it holds (`biff`); what calamine
//! then reads is the file, or a copy re-made with the decrypted or patched stream.

mod biff;
mod crypt;

use super::compound;
use super::ranged;
use super::refusal::{Checked, Refusal};
use crate::config::Config;
use crate::discover::kind::Kind;
use crate::model::RawWorkbook;
use biff::Prescan;
use crypt::Encryption;

/// Checks an .xls before calamine reads it: sound chains, no password of the unit's own, no
/// sheet whose cells spread beyond the limit.
///
/// `opened` is the file as [`compound::open`] opened it to tell what it is.
pub fn check(
    bytes: &[u8],
    opened: Option<compound::Opened<'_>>,
    config: &Config,
) -> Result<Checked, Refusal> {
    let Some((name, stream)) = compound::inspect(bytes, opened)?.workbook else {
        return Ok(Checked::AsTheyAre);
    };
    if !compound::is_canonical_name(&name)
        && let Some(renamed) = compound::with_workbook_named(bytes)
    {
        return Ok(Checked::Copy(renamed));
    }
    match crypt::open(&stream) {
        Encryption::None => {}
        // Excel opens it without asking: so does huizong, from a decrypted copy.
        Encryption::DefaultKey(plain) => return copy_with(bytes, &plain),
        Encryption::Password => return Err(Refusal::Encrypted),
    }
    let limit = config.limits.max_cells_per_sheet;
    match biff::prescan(&stream, limit) {
        Prescan::Fine => Ok(Checked::AsTheyAre),
        // The copy's declarations are within the limit: read it instead.
        Prescan::Patched(patched) => copy_with(bytes, &patched),
        Prescan::TooSpread {
            sheet,
            span,
            filled,
        } => Err(Refusal::CellsSpread {
            sheet,
            span,
            filled: Some(filled),
            limit,
        }),
    }
}

/// A copy of the file with its workbook stream replaced.
fn copy_with(bytes: &[u8], stream: &[u8]) -> Result<Checked, Refusal> {
    compound::with_workbook_stream(bytes, stream)
        .map(Checked::Copy)
        .ok_or(Refusal::CompoundDamaged)
}

/// Reads a checked .xls into `wb`, a whole sheet at a time.
pub fn read(bytes: &[u8], wb: &mut RawWorkbook, config: &Config) {
    ranged::read(bytes, Kind::Xls, wb, config);
}
