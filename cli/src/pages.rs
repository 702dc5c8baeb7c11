//! `miniapp check <dir> --pages`: opens every page of the app, each in a fresh instance, the
//! way `miniapp run --page P` does (headless host, the same options: policy, HTTP fixtures,
//! host script, viewport; virtual time), and says which open with no uncaught error. This is
//! how the compatibility figures in the README are measured.
//!
//! A page whose only uncaught errors are network calls the app left unhandled (`request:fail
//! …`, a remote image's `getImageInfo`, an ad's load: `check` has no network unless a policy
//! lists hosts, answers only what fixtures give, and serves no ads) is told apart from a page
//! that fails for another reason: it opened, and the fix is answers (`--http-fixtures`), not
//! code.

use std::process::ExitCode;

use miniapp_core::package::Package;
use miniapp_core::AppInstance;
use serde::Serialize;

use crate::AppArgs;

/// Virtual milliseconds each page runs after launch (timers, promises, first requests).
const SETTLE_MS: f64 = 2000.0;

/// The `wx` calls whose `fail` means no server answered (WeChat's `<api>:fail …` errMsg).
const NETWORK_CALLS: [&str; 4] =
    ["request:fail", "downloadFile:fail", "uploadFile:fail", "connectSocket:fail"];

/// Why a remote image's `getImageInfo` fails when no server answers it (the domain check, or
/// the headless host with no fixture for it).
const UNANSWERED_DOWNLOADS: [&str; 2] = ["url not in domain list", "no HTTP fixture for"];

/// An ad's load or show: miniapp serves no ads (`core/js/src/ads.js`).
const NO_AD: &str = "miniapp serves no ads";

/// True when an uncaught error is only a network call nothing answered: a transfer, a remote
/// image's `getImageInfo`, or an ad.
fn unanswered_call(message: &str) -> bool {
    NETWORK_CALLS.iter().any(|call| message.contains(call))
        || (message.contains("getImageInfo:fail")
            && UNANSWERED_DOWNLOADS.iter().any(|why| message.contains(why)))
        || message.contains(NO_AD)
}

/// How one page went.
#[derive(Debug, Serialize)]
struct PageRun {
    page: String,
    clean: bool,
    /// Not clean, but every uncaught error is a network call the app left unhandled.
    only_unanswered_requests: bool,
    /// Each error as a diagnostic line (`path:line:col: error [E401]: …`).
    errors: Vec<String>,
    /// The first error that is not an unanswered network call: what a failing page is
    /// reported with.
    #[serde(skip)]
    failure: Option<String>,
}

fn run_page(package: &Package, page: &str, args: &AppArgs) -> PageRun {
    let (mut errors, mut failure) = (Vec::new(), None);
    let mut unanswered = 0;
    match args.config(false).map_err(|_| "the options did not read".to_string()).and_then(
        |(config, _host)| AppInstance::open(package.clone(), config).map_err(|e| e.to_string()),
    ) {
        Err(e) => {
            failure = Some(e.clone());
            errors.push(e);
        }
        Ok(mut app) => {
            let outcome = app.launch(Some(page), 1001).and_then(|()| app.settle(SETTLE_MS));
            for e in app.errors() {
                let line = e.as_diagnostic().to_string();
                if unanswered_call(&e.error.message) {
                    unanswered += 1;
                } else if failure.is_none() {
                    failure = Some(line.clone());
                }
                errors.push(line);
            }
            if let Err(e) = outcome {
                let line = format!("error: {e}");
                failure.get_or_insert_with(|| line.clone());
                errors.push(line);
            }
        }
    }
    PageRun {
        page: page.to_string(),
        clean: errors.is_empty(),
        only_unanswered_requests: !errors.is_empty() && unanswered == errors.len(),
        errors,
        failure,
    }
}

/// Runs every page; exit code 0 when all open clean, 1 otherwise.
pub fn check_pages(package: Package, app: &AppInstance, args: &AppArgs, json: bool) -> ExitCode {
    let listed = &app.manifest().app;
    let pages: Vec<&String> =
        listed.pages.iter().chain(listed.subpackages.iter().flat_map(|s| &s.pages)).collect();
    let runs: Vec<PageRun> = pages.iter().map(|p| run_page(&package, p, args)).collect();
    let clean = runs.iter().filter(|r| r.clean).count();
    let unanswered = runs.iter().filter(|r| r.only_unanswered_requests).count();
    if json {
        let doc = serde_json::json!({
            "clean": clean,
            "only_unanswered_requests": unanswered,
            "pages": runs.len(),
            "runs": runs,
        });
        crate::out(&format!("{}\n", serde_json::to_string_pretty(&doc).unwrap_or_default()));
    } else {
        let mut text = String::new();
        for r in &runs {
            match r.errors.first() {
                None => text.push_str(&format!("ok    {}\n", r.page)),
                Some(first) if r.only_unanswered_requests => {
                    let what = match r.errors.len() {
                        1 => "error is a network call".to_string(),
                        n => format!("errors are {n} network calls"),
                    };
                    text.push_str(&format!(
                        "net   {}: opens; its only uncaught {what} no server answered: {first}\n",
                        r.page
                    ))
                }
                Some(first) => {
                    let why = r.failure.as_deref().unwrap_or(first);
                    text.push_str(&format!("fail  {}: {why}\n", r.page))
                }
            }
        }
        text.push_str(&format!("{clean} of {} pages open clean", runs.len()));
        if unanswered > 0 {
            text.push_str(&format!(
                "; {unanswered} more open with only unanswered network calls failing (`check` \
                 has no network: answer them with --http-fixtures FILE, or let them out with \
                 a --policy FILE listing their hosts)"
            ));
        }
        text.push('\n');
        crate::out(&text);
    }
    if clean == runs.len() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
