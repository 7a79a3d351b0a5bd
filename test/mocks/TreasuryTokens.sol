// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice A plain ERC20 with open minting and configurable decimals.
contract MockERC20 is ERC20 {
    uint8 private immutable _decimals;

    constructor(string memory name_, uint8 decimals_) ERC20(name_, name_) {
        _decimals = decimals_;
    }

    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }
}

/// @notice Takes `feeBps` of every transfer (burned), so the receiver gets less than
/// the amount sent: Allo v2's pool-funding failure mode.
contract FeeOnTransferToken is MockERC20 {
    uint256 public feeBps;

    constructor(uint256 feeBps_) MockERC20("FEE", 18) {
        feeBps = feeBps_;
    }

    function setFee(uint256 feeBps_) external {
        feeBps = feeBps_;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0) || feeBps == 0) return super._update(from, to, value);
        uint256 fee = value * feeBps / 10_000;
        super._update(from, address(0), fee);
        super._update(from, to, value - fee);
    }
}

/// @notice Returns false instead of reverting when `failing` (USDT-era tokens, BNB).
contract FalseReturningToken is MockERC20 {
    bool public failing;

    constructor() MockERC20("FALSE", 18) {}

    function setFailing(bool failing_) external {
        failing = failing_;
    }

    function transfer(address to, uint256 value) public override returns (bool) {
        if (failing) return false;
        return super.transfer(to, value);
    }

    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        if (failing) return false;
        return super.transferFrom(from, to, value);
    }
}

/// @notice Reverts every transfer to a blocked address (a USDC-style blocklist), or
/// every transfer when `paused`.
contract RevertingToken is MockERC20 {
    error RevertingTokenBlocked(address account);

    bool public paused;
    mapping(address account => bool) public blocked;

    constructor() MockERC20("REVERT", 6) {}

    function setPaused(bool paused_) external {
        paused = paused_;
    }

    function setBlocked(address account, bool blocked_) external {
        blocked[account] = blocked_;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (paused || blocked[to]) revert RevertingTokenBlocked(to);
        super._update(from, to, value);
    }
}

/// @notice Burns all the gas it is given on transfer when `burning`.
contract GasBurningToken is MockERC20 {
    bool public burning;

    constructor() MockERC20("BURN", 18) {}

    function setBurning(bool burning_) external {
        burning = burning_;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (burning && from != address(0)) {
            while (true) {}
        }
        super._update(from, to, value);
    }
}

/// @notice Calls back into `target` with `payload` from inside every transfer (an
/// ERC777-style hook), and records whether the call-back succeeded.
contract ReentrantToken is MockERC20 {
    address public target;
    bytes public payload;
    bool public armed;
    bool public lastCallbackOk;
    bytes public lastCallbackData;
    uint256 public callbacks;

    constructor() MockERC20("REENTER", 18) {}

    function arm(address target_, bytes calldata payload_) external {
        target = target_;
        payload = payload_;
        armed = true;
    }

    function disarm() external {
        armed = false;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (armed && from != address(0)) {
            armed = false; // one call-back per arming
            ++callbacks;
            (lastCallbackOk, lastCallbackData) = target.call(payload);
        }
    }
}

/// @notice Balances are shares times an index the test moves: a positive or negative
/// rebase changes every balance without a transfer (stETH, AMPL).
contract RebasingToken is ERC20 {
    uint256 public index = 1e18;

    constructor() ERC20("REBASE", "REBASE") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount * 1e18 / index);
    }

    function rebase(uint256 newIndex) external {
        index = newIndex;
    }

    function balanceOf(address account) public view override returns (uint256) {
        return super.balanceOf(account) * index / 1e18;
    }

    function totalSupply() public view override returns (uint256) {
        return super.totalSupply() * index / 1e18;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value * 1e18 / index);
    }
}
