//! Where compiled code came from: generated → original positions of a script the compile stage
//! rewrote (TypeScript, ES modules), so errors point at the file as written. Plain data.

use serde::{Deserialize, Serialize};

/// One generated position and the source position it came from (1-based line, column).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// In the compiled code.
    pub generated: (u32, u32),
    /// In the source as written.
    pub original: (u32, u32),
}

/// A compiled script's positions, sorted by generated position.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionMap(Vec<Position>);

impl PositionMap {
    /// From positions in any order.
    pub fn new(mut positions: Vec<Position>) -> Self {
        positions.sort_by_key(|p| p.generated);
        PositionMap(positions)
    }

    /// The source position of a generated one: the nearest mapped position at or before it
    /// (an error inside a statement points at the statement's line as written).
    pub fn original(&self, line: u32, column: u32) -> Option<(u32, u32)> {
        let i = self.0.partition_point(|p| p.generated <= (line, column));
        let p = self.0.get(i.checked_sub(1)?)?;
        Some(if p.generated.0 == line { p.original } else { (p.original.0, 1) })
    }
}
