//! Files shared in a conversation: which ones a site accepts, what they are served as, and how
//! they are named. The bytes live in the server's store; a message carries an [`Attachment`]
//! that names them.

use serde::{Deserialize, Serialize};

/// The largest file a site may allow, whatever its setting says: uploads are read into memory
/// once to be hashed, so this bounds what one upload costs the server.
pub const CEILING_BYTES: u64 = 25 * 1024 * 1024;
/// The setting's starting value.
pub const DEFAULT_MAX_BYTES: u64 = 10 * 1024 * 1024;
/// The file types a new site accepts, by extension.
pub const DEFAULT_TYPES: &str = "png jpg jpeg gif webp pdf txt csv docx xlsx pptx odt zip";
/// Files one conversation may hold: bounds what one chat can put on the server's disk.
pub const MAX_FILES_PER_CONVERSATION: i64 = 100;
/// The longest file name kept (longer ones are cut, keeping the extension).
pub const NAME_MAX_CHARS: usize = 120;

/// A file in a message, as everyone who may read the conversation sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// The attachment's id: its download address is `/attachments/{id}`.
    pub id: String,
    /// The file name, cleaned by [`clean_name`].
    pub name: String,
    /// The type it is served as, from [`content_type_for`] (never the uploader's claim).
    pub content_type: String,
    pub size: u64,
}

impl Attachment {
    /// Where the file is downloaded from (for readers of the conversation only).
    pub fn url(&self) -> String {
        format!("/attachments/{}", self.id)
    }

    /// Whether the chat shows it as a picture. SVG is never one: it can carry scripts.
    pub fn is_image(&self) -> bool {
        shown_inline(&self.content_type)
    }
}

/// The site's **Attachments** setting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentPolicy {
    pub max_bytes: u64,
    /// Allowed extensions, lower case, without dots.
    pub types: Vec<String>,
}

impl Default for AttachmentPolicy {
    fn default() -> Self {
        Self {
            max_bytes: DEFAULT_MAX_BYTES,
            types: parse_types(DEFAULT_TYPES).unwrap_or_default(),
        }
    }
}

/// Why a file was refused, in words the person who chose it can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    Empty,
    TooLarge { name: String, size: u64, max: u64 },
    TypeNotAllowed { name: String, allowed: Vec<String> },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Empty => write!(f, "That file is empty. Choose another file."),
            Refusal::TooLarge { name, size, max } => write!(
                f,
                "{name} is {}; files can be at most {}. Send a smaller file.",
                format_size(*size),
                format_size(*max)
            ),
            Refusal::TypeNotAllowed { name, allowed } => write!(
                f,
                "{name} is a type of file this chat does not accept. Allowed: {}.",
                allowed.join(", ")
            ),
        }
    }
}

impl AttachmentPolicy {
    /// Whether a file of this name and size may be sent. Checked before a byte is stored.
    pub fn check(&self, name: &str, size: u64) -> Result<(), Refusal> {
        let allowed = extension(name).is_some_and(|ext| self.types.contains(&ext));
        if !allowed {
            return Err(Refusal::TypeNotAllowed {
                name: name.to_string(),
                allowed: self.types.clone(),
            });
        }
        if size == 0 {
            return Err(Refusal::Empty);
        }
        if size > self.max_bytes {
            return Err(Refusal::TooLarge {
                name: name.to_string(),
                size,
                max: self.max_bytes,
            });
        }
        Ok(())
    }
}

/// Extensions that are never allowed, whatever an admin types: they run or render as code in
/// the browser or on the desktop of whoever opens them.
const NEVER: &[&str] = &[
    "exe", "msi", "bat", "cmd", "com", "scr", "ps1", "vbs", "js", "jar", "sh", "app", "dmg",
    "html", "htm", "xhtml", "svg", "svgz", "xml", "php",
];

/// The admin's list of file types ("pdf, .PNG jpg") as stored: lower case, no dots, no
/// repeats. Refuses types that are never allowed, and an empty list.
pub fn parse_types(text: &str) -> Result<Vec<String>, String> {
    let mut types: Vec<String> = Vec::new();
    for raw in text.split(|c: char| c == ',' || c.is_whitespace()) {
        let ext = raw.trim().trim_start_matches('.').to_ascii_lowercase();
        if ext.is_empty() {
            continue;
        }
        if ext.len() > 10 || !ext.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(format!(
                "“{raw}” is not a file extension: write extensions such as pdf or png."
            ));
        }
        if NEVER.contains(&ext.as_str()) {
            return Err(format!(
                ".{ext} files are never accepted: they can run code on the computer that opens them."
            ));
        }
        if !types.contains(&ext) {
            types.push(ext);
        }
    }
    if types.is_empty() {
        return Err("Allow at least one file type.".into());
    }
    if types.len() > 50 {
        return Err("Allow at most 50 file types.".into());
    }
    Ok(types)
}

/// The setting's largest file in whole megabytes, between 1 and the ceiling.
pub fn max_bytes_from_megabytes(megabytes: u64) -> Result<u64, String> {
    let ceiling = CEILING_BYTES / (1024 * 1024);
    if !(1..=ceiling).contains(&megabytes) {
        return Err(format!(
            "The largest file must be between 1 and {ceiling} MB."
        ));
    }
    Ok(megabytes * 1024 * 1024)
}

/// The lower-case extension of a file name, if it has one.
pub fn extension(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// The name a file is kept under: no folders, no control or quoting characters, at most
/// [`NAME_MAX_CHARS`] characters with the extension kept. Never empty.
pub fn clean_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '*' | '?' | '|' | ':'))
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        return "file".into();
    }
    if cleaned.chars().count() <= NAME_MAX_CHARS {
        return cleaned;
    }
    let ext = extension(&cleaned)
        .map(|e| format!(".{e}"))
        .unwrap_or_default();
    let keep = NAME_MAX_CHARS.saturating_sub(ext.chars().count());
    let stem: String = cleaned.chars().take(keep).collect();
    format!("{stem}{ext}")
}

/// The type a file is served as, chosen by its extension. Anything that is not a known safe
/// type is served as bytes to download.
pub fn content_type_for(name: &str) -> &'static str {
    match extension(name).as_deref() {
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("pdf") => "application/pdf",
        Some("txt" | "log") => "text/plain; charset=utf-8",
        Some("csv") => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Whether a browser may show this type inside Baton's pages: raster images only. SVG, HTML
/// and everything else are downloaded, never rendered where they could run script.
pub fn shown_inline(content_type: &str) -> bool {
    matches!(
        content_type,
        "image/png" | "image/jpeg" | "image/gif" | "image/webp"
    )
}

/// A size for people: "812 bytes", "4.2 KB", "30.0 MB". Whole-number arithmetic only: float
/// formatting would add kilobytes of code to the widget.
pub fn format_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    let (unit, scale) = match bytes {
        b if b < KB => return format!("{b} bytes"),
        b if b < KB * KB => ("KB", KB),
        _ => ("MB", KB * KB),
    };
    // Tenths, rounded half up.
    let tenths = (bytes * 10 + scale / 2) / scale;
    format!("{}.{} {unit}", tenths / 10, tenths % 10)
}
