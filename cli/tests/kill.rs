//! The kill test: `miniapp run` on an app that writes storage and files as fast as it can is
//! killed with SIGKILL at random moments, again and again on the same data folder. After every
//! kill, every write the app saw succeed (it prints `ack N` after `setStorageSync` and
//! `writeFileSync` returned) must be there, whole, and the store must pass SQLite's integrity
//! check; at the end the runtime itself reopens the data and reads it all back.
//!
//! `MINIAPP_KILLS` sets the number of kills (default 1,000, about a minute; CI runs it):
//! `cargo test -p miniapp-cli --test kill -- --nocapture` prints the figures.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::Rng;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use miniapp_core::capability::StorageLimits;
use miniapp_core::storage::Storage;

const APP_ID: &str = "kill-test";
/// Storage keys the writer cycles through, and files.
const KEYS: u64 = 200;
const FILES: u64 = 20;

const APP_JSON: &str = r#"{"pages":["pages/write/write","pages/read/read"]}"#;
/// Each step: a storage value, the resume counter, a whole file; then the acknowledgement.
const WRITER: &str = r#"
const fs = wx.getFileSystemManager();
Page({
  onLoad() {
    let n = wx.getStorageSync('next') || 0;
    for (let i = 0; i < 1000000; i++, n++) {
      wx.setStorageSync('k' + (n % 200), { n: n, pad: 'x'.repeat((n % 7) * 1024 + n % 500) });
      wx.setStorageSync('next', n + 1);
      fs.writeFileSync(wx.env.USER_DATA_PATH + '/f' + (n % 20) + '.txt', n + ':' + 'y'.repeat(n % 3000), 'utf8');
      console.log('ack ' + n);
    }
  },
});
"#;
/// Reads everything back through the runtime and prints it as one JSON line.
const READER: &str = r#"
const fs = wx.getFileSystemManager();
Page({
  onLoad() {
    const out = { next: wx.getStorageSync('next'), keys: {}, files: {} };
    for (const k of wx.getStorageInfoSync().keys) out.keys[k] = wx.getStorageSync(k);
    for (const f of fs.readdirSync(wx.env.USER_DATA_PATH)) {
      out.files[f] = fs.readFileSync(wx.env.USER_DATA_PATH + '/' + f, 'utf8');
    }
    console.log('state ' + JSON.stringify(out));
  },
});
"#;

/// What the writer acknowledged so far: the newest `n` per storage key and per file.
#[derive(Default)]
struct Acked {
    max: Option<u64>,
    keys: BTreeMap<u64, u64>,
    files: BTreeMap<u64, u64>,
}

impl Acked {
    fn add(&mut self, n: u64) {
        self.max = self.max.max(Some(n));
        self.keys.insert(n % KEYS, n);
        self.files.insert(n % FILES, n);
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn write_app(dir: &Path) {
    for (file, text) in [
        ("app.json", APP_JSON),
        ("app.js", "App({})"),
        ("pages/write/write.js", WRITER),
        ("pages/write/write.wxml", "<view>writing</view>"),
        ("pages/read/read.js", READER),
        ("pages/read/read.wxml", "<view>reading</view>"),
    ] {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

fn miniapp(app: &Path, data: &Path, page: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_miniapp"));
    cmd.args(["run", app.to_str().unwrap(), "--page", page, "--settle", "0"]).args([
        "--data-dir",
        data.to_str().unwrap(),
        "--app-id",
        APP_ID,
    ]);
    cmd
}

/// Runs the writer and kills it: before its first acknowledgement in one case of five (while
/// it starts and opens the store), else a random 0–40 ms after it. Returns what it acknowledged
/// and whether the kill came before the writer ended on its own.
fn write_and_kill(app: &Path, data: &Path, rng: &mut Rng) -> (Vec<u64>, bool) {
    let mut child = miniapp(app, data, "pages/write/write")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("miniapp starts");
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(n) =
                line.rsplit_once("ack ").and_then(|(_, n)| n.trim().parse::<u64>().ok())
            {
                let _ = tx.send(n);
            }
        }
    });
    let mut acks = Vec::new();
    if rng.below(5) == 0 {
        std::thread::sleep(Duration::from_micros(rng.below(150_000)));
    } else {
        // the first acknowledgement, then a while longer
        if let Ok(n) = rx.recv_timeout(Duration::from_secs(60)) {
            acks.push(n);
        }
        std::thread::sleep(Duration::from_micros(rng.below(40_000)));
    }
    let killed = child.try_wait().ok().flatten().is_none();
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
    reader.join().unwrap();
    acks.extend(rx.try_iter());
    (acks, killed)
}

/// Every acknowledged write is there and whole; the store is intact.
fn verify(data: &Path, acked: &Acked, round: u64) {
    let store = Storage::open(Some(data), APP_ID, StorageLimits::default())
        .unwrap_or_else(|e| panic!("round {round}: the store does not open: {e}"));
    assert_eq!(store.integrity_check().unwrap(), "ok", "round {round}: corrupt store");
    let Some(max) = acked.max else { return };
    let next: u64 = store.get("next").unwrap().expect("`next` is stored").1.parse().unwrap();
    assert!(next > max, "round {round}: `next` is {next}, but {max} was acknowledged");
    for (key, &n) in &acked.keys {
        let (_, text) = store
            .get(&format!("k{key}"))
            .unwrap()
            .unwrap_or_else(|| panic!("round {round}: k{key} (acknowledged as {n}) is missing"));
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let stored = value["n"].as_u64().unwrap();
        assert!(
            stored >= n && stored <= next,
            "round {round}: k{key} holds {stored}, acknowledged {n}"
        );
        assert_eq!(
            value["pad"].as_str().unwrap().len() as u64,
            (stored % 7) * 1024 + stored % 500,
            "round {round}: k{key}"
        );
    }
    let usr = data.join(miniapp_core::storage::dir_name(APP_ID)).join("files").join("usr");
    for (file, &n) in &acked.files {
        let path = usr.join(format!("f{file}.txt"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("round {round}: {} (acknowledged as {n}): {e}", path.display())
        });
        let (head, pad) = text
            .split_once(':')
            .unwrap_or_else(|| panic!("round {round}: f{file} is cut short: {text:?}"));
        let stored: u64 = head.parse().unwrap();
        assert!(
            stored >= n && stored <= next,
            "round {round}: f{file} holds {stored}, acknowledged {n}"
        );
        assert_eq!(stored % FILES, *file, "round {round}");
        assert_eq!(pad.len() as u64, stored % 3000, "round {round}: f{file} is cut short");
    }
    // a write killed half-way never shows up as a file of its own
    let names: Vec<String> = std::fs::read_dir(&usr)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| n.starts_with('f') && n.ends_with(".txt")),
        "round {round}: {names:?}"
    );
}

#[test]
fn sigkill_during_writes_loses_no_acknowledged_write() {
    let kills = env_number("MINIAPP_KILLS", 1000);
    let seed = env_number("MINIAPP_KILL_SEED", 0x9E37_79B9_7F4A_7C15);
    let work = std::env::temp_dir().join(format!("miniapp-kill-{}", std::process::id()));
    let (app, data) = (work.join("app"), work.join("data"));
    let _ = std::fs::remove_dir_all(&work);
    write_app(&app);
    let mut rng = Rng(seed);
    let mut acked = Acked::default();
    let started = Instant::now();
    let (mut killed, mut mid_write) = (0, 0);
    for round in 0..kills {
        let (acks, was_running) = write_and_kill(&app, &data, &mut rng);
        killed += u64::from(was_running);
        mid_write += u64::from(was_running && !acks.is_empty());
        for n in acks {
            acked.add(n);
        }
        verify(&data, &acked, round);
    }
    // the runtime itself reads back what survived
    let out = miniapp(&app, &data, "pages/read/read").output().expect("miniapp runs");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let line = err.lines().find_map(|l| l.split_once("state ")).expect("the reader prints").1;
    let state: serde_json::Value = serde_json::from_str(line).unwrap();
    let max = acked.max.expect("the writer acknowledged writes");
    assert!(state["next"].as_u64().unwrap() > max, "{line}");
    for (key, &n) in &acked.keys {
        assert!(state["keys"][format!("k{key}")]["n"].as_u64().unwrap() >= n, "k{key}: {line}");
    }
    for (file, &n) in &acked.files {
        let text = state["files"][format!("f{file}.txt")].as_str().unwrap();
        assert!(text.split_once(':').unwrap().0.parse::<u64>().unwrap() >= n, "f{file}");
    }
    eprintln!(
        "kill test: {kills} kills ({killed} while running, {mid_write} after writes began), \
         {} writes acknowledged, 0 lost, 0 corrupt stores, {:.1} s",
        max + 1,
        started.elapsed().as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&work);
}
