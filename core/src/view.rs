//! View: the node tree glass-easel draws into, and the render ops the host receives.
//!
//! [`tree::Tree`] is the native side of glass-easel's composed backend: every element, text
//! node and fragment glass-easel creates lives here under a stable integer id (never reused in
//! one app instance). Mutations record [`ops::RenderOp`]s; [`tree::Tree::take_frame`] closes one
//! frame per JS task, with redundant ops dropped. [`dump`] prints the tree for the CLI and
//! snapshots, [`select`] finds nodes by simple CSS selectors. Owned by the app's logic thread.

pub mod dump;
pub mod ops;
pub mod select;
pub mod tree;

pub use ops::{Frame, RenderOp};
pub use tree::{NodeId, Tree};
