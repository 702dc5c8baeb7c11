//! Host events and user actions as a host sends them (JSON), from the fuzzer's bytes: what
//! parses must write back to JSON that parses to the same value, so a host event the core
//! records (automation, replays) is the event it received.
#![no_main]

use libfuzzer_sys::fuzz_target;
use miniapp_core::runtime::controls::UserAction;
use miniapp_core::HostEvent;

fuzz_target!(init: miniapp_fuzz::crash_only_on_uncaught_panics(), |data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(event) = HostEvent::from_json(text) {
        let again = serde_json::to_string(&event).expect("a host event writes as JSON");
        assert_eq!(HostEvent::from_json(&again).as_ref(), Ok(&event), "{text} → {again}");
        let _ = event.kind();
    }
    if let Ok(action) = UserAction::from_json(text) {
        let again = serde_json::to_string(&action).expect("an action writes as JSON");
        assert_eq!(UserAction::from_json(&again).as_ref(), Ok(&action), "{text} → {again}");
    }
});
