//! Official vectors from transparency-dev/merkle (Apache-2.0, see
//! testdata/ORIGIN.md): every inclusion and consistency probe must verify or
//! fail exactly as `wantErr` says, and the tree must reproduce the reference
//! roots and node hashes of `testonly/constants.go`.

#![allow(clippy::unwrap_used)] // test code: a panic is the failure report
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use samlet_merkle::{
    empty_root, leaf_hash, root_from_leaf_hashes, verify_consistency, verify_inclusion, Hash,
    MemoryStore, MerkleTree, NodeId, NodeStore,
};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct InclusionProbe {
    leaf_idx: u64,
    tree_size: u64,
    root: String,
    leaf_hash: String,
    proof: Option<Vec<String>>,
    desc: String,
    want_err: bool,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConsistencyProbe {
    size1: u64,
    size2: u64,
    root1: String,
    root2: String,
    proof: Option<Vec<String>>,
    desc: String,
    want_err: bool,
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    out.sort();
}

fn testdata(sub: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    json_files(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata")
            .join(sub),
        &mut files,
    );
    files
}

fn b64(s: &str) -> Vec<u8> {
    B64.decode(s).unwrap()
}

fn b64s(v: &Option<Vec<String>>) -> Vec<Vec<u8>> {
    v.as_deref()
        .unwrap_or_default()
        .iter()
        .map(|s| b64(s))
        .collect()
}

#[test]
fn inclusion_vectors() {
    let files = testdata("inclusion");
    assert_eq!(files.len(), 98, "all inclusion vector files present");
    let (mut ok, mut tampered) = (0, 0);
    for f in &files {
        let p: InclusionProbe = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        let res = verify_inclusion(
            p.leaf_idx,
            p.tree_size,
            &b64(&p.leaf_hash),
            &b64s(&p.proof),
            &b64(&p.root),
        );
        match (p.want_err, res) {
            (false, Ok(())) => ok += 1,
            (true, Err(_)) => tampered += 1,
            (want_err, res) => panic!("{}: {} wantErr={want_err} got {res:?}", f.display(), p.desc),
        }
    }
    assert!(ok == 6 && tampered == 92, "ok={ok} tampered={tampered}");
}

#[test]
fn consistency_vectors() {
    let files = testdata("consistency");
    assert_eq!(files.len(), 98, "all consistency vector files present");
    let (mut ok, mut tampered) = (0, 0);
    for f in &files {
        let p: ConsistencyProbe =
            serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        let res = verify_consistency(
            p.size1,
            p.size2,
            &b64s(&p.proof),
            &b64(&p.root1),
            &b64(&p.root2),
        );
        match (p.want_err, res) {
            (false, Ok(())) => ok += 1,
            (true, Err(_)) => tampered += 1,
            (want_err, res) => panic!("{}: {} wantErr={want_err} got {res:?}", f.display(), p.desc),
        }
    }
    assert!(ok == 6 && tampered == 92, "ok={ok} tampered={tampered}");
}

/// Our tree must generate exactly the proofs in the happy-path vectors.
#[test]
fn generated_proofs_equal_happy_path_vectors() {
    let mut tree = MerkleTree::new(MemoryStore::new());
    tree.append_batch(&leaf_inputs()).unwrap();
    let mut checked = 0;
    for f in testdata("inclusion") {
        if !f.ends_with("happy-path.json") {
            continue;
        }
        let p: InclusionProbe =
            serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let proof: Vec<Vec<u8>> = tree
            .inclusion_proof(p.leaf_idx, p.tree_size)
            .unwrap()
            .iter()
            .map(|h| h.to_vec())
            .collect();
        assert_eq!(proof, b64s(&p.proof), "{}", f.display());
        assert_eq!(tree.root_at(p.tree_size).unwrap().to_vec(), b64(&p.root));
        checked += 1;
    }
    for f in testdata("consistency") {
        if !f.ends_with("happy-path.json") {
            continue;
        }
        let p: ConsistencyProbe =
            serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let proof: Vec<Vec<u8>> = tree
            .consistency_proof(p.size1, p.size2)
            .unwrap()
            .iter()
            .map(|h| h.to_vec())
            .collect();
        assert_eq!(proof, b64s(&p.proof), "{}", f.display());
        checked += 1;
    }
    assert!(checked >= 10);
}

fn hd(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn h32(s: &str) -> Hash {
    hd(s).try_into().unwrap()
}

// From transparency-dev/merkle testonly/constants.go (Apache-2.0).
fn leaf_inputs() -> Vec<Vec<u8>> {
    [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
    .iter()
    .map(|s| hd(s))
    .collect()
}

const ROOT_HASHES: [&str; 9] = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

const NODE_HASHES: [&[&str]; 4] = [
    &[
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    ],
    &[
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    ],
    &[
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    &["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
];

#[test]
fn reference_roots_incremental_and_recursive() {
    assert_eq!(empty_root(), h32(ROOT_HASHES[0]));
    let leaves = leaf_inputs();
    let mut tree = MerkleTree::new(MemoryStore::new());
    assert_eq!(tree.root(), h32(ROOT_HASHES[0]));
    for (i, leaf) in leaves.iter().enumerate() {
        tree.append(leaf).unwrap();
        let want = h32(ROOT_HASHES[i + 1]);
        assert_eq!(tree.root(), want, "incremental root at size {}", i + 1);
        let hashes: Vec<Hash> = leaves[..=i].iter().map(|l| leaf_hash(l)).collect();
        assert_eq!(root_from_leaf_hashes(&hashes), want, "recursive root");
    }
    // Roots at every past size, read back from the store.
    for (size, root) in ROOT_HASHES.iter().enumerate() {
        assert_eq!(tree.root_at(size as u64).unwrap(), h32(root));
    }
}

#[test]
fn reference_node_hashes_stored() {
    let mut tree = MerkleTree::new(MemoryStore::new());
    tree.append_batch(&leaf_inputs()).unwrap();
    for (level, nodes) in NODE_HASHES.iter().enumerate() {
        for (index, want) in nodes.iter().enumerate() {
            let got = tree
                .store()
                .get(NodeId::new(level as u8, index as u64))
                .unwrap();
            assert_eq!(got, Some(h32(want)), "node ({level}, {index})");
        }
    }
    // Nothing beyond the complete subtrees is stored.
    assert_eq!(tree.store().get(NodeId::new(4, 0)).unwrap(), None);
}
