// Shapes of the Host's answers (docs/api.md).

export type Level = 'Normal' | 'Yellow' | 'Red' | 'Stopped' | 'Paused';

export interface Unit { id: string; name: string; kind: string; kindName?: string; parentId: string | null; regionCode: string; regionName?: string | null; creditCode?: string | null; isActive?: boolean; }
export interface Me {
  id: string; displayName: string; title?: string | null; phone?: string | null; email?: string | null;
  unit: Unit; roles: { role: string; name: string; orgUnitId: string }[]; scope: 'all' | 'county' | 'unit'; isPlatformAdmin: boolean;
  /** What the session must do first: 'password_change_required' | 'password_expired' | 'second_factor_enrolment_required'. */
  pending?: string | null; secondFactorEnrolled?: boolean; secondFactorRequired?: boolean;
}

export interface TaskView {
  id: string; instanceId: string; activityId: string; definitionId: string; processName: string | null; title: string;
  status: string; signerKind: string; approvalMode: string; assigneeId: string | null; ownerId: string | null;
  delegationState: string | null; orgUnitId: string | null; initiatorId: string | null; vote: string | null; outcome: string | null;
  comment: string | null; completedBy: string | null; completedAt: string | null; dueAt: string | null; yellowAt: string | null;
  level: Level | null; extensionPending: boolean; assignmentNote: string | null; urgeCount: number; createdAt: string;
  /** The case's labels (docs/api.md): 业务编号 (null while a draft), applicant unit, summary. */
  businessNumber?: string | null; applicantOrgUnitId?: string | null; applicantOrgUnitName?: string | null; summary?: string | null; isDraft?: boolean;
}

export interface ClockStatus {
  level: Level; deadline: string; usedWorkingDays: number; remainingWorkingDays: number; overdueWorkingDays: number;
  isOverdue: boolean; explanation: string; provisionalYears: number[];
}

export interface CurrentStep {
  taskId: string; activityId?: string; title: string; status?: string; assigneeId: string | null; assigneeName?: string | null;
  candidates?: ({ id: string; displayName: string } | string)[]; orgUnitId?: string | null; orgUnitName?: string | null;
  dueAt: string | null; level: Level | null; deadline?: ClockStatus | null;
}

export interface TaskActionView { id: string; taskId: string; action: string; actor: string; actorName?: string | null; at: string; comment: string | null; }
export interface AttachmentView { id: string; instanceId: string; taskId: string | null; fileName: string; contentType: string; size: number; sha256: string; uploadedBy: string; uploadedByName?: string | null; uploadedAt: string; }
export interface ExchangeStep { activityId: string; activityType: string; name: string; status: 'Done' | 'Waiting' | 'Running' | 'Faulted'; message: string | null; at: string | null; }

export type ProgressState = 'done' | 'current' | 'rejected' | 'returned' | 'failed' | 'pending' | 'skipped';
export interface ProgressStep { activityId: string; name: string; kind: 'human' | 'platform'; state: ProgressState; people: string[]; orgUnitName: string | null; at: string | null; dueAt: string | null; comment: string | null; }
export interface NextStep { activityId: string; name: string; candidates: string; conditional: boolean; }
export interface ProgressView { steps: ProgressStep[]; next: NextStep[]; }

export interface ApplicationView {
  instanceId: string; definitionId: string; processName: string; status: string; createdAt: string; finishedAt: string | null;
  isDraft?: boolean; currentSteps: (CurrentStep & { holders?: string[] })[]; businessNumber?: string | null; summary?: string | null; dueAt?: string | null;
}

export interface ApplicationDetail {
  instanceId: string; definitionId: string; processName: string; definitionVersion: number; status: string; isDraft: boolean;
  applicant: { id: string; displayName: string; orgUnitId: string; orgUnitName: string };
  input: Record<string, unknown>; form: Record<string, unknown>; formId: string | null; createdAt: string; finishedAt: string | null;
  currentSteps: CurrentStep[]; caseClock: ClockStatus | null; steps: TaskView[]; history: TaskActionView[];
  attachments: AttachmentView[]; exchange: ExchangeStep[]; availableActions?: string[];
  children?: { instanceId: string; definitionId: string; processName: string | null; status: string; createdAt: string }[];
  businessNumber?: string | null; summary?: string | null; progress?: ProgressView | null;
}

export interface TaskDetail {
  task: TaskView; application: ApplicationDetail; formId: string | null; form: Record<string, unknown>;
  fieldPermissions: { default: string; fields: Record<string, string> } | null; deadline: ClockStatus | null; availableActions: string[];
}

export interface ProcessInfo { definitionId: string; name: string; description: string | null; version: number; formId: string | null; formTitle: string | null; applicantStep: string | null; inputKeys: string[]; }

export interface CatalogSummary {
  entryId: string; versionId: string; number: number; status: string; statusName: string; resourceCode: string; resourceName: string;
  classificationCode: string; providerOrgUnitId: string; providerName: string; shareType: number; formatCategory: string;
  updateCycle: string; updatedAt: string; publishedAt: string | null; publishDate?: string | null;
}
export interface CatalogVersion extends CatalogSummary { formVersion: number; data: Record<string, unknown>; items: Record<string, unknown>[]; returnProblems: string | null; revisionReason: string | null; updateDueAt: string | null; }
export interface CatalogEntryDetail { entryId: string; resourceCode: string; providerOrgUnitId: string; providerName: string; createdAt: string; published: CatalogVersion | null; inProgress: CatalogVersion | null; versions: CatalogSummary[]; mounts: Record<string, unknown>[]; }

export interface CopyView {
  id: string; instanceId: string; taskId: string; title: string; copiedBy: string; copiedByName?: string | null; note: string | null; createdAt: string; readAt: string | null;
  processName?: string | null; businessNumber?: string | null; applicantOrgUnitName?: string | null; summary?: string | null; dueAt?: string | null;
}

export interface NotificationView { id: string; type: string; title: string; body: string; instanceId: string | null; taskId: string | null; createdAt: string; readAt: string | null; }
export interface NotificationPage { items: NotificationView[]; total: number; unread: number; }

export interface AssignableUser { id: string; displayName: string; orgUnitId: string; orgUnitName: string | null; title: string | null; roles: string[]; }
export interface AssignableUnit { id: string; name: string; kind: string; parentId: string | null; }
export interface AssignableUsersPage { items: AssignableUser[]; total: number; page: number; pageSize: number; units: AssignableUnit[]; }
export interface UnitOption { id: string; name: string; kind: string; kindName: string; parentId: string | null; regionCode: string; regionName: string | null; }
export interface DefinitionSummary { definitionId: string; name: string | null; version: number; isPublished: boolean; }
export interface Counts { todo: number; claimable: number; yellow: number; red: number; unreadCopies: number; openApplications: number; }

export interface UserView { id: string; displayName: string; orgUnitId: string; orgUnitName: string; title: string | null; phone: string | null; email: string | null; isActive: boolean; lockedUntil: string | null; createdAt: string; roles: string[];
  mustChangePassword?: boolean; secondFactorEnrolled?: boolean; }
export type { Page } from './api';
