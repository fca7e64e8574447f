/** The guided API's shapes (GET /v1/sop-runs/:id, docs/sop-format.md). */
export interface SopSummary { id: string; title: string; appliesWhen: string; stepCount: number }

export interface EvidenceFieldView { name: string; type: string; pattern?: string; label?: string }

export interface CurrentStep {
  stepId: string;
  kind: string;
  title: string;
  instructions: string;
  needs: 'answer' | 'evidence' | 'confirm' | 'event' | 'nothing';
  prompt?: string;
  form?: { input: string; type: string; options?: string[] };
  system?: string;
  hints?: string[];
  evidence?: EvidenceFieldView[];
  tool?: {
    name: string; title: string; readOnly: boolean; destructive: boolean;
    arguments?: Record<string, unknown>;
    preview?: unknown;
    previewError?: { code: string; message: string; reason?: string };
  };
  wait?: { event: string; when?: string; until?: string };
}

export interface SopRunView {
  id: string;
  sopId: string;
  title: string;
  status: 'running' | 'waiting' | 'completed' | 'failed' | 'canceled' | 'handed_off';
  customerId: string | null;
  conversationId: string | null;
  current: CurrentStep | null;
  inputs: Record<string, unknown>;
  completedSteps: string[];
  messages: { stepId: string; text: string; disclosures: string[] }[];
  notices: { stepId: string; message: string }[];
  refusals: { stepId: string; tool: string; reason?: string; message: string }[];
  compensations: { stepId: string; tool: string; ok: boolean; error?: string }[];
  failure: { stepId: string; message: string; code?: string; reason?: string } | null;
  handoff: { stepId: string; summary: string } | null;
  cancelReason: string | null;
  updatedAt: string;
}

export interface SopRunListItem { id: string; sopId: string; status: SopRunView['status']; currentStepId: string | null; conversationId: string | null; updatedAt: string }

export const RUN_STATUS_LABEL: Record<SopRunView['status'], string> = {
  running: 'In progress', waiting: 'Waiting for an event', completed: 'Completed', failed: 'Failed', canceled: 'Canceled', handed_off: 'Handed off to a person',
};
