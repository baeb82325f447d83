//! No import circles between the top-level modules of `backend` and of `domain`.
//!
//! A circle (`engine -> admin -> engine`) means neither module can be read, tested or moved
//! without the other, and it is how "stores" end up living inside the settings code. The
//! compiler allows circles inside a crate, so this test reads the sources: every `crate::...`
//! path (in `use` lines, grouped `use crate::{a::X, b}` over several lines, and inside code)
//! in a top-level module's files is an arrow to that module.
//!
//! Comments and string literals are not read (a doc comment may name another module), and
//! neither are `#[cfg(test)]` modules: a unit test may build on a module that depends on the
//! one it tests (an engine to drive the presence it checks), which is scaffolding, not part of
//! the structure the program has. `lib.rs` (the crate's table of contents) and `bin/` (programs
//! that use the library from outside) are not modules of the graph.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

#[test]
fn backend_has_no_import_circle_between_its_top_level_modules() {
    let graph = graph_of(&crate_src("src"));
    assert_arrow(&graph, "admin", "store");
    assert_arrow(&graph, "engine", "store");
    if let Some(circle) = find_circle(&graph) {
        panic!("backend has an import circle: {}", circle.join(" -> "));
    }
}

#[test]
fn domain_has_no_import_circle_between_its_top_level_modules() {
    let graph = graph_of(&crate_src("../domain/src"));
    assert_arrow(&graph, "engine", "world");
    assert_arrow(&graph, "world", "deadlines");
    if let Some(circle) = find_circle(&graph) {
        panic!("domain has an import circle: {}", circle.join(" -> "));
    }
}

#[test]
fn a_circle_of_three_modules_is_found_and_named_in_order() {
    let graph = graph_from(&[("a", &["b"]), ("b", &["c"]), ("c", &["a", "d"]), ("d", &[])]);
    assert_eq!(
        find_circle(&graph).map(|c| c.join(" -> ")),
        Some("a -> b -> c -> a".to_string())
    );
}

#[test]
fn two_modules_that_use_each_other_are_a_circle() {
    let graph = graph_from(&[
        ("engine", &["admin", "db"]),
        ("admin", &["engine"]),
        ("db", &[]),
    ]);
    assert_eq!(
        find_circle(&graph).map(|c| c.join(" -> ")),
        Some("admin -> engine -> admin".to_string())
    );
}

#[test]
fn arrows_that_only_go_down_have_no_circle_even_when_they_meet_again() {
    // A diamond: two paths to the same module are not a circle.
    let graph = graph_from(&[
        ("app", &["admin", "engine"]),
        ("admin", &["store"]),
        ("engine", &["store"]),
        ("store", &[]),
    ]);
    assert_eq!(find_circle(&graph), None);
}

#[test]
fn grouped_multi_line_uses_and_paths_inside_code_are_all_arrows() {
    let source = r#"
        use crate::{
            db::Db,
            store::{Actor, audit::{self, Change}},
            error,
        };
        use crate::clock::now_ms;
        fn f() { let x = crate::widget::start(); crate :: work::go(); }
    "#;
    let found = modules_named(source);
    let expected: BTreeSet<String> = ["clock", "db", "error", "store", "widget", "work"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn comments_strings_and_test_modules_are_not_arrows() {
    let source = r##"
        //! The stores (`crate::store`) are used by `crate::admin`.
        /* crate::engine in a block comment /* nested crate::demo */ still comment */
        fn f() -> &'static str {
            let quote = '"';
            let url = "https://example.com/crate::widget";
            let raw = r#"crate::work"#;
            "crate::ai"
        }
        use crate::db::Db;
        #[cfg(test)]
        mod tests {
            use crate::engine::Engine;
            fn helper() { if true { crate::demo::seed(); } }
        }
        fn after() { crate::clock::now_ms(); }
    "##;
    let found = modules_named(source);
    let expected: BTreeSet<String> = ["clock", "db"].into_iter().map(String::from).collect();
    assert_eq!(found, expected);
}

// ----- reading the sources -----

fn crate_src(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// The top-level modules under `src` (files and folders, without `lib.rs`, `main.rs`, `bin/`)
/// and the arrows between them.
fn graph_of(src: &Path) -> Graph {
    let mut files_of: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for entry in std::fs::read_dir(src).unwrap_or_else(|e| panic!("{}: {e}", src.display())) {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        if path.is_dir() {
            if name != "bin" {
                files_of.entry(name).or_default().extend(rust_files(&path));
            }
        } else if path.extension().is_some_and(|e| e == "rs") && name != "lib" && name != "main" {
            files_of.entry(name).or_default().push(path);
        }
    }
    let modules: BTreeSet<String> = files_of.keys().cloned().collect();
    assert!(
        modules.len() > 3,
        "expected the modules of {}, found {modules:?}",
        src.display()
    );
    files_of
        .iter()
        .map(|(module, files)| {
            let arrows = files
                .iter()
                .flat_map(|file| modules_named(&std::fs::read_to_string(file).unwrap()))
                .filter(|target| target != module && modules.contains(target))
                .collect();
            (module.clone(), arrows)
        })
        .collect()
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// The first segment of every `crate::` path in the code of one file.
fn modules_named(source: &str) -> BTreeSet<String> {
    let code = without_test_modules(&code_only(source));
    let mut found = BTreeSet::new();
    let mut rest = code.as_str();
    while let Some(at) = find_crate_path(rest) {
        rest = rest[at..].trim_start();
        if let Some(group) = rest.strip_prefix('{') {
            let inside = &group[..matching_brace(group)];
            for item in split_top_level(inside) {
                if let Some(first) = first_segment(item) {
                    found.insert(first);
                }
            }
        } else if let Some(first) = first_segment(rest) {
            found.insert(first);
        }
    }
    found
}

/// Where the text after the next `crate::` (spaces allowed around `::`) starts.
fn find_crate_path(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(offset) = text[from..].find("crate") {
        let start = from + offset;
        let end = start + "crate".len();
        from = end;
        let before_ok = start == 0 || !is_ident_byte(bytes[start - 1]) && bytes[start - 1] != b'$';
        let after = text[end..].trim_start();
        if before_ok && after.starts_with("::") {
            return Some(text.len() - after.len() + 2);
        }
    }
    None
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn first_segment(path: &str) -> Option<String> {
    let name: String = path
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty() && name != "self").then_some(name)
}

/// The length of `text` up to the `}` that closes a `{` just before it.
fn matching_brace(text: &str) -> usize {
    let mut depth = 1;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    text.len()
}

/// The comma-separated items of a `use` group, nested groups kept whole.
fn split_top_level(group: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&group[start..]);
    items
}

/// The source with comments removed and string and character literals emptied.
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match (c, next) {
            ('/', Some('/')) => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            ('/', Some('*')) => {
                let mut depth = 0;
                while i < chars.len() {
                    if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                        depth += 1;
                        i += 2;
                    } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                out.push(' ');
            }
            ('r', Some('"' | '#')) if i == 0 || !is_ident_char(chars[i - 1]) => {
                let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
                if chars.get(i + 1 + hashes) != Some(&'"') {
                    out.push(c);
                    i += 1;
                    continue;
                }
                i += hashes + 2;
                let closing: Vec<char> = std::iter::once('"')
                    .chain(std::iter::repeat_n('#', hashes))
                    .collect();
                while i < chars.len() && !chars[i..].starts_with(&closing) {
                    i += 1;
                }
                i += closing.len();
                out.push_str("\"\"");
            }
            ('"', _) => {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    i += if chars[i] == '\\' { 2 } else { 1 };
                }
                i += 1;
                out.push_str("\"\"");
            }
            ('\'', Some('\\')) => {
                i += 2;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
                out.push_str("' '");
            }
            ('\'', Some(_)) if chars.get(i + 2) == Some(&'\'') => {
                i += 3;
                out.push_str("' '");
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The code without the bodies of `#[cfg(test)] mod name { ... }`.
fn without_test_modules(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "#[cfg(test)]".len()..];
        let trimmed = after.trim_start();
        let is_inline_module = trimmed
            .strip_prefix("pub ")
            .unwrap_or(trimmed)
            .trim_start()
            .strip_prefix("mod ")
            .and_then(|m| m.find(['{', ';']).map(|i| m.as_bytes()[i] == b'{'))
            .unwrap_or(false);
        if is_inline_module {
            let open = after.find('{').unwrap();
            let body = &after[open + 1..];
            rest = &body[(matching_brace(body) + 1).min(body.len())..];
        } else {
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

// ----- finding a circle -----

/// The first circle found, as the modules along it with the first repeated at the end.
/// Modules are visited in name order, so the answer is the same on every run.
fn find_circle(graph: &Graph) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Unseen,
        OnPath,
        Done,
    }
    fn visit(
        graph: &Graph,
        module: &str,
        marks: &mut BTreeMap<String, Mark>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        marks.insert(module.to_string(), Mark::OnPath);
        path.push(module.to_string());
        for next in graph.get(module).into_iter().flatten() {
            match marks.get(next).copied().unwrap_or(Mark::Unseen) {
                Mark::OnPath => {
                    let from = path.iter().position(|m| m == next).unwrap();
                    let mut circle = path[from..].to_vec();
                    circle.push(next.clone());
                    return Some(circle);
                }
                Mark::Unseen => {
                    if let Some(circle) = visit(graph, next, marks, path) {
                        return Some(circle);
                    }
                }
                Mark::Done => {}
            }
        }
        path.pop();
        marks.insert(module.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    for module in graph.keys() {
        if marks.get(module).copied().unwrap_or(Mark::Unseen) == Mark::Unseen
            && let Some(circle) = visit(graph, module, &mut marks, &mut Vec::new())
        {
            return Some(circle);
        }
    }
    None
}

fn graph_from(arrows: &[(&str, &[&str])]) -> Graph {
    arrows
        .iter()
        .map(|(from, to)| (from.to_string(), to.iter().map(|t| t.to_string()).collect()))
        .collect()
}

fn assert_arrow(graph: &Graph, from: &str, to: &str) {
    assert!(
        graph.get(from).is_some_and(|arrows| arrows.contains(to)),
        "the reader should see {from} -> {to}; it read {graph:?}"
    );
}
