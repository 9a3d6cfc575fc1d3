//! A server's transfer slots: a bounded number of transfers at once, and
//! a fair share of them for each client address, so that one address (a
//! student's runaway script, or a flood) cannot take them all.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};

type Taken = Arc<Mutex<(usize, HashMap<IpAddr, usize>)>>;

pub struct Slots {
    taken: Taken, // in all, and by client address
    total: usize,
    share: usize,
}

/// One transfer's slot, free again when dropped.
pub struct Slot {
    taken: Taken,
    ip: IpAddr,
}

impl Slots {
    /// At most `total` transfers, a quarter of them for one address.
    pub fn new(total: usize) -> Slots {
        let share = (total / 4).max(1);
        Slots {
            taken: Taken::default(),
            total,
            share,
        }
    }

    /// A slot for a transfer with `ip`, or None when all are taken or
    /// that address has its share.
    pub fn take(&self, ip: IpAddr) -> Option<Slot> {
        let mut taken =
            self.taken.lock().unwrap_or_else(PoisonError::into_inner);
        let (all, by_address) = &mut *taken;
        let mine = by_address.entry(ip).or_default();
        if *all >= self.total || *mine >= self.share {
            return None;
        }
        (*all, *mine) = (*all + 1, *mine + 1);
        let taken = self.taken.clone();
        Some(Slot { taken, ip })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut taken =
            self.taken.lock().unwrap_or_else(PoisonError::into_inner);
        let (all, by_address) = &mut *taken;
        *all -= 1;
        if let Some(mine) = by_address.get_mut(&self.ip) {
            *mine -= 1;
            if *mine == 0 {
                by_address.remove(&self.ip);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_address_gets_a_quarter_and_slots_come_back() {
        let slots = Slots::new(8);
        let (a, b) =
            ("127.0.0.2".parse().unwrap(), "127.0.0.3".parse().unwrap());
        let mine: Vec<Slot> = (0..2).filter_map(|_| slots.take(a)).collect();
        assert_eq!(mine.len(), 2);
        assert!(slots.take(a).is_none(), "a has its share");
        let others: Vec<Slot> = (0..2).filter_map(|_| slots.take(b)).collect();
        assert_eq!(others.len(), 2);
        drop(mine);
        assert!(slots.take(a).is_some(), "a's slots came back");
    }

    #[test]
    fn never_more_than_the_total() {
        let slots = Slots::new(4);
        let held: Vec<Slot> = (1..=8)
            .filter_map(|i| slots.take(IpAddr::from([127, 0, 0, i])))
            .collect();
        assert_eq!(held.len(), 4);
    }
}
