//! Time for one app: virtual in headless runs (deterministic), real in hosts.
//!
//! `now()` is milliseconds since the instance started (timers, `performance.now()`, event
//! time stamps); `wall_clock()` is Unix-epoch milliseconds (`Date`). Virtual time only moves
//! when the runtime advances it. Logic thread only.

use std::cell::Cell;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// Epoch of virtual time: 2024-01-01T00:00:00Z.
pub const VIRTUAL_EPOCH_MS: f64 = 1_704_067_200_000.0;

/// Which clock an instance uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClockMode {
    /// Deterministic: starts at [`VIRTUAL_EPOCH_MS`] and moves only when advanced.
    #[default]
    Virtual,
    /// The system clock.
    Real,
}

/// An instance's clock.
#[derive(Debug)]
pub struct Clock {
    mode: ClockMode,
    virtual_now: Cell<f64>,
    started: Instant,
    started_wall: f64,
}

impl Clock {
    /// A clock at time zero.
    pub fn new(mode: ClockMode) -> Clock {
        let started_wall =
            SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64() * 1000.0);
        Clock { mode, virtual_now: Cell::new(0.0), started: Instant::now(), started_wall }
    }

    /// The mode.
    pub fn mode(&self) -> ClockMode {
        self.mode
    }

    /// Milliseconds since start.
    pub fn now(&self) -> f64 {
        match self.mode {
            ClockMode::Virtual => self.virtual_now.get(),
            ClockMode::Real => self.started.elapsed().as_secs_f64() * 1000.0,
        }
    }

    /// Unix-epoch milliseconds.
    pub fn wall_clock(&self) -> f64 {
        match self.mode {
            ClockMode::Virtual => VIRTUAL_EPOCH_MS + self.virtual_now.get(),
            ClockMode::Real => self.started_wall + self.now(),
        }
    }

    /// Moves virtual time forward to `t` (never backwards). No effect on a real clock.
    pub fn advance_to(&self, t: f64) {
        if self.mode == ClockMode::Virtual && t > self.virtual_now.get() {
            self.virtual_now.set(t);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_clock_moves_only_forward_when_told() {
        let c = Clock::new(ClockMode::Virtual);
        assert_eq!(c.now(), 0.0);
        c.advance_to(250.0);
        c.advance_to(100.0);
        assert_eq!(c.now(), 250.0);
        assert_eq!(c.wall_clock(), VIRTUAL_EPOCH_MS + 250.0);
    }
}
