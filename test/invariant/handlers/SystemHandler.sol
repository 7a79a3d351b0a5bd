// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CoordinationLocks} from "../../../contracts/CoordinationLocks.sol";
import {LegitimacyConstitution} from "../../../contracts/LegitimacyConstitution.sol";
import {OptimizationTreasury} from "../../../contracts/OptimizationTreasury.sol";
import {StrategyProposals} from "../../../contracts/StrategyProposals.sol";
import {ViableToken} from "../../../contracts/ViableToken.sol";
import {WorkRegistry} from "../../../contracts/WorkRegistry.sol";
import {ICoordinationLocks} from "../../../contracts/interfaces/ICoordinationLocks.sol";
import {ILegitimacyConstitution} from "../../../contracts/interfaces/ILegitimacyConstitution.sol";
import {IOptimizationTreasury} from "../../../contracts/interfaces/IOptimizationTreasury.sol";
import {IStrategyProposals} from "../../../contracts/interfaces/IStrategyProposals.sol";
import {IWorkRegistry} from "../../../contracts/interfaces/IWorkRegistry.sol";
import {ParamKeys} from "../../../contracts/libraries/ParamKeys.sol";
import {MockERC20} from "../../mocks/TreasuryTokens.sol";
import {Test} from "../../utils/Test.sol";

/// @notice Drives all five modules together for the system invariant suite: contributors
/// submit work that a reviewer attests; contributors take, release and lose leases; a
/// steward allocates, cancels and runs bounty lines; a guardian vetoes; keepers execute,
/// claim, expire, grant and migrate; founders stake, support, open questions, propose,
/// promote and withdraw in Strategy, and propose, vote, queue and execute amendments
/// (parameter changes and swaps of the Coordination and Optimization modules); time
/// passes. Ghost state records what the modules must agree with: money in per asset,
/// every constitution parameter and module as the executed amendments left them, and
/// every time an action ran before its window.
contract SystemHandler is Test {
    struct Amendment {
        uint256 id;
        address proposer;
        bytes actions; // abi.encode(Action[])
        string description;
        uint256 voteEnd;
    }

    struct Lease {
        address locks;
        bytes32 resource;
        uint256 packetId;
        uint256 notBefore;
    }

    struct Alloc {
        address treasury;
        uint256 id;
        uint256 deadline; // ghost: allocation time + the veto window then in force
    }

    address internal constant ETH = address(0);
    bytes32 internal constant HASH = keccak256("system");
    uint8 internal constant FOR = 1;
    uint256 internal constant MAX_TRACKED = 48;
    /// @dev Strategy proposals tracked: few, so that support concentrates and some promote.
    uint256 internal constant MAX_PROPOSALS = 6;

    LegitimacyConstitution public immutable constitution;
    ViableToken public immutable token;
    WorkRegistry public immutable work;
    MockERC20 public immutable usdc;
    bytes32 public immutable schemaId;

    address public immutable reviewer;
    address public immutable steward;
    address public immutable guardian;
    address public immutable funder;
    address public immutable keeper;

    address[] internal _founders;
    address[] internal _contributors;

    /// @notice Every treasury and locks module the directory ever named, first the original.
    address[] public treasuries;
    address[] public lockModules;

    uint256[] internal _packets;
    Lease[] internal _leases;
    Alloc[] internal _allocs;
    Amendment[] internal _amendments;
    uint256[] internal _strategyProposals;
    uint256 internal _nonce;

    // Ghost state
    mapping(address asset => uint256) public ghostDeposited;
    mapping(bytes32 key => uint256) public ghostParam;
    mapping(uint256 slot => address) public ghostModule;
    /// @notice Lines the handler made in each treasury: [ETH line, USDC line, ETH bounty line].
    mapping(address treasury => uint256[3]) internal _lines;
    /// @notice An action that ran before its window opened (allocation executed inside its
    /// veto window, amendment queued before its vote ended or executed before its eta,
    /// lease granted before its notBefore).
    uint256 public earlyActions;
    mapping(bytes32 action => uint256) public calls;

    constructor(
        LegitimacyConstitution constitution_,
        MockERC20 usdc_,
        bytes32 schemaId_,
        address[] memory founders_,
        address[] memory contributors_,
        address[5] memory roles // reviewer, steward, guardian, funder, keeper
    ) {
        constitution = constitution_;
        token = ViableToken(address(constitution_.token()));
        work = WorkRegistry(constitution_.module(ILegitimacyConstitution.Module.Work));
        usdc = usdc_;
        schemaId = schemaId_;
        _founders = founders_;
        _contributors = contributors_;
        (reviewer, steward, guardian, funder, keeper) = (roles[0], roles[1], roles[2], roles[3], roles[4]);
        treasuries.push(constitution_.module(ILegitimacyConstitution.Module.Optimization));
        lockModules.push(constitution_.module(ILegitimacyConstitution.Module.Coordination));
        for (uint256 i; i < 4; ++i) {
            ghostModule[i] = constitution_.module(ILegitimacyConstitution.Module(i));
        }
        ILegitimacyConstitution.ParamInfo[] memory ps = constitution_.params();
        for (uint256 i; i < ps.length; ++i) {
            ghostParam[ps[i].key] = ps[i].value;
        }
    }

    /// @notice Called once by the test after funding: records what is already deposited.
    function recordDeposit(address asset, uint256 amount) external {
        ghostDeposited[asset] += amount;
    }

    // ------------------------------------------------------------------
    // Work
    // ------------------------------------------------------------------

    function submit(uint256 who) external {
        address c = _contributors[who % _contributors.length];
        vm.prank(c);
        uint256 id = work.submit(schemaId, HASH, abi.encode(++_nonce));
        _packets.push(id);
        ++calls["submit"];
    }

    function attest(uint256 packetSeed) external {
        if (_packets.length == 0) return;
        uint256 id = _packets[packetSeed % _packets.length];
        if (work.packet(id).status != IWorkRegistry.Status.Pending) return;
        vm.prank(reviewer);
        try work.attest(id) {
            ++calls["attest"];
        } catch {}
    }

    // ------------------------------------------------------------------
    // Coordination
    // ------------------------------------------------------------------

    function lock(uint256 packetSeed, uint256 resourceSeed, bool shared, uint256 ttl, uint256 delay)
        external
    {
        uint256 packetId = _accepted(packetSeed);
        if (packetId == 0 || _leases.length >= MAX_TRACKED) return;
        CoordinationLocks locks = _locks();
        bytes32 resource = keccak256(abi.encode("resource", resourceSeed % 3));
        ttl = bound(ttl, 1, constitution.param(ParamKeys.LOCKS_MAX_TTL));
        uint256 notBefore = delay % 2 == 0 ? 0 : block.timestamp + bound(delay, 1, 600);
        vm.prank(work.packet(packetId).contributor);
        try locks.request(resource, packetId, shared ? 1 : 0, ttl, notBefore) {
            _track(
                Lease({locks: address(locks), resource: resource, packetId: packetId, notBefore: notBefore})
            );
            ++calls["lock"];
        } catch {}
    }

    /// @dev A packet requested again on the same resource keeps one entry (its new notBefore).
    function _track(Lease memory l) internal {
        for (uint256 i; i < _leases.length; ++i) {
            Lease storage e = _leases[i];
            if (e.locks == l.locks && e.resource == l.resource && e.packetId == l.packetId) {
                e.notBefore = l.notBefore;
                return;
            }
        }
        _leases.push(l);
    }

    function release(uint256 leaseSeed) external {
        if (_leases.length == 0) return;
        Lease memory l = _leases[leaseSeed % _leases.length];
        vm.prank(work.packet(l.packetId).contributor);
        try CoordinationLocks(l.locks).release(l.resource, l.packetId) {
            ++calls["release"];
        } catch {}
    }

    function expireLease(uint256 leaseSeed) external {
        if (_leases.length == 0) return;
        Lease memory l = _leases[leaseSeed % _leases.length];
        vm.prank(keeper);
        try CoordinationLocks(l.locks).expire(l.resource, l.packetId) {
            ++calls["expireLease"];
        } catch {}
    }

    function grantNext(uint256 resourceSeed) external {
        bytes32 resource = keccak256(abi.encode("resource", resourceSeed % 3));
        vm.prank(keeper);
        try _locks().grantNext(resource) {
            ++calls["grantNext"];
        } catch {}
    }

    // ------------------------------------------------------------------
    // Optimization
    // ------------------------------------------------------------------

    function deposit(bool eth, uint256 amount) external {
        OptimizationTreasury t = _treasury();
        amount = bound(amount, 1, 100 ether);
        if (eth) {
            vm.deal(funder, amount);
            vm.prank(funder);
            t.deposit{value: amount}(ETH, amount);
            ghostDeposited[ETH] += amount;
        } else {
            amount = amount / 1e12 + 1;
            usdc.mint(funder, amount);
            vm.startPrank(funder);
            usdc.approve(address(t), amount);
            t.deposit(address(usdc), amount);
            vm.stopPrank();
            ghostDeposited[address(usdc)] += amount;
        }
        ++calls["deposit"];
    }

    function allocate(uint256 packetSeed, bool eth, uint256 amount, uint256 duration) external {
        uint256 packetId = _accepted(packetSeed);
        // No accepted work yet: a contributor submits some and the reviewer attests it,
        // so that shallow runs reach allocations too.
        if (packetId == 0) packetId = _submitAccepted(packetSeed);
        if (packetId == 0 || _allocs.length >= MAX_TRACKED) return;
        OptimizationTreasury t = _treasury();
        uint256 lineId = _lines[address(t)][eth ? 0 : 1];
        amount = eth ? bound(amount, 1, 20 ether) : bound(amount, 1, 20_000e6);
        duration = duration % 2 == 0 ? 0 : bound(duration, 1, 900);
        uint256 window = constitution.param(ParamKeys.TREASURY_VETO_WINDOW);
        vm.prank(steward);
        try t.allocate(lineId, packetId, amount, duration) returns (uint256 id) {
            _allocs.push(Alloc({treasury: address(t), id: id, deadline: block.timestamp + window}));
            ++calls["allocate"];
        } catch {}
    }

    function claimBounty(uint256 packetSeed) external {
        uint256 packetId = _accepted(packetSeed);
        if (packetId == 0 || _allocs.length >= MAX_TRACKED) return;
        OptimizationTreasury t = _treasury();
        uint256 window = constitution.param(ParamKeys.TREASURY_VETO_WINDOW);
        vm.prank(keeper);
        try t.claimBounty(_lines[address(t)][2], packetId) returns (uint256 id) {
            _allocs.push(Alloc({treasury: address(t), id: id, deadline: block.timestamp + window}));
            ++calls["claimBounty"];
        } catch {}
    }

    function veto(uint256 allocSeed) external {
        if (_allocs.length == 0) return;
        Alloc memory a = _allocs[allocSeed % _allocs.length];
        if (a.treasury != address(_treasury())) return;
        vm.prank(guardian);
        try constitution.vetoAllocation(a.id, "system") {
            ++calls["veto"];
        } catch {}
    }

    function cancel(uint256 allocSeed) external {
        if (_allocs.length == 0) return;
        Alloc memory a = _allocs[allocSeed % _allocs.length];
        vm.prank(steward);
        try OptimizationTreasury(payable(a.treasury)).cancel(a.id) {
            ++calls["cancel"];
        } catch {}
    }

    /// @dev The keeper's duty: tries to execute every tracked allocation (the one `seed`
    /// picks first), as a keeper would the moment each window closes.
    function execute(uint256 allocSeed) external {
        uint256 n = _allocs.length;
        for (uint256 k; k < n; ++k) {
            Alloc memory a = _allocs[(allocSeed % n + k) % n];
            vm.prank(keeper);
            try OptimizationTreasury(payable(a.treasury)).execute(a.id) {
                if (block.timestamp < a.deadline) ++earlyActions;
                ++calls["execute"];
            } catch {}
        }
    }

    function claim(uint256 allocSeed) external {
        if (_allocs.length == 0) return;
        Alloc memory a = _allocs[allocSeed % _allocs.length];
        address recipient = OptimizationTreasury(payable(a.treasury)).allocation(a.id).recipient;
        vm.prank(recipient);
        try OptimizationTreasury(payable(a.treasury)).claim(a.id) {
            ++calls["claim"];
        } catch {}
    }

    function migrate(uint256 treasurySeed, bool eth) external {
        OptimizationTreasury t = OptimizationTreasury(payable(treasuries[treasurySeed % treasuries.length]));
        vm.prank(keeper);
        try t.migrate(eth ? ETH : address(usdc)) {
            ++calls["migrate"];
        } catch {}
    }

    // ------------------------------------------------------------------
    // Strategy
    // ------------------------------------------------------------------

    function stake(uint256 who, uint256 amount) external {
        StrategyProposals s = _strategy();
        address f = _founders[who % _founders.length];
        vm.prank(f);
        try s.stake(bound(amount, 1, 5000 ether)) {
            ++calls["stake"];
        } catch {}
    }

    function unstake(uint256 who, uint256 amount) external {
        StrategyProposals s = _strategy();
        address f = _founders[who % _founders.length];
        (uint256 staked, uint256 assigned) = s.stakeOf(f);
        if (staked == assigned) return;
        vm.prank(f);
        try s.unstake(bound(amount, 1, staked - assigned)) {
            ++calls["unstake"];
        } catch {}
    }

    function support(uint256 who, uint256 proposalSeed, uint256 amount) external {
        StrategyProposals s = _strategy();
        if (_strategyProposals.length == 0) return;
        address f = _founders[who % _founders.length];
        (uint256 staked, uint256 assigned) = s.stakeOf(f);
        if (staked == assigned) return;
        vm.prank(f);
        try s.support(
            _strategyProposals[proposalSeed % _strategyProposals.length], bound(amount, 1, staked - assigned)
        ) {
            ++calls["support"];
        } catch {}
    }

    function unsupport(uint256 who, uint256 proposalSeed, uint256 amount) external {
        StrategyProposals s = _strategy();
        if (_strategyProposals.length == 0) return;
        address f = _founders[who % _founders.length];
        uint256 id = _strategyProposals[proposalSeed % _strategyProposals.length];
        (uint256 supported,) = s.supportOf(id, f);
        if (supported == 0) return;
        vm.prank(f);
        try s.unsupport(id, bound(amount, 1, supported)) {
            ++calls["unsupport"];
        } catch {}
    }

    function openAndPropose(uint256 who) external {
        if (_strategyProposals.length >= MAX_PROPOSALS) return;
        address f = _founders[who % _founders.length];
        StrategyProposals s = _strategy();
        vm.startPrank(f);
        try s.openQuestion(keccak256(abi.encode("q", ++_nonce)), "") returns (uint256 q) {
            try s.propose(
                q, uint8(IStrategyProposals.Target.Legitimacy), keccak256(abi.encode("p", _nonce)), "", ""
            ) returns (
                uint256 p
            ) {
                _strategyProposals.push(p);
                ++calls["strategyPropose"];
            } catch {}
        } catch {}
        vm.stopPrank();
    }

    /// @dev Promotes the first tracked proposal (from the one `seed` picks) that can be.
    function promote(uint256 proposalSeed) external {
        StrategyProposals s = _strategy();
        uint256 n = _strategyProposals.length;
        for (uint256 k; k < n; ++k) {
            vm.prank(keeper);
            try s.promote(_strategyProposals[(proposalSeed % n + k) % n]) {
                ++calls["promote"];
                return;
            } catch {}
        }
    }

    function expireProposal(uint256 proposalSeed) external {
        StrategyProposals s = _strategy();
        if (_strategyProposals.length == 0) return;
        vm.prank(keeper);
        try s.expire(_strategyProposals[proposalSeed % _strategyProposals.length]) {
            ++calls["expireProposal"];
        } catch {}
    }

    function withdrawProposal(uint256 proposalSeed) external {
        StrategyProposals s = _strategy();
        if (_strategyProposals.length == 0) return;
        uint256 id = _strategyProposals[proposalSeed % _strategyProposals.length];
        vm.prank(s.proposal(id).proposer);
        try s.withdraw(id) {
            ++calls["withdrawProposal"];
        } catch {}
    }

    // ------------------------------------------------------------------
    // Legitimacy
    // ------------------------------------------------------------------

    /// @dev A SetParam of one of the suite's parameters to a value inside its hard bounds
    /// (up to twice its value; the two proposal thresholds up to their ceilings), or a swap of
    /// the Coordination or Optimization module for a fresh instance.
    function proposeAmendment(uint256 who, uint256 kind, uint256 value) external {
        if (_amendments.length >= MAX_TRACKED) return;
        ILegitimacyConstitution.Action[] memory actions = new ILegitimacyConstitution.Action[](1);
        if (kind % 3 == 0) {
            bool swapTreasury = (kind / 3) % 2 == 0;
            address fresh = swapTreasury
                ? address(new OptimizationTreasury(address(constitution)))
                : address(new CoordinationLocks(address(constitution)));
            actions[0] = ILegitimacyConstitution.Action({
                kind: uint8(ILegitimacyConstitution.ActionKind.SetModule),
                key: bytes32(0),
                account: fresh,
                value: uint256(
                    swapTreasury
                        ? ILegitimacyConstitution.Module.Optimization
                        : ILegitimacyConstitution.Module.Coordination
                ),
                uri: ""
            });
        } else {
            ILegitimacyConstitution.ParamInfo[] memory ps = constitution.params();
            ILegitimacyConstitution.ParamInfo memory p = ps[kind % ps.length];
            // Values move gradually (up to twice the current one) so that the windows
            // stay within what a run's warps can cross; half the changes keep the value.
            uint256 max = p.value * 2 + 1 < p.max ? p.value * 2 + 1 : p.max;
            // The two proposal thresholds, when they change, go to their ceilings (the
            // token's capped at the supply, as the constitution requires): with any tokens
            // staked in Strategy, not even every founder's votes pooled could meet the
            // stored token threshold, so the liveness check goes through the quorum cap.
            bool ceiling;
            if (p.key == ParamKeys.LEGIT_WORK_PROPOSAL_THRESHOLD) (max, ceiling) = (p.max, true);
            if (p.key == ParamKeys.LEGIT_TOKEN_PROPOSAL_THRESHOLD) {
                uint256 supply = token.totalSupply();
                (max, ceiling) = (p.max < supply ? p.max : supply, true);
            }
            if (ceiling) value = max;
            if ((kind / 3) % 2 == 1) value = p.value;
            actions[0] = ILegitimacyConstitution.Action({
                kind: uint8(ILegitimacyConstitution.ActionKind.SetParam),
                key: p.key,
                account: address(0),
                value: bound(value, p.min, max),
                uri: ""
            });
        }
        address proposer = _founders[who % _founders.length];
        string memory description = string.concat("system #", vm.toString(++_nonce));
        vm.prank(proposer);
        try constitution.propose(actions, 0, description) returns (uint256 id) {
            _amendments.push(
                Amendment({
                    id: id,
                    proposer: proposer,
                    actions: abi.encode(actions),
                    description: description,
                    voteEnd: constitution.amendment(id).voteEnd
                })
            );
            ++calls["proposeAmendment"];
        } catch {}
    }

    function vote(uint256 who, uint256 amendmentSeed, uint8 supportSeed) external {
        if (_amendments.length == 0) return;
        uint256 id = _amendments[_recent(amendmentSeed)].id;
        // Mostly For, so amendments pass and the suite reaches executed states.
        uint8 s = supportSeed % 4 == 0 ? 0 : 1;
        address[] memory voters = _voters();
        vm.prank(voters[who % voters.length]);
        try constitution.castVote(id, s) {
            ++calls["vote"];
        } catch {}
    }

    /// @dev Everyone with power votes on one of the latest amendments (For, or all Against).
    function voteRound(uint256 amendmentSeed, bool against) external {
        if (_amendments.length == 0) return;
        uint256 id = _amendments[_recent(amendmentSeed)].id;
        address[] memory voters = _voters();
        for (uint256 i; i < voters.length; ++i) {
            vm.prank(voters[i]);
            try constitution.castVote(id, against ? 0 : FOR) {
                ++calls["vote"];
            } catch {}
        }
    }

    /// @dev Queues the first of the eight latest amendments (from the one `seed` picks) that can be.
    function queue(uint256 amendmentSeed) external {
        uint256 n = _amendments.length;
        for (uint256 k; k < 8 && k < n; ++k) {
            Amendment memory a = _amendments[n - 1 - (amendmentSeed % 8 + k) % (n < 8 ? n : 8)];
            vm.prank(keeper);
            try constitution.queue(a.id) {
                if (block.timestamp < a.voteEnd) ++earlyActions;
                ++calls["queue"];
                return;
            } catch {}
        }
    }

    /// @dev Executes the first of the eight latest amendments (from the one `seed` picks) that can be.
    function executeAmendment(uint256 amendmentSeed) external {
        uint256 n = _amendments.length;
        for (uint256 k; k < 8 && k < n; ++k) {
            if (_execute(_amendments[n - 1 - (amendmentSeed % 8 + k) % (n < 8 ? n : 8)])) return;
        }
    }

    function _execute(Amendment memory a) internal returns (bool) {
        uint256 eta = constitution.amendment(a.id).eta;
        ILegitimacyConstitution.Action[] memory actions =
            abi.decode(a.actions, (ILegitimacyConstitution.Action[]));
        vm.prank(keeper);
        try constitution.execute(
            a.id,
            a.proposer,
            ILegitimacyConstitution.AmendmentBody({
                actions: actions, strategyProposalId: 0, descriptionHash: keccak256(bytes(a.description))
            })
        ) {
            if (eta == 0 || block.timestamp < eta) ++earlyActions;
            _applyGhost(actions);
            ++calls["executeAmendment"];
            return true;
        } catch {
            return false;
        }
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 240));
        ++calls["warp"];
    }

    // ------------------------------------------------------------------
    // Governance liveness (run from the test on a snapshot)
    // ------------------------------------------------------------------

    /// @notice From the current state, a harmless SetParam (the voting period set to its
    /// value) proposed by a founder and voted For by everyone with power passes and
    /// executes. The caller restores the state afterwards.
    function passHarmlessAmendment() external {
        address lead = _founders[0];
        // Every founder lends the lead its token votes: together they hold the Token House
        // quorum (what the amendment needs to pass), and a proposal threshold never asks for
        // more than that, whatever the amendments set it to.
        for (uint256 i; i < _founders.length; ++i) {
            vm.prank(_founders[i]);
            token.delegate(lead);
        }
        vm.warp(block.timestamp + 1);
        ILegitimacyConstitution.Action[] memory actions = new ILegitimacyConstitution.Action[](1);
        actions[0] = ILegitimacyConstitution.Action({
            kind: uint8(ILegitimacyConstitution.ActionKind.SetParam),
            key: ParamKeys.LEGIT_VOTING_PERIOD,
            account: address(0),
            value: constitution.param(ParamKeys.LEGIT_VOTING_PERIOD),
            uri: ""
        });
        string memory description = "system: liveness";
        vm.prank(lead);
        uint256 id = constitution.propose(actions, 0, description);
        vm.warp(constitution.amendment(id).voteStart);
        address[] memory voters = _voters();
        for (uint256 i; i < voters.length; ++i) {
            vm.prank(voters[i]);
            try constitution.castVote(id, FOR) {} catch {}
        }
        vm.warp(constitution.amendment(id).voteEnd);
        require(
            constitution.state(id) == ILegitimacyConstitution.AmendmentState.Succeeded,
            "liveness: not carried"
        );
        constitution.queue(id);
        vm.warp(constitution.amendment(id).eta);
        constitution.execute(
            id,
            lead,
            ILegitimacyConstitution.AmendmentBody({
                actions: actions, strategyProposalId: 0, descriptionHash: keccak256(bytes(description))
            })
        );
        require(
            constitution.state(id) == ILegitimacyConstitution.AmendmentState.Executed,
            "liveness: not executed"
        );
    }

    // ------------------------------------------------------------------
    // Views for the invariants
    // ------------------------------------------------------------------

    function founders() external view returns (address[] memory) {
        return _founders;
    }

    function contributors() external view returns (address[] memory) {
        return _contributors;
    }

    function treasuryCount() external view returns (uint256) {
        return treasuries.length;
    }

    function lockModuleCount() external view returns (uint256) {
        return lockModules.length;
    }

    function leaseCount() external view returns (uint256) {
        return _leases.length;
    }

    function leaseAt(uint256 i) external view returns (Lease memory) {
        return _leases[i];
    }

    function allocCount() external view returns (uint256) {
        return _allocs.length;
    }

    function allocAt(uint256 i) external view returns (Alloc memory) {
        return _allocs[i];
    }

    function lines(address treasury) external view returns (uint256[3] memory) {
        return _lines[treasury];
    }

    // ------------------------------------------------------------------
    // Internal
    // ------------------------------------------------------------------

    /// @dev The executed actions, applied to the model of the constitution.
    function _applyGhost(ILegitimacyConstitution.Action[] memory actions) internal {
        for (uint256 i; i < actions.length; ++i) {
            if (actions[i].kind == uint8(ILegitimacyConstitution.ActionKind.SetParam)) {
                ghostParam[actions[i].key] = actions[i].value;
            } else if (actions[i].kind == uint8(ILegitimacyConstitution.ActionKind.SetModule)) {
                ghostModule[actions[i].value] = actions[i].account;
                if (actions[i].value == uint256(ILegitimacyConstitution.Module.Optimization)) {
                    treasuries.push(actions[i].account);
                    _openLines(OptimizationTreasury(payable(actions[i].account)));
                } else {
                    lockModules.push(actions[i].account);
                }
            }
        }
    }

    /// @notice Opens the steward's lines in a treasury (the test calls it for the first).
    function openLines() external {
        _openLines(_treasury());
    }

    function _openLines(OptimizationTreasury t) internal {
        vm.startPrank(steward);
        _lines[address(t)][0] = t.createLine(ETH, steward, 4000, bytes32(0), 0, 0, 0);
        _lines[address(t)][1] = t.createLine(address(usdc), steward, 4000, bytes32(0), 0, 0, 0);
        _lines[address(t)][2] = t.createLine(ETH, steward, 1000, schemaId, 0.1 ether, 0, 0);
        vm.stopPrank();
    }

    /// @dev One of the four latest amendments (older ones have mostly run their course).
    function _recent(uint256 seed) internal view returns (uint256) {
        uint256 n = _amendments.length;
        return n <= 4 ? seed % n : n - 1 - seed % 4;
    }

    function _submitAccepted(uint256 seed) internal returns (uint256 id) {
        vm.prank(_contributors[seed % _contributors.length]);
        id = work.submit(schemaId, HASH, abi.encode(++_nonce));
        _packets.push(id);
        vm.prank(reviewer);
        work.attest(id);
    }

    /// @dev An Accepted packet picked by `seed`, or 0.
    function _accepted(uint256 seed) internal view returns (uint256) {
        if (_packets.length == 0) return 0;
        for (uint256 k; k < 4; ++k) {
            uint256 id = _packets[(seed % _packets.length + k) % _packets.length];
            if (work.packet(id).status == IWorkRegistry.Status.Accepted) return id;
        }
        return 0;
    }

    function _voters() internal view returns (address[] memory v) {
        v = new address[](_founders.length + _contributors.length);
        for (uint256 i; i < _founders.length; ++i) {
            v[i] = _founders[i];
        }
        for (uint256 i; i < _contributors.length; ++i) {
            v[_founders.length + i] = _contributors[i];
        }
    }

    function _treasury() internal view returns (OptimizationTreasury) {
        return OptimizationTreasury(payable(constitution.module(ILegitimacyConstitution.Module.Optimization)));
    }

    function _locks() internal view returns (CoordinationLocks) {
        return CoordinationLocks(constitution.module(ILegitimacyConstitution.Module.Coordination));
    }

    function _strategy() internal view returns (StrategyProposals) {
        return StrategyProposals(constitution.module(ILegitimacyConstitution.Module.Strategy));
    }
}
