//! The render protocol's version: what every frame carries and what a packed package says it
//! needs (docs/render-protocol.md). A leaf: a constant.

/// The render protocol version carried by every frame.
pub const PROTOCOL_VERSION: u32 = 2;
