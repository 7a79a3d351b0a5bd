// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The boundary matrix of PROTOCOL.md §2.1 as data: one row per state-changing
/// external function of each module, and for each row the caller classes that may call
/// it. `BoundaryMatrix.t.sol` runs every cell against the deployed suite, walks each
/// module's ABI to prove no state-changing function is missing a row, and renders the
/// same rows into docs/boundaries.md (and fails if the file differs), so the table, the
/// test and the doc cannot drift apart.
library BoundaryMatrix {
    // ------------------------------------------------------------------
    // Caller classes (columns)
    // ------------------------------------------------------------------

    uint256 internal constant CLASSES = 13;

    uint256 internal constant ANYONE = 0;
    uint256 internal constant CONTRIBUTOR = 1;
    uint256 internal constant ATTESTER = 2;
    uint256 internal constant LOCK_HOLDER = 3;
    uint256 internal constant STEWARD = 4;
    uint256 internal constant GUARDIAN = 5;
    uint256 internal constant TOKEN_HOLDER = 6;
    uint256 internal constant WORK = 7;
    uint256 internal constant COORDINATION = 8;
    uint256 internal constant OPTIMIZATION = 9;
    uint256 internal constant STRATEGY = 10;
    uint256 internal constant LEGITIMACY = 11;
    uint256 internal constant DEPLOYER = 12;

    uint16 internal constant ALL = uint16((1 << CLASSES) - 1);

    /// @dev Column headings, in class order.
    function classNames() internal pure returns (string[13] memory) {
        return [
            "anyone",
            "contributor",
            "attester",
            "lock holder",
            "steward",
            "guardian",
            "token holder",
            "Work module",
            "Coordination module",
            "Optimization module",
            "Strategy module",
            "constitution",
            "deployer"
        ];
    }

    // ------------------------------------------------------------------
    // Rows
    // ------------------------------------------------------------------

    /// @dev One state-changing function. `allowed` has bit c set when class c may call it;
    /// `other` has bit c set when class c is refused with the error named after the dagger
    /// in `refusal` rather than the row's first error.
    struct Row {
        string module;
        string fn;
        string who;
        string refusal;
        uint16 allowed;
        uint16 other;
    }

    /// @dev The rows, in the order of `Fn` in the test (the dispatcher switches on the index).
    function rows() internal pure returns (Row[] memory r) {
        r = new Row[](43);
        uint16 houses = _bit(CONTRIBUTOR) | _bit(LOCK_HOLDER) | _bit(TOKEN_HOLDER);
        // WorkRegistry (System 1)
        r[0] = _row("WorkRegistry", "registerSchema", "anyone (format rules only)", "", ALL);
        r[1] = _row("WorkRegistry", "submit", "anyone (format rules, optional validator)", "", ALL);
        r[2] = _row(
            "WorkRegistry",
            "attest",
            "an attester listed in the packet's schema",
            "WorkRegistryNotAttester",
            _bit(ATTESTER)
        );
        r[3] = _row(
            "WorkRegistry",
            "retract",
            "the packet's contributor, while Pending",
            "WorkRegistryNotContributor",
            _bit(CONTRIBUTOR)
        );
        r[4] = _row("WorkRegistry", "expire", "anyone, after the attestation deadline", "", ALL);
        r[5] = Row({
            module: "WorkRegistry",
            fn: "seedContribution",
            who: "the constitution, only during bootstrap (closed after it)",
            refusal: unicode"WorkRegistryNotConstitution; † WorkRegistrySeedingClosed",
            allowed: 0,
            other: _bit(LEGITIMACY)
        });
        // LegitimacyConstitution (System 5)
        r[6] = Row({
            module: "LegitimacyConstitution",
            fn: "bootstrap",
            who: "the deployer, once (done before this table applies)",
            refusal: unicode"LegitimacyConstitutionNotDeployer; † LegitimacyConstitutionAlreadyBootstrapped",
            allowed: 0,
            other: _bit(DEPLOYER)
        });
        r[7] = _row(
            "LegitimacyConstitution",
            "propose",
            "anyone over the proposal threshold in either house",
            "LegitimacyConstitutionBelowThreshold",
            houses
        );
        r[8] = _row(
            "LegitimacyConstitution",
            "castVote",
            "anyone with power in either house at the snapshot",
            "LegitimacyConstitutionNoVotingPower",
            houses
        );
        r[9] = _row(
            "LegitimacyConstitution",
            "castVoteWithReason",
            "anyone with power in either house at the snapshot",
            "LegitimacyConstitutionNoVotingPower",
            houses
        );
        r[10] = _row("LegitimacyConstitution", "queue", "anyone, once the amendment Succeeded", "", ALL);
        r[11] =
            _row("LegitimacyConstitution", "execute", "anyone, once Queued and past the timelock", "", ALL);
        r[12] = _row(
            "LegitimacyConstitution",
            "cancel",
            "the proposer (here the token holder), while Pending",
            "LegitimacyConstitutionNotProposer",
            _bit(TOKEN_HOLDER)
        );
        r[13] = _row(
            "LegitimacyConstitution",
            "vetoAllocation",
            "an account with the GUARDIAN role",
            "LegitimacyConstitutionMissingRole",
            _bit(GUARDIAN)
        );
        // CoordinationLocks (System 2)
        r[14] = _row(
            "CoordinationLocks",
            "request",
            "the contributor of an Accepted packet",
            "CoordinationLocksNotContributor",
            _bit(CONTRIBUTOR)
        );
        r[15] = _row(
            "CoordinationLocks",
            "release",
            "the holder (the held packet's contributor)",
            "CoordinationLocksNotHolder",
            _bit(LOCK_HOLDER)
        );
        r[16] = _row(
            "CoordinationLocks",
            "renew",
            "the holder (the held packet's contributor)",
            "CoordinationLocksNotHolder",
            _bit(LOCK_HOLDER)
        );
        r[17] = _row(
            "CoordinationLocks",
            "withdraw",
            "the requester of a queued request (here the contributor)",
            "CoordinationLocksNotRequester",
            _bit(CONTRIBUTOR)
        );
        r[18] = _row(
            "CoordinationLocks", "grantNext", "anyone, when the head of the queue can be granted", "", ALL
        );
        r[19] = _row("CoordinationLocks", "expire", "anyone, once the lease has ended", "", ALL);
        // OptimizationTreasury (System 3)
        r[20] = _row("OptimizationTreasury", "deposit", "anyone", "", ALL);
        r[21] = _row("OptimizationTreasury", "receive", "anyone (plain ETH transfer)", "", ALL);
        r[22] = _row(
            "OptimizationTreasury",
            "createLine",
            "an account with the STEWARD role",
            "OptimizationTreasuryNotSteward",
            _bit(STEWARD)
        );
        r[23] = _row(
            "OptimizationTreasury",
            "updateLine",
            "an account with the STEWARD role",
            "OptimizationTreasuryNotSteward",
            _bit(STEWARD)
        );
        r[24] = _row(
            "OptimizationTreasury",
            "closeLine",
            "an account with the STEWARD role",
            "OptimizationTreasuryNotSteward",
            _bit(STEWARD)
        );
        r[25] = _row(
            "OptimizationTreasury",
            "allocate",
            "the line's steward, while it holds the STEWARD role",
            "OptimizationTreasuryNotLineSteward",
            _bit(STEWARD)
        );
        r[26] = _row(
            "OptimizationTreasury",
            "cancel",
            "the line's steward",
            "OptimizationTreasuryNotLineSteward",
            _bit(STEWARD)
        );
        r[27] = _row(
            "OptimizationTreasury",
            "claimBounty",
            "anyone, for an Accepted packet of the line's schema",
            "",
            ALL
        );
        r[28] = _row(
            "OptimizationTreasury",
            "veto",
            "the constitution only (a guardian acts through vetoAllocation)",
            "OptimizationTreasuryNotConstitution",
            _bit(LEGITIMACY)
        );
        r[29] = _row("OptimizationTreasury", "execute", "anyone, after the veto window", "", ALL);
        r[30] = _row(
            "OptimizationTreasury",
            "claim",
            "the allocation's recipient (the packet's contributor)",
            "OptimizationTreasuryNotRecipient",
            _bit(CONTRIBUTOR)
        );
        r[31] = _row(
            "OptimizationTreasury", "migrate", "anyone, once another treasury replaced this one", "", ALL
        );
        // StrategyProposals (System 4)
        r[32] = _row(
            "StrategyProposals",
            "openQuestion",
            "anyone who posts the bond (a token holder)",
            "StrategyProposalsTokenTransferFailed",
            _bit(TOKEN_HOLDER)
        );
        r[33] = _row(
            "StrategyProposals",
            "withdrawQuestion",
            "the question's opener (here the token holder), while Open",
            "StrategyProposalsNotOpener",
            _bit(TOKEN_HOLDER)
        );
        r[34] = _row(
            "StrategyProposals",
            "propose",
            "anyone who posts the bond (a token holder)",
            "StrategyProposalsTokenTransferFailed",
            _bit(TOKEN_HOLDER)
        );
        r[35] = _row(
            "StrategyProposals",
            "withdraw",
            "the proposer (here the token holder), while Open",
            "StrategyProposalsNotProposer",
            _bit(TOKEN_HOLDER)
        );
        r[36] = _row(
            "StrategyProposals",
            "stake",
            "token holders (who approved the module)",
            "StrategyProposalsTokenTransferFailed",
            _bit(TOKEN_HOLDER)
        );
        r[37] = _row(
            "StrategyProposals",
            "unstake",
            "stakers, up to their unassigned stake",
            "StrategyProposalsInsufficientStake",
            _bit(TOKEN_HOLDER)
        );
        r[38] = _row(
            "StrategyProposals",
            "support",
            "stakers, up to their unassigned stake",
            "StrategyProposalsInsufficientStake",
            _bit(TOKEN_HOLDER)
        );
        r[39] = _row(
            "StrategyProposals",
            "unsupport",
            "the proposal's supporters, up to their support",
            "StrategyProposalsInsufficientSupport",
            _bit(TOKEN_HOLDER)
        );
        r[40] = _row("StrategyProposals", "promote", "anyone, when conviction reaches the threshold", "", ALL);
        r[41] = _row("StrategyProposals", "expire", "anyone, from createdAt + strategy.maxAge", "", ALL);
        r[42] = _row(
            "StrategyProposals",
            "markAdopted",
            "the constitution or the directory's treasury, citing a Ready proposal",
            "StrategyProposalsNotAdopter",
            _bit(OPTIMIZATION) | _bit(LEGITIMACY)
        );
    }

    /// @dev ViableToken's state-changing functions: OpenZeppelin ERC20, ERC20Permit and
    /// ERC20Votes, each acting only on the caller's (or a signature's signer's) own
    /// balance, allowance or delegation. No owner, no mint: nothing privileged to test.
    function tokenFunctions() internal pure returns (string[6] memory) {
        return ["approve", "delegate", "delegateBySig", "permit", "transfer", "transferFrom"];
    }

    function allows(Row memory row, uint256 class_) internal pure returns (bool) {
        return row.allowed & _bit(class_) != 0;
    }

    function refusesOtherwise(Row memory row, uint256 class_) internal pure returns (bool) {
        return row.other & _bit(class_) != 0;
    }

    // ------------------------------------------------------------------
    // The generated table
    // ------------------------------------------------------------------

    /// @dev The markdown table docs/boundaries.md carries between its markers.
    function markdown() internal pure returns (string memory md) {
        Row[] memory r = rows();
        string[13] memory names = classNames();
        string memory head = "| module | function | who may call | refused with |";
        string memory rule = "|---|---|---|---|";
        for (uint256 c; c < CLASSES; ++c) {
            head = string.concat(head, " ", names[c], " |");
            rule = string.concat(rule, ":-:|");
        }
        md = string.concat(head, "\n", rule, "\n");
        uint256 allowedCells;
        for (uint256 i; i < r.length; ++i) {
            string memory refusal = bytes(r[i].refusal).length == 0
                ? unicode"— (no caller class; only the rule)"
                : string.concat("`", _ticks(r[i].refusal), "`");
            string memory line =
                string.concat("| ", r[i].module, " | `", r[i].fn, "` | ", r[i].who, " | ", refusal, " |");
            for (uint256 c; c < CLASSES; ++c) {
                string memory cell;
                if (allows(r[i], c)) {
                    cell = unicode"✓";
                    ++allowedCells;
                } else if (refusesOtherwise(r[i], c)) {
                    cell = unicode"✗†";
                } else {
                    cell = unicode"✗";
                }
                line = string.concat(line, " ", cell, " |");
            }
            md = string.concat(md, line, "\n");
        }
        uint256 cells = r.length * CLASSES;
        md = string.concat(
            md,
            "\n",
            vmString(r.length),
            unicode" functions × ",
            vmString(CLASSES),
            " caller classes = ",
            vmString(cells),
            " cells: ",
            vmString(allowedCells),
            " succeed, ",
            vmString(cells - allowedCells),
            " are refused with the named error.\n"
        );
    }

    /// @dev "A; † B" becomes "A`; † `B" so that each error name is code.
    function _ticks(string memory s) private pure returns (string memory) {
        bytes memory b = bytes(s);
        bytes memory sep = bytes(unicode"; † ");
        for (uint256 i; i + sep.length <= b.length; ++i) {
            bool hit = true;
            for (uint256 j; j < sep.length && hit; ++j) {
                hit = b[i + j] == sep[j];
            }
            if (!hit) continue;
            bytes memory head = new bytes(i);
            bytes memory tail = new bytes(b.length - i - sep.length);
            for (uint256 j; j < i; ++j) {
                head[j] = b[j];
            }
            for (uint256 j; j < tail.length; ++j) {
                tail[j] = b[i + sep.length + j];
            }
            return string.concat(string(head), unicode"`; † `", string(tail));
        }
        return s;
    }

    function vmString(uint256 v) internal pure returns (string memory) {
        if (v == 0) return "0";
        uint256 len;
        for (uint256 t = v; t != 0; t /= 10) {
            ++len;
        }
        bytes memory b = new bytes(len);
        for (; v != 0; v /= 10) {
            b[--len] = bytes1(uint8(48 + v % 10));
        }
        return string(b);
    }

    function _bit(uint256 class_) private pure returns (uint16) {
        return uint16(1 << class_);
    }

    function _row(
        string memory module,
        string memory fn,
        string memory who,
        string memory refusal,
        uint16 allowed
    ) private pure returns (Row memory) {
        return Row({module: module, fn: fn, who: who, refusal: refusal, allowed: allowed, other: 0});
    }
}
