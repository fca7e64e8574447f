/**
 * What the web client takes from the server's own code instead of keeping a copy: money (integer minor units, each
 * currency's decimals, the same symbols the server writes in confirmations) and the inbox's channels and statuses.
 * Only src/kernel and src/domain may be imported here: they are pure (no I/O, nothing Node-only), which
 * src/architecture.test.ts checks for every import of web/src.
 */
export { exponentOf, formatMoney, parseDecimal, toDecimal } from '../../src/kernel/money.js';
export {
  CHANNELS,
  CONVERSATION_STATUSES,
  CONVERSATION_STATUS_LABEL,
  type ConversationStatus,
} from '../../src/domain/conversation-status.js';

export { formatDate, formatTime } from './ui/dates';
