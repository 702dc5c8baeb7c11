//! CSS animations and transitions, resolved for the host and timed on the instance clock.
//!
//! The core does not tween: a host animates natively, as it does `wx.createAnimation` data.
//! [`transitions`] reads an element's `transition-*` lists (lengths cycled as CSS says) into
//! [`Transition`]s the host applies to the next `set_style`/`set_frame` changes of those
//! properties. [`animations`] reads `animation-*` into [`AnimationTiming`]s, and
//! `visual::keyframe_styles` resolves an `@keyframes` rule against the element's style into
//! [`Keyframe`]s whose `style` holds the resolved visual fields (same names and units as
//! `set_style`) that differ from the element's own; layout properties inside keyframes are not
//! resolved. Timing values are milliseconds. The runtime fires `animationstart`,
//! `animationiteration`, `animationend` and `transitionend` from these timings on the instance
//! clock. Pure functions; any thread.

use float_pigment_css::property::NodeProperties;
use float_pigment_css::typing::{
    AnimationDirection, AnimationDirectionItem, AnimationFillMode, AnimationFillModeItem,
    AnimationIterationCount, AnimationIterationCountItem, AnimationName, AnimationNameItem,
    TransitionProperty, TransitionPropertyItem, TransitionTime, TransitionTimingFn,
    TransitionTimingFnItem,
};
use serde_json::{Map, Value};

pub use crate::render::style::{Animation, AnimationTiming, Keyframe, Transition};

/// What a layout pass started, for the runtime's event timers.
#[derive(Debug, Clone, PartialEq)]
pub enum Motion {
    /// An element's animations were (re)started; empty when they stopped.
    Animations {
        /// The element.
        node: crate::render::NodeId,
        /// Its animations now.
        timings: Vec<AnimationTiming>,
    },
    /// Property changes on an element started transitions: (CSS property, ms to the end).
    Transitions {
        /// The element.
        node: crate::render::NodeId,
        /// One per transitioned property.
        ends: Vec<(String, f32)>,
    },
}

fn times(t: &TransitionTime) -> Vec<f32> {
    match t {
        TransitionTime::List(a) => a.iter().map(|v| *v as f32).collect(),
        TransitionTime::ListI32(a) => a.iter().map(|v| *v as f32).collect(),
    }
}

fn timing_fns(t: &TransitionTimingFn) -> Vec<String> {
    let TransitionTimingFn::List(a) = t;
    a.iter().map(TransitionTimingFnItem::to_string).collect()
}

/// The `i`th value of a CSS list, cycled; `default` when the list is empty.
fn cycled<T: Clone>(list: &[T], i: usize, default: T) -> T {
    if list.is_empty() {
        default
    } else {
        list[i % list.len()].clone()
    }
}

/// The element's transitions; empty for none (or zero duration and delay everywhere).
pub fn transitions(css: &NodeProperties) -> Vec<Transition> {
    let TransitionProperty::List(props) = css.transition_property();
    if props.is_empty() {
        return Vec::new(); // the common case: no other list is read
    }
    let durations = times(&css.transition_duration());
    let delays = times(&css.transition_delay());
    let fns = timing_fns(&css.transition_timing_function());
    props
        .iter()
        .enumerate()
        .filter(|(_, p)| !matches!(p, TransitionPropertyItem::None))
        .map(|(i, p)| Transition {
            property: p.to_string(),
            duration: cycled(&durations, i, 0.0),
            timing_function: cycled(&fns, i, "ease".to_string()),
            delay: cycled(&delays, i, 0.0),
        })
        .filter(|t| t.duration > 0.0 || t.delay > 0.0)
        .collect()
}

/// The element's animations (named ones only).
pub fn animations(css: &NodeProperties) -> Vec<AnimationTiming> {
    let AnimationName::List(names) = css.animation_name();
    if !names.iter().any(|n| matches!(n, AnimationNameItem::CustomIdent(_))) {
        return Vec::new(); // the common case: no other list is read
    }
    let durations = times(&css.animation_duration());
    let delays = times(&css.animation_delay());
    let fns = timing_fns(&css.animation_timing_function());
    let AnimationIterationCount::List(counts) = css.animation_iteration_count();
    let counts: Vec<Option<f32>> = counts
        .iter()
        .map(|c| match c {
            AnimationIterationCountItem::Number(n) => Some(*n),
            AnimationIterationCountItem::Infinite => None,
        })
        .collect();
    let AnimationDirection::List(dirs) = css.animation_direction();
    let dirs: Vec<&str> = dirs
        .iter()
        .map(|d| match d {
            AnimationDirectionItem::Normal => "normal",
            AnimationDirectionItem::Reverse => "reverse",
            AnimationDirectionItem::Alternate => "alternate",
            AnimationDirectionItem::AlternateReverse => "alternate-reverse",
        })
        .collect();
    let AnimationFillMode::List(fills) = css.animation_fill_mode();
    let fills: Vec<&str> = fills
        .iter()
        .map(|f| match f {
            AnimationFillModeItem::None => "none",
            AnimationFillModeItem::Forwards => "forwards",
            AnimationFillModeItem::Backwards => "backwards",
            AnimationFillModeItem::Both => "both",
        })
        .collect();
    names
        .iter()
        .enumerate()
        .filter_map(|(i, n)| match n {
            AnimationNameItem::CustomIdent(s) => Some((i, s.to_string())),
            AnimationNameItem::None => None,
        })
        .map(|(i, name)| AnimationTiming {
            name,
            duration: cycled(&durations, i, 0.0),
            timing_function: cycled(&fns, i, "ease".to_string()),
            delay: cycled(&delays, i, 0.0),
            iteration_count: cycled(&counts, i, Some(1.0)),
            direction: cycled(&dirs, i, "normal").to_string(),
            fill_mode: cycled(&fills, i, "none").to_string(),
        })
        .collect()
}

/// The fields of `new` (a serialized visual style) that differ from `old`; a field `old` has
/// and `new` lacks is `null` (back to its initial value).
pub fn changed_fields(old: &Value, new: &Value) -> Map<String, Value> {
    let empty = Map::new();
    let (o, n) = (old.as_object().unwrap_or(&empty), new.as_object().unwrap_or(&empty));
    let mut out = Map::new();
    for (k, v) in n {
        if o.get(k) != Some(v) {
            out.insert(k.clone(), v.clone());
        }
    }
    for k in o.keys() {
        if !n.contains_key(k) {
            out.insert(k.clone(), Value::Null);
        }
    }
    out
}

/// The transitions a change of the named fields (`set_style` names, plus `width`, `height`,
/// `left`, `top` for frame changes) runs: (CSS property, total time in ms), one per property.
pub fn triggered(transitions: &[Transition], changed: &[String]) -> Vec<(String, f32)> {
    let mut out: Vec<(String, f32)> = Vec::new();
    for field in changed {
        let css_name = crate::names::kebab_case(field);
        // the last matching entry wins, as in CSS
        let hit = transitions.iter().rev().find(|t| {
            t.property == "all"
                || t.property == css_name
                || (css_name.starts_with(&t.property) && t.property.len() > 3)
        });
        if let Some(t) = hit {
            if !out.iter().any(|(p, _)| *p == css_name) {
                out.push((css_name, t.delay.max(0.0) + t.duration));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggered_matches_all_names_and_shorthands() {
        let t = vec![
            Transition {
                property: "all".into(),
                duration: 100.0,
                timing_function: "ease".into(),
                delay: 0.0,
            },
            Transition {
                property: "opacity".into(),
                duration: 300.0,
                timing_function: "linear".into(),
                delay: 50.0,
            },
        ];
        let got = triggered(&t, &["opacity".into(), "backgroundColor".into()]);
        assert_eq!(got, vec![("opacity".into(), 350.0), ("background-color".into(), 100.0)]);
        let border = vec![Transition {
            property: "border".into(),
            duration: 10.0,
            timing_function: "ease".into(),
            delay: 0.0,
        }];
        assert_eq!(triggered(&border, &["borderColor".into()]).len(), 1);
        assert!(triggered(&border, &["opacity".into()]).is_empty());
    }
}
