//! Generates Baton's one stylesheet: the utility classes encre-css finds in `app/src`, then the
//! hand-written design system (`style/base.css` first, then the other `style/*.css` files in name
//! order). Only utility classes in use are emitted.

use std::{fs, path::Path};

fn collect_sources(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            println!("cargo:rerun-if-changed={}", path.display());
            out.push(fs::read_to_string(&path).unwrap_or_default());
        }
    }
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let app_src = root.join("app/src");
    let style = root.join("style");
    println!("cargo:rerun-if-changed={}", app_src.display());
    println!("cargo:rerun-if-changed={}", style.display());

    let mut sources = Vec::new();
    collect_sources(&app_src, &mut sources);
    let config = encre_css::Config::default();
    let utilities = encre_css::generate(sources.iter().map(String::as_str), &config);
    let mut sheets: Vec<_> = fs::read_dir(&style)
        .expect("style/ is part of the repository")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "css"))
        .collect();
    sheets.sort_by_key(|p| (p.file_name() != Some("base.css".as_ref()), p.clone()));
    let mut base_css = String::new();
    for sheet in &sheets {
        println!("cargo:rerun-if-changed={}", sheet.display());
        base_css.push_str(&fs::read_to_string(sheet).expect("stylesheet readable"));
        base_css.push('\n');
    }

    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("baton.css");
    fs::write(
        out,
        format!("{utilities}\n\n/* --- design system (style/*.css) --- */\n{base_css}"),
    )
    .expect("OUT_DIR is writable");
}
