//! `xtask::generate_source` for each provider, in process and warm: spec read, YAML
//! parse, preprocessing, progenitor, prettyplease.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};

fn generate(c: &mut Criterion) {
    let root = xtask::workspace_root();
    let mut g = c.benchmark_group("generate");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    for key in xtask::PROVIDERS {
        // Warm: the spec file is in the page cache and the code paths have run once.
        xtask::generate_source(&root, key).expect("generates");
        g.bench_function(*key, |b| {
            b.iter(|| black_box(xtask::generate_source(&root, key).expect("generates")))
        });
    }
    g.finish();
}

criterion_group!(benches, generate);
criterion_main!(benches);
