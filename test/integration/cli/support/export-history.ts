/**
 * Writes a workflow's history as JSON (the format `temporal workflow show -o json` writes), like a person exporting
 * one for `dtx replay --file`, from its own process: `node --require tsx/cjs export-history.ts <workflowId> <file>`.
 */
import * as fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '../../../../cli/history-json';
import { loadConfig } from '../../../../common/config';
import { temporalConnectionOptions } from '../../../../common/temporal';

async function main(): Promise<void> {
  const [workflowId, file] = process.argv.slice(2);
  const config = loadConfig();
  const connection = await Connection.connect(temporalConnectionOptions(config));
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    fs.writeFileSync(file, historyToJSON(await client.workflow.getHandle(workflowId).fetchHistory()));
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
