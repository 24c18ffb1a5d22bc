import type { MarketSpec } from './engine/index.js';

/**
 * The markets a simulator starts with: Binance's filters for these symbols (tick and step sizes,
 * limits, a 5 USDT / 0.0001 BTC minimum notional, 200 open orders), and starting prices for the
 * market activity.
 */
export const DEFAULT_MARKETS: readonly MarketSpec[] = [
  {
    pair: 'BTC-USDT',
    initialPrice: '65000',
    rules: {
      tickSize: '0.01', minPrice: '0.01', maxPrice: '1000000',
      stepSize: '0.00001', minQty: '0.00001', maxQty: '9000',
      marketStepSize: '0', marketMinQty: '0', marketMaxQty: '100',
      minNotional: '5', maxNotional: '9000000', maxNumOrders: 200,
    },
  },
  {
    pair: 'ETH-USDT',
    initialPrice: '3200',
    rules: {
      tickSize: '0.01', minPrice: '0.01', maxPrice: '1000000',
      stepSize: '0.0001', minQty: '0.0001', maxQty: '9000',
      marketStepSize: '0', marketMinQty: '0', marketMaxQty: '2000',
      minNotional: '5', maxNotional: '9000000', maxNumOrders: 200,
    },
  },
  {
    pair: 'ETH-BTC',
    initialPrice: '0.04923',
    rules: {
      tickSize: '0.00001', minPrice: '0.00001', maxPrice: '922327',
      stepSize: '0.0001', minQty: '0.0001', maxQty: '100000',
      marketStepSize: '0', marketMinQty: '0', marketMaxQty: '2000',
      minNotional: '0.0001', maxNotional: '9000000', maxNumOrders: 200,
    },
  },
];

/**
 * The demo account's funds: at least 100,000 of every quote asset (BTC is the quote of ETH-BTC)
 * and some of every base asset.
 */
export const DEMO_BALANCES: Readonly<Record<string, string>> = {
  USDT: '1000000',
  BTC: '100000',
  ETH: '1000',
};
