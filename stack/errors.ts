/** Typed failures of the stack manager; each message tells the user what to do next. */

/** Base class: the CLI prints `message` without a stack trace. */
export class StackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A program the stack needs is not installed. */
export class MissingToolError extends StackError {
  constructor(
    readonly tool: string,
    readonly howToInstall: string,
  ) {
    super(`${tool} is not installed (not found on PATH). Install it: ${howToInstall}`);
  }
}

/** A port the stack wants is held by a process the stack did not start. */
export class PortBusyError extends StackError {
  constructor(
    readonly port: number,
    readonly role: string,
    readonly owner: string | undefined,
    readonly envVarHint: string,
  ) {
    super(
      `port ${port} (${role}) is already in use by ${owner ?? 'a process that could not be identified'}, ` +
        `which this stack did not start. Stop that process, or move dtx's ${role} with ${envVarHint}.`,
    );
  }
}

/** A component did not answer in time (or exited while starting). */
export class NotReadyError extends StackError {
  constructor(
    readonly component: string,
    readonly logFile: string,
    reason: string,
    logTail: string[],
  ) {
    const tail = logTail.length > 0 ? `\n  last lines of ${logFile}:\n    ${logTail.join('\n    ')}` : '';
    super(`${component} ${reason}; see its log ${logFile}${tail}`);
  }
}

/** Fetching or building a tool failed; nothing was installed. */
export class InstallError extends StackError {
  constructor(what: string, reason: string, outputTail: string[], hint?: string) {
    const tail = outputTail.length > 0 ? `\n  last output:\n    ${outputTail.join('\n    ')}` : '';
    super(`${what} failed: ${reason}${hint ? `\n  hint: ${hint}` : ''}${tail}`);
  }
}
