// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {LegitimacyConstitution} from "../contracts/LegitimacyConstitution.sol";
import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {AmendmentsBase} from "./LegitimacyConstitution.amendments.base.t.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";

contract Probe is AmendmentsBase {
    function _initcode(uint256 n) internal view returns (bytes memory) {
        return bytes.concat(
            type(LegitimacyConstitution).creationCode,
            abi.encode(uint256(0x40), address(token), n),
            new bytes(n * 128)
        );
    }

    function _create(bytes memory code) internal returns (address a, bool ok, bytes memory ret) {
        assembly {
            a := create(0, add(code, 0x20), mload(code))
            ok := iszero(iszero(a))
            let size := returndatasize()
            ret := mload(0x40)
            mstore(ret, size)
            returndatacopy(add(ret, 0x20), 0, size)
            mstore(0x40, add(add(ret, 0x20), size))
        }
    }

    function test_probe_small() public {
        (address a, bool ok, bytes memory ret) = _create(_initcode(70));
        vm.assertEq(ret, abi.encodeWithSelector(ILegitimacyConstitution.LegitimacyConstitutionMissingParam.selector, bytes32("work.maxFields")));
        vm.assertFalse(ok);
        a;
    }

    function test_probe_big() public {
        (address a, bool ok, bytes memory ret) = _create(_initcode(65_536));
        vm.assertEq(ret, abi.encodeWithSelector(ILegitimacyConstitution.LegitimacyConstitutionTooManyParams.selector, 65_536, 65_535));
        vm.assertFalse(ok);
        a;
    }
}
