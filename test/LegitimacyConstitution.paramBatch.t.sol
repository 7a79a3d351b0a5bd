// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ILegitimacyConstitution} from "../contracts/interfaces/ILegitimacyConstitution.sol";
import {ParamKeys} from "../contracts/libraries/ParamKeys.sol";
import {ConstitutionBase} from "./harness/ConstitutionBase.sol";

/// @notice `param2` and `param3`, the batched parameter reads of the modules: each value
/// is what `param` gives for its key, in the order asked, and the first unknown key is
/// refused with the same error as `param`.
contract LegitimacyConstitutionParamBatchTest is ConstitutionBase {
    bytes32 internal constant UNKNOWN = keccak256("no.such.param");

    function setUp() public {
        _deployConstitution();
    }

    function test_param2_givesEachKeysValueInOrder() public view {
        (uint256 a, uint256 b) = constitution.param2(ParamKeys.WORK_MAX_FIELDS, ParamKeys.STRATEGY_MIN_BOND);
        vm.assertEq(a, constitution.param(ParamKeys.WORK_MAX_FIELDS));
        vm.assertEq(b, constitution.param(ParamKeys.STRATEGY_MIN_BOND));
        vm.assertNotEq(a, b);
        (b, a) = constitution.param2(ParamKeys.STRATEGY_MIN_BOND, ParamKeys.WORK_MAX_FIELDS);
        vm.assertEq(a, constitution.param(ParamKeys.WORK_MAX_FIELDS));
        vm.assertEq(b, constitution.param(ParamKeys.STRATEGY_MIN_BOND));
    }

    function test_param3_givesEachKeysValueInOrder() public view {
        (uint256 a, uint256 b, uint256 c) = constitution.param3(
            ParamKeys.LEGIT_PASS_BPS, ParamKeys.LEGIT_VOTING_DELAY, ParamKeys.STRATEGY_MIN_BOND
        );
        vm.assertEq(a, constitution.param(ParamKeys.LEGIT_PASS_BPS));
        vm.assertEq(b, constitution.param(ParamKeys.LEGIT_VOTING_DELAY));
        vm.assertEq(c, constitution.param(ParamKeys.STRATEGY_MIN_BOND));
        vm.assertNotEq(a, b);
        vm.assertNotEq(b, c);
    }

    function test_RevertWhen_batchHasUnknownKey() public {
        bytes memory err = abi.encodeWithSelector(
            ILegitimacyConstitution.LegitimacyConstitutionUnknownParam.selector, UNKNOWN
        );
        vm.expectRevert(err);
        constitution.param2(ParamKeys.WORK_MAX_FIELDS, UNKNOWN);
        vm.expectRevert(err);
        constitution.param2(UNKNOWN, ParamKeys.WORK_MAX_FIELDS);
        vm.expectRevert(err);
        constitution.param3(ParamKeys.WORK_MAX_FIELDS, ParamKeys.LEGIT_PASS_BPS, UNKNOWN);
        vm.expectRevert(err);
        constitution.param3(ParamKeys.WORK_MAX_FIELDS, UNKNOWN, ParamKeys.LEGIT_PASS_BPS);
    }
}
