//! Attachments: which files a site accepts, the words a refusal uses, how names are cleaned
//! and what a browser may show inline.

use domain::attachments::{
    Attachment, AttachmentPolicy, CEILING_BYTES, Refusal, clean_name, content_type_for,
    format_size, max_bytes_from_megabytes, parse_types, shown_inline,
};

const MB: u64 = 1024 * 1024;

#[test]
fn a_new_site_accepts_pictures_and_documents_up_to_ten_megabytes() {
    let policy = AttachmentPolicy::default();
    assert_eq!(policy.max_bytes, 10 * MB);
    assert!(policy.check("photo.PNG", 2 * MB).is_ok());
    assert!(policy.check("invoice.pdf", 10 * MB).is_ok());
}

#[test]
fn a_thirty_megabyte_file_is_refused_with_its_size_and_the_limit() {
    let refusal = AttachmentPolicy::default()
        .check("video.zip", 30 * MB)
        .unwrap_err();
    assert!(matches!(refusal, Refusal::TooLarge { .. }));
    assert_eq!(
        refusal.to_string(),
        "video.zip is 30.0 MB; files can be at most 10.0 MB. Send a smaller file."
    );
}

#[test]
fn an_exe_is_refused_naming_the_types_that_are_allowed() {
    let refusal = AttachmentPolicy::default()
        .check("setup.exe", 1000)
        .unwrap_err();
    let text = refusal.to_string();
    assert!(text.starts_with("setup.exe is a type of file this chat does not accept."));
    assert!(text.contains("pdf"), "{text}");
}

#[test]
fn a_file_without_an_extension_or_an_empty_file_is_refused() {
    let policy = AttachmentPolicy::default();
    assert!(matches!(
        policy.check("README", 10),
        Err(Refusal::TypeNotAllowed { .. })
    ));
    assert!(matches!(
        policy.check(".png", 10),
        Err(Refusal::TypeNotAllowed { .. })
    ));
    assert_eq!(policy.check("empty.txt", 0), Err(Refusal::Empty));
}

#[test]
fn an_admins_list_of_types_is_tidied_and_code_is_never_allowed() {
    assert_eq!(
        parse_types("pdf, .PNG  jpg pdf").unwrap(),
        ["pdf", "png", "jpg"]
    );
    assert!(parse_types("pdf exe").unwrap_err().contains(".exe"));
    assert!(parse_types("svg").is_err());
    assert!(parse_types("html").is_err());
    assert!(parse_types("p/d").is_err());
    assert!(parse_types(" , ").is_err());
}

#[test]
fn the_largest_file_setting_stays_between_one_megabyte_and_the_ceiling() {
    assert_eq!(max_bytes_from_megabytes(5).unwrap(), 5 * MB);
    assert!(max_bytes_from_megabytes(0).is_err());
    assert_eq!(max_bytes_from_megabytes(25).unwrap(), CEILING_BYTES);
    assert!(max_bytes_from_megabytes(26).is_err());
}

#[test]
fn names_lose_folders_and_quoting_characters_and_keep_their_extension_when_cut() {
    assert_eq!(clean_name("C:\\Users\\rita\\invoice.pdf"), "invoice.pdf");
    assert_eq!(clean_name("../../etc/passwd"), "passwd");
    assert_eq!(clean_name("a\"b<c>\n.png"), "abc.png");
    assert_eq!(clean_name("   "), "file");
    let long = format!("{}.pdf", "x".repeat(300));
    let cut = clean_name(&long);
    assert_eq!(cut.chars().count(), 120);
    assert!(cut.ends_with(".pdf"));
}

#[test]
fn only_raster_images_are_shown_inline_and_svg_or_html_never_are() {
    assert_eq!(content_type_for("a.JPG"), "image/jpeg");
    assert_eq!(content_type_for("a.svg"), "application/octet-stream");
    assert_eq!(content_type_for("a.html"), "application/octet-stream");
    assert!(shown_inline("image/png"));
    assert!(!shown_inline("image/svg+xml"));
    assert!(!shown_inline("text/html"));
    let pdf = Attachment {
        id: "a1".into(),
        name: "invoice.pdf".into(),
        content_type: content_type_for("invoice.pdf").into(),
        size: 10,
    };
    assert!(!pdf.is_image());
    assert_eq!(pdf.url(), "/attachments/a1");
}

#[test]
fn sizes_read_as_bytes_kilobytes_or_megabytes() {
    assert_eq!(format_size(812), "812 bytes");
    assert_eq!(format_size(4300), "4.2 KB");
    assert_eq!(format_size(30 * MB), "30.0 MB");
}
