// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IWorkValidator} from "../../contracts/interfaces/IWorkValidator.sol";

/// @notice Accepts every packet: a stand-in for a check (e.g. a CI bot's signature)
/// that a test does not exercise, so that an Immediate schema may be recognized.
contract AcceptingValidator is IWorkValidator {
    function validatePacket(address, bytes32, bytes32, bytes calldata) external pure returns (bytes4) {
        return IWorkValidator.validatePacket.selector;
    }
}

/// @notice Accepts, but only after burning `work` gas in a loop: a finite validator that
/// may need more than the registry's cap.
contract CostlyValidator is IWorkValidator {
    uint256 public immutable work;

    constructor(uint256 work_) {
        work = work_;
    }

    function validatePacket(address, bytes32, bytes32, bytes calldata) external view returns (bytes4) {
        uint256 start = gasleft();
        while (start - gasleft() < work) {}
        return IWorkValidator.validatePacket.selector;
    }
}

/// @notice Accepts only contributors holding a credential the test grants, e.g. a
/// membership badge. Records nothing: the registry calls it with STATICCALL.
contract CredentialValidator is IWorkValidator {
    mapping(address account => bool) public holds;

    function grant(address account) external {
        holds[account] = true;
    }

    function validatePacket(address contributor, bytes32, bytes32, bytes calldata)
        external
        view
        returns (bytes4)
    {
        return holds[contributor] ? IWorkValidator.validatePacket.selector : bytes4(0);
    }
}

/// @notice Answers with a configurable word: the selector, a wrong magic value, or the
/// selector with dirty low-order bytes.
contract WordValidator {
    bytes32 public immutable answer;

    constructor(bytes32 answer_) {
        answer = answer_;
    }

    fallback() external {
        bytes32 a = answer;
        assembly {
            mstore(0x00, a)
            return(0x00, 0x20)
        }
    }
}

/// @notice Returns only the four selector bytes, not a full ABI word.
contract ShortAnswerValidator {
    fallback() external {
        bytes4 magic = IWorkValidator.validatePacket.selector;
        assembly {
            mstore(0x00, magic)
            return(0x00, 0x04)
        }
    }
}

/// @notice Always reverts.
contract RevertingValidator {
    error Nope();

    fallback() external {
        revert Nope();
    }
}

/// @notice Burns all the gas it is given.
contract GasBurningValidator {
    fallback() external {
        while (true) {}
    }
}

/// @notice Accepts, but returns the selector followed by as much return data as the
/// registry's gas cap lets it build: a returndata bomb for a caller that copies it all.
contract ReturnBombValidator {
    uint256 public immutable size;

    constructor(uint256 size_) {
        size = size_;
    }

    fallback() external {
        bytes4 magic = IWorkValidator.validatePacket.selector;
        uint256 n = size;
        assembly {
            mstore(0x00, magic)
            return(0x00, n)
        }
    }
}

/// @notice Tries to write storage while validating. Under STATICCALL the write
/// fails, so the packet is refused: a validator can never change state.
contract StateChangingValidator {
    uint256 public calls;

    function validatePacket(address, bytes32, bytes32, bytes calldata) external returns (bytes4) {
        ++calls;
        return IWorkValidator.validatePacket.selector;
    }
}
