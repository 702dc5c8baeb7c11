//! `miniapp check <dir> --pages`: opens every page of the app, each in a fresh instance, the
//! way `miniapp run --page P` does (headless host, default headless policy, virtual time), and
//! says which open with no uncaught error. This is how the compatibility figures in the README
//! are measured.

use std::process::ExitCode;
use std::sync::Arc;

use miniapp_core::capability::Policy;
use miniapp_core::host::RecordingHost;
use miniapp_core::package::Package;
use miniapp_core::runtime::clock::ClockMode;
use miniapp_core::{AppInstance, InstanceConfig};
use serde::Serialize;

/// Virtual milliseconds each page runs after launch (timers, promises, first requests).
const SETTLE_MS: f64 = 2000.0;

/// How one page went.
#[derive(Debug, Serialize)]
struct PageRun {
    page: String,
    clean: bool,
    /// Each error as a diagnostic line (`path:line:col: error [E401]: …`).
    errors: Vec<String>,
}

fn run_page(package: &Package, page: &str) -> PageRun {
    let config = InstanceConfig {
        clock: ClockMode::Virtual,
        policy: Policy::headless_default(),
        host_services: Some(Arc::new(RecordingHost::default())),
        ..InstanceConfig::default()
    };
    let mut errors = Vec::new();
    match AppInstance::open(package.clone(), config) {
        Err(e) => errors.push(e.to_string()),
        Ok(mut app) => {
            let outcome = app.launch(Some(page), 1001).and_then(|()| app.settle(SETTLE_MS));
            errors.extend(app.errors().iter().map(|e| e.as_diagnostic().to_string()));
            if let Err(e) = outcome {
                errors.push(format!("error: {e}"));
            }
        }
    }
    PageRun { page: page.to_string(), clean: errors.is_empty(), errors }
}

/// Runs every page; exit code 0 when all open clean, 1 otherwise.
pub fn check_pages(package: Package, app: &AppInstance, json: bool) -> ExitCode {
    let listed = &app.manifest().app;
    let pages: Vec<&String> =
        listed.pages.iter().chain(listed.subpackages.iter().flat_map(|s| &s.pages)).collect();
    let runs: Vec<PageRun> = pages.iter().map(|p| run_page(&package, p)).collect();
    let clean = runs.iter().filter(|r| r.clean).count();
    if json {
        let doc = serde_json::json!({ "clean": clean, "pages": runs.len(), "runs": runs });
        crate::out(&format!("{}\n", serde_json::to_string_pretty(&doc).unwrap_or_default()));
    } else {
        let mut text = String::new();
        for r in &runs {
            match r.errors.first() {
                None => text.push_str(&format!("ok    {}\n", r.page)),
                Some(first) => text.push_str(&format!("fail  {}: {first}\n", r.page)),
            }
        }
        text.push_str(&format!("{clean} of {} pages open clean\n", runs.len()));
        crate::out(&text);
    }
    if clean == runs.len() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
