//! Link flag for the split WASM release build. With `opt-level = "z"` the linker merges all
//! read-only data into one segment, which then stays in the main module; keeping segments
//! apart lets `cargo leptos build --release --split` move each page's strings and tables into
//! that page's chunk. Not in debug builds: there every chunk would repeat the names of all
//! the (thousands of) unmerged segments, making each chunk hundreds of kilobytes.
fn main() {
    let wasm = std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32");
    let release = std::env::var("PROFILE").as_deref() == Ok("release");
    if wasm && release {
        println!("cargo:rustc-link-arg-cdylib=--no-merge-data-segments");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
