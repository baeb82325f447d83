//! Size report: the bytes a host page loads for Baton's chat before the customer opens it, and
//! what opening it loads, each raw, gzip -9, brotli q11, and as the running server actually
//! sends it (its compression layer, asked for br). Run it against a release build:
//!
//!   BATON_DEMO=true cargo leptos serve --release --split      (in another terminal)
//!   cargo run --release -p bench --bin size-report -- --base http://127.0.0.1:3000 --key wk_demo_help
//!
//! What opening loads is read from the widget page itself: every same-origin `<link href>` and
//! `<script src>` in it (the stylesheet, the hydration script and main module, and the lazy
//! route's chunks that the server preloads). With `--pkg target/site/pkg` it also sums every
//! WASM file of the build, to show what the widget does not load.

use std::io::Write;

struct Asset {
    stage: &'static str,
    path: String,
}

struct Sizes {
    raw: usize,
    gzip: usize,
    brotli: usize,
    served_br: usize,
}

fn gzip(bytes: &[u8]) -> usize {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).expect("gzip in memory");
    encoder.finish().expect("gzip in memory").len()
}

fn brotli(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 24,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).expect("brotli in memory");
    out.len()
}

async fn measure(client: &reqwest::Client, base: &str, path: &str) -> Result<Sizes, String> {
    let url = format!("{base}{path}");
    let plain = client
        .get(&url)
        .header("accept-encoding", "identity")
        .send()
        .await
        .map_err(|e| format!("{url}: {e}"))?;
    if !plain.status().is_success() {
        return Err(format!("{url}: {}", plain.status()));
    }
    let body = plain.bytes().await.map_err(|e| e.to_string())?;
    let served = client
        .get(&url)
        .header("accept-encoding", "br")
        .send()
        .await
        .map_err(|e| e.to_string())?
        .bytes()
        .await
        .map_err(|e| e.to_string())?;
    Ok(Sizes {
        raw: body.len(),
        gzip: gzip(&body),
        brotli: brotli(&body),
        served_br: served.len(),
    })
}

fn arg(name: &str, default: &str) -> String {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
        .unwrap_or_else(|| default.to_string())
}

/// The same-origin files a page loads by itself: `<link href>` (stylesheet, preloads of the
/// main module and of the route's chunks) and `<script src>`, in page order, without repeats.
fn assets_of_page(html: &str) -> Vec<String> {
    let Ok(dom) = tl::parse(html, tl::ParserOptions::default()) else {
        return Vec::new();
    };
    let parser = dom.parser();
    let mut paths: Vec<String> = Vec::new();
    for (selector, attribute) in [("link[href]", "href"), ("script[src]", "src")] {
        let Some(found) = dom.query_selector(selector) else {
            continue;
        };
        for handle in found {
            let Some(tag) = handle.get(parser).and_then(|node| node.as_tag()) else {
                continue;
            };
            if let Some(Some(value)) = tag.attributes().get(attribute) {
                let path = value.as_utf8_str().to_string();
                if path.starts_with('/') && !path.starts_with("//") && !paths.contains(&path) {
                    paths.push(path);
                }
            }
        }
    }
    paths
}

/// Raw and brotli sizes of every `.wasm` file of the build, for comparison with what opening
/// the widget loads.
fn whole_build(pkg: &std::path::Path) -> Option<(usize, usize, usize)> {
    let mut files = 0;
    let mut raw = 0;
    let mut br = 0;
    for entry in std::fs::read_dir(pkg).ok()? {
        let path = entry.ok()?.path();
        if path.extension().is_some_and(|e| e == "wasm") {
            let bytes = std::fs::read(&path).ok()?;
            files += 1;
            raw += bytes.len();
            br += brotli(&bytes);
        }
    }
    Some((files, raw, br))
}

fn fail(message: String, base: &str) -> ! {
    eprintln!(
        "size-report: cannot fetch {message}. Is Baton running at {base} (with the demo widget)?"
    );
    std::process::exit(1);
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let base = arg("--base", "http://127.0.0.1:3000");
    let key = arg("--key", "wk_demo_help");
    let pkg = arg("--pkg", "");
    let client = reqwest::Client::new();
    let widget = format!("/w/{key}");
    let page = match client.get(format!("{base}{widget}")).send().await {
        Ok(response) if response.status().is_success() => response.text().await.unwrap_or_default(),
        Ok(response) => fail(format!("{widget}: {}", response.status()), &base),
        Err(e) => fail(format!("{widget}: {e}"), &base),
    };
    let mut assets = vec![
        Asset {
            stage: "before opening",
            path: "/embed.js".into(),
        },
        Asset {
            stage: "on opening",
            path: widget,
        },
    ];
    assets.extend(assets_of_page(&page).into_iter().map(|path| Asset {
        stage: "on opening",
        path,
    }));
    println!("| stage | file | raw | gzip -9 | brotli q11 | served (br) |");
    println!("|---|---|---:|---:|---:|---:|");
    let mut totals: Vec<(&str, [usize; 4])> = Vec::new();
    for asset in &assets {
        let sizes = match measure(&client, &base, &asset.path).await {
            Ok(s) => s,
            Err(e) => fail(e, &base),
        };
        println!(
            "| {} | `{}` | {} | {} | {} | {} |",
            asset.stage, asset.path, sizes.raw, sizes.gzip, sizes.brotli, sizes.served_br
        );
        let row = [sizes.raw, sizes.gzip, sizes.brotli, sizes.served_br];
        match totals.iter_mut().find(|(stage, _)| *stage == asset.stage) {
            Some((_, sum)) => sum.iter_mut().zip(row).for_each(|(s, r)| *s += r),
            None => totals.push((asset.stage, row)),
        }
    }
    for (stage, [raw, gz, br, served]) in totals {
        println!("| **{stage}, total** | | {raw} | {gz} | {br} | {served} |");
    }
    if !pkg.is_empty() {
        match whole_build(std::path::Path::new(&pkg)) {
            Some((files, raw, br)) => println!(
                "\nThe whole build for comparison: {files} WASM files, {raw} bytes raw, {br} brotli q11."
            ),
            None => eprintln!("size-report: cannot read the WASM files in {pkg}"),
        }
    }
}
