//! The test driver's natives (feature `headless`): the automator's bridge — answers and
//! pushed events go to the app's automation sink (`runtime::automation`) —, the selector
//! engine for its element queries, and `compileFunction`, which evaluates source a test sends. The shipped library has none of them.

use std::rc::Rc;

use rquickjs::function::Func;
use rquickjs::{Ctx, Exception, Object, Result, Value};

use crate::runtime::automation::AutomationEvent;
use crate::runtime::state::AppState;
use crate::view::select::{Candidate, Selector};

use super::throw_script_error;

/// Installs this domain's functions on `__native`.
pub(super) fn install<'js>(n: &Object<'js>, state: &Rc<AppState>) -> Result<()> {
    let s = state.clone();
    n.set(
        "automationReply",
        Func::from(move |ticket: f64, ok: bool, json: String| {
            if let Some(driver) = &s.automation {
                let outcome = if !ok {
                    Err(json)
                } else if json.is_empty() {
                    Ok(None)
                } else {
                    Ok(Some(serde_json::from_str(&json).unwrap_or(serde_json::Value::Null)))
                };
                driver.reply(ticket as u64, outcome);
            }
        }),
    )?;
    let s = state.clone();
    n.set(
        "automationEvent",
        Func::from(move |name: String, json: String| {
            let params = serde_json::from_str(&json).unwrap_or(serde_json::Value::Null);
            if let (Some(driver), Some(event)) =
                (&s.automation, AutomationEvent::from_js(&name, &params))
            {
                driver.event(event);
            }
        }),
    )?;
    // The automator's element queries match with the core's selector engine (view/select.rs)
    // over the shadow-tree candidates the framework describes (core/js/src/automation.js).
    n.set(
        "selectorNeeds",
        Func::from(move |ctx: Ctx<'js>, selector: String| -> Result<String> {
            let parsed = Selector::parse(&selector)
                .map_err(|e| Exception::throw_message(&ctx, &e.to_string()))?;
            Ok(serde_json::to_string(&parsed.needs()).unwrap_or_default())
        }),
    )?;
    n.set(
        "selectorMatch",
        Func::from(
            move |ctx: Ctx<'js>,
                  selector: String,
                  candidates: String,
                  all: bool|
                  -> Result<String> {
                let parsed = Selector::parse(&selector)
                    .map_err(|e| Exception::throw_message(&ctx, &e.to_string()))?;
                let candidates: Vec<Candidate> = serde_json::from_str(&candidates)
                    .map_err(|e| Exception::throw_message(&ctx, &format!("selectorMatch: {e}")))?;
                let found = parsed.select_candidates(&candidates, all);
                Ok(serde_json::to_string(&found).unwrap_or_default())
            },
        ),
    )?;
    // A test driver's function source, evaluated as an expression in the global scope.
    n.set(
        "compileFunction",
        Func::from(move |ctx: Ctx<'js>, src: String| -> Result<Value<'js>> {
            crate::engine::eval_sloppy(&ctx, "automator", &format!("({src}\n)"))
                .map_err(|e| throw_script_error(&ctx, &e))
        }),
    )?;
    Ok(())
}
