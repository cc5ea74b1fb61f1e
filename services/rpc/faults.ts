/**
 * Fault injection (tests and demos only, off unless DTX_FAULTS is set; docs/development.md). Grammar, comma-separated:
 *
 *   <service>.<Method>=<code>:<rate>          fail before the handler runs with that gRPC code (e.g. unavailable)
 *   <service>.<Method>=delay:<ms>[:<rate>]    sleep before the handler (and before the deadline check)
 *   <service>.<Method>=lose-response:<rate>   run the handler (its transaction commits), then drop the response
 *
 * `<Method>` may be `*` (every method of the service). rate is 0..1 (1 = always).
 * lose-response, chosen behaviour: after the commit the server holds the answer until the call's deadline has
 * passed, so the caller sees DEADLINE_EXCEEDED; a call without a deadline gets UNAVAILABLE at once. Either way the
 * change happened and a retry meets the barrier (DUPLICATE).
 */
import * as grpc from '@grpc/grpc-js';
import { ConfigError, SERVICE_NAMES, type ServiceName } from '../../common/config';

export type Fault =
  | { kind: 'fail'; code: grpc.status; codeName: string; rate: number }
  | { kind: 'delay'; ms: number; rate: number }
  | { kind: 'lose-response'; rate: number };

export interface FaultRule {
  service: ServiceName;
  /** Proto method name, or '*' */
  method: string;
  fault: Fault;
}

const VARIABLE = 'DTX_FAULTS';

function parseRate(raw: string | undefined, rule: string, fallback?: number): number {
  if (raw === undefined || raw === '') {
    if (fallback !== undefined) return fallback;
    throw new ConfigError(VARIABLE, `"${rule}": missing rate (0..1)`);
  }
  const rate = Number(raw);
  if (!/^\d*\.?\d+$/.test(raw) || !(rate >= 0 && rate <= 1)) {
    throw new ConfigError(VARIABLE, `"${rule}": rate must be a number from 0 to 1, got "${raw}"`);
  }
  return rate;
}

function parseFault(spec: string, rule: string): Fault {
  const [mode, arg, extra, ...rest] = spec.split(':');
  if (rest.length > 0) throw new ConfigError(VARIABLE, `"${rule}": too many ':' parts`);
  if (mode === 'delay') {
    if (arg === undefined || !/^\d+$/.test(arg) || Number(arg) > 600_000) {
      throw new ConfigError(VARIABLE, `"${rule}": delay needs milliseconds 0..600000, e.g. delay:2000`);
    }
    return { kind: 'delay', ms: Number(arg), rate: parseRate(extra, rule, 1) };
  }
  if (extra !== undefined) throw new ConfigError(VARIABLE, `"${rule}": too many ':' parts`);
  if (mode === 'lose-response') return { kind: 'lose-response', rate: parseRate(arg, rule) };
  const codeName = mode.toUpperCase().replace(/-/g, '_');
  const code = (grpc.status as unknown as Record<string, grpc.status | undefined>)[codeName];
  if (typeof code !== 'number' || code === grpc.status.OK) {
    throw new ConfigError(
      VARIABLE,
      `"${rule}": unknown fault "${mode}" (a gRPC code such as unavailable, or delay, lose-response)`,
    );
  }
  return { kind: 'fail', code, codeName, rate: parseRate(arg, rule) };
}

/**
 * Parses a DTX_FAULTS spec; throws ConfigError naming DTX_FAULTS for anything invalid. With `methodsOf`, method
 * names are checked against the real services (case-insensitive, stored with the proto's spelling).
 */
export function parseFaults(spec: string, methodsOf?: (service: ServiceName) => string[]): FaultRule[] {
  const rules: FaultRule[] = [];
  for (const raw of spec.split(',')) {
    const rule = raw.trim();
    if (rule === '') continue;
    const eq = rule.indexOf('=');
    if (eq < 0) throw new ConfigError(VARIABLE, `"${rule}": expected <service>.<Method>=<fault>`);
    const target = rule.slice(0, eq).trim();
    // One DTX_FAULTS serves every process: the relay's rules are parsed (and validated) by workers/outbox/faults.ts.
    if (target.toLowerCase().startsWith('relay.')) continue;
    const dot = target.indexOf('.');
    const service = target.slice(0, dot) as ServiceName;
    let method = target.slice(dot + 1);
    if (dot < 0 || !SERVICE_NAMES.includes(service)) {
      throw new ConfigError(
        VARIABLE,
        `"${rule}": target must be <service>.<Method> with service one of ${SERVICE_NAMES.join(', ')}`,
      );
    }
    if (method !== '*') {
      const known = methodsOf?.(service);
      const match = known ? known.find((m) => m.toLowerCase() === method.toLowerCase()) : method;
      if (!match || !/^[A-Za-z]\w*$/.test(match)) {
        throw new ConfigError(
          VARIABLE,
          `"${rule}": ${service} has no method "${method}"${known ? ` (has ${known.join(', ')})` : ''}`,
        );
      }
      method = match;
    }
    rules.push({ service, method, fault: parseFault(rule.slice(eq + 1).trim(), rule) });
  }
  return rules;
}

/** The faults that apply to one method, in spec order. */
export function faultsFor(rules: FaultRule[], service: ServiceName, method: string): Fault[] {
  return rules
    .filter(
      (r) => r.service === service && (r.method === '*' || r.method.toLowerCase() === method.toLowerCase()),
    )
    .map((r) => r.fault);
}

/** Whether a fault with this rate fires now (`random` injectable for unit tests). */
export function fires(fault: Fault, random: () => number = Math.random): boolean {
  return fault.rate >= 1 || (fault.rate > 0 && random() < fault.rate);
}
