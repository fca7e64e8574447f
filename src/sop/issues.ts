/** A problem found in an SOP file: where it is and what to do about it. */
export interface SopIssue {
  file: string;
  line: number;
  /** Stable code, e.g. `unknown_tool`, `unreachable_step`. */
  code: string;
  message: string;
}

export function formatIssue(i: SopIssue): string {
  return `${i.file}:${i.line}: ${i.message} [${i.code}]`;
}
