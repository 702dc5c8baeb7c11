//! Where compiled code came from: generated → original positions of a script the compile stage
//! rewrote (TypeScript, ES modules), so errors point at the file as written. Plain data.
//!
//! Stored (a packed archive's compiled section) as one compact string: each position as four
//! signed differences from the one before (generated line and column, original line and
//! column), `,` between numbers and `;` between positions.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One generated position and the source position it came from (1-based line, column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    /// In the compiled code.
    pub generated: (u32, u32),
    /// In the source as written.
    pub original: (u32, u32),
}

/// A compiled script's positions, sorted by generated position.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PositionMap(Vec<Position>);

impl Serialize for PositionMap {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = String::with_capacity(self.0.len() * 12);
        let mut last = [0i64; 4];
        for (n, p) in self.0.iter().enumerate() {
            let now = [p.generated.0, p.generated.1, p.original.0, p.original.1].map(i64::from);
            if n > 0 {
                out.push(';');
            }
            for k in 0..4 {
                if k > 0 {
                    out.push(',');
                }
                out.push_str(&(now[k] - last[k]).to_string());
            }
            last = now;
        }
        s.serialize_str(&out)
    }
}

impl<'de> Deserialize<'de> for PositionMap {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let bad = || serde::de::Error::custom("not a position map");
        let mut positions = Vec::new();
        let mut last = [0i64; 4];
        for entry in text.split(';').filter(|e| !e.is_empty()) {
            let mut now = last;
            let mut parts = entry.split(',');
            for slot in &mut now {
                let delta: i64 = parts.next().and_then(|x| x.parse().ok()).ok_or_else(bad)?;
                *slot += delta;
            }
            let [gl, gc, ol, oc] = now.map(|v| u32::try_from(v).map_err(|_| bad()));
            positions.push(Position { generated: (gl?, gc?), original: (ol?, oc?) });
            last = now;
        }
        Ok(PositionMap::new(positions))
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_map_reads_back_from_its_compact_text() {
        let map = PositionMap::new(vec![
            Position { generated: (1, 1), original: (3, 5) },
            Position { generated: (1, 9), original: (2, 1) },
            Position { generated: (4, 2), original: (7, 12) },
        ]);
        let text = serde_json::to_string(&map).expect("json");
        assert_eq!(text, r#""1,1,3,5;0,8,-1,-4;3,-7,5,11""#);
        assert_eq!(serde_json::from_str::<PositionMap>(&text).expect("reads"), map);
        assert!(serde_json::from_str::<PositionMap>(r#""1,1,3""#).is_err());
        assert!(serde_json::from_str::<PositionMap>(r#""1,1,-3,1""#).is_err());
    }
}
