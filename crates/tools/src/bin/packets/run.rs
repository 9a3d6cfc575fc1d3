//! What the packets mean: a run of a lesson pair, one row per packet.
use super::*;

/// A run of a lesson pair, ready to show.
pub(crate) struct Run {
    pub(crate) names: [String; 2], // client, server
    pub(crate) relay: Option<Words>,
    pub(crate) rows: Vec<Row>,
    pub(crate) notes: Vec<Words>,
    pub(crate) tftp: bool,
}

impl Run {
    /// A run of TCP or plain UDP: no relay.
    pub(crate) fn of(
        names: [String; 2],
        rows: Vec<Row>,
        notes: Vec<Words>,
    ) -> Run {
        let relay = None;
        Run {
            names,
            relay,
            rows,
            notes,
            tftp: false,
        }
    }
}

/// One packet as shown: in the table, as an arrow, as a line of the
/// normalised sequence.
#[derive(Clone, Debug)]
pub(crate) struct Row {
    pub(crate) time: f64,
    pub(crate) conn: usize,
    pub(crate) from_client: bool,
    /// flags (SYN-ACK) or TFTP packet (DATA 1): the table's column
    pub(crate) what: String,
    /// relative seq and ack and the length (TCP); the length (TFTP)
    pub(crate) fields: Vec<(&'static str, Option<u32>)>,
    /// the arrow's label, when it says more than `what` and `fields`
    pub(crate) label: Option<String>,
    pub(crate) meaning: Words,
    pub(crate) phase: Phase,
    pub(crate) lost: bool,
    /// sent again after a wait for an answer (TFTP)
    pub(crate) again: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Phase {
    Handshake,
    Data,
    Teardown,
    Trouble,
}

impl Row {
    pub(crate) fn direction(&self) -> &'static str {
        if self.from_client {
            "client>server"
        } else {
            "server>client"
        }
    }

    pub(crate) fn field(&self, name: &str) -> Option<u32> {
        self.fields
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|f| f.1)
    }

    /// `seq=0 ack=1 len=5`; an absent value is left out.
    pub(crate) fn numbers(&self) -> String {
        let present = self.fields.iter().filter_map(|(name, value)| {
            value.map(|value| format!("{name}={value}"))
        });
        present.collect::<Vec<_>>().join(" ")
    }

    /// The normalised line: no ports, no absolute numbers, no times.
    pub(crate) fn sequence_line(&self) -> String {
        let lost = if self.lost { " lost" } else { "" };
        let (conn, dir) = (self.conn, self.direction());
        format!("{conn} {dir} {} {}{lost}", self.what, self.numbers())
    }
}

pub(crate) fn flag_names(flags: u8) -> String {
    let names = [(SYN, "SYN"), (FIN, "FIN"), (RST, "RST"), (PSH, "PSH")];
    let mut out: Vec<&str> = names
        .iter()
        .filter(|(bit, _)| flags & bit != 0)
        .map(|(_, name)| *name)
        .collect();
    if flags & ACK != 0 {
        out.push("ACK");
    }
    if out.is_empty() {
        out.push("none");
    }
    out.join("-")
}
