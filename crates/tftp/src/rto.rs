//! How long to wait for an answer before sending again, measured the way
//! TCP does it (RFC 6298), so that a lost packet costs about one round
//! trip instead of a fixed second.
//!
//! Each answer to a packet sent once gives a sample R of the round-trip
//! time. The first sets SRTT = R and RTTVAR = R/2; each later one
//!
//! ```text
//! RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R|
//! SRTT   = 7/8 SRTT + 1/8 R
//! RTO    = SRTT + max(1 ms, 4 RTTVAR), kept between the floor and ceiling
//! ```
//!
//! Before any sample the wait is the agreed RFC 2349 `timeout` (or the
//! default, 1 s): that is also the ceiling, so the wait is never longer
//! than the two ends agreed. After a timeout the wait doubles (backoff)
//! until the next sample. Karn's rule, that the answer to a packet sent
//! twice gives no sample (which copy did it answer?), is the caller's:
//! see `Peer`.

use std::time::Duration;

/// The shortest wait: on loopback a round trip takes microseconds, but a
/// busy machine may leave a process waiting for the CPU longer than that.
pub const FLOOR: Duration = Duration::from_millis(10);

/// The clock's granularity G of RFC 6298: the least margin over SRTT.
const GRANULARITY: Duration = Duration::from_millis(1);

#[derive(Clone, Debug)]
pub struct Rto {
    srtt: Option<Duration>,
    rttvar: Duration,
    wait: Duration,
    ceiling: Duration,
}

impl Rto {
    /// No sample yet: wait `timeout`, and never longer.
    pub fn new(timeout: Duration) -> Rto {
        Rto {
            srtt: None,
            rttvar: Duration::ZERO,
            wait: timeout,
            ceiling: timeout,
        }
    }

    /// How long to wait now.
    pub fn wait(&self) -> Duration {
        self.wait
    }

    /// The longest wait: the agreed timeout.
    pub fn ceiling(&self) -> Duration {
        self.ceiling
    }

    /// The agreed timeout: the ceiling, and the wait until a sample.
    pub fn set_ceiling(&mut self, timeout: Duration) {
        self.ceiling = timeout;
        match self.srtt {
            Some(_) => self.wait = self.wait.min(timeout),
            None => self.wait = timeout,
        }
    }

    /// A measured round trip (of a packet sent once).
    pub fn sample(&mut self, rtt: Duration) {
        let srtt = match self.srtt {
            None => {
                self.rttvar = rtt / 2;
                rtt
            }
            Some(srtt) => {
                self.rttvar = self.rttvar * 3 / 4 + srtt.abs_diff(rtt) / 4;
                srtt * 7 / 8 + rtt / 8
            }
        };
        self.srtt = Some(srtt);
        let wait = srtt + (self.rttvar * 4).max(GRANULARITY);
        self.wait = wait.clamp(FLOOR.min(self.ceiling), self.ceiling);
    }

    /// After a timeout: wait twice as long, up to the ceiling.
    pub fn back_off(&mut self) {
        self.wait = (self.wait * 2).min(self.ceiling);
    }

    /// The last try waits the full timeout, or `left` if that is longer:
    /// a peer that was only slow (a busy machine) gets its chance before
    /// the transfer gives up, however short the round trip was.
    pub fn last_try(&mut self, left: Duration) {
        self.wait = self.ceiling.max(left);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn starts_at_the_timeout_and_follows_the_round_trip() {
        let mut rto = Rto::new(1000 * MS);
        assert_eq!(rto.wait(), 1000 * MS);
        rto.sample(40 * MS); // SRTT 40, RTTVAR 20: 40 + 80
        assert_eq!(rto.wait(), 120 * MS);
        for _ in 0..100 {
            rto.sample(40 * MS);
        }
        // a steady round trip: RTTVAR shrinks, the margin stays 1 ms
        assert!(rto.wait() >= 41 * MS && rto.wait() < 42 * MS, "{rto:?}");
    }

    #[test]
    fn backs_off_up_to_the_ceiling_and_stays_above_the_floor() {
        let mut rto = Rto::new(1000 * MS);
        rto.sample(Duration::from_micros(50)); // loopback
        assert_eq!(rto.wait(), FLOOR);
        rto.back_off();
        assert_eq!(rto.wait(), 2 * FLOOR);
        for _ in 0..10 {
            rto.back_off();
        }
        assert_eq!(rto.wait(), 1000 * MS);
        rto.sample(Duration::from_micros(50)); // a new sample: fast again
        assert_eq!(rto.wait(), FLOOR);
        rto.last_try(Duration::ZERO);
        assert_eq!(rto.wait(), 1000 * MS);
        rto.last_try(4800 * MS); // what is left of 5 timeouts
        assert_eq!(rto.wait(), 4800 * MS);
    }

    #[test]
    fn never_waits_longer_than_the_agreed_timeout() {
        let mut rto = Rto::new(50 * MS); // TFTP_TIMEOUT_MS=50 in tests
        rto.sample(200 * MS);
        assert_eq!(rto.wait(), 50 * MS);
        rto.set_ceiling(30 * MS);
        assert_eq!(rto.wait(), 30 * MS);
    }
}
