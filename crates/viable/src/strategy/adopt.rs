//! Suggested actions: the SDK's encoding of amendment actions in a proposal's
//! `suggestedActions` (`abi.encode(Action[])`, the constitution's `Action`), and the
//! amendment file (the TOML `viable constitution propose` reads) made from them.

use alloy::{primitives::Bytes, sol_types::SolValue};

use super::{ProposalId, StrategyError};
use crate::{
    bindings::ILegitimacyConstitution as IConst,
    constitution::{ARTICLE_APPEND, ActionSpec, Amendment, AmendmentFile, Role},
    deployment::Module,
    genesis::Quantity,
    keys,
};

/// Encode an amendment's actions as a proposal's `suggestedActions`.
pub fn encode_suggested_actions(amendment: &Amendment) -> Bytes {
    amendment.actions().to_vec().abi_encode().into()
}

/// Decode `suggestedActions` written by [`encode_suggested_actions`]; empty bytes are
/// no actions.
pub fn decode_suggested_actions(
    id: ProposalId,
    data: &[u8],
) -> Result<Vec<IConst::Action>, StrategyError> {
    if data.is_empty() {
        return Ok(Vec::new());
    }
    <Vec<IConst::Action>>::abi_decode(data)
        .map_err(|e| StrategyError::NotAmendmentActions { proposal_id: id, message: e.to_string() })
}

/// The amendment file that adopts proposal `id` with `actions`.
pub fn amendment_file(
    id: ProposalId,
    description: String,
    actions: &[IConst::Action],
) -> Result<AmendmentFile, StrategyError> {
    if actions.is_empty() {
        return Err(StrategyError::NoSuggestedActions { proposal_id: id });
    }
    let adopts = u64::try_from(id.0).map_err(|_| StrategyError::NotAmendmentActions {
        proposal_id: id,
        message: "the id does not fit an amendment file's `adopts`".into(),
    })?;
    let bad = |index: usize, what: &str| StrategyError::NotAmendmentActions {
        proposal_id: id,
        message: format!("action {index}: {what}"),
    };
    let actions = actions
        .iter()
        .enumerate()
        .map(|(i, a)| {
            Ok(match a.kind {
                0 => ActionSpec::SetParam {
                    key: keys::bytes32_to_text(&a.key).ok_or_else(|| bad(i, "unknown key"))?,
                    value: u64::try_from(a.value)
                        .map(Quantity::from)
                        .unwrap_or_else(|_| Quantity::Text(a.value.to_string())),
                },
                1 => ActionSpec::Recognize {
                    schema: a.key.to_string(),
                    weight: u64::try_from(a.value).map_err(|_| bad(i, "weight too large"))?,
                },
                2 => {
                    let role = Role::from_id(&a.key).ok_or_else(|| bad(i, "unknown role"))?;
                    let account = a.account.to_checksum(None);
                    if a.value.is_zero() {
                        ActionSpec::Revoke { role, account }
                    } else {
                        ActionSpec::Grant { role, account }
                    }
                }
                3 if a.value == ARTICLE_APPEND => ActionSpec::Article {
                    index: None,
                    text: None,
                    content_hash: Some(a.key.to_string()),
                    uri: a.uri.clone(),
                    repeal: false,
                },
                3 => {
                    let index = Some(u64::try_from(a.value).map_err(|_| bad(i, "article index"))?);
                    if a.key.is_zero() {
                        ActionSpec::Article {
                            index,
                            text: None,
                            content_hash: None,
                            uri: String::new(),
                            repeal: true,
                        }
                    } else {
                        ActionSpec::Article {
                            index,
                            text: None,
                            content_hash: Some(a.key.to_string()),
                            uri: a.uri.clone(),
                            repeal: false,
                        }
                    }
                }
                4 => ActionSpec::SetModule {
                    module: u8::try_from(a.value)
                        .ok()
                        .and_then(|v| Module::try_from(v).ok())
                        .ok_or_else(|| bad(i, "unknown directory slot"))?,
                    address: a.account.to_checksum(None),
                },
                k => return Err(bad(i, &format!("unknown action kind {k}"))),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(AmendmentFile { description, adopts, actions })
}

/// An amendment file as TOML.
pub fn amendment_toml(file: &AmendmentFile) -> String {
    toml::to_string(file).expect("an amendment file always serializes")
}

#[cfg(test)]
mod tests {
    use alloy::primitives::{Address, B256, U256};

    use super::*;
    use crate::keys::ParamKey;

    #[test]
    fn every_action_kind_survives_the_round_trip_through_a_file() {
        let a = Amendment::new()
            .set_param(ParamKey::LegitTimelock, U256::from(180u64))
            .set_param(ParamKey::StrategyStakeFloor, U256::from(10u64).pow(U256::from(24)))
            .recognize(B256::repeat_byte(3), 7)
            .grant(Role::Guardian, Address::repeat_byte(1))
            .revoke(Role::Steward, Address::repeat_byte(2))
            .article(0, B256::repeat_byte(4), "ipfs://a")
            .append_article(B256::repeat_byte(5), "ipfs://b")
            .repeal_article(2)
            .set_module(Module::Strategy, Address::repeat_byte(6))
            .description("x");
        let id = ProposalId::from(9);
        let actions = decode_suggested_actions(id, &encode_suggested_actions(&a)).unwrap();
        let file = amendment_file(id, "adopt 9".into(), &actions).unwrap();
        let back = Amendment::from_toml_str(&amendment_toml(&file), "t.toml").unwrap();
        assert_eq!(back.actions(), a.actions());
        assert_eq!(back.strategy_proposal_id(), U256::from(9));
        assert!(matches!(
            amendment_file(id, String::new(), &[]),
            Err(StrategyError::NoSuggestedActions { .. })
        ));
        assert!(matches!(
            decode_suggested_actions(id, b"not actions"),
            Err(StrategyError::NotAmendmentActions { .. })
        ));
    }
}
