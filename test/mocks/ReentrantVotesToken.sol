// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

/// @notice A governance token (ERC20Votes, timestamp clock) that, once armed, calls a
/// chosen contract in the middle of its next transfer, the way a token with transfer
/// hooks could. It records whether that call succeeded and what it returned, and never
/// lets the call's failure stop the transfer, so a test can see both the outer operation
/// and the refused re-entry.
contract ReentrantVotesToken is ERC20, ERC20Votes {
    address private _target;
    bytes private _data;
    bool public reentered;
    bool public reentrySucceeded;
    bytes public reentryReturn;

    constructor(address holder, uint256 amount) ERC20("Reentrant", "RE") EIP712("Reentrant", "1") {
        _mint(holder, amount);
        _delegate(holder, holder);
    }

    /// @notice Call `target` with `data` during the next transfer.
    function arm(address target, bytes calldata data) external {
        _target = target;
        _data = data;
    }

    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
        address target = _target;
        if (target != address(0)) {
            _target = address(0);
            reentered = true;
            (reentrySucceeded, reentryReturn) = target.call(_data);
        }
    }
}
