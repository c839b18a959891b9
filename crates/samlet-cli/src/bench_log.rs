//! `samlet bench log`: durable appends through the real
//! appender on SQLite (as a ratio against raw SHA-256 of the same leaves in
//! the same run), then proof latency on a large tree.
use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::Utc;
use clap::Args;
use rand::Rng;
use samlet_app::transparency::entry::{AccessEntry, Accessor};
use samlet_app::transparency::log::{self, TransparencyLog};
use samlet_app::transparency::nodes::NodeReader;
use samlet_merkle::{leaf_hash, Hash, MerkleTree, NodeId, NodeStore, SignerKey};
use samlet_store::{LogAppend, SqliteStore, Store};
use sha2::{Digest, Sha256};

/// Transparency log: durable appends/s through the real appender on SQLite
/// (ratio against raw SHA-256 of the same leaves), and inclusion and
/// consistency proof latency on a tree of --proof-leaves leaves.
#[derive(Args)]
pub struct LogArgs {
    /// Entries to append through the appender.
    #[arg(long, default_value_t = 100_000)]
    appends: u64,
    /// Concurrent callers (requests) appending.
    #[arg(long, default_value_t = 512)]
    concurrency: u64,
    /// Size of the tree the proofs are measured on.
    #[arg(long, default_value_t = 10_000_000)]
    proof_leaves: u64,
    /// Proofs of each kind to time.
    #[arg(long, default_value_t = 2000)]
    proofs: u32,
    /// Where the bench databases go (default: a temporary directory).
    #[arg(long)]
    dir: Option<PathBuf>,
}

pub async fn run(a: LogArgs) -> anyhow::Result<()> {
    bench_log(a.appends, a.concurrency, a.proof_leaves, a.proofs, a.dir).await
}

/// prepare_append never reads the store; this one holds nothing.
struct NoStore;

impl NodeStore for NoStore {
    type Error = Infallible;
    fn get(&self, _: NodeId) -> Result<Option<Hash>, Infallible> {
        Ok(None)
    }
    fn put(&mut self, _: NodeId, _: Hash) -> Result<(), Infallible> {
        Ok(())
    }
}

fn entry(i: u64) -> AccessEntry {
    AccessEntry {
        v: 1,
        subject: format!("{:011}", 10_000_000_000u64 + i % 100_000),
        accessor: Accessor {
            org: "889640782".into(),
            name: "Arbeids- og velferdsetaten".into(),
            system: Some("saksbehandling".into()),
            role: None,
        },
        on_behalf_of: None,
        categories: vec!["cases".into(), "benefits".into()],
        purpose: "Behandle søknad om dagpenger".into(),
        legal_basis: "Folketrygdloven § 21-4".into(),
        legal_basis_ref: Some("https://lovdata.no/lov/1997-02-28-19/§21-4".into()),
        at: Utc::now(),
        request_id: format!("bench-{i}"),
        shared: Vec::new(),
    }
}

async fn open_store(dir: &std::path::Path, name: &str) -> anyhow::Result<Arc<SqliteStore>> {
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    let url = format!("sqlite://{}", path.display());
    Ok(Arc::new(SqliteStore::open(&url).await?))
}

fn stats(mut v: Vec<Duration>) -> String {
    v.sort();
    let n = v.len().max(1);
    let mean = v.iter().sum::<Duration>() / n as u32;
    let pct = |p: f64| {
        v.get(((n as f64 * p) as usize).min(n - 1))
            .copied()
            .unwrap_or_default()
    };
    format!(
        "mean {:.3} ms, p50 {:.3} ms, p99 {:.3} ms",
        mean.as_secs_f64() * 1e3,
        pct(0.5).as_secs_f64() * 1e3,
        pct(0.99).as_secs_f64() * 1e3
    )
}

async fn bench_log(
    appends: u64,
    concurrency: u64,
    proof_leaves: u64,
    proofs: u32,
    dir: Option<PathBuf>,
) -> anyhow::Result<()> {
    let tmp = tempfile::tempdir()?;
    let dir = dir.unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "samlet bench log: {cores} cores, SQLite (WAL, synchronous=FULL) in {}",
        dir.display()
    );

    // 1. Raw SHA-256 of the same leaves (the salted commitment plus the leaf hash).
    let bodies: Vec<String> = (0..appends)
        .map(|i| serde_json::to_string(&entry(i)))
        .collect::<Result<_, _>>()?;
    let started = Instant::now();
    let mut acc = 0u8;
    for b in &bodies {
        let mut h = Sha256::new();
        h.update([7u8; 32]);
        h.update(b.as_bytes());
        let c: Hash = h.finalize().into();
        acc ^= leaf_hash(&c)[0];
    }
    let sha_secs = started.elapsed().as_secs_f64();
    let sha_rate = appends as f64 / sha_secs;
    std::hint::black_box(acc);

    // 2. Durable appends through the real appender.
    let store: Arc<dyn Store> = open_store(&dir, "append.db").await?;
    let signer = SignerKey::generate("bench.samlet.example/log")?;
    let tlog = TransparencyLog::open(store.clone(), signer).await?;
    let per_task = appends.div_ceil(concurrency.max(1));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for t in 0..concurrency.max(1) {
        let tlog = tlog.clone();
        tasks.push(tokio::spawn(async move {
            for j in 0..per_task {
                let i = t * per_task + j;
                if i >= appends {
                    break;
                }
                tlog.append(entry(i)).await?;
            }
            Ok::<_, log::LogError>(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    let append_secs = started.elapsed().as_secs_f64();
    let append_rate = appends as f64 / append_secs;
    let cp = tlog.checkpoint().await?;
    anyhow::ensure!(
        cp.size == appends,
        "log has {} entries, expected {appends}",
        cp.size
    );
    println!("\nAppends ({appends} entries, {concurrency} concurrent callers, each returned after commit):");
    println!("  durable appends:  {append_rate:>12.0} /s  ({append_secs:.2} s)");
    println!("  raw SHA-256:      {sha_rate:>12.0} /s  ({sha_secs:.3} s, same leaves, one core)");
    println!(
        "  ratio:            appends run at {:.4} of raw hashing speed (1 : {:.0})",
        append_rate / sha_rate,
        sha_rate / append_rate
    );

    // 3. A big tree for proof latency: leaves and nodes written in large
    //    batches straight through the store (no entry details).
    let big: Arc<dyn Store> = open_store(&dir, "proofs.db").await?;
    let mut tree = MerkleTree::new(NoStore);
    let batch = 200_000u64;
    let bar = indicatif::ProgressBar::new(proof_leaves);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "  building {pos}/{len} leaves [{bar:40}] {per_sec} eta {eta}",
        )
        .context("progress template")?,
    );
    let started = Instant::now();
    let mut next = 0u64;
    while next < proof_leaves {
        let n = batch.min(proof_leaves - next);
        let hashes: Vec<Hash> = (next..next + n)
            .map(|i| leaf_hash(&Sha256::digest(i.to_be_bytes())))
            .collect();
        let pending = tree
            .prepare_append(&hashes)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        big.log_append(&LogAppend {
            old_size: tree.size(),
            new_size: pending.new_size(),
            entries: Vec::new(),
            nodes: pending.nodes.clone(),
            leaf_data: Vec::new(),
        })
        .await?;
        tree.commit_append(pending)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        next += n;
        bar.set_position(next);
    }
    bar.finish_and_clear();
    let size = tree.size();
    let root = tree.root();
    println!(
        "\nProofs on a tree of {size} leaves (built in {:.1} s):",
        started.elapsed().as_secs_f64()
    );
    // The server's reader: levels 8+ cached in memory, the few nodes below
    // read in one single-row statement. Its cache fills on first use; the
    // warm-up is timed and reported separately.
    let reader = NodeReader::new(big.clone());
    let t = Instant::now();
    reader.root_at(size).await?;
    reader.inclusion_proof(0, size).await?;
    let warm = t.elapsed();
    let mut rng = rand::thread_rng();
    // Baseline in the same run: no cache, every node of the proof read
    // from the database in one query. Timed interleaved with the reader, so
    // both see the same page cache and machine load.
    let baseline = |idx: u64| {
        let big = big.clone();
        async move {
            let p = samlet_merkle::inclusion_plan(idx, size)?;
            let nodes = log::read_nodes(big.as_ref(), p.node_ids()).await?;
            anyhow::Ok(p.build(&nodes)?)
        }
    };
    // Untimed warm-up of both (SQLite's page caches, the prepared statements).
    for _ in 0..(proofs / 10).max(1) {
        let idx = rng.gen_range(0..size);
        reader.inclusion_proof(idx, size).await?;
        baseline(idx).await?;
    }
    let mut inc = Vec::with_capacity(proofs as usize);
    let mut base = Vec::with_capacity(proofs as usize);
    for _ in 0..proofs {
        let idx = rng.gen_range(0..size);
        let t = Instant::now();
        let proof = reader.inclusion_proof(idx, size).await?;
        inc.push(t.elapsed());
        let leaf = leaf_hash(&Sha256::digest(idx.to_be_bytes()));
        samlet_merkle::verify_inclusion(idx, size, &leaf, &proof, &root)
            .map_err(|e| anyhow::anyhow!("inclusion proof for {idx} failed: {e}"))?;
        let idx = rng.gen_range(0..size);
        let t = Instant::now();
        let proof = baseline(idx).await?;
        base.push(t.elapsed());
        std::hint::black_box(proof);
    }
    let mut con = Vec::with_capacity(proofs as usize);
    for _ in 0..proofs {
        let from = rng.gen_range(1..size.max(2));
        let t = Instant::now();
        let proof = reader.consistency_proof(from, size).await?;
        con.push(t.elapsed());
        let old = reader.root_at(from).await?;
        samlet_merkle::verify_consistency(from, size, &proof, &old, &root)
            .map_err(|e| anyhow::anyhow!("consistency proof {from}->{size} failed: {e}"))?;
    }
    let mean = |v: &[Duration]| v.iter().sum::<Duration>().as_secs_f64() / v.len().max(1) as f64;
    let ratio = mean(&base) / mean(&inc).max(1e-9);
    println!(
        "  cache warm-up (levels 8+ read once):                {:.1} ms",
        warm.as_secs_f64() * 1e3
    );
    println!(
        "  inclusion proof (levels 8+ cached, rest one query): {}",
        stats(inc)
    );
    println!(
        "  consistency proof (same):                           {}",
        stats(con)
    );
    println!(
        "  baseline: inclusion, all ~24 nodes from the db:    {}",
        stats(base)
    );
    println!("  ratio:                                              inclusion proofs {ratio:.1}x faster than the baseline (mean)");
    Ok(())
}
