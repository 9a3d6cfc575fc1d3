//! A server's transfer slots: a bounded number of transfers at once, and
//! a fair share of them for each client address, so that one address (a
//! student's runaway script, or a flood) cannot take them all. An IPv6
//! client counts by its /112: its last 16 bits are its own to number as
//! it likes. Not by its /64: with SLAAC every host of a LAN is in the
//! same /64, so a whole class on IPv6 would share one quarter, and one
//! student could take it (issue 21 row 12). A host that numbers itself
//! across its /64 gets more shares, as a host with many IPv4 addresses
//! does; the total stays capped. On one machine the shares protect less:
//! any local user can bind every address of 127.0.0.0/8.

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
    /// that address has its share. A refusal leaves nothing behind (a
    /// flood of forged addresses cannot grow the table).
    pub fn take(&self, ip: IpAddr) -> Option<Slot> {
        let ip = owner(ip);
        let mut taken =
            self.taken.lock().unwrap_or_else(PoisonError::into_inner);
        let (all, by_address) = &mut *taken;
        let mine = by_address.get(&ip).copied().unwrap_or(0);
        if *all >= self.total || mine >= self.share {
            return None;
        }
        *all += 1;
        by_address.insert(ip, mine + 1);
        let taken = self.taken.clone();
        Some(Slot { taken, ip })
    }
}

/// Who is behind an address, for the shares: the /112 for IPv6, the
/// address itself for IPv4.
fn owner(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6((v6.to_bits() & !0 << 16).into()),
        },
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
        let (a, b) = ("10.0.0.2".parse().unwrap(), "10.0.0.3".parse().unwrap());
        let mine: Vec<Slot> = (0..2).filter_map(|_| slots.take(a)).collect();
        assert_eq!(mine.len(), 2);
        assert!(slots.take(a).is_none(), "a has its share");
        let others: Vec<Slot> = (0..2).filter_map(|_| slots.take(b)).collect();
        assert_eq!(others.len(), 2);
        drop(mine);
        assert!(slots.take(a).is_some(), "a's slots came back");
    }

    #[test]
    fn refusals_leave_nothing_behind() {
        let slots = Slots::new(8);
        let held: Vec<Slot> = (1..=4)
            .flat_map(|i| [IpAddr::from([10, 0, 0, i]); 2]) // 2 each
            .filter_map(|ip| slots.take(ip))
            .collect();
        assert_eq!(held.len(), 8);
        for i in 0..10_000u32 {
            let ip = IpAddr::from((0x0b00_0000 + i).to_be_bytes());
            assert!(slots.take(ip).is_none(), "all are taken");
        }
        drop(held);
        let taken = slots.taken.lock().unwrap();
        assert_eq!((taken.0, taken.1.len()), (0, 0), "nothing is left");
    }

    #[test]
    fn an_ipv6_client_counts_by_its_112_not_its_lans_64() {
        let slots = Slots::new(8);
        let net: Vec<Slot> = ["2001:db8::1", "2001:db8::2", "2001:db8::3"]
            .iter()
            .filter_map(|ip| slots.take(ip.parse().unwrap()))
            .collect();
        assert_eq!(net.len(), 2, "one share for a /112");
        // two SLAAC hosts of one LAN: one /64, each its own share
        let hosts: Vec<Slot> = ["2001:db8::a:1", "2001:db8::b:1"]
            .iter()
            .filter_map(|ip| slots.take(ip.parse().unwrap()))
            .collect();
        assert_eq!(hosts.len(), 2, "another host of the /64 was refused");
        let mapped: Vec<Slot> = ["::ffff:10.0.0.9", "10.0.0.9", "10.0.0.9"]
            .iter()
            .filter_map(|ip| slots.take(ip.parse().unwrap()))
            .collect();
        assert_eq!(mapped.len(), 2, "a mapped IPv4 address is that address");
    }

    #[test]
    fn never_more_than_the_total() {
        let slots = Slots::new(4);
        let held: Vec<Slot> = (1..=8)
            .filter_map(|i| slots.take(IpAddr::from([10, 0, 0, i])))
            .collect();
        assert_eq!(held.len(), 4);
    }
}
