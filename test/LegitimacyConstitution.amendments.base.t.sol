// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {WorkRegistry} from "../contracts/WorkRegistry.sol";
import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {IWorkRegistry} from "../contracts/interfaces/IWorkRegistry.sol";
import {ModuleKinds} from "../contracts/libraries/ModuleKinds.sol";
import {ParamKeys} from "../contracts/libraries/ParamKeys.sol";
import {MockModule} from "./mocks/MockModule.sol";
import {AcceptingValidator} from "./mocks/WorkValidatorMocks.sol";
import {Fixture} from "./utils/Fixture.sol";

/// @notice Shared set-up of the amendment suites: the whole suite as the SDK deploys
/// it (`_deploySuite`), action builders, and the steps of an amendment's life as
/// helpers that check what they do. The dev genesis numbers these suites rely on are
/// restated here (not read from the contract) so a test fails if either side drifts.
abstract contract AmendmentsBase is Fixture {
    /// @dev An amendment as the caller must hand it back to `execute` and `cancel`.
    struct Proposal {
        uint256 id;
        address proposer;
        ILegitimacyConstitution.AmendmentBody body;
    }

    // Dev genesis (test/utils/Genesis.sol).
    uint256 internal constant VOTING_DELAY = 60;
    uint256 internal constant VOTING_PERIOD = 300;
    uint256 internal constant TIMELOCK = 120;
    uint256 internal constant GRACE = 1800;
    uint256 internal constant TOKEN_QUORUM_BPS = 400;
    uint256 internal constant WORK_QUORUM_BPS = 1000;
    uint256 internal constant PASS_BPS = 5000;
    uint256 internal constant TOKEN_THRESHOLD = 1000 ether;
    uint256 internal constant WORK_THRESHOLD = 1;

    // Founding powers: isqrt(100), isqrt(64), isqrt(36).
    uint256 internal constant ALICE_POWER = 10;
    uint256 internal constant BOB_POWER = 8;
    uint256 internal constant CAROL_POWER = 6;
    uint256 internal constant TOTAL_POWER = 24;
    uint256 internal constant TOTAL_SUPPLY = 3 * HOLDING;

    uint8 internal constant AGAINST = 0;
    uint8 internal constant FOR = 1;
    uint8 internal constant ABSTAIN = 2;

    bytes32 internal constant HASH = keccak256("the work");

    /// @dev The SetArticle index that appends (`constitution.ARTICLE_APPEND()`), restated
    /// so the pure builder below needs no call and a drift fails `setUp`.
    uint256 internal constant ARTICLE_APPEND = type(uint256).max;

    address internal dave = makeAddr("dave");
    address internal erin = makeAddr("erin");
    address internal frank = makeAddr("frank");

    bytes32 internal steward_role;
    bytes32 internal guardian_role;

    uint256 private _nonce;

    function setUp() public virtual {
        _deploySuite();
        steward_role = constitution.STEWARD_ROLE();
        guardian_role = constitution.GUARDIAN_ROLE();
        vm.assertEq(constitution.ARTICLE_APPEND(), ARTICLE_APPEND, "ARTICLE_APPEND is max uint256");
    }

    // ------------------------------------------------------------------
    // Action builders
    // ------------------------------------------------------------------

    function _setParam(bytes32 key, uint256 value)
        internal
        pure
        returns (ILegitimacyConstitution.Action memory)
    {
        return ILegitimacyConstitution.Action({
            kind: uint8(ILegitimacyConstitution.ActionKind.SetParam),
            key: key,
            account: address(0),
            value: value,
            uri: ""
        });
    }

    function _setRecognition(bytes32 schemaId, uint256 weight)
        internal
        pure
        returns (ILegitimacyConstitution.Action memory)
    {
        return ILegitimacyConstitution.Action({
            kind: uint8(ILegitimacyConstitution.ActionKind.SetRecognition),
            key: schemaId,
            account: address(0),
            value: weight,
            uri: ""
        });
    }

    function _setRole(bytes32 role, address account, bool grant)
        internal
        pure
        returns (ILegitimacyConstitution.Action memory)
    {
        return ILegitimacyConstitution.Action({
            kind: uint8(ILegitimacyConstitution.ActionKind.SetRole),
            key: role,
            account: account,
            value: grant ? 1 : 0,
            uri: ""
        });
    }

    function _setArticle(uint256 index, bytes32 contentHash, string memory uri)
        internal
        pure
        returns (ILegitimacyConstitution.Action memory)
    {
        return ILegitimacyConstitution.Action({
            kind: uint8(ILegitimacyConstitution.ActionKind.SetArticle),
            key: contentHash,
            account: address(0),
            value: index,
            uri: uri
        });
    }

    /// @dev A SetArticle that appends at the end of the list, wherever that is at execution.
    function _appendArticle(bytes32 contentHash, string memory uri)
        internal
        pure
        returns (ILegitimacyConstitution.Action memory)
    {
        return _setArticle(ARTICLE_APPEND, contentHash, uri);
    }

    function _setModule(ILegitimacyConstitution.Module m, address addr)
        internal
        pure
        returns (ILegitimacyConstitution.Action memory)
    {
        return ILegitimacyConstitution.Action({
            kind: uint8(ILegitimacyConstitution.ActionKind.SetModule),
            key: bytes32(0),
            account: addr,
            value: uint256(m),
            uri: ""
        });
    }

    /// @dev A stand-in module of the fixture's constitution and of slot `m`'s kind.
    function _mockModule(ILegitimacyConstitution.Module m) internal returns (MockModule module_) {
        module_ = new MockModule(address(constitution));
        module_.setModuleKind(ModuleKinds.forSlot(uint256(m)));
    }

    function _one(ILegitimacyConstitution.Action memory a)
        internal
        pure
        returns (ILegitimacyConstitution.Action[] memory actions)
    {
        actions = new ILegitimacyConstitution.Action[](1);
        actions[0] = a;
    }

    function _two(ILegitimacyConstitution.Action memory a, ILegitimacyConstitution.Action memory b)
        internal
        pure
        returns (ILegitimacyConstitution.Action[] memory actions)
    {
        actions = new ILegitimacyConstitution.Action[](2);
        actions[0] = a;
        actions[1] = b;
    }

    /// @dev A harmless one-action amendment: the voting period set to its current value.
    function _noop() internal pure returns (ILegitimacyConstitution.Action[] memory) {
        return _one(_setParam(ParamKeys.LEGIT_VOTING_PERIOD, VOTING_PERIOD));
    }

    // ------------------------------------------------------------------
    // Lifecycle steps
    // ------------------------------------------------------------------

    /// @dev A description no earlier proposal used, so ids never collide by accident.
    function _nextDescription() internal returns (string memory) {
        return string.concat("amendment #", vm.toString(++_nonce));
    }

    function _body(
        ILegitimacyConstitution.Action[] memory actions,
        uint256 strategyProposalId,
        string memory description
    ) internal pure returns (ILegitimacyConstitution.AmendmentBody memory) {
        return ILegitimacyConstitution.AmendmentBody({
                actions: actions,
                strategyProposalId: strategyProposalId,
                descriptionHash: keccak256(bytes(description))
            });
    }

    function _propose(address proposer, ILegitimacyConstitution.Action[] memory actions)
        internal
        returns (Proposal memory p)
    {
        return _propose(proposer, actions, 0);
    }

    /// @dev Proposes as `proposer` and checks the id against `hashAmendment`.
    function _propose(
        address proposer,
        ILegitimacyConstitution.Action[] memory actions,
        uint256 strategyProposalId
    ) internal returns (Proposal memory p) {
        string memory description = _nextDescription();
        p.proposer = proposer;
        p.body = _body(actions, strategyProposalId, description);
        vm.prank(proposer);
        p.id = constitution.propose(actions, strategyProposalId, description);
        vm.assertEq(p.id, constitution.hashAmendment(proposer, p.body), "id commits to proposer and body");
    }

    function _state(uint256 id) internal view returns (ILegitimacyConstitution.AmendmentState) {
        return constitution.state(id);
    }

    function _assertState(uint256 id, ILegitimacyConstitution.AmendmentState expected) internal view {
        vm.assertEq(uint256(constitution.state(id)), uint256(expected), "amendment state");
    }

    function _toVoteStart(uint256 id) internal {
        vm.warp(constitution.amendment(id).voteStart);
    }

    function _toVoteEnd(uint256 id) internal {
        vm.warp(constitution.amendment(id).voteEnd);
    }

    function _vote(address voter, uint256 id, uint8 support) internal {
        vm.prank(voter);
        constitution.castVote(id, support);
    }

    /// @dev alice and bob vote For: 2/3 of the tokens, 18 of 24 in the Work House.
    function _carry(uint256 id) internal {
        _toVoteStart(id);
        _vote(alice, id, FOR);
        _vote(bob, id, FOR);
        _toVoteEnd(id);
        _assertState(id, ILegitimacyConstitution.AmendmentState.Succeeded);
    }

    /// @dev Queues a Succeeded amendment (anyone may: a stranger does) and warps to its eta.
    function _queueAndWait(uint256 id) internal {
        vm.prank(stranger);
        constitution.queue(id);
        _assertState(id, ILegitimacyConstitution.AmendmentState.Queued);
        vm.warp(constitution.amendment(id).eta);
    }

    function _execute(Proposal memory p) internal {
        vm.prank(stranger);
        constitution.execute(p.id, p.proposer, p.body);
    }

    /// @dev The whole path for `actions`, proposed by alice: propose, carry, queue,
    /// execute. Checks that it ends Executed with every parameter inside its bounds.
    function _enact(ILegitimacyConstitution.Action[] memory actions) internal returns (Proposal memory p) {
        p = _propose(alice, actions);
        _carry(p.id);
        _queueAndWait(p.id);
        _execute(p);
        _assertState(p.id, ILegitimacyConstitution.AmendmentState.Executed);
        _assertAllWithinBounds();
    }

    /// @dev The entrenched rule: every parameter lies inside its hard bounds.
    function _assertAllWithinBounds() internal view {
        ILegitimacyConstitution.ParamInfo[] memory ps = constitution.params();
        vm.assertEq(ps.length, 24, "parameter count");
        for (uint256 i; i < ps.length; ++i) {
            vm.assertGe(ps[i].value, ps[i].min, "value >= min");
            vm.assertLe(ps[i].value, ps[i].max, "value <= max");
            (uint256 min, uint256 max) = constitution.paramBounds(ps[i].key);
            vm.assertEq(min, ps[i].min, "bounds never move");
            vm.assertEq(max, ps[i].max, "bounds never move");
        }
    }

    function _expectRevert(bytes memory err) internal {
        vm.expectRevert(err);
    }

    function _wrongState(
        uint256 id,
        ILegitimacyConstitution.AmendmentState current,
        ILegitimacyConstitution.AmendmentState required
    ) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(
            ILegitimacyConstitution.LegitimacyConstitutionWrongState.selector, id, current, required
        );
    }

    // ------------------------------------------------------------------
    // Token and Work House weight
    // ------------------------------------------------------------------

    /// @dev Moves tokens and makes sure the receiver's votes follow (self-delegation).
    function _give(address from, address to, uint256 amount) internal {
        vm.prank(from);
        vm.assertTrue(token.transfer(to, amount));
        if (token.delegates(to) == address(0)) {
            vm.prank(to);
            token.delegate(to);
        }
    }

    /// @dev The validator of `_registerSchema`'s schemas: accepts every packet (an
    /// Immediate schema can be recognized only with someone else's check).
    address internal acceptingValidator;

    /// @dev One-field (uint256) Immediate schema named `name` on `registry`, with an
    /// accepting validator so that it may be recognized.
    function _registerSchema(WorkRegistry registry, string memory name) internal returns (bytes32) {
        IWorkRegistry.Field[] memory fields = new IWorkRegistry.Field[](1);
        fields[0] = IWorkRegistry.Field({
            fieldType: IWorkRegistry.FieldType.Uint256, required: false, min: 0, max: 0, maxLen: 0
        });
        IWorkRegistry.Acceptance memory immediate;
        if (acceptingValidator == address(0)) acceptingValidator = address(new AcceptingValidator());
        return registry.registerSchema(name, fields, immediate, acceptingValidator);
    }

    /// @dev `count` accepted packets of `schemaId` by `who` on `registry`.
    function _submit(WorkRegistry registry, address who, bytes32 schemaId, uint256 count) internal {
        for (uint256 i; i < count; ++i) {
            vm.prank(who);
            registry.submit(schemaId, HASH, abi.encode(i));
        }
    }

    /// @dev Registers an Immediate schema on the fixture's registry and recognizes it with
    /// `weight` by amendment, so that each accepted packet earns `weight` points.
    function _recognizedSchema(string memory name, uint256 weight) internal returns (bytes32 schemaId) {
        schemaId = _registerSchema(work, name);
        _enact(_one(_setRecognition(schemaId, weight)));
        vm.assertEq(constitution.recognition(schemaId), weight);
    }
}
