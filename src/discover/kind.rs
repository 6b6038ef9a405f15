//! What a file is, by its bytes (never by its name): a workbook huizong reads, a spreadsheet
//! it cannot read, or something else (a Word document, a PDF, a picture …), named so that a
//! clerk knows what was sent.

/// What a file's bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Empty,
    /// Office Open XML workbook (.xlsx .xlsm .xltx .xltm).
    Xlsx,
    /// Excel binary workbook (.xlsb).
    Xlsb,
    /// OpenDocument spreadsheet (.ods).
    Ods,
    /// A compound file holding a BIFF workbook (.xls .xlt, WPS's .et .ett).
    Xls,
    /// An OOXML file encrypted into a compound file (a password, or Excel's default key).
    EncryptedOoxml,
    /// A compound file whose directory cannot be read: a damaged workbook, most likely.
    DamagedCompound,
    /// A compound file whose directory reads but holds another program's streams (Visio,
    /// Publisher, Project and the like): no workbook.
    OtherCompound,
    /// Excel 2.x–4.0 worksheet (BIFF2–4, before compound files).
    OldExcel,
    /// Flat OpenDocument spreadsheet (.fods) or Excel 2003 XML: XML that calamine cannot read.
    XmlSpreadsheet,
    /// Apple Numbers (a zip of `Index/*.iwa` with tables, no slides), from a clerk on a Mac.
    Numbers,
    /// Quattro Pro for Windows (.qpw, .wb3): a compound file, though no Office one.
    QuattroPro,
    /// Another Apple iWork document (Pages, Keynote) or one whose kind its zip does not say.
    Iwork,
    Word,
    PowerPoint,
    Outlook,
    Zip,
    /// An archive of another kind (rar, 7z).
    Archive,
    Pdf,
    Html,
    Image,
    Rtf,
    Text,
    /// A zip whose directory cannot be read: cut off or damaged.
    BrokenZip,
    /// Excel's or WPS's lock file (the owner's name, padded), whatever it is called: skipped
    /// as the `~$` ones are.
    LockFile,
    /// Windows's thumbnail cache (`Thumbs.db`), a hidden system file Explorer leaves in a
    /// folder of pictures, on network drives above all: skipped as hidden files are.
    Thumbnails,
    /// A VBA project (`vbaProject.bin`), the macros of a workbook taken out of it.
    VbaProject,
    /// Explorer's settings of a folder (`desktop.ini`), a hidden system file: skipped as
    /// hidden files are.
    FolderSettings,
    Unknown,
}

impl Kind {
    /// A workbook huizong reads.
    pub fn is_readable_workbook(self) -> bool {
        matches!(self, Kind::Xlsx | Kind::Xlsb | Kind::Ods | Kind::Xls)
    }

    /// A spreadsheet, readable or not: it belongs with the returns.
    pub fn is_spreadsheet(self) -> bool {
        self.is_readable_workbook()
            || matches!(
                self,
                Kind::EncryptedOoxml
                    | Kind::DamagedCompound
                    | Kind::OldExcel
                    | Kind::XmlSpreadsheet
                    | Kind::Numbers
                    | Kind::QuattroPro
            )
    }

    /// What to call it in a finding.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Empty => "空文件",
            Kind::Xlsx => "Excel 工作簿",
            Kind::Xlsb => "Excel 二进制工作簿",
            Kind::Ods => "OpenDocument 电子表格",
            Kind::Xls => "Excel 97–2003 / WPS 工作簿",
            Kind::EncryptedOoxml => "加密的 Excel 工作簿",
            Kind::DamagedCompound => "已损坏的 Office 复合文档",
            Kind::OtherCompound => "其他程序的文件",
            Kind::OldExcel => "Excel 2.x–4.0 旧格式工作表",
            Kind::XmlSpreadsheet => "XML 格式电子表格（.fods 或 Excel 2003 XML）",
            Kind::Numbers => "苹果 Numbers 表格",
            Kind::QuattroPro => "Quattro Pro 工作簿",
            Kind::Iwork => "苹果 iWork 文档（Pages、Keynote 或 Numbers）",
            Kind::Word => "Word 文档",
            Kind::PowerPoint => "PowerPoint 演示文稿",
            Kind::Outlook => "Outlook 邮件",
            Kind::Zip => "压缩包（zip）",
            Kind::Archive => "压缩包（rar/7z）",
            Kind::Pdf => "PDF 文件",
            Kind::Html => "网页（HTML）文件",
            Kind::Image => "图片",
            Kind::Rtf => "RTF 文档",
            Kind::Text => "文本文件",
            Kind::BrokenZip => "不完整的压缩文件",
            Kind::LockFile => "Excel/WPS 的锁定文件",
            Kind::Thumbnails => "Windows 缩略图缓存（Thumbs.db）",
            Kind::VbaProject => "VBA 宏工程文件",
            Kind::FolderSettings => "Windows 文件夹设置（desktop.ini）",
            Kind::Unknown => "无法识别的文件",
        }
    }
}

const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Whether a compound file's bytes hold a directory entry of this name (UTF-16 LE),
/// anywhere: for a file whose directory cannot be read.
fn has_entry(bytes: &[u8], name: &str) -> bool {
    // Names compare without case, as in a directory that reads (`worddocument`).
    let needle: Vec<u8> = name
        .to_ascii_lowercase()
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    memchr::memmem::find(&bytes.to_ascii_lowercase(), &needle).is_some()
}

/// The names at a compound file's root, or `None` when its directory cannot be read.
/// The root tells what the file is: a Word document that embeds a sheet holds a
/// `Workbook` too, inside its object pool.
fn root_entries(bytes: &[u8]) -> Option<Vec<String>> {
    let file = cfb::CompoundFile::open(std::io::Cursor::new(bytes)).ok()?;
    Some(
        file.read_root_storage()
            .map(|e| e.name().to_string())
            .collect(),
    )
}

/// Whether the bytes are a compound file's (.xls, .et, an encrypted .xlsx, a Word .doc).
pub fn is_compound(bytes: &[u8]) -> bool {
    bytes.starts_with(&OLE)
}

/// What a compound file is, from the names at its root (`None`: its directory could not
/// be read, and the names are looked for in its bytes).
pub fn compound_kind(bytes: &[u8], root: Option<&[String]>) -> Kind {
    let has = |name: &str| match root {
        Some(names) => names.iter().any(|n| n.starts_with(name)),
        None => has_entry(bytes, name),
    };
    // A compound file's names compare without case (`BOOK` is the `Book` stream).
    let is = |name: &str| match root {
        Some(names) => names.iter().any(|n| n.eq_ignore_ascii_case(name)),
        None => has_entry(bytes, name),
    };
    if is("EncryptedPackage") {
        Kind::EncryptedOoxml
    } else if is("Workbook") || is("Book") {
        Kind::Xls
    } else if is("WordDocument") {
        Kind::Word
    } else if is("PowerPoint Document") {
        Kind::PowerPoint
    } else if has("__substg1.0_") {
        Kind::Outlook
    } else if root.is_some_and(is_thumbnail_cache) {
        Kind::Thumbnails
    } else if root.is_some() && is("VBA") && is("PROJECT") {
        Kind::VbaProject
    } else if is("NativeContent_MAIN") || is("PerfectOffice_MAIN") {
        // Quattro Pro 9 and later (.qpw), and 7–8 (.wb3): their notebook's stream.
        Kind::QuattroPro
    } else if root.is_some_and(|names| !names.is_empty()) {
        // A directory that reads, holding streams of another program's (Visio's
        // `VisioDocument`, Publisher's `Quill`, Project's, WPS's …): a file of that
        // program, not a damaged workbook.
        Kind::OtherCompound
    } else {
        Kind::DamagedCompound
    }
}

/// Whether a compound file's root is a thumbnail cache's: a `Catalog` of the pictures (the
/// first format), or only streams named by size and hash (`256_79dea834bece3f6b`).
fn is_thumbnail_cache(root: &[String]) -> bool {
    let by_size_and_hash = |n: &String| {
        n.split_once('_').is_some_and(|(size, hash)| {
            !size.is_empty()
                && size.bytes().all(|b| b.is_ascii_digit())
                && hash.len() == 16
                && hash.bytes().all(|b| b.is_ascii_hexdigit())
        })
    };
    root.iter().any(|n| n == "Catalog") || (!root.is_empty() && root.iter().all(by_size_and_hash))
}

/// What the bytes are.
pub fn detect(bytes: &[u8]) -> Kind {
    if bytes.is_empty() {
        return Kind::Empty;
    }
    if is_compound(bytes) {
        return compound_kind(bytes, root_entries(bytes).as_deref());
    }
    if bytes.starts_with(b"PK") {
        return zip_kind(bytes);
    }
    // BIFF2–4: a BOF record (0x0009, 0x0209, 0x0409, 0x0809 with a worksheet type) at the
    // start of the file itself.
    if bytes.len() >= 8 && bytes[0] == 0x09 && matches!(bytes[1], 0x00 | 0x02 | 0x04) {
        return Kind::OldExcel;
    }
    if is_lock_file(bytes) {
        return Kind::LockFile;
    }
    let head = &bytes[..bytes.len().min(4096)];
    if head.starts_with(b"%PDF") {
        return Kind::Pdf;
    }
    if head.starts_with(b"\x89PNG")
        || head.starts_with(&[0xFF, 0xD8, 0xFF])
        || head.starts_with(b"GIF8")
        || head.starts_with(b"BM")
        || head.starts_with(b"II*\0")
        || head.starts_with(b"MM\0*")
        // Windows metafiles: a placeable WMF's key, an EMF's signature at byte 40.
        || head.starts_with(&[0xD7, 0xCD, 0xC6, 0x9A])
        || is_wmf_header(head)
        || head.get(40..44) == Some(b" EMF")
        || (head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP"))
    {
        return Kind::Image;
    }
    if head.starts_with(b"Rar!") || head.starts_with(&[0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) {
        return Kind::Archive;
    }
    if head.starts_with(b"{\\rtf") {
        return Kind::Rtf;
    }
    let text = head_text(head).to_ascii_lowercase();
    if text.contains("<?xml")
        && (text.contains("opendocument.spreadsheet")
            || text.contains("urn:schemas-microsoft-com:office:spreadsheet"))
    {
        return Kind::XmlSpreadsheet;
    }
    if is_web_page(&text) {
        return Kind::Html;
    }
    // Explorer's settings of a folder (`desktop.ini`, hidden where it was made, often in
    // UTF-16): one of its sections first.
    let first = text.trim_start();
    if [
        "[.shellclassinfo]",
        "[localizedfilenames]",
        "[viewstate]",
        "[deleteonnextboot]",
    ]
    .iter()
    .any(|section| first.starts_with(section))
    {
        return Kind::FolderSettings;
    }
    // Text in UTF-16 (Excel's “Unicode 文本”) opens with its byte-order mark; other text
    // holds no NUL, which nearly every binary format does.
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Kind::Text;
    }
    let printable = head
        .iter()
        .filter(|b| b.is_ascii_graphic() || b.is_ascii_whitespace() || **b >= 0x80)
        .count();
    if !head.contains(&0) && printable * 100 >= head.len() * 95 {
        return Kind::Text;
    }
    Kind::Unknown
}

/// A file's first bytes as text: UTF-16 when [`utf16_text`] says so (a web page saved as
/// “Unicode”), else UTF-8 (lossy), without a UTF-8 byte-order mark.
fn head_text(head: &[u8]) -> std::borrow::Cow<'_, str> {
    match utf16_text(head) {
        Some(text) => text.into(),
        None => String::from_utf8_lossy(head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head)),
    }
}

/// Bytes of text in UTF-16, decoded: known by the byte-order mark (dropped), or without one
/// by a first `<` of two bytes (XML as some writers save it), whose zero byte says the order.
/// `None` for any other bytes.
pub fn utf16_text(bytes: &[u8]) -> Option<String> {
    let (little, from) = match bytes {
        [0xFF, 0xFE, ..] => (true, 2),
        [0xFE, 0xFF, ..] => (false, 2),
        [b'<', 0, ..] => (true, 0),
        [0, b'<', ..] => (false, 0),
        _ => return None,
    };
    let units = bytes[from..].chunks_exact(2).map(|p| {
        if little {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

/// Whether a file's first text (lower case) is a web page: an HTML document (`<html`, its
/// doctype), or markup whose first element is one a web page opens with (what web systems
/// export as “xls”: often a bare `<table>`, or `<meta>` then the table); or a web archive
/// (`.mht`: Excel's “单个文件网页”, a browser's saved page). A script or a note that mentions
/// `<html`, XML whose elements are named as HTML's (`<body>` in a translation memory), or an
/// e-mail is no web page.
fn is_web_page(text: &str) -> bool {
    let text = text.trim_start();
    if !text.starts_with('<') {
        // A web archive's headers (up to the first blank line) say what it is.
        let headers = text
            .split("\r\n\r\n")
            .next()
            .and_then(|h| h.split("\n\n").next())
            .unwrap_or("");
        return headers.contains("content-type: multipart/related")
            && [
                "x-document-type:",
                "snapshot-content-location:",
                "content-location:",
            ]
            .iter()
            .any(|h| headers.contains(h));
    }
    // A tag by its whole name: `<table` in `<tableStyles>` (a workbook's styles) is none.
    let is_tag = |at: &str, tag: &str| {
        at.strip_prefix(tag).is_some_and(|rest| {
            rest.chars()
                .next()
                .is_none_or(|c| c.is_ascii_whitespace() || c == '>' || c == '/')
        })
    };
    if text
        .match_indices('<')
        .any(|(at, _)| is_tag(&text[at..], "<html") || is_tag(&text[at..], "<!doctype html"))
    {
        return true;
    }
    // XML that names no HTML document is data, whatever its elements are called.
    if text.starts_with("<?xml") {
        return false;
    }
    // The first element, past comments and a doctype.
    let mut rest = text;
    loop {
        rest = rest.trim_start();
        let end = if rest.starts_with("<!--") {
            rest.find("-->").map(|e| e + 3)
        } else if rest.starts_with("<?") || rest.starts_with("<!") {
            rest.find('>').map(|e| e + 1)
        } else {
            break;
        };
        match end {
            Some(e) => rest = &rest[e..],
            None => return false,
        }
    }
    ["<table", "<head", "<body", "<meta"]
        .into_iter()
        .any(|tag| is_tag(rest, tag))
}

/// A Windows metafile without the placeable header: its type (1 in memory, 2 on disk), a
/// header of nine words, and version 1.0 or 3.0.
fn is_wmf_header(head: &[u8]) -> bool {
    head.len() >= 18
        && matches!(head[..2], [1 | 2, 0])
        && head[2..4] == [9, 0]
        && matches!(head[4..6], [0, 1 | 3])
}

/// The owner file Excel and WPS leave beside an open workbook (`~$长春.xlsx`, 162 or 165
/// bytes): the length of the owner's name in its first byte, the name, then spaces up to
/// byte 54, and the name again in UTF-16. Known by that shape, whatever the file is called.
pub fn is_lock_file(bytes: &[u8]) -> bool {
    if !(56..=512).contains(&bytes.len()) {
        return false;
    }
    let n = bytes[0] as usize;
    if !(1..=53).contains(&n) {
        return false;
    }
    let name = &bytes[1..=n];
    let padding = &bytes[n + 1..54];
    name.iter().all(|b| *b >= 0x20) && padding.iter().all(|b| *b == b' ')
}

/// A zip's central directory as its end record places it, with where it starts: found in
/// the bytes, cheaper than parsing the directory (which `read` and calamine do anyway).
/// `None` when there is no end record or it points outside the bytes before it.
pub fn central_directory(bytes: &[u8]) -> Option<(usize, &[u8])> {
    // The end-of-central-directory record: the directory's offset and size.
    let eocd = memchr::memmem::rfind(bytes, b"PK\x05\x06")?;
    let field = |o: usize| -> Option<usize> {
        bytes
            .get(eocd + o..eocd + o + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    };
    let (start, len) = (field(16)?, field(12)?);
    let end = start.checked_add(len).filter(|&e| e <= eocd)?;
    Some((start, &bytes[start..end]))
}

/// What a zip holds, by the entry names in its central directory.
fn zip_kind(bytes: &[u8]) -> Kind {
    let Some((_, dir)) = central_directory(bytes) else {
        return Kind::BrokenZip;
    };
    let has = |name: &[u8]| memchr::memmem::find(dir, name).is_some();
    if has(b"xl/workbook.bin") {
        Kind::Xlsb
    } else if has(b"xl/workbook.xml") {
        Kind::Xlsx
    } else if has(b"word/") {
        Kind::Word
    } else if has(b"ppt/") {
        Kind::PowerPoint
    } else if has(b"mimetype") || has(b"META-INF/manifest.xml") {
        // OpenDocument stores its media type uncompressed as the first entry. A package that
        // keeps it further on, or names it only in its manifest, is asked for it.
        let head = &bytes[..bytes.len().min(200)];
        let media: std::borrow::Cow<[u8]> =
            if memchr::memmem::find(head, b"opendocument.").is_some() {
                head.into()
            } else {
                odf_media_type(bytes).unwrap_or_default().into()
            };
        let is = |m: &[u8]| memchr::memmem::find(&media, m).is_some();
        if is(b"opendocument.spreadsheet") {
            Kind::Ods
        } else if is(b"opendocument.text") {
            Kind::Word
        } else if is(b"opendocument.presentation") {
            Kind::PowerPoint
        } else {
            Kind::Zip
        }
    } else if has(b"Index/Document.iwa") || has(b"Index.zip") || has(b"buildVersionHistory.plist") {
        // Apple iWork: Numbers keeps its tables under `Index/Tables/`, Keynote its slides in
        // `Index/Slide*.iwa`; a package zipped with its `Index.zip` whole, or iWork '09's
        // (`index.xml`, `buildVersionHistory.plist`), says neither.
        if has(b"Index/Tables/") && !has(b"Index/Slide") {
            Kind::Numbers
        } else {
            Kind::Iwork
        }
    } else {
        // A package whose workbook is not under `xl/` (its `_rels/.rels` says where, and
        // Excel follows it), or whose names an exporter wrote in another case
        // (`[content_types].xml`): known by its parts, their case aside.
        let lower = dir.to_ascii_lowercase();
        let has = |name: &[u8]| memchr::memmem::find(&lower, name).is_some();
        if has(b"[content_types].xml") && has(b"workbook.bin") {
            Kind::Xlsb
        } else if has(b"[content_types].xml") && has(b"workbook.xml") {
            Kind::Xlsx
        } else {
            Kind::Zip
        }
    }
}

/// An OpenDocument package's media type: its `mimetype` entry, else the manifest's entry for
/// the package itself (`manifest:full-path="/"`). Both are small; `None` when neither is
/// there or readable.
fn odf_media_type(bytes: &[u8]) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut read = |name: &str, most: u64| -> Option<Vec<u8>> {
        let mut out = Vec::new();
        zip.by_name(name)
            .ok()?
            .take(most)
            .read_to_end(&mut out)
            .ok()?;
        Some(out)
    };
    if let Some(m) = read("mimetype", 256) {
        return Some(m);
    }
    let manifest = read("META-INF/manifest.xml", 1 << 20)?;
    let root = memchr::memmem::find(&manifest, b"full-path=\"/\"")?;
    let start = memchr::memrchr(b'<', &manifest[..root])?;
    let end = root + memchr::memchr(b'>', &manifest[root..])?;
    Some(manifest[start..end].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_their_bytes() {
        assert_eq!(detect(b""), Kind::Empty);
        assert_eq!(detect(b"%PDF-1.7 ..."), Kind::Pdf);
        assert_eq!(detect(b"\x89PNG\r\n\x1a\n...."), Kind::Image);
        assert_eq!(detect(b"<!DOCTYPE html><html>"), Kind::Html);
        // Web systems' “xls”: a bare table, after a byte-order mark and blank lines; in
        // UTF-16; Excel's single-file web page. A script that mentions a tag is text.
        assert_eq!(
            detect(b"\xEF\xBB\xBF\r\n<meta charset=utf-8><table><tr><td>1"),
            Kind::Html
        );
        let utf16_page: Vec<u8> = [0xFEFF_u16]
            .into_iter()
            .chain("<TABLE border=1><TR><TD>单位</TD></TR></TABLE>".encode_utf16())
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(detect(&utf16_page), Kind::Html);
        assert_eq!(
            detect(b"MIME-Version: 1.0\r\nX-Document-Type: Workbook\r\nContent-Type: multipart/related; boundary=x\r\n"),
            Kind::Html
        );
        assert_eq!(
            detect(b"# frozen_string_literal: true\nbody = \"<html>\" + rows\n"),
            Kind::Text
        );
        // A browser's saved page; an e-mail, a translation memory and a SAS table export,
        // whose elements are named as HTML's, are none (Tika's test documents).
        assert_eq!(
            detect(b"From: <Saved by Blink>\r\nSnapshot-Content-Location: http://x/\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\r\n"),
            Kind::Html
        );
        assert_eq!(
            detect(b"MIME-Version: 1.0\r\nSubject: x\r\nContent-Type: multipart/related; boundary=b\r\n\r\n--b\r\nContent-Location: a\r\n"),
            Kind::Text
        );
        assert_eq!(
            detect(b"<tmx version=\"1.4\">\n<header/>\n<body><tu/></body></tmx>"),
            Kind::Text
        );
        assert_eq!(
            detect(b"<?xml version=\"1.0\" ?>\n<TABLE><ROW/></TABLE>"),
            Kind::Text
        );
        assert_eq!(
            detect(b"<?xml version=\"1.0\"?><!DOCTYPE html><html><body/></html>"),
            Kind::Html
        );
        assert_eq!(detect(b"<!-- export --><TABLE><TR/></TABLE>"), Kind::Html);
        // XML whose tags only begin as a web page's do.
        assert_eq!(
            detect(b"<styleSheet><tableStyles count=\"0\"/><metadata/></styleSheet>"),
            Kind::Text
        );
        assert_eq!(detect("单位,本月\n长春,1.5\n".as_bytes()), Kind::Text);
        let utf16: Vec<u8> = [0xFEFF_u16]
            .into_iter()
            .chain("单位\t本月\r\n".encode_utf16())
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(detect(&utf16), Kind::Text);
        // A folder's `desktop.ini`, as Explorer writes it (UTF-16) or as a user edits it.
        let ini: Vec<u8> = [0xFEFF_u16]
            .into_iter()
            .chain("\r\n[.ShellClassInfo]\r\nLocalizedResourceName=@x\r\n".encode_utf16())
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(detect(&ini), Kind::FolderSettings);
        assert_eq!(detect(b"[ViewState]\r\nMode=\r\n"), Kind::FolderSettings);
        assert_eq!(detect(b"[settings]\r\nunit=1\r\n"), Kind::Text);
        // A metafile is a picture; bytes with NULs, mostly high, are no text.
        let mut wmf = vec![0xD7, 0xCD, 0xC6, 0x9A, 0, 0];
        wmf.extend([0xB0; 200]);
        assert_eq!(detect(&wmf), Kind::Image);
        let mut emf = vec![1, 0, 0, 0];
        emf.resize(40, 0);
        emf.extend(b" EMF\0\0\x01\0");
        assert_eq!(detect(&emf), Kind::Image);
        // A metafile without the placeable header: type, header size, version.
        let mut plain_wmf = vec![1, 0, 9, 0, 0, 3, 0x4E, 1, 0, 0];
        plain_wmf.extend([0xB0; 100]);
        assert_eq!(detect(&plain_wmf), Kind::Image);
        let mut blob = vec![0xE1; 300];
        blob[7] = 0;
        assert_eq!(detect(&blob), Kind::Unknown);
        assert_eq!(
            detect(&[0x09, 0x04, 0x06, 0x00, 0x00, 0x00, 0x10, 0x00]),
            Kind::OldExcel
        );
        assert_eq!(detect(b"PK\x03\x04 cut off"), Kind::BrokenZip);
        let mut ole = OLE.to_vec();
        ole.extend("WordDocument".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(detect(&ole), Kind::Word);
        // Its directory unreadable, a name is found whatever its case (Tika's
        // `simple_lower_case.doc`).
        let mut ole = OLE.to_vec();
        ole.extend("worddocument".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(detect(&ole), Kind::Word);
        assert!(!Kind::Word.is_spreadsheet() && Kind::OldExcel.is_spreadsheet());
    }

    #[test]
    fn other_programs_spreadsheets_are_named_for_what_they_are() {
        use crate::testkit::zip_of;
        let iwa: &[u8] = b"\x00\x01";
        // Apple iWork: Numbers holds tables, Keynote slides; a package zipped with its
        // `Index.zip` whole says neither.
        let numbers = zip_of(&[
            ("Index/Document.iwa", iwa),
            ("Index/Tables/DataList.iwa", iwa),
        ]);
        assert_eq!(detect(&numbers), Kind::Numbers);
        let keynote = zip_of(&[
            ("Index/Document.iwa", iwa),
            ("Index/Tables/DataList.iwa", iwa),
            ("Index/Slide.iwa", iwa),
        ]);
        assert_eq!(detect(&keynote), Kind::Iwork);
        let pages = zip_of(&[
            ("Index/Document.iwa", iwa),
            ("Metadata/Properties.plist", iwa),
        ]);
        assert_eq!(detect(&pages), Kind::Iwork);
        let zipped = zip_of(&[("a.numbers/Index.zip", iwa), ("a.numbers/preview.jpg", iwa)]);
        assert_eq!(detect(&zipped), Kind::Iwork);
        let iwork09 = zip_of(&[("buildVersionHistory.plist", iwa), ("index.xml", iwa)]);
        assert_eq!(detect(&iwork09), Kind::Iwork);
        assert!(Kind::Numbers.is_spreadsheet() && !Kind::Iwork.is_spreadsheet());
        // Quattro Pro's notebooks are compound files with a stream of their own.
        let root = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        for stream in ["NativeContent_MAIN", "PerfectOffice_MAIN"] {
            let names = root(&[stream, "\u{5}SummaryInformation"]);
            assert_eq!(compound_kind(&OLE, Some(&names)), Kind::QuattroPro);
        }
        assert!(Kind::QuattroPro.is_spreadsheet());
    }

    #[test]
    fn a_package_is_a_workbook_wherever_it_keeps_its_parts() {
        use crate::testkit::zip_of;
        let types: (&str, &[u8]) = ("[Content_Types].xml", b"<Types/>");
        let part = |name| zip_of(&[types, (name, b"<x/>"), ("_rels/.rels", b"<x/>")]);
        assert_eq!(detect(&part("xl/workbook.xml")), Kind::Xlsx);
        // Names as some Windows programs write them, and a workbook its relationships place
        // at the root or in a folder of its own: calamine follows `_rels/.rels`, as Excel does.
        assert_eq!(detect(&part("xl\\workbook.xml")), Kind::Xlsx);
        assert_eq!(detect(&part("workbook.xml")), Kind::Xlsx);
        assert_eq!(detect(&part("wtf/workbook.xml")), Kind::Xlsx);
        assert_eq!(detect(&part("wtf/workbook.bin")), Kind::Xlsb);
        // Names in another case, as an exporter wrote them (umya-spreadsheet's test files).
        let lower = zip_of(&[
            ("[content_types].xml", b"<Types/>"),
            ("xl\\workbook.xml", b"<x/>"),
        ]);
        assert_eq!(detect(&lower), Kind::Xlsx);
        // OpenDocument: its media type where it stands first, further on, or only in the
        // manifest (LibreOffice opens all three).
        let spreadsheet: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";
        let first = zip_of(&[("mimetype", spreadsheet), ("content.xml", b"<x/>")]);
        assert_eq!(detect(&first), Kind::Ods);
        let later = zip_of(&[("content.xml", b"<x/>"), ("mimetype", spreadsheet)]);
        assert_eq!(detect(&later), Kind::Ods);
        let manifest = |media: &str| {
            let xml = format!(
                r#"<manifest:manifest><manifest:file-entry manifest:full-path="/" manifest:media-type="{media}"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#
            );
            zip_of(&[
                ("content.xml", b"<x/>"),
                ("META-INF/manifest.xml", xml.as_bytes()),
            ])
        };
        let ods = manifest("application/vnd.oasis.opendocument.spreadsheet");
        assert_eq!(detect(&ods), Kind::Ods);
        let odt = manifest("application/vnd.oasis.opendocument.text");
        assert_eq!(detect(&odt), Kind::Word);
        // A Word document stays one; a zip without a package's types is a zip.
        assert_eq!(detect(&part("word/document.xml")), Kind::Word);
        assert_eq!(detect(&zip_of(&[("workbook.xml", b"<x/>")])), Kind::Zip);
    }

    /// A compound file with `streams` (paths; their storages are made).
    fn compound(streams: &[&str]) -> Vec<u8> {
        let mut file = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).unwrap();
        for path in streams {
            if let Some((dir, _)) = path.rsplit_once('/') {
                file.create_storage_all(dir).unwrap();
            }
            use std::io::Write;
            file.create_stream(path).unwrap().write_all(b"x").unwrap();
        }
        file.flush().unwrap();
        file.into_inner().into_inner()
    }

    #[test]
    fn a_compound_file_is_what_its_root_holds() {
        assert_eq!(
            detect(&compound(&["Workbook", "SummaryInformation"])),
            Kind::Xls
        );
        // Word with an embedded sheet: a Workbook inside the object pool, not at the root.
        let doc = compound(&["WordDocument", "1Table", "ObjectPool/_1234/Workbook"]);
        assert_eq!(detect(&doc), Kind::Word);
        assert_eq!(
            detect(&compound(&["PowerPoint Document", "Embedded/Workbook"])),
            Kind::PowerPoint
        );
        assert_eq!(detect(&compound(&["__substg1.0_0037001F"])), Kind::Outlook);
        // Another program's streams in a directory that reads (Works's, Visio's): its file,
        // no damaged workbook; nor a spreadsheet of the returns.
        assert_eq!(detect(&compound(&["Contents"])), Kind::OtherCompound);
        let visio = compound(&["VisioDocument", "VisioInformation"]);
        assert_eq!(detect(&visio), Kind::OtherCompound);
        assert!(!Kind::OtherCompound.is_spreadsheet());
        // Explorer's thumbnail cache, in both formats, and a workbook's macros taken out.
        assert_eq!(detect(&compound(&["Catalog", "1", "2"])), Kind::Thumbnails);
        let hashed = ["256_79dea834bece3f6b", "96_0a1b2c3d4e5f6789"];
        assert_eq!(detect(&compound(&hashed)), Kind::Thumbnails);
        assert_eq!(
            detect(&compound(&["VBA/dir", "PROJECT", "PROJECTwm"])),
            Kind::VbaProject
        );
        assert!(!Kind::Thumbnails.is_spreadsheet() && !Kind::VbaProject.is_spreadsheet());
        // Cut before its directory: neither the directory nor the names are there.
        let cut = &doc[..doc.len().min(1024)];
        assert_eq!(detect(cut), Kind::DamagedCompound);
    }

    /// An owner file as Excel writes it: name length, name, spaces to byte 54, then the
    /// name in UTF-16 padded with spaces.
    fn lock_file(name: &str) -> Vec<u8> {
        let mut b = vec![name.len() as u8];
        b.extend(name.as_bytes());
        b.resize(54, b' ');
        b.push(name.chars().count() as u8);
        b.push(0);
        b.extend(name.encode_utf16().flat_map(|u| u.to_le_bytes()));
        while b.len() < 165 {
            b.extend([b' ', 0]);
        }
        b.truncate(165);
        b
    }

    #[test]
    fn a_lock_file_is_known_by_its_shape_not_its_name() {
        assert_eq!(detect(&lock_file("wangming")), Kind::LockFile);
        assert_eq!(detect(&lock_file("Administrator")), Kind::LockFile);
        // Text of that size is text; a name not padded to byte 54 is no lock file.
        let text = "单位,本月,累计\n长春,1.5,12\n".repeat(5);
        assert_eq!(detect(text.as_bytes()), Kind::Text);
        let mut unpadded = lock_file("wangming");
        unpadded[30] = b'x';
        assert_ne!(detect(&unpadded), Kind::LockFile);
    }
}
