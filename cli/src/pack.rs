//! `miniapp pack`, `keygen`, `verify` and `store`: packed archives (`.mpk`) a host downloads
//! and opens only when they verify (core `package::packed`), and the folder of an app's
//! installed versions (core `package::store`). Exit codes: 0 done; 2 the package or the
//! archive is refused (the error names why); 64 bad usage (an unreadable key, a file that
//! exists).

use std::path::PathBuf;
use std::process::ExitCode;

use miniapp_core::package::packed;
use miniapp_core::package::signing::{PublicKey, SecretKey};
use miniapp_core::package::Package;

use crate::{out, plural};

/// `miniapp pack`.
#[derive(clap::Args)]
pub struct PackArgs {
    /// Project directory (or a ZIP of one).
    dir: PathBuf,
    /// The archive to write.
    #[arg(short = 'o', long = "out", value_name = "FILE.mpk")]
    out: PathBuf,
    /// Sign with this secret key (from `miniapp keygen`).
    #[arg(long, value_name = "KEY")]
    key: Option<PathBuf>,
    /// The version hosts see in the manifest.
    #[arg(long, value_name = "VERSION", default_value = "0.0.0")]
    app_version: String,
    /// Pack the files only, without the compiled section (the runtime then compiles the
    /// package each time it opens it).
    #[arg(long)]
    sources_only: bool,
    /// Pack each subpackage in an archive of its own beside FILE.mpk (`app.<root>.mpk`), which
    /// the host fetches when the app first goes there; the main archive names each one by the
    /// hash of its manifest.
    #[arg(long, conflicts_with = "sources_only")]
    split_subpackages: bool,
}

/// `miniapp keygen`.
#[derive(clap::Args)]
pub struct KeygenArgs {
    /// Where the secret key goes (KEY.pub gets the public key); neither may exist.
    #[arg(short = 'o', long = "out", value_name = "KEY")]
    out: PathBuf,
}

/// `miniapp store`.
#[derive(clap::Args)]
pub struct StoreArgs {
    /// The app's store folder (created).
    dir: PathBuf,
    #[command(subcommand)]
    action: StoreAction,
    /// Accept only archives signed by this key (`miniapp-ed25519:…` or a file); repeatable.
    #[arg(long = "trust", value_name = "KEY", global = true)]
    trust: Vec<String>,
    /// Refuse an archive larger than this many bytes (default 64 MiB).
    #[arg(long, value_name = "BYTES", global = true)]
    max_archive_bytes: Option<u64>,
    /// Refuse an archive whose files come to more than this many bytes (default 128 MiB).
    #[arg(long, value_name = "BYTES", global = true)]
    max_unpacked_bytes: Option<u64>,
    /// Refuse an install that would keep more than this many bytes of archives (default
    /// 256 MiB).
    #[arg(long, value_name = "BYTES", global = true)]
    max_store_bytes: Option<u64>,
}

/// What to do with the store.
#[derive(clap::Subcommand)]
pub enum StoreAction {
    /// Verify an archive and install it, to be launched from the next launch on (a version not
    /// newer than the installed one is refused).
    Install {
        /// The packed archive.
        archive: PathBuf,
    },
    /// Verify the archive of a subpackage packed apart (`pack --split-subpackages`) against
    /// installed VERSION and save it beside that version's archive, where the app finds it.
    InstallSubpackage {
        /// The installed version it belongs to.
        version: String,
        /// The subpackage's root (as in app.json).
        root: String,
        /// The subpackage's packed archive.
        archive: PathBuf,
    },
    /// Print the version to launch and its verified archive (a pending install becomes current).
    Launch,
    /// Go back to the previous version.
    Rollback,
    /// Remove versions that are neither current, pending nor previous.
    Gc,
}

/// `miniapp verify`.
#[derive(clap::Args)]
pub struct VerifyArgs {
    /// The packed archive.
    file: PathBuf,
    /// Require a signature by this key (`miniapp-ed25519:…` or a file holding one);
    /// repeatable.
    #[arg(long = "trust", value_name = "KEY")]
    trust: Vec<String>,
}

fn usage(message: String) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(64)
}

/// Reads `--trust` values: a key's text or a file holding one.
pub fn read_keys(values: &[String]) -> Result<Vec<PublicKey>, ExitCode> {
    values
        .iter()
        .map(|v| {
            let text = if v.trim_start().starts_with("miniapp-") {
                v.clone()
            } else {
                std::fs::read_to_string(v).map_err(|e| usage(format!("--trust {v}: {e}")))?
            };
            PublicKey::parse(&text).map_err(|e| usage(format!("--trust {v}: {e}")))
        })
        .collect()
}

pub fn pack(args: &PackArgs) -> ExitCode {
    let key = match &args.key {
        None => None,
        Some(path) => match std::fs::read_to_string(path)
            .map_err(|e| e.to_string())
            .and_then(|t| SecretKey::parse(&t))
        {
            Ok(k) => Some(k),
            Err(e) => return usage(format!("--key {}: {e}", path.display())),
        },
    };
    let pkg = match Package::open(&args.dir) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if pkg.diagnostics().has_fatal() {
        eprint!("{}", pkg.diagnostics());
        eprintln!("error: the package has fatal problems (above): nothing was packed");
        return ExitCode::from(2);
    }
    if args.split_subpackages {
        return pack_split(args, &pkg, key.as_ref());
    }
    let compiled = if args.sources_only {
        None
    } else {
        match miniapp_core::runtime::prepare::precompile(&pkg) {
            Ok(c) => Some(c),
            Err(e) => {
                eprintln!("error: compiling the package: {e}");
                return ExitCode::from(2);
            }
        }
    };
    let packed = match &compiled {
        Some(c) => packed::pack_compiled(&pkg, &args.app_version, key.as_ref(), c),
        None => packed::pack(&pkg, &args.app_version, key.as_ref()),
    };
    let bytes = match packed {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = std::fs::write(&args.out, &bytes) {
        eprintln!("error: cannot write {}: {e}", args.out.display());
        return ExitCode::from(2);
    }
    let files = pkg.files().count();
    let signed = key
        .as_ref()
        .map_or("unsigned".to_string(), |k| format!("signed by {}", k.public().to_text()));
    let compiled = compiled.map_or("sources only".to_string(), |c| {
        let groups = c.templates.values().filter(|g| g.bytecode.is_some()).count();
        format!(
            "compiled: {} as bytecode, {} of {}",
            plural(c.modules.len(), "module"),
            plural(groups, "template group"),
            c.templates.len()
        )
    });
    out(&format!(
        "{}: {}, {} bytes, version {}, {signed}, {compiled}\n",
        args.out.display(),
        plural(files, "file"),
        bytes.len(),
        args.app_version
    ));
    ExitCode::SUCCESS
}

/// `miniapp pack --split-subpackages`.
fn pack_split(args: &PackArgs, pkg: &Package, key: Option<&SecretKey>) -> ExitCode {
    let compiled = match miniapp_core::runtime::prepare::precompile_split(pkg) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: compiling the package: {e}");
            return ExitCode::from(2);
        }
    };
    let main_file = args.out.file_name().map(|n| n.to_string_lossy().into_owned());
    let main_file = main_file.unwrap_or_else(|| "app.mpk".into());
    let split = match miniapp_core::package::split::pack_split(
        pkg,
        &args.app_version,
        key,
        &compiled,
        &main_file,
    ) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let dir = args.out.parent().unwrap_or(std::path::Path::new(""));
    let mut written = vec![(args.out.clone(), "the main package".to_string(), split.main)];
    for (root, file, bytes) in split.subpackages {
        written.push((dir.join(file), format!("subpackage {root}"), bytes));
    }
    let signed =
        key.map_or("unsigned".to_string(), |k| format!("signed by {}", k.public().to_text()));
    for (path, what, bytes) in &written {
        if let Err(e) = std::fs::write(path, bytes) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
        out(&format!("{}: {what}, {} bytes, {signed}\n", path.display(), bytes.len()));
    }
    out(&format!(
        "version {}: {} (the host serves the subpackage archives beside the main one)\n",
        args.app_version,
        plural(written.len(), "archive")
    ));
    ExitCode::SUCCESS
}

pub fn keygen(args: &KeygenArgs) -> ExitCode {
    let public_path = PathBuf::from(format!("{}.pub", args.out.display()));
    for p in [&args.out, &public_path] {
        if p.exists() {
            return usage(format!("{} exists; keys are never overwritten", p.display()));
        }
    }
    let key = match SecretKey::generate() {
        Ok(k) => k,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    if let Err(e) = write_private(&args.out, &format!("{}\n", key.to_text())) {
        return usage(format!("cannot write {}: {e}", args.out.display()));
    }
    let public = key.public().to_text();
    if let Err(e) = std::fs::write(&public_path, format!("{public}\n")) {
        return usage(format!("cannot write {}: {e}", public_path.display()));
    }
    out(&format!(
        "secret key: {} (keep it private; sign with `miniapp pack --key`)\npublic key: {} ({public})\n",
        args.out.display(),
        public_path.display()
    ));
    ExitCode::SUCCESS
}

/// Writes a file only its owner can read (on Unix).
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(text.as_bytes())
}

pub fn verify(args: &VerifyArgs) -> ExitCode {
    let trusted = match read_keys(&args.trust) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {}: {e}", args.file.display());
            return ExitCode::from(2);
        }
    };
    match packed::verify(&bytes, &trusted) {
        Ok((m, signed)) => {
            let id = if m.app_id.is_empty() { "no app id".to_string() } else { m.app_id.clone() };
            out(&format!(
                "{}: verified: {id}, version {}, {}, {}, protocol {}, {}\n",
                args.file.display(),
                m.version,
                plural(m.package_files().count(), "file"),
                if m.has_compiled() { "compiled" } else { "sources only" },
                m.protocol,
                if signed && !trusted.is_empty() {
                    "signed by a trusted key"
                } else if signed {
                    "signed (no --trust key given to check the signer)"
                } else {
                    "unsigned"
                }
            ));
            verify_subpackages(args, &m, &trusted)
        }
        Err(e) => {
            eprintln!("error: {}: {e}", args.file.display());
            ExitCode::from(2)
        }
    }
}

/// The subpackage archives a split main archive names: each one beside it is verified against
/// it; one not there is said (the host fetches it later).
fn verify_subpackages(
    args: &VerifyArgs,
    main: &packed::Manifest,
    trusted: &[PublicKey],
) -> ExitCode {
    let dir = args.file.parent().unwrap_or(std::path::Path::new(""));
    let mut refused = false;
    for (root, listed) in &main.subpackages {
        let path = dir.join(&listed.file);
        let Ok(bytes) = std::fs::read(&path) else {
            out(&format!("  subpackage {root}: {} is not here (fetched later)\n", listed.file));
            continue;
        };
        match miniapp_core::package::split::verify_subpackage(main, root, &bytes, trusted) {
            Ok(m) => out(&format!(
                "  subpackage {root}: {} verified, {}\n",
                path.display(),
                plural(m.package_files().count(), "file")
            )),
            Err(e) => {
                eprintln!("error: subpackage {root}: {}: {e}", path.display());
                refused = true;
            }
        }
    }
    if refused {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}

pub fn store(args: &StoreArgs) -> ExitCode {
    use miniapp_core::package::store::{PackageStore, StoreError};
    let trusted = match read_keys(&args.trust) {
        Ok(t) => t,
        Err(code) => return code,
    };
    let fail = |e: StoreError| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    };
    let mut limits = miniapp_core::package::store::StoreLimits::default();
    if let Some(n) = args.max_archive_bytes {
        limits.package.max_archive_bytes = n;
    }
    if let Some(n) = args.max_unpacked_bytes {
        limits.package.max_unpacked_bytes = n;
    }
    if let Some(n) = args.max_store_bytes {
        limits.max_total_bytes = n;
    }
    let store = match PackageStore::open(&args.dir, &trusted) {
        Ok(s) => s.with_limits(limits),
        Err(e) => return fail(e),
    };
    let done = match &args.action {
        StoreAction::Install { archive } => std::fs::read(archive)
            .map_err(|e| StoreError::Io(format!("{}: {e}", archive.display())))
            .and_then(|bytes| store.install(&bytes))
            .map(|m| format!("installed {} (launched from the next launch on)\n", m.version)),
        StoreAction::InstallSubpackage { version, root, archive } => std::fs::read(archive)
            .map_err(|e| StoreError::Io(format!("{}: {e}", archive.display())))
            .and_then(|bytes| store.install_subpackage(version, root, &bytes))
            .map(|at| format!("saved subpackage {root} of {version} as {}\n", at.display())),
        StoreAction::Launch => {
            store.launch().map(|l| format!("{} {}\n", l.version, l.archive.display()))
        }
        StoreAction::Rollback => store.rollback().map(|v| format!("back to {v}\n")),
        StoreAction::Gc => store.collect_garbage().map(|removed| {
            format!(
                "removed {}\n",
                if removed.is_empty() { "nothing".into() } else { removed.join(", ") }
            )
        }),
    };
    match done {
        Ok(text) => {
            out(&text);
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}
