/**
 * Workflow history ⇄ proto JSON (the format of `temporal workflow show -o json` and the UI's download).
 *
 * Why not @temporalio/common's historyFromJSON/historyToJSON: in this dependency tree @temporalio/common and
 * @temporalio/proto each get their own nested copy of protobufjs 8 (the root holds protobufjs 7 for
 * @grpc/proto-loader), so the SDK's converter rejects the proto types ("type must be a Type"). This uses the
 * protobufjs copy that @temporalio/proto's types were built with.
 */
import * as path from 'node:path';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';
import type { History } from '@temporalio/common/lib/proto-utils';

interface ProtoJson {
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
  toJson(type: unknown, message: unknown): unknown;
}

function protoJson(): ProtoJson {
  const protoPackageDir = path.dirname(require.resolve('@temporalio/proto/package.json'));
  const modulePath = require.resolve('protobufjs/ext/protojson', { paths: [protoPackageDir] });
  // resolved at run time against @temporalio/proto's own protobufjs (see the header); the module is untyped here
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(modulePath) as ProtoJson;
}

function historyType(): unknown {
  // patchProtobufRoot adds lookupType to the generated root; its typings do not declare it
  const root = patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown };
  return root.lookupType('temporal.api.history.v1.History');
}

/** A History from its proto JSON; throws TypeError when it is not one. */
export function historyFromJSON(json: unknown): History {
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { events?: unknown }).events)) {
    throw new TypeError('expected an object with an array of events');
  }
  const history = protoJson().fromJson(historyType(), json, { ignoreUnknownFields: true });
  if (history === null || history === undefined) throw new TypeError('not a workflow history');
  return history;
}

/** The proto JSON text of a History (as `temporal workflow show -o json` writes it). */
export function historyToJSON(history: History): string {
  const message = proto.temporal.api.history.v1.History.fromObject(history);
  return JSON.stringify(protoJson().toJson(historyType(), message), null, 2);
}
