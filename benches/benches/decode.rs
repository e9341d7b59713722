//! Decoding one realistic page per provider from JSON bytes (`serde_json::from_slice`):
//! the generated types against hand-written minimal types with the same fields and
//! enums as plain strings (see `telnums_benches::baseline`).
//!
//! On a small shared VM the speed of the machine drifts by several percent between
//! measurement windows, as much as the effect being measured. So the criterion
//! functions interleave the two types (every iteration decodes the page with both and
//! each function times only its own decode), and after them a paired run decodes with
//! both in alternating order, in the same time window, and writes the means to
//! `target/telnums-bench/decode_paired.json`: the ratio from that run is the one
//! `cargo tools bench` judges. Dropping the decoded value is not timed.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use telnums_benches::{apple_page, baseline, fone_page, vonage_page, webex_page, zoom_page};

/// Time spent in the paired run per provider.
const PAIRED_TIME: Duration = Duration::from_millis(1500);

/// Decodes `body` as `T`, returning the time taken; the value is dropped afterwards.
fn time<T: DeserializeOwned>(body: &[u8]) -> Duration {
    let started = Instant::now();
    let value = serde_json::from_slice::<T>(black_box(body)).expect("decodes");
    let elapsed = started.elapsed();
    drop(black_box(value));
    elapsed
}

fn group<G: DeserializeOwned, B: DeserializeOwned>(
    c: &mut Criterion,
    name: &str,
    items: usize,
    body: &[u8],
) -> Value {
    // Both types must accept the bytes, or the comparison means nothing.
    serde_json::from_slice::<G>(body).expect("generated type decodes the page");
    serde_json::from_slice::<B>(body).expect("baseline type decodes the page");
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Elements(items as u64));
    g.bench_function("generated", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| {
                    let t = time::<G>(body);
                    time::<B>(body);
                    t
                })
                .sum()
        })
    });
    g.bench_function("baseline", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| {
                    let t = time::<B>(body);
                    time::<G>(body);
                    t
                })
                .sum()
        })
    });
    g.finish();
    if std::env::args().any(|a| a == "--list") {
        return Value::Null;
    }
    // Paired run: both decodes in every round, the order alternating.
    let started = Instant::now();
    let (mut generated, mut base, mut rounds) = (Duration::ZERO, Duration::ZERO, 0u32);
    while rounds < 20 || started.elapsed() < PAIRED_TIME {
        if rounds % 2 == 0 {
            generated += time::<G>(body);
            base += time::<B>(body);
        } else {
            base += time::<B>(body);
            generated += time::<G>(body);
        }
        rounds += 1;
    }
    let generated = generated.as_nanos() as f64 / f64::from(rounds);
    let base = base.as_nanos() as f64 / f64::from(rounds);
    json!({
        "rounds": rounds,
        "generated_ns": generated,
        "baseline_ns": base,
        "ratio": generated / base,
        "bytes": body.len(),
        "items": items,
    })
}

fn decode(c: &mut Criterion) {
    let mut paired = json!({});
    let vonage = vonage_page(0, 5000, 1, 200, 1_000_000);
    paired["vonage-cc"] = group::<
        telnums_vonage_cc::types::CallbackNumberList,
        baseline::vonage::List,
    >(c, "decode_vonage-cc", 5000, &vonage);
    let webex = webex_page(0, 2000);
    paired["webex-calling"] = group::<
        telnums_webex_calling::types::WebexNumberList,
        baseline::webex::List,
    >(c, "decode_webex-calling", 2000, &webex);
    let fone = fone_page(0, 200);
    paired["fone-dynamics"] = group::<
        telnums_fone_dynamics::types::FoneNumberListResponse,
        baseline::fone::Envelope,
    >(c, "decode_fone-dynamics", 200, &fone);
    let apple = apple_page(0, 100);
    paired["apple-business"] = group::<
        telnums_apple_business::types::AppleCallerIdList,
        baseline::apple::List,
    >(c, "decode_apple-business", 100, &apple);
    let zoom = zoom_page(0, 300);
    paired["zoom-phone"] = group::<
        telnums_zoom_phone::types::ZoomPhoneNumberList,
        baseline::zoom::List,
    >(c, "decode_zoom-phone", 300, &zoom);
    if paired
        .as_object()
        .is_some_and(|m| m.values().all(Value::is_null))
    {
        return;
    }
    telnums_benches::write_result("decode_paired.json", &paired);
}

criterion_group!(benches, decode);
criterion_main!(benches);
