//! The layout-relevant part of a computed style, converted once per restyle into the
//! values float-pigment-layout reads ([`LayoutProps`]).
//!
//! Viewport units (`rpx`, `vw`, `vh`, `rem`) become px here; `%` stays relative;
//! `calc()` is resolved by the layout against the right base. Borders with style `none`
//! count as zero width (CSS's initial width is 3px). `position: sticky` lays out as
//! `relative` (float-pigment would take it out of flow). Grid containers pass their track
//! lists (`grid-template-*`, `grid-auto-*`, `grid-auto-flow`, `justify-items`/`-self`; items
//! are placed automatically: float-pigment has no `grid-row`/`grid-column`). Plain data.

use float_pigment_css::property::NodeProperties;
use float_pigment_css::typing::{
    AlignContent, AlignItems, AlignSelf, AspectRatio, BorderStyle, BoxSizing, Direction, Display,
    FlexDirection, FlexWrap, Gap, GridAuto, GridAutoFlow, GridTemplate, JustifyContent,
    JustifyItems, JustifySelf, Length, Position, TextAlign, TrackListItem, TrackSize, WritingMode,
};
use float_pigment_css::MediaQueryStatus;
use float_pigment_layout::{
    DefLength, LayoutGridAuto, LayoutGridTemplate, LayoutStyle, LayoutTrackListItem,
    LayoutTrackSize,
};

use crate::style::visual::number;

/// A `calc()` length with the viewport it was declared under.
#[derive(Debug, Clone, PartialEq)]
pub struct CalcLength {
    /// The expression.
    pub expr: Length,
    /// Viewport width (for `vw`, `rpx`).
    pub vw: f32,
    /// Viewport height.
    pub vh: f32,
}

/// A length as float-pigment-layout takes it.
pub type Len = DefLength<f32, CalcLength>;

/// A grid container's track lists as float-pigment-layout takes them.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct GridProps {
    pub template_rows: LayoutGridTemplate<f32, CalcLength>,
    pub template_columns: LayoutGridTemplate<f32, CalcLength>,
    pub auto_flow: GridAutoFlow,
    pub auto_rows: LayoutGridAuto<f32, CalcLength>,
    pub auto_columns: LayoutGridAuto<f32, CalcLength>,
    pub justify_items: JustifyItems,
}

/// Layout inputs of one node.
#[derive(Debug, Clone, PartialEq)]
#[allow(missing_docs)]
pub struct LayoutProps {
    pub display: Display,
    pub position: Position,
    pub direction: Direction,
    pub writing_mode: WritingMode,
    pub flex_direction: FlexDirection,
    pub flex_wrap: FlexWrap,
    pub align_items: AlignItems,
    pub align_self: AlignSelf,
    pub align_content: AlignContent,
    pub justify_content: JustifyContent,
    /// left, right, top, bottom
    pub inset: [Len; 4],
    /// left, right, top, bottom
    pub border: [Len; 4],
    /// left, right, top, bottom
    pub margin: [Len; 4],
    /// left, right, top, bottom
    pub padding: [Len; 4],
    pub flex_grow: f32,
    pub flex_shrink: f32,
    pub flex_basis: Len,
    pub width: Len,
    pub height: Len,
    pub min_width: Len,
    pub min_height: Len,
    pub max_width: Len,
    pub max_height: Len,
    pub aspect_ratio: Option<f32>,
    pub box_sizing: BoxSizing,
    pub order: i32,
    pub text_align: TextAlign,
    pub row_gap: Len,
    pub column_gap: Len,
    /// Only for `display: grid`/`inline-grid` (boxed: most boxes are not grids).
    pub grid: Option<Box<GridProps>>,
    pub justify_self: JustifySelf,
}

fn length(l: &Length, m: &MediaQueryStatus<f32>) -> Len {
    match l {
        Length::Undefined => DefLength::Undefined,
        Length::Auto => DefLength::Auto,
        Length::Px(x) => DefLength::Points(*x),
        Length::Ratio(x) => DefLength::Percent(*x),
        Length::Expr(_) => {
            DefLength::Custom(CalcLength { expr: l.clone(), vw: m.width, vh: m.height })
        }
        other => {
            other.resolve_to_f32(m, 0.0, false).map_or(DefLength::Undefined, DefLength::Points)
        }
    }
}

fn track_size(t: &TrackSize, m: &MediaQueryStatus<f32>) -> LayoutTrackSize<f32, CalcLength> {
    match t {
        TrackSize::MinContent => LayoutTrackSize::MinContent,
        TrackSize::MaxContent => LayoutTrackSize::MaxContent,
        TrackSize::Fr(x) => LayoutTrackSize::Fr(*x),
        TrackSize::Length(l) => LayoutTrackSize::Length(length(l, m)),
    }
}

fn template(t: &GridTemplate, m: &MediaQueryStatus<f32>) -> LayoutGridTemplate<f32, CalcLength> {
    match t {
        GridTemplate::None => LayoutGridTemplate::None,
        GridTemplate::TrackList(items) => LayoutGridTemplate::TrackList(
            items
                .iter()
                .map(|item| match item {
                    TrackListItem::LineNames(names) => LayoutTrackListItem::LineNames(
                        names.iter().map(|n| n.to_string()).collect(),
                    ),
                    TrackListItem::TrackSize(t) => LayoutTrackListItem::TrackSize(track_size(t, m)),
                })
                .collect(),
        ),
    }
}

fn auto_tracks(a: &GridAuto, m: &MediaQueryStatus<f32>) -> LayoutGridAuto<f32, CalcLength> {
    let GridAuto::List(list) = a;
    let tracks: Vec<_> = list.iter().map(|t| track_size(t, m)).collect();
    if tracks.is_empty() {
        LayoutGridAuto::default()
    } else {
        LayoutGridAuto(tracks)
    }
}

impl GridProps {
    fn from_css(np: &NodeProperties, m: &MediaQueryStatus<f32>) -> GridProps {
        GridProps {
            template_rows: template(np.grid_template_rows_ref(), m),
            template_columns: template(np.grid_template_columns_ref(), m),
            auto_flow: np.grid_auto_flow(),
            auto_rows: auto_tracks(np.grid_auto_rows_ref(), m),
            auto_columns: auto_tracks(np.grid_auto_columns_ref(), m),
            justify_items: np.justify_items(),
        }
    }
}

impl LayoutProps {
    /// Converts a computed style.
    pub fn from_css(np: &NodeProperties, m: &MediaQueryStatus<f32>) -> LayoutProps {
        let d = |l: &Length| length(l, m);
        let border = |w: &Length, s: &BorderStyle| match s {
            BorderStyle::None | BorderStyle::Hidden => DefLength::Points(0.0),
            _ => d(w),
        };
        let gap = |g: &Gap| match g {
            Gap::Normal => DefLength::Undefined,
            Gap::Length(l) => d(l),
        };
        LayoutProps {
            display: np.display(),
            position: match np.position() {
                Position::Sticky => Position::Relative,
                p => p,
            },
            direction: np.direction(),
            writing_mode: np.writing_mode(),
            flex_direction: np.flex_direction(),
            flex_wrap: np.flex_wrap(),
            align_items: np.align_items(),
            align_self: np.align_self(),
            align_content: np.align_content(),
            justify_content: np.justify_content(),
            inset: [d(np.left_ref()), d(np.right_ref()), d(np.top_ref()), d(np.bottom_ref())],
            border: [
                border(np.border_left_width_ref(), np.border_left_style_ref()),
                border(np.border_right_width_ref(), np.border_right_style_ref()),
                border(np.border_top_width_ref(), np.border_top_style_ref()),
                border(np.border_bottom_width_ref(), np.border_bottom_style_ref()),
            ],
            margin: [
                d(np.margin_left_ref()),
                d(np.margin_right_ref()),
                d(np.margin_top_ref()),
                d(np.margin_bottom_ref()),
            ],
            padding: [
                d(np.padding_left_ref()),
                d(np.padding_right_ref()),
                d(np.padding_top_ref()),
                d(np.padding_bottom_ref()),
            ],
            flex_grow: number(np.flex_grow_ref()),
            flex_shrink: number(np.flex_shrink_ref()),
            flex_basis: d(np.flex_basis_ref()),
            width: d(np.width_ref()),
            height: d(np.height_ref()),
            min_width: d(np.min_width_ref()),
            min_height: d(np.min_height_ref()),
            max_width: d(np.max_width_ref()),
            max_height: d(np.max_height_ref()),
            aspect_ratio: match np.aspect_ratio_ref() {
                AspectRatio::Auto => None,
                AspectRatio::Ratio(a, b) => {
                    let b = number(b);
                    (b != 0.0).then(|| number(a) / b)
                }
            },
            box_sizing: np.box_sizing(),
            order: number(np.order_ref()) as i32,
            text_align: np.text_align(),
            row_gap: gap(np.row_gap_ref()),
            column_gap: gap(np.column_gap_ref()),
            grid: matches!(np.display(), Display::Grid | Display::InlineGrid)
                .then(|| Box::new(GridProps::from_css(np, m))),
            justify_self: np.justify_self(),
        }
    }
}

macro_rules! getters {
    ($($name:ident: $ty:ty = |$s:ident| $e:expr;)*) => {
        impl LayoutStyle<f32, CalcLength> for LayoutProps {
            $(fn $name(&self) -> $ty { let $s = self; $e })*
        }
    };
}

getters! {
    display: Display = |s| s.display.clone();
    position: Position = |s| s.position.clone();
    direction: Direction = |s| s.direction.clone();
    writing_mode: WritingMode = |s| s.writing_mode.clone();
    flex_direction: FlexDirection = |s| s.flex_direction.clone();
    flex_wrap: FlexWrap = |s| s.flex_wrap.clone();
    align_items: AlignItems = |s| s.align_items.clone();
    align_self: AlignSelf = |s| s.align_self.clone();
    align_content: AlignContent = |s| s.align_content.clone();
    justify_content: JustifyContent = |s| s.justify_content.clone();
    left: Len = |s| s.inset[0].clone();
    right: Len = |s| s.inset[1].clone();
    top: Len = |s| s.inset[2].clone();
    bottom: Len = |s| s.inset[3].clone();
    border_left: Len = |s| s.border[0].clone();
    border_right: Len = |s| s.border[1].clone();
    border_top: Len = |s| s.border[2].clone();
    border_bottom: Len = |s| s.border[3].clone();
    margin_left: Len = |s| s.margin[0].clone();
    margin_right: Len = |s| s.margin[1].clone();
    margin_top: Len = |s| s.margin[2].clone();
    margin_bottom: Len = |s| s.margin[3].clone();
    padding_left: Len = |s| s.padding[0].clone();
    padding_right: Len = |s| s.padding[1].clone();
    padding_top: Len = |s| s.padding[2].clone();
    padding_bottom: Len = |s| s.padding[3].clone();
    flex_grow: f32 = |s| s.flex_grow;
    flex_shrink: f32 = |s| s.flex_shrink;
    flex_basis: Len = |s| s.flex_basis.clone();
    width: Len = |s| s.width.clone();
    height: Len = |s| s.height.clone();
    min_width: Len = |s| s.min_width.clone();
    min_height: Len = |s| s.min_height.clone();
    max_width: Len = |s| s.max_width.clone();
    max_height: Len = |s| s.max_height.clone();
    aspect_ratio: Option<f32> = |s| s.aspect_ratio;
    box_sizing: BoxSizing = |s| s.box_sizing.clone();
    order: i32 = |s| s.order;
    text_align: TextAlign = |s| s.text_align.clone();
    row_gap: Len = |s| s.row_gap.clone();
    column_gap: Len = |s| s.column_gap.clone();
    grid_template_rows: LayoutGridTemplate<f32, CalcLength> =
        |s| s.grid.as_ref().map_or(LayoutGridTemplate::None, |g| g.template_rows.clone());
    grid_template_columns: LayoutGridTemplate<f32, CalcLength> =
        |s| s.grid.as_ref().map_or(LayoutGridTemplate::None, |g| g.template_columns.clone());
    grid_auto_flow: GridAutoFlow = |s| s.grid.as_ref().map_or(GridAutoFlow::Row, |g| g.auto_flow.clone());
    grid_auto_rows: LayoutGridAuto<f32, CalcLength> =
        |s| s.grid.as_ref().map_or_else(LayoutGridAuto::default, |g| g.auto_rows.clone());
    grid_auto_columns: LayoutGridAuto<f32, CalcLength> =
        |s| s.grid.as_ref().map_or_else(LayoutGridAuto::default, |g| g.auto_columns.clone());
    justify_items: JustifyItems =
        |s| s.grid.as_ref().map_or(JustifyItems::Stretch, |g| g.justify_items.clone());
    justify_self: JustifySelf = |s| s.justify_self.clone();
}
