//! Why a workbook is not read: every limit with its figures, and every reason a file cannot
//! or must not be read, typed. Worded in messages.rs.

use crate::cell::Span;
use crate::finding::Code;
use crate::messages as msg;

/// Why a workbook is refused: a configured limit with its figures (E-FILE-LIMIT), or why
/// it cannot or must not be read (E-FILE-UNREADABLE). Worded in messages.rs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A part inflates beyond `limits.max_part_bytes`.
    PartTooBig { part: String, limit: u64 },
    /// The parts together inflate beyond `limits.max_inflated_bytes`.
    InflatedTooBig { limit: u64 },
    /// A part inflates more than `limits.max_inflate_ratio` times its compressed size.
    RatioTooHigh { part: String, ratio: u64 },
    /// A sheet's content spans more than `limits.max_cells_per_sheet` cells.
    TooManyCells { cells: u64, limit: u64 },
    /// The zip is cut short, or a part cannot be inflated.
    Truncated,
    /// The zip's own encryption.
    Encrypted,
    /// XML that declares entities.
    XmlEntities,
    /// A compound file whose sector chains run out of the file or in a loop.
    CompoundDamaged,
    /// The file is larger than `limits.max_file_bytes`.
    FileTooBig { size: u64, limit: u64 },
    /// A sheet's non-empty cells spread over more than `limits.max_cells_per_sheet` cells
    /// (as far as seen; with how many hold something, when an .xls's pre-scan counted).
    CellsSpread {
        sheet: String,
        span: Span,
        filled: Option<u64>,
        limit: u64,
    },
}

impl Refusal {
    /// The finding's code.
    pub fn code(&self) -> Code {
        match self {
            Refusal::PartTooBig { .. }
            | Refusal::InflatedTooBig { .. }
            | Refusal::RatioTooHigh { .. }
            | Refusal::TooManyCells { .. }
            | Refusal::FileTooBig { .. }
            | Refusal::CellsSpread { .. } => Code::FileLimit,
            Refusal::Truncated
            | Refusal::Encrypted
            | Refusal::XmlEntities
            | Refusal::CompoundDamaged => Code::FileUnreadable,
        }
    }

    /// What the finding says.
    pub fn message(&self) -> String {
        match self {
            Refusal::PartTooBig { part, limit } => msg::part_too_big(part, *limit),
            Refusal::InflatedTooBig { limit } => msg::inflated_too_big(*limit),
            Refusal::RatioTooHigh { part, ratio } => msg::ratio_too_high(part, *ratio),
            Refusal::TooManyCells { cells, limit } => msg::too_many_cells(*cells, *limit),
            Refusal::Truncated => msg::TRUNCATED.to_string(),
            Refusal::Encrypted => msg::ENCRYPTED.to_string(),
            Refusal::XmlEntities => msg::XML_ENTITIES.to_string(),
            Refusal::CompoundDamaged => msg::COMPOUND_DAMAGED.to_string(),
            Refusal::FileTooBig { size, limit } => msg::file_too_big(*size, *limit),
            Refusal::CellsSpread {
                span,
                filled,
                limit,
                ..
            } => msg::cells_spread(span, *filled, *limit),
        }
    }

    /// The sheet the refusal is about, if one.
    pub fn sheet(&self) -> Option<&str> {
        match self {
            Refusal::CellsSpread { sheet, .. } => Some(sheet),
            _ => None,
        }
    }
}

/// What a format's check hands back when the file may be read.
#[derive(Debug, PartialEq)]
pub enum Checked {
    /// Read the bytes as they are.
    AsTheyAre,
    /// Read this copy made from them (decrypted, or a declared size brought down to the
    /// cells held); it is checked in turn.
    Copy(Vec<u8>),
}
