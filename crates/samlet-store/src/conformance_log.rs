//! The conformance suite of [`AccessLogStore`]: both backends must pass it
//! (`tests/access_log_conformance.rs` runs it on SQLite and PostgreSQL).

use chrono::{DateTime, Duration, TimeZone, Utc};
use samlet_merkle::{leaf_hash, plan, MemoryStore, MerkleTree, NodeId};

use crate::{
    AccessLogFilter, AccessLogStore, DetailsCount, LeafDetails, LogAppend, NewLogEntry, StoreError,
};
use crate::{StoredCheckpoint, StoredLogEntry};

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, 10, 0, 0)
        .single()
        .unwrap_or_default()
}

pub(crate) fn entry(idx: u64, subject: &str, org: &str, day: u32) -> NewLogEntry {
    NewLogEntry {
        idx,
        subject: subject.into(),
        agency_org: org.into(),
        at: at(day),
        salt: vec![idx as u8; 32],
        body: format!(r#"{{"i":{idx},"subject":"{subject}","org":"{org}"}}"#),
    }
}

/// Leaf data of an entry: the salted commitment (what the server does too).
fn commitment(e: &NewLogEntry) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(&e.salt);
    h.update(e.body.as_bytes());
    h.finalize().to_vec()
}

/// Appends `entries` to `tree` and the store in one batch.
pub(crate) async fn append(
    store: &dyn AccessLogStore,
    tree: &mut MerkleTree<MemoryStore>,
    entries: Vec<NewLogEntry>,
) -> Result<(), StoreError> {
    let data: Vec<_> = entries.iter().map(commitment).collect();
    let hashes: Vec<_> = data.iter().map(|d| leaf_hash(d)).collect();
    let pending = tree
        .prepare_append(&hashes)
        .unwrap_or_else(|e| panic!("prepare: {e}"));
    store
        .log_append(&LogAppend {
            old_size: tree.size(),
            new_size: pending.new_size(),
            entries,
            nodes: pending.nodes.clone(),
            leaf_data: data,
        })
        .await?;
    tree.commit_append(pending)
        .unwrap_or_else(|e| panic!("commit: {e}"));
    Ok(())
}

/// Run every check against a fresh, empty store.
pub async fn run_all(store: &dyn AccessLogStore) {
    let mut tree = MerkleTree::new(MemoryStore::new());
    an_empty_log_has_nothing(store).await;
    appends_store_the_same_tree(store, &mut tree).await;
    a_stale_append_writes_nothing(store, &tree).await;
    a_person_lists_only_their_entries(store).await;
    tiles_and_counts_read_ranges(store, &tree).await;
    retention_is_a_leaf_and_leaves_tombstones(store, &mut tree).await;
    governance_records_are_public_leaves(store, &mut tree).await;
    checkpoints_are_kept_by_size(store).await;
}

async fn an_empty_log_has_nothing(store: &dyn AccessLogStore) {
    assert_eq!(store.log_size().await.expect("size"), 0);
    assert!(store.log_leaves(0, 10).await.expect("leaves").is_empty());
    assert!(store
        .log_latest_checkpoint()
        .await
        .expect("checkpoint")
        .is_none());
    assert_eq!(store.log_missing_details().await.expect("missing"), 0);
}

async fn appends_store_the_same_tree(
    store: &dyn AccessLogStore,
    tree: &mut MerkleTree<MemoryStore>,
) {
    // NAV reads Kari's data twice and Skatteetaten once; then a batch of 10.
    append(
        store,
        tree,
        vec![
            entry(0, "kari", "889640782", 1),
            entry(1, "ola", "974761076", 2),
            entry(2, "kari", "974761076", 3),
        ],
    )
    .await
    .expect("first batch");
    let batch: Vec<_> = (3..13).map(|i| entry(i, "ola", "889640782", 4)).collect();
    append(store, tree, batch).await.expect("second batch");
    assert_eq!(store.log_size().await.expect("size"), 13);

    // Every node the in-memory tree holds is stored, and the root rebuilds.
    let ids = plan::root_node_ids(13);
    let nodes: Vec<_> = store
        .log_nodes(&ids)
        .await
        .expect("nodes")
        .into_iter()
        .map(|n| n.expect("frontier node stored"))
        .collect();
    assert_eq!(plan::root_from_nodes(&nodes), tree.root());
    let proof_plan = samlet_merkle::inclusion_plan(5, 13).expect("plan");
    let hashes: Vec<_> = store
        .log_nodes(proof_plan.node_ids())
        .await
        .expect("proof nodes")
        .into_iter()
        .map(|n| n.expect("proof node stored"))
        .collect();
    let proof = proof_plan.build(&hashes).expect("proof");
    let leaf = leaf_hash(&commitment(&entry(5, "ola", "889640782", 4)));
    samlet_merkle::verify_inclusion(5, 13, &leaf, &proof, &tree.root())
        .expect("inclusion proof from stored nodes verifies");
    assert_eq!(
        store
            .log_nodes(&[NodeId::new(0, 99)])
            .await
            .expect("absent node"),
        vec![None]
    );

    let leaves = store.log_leaves(2, 5).await.expect("leaves");
    assert_eq!(
        leaves.iter().map(|l| l.idx).collect::<Vec<_>>(),
        vec![2, 3, 4]
    );
    assert!(
        matches!(&leaves[0].details, LeafDetails::Present { body, .. } if body.contains("kari"))
    );
    let data = leaves[0].data.as_deref().expect("leaf data stored");
    assert_eq!(
        leaf_hash(data),
        leaves[0].leaf_hash,
        "leaf data hashes to the leaf"
    );
}

async fn a_stale_append_writes_nothing(store: &dyn AccessLogStore, tree: &MerkleTree<MemoryStore>) {
    // Another replica prepared against size 3 while the head is at 13.
    let stale = LogAppend {
        old_size: 3,
        new_size: 4,
        entries: vec![entry(3, "eve", "889640782", 5)],
        nodes: vec![(NodeId::new(0, 3), [7; 32])],
        leaf_data: vec![vec![7; 32]],
    };
    assert!(matches!(
        store.log_append(&stale).await,
        Err(StoreError::StaleLogHead {
            expected: 3,
            found: 13
        })
    ));
    assert_eq!(store.log_size().await.expect("size"), tree.size());
    let none = store
        .log_entries_for(
            "eve",
            &AccessLogFilter {
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .expect("list");
    assert!(none.is_empty(), "a rejected append must store no entry");
}

async fn a_person_lists_only_their_entries(store: &dyn AccessLogStore) {
    let all = |agency: Option<&str>, from, to| AccessLogFilter {
        agency_org: agency.map(str::to_owned),
        from,
        to,
        offset: 0,
        limit: 50,
    };
    let idx = |v: Vec<StoredLogEntry>| v.into_iter().map(|e| e.idx).collect::<Vec<_>>();
    let kari = store
        .log_entries_for("kari", &all(None, None, None))
        .await
        .expect("kari");
    assert_eq!(idx(kari), vec![2, 0], "newest first, only Kari's");
    let by_nav = store
        .log_entries_for("kari", &all(Some("889640782"), None, None))
        .await
        .expect("kari by NAV");
    assert_eq!(idx(by_nav), vec![0]);
    let march_2 = store
        .log_entries_for("kari", &all(None, Some(at(2)), Some(at(4))))
        .await
        .expect("period");
    assert_eq!(idx(march_2), vec![2]);
    let page2 = store
        .log_entries_for(
            "ola",
            &AccessLogFilter {
                offset: 5,
                limit: 3,
                ..Default::default()
            },
        )
        .await
        .expect("page 2");
    assert_eq!(idx(page2), vec![7, 6, 5]);
}

async fn tiles_and_counts_read_ranges(store: &dyn AccessLogStore, tree: &MerkleTree<MemoryStore>) {
    let leaves = store.log_node_range(0, 2, 6).await.expect("range");
    assert_eq!(
        leaves.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
        vec![2, 3, 4, 5]
    );
    let level1 = store.log_node_range(1, 0, 100).await.expect("range");
    assert_eq!(level1.len(), 6, "13 leaves complete 6 level-1 nodes");
    let first_two = store.log_node_range(0, 0, 2).await.expect("range");
    assert_eq!(
        level1.first().map(|(_, h)| *h),
        Some(samlet_merkle::node_hash(&first_two[0].1, &first_two[1].1))
    );
    assert_eq!(tree.size(), 13);
    assert_eq!(
        store.log_details_count(0, 13).await.expect("count"),
        DetailsCount {
            present: 13,
            tombstones: 0
        }
    );
    assert_eq!(
        store
            .log_first_entry_since(at(3) - Duration::hours(1))
            .await
            .expect("first"),
        Some(2)
    );
    assert_eq!(store.log_expired_before().await.expect("k"), 0);
}

async fn retention_is_a_leaf_and_leaves_tombstones(
    store: &dyn AccessLogStore,
    tree: &mut MerkleTree<MemoryStore>,
) {
    // Entries 0 and 1 expire; the retention record is leaf 13.
    let record = b"retention: every entry below 2".to_vec();
    let pending = tree
        .prepare_append(&[leaf_hash(&record)])
        .unwrap_or_else(|e| panic!("prepare: {e}"));
    let batch = LogAppend {
        old_size: 13,
        new_size: 14,
        entries: Vec::new(),
        nodes: pending.nodes.clone(),
        leaf_data: vec![record.clone()],
    };
    let n = store
        .log_expire(&batch, 2, Utc::now())
        .await
        .expect("expire");
    assert_eq!(n, 2);
    tree.commit_append(pending)
        .unwrap_or_else(|e| panic!("commit: {e}"));
    let leaves = store.log_leaves(0, 14).await.expect("leaves");
    assert_eq!(leaves[0].details, LeafDetails::Tombstone);
    assert_eq!(leaves[1].details, LeafDetails::Tombstone);
    assert!(matches!(leaves[2].details, LeafDetails::Present { .. }));
    assert_eq!(leaves[13].details, LeafDetails::Retention);
    assert_eq!(leaves[13].data.as_deref(), Some(record.as_slice()));
    assert!(leaves[0].data.is_some(), "leaf data outlives the details");
    assert_eq!(
        store.log_missing_details().await.expect("missing"),
        0,
        "expired details are accounted for by tombstones"
    );
    assert_eq!(store.log_size().await.expect("size"), 14);
    assert_eq!(store.log_expired_before().await.expect("k"), 2);
    assert_eq!(
        store.log_details_count(0, 14).await.expect("count"),
        DetailsCount {
            present: 11,
            tombstones: 2
        }
    );
    // A stale retention batch writes nothing.
    assert!(matches!(
        store.log_expire(&batch, 5, Utc::now()).await,
        Err(StoreError::StaleLogHead { .. })
    ));
    assert_eq!(store.log_expired_before().await.expect("k"), 2);
    assert_eq!(
        store
            .log_details_count(0, 14)
            .await
            .expect("count")
            .tombstones,
        2
    );
}

async fn governance_records_are_public_leaves(
    store: &dyn AccessLogStore,
    tree: &mut MerkleTree<MemoryStore>,
) {
    // Two records (leaves 14 and 15) in one batch: no entries, no tombstones.
    let records = [b"grant: samlet:guardianship".to_vec(), b"revoke".to_vec()];
    let hashes: Vec<_> = records.iter().map(|r| leaf_hash(r)).collect();
    let pending = tree
        .prepare_append(&hashes)
        .unwrap_or_else(|e| panic!("prepare: {e}"));
    let batch = LogAppend {
        old_size: 14,
        new_size: 16,
        entries: Vec::new(),
        nodes: pending.nodes.clone(),
        leaf_data: records.to_vec(),
    };
    store
        .log_append_governance(&batch)
        .await
        .expect("append governance");
    tree.commit_append(pending)
        .unwrap_or_else(|e| panic!("commit: {e}"));
    let leaves = store.log_leaves(14, 16).await.expect("leaves");
    assert_eq!(leaves.len(), 2);
    for (leaf, record) in leaves.iter().zip(&records) {
        assert_eq!(leaf.details, LeafDetails::Governance);
        assert_eq!(leaf.data.as_deref(), Some(record.as_slice()));
    }
    assert_eq!(
        store.log_missing_details().await.expect("missing"),
        0,
        "a governance record has no details to miss"
    );
    assert_eq!(store.log_size().await.expect("size"), 16);
    // A stale batch writes nothing.
    assert!(matches!(
        store.log_append_governance(&batch).await,
        Err(StoreError::StaleLogHead { .. })
    ));
    assert_eq!(store.log_size().await.expect("size"), 16);
}

async fn checkpoints_are_kept_by_size(store: &dyn AccessLogStore) {
    let cp = |size, root: u8| StoredCheckpoint {
        size,
        root: [root; 32],
        signed: format!("example.org/log\n{size}\n…\n"),
    };
    assert!(store
        .log_save_checkpoint(&cp(3, 1), Utc::now())
        .await
        .expect("save"));
    assert!(store
        .log_save_checkpoint(&cp(13, 2), Utc::now())
        .await
        .expect("save"));
    assert!(
        !store
            .log_save_checkpoint(&cp(13, 9), Utc::now())
            .await
            .expect("dup"),
        "a second checkpoint of the same size is refused"
    );
    assert_eq!(
        store.log_latest_checkpoint().await.expect("latest"),
        Some(cp(13, 2))
    );
}
