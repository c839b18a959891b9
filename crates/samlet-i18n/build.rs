//! Embeds every `locales/<lang>/*.ftl` file in the binary, so adding a
//! translation file needs no code change. Written by hand: it is a directory
//! listing and a generated `include_str!` table, which no crate does better
//! without also pulling in a loader we do not need.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("locales dir")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .collect();
    dirs.sort_by_key(|e| e.file_name());
    let mut out = String::from("pub(crate) static SOURCES: &[(&str, &str, &str)] = &[\n");
    for dir in dirs {
        println!("cargo:rerun-if-changed={}", dir.path().display());
        let lang = dir.file_name().to_string_lossy().into_owned();
        let mut files: Vec<_> = std::fs::read_dir(dir.path())
            .expect("locale dir")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
            .collect();
        files.sort();
        for f in files {
            println!("cargo:rerun-if-changed={}", f.display());
            let name = f
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            writeln!(
                out,
                "    ({lang:?}, {name:?}, include_str!({:?})),",
                f.display()
            )
            .expect("write");
        }
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("sources.rs");
    std::fs::write(dest, out).expect("write sources.rs");
}
