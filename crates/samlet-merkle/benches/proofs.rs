//! Proof generation + verification on a 10,000,000-leaf in-memory tree, and
//! append throughput versus raw SHA-256 of the same leaves.
//!
//! Run: `CARGO_BUILD_JOBS=1 cargo bench --bench proofs` (about 1–2 minutes:
//! short warm-up and measurement times are configured below).

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use samlet_merkle::{leaf_hash, verify_consistency, verify_inclusion, MemoryStore, MerkleTree};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const SIZE: u64 = 10_000_000;
const BUILD_BATCH: u64 = 1 << 20;

/// Small deterministic PRNG (xorshift64*), to avoid a rand dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

fn leaf_data(i: u64) -> [u8; 16] {
    let mut d = [0u8; 16];
    d[..8].copy_from_slice(b"access#:");
    d[8..].copy_from_slice(&i.to_be_bytes());
    d
}

fn big_tree() -> &'static MerkleTree<MemoryStore> {
    static T: OnceLock<MerkleTree<MemoryStore>> = OnceLock::new();
    T.get_or_init(|| {
        let start = Instant::now();
        let mut tree = MerkleTree::new(MemoryStore::with_capacity(SIZE));
        let mut i = 0;
        while i < SIZE {
            let end = (i + BUILD_BATCH).min(SIZE);
            let batch: Vec<[u8; 16]> = (i..end).map(leaf_data).collect();
            tree.append_batch(&batch).expect("in-memory append");
            i = end;
        }
        eprintln!(
            "built {SIZE}-leaf tree in {:.2?} ({:.0} appends/s)",
            start.elapsed(),
            SIZE as f64 / start.elapsed().as_secs_f64()
        );
        tree
    })
}

fn proofs(c: &mut Criterion) {
    let tree = big_tree();
    let root = tree.root();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);

    let mut g = c.benchmark_group("10M");
    g.bench_function("inclusion_generate", |b| {
        b.iter(|| {
            let index = rng.next() % SIZE;
            black_box(tree.inclusion_proof(index, SIZE).expect("proof"))
        })
    });
    g.bench_function("inclusion_generate_verify", |b| {
        b.iter(|| {
            let index = rng.next() % SIZE;
            let proof = tree.inclusion_proof(index, SIZE).expect("proof");
            let leaf = leaf_hash(&leaf_data(index));
            verify_inclusion(index, SIZE, &leaf, &proof, &root).expect("verifies");
        })
    });
    // Old roots are what a client already holds, so they are picked outside
    // the timed part.
    g.bench_function("consistency_generate_verify", |b| {
        b.iter_batched(
            || {
                let size1 = 1 + rng.next() % (SIZE - 1);
                (size1, tree.root_at(size1).expect("root"))
            },
            |(size1, root1)| {
                let proof = tree.consistency_proof(size1, SIZE).expect("proof");
                verify_consistency(size1, SIZE, &proof, &root1, &root).expect("verifies");
            },
            BatchSize::SmallInput,
        )
    });
    g.bench_function("root_at_random_size", |b| {
        b.iter(|| {
            let size = 1 + rng.next() % SIZE;
            black_box(tree.root_at(size).expect("root"))
        })
    });
    g.finish();
}

fn appends(c: &mut Criterion) {
    const BATCH: usize = 1000;
    let leaves: Vec<[u8; 16]> = (0..BATCH as u64).map(leaf_data).collect();
    let mut g = c.benchmark_group("append_vs_sha256");
    g.throughput(Throughput::Elements(BATCH as u64));
    let mut tree = MerkleTree::new(MemoryStore::new());
    g.bench_function("append_batch_1000", |b| {
        b.iter(|| black_box(tree.append_batch(&leaves).expect("append")))
    });
    g.bench_function("raw_sha256_1000", |b| {
        b.iter(|| {
            for l in &leaves {
                black_box(Sha256::digest(l));
            }
        })
    });
    g.finish();

    // Direct ratio over a larger run, printed for the report.
    const N: u64 = 2_000_000;
    let data: Vec<[u8; 16]> = (0..N).map(leaf_data).collect();
    let t = Instant::now();
    let mut acc = 0u8;
    for d in &data {
        acc ^= Sha256::digest(d)[0];
    }
    let raw = t.elapsed();
    black_box(acc);
    let mut tree = MerkleTree::new(MemoryStore::with_capacity(N));
    let t = Instant::now();
    for chunk in data.chunks(10_000) {
        tree.append_batch(chunk).expect("append");
    }
    let app = t.elapsed();
    eprintln!(
        "{N} leaves: raw SHA-256 {:.0}/s, appends {:.0}/s (batches of 10,000), \
         append cost = {:.2}x raw SHA-256",
        N as f64 / raw.as_secs_f64(),
        N as f64 / app.as_secs_f64(),
        app.as_secs_f64() / raw.as_secs_f64()
    );
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = proofs, appends
}
criterion_main!(benches);
