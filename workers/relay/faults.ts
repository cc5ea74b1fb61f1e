/**
 * The relay's fault point (tests and demos only; off unless DTX_FAULTS names it): `relay.afterSend=crash:<rate>`
 * SIGKILLs the relay right after Kafka acknowledged a batch and before the rows are marked sent, which is the
 * crash that produces a duplicate. Rules for other targets (the services') are ignored here.
 */
import { ConfigError } from '../../common/config';

export interface RelayFaults {
  /** Called between a successful send and mark-sent. */
  afterSend(): void;
}

const TARGET = 'relay.afterSend';

/** Parses the relay's rule out of a DTX_FAULTS spec. */
export function parseRelayFaults(spec: string, random: () => number = Math.random): RelayFaults {
  let crashRate = 0;
  for (const raw of spec.split(',')) {
    const rule = raw.trim();
    if (!rule.toLowerCase().startsWith('relay.')) continue;
    const match = /^relay\.afterSend=crash:(\d*\.?\d+)$/i.exec(rule);
    const rate = match ? Number(match[1]) : NaN;
    if (!match || !(rate >= 0 && rate <= 1)) {
      throw new ConfigError('DTX_FAULTS', `"${rule}": the relay knows only ${TARGET}=crash:<rate 0..1>`);
    }
    crashRate = rate;
  }
  return {
    afterSend() {
      if (crashRate > 0 && (crashRate >= 1 || random() < crashRate)) process.kill(process.pid, 'SIGKILL');
    },
  };
}
