//! `miniapp serve` and `miniapp auto`: the automator server in the foreground, until a client
//! sends `Tool.close` (then exit 0). App console output and errors go to stderr.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use miniapp_automator::{ServeOptions, Server};

use crate::narrate::StderrLog;
use crate::{open_failed, open_package, AppArgs};

/// `miniapp serve` arguments.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// Project directory (the folder holding app.json), or a ZIP archive of it.
    dir: PathBuf,
    /// Port on 127.0.0.1 for the automator protocol (0: any free port, printed on stderr).
    #[arg(long, default_value_t = 9420)]
    automator_port: u16,
    /// Entry page with optional query, e.g. 'pages/detail/detail?id=3'.
    #[arg(long)]
    page: Option<String>,
    /// Scene number passed to App.onLaunch.
    #[arg(long, default_value_t = 1001)]
    scene: u32,
    /// Screen, policy and headless host answers.
    #[command(flatten)]
    app: AppArgs,
}

/// `miniapp auto` arguments: what miniprogram-automator's `launch()` passes.
#[derive(clap::Args)]
pub struct AutoArgs {
    /// Project directory.
    #[arg(long)]
    project: PathBuf,
    /// Port on 127.0.0.1 for the automator protocol.
    #[arg(long)]
    auto_port: u16,
    /// Accepted for compatibility with the developer tool; miniapp has no accounts.
    #[arg(long, value_name = "ACCOUNT")]
    auto_account: Option<String>,
    /// Accepted for compatibility with the developer tool; miniapp needs no login ticket.
    #[arg(long)]
    ticket: Option<String>,
    /// Accepted for compatibility with the developer tool (every project is trusted).
    #[arg(long)]
    trust_project: bool,
    /// Screen, policy and headless host answers.
    #[command(flatten)]
    app: AppArgs,
}

fn run_server(
    dir: &PathBuf,
    port: u16,
    page: Option<String>,
    scene: u32,
    app: &AppArgs,
) -> ExitCode {
    let (mut config, _host) = match app.config(false) {
        Ok(c) => c,
        Err(code) => return code,
    };
    config.log_sink = Some(Arc::new(StderrLog));
    let trusted = match app.trusted() {
        Ok(t) => t,
        Err(code) => return code,
    };
    let package = match open_package(dir, &trusted) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let server = match Server::start(package, config, ServeOptions { port, page, scene }) {
        Ok(s) => s,
        Err(miniapp_automator::ServeError::Runtime(e)) => return open_failed(e),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    eprintln!(
        "miniapp: automator listening on ws://127.0.0.1:{} for {}",
        server.port(),
        dir.display()
    );
    server.wait();
    server.shutdown();
    eprintln!("miniapp: automator closed");
    ExitCode::SUCCESS
}

/// `miniapp serve`.
pub fn serve(args: ServeArgs) -> ExitCode {
    run_server(&args.dir, args.automator_port, args.page, args.scene, &args.app)
}

/// `miniapp auto`.
pub fn auto(args: AutoArgs) -> ExitCode {
    let _ = (&args.auto_account, &args.ticket, args.trust_project);
    run_server(&args.project, args.auto_port, None, 1001, &args.app)
}
