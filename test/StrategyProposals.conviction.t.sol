// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {LegitimacyConstitution} from "../contracts/LegitimacyConstitution.sol";
import {StrategyProposals} from "../contracts/StrategyProposals.sol";
import {ViableToken} from "../contracts/ViableToken.sol";
import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {IStrategyProposals} from "../contracts/interfaces/IStrategyProposals.sol";
import {HalfLifeMath} from "../contracts/libraries/HalfLifeMath.sol";
import {ParamKeys} from "../contracts/libraries/ParamKeys.sol";
import {StrategyProposalsBase} from "./StrategyProposals.base.t.sol";
import {Genesis} from "./utils/Genesis.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

/// @notice The conviction model: the formula, monotone convergence, the clock, the
/// half-life as a live parameter, the leaving-stake rule, flash stake, the exact
/// crossing time a keeper computes, and the extremes (a stake of the whole supply cap,
/// decades without an update).
contract StrategyProposalsConvictionTest is StrategyProposalsBase {
    uint256 internal p1;
    uint256 internal p2;

    function setUp() public override {
        super.setUp();
        p1 = _propose(alice);
        p2 = _propose(bob);
    }

    /// @dev The contract's own update from conviction `c0` with support `s` over `units`
    /// clock units: the deficit shrinks by the decay factor rounded up.
    function _replica(uint256 c0, uint256 s, uint256 units) internal pure returns (uint256) {
        return s - HalfLifeMath.scale(s - c0, HalfLifeMath.fromClock(units, true), true);
    }

    /// @dev c(dt) = S (1 - 2^(-dt/halfLife)) in exact arithmetic, rounded down or up.
    function _exact(uint256 s, uint256 dt, bool roundUp) internal pure returns (uint256) {
        return s - HalfLifeMath.scale(s, HalfLifeMath.decay(dt, HALF_LIFE, !roundUp), !roundUp);
    }

    function _positionConviction(uint256 id, address who) internal view returns (uint256 c) {
        (, c) = strategy.supportOf(id, who);
    }

    // ------------------------------------------------------------------
    // The formula
    // ------------------------------------------------------------------

    /// @notice After support S has stood for dt seconds, conviction is the contract's
    /// update over floor(dt * 2^19 / halfLife) clock units, and lies between the exact
    /// S (1 - 2^(-dt/halfLife)) one second earlier and now.
    function testFuzz_conviction_followsTheFormula(uint256 amount, uint256 dt) public {
        amount = bound(amount, 1, 400_000 ether);
        dt = bound(dt, 1, 40 * HALF_LIFE);
        _stakeAndSupport(alice, p1, amount);
        _warp(dt);
        uint256 c = strategy.conviction(p1);
        vm.assertEq(c, _replica(0, amount, dt * UNITS / HALF_LIFE), "the contract's own update");
        vm.assertLe(c, _exact(amount, dt, true), "never above the exact value");
        vm.assertGe(c, _exact(amount, dt - 1, false), "lags the exact value by under a second");
        vm.assertLe(c, amount, "c <= S");
    }

    function test_conviction_halfAfterOneHalfLife() public {
        _stakeAndSupport(alice, p1, 1000 ether);
        _warp(HALF_LIFE);
        vm.assertEq(strategy.conviction(p1), 500 ether, "whole half-lives are exact");
        _warp(HALF_LIFE);
        vm.assertEq(strategy.conviction(p1), 750 ether);
    }

    /// @notice Sustained support S: conviction only grows, never passes S, and settles a
    /// wei below it (the deficit is rounded up, so it never reaches zero).
    function testFuzz_conviction_convergesMonotonicallyTowardsSupport(uint256 amount, uint256[8] memory steps)
        public
    {
        amount = bound(amount, 1, 400_000 ether);
        _stakeAndSupport(alice, p1, amount);
        uint256 previous;
        for (uint256 i; i < steps.length; ++i) {
            _warp(bound(steps[i], 0, 10 * HALF_LIFE));
            uint256 c = strategy.conviction(p1);
            vm.assertGe(c, previous, "monotone");
            vm.assertLe(c, amount, "c <= S");
            previous = c;
        }
        _warp(200 * HALF_LIFE);
        vm.assertEq(strategy.conviction(p1), amount - 1, "settles one wei below S");
    }

    /// @notice Updates in between (each rounded) keep conviction monotone and below S.
    function testFuzz_conviction_monotoneThroughUpdates(uint256 amount, uint256[6] memory steps) public {
        amount = bound(amount, 1 ether, 400_000 ether);
        _stakeAndSupport(alice, p1, amount);
        _stake(bob, 6);
        uint256 previous;
        uint256 s = amount;
        for (uint256 i; i < steps.length; ++i) {
            _warp(bound(steps[i], 1, 3 * HALF_LIFE));
            _support(bob, p1, 1); // an update, and one wei more support
            s += 1;
            uint256 c = strategy.conviction(p1);
            vm.assertGe(c, previous, "monotone");
            vm.assertLe(c, s, "c <= S");
            previous = c;
        }
    }

    // ------------------------------------------------------------------
    // The clock
    // ------------------------------------------------------------------

    /// @notice Conviction equal to the threshold is enough: `promotable` says ready and
    /// `promote` succeeds. The threshold is set to the conviction exactly by staking
    /// until the total is five times it (readyBps 2000, rounded up).
    function test_promotable_atExactlyTheThreshold() public {
        _stakeAndSupport(alice, p1, 1000 ether);
        _warp(HALF_LIFE);
        (, uint256 conviction,) = strategy.promotable(p1);
        vm.assertGt(5 * conviction, strategy.totalStaked(), "alice's stake alone sets a lower threshold");
        _stake(bob, 5 * conviction - strategy.totalStaked());
        (bool ready, uint256 c, uint256 t) = strategy.promotable(p1);
        vm.assertEq(t, c, "threshold == conviction");
        vm.assertTrue(ready, "equal is enough");
        _promote(p1);
    }

    /// @notice The clock converts seconds to 2^(-19) half-lives exactly, carrying the
    /// fraction: a proposal updated every few seconds reads the same clock as one updated
    /// once, and the same positions on both have the same conviction to the wei.
    function testFuzz_clock_carriesFractionsExactly(uint256 seed) public {
        _stake(alice, 2000 ether);
        _support(alice, p1, 1000 ether);
        _support(alice, p2, 1000 ether);
        _stake(bob, 1000);
        uint256 elapsed;
        for (uint256 i; i < 40; ++i) {
            uint256 step = 1 + uint256(keccak256(abi.encode(seed, i))) % 13;
            _warp(step);
            elapsed += step;
            _support(bob, p1, 1); // p1 is updated every step; p2 is not
        }
        _support(bob, p2, 1);
        IStrategyProposals.Proposal memory a = strategy.proposal(p1);
        IStrategyProposals.Proposal memory b = strategy.proposal(p2);
        vm.assertEq(a.clock, elapsed * UNITS / HALF_LIFE, "clock = floor(elapsed * 2^19 / halfLife)");
        vm.assertEq(b.clock, a.clock, "same clock however often updated");
        vm.assertEq(a.clockRemainder, elapsed * UNITS % HALF_LIFE, "the carried fraction of a unit");
        vm.assertEq(a.clockRemainder, b.clockRemainder);
        vm.assertEq(
            _positionConviction(p1, alice), _positionConviction(p2, alice), "same position conviction"
        );
        // The aggregates round once per update, and bob's wei of support on p1 earned a
        // little: they differ by a few wei, and neither exceeds its positions.
        _assertNear(a.conviction, b.conviction, 3 * 40, "aggregates agree to rounding");
        vm.assertLe(a.conviction, _positionConviction(p1, alice) + _positionConviction(p1, bob));
        vm.assertLe(b.conviction, _positionConviction(p2, alice) + _positionConviction(p2, bob));
    }

    /// @notice The clock only runs while there is support: with none, nothing decays.
    function test_clock_standsStillWithoutSupport() public {
        _warp(10 * HALF_LIFE);
        _stakeAndSupport(alice, p1, 100 ether);
        vm.assertEq(strategy.proposal(p1).clock, 0);
        vm.assertEq(strategy.conviction(p1), 0, "support arriving late starts from zero");
        _warp(HALF_LIFE);
        vm.assertEq(strategy.conviction(p1), 50 ether);
    }

    /// @notice A new half-life (an amendment) applies from each proposal's next update.
    /// The proposal and its positions share the clock, so they stay consistent.
    function test_halfLife_amendmentAppliesFromNextUpdate() public {
        _stakeAndSupport(alice, p1, 1000 ether);
        _warp(HALF_LIFE);
        _stakeAndSupport(bob, p1, 1000 ether); // an update at the old half-life
        IStrategyProposals.Proposal memory before = strategy.proposal(p1);
        vm.assertEq(before.clockHalfLife, HALF_LIFE);
        vm.assertEq(before.clock, UNITS);

        _setHalfLife(2 * HALF_LIFE);
        _warp(2 * HALF_LIFE); // one half-life at the new value
        uint256 c = strategy.conviction(p1);
        // Deficit after one old half-life: 500 (alice) + 1000 (bob); halved again.
        vm.assertEq(c, 2000 ether - 750 ether);
        vm.assertEq(strategy.proposal(p1).clockHalfLife, HALF_LIFE, "a view writes nothing");
        _unsupport(bob, p1, 1000 ether); // an update at the new half-life
        IStrategyProposals.Proposal memory afterwards = strategy.proposal(p1);
        vm.assertEq(afterwards.clockHalfLife, 2 * HALF_LIFE);
        vm.assertEq(afterwards.clock, 2 * UNITS);
        vm.assertEq(_positionConviction(p1, alice), 750 ether, "two half-lives, one at each value");
        vm.assertLe(strategy.conviction(p1), _positionConviction(p1, alice));
    }

    /// @notice Halving the half-life mid-unit rescales the carried fraction, so the clock
    /// never runs backwards and no position decays past the proposal.
    function testFuzz_halfLife_changesKeepPositionsConsistent(uint256 h1, uint256 h2, uint256 t1, uint256 t2)
        public
    {
        h1 = bound(h1, 1, 30 days);
        h2 = bound(h2, 1, 30 days);
        _setMaxAge(3650 days);
        _setHalfLife(h1);
        _stakeAndSupport(alice, p1, 700 ether);
        _warp(bound(t1, 1, 3 * h1));
        _stakeAndSupport(bob, p1, 300 ether);
        IStrategyProposals.Proposal memory mid = strategy.proposal(p1);
        uint256 clockBefore = mid.clock;
        _setHalfLife(h2);
        _warp(bound(t2, 1, 3 * h2));
        _unsupport(bob, p1, 100 ether);
        vm.assertGe(strategy.proposal(p1).clock, clockBefore);
        // Exactly: the carried fraction is rescaled to the new half-life, then the
        // elapsed time is added in 2^(-19) half-lives of the new value.
        IStrategyProposals.Proposal memory last = strategy.proposal(p1);
        uint256 carried = uint256(mid.clockRemainder) * h2 / h1;
        uint256 scaled = (last.updatedAt - mid.updatedAt) * UNITS + carried;
        vm.assertEq(last.clock, mid.clock + scaled / h2, "clock after the change");
        vm.assertEq(last.clockRemainder, scaled % h2, "the fraction carried over, rescaled");
        uint256 sum = _positionConviction(p1, alice) + _positionConviction(p1, bob);
        vm.assertLe(strategy.conviction(p1), sum, "proposal <= its positions");
        vm.assertLe(strategy.conviction(p1), strategy.proposal(p1).support, "c <= S");
    }

    // ------------------------------------------------------------------
    // The leaving-stake rule
    // ------------------------------------------------------------------

    /// @notice gardens-v2 issue 369, replayed: a whale's long support of p1 leaves (unsupport
    /// then unstake), the threshold falls with the total stake, and p1 is left with the
    /// conviction of its remaining supporter only: it does not become Ready, although the
    /// conviction it had is far above the new threshold.
    function test_leavingStake_cannotCarryAProposal() public {
        _stakeAndSupport(dave, p1, 100_000 ether);
        _warp(10 * HALF_LIFE);
        vm.assertGt(strategy.conviction(p1), 99_000 ether);
        _stakeAndSupport(carol, p1, 5000 ether);
        _warp(1);
        _unsupport(dave, p1, 100_000 ether);
        _unstake(dave, 100_000 ether);

        vm.assertEq(strategy.threshold(), 1000 ether, "20% of carol's 5,000");
        uint256 c = strategy.conviction(p1);
        vm.assertLe(c, _positionConviction(p1, carol), "only carol's own conviction is left");
        vm.assertLt(c, 30 ether);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsBelowThreshold.selector, p1, c, strategy.threshold()
            )
        );
        strategy.promote(p1);

        // Carol alone carries it in time, as she would have without the whale.
        _warp(2 * HALF_LIFE);
        vm.assertGe(_positionConviction(p1, carol), strategy.threshold());
        _promote(p1);
    }

    /// @notice For any whale and any timing: after the whale leaves, p1's conviction is
    /// at most what carol's position earned on its own, and whenever p1 can be promoted
    /// carol's own conviction carries it; p2, which only carol supported (the world
    /// where the whale never came), is then ready too, to a wei or two of rounding.
    function testFuzz_leavingStake_neverCarries(
        uint256 whale,
        uint256 small,
        uint256 t1,
        uint256 t2,
        uint256 t3
    ) public {
        whale = bound(whale, 1 ether, 400_000 ether);
        small = bound(small, 1 ether, 100_000 ether);
        _stakeAndSupport(dave, p1, whale);
        _warp(bound(t1, 0, 10 * HALF_LIFE));
        _stake(carol, 2 * small);
        _support(carol, p1, small);
        _support(carol, p2, small);
        _warp(bound(t2, 0, 3 * HALF_LIFE));
        _unsupport(dave, p1, whale);
        _unstake(dave, whale);
        _warp(bound(t3, 0, 5 * HALF_LIFE));

        uint256 carolOwn = _positionConviction(p1, carol);
        vm.assertLe(strategy.conviction(p1), carolOwn, "nothing of the whale's conviction stays");
        // Her two positions ran the same time; the two proposals' clocks floor it
        // separately, so they may differ by one clock unit (2^-19 half-lives) of decay.
        uint256 slack = small / (1 << 18) + 2;
        _assertNear(carolOwn, _positionConviction(p2, carol), slack, "carol's positions are alike");
        (bool ready1,,) = strategy.promotable(p1);
        if (ready1) {
            vm.assertGe(carolOwn, strategy.threshold(), "the remaining supporter carries it alone");
            // p2 (her support alone) is within that slack of ready too.
            vm.assertGe(strategy.conviction(p2) + slack, strategy.threshold());
        }
    }

    /// @notice Part of a position leaves with its share of the position's conviction
    /// (rounded up), so a staker cannot shuffle stake to keep conviction it did not earn.
    function test_leavingStake_partialTakesItsShare() public {
        _stakeAndSupport(alice, p1, 800 ether);
        _warp(HALF_LIFE);
        uint256 own = _positionConviction(p1, alice); // about 400
        _unsupport(alice, p1, 200 ether);
        vm.assertEq(_positionConviction(p1, alice), own - (own * 200 + 799) / 800);
        _assertNear(_positionConviction(p1, alice), 300 ether, 2, "three quarters of 400");
        vm.assertLe(strategy.conviction(p1), _positionConviction(p1, alice));
    }

    /// @notice Temporary stake cannot speed a position up: support added and removed
    /// again leaves a position's conviction at or below what it had without.
    function testFuzz_leavingStake_temporaryStakeDoesNotAccelerate(uint256 extra, uint256 t1, uint256 t2)
        public
    {
        extra = bound(extra, 1 ether, 300_000 ether);
        _stake(alice, 200 ether + extra);
        _support(alice, p1, 100 ether);
        _support(alice, p2, 100 ether);
        _warp(bound(t1, 0, 3 * HALF_LIFE));
        _support(alice, p1, extra); // p1 gets a temporary boost
        _warp(bound(t2, 0, 3 * HALF_LIFE));
        _unsupport(alice, p1, extra);
        vm.assertLe(_positionConviction(p1, alice), _positionConviction(p2, alice) + 1);
        vm.assertLe(strategy.conviction(p1), strategy.conviction(p2) + 1);
    }

    /// @notice Support that comes and goes in the same second leaves the others'
    /// conviction as it was (it takes only what it earned: nothing).
    function test_flashSupport_doesNotGriefOthers() public {
        _stake(alice, 2000 ether);
        _support(alice, p1, 1000 ether);
        _support(alice, p2, 1000 ether);
        _warp(2 * HALF_LIFE);
        _stakeAndSupport(dave, p1, 400_000 ether);
        _unsupport(dave, p1, 400_000 ether);
        _unstake(dave, 400_000 ether);
        _warp(1);
        _assertNear(strategy.conviction(p1), strategy.conviction(p2), 2, "others keep their conviction");
        // And after a second of support, it takes what that second earned, no more.
        _stakeAndSupport(dave, p1, 400_000 ether);
        _warp(1);
        _unsupport(dave, p1, 400_000 ether);
        _assertNear(strategy.conviction(p1), strategy.conviction(p2), 4, "it took what it earned");
    }

    /// @notice Flash stake in one transaction cannot promote: conviction needs time, and
    /// staking raises the threshold.
    function test_flashStake_cannotPromote() public {
        _stakeAndSupport(alice, p1, 300 ether);
        _warp(HALF_LIFE);
        uint256 c = strategy.conviction(p1);
        uint256 before = strategy.threshold();
        vm.assertLt(c, before);
        _stakeAndSupport(dave, p1, 400_000 ether); // same second
        vm.assertEq(strategy.conviction(p1), c, "support brings no conviction at once");
        vm.assertGt(strategy.threshold(), before);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsBelowThreshold.selector, p1, c, strategy.threshold()
            )
        );
        strategy.promote(p1);
    }

    // ------------------------------------------------------------------
    // The crossing time a keeper computes
    // ------------------------------------------------------------------

    /// @notice The keeper's exact prediction: the fewest clock units u with
    /// S - ceil((S - c) * up(2^(-u/2^19))) >= T, then the first second at which the clock
    /// has run u units: t = updatedAt + ceil((u * halfLife - remainder) / 2^19). Promote
    /// fails one second earlier and succeeds at t.
    function testFuzz_crossingTime_isExact(uint256 amount, uint256 other, uint256 t1) public {
        amount = bound(amount, 300 ether, 100_000 ether);
        other = bound(other, 1 ether, 100_000 ether);
        _setMaxAge(3650 days);
        _stakeAndSupport(alice, p1, amount);
        _stake(bob, other); // raises the total stake, and the threshold with it
        _warp(bound(t1, 1, HALF_LIFE));
        _stakeAndSupport(carol, p1, 1); // an update: now c > 0 and the clock carries a fraction

        IStrategyProposals.Proposal memory p = strategy.proposal(p1);
        uint256 threshold_ = strategy.threshold();
        if (p.support <= threshold_) return; // never crosses
        // Fewest units: binary search on the contract's own rounding.
        uint256 lo;
        uint256 hi = 256 * UNITS;
        while (lo < hi) {
            uint256 mid = (lo + hi) / 2;
            if (_replica(p.conviction, p.support, mid) >= threshold_) hi = mid;
            else lo = mid + 1;
        }
        uint256 needed = lo;
        if (needed == 0) {
            _promote(p1); // it had crossed already at its last update
            return;
        }
        uint256 at = p.updatedAt + (needed * p.clockHalfLife - p.clockRemainder + UNITS - 1) / UNITS;
        vm.warp(at - 1);
        (bool early,,) = strategy.promotable(p1);
        vm.assertFalse(early, "not a second early");
        vm.warp(at);
        _promote(p1);
        _assertState(p1, IStrategyProposals.ProposalState.Ready);
    }

    // ------------------------------------------------------------------
    // Extremes
    // ------------------------------------------------------------------

    /// @notice A stake of the whole ERC20Votes supply cap (2^208 - 1), supported for ten
    /// years and then untouched for ninety more: no overflow anywhere, conviction settles
    /// one wei below the support, and every token comes back.
    function test_extremes_supplyCapStakeAndCentury() public {
        address whale = makeAddr("whale");
        uint256 supply = type(uint208).max;
        address[] memory holders = new address[](1);
        holders[0] = whale;
        uint256[] memory amounts = new uint256[](1);
        amounts[0] = supply;
        ViableToken big = new ViableToken("Big", "BIG", holders, amounts);
        LegitimacyConstitution c = new LegitimacyConstitution(Genesis.dev(), IVotes(address(big)));
        StrategyProposals s = new StrategyProposals(address(c));
        vm.startPrank(whale);
        big.approve(address(s), type(uint256).max);
        uint256 q = s.openQuestion(TEXT, URI);
        uint256 id = s.propose(q, LEGITIMACY, TEXT, "", "");
        uint256 stakeAmount = supply - 2 * MIN_BOND;
        s.stake(stakeAmount);
        s.support(id, stakeAmount);
        vm.warp(block.timestamp + 500);
        vm.assertEq(s.conviction(id), _replica(0, stakeAmount, 500 * UNITS / HALF_LIFE));
        s.promote(id); // 500 s > log2(1/0.8) half-lives
        vm.warp(block.timestamp + 36_500 days);
        s.unsupport(id, stakeAmount / 3);
        s.unsupport(id, stakeAmount - stakeAmount / 3);
        s.unstake(stakeAmount);
        vm.stopPrank();
        vm.assertEq(big.balanceOf(whale), supply - MIN_BOND, "all back but the open question's bond");
        vm.assertEq(big.balanceOf(address(s)), s.totalStaked() + s.totalBonds());
    }

    /// @notice An Open proposal left alone for a century: the clock stops ten years after
    /// creation (the longest `strategy.maxAge` there can be), every view and update still
    /// works, and conviction sits a wei below the support.
    function test_extremes_clockStopsAfterTenYears() public {
        _setHalfLife(1);
        _setMaxAge(3650 days);
        _stakeAndSupport(alice, p1, 1000 ether);
        _warp(36_500 days);
        vm.assertEq(strategy.conviction(p1), 1000 ether - 1);
        _unsupport(alice, p1, 1 ether); // an update, allowed at any age
        IStrategyProposals.Proposal memory p = strategy.proposal(p1);
        vm.assertEq(p.clock, 3650 days * UNITS, "the clock stopped at ten years");
        vm.assertLt(p.clock, 1 << 48);
        vm.assertEq(p.updatedAt, p.createdAt + 3650 days);
        _unsupport(alice, p1, 999 ether);
        vm.assertEq(strategy.proposal(p1).support, 0);
        vm.assertEq(strategy.conviction(p1), 0);
    }

    // ------------------------------------------------------------------
    // Parameters changed as by an amendment
    // ------------------------------------------------------------------

    function _setHalfLife(uint256 value) internal {
        vm.mockCall(
            address(constitution),
            abi.encodeCall(ILegitimacyConstitution.param, (ParamKeys.STRATEGY_HALF_LIFE)),
            abi.encode(value)
        );
    }

    function _setMaxAge(uint256 value) internal {
        vm.mockCall(
            address(constitution),
            abi.encodeCall(ILegitimacyConstitution.param, (ParamKeys.STRATEGY_MAX_AGE)),
            abi.encode(value)
        );
    }
}
