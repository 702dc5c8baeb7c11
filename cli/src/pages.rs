//! `miniapp check <dir> --pages`: opens every page of the app, each in a fresh instance, the
//! way `miniapp run --page P` does (headless host, the same options: policy, HTTP fixtures,
//! host script, viewport; virtual time), and says which open with no uncaught error. This is
//! how the compatibility figures in the README are measured.
//!
//! A page whose only uncaught errors are network calls the app left unhandled (`request:fail
//! …`, a remote image's `getImageInfo`, an ad's load: `check` has no network unless a policy
//! lists hosts, answers only what fixtures give, and serves no ads) is told apart from a page
//! that fails for another reason (`net`): it opened, and the fix is answers
//! (`--http-fixtures`), not code. So is a page whose uncaught errors are, beside those, only
//! `wx` calls that failed with nothing to handle their rejected promise (`navigateBack` on a
//! page opened alone, `showLoading()` without its title): WeChat logs those as `Uncaught (in
//! promise)` and the page goes on (`api`); the fix is in the app, but the page opened.

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

/// Why an uncaught error kept a page from opening clean, the mildest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    /// A network call no server answered.
    Net,
    /// A `wx` call that failed, its rejected promise handled by nothing.
    Api,
    /// Anything else: the page's code threw.
    Fail,
}

/// True when an uncaught error is a `wx` call's failure result (`{"errMsg":
/// "navigateBack:fail …"}`) that rejected a promise nothing handled.
fn unhandled_call_failure(e: &miniapp_core::runtime::state::AppError) -> bool {
    e.during == "unhandled promise rejection"
        && serde_json::from_str::<serde_json::Value>(&e.error.message).is_ok_and(|v| {
            v.get("errMsg").and_then(|m| m.as_str()).is_some_and(|m| m.contains(":fail"))
        })
}

fn kind_of(e: &miniapp_core::runtime::state::AppError) -> Kind {
    if unanswered_call(&e.error.message) {
        Kind::Net
    } else if unhandled_call_failure(e) {
        Kind::Api
    } else {
        Kind::Fail
    }
}

/// How one page went.
#[derive(Debug, Serialize)]
struct PageRun {
    page: String,
    clean: bool,
    /// Not clean, but every uncaught error is a network call the app left unhandled.
    only_unanswered_requests: bool,
    /// Not clean, but every uncaught error is a network call or a failed `wx` call the app
    /// left unhandled, at least one of them the latter.
    only_failed_wx_calls: bool,
    /// Each error as a diagnostic line (`path:line:col: error [E401]: …`).
    errors: Vec<String>,
    /// The worst kind of error and the first error of that kind: what the page is reported
    /// with.
    #[serde(skip)]
    worst: Option<(Kind, String)>,
}

fn run_page(package: &Package, page: &str, args: &AppArgs) -> PageRun {
    let mut errors = Vec::new();
    let mut worst: Option<(Kind, String)> = None;
    let mut note = |kind: Kind, line: &str| {
        if worst.as_ref().is_none_or(|(k, _)| kind > *k) {
            worst = Some((kind, line.to_string()));
        }
    };
    match args.config(false).map_err(|_| "the options did not read".to_string()).and_then(
        |(config, _host)| AppInstance::open(package.clone(), config).map_err(|e| e.to_string()),
    ) {
        Err(e) => {
            note(Kind::Fail, &e);
            errors.push(e);
        }
        Ok(mut app) => {
            let outcome = app.launch(Some(page), 1001).and_then(|()| app.settle(SETTLE_MS));
            for e in app.errors() {
                let line = e.as_diagnostic().to_string();
                note(kind_of(&e), &line);
                errors.push(line);
            }
            if let Err(e) = outcome {
                let line = format!("error: {e}");
                note(Kind::Fail, &line);
                errors.push(line);
            }
        }
    }
    let kind = worst.as_ref().map(|(k, _)| *k);
    PageRun {
        page: page.to_string(),
        clean: errors.is_empty(),
        only_unanswered_requests: kind == Some(Kind::Net),
        only_failed_wx_calls: kind == Some(Kind::Api),
        errors,
        worst,
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
    let failed_calls = runs.iter().filter(|r| r.only_failed_wx_calls).count();
    if json {
        let doc = serde_json::json!({
            "clean": clean,
            "only_unanswered_requests": unanswered,
            "only_failed_wx_calls": failed_calls,
            "pages": runs.len(),
            "runs": runs,
        });
        crate::out(&format!("{}\n", serde_json::to_string_pretty(&doc).unwrap_or_default()));
    } else {
        let mut text = String::new();
        for r in &runs {
            let line = match &r.worst {
                None => format!("ok    {}\n", r.page),
                Some((Kind::Net, first)) => {
                    let what = match r.errors.len() {
                        1 => "error is a network call".to_string(),
                        n => format!("errors are {n} network calls"),
                    };
                    format!(
                        "net   {}: opens; its only uncaught {what} no server answered: {first}\n",
                        r.page
                    )
                }
                Some((Kind::Api, first)) => format!(
                    "api   {}: opens; its uncaught errors are wx calls that failed with nothing \
                     to handle them (WeChat logs these too): {first}\n",
                    r.page
                ),
                Some((Kind::Fail, why)) => format!("fail  {}: {why}\n", r.page),
            };
            text.push_str(&line);
        }
        text.push_str(&format!("{clean} of {} pages open clean", runs.len()));
        if unanswered > 0 {
            text.push_str(&format!(
                "; {unanswered} more open with only unanswered network calls failing (`check` \
                 has no network: answer them with --http-fixtures FILE, or let them out with \
                 a --policy FILE listing their hosts)"
            ));
        }
        if failed_calls > 0 {
            text.push_str(&format!(
                "; {failed_calls} more open with only wx calls failing that nothing handles \
                 (`api`)"
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
