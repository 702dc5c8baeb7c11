//! Generated mini programs and shared set-ups for the benches (criterion in `benches/`, the
//! instruction counts of `benches/callgrind.sh` through the `miniapp-ir` binary).

use std::path::Path;

use miniapp_core::capability::Policy;
use miniapp_core::package::Package;
use miniapp_core::{AppInstance, InstanceConfig};

/// The list sizes the growth benches use.
pub const LIST_SIZES: [usize; 3] = [100, 1000, 5000];

/// The campus example's folder.
pub fn campus_dir() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/campus"))
}

/// What the campus example needs from its host (virtual clock, headless measurer).
pub fn config() -> InstanceConfig {
    InstanceConfig { policy: Policy::headless_default(), ..InstanceConfig::default() }
}

/// `pkg` opened and launched, its first frames taken.
pub fn launched(pkg: Package) -> AppInstance {
    launched_with(pkg, config())
}

/// [`launched`] with `config`.
pub fn launched_with(pkg: Package, config: InstanceConfig) -> AppInstance {
    let mut app = AppInstance::open(pkg, config).expect("open");
    app.launch(None, 1001).expect("launch");
    app.take_frames();
    app
}

/// A one-page app whose page renders `rows` rows with `wx:for` (keyed), plus two buttons:
/// `#bump` increments a counter, `#set-row` changes the text of row `rows / 2` (a number that
/// keeps its width), `#retitle-row` makes that row's title one character longer.
pub fn list_app(rows: usize) -> Package {
    let wxml = r#"<view class="list">
  <view wx:for="{{rows}}" wx:key="id" class="row" data-id="{{item.id}}" bindtap="onRow">
    <text class="title">{{item.title}}</text>
    <text class="n">{{item.n}}</text>
  </view>
</view>
<view id="bump" bindtap="bump">{{count}}</view>
<view id="set-row" bindtap="setRow">set row</view>
<view id="retitle-row" bindtap="retitleRow">retitle row</view>"#;
    let js = format!(
        r#"Page({{
  data: {{ rows: [], count: 0 }},
  onLoad() {{
    const rows = []
    for (let i = 0; i < {rows}; i++) rows.push({{ id: i, title: 'Row ' + i, n: i }})
    this.setData({{ rows }})
  }},
  onRow(e) {{ this.setData({{ selected: e.currentTarget.dataset.id }}) }},
  bump() {{ this.setData({{ count: this.data.count + 1 }}) }},
  setRow() {{
    const i = {half}
    this.setData({{ ['rows[' + i + '].n']: this.data.rows[i].n + 1 }})
  }},
  retitleRow() {{
    const i = {half}
    this.setData({{ ['rows[' + i + '].title']: this.data.rows[i].title + '+' }})
  }},
}})"#,
        half = rows / 2
    );
    Package::from_sources([
        ("app.json".to_string(), r#"{"pages":["pages/list/list"]}"#.to_string()),
        ("app.js".to_string(), "App({})".to_string()),
        ("pages/list/list.wxml".to_string(), wxml.to_string()),
        ("pages/list/list.js".to_string(), js),
    ])
}
