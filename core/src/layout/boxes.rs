//! The layout box tree float-pigment-layout runs on.
//!
//! One [`LayoutBox`] per shown node, owned by its parent (a page's box owns the page).
//! Boxes keep float-pigment's per-node cache between frames, so a relayout recomputes only
//! the dirty paths. Dirty marks are propagated by the owner of the tree (the sync walk in
//! `layout.rs` marks every ancestor of a changed box): `parent()` answers with a shared
//! stub box, which float-pigment only uses to tell the root apart and to stop its own
//! propagation. Text leaves are measured through [`LayoutEnv`]; runs of inline children are
//! placed on lines by [`LineComposer`]. A text leaf remembers the measurements layout asked of
//! it since it was last marked dirty ([`LayoutBox::same_layout_with`]): new text that measures
//! the same for each of them lays out the same, and needs no relayout. Owned by the logic
//! thread.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use float_pigment_css::property::NodeProperties;
use float_pigment_css::typing::TextAlign;
use float_pigment_css::MediaQueryStatus;
use float_pigment_layout::{
    EdgeOption, InlineMeasure, InlineUnit, InlineUnitMetadata, LayoutNode, LayoutTreeNode,
    LayoutTreeVisitor, MeasureResult, OptionSize, Point, ScreenQuery, Size, SizingMode, Vector,
};

use super::props::{CalcLength, LayoutProps};
use super::text::{FontSpec, TextCache, TextMeasurer};
use crate::style::cascade::Vars;
use crate::view::tree::NodeId;

/// A text leaf's content (white space collapsed) and font.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// The text as laid out.
    pub text: String,
    /// Its font.
    pub font: FontSpec,
    /// Line limit from its element's `-webkit-line-clamp`.
    pub max_lines: Option<u32>,
}

/// One node's box.
pub struct LayoutBox {
    /// The view node.
    pub id: NodeId,
    /// The node revision this box was styled at (`None`: never).
    pub revision: Option<u32>,
    /// Inline style text and its parsed declarations.
    pub inline: (String, Vec<float_pigment_css::property::PropertyMeta>),
    /// Computed style (shared with the boxes styled from the same inputs: see
    /// `layout::shared_styles`).
    pub css: Rc<NodeProperties>,
    /// Custom properties in effect.
    pub vars: Vars,
    /// Layout inputs.
    pub props: LayoutProps,
    /// Set for text leaves.
    pub text: Option<TextRun>,
    /// Restyled since its visual style was last resolved.
    pub restyled: bool,
    /// An image whose `mode` sizes one side from the other (see [`RatioFix`]).
    pub ratio_fix: Option<RatioFix>,
    /// CSS animations and their `@keyframes` rules (see `style::motion`).
    pub animations: Vec<(
        crate::style::motion::AnimationTiming,
        Option<Rc<float_pigment_css::sheet::KeyFrames>>,
    )>,
    /// Set on a generated box (`::before`/`::after`) and its text run.
    pub generated: Option<crate::style::cascade::Pseudo>,
    /// The sibling facts structural selectors read, as last styled (see
    /// `style::structure::Matcher::key`).
    pub structure: u64,
    /// Child boxes in order.
    pub children: Vec<LayoutBox>,
    /// float-pigment's per-node state and cache.
    pub layout: LayoutNode<LayoutBox>,
    /// `None` for a root; otherwise the shared stub (see the module docs).
    stub: Option<Rc<LayoutBox>>,
    /// A text leaf's measurements since it was last marked dirty; `None` when there were more
    /// than [`MAX_MEASURES`] (see the module docs).
    measures: RefCell<Option<Vec<Measure>>>,
    /// Marked dirty since its frame was last emitted: float-pigment lays it out again.
    pub relaid: Cell<bool>,
}

/// How many different measurements of one text leaf are remembered.
const MAX_MEASURES: usize = 8;

/// The constraints layout measures a text leaf under.
#[derive(Clone, Copy, PartialEq)]
struct Constraints {
    req: OptionSize<f32>,
    min: Size<f32>,
    max: Size<f32>,
    max_content: OptionSize<f32>,
}

/// One measurement layout asked of a text leaf: the constraints, and the answer.
#[derive(Clone, Copy)]
struct Measure {
    asked: Constraints,
    result: (Size<f32>, Vector<f32>, Vector<f32>),
}

fn answer(r: &MeasureResult<f32>) -> (Size<f32>, Vector<f32>, Vector<f32>) {
    (r.size, r.first_baseline_ascent, r.last_baseline_ascent)
}

impl LayoutBox {
    /// A fresh box for `id`, styled on the next sync.
    pub fn new(
        id: NodeId,
        stub: Option<Rc<LayoutBox>>,
        media: &MediaQueryStatus<f32>,
    ) -> LayoutBox {
        let css = super::shared_styles::initial();
        let props = LayoutProps::from_css(&css, media);
        LayoutBox {
            id,
            revision: None,
            inline: (String::new(), Vec::new()),
            css,
            vars: Vars::default(),
            props,
            text: None,
            restyled: true,
            ratio_fix: None,
            animations: Vec::new(),
            generated: None,
            structure: 0,
            children: Vec::new(),
            layout: LayoutNode::new(),
            stub,
            measures: RefCell::new(Some(Vec::new())),
            relaid: Cell::new(true),
        }
    }

    /// The stub every non-root box names as its parent.
    pub fn stub(media: &MediaQueryStatus<f32>) -> Rc<LayoutBox> {
        Rc::new(LayoutBox::new(0, None, media))
    }

    /// Clears this box's layout cache (its ancestors are the caller's job).
    pub fn mark_dirty(&self) {
        self.layout.mark_dirty(self);
        self.relaid.set(true);
        *self.measures.borrow_mut() = Some(Vec::new());
    }

    /// Whether this text leaf, showing `run` instead, would answer every measurement layout
    /// asked of it since it was last marked dirty the same (and was measured at all): then it
    /// lays out exactly as it does now.
    pub fn same_layout_with(
        &self,
        run: &TextRun,
        measurer: &dyn TextMeasurer,
        cache: &mut TextCache,
    ) -> bool {
        let measures = self.measures.borrow();
        let Some(measures) = measures.as_deref().filter(|m| !m.is_empty()) else { return false };
        measures.iter().all(|m| answer(&measure_run(run, measurer, cache, &m.asked)) == m.result)
    }
}

/// `<image mode="widthFix">` (the height follows the laid-out width) or `heightFix` (the
/// width follows the height), by the picture's natural aspect ratio (width / height).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RatioFix {
    /// `widthFix`: height = width / ratio.
    Height(f32),
    /// `heightFix`: width = height × ratio.
    Width(f32),
}

/// What measuring needs during one layout pass.
pub struct LayoutEnv {
    /// Viewport width (for `position: fixed`).
    pub screen_width: f32,
    /// Viewport height.
    pub screen_height: f32,
    /// The host's (or the headless) measurer.
    pub measurer: Arc<dyn TextMeasurer>,
    /// The measurement cache, moved in for the pass.
    pub cache: TextCache,
}

impl ScreenQuery<f32> for LayoutEnv {
    fn screen_width(&self) -> f32 {
        self.screen_width
    }
    fn screen_height(&self) -> f32 {
        self.screen_height
    }
}

impl LayoutTreeVisitor<LayoutBox> for LayoutBox {
    fn parent(&self) -> Option<&LayoutBox> {
        self.stub.as_deref()
    }
    fn for_each_child<'a, 'b: 'a, F>(&'b self, mut f: F)
    where
        F: FnMut(&'a LayoutBox, usize),
        LayoutBox: 'a,
    {
        for (i, c) in self.children.iter().enumerate() {
            f(c, i);
        }
    }
    fn children_len(&self) -> usize {
        self.children.len()
    }
    fn child_at(&self, index: usize) -> Option<&LayoutBox> {
        self.children.get(index)
    }
    fn children_iter<'a, 'b: 'a>(&'b self) -> impl Iterator<Item = &'a LayoutBox>
    where
        LayoutBox: 'a,
    {
        self.children.iter()
    }
}

impl LayoutBox {
    fn measure(
        &self,
        env: &mut LayoutEnv,
        req: OptionSize<f32>,
        min: Size<f32>,
        max: Size<f32>,
        max_content: OptionSize<f32>,
    ) -> MeasureResult<f32> {
        let Some(run) = &self.text else {
            return MeasureResult {
                size: Size::new(0.0, 0.0),
                first_baseline_ascent: Vector::new(0.0, 0.0),
                last_baseline_ascent: Vector::new(0.0, 0.0),
            };
        };
        let asked = Constraints { req, min, max, max_content };
        let r = measure_run(run, env.measurer.as_ref(), &mut env.cache, &asked);
        let mut measures = self.measures.borrow_mut();
        if let Some(list) = measures.as_mut() {
            if !list.iter().any(|m| m.asked == asked) {
                if list.len() < MAX_MEASURES {
                    list.push(Measure { asked, result: answer(&r) });
                } else {
                    *measures = None;
                }
            }
        }
        r
    }
}

/// `run` measured for layout's constraints.
fn measure_run(
    run: &TextRun,
    measurer: &dyn TextMeasurer,
    cache: &mut TextCache,
    asked: &Constraints,
) -> MeasureResult<f32> {
    let Constraints { req, min, max, max_content } = *asked;
    // unconstrained widths arrive as f32::MAX
    let available = req.width.val().or_else(|| {
        let w = max.width.min(max_content.width.val().unwrap_or(f32::MAX));
        (w < f32::MAX / 2.0).then_some(w)
    });
    let mut m = cache.measure(measurer, &run.text, &run.font, available);
    if let Some(max) = run.max_lines.filter(|max| m.lines > *max) {
        // clamped: the host draws `max` lines, the last with an ellipsis
        m.height = max as f32 * run.font.line_height;
        m.lines = max;
    }
    let clamp = |v: f32, lo: f32, hi: f32| v.max(lo).min(hi.max(lo));
    let w = clamp(req.width.val().unwrap_or(m.width), min.width, max.width);
    let h = clamp(req.height.val().unwrap_or(m.height), min.height, max.height);
    let last = (h - run.font.line_height).max(0.0) + m.baseline;
    MeasureResult {
        size: Size::new(w, h),
        first_baseline_ascent: Vector::new(0.0, m.baseline),
        last_baseline_ascent: Vector::new(0.0, last),
    }
}

impl LayoutTreeNode for LayoutBox {
    type Length = f32;
    type LengthCustom = CalcLength;
    type TreeVisitor = LayoutBox;
    type Style = LayoutProps;
    type InlineUnit = InlineBox;
    type InlineMeasure = LineComposer;
    type Env = LayoutEnv;

    fn layout_node(&self) -> &LayoutNode<Self> {
        &self.layout
    }
    fn tree_visitor(&self) -> &Self::TreeVisitor {
        self
    }
    fn style(&self) -> &Self::Style {
        &self.props
    }
    fn resolve_custom_length(&self, custom: &CalcLength, owner: f32) -> f32 {
        let m = MediaQueryStatus::<f32>::default_screen_with_size(custom.vw, custom.vh);
        custom.expr.resolve_to_f32(&m, owner, false).unwrap_or(0.0)
    }
    fn should_measure(&self, _env: &mut LayoutEnv) -> bool {
        self.text.is_some()
    }
    fn measure_block_size(
        &self,
        env: &mut LayoutEnv,
        req_size: OptionSize<f32>,
        min: Size<f32>,
        max: Size<f32>,
        max_content: OptionSize<f32>,
        _update_position: bool,
        _sizing_mode: SizingMode,
    ) -> MeasureResult<f32> {
        self.measure(env, req_size, min, max, max_content)
    }
    fn measure_inline_unit(
        &self,
        env: &mut LayoutEnv,
        req_size: OptionSize<f32>,
        min: Size<f32>,
        max: Size<f32>,
        max_content: OptionSize<f32>,
        _sizing_mode: SizingMode,
    ) -> MeasureResult<f32> {
        self.measure(env, req_size, min, max, max_content)
    }
}

/// One inline box (text run or inline-block) as the line composer sees it.
#[derive(Debug, Clone)]
pub struct InlineBox {
    size: Size<f32>,
    baseline: Vector<f32>,
}

impl InlineUnit<LayoutBox> for InlineBox {
    type Env = LayoutEnv;
    fn new(_env: &mut LayoutEnv, _node: &LayoutBox, r: MeasureResult<f32>) -> Self {
        InlineBox { size: r.size, baseline: r.first_baseline_ascent }
    }
}

/// Places inline boxes left to right, wraps when the next one does not fit, aligns each
/// line by the block's `text-align` and the boxes of a line on their first baselines.
/// A text run is one box: a run that wraps occupies its own lines.
pub struct LineComposer;

struct Line {
    items: Vec<(f32, InlineBox, EdgeOption<f32>)>,
    width: f32,
    height: f32,
    baseline: f32,
}

impl Line {
    fn new() -> Line {
        Line { items: Vec::new(), width: 0.0, height: 0.0, baseline: 0.0 }
    }
}

impl InlineMeasure<LayoutBox> for LineComposer {
    type InlineUnit = InlineBox;
    type Env = LayoutEnv;

    fn block_size(
        _env: &mut LayoutEnv,
        block: &LayoutBox,
        inline_nodes: Vec<InlineUnitMetadata<LayoutBox>>,
        req_size: OptionSize<f32>,
        _max_content_with_max_size: OptionSize<f32>,
        _update_position: bool,
        sizing_mode: SizingMode,
    ) -> (Size<f32>, Vec<(Point<f32>, MeasureResult<f32>)>) {
        let limit = req_size.width.val();
        let mut lines = vec![Line::new()];
        for InlineUnitMetadata { unit, margin } in inline_nodes {
            let outer = unit.size.width + margin.horizontal();
            if let (Some(l), Some(cur)) = (limit, lines.last()) {
                if !cur.items.is_empty() && cur.width + outer > l + 0.001 {
                    lines.push(Line::new());
                }
            }
            let Some(cur) = lines.last_mut() else { break };
            cur.baseline = cur.baseline.max(unit.baseline.y + margin.top.or_zero());
            cur.height = cur.height.max(unit.size.height + margin.vertical());
            cur.items.push((cur.width, unit, margin));
            cur.width += outer;
        }
        let content = lines.iter().fold(0f32, |a, l| a.max(l.width));
        let width = match sizing_mode {
            SizingMode::Normal => limit.unwrap_or(content),
            _ => content,
        };
        let mut out = Vec::new();
        let mut y = 0.0;
        for line in &lines {
            let free = (width - line.width).max(0.0);
            let dx = match block.props.text_align {
                TextAlign::Center => free / 2.0,
                TextAlign::End | TextAlign::Right => free,
                _ => 0.0,
            };
            let mut bottom = line.height;
            for (x, u, m) in &line.items {
                let drop = (line.baseline - u.baseline.y - m.top.or_zero()).max(0.0);
                out.push((
                    Point::new(dx + x + m.left.or_zero(), y + drop + m.top.or_zero()),
                    MeasureResult {
                        size: u.size,
                        first_baseline_ascent: u.baseline,
                        last_baseline_ascent: u.baseline,
                    },
                ));
                bottom = bottom.max(drop + u.size.height + m.vertical());
            }
            y += bottom;
        }
        (Size::new(width, req_size.height.unwrap_or(y)), out)
    }
}
