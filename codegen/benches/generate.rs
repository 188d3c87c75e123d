//! In-process generation speed per input: the repository's own document and the vendor-shaped
//! fixture, from bytes to formatted files. `cargo bench -p openapi-sdkgen`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

fn generate(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let inputs = [
        ("own_document", root.join("specs/postpress.json")),
        (
            "vendor_fixture",
            root.join("fixtures/vendor-shape/vendor-shape.json"),
        ),
    ];
    let mut g = c.benchmark_group("generate");
    g.sample_size(20);
    for (name, path) in inputs {
        let Ok(bytes) = std::fs::read(&path) else {
            eprintln!("skipping {name}: {} is not readable", path.display());
            continue;
        };
        g.bench_function(name, |b| {
            b.iter(|| {
                black_box(
                    openapi_sdkgen::generate(
                        black_box(&bytes),
                        &openapi_sdkgen::Options::default(),
                    )
                    .expect("generates"),
                )
            })
        });
        g.bench_function(format!("{name}_load_only"), |b| {
            b.iter(|| {
                let mut diags = openapi_sdkgen::Diagnostics::default();
                black_box(openapi_sdkgen::load(black_box(&bytes), &mut diags).expect("loads"))
            })
        });
    }
    g.finish();
}

criterion_group!(benches, generate);
criterion_main!(benches);
