// The auditor's views of the API (docs/designer-audit.md): search rows, the audit record, snapshots, the verdict.

export interface AuditInstanceRow {
  id: string; definitionId: string; processName: string | null; definitionVersion: number; status: string;
  correlationId: string | null; businessNumber?: string | null; summary?: string | null; applicant: string | null; applicantName: string | null; department: string | null;
  departmentName: string | null; createdAt: string; finishedAt: string | null; overdue: boolean;
}

export interface AuditRecordEntry {
  sequence: number; timestamp: string; event: string; what: string; activityId: string | null; activityName: string | null;
  activityType: string | null; actor: string | null; actorName: string | null; outcome: string | null; comment: string | null;
  inputs: unknown; outputs: unknown; message: string | null; limitWorkingDays: number | null; deadline: string | null;
  actualWorkingDays: number | null; overdue: boolean | null; outcomeName?: string | null;
}

export interface AuditRecord {
  instanceId: string; definitionId: string; processName: string | null; definitionVersion: number; status: string;
  correlationId: string | null; applicant: string | null; createdAt: string; finishedAt: string | null; exportedAt: string;
  entries: AuditRecordEntry[]; businessNumber?: string | null; applicantName?: string | null; applicantUnitName?: string | null;
}

export interface JournalSnapshot {
  sequence: number; timestamp: string; eventName: string; activityId: string | null; actor: string | null; message: string | null;
  definitionVersion: number; status: string; position: string[]; completed: string[]; takenConnections: string[];
  variables: Record<string, unknown>; outputs: Record<string, unknown>;
}

export interface ReplayDifference { sequence: number; field: string; recorded: string | null; reproduced: string | null; message: string; }
export interface IntegrityFinding { sequence: number | null; kind: string; message: string }
export interface RecordViolation { kind: string; kindName: string; recordId: string; sequence: number | null; change: string; message: string }
export interface SigningKeyUse { keyId: string; signatureAlgorithm: string; hashAlgorithm: string; trusted: boolean; checkpoints: number; firstSequence: number; lastSequence: number }
export interface IntegrityReport {
  records: { attested: number; legacy: number; kinds: { kind: string; name: string; rows: number }[]; violations: RecordViolation[]; passed: boolean; summary: string };
  signatures: { checkpoints: number; signedThrough: number; entries: number; keys: SigningKeyUse[]; violations: IntegrityFinding[]; notes: string[]; passed: boolean; summary: string };
  anchor: { configured: boolean; anchored: number; pending: number; violations: IntegrityFinding[]; passed: boolean; summary: string };
  passed: boolean;
}
/** One check of 验证 as the auditor reads it: chain, records, signatures, anchor, replay. */
export interface VerificationCheck { name: string; title: string; passed: boolean; summary: string; firstFailure: string | null; notes: string[] }
export interface Verification {
  instanceId: string; isIntactAndReproducible: boolean; isIntact: boolean; isReproducible: boolean; verdict: string;
  checks: VerificationCheck[];
  hashChain: { entryCount: number; violations: { sequence: number; kind: string; message: string }[] };
  integrity: IntegrityReport;
  replay: { reproducible: boolean; entriesCompared: number; entriesReproduced: number; firstDifference: ReplayDifference | null;
    substitutedTypes: string[]; adoptedEntries: number[] } | null;
}
export interface StreamVerification { stream: string; entries: number; passed: boolean; chain: IntegrityFinding[]; integrity: IntegrityReport }

/** The parts of a serialized workflow definition the diagram needs. */
export interface DefinitionActivity { id: string; type: string; name?: string | null; metadata?: { designer?: { position?: { x: number; y: number } } } }
export interface DefinitionConnection { source: { activity: string; port: string }; target: { activity: string; port: string } }
export interface DefinitionJson { definitionId: string; name?: string; version?: number; root: { activities: DefinitionActivity[]; connections: DefinitionConnection[] } }
