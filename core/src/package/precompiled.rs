//! What `miniapp pack` stores of DevTools' compile step, so an app opened from a packed
//! archive compiles nothing: the scripts the TypeScript/ES-module transform wrote, the WXSS
//! LESS and Sass gave, the template group (the JS the template compiler made) of the main
//! package and of each subpackage, the problems those steps found, and the QuickJS bytecode of
//! every user module and template group.
//!
//! In the archive it is the hidden folder `.miniapp/` (no package file can live there): an
//! index `compiled.json` and one `.qjsbc` entry per bytecode, each a file of the manifest, so
//! the same hashes and signature cover them. [`Precompiled::entries`] writes them,
//! [`Precompiled::read`] reads them back: the index at once, each bytecode entry when it is
//! first used ([`SectionBytes`]: read from the archive, checked against its manifest entry),
//! so opening a large app reads only what its first page runs. `Send + Sync`; any thread.
//!
//! Bytecode is used only when it can be trusted (see `engine::bytecode`): the archive is
//! signed by one of the host's trusted keys and was written by this runtime's engine.
//! Otherwise [`Precompiled::bytecode_trusted`] is false and scripts run from their text.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use serde::{Deserialize, Serialize};

use super::manifest::{sha256_hex, FileEntry, COMPILED_DIR, COMPILED_INDEX};
use super::positions::PositionMap;
use crate::diagnostic::Diagnostics;

/// Module bytecode entries: `.miniapp/modules/<package path>.qjsbc`.
const MODULES: &str = ".miniapp/modules/";
/// Template-group bytecode entries: `.miniapp/templates/<n>.qjsbc`.
const TEMPLATES: &str = ".miniapp/templates/";

/// The compiled section of a packed archive.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Precompiled {
    /// The engine that wrote the bytecode (`engine::bytecode::ENGINE`).
    pub engine: String,
    /// What compiling the scripts and styles reported.
    pub diagnostics: Diagnostics,
    /// Files the compile step wrote, by package path.
    pub files: BTreeMap<String, CompiledFile>,
    /// Template groups: the main package's under `""`, each subpackage's under its root.
    pub templates: BTreeMap<String, TemplateGroup>,
    /// In the main archive of a split package (`miniapp pack --split-subpackages`): what
    /// opening the app needs of the subpackages packed apart, before they are downloaded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deferred: Option<DeferredSubpackages>,
    /// Bytecode of user modules, by package path (not in the index: entries of their own).
    #[serde(skip)]
    pub modules: BTreeMap<String, SectionBytes>,
    /// Whether the bytecode may run (signed by a trusted key, written by this engine); set by
    /// the one who opened the archive, never read from it.
    #[serde(skip)]
    pub bytecode_trusted: bool,
}

/// The subpackages packed in archives of their own, as the main archive knows them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeferredSubpackages {
    /// Their roots.
    pub roots: Vec<String>,
    /// The resolved configurations (`config::ComponentEntry` as JSON) of the pages and
    /// components only they lead to, so routes into them and their component trees resolve
    /// before they arrive.
    pub components: serde_json::Value,
    /// What loading those configurations reported.
    pub diagnostics: Diagnostics,
}

/// A file the compile step wrote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompiledFile {
    /// Its text.
    pub code: String,
    /// For a compiled script: the file it came from and where each position came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<(String, PositionMap)>,
}

/// One package's compiled templates (`compile::CompiledTemplates` as plain data).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TemplateGroup {
    /// The JS expression giving the template group.
    pub group_js: String,
    /// Paths (without `.wxml`) of every template compiled.
    pub paths: Vec<String>,
    /// Each `.wxml` file's direct `.wxml`/`.wxs` dependencies.
    pub deps: BTreeMap<String, Vec<String>>,
    /// What compiling them reported.
    pub diagnostics: Diagnostics,
    /// The group's bytecode (not in the index: an entry of its own).
    #[serde(skip)]
    pub bytecode: Option<SectionBytes>,
}

/// Bytes of the compiled section: in memory (when packing), or an entry of the archive read
/// when first asked for.
#[derive(Debug, Clone)]
pub enum SectionBytes {
    /// In memory.
    Loaded(Arc<Vec<u8>>),
    /// In the archive.
    Deferred(Arc<Deferred>),
}

/// An archive entry read on first use and checked against its manifest entry.
#[derive(Debug)]
pub struct Deferred {
    archive: Arc<ArchiveReader>,
    name: String,
    want: FileEntry,
    bytes: OnceLock<Option<Arc<Vec<u8>>>>,
}

/// The archive the deferred entries are read from, opened once.
#[derive(Debug)]
pub struct ArchiveReader {
    path: PathBuf,
    zip: Mutex<Option<zip::ZipArchive<std::fs::File>>>,
}

impl ArchiveReader {
    /// Reads from the archive at `path` (opened on the first read).
    pub fn new(path: PathBuf) -> Arc<ArchiveReader> {
        Arc::new(ArchiveReader { path, zip: Mutex::new(None) })
    }

    fn read(&self, name: &str, want: &FileEntry) -> Option<Vec<u8>> {
        let mut zip = self.zip.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if zip.is_none() {
            *zip = zip::ZipArchive::new(std::fs::File::open(&self.path).ok()?).ok();
        }
        let entry = zip.as_mut()?.by_name(name).ok()?;
        let mut bytes = Vec::new();
        entry.take(want.size + 1).read_to_end(&mut bytes).ok()?;
        let intact = bytes.len() as u64 == want.size && sha256_hex(&bytes) == want.sha256;
        intact.then_some(bytes)
    }
}

impl SectionBytes {
    /// Bytes in memory.
    pub fn new(bytes: Vec<u8>) -> SectionBytes {
        SectionBytes::Loaded(Arc::new(bytes))
    }

    /// The bytes; `None` when the archive no longer holds them as its manifest says (then the
    /// runtime uses the text instead).
    pub fn get(&self) -> Option<Arc<Vec<u8>>> {
        match self {
            SectionBytes::Loaded(b) => Some(b.clone()),
            SectionBytes::Deferred(d) => {
                d.bytes.get_or_init(|| d.archive.read(&d.name, &d.want).map(Arc::new)).clone()
            }
        }
    }
}

impl Precompiled {
    /// The archive entries (name → bytes) holding this section, in a stable order.
    pub fn entries(&self) -> Result<Vec<(String, Vec<u8>)>, String> {
        let index = serde_json::to_vec(self).map_err(|e| format!("the compiled index: {e}"))?;
        let mut out = vec![(COMPILED_INDEX.to_string(), index)];
        let unreadable = |name: &str| format!("{name}: the compiled section cannot be read");
        for (path, bytes) in &self.modules {
            let name = format!("{MODULES}{path}.qjsbc");
            let bytes = bytes.get().ok_or_else(|| unreadable(&name))?;
            out.push((name, bytes.to_vec()));
        }
        for (n, group) in self.templates.values().enumerate() {
            if let Some(bytes) = &group.bytecode {
                let name = format!("{TEMPLATES}{n}.qjsbc");
                let bytes = bytes.get().ok_or_else(|| unreadable(&name))?;
                out.push((name, bytes.to_vec()));
            }
        }
        Ok(out)
    }

    /// Reads the section back from an archive's files (`None` when it has none); takes the
    /// section's entries out of `files`. With `archive` (the archive and its manifest's files)
    /// the bytecode entries are read from it when first used, not from `files`.
    pub fn read(
        files: &mut BTreeMap<String, Vec<u8>>,
        archive: Option<(&Arc<ArchiveReader>, &BTreeMap<String, FileEntry>)>,
    ) -> Result<Option<Precompiled>, String> {
        let Some(index) = files.remove(COMPILED_INDEX) else { return Ok(None) };
        let mut pre: Precompiled = serde_json::from_slice(&index)
            .map_err(|e| format!("{COMPILED_INDEX} is not a valid compiled index: {e}"))?;
        let section: Vec<String> =
            files.keys().filter(|k| k.starts_with(COMPILED_DIR)).cloned().collect();
        for name in section {
            let loaded = files.remove(&name).unwrap_or_default();
            let bytes = match archive {
                Some((reader, manifest)) => {
                    let want = manifest
                        .get(&name)
                        .cloned()
                        .ok_or_else(|| format!("{name}: not in the archive's manifest"))?;
                    SectionBytes::Deferred(Arc::new(Deferred {
                        archive: reader.clone(),
                        name: name.clone(),
                        want,
                        bytes: OnceLock::new(),
                    }))
                }
                None => SectionBytes::new(loaded),
            };
            if let Some(path) = name.strip_prefix(MODULES).and_then(|p| p.strip_suffix(".qjsbc")) {
                pre.modules.insert(path.to_string(), bytes);
            } else if let Some(n) = name
                .strip_prefix(TEMPLATES)
                .and_then(|p| p.strip_suffix(".qjsbc"))
                .and_then(|n| n.parse::<usize>().ok())
            {
                let group = pre.templates.values_mut().nth(n).ok_or_else(|| {
                    format!("{name}: no template group {n} in the compiled index")
                })?;
                group.bytecode = Some(bytes);
            } else {
                return Err(format!("{name}: not a part of the compiled section"));
            }
        }
        Ok(Some(pre))
    }

    /// Moves what belongs to subpackage `root` (files, problems, bytecode under `root/`, and
    /// its template group) into a section of its own.
    pub fn split_off(&mut self, root: &str) -> Precompiled {
        let prefix = format!("{root}/");
        let inside = |path: &str| path.starts_with(&prefix);
        let mut sub = Precompiled { engine: self.engine.clone(), ..Precompiled::default() };
        sub.diagnostics = self.diagnostics.take_where(|d| inside(&d.path));
        let files: Vec<String> = self.files.keys().filter(|p| inside(p)).cloned().collect();
        for path in files {
            if let Some(f) = self.files.remove(&path) {
                sub.files.insert(path, f);
            }
        }
        let modules: Vec<String> = self.modules.keys().filter(|p| inside(p)).cloned().collect();
        for path in modules {
            if let Some(m) = self.modules.remove(&path) {
                sub.modules.insert(path, m);
            }
        }
        if let Some(group) = self.templates.remove(root) {
            sub.templates.insert(root.to_string(), group);
        }
        sub.bytecode_trusted = self.bytecode_trusted;
        sub
    }

    /// Adds the section of a subpackage archive (see [`Precompiled::split_off`]); its bytecode
    /// is kept only when the same engine wrote it.
    pub fn merge(&mut self, mut sub: Precompiled) {
        if sub.engine != self.engine {
            sub.modules.clear();
            for group in sub.templates.values_mut() {
                group.bytecode = None;
            }
        }
        self.diagnostics.extend(sub.diagnostics);
        self.files.extend(sub.files);
        self.modules.extend(sub.modules);
        self.templates.extend(sub.templates);
    }

    /// The bytecode of the module at `path`, when it may run.
    pub fn module_bytecode(&self, path: &str) -> Option<Arc<Vec<u8>>> {
        self.modules.get(path).filter(|_| self.bytecode_trusted)?.get()
    }

    /// Package `root`'s template group (`""`: the main package), with its bytecode only when
    /// that may run.
    pub fn template_group(&self, root: &str) -> Option<TemplateGroup> {
        let mut group = self.templates.get(root)?.clone();
        if !self.bytecode_trusted {
            group.bytecode = None;
        }
        Some(group)
    }
}

impl super::Package {
    /// Puts the compile step's files of a compiled section in place of (or beside) their
    /// sources.
    pub(crate) fn apply_compiled(&mut self, files: &BTreeMap<String, CompiledFile>) {
        for (path, file) in files {
            match &file.from {
                Some((original, positions)) => self.set_compiled_source(
                    path,
                    original.clone(),
                    file.code.clone(),
                    positions.clone(),
                ),
                None => self.set_source(path, file.code.clone()),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Code, Diagnostic, Level};

    #[test]
    fn the_section_reads_back_as_written() {
        let mut pre = Precompiled { engine: "e".into(), ..Precompiled::default() };
        pre.diagnostics
            .push(Diagnostic::new(Level::Warn, Code::StyleCompile, "a.less", "x").at(1, 2));
        pre.files.insert("a.wxss".into(), CompiledFile { code: ".a{}".into(), from: None });
        pre.modules.insert("app.js".into(), SectionBytes::new(vec![1, 2, 3]));
        for root in ["", "sub"] {
            let group = TemplateGroup {
                group_js: format!("({root:?})"),
                bytecode: Some(SectionBytes::new(root.as_bytes().to_vec())),
                ..TemplateGroup::default()
            };
            pre.templates.insert(root.into(), group);
        }
        let mut files: BTreeMap<String, Vec<u8>> =
            pre.entries().expect("entries").into_iter().collect();
        files.insert("app.js".into(), b"App({})".to_vec());
        let back = Precompiled::read(&mut files, None).expect("reads").expect("a section");
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            ["app.js"],
            "the section's entries are taken out"
        );
        assert_eq!(
            back.diagnostics.iter().next().map(ToString::to_string).as_deref(),
            Some("a.less:1:2: warning [E502]: x")
        );
        assert_eq!(back.files["a.wxss"].code, ".a{}");
        let sub = back.templates["sub"].bytecode.as_ref().and_then(SectionBytes::get);
        assert_eq!(sub.as_deref().map(Vec::as_slice), Some(&b"sub"[..]));
        // nothing runs until the opener says the bytecode is trusted
        assert!(back.module_bytecode("app.js").is_none());
        assert!(back.template_group("sub").expect("group").bytecode.is_none());
        let trusted = Precompiled { bytecode_trusted: true, ..back };
        assert_eq!(trusted.module_bytecode("app.js").map(|b| b.len()), Some(3));
        assert!(trusted.template_group("").expect("group").bytecode.is_some());
    }

    #[test]
    fn an_unknown_entry_in_the_section_is_refused() {
        let pre = Precompiled::default();
        let mut files: BTreeMap<String, Vec<u8>> =
            pre.entries().expect("entries").into_iter().collect();
        files.insert(format!("{COMPILED_DIR}evil.bin"), vec![0]);
        let err = Precompiled::read(&mut files, None).expect_err("refused");
        assert!(err.contains("not a part of the compiled section"), "{err}");
    }
}
