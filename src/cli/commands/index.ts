import type { Command } from 'commander';
import { registerBalanceCommand } from './balance.js';
import { registerCancelCommand } from './cancel.js';
import { registerForgetCommand } from './forget.js';
import { registerHistoryCommand } from './history.js';
import { registerOrderbookCommand } from './orderbook.js';
import { registerOrdersCommand } from './orders.js';
import { registerRunCommand } from './run.js';
import { registerSimCommand } from './sim.js';
import { registerStartCommand } from './start.js';
import { registerStatusCommand } from './status.js';
import { registerTradeCommands } from './trade.js';

/** Adds every CLI command to the program. A new command is one file in this folder and one line here. */
export function registerCommands(program: Command): void {
  registerSimCommand(program);
  registerStartCommand(program);
  registerRunCommand(program);
  registerBalanceCommand(program);
  registerOrderbookCommand(program);
  registerTradeCommands(program);
  registerCancelCommand(program);
  registerForgetCommand(program);
  registerOrdersCommand(program);
  registerHistoryCommand(program);
  registerStatusCommand(program);
}
