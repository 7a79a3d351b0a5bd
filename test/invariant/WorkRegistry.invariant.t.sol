// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ILegitimacyConstitution} from "../../contracts/interfaces/ILegitimacyConstitution.sol";
import {IWorkRegistry} from "../../contracts/interfaces/IWorkRegistry.sol";
import {AcceptingValidator} from "../mocks/WorkValidatorMocks.sol";
import {Fixture} from "../utils/Fixture.sol";
import {WorkRegistryHandler} from "./handlers/WorkRegistryHandler.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @notice Properties of the WorkRegistry that must hold after any sequence of
/// submissions, attestations, retractions, expiries and the passing of time, by a
/// set of actors on four schemas (Immediate and Attested, recognized or not; the
/// recognized Immediate one has a validator), with one founding seed.
contract WorkRegistryInvariantTest is Fixture {
    WorkRegistryHandler internal handler;
    address[] internal actors;
    uint256 internal start;

    function setUp() public {
        _deployConstitution();
        _deployWork();
        start = block.timestamp;

        actors = new address[](5);
        actors[0] = alice;
        actors[1] = bob;
        actors[2] = carol;
        actors[3] = steward;
        actors[4] = stranger;

        IWorkRegistry.Field[] memory f = new IWorkRegistry.Field[](3);
        f[0].fieldType = IWorkRegistry.FieldType.Uint256;
        f[1] = IWorkRegistry.Field({
            fieldType: IWorkRegistry.FieldType.Bytes32, required: true, min: 0, max: 0, maxLen: 0
        });
        f[2] = IWorkRegistry.Field({
            fieldType: IWorkRegistry.FieldType.String, required: false, min: 0, max: 0, maxLen: 64
        });
        address[] memory attesters = new address[](3);
        (attesters[0], attesters[1], attesters[2]) = (alice, bob, carol);
        IWorkRegistry.Acceptance memory immediate;
        IWorkRegistry.Acceptance memory attested = IWorkRegistry.Acceptance({
            mode: IWorkRegistry.AcceptanceMode.Attested, quorum: 2, attesters: attesters, window: 300
        });

        address validator = address(new AcceptingValidator());
        WorkRegistryHandler.SchemaInfo[] memory s = new WorkRegistryHandler.SchemaInfo[](4);
        s[0] = WorkRegistryHandler.SchemaInfo(
            keccak256(abi.encode("imm.rec", f, immediate, validator)), false, 7
        );
        s[1] =
            WorkRegistryHandler.SchemaInfo(keccak256(abi.encode("imm", f, immediate, address(0))), false, 0);
        s[2] = WorkRegistryHandler.SchemaInfo(
            keccak256(abi.encode("att.rec", f, attested, address(0))), true, 3
        );
        s[3] = WorkRegistryHandler.SchemaInfo(keccak256(abi.encode("att", f, attested, address(0))), true, 0);

        ILegitimacyConstitution.RecognitionInit[] memory r = new ILegitimacyConstitution.RecognitionInit[](2);
        r[0] = ILegitimacyConstitution.RecognitionInit({schemaId: s[0].id, weight: s[0].weight});
        r[1] = ILegitimacyConstitution.RecognitionInit({schemaId: s[2].id, weight: s[2].weight});
        ILegitimacyConstitution.SeedInit[] memory seeds = new ILegitimacyConstitution.SeedInit[](1);
        seeds[0] = ILegitimacyConstitution.SeedInit({contributor: steward, points: 50});
        workRegistry.registerSchema("imm.rec", f, immediate, validator);
        workRegistry.registerSchema("imm", f, immediate, address(0));
        workRegistry.registerSchema("att.rec", f, attested, address(0));
        workRegistry.registerSchema("att", f, attested, address(0));
        _bootstrapWithWork(r, seeds);

        uint256[] memory seedPoints = new uint256[](5);
        seedPoints[3] = 50;
        handler = new WorkRegistryHandler(workRegistry, actors, s, seedPoints);

        targetContract(address(handler));
        bytes4[] memory selectors = new bytes4[](5);
        selectors[0] = WorkRegistryHandler.submit.selector;
        selectors[1] = WorkRegistryHandler.attest.selector;
        selectors[2] = WorkRegistryHandler.retract.selector;
        selectors[3] = WorkRegistryHandler.expire.selector;
        selectors[4] = WorkRegistryHandler.warp.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    /// @notice The Work House's denominator is honest: total power always equals the
    /// sum of every contributor's power, so quorum shares cannot be inflated or lost.
    function invariant_totalPowerIsSumOfPowers() public view {
        uint256 sum;
        for (uint256 i; i < actors.length; ++i) {
            sum += workRegistry.power(actors[i]);
        }
        vm.assertEq(workRegistry.totalPower(), sum);
    }

    /// @notice The same holds for every past second: the checkpoints of the total and of
    /// each contributor agree at any snapshot an amendment could take.
    function invariant_pastTotalPowerIsSumOfPastPowers() public view {
        if (block.timestamp <= start) return;
        uint256 t = block.timestamp - 1;
        uint256 sum;
        for (uint256 i; i < actors.length; ++i) {
            sum += workRegistry.getPastPower(actors[i], t);
        }
        vm.assertEq(workRegistry.getPastTotalPower(t), sum);
    }

    /// @notice Points move only when a packet of a recognized schema is accepted (or at
    /// the founding seed): no submission, attestation short of quorum, retraction or
    /// expiry can mint or burn contribution.
    function invariant_pointsChangeOnlyOnRecognizedAcceptance() public view {
        for (uint256 i; i < actors.length; ++i) {
            vm.assertEq(workRegistry.points(actors[i]), handler.ghostPoints(actors[i]));
        }
    }

    /// @notice Power is the integer square root of points, so a prolific contributor's
    /// weight in the Work House grows only with the root of their work.
    function invariant_powerIsSqrtOfPoints() public view {
        for (uint256 i; i < actors.length; ++i) {
            vm.assertEq(workRegistry.power(actors[i]), Math.sqrt(workRegistry.points(actors[i])));
        }
    }

    /// @notice A packet's status only moves along its state machine (Pending -> Accepted |
    /// Expired | Retracted; Immediate packets born Accepted) and ends where the model says:
    /// a final status never changes again.
    function invariant_statusFollowsStateMachine() public view {
        vm.assertEq(handler.illegalTransitions(), 0, "illegal transition");
        uint256 n = workRegistry.packetCount();
        vm.assertEq(n, handler.ghostPacketCount());
        for (uint256 id = 1; id <= n; ++id) {
            vm.assertEq(uint8(workRegistry.packet(id).status), uint8(handler.ghostStatus(id)));
        }
    }

    /// @notice Every call succeeded exactly when the rules say it may (right caller,
    /// right status, right side of the deadline, first attestation): access control
    /// and deadlines have no gaps the model does not know about.
    function invariant_outcomesMatchRules() public view {
        vm.assertEq(handler.mispredictions(), 0, "registry and model disagree");
    }
}
