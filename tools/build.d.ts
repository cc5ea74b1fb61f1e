/** Types of tools/build.js (plain JavaScript: the dtx bin and start/start.sh run it before anything is compiled). */
export interface BuildOptions {
  /** The project to compile (default: this repository). */
  root?: string;
  /** Where to (default: <root>/dist). */
  outDir?: string;
  /** Also bundle the workflow code into <outDir>/workflow-bundle.js (default true). */
  bundle?: boolean;
}
export interface BuildResult {
  files: number;
  compiledMs: number;
  totalMs: number;
}
export interface SourceSignature {
  files: number;
  list: string;
  newestMtimeMs: number;
}
export function build(options?: BuildOptions): Promise<BuildResult>;
/** Why <outDir> cannot be used as is, or undefined when it is current. */
export function staleReason(root?: string, outDir?: string): string | undefined;
export function sourceFiles(root?: string): string[];
export function signature(root?: string): SourceSignature;
export const DIST: string;
export const STAMP: string;
export const WORKFLOW_BUNDLE: string;
