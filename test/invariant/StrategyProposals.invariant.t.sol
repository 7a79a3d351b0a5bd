// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IStrategyProposals} from "../../contracts/interfaces/IStrategyProposals.sol";
import {Fixture} from "../utils/Fixture.sol";
import {StrategyProposalsHandler} from "./handlers/StrategyProposalsHandler.sol";

/// @notice Properties of StrategyProposals that must hold after any sequence of
/// questions, proposals, stake, support, unsupport, unstake, withdrawals, promotions,
/// expiries, adoptions and the passing of time, by four holders.
contract StrategyProposalsInvariantTest is Fixture {
    StrategyProposalsHandler internal handler;
    address[] internal actors;

    function setUp() public {
        _deploySuite();
        address dave = makeAddr("dave");
        vm.prank(alice);
        token.transfer(dave, HOLDING / 2);
        actors = new address[](4);
        (actors[0], actors[1], actors[2], actors[3]) = (alice, bob, carol, dave);
        for (uint256 i; i < actors.length; ++i) {
            vm.prank(actors[i]);
            token.approve(address(strategy), type(uint256).max);
        }
        handler = new StrategyProposalsHandler(strategy, actors);
        // A live market to start from, made through the handler so its model follows:
        // one question, three options, and every holder with some stake.
        handler.openQuestion(2);
        handler.propose(0, 0, 4);
        handler.propose(1, 0, 2);
        handler.propose(3, 0, 4);
        for (uint256 i; i < actors.length; ++i) {
            handler.stake(i, 1000 ether);
        }

        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](12);
        selectors[0] = StrategyProposalsHandler.openQuestion.selector;
        selectors[1] = StrategyProposalsHandler.withdrawQuestion.selector;
        selectors[2] = StrategyProposalsHandler.propose.selector;
        selectors[3] = StrategyProposalsHandler.withdraw.selector;
        selectors[4] = StrategyProposalsHandler.stake.selector;
        selectors[5] = StrategyProposalsHandler.unstake.selector;
        selectors[6] = StrategyProposalsHandler.support.selector;
        selectors[7] = StrategyProposalsHandler.unsupport.selector;
        selectors[8] = StrategyProposalsHandler.promote.selector;
        selectors[9] = StrategyProposalsHandler.expire.selector;
        selectors[10] = StrategyProposalsHandler.markAdopted.selector;
        selectors[11] = StrategyProposalsHandler.warp.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice The module is always solvent and moves tokens only back to where they came
    /// from: its balance is exactly the stake it holds plus the bonds it holds, and both
    /// totals agree with the model (no bond returned twice, none kept).
    function invariant_balanceIsStakePlusBonds() public view {
        vm.assertEq(
            token.balanceOf(address(strategy)),
            strategy.totalStaked() + strategy.totalBonds(),
            "balance = staked + bonds"
        );
        vm.assertEq(strategy.totalBonds(), handler.ghostBonds(), "bonds held");
        uint256 staked;
        for (uint256 i; i < actors.length; ++i) {
            staked += handler.ghostStaked(actors[i]);
        }
        vm.assertEq(strategy.totalStaked(), staked, "total stake");
    }

    /// @notice A staker's support never exceeds their stake: what they assigned is
    /// exactly the sum of their positions (in the model, whose every unsupport the module
    /// honoured), and each proposal's support is exactly the sum of the positions on it.
    function invariant_supportWithinStake() public view {
        uint256 n = handler.proposalCount();
        for (uint256 i; i < actors.length; ++i) {
            (uint256 staked, uint256 assigned) = strategy.stakeOf(actors[i]);
            vm.assertEq(staked, handler.ghostStaked(actors[i]), "stake");
            vm.assertEq(assigned, handler.ghostAssigned(actors[i]), "assigned");
            vm.assertLe(assigned, staked, "support <= stake");
        }
        for (uint256 id = 1; id <= n; ++id) {
            uint256 sum;
            for (uint256 i; i < actors.length; ++i) {
                sum += handler.ghostPosition(id, actors[i]);
            }
            vm.assertEq(strategy.proposal(id).support, sum, "support = sum of positions");
        }
    }

    /// @notice The leaving-stake rule, as a state property: an Open proposal's conviction
    /// never exceeds its support, nor the conviction its current positions earned
    /// themselves; stake that left took its conviction with it.
    function invariant_convictionWithinSupportAndPositions() public view {
        uint256 n = handler.proposalCount();
        for (uint256 id = 1; id <= n; ++id) {
            IStrategyProposals.Proposal memory p = strategy.proposal(id);
            if (p.state != IStrategyProposals.ProposalState.Open) continue;
            uint256 c = strategy.conviction(id);
            vm.assertLe(c, p.support, "c <= S");
            vm.assertLe(c, handler.positionsConviction(id), "c <= sum of the positions' own conviction");
        }
    }

    /// @notice ... and as an event property: every promotion was carried by the remaining
    /// positions' own conviction.
    function invariant_leavingStakeNeverCarries() public view {
        vm.assertEq(handler.carriedByLeavers(), 0, "a promotion carried by stake that left");
    }

    /// @notice A proposal's state only moves along its state machine (Open -> Ready ->
    /// Adopted, Open -> Withdrawn, Open -> Expired): after every call it is exactly the
    /// model's, which moves only along those edges.
    function invariant_statesFollowTheMachine() public view {
        uint256 n = strategy.proposalCount();
        vm.assertEq(n, handler.proposalCount());
        for (uint256 id = 1; id <= n; ++id) {
            vm.assertEq(uint8(strategy.proposal(id).state), uint8(handler.ghostState(id)));
        }
    }

    /// @notice Every call succeeded exactly when the rules say it may (the right caller,
    /// enough unassigned stake or support, an Open proposal of the right age, the
    /// threshold as `promotable` reports it): no gap the model does not know about.
    function invariant_outcomesMatchRules() public view {
        vm.assertEq(handler.mispredictions(), 0, "module and model disagree");
    }
}
