// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @title ViableToken
/// @notice A fixed-supply governance token for a Viable Token House: OpenZeppelin
/// ERC20Votes with a timestamp clock (ERC-6372 `mode=timestamp`). The whole supply is
/// minted at construction and each holder starts self-delegated, so balances count
/// as votes without a separate `delegate` call. The dev genesis deploys it; a
/// production genesis may instead name any existing IVotes token.
/// @dev No owner, no further minting.
contract ViableToken is ERC20, ERC20Permit, ERC20Votes {
    /// @notice `holders` and `amounts` differ in length.
    error ViableTokenLengthMismatch(uint256 holders, uint256 amounts);

    /// @param name_ Token name.
    /// @param symbol_ Token symbol.
    /// @param holders Initial holders; each is self-delegated.
    /// @param amounts Initial balances, index-aligned with `holders`.
    constructor(
        string memory name_,
        string memory symbol_,
        address[] memory holders,
        uint256[] memory amounts
    ) ERC20(name_, symbol_) ERC20Permit(name_) {
        if (holders.length != amounts.length) {
            revert ViableTokenLengthMismatch(holders.length, amounts.length);
        }
        for (uint256 i; i < holders.length; ++i) {
            _mint(holders[i], amounts[i]);
            _delegate(holders[i], holders[i]);
        }
    }

    /// @notice The ERC-6372 clock: block timestamps.
    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    /// @notice The ERC-6372 clock mode.
    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }

    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }
}
