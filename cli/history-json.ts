/**
 * Workflow history ⇄ proto JSON (the format of `temporal workflow show -o json` and the UI's download): the SDK's own
 * converter. @temporalio/common exports it only from this module path (the one Temporal's replay docs use, not its
 * package root), so this is the one place that imports it; everything else imports it from here.
 */
export { historyFromJSON, historyToJSON, type History } from '@temporalio/common/lib/proto-utils';
