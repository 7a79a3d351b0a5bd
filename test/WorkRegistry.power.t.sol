// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {WorkRegistry} from "../contracts/WorkRegistry.sol";
import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {IWorkRegistry} from "../contracts/interfaces/IWorkRegistry.sol";
import {WorkRegistryBase} from "./WorkRegistry.base.t.sol";
import {Vm} from "./utils/Vm.sol";

/// @notice Contribution points and power: credited only for accepted packets of
/// recognized schemas, power = isqrt(points), checkpointed per contributor and in
/// total on the timestamp clock.
contract WorkRegistryPowerTest is WorkRegistryBase {
    function _tick(address who) internal returns (uint256) {
        vm.prank(who);
        return workRegistry.submit(tickId, HASH, abi.encode(uint256(1)));
    }

    /// @dev A review by `who`, accepted by two attesters other than `who`.
    function _review(address who) internal returns (uint256 id) {
        id = _submit(who, reviewId);
        address[] memory r = _reviewers();
        uint256 n;
        for (uint256 i; i < r.length && n < 2; ++i) {
            if (r[i] == who) continue;
            vm.prank(r[i]);
            workRegistry.attest(id);
            ++n;
        }
    }

    // ------------------------------------------------------------------
    // Crediting
    // ------------------------------------------------------------------

    function test_submit_recognizedCreditsContributor() public {
        vm.expectEmit(address(workRegistry));
        emit IWorkRegistry.ContributionCredited(contributor, 1, recognizedTaskId, TASK_WEIGHT, 100, 10);
        _submit(contributor, recognizedTaskId);
        vm.assertEq(workRegistry.points(contributor), 100);
        vm.assertEq(workRegistry.power(contributor), 10);
        vm.assertEq(workRegistry.totalPower(), FOUNDER_POWER + 10);
    }

    function test_submit_unrecognizedCreditsNothing() public {
        vm.recordLogs();
        _submit(contributor, taskId);
        Vm.Log[] memory logs = vm.getRecordedLogs();
        vm.assertEq(logs.length, 2, "PacketSubmitted and PacketAccepted only");
        vm.assertEq(workRegistry.points(contributor), 0);
        vm.assertEq(workRegistry.power(contributor), 0);
        vm.assertEq(workRegistry.totalPower(), FOUNDER_POWER);
    }

    function test_attest_pendingCreditsNothing() public {
        uint256 id = _submit(contributor, reviewId);
        vm.prank(alice);
        workRegistry.attest(id);
        vm.assertEq(workRegistry.points(contributor), 0);
    }

    function test_credit_powerIsSqrtOfPoints() public {
        // tick: weight 1, so power moves at 1, 4, 9 points.
        uint256[9] memory want = [uint256(1), 1, 1, 2, 2, 2, 2, 2, 3];
        for (uint256 i; i < 9; ++i) {
            _tick(contributor);
            vm.assertEq(workRegistry.points(contributor), i + 1);
            vm.assertEq(workRegistry.power(contributor), want[i]);
        }
        vm.assertEq(workRegistry.totalPower(), FOUNDER_POWER + 3);
    }

    function test_credit_totalIsSumOfPowers() public {
        _submit(alice, recognizedTaskId); // 100 -> 10
        _review(bob); // 9 -> 3
        _submit(bob, recognizedTaskId); // 109 -> 10
        _tick(carol); // 1 -> 1
        vm.assertEq(workRegistry.power(alice), 10);
        vm.assertEq(workRegistry.power(bob), 10);
        vm.assertEq(workRegistry.power(carol), 1);
        vm.assertEq(workRegistry.totalPower(), FOUNDER_POWER + 21);
    }

    function test_credit_usesRecognitionAtAcceptance() public {
        uint256 id = _submit(contributor, reviewId);
        vm.prank(alice);
        workRegistry.attest(id);
        // The weight changes (as an amendment would) while the packet is pending.
        vm.mockCall(
            address(constitution),
            abi.encodeCall(ILegitimacyConstitution.creditWeight, (reviewId)),
            abi.encode(25)
        );
        vm.expectEmit(address(workRegistry));
        emit IWorkRegistry.ContributionCredited(contributor, id, reviewId, 25, 25, 5);
        vm.prank(bob);
        workRegistry.attest(id);
        vm.assertEq(workRegistry.points(contributor), 25);
    }

    function test_credit_recognitionWithdrawnBeforeAcceptance() public {
        uint256 id = _submit(contributor, reviewId);
        vm.mockCall(
            address(constitution),
            abi.encodeCall(ILegitimacyConstitution.creditWeight, (reviewId)),
            abi.encode(0)
        );
        vm.prank(alice);
        workRegistry.attest(id);
        vm.prank(bob);
        workRegistry.attest(id);
        vm.assertEq(uint8(workRegistry.packet(id).status), uint8(IWorkRegistry.Status.Accepted));
        vm.assertEq(workRegistry.points(contributor), 0);
    }

    // ------------------------------------------------------------------
    // Checkpoints
    // ------------------------------------------------------------------

    function test_getPastPower_tracksHistory() public {
        uint256 t0 = block.timestamp;
        _submit(alice, recognizedTaskId); // alice 10 at t0
        vm.warp(t0 + 10);
        _submit(alice, recognizedTaskId); // alice 14 at t0 + 10
        _tick(bob); // bob 1 at t0 + 10
        vm.warp(t0 + 20);
        vm.assertEq(workRegistry.getPastPower(alice, t0 - 1), 0);
        vm.assertEq(workRegistry.getPastPower(alice, t0), 10);
        vm.assertEq(workRegistry.getPastPower(alice, t0 + 9), 10);
        vm.assertEq(workRegistry.getPastPower(alice, t0 + 10), 14);
        vm.assertEq(workRegistry.getPastPower(bob, t0 + 9), 0);
        vm.assertEq(workRegistry.getPastPower(bob, t0 + 19), 1);
        vm.assertEq(workRegistry.getPastTotalPower(t0), FOUNDER_POWER + 10);
        vm.assertEq(workRegistry.getPastTotalPower(t0 + 10), FOUNDER_POWER + 15);
    }

    function test_getPastPower_sameSecondKeepsOneCheckpoint() public {
        uint256 t0 = block.timestamp;
        _submit(alice, recognizedTaskId);
        _submit(alice, recognizedTaskId);
        vm.warp(t0 + 1);
        vm.assertEq(workRegistry.getPastPower(alice, t0), 14);
        vm.assertEq(workRegistry.getPastTotalPower(t0), FOUNDER_POWER + 14);
    }

    function test_RevertWhen_getPastPowerNotPast() public {
        uint48 now_ = uint48(block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(IWorkRegistry.WorkRegistryFutureLookup.selector, now_, now_));
        workRegistry.getPastPower(alice, now_);
        vm.expectRevert(
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryFutureLookup.selector, now_ + 1, now_)
        );
        workRegistry.getPastPower(alice, now_ + 1);
    }

    function test_RevertWhen_getPastTotalPowerNotPast() public {
        uint48 now_ = uint48(block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(IWorkRegistry.WorkRegistryFutureLookup.selector, now_, now_));
        workRegistry.getPastTotalPower(now_);
    }

    function test_clock_isTimestamp() public {
        vm.assertEq(workRegistry.clock(), block.timestamp);
        vm.warp(block.timestamp + 123);
        vm.assertEq(workRegistry.clock(), block.timestamp);
        vm.assertEq(workRegistry.CLOCK_MODE(), "mode=timestamp");
    }

    function test_constitution_isImmutableDeploymentParent() public view {
        vm.assertEq(workRegistry.constitution(), address(constitution));
        vm.assertEq(constitution.module(ILegitimacyConstitution.Module.Work), address(workRegistry));
    }
}

/// @notice Founding points: only the constitution, only inside its bootstrap.
contract WorkRegistrySeedTest is WorkRegistryBase {
    function setUp() public override {
        _deployConstitution();
        _deployWork();
        _registerStandardSchemas();
    }

    function _seeds(address a, uint256 pa, address b, uint256 pb)
        internal
        pure
        returns (ILegitimacyConstitution.SeedInit[] memory s)
    {
        s = new ILegitimacyConstitution.SeedInit[](2);
        s[0] = ILegitimacyConstitution.SeedInit({contributor: a, points: pa});
        s[1] = ILegitimacyConstitution.SeedInit({contributor: b, points: pb});
    }

    function _bootstrap(ILegitimacyConstitution.SeedInit[] memory seeds) internal {
        _bootstrapWithWork(_recognitions(), seeds);
    }

    /// @dev Bootstrap with `seeds`, expecting it to revert with the registry's `err`.
    function _bootstrapReverts(ILegitimacyConstitution.SeedInit[] memory seeds, bytes memory err) internal {
        ILegitimacyConstitution.BootstrapConfig memory c = _emptyBootstrap();
        c.seeds = seeds;
        vm.prank(deployer);
        vm.expectRevert(err);
        constitution.bootstrap(c);
    }

    function test_seedContribution_duringBootstrap() public {
        vm.expectEmit(address(workRegistry));
        emit IWorkRegistry.ContributionCredited(alice, 0, bytes32(0), 100, 100, 10);
        vm.expectEmit(address(workRegistry));
        emit IWorkRegistry.ContributionCredited(bob, 0, bytes32(0), 49, 49, 7);
        _bootstrap(_seeds(alice, 100, bob, 49));
        vm.assertEq(workRegistry.points(alice), 100);
        vm.assertEq(workRegistry.power(alice), 10);
        vm.assertEq(workRegistry.power(bob), 7);
        vm.assertEq(workRegistry.totalPower(), 17);
        vm.warp(block.timestamp + 1);
        vm.assertEq(workRegistry.getPastTotalPower(block.timestamp - 1), 17);
    }

    function test_seedContribution_addsUpWithWork() public {
        _bootstrap(_seeds(alice, 21, alice, 15)); // 36 -> 6
        vm.assertEq(workRegistry.power(alice), 6);
        _submit(alice, recognizedTaskId); // 136 -> 11
        vm.assertEq(workRegistry.points(alice), 136);
        vm.assertEq(workRegistry.power(alice), 11);
        vm.assertEq(workRegistry.totalPower(), 11);
    }

    /// @dev The largest seed fills the Work House exactly: power 2^48 - 1, the cap.
    function test_seedContribution_maxSeed() public {
        uint256 max = workRegistry.MAX_SEED_POINTS();
        vm.assertEq(max, 2 ** 96 - 1);
        ILegitimacyConstitution.SeedInit[] memory one = new ILegitimacyConstitution.SeedInit[](1);
        one[0] = ILegitimacyConstitution.SeedInit({contributor: alice, points: max});
        _bootstrap(one);
        vm.assertEq(workRegistry.power(alice), type(uint48).max);
        vm.assertEq(workRegistry.totalPower(), workRegistry.MAX_TOTAL_POWER());
    }

    /// @dev Two seeds that together pass the cap: the bootstrap is refused.
    function test_RevertWhen_seedsPassTheTotalCap() public {
        uint256 max = workRegistry.MAX_SEED_POINTS();
        _bootstrapReverts(
            _seeds(alice, max, bob, 1),
            abi.encodeWithSelector(
                IWorkRegistry.WorkRegistryPowerCapReached.selector, 2 ** 48, workRegistry.MAX_TOTAL_POWER()
            )
        );
    }

    function test_RevertWhen_seedByNonConstitution() public {
        vm.expectRevert(abi.encodeWithSelector(IWorkRegistry.WorkRegistryNotConstitution.selector, deployer));
        vm.prank(deployer);
        workRegistry.seedContribution(alice, 100);
    }

    function test_RevertWhen_seedAfterBootstrap() public {
        _bootstrap(new ILegitimacyConstitution.SeedInit[](0));
        vm.expectRevert(abi.encodeWithSelector(IWorkRegistry.WorkRegistrySeedingClosed.selector));
        vm.prank(address(constitution));
        workRegistry.seedContribution(alice, 100);
    }

    function test_RevertWhen_seedZeroContributor() public {
        _bootstrapReverts(
            _seeds(alice, 1, address(0), 5),
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryInvalidSeed.selector, address(0), 5)
        );
    }

    function test_RevertWhen_seedZeroPoints() public {
        _bootstrapReverts(
            _seeds(alice, 1, bob, 0),
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryInvalidSeed.selector, bob, 0)
        );
    }

    function test_RevertWhen_seedTooLarge() public {
        uint256 big = 2 ** 96;
        _bootstrapReverts(
            _seeds(alice, 1, bob, big),
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryInvalidSeed.selector, bob, big)
        );
    }

    function test_RevertWhen_constructedWithoutConstitution() public {
        vm.expectRevert(
            abi.encodeWithSelector(IWorkRegistry.WorkRegistryInvalidConstitution.selector, stranger)
        );
        new WorkRegistry(stranger);
    }
}

