//! The application modules form layers without cycles: a module may use
//! only the modules listed before it in `samlet_app::LAYERS`. A module is
//! `src/<name>.rs` and everything under `src/<name>/`; modules name each
//! other as `crate::<name>` (a `super::` path never leaves its module).

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a source file belongs to, if it is one of the layers.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    Some(first.trim_end_matches(".rs").to_owned())
}

/// The layer modules a source text names through `crate::` paths: `crate::journeys::Plan`, and each top-level name in a group such
/// as `crate::{auth, transparency::log}`.
fn uses(text: &str) -> Vec<&'static str> {
    let mut named = Vec::new();
    {
        for (at, _) in text.match_indices("crate::") {
            let rest = &text[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // Top-level names of the group: split at commas outside nested braces.
                let mut depth = 0;
                let mut item = String::new();
                for c in group.chars() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            named.push(leading_ident(&item));
                            item.clear();
                            continue;
                        }
                        _ => {}
                    }
                    item.push(c);
                }
                named.push(leading_ident(&item));
            } else {
                named.push(leading_ident(rest));
            }
        }
    }
    samlet_app::LAYERS
        .iter()
        .copied()
        .filter(|m| named.iter().any(|n| n == m))
        .collect()
}

fn leading_ident(s: &str) -> String {
    s.trim_start()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

#[test]
fn each_module_uses_only_the_layers_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        let Some(rank) = samlet_app::LAYERS.iter().position(|m| *m == module) else {
            continue;
        };
        let text = std::fs::read_to_string(file).expect("read source");
        for used in uses(&text) {
            let used_rank = samlet_app::LAYERS
                .iter()
                .position(|m| *m == used)
                .expect("a layer");
            if used != module && used_rank > rank {
                wrong.push(format!(
                    "{} ({module}) uses {used}, a layer below it",
                    file.display()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_check_sees_a_use_of_a_lower_layer() {
    assert_eq!(uses("use crate::journeys::Plan;"), ["journeys"]);
    assert_eq!(
        uses("use crate::{auth, transparency::log};"),
        ["auth", "transparency"]
    );
    assert!(uses("use samlet_store::JourneyStore;").is_empty());
}

#[test]
fn every_layer_is_a_module_of_the_crate() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    for m in samlet_app::LAYERS {
        assert!(
            lib.contains(&format!("pub mod {m};")),
            "{m} is not declared"
        );
        assert!(
            src.join(format!("{m}.rs")).exists() || src.join(m).is_dir(),
            "{m} has no source"
        );
    }
}
