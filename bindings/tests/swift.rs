//! The Swift side: the uniffi Swift bindings are generated from the built library, and they and
//! every `.swift` file of the iOS library (`ios/`: MiniAppKit, its XCTests, the sample app and
//! the package manifests) are parsed with tree-sitter's Swift grammar, so a syntax error cannot
//! land. There is no Swift toolchain on Linux CI: the iOS library is compiled and tested on
//! macOS (ios/README.md); this is what CI can check.

// Test helpers: a failed build step is a test failure, so panicking is right.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::{cargo_build, crate_dir, generate};

fn parser() -> tree_sitter::Parser {
    let mut parser = tree_sitter::Parser::new();
    parser.set_language(&tree_sitter_swift::LANGUAGE.into()).expect("the Swift grammar loads");
    parser
}

/// Every syntax error in `source`, as `line:column: what` (1-based).
fn syntax_errors(parser: &mut tree_sitter::Parser, source: &str) -> Vec<String> {
    let Some(tree) = parser.parse(source, None) else { return vec!["does not parse".into()] };
    let mut out = Vec::new();
    let mut cursor = tree.walk();
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        if node.is_error() || node.is_missing() {
            let at = node.start_position();
            let text = &source[node.start_byte()..node.end_byte().min(node.start_byte() + 60)];
            let what = if node.is_missing() {
                format!("missing {}", node.kind())
            } else {
                format!("unexpected `{text}`")
            };
            out.push(format!("{}:{}: {what}", at.row + 1, at.column + 1));
            continue;
        }
        if node.has_error() {
            stack.extend(node.children(&mut cursor));
        }
    }
    out.sort();
    out
}

/// Valid Swift the grammar (tree-sitter-swift 0.7.4) does not know, as uniffi writes it,
/// replaced by constructs it knows before parsing: the underscored `@_documentation` attribute
/// (blanked, columns kept) and a closure returning the empty tuple (`{ () }`).
fn around_grammar_gaps(source: &str) -> String {
    source
        .replace("@_documentation(visibility: private)", &" ".repeat(36))
        .replace("{ () }", "{ Void() }")
}

fn swift_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        // build outputs and the bindings the build script copies in
        if name == "build" || name == ".build" || name == "MiniAppBindings" {
            continue;
        }
        if path.is_dir() {
            swift_files(&path, out);
        } else if name.ends_with(".swift") {
            out.push(path);
        }
    }
}

#[test]
fn the_check_finds_syntax_errors() {
    let mut parser = parser();
    assert!(syntax_errors(&mut parser, "final class A: UIView { func f() -> Int { return 1 } }")
        .is_empty());
    let errors =
        syntax_errors(&mut parser, "final class A {\n    func f( -> Int { return 1 }\n}\n");
    assert!(!errors.is_empty() && errors[0].starts_with("2:"), "{errors:?}");
    // an unclosed brace, a missing `in`, a stray token
    for broken in [
        "final class A {\n    func f() {\n}\n",
        "let f = { x, y x + y }\n",
        "struct S { var a: Int = }\n",
    ] {
        assert!(!syntax_errors(&mut parser, broken).is_empty(), "{broken}");
    }
    let gaps = around_grammar_gaps(
        "@_documentation(visibility: private)\npublic func f() { let w = { () }; w() }\n",
    );
    assert!(syntax_errors(&mut parser, &gaps).is_empty(), "{gaps}");
}

#[test]
fn ios_sources_and_generated_bindings_parse() {
    // Its own cargo invocation: the bindgen's `cli` feature must not leak into the library.
    cargo_build(&["-p", "miniapp-uniffi-bindgen"]);
    let generated = generate("swift");
    let bindings = generated.join("MiniAppBindings.swift");
    let text = std::fs::read_to_string(&bindings).expect("MiniAppBindings.swift generated");
    assert!(text.contains("open class MiniApp"), "the Swift bindings lack MiniApp");
    assert!(
        generated.join("MiniAppFFI.h").exists() && generated.join("MiniAppFFI.modulemap").exists()
    );

    let ios = crate_dir().join("../ios");
    let mut files = vec![bindings];
    swift_files(&ios, &mut files);
    assert!(files.len() >= 12, "ios/ has only {} Swift files", files.len() - 1);
    let mut parser = parser();
    let mut problems = Vec::new();
    for file in &files {
        let source = around_grammar_gaps(&std::fs::read_to_string(file).unwrap());
        for e in syntax_errors(&mut parser, &source) {
            problems.push(format!("{}:{e}", file.display()));
        }
    }
    assert!(problems.is_empty(), "Swift syntax errors:\n{}", problems.join("\n"));

    // Each library type names the Kotlin type it mirrors, whose tests stand for it here.
    for file in
        files.iter().filter(|f| f.parent().is_some_and(|d| d.ends_with("Sources/MiniAppKit")))
    {
        let source = std::fs::read_to_string(file).unwrap();
        assert!(source.contains("Kotlin twin: `"), "{} names no Kotlin twin", file.display());
    }
    eprintln!("swift: {} files parsed, 0 syntax errors", files.len());
}
