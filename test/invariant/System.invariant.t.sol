// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CoordinationLocks} from "../../contracts/CoordinationLocks.sol";
import {OptimizationTreasury} from "../../contracts/OptimizationTreasury.sol";
import {ICoordinationLocks} from "../../contracts/interfaces/ICoordinationLocks.sol";
import {ILegitimacyConstitution} from "../../contracts/interfaces/ILegitimacyConstitution.sol";
import {IOptimizationTreasury} from "../../contracts/interfaces/IOptimizationTreasury.sol";
import {IStrategyProposals} from "../../contracts/interfaces/IStrategyProposals.sol";
import {TreasuryBase} from "../OptimizationTreasury.base.t.sol";
import {SystemHandler} from "./handlers/SystemHandler.sol";

/// @notice Properties of the whole suite, all five modules driven together by one
/// handler (work submitted and attested, leases taken and lost, allocations made,
/// vetoed, cancelled, executed and claimed, bounties, Strategy stakes, support, bonds,
/// promotion and expiry, amendments proposed, voted, queued and executed, including
/// swaps of the Coordination and Optimization modules, and time passing).
/// @dev The suite as the SDK deploys it (test/utils/Fixture.sol through TreasuryBase):
/// the founders (alice, bob, carol) hold the tokens and the founding points; three
/// contributors earn points through recognized, attested work. Every parameter moves
/// inside its hard bounds, at most to twice its value per amendment, except the two
/// proposal thresholds, which may jump to their ceilings (the token's capped at the
/// supply): the liveness property holds even then, because a house's threshold never
/// asks for more than its quorum (`test_Finding6_*`).
///
/// Cost: each call checks every tracked lease and allocation and, for liveness, runs a
/// whole amendment on a state snapshot; the default profile runs 16 x 64 calls, the
/// `ci` profile 32 x 128 (inline settings on `invariant_system`).
contract SystemInvariantTest is TreasuryBase {
    SystemHandler internal handler;
    address[] internal founders_;
    address[] internal contributors_;

    function setUp() public override {
        super.setUp();
        founders_ = new address[](3);
        (founders_[0], founders_[1], founders_[2]) = (alice, bob, carol);
        contributors_ = new address[](3);
        (contributors_[0], contributors_[1], contributors_[2]) = (contributor, contributor2, dave);
        handler = new SystemHandler(
            constitution,
            usdc,
            taskId,
            founders_,
            contributors_,
            [reviewer, steward, guardian, makeAddr("funder"), keeper]
        );
        handler.recordDeposit(ETH, ETH_FUNDS);
        handler.recordDeposit(address(usdc), USDC_FUNDS);
        handler.openLines();
        for (uint256 i; i < founders_.length; ++i) {
            vm.prank(founders_[i]);
            token.approve(address(strategy), type(uint256).max);
        }

        targetContract(address(handler));
        bytes4[] memory s = new bytes4[](33);
        s[0] = SystemHandler.submit.selector;
        s[1] = SystemHandler.submit.selector;
        s[2] = SystemHandler.attest.selector;
        s[3] = SystemHandler.attest.selector;
        s[4] = SystemHandler.lock.selector;
        s[5] = SystemHandler.release.selector;
        s[6] = SystemHandler.expireLease.selector;
        s[7] = SystemHandler.grantNext.selector;
        s[8] = SystemHandler.deposit.selector;
        s[9] = SystemHandler.allocate.selector;
        s[10] = SystemHandler.claimBounty.selector;
        s[11] = SystemHandler.veto.selector;
        s[12] = SystemHandler.cancel.selector;
        s[13] = SystemHandler.execute.selector;
        s[14] = SystemHandler.claim.selector;
        s[15] = SystemHandler.migrate.selector;
        s[16] = SystemHandler.stake.selector;
        s[17] = SystemHandler.unstake.selector;
        s[18] = SystemHandler.support.selector;
        s[19] = SystemHandler.unsupport.selector;
        s[20] = SystemHandler.openAndPropose.selector;
        s[21] = SystemHandler.promote.selector;
        s[22] = SystemHandler.expireProposal.selector;
        s[23] = SystemHandler.withdrawProposal.selector;
        s[24] = SystemHandler.proposeAmendment.selector;
        s[25] = SystemHandler.voteRound.selector;
        s[26] = SystemHandler.queue.selector;
        s[27] = SystemHandler.executeAmendment.selector;
        s[28] = SystemHandler.warp.selector;
        s[29] = SystemHandler.warp.selector;
        s[30] = SystemHandler.vote.selector;
        s[31] = SystemHandler.allocate.selector;
        s[32] = SystemHandler.execute.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: s}));
    }

    /// @notice The seven properties below, checked together after every call of one
    /// campaign: the pipelines (work accepted, then leased or funded; amendments voted,
    /// queued and executed) need depth more than separate shallow campaigns. The handler
    /// catches every refusal it expects, so any other revert fails the campaign.
    /// forge-config: default.invariant.runs = 16
    /// forge-config: default.invariant.depth = 64
    /// forge-config: ci.invariant.runs = 32
    /// forge-config: ci.invariant.depth = 128
    /// forge-config: default.invariant.fail-on-revert = true
    /// forge-config: ci.invariant.fail-on-revert = true
    function invariant_system() public {
        _fundsConservedPerAsset();
        _capsNeverExceeded();
        _nothingRunsBeforeItsWindow();
        _constitutionChangesOnlyByAmendment();
        _strategyMovesOnlyStakesAndBonds();
        _exclusiveLeaseNeverShared();
        _governanceNeverLocked();
    }

    /// @notice Funds are conserved per asset: what every treasury the directory ever named
    /// holds, plus what the recipients (the contributors, the only accounts paid) hold,
    /// is exactly what was deposited. Nothing is minted, lost or sent elsewhere, across
    /// module swaps and migrations.
    function _fundsConservedPerAsset() internal view {
        uint256 eth;
        uint256 usd;
        for (uint256 i; i < handler.treasuryCount(); ++i) {
            address t = handler.treasuries(i);
            eth += t.balance;
            usd += usdc.balanceOf(t);
        }
        for (uint256 i; i < contributors_.length; ++i) {
            eth += contributors_[i].balance;
            usd += usdc.balanceOf(contributors_[i]);
        }
        vm.assertEq(eth, handler.ghostDeposited(ETH), "ETH conserved");
        vm.assertEq(usd, handler.ghostDeposited(address(usdc)), "USDC conserved");
    }

    /// @notice Caps are never exceeded: in the current epoch of the current treasury, an
    /// asset's spending stays within its budget, each line within its share, each
    /// recipient within its share.
    function _capsNeverExceeded() internal view {
        OptimizationTreasury t =
            OptimizationTreasury(payable(constitution.module(ILegitimacyConstitution.Module.Optimization)));
        address[2] memory assets = [ETH, address(usdc)];
        for (uint256 a; a < 2; ++a) {
            IOptimizationTreasury.AssetEpoch memory e = t.assetEpoch(assets[a]);
            vm.assertLe(e.spent, e.budget, "epoch budget");
            for (uint256 i; i < contributors_.length; ++i) {
                IOptimizationTreasury.CapUse memory r = t.recipientEpoch(assets[a], contributors_[i]);
                vm.assertLe(r.used, r.cap, "recipient cap");
            }
        }
        uint256[3] memory lines = handler.lines(address(t));
        for (uint256 i; i < 3; ++i) {
            IOptimizationTreasury.CapUse memory l = t.lineEpoch(lines[i]);
            vm.assertLe(l.used, l.cap, "line cap");
        }
    }

    /// @notice Nothing runs before its window: no allocation executes inside its veto
    /// window, no amendment is queued before its vote ends or executed before its eta, no
    /// lease is granted before its notBefore.
    function _nothingRunsBeforeItsWindow() internal view {
        vm.assertEq(handler.earlyActions(), 0, "an action ran before its window");
        for (uint256 i; i < handler.leaseCount(); ++i) {
            SystemHandler.Lease memory l = handler.leaseAt(i);
            ICoordinationLocks.RequestInfo memory r =
                CoordinationLocks(l.locks).requestInfo(l.resource, l.packetId);
            if (r.state == ICoordinationLocks.RequestState.Held) {
                vm.assertGe(r.grantedAt, l.notBefore, "lease granted before notBefore");
            }
        }
    }

    /// @notice The constitution's values and directory are exactly what the executed
    /// amendments made them (the handler's model), and every value lies in its hard bounds.
    function _constitutionChangesOnlyByAmendment() internal view {
        ILegitimacyConstitution.ParamInfo[] memory ps = constitution.params();
        for (uint256 i; i < ps.length; ++i) {
            vm.assertEq(ps[i].value, handler.ghostParam(ps[i].key), "param moved without an amendment");
            vm.assertGe(ps[i].value, ps[i].min, "value >= min");
            vm.assertLe(ps[i].value, ps[i].max, "value <= max");
        }
        for (uint256 m; m < 4; ++m) {
            vm.assertEq(
                constitution.module(ILegitimacyConstitution.Module(m)), handler.ghostModule(m), "directory"
            );
        }
    }

    /// @notice Strategy moves no funds but stakes and bonds: it holds exactly the stakes
    /// and live bonds it reports, no ETH and no USDC, and each founder's tokens plus its
    /// stake plus its live bonds are what it started with.
    function _strategyMovesOnlyStakesAndBonds() internal view {
        vm.assertEq(
            token.balanceOf(address(strategy)),
            strategy.totalStaked() + strategy.totalBonds(),
            "stakes + bonds"
        );
        vm.assertEq(address(strategy).balance, 0, "no ETH");
        vm.assertEq(usdc.balanceOf(address(strategy)), 0, "no USDC");
        uint256[] memory bonds = new uint256[](founders_.length);
        uint256 live;
        for (uint256 q = 1; q <= strategy.questionCount(); ++q) {
            IStrategyProposals.Question memory x = strategy.question(q);
            if (x.state == IStrategyProposals.QuestionState.Open) {
                bonds[_founder(x.opener)] += x.bond;
                live += x.bond;
            }
        }
        for (uint256 p = 1; p <= strategy.proposalCount(); ++p) {
            IStrategyProposals.Proposal memory x = strategy.proposal(p);
            if (x.state == IStrategyProposals.ProposalState.Open) {
                bonds[_founder(x.proposer)] += x.bond;
                live += x.bond;
            }
        }
        vm.assertEq(live, strategy.totalBonds(), "live bonds");
        for (uint256 i; i < founders_.length; ++i) {
            (uint256 staked,) = strategy.stakeOf(founders_[i]);
            vm.assertEq(token.balanceOf(founders_[i]) + staked + bonds[i], HOLDING, "founder's tokens");
        }
    }

    /// @notice An Exclusive lease is never shared: on every resource of every locks
    /// module, an Exclusive holder is the only holder (counted from the requests
    /// themselves, and as the module reports it).
    function _exclusiveLeaseNeverShared() internal view {
        for (uint256 m; m < handler.lockModuleCount(); ++m) {
            CoordinationLocks locks_ = CoordinationLocks(handler.lockModules(m));
            for (uint256 r; r < 3; ++r) {
                bytes32 resource = keccak256(abi.encode("resource", r));
                uint256 held;
                bool exclusive;
                for (uint256 i; i < handler.leaseCount(); ++i) {
                    SystemHandler.Lease memory l = handler.leaseAt(i);
                    if (l.locks != address(locks_) || l.resource != resource) continue;
                    ICoordinationLocks.RequestInfo memory info = locks_.requestInfo(resource, l.packetId);
                    if (
                        info.state != ICoordinationLocks.RequestState.Held || info.leaseEnd <= block.timestamp
                    ) {
                        continue;
                    }
                    ++held;
                    exclusive = exclusive || info.mode == ICoordinationLocks.Mode.Exclusive;
                }
                if (exclusive) vm.assertEq(held, 1, "exclusive lease shared");
                ICoordinationLocks.ResourceInfo memory ri = locks_.resourceInfo(resource);
                if (ri.mode == ICoordinationLocks.Mode.Exclusive) {
                    vm.assertLe(ri.holders, 1, "exclusive holders");
                }
            }
        }
    }

    /// @notice Governance is never locked: from the state the run reached, a harmless
    /// amendment proposed by a founder and voted For by everyone with power passes both
    /// houses and executes. Run on a snapshot that is restored afterwards.
    function _governanceNeverLocked() internal {
        uint256 snap = vm.snapshotState();
        handler.passHarmlessAmendment();
        vm.revertToState(snap);
    }

    function _founder(address who) internal view returns (uint256) {
        for (uint256 i; i < founders_.length; ++i) {
            if (founders_[i] == who) return i;
        }
        revert("bond of a non-founder");
    }

    /// @notice The handler is not vacuous: a seeded walk of 1200 calls through it succeeds
    /// at every action at least once (swaps of both modules included), so the
    /// properties above are checked on states where money moved, leases were held,
    /// amendments executed and modules changed. (Its handler-level calls never revert:
    /// a refused action is caught, so forge's revert counts cannot show this.)
    function test_handlerReachesEveryAction() public {
        uint256 seed = 0x5eed;
        for (uint256 i; i < 1200; ++i) {
            seed = uint256(keccak256(abi.encode(seed, i)));
            _step(seed);
        }
        string[24] memory names = [
            "submit",
            "attest",
            "lock",
            "release",
            "expireLease",
            "grantNext",
            "deposit",
            "allocate",
            "claimBounty",
            "veto",
            "cancel",
            "execute",
            "claim",
            "migrate",
            "stake",
            "unstake",
            "support",
            "unsupport",
            "strategyPropose",
            "promote",
            "proposeAmendment",
            "vote",
            "queue",
            "executeAmendment"
        ];
        string memory missing;
        string memory counts;
        for (uint256 i; i < names.length; ++i) {
            uint256 n = handler.calls(bytes32(bytes(names[i])));
            counts = string.concat(counts, names[i], "=", vm.toString(n), " ");
            if (n == 0) missing = string.concat(missing, names[i], " ");
        }
        vm.assertEq(missing, "", counts);
        vm.assertGt(handler.treasuryCount(), 1, "a treasury swap executed");
        vm.assertGt(handler.lockModuleCount(), 1, string.concat("a locks swap executed; ", counts));
        invariant_system();
    }

    function _step(uint256 seed) internal {
        uint256 a = uint256(keccak256(abi.encode(seed, 1)));
        uint256 b = uint256(keccak256(abi.encode(seed, 2)));
        uint256 c = uint256(keccak256(abi.encode(seed, 3)));
        uint256 k = seed % 29;
        if (k == 0) handler.submit(a);
        else if (k == 1) handler.attest(a);
        else if (k == 2) handler.lock(a, b, c % 2 == 0, c, b);
        else if (k == 3) handler.release(a);
        else if (k == 4) handler.expireLease(a);
        else if (k == 5) handler.grantNext(a);
        else if (k == 6) handler.deposit(a % 2 == 0, b);
        else if (k == 7) handler.allocate(a, b % 2 == 0, c, b);
        else if (k == 8) handler.claimBounty(a);
        else if (k == 9) handler.veto(a);
        else if (k == 10) handler.cancel(a);
        else if (k == 11) handler.execute(a);
        else if (k == 12) handler.claim(a);
        else if (k == 13) handler.migrate(a, b % 2 == 0);
        else if (k == 14) handler.stake(a, b);
        else if (k == 15) handler.unstake(a, b);
        else if (k == 16) handler.support(a, b, c);
        else if (k == 17) handler.unsupport(a, b, c);
        else if (k == 18) handler.openAndPropose(a);
        else if (k == 19) handler.promote(a);
        else if (k == 20) handler.expireProposal(a);
        else if (k == 21) handler.withdrawProposal(a);
        else if (k == 22) handler.proposeAmendment(a, b, c);
        else if (k == 23) handler.vote(a, b, uint8(c));
        else if (k == 24) handler.voteRound(a, b % 4 == 0);
        else if (k == 25) handler.queue(a);
        else if (k == 26) handler.executeAmendment(a);
        else handler.warp(a);
    }
}
