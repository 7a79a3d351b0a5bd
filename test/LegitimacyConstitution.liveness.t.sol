// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {LegitimacyConstitution} from "../contracts/LegitimacyConstitution.sol";
import {ViableToken} from "../contracts/ViableToken.sol";
import {WorkRegistry} from "../contracts/WorkRegistry.sol";
import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {IWorkRegistry} from "../contracts/interfaces/IWorkRegistry.sol";
import {ModuleKinds} from "../contracts/libraries/ModuleKinds.sol";
import {ParamKeys} from "../contracts/libraries/ParamKeys.sol";
import {AmendmentsBase} from "./LegitimacyConstitution.amendments.base.t.sol";
import {ConstitutionBase} from "./harness/ConstitutionBase.sol";
import {MockModule} from "./mocks/MockModule.sol";
import {MockWorkRegistry} from "./mocks/MockWorkRegistry.sol";
import {AcceptingValidator} from "./mocks/WorkValidatorMocks.sol";
import {Genesis} from "./utils/Genesis.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @dev An IVotes token without ERC-20 `totalSupply`: the ERC-6372 and IVotes reads the
/// constitution makes, answered from a ViableToken.
contract VotesOnly {
    ViableToken internal immutable _token;

    constructor(ViableToken token_) {
        _token = token_;
    }

    function clock() external view returns (uint48) {
        return _token.clock();
    }

    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() external view returns (string memory) {
        return _token.CLOCK_MODE();
    }

    function getPastTotalSupply(uint256 timepoint) external view returns (uint256) {
        return _token.getPastTotalSupply(timepoint);
    }

    function getPastVotes(address account, uint256 timepoint) external view returns (uint256) {
        return _token.getPastVotes(account, timepoint);
    }
}

/// @notice Issue 7, "Governance can never lock itself": one test per finding of the
/// review, each of which failed on the code before its fix, and what protects each
/// case now. This contract covers the findings that start at bootstrap (1 and 4), on a
/// constitution that is deployed but not bootstrapped.
contract LegitimacyConstitutionLivenessBootstrapTest is ConstitutionBase {
    function setUp() public {
        _deployConstitution();
    }

    function _seed(address who, uint256 points)
        internal
        pure
        returns (ILegitimacyConstitution.SeedInit memory)
    {
        return ILegitimacyConstitution.SeedInit({contributor: who, points: points});
    }

    /// @dev Proposes a harmless amendment as alice one second after bootstrap, has every
    /// `voters` vote For, and returns its id once voting has closed.
    function _voteThrough(address[] memory voters) internal returns (uint256 id) {
        vm.warp(block.timestamp + 1);
        ILegitimacyConstitution.Action[] memory actions = new ILegitimacyConstitution.Action[](1);
        actions[0] = ILegitimacyConstitution.Action({
            kind: uint8(ILegitimacyConstitution.ActionKind.SetParam),
            key: ParamKeys.LOCKS_MAX_TTL,
            account: address(0),
            value: 600,
            uri: ""
        });
        vm.prank(alice);
        id = constitution.propose(actions, 0, "after bootstrap");
        vm.warp(constitution.amendment(id).voteStart);
        for (uint256 i; i < voters.length; ++i) {
            vm.prank(voters[i]);
            constitution.castVote(id, 1);
        }
        vm.warp(constitution.amendment(id).voteEnd);
    }

    // ------------------------------------------------------------------
    // Finding 1: a bootstrap with no Work House weight bricked amendments forever
    // ------------------------------------------------------------------

    /// @notice Before: a bootstrap with no Work module, or a Work module and no seeds,
    /// succeeded; the Work House then had 0 For and 0 Against on every amendment, so
    /// every amendment was Defeated, even the SetModule that was to fix it. Now both are
    /// refused with a named error, and the least accepted Work House (one seed, power 1)
    /// carries an amendment.
    function test_Finding1_bootstrapRefusesAWorkHouseThatCannotReachQuorum() public {
        // Roles only, no Work module.
        ILegitimacyConstitution.BootstrapConfig memory c = _emptyBootstrap();
        c.modules[0] = address(0);
        c.seeds = new ILegitimacyConstitution.SeedInit[](0);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionModuleUnset.selector,
                ILegitimacyConstitution.Module.Work
            )
        );
        _bootstrap(c);

        // A Work module, but no founding seed: no power at all.
        c.modules[0] = address(workRegistry);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionWorkHouseEmpty.selector, address(workRegistry)
            )
        );
        _bootstrap(c);
        vm.assertFalse(constitution.bootstrapped());

        // One seed: the Work House can reach quorum, and an amendment with support in
        // both houses passes.
        c.seeds = new ILegitimacyConstitution.SeedInit[](1);
        c.seeds[0] = _seed(founder, 1);
        _bootstrap(c);
        address[] memory voters = new address[](2);
        (voters[0], voters[1]) = (alice, founder);
        uint256 id = _voteThrough(voters);
        vm.assertEq(uint8(constitution.state(id)), uint8(ILegitimacyConstitution.AmendmentState.Succeeded));
    }

    /// @notice The same for the Token House: a token with no supply (or a token proposal
    /// threshold no holder could ever reach) is refused at bootstrap.
    function test_Finding1_bootstrapRefusesATokenHouseThatCannotReachQuorum() public {
        address[] memory holders = new address[](1);
        holders[0] = alice;
        uint256[] memory amounts = new uint256[](1);
        ViableToken empty = new ViableToken("Empty", "E", holders, amounts);
        (LegitimacyConstitution c2, WorkRegistry w2) = _suiteOver(empty);
        ILegitimacyConstitution.BootstrapConfig memory cfg = _nothing();
        cfg.modules[0] = address(w2);
        cfg.seeds = new ILegitimacyConstitution.SeedInit[](1);
        cfg.seeds[0] = _seed(founder, 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionTokenHouseEmpty.selector, address(empty)
            )
        );
        vm.prank(deployer);
        c2.bootstrap(cfg);

        // A supply of 500 tokens under the dev threshold of 1,000: nobody could propose
        // through the Token House, not even with every token delegated to one account.
        amounts[0] = 500 ether;
        ViableToken small = new ViableToken("Small", "S", holders, amounts);
        (c2, w2) = _suiteOver(small);
        cfg.modules[0] = address(w2);
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionThresholdUnreachable.selector,
                ParamKeys.LEGIT_TOKEN_PROPOSAL_THRESHOLD,
                1000 ether,
                500 ether
            )
        );
        vm.prank(deployer);
        c2.bootstrap(cfg);
    }

    /// @notice A Token House over an IVotes token that has no ERC-20 `totalSupply`:
    /// its supply is the past total supply one tick ago on its own clock, so the
    /// bootstrap's checks see the real supply (here 2,000 tokens against the dev
    /// threshold of 1,000), not an empty house.
    function test_Finding1_aVotesTokenWithoutTotalSupplyIsReadByItsPastSupply() public {
        address[] memory holders = new address[](1);
        holders[0] = alice;
        uint256[] memory amounts = new uint256[](1);
        amounts[0] = 2000 ether;
        VotesOnly votes = new VotesOnly(new ViableToken("Votes", "V", holders, amounts));
        vm.warp(block.timestamp + 1); // the mint's checkpoint is in the past
        vm.startPrank(deployer);
        LegitimacyConstitution c2 = new LegitimacyConstitution(Genesis.dev(), IVotes(address(votes)));
        WorkRegistry w2 = new WorkRegistry(address(c2));
        vm.stopPrank();
        ILegitimacyConstitution.BootstrapConfig memory cfg = _nothing();
        cfg.modules[0] = address(w2);
        cfg.seeds = new ILegitimacyConstitution.SeedInit[](1);
        cfg.seeds[0] = _seed(founder, 1);
        vm.prank(deployer);
        c2.bootstrap(cfg);
        vm.assertTrue(c2.bootstrapped());
    }

    function _suiteOver(ViableToken t) internal returns (LegitimacyConstitution c2, WorkRegistry w2) {
        vm.startPrank(deployer);
        c2 = new LegitimacyConstitution(Genesis.dev(), IVotes(address(t)));
        w2 = new WorkRegistry(address(c2));
        vm.stopPrank();
    }

    // ------------------------------------------------------------------
    // Finding 4: the Work tally overflowed
    // ------------------------------------------------------------------

    /// @notice Before: a seed of 2^96 points or more (power 2^48 or more), or several
    /// mid-size ones, was accepted; `castVote` then reverted on the 48-bit Work tally, and
    /// an amendment whose holder had more than (1 - quorum) of the power could never
    /// pass. Now a seed is at most 2^96 - 1 points and the house at most 2^48 - 1 power
    /// in total; the fullest house there can be votes and passes an amendment.
    function test_Finding4_seedsCannotOverflowTheWorkTally() public {
        _deployWork();
        uint256 cap = workRegistry.MAX_TOTAL_POWER();
        vm.assertEq(cap, type(uint48).max, "the cap is the tally's width");

        ILegitimacyConstitution.BootstrapConfig memory c = _emptyBootstrap();
        c.seeds[0] = _seed(alice, 2 ** 96);
        vm.expectRevert(
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryInvalidSeed.selector, alice, 2 ** 96)
        );
        _bootstrap(c);

        // Two mid-size seeds that together pass the cap.
        c.seeds = new ILegitimacyConstitution.SeedInit[](2);
        c.seeds[0] = _seed(alice, 2 ** 95);
        c.seeds[1] = _seed(bob, 2 ** 95);
        uint256 half = Math.sqrt(2 ** 95);
        vm.expectRevert(
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryPowerCapReached.selector, 2 * half, cap)
        );
        _bootstrap(c);

        // The fullest house: one seed at the largest size, power exactly at the cap.
        c.seeds = new ILegitimacyConstitution.SeedInit[](1);
        c.seeds[0] = _seed(alice, 2 ** 96 - 1);
        _bootstrap(c);
        vm.assertEq(workRegistry.totalPower(), cap);
        address[] memory voters = new address[](1);
        voters[0] = alice;
        uint256 id = _voteThrough(voters);
        vm.assertEq(constitution.tallies(id).workFor, cap);
        vm.assertEq(uint8(constitution.state(id)), uint8(ILegitimacyConstitution.AmendmentState.Succeeded));
    }

    /// @notice Any founding house, from the smallest to far beyond the cap: either the
    /// bootstrap is refused with the registry's named error, or it is accepted with a
    /// total within the cap, every holder can vote, and the tallies equal the house.
    function testFuzz_Finding4_anyAcceptedHouseCanVote(uint256[4] memory raw) public {
        _deployWork();
        address[4] memory who = [alice, bob, carol, stranger];
        ILegitimacyConstitution.BootstrapConfig memory c = _emptyBootstrap();
        c.seeds = new ILegitimacyConstitution.SeedInit[](4);
        uint256 sum;
        bool tooBig;
        for (uint256 i; i < 4; ++i) {
            // Log-uniform magnitudes up to 2^100, so both ends of the cap are visited.
            uint256 points = 1 + (raw[i] >> (156 + raw[i] % 100));
            c.seeds[i] = _seed(who[i], points);
            if (points > 2 ** 96 - 1) tooBig = true;
            sum += Math.sqrt(points);
        }
        vm.prank(deployer);
        (bool ok, bytes memory err) = address(constitution).call(abi.encodeCall(constitution.bootstrap, (c)));
        if (!ok) {
            bytes4 sel = bytes4(err);
            vm.assertTrue(
                (tooBig && sel == IWorkRegistry.WorkRegistryInvalidSeed.selector)
                    || (sum > type(uint48).max && sel == IWorkRegistry.WorkRegistryPowerCapReached.selector),
                "refused only for a seed or a house beyond the cap"
            );
            return;
        }
        vm.assertFalse(tooBig);
        vm.assertLe(sum, type(uint48).max);
        vm.assertEq(workRegistry.totalPower(), sum);
        address[] memory voters = new address[](4);
        for (uint256 i; i < 4; ++i) {
            voters[i] = who[i];
        }
        uint256 id = _voteThrough(voters);
        vm.assertEq(constitution.tallies(id).workFor, sum, "the tally holds the whole house");
        vm.assertEq(uint8(constitution.state(id)), uint8(ILegitimacyConstitution.AmendmentState.Succeeded));
    }

    /// @notice `legit.workProposalThreshold` can never be set where no contributor could
    /// reach it: its structural ceiling is the house's cap, and a contributor holding
    /// the whole house meets a threshold at that ceiling.
    function test_Finding4_workProposalThresholdEndsAtTheCap() public {
        uint256 cap = type(uint48).max;
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionInvalidBounds.selector,
                ParamKeys.LEGIT_WORK_PROPOSAL_THRESHOLD,
                0,
                cap + 1,
                0,
                cap
            )
        );
        _deploy(_genesisWith(23, _init(ParamKeys.LEGIT_WORK_PROPOSAL_THRESHOLD, cap, 0, cap + 1)));

        constitution = _deploy(_genesisWith(23, _init(ParamKeys.LEGIT_WORK_PROPOSAL_THRESHOLD, cap, 0, cap)));
        _deployWork();
        ILegitimacyConstitution.BootstrapConfig memory c = _emptyBootstrap();
        c.seeds[0] = _seed(stranger, 2 ** 96 - 1); // no tokens: only Work power
        _bootstrap(c);
        vm.warp(block.timestamp + 1);
        ILegitimacyConstitution.Action[] memory actions = new ILegitimacyConstitution.Action[](1);
        actions[0].key = ParamKeys.LOCKS_MAX_TTL;
        actions[0].value = 600;
        vm.prank(stranger);
        constitution.propose(actions, 0, "the whole house proposes");
    }

    /// @notice Finding 6 where the quorum is zero (a genesis may set it): the proposal
    /// threshold is capped at the quorum, but never below one unit of weight, so an
    /// account with no votes and no power still cannot propose.
    function test_Finding6_aZeroQuorumStillAsksForSomeWeight() public {
        constitution = _deploy(_genesisWith(19, _init(ParamKeys.LEGIT_TOKEN_QUORUM_BPS, 0, 0, 5000)));
        _bootstrap(_emptyBootstrap());
        vm.warp(block.timestamp + 1);
        ILegitimacyConstitution.Action[] memory actions = new ILegitimacyConstitution.Action[](1);
        actions[0].key = ParamKeys.LOCKS_MAX_TTL;
        actions[0].value = 600;
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionBelowThreshold.selector, stranger, 0, 1, 0, 1
            )
        );
        vm.prank(stranger);
        constitution.propose(actions, 0, "no weight at all");

        vm.prank(alice);
        vm.assertTrue(token.transfer(stranger, 1));
        vm.prank(stranger);
        token.delegate(stranger);
        vm.warp(block.timestamp + 1);
        vm.prank(stranger);
        constitution.propose(actions, 0, "one unit of weight: the quorum");
    }
}

/// @notice Findings 2, 3 and 5 on the suite as the SDK deploys it (alice, bob and carol
/// hold the tokens and the founding power 10, 8 and 6).
contract LegitimacyConstitutionLivenessTest is AmendmentsBase {
    // ------------------------------------------------------------------
    // Finding 2: a Work module of the wrong kind, or one that cannot be read
    // ------------------------------------------------------------------

    /// @notice Before: SetModule accepted any contract that named this constitution, so
    /// the Coordination module at the Work index made every later `castVote` revert and
    /// no amendment, the fix included, could pass again. Now every slot refuses a module
    /// of another kind, or one that names no kind, with the expected and reported kinds.
    function test_Finding2_moduleOfTheWrongKindIsRefusedInEverySlot() public {
        for (uint256 slot; slot < 4; ++slot) {
            for (uint256 kind; kind < 5; ++kind) {
                if (kind == slot) continue;
                MockModule m = new MockModule(address(constitution));
                m.setModuleKind(ModuleKinds.forSlot(kind)); // kind 4: zero, no kind at all
                vm.prank(alice);
                _expectRevert(
                    abi.encodeWithSelector(
                        ILegitimacyConstitution.LegitimacyConstitutionModuleKindMismatch.selector,
                        ILegitimacyConstitution.Module(slot),
                        address(m),
                        ModuleKinds.forSlot(slot),
                        ModuleKinds.forSlot(kind)
                    )
                );
                constitution.propose(
                    _one(_setModule(ILegitimacyConstitution.Module(slot), address(m))), 0, "x"
                );
            }
        }
        // The report's case exactly: a real module named for Coordination, at the Work index.
        MockModule coordination = _mockModule(ILegitimacyConstitution.Module.Coordination);
        _enact(_one(_setModule(ILegitimacyConstitution.Module.Coordination, address(coordination))));
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionModuleKindMismatch.selector,
                ILegitimacyConstitution.Module.Work,
                address(coordination),
                ModuleKinds.WORK,
                ModuleKinds.COORDINATION
            )
        );
        constitution.propose(
            _one(_setModule(ILegitimacyConstitution.Module.Work, address(coordination))), 0, "y"
        );
        // Governance is unharmed.
        _enact(_noop());
    }

    /// @dev A Work registry that passes every directory check (kind, constitution,
    /// successor of `work`), mirrors the founding powers, and is wired by a real amendment.
    function _wireFaulty() internal returns (MockWorkRegistry bad) {
        bad = new MockWorkRegistry(address(constitution), address(work));
        bad.setPower(alice, ALICE_POWER);
        bad.setPower(bob, BOB_POWER);
        bad.setPower(carol, CAROL_POWER);
        _enact(_one(_setModule(ILegitimacyConstitution.Module.Work, address(bad))));
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Work), address(bad));
        vm.warp(block.timestamp + 1);
    }

    /// @dev The three holders vote For on `a` and `b` (proposed in the same second) with
    /// all the tokens: the Token House carries both.
    function _tokensCarry(uint256 a, uint256 b) internal {
        _toVoteStart(a);
        for (uint256 i; i < 2; ++i) {
            uint256 id = i == 0 ? a : b;
            _vote(alice, id, FOR);
            _vote(bob, id, FOR);
            _vote(carol, id, FOR);
        }
        _toVoteEnd(a);
    }

    /// @notice Before: once the Work registry's reads reverted, every `castVote` reverted
    /// and governance was locked for good. Now a fault in the Work House is recorded,
    /// ordinary amendments are Defeated, and the one way out stays open: an amendment
    /// that only restores the registry the faulty one replaced passes on the Token House
    /// alone. After it, both houses count again.
    function test_Finding2_unreadableWorkHouseIsRepairedByTheTokenHouse() public {
        MockWorkRegistry bad = _wireFaulty();
        bad.setMode(MockWorkRegistry.Mode.Revert, false);

        Proposal memory p = _propose(alice, _noop());
        _toVoteStart(p.id);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.WorkHouseUnreadable(p.id, address(bad), alice);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.VoteCast(
            p.id, alice, ILegitimacyConstitution.VoteType.For, HOLDING, 0, ""
        );
        _vote(alice, p.id, FOR);
        _vote(bob, p.id, FOR);
        _vote(carol, p.id, FOR);
        _toVoteEnd(p.id);
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Defeated);
        (bool readable, bool repair) = constitution.workHouse(p.id);
        vm.assertFalse(readable);
        vm.assertFalse(repair);

        // Anything more than the restore is no repair.
        Proposal memory mixed =
            _propose(alice, _two(_setModule(ILegitimacyConstitution.Module.Work, address(work)), _noop()[0]));
        Proposal memory r =
            _propose(alice, _one(_setModule(ILegitimacyConstitution.Module.Work, address(work))));
        (readable, repair) = constitution.workHouse(r.id);
        vm.assertFalse(readable);
        vm.assertTrue(repair);
        (, uint256 wq) = constitution.quorums(r.id);
        vm.assertEq(wq, 0);
        // Another kind of action naming the replaced registry, with the Work slot's index
        // (0) as its value, is no repair either.
        Proposal memory role = _propose(alice, _one(_setRole(steward_role, address(work), false)));
        (, repair) = constitution.workHouse(role.id);
        vm.assertFalse(repair, "a SetRole is no repair");
        // Nor is wiring any other registry, even a successor of the faulty one.
        MockWorkRegistry next = new MockWorkRegistry(address(constitution), address(bad));
        Proposal memory other =
            _propose(alice, _one(_setModule(ILegitimacyConstitution.Module.Work, address(next))));
        (, repair) = constitution.workHouse(other.id);
        vm.assertFalse(repair, "only the replaced registry is a repair");
        _tokensCarry(mixed.id, r.id);
        _assertState(r.id, ILegitimacyConstitution.AmendmentState.Succeeded);
        _assertState(mixed.id, ILegitimacyConstitution.AmendmentState.Defeated);
        _queueAndWait(r.id);
        _execute(r);
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Work), address(work));

        // Both houses count again: the founders' power in the restored registry.
        vm.warp(block.timestamp + 1);
        Proposal memory again = _propose(alice, _noop());
        _toVoteStart(again.id);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.VoteCast(
            again.id, alice, ILegitimacyConstitution.VoteType.For, HOLDING, ALICE_POWER, ""
        );
        _vote(alice, again.id, FOR);
        _vote(bob, again.id, FOR);
        _toVoteEnd(again.id);
        _assertState(again.id, ILegitimacyConstitution.AmendmentState.Succeeded);
    }

    /// @notice Every way a registry can fail to answer (revert, burn all its gas, a word
    /// beyond the tally, no answer, an empty house), in the total or only per account,
    /// leaves the repair open, and an ordinary amendment Defeated.
    function testFuzz_Finding2_everyFaultLeavesTheRepair(uint8 modeSeed, bool onlyAccounts) public {
        MockWorkRegistry bad = _wireFaulty();
        MockWorkRegistry.Mode[5] memory faults = [
            MockWorkRegistry.Mode.Revert,
            MockWorkRegistry.Mode.BurnGas,
            MockWorkRegistry.Mode.Overflow,
            MockWorkRegistry.Mode.Empty,
            MockWorkRegistry.Mode.Zero
        ];
        MockWorkRegistry.Mode mode = faults[modeSeed % 5];
        // A zero per account is a legitimate answer: only a zero total is a fault.
        if (mode == MockWorkRegistry.Mode.Zero) onlyAccounts = false;
        bad.setMode(mode, onlyAccounts);

        Proposal memory p = _propose(alice, _noop());
        Proposal memory r =
            _propose(alice, _one(_setModule(ILegitimacyConstitution.Module.Work, address(work))));
        _tokensCarry(p.id, r.id);
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Defeated);
        _assertState(r.id, ILegitimacyConstitution.AmendmentState.Succeeded);
        // The view says so too, also when only the voters' reads failed (the total
        // still answers): the fault the votes met is remembered.
        (bool readable,) = constitution.workHouse(p.id);
        vm.assertFalse(readable, "the Work House is reported unreadable");
        _queueAndWait(r.id);
        _execute(r);
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Work), address(work));
    }

    /// @notice The repair's Token House quorum counts Abstain, as every amendment's does:
    /// dave's 1% For alone is short of the 4% quorum; with alice abstaining the same
    /// repair passes.
    function test_Finding2_repairQuorumCountsAbstain() public {
        _give(alice, dave, TOTAL_SUPPLY / 100);
        MockWorkRegistry bad = _wireFaulty();
        bad.setMode(MockWorkRegistry.Mode.Revert, false);
        ILegitimacyConstitution.Action[] memory restore =
            _one(_setModule(ILegitimacyConstitution.Module.Work, address(work)));
        Proposal memory alone = _propose(alice, restore);
        Proposal memory helped = _propose(bob, restore);
        _toVoteStart(alone.id);
        _vote(dave, alone.id, FOR);
        _vote(dave, helped.id, FOR);
        _vote(alice, helped.id, ABSTAIN);
        _toVoteEnd(alone.id);
        _assertState(alone.id, ILegitimacyConstitution.AmendmentState.Defeated);
        _assertState(helped.id, ILegitimacyConstitution.AmendmentState.Succeeded);
    }

    /// @notice A huge answer costs the constitution nothing: it copies one word, so a
    /// registry that pads its (right) answer to 256 KiB is read like any other.
    function test_Finding2_returnBombIsReadAsOneWord() public {
        MockWorkRegistry bomb = _wireFaulty();
        bomb.setMode(MockWorkRegistry.Mode.ReturnBomb, false);
        Proposal memory p = _propose(alice, _noop());
        _toVoteStart(p.id);
        vm.expectEmit(address(constitution));
        emit ILegitimacyConstitution.VoteCast(
            p.id, alice, ILegitimacyConstitution.VoteType.For, HOLDING, ALICE_POWER, ""
        );
        _vote(alice, p.id, FOR);
        vm.assertLt(
            vm.lastCallGas().gasTotalUsed, 400_000, "the voter pays the registry's padding, not a copy"
        );
        _vote(bob, p.id, FOR);
        _toVoteEnd(p.id);
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Succeeded);
        (bool readable,) = constitution.workHouse(p.id);
        vm.assertTrue(readable);
    }

    /// @notice The repair needs a fault that is the registry's: a caller who sends too
    /// little gas for a (slow but correct) Work House read gets a revert asking for
    /// more, never a "fault" that would let the Token House alone pass the repair.
    function test_Finding2_shortGasCannotFakeAFault() public {
        MockWorkRegistry slow = new MockWorkRegistry(address(constitution), address(work));
        slow.setPower(dave, 100); // dave: the whole Work House, and no tokens
        _enact(_one(_setModule(ILegitimacyConstitution.Module.Work, address(slow))));
        slow.setBurn(400_000);
        vm.warp(block.timestamp + 1);

        // Capital wants the repair; the Work House votes it down.
        Proposal memory r =
            _propose(alice, _one(_setModule(ILegitimacyConstitution.Module.Work, address(work))));
        _toVoteStart(r.id);
        _vote(alice, r.id, FOR);
        _vote(bob, r.id, FOR);
        _vote(dave, r.id, AGAINST);
        _toVoteEnd(r.id);

        uint256 required = constitution.WORK_READ_GAS() + constitution.WORK_READ_GAS() / 63 + 5000;
        vm.prank(stranger);
        (bool ok, bytes memory err) =
            address(constitution).call{gas: 300_000}(abi.encodeCall(constitution.queue, (r.id)));
        vm.assertFalse(ok);
        vm.assertEq(bytes4(err), ILegitimacyConstitution.LegitimacyConstitutionWorkReadGas.selector);
        (, uint256 required_) = abi.decode(_args(err), (uint256, uint256));
        vm.assertEq(required_, required);

        // With enough gas the read succeeds: the Work House said no.
        _assertState(r.id, ILegitimacyConstitution.AmendmentState.Defeated);
        (bool readable,) = constitution.workHouse(r.id);
        vm.assertTrue(readable);
    }

    function _args(bytes memory err) internal pure returns (bytes memory out) {
        out = new bytes(err.length - 4);
        for (uint256 i; i < out.length; ++i) {
            out[i] = err[i + 4];
        }
    }

    // ------------------------------------------------------------------
    // Finding 3: re-pointing the Work module emptied the Work House
    // ------------------------------------------------------------------

    /// @notice Before: a new registry started at zero power; a newcomer re-registered a
    /// recognized schema (same content-addressed id), submitted one packet and owned
    /// 100% of the Work House. Now a registry built while another is wired succeeds it:
    /// power earned before the swap keeps counting, the old registry stops crediting at
    /// the swap, and the newcomer holds only what she earned.
    function test_Finding3_workSwapKeepsTheHouseAndNewcomersDoNotOwnIt() public {
        bytes32 task = _recognizedSchema("task", 100);
        _submit(work, dave, task, 4); // 400 points: power 20
        uint256 house = work.totalPower();
        vm.assertEq(house, TOTAL_POWER + 20);

        WorkRegistry work2 = _newWorkRegistry();
        _enact(_one(_setModule(ILegitimacyConstitution.Module.Work, address(work2))));
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Work), address(work2));

        // Power earned before the swap still counts, now and at every past second.
        vm.assertEq(work2.power(dave), 20);
        vm.assertEq(work2.power(alice), ALICE_POWER);
        vm.assertEq(work2.totalPower(), house);
        vm.assertEq(work2.getPastTotalPower(block.timestamp - 1), house);

        // The old registry still records work but credits nothing any more.
        _submit(work, dave, task, 1);
        vm.assertEq(work.points(dave), 400);

        // A newcomer re-registers the schema and earns one packet's worth.
        vm.prank(erin);
        vm.assertEq(_registerSchema(work2, "task"), task, "content-addressed: the same id");
        _submit(work2, erin, task, 1); // 100 points: power 10
        _submit(work2, dave, task, 1); // dave's points carry over: 500, power 22
        vm.assertEq(work2.points(dave), 500);
        vm.assertEq(work2.power(dave), 22);
        vm.assertEq(work2.power(erin), 10);
        vm.assertEq(work2.totalPower(), house + 2 + 10);
        vm.warp(block.timestamp + 1);

        // She can neither block (10 Against, 18 For) nor, with capital, outvote the
        // contributors of before (20 For, 22 Against).
        Proposal memory p = _propose(alice, _noop());
        _toVoteStart(p.id);
        _vote(erin, p.id, AGAINST);
        _vote(alice, p.id, FOR);
        _vote(bob, p.id, FOR);
        _toVoteEnd(p.id);
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Succeeded);

        Proposal memory q = _propose(erin, _noop());
        (, uint256 wq) = constitution.quorums(q.id);
        vm.assertEq(wq, 6, "ceil(56 * 10%)");
        _toVoteStart(q.id);
        _vote(erin, q.id, FOR);
        _vote(alice, q.id, FOR); // the Token House carries; alice adds 10 in the Work House
        _vote(dave, q.id, AGAINST); // the contributor of before: 22 against 20
        _toVoteEnd(q.id);
        _assertState(q.id, ILegitimacyConstitution.AmendmentState.Defeated);
    }

    /// @notice Only a continuation may replace the Work module: a registry that does not
    /// succeed the current one, or a former successor wired again, is refused; the
    /// registry the current one replaced may be restored.
    function test_Finding3_onlyASuccessorOrTheReplacedRegistryMayBeWired() public {
        WorkRegistry work2 = _newWorkRegistry();
        WorkRegistry sibling = _newWorkRegistry(); // also built while `work` is wired
        _enact(_one(_setModule(ILegitimacyConstitution.Module.Work, address(work2))));

        _expectNotSuccessor(address(sibling), address(work2), address(work));
        MockWorkRegistry orphan = new MockWorkRegistry(address(constitution), address(0));
        _expectNotSuccessor(address(orphan), address(work2), address(0));

        // Restore the replaced registry; the successor can never come back.
        _enact(_one(_setModule(ILegitimacyConstitution.Module.Work, address(work))));
        _expectNotSuccessor(address(work2), address(work), address(work));
        // The current one's successor (built now) can.
        WorkRegistry work3 = _newWorkRegistry();
        vm.assertEq(work3.predecessor(), address(work));
        vm.assertEq(work3.generation(), 1);
        _enact(_one(_setModule(ILegitimacyConstitution.Module.Work, address(work3))));
        // Naming the registry already wired is allowed (it changes nothing).
        _enact(_one(_setModule(ILegitimacyConstitution.Module.Work, address(work3))));
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Work), address(work3));
    }

    function _expectNotSuccessor(address addr, address current, address predecessor) internal {
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionWorkNotSuccessor.selector,
                addr,
                current,
                predecessor
            )
        );
        constitution.propose(_one(_setModule(ILegitimacyConstitution.Module.Work, addr)), 0, "no");
    }

    /// @notice A Work House spans at most MAX_GENERATIONS registries, so every read is
    /// bounded: the eighth successor cannot be built.
    function test_Finding3_successionIsBounded() public {
        uint256 max = work.MAX_GENERATIONS();
        for (uint256 g = 1; g < max; ++g) {
            WorkRegistry next = _newWorkRegistry();
            vm.assertEq(next.generation(), g);
            _enact(_one(_setModule(ILegitimacyConstitution.Module.Work, address(next))));
        }
        vm.expectRevert(
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryTooManyGenerations.selector, max, max - 1)
        );
        vm.prank(deployer);
        new WorkRegistry(address(constitution));
        // The founders' power still counts through the whole chain, and a read through
        // all of it stays far inside the constitution's cap on a Work House read.
        WorkRegistry last = WorkRegistry(constitution.module(ILegitimacyConstitution.Module.Work));
        vm.assertEq(last.power(alice), ALICE_POWER);
        vm.assertEq(last.totalPower(), TOTAL_POWER);
        address[] memory chain = new address[](max);
        chain[0] = address(last);
        for (uint256 g = 1; g < max; ++g) {
            chain[g] = WorkRegistry(chain[g - 1]).predecessor();
        }
        for (uint256 g; g < max; ++g) {
            vm.cool(chain[g]);
        }
        vm.cool(address(token));
        uint256 before = gasleft();
        vm.assertEq(last.getPastTotalPower(block.timestamp - 1), TOTAL_POWER);
        vm.assertEq(last.getPastPower(carol, block.timestamp - 1), CAROL_POWER);
        vm.assertLt(before - gasleft(), constitution.WORK_READ_GAS() / 4, "a deep read fits the cap");
    }

    // ------------------------------------------------------------------
    // Finding 6: a majority could raise both proposal thresholds out of everyone's reach
    // ------------------------------------------------------------------

    /// @notice Before: an amendment could set the token threshold to the whole supply and
    /// the Work threshold to its ceiling; once tokens sat undelegated (in the Strategy
    /// module, say) nobody could propose again, not even the amendment that lowers them.
    /// Now a house's threshold is capped at its quorum: whoever holds a quorum's weight
    /// (token votes pooled by delegation) can propose, so an amendment that could pass
    /// can be put forward, and the thresholds can be brought back down.
    function test_Finding6_thresholdsAtTheirCeilingLeaveProposingToAQuorum() public {
        (, uint256 workMax) = constitution.paramBounds(ParamKeys.LEGIT_WORK_PROPOSAL_THRESHOLD);
        _enact(
            _two(
                _setParam(ParamKeys.LEGIT_TOKEN_PROPOSAL_THRESHOLD, TOTAL_SUPPLY),
                _setParam(ParamKeys.LEGIT_WORK_PROPOSAL_THRESHOLD, workMax)
            )
        );
        uint256 tokenQuorum = TOTAL_SUPPLY * TOKEN_QUORUM_BPS / 10_000; // 120,000 tokens
        uint256 workQuorum = 3; // 10% of 24, rounded up
        // dave holds a Token House quorum exactly and erin one unit less; carol keeps her
        // Work power (6) and gives all her tokens away.
        _give(alice, dave, tokenQuorum);
        _give(alice, erin, tokenQuorum - 1);
        _give(carol, bob, HOLDING);
        // A million tokens sit where nobody delegates them (as stakes in the Strategy
        // module do): even every delegated token pooled could not meet the stored
        // threshold, the whole supply.
        vm.prank(bob);
        vm.assertTrue(token.transfer(address(0xdead), HOLDING));
        vm.warp(block.timestamp + 1);

        vm.prank(erin);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionBelowThreshold.selector,
                erin,
                tokenQuorum - 1,
                tokenQuorum,
                0,
                workQuorum
            )
        );
        constitution.propose(_noop(), 0, "one unit short");
        _propose(carol, _noop()); // through the Work House alone

        // dave puts forward the repair, and alice and bob carry it.
        Proposal memory p = _propose(
            dave,
            _two(
                _setParam(ParamKeys.LEGIT_TOKEN_PROPOSAL_THRESHOLD, TOKEN_THRESHOLD),
                _setParam(ParamKeys.LEGIT_WORK_PROPOSAL_THRESHOLD, WORK_THRESHOLD)
            )
        );
        _carry(p.id);
        _queueAndWait(p.id);
        _execute(p);
        vm.assertEq(constitution.param(ParamKeys.LEGIT_TOKEN_PROPOSAL_THRESHOLD), TOKEN_THRESHOLD);
        vm.assertEq(constitution.param(ParamKeys.LEGIT_WORK_PROPOSAL_THRESHOLD), WORK_THRESHOLD);
    }

    /// @notice The caps follow the quorums in force when the amendment is proposed (the
    /// context it will be counted in), and a house's weight exactly at its quorum is
    /// enough: token quorum 10% (300,000 tokens), Work quorum 25% (6, carol's power).
    function test_Finding6_theCapsFollowTheQuorumsInForce() public {
        (, uint256 workMax) = constitution.paramBounds(ParamKeys.LEGIT_WORK_PROPOSAL_THRESHOLD);
        _enact(
            _two(
                _setParam(ParamKeys.LEGIT_TOKEN_PROPOSAL_THRESHOLD, TOTAL_SUPPLY),
                _setParam(ParamKeys.LEGIT_WORK_PROPOSAL_THRESHOLD, workMax)
            )
        );
        _enact(
            _two(
                _setParam(ParamKeys.LEGIT_TOKEN_QUORUM_BPS, 1000),
                _setParam(ParamKeys.LEGIT_WORK_QUORUM_BPS, 2500)
            )
        );
        uint256 tokenQuorum = 300_000 ether;
        _give(alice, dave, tokenQuorum - 1);
        _give(carol, bob, HOLDING);
        vm.warp(block.timestamp + 1);
        vm.prank(dave);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionBelowThreshold.selector,
                dave,
                tokenQuorum - 1,
                tokenQuorum,
                0,
                CAROL_POWER
            )
        );
        constitution.propose(_noop(), 0, "one unit under the new quorum");
        Proposal memory byCarol = _propose(carol, _noop()); // power 6: the Work quorum exactly
        (uint256 tq, uint256 wq) = constitution.quorums(byCarol.id);
        vm.assertEq(tq, tokenQuorum, "the amendment is counted against the same token quorum");
        vm.assertEq(wq, CAROL_POWER, "and the same Work quorum");
        _give(alice, dave, 1);
        vm.warp(block.timestamp + 1);
        _propose(dave, _noop());
    }

    /// @notice The way out of a broken Work module stays open with both thresholds at their
    /// ceilings: a holder of the token quorum proposes the repair, and the Token House
    /// alone carries it. A Work registry that reports a total of 0 keeps its stored
    /// threshold (no cap from a house with no weight).
    function test_Finding6_repairIsProposedUnderCeilingThresholds() public {
        (, uint256 workMax) = constitution.paramBounds(ParamKeys.LEGIT_WORK_PROPOSAL_THRESHOLD);
        _enact(
            _two(
                _setParam(ParamKeys.LEGIT_TOKEN_PROPOSAL_THRESHOLD, TOTAL_SUPPLY),
                _setParam(ParamKeys.LEGIT_WORK_PROPOSAL_THRESHOLD, workMax)
            )
        );
        MockWorkRegistry bad = _wireFaulty();
        uint256 tokenQuorum = TOTAL_SUPPLY * TOKEN_QUORUM_BPS / 10_000;
        _give(carol, bob, HOLDING); // carol keeps only her Work power, 6
        _give(alice, dave, tokenQuorum);
        bad.setTotalPower(0);
        vm.warp(block.timestamp + 1);
        vm.prank(carol);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionBelowThreshold.selector,
                carol,
                0,
                tokenQuorum,
                CAROL_POWER,
                workMax
            )
        );
        constitution.propose(_noop(), 0, "a house with no total gives no cap");

        bad.setMode(MockWorkRegistry.Mode.Revert, false);
        Proposal memory r =
            _propose(dave, _one(_setModule(ILegitimacyConstitution.Module.Work, address(work))));
        (bool readable, bool repair) = constitution.workHouse(r.id);
        vm.assertFalse(readable);
        vm.assertTrue(repair);
        _toVoteStart(r.id);
        _vote(alice, r.id, FOR);
        _vote(bob, r.id, FOR);
        _toVoteEnd(r.id);
        _assertState(r.id, ILegitimacyConstitution.AmendmentState.Succeeded);
        _queueAndWait(r.id);
        _execute(r);
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Work), address(work));
    }

    /// @notice Below the quorum the stored thresholds rule as before: between the two, a
    /// holder may not propose.
    function test_Finding6_aThresholdUnderTheQuorumStillApplies() public {
        _give(alice, dave, TOKEN_THRESHOLD - 1);
        vm.warp(block.timestamp + 1);
        vm.prank(dave);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionBelowThreshold.selector,
                dave,
                TOKEN_THRESHOLD - 1,
                TOKEN_THRESHOLD,
                0,
                WORK_THRESHOLD
            )
        );
        constitution.propose(_noop(), 0, "under the threshold");
    }

    // ------------------------------------------------------------------
    // Finding 5: recognizing a schema nobody else checks minted Work power for anyone
    // ------------------------------------------------------------------

    /// @notice Before: an Immediate schema with no validator could be recognized; a
    /// stranger with no tokens then minted power 31 with one packet of weight 1000, and
    /// 25 fresh accounts outvoted the founders. Now SetRecognition refuses it (and a
    /// schema the Work registry does not know) at propose and at execute; a schema that
    /// someone other than the contributor checks (Attested, or a validator) can be
    /// recognized, and recognition can always be withdrawn.
    function test_Finding5_uncheckedSchemaCannotBeRecognized() public {
        IWorkRegistry.Field[] memory fields = new IWorkRegistry.Field[](0);
        IWorkRegistry.Acceptance memory immediate;
        vm.prank(stranger);
        bytes32 open = work.registerSchema("open", fields, immediate, address(0));
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionSchemaUnchecked.selector, open, address(work)
            )
        );
        constitution.propose(_one(_setRecognition(open, 1000)), 0, "open");

        bytes32 unknown = keccak256("never registered");
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionSchemaUnknown.selector, unknown, address(work)
            )
        );
        constitution.propose(_one(_setRecognition(unknown, 1000)), 0, "unknown");

        // A registry whose answer is too short to be (mode, validator) is no answer
        // either: the same named error, not a failed decode.
        bytes32 odd = keccak256("short answer");
        vm.mockCall(
            address(work), abi.encodeCall(IWorkRegistry.schemaAcceptance, (odd)), abi.encode(uint256(1))
        );
        vm.prank(alice);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionSchemaUnknown.selector, odd, address(work)
            )
        );
        constitution.propose(_one(_setRecognition(odd, 1000)), 0, "short");
        vm.clearMockedCalls();

        // Checked by others: attested by the founders, or gated by a validator.
        address[] memory attesters = new address[](2);
        (attesters[0], attesters[1]) = (alice, bob);
        IWorkRegistry.Acceptance memory attested = IWorkRegistry.Acceptance({
            mode: IWorkRegistry.AcceptanceMode.Attested, quorum: 1, attesters: attesters, window: 300
        });
        bytes32 reviewed = work.registerSchema("reviewed", fields, attested, address(0));
        bytes32 gated = work.registerSchema("gated", fields, immediate, address(new AcceptingValidator()));
        // Only an earlier SetModule(Work) changes the registry the check asks: a role
        // revoked (value 0, an account) in the same amendment does not.
        bytes32 steward = constitution.STEWARD_ROLE();
        vm.prank(alice);
        constitution.propose(
            _two(_setRole(steward, bob, false), _setRecognition(reviewed, 500)), 0, "revoke, then recognize"
        );
        _enact(_two(_setRecognition(reviewed, 1000), _setRecognition(gated, 1000)));
        vm.assertEq(constitution.recognition(reviewed), 1000);
        vm.assertEq(constitution.recognition(gated), 1000);

        // Withdrawing needs no check, even for an id the registry does not know.
        _enact(_two(_setRecognition(gated, 0), _setRecognition(unknown, 0)));
        vm.assertEq(constitution.recognition(gated), 0);

        // The stranger's packet of the open schema earns nothing.
        vm.prank(stranger);
        work.submit(open, HASH, "");
        vm.assertEq(work.power(stranger), 0);
    }

    /// @notice Execution checks again, against the Work registry of that moment: a
    /// recognition proposed for a schema of the current registry fails to execute once
    /// a successor that does not know the schema is wired, and the amendment stays
    /// Queued until it expires.
    function test_Finding5_executeChecksTheRegistryOfThatMoment() public {
        bytes32 task = _registerSchema(work, "task");
        Proposal memory p = _propose(alice, _one(_setRecognition(task, 5)));
        WorkRegistry work2 = _newWorkRegistry();
        Proposal memory swap =
            _propose(bob, _one(_setModule(ILegitimacyConstitution.Module.Work, address(work2))));
        _toVoteStart(p.id);
        for (uint256 i; i < 2; ++i) {
            uint256 id = i == 0 ? p.id : swap.id;
            _vote(alice, id, FOR);
            _vote(bob, id, FOR);
        }
        _toVoteEnd(p.id);
        _queueAndWait(swap.id);
        _execute(swap);
        vm.prank(stranger);
        constitution.queue(p.id);
        vm.warp(constitution.amendment(p.id).eta);
        vm.prank(stranger);
        _expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionSchemaUnknown.selector, task, address(work2)
            )
        );
        constitution.execute(p.id, p.proposer, p.body);
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Queued);
    }
}

/// @notice Finding 5 at bootstrap: the genesis recognitions obey the same rule.
contract LegitimacyConstitutionLivenessGenesisTest is ConstitutionBase {
    function setUp() public {
        _deployConstitution();
        _deployWork();
    }

    function test_Finding5_bootstrapRefusesUncheckedRecognitions() public {
        IWorkRegistry.Field[] memory fields = new IWorkRegistry.Field[](0);
        IWorkRegistry.Acceptance memory immediate;
        bytes32 open = workRegistry.registerSchema("open", fields, immediate, address(0));
        ILegitimacyConstitution.BootstrapConfig memory c = _emptyBootstrap();
        c.recognitions = new ILegitimacyConstitution.RecognitionInit[](1);
        c.recognitions[0] = ILegitimacyConstitution.RecognitionInit({schemaId: open, weight: 1});
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionSchemaUnchecked.selector,
                open,
                address(workRegistry)
            )
        );
        _bootstrap(c);

        // An id is not enough: the schema must be registered before bootstrap.
        bytes32 later = keccak256(abi.encode("later", fields, immediate, address(1)));
        c.recognitions[0].schemaId = later;
        vm.expectRevert(
            abi.encodeWithSelector(
                ILegitimacyConstitution.LegitimacyConstitutionSchemaUnknown.selector,
                later,
                address(workRegistry)
            )
        );
        _bootstrap(c);

        bytes32 gated =
            workRegistry.registerSchema("gated", fields, immediate, address(new AcceptingValidator()));
        c.recognitions[0].schemaId = gated;
        _bootstrap(c);
        vm.assertEq(constitution.recognition(gated), 1);
    }
}
