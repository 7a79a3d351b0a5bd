// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {IStrategyProposals} from "../contracts/interfaces/IStrategyProposals.sol";
import {ParamKeys} from "../contracts/libraries/ParamKeys.sol";
import {AmendmentsBase} from "./LegitimacyConstitution.amendments.base.t.sol";
import {StrategyProposalsBase} from "./StrategyProposals.base.t.sol";
import {MockTreasury} from "./mocks/MockTreasury.sol";

/// @notice promote, expire and markAdopted: the state machine, the threshold rule and
/// the bonds that come back exactly once.
contract StrategyProposalsLifecycleTest is StrategyProposalsBase {
    uint256 internal id;

    function setUp() public override {
        super.setUp();
        id = _propose(alice);
    }

    /// @dev Enough support on `id` to pass the threshold after a few half-lives.
    function _carry() internal {
        _stakeAndSupport(bob, id, 1000 ether);
        _warp(3 * HALF_LIFE);
    }

    // ------------------------------------------------------------------
    // promote
    // ------------------------------------------------------------------

    function test_promote_makesReadyAndReturnsTheBond() public {
        _carry();
        uint256 c = strategy.conviction(id);
        uint256 t = strategy.threshold();
        (bool ready, uint256 c2, uint256 t2) = strategy.promotable(id);
        vm.assertTrue(ready);
        vm.assertEq(c2, c);
        vm.assertEq(t2, t);
        uint256 before = token.balanceOf(alice);
        vm.expectEmit(address(strategy));
        emit IStrategyProposals.ProposalReady(id, IStrategyProposals.Target.Legitimacy, c, t);
        _promote(id);
        _assertState(id, IStrategyProposals.ProposalState.Ready);
        vm.assertEq(token.balanceOf(alice), before + MIN_BOND);
        vm.assertEq(strategy.totalBonds(), MIN_BOND); // the question's
        _assertSolvent();

        // Twice: refused, and the bond does not come back again.
        vm.prank(stranger);
        vm.expectRevert(
            _wrongState(id, IStrategyProposals.ProposalState.Ready, IStrategyProposals.ProposalState.Open)
        );
        strategy.promote(id);
        vm.assertEq(token.balanceOf(alice), before + MIN_BOND);
    }

    /// @notice The threshold is readyBps of the total stake, or of the floor when the
    /// total is smaller, rounded up, and at least one wei.
    function testFuzz_threshold_isReadyBpsOfStakeOrFloor(uint256 total, uint256 floor_, uint256 bps) public {
        total = bound(total, 0, 400_000 ether);
        floor_ = bound(floor_, 0, type(uint128).max);
        bps = bound(bps, 1, 10_000);
        if (total > 0) _stake(dave, total);
        _mockParam(ParamKeys.STRATEGY_STAKE_FLOOR, floor_);
        _mockParam(ParamKeys.STRATEGY_READY_BPS, bps);
        uint256 base = total > floor_ ? total : floor_;
        uint256 expected = (base * bps + 9999) / 10_000;
        vm.assertEq(strategy.threshold(), expected == 0 ? 1 : expected);
    }

    /// @notice promote succeeds exactly when `promotable` says so.
    function testFuzz_promote_iffPromotable(uint256 amount, uint256 dt) public {
        amount = bound(amount, 1 ether, 100_000 ether);
        dt = bound(dt, 0, MAX_AGE + 60);
        _stakeAndSupport(bob, id, amount);
        _warp(dt);
        (bool ready, uint256 c, uint256 t) = strategy.promotable(id);
        if (!ready) {
            if (block.timestamp >= strategy.expiresAt(id)) {
                vm.expectRevert(
                    abi.encodeWithSelector(
                        IStrategyProposals.StrategyProposalsPastMaxAge.selector,
                        id,
                        strategy.expiresAt(id),
                        block.timestamp
                    )
                );
            } else {
                vm.expectRevert(
                    abi.encodeWithSelector(
                        IStrategyProposals.StrategyProposalsBelowThreshold.selector, id, c, t
                    )
                );
            }
        }
        _promote(id);
        if (ready) _assertState(id, IStrategyProposals.ProposalState.Ready);
    }

    function test_RevertWhen_promoteBelowThreshold() public {
        _stakeAndSupport(bob, id, 1000 ether);
        _warp(10);
        uint256 c = strategy.conviction(id);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsBelowThreshold.selector, id, c, strategy.threshold()
            )
        );
        strategy.promote(id);
    }

    /// @notice No stake at all and a zero floor: the threshold is still one wei, so a
    /// proposal nobody supports never becomes Ready.
    function test_RevertWhen_promoteWithNoSupportAndNoFloor() public {
        _mockParam(ParamKeys.STRATEGY_STAKE_FLOOR, 0);
        vm.assertEq(strategy.threshold(), 1);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IStrategyProposals.StrategyProposalsBelowThreshold.selector, id, 0, 1)
        );
        strategy.promote(id);
    }

    function test_RevertWhen_promotePastMaxAge() public {
        _stakeAndSupport(bob, id, 1000 ether);
        uint256 expiry = strategy.expiresAt(id);
        vm.warp(expiry - 1);
        (bool ready,,) = strategy.promotable(id);
        vm.assertTrue(ready, "ready in its last second");
        vm.warp(expiry);
        // The view agrees with promote: at the expiry second it is over.
        (ready,,) = strategy.promotable(id);
        vm.assertFalse(ready, "not ready at expiresAt");
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsPastMaxAge.selector, id, expiry, expiry
            )
        );
        strategy.promote(id);
    }

    /// @notice `strategy.maxAge` is read at the call: an amendment that shortens it ends
    /// Open proposals' chances at once (never below its hard floor, which needs no read).
    function test_promote_readsMaxAgeAtTheCall() public {
        _carry(); // 540 s old, under the 600 s floor: no read needed, promotable
        _mockParam(ParamKeys.STRATEGY_MAX_AGE, 600);
        (bool ready,,) = strategy.promotable(id);
        vm.assertTrue(ready);
        _warp(60); // 600 s: past the new maxAge
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsPastMaxAge.selector, id, block.timestamp, block.timestamp
            )
        );
        strategy.promote(id);
    }

    function test_RevertWhen_promoteUnknown() public {
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(IStrategyProposals.StrategyProposalsUnknownProposal.selector, 77)
        );
        strategy.promote(77);
    }

    // ------------------------------------------------------------------
    // expire
    // ------------------------------------------------------------------

    function test_expire_returnsTheBondOnce() public {
        uint256 expiry = strategy.expiresAt(id);
        vm.warp(expiry);
        uint256 before = token.balanceOf(alice);
        vm.expectEmit(address(strategy));
        emit IStrategyProposals.ProposalExpired(id, alice, MIN_BOND);
        vm.prank(stranger);
        strategy.expire(id);
        _assertState(id, IStrategyProposals.ProposalState.Expired);
        vm.assertEq(token.balanceOf(alice), before + MIN_BOND);
        vm.prank(stranger);
        vm.expectRevert(
            _wrongState(id, IStrategyProposals.ProposalState.Expired, IStrategyProposals.ProposalState.Open)
        );
        strategy.expire(id);
        vm.assertEq(token.balanceOf(alice), before + MIN_BOND);
        _assertSolvent();
    }

    function test_RevertWhen_expireTooEarly() public {
        uint256 expiry = strategy.expiresAt(id);
        vm.warp(expiry - 1);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsNotExpired.selector, id, expiry, block.timestamp
            )
        );
        strategy.expire(id);
    }

    function test_RevertWhen_expireReady() public {
        _carry();
        _promote(id);
        _warp(MAX_AGE);
        vm.prank(stranger);
        vm.expectRevert(
            _wrongState(id, IStrategyProposals.ProposalState.Ready, IStrategyProposals.ProposalState.Open)
        );
        strategy.expire(id);
    }

    /// @notice The bond returned is the one recorded at proposal time, whatever
    /// `strategy.minBond` became.
    function test_expire_returnsTheRecordedBond() public {
        _mockParam(ParamKeys.STRATEGY_MIN_BOND, 77 ether);
        uint256 dear = _propose(bob);
        _mockParam(ParamKeys.STRATEGY_MIN_BOND, 1 ether);
        _warp(MAX_AGE);
        uint256 before = token.balanceOf(bob);
        strategy.expire(dear);
        vm.assertEq(token.balanceOf(bob), before + 77 ether);
        before = token.balanceOf(alice);
        strategy.expire(id);
        vm.assertEq(token.balanceOf(alice), before + MIN_BOND);
        _assertSolvent();
    }

    // ------------------------------------------------------------------
    // markAdopted
    // ------------------------------------------------------------------

    function test_markAdopted_byTheConstitution() public {
        _carry();
        _promote(id);
        vm.expectEmit(address(strategy));
        emit IStrategyProposals.ProposalAdopted(
            id, IStrategyProposals.Adopter.Legitimacy, address(constitution)
        );
        vm.prank(address(constitution));
        strategy.markAdopted(id);
        IStrategyProposals.Proposal memory p = strategy.proposal(id);
        vm.assertEq(uint256(p.state), uint256(IStrategyProposals.ProposalState.Adopted));
        vm.assertEq(p.adoptedBy, 1 << uint8(IStrategyProposals.Adopter.Legitimacy));
        // Again (a second amendment citing it): recorded, still Adopted.
        vm.prank(address(constitution));
        strategy.markAdopted(id);
        vm.assertEq(strategy.proposal(id).adoptedBy, 1);
    }

    function test_RevertWhen_markAdoptedOpen() public {
        vm.prank(address(constitution));
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsNotAdoptable.selector,
                id,
                IStrategyProposals.ProposalState.Open
            )
        );
        strategy.markAdopted(id);
    }

    function test_RevertWhen_markAdoptedUnknown() public {
        vm.prank(address(constitution));
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsNotAdoptable.selector,
                9,
                IStrategyProposals.ProposalState.None
            )
        );
        strategy.markAdopted(9);
    }

    function test_RevertWhen_markAdoptedExpiredOrWithdrawn() public {
        uint256 other = _propose(bob);
        vm.prank(bob);
        strategy.withdraw(other);
        vm.prank(address(constitution));
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsNotAdoptable.selector,
                other,
                IStrategyProposals.ProposalState.Withdrawn
            )
        );
        strategy.markAdopted(other);
        _warp(MAX_AGE);
        strategy.expire(id);
        vm.prank(address(constitution));
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsNotAdoptable.selector,
                id,
                IStrategyProposals.ProposalState.Expired
            )
        );
        strategy.markAdopted(id);
    }

    function test_RevertWhen_markAdoptedByOther() public {
        _carry();
        _promote(id);
        address[5] memory others = [alice, stranger, steward, guardian, address(work)];
        for (uint256 i; i < others.length; ++i) {
            vm.prank(others[i]);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IStrategyProposals.StrategyProposalsNotAdopter.selector, others[i], address(treasury)
                )
            );
            strategy.markAdopted(id);
        }
    }

    function _mockParam(bytes32 key, uint256 value) internal {
        vm.mockCall(
            address(constitution), abi.encodeCall(ILegitimacyConstitution.param, (key)), abi.encode(value)
        );
    }
}

/// @notice Adoption through the real constitution: an amendment citing a Ready
/// proposal passes both houses and executes, and the proposal reads Adopted by
/// Legitimacy; the treasury in the directory may adopt too; nobody else can.
contract StrategyProposalsAdoptionTest is AmendmentsBase {
    uint256 internal constant HALF_LIFE = 180;
    uint8 internal constant LEGITIMACY = uint8(IStrategyProposals.Target.Legitimacy);

    uint256 internal proposalId;

    function setUp() public override {
        super.setUp();
        vm.prank(carol);
        token.approve(address(strategy), type(uint256).max);
        vm.startPrank(carol);
        uint256 q = strategy.openQuestion(keccak256("direction"), "ipfs://q");
        proposalId = strategy.propose(q, LEGITIMACY, keccak256("lower readyBps"), "ipfs://o", "");
        strategy.stake(2000 ether);
        strategy.support(proposalId, 2000 ether);
        vm.stopPrank();
        vm.warp(block.timestamp + 3 * HALF_LIFE);
        vm.prank(stranger);
        strategy.promote(proposalId);
    }

    function test_amendment_citingReadyProposal_marksItAdopted() public {
        ILegitimacyConstitution.Action[] memory actions = _one(_setParam(ParamKeys.STRATEGY_READY_BPS, 1500));
        Proposal memory p = _propose(alice, actions, proposalId);
        _carry(p.id);
        _queueAndWait(p.id);
        vm.expectEmit(address(strategy));
        emit IStrategyProposals.ProposalAdopted(
            proposalId, IStrategyProposals.Adopter.Legitimacy, address(constitution)
        );
        _execute(p);
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Executed);
        IStrategyProposals.Proposal memory sp = strategy.proposal(proposalId);
        vm.assertEq(uint256(sp.state), uint256(IStrategyProposals.ProposalState.Adopted));
        vm.assertEq(sp.adoptedBy, 1 << uint8(IStrategyProposals.Adopter.Legitimacy));
        vm.assertEq(constitution.param(ParamKeys.STRATEGY_READY_BPS), 1500);
    }

    /// @notice An amendment citing a proposal that is not Ready cannot execute; it stays
    /// Queued and can execute once the proposal is Ready (here: never, so it expires).
    function test_amendment_citingOpenProposal_cannotExecute() public {
        vm.startPrank(carol);
        uint256 open = strategy.propose(1, LEGITIMACY, keccak256("other"), "", "");
        vm.stopPrank();
        Proposal memory p = _propose(alice, _noop(), open);
        _carry(p.id);
        _queueAndWait(p.id);
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsNotAdoptable.selector,
                open,
                IStrategyProposals.ProposalState.Open
            )
        );
        constitution.execute(p.id, p.proposer, p.body);
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Queued);
    }

    function test_markAdopted_byTheTreasuryInTheDirectory() public {
        MockTreasury treasury = new MockTreasury(address(constitution));
        _enact(_one(_setModule(ILegitimacyConstitution.Module.Optimization, address(treasury))));

        // Anyone else is told who the treasury is.
        vm.prank(stranger);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsNotAdopter.selector, stranger, address(treasury)
            )
        );
        strategy.markAdopted(proposalId);

        vm.expectEmit(address(strategy));
        emit IStrategyProposals.ProposalAdopted(
            proposalId, IStrategyProposals.Adopter.Optimization, address(treasury)
        );
        vm.prank(address(treasury));
        strategy.markAdopted(proposalId);
        vm.assertEq(
            strategy.proposal(proposalId).adoptedBy, 1 << uint8(IStrategyProposals.Adopter.Optimization)
        );

        // The constitution then adopts it too: both recorded, the amendment executes.
        Proposal memory p = _propose(alice, _noop(), proposalId);
        _carry(p.id);
        _queueAndWait(p.id);
        _execute(p);
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Executed);
        vm.assertEq(strategy.proposal(proposalId).adoptedBy, 3);

        // A treasury replaced in the directory loses the right at once.
        MockTreasury next = new MockTreasury(address(constitution));
        _enact(_one(_setModule(ILegitimacyConstitution.Module.Optimization, address(next))));
        vm.prank(address(treasury));
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsNotAdopter.selector, address(treasury), address(next)
            )
        );
        strategy.markAdopted(proposalId);
    }

    /// @notice The module never calls a state-changing function of the constitution or
    /// the treasury: a whole life (stake, propose, support, promote, unsupport, unstake,
    /// withdraw, expire, adopt) calls neither.
    function test_noCallPathIntoConstitutionOrTreasury() public {
        MockTreasury treasury = new MockTreasury(address(constitution));
        _enact(_one(_setModule(ILegitimacyConstitution.Module.Optimization, address(treasury))));
        bytes4[8] memory mutating = [
            ILegitimacyConstitution.bootstrap.selector,
            ILegitimacyConstitution.propose.selector,
            ILegitimacyConstitution.castVote.selector,
            ILegitimacyConstitution.castVoteWithReason.selector,
            ILegitimacyConstitution.queue.selector,
            ILegitimacyConstitution.execute.selector,
            ILegitimacyConstitution.cancel.selector,
            ILegitimacyConstitution.vetoAllocation.selector
        ];
        for (uint256 i; i < mutating.length; ++i) {
            vm.expectCall(address(constitution), abi.encodePacked(mutating[i]), 0);
        }
        vm.expectCall(address(treasury), abi.encodePacked(treasury.veto.selector), 0);

        vm.startPrank(bob);
        token.approve(address(strategy), type(uint256).max);
        uint256 a = strategy.propose(1, LEGITIMACY, keccak256("a"), "", "");
        uint256 b = strategy.propose(1, LEGITIMACY, keccak256("b"), "", "");
        uint256 c = strategy.propose(1, LEGITIMACY, keccak256("c"), "", "");
        strategy.stake(3000 ether);
        strategy.support(a, 3000 ether);
        strategy.withdraw(b);
        vm.stopPrank();
        vm.warp(block.timestamp + 3 * HALF_LIFE);
        strategy.promote(a);
        vm.prank(address(treasury));
        strategy.markAdopted(a);
        vm.warp(block.timestamp + 3600);
        strategy.expire(c);
        vm.startPrank(bob);
        strategy.unsupport(a, 3000 ether);
        strategy.unstake(3000 ether);
        vm.stopPrank();
    }
}
