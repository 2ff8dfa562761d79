import { buildCall, type Values } from '../catalogue/call';
import { CATALOGUE } from '../catalogue/catalogue';
import type { CometClient, RequestOptions } from '../client/client';
import { CometError } from '../client/errors';
import type { Translate } from '../client/translate';
import type { TriggerMessage } from './event-id';
import {
  experimentChanges,
  experimentEventId,
  experimentMessage,
  experimentOfItem,
  rememberedForm,
  tellsRunState,
  type ExperimentEvent,
  type ExperimentSighting,
  type ProjectRef,
} from './experiment-events';
import type { MemoryStore } from './memory-store';
import { Remembered, type MemoryForm } from './remembered';

const PROJECT = CATALOGUE['comet-get-projects'].operations.project;
const EXPERIMENTS = CATALOGUE['comet-query-project'].operations.experiments;

export interface ExperimentWatchOptions {
  readonly client: CometClient;
  /** The project as the node names it: projectId, or projectName + workspace (checked by the glue). */
  readonly project: Values;
  /** Report the present state as changes at the first poll, when nothing is remembered. */
  readonly emitInitial: boolean;
  readonly store: MemoryStore;
  /** Reads the watch node's own catalog. */
  readonly t: Translate;
}

/** The kind of trigger in the ids of its changes. */
const TRIGGER = 'experiment-watch';

/** What one poll found, after it was saved. */
export interface ExperimentPollOutcome {
  readonly events: readonly ExperimentEvent[];
  /** The msgs to send, each with its eventId: any an earlier run kept and did not send, then one per event. */
  readonly messages: readonly TriggerMessage[];
  /** Nothing was remembered before this poll. */
  readonly first: boolean;
  readonly project: ProjectRef;
  readonly experiments: number;
  /** False when the list had experiments but none said whether it runs (an older server): only created and deleted are sent. */
  readonly tellsRunState: boolean;
}

/** The project's experiments as last seen, in the list's order. */
interface ExperimentMemory {
  readonly experiments: ReadonlyMap<string, ExperimentSighting>;
}

const EXPERIMENT_MEMORY: MemoryForm<ExperimentMemory> = {
  format: 1,
  write: (memory) => ({ experiments: [...memory.experiments.values()] }),
  read: (fields) => {
    const stored = fields.experiments as ExperimentSighting[];
    if (!Array.isArray(stored) || !stored.every((seen) => typeof seen?.experimentKey === 'string')) throw new TypeError('no experiments');
    return { experiments: new Map(stored.map((seen) => [seen.experimentKey, { ...seen }])) };
  },
};

/**
 * The experiment watch without Node-RED: each poll is one call, the
 * project's experiment list (after the project itself is looked up once, for
 * its id and name), whatever the number of experiments. The difference with
 * what it remembers becomes events; what it remembers is saved with the
 * events' msgs before they are handed out (triggers/remembered.ts), and a
 * poll that fails changes nothing.
 */
export class ExperimentWatch {
  private project: ProjectRef | undefined;
  private remembered: Remembered<ExperimentMemory> | undefined;

  constructor(private readonly options: ExperimentWatchOptions) {}

  async poll(request: RequestOptions): Promise<ExperimentPollOutcome> {
    this.project ??= await this.lookUpProject(request);
    const project = this.project;
    // Kept by project id: the same project named another way shares its memory and its changes' ids.
    const scope = JSON.stringify(['experiments', project.projectId]);
    this.remembered ??= new Remembered(this.options.store, scope, EXPERIMENT_MEMORY);
    const previous = await this.remembered.recall();
    const detectedAt = new Date().toISOString();
    const items = await this.listExperiments(project, request);

    const experiments = new Map<string, ExperimentSighting>();
    const events: ExperimentEvent[] = [];
    const report = !!previous || this.options.emitInitial;
    for (const seen of items.map(experimentOfItem)) {
      if (!seen || experiments.has(seen.experimentKey)) continue;
      experiments.set(seen.experimentKey, rememberedForm(seen));
      if (report) events.push(...experimentChanges(project, previous?.experiments.get(seen.experimentKey), seen, detectedAt));
    }
    for (const [key, before] of previous?.experiments ?? []) {
      if (!experiments.has(key)) events.push(...experimentChanges(project, before, undefined, detectedAt));
    }

    if (request.signal.aborted) throw request.signal.reason;
    const found = events.map((event) => experimentMessage(event, experimentEventId(TRIGGER, scope, event)));
    const messages = await this.remembered.keep({ experiments }, found);
    return { events, messages, first: !previous, project, experiments: experiments.size, tellsRunState: items.length === 0 || items.some(tellsRunState) };
  }

  /** The msgs of the last poll were handed on. */
  async sent(): Promise<void> {
    await this.remembered?.sent();
  }

  /** The project's id, name and workspace, whichever of them the node was given. */
  private async lookUpProject(request: RequestOptions): Promise<ProjectRef> {
    const call = buildCall(PROJECT, this.options.project);
    const answer = (await this.options.client.json(call, request)) as Record<string, unknown> | null;
    const { projectId, projectName, workspaceName } = answer ?? {};
    if (typeof projectId !== 'string' || !projectId) throw this.unexpected(call.endpoint, 'projectId');
    return {
      projectId,
      projectName: typeof projectName === 'string' ? projectName : String(this.options.project.projectName ?? projectId),
      workspace: typeof workspaceName === 'string' ? workspaceName : String(this.options.project.workspace ?? ''),
    };
  }

  /** The project's experiments (archived ones are not in the list: archiving one is its deletion here). */
  private async listExperiments(project: ProjectRef, request: RequestOptions): Promise<unknown[]> {
    const call = buildCall(EXPERIMENTS, { projectId: project.projectId });
    const answer = await this.options.client.json(call, request);
    const items = (answer as { experiments?: unknown } | null)?.experiments;
    if (!Array.isArray(items)) throw this.unexpected(call.endpoint, 'experiments');
    return items;
  }

  private unexpected(endpoint: string, field: string): CometError {
    return CometError.unexpectedAnswer(this.options.t('errors.unexpected', { endpoint, field }), { endpoint });
  }
}
