//! The README shows whole files, not excerpts that drift: every code block marked
//! `<!-- snippet: PATH -->` must equal that file of the repository, which the binding tests
//! build and run (`bindings/tests/c_abi.rs`, `bindings/tests/kotlin.rs`), compile
//! (`bindings/tests/render.rs`) or parse (`bindings/tests/swift.rs`).

use std::path::Path;

fn repo() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// `(path, code)` of each marked block.
fn snippets(readme: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = readme;
    while let Some(at) = rest.find("<!-- snippet: ") {
        rest = &rest[at + "<!-- snippet: ".len()..];
        let Some((path, after)) = rest.split_once(" -->") else { break };
        let Some(fence) = after.find("```") else { break };
        let body = &after[fence..];
        let Some(start) = body.find('\n') else { break };
        let Some(end) = body[start + 1..].find("\n```") else { break };
        out.push((path.trim().to_string(), body[start + 1..start + 1 + end + 1].to_string()));
        rest = after;
    }
    out
}

#[test]
fn readme_snippets_are_the_files_ci_runs() {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README.md");
    let found = snippets(&readme);
    let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "examples/embed/c/host.c",
            "examples/embed/kotlin/Main.kt",
            "examples/embed/android/CampusActivity.kt",
            "examples/embed/ios/CampusViewController.swift",
            "examples/embed/c/draw.c"
        ]
    );
    for (path, code) in found {
        let file = std::fs::read_to_string(repo().join(&path)).expect("snippet file");
        assert!(
            file == code,
            "README's copy of {path} differs from the file: paste the file into the README again"
        );
    }
}
