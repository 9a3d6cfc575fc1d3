//! Mode "netascii" (RFC 1350, after Telnet): lines end with CR LF on the
//! wire, and a lone CR is sent as CR NUL. Files here end lines with LF.

use std::io::{self, Read, Write};

/// A file's bytes as they go on the wire: converted when `netascii`.
pub fn reader(file: impl Read + 'static, netascii: bool) -> Box<dyn Read> {
    let file = io::BufReader::new(file);
    match netascii {
        true => Box::new(ToNetascii::new(file)),
        false => Box::new(file),
    }
}

/// Where the wire's bytes go into a file: converted when `netascii`.
pub fn writer<'a>(
    file: impl Write + 'a,
    netascii: bool,
) -> Box<dyn Write + 'a> {
    let file = io::BufWriter::new(file);
    match netascii {
        true => Box::new(FromNetascii::new(file)),
        false => Box::new(file),
    }
}

/// Reads a file and yields it in netascii.
pub struct ToNetascii<R> {
    input: R,
    pending: Option<u8>, // the second byte of a pair not yet given out
}

impl<R: Read> ToNetascii<R> {
    pub fn new(input: R) -> Self {
        ToNetascii {
            input,
            pending: None,
        }
    }
}

impl<R: Read> Read for ToNetascii<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut len = 0;
        let mut byte = [0];
        while len < buf.len() {
            if let Some(next) = self.pending.take() {
                buf[len] = next;
            } else if self.input.read(&mut byte)? == 0 {
                break;
            } else {
                buf[len] = byte[0];
                self.pending = match byte[0] {
                    b'\n' => Some(b'\n'), // LF goes out as CR LF
                    b'\r' => Some(0),     // a lone CR as CR NUL
                    _ => None,
                };
                if self.pending.is_some() {
                    buf[len] = b'\r';
                }
            }
            len += 1;
        }
        Ok(len)
    }
}

/// Writes netascii from the wire as a file: CR LF becomes LF, CR NUL CR.
pub struct FromNetascii<W: Write> {
    output: W,
    after_cr: bool,
}

impl<W: Write> FromNetascii<W> {
    pub fn new(output: W) -> Self {
        FromNetascii {
            output,
            after_cr: false,
        }
    }
}

impl<W: Write> Write for FromNetascii<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        for &byte in buf {
            if !self.after_cr {
                self.after_cr = byte == b'\r';
                if !self.after_cr {
                    self.output.write_all(&[byte])?;
                }
                continue;
            }
            self.after_cr = byte == b'\r';
            match byte {
                b'\n' => self.output.write_all(b"\n")?, // CR LF: end of line
                0 => self.output.write_all(b"\r")?,     // CR NUL: a CR
                b'\r' => self.output.write_all(b"\r")?, // CR CR: keep one
                other => self.output.write_all(&[b'\r', other])?,
            }
        }
        Ok(buf.len())
    }

    /// The end of the upload (its only caller flushes once, at the end):
    /// a CR still waiting for its LF or NUL is kept as it came, not lost.
    fn flush(&mut self) -> io::Result<()> {
        if std::mem::take(&mut self.after_cr) {
            self.output.write_all(b"\r")?;
        }
        self.output.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_both_ways() {
        let text = b"one\ntwo\r\nthree\rfour\n".to_vec();
        let mut wire = vec![];
        ToNetascii::new(&text[..]).read_to_end(&mut wire).unwrap();
        assert_eq!(wire, b"one\r\ntwo\r\0\r\nthree\r\0four\r\n");
        let mut back = FromNetascii::new(vec![]);
        for chunk in wire.chunks(3) {
            back.write_all(chunk).unwrap();
        }
        assert_eq!(back.output, text);
    }

    #[test]
    fn a_bare_cr_at_the_very_end_is_kept() {
        let mut back = FromNetascii::new(vec![]);
        back.write_all(b"line\r\nlast\r").unwrap();
        back.flush().unwrap();
        assert_eq!(back.output, b"line\nlast\r");
    }
}
