//! An .xlsx encrypted into a compound file. Excel opens one encrypted only with its default
//! key without asking anything; so does huizong, from a decrypted copy. Any other password is
//! the unit's to remove.

use super::compound;
use super::refusal::{Checked, Refusal};
use crate::discover::kind::{self, Kind};

/// The password Excel uses when a workbook is encrypted without one being asked for.
const EXCEL_DEFAULT_KEY: &str = "VelvetSweatshop";

/// The decrypted workbook, when the default key opens it.
pub fn check(bytes: &[u8]) -> Result<Checked, Refusal> {
    // The decryptor follows the compound file's chains: only sound ones.
    compound::check(bytes).map_err(|_| Refusal::Encrypted)?;
    match office_crypto::decrypt_from_bytes(bytes.to_vec(), EXCEL_DEFAULT_KEY) {
        Ok(plain) if kind::detect(&plain) == Kind::Xlsx => Ok(Checked::Copy(plain)),
        _ => Err(Refusal::Encrypted),
    }
}
