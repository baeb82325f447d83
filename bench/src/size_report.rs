//! Size report: the bytes a host page loads for Baton's chat before the customer opens it, and
//! what opening it loads, each raw, gzip -9, brotli q11, and as the running server actually
//! sends it (its compression layer, asked for br). Run it against a release build:
//!
//!   cargo leptos serve --release            (in another terminal; BATON_DEMO=true)
//!   cargo run --release -p bench --bin size-report -- --base http://127.0.0.1:3000 --key wk_demo_help

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

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let base = arg("--base", "http://127.0.0.1:3000");
    let key = arg("--key", "wk_demo_help");
    let assets = [
        Asset {
            stage: "before opening",
            path: "/embed.js".into(),
        },
        Asset {
            stage: "on opening",
            path: format!("/w/{key}"),
        },
        Asset {
            stage: "on opening",
            path: "/pkg/baton.js".into(),
        },
        Asset {
            stage: "on opening",
            path: "/pkg/baton.wasm".into(),
        },
        Asset {
            stage: "on opening",
            path: "/baton.css".into(),
        },
    ];
    let client = reqwest::Client::new();
    println!("| stage | file | raw | gzip -9 | brotli q11 | served (br) |");
    println!("|---|---|---:|---:|---:|---:|");
    let mut totals: Vec<(&str, [usize; 4])> = Vec::new();
    for asset in &assets {
        let sizes = match measure(&client, &base, &asset.path).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!(
                    "size-report: cannot fetch {e}. Is Baton running at {base} (with the demo widget)?"
                );
                std::process::exit(1);
            }
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
}
