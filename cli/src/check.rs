//! `miniapp check`: load and compile everything (every subpackage, every script, used or
//! not) and print every diagnostic; `--report` prints the compatibility report instead, and
//! `--pages` opens every page ([`crate::pages`]).

use std::path::PathBuf;
use std::process::ExitCode;

use miniapp_core::capability::Policy;
use miniapp_core::{AppInstance, InstanceConfig};

use crate::{open_failed, open_package, out, plural};

/// Runs it. Exit codes: 0 no errors; 1 errors; 2 the package cannot be opened.
pub fn check(dir: PathBuf, report: bool, pages: bool, json: bool) -> ExitCode {
    let config = InstanceConfig { policy: Policy::headless_default(), ..InstanceConfig::default() };
    let package = match open_package(&dir) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let app = match AppInstance::open(package.clone(), config) {
        Ok(app) => app,
        Err(e) => return open_failed(e),
    };
    if pages {
        return crate::pages::check_pages(package, &app, json);
    }
    app.check_everything();
    let d = app.diagnostics();
    if report {
        let r = app.compatibility_report();
        if json {
            out(&format!("{}\n", serde_json::to_string_pretty(&r).unwrap_or_default()));
        } else {
            out(&r.to_string());
        }
        return ExitCode::SUCCESS;
    }
    out(&d.to_string());
    let m = app.manifest();
    let pages = m.components.values().filter(|c| c.is_page).count();
    let summary = format!(
        "{}, {}, {}",
        plural(pages, "page"),
        plural(m.components.len() - pages, "component"),
        plural(d.len(), "diagnostic")
    );
    if d.has_errors() {
        out(&format!("failed: {summary}\n"));
        ExitCode::from(1)
    } else {
        out(&format!("ok: {summary}\n"));
        ExitCode::SUCCESS
    }
}
