//! A package's other files (images, fonts, media), read when a host needs them rather than held
//! in memory: from the project directory, or from the ZIP the package was opened from. Only
//! files the package listed when it was opened are read, never outside its root, at most
//! [`MAX_ASSET_BYTES`] each. Safe from any thread (each read opens the file anew).

use std::fs::File;
use std::io::Read;

use super::{path, Package};

/// Upper bound on one asset's size.
pub const MAX_ASSET_BYTES: u64 = 32 * 1024 * 1024;

impl Package {
    /// The bytes of the package file `file` (`/images/a.png` or `images/a.png`); a source file
    /// gives its text. Errors name the file and the reason.
    pub fn read_asset(&self, file: &str) -> Result<Vec<u8>, String> {
        let rel =
            path::normalize(file.trim_start_matches('/')).map_err(|e| format!("`{file}`: {e}"))?;
        if let Some(text) = self.sources.get(&rel) {
            return Ok(text.clone().into_bytes());
        }
        if !self.assets.contains(&rel) {
            return Err(format!("`{rel}` is not a file of the package"));
        }
        let too_big = || format!("`{rel}` is larger than {MAX_ASSET_BYTES} bytes");
        let mut bytes = Vec::new();
        match &self.archive_prefix {
            Some(prefix) => {
                // a subpackage packed apart keeps its assets in its own archive
                let archive = (self.asset_archives.iter().rev())
                    .find(|(p, _)| rel.starts_with(p.as_str()))
                    .map_or(&self.root, |(_, a)| a);
                let f = File::open(archive)
                    .map_err(|e| format!("cannot open {}: {e}", archive.display()))?;
                let mut zip =
                    zip::ZipArchive::new(f).map_err(|e| format!("the package archive: {e}"))?;
                let entry = zip
                    .by_name(&format!("{prefix}{rel}"))
                    .map_err(|e| format!("`{rel}` in the package archive: {e}"))?;
                entry
                    .take(MAX_ASSET_BYTES + 1)
                    .read_to_end(&mut bytes)
                    .map_err(|e| format!("`{rel}`: {e}"))?;
            }
            None => {
                // a path of an npm package built from node_modules/ lives in that package
                let mount = self.mounts.iter().rev().find(|(p, _)| rel.starts_with(p.as_str()));
                let (root, inside) = match mount {
                    Some((prefix, dir)) => (dir, &rel[prefix.len()..]),
                    None => (&self.root, rel.as_str()),
                };
                let full = std::fs::canonicalize(root.join(inside))
                    .map_err(|e| format!("`{rel}`: {e}"))?;
                if !full.starts_with(root) {
                    return Err(format!("`{rel}` leads outside the package"));
                }
                let f = File::open(&full).map_err(|e| format!("`{rel}`: {e}"))?;
                if !f.metadata().is_ok_and(|m| m.is_file()) {
                    return Err(format!("`{rel}` is not a regular file"));
                }
                f.take(MAX_ASSET_BYTES + 1)
                    .read_to_end(&mut bytes)
                    .map_err(|e| format!("`{rel}`: {e}"))?;
            }
        }
        if bytes.len() as u64 > MAX_ASSET_BYTES {
            return Err(too_big());
        }
        // a packed archive's assets are checked when read, not when it opens (packed.rs)
        if let Some(want) = self.asset_manifest.as_ref().and_then(|m| m.get(&rel)) {
            if bytes.len() as u64 != want.size || super::manifest::sha256_hex(&bytes) != want.sha256
            {
                return Err(format!(
                    "`{rel}` does not match the packed archive's manifest (the archive was \
                     changed after it was opened); reinstall the package"
                ));
            }
        }
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn project(dir: &std::path::Path) {
        std::fs::create_dir_all(dir.join("img")).expect("dirs");
        std::fs::write(dir.join("app.json"), r#"{"pages":["p/i"]}"#).expect("write");
        std::fs::write(dir.join("img/a.png"), [137u8, 80, 78, 71, 0, 255]).expect("write");
    }

    #[test]
    fn assets_are_read_from_a_directory_and_from_a_zip_of_its_folder() {
        let base = std::env::temp_dir().join(format!("miniapp-asset-{}", std::process::id()));
        let dir = base.join("app");
        project(&dir);
        let pkg = Package::open_dir(&dir).expect("opens");
        assert_eq!(pkg.read_asset("/img/a.png").expect("read"), [137, 80, 78, 71, 0, 255]);
        assert_eq!(pkg.read_asset("app.json").expect("a source").first(), Some(&b'{'));
        assert!(pkg.read_asset("img/none.png").expect_err("missing").contains("img/none.png"));
        assert!(pkg.read_asset("../app/img/a.png").is_err(), "outside the root");
        // the same folder zipped with its name as the top entry
        let zip_path = base.join("app.zip");
        let mut zip = zip::ZipWriter::new(File::create(&zip_path).expect("zip"));
        let opts = zip::write::SimpleFileOptions::default();
        zip.start_file("app/app.json", opts).expect("entry");
        zip.write_all(br#"{"pages":["p/i"]}"#).expect("write");
        zip.start_file("app/img/a.png", opts).expect("entry");
        zip.write_all(&[1, 2, 3]).expect("write");
        zip.finish().expect("zip written");
        let zipped = Package::open(&zip_path).expect("opens");
        assert_eq!(zipped.read_asset("/img/a.png").expect("read"), [1, 2, 3]);
        assert!(zipped.read_asset("/img/b.png").is_err());
        let _ = std::fs::remove_dir_all(&base);
    }
}
