//! Built-in components: the public properties each documented component (`input`, `switch`,
//! `swiper`, …) has and the value each takes when the template does not set it.
//!
//! A property's current value is the node's attribute when the template (or the user, through
//! a form field) set one, converted to the default's type (`"true"` → `true`, `"12"` → `12`,
//! and, as in WeChat, `"false"` → `true`: only `{{false}}` or an empty value is false), and
//! the default otherwise. Used for reading element properties (automator `property()`/`value()`).
//! Plain data; any thread.

pub mod picker;
pub mod rich_text;
pub mod text;

use serde_json::Value;

/// WXML's own tags (template language, not components).
pub const TEMPLATE_TAGS: &[&str] = &["block", "template", "import", "include", "wxs", "slot"];

/// Components only WeChat's client can show (ads, official accounts, WeChat's own data, shop
/// and channels widgets): they render empty (`display: none` in the user-agent sheet) with one
/// warning, as they would in any other host.
pub const WECHAT_ONLY_TAGS: &[&str] = &[
    "ad",
    "ad-custom",
    "official-account",
    "open-data",
    "voip-room",
    "store-product",
    "store-home",
    "store-coupon",
    "channel-live",
    "channel-video",
    "functional-page-navigator",
    "live-pusher",
    "xr-frame",
];

/// One public property: its name as written in WXML and its default as JSON text.
pub type Property = (&'static str, &'static str);

const VIEW: &[Property] = &[
    ("hover-class", "\"none\""),
    ("hover-stop-propagation", "false"),
    ("hover-start-time", "50"),
    ("hover-stay-time", "400"),
];
const COVER_VIEW: &[Property] = &[
    ("hover-class", "\"none\""),
    ("hover-stop-propagation", "false"),
    ("hover-start-time", "50"),
    ("hover-stay-time", "400"),
    ("scroll-top", "0"),
    ("marker-id", "\"\""),
    ("slot", "\"\""),
];
const TEXT: &[Property] =
    &[("selectable", "false"), ("user-select", "false"), ("space", "\"\""), ("decode", "false")];
const INPUT: &[Property] = &[
    ("value", "\"\""),
    ("type", "\"text\""),
    ("password", "false"),
    ("placeholder", "\"\""),
    ("placeholder-style", "\"\""),
    ("placeholder-class", "\"input-placeholder\""),
    ("disabled", "false"),
    ("maxlength", "140"),
    ("cursor-spacing", "0"),
    ("focus", "false"),
    ("confirm-type", "\"done\""),
    ("confirm-hold", "false"),
    ("cursor", "-1"),
    ("selection-start", "-1"),
    ("selection-end", "-1"),
    ("adjust-position", "true"),
    ("hold-keyboard", "false"),
    ("name", "\"\""),
];
const TEXTAREA: &[Property] = &[
    ("value", "\"\""),
    ("placeholder", "\"\""),
    ("placeholder-style", "\"\""),
    ("placeholder-class", "\"textarea-placeholder\""),
    ("disabled", "false"),
    ("maxlength", "140"),
    ("focus", "false"),
    ("auto-height", "false"),
    ("fixed", "false"),
    ("cursor-spacing", "0"),
    ("cursor", "-1"),
    ("show-confirm-bar", "true"),
    ("selection-start", "-1"),
    ("selection-end", "-1"),
    ("adjust-position", "true"),
    ("hold-keyboard", "false"),
    ("disable-default-padding", "false"),
    ("confirm-type", "\"return\""),
    ("confirm-hold", "false"),
    ("name", "\"\""),
];
const SWITCH: &[Property] = &[
    ("checked", "false"),
    ("disabled", "false"),
    ("type", "\"switch\""),
    ("color", "\"#04BE02\""),
    ("name", "\"\""),
];
const SLIDER: &[Property] = &[
    ("min", "0"),
    ("max", "100"),
    ("step", "1"),
    ("disabled", "false"),
    ("value", "0"),
    ("activeColor", "\"#1aad19\""),
    ("backgroundColor", "\"#e9e9e9\""),
    ("block-size", "28"),
    ("block-color", "\"#ffffff\""),
    ("show-value", "false"),
    ("name", "\"\""),
];
const CHECKBOX: &[Property] =
    &[("value", "\"\""), ("disabled", "false"), ("checked", "false"), ("color", "\"#09BB07\"")];
const PICKER: &[Property] = &[
    ("mode", "\"selector\""),
    ("disabled", "false"),
    ("range", "[]"),
    ("range-key", "\"\""),
    // any type: an index, indices, "HH:mm", "YYYY-MM-DD" or a region, by mode
    ("value", "null"),
    ("start", "\"\""),
    ("end", "\"\""),
    ("fields", "\"day\""),
    ("name", "\"\""),
];
const SWIPER: &[Property] = &[
    ("indicator-dots", "false"),
    ("indicator-color", "\"rgba(0, 0, 0, .3)\""),
    ("indicator-active-color", "\"#000000\""),
    ("autoplay", "false"),
    ("current", "0"),
    ("current-item-id", "\"\""),
    ("interval", "5000"),
    ("duration", "500"),
    ("circular", "false"),
    ("vertical", "false"),
    ("previous-margin", "\"0px\""),
    ("next-margin", "\"0px\""),
    ("display-multiple-items", "1"),
    ("easing-function", "\"default\""),
];
const SCROLL_VIEW: &[Property] = &[
    ("scroll-x", "false"),
    ("scroll-y", "false"),
    ("upper-threshold", "50"),
    ("lower-threshold", "50"),
    ("scroll-top", "0"),
    ("scroll-left", "0"),
    ("scroll-into-view", "\"\""),
    ("scroll-with-animation", "false"),
    ("enable-back-to-top", "false"),
    ("enable-flex", "false"),
    ("enhanced", "false"),
    ("paging-enabled", "false"),
    ("show-scrollbar", "true"),
    ("refresher-enabled", "false"),
    ("refresher-threshold", "45"),
    ("refresher-default-style", "\"black\""),
    ("refresher-background", "\"#FFF\""),
    ("refresher-triggered", "false"),
];
const BUTTON: &[Property] = &[
    ("size", "\"default\""),
    ("type", "\"default\""),
    ("plain", "false"),
    ("disabled", "false"),
    ("loading", "false"),
    ("form-type", "\"\""),
    ("open-type", "\"\""),
    ("hover-class", "\"button-hover\""),
    ("hover-stop-propagation", "false"),
    ("hover-start-time", "20"),
    ("hover-stay-time", "70"),
    ("lang", "\"en\""),
    ("session-from", "\"\""),
    ("send-message-title", "\"\""),
    ("send-message-path", "\"\""),
    ("send-message-img", "\"\""),
    ("app-parameter", "\"\""),
    ("show-message-card", "false"),
    ("phone-number-no-quota-toast", "true"),
];
const IMAGE: &[Property] = &[
    ("src", "\"\""),
    ("mode", "\"scaleToFill\""),
    ("lazy-load", "false"),
    ("show-menu-by-longpress", "false"),
];
const NAVIGATOR: &[Property] = &[
    ("url", "\"\""),
    ("open-type", "\"navigate\""),
    ("delta", "1"),
    ("hover-class", "\"navigator-hover\""),
    ("target", "\"self\""),
];
const MOVABLE_VIEW: &[Property] = &[
    ("direction", "\"none\""),
    ("inertia", "false"),
    ("out-of-bounds", "false"),
    ("x", "0"),
    ("y", "0"),
    ("damping", "20"),
    ("friction", "2"),
    ("disabled", "false"),
    ("scale", "false"),
];
const PROGRESS: &[Property] = &[
    ("percent", "0"),
    ("show-info", "false"),
    ("border-radius", "0"),
    ("font-size", "16"),
    ("stroke-width", "6"),
    ("activeColor", "\"#09BB07\""),
    ("backgroundColor", "\"#EBEBEB\""),
    ("active", "false"),
    ("active-mode", "\"backwards\""),
    ("duration", "30"),
];
const ICON: &[Property] = &[("type", "\"\""), ("size", "23"), ("color", "\"\"")];
const RICH_TEXT: &[Property] = &[("nodes", "[]"), ("space", "\"\"")];
const FORM: &[Property] = &[("report-submit", "false")];
const LABEL: &[Property] = &[("for", "\"\"")];
const PICKER_VIEW: &[Property] = &[("value", "[]"), ("indicator-style", "\"\"")];
const VIDEO: &[Property] = &[
    ("src", "\"\""),
    ("autoplay", "false"),
    ("loop", "false"),
    ("muted", "false"),
    ("controls", "true"),
    ("poster", "\"\""),
];

const PAGE_CONTAINER: &[Property] = &[
    ("show", "false"),
    ("duration", "300"),
    ("z-index", "100"),
    ("overlay", "true"),
    ("position", "\"bottom\""),
    ("round", "false"),
    ("close-on-slide-down", "false"),
    ("overlay-style", "\"\""),
    ("custom-style", "\"\""),
];

const EDITOR: &[Property] = &[
    ("read-only", "false"),
    ("placeholder", "\"\""),
    ("show-img-size", "false"),
    ("show-img-toolbar", "false"),
    ("show-img-resize", "false"),
];

/// Declarations a built-in's attributes imply, placed before its own `style` attribute (which
/// therefore wins): `<icon size="30">` is a 30px square, 23px without `size` (a number is px;
/// a string may carry a unit, `40rpx`).
pub fn attribute_style(
    tag: &str,
    attrs: &std::collections::BTreeMap<String, Value>,
) -> Option<String> {
    if tag != "icon" {
        return None;
    }
    let size = match attrs.get("size") {
        Some(Value::Number(n)) => format!("{n}px"),
        Some(Value::String(s)) => {
            let s = s.trim();
            if s.parse::<f64>().is_ok() {
                format!("{s}px")
            } else if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '.') {
                s.to_string()
            } else {
                "23px".to_string()
            }
        }
        _ => "23px".to_string(),
    };
    Some(format!("width: {size}; height: {size}; "))
}

/// One built-in component: what the core's layers need to know about it, in one line of
/// [`BUILTINS`] (its behaviour lives in `runtime`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Builtin {
    /// The WXML tag.
    pub tag: &'static str,
    /// Its public properties with their defaults (`None`: none this runtime reads).
    pub properties: Option<&'static [Property]>,
    /// The runtime acts on its attribute changes and its mounting after a task (scrolling a
    /// scroll-view, a swiper's autoplay, rich text, an editor's `ready`): `view::tree` reports
    /// them.
    pub behaviour: bool,
    /// Text dumps start it on its own line (a block of text, not a control or inline run).
    pub block: bool,
    /// Its default look: the user-agent sheet's rules for this tag (see [`user_agent_sheet`]).
    /// CSS's initial `display` is `inline`, so every other display is written here.
    pub style: &'static str,
}

impl Builtin {
    const fn new(tag: &'static str, properties: Option<&'static [Property]>) -> Builtin {
        Builtin { tag, properties, behaviour: false, block: false, style: "" }
    }
    const fn style(self, style: &'static str) -> Builtin {
        Builtin { style, ..self }
    }
    const fn behaviour(self) -> Builtin {
        Builtin { behaviour: true, ..self }
    }
    const fn block(self) -> Builtin {
        Builtin { block: true, ..self }
    }
}

/// The built-in components this runtime implements (also what `wx.canIUse` answers for),
/// sorted by tag. Adding one: a line here (its properties above, its default look), its
/// behaviour in `runtime`.
pub const BUILTINS: &[Builtin] = &[
    Builtin::new("button", Some(BUTTON)).style(
        "button { display: block; position: relative; padding-left: 14px; padding-right: 14px;
  font-size: 18px; text-align: center; line-height: 2.55555556; border-radius: 5px;
  overflow: hidden; margin-left: auto; margin-right: auto; }
button[size=mini] { display: inline-block; line-height: 2.3; font-size: 13px;
  padding: 0 1.34em; }
button { background-color: #f8f8f8; color: #000000; }
button[type=primary] { background-color: #1aad19; color: #ffffff; }
button[type=warn] { background-color: #e64340; color: #ffffff; }
button[disabled] { background-color: #f7f7f7; color: rgba(0, 0, 0, 0.3); }
button[type=primary][disabled] { background-color: #9ed99d; color: rgba(255, 255, 255, 0.6); }
button[type=warn][disabled] { background-color: #ec8b89; color: rgba(255, 255, 255, 0.6); }
button[plain] { background-color: transparent; color: #353535; border: 1px solid #353535; }
button[type=primary][plain] { color: #1aad19; border-color: #1aad19; }
button[type=warn][plain] { color: #e64340; border-color: #e64340; }
button[plain][disabled] { color: rgba(0, 0, 0, 0.2); border-color: rgba(0, 0, 0, 0.2); }",
    ),
    Builtin::new("camera", None).style(BLOCK),
    Builtin::new("canvas", None).style(BLOCK),
    Builtin::new("checkbox", Some(CHECKBOX))
        .style("checkbox { display: inline-block; width: 24px; height: 24px; margin-right: 5px; }"),
    Builtin::new("checkbox-group", Some(&[])),
    Builtin::new("cover-image", None).style(INLINE_BLOCK),
    Builtin::new("cover-view", Some(COVER_VIEW)).behaviour().block().style(BLOCK),
    Builtin::new("editor", Some(EDITOR))
        .behaviour()
        .style("editor { display: block; min-height: 200px; }"),
    Builtin::new("form", Some(FORM)).block().style(BLOCK),
    Builtin::new("icon", Some(ICON)).style(INLINE_BLOCK),
    Builtin::new("image", Some(IMAGE))
        .style("image { display: inline-block; width: 320px; height: 240px; overflow: hidden; }"),
    Builtin::new("input", Some(INPUT)).style(
        "input { display: block; height: 1.4rem; min-height: 1.4rem; text-overflow: clip;
  overflow: hidden; }",
    ),
    Builtin::new("label", Some(LABEL)),
    Builtin::new("live-player", None).style(BLOCK),
    Builtin::new("map", None).style(BLOCK),
    Builtin::new("movable-area", Some(VIEW)).block().style(BLOCK),
    Builtin::new("movable-view", Some(MOVABLE_VIEW)).style(INLINE_BLOCK),
    Builtin::new("navigator", Some(NAVIGATOR)).style(BLOCK),
    Builtin::new("page-container", Some(PAGE_CONTAINER)).behaviour().style(BLOCK),
    Builtin::new("picker", Some(PICKER)).style(INLINE_BLOCK),
    Builtin::new("picker-view", Some(PICKER_VIEW))
        .block()
        .style("picker-view { display: block; height: 200px; }"),
    Builtin::new("picker-view-column", None).style(BLOCK),
    Builtin::new("progress", Some(PROGRESS))
        .behaviour()
        .style("progress { display: flex; align-items: center; min-height: 6px; }"),
    Builtin::new("radio", Some(CHECKBOX))
        .style("radio { display: inline-block; width: 24px; height: 24px; margin-right: 5px; }"),
    Builtin::new("radio-group", Some(&[])),
    Builtin::new("rich-text", Some(RICH_TEXT)).behaviour().style(BLOCK),
    Builtin::new("scroll-view", Some(SCROLL_VIEW))
        .behaviour()
        .block()
        .style("scroll-view { display: block; overflow: hidden; position: relative; }"),
    Builtin::new("slider", Some(SLIDER))
        .style("slider { display: block; margin: 10px 18px; height: 28px; }"),
    Builtin::new("swiper", Some(SWIPER))
        .behaviour()
        .block()
        .style("swiper { display: block; overflow: hidden; position: relative; height: 150px; }"),
    Builtin::new("swiper-item", Some(VIEW)).block().style(
        "swiper-item { display: block; position: absolute; left: 0; top: 0; width: 100%;
  height: 100%; overflow: hidden; }",
    ),
    Builtin::new("switch", Some(SWITCH))
        .style("switch { display: inline-block; width: 52px; height: 32px; }"),
    Builtin::new("text", Some(TEXT)),
    Builtin::new("textarea", Some(TEXTAREA))
        .style("textarea { display: block; width: 300px; height: 150px; }"),
    Builtin::new("video", Some(VIDEO)).style(BLOCK),
    Builtin::new("view", Some(VIEW)).block().style(BLOCK),
    Builtin::new("web-view", None).style(BLOCK),
];

/// The style of a built-in that is only a block (`.style(BLOCK)`).
const BLOCK: &str = "{tag} { display: block; }";
/// The style of a built-in that is only an inline block.
const INLINE_BLOCK: &str = "{tag} { display: inline-block; }";

/// The user-agent sheet: the page's defaults, each built-in's [`Builtin::style`] in registry
/// order, then `hidden` and the WeChat-only components, which render empty. Merged before
/// all author rules (`style::cascade`). Built once per process: every layout engine reads it.
pub fn user_agent_sheet() -> &'static str {
    static SHEET: std::sync::LazyLock<String> = std::sync::LazyLock::new(build_user_agent_sheet);
    &SHEET
}

fn build_user_agent_sheet() -> String {
    let mut sheet = String::from(
        "page { display: block; font-size: 16px; line-height: 1.2; color: #000000; }\n\
         match-media, root-portal { display: block; }\n",
    );
    for b in BUILTINS.iter().filter(|b| !b.style.is_empty()) {
        sheet.push_str(&b.style.replace("{tag}", b.tag));
        sheet.push('\n');
    }
    sheet.push_str("[hidden] { display: none; }\n");
    sheet.push_str(&WECHAT_ONLY_TAGS.join(", "));
    sheet.push_str(" { display: none; }\n");
    sheet
}

/// The built-in component `tag`, if it is one.
pub fn get(tag: &str) -> Option<&'static Builtin> {
    BUILTINS.binary_search_by(|b| b.tag.cmp(tag)).ok().map(|i| &BUILTINS[i])
}

/// The public properties of a built-in component, `None` for other tags.
pub fn properties(tag: &str) -> Option<&'static [Property]> {
    get(tag)?.properties
}

/// The current value of property `name` (kebab or camel case) of a `tag` element whose
/// attribute by that name is `attr`; `None` when the component has no such property.
pub fn property_value(tag: &str, name: &str, attr: Option<&Value>) -> Option<Value> {
    let list = properties(tag)?;
    let key = crate::names::kebab_case(name);
    let (_, default) = list.iter().find(|(n, _)| *n == key || *n == name)?;
    let default: Value = serde_json::from_str(default).unwrap_or(Value::Null);
    Some(match attr {
        None | Some(Value::Null) => default,
        Some(v) => convert(v, &default),
    })
}

/// The value property `name` of a `tag` element takes when its attribute is unset. `mode` is
/// the element's `mode` attribute: a picker's `value` starts from what its mode expects.
pub fn default_value(tag: &str, name: &str, mode: Option<&Value>) -> Option<Value> {
    if tag == "picker" && name == "value" {
        return Some(picker::default_value(mode.and_then(Value::as_str).unwrap_or("")));
    }
    property_value(tag, name, None)
}

/// Whether a Boolean property's attribute is set: WeChat's conversion (`"false"` is a
/// non-empty string, so true; unset, `null`, `""`, `false` and `0` are false).
pub fn attribute_truthy(attr: Option<&Value>) -> bool {
    match attr {
        None | Some(Value::Null) => false,
        Some(v) => convert(v, &Value::Bool(false)).as_bool().unwrap_or(true),
    }
}

/// Converts an attribute to the type of the property's default, as the component's property
/// definition would.
fn convert(v: &Value, default: &Value) -> Value {
    match (default, v) {
        // WXML `disabled="false"` is the non-empty string "false": truthy, as in WeChat.
        (Value::Bool(_), Value::String(s)) => Value::Bool(!s.is_empty()),
        (Value::Bool(_), Value::Number(n)) => Value::Bool(n.as_f64() != Some(0.0)),
        (Value::Number(_), Value::String(s)) => match s.trim().parse::<f64>() {
            Ok(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Value::from(f as i64),
            Ok(f) => serde_json::Number::from_f64(f).map_or_else(|| default.clone(), Value::Number),
            Err(_) => default.clone(),
        },
        (Value::String(_), Value::Number(n)) => Value::String(n.to_string()),
        (Value::String(_), Value::Bool(b)) => Value::String(b.to_string()),
        _ => v.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registry_is_sorted_and_found_by_tag() {
        assert!(BUILTINS.windows(2).all(|w| w[0].tag < w[1].tag), "BUILTINS must stay sorted");
        for b in BUILTINS {
            assert_eq!(get(b.tag), Some(b));
        }
        assert_eq!(get("my-card"), None);
        assert_eq!(properties("radio"), properties("checkbox"));
        assert!(get("swiper").is_some_and(|b| b.behaviour && b.block));
    }
    use serde_json::json;

    #[test]
    fn each_built_in_styles_only_its_own_tag() {
        for b in BUILTINS {
            let style = b.style.replace("{tag}", b.tag);
            for rule in style.split('}').filter(|r| !r.trim().is_empty()) {
                let selector = rule.split('{').next().unwrap_or_default().trim();
                let own = selector.strip_prefix(b.tag).is_some_and(|rest| {
                    !rest.starts_with(|c: char| c.is_alphanumeric() || c == '-')
                });
                assert!(own, "{}'s style has a rule for `{selector}`", b.tag);
            }
        }
        let sheet = user_agent_sheet();
        assert!(sheet.contains("swiper-item { display: block; position: absolute;"));
        assert!(sheet.contains("ad, ad-custom, official-account"));
        assert!(!sheet.contains("{tag}"));
    }

    #[test]
    fn attribute_truthiness_follows_wechat() {
        assert!(!attribute_truthy(None));
        assert!(!attribute_truthy(Some(&json!(null))));
        assert!(!attribute_truthy(Some(&json!(""))));
        assert!(!attribute_truthy(Some(&json!(false))));
        assert!(!attribute_truthy(Some(&json!(0))));
        assert!(attribute_truthy(Some(&json!("false"))));
        assert!(attribute_truthy(Some(&json!(true))));
        assert!(attribute_truthy(Some(&json!({}))));
    }

    #[test]
    fn values_default_and_convert_to_the_property_type() {
        assert_eq!(property_value("input", "value", None), Some(json!("")));
        assert_eq!(property_value("input", "value", Some(&json!("abc"))), Some(json!("abc")));
        assert_eq!(property_value("input", "maxlength", Some(&json!("12"))), Some(json!(12)));
        assert_eq!(property_value("input", "placeholderStyle", None), Some(json!("")));
        assert_eq!(property_value("switch", "checked", Some(&json!("true"))), Some(json!(true)));
        assert_eq!(property_value("switch", "checked", Some(&json!(""))), Some(json!(false)));
        assert_eq!(property_value("switch", "checked", Some(&json!("false"))), Some(json!(true)));
        assert_eq!(property_value("switch", "checked", Some(&json!(false))), Some(json!(false)));
        assert_eq!(property_value("slider", "value", Some(&json!("2.5"))), Some(json!(2.5)));
        assert_eq!(property_value("input", "nope", None), None);
        assert_eq!(property_value("my-comp", "value", None), None);
    }
}
