//! Keyed lists updated item by item (core/src/compile/list_items.rs) render exactly what
//! glass-easel's own list diff renders. Each case runs one page through a series of `setData`
//! calls twice: as is, and in an app that also defines a component with `dynamicSlots` (which
//! turns the item-by-item path off, so every list goes through glass-easel's diff); the trees
//! and console output after every step must be the same, and the values the steps set must be
//! on the page.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use miniapp_core::package::Package;
use miniapp_core::{AppInstance, InstanceConfig};

const PAGE_WXML: &str = r#"<view id="rows">
  <view wx:for="{{rows}}" wx:key="id" class="row" data-id="{{item.id}}">{{item.title}}:{{item.n}}</view>
</view>
<view id="groups">
  <view wx:for="{{groups}}" wx:key="id">
    <text wx:for="{{item.items}}" wx:for-item="x" wx:key="id">{{x.n}},</text>
  </view>
</view>
<view id="dups"><text wx:for="{{dups}}" wx:key="k">{{item.v}}</text></view>
<view id="plain"><text wx:for="{{plain}}">{{item.v}}</text></view>
<view id="tags"><text wx:for="{{tags}}" wx:key="*this">{{item}}</text></view>
<view id="map"><text wx:for="{{map}}" wx:key="id">{{item.n}}</text></view>
<view id="page-data"><text wx:for="{{rows}}" wx:key="id">{{item.n}}/{{count}}</text></view>
<include src="/parts/inc.wxml"/>
<include src="/parts/inc.wxml"/>
<import src="/parts/tpl.wxml"/>
<template is="list" data="{{rows}}"/>
<view id="cards"><card wx:for="{{cards}}" wx:key="id" n="{{item.n}}"><text>{{item.label}}</text></card></view>
<view id="count">{{count}}</view>
<view wx:for="{{steps}}" wx:key="*this" id="s{{index}}" bindtap="step">{{item}}</view>"#;

const INC_WXML: &str =
    r#"<view class="inc"><text wx:for="{{inc}}" wx:key="id">{{item.n}}</text></view>"#;
const TPL_WXML: &str = r#"<template name="list"><view class="tpl"><text wx:for="{{rows}}" wx:key="id">{{item.n}}</text></view></template>"#;

/// The steps, in order: each `setData` (or direct change of `this.data`) the page makes when
/// `#s<i>` is tapped.
const STEPS: &[&str] = &[
    // one field of one item
    "this.setData({ 'rows[2].n': 20 })",
    // several items, and page data at once
    "this.setData({ 'rows[0].n': 100, 'rows[4].title': 'four', count: 1 })",
    // only page data: every list is left as it is (but the one reading `count`)
    "this.setData({ count: 2 })",
    // a path past the end appends an item
    "this.setData({ 'rows[5].n': 5, 'rows[5].id': 'r5', 'rows[5].title': 'five' })",
    // a key changes: glass-easel re-keys the list
    "this.setData({ 'rows[1].id': 'moved' })",
    // the array changed in place, then an unrelated setData: the template's data is a copy, so
    // the new item is not rendered (as on WeChat)
    "this.data.rows.push({ id: 'r6', title: 'six', n: 6 }); this.setData({ count: 3 })",
    // repeated keys: glass-easel warns on each of its diffs
    "this.setData({ 'dups[1].v': 'B' })",
    // nested lists: an item of an inner list
    "this.setData({ 'groups[1].items[0].n': 10 })",
    // lists without a key, keyed by themselves, over an object
    "this.setData({ 'plain[1].v': 'P', 'tags[1]': 'z', 'map.b.n': 9 })",
    // the same list included twice, and one in a template
    "this.setData({ 'inc[1].n': 11, 'rows[3].n': 33 })",
    // items that are components: a property and slot content
    "this.setData({ 'cards[1].n': 7, 'cards[0].label': 'first' })",
    // a new array
    "this.setData({ rows: [{ id: 'a', title: 'A', n: 1 }, { id: 'b', title: 'B', n: 2 }] })",
    // a splice through a path update of the new array
    "this.setData({ 'rows[1].n': 22 })",
];

fn page_js() -> String {
    let cases: Vec<String> =
        STEPS.iter().enumerate().map(|(i, s)| format!("      case {i}: {s}; break")).collect();
    format!(
        r#"Page({{
  data: {{
    count: 0,
    steps: {steps},
    rows: [0, 1, 2, 3, 4].map((i) => ({{ id: 'r' + i, title: 'row' + i, n: i }})),
    groups: [{{ id: 'g0', items: [{{ id: 'a', n: 1 }}] }}, {{ id: 'g1', items: [{{ id: 'a', n: 2 }}, {{ id: 'b', n: 3 }}] }}],
    dups: [{{ k: 'x', v: 'a' }}, {{ k: 'x', v: 'b' }}],
    plain: [{{ v: 'p0' }}, {{ v: 'p1' }}],
    tags: ['x', 'y'],
    map: {{ a: {{ id: 'a', n: 1 }}, b: {{ id: 'b', n: 2 }} }},
    inc: [{{ id: 'i0', n: 0 }}, {{ id: 'i1', n: 1 }}],
    cards: [{{ id: 'c0', n: 0, label: 'zero' }}, {{ id: 'c1', n: 1, label: 'one' }}],
  }},
  step(e) {{
    switch (Number(e.currentTarget.id.slice(1))) {{
{cases}
    }}
  }},
}})"#,
        steps =
            serde_json::to_string(&(0..STEPS.len()).map(|i| format!("s{i}")).collect::<Vec<_>>())
                .unwrap(),
        cases = cases.join("\n"),
    )
}

/// The dump after launch and after each step, and the console output, with `dynamic_slots`
/// set on the app's one component or not.
fn run(dynamic_slots: bool) -> (Vec<String>, Vec<String>) {
    let component_js = if dynamic_slots {
        "Component({ options: { dynamicSlots: true } })"
    } else {
        "Component({})"
    };
    let js = page_js();
    let pkg = Package::from_sources([
        ("app.json", r#"{"pages":["pages/list/list"]}"#),
        ("app.js", "App({})"),
        (
            "pages/list/list.json",
            r#"{"usingComponents":{"slotted":"/comps/slotted","card":"/comps/card"}}"#,
        ),
        ("pages/list/list.wxml", PAGE_WXML),
        ("pages/list/list.js", &js),
        ("parts/inc.wxml", INC_WXML),
        ("parts/tpl.wxml", TPL_WXML),
        ("comps/slotted.json", r#"{"component":true}"#),
        ("comps/slotted.wxml", "<slot/>"),
        ("comps/slotted.js", component_js),
        ("comps/card.json", r#"{"component":true}"#),
        ("comps/card.wxml", "<view class=\"card\">n={{n}} <slot/></view>"),
        ("comps/card.js", "Component({ properties: { n: Number } })"),
    ]);
    let mut app = AppInstance::open(pkg, InstanceConfig::default()).expect("opens");
    app.launch(None, 1001).expect("launches");
    let mut dumps = vec![app.dump_text().unwrap()];
    for i in 0..STEPS.len() {
        let node = app.select(&format!("#s{i}")).unwrap();
        app.tap(node).unwrap();
        dumps.push(app.dump_text().unwrap());
    }
    assert!(app.errors().is_empty(), "{:?}", app.errors());
    let logs = app.logs().into_iter().map(|l| format!("{:?} {}", l.level, l.text)).collect();
    (dumps, logs)
}

#[test]
fn item_by_item_updates_render_what_the_list_diff_renders() {
    let (fast, fast_logs) = run(false);
    let (diffed, diffed_logs) = run(true);
    for (i, (a, b)) in fast.iter().zip(&diffed).enumerate() {
        assert_eq!(a, b, "after step {i} ({})", i.checked_sub(1).map_or("launch", |s| STEPS[s]));
    }
    assert_eq!(fast_logs, diffed_logs);
    // the steps reached the page
    let after = |step: usize| &fast[step + 1];
    assert!(after(0).contains("row2:20"), "{}", after(0));
    assert!(after(1).contains("row0:100") && after(1).contains("four:4"), "{}", after(1));
    assert!(after(3).contains("five:5"), "{}", after(3));
    assert!(!after(5).contains("six"), "{}", after(5));
    assert!(after(7).contains("10,"), "{}", after(7));
    assert!(after(9).contains("\"11\"") && after(9).contains("row3:33"), "{}", after(9));
    assert!(after(10).contains("n=7") && after(10).contains("first"), "{}", after(10));
    assert!(after(12).contains("B:22") && !after(12).contains("row0"), "{}", after(12));
    assert!(fast_logs.iter().any(|l| l.contains("Some keys are not unique")), "{fast_logs:?}");
}
