//! The shape of the code, as the architecture asks for it: the library
//! never reaches into the command line, its top-level modules depend on
//! each other in no circle, `main.rs` stays a few lines, and no source file
//! grows past what one can hold in one's head.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_LINES: usize = 800;
const MAX_MAIN_LINES: usize = 40;

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The library's files by top-level module (`src/checks/lint.rs` → `checks`).
fn library() -> BTreeMap<String, Vec<PathBuf>> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut by_module: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix(src()).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        if matches!(module.as_str(), "main" | "lib" | "cli") {
            continue;
        }
        by_module.entry(module).or_default().push(f);
    }
    by_module
}

/// The top-level modules a file names through `crate::`, in paths and in
/// `use crate::{a, b::c}` groups.
fn crate_refs(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut rest = text;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name = ident(item.trim());
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let lib = library();
    let modules: BTreeSet<String> = lib.keys().cloned().collect();
    lib.iter()
        .map(|(m, files)| {
            let deps = files
                .iter()
                .flat_map(|f| crate_refs(&std::fs::read_to_string(f).unwrap()))
                .filter(|d| d != m && modules.contains(d))
                .collect();
            (m.clone(), deps)
        })
        .collect()
}

/// A cycle through the graph, if there is one.
fn find_cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for d in g.get(n).into_iter().flatten() {
            match state.get(d).copied().unwrap_or(0) {
                1 => {
                    let start = stack.iter().position(|s| s == d).unwrap();
                    let mut cycle = stack[start..].to_vec();
                    cycle.push(d.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(d, g, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in g.keys() {
        if state.get(n).copied().unwrap_or(0) == 0 {
            if let Some(c) = visit(n, g, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let g: BTreeMap<String, BTreeSet<String>> = [
        ("a", vec!["b"]),
        ("b", vec!["c"]),
        ("c", vec!["a"]),
        ("d", vec![]),
    ]
    .into_iter()
    .map(|(k, v)| (k.into(), v.into_iter().map(String::from).collect()))
    .collect();
    assert_eq!(find_cycle(&g).unwrap(), ["a", "b", "c", "a"]);
    assert_eq!(
        crate_refs("use crate::{checks::lint, draft};\nlet x = crate::repo::Repo::mastodon();"),
        ["checks", "draft", "repo"].map(String::from).into()
    );
}

#[test]
fn top_level_modules_import_each_other_in_no_circle() {
    let g = graph();
    assert!(g.len() > 10, "the library's modules were not found: {g:?}");
    if let Some(cycle) = find_cycle(&g) {
        panic!(
            "the library's modules import each other in a circle: {}",
            cycle.join(" → ")
        );
    }
}

#[test]
fn the_library_never_imports_the_command_line() {
    for files in library().values() {
        for f in files {
            let text = std::fs::read_to_string(f).unwrap();
            for bad in ["crate::cli", "clap::", "inquire::", "println!", "eprintln!"] {
                assert!(
                    !text.contains(bad),
                    "{} uses `{bad}`: the command line belongs to the binary",
                    f.display()
                );
            }
        }
    }
}

#[test]
fn main_only_hands_over() {
    let main = std::fs::read_to_string(src().join("main.rs")).unwrap();
    let n = main.lines().count();
    assert!(n < MAX_MAIN_LINES, "src/main.rs has {n} lines");
}

#[test]
fn no_source_file_is_too_long_to_hold_in_ones_head() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut long: Vec<String> = files
        .iter()
        .filter(|f| {
            let name = f.file_name().unwrap().to_string_lossy();
            name != "tests.rs" && !name.ends_with("_tests.rs")
        })
        .filter_map(|f| {
            let n = std::fs::read_to_string(f).unwrap().lines().count();
            (n > MAX_LINES).then(|| format!("{} ({n} lines)", f.display()))
        })
        .collect();
    long.sort();
    assert!(long.is_empty(), "longer than {MAX_LINES} lines: {long:?}");
}
