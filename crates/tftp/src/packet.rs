//! The six TFTP packets (RFC 1350, and OACK from RFC 2347), read and built.
//!
//! Every packet starts with a 2-byte opcode in network byte order (big
//! endian), what the tutorial's `struct.pack("!H", ...)` writes:
//!
//! ```text
//! RRQ/WRQ  | 01/02 | file name | 0 | mode | 0 | option | 0 | value | 0 | ...
//! DATA     | 03    | block number (2 bytes) | 0 to blksize bytes of data
//! ACK      | 04    | block number (2 bytes)
//! ERROR    | 05    | error code (2 bytes) | message | 0
//! OACK     | 06    | option | 0 | value | 0 | ...
//! ```

pub const RRQ: u16 = 1;
pub const WRQ: u16 = 2;
pub const DATA: u16 = 3;
pub const ACK: u16 = 4;
pub const ERROR: u16 = 5;
pub const OACK: u16 = 6;

/// The error codes of RFC 1350 (and 8 from RFC 2347).
pub const NOT_DEFINED: u16 = 0;
pub const FILE_NOT_FOUND: u16 = 1;
pub const ACCESS_VIOLATION: u16 = 2;
pub const DISK_FULL: u16 = 3;
pub const ILLEGAL_OPERATION: u16 = 4;
pub const UNKNOWN_TID: u16 = 5;
pub const FILE_EXISTS: u16 = 6;
pub const BAD_OPTION: u16 = 8;

/// What a client asks for: RRQ (`write` false) or WRQ; the mode and the
/// option names in lower case.
#[derive(Debug, PartialEq)]
pub struct Request {
    pub write: bool,
    pub file: String,
    pub mode: String,
    pub options: Vec<(String, String)>,
}

/// A packet as received. `parse` checks every length and terminator, so
/// whatever arrives on the wire becomes either a packet or a reason.
#[derive(Debug, PartialEq)]
pub enum Packet<'a> {
    Request(Request),
    Data { block: u16, data: &'a [u8] },
    Ack { block: u16 },
    Error { code: u16, message: String },
    Oack { options: Vec<(String, String)> },
}

/// The options of RFC 2347-2349 and 7440, the only ones a request keeps.
pub const KNOWN_OPTIONS: [&str; 4] =
    ["blksize", "tsize", "timeout", "windowsize"];

impl Packet<'_> {
    pub fn parse(buf: &[u8]) -> Result<Packet<'_>, &'static str> {
        let (opcode, rest) = match buf {
            [high, low, rest @ ..] => (u16::from_be_bytes([*high, *low]), rest),
            _ => return Err("packet shorter than its opcode"),
        };
        let number = || match rest {
            [high, low, ..] => Ok(u16::from_be_bytes([*high, *low])),
            _ => Err("packet too short"),
        };
        Ok(match opcode {
            RRQ | WRQ => {
                let mut words = strings(rest)?.into_iter();
                let (Some(file), Some(mode)) = (words.next(), words.next())
                else {
                    return Err("request without file name and mode");
                };
                Packet::Request(Request {
                    write: opcode == WRQ,
                    file,
                    mode: mode.to_lowercase(),
                    // only the options a server knows are kept: a request
                    // of 64 KB holds 21,800 empty ones (issue 21 row 7)
                    options: pairs(words)?
                        .into_iter()
                        .filter(|(name, _)| KNOWN_OPTIONS.contains(&&**name))
                        .collect(),
                })
            }
            DATA => Packet::Data {
                block: number()?,
                data: &rest[2..],
            },
            ACK if rest.len() == 2 => Packet::Ack { block: number()? },
            ACK => return Err("ACK of the wrong length"),
            ERROR => {
                let code = number()?;
                let message = strings(&rest[2..])?.into_iter().next();
                let message = message.ok_or("ERROR without a message")?;
                Packet::Error { code, message }
            }
            OACK => Packet::Oack {
                options: pairs(strings(rest)?.into_iter())?,
            },
            _ => return Err("unknown opcode"),
        })
    }
}

/// The NUL-terminated strings that fill `buf`; the last must end with NUL.
fn strings(buf: &[u8]) -> Result<Vec<String>, &'static str> {
    let Some(body) = buf.strip_suffix(&[0]) else {
        return Err("string without its NUL terminator");
    };
    let words = body.split(|&byte| byte == 0);
    Ok(words
        .map(|w| String::from_utf8_lossy(w).into_owned())
        .collect())
}

/// Option name/value pairs; names in lower case (they are case-blind).
fn pairs(
    mut words: impl Iterator<Item = String>,
) -> Result<Vec<(String, String)>, &'static str> {
    let mut pairs = vec![];
    while let Some(name) = words.next() {
        let value = words.next().ok_or("option without a value")?;
        pairs.push((name.to_lowercase(), value));
    }
    Ok(pairs)
}

/// The text of an ERROR after its code: up to its NUL, as UTF-8 (a
/// wrong byte shows as U+FFFD).
pub fn text(data: &[u8]) -> String {
    let text = data.split(|&byte| byte == 0).next().unwrap_or_default();
    String::from_utf8_lossy(text).into_owned()
}

pub fn ack(block: u16) -> Vec<u8> {
    [ACK.to_be_bytes(), block.to_be_bytes()].concat()
}

pub fn error(code: u16, message: &str) -> Vec<u8> {
    let head = [ERROR.to_be_bytes(), code.to_be_bytes()].concat();
    [&head, message.as_bytes(), &[0]].concat()
}

pub fn oack(options: &[(String, String)]) -> Vec<u8> {
    let mut packet = OACK.to_be_bytes().to_vec();
    for (name, value) in options {
        packet.extend([name.as_bytes(), &[0], value.as_bytes(), &[0]].concat());
    }
    packet
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_it_builds() {
        let oack = oack(&[("blksize".into(), "1024".into())]);
        assert_eq!(
            Packet::parse(&oack),
            Ok(Packet::Oack {
                options: vec![("blksize".into(), "1024".into())]
            })
        );
        assert_eq!(
            Packet::parse(&ack(65535)),
            Ok(Packet::Ack { block: 65535 })
        );
        let error = error(FILE_NOT_FOUND, "no such file");
        let message = "no such file".to_string();
        assert_eq!(
            Packet::parse(&error),
            Ok(Packet::Error { code: 1, message })
        );
    }

    #[test]
    fn reads_a_request_with_options() {
        let rrq = b"\x00\x01a.txt\x00OCTET\x00BlkSize\x001024\x00";
        let Ok(Packet::Request(Request {
            write,
            file,
            mode,
            options,
        })) = Packet::parse(rrq)
        else {
            panic!("not a request");
        };
        assert!(!write);
        assert_eq!((file.as_str(), mode.as_str()), ("a.txt", "octet"));
        assert_eq!(options, [("blksize".to_string(), "1024".to_string())]);
    }

    #[test]
    fn refuses_malformed_packets() {
        for bad in [
            &b""[..],
            b"\x00",
            b"\x00\x04\x00",
            b"\x00\x04\x00\x01\x00",
            b"\x00\x01a.txt\x00octet",
            b"\x00\x01a.txt\x00",
            b"\x00\x01a.txt\x00octet\x00blksize\x00",
            b"\x00\x05\x00",
            b"\x00\x05\x00\x01oops",
            b"\x00\x09",
            b"\x00\x03\x00",
        ] {
            assert!(Packet::parse(bad).is_err(), "{bad:?} was accepted");
        }
    }
}
