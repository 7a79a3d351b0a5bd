// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ViableToken} from "../contracts/ViableToken.sol";
import {Fixture} from "./utils/Fixture.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {Votes} from "@openzeppelin/contracts/governance/utils/Votes.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";

/// @notice The dev governance token: ERC20Votes on a timestamp clock, every
/// genesis holder self-delegated so balances are votes from the first block.
contract ViableTokenTest is Fixture {
    uint48 internal constant T0 = 1_700_000_000;

    function setUp() public {
        _deployConstitution();
    }

    function _one(address holder, uint256 amount)
        internal
        pure
        returns (address[] memory h, uint256[] memory a)
    {
        h = new address[](1);
        h[0] = holder;
        a = new uint256[](1);
        a[0] = amount;
    }

    // ------------------------------------------------------------------
    // ERC-6372 clock
    // ------------------------------------------------------------------

    function test_clock_isBlockTimestamp() public {
        vm.assertEq(token.clock(), T0);
        vm.warp(T0 + 12_345);
        vm.assertEq(token.clock(), T0 + 12_345);
        // Not the block number.
        vm.roll(7);
        vm.assertEq(token.clock(), T0 + 12_345);
    }

    function test_CLOCK_MODE_isTimestamp() public view {
        vm.assertEq(token.CLOCK_MODE(), "mode=timestamp");
    }

    // ------------------------------------------------------------------
    // Genesis holders
    // ------------------------------------------------------------------

    function test_constructor_mintsAndSelfDelegates() public view {
        address[3] memory holders = [alice, bob, carol];
        for (uint256 i; i < 3; ++i) {
            vm.assertEq(token.balanceOf(holders[i]), HOLDING);
            vm.assertEq(token.delegates(holders[i]), holders[i]);
            vm.assertEq(token.getVotes(holders[i]), token.balanceOf(holders[i]));
        }
        vm.assertEq(token.totalSupply(), 3 * HOLDING);
        vm.assertEq(token.name(), "Viable Dev");
        vm.assertEq(token.symbol(), "VIA");
        vm.assertEq(token.decimals(), 18);
        vm.assertEq(token.getVotes(stranger), 0);
    }

    function test_constructor_emitsMintAndDelegation() public {
        address next = vm.computeCreateAddress(address(this), vm.getNonce(address(this)));
        (address[] memory h, uint256[] memory a) = _one(stranger, 5 ether);
        vm.expectEmit(true, true, true, true, next);
        emit IERC20.Transfer(address(0), stranger, 5 ether);
        vm.expectEmit(true, true, true, true, next);
        emit IVotes.DelegateChanged(stranger, address(0), stranger);
        vm.expectEmit(true, true, true, true, next);
        emit IVotes.DelegateVotesChanged(stranger, 0, 5 ether);
        ViableToken t = new ViableToken("T", "T", h, a);
        vm.assertEq(address(t), next);
    }

    function test_constructor_noHolders() public {
        ViableToken t = new ViableToken("T", "T", new address[](0), new uint256[](0));
        vm.assertEq(t.totalSupply(), 0);
        vm.assertEq(t.getVotes(alice), 0);
    }

    /// @dev A holder listed twice gets both amounts, all of it as votes.
    function test_constructor_duplicateHolderSums() public {
        address[] memory h = new address[](2);
        h[0] = stranger;
        h[1] = stranger;
        uint256[] memory a = new uint256[](2);
        a[0] = 3;
        a[1] = 4;
        ViableToken t = new ViableToken("T", "T", h, a);
        vm.assertEq(t.balanceOf(stranger), 7);
        vm.assertEq(t.getVotes(stranger), 7);
    }

    function test_RevertWhen_lengthMismatch() public {
        address[] memory h = new address[](2);
        h[0] = alice;
        h[1] = bob;
        uint256[] memory a = new uint256[](1);
        a[0] = 1;
        vm.expectRevert(abi.encodeWithSelector(ViableToken.ViableTokenLengthMismatch.selector, 2, 1));
        new ViableToken("T", "T", h, a);

        vm.expectRevert(abi.encodeWithSelector(ViableToken.ViableTokenLengthMismatch.selector, 0, 1));
        new ViableToken("T", "T", new address[](0), a);
    }

    function testFuzz_RevertWhen_lengthMismatch(uint8 holders, uint8 amounts) public {
        vm.assume(holders != amounts);
        vm.expectRevert(
            abi.encodeWithSelector(ViableToken.ViableTokenLengthMismatch.selector, holders, amounts)
        );
        new ViableToken("T", "T", new address[](holders), new uint256[](amounts));
    }

    function test_RevertWhen_holderIsZero() public {
        (address[] memory h, uint256[] memory a) = _one(address(0), 1);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        new ViableToken("T", "T", h, a);
    }

    /// @dev ERC20Votes caps supply at 2^208 - 1 so checkpoints cannot overflow.
    function test_RevertWhen_supplyAboveVotesCap() public {
        uint256 cap = type(uint208).max;
        (address[] memory h, uint256[] memory a) = _one(alice, cap + 1);
        vm.expectRevert(abi.encodeWithSelector(ERC20Votes.ERC20ExceededSafeSupply.selector, cap + 1, cap));
        new ViableToken("T", "T", h, a);
    }

    function testFuzz_constructor_votesEqualBalances(address[4] memory holders, uint96[4] memory amounts)
        public
    {
        address[] memory h = new address[](4);
        uint256[] memory a = new uint256[](4);
        uint256 total;
        for (uint256 i; i < 4; ++i) {
            vm.assume(holders[i] != address(0));
            h[i] = holders[i];
            a[i] = amounts[i];
            total += amounts[i];
        }
        ViableToken t = new ViableToken("T", "T", h, a);
        vm.assertEq(t.totalSupply(), total);
        for (uint256 i; i < 4; ++i) {
            uint256 expected;
            for (uint256 j; j < 4; ++j) {
                if (h[j] == h[i]) expected += a[j];
            }
            vm.assertEq(t.balanceOf(h[i]), expected);
            vm.assertEq(t.getVotes(h[i]), expected);
            vm.assertEq(t.delegates(h[i]), h[i]);
        }
    }

    // ------------------------------------------------------------------
    // Past votes on the timestamp clock
    // ------------------------------------------------------------------

    function test_getPastVotes_afterWarp() public {
        vm.warp(T0 + 100);
        vm.prank(alice);
        vm.assertTrue(token.transfer(bob, HOLDING / 4));
        vm.warp(T0 + 200);

        vm.assertEq(token.getPastVotes(alice, T0), HOLDING);
        vm.assertEq(token.getPastVotes(alice, T0 + 99), HOLDING);
        vm.assertEq(token.getPastVotes(alice, T0 + 100), HOLDING - HOLDING / 4);
        vm.assertEq(token.getPastVotes(bob, T0 + 99), HOLDING);
        vm.assertEq(token.getPastVotes(bob, T0 + 100), HOLDING + HOLDING / 4);
        vm.assertEq(token.getPastVotes(alice, T0 - 1), 0);
        vm.assertEq(token.getPastTotalSupply(T0 + 150), 3 * HOLDING);
        vm.assertEq(token.getVotes(alice), HOLDING - HOLDING / 4);
    }

    function test_RevertWhen_getPastVotesNotInPast() public {
        uint48 now_ = T0;
        vm.expectRevert(abi.encodeWithSelector(Votes.ERC5805FutureLookup.selector, uint256(now_), now_));
        token.getPastVotes(alice, now_);
        vm.expectRevert(abi.encodeWithSelector(Votes.ERC5805FutureLookup.selector, uint256(now_) + 1, now_));
        token.getPastTotalSupply(now_ + 1);
    }

    /// @dev Only genesis holders are auto-delegated: a later recipient must delegate.
    function test_transfer_toUndelegatedRecipientHasNoVotesUntilDelegating() public {
        vm.prank(alice);
        vm.assertTrue(token.transfer(stranger, 10 ether));
        vm.assertEq(token.getVotes(stranger), 0);
        vm.assertEq(token.getVotes(alice), HOLDING - 10 ether);

        vm.prank(stranger);
        token.delegate(stranger);
        vm.assertEq(token.getVotes(stranger), 10 ether);
    }

    function testFuzz_getPastVotes_tracksTransfers(uint256 amount, uint32 gap) public {
        amount = bound(amount, 0, HOLDING);
        uint256 dt = bound(gap, 1, 365 days);
        vm.warp(T0 + dt);
        vm.prank(carol);
        vm.assertTrue(token.transfer(alice, amount));
        vm.warp(T0 + 2 * dt);
        vm.assertEq(token.getPastVotes(carol, T0 + dt - 1), HOLDING);
        vm.assertEq(token.getPastVotes(carol, T0 + dt), HOLDING - amount);
        vm.assertEq(token.getPastVotes(alice, T0 + dt), HOLDING + amount);
        vm.assertEq(token.getPastTotalSupply(T0 + dt), 3 * HOLDING);
    }
}
