//! Generates Baton's one stylesheet: the hand-written design system (`style/base.css`) followed
//! by the utility classes encre-css finds in `app/src`. Only classes in use are emitted.

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
    let base = root.join("style/base.css");
    println!("cargo:rerun-if-changed={}", app_src.display());
    println!("cargo:rerun-if-changed={}", base.display());

    let mut sources = Vec::new();
    collect_sources(&app_src, &mut sources);
    let config = encre_css::Config::default();
    let utilities = encre_css::generate(sources.iter().map(String::as_str), &config);
    let base_css = fs::read_to_string(&base).expect("style/base.css is part of the repository");

    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("baton.css");
    fs::write(
        out,
        format!("{utilities}\n\n/* --- design system (style/base.css) --- */\n{base_css}"),
    )
    .expect("OUT_DIR is writable");
}
