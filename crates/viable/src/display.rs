//! How the SDK shows values to people and reads the ones people type: times as a
//! date with "in 45 s", spans of seconds, and addresses whose mixed case must be a
//! valid EIP-55 checksum. The decoded revert messages and the CLI use the same rules.

use std::str::FromStr;

use alloy::primitives::Address;

/// A Unix timestamp as a UTC date: `2025-06-01 12:00:00 UTC`.
pub fn timestamp(ts: u64) -> String {
    let days = (ts / 86_400) as i64;
    let rest = ts % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        rest / 3_600,
        (rest % 3_600) / 60,
        rest % 60
    )
}

/// A number of seconds in its two largest units: `45 s`, `2 min 5 s`, `1 h 30 min`,
/// `2 d 3 h`.
pub fn span(secs: u64) -> String {
    const UNITS: [(u64, &str); 4] = [(86_400, "d"), (3_600, "h"), (60, "min"), (1, "s")];
    if secs == 0 {
        return "0 s".into();
    }
    let mut parts = Vec::new();
    let mut rest = secs;
    for (size, name) in UNITS {
        if rest >= size {
            parts.push(format!("{} {name}", rest / size));
            rest %= size;
        } else if !parts.is_empty() {
            // Keep the two largest adjacent units only: 1 d 0 h 5 min shows as 1 d.
            parts.push(String::new());
        }
        if parts.len() == 2 {
            break;
        }
    }
    parts.retain(|p| !p.is_empty());
    parts.join(" ")
}

/// `ts` seen from `now`: `in 45 s`, `2 min 5 s ago`, or `now`.
pub fn relative(ts: u64, now: u64) -> String {
    match ts.cmp(&now) {
        std::cmp::Ordering::Greater => format!("in {}", span(ts - now)),
        std::cmp::Ordering::Less => format!("{} ago", span(now - ts)),
        std::cmp::Ordering::Equal => "now".into(),
    }
}

/// A timestamp as a date, with how far it is from `now` when `now` is known:
/// `2025-06-01 12:00:45 UTC (in 45 s)`. Zero shows as `never`.
pub fn time(ts: u64, now: Option<u64>) -> String {
    if ts == 0 {
        return "never".into();
    }
    match now {
        Some(now) => format!("{} ({})", timestamp(ts), relative(ts, now)),
        None => timestamp(ts),
    }
}

/// Why text is not an address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AddressError {
    /// Not `0x` and 40 hex digits.
    #[error("`{0}` is not an address (0x and 40 hex digits)")]
    Malformed(String),
    /// Mixed case whose capitals are not the EIP-55 checksum: probably a typo.
    #[error(
        "`{0}` has a wrong EIP-55 checksum (mixed case must match it exactly; a typo?); the checksummed form of what you typed is {1}"
    )]
    BadChecksum(String, Address),
}

/// Parse an address as `cast` does: all lower or all upper case is taken as is; mixed
/// case must be the EIP-55 checksum, so a mistyped digit is caught.
pub fn parse_address(text: &str) -> Result<Address, AddressError> {
    let t = text.trim();
    let hex = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X"));
    let Some(hex) = hex.filter(|h| h.len() == 40) else {
        return Err(AddressError::Malformed(t.into()));
    };
    let address = Address::from_str(hex).map_err(|_| AddressError::Malformed(t.into()))?;
    let upper = hex.bytes().any(|b| b.is_ascii_uppercase());
    let lower = hex.bytes().any(|b| b.is_ascii_lowercase());
    if upper && lower && address.to_checksum(None)[2..] != *hex {
        return Err(AddressError::BadChecksum(t.into(), address));
    }
    Ok(address)
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian calendar
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_dates() {
        assert_eq!(timestamp(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(timestamp(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(timestamp(1_700_000_000), "2023-11-14 22:13:20 UTC");
        assert_eq!(timestamp(4_102_444_799), "2099-12-31 23:59:59 UTC");
    }

    #[test]
    fn spans_keep_two_units() {
        assert_eq!(span(45), "45 s");
        assert_eq!(span(125), "2 min 5 s");
        assert_eq!(span(5_400), "1 h 30 min");
        assert_eq!(span(3_600), "1 h");
        assert_eq!(span(86_400 + 300), "1 d");
        assert_eq!(span(2 * 86_400 + 3 * 3_600 + 59), "2 d 3 h");
        assert_eq!(relative(145, 100), "in 45 s");
        assert_eq!(relative(100, 160), "1 min ago");
        assert_eq!(time(1_700_000_045, Some(1_700_000_000)), "2023-11-14 22:14:05 UTC (in 45 s)");
        assert_eq!(time(0, Some(5)), "never");
    }

    #[test]
    fn mixed_case_addresses_must_carry_their_checksum() {
        let good = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
        let a = parse_address(good).unwrap();
        assert_eq!(parse_address(&good.to_lowercase()).unwrap(), a);
        assert_eq!(parse_address(&format!("0x{}", good[2..].to_uppercase())).unwrap(), a);
        let typo = "0x70997970c51812dc3A010C7d01b50e0d17dc79C8";
        assert_eq!(parse_address(typo), Err(AddressError::BadChecksum(typo.into(), a)));
        assert!(matches!(parse_address("0x1234"), Err(AddressError::Malformed(_))));
        assert!(matches!(parse_address(&good[2..]), Err(AddressError::Malformed(_))));
    }
}
