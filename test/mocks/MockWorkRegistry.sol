// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IViableModule} from "../../contracts/interfaces/IViableModule.sol";
import {ModuleKinds} from "../../contracts/libraries/ModuleKinds.sol";

/// @notice A stand-in Work module that passes every directory check (it names the
/// constitution, reports the Work kind and the predecessor it is given) but answers the
/// Work House reads however the test says: set powers, a revert, burning all its gas, the
/// right answer padded to 256 KiB (a returndata bomb), a word beyond the Work tally,
/// nothing at all, or zero.
/// It is what a faulty or hostile WorkRegistry could look like after a careless
/// amendment wired it in.
contract MockWorkRegistry is IViableModule {
    enum Mode {
        Answer,
        Revert,
        BurnGas,
        ReturnBomb,
        Overflow,
        Empty,
        Zero
    }

    error MockWorkRegistryBroken();

    address public immutable constitution;
    address public immutable predecessor;
    bytes32 public constant moduleKind = ModuleKinds.WORK;

    Mode public mode;
    /// @dev Only the per-account reads misbehave; the total still answers.
    bool public onlyAccounts;
    mapping(address account => uint256) public power;
    uint256 public totalPower;
    /// @dev Gas every read burns before it answers (a slow but correct registry).
    uint256 public burn;

    constructor(address constitution_, address predecessor_) {
        constitution = constitution_;
        predecessor = predecessor_;
    }

    function setMode(Mode mode_, bool onlyAccounts_) external {
        mode = mode_;
        onlyAccounts = onlyAccounts_;
    }

    function setBurn(uint256 burn_) external {
        burn = burn_;
    }

    /// @notice Set the total alone (a registry whose total disagrees with its accounts).
    function setTotalPower(uint256 total) external {
        totalPower = total;
    }

    /// @notice Give `account` `p` power; the total follows.
    function setPower(address account, uint256 p) external {
        totalPower = totalPower - power[account] + p;
        power[account] = p;
    }

    function getPastPower(address account, uint256) external view returns (uint256) {
        return _answer(power[account]);
    }

    function getPastTotalPower(uint256) external view returns (uint256) {
        return onlyAccounts ? totalPower : _answer(totalPower);
    }

    function _answer(uint256 value) internal view returns (uint256) {
        uint256 until = gasleft() - burn;
        while (gasleft() > until) {}
        Mode m = mode;
        if (m == Mode.Revert) revert MockWorkRegistryBroken();
        if (m == Mode.BurnGas) {
            while (true) {}
        }
        if (m == Mode.ReturnBomb) {
            assembly {
                mstore(0, value)
                return(0, 0x40000)
            }
        }
        if (m == Mode.Overflow) {
            assembly {
                mstore(0, shl(48, 1))
                return(0, 0x20)
            }
        }
        if (m == Mode.Empty) {
            assembly {
                return(0, 0)
            }
        }
        return m == Mode.Zero ? 0 : value;
    }
}
