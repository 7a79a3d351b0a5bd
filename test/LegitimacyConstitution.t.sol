// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {LegitimacyConstitution} from "../contracts/LegitimacyConstitution.sol";
import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {ConstitutionBase} from "./harness/ConstitutionBase.sol";

/// @notice The constitution's external surface: no owner, no admin, no setter. Its
/// state-changing entry points are exactly the ones PROTOCOL.md §2.1 lists, with
/// `bootstrap` the only one that singles out the deployer, and it works once.
/// The per-feature suites live in `LegitimacyConstitution.<feature>.t.sol`.
contract LegitimacyConstitutionTest is ConstitutionBase {
    function setUp() public {
        _deployConstitution();
    }

    function _abi() internal view returns (string memory) {
        string memory path = vm.getArtifactPathByCode(type(LegitimacyConstitution).creationCode);
        return vm.readFile(path);
    }

    function _eq(string memory a, string memory b) internal pure returns (bool) {
        return keccak256(bytes(a)) == keccak256(bytes(b));
    }

    /// @dev PROTOCOL.md §2.1, LegitimacyConstitution rows (castVoteWithReason is
    /// castVote with a logged reason). Anything else that changes state is a backdoor.
    function _allowed(string memory name) internal pure returns (bool) {
        return _eq(name, "bootstrap") || _eq(name, "propose") || _eq(name, "castVote")
            || _eq(name, "castVoteWithReason") || _eq(name, "queue") || _eq(name, "execute")
            || _eq(name, "cancel") || _eq(name, "vetoAllocation");
    }

    /// @notice Reads the compiled ABI: every function that is not view or pure is one
    /// of §2.1's entry points, none is payable, and there is no fallback or receive.
    function test_abi_stateChangingFunctionsAreExactlyTheSpecified() public view {
        string memory json = _abi();
        uint256 views;
        bool sawBootstrap;
        for (uint256 i;; ++i) {
            string memory entry = string.concat(".abi[", vm.toString(i), "]");
            if (!vm.keyExistsJson(json, entry)) break;
            string memory kind = vm.parseJsonString(json, string.concat(entry, ".type"));
            vm.assertFalse(_eq(kind, "fallback") || _eq(kind, "receive"), "fallback/receive");
            if (!_eq(kind, "function")) continue;
            string memory name = vm.parseJsonString(json, string.concat(entry, ".name"));
            string memory mutability = vm.parseJsonString(json, string.concat(entry, ".stateMutability"));
            if (_eq(mutability, "view") || _eq(mutability, "pure")) {
                ++views;
                continue;
            }
            vm.assertTrue(_allowed(name), string.concat("unlisted state-changing function: ", name));
            vm.assertEq(mutability, "nonpayable", name);
            if (_eq(name, "bootstrap")) sawBootstrap = true;
        }
        vm.assertTrue(sawBootstrap, "bootstrap");
        // 3 constants + the 15 core views at least: the test really walked the ABI.
        vm.assertGe(views, 18);
    }

    /// @dev Unknown selectors and plain ETH are refused: there is no catch-all path.
    function test_RevertWhen_unknownSelectorOrEther() public {
        vm.deal(deployer, 1 ether);
        vm.startPrank(deployer);
        (bool ok,) = address(constitution).call(abi.encodeWithSignature("setParam(bytes32,uint256)", "x", 1));
        vm.assertFalse(ok);
        (ok,) = address(constitution).call{value: 1}("");
        vm.assertFalse(ok);
        (ok,) = address(constitution).call(hex"00");
        vm.assertFalse(ok);
        vm.stopPrank();
        vm.assertEq(address(constitution).balance, 0);
    }

    /// @notice After bootstrap the deployer's one power is spent.
    function test_bootstrap_leavesDeployerPowerless() public {
        _bootstrap(_emptyBootstrap());
        vm.assertEq(constitution.deployer(), deployer);

        ILegitimacyConstitution.BootstrapConfig memory c = _blank();
        c.roles = new ILegitimacyConstitution.RoleInit[](1);
        c.roles[0] = ILegitimacyConstitution.RoleInit({role: constitution.STEWARD_ROLE(), account: deployer});
        vm.expectRevert(
            abi.encodeWithSelector(ILegitimacyConstitution.LegitimacyConstitutionAlreadyBootstrapped.selector)
        );
        _bootstrap(c);

        vm.assertFalse(constitution.hasRole(constitution.STEWARD_ROLE(), deployer));
        vm.assertFalse(constitution.hasRole(constitution.GUARDIAN_ROLE(), deployer));
        vm.assertTrue(constitution.bootstrapped());
    }
}
