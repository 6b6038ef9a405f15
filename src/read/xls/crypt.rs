//! An .xls encrypted with Excel's default key, opened as Excel opens it.
//!
//! Excel encrypts a legacy workbook with the password `VelvetSweatshop` when it is saved with
//! a protected structure or as read-only recommended, and opens such a file without asking
//! anything. calamine refuses every encrypted .xls; here the workbook stream of a copy is
//! decrypted (RC4 with MD5, or RC4 CryptoAPI with SHA-1: [MS-OFFCRYPTO] 2.3.6 and 2.3.5, the
//! record rules of [MS-XLS] 2.2.10) and its FILEPASS record neutralised, so calamine reads the
//! copy as a plain file. Any other password stays the unit's to remove.

use md5::{Digest, Md5};
use sha1::Sha1;

use super::biff::{Records, u16_at, u32_at};

/// The password Excel uses when none was asked of the user.
const DEFAULT_PASSWORD: &str = "VelvetSweatshop";

/// The keystream changes every this many bytes of the stream.
const BLOCK: usize = 1024;

/// What an .xls's encryption turned out to be.
#[derive(Debug, PartialEq)]
pub enum Encryption {
    /// No FILEPASS record: read the file as it is.
    None,
    /// Encrypted with Excel's default key: read this decrypted copy of the workbook stream.
    DefaultKey(Vec<u8>),
    /// A password the user chose (or an obfuscation this code does not undo).
    Password,
}

/// Looks for a FILEPASS record in a workbook stream's globals and, when the default key
/// opens it, decrypts.
pub fn open(data: &[u8]) -> Encryption {
    open_with(data, DEFAULT_PASSWORD)
}

/// As [`open`], with the password to try.
fn open_with(data: &[u8], password: &str) -> Encryption {
    let Some((filepass, rec)) = Records::new(data, 0)
        .take_while(|(at, typ, _)| *at == 0 || *typ != 0x000A)
        .find(|(_, typ, _)| *typ == 0x002F)
        .map(|(at, _, rec)| (at, rec))
    else {
        return Encryption::None;
    };
    let Some(cipher) = Cipher::from_filepass(rec, password) else {
        return Encryption::Password;
    };
    let mut plain = data.to_vec();
    let mut keystream = Keystream::new(&cipher);
    for (at, typ, rec) in Records::new(data, 0) {
        // Records whose data is never encrypted; BoundSheet8 keeps its stream position clear.
        let skip = match typ {
            0x0809 | 0x002F | 0x0194 | 0x0195 | 0x00E1 | 0x0196 | 0x0138 => rec.len(),
            0x0085 => 4.min(rec.len()),
            _ => 0,
        };
        let from = at + 4 + skip;
        for (p, b) in plain[from..at + 4 + rec.len()].iter_mut().enumerate() {
            *b ^= keystream.at(from + p);
        }
    }
    // The FILEPASS record becomes one calamine passes over (InterfaceEnd), its length kept
    // so that every stream position stays where it was.
    plain[filepass..filepass + 2].copy_from_slice(&0x00E2u16.to_le_bytes());
    Encryption::DefaultKey(plain)
}

/// The key of each 1024-byte block, derived from the password.
enum Cipher {
    /// RC4 with MD5: the 5-byte intermediate hash.
    Md5([u8; 5]),
    /// RC4 CryptoAPI: the SHA-1 of salt and password, and the key length in bytes.
    CryptoApi([u8; 20], usize),
}

impl Cipher {
    /// The cipher of a FILEPASS record, if `password` opens it (its verifier checks).
    fn from_filepass(rec: &[u8], password: &str) -> Option<Cipher> {
        if u16_at(rec, 0)? != 1 {
            // XOR obfuscation (Excel 95 style): not undone here.
            return None;
        }
        let (major, minor) = (u16_at(rec, 2)?, u16_at(rec, 4)?);
        let pw: Vec<u8> = password
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        if major == 1 && minor == 1 {
            let salt = rec.get(6..22)?;
            let h0 = Md5::digest(&pw);
            let mut buf = Vec::with_capacity(16 * 21);
            for _ in 0..16 {
                buf.extend_from_slice(&h0[..5]);
                buf.extend_from_slice(salt);
            }
            let h1 = Md5::digest(&buf);
            let cipher = Cipher::Md5(h1[..5].try_into().ok()?);
            let mut check = rec.get(22..54)?.to_vec();
            rc4(&cipher.block_key(0), &mut check);
            return (Md5::digest(&check[..16]).as_slice() == &check[16..]).then_some(cipher);
        }
        if (2..=4).contains(&major) && minor == 2 {
            let header_size = u32_at(rec, 10)? as usize;
            let header = rec.get(14..14 + header_size)?;
            let key_bits = u32_at(header, 16)? as usize;
            let key_len = if key_bits == 0 { 5 } else { key_bits / 8 };
            if !(5..=16).contains(&key_len) {
                return None;
            }
            let v = rec.get(14 + header_size..)?;
            let salt_size = u32_at(v, 0)? as usize;
            let salt = v.get(4..4 + salt_size)?;
            let verifier = v.get(4 + salt_size..20 + salt_size)?;
            let hash_size = u32_at(v, 20 + salt_size)? as usize;
            let hash = v.get(24 + salt_size..24 + salt_size + hash_size)?;
            let mut h0 = Sha1::new();
            h0.update(salt);
            h0.update(&pw);
            let cipher = Cipher::CryptoApi(h0.finalize().into(), key_len);
            let mut check = [verifier, hash].concat();
            rc4(&cipher.block_key(0), &mut check);
            let want = Sha1::digest(&check[..16]);
            return (want.as_slice() == &check[16..16 + hash_size.min(20)]).then_some(cipher);
        }
        None
    }

    /// The RC4 key of block `n` (128 bits; a 40-bit CryptoAPI key is padded with zeros).
    fn block_key(&self, n: u32) -> Vec<u8> {
        match self {
            Cipher::Md5(h1) => {
                let mut m = Md5::new();
                m.update(h1);
                m.update(n.to_le_bytes());
                m.finalize().to_vec()
            }
            Cipher::CryptoApi(h0, len) => {
                let mut s = Sha1::new();
                s.update(h0);
                s.update(n.to_le_bytes());
                let mut key = s.finalize()[..*len].to_vec();
                if *len == 5 {
                    key.resize(16, 0);
                }
                key
            }
        }
    }
}

/// The keystream byte of each stream position, one block at a time.
struct Keystream<'a> {
    cipher: &'a Cipher,
    block: Option<usize>,
    bytes: [u8; BLOCK],
}

impl<'a> Keystream<'a> {
    fn new(cipher: &'a Cipher) -> Keystream<'a> {
        Keystream {
            cipher,
            block: None,
            bytes: [0; BLOCK],
        }
    }

    fn at(&mut self, p: usize) -> u8 {
        let n = p / BLOCK;
        if self.block != Some(n) {
            self.bytes = [0; BLOCK];
            rc4(&self.cipher.block_key(n as u32), &mut self.bytes);
            self.block = Some(n);
        }
        self.bytes[p % BLOCK]
    }
}

/// RC4: XORs `data` with the keystream of `key` (5 to 16 bytes: the key lengths a FILEPASS
/// record may give; the `rc4` crate takes its key length as a type).
fn rc4(key: &[u8], data: &mut [u8]) {
    use rc4::cipher::generic_array::ArrayLength;
    use rc4::consts::{U5, U6, U7, U8, U9, U10, U11, U12, U13, U14, U15, U16};
    use rc4::{KeyInit, Rc4, StreamCipher};
    fn apply<N: ArrayLength<u8>>(key: &[u8], data: &mut [u8]) {
        if let Ok(mut c) = Rc4::<N>::new_from_slice(key) {
            c.apply_keystream(data);
        }
    }
    match key.len() {
        5 => apply::<U5>(key, data),
        6 => apply::<U6>(key, data),
        7 => apply::<U7>(key, data),
        8 => apply::<U8>(key, data),
        9 => apply::<U9>(key, data),
        10 => apply::<U10>(key, data),
        11 => apply::<U11>(key, data),
        12 => apply::<U12>(key, data),
        13 => apply::<U13>(key, data),
        14 => apply::<U14>(key, data),
        15 => apply::<U15>(key, data),
        16 => apply::<U16>(key, data),
        _ => unreachable!("FILEPASS key lengths are checked to be 5 to 16 bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xls};

    fn public(name: &str) -> Vec<u8> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/public");
        std::fs::read(dir.join(name)).unwrap()
    }

    /// A file's workbook stream.
    fn stream(bytes: &[u8]) -> Vec<u8> {
        crate::read::compound::workbook_stream(bytes).expect("a workbook stream")
    }

    /// The first sheet's cells of a decrypted copy of `file`, as calamine reads them.
    fn first_sheet(file: &[u8], e: Encryption) -> calamine::Range<Data> {
        let Encryption::DefaultKey(plain) = e else {
            panic!("not decrypted: {e:?}");
        };
        let copy = crate::read::compound::with_workbook_stream(file, &plain).unwrap();
        let mut book = Xls::new(std::io::Cursor::new(copy)).expect("a plain .xls");
        let name = book.sheet_names()[0].clone();
        book.worksheet_range(&name).unwrap()
    }

    #[test]
    fn the_default_key_opens_a_protected_structure_as_excel_does() {
        // ExcelDataReader's ReadWriteProtectedStructureUsingStandardEncryption: A1 "x", A2 1.4.
        let file = public("protectedsheet-xxx.xls");
        let r = first_sheet(&file, open(&stream(&file)));
        assert_eq!(r.get_value((0, 0)), Some(&Data::String("x".into())));
        assert_eq!(r.get_value((1, 0)), Some(&Data::Float(1.4)));
    }

    #[test]
    fn both_rc4_ciphers_decrypt_with_their_password_and_refuse_another() {
        // RC4 with MD5 (ExcelDataReader's git issue 242) and RC4 CryptoAPI with a 40-bit key
        // (issue 477, from SheetJS): both with the password "password".
        for name in [
            "Test_git_issue_242_std_rc4_pwd_password.xls",
            "Test_git_issue_477_crypto_keylength40.xls",
        ] {
            let bytes = public(name);
            assert_eq!(open(&stream(&bytes)), Encryption::Password, "{name}");
            let r = first_sheet(&bytes, open_with(&stream(&bytes), "password"));
            assert!(
                r.cells().any(|(_, _, v)| !matches!(v, Data::Empty)),
                "{name}: cells read"
            );
            if name.contains("477") {
                // ExcelDataReader's GitIssue477_Test_crypto_keylength40: 1, then 2 and 10.
                assert_eq!(r.get_value((0, 0)), Some(&Data::Float(1.0)));
                assert_eq!(r.get_value((1, 1)), Some(&Data::Float(10.0)));
            }
        }
    }

    #[test]
    fn rc4_matches_its_published_test_vector() {
        // RFC 6229, key 0x0102030405, first keystream bytes.
        let mut data = [0u8; 8];
        rc4(&[1, 2, 3, 4, 5], &mut data);
        assert_eq!(data, [0xb2, 0x39, 0x63, 0x05, 0xf0, 0x3d, 0xc0, 0x27]);
    }
}
