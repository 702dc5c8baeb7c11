//! One test per fixture app under `tests/fixtures/`: run its steps, compare the transcript with
//! the reviewed snapshot `tests/fixtures/<case>/transcript.snap` (insta; review changes with
//! `cargo insta review` or `INSTA_UPDATE=always`).

use std::path::{Path, PathBuf};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The kitchen-sink cases run `tests/kitchen-sink` on the registry component libraries, which
/// npm fetches (pinned by its package-lock.json) and miniapp builds as DevTools' build npm does.
fn install_kitchen_sink() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("kitchen-sink");
    if dir.join("node_modules/@vant/weapp/package.json").exists() {
        return;
    }
    let status = std::process::Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&dir)
        .status();
    assert!(status.is_ok_and(|s| s.success()), "npm ci in tests/kitchen-sink failed");
}

fn check(case: &str) {
    if case.starts_with("kitchen_") {
        install_kitchen_sink();
    }
    let dir = fixtures_dir().join(case);
    let transcript = miniapp_tests::run_fixture(&dir);
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(&dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    settings.bind(|| insta::assert_snapshot!("transcript", transcript));
}

macro_rules! fixtures {
    ($($name:ident),* $(,)?) => {
        $( #[test] fn $name() { check(stringify!($name)); } )*
        const LISTED: &[&str] = &[$(stringify!($name)),*];
    };
}

fixtures!(
    campus_index,
    form_submit,
    builtin_fields,
    builtin_scroll_swiper,
    builtin_content,
    builtin_open_type,
    builtin_open_type_denied,
    builtin_text,
    builtin_page_container,
    builtin_editor,
    campus_components,
    template_features,
    template_calls,
    events,
    setdata_paths,
    components,
    component_generics,
    require_modules,
    module_env,
    compile_step,
    wx_shell,
    wx_update,
    list_updates,
    unicode_spaces,
    dataset_mirror,
    wx_worker,
    wx_audio,
    wx_audio_denied,
    wx_ads,
    wxs_semantics,
    custom_tab_bar,
    intersection_observer,
    host_events,
    performance_timeline,
    kitchen_vant,
    kitchen_tdesign,
    kitchen_weui,
    lifecycle_order,
    timers_promises,
    routing,
    routing_extras,
    window_tabbar,
    page_events,
    subpackages,
    subpackages_independent,
    component_moved_error,
    wx_base,
    wx_storage,
    wx_storage_denied,
    wx_host,
    wx_request,
    wx_scopes,
    wx_privacy,
    wx_custom,
    wx_login_payment,
    wx_files,
    wx_files_denied,
    wx_transfer,
    wx_animation,
    wx_media,
    wx_host_script,
    layout_basics,
    style_isolation,
    selector_query,
    campus_layout_375,
    campus_layout_414,
);

#[test]
fn every_fixture_folder_is_listed() {
    let mut missing = Vec::new();
    for entry in std::fs::read_dir(fixtures_dir()).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() && !LISTED.contains(&name.as_str()) {
            missing.push(name);
        }
    }
    assert!(missing.is_empty(), "fixture folders not listed in fixtures!(…): {missing:?}");
}
