//! Every `wx` API the runtime implements: capability group and calling kind.
//!
//! Adding an API: implement it in `core/js/src/` and add a row here; the framework refuses to
//! expose an implemented API that has no row (so no API escapes the capability check).

use serde::Serialize;

/// How an API is called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// `{success, fail, complete}` or a Promise.
    Async,
    /// Callback-only async API (returns a task or undefined, never a Promise).
    Callback,
    /// Returns a value, throws on failure.
    Sync,
    /// `wx.onX(listener)` / `wx.offX(listener)`.
    Event,
}

/// One API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ApiSpec {
    /// Name on `wx`.
    pub name: &'static str,
    /// Capability group ([`crate::capability`]).
    pub group: &'static str,
    /// Calling kind.
    pub kind: Kind,
}

const fn api(name: &'static str, group: &'static str, kind: Kind) -> ApiSpec {
    ApiSpec { name, group, kind }
}

use Kind::{Async, Event, Sync};

/// The table.
pub const APIS: &[ApiSpec] = &[
    // Routing and page chrome.
    api("navigateTo", "base", Async),
    api("redirectTo", "base", Async),
    api("navigateBack", "base", Async),
    api("switchTab", "base", Async),
    api("reLaunch", "base", Async),
    api("setNavigationBarTitle", "base", Async),
    api("setNavigationBarColor", "base", Async),
    api("showNavigationBarLoading", "base", Async),
    api("hideNavigationBarLoading", "base", Async),
    api("setBackgroundColor", "base", Async),
    api("setBackgroundTextStyle", "base", Async),
    api("setTabBarItem", "base", Async),
    api("setTabBarStyle", "base", Async),
    api("showTabBar", "base", Async),
    api("hideTabBar", "base", Async),
    api("setTabBarBadge", "base", Async),
    api("removeTabBarBadge", "base", Async),
    api("showTabBarRedDot", "base", Async),
    api("hideTabBarRedDot", "base", Async),
    api("startPullDownRefresh", "base", Async),
    api("stopPullDownRefresh", "base", Async),
    api("pageScrollTo", "base", Async),
    // App events and options.
    api("getLaunchOptionsSync", "base", Sync),
    api("getEnterOptionsSync", "base", Sync),
    api("onAppShow", "base", Event),
    api("offAppShow", "base", Event),
    api("onAppHide", "base", Event),
    api("offAppHide", "base", Event),
    api("onError", "base", Event),
    api("offError", "base", Event),
    api("onPageNotFound", "base", Event),
    api("offPageNotFound", "base", Event),
    api("onUnhandledRejection", "base", Event),
    api("offUnhandledRejection", "base", Event),
    // Base utilities and system information.
    api("canIUse", "base", Sync),
    api("nextTick", "base", Sync),
    api("getSystemInfo", "base", Async),
    api("getSystemInfoSync", "base", Sync),
    api("getWindowInfo", "base", Sync),
    api("getDeviceInfo", "base", Sync),
    api("getAppBaseInfo", "base", Sync),
    api("getAccountInfoSync", "base", Sync),
    api("arrayBufferToBase64", "base", Sync),
    api("base64ToArrayBuffer", "base", Sync),
    // Storage.
    api("setStorage", "storage", Async),
    api("setStorageSync", "storage", Sync),
    api("getStorage", "storage", Async),
    api("getStorageSync", "storage", Sync),
    api("removeStorage", "storage", Async),
    api("removeStorageSync", "storage", Sync),
    api("clearStorage", "storage", Async),
    api("clearStorageSync", "storage", Sync),
    api("getStorageInfo", "storage", Async),
    api("getStorageInfoSync", "storage", Sync),
    api("batchSetStorage", "storage", Async),
    api("batchSetStorageSync", "storage", Sync),
    api("batchGetStorage", "storage", Async),
    api("batchGetStorageSync", "storage", Sync),
    // Done by the host app.
    api("showToast", "ui", Async),
    api("hideToast", "ui", Async),
    api("showLoading", "ui", Async),
    api("hideLoading", "ui", Async),
    api("showModal", "ui", Async),
    api("showActionSheet", "ui", Async),
    api("setClipboardData", "clipboard", Async),
    api("getClipboardData", "clipboard", Async),
    api("makePhoneCall", "phone", Async),
    api("scanCode", "scan", Async),
    api("vibrateShort", "device", Async),
    api("vibrateLong", "device", Async),
    api("getNetworkType", "device", Async),
    api("onNetworkStatusChange", "device", Event),
    api("offNetworkStatusChange", "device", Event),
    api("openLocation", "location", Async),
    // Network (the host transfers; the core checks domains, limits and timeouts).
    api("request", "network", Kind::Callback),
    api("downloadFile", "network", Kind::Callback),
    api("uploadFile", "network", Kind::Callback),
    api("connectSocket", "network", Kind::Callback),
    // Consent scopes (base: they only ask and report; the scoped APIs are gated below).
    api("authorize", "base", Async),
    api("getSetting", "base", Async),
    api("openSetting", "base", Async),
    // Location and album (host + declarations + consent).
    api("getLocation", "location", Async),
    api("chooseLocation", "location", Async),
    api("saveImageToPhotosAlbum", "album", Async),
    api("chooseImage", "album", Async),
    api("chooseMedia", "album", Async),
    api("previewImage", "ui", Async),
    // Login and payment hand-offs.
    api("login", "login", Async),
    api("checkSession", "login", Async),
    api("getUserProfile", "login", Async),
    api("requestPayment", "payment", Async),
    // Files (the manager's own methods follow the same conventions).
    api("getFileSystemManager", "file", Sync),
    api("createAnimation", "base", Sync),
    // Layout queries.
    api("createSelectorQuery", "base", Sync),
    // Contexts of host-native components (their methods are host calls).
    api("createVideoContext", "base", Sync),
    api("createMapContext", "base", Sync),
    api("createLivePlayerContext", "base", Sync),
    api("createCameraContext", "camera", Sync),
    api("createCanvasContext", "base", Sync),
    api("canvasToTempFilePath", "base", Async),
];

/// The table as JSON for the framework: `{ name: {group, kind} }`.
pub fn to_json() -> serde_json::Value {
    serde_json::Value::Object(
        APIS.iter()
            .map(|a| (a.name.to_string(), serde_json::json!({ "group": a.group, "kind": a.kind })))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capability::{BASE_GROUP, KNOWN_GROUPS};

    #[test]
    fn names_are_unique_and_groups_known() {
        let mut seen = std::collections::HashSet::new();
        for a in APIS {
            assert!(seen.insert(a.name), "{} listed twice", a.name);
            assert!(
                a.group == BASE_GROUP || KNOWN_GROUPS.contains(&a.group),
                "{}: unknown group {}",
                a.name,
                a.group
            );
            assert_eq!(
                a.kind == Kind::Sync,
                a.name.ends_with("Sync") || SYNC_WITHOUT_SUFFIX.contains(&a.name),
                "{}",
                a.name
            );
        }
    }

    /// WeChat's synchronous APIs whose names do not end in `Sync`.
    const SYNC_WITHOUT_SUFFIX: &[&str] = &[
        "canIUse",
        "nextTick",
        "getWindowInfo",
        "getDeviceInfo",
        "getAppBaseInfo",
        "arrayBufferToBase64",
        "base64ToArrayBuffer",
        "getFileSystemManager",
        "createAnimation",
        "createSelectorQuery",
        "createVideoContext",
        "createMapContext",
        "createLivePlayerContext",
        "createCameraContext",
        "createCanvasContext",
    ];
}
