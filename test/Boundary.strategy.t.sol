// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StrategyProposals} from "../contracts/StrategyProposals.sol";
import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {IStrategyProposals} from "../contracts/interfaces/IStrategyProposals.sol";
import {AmendmentsBase} from "./LegitimacyConstitution.amendments.base.t.sol";
import {MockTreasury} from "./mocks/MockTreasury.sol";

/// @notice PROTOCOL.md §2.1 for StrategyProposals: every state-changing function has
/// exactly one class of caller, and a caller of any other class gets the module's own
/// error with the facts. The ABI walk pins the list, so a new state-changing function
/// fails here until it gets its row.
///
/// | function                 | who may call                                  | anyone else gets      |
/// |--------------------------|-----------------------------------------------|-----------------------|
/// | openQuestion, propose    | anyone who posts the bond                     | TokenTransferFailed   |
/// | withdrawQuestion         | the question's opener, while Open             | NotOpener             |
/// | withdraw                 | the proposer, while Open                      | NotProposer           |
/// | stake                    | token holders (who approved the module)       | TokenTransferFailed   |
/// | unstake                  | stakers, up to their unassigned stake         | InsufficientStake     |
/// | support                  | stakers, up to their unassigned stake         | InsufficientStake     |
/// | unsupport                | the proposal's supporters, up to their support | InsufficientSupport  |
/// | promote                  | anyone, when conviction reaches the threshold | (no caller class)     |
/// | expire                   | anyone, after `strategy.maxAge`               | (no caller class)     |
/// | markAdopted              | the constitution or the directory's mockTreasury  | NotAdopter            |
contract BoundaryStrategyTest is AmendmentsBase {
    uint256 internal constant BOND = 10 ether;
    uint256 internal constant AMOUNT = 1 ether;
    uint8 internal constant LEGITIMACY = uint8(IStrategyProposals.Target.Legitimacy);

    MockTreasury internal mockTreasury;
    uint256 internal questionId; // opened by carol
    uint256 internal proposalId; // proposed by dave, supported by alice
    uint256 internal readyId; // proposed by dave, Ready

    function setUp() public override {
        super.setUp();
        mockTreasury = new MockTreasury(address(constitution));
        _enact(_one(_setModule(ILegitimacyConstitution.Module.Optimization, address(mockTreasury))));
        _give(alice, dave, 100_000 ether);
        address[3] memory holders = [alice, carol, dave];
        for (uint256 i; i < holders.length; ++i) {
            vm.prank(holders[i]);
            token.approve(address(strategy), type(uint256).max);
        }
        vm.prank(carol);
        questionId = strategy.openQuestion(keccak256("q"), "");
        vm.startPrank(dave);
        proposalId = strategy.propose(questionId, LEGITIMACY, keccak256("p"), "", "");
        readyId = strategy.propose(questionId, LEGITIMACY, keccak256("r"), "", "");
        vm.stopPrank();
        vm.startPrank(alice);
        strategy.stake(3000 ether);
        strategy.support(proposalId, 10 ether);
        strategy.support(readyId, 2000 ether);
        vm.stopPrank();
        vm.warp(block.timestamp + 540);
        strategy.promote(readyId);
    }

    /// @dev Every class of caller there is: the holders in their roles (staker and
    /// supporter, opener, proposer), a holder who approved nothing, the deployer, the
    /// roles, the modules (this one included), the constitution, and nobody in particular.
    function _everyone() internal view returns (address[12] memory) {
        return [
            alice, // staker, supporter of both proposals
            carol, // the question's opener
            dave, // the proposer
            bob, // holds tokens, approved nothing
            deployer,
            steward,
            guardian,
            address(work),
            address(mockTreasury),
            address(constitution),
            address(strategy),
            stranger
        ];
    }

    // ------------------------------------------------------------------
    // The list of state-changing functions
    // ------------------------------------------------------------------

    function test_abi_stateChangingFunctionsAreTheBoundaryTable() public view {
        string memory json = vm.readFile(vm.getArtifactPathByCode(type(StrategyProposals).creationCode));
        string[11] memory expected = [
            "openQuestion",
            "withdrawQuestion",
            "propose",
            "withdraw",
            "stake",
            "unstake",
            "support",
            "unsupport",
            "promote",
            "expire",
            "markAdopted"
        ];
        bool[11] memory seen;
        uint256 mutating;
        for (uint256 i;; ++i) {
            string memory entry = string.concat(".abi[", vm.toString(i), "]");
            if (!vm.keyExistsJson(json, entry)) break;
            bytes32 kind = keccak256(bytes(vm.parseJsonString(json, string.concat(entry, ".type"))));
            vm.assertTrue(kind != keccak256("fallback") && kind != keccak256("receive"), "no catch-all");
            if (kind != keccak256("function")) continue;
            string memory mutability = vm.parseJsonString(json, string.concat(entry, ".stateMutability"));
            if (
                keccak256(bytes(mutability)) == keccak256("view")
                    || keccak256(bytes(mutability)) == keccak256("pure")
            ) {
                continue;
            }
            vm.assertEq(mutability, "nonpayable");
            bytes32 name = keccak256(bytes(vm.parseJsonString(json, string.concat(entry, ".name"))));
            bool listed;
            for (uint256 j; j < expected.length; ++j) {
                if (name == keccak256(bytes(expected[j]))) {
                    vm.assertFalse(seen[j], "listed once");
                    seen[j] = true;
                    listed = true;
                }
            }
            vm.assertTrue(listed, "state-changing function without a boundary row");
            ++mutating;
        }
        vm.assertEq(mutating, expected.length);
    }

    // ------------------------------------------------------------------
    // openQuestion, propose, stake: whoever pays
    // ------------------------------------------------------------------

    function test_boundary_openQuestionProposeStake() public {
        address[12] memory c = _everyone();
        for (uint256 i; i < c.length; ++i) {
            address who = c[i];
            bool pays = who == alice || who == carol || who == dave;
            uint256 balance = token.balanceOf(who);
            uint256 allowance = token.allowance(who, address(strategy));

            if (!pays) vm.expectRevert(_transferFailed(who, BOND, balance, allowance));
            vm.prank(who);
            strategy.openQuestion(keccak256("boundary"), "");

            if (!pays) vm.expectRevert(_transferFailed(who, BOND, balance, allowance));
            vm.prank(who);
            strategy.propose(questionId, LEGITIMACY, keccak256("boundary"), "", "");

            balance = token.balanceOf(who);
            if (!pays) vm.expectRevert(_transferFailed(who, AMOUNT, balance, allowance));
            vm.prank(who);
            strategy.stake(AMOUNT);
        }
    }

    function _transferFailed(address who, uint256 amount, uint256 balance, uint256 allowance)
        internal
        pure
        returns (bytes memory)
    {
        return abi.encodeWithSelector(
            IStrategyProposals.StrategyProposalsTokenTransferFailed.selector, who, amount, balance, allowance
        );
    }

    // ------------------------------------------------------------------
    // withdrawQuestion, withdraw: the owner
    // ------------------------------------------------------------------

    function test_boundary_withdrawQuestionByOpenerOnly() public {
        address[12] memory c = _everyone();
        for (uint256 i; i < c.length; ++i) {
            if (c[i] == carol) continue;
            vm.prank(c[i]);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IStrategyProposals.StrategyProposalsNotOpener.selector, questionId, c[i]
                )
            );
            strategy.withdrawQuestion(questionId);
        }
        vm.prank(carol);
        strategy.withdrawQuestion(questionId);
    }

    function test_boundary_withdrawByProposerOnly() public {
        address[12] memory c = _everyone();
        for (uint256 i; i < c.length; ++i) {
            if (c[i] == dave) continue;
            vm.prank(c[i]);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IStrategyProposals.StrategyProposalsNotProposer.selector, proposalId, c[i]
                )
            );
            strategy.withdraw(proposalId);
        }
        vm.prank(dave);
        strategy.withdraw(proposalId);
    }

    // ------------------------------------------------------------------
    // unstake, support, unsupport: stakers and supporters
    // ------------------------------------------------------------------

    function test_boundary_unstakeSupportUnsupportByStakersOnly() public {
        address[12] memory c = _everyone();
        for (uint256 i; i < c.length; ++i) {
            if (c[i] == alice) continue;
            vm.prank(c[i]);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IStrategyProposals.StrategyProposalsInsufficientStake.selector, c[i], AMOUNT, 0
                )
            );
            strategy.unstake(AMOUNT);
            vm.prank(c[i]);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IStrategyProposals.StrategyProposalsInsufficientStake.selector, c[i], AMOUNT, 0
                )
            );
            strategy.support(proposalId, AMOUNT);
            vm.prank(c[i]);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IStrategyProposals.StrategyProposalsInsufficientSupport.selector,
                    proposalId,
                    c[i],
                    AMOUNT,
                    0
                )
            );
            strategy.unsupport(proposalId, AMOUNT);
        }
        vm.startPrank(alice);
        strategy.support(proposalId, AMOUNT);
        strategy.unsupport(proposalId, AMOUNT);
        strategy.unsupport(readyId, AMOUNT);
        strategy.unstake(AMOUNT);
        vm.stopPrank();
    }

    // ------------------------------------------------------------------
    // promote, expire: anyone, when the rule holds
    // ------------------------------------------------------------------

    function test_boundary_promoteAndExpireRefuseEveryoneUntilTheRuleHolds() public {
        address[12] memory c = _everyone();
        uint256 conviction = strategy.conviction(proposalId);
        uint256 threshold = strategy.threshold();
        uint256 expiry = strategy.expiresAt(proposalId);
        for (uint256 i; i < c.length; ++i) {
            vm.prank(c[i]);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IStrategyProposals.StrategyProposalsBelowThreshold.selector,
                    proposalId,
                    conviction,
                    threshold
                )
            );
            strategy.promote(proposalId);
            vm.prank(c[i]);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IStrategyProposals.StrategyProposalsNotExpired.selector,
                    proposalId,
                    expiry,
                    block.timestamp
                )
            );
            strategy.expire(proposalId);
        }
    }

    function testFuzz_promote_byAnyone(address caller) public {
        vm.startPrank(alice);
        strategy.unsupport(readyId, 1000 ether);
        strategy.support(proposalId, 1000 ether);
        vm.stopPrank();
        vm.warp(block.timestamp + 900);
        vm.prank(caller);
        strategy.promote(proposalId);
        vm.assertEq(
            uint256(strategy.proposal(proposalId).state), uint256(IStrategyProposals.ProposalState.Ready)
        );
    }

    function testFuzz_expire_byAnyone(address caller) public {
        vm.warp(strategy.expiresAt(proposalId));
        vm.prank(caller);
        strategy.expire(proposalId);
        vm.assertEq(
            uint256(strategy.proposal(proposalId).state), uint256(IStrategyProposals.ProposalState.Expired)
        );
    }

    // ------------------------------------------------------------------
    // markAdopted: the constitution or the mockTreasury
    // ------------------------------------------------------------------

    function test_boundary_markAdoptedByConstitutionOrTreasuryOnly() public {
        address[12] memory c = _everyone();
        for (uint256 i; i < c.length; ++i) {
            if (c[i] == address(constitution) || c[i] == address(mockTreasury)) continue;
            vm.prank(c[i]);
            vm.expectRevert(
                abi.encodeWithSelector(
                    IStrategyProposals.StrategyProposalsNotAdopter.selector, c[i], address(mockTreasury)
                )
            );
            strategy.markAdopted(readyId);
        }
        vm.prank(address(mockTreasury));
        strategy.markAdopted(readyId);
        vm.prank(address(constitution));
        strategy.markAdopted(readyId);
        vm.assertEq(strategy.proposal(readyId).adoptedBy, 3);
    }

    function testFuzz_RevertWhen_markAdoptedByOther(address caller) public {
        vm.assume(caller != address(constitution) && caller != address(mockTreasury));
        vm.prank(caller);
        vm.expectRevert(
            abi.encodeWithSelector(
                IStrategyProposals.StrategyProposalsNotAdopter.selector, caller, address(mockTreasury)
            )
        );
        strategy.markAdopted(readyId);
    }
}
