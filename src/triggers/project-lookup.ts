import { buildCall, type Values } from '../catalogue/call';
import { CATALOGUE } from '../catalogue/catalogue';
import type { CometClient, RequestOptions } from '../client/client';
import { CometError } from '../client/errors';
import type { Translate } from '../client/translate';
import type { ProjectRef } from './experiment-events';

const PROJECT = CATALOGUE['comet-get-projects'].operations.project;
const EXPERIMENTS = CATALOGUE['comet-query-project'].operations.experiments;

/** The watches' two calls about a project: who it is (once), and its experiments (each poll). */
export class ProjectLookup {
  constructor(
    private readonly client: CometClient,
    /** The project as the node names it: projectId, or projectName + workspace (checked by the glue). */
    private readonly project: Values,
    /** Reads the watch node's own catalog (`errors.unexpected`). */
    private readonly t: Translate,
  ) {}

  /** The project's id, name and workspace, whichever of them the node was given. */
  async lookUp(request: RequestOptions): Promise<ProjectRef> {
    const call = buildCall(PROJECT, this.project);
    const answer = (await this.client.json(call, request)) as Record<string, unknown> | null;
    const { projectId, projectName, workspaceName } = answer ?? {};
    if (typeof projectId !== 'string' || !projectId) throw this.unexpected(call.endpoint, 'projectId');
    return {
      projectId,
      projectName: typeof projectName === 'string' ? projectName : String(this.project.projectName ?? projectId),
      workspace: typeof workspaceName === 'string' ? workspaceName : String(this.project.workspace ?? ''),
    };
  }

  /** The project's experiments (archived ones are not in the list). */
  async experiments(project: ProjectRef, request: RequestOptions): Promise<unknown[]> {
    const call = buildCall(EXPERIMENTS, { projectId: project.projectId });
    const answer = await this.client.json(call, request);
    const items = (answer as { experiments?: unknown } | null)?.experiments;
    if (!Array.isArray(items)) throw this.unexpected(call.endpoint, 'experiments');
    return items;
  }

  unexpected(endpoint: string, field: string): CometError {
    return CometError.unexpectedAnswer(this.t('errors.unexpected', { endpoint, field }), { endpoint });
  }
}
