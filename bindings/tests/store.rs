//! The store of installed versions through the C ABI and the uniffi surface: install a signed
//! archive, launch it and open the app from it, refuse a downgrade and an untrusted signer,
//! roll back.
#![allow(unsafe_code, clippy::expect_used)] // a test of the C ABI: raw pointers by nature

use std::ffi::{CStr, CString};
use std::ptr;

use miniapp_core::package::packed;
use miniapp_core::package::signing::SecretKey;
use miniapp_core::package::Package;
use miniapp_ffi::c_abi::*;
use miniapp_ffi::uniffi_error::MiniappError;
use miniapp_ffi::uniffi_store::MiniAppStore;

fn take(p: *mut std::ffi::c_char) -> String {
    // SAFETY: a string from the library, freed once.
    let s = unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned();
    // SAFETY: as above.
    unsafe { miniapp_string_free(p) };
    s
}

fn archive(dir: &std::path::Path, version: &str, key: &SecretKey) -> CString {
    let pkg = Package::from_sources([
        ("app.json", r#"{"pages":["p/i"]}"#.to_string()),
        ("app.js", "App({})".to_string()),
        ("p/i.js", "Page({})".to_string()),
        ("p/i.wxml", format!("<view id=\"v\">{version}</view>")),
    ]);
    let path = dir.join(format!("{version}.mpk"));
    std::fs::write(&path, packed::pack(&pkg, version, Some(key)).expect("packs")).expect("write");
    CString::new(path.to_string_lossy().into_owned()).expect("no NUL")
}

/// An empty folder `name-<pid>` in the temporary directory, and a new signing key.
fn fresh(name: &str) -> (std::path::PathBuf, SecretKey) {
    let base = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).expect("dir");
    (base, SecretKey::generate().expect("key"))
}

#[test]
fn the_c_abi_installs_launches_and_rolls_back() {
    let (base, key) = fresh("miniapp-ffi-store");
    let store = CString::new(base.join("store").to_string_lossy().into_owned()).expect("no NUL");
    let keys = CString::new(format!("[\"{}\"]", key.public().to_text())).expect("no NUL");
    let install = |path: &CString| {
        let mut version = ptr::null_mut();
        // SAFETY: valid strings and out pointer.
        let status = unsafe {
            miniapp_store_install(store.as_ptr(), keys.as_ptr(), path.as_ptr(), &mut version)
        };
        (
            status,
            if status == MiniappStatus::Ok { take(version) } else { take(miniapp_last_error()) },
        )
    };
    let launch = || {
        let (mut path, mut version) = (ptr::null_mut(), ptr::null_mut());
        // SAFETY: valid strings and out pointers.
        let status =
            unsafe { miniapp_store_launch(store.as_ptr(), keys.as_ptr(), &mut path, &mut version) };
        assert_eq!(status, MiniappStatus::Ok);
        (take(version), take(path))
    };
    assert_eq!(install(&archive(&base, "1.0.0", &key)), (MiniappStatus::Ok, "1.0.0".into()));
    assert_eq!(launch().0, "1.0.0");
    assert_eq!(install(&archive(&base, "1.1.0", &key)).0, MiniappStatus::Ok);
    let (version, path) = launch();
    assert_eq!(version, "1.1.0");
    // the launched archive opens, verified against the same key
    let dir = CString::new(path).expect("no NUL");
    let config = CString::new(format!(r#"{{"trustedKeys":["{}"]}}"#, key.public().to_text()))
        .expect("no NUL");
    let mut app = 0u64;
    // SAFETY: valid strings and out pointer.
    let opened =
        unsafe { miniapp_app_open(dir.as_ptr(), config.as_ptr(), None, ptr::null_mut(), &mut app) };
    assert_eq!(opened, MiniappStatus::Ok, "{}", take(miniapp_last_error()));
    assert_eq!(miniapp_app_free(app), MiniappStatus::Ok);
    // a downgrade and a stranger's archive are refused by name
    let (status, message) = install(&archive(&base, "1.0.5", &key));
    assert_eq!(status, MiniappStatus::InvalidPackage);
    assert!(message.contains("downgrades are refused"), "{message}");
    let stranger = SecretKey::generate().expect("key");
    let (status, message) = install(&archive(&base, "2.0.0", &stranger));
    assert_eq!(status, MiniappStatus::InvalidPackage);
    assert!(message.contains("not one of this host's trusted keys"), "{message}");
    // bad key JSON is a JSON error
    let bad = CString::new("[\"nope\"]").expect("no NUL");
    // SAFETY: valid strings; null out pointer allowed.
    let status = unsafe {
        miniapp_store_install(store.as_ptr(), bad.as_ptr(), dir.as_ptr(), ptr::null_mut())
    };
    assert_eq!(status, MiniappStatus::InvalidJson);
    let mut back = ptr::null_mut();
    // SAFETY: valid string and out pointer.
    assert_eq!(unsafe { miniapp_store_rollback(store.as_ptr(), &mut back) }, MiniappStatus::Ok);
    assert_eq!(take(back), "1.0.0");
    // SAFETY: as above.
    let none = unsafe { miniapp_store_rollback(store.as_ptr(), ptr::null_mut()) };
    assert_eq!(none, MiniappStatus::NotFound);
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn the_uniffi_store_installs_launches_and_rolls_back() {
    let (base, key) = fresh("miniapp-uniffi-store");
    let store = MiniAppStore::open(
        base.join("store").to_string_lossy().into_owned(),
        vec![key.public().to_text()],
    )
    .expect("opens");
    let path = |v: &str| archive(&base, v, &key).into_string().expect("utf-8");
    assert!(matches!(store.launch(), Err(MiniappError::NotFound { .. })));
    assert_eq!(store.install(path("1.0.0")).expect("installs"), "1.0.0");
    assert_eq!(store.launch().expect("launches").version, "1.0.0");
    assert_eq!(store.install(path("1.2.0")).expect("installs"), "1.2.0");
    assert_eq!(store.launch().expect("launches").version, "1.2.0");
    assert!(matches!(store.install(path("1.1.0")), Err(MiniappError::InvalidPackage { .. })));
    assert_eq!(store.rollback().expect("rolls back"), "1.0.0");
    assert_eq!(store.collect_garbage().expect("collects"), ["1.2.0"]);
    assert!(MiniAppStore::open("x".into(), vec!["not a key".into()]).is_err());
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn a_subpackage_fetched_later_is_installed_through_c_and_uniffi() {
    let (base, key) = fresh("miniapp-ffi-store-sub");
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/subpackages/app");
    let pkg = Package::open_dir(fixture).expect("the subpackages fixture");
    let pre = miniapp_core::runtime::prepare::precompile_split(&pkg).expect("compiles");
    let split = miniapp_core::package::split::pack_split(&pkg, "1.0.0", Some(&key), &pre, "a.mpk")
        .expect("packs");
    let write = |name: &str, bytes: &[u8]| {
        let path = base.join(name);
        std::fs::write(&path, bytes).expect("write");
        CString::new(path.to_string_lossy().into_owned()).expect("no NUL")
    };
    let main = write("a.mpk", &split.main);
    // subpackage packageB, as the host fetched it
    let sub = write("server-a.packageB.mpk", &split.subpackages[1].2);
    let store_dir = base.join("store").to_string_lossy().into_owned();
    let store = CString::new(store_dir.clone()).expect("no NUL");
    let keys = CString::new(format!("[\"{}\"]", key.public().to_text())).expect("no NUL");
    let (version, root) = (c"1.0.0", c"packageB");
    // SAFETY: valid strings; null out pointer allowed.
    let installed = unsafe {
        miniapp_store_install(store.as_ptr(), keys.as_ptr(), main.as_ptr(), ptr::null_mut())
    };
    assert_eq!(installed, MiniappStatus::Ok);
    let mut at = ptr::null_mut();
    // SAFETY: valid strings and out pointer.
    let saved = unsafe {
        miniapp_store_install_subpackage(
            store.as_ptr(),
            keys.as_ptr(),
            version.as_ptr(),
            root.as_ptr(),
            sub.as_ptr(),
            &mut at,
        )
    };
    assert_eq!(saved, MiniappStatus::Ok, "{}", take(miniapp_last_error()));
    assert!(take(at).ends_with("versions/1.0.0/a.packageB.mpk"));
    // the main archive is not subpackage `packageB`
    // SAFETY: as above.
    let refused = unsafe {
        miniapp_store_install_subpackage(
            store.as_ptr(),
            keys.as_ptr(),
            version.as_ptr(),
            root.as_ptr(),
            main.as_ptr(),
            ptr::null_mut(),
        )
    };
    assert_eq!(refused, MiniappStatus::InvalidPackage);
    assert!(take(miniapp_last_error()).contains("found the archive of a whole app"));
    let uniffi = MiniAppStore::open(store_dir, vec![key.public().to_text()]).expect("opens");
    let path = uniffi
        .install_subpackage("1.0.0".into(), "packageB".into(), sub.into_string().expect("utf-8"))
        .expect("saves");
    assert!(path.ends_with("a.packageB.mpk"), "{path}");
    assert!(matches!(
        uniffi.install_subpackage("2.0.0".into(), "packageB".into(), path),
        Err(MiniappError::NotFound { .. })
    ));
    let _ = std::fs::remove_dir_all(&base);
}
