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
  actualWorkingDays: number | null; overdue: boolean | null;
}

export interface AuditRecord {
  instanceId: string; definitionId: string; processName: string | null; definitionVersion: number; status: string;
  correlationId: string | null; applicant: string | null; createdAt: string; finishedAt: string | null; exportedAt: string;
  entries: AuditRecordEntry[];
}

export interface JournalSnapshot {
  sequence: number; timestamp: string; eventName: string; activityId: string | null; actor: string | null; message: string | null;
  definitionVersion: number; status: string; position: string[]; completed: string[]; takenConnections: string[];
  variables: Record<string, unknown>; outputs: Record<string, unknown>;
}

export interface ReplayDifference { sequence: number; field: string; recorded: string | null; reproduced: string | null; message: string; }
export interface Verification {
  instanceId: string; isIntactAndReproducible: boolean; isIntact: boolean; isReproducible: boolean; verdict: string;
  hashChain: { entryCount: number; violations: { sequence: number; kind: string; message: string }[] };
  replay: { reproducible: boolean; entriesCompared: number; entriesReproduced: number; firstDifference: ReplayDifference | null;
    substitutedTypes: string[]; adoptedEntries: number[] } | null;
}

/** The parts of a serialized workflow definition the diagram needs. */
export interface DefinitionActivity { id: string; type: string; name?: string | null; metadata?: { designer?: { position?: { x: number; y: number } } } }
export interface DefinitionConnection { source: { activity: string; port: string }; target: { activity: string; port: string } }
export interface DefinitionJson { definitionId: string; name?: string; version?: number; root: { activities: DefinitionActivity[]; connections: DefinitionConnection[] } }
