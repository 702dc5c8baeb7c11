//! The C ABI: the checked-in header matches the code, and a C program (gcc) drives the
//! campus example through it, also under valgrind when it is installed.

// Test helpers: a failed build step is a test failure, so panicking is right.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::{campus, crate_dir, host_events_app, lib_dir, native_lib_dir, run};

#[test]
fn header_is_current() {
    let config =
        cbindgen::Config::from_file(crate_dir().join("cbindgen.toml")).expect("cbindgen.toml");
    let mut out = Vec::new();
    cbindgen::Builder::new()
        .with_crate(crate_dir())
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header")
        .write(&mut out);
    let generated = String::from_utf8(out).expect("utf-8 header");
    let path = crate_dir().join("include/miniapp.h");
    if std::env::var_os("MINIAPP_UPDATE_HEADER").is_some() {
        std::fs::write(&path, &generated).expect("write header");
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "bindings/include/miniapp.h is out of date: regenerate with `MINIAPP_UPDATE_HEADER=1 cargo test -p miniapp-ffi header_is_current`"
    );
}

/// The README's C host (`examples/embed/c/host.c`), built both ways its header says: against
/// the static library (which needs `-lpthread -ldl -lm`) and the shared one (with an rpath).
#[test]
fn readme_c_host_builds_and_runs() {
    let libs = native_lib_dir();
    let source = crate_dir().join("../examples/embed/c/host.c");
    let include = crate_dir().join("include");
    let static_exe = lib_dir().join("miniapp_c_host_static");
    run(
        Command::new("gcc")
            .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-I"])
            .arg(&include)
            .arg(&source)
            .arg(libs.join("libminiapp_ffi.a"))
            .args(["-lpthread", "-ldl", "-lm", "-o"])
            .arg(&static_exe),
        "gcc (host.c, static)",
    );
    let shared_exe = lib_dir().join("miniapp_c_host_shared");
    run(
        Command::new("gcc")
            .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-I"])
            .arg(&include)
            .arg(&source)
            .arg("-L")
            .arg(&libs)
            .args(["-lminiapp_ffi", "-lpthread"])
            .arg(format!("-Wl,-rpath,{}", libs.display()))
            .arg("-o")
            .arg(&shared_exe),
        "gcc (host.c, shared)",
    );
    for exe in [static_exe, shared_exe] {
        let stdout = run(Command::new(&exe).arg(campus()), "the C host example");
        assert!(stdout.contains("launched: ") && !stdout.contains("launched: -1"), "{stdout}");
        assert!(stdout.contains("tapped #refresh (node "), "{stdout}");
        assert!(stdout.contains("page says: Refreshed 1 time\n"), "{stdout}");
        assert!(stdout.contains("[app] log: [app] onLaunch"), "{stdout}");
    }
}

#[test]
fn c_program_drives_the_campus_example() {
    let libs = native_lib_dir();
    let exe = lib_dir().join("miniapp_c_app_test");
    run(
        Command::new("gcc")
            .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-o"])
            .arg(&exe)
            .arg(crate_dir().join("tests/c/app_test.c"))
            .arg("-I")
            .arg(crate_dir().join("include"))
            .arg("-L")
            .arg(&libs)
            .args(["-lminiapp_ffi", "-lpthread"]),
        "gcc (the C test)",
    );
    let campus = campus();
    let run_program = |wrapper: &[&str]| {
        let mut cmd = if wrapper.is_empty() {
            Command::new(&exe)
        } else {
            let mut c = Command::new(wrapper[0]);
            c.args(&wrapper[1..]).arg(&exe);
            c
        };
        let out = cmd
            .arg(&campus)
            .arg(host_events_app())
            .env("LD_LIBRARY_PATH", &libs)
            .output()
            .expect("C test runs");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "C test failed under {wrapper:?}:\n{stdout}\n{stderr}");
        assert!(stdout.contains("c abi: all checks passed"), "{stdout}\n{stderr}");
    };
    run_program(&[]);
    if Command::new("valgrind").arg("--version").output().is_ok() {
        let supp =
            format!("--suppressions={}", crate_dir().join("tests/c/valgrind.supp").display());
        run_program(&[
            "valgrind",
            "--quiet",
            "--error-exitcode=99",
            "--leak-check=full",
            "--errors-for-leak-kinds=definite",
            &supp,
        ]);
    } else {
        eprintln!("valgrind not installed: skipped the memory check");
    }
}

/// Every kind of host event is reachable from C: its JSON form goes through
/// `miniapp_app_send` and `miniapp_app_request` to a running app.
#[test]
#[allow(unsafe_code)] // calling the C ABI is what this test is about
fn every_host_event_kind_is_reachable_from_c() {
    use std::ffi::{CStr, CString};

    use miniapp_core::HostEvent;
    use miniapp_ffi::c_abi::{
        miniapp_app_close, miniapp_app_free, miniapp_app_open, miniapp_app_request,
        miniapp_app_send, miniapp_string_free, MiniappStatus,
    };

    let dir = CString::new(common::host_events_app().to_str().unwrap()).unwrap();
    let config = CString::new(r#"{"clock":"virtual"}"#).unwrap();
    let mut app = 0u64;
    // SAFETY: valid NUL-terminated strings and an out pointer, as the C contract requires.
    let opened = unsafe {
        miniapp_app_open(dir.as_ptr(), config.as_ptr(), None, std::ptr::null_mut(), &mut app)
    };
    assert!(matches!(opened, MiniappStatus::Ok));
    for event in HostEvent::one_of_each() {
        let json = CString::new(serde_json::to_string(&event).unwrap()).unwrap();
        // SAFETY: as above.
        let sent = unsafe { miniapp_app_send(app, json.as_ptr()) };
        assert!(matches!(sent, MiniappStatus::Ok), "{} not accepted from C", event.kind());
        let mut out: *mut std::ffi::c_char = std::ptr::null_mut();
        // SAFETY: as above; the answer is freed with miniapp_string_free.
        let asked = unsafe { miniapp_app_request(app, json.as_ptr(), &mut out) };
        // A request waits for the logic thread: it either applied (an answer) or the app said
        // why it could not (a node that does not exist) — never an unknown kind.
        if matches!(asked, MiniappStatus::Ok) {
            // SAFETY: the library returned a NUL-terminated string.
            let answer = unsafe { CStr::from_ptr(out) }.to_string_lossy().into_owned();
            assert!(answer.starts_with("{\"handled\":"), "{answer}");
            // SAFETY: allocated by the library.
            unsafe { miniapp_string_free(out) };
        } else {
            assert!(
                !matches!(asked, MiniappStatus::InvalidJson),
                "{} refused as JSON",
                event.kind()
            );
        }
    }
    assert!(matches!(miniapp_app_close(app), MiniappStatus::Ok));
    assert!(matches!(miniapp_app_free(app), MiniappStatus::Ok));
}
