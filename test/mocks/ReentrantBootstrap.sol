// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {LegitimacyConstitution} from "../../contracts/LegitimacyConstitution.sol";
import {ILegitimacyConstitution} from "../../contracts/interfaces/ILegitimacyConstitution.sol";
import {IViableModule} from "../../contracts/interfaces/IViableModule.sol";
import {ModuleKinds} from "../../contracts/libraries/ModuleKinds.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

/// @notice A deployer that is a contract. It deploys the constitution itself, so it is
/// the constitution's `deployer()`, and forwards `bootstrap`. When its Work module calls
/// back during seeding (`reenter`), it calls `bootstrap` a second time with a config that
/// would make `beneficiary` a STEWARD: the re-entrant bootstrap the constitution must refuse.
contract ReentrantDeployer {
    LegitimacyConstitution public immutable constitution;
    address public immutable beneficiary;

    constructor(ILegitimacyConstitution.ParamInit[] memory genesis, IVotes token, address beneficiary_) {
        constitution = new LegitimacyConstitution(genesis, token);
        beneficiary = beneficiary_;
    }

    /// @notice The deployer's one bootstrap, as an EOA deployer would send it.
    function bootstrap(ILegitimacyConstitution.BootstrapConfig calldata config) external {
        constitution.bootstrap(config);
    }

    /// @notice The call back from the Work module: bootstrap again, as the deployer.
    function reenter() external {
        ILegitimacyConstitution.BootstrapConfig memory again;
        again.roles = new ILegitimacyConstitution.RoleInit[](1);
        again.roles[0] =
            ILegitimacyConstitution.RoleInit({role: constitution.STEWARD_ROLE(), account: beneficiary});
        constitution.bootstrap(again);
    }
}

/// @notice A malicious Work module for `ReentrantDeployer`'s constitution. Its
/// `seedContribution` re-enters `bootstrap`: through the deployer (`ViaDeployer`), or
/// directly (`Direct`), or not at all (`Off`, a well-behaved control). Every other
/// seed is counted so a test can see the seeding ran.
contract ReentrantWorkModule is IViableModule {
    enum Mode {
        Off,
        ViaDeployer,
        Direct
    }

    ReentrantDeployer private immutable _deployer;
    Mode public mode;
    uint256 public seeds;

    constructor(ReentrantDeployer deployer_, Mode mode_) {
        _deployer = deployer_;
        mode = mode_;
    }

    function setMode(Mode mode_) external {
        mode = mode_;
    }

    /// @inheritdoc IViableModule
    function constitution() external view returns (address) {
        return address(_deployer.constitution());
    }

    /// @inheritdoc IViableModule
    function moduleKind() external pure returns (bytes32) {
        return ModuleKinds.WORK;
    }

    /// @notice Mirrors IWorkRegistry.totalPower: one per seed, so the Work House has weight.
    function totalPower() external view returns (uint256) {
        return seeds;
    }

    /// @notice Mirrors IWorkRegistry.seedContribution; re-enters `bootstrap` per `mode`.
    /// A revert in the re-entrant call bubbles up unchanged.
    function seedContribution(address, uint256) external {
        ++seeds;
        if (mode == Mode.ViaDeployer) {
            _deployer.reenter();
        } else if (mode == Mode.Direct) {
            ILegitimacyConstitution.BootstrapConfig memory again;
            _deployer.constitution().bootstrap(again);
        }
    }
}
