//! A minimal DER reader and writer for the key structures jwtctl handles: SubjectPublicKeyInfo
//! (RFC 5280), PKCS#8 (RFC 5208), PKCS#1 (RFC 8017) and SEC1 (RFC 5915). It reads tags and lengths
//! and nothing more; the crypto library validates the keys themselves.

/// DER tags used here.
pub const INTEGER: u8 = 0x02;
pub const BIT_STRING: u8 = 0x03;
pub const OCTET_STRING: u8 = 0x04;
pub const OID: u8 = 0x06;
pub const SEQUENCE: u8 = 0x30;

/// Object identifiers (content bytes) of the key algorithms and curves jwtctl recognises.
pub const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
pub const OID_RSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
pub const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
pub const OID_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
pub const OID_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
pub const OID_P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];
pub const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];

/// A cursor over DER bytes.
#[derive(Clone, Copy)]
pub struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    #[must_use]
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader(bytes)
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Reads one element of any tag: `(tag, content)`.
    pub fn any(&mut self) -> Option<(u8, &'a [u8])> {
        let (&tag, rest) = self.0.split_first()?;
        let (&first, rest) = rest.split_first()?;
        let (len, rest) = if first < 0x80 {
            (usize::from(first), rest)
        } else {
            let n = usize::from(first & 0x7f);
            if n == 0 || n > 4 || rest.len() < n {
                return None; // indefinite or absurd lengths are not DER
            }
            let len = rest[..n]
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            (len, &rest[n..])
        };
        if rest.len() < len {
            return None;
        }
        let (content, rest) = rest.split_at(len);
        self.0 = rest;
        Some((tag, content))
    }

    /// Reads one element that must have `tag`.
    pub fn expect(&mut self, tag: u8) -> Option<&'a [u8]> {
        match self.any()? {
            (t, content) if t == tag => Some(content),
            _ => None,
        }
    }

    /// Reads an INTEGER as an unsigned big-endian magnitude (leading zero bytes removed).
    pub fn uint(&mut self) -> Option<&'a [u8]> {
        let bytes = self.expect(INTEGER)?;
        let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
        Some(&bytes[start..])
    }

    /// Reads a BIT STRING with no unused bits.
    pub fn bits(&mut self) -> Option<&'a [u8]> {
        match self.expect(BIT_STRING)?.split_first()? {
            (0, rest) => Some(rest),
            _ => None,
        }
    }
}

/// Parses a whole SEQUENCE, refusing trailing bytes after it.
#[must_use]
pub fn sequence(bytes: &[u8]) -> Option<Reader<'_>> {
    let mut outer = Reader::new(bytes);
    let content = outer.expect(SEQUENCE)?;
    outer.is_empty().then_some(Reader::new(content))
}

/// An AlgorithmIdentifier: the algorithm OID and, when its parameter is an OID, that (the curve).
pub fn algorithm_id<'a>(r: &mut Reader<'a>) -> Option<(&'a [u8], Option<&'a [u8]>)> {
    let mut alg = Reader::new(r.expect(SEQUENCE)?);
    let oid = alg.expect(OID)?;
    let param = match alg.any() {
        Some((OID, p)) => Some(p),
        _ => None,
    };
    Some((oid, param))
}

/// Encodes one element.
#[must_use]
pub fn encode(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(u8::try_from(len).unwrap_or_default());
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes
            .iter()
            .position(|&b| b != 0)
            .unwrap_or(bytes.len() - 1);
        out.push(0x80 | u8::try_from(bytes.len() - skip).unwrap_or_default());
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// Encodes an unsigned magnitude as a DER INTEGER.
#[must_use]
pub fn uint(magnitude: &[u8]) -> Vec<u8> {
    let start = magnitude
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(magnitude.len());
    let m = &magnitude[start..];
    let mut content = Vec::with_capacity(m.len() + 1);
    if m.first().is_none_or(|&b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend_from_slice(m);
    encode(INTEGER, &content)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_long_lengths() {
        let content = vec![7u8; 300];
        let enc = encode(OCTET_STRING, &content);
        assert_eq!(&enc[..4], &[0x04, 0x82, 0x01, 0x2c]);
        assert_eq!(Reader::new(&enc).expect(OCTET_STRING), Some(&content[..]));
    }

    #[test]
    fn integers_are_unsigned_magnitudes() {
        let enc = uint(&[0x80, 0x01]);
        assert_eq!(enc, vec![0x02, 0x03, 0x00, 0x80, 0x01]);
        assert_eq!(Reader::new(&enc).uint(), Some(&[0x80, 0x01][..]));
    }

    #[test]
    fn truncated_and_indefinite_lengths_fail() {
        assert!(Reader::new(&[0x30, 0x05, 0x01]).any().is_none());
        assert!(Reader::new(&[0x30, 0x80, 0x00, 0x00]).any().is_none());
        assert!(sequence(&[0x30, 0x00, 0x00]).is_none());
    }
}
