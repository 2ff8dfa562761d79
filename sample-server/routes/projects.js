'use strict';
// Workspaces, the account and projects: who the key belongs to, what it may
// see, and the project records (the list, the paged and sorted list of the
// projects page, one project, its notes and share links).

const { json, flag, workspace, project } = require('./common');

function projectView(ctx, p) {
  return {
    projectId: p.projectId,
    projectName: p.projectName,
    ownerUserName: p.ownerUserName,
    projectDescription: p.projectDescription,
    workspaceName: p.workspaceName,
    public: p.public, // real servers say `public`; the docs say `isPublic`
    numberOfExperiments: ctx.data.projectExperiments(p.projectId).length,
    lastUpdated: p.lastUpdated,
  };
}

const PAGE_SORT_KEYS = { projectName: 'projectName', name: 'projectName', created_at: 'createdAt', createdAt: 'createdAt', lastUpdated: 'lastUpdated' };

/** The workspace's projects as the projects page filters and sorts them (before paging). */
function pageRows(q, all) {
  let rows = all.slice();
  if (q.owner) rows = rows.filter((p) => p.ownerUserName === q.owner);
  if (q.public !== undefined && q.public !== '') rows = rows.filter((p) => p.public === flag(q.public));
  if (flag(q.starterProject)) rows = [];
  if (q.search) {
    const s = q.search.toLowerCase();
    rows = rows.filter((p) => p.projectName.toLowerCase().includes(s) || p.projectDescription.toLowerCase().includes(s));
  }
  const sortKey = PAGE_SORT_KEYS[q.sort] || 'lastUpdated';
  const desc = (q.order || (q.sort ? 'asc' : 'desc')).toLowerCase() === 'desc';
  rows.sort((a, b) => (a[sortKey] < b[sortKey] ? -1 : a[sortKey] > b[sortKey] ? 1 : 0) * (desc ? -1 : 1));
  return rows;
}

function pageRow(ctx, p, total, filtered) {
  return {
    projectId: p.projectId,
    userName: p.ownerUserName,
    projectName: p.projectName,
    projectDesc: p.projectDescription,
    generalProject: false,
    totalRowCount: String(total),
    filteredRowCount: String(filtered),
    experimentCount: ctx.data.projectExperiments(p.projectId).length,
    imagePath: `https://s3.amazonaws.com/comet.ml/${(parseInt(p.projectId.slice(0, 2), 16) % 8) + 1}.png`,
    isPublic: p.public,
    teamId: `${p.workspaceName}-default`,
    created_at: p.createdAt,
    lastUpdated: p.lastUpdated,
    lastUpdatedByUser: p.lastUpdated - 3600 * 1000,
    isStarterProject: false,
    teamName: p.workspaceName,
    isInProjectTeam: p.ownerUserName !== ctx.user.userName,
    owner: p.ownerUserName === ctx.user.userName,
    canEdit: true,
  };
}

const routes = {
  'GET workspaces': (ctx) => json({ workspaceNames: (ctx.user.workspaces || ctx.data.workspaces).slice() }),

  'GET account-details': (ctx) => json({ userName: ctx.user.userName, defaultWorkspaceName: ctx.user.defaultWorkspaceName }),

  'GET projects': (ctx) => {
    const ws = workspace(ctx);
    return json({ projects: ctx.data.projects.filter((p) => p.workspaceName === ws).map((p) => projectView(ctx, p)) });
  },

  'GET projects/page': (ctx) => {
    const ws = workspace(ctx);
    const q = ctx.query;
    const all = ctx.data.projects.filter((p) => p.workspaceName === ws);
    const rows = pageRows(q, all);
    const offset = Math.max(0, parseInt(q.offset || '0', 10) || 0);
    const count = Math.max(0, parseInt(q.count || '10', 10) || 10);
    const filtered = rows.length;
    return json({
      rows: rows.slice(offset, offset + count).map((p) => pageRow(ctx, p, all.length, filtered)),
      filteredRowCount: filtered,
      totalRowCount: all.length,
    });
  },

  'GET project': (ctx) => json(projectView(ctx, project(ctx))),

  'GET project/notes': (ctx) => json({ notes: project(ctx).notes }),

  'GET project/get-project-share-links': (ctx) => json({ shareCodes: project(ctx).shareCodes.slice() }),
};

module.exports = { routes };
