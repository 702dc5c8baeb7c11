//! DevTools' compile step for scripts: TypeScript and ES modules become the CommonJS the
//! runtime runs, with swc (the compiler DevTools itself offers).
//!
//! What WeChat DevTools does before upload, done when a package opens:
//! - `x.ts` with no `x.js` beside it is compiled (types stripped) and serves as `x.js`
//!   (`useCompilerPlugins: ["typescript"]`; a `.js` twin, as `tsc` leaves, wins);
//! - a `.js` or `.ts` file with `import`/`export` becomes CommonJS with Babel's interop
//!   (`exports.__esModule`, `default` for `module.exports` of CommonJS modules), in strict mode
//!   as ES modules are; helpers are inlined, so nothing is required from `@swc/helpers`;
//! - a plain CommonJS script is left exactly as written (sloppy mode, its own line numbers).
//!
//! Syntax errors become diagnostics at the original file, line and column; positions in the
//! compiled code map back to the file as written (the `require` an `import` becomes, to the
//! `import`). Pure functions; any thread.

use swc_core::common::sync::Lrc;
use swc_core::common::{BytePos, FileName, Globals, Mark, SourceFile, SourceMap, Spanned, GLOBALS};
use swc_core::ecma::ast::{EsVersion, ModuleDecl, ModuleItem, Program};
use swc_core::ecma::codegen::text_writer::JsWriter;
use swc_core::ecma::codegen::{Config as CodegenConfig, Emitter};
use swc_core::ecma::parser::{parse_file_as_program, EsSyntax, Syntax, TsSyntax};
use swc_core::ecma::transforms::base::fixer::fixer;
use swc_core::ecma::transforms::base::helpers::{inject_helpers, Helpers, HELPERS};
use swc_core::ecma::transforms::base::hygiene::hygiene;
use swc_core::ecma::transforms::base::resolver;
use swc_core::ecma::transforms::module::common_js::{common_js, FeatureFlag};
use swc_core::ecma::transforms::module::path::Resolver;
use swc_core::ecma::transforms::typescript::strip;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Level};
use crate::package::positions::{Position, PositionMap};
use crate::package::{extension, Package};

/// Compiles the package's TypeScript and ES-module scripts in place (see the module docs).
/// Problems are added to `diags`; a file that does not compile is left out (a `.ts`) or kept
/// as written (a `.js`, which then fails where it is used, with the same error).
pub fn compile_package_scripts(pkg: &mut Package, diags: &mut Diagnostics) {
    let mut compiled = Vec::new();
    for (file, src) in pkg.sources_with_extension("ts").chain(pkg.sources_with_extension("js")) {
        let ts = extension(file) == Some("ts");
        let target = if ts { format!("{}.js", &file[..file.len() - 3]) } else { file.to_string() };
        if ts && (file.ends_with(".d.ts") || pkg.source(&target).is_some()) {
            continue;
        }
        if !ts && !mentions_module_syntax(src) {
            continue;
        }
        match compile_script(file, src) {
            Ok(Some(js)) => compiled.push((target, file.to_string(), js)),
            Ok(None) => {}
            Err(d) => diags.push(d),
        }
    }
    for (path, original, js) in compiled {
        pkg.set_compiled_source(&path, original, js.code, js.positions);
    }
}

/// Cheap filter before parsing: a script without these words cannot be an ES module.
fn mentions_module_syntax(src: &str) -> bool {
    src.contains("import") || src.contains("export")
}

/// A compiled script and where its code came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledScript {
    /// CommonJS code.
    pub code: String,
    /// Generated → original positions.
    pub positions: PositionMap,
}

/// Compiles one script: `Ok(None)` when it needs nothing (a `.js` that is not an ES module).
pub fn compile_script(file: &str, src: &str) -> Result<Option<CompiledScript>, Diagnostic> {
    let ts = extension(file) == Some("ts");
    let cm: Lrc<SourceMap> = Default::default();
    let fm = cm.new_source_file(Lrc::new(FileName::Custom(file.to_string())), src.to_string());
    let syntax = if ts {
        Syntax::Typescript(TsSyntax { decorators: true, ..Default::default() })
    } else {
        Syntax::Es(EsSyntax { decorators: true, ..Default::default() })
    };
    let mut recovered = Vec::new();
    let parsed = super::third_party(|| {
        parse_file_as_program(&fm, syntax, EsVersion::latest(), None, &mut recovered)
    })
    .ok_or_else(|| parser_failed(file))?;
    let program = match parsed {
        Ok(p) => p,
        Err(e) => return Err(syntax_error(&cm, file, e)),
    };
    if let Some(e) = recovered.into_iter().next() {
        return Err(syntax_error(&cm, file, e));
    }
    if !ts && matches!(program, Program::Script(_)) {
        return Ok(None);
    }
    let imports = imported_modules(&program);
    let out = GLOBALS.set(&Globals::new(), || {
        HELPERS.set(&Helpers::new(false), || {
            let unresolved = Mark::new();
            let top_level = Mark::new();
            let mut program = program.apply(resolver(unresolved, top_level, ts));
            if ts {
                program = program.apply(strip(unresolved, top_level));
            }
            // QuickJS has arrows and block scoping: keep them
            let features = FeatureFlag { support_block_scoping: true, support_arrow: true };
            let cjs = common_js(Resolver::Default, unresolved, Default::default(), features);
            let program = program
                .apply(cjs)
                .apply(inject_helpers(unresolved))
                .apply(hygiene())
                .apply(fixer(None));
            emit(&cm, &fm, &program, &imports)
        })
    });
    out.map(Some).map_err(|e| {
        Diagnostic::new(Level::Error, Code::ScriptSyntax, file, format!("compiling: {e}"))
    })
}

/// The module each `import` and `export … from` names, with where the statement starts.
fn imported_modules(program: &Program) -> Vec<(String, BytePos)> {
    let Program::Module(module) = program else { return Vec::new() };
    module
        .body
        .iter()
        .filter_map(|item| {
            let ModuleItem::ModuleDecl(decl) = item else { return None };
            let (src, at) = match decl {
                ModuleDecl::Import(d) => (&*d.src, d.span.lo),
                ModuleDecl::ExportAll(d) => (&*d.src, d.span.lo),
                ModuleDecl::ExportNamed(d) => (d.src.as_deref()?, d.span.lo),
                _ => return None,
            };
            Some((src.value.to_string_lossy().into_owned(), at))
        })
        .collect()
}

fn emit(
    cm: &Lrc<SourceMap>,
    file: &SourceFile,
    program: &Program,
    imports: &[(String, BytePos)],
) -> Result<CompiledScript, String> {
    let mut buf = Vec::new();
    let mut marks = Vec::new();
    {
        let writer = JsWriter::new(cm.clone(), "\n", &mut buf, Some(&mut marks));
        let mut emitter = Emitter {
            cfg: CodegenConfig::default().with_target(EsVersion::latest()),
            cm: cm.clone(),
            comments: None,
            wr: writer,
        };
        emitter.emit_program(program).map_err(|e| e.to_string())?;
    }
    // only positions in the file as written: the transforms give what they add (the `require`
    // an `import` becomes, the interop helpers) dummy or reserved positions, whose column
    // would be read as an offset from the wrong line
    let original = |pos: BytePos| {
        let at = cm.lookup_char_pos(pos);
        (at.line as u32, at.col.0 as u32 + 1)
    };
    let mut positions: Vec<Position> = marks
        .into_iter()
        .filter(|(pos, _)| (file.start_pos..=file.end_pos).contains(pos))
        .map(|(pos, generated)| Position {
            generated: (generated.line + 1, generated.col + 1),
            original: original(pos),
        })
        .collect();
    let code = String::from_utf8(buf).map_err(|e| e.to_string())?;
    // the line requiring an imported module is the `import` (a module that is missing or
    // throws is reported there), though swc gives that `require` no position
    for (n, line) in code.lines().enumerate() {
        let Some(call) = line.find("require(") else { continue };
        let named = |(module, _): &&(String, BytePos)| {
            let arg = &line[call + "require(".len()..];
            arg.get(1..).is_some_and(|rest| {
                rest.strip_prefix(module.as_str()).is_some_and(|r| r.starts_with(['"', '\'']))
            })
        };
        if let Some((_, at)) = imports.iter().find(named) {
            positions.push(Position { generated: (n as u32 + 1, 1), original: original(*at) });
        }
    }
    Ok(CompiledScript { code, positions: PositionMap::new(positions) })
}

/// The parser itself failed (a panic inside swc) on this file.
fn parser_failed(file: &str) -> Diagnostic {
    Diagnostic::new(
        Level::Error,
        Code::ScriptSyntax,
        file,
        "the JavaScript parser (swc) failed on this file: look for unusual syntax near arrow \
         functions and parentheses (the pages using it fail to open; the rest of the app runs)",
    )
}

fn syntax_error(
    cm: &Lrc<SourceMap>,
    file: &str,
    e: swc_core::ecma::parser::error::Error,
) -> Diagnostic {
    let loc = cm.lookup_char_pos(e.span().lo);
    let message = e.kind().msg();
    Diagnostic::new(Level::Error, Code::ScriptSyntax, file, format!("SyntaxError: {message}"))
        .at(loc.line as u32, loc.col.0 as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_commonjs_is_left_alone() {
        assert_eq!(compile_script("a.js", "module.exports = 1").ok(), Some(None));
        assert_eq!(compile_script("a.js", "var importance = 1").ok(), Some(None));
    }

    #[test]
    fn es_modules_become_commonjs() -> Result<(), Diagnostic> {
        let js = compile_script(
            "a.js",
            "import b from './b'\nexport const x = b + 1\nexport default 3",
        )?
        .map(|c| c.code)
        .unwrap_or_default();
        assert!(js.contains("require(\"./b\")"), "{js}");
        assert!(js.contains("exports"), "{js}");
        assert!(!js.contains("import "), "{js}");
        assert!(!js.contains("@swc/helpers"), "helpers are inlined: {js}");
        Ok(())
    }

    #[test]
    fn typescript_is_stripped() -> Result<(), Diagnostic> {
        let js = compile_script(
            "a.ts",
            "interface P { n: number }\nconst p: P = { n: 1 }\nmodule.exports = p.n as number",
        )?
        .map(|c| c.code)
        .unwrap_or_default();
        assert!(!js.contains("interface"), "{js}");
        assert!(js.contains("module.exports = p.n"), "{js}");
        Ok(())
    }

    #[test]
    fn generated_positions_map_back_to_the_source() -> Result<(), Diagnostic> {
        let src = "import a from './a'\n\ntype T = number\n\nconst n: T = 1\nexport function f() {\n  return a.missing.x + n\n}\n";
        let c = compile_script("m.ts", src)?.ok_or_else(|| {
            Diagnostic::new(Level::Error, Code::ScriptSyntax, "m.ts", "not compiled")
        })?;
        let (line, _) = c
            .code
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains(".missing"))
            .map(|(i, l)| (i as u32 + 1, l))
            .unwrap_or_default();
        assert_eq!(c.positions.original(line, 5).map(|p| p.0), Some(7), "{}", c.code);
        Ok(())
    }

    #[test]
    fn every_mapped_position_is_in_the_file_as_written() -> Result<(), Diagnostic> {
        // an `import` after a comment: its `require` used to map to column 2^32 - 46
        let src = "/** c */\nimport S from './b.js';\nvar x = S;\nexport default { x };\n";
        let c = compile_script("lib/a.js", src)?.ok_or_else(|| {
            Diagnostic::new(Level::Error, Code::ScriptSyntax, "lib/a.js", "not compiled")
        })?;
        for (n, line) in c.code.lines().enumerate() {
            for col in 1..=line.len() as u32 + 1 {
                if let Some((l, c)) = c.positions.original(n as u32 + 1, col) {
                    assert!((1..=4).contains(&l) && (1..=40).contains(&c), "{l}:{c} in {line}");
                }
            }
        }
        Ok(())
    }

    #[test]
    fn the_require_an_import_becomes_is_at_the_import() -> Result<(), Diagnostic> {
        // exports first: the export helper at the top maps to the exported names further down
        let src = "import { a } from '/store/index'\nimport b from './b'\n\nexport const f = () => a\nexport function g() { return b }\n";
        let c = compile_script("mp/main.js", src)?.ok_or_else(|| {
            Diagnostic::new(Level::Error, Code::ScriptSyntax, "mp/main.js", "not compiled")
        })?;
        for (module, line) in [("/store/index", 1), ("./b", 2)] {
            let (n, text) = c
                .code
                .lines()
                .enumerate()
                .find(|(_, l)| l.contains(&format!("require(\"{module}\")")))
                .unwrap_or_default();
            let col = text.find("require(").unwrap_or_default() as u32 + 1;
            assert_eq!(
                c.positions.original(n as u32 + 1, col).map(|p| p.0),
                Some(line),
                "{}",
                c.code
            );
        }
        Ok(())
    }

    #[test]
    fn syntax_errors_point_at_the_original_source() {
        let d = compile_script("pages/a/a.ts", "const a: number = 1\nlet b = 1 +* 2\n").err();
        let d = d.map(|d| (d.path, d.line, d.code));
        assert_eq!(d, Some(("pages/a/a.ts".to_string(), Some(2), Code::ScriptSyntax)));
    }

    #[test]
    fn a_panic_in_the_parser_fails_the_file() {
        let d = compile_script("utils/m.js", "export const u = (R, C(D, U) => 1);").err();
        assert_eq!(
            d.map(|d| (d.path, d.code)),
            Some(("utils/m.js".to_string(), Code::ScriptSyntax))
        );
    }
}
