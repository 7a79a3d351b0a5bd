//! Amounts for people: `1.5 ether`, `250 USDC`, `0.25` (in the asset's own unit),
//! `1000 wei`, parsed with the asset's decimals and printed back the same way.

// Treasury errors carry the facts the contract's errors carry, for callers to match
// on; cold path.
#![allow(clippy::result_large_err)]

use alloy::primitives::U256;

use super::{check::TreasuryError, types::AssetInfo};

/// Parse `text` as an amount of `asset`: a non-negative decimal number, then
/// optionally a unit. The units are the asset's symbol (case-insensitive; `ether` or
/// `eth` for ETH) and `wei`/`units` for the smallest unit (also `gwei` for ETH); no
/// unit means the asset's own unit (`1.5` ETH, `250` USDC). More fraction digits
/// than the asset has decimals, a negative sign or another asset's symbol is refused.
pub fn parse_amount(text: &str, asset: &AssetInfo) -> Result<U256, TreasuryError> {
    let bad = |why: &str| TreasuryError::InvalidAmount { text: text.into(), why: why.into() };
    let t = text.trim();
    if t.starts_with('-') {
        return Err(TreasuryError::NegativeAmount { text: text.into() });
    }
    let t = t.strip_prefix('+').unwrap_or(t);
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_')).unwrap_or(t.len());
    let (number, unit) = (t[..split].replace('_', ""), t[split..].trim());
    if number.is_empty() {
        return Err(bad("no number"));
    }
    let decimals = match unit.to_ascii_lowercase().as_str() {
        "" => asset.decimals,
        "wei" | "units" => 0,
        "gwei" if asset.is_eth() => 9,
        "ether" | "eth" if asset.is_eth() => 18,
        u if u == asset.symbol.to_ascii_lowercase() => asset.decimals,
        _ => {
            return Err(TreasuryError::UnitMismatch {
                unit: unit.into(),
                symbol: asset.symbol.clone(),
            });
        }
    };
    let (whole, frac) = number.split_once('.').unwrap_or((&number, ""));
    if frac.contains('.') || (whole.is_empty() && frac.is_empty()) {
        return Err(bad("not a number"));
    }
    if frac.len() > usize::from(decimals) {
        return Err(bad(&format!("more than {decimals} decimal places")));
    }
    let digits = format!("{whole}{frac:0<width$}", width = usize::from(decimals));
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Ok(U256::ZERO);
    }
    U256::from_str_radix(digits, 10).map_err(|_| bad("too large"))
}

/// `amount` (smallest units) in the asset's unit: `1.5 ether`, `250 USDC`, `0 ether`.
pub fn format_amount(amount: U256, asset: &AssetInfo) -> String {
    let scale = U256::from(10u64).pow(U256::from(asset.decimals));
    let (whole, frac) = (amount / scale, amount % scale);
    if frac.is_zero() {
        return format!("{whole} {}", asset.symbol);
    }
    let frac = format!("{frac:0>width$}", width = usize::from(asset.decimals));
    format!("{whole}.{} {}", frac.trim_end_matches('0'), asset.symbol)
}

#[cfg(test)]
mod tests {
    use alloy::primitives::Address;

    use super::*;

    fn usdc() -> AssetInfo {
        AssetInfo::token(Address::repeat_byte(1), "USDC", 6)
    }

    #[test]
    fn amounts_read_in_the_assets_units() {
        let eth = AssetInfo::eth();
        let e = |s| parse_amount(s, &eth).unwrap();
        assert_eq!(e("1.5 ether"), U256::from(15u64) * U256::from(10u64).pow(U256::from(17)));
        assert_eq!(e("1.5"), e("1.5 ETH"));
        assert_eq!(e("2 gwei"), U256::from(2_000_000_000u64));
        assert_eq!(e("7 wei"), U256::from(7));
        assert_eq!(e("1_000"), e("1000 ether"));
        let u = |s| parse_amount(s, &usdc());
        assert_eq!(u("250 USDC").unwrap(), U256::from(250_000_000u64));
        assert_eq!(u("0.000001 usdc").unwrap(), U256::from(1));
        assert_eq!(u(".5").unwrap(), U256::from(500_000u64));
    }

    #[test]
    fn bad_amounts_are_refused_with_the_reason() {
        let u = |s| parse_amount(s, &usdc()).unwrap_err();
        assert!(matches!(u("-1 USDC"), TreasuryError::NegativeAmount { .. }));
        assert!(matches!(u("1 ether"), TreasuryError::UnitMismatch { .. }));
        assert!(matches!(u("0.0000001"), TreasuryError::InvalidAmount { .. }));
        assert!(matches!(u("1.2.3"), TreasuryError::InvalidAmount { .. }));
        assert!(matches!(u("USDC"), TreasuryError::InvalidAmount { .. }));
        assert!(matches!(u("."), TreasuryError::InvalidAmount { .. }));
    }

    #[test]
    fn amounts_print_back_in_units() {
        assert_eq!(format_amount(U256::from(250_500_000u64), &usdc()), "250.5 USDC");
        assert_eq!(format_amount(U256::ZERO, &AssetInfo::eth()), "0 ether");
        let x = parse_amount("1.25", &AssetInfo::eth()).unwrap();
        assert_eq!(format_amount(x, &AssetInfo::eth()), "1.25 ether");
    }
}
