import { describe, expect, it } from 'vitest';
import { failureUpdate } from '../../../src/core/orders/failure-update.js';
import { InFlightOrder } from '../../../src/core/orders/in-flight-order.js';
import { tradingRule } from '../../../src/core/rules/trading-rule.js';
import { checkOrderAgainstRule } from '../../../src/core/rules/validate-order.js';
import { d, orderInit } from '../support/orders.js';

describe('failureUpdate', () => {
  it('turns a refusal into a FAILED update that names the error', () => {
    const o = new InFlightOrder(orderInit());
    const violation = checkOrderAgainstRule(tradingRule({ tradingPair: 'BTC-USDT', minNotionalSize: d(500) }), {
      orderType: o.orderType,
      tradeType: o.tradeType,
      amount: o.amount,
      price: o.price!,
    });
    const u = failureUpdate(o, violation, 5);
    expect(u).toMatchObject({ clientOrderId: 'c1', newState: 'FAILED', errorType: 'TradingRuleViolation', updateTimestamp: 5 });
    expect(u.errorMessage).toMatch(/notional 100 is below the minimum 500/);
  });
});
