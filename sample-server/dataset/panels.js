'use strict';
// Code panels of the sample dataset: panel templates, their instances in
// projects (with their viz stores) and the dashboards that hold them.

const { afterBase } = require('./clock');

/** A code panel template: JavaScript (`type` 'js') or Python ('py') code, the same CSS and HTML. */
function panelTemplate(templateId, ws, owner, templateName, type, scopeType, createdAt) {
  return {
    templateId, workspaceName: ws, owner, teamId: `${ws}-default`, templateName, queryBuilderId: '', scopeType,
    revisionId: createdAt + 86400, createdAt,
    code: {
      code: type === 'js' ? `// ${templateName}\nclass MyPanel extends Comet.Panel {\n  draw(experimentKeys) { this.drawMetrics(experimentKeys); }\n}\n` : '',
      css: '/** CSS **/',
      description: `${templateName} panel`,
      html: '<div id="chart-mount"></div>',
      defaultConfig: '""',
      internalResources: [
        { name: 'Comet SDK', version: 'latest', enabled: true },
        { name: 'Plotly.js', version: '1.50.1', enabled: true },
      ],
      userResources: [],
      pyCode: type === 'py' ? `## ${templateName}\nfrom comet_ml import API, ui\nui.display("${templateName}")\n` : '',
      type,
      pyConfig: '',
    },
  };
}

/** A dashboard template (a saved view) of `project`, showing the panels `panelIds`. */
function dashboard(templateId, templateName, project, createdBy, panelIds) {
  return {
    templateId, templateName, projectId: project.projectId, projectName: project.projectName, workspaceName: project.workspaceName, createdBy,
    codePanelTemplateIds: panelIds,
  };
}

/** Three panel templates, two instances of them in churn, and a dashboard each in churn, fraud and vision. */
function addPanels(data) {
  const projectNamed = (name) => data.projects.find((p) => p.projectName === name);
  const churnProject = projectNamed('churn');
  data.panels.push(
    panelTemplate('SzUYHmX7hnR7KrLzU1tBrHilq', 'ml-team', 'ada', 'Loss Curves', 'js', 'PUBLIC', afterBase(1)),
    panelTemplate('DyfpvKGZJvrtY1jjsYuMmLgz5', 'ml-team', 'ada', 'Confusion Explorer', 'py', 'PRIVATE', afterBase(2)),
    panelTemplate('Rk2mWq8ZtY4vBn6Hc1LpXs3Df', 'research', 'grace', 'Attention Maps', 'py', 'PRIVATE', afterBase(3)),
  );
  data.panelInstances.push(
    { instanceId: 'Qm7nT2wXc9ZbV4kL8pRs1JdYe', templateId: 'SzUYHmX7hnR7KrLzU1tBrHilq', projectId: churnProject.projectId, store: { smoothing: 0.6, metric: 'val_loss', xAxis: 'step' } },
    { instanceId: 'Hx3cV9nB2mQ7wE5rT1yU8iOpL', templateId: 'DyfpvKGZJvrtY1jjsYuMmLgz5', projectId: churnProject.projectId, store: { normalize: true, labels: ['stay', 'churn'] } },
  );
  const visionProject = projectNamed('vision');
  const fraudProject = projectNamed('fraud');
  data.dashboards.push(
    dashboard('ipPl7zaLAX9aNa9bwoCaY6HBi', 'Churn overview', churnProject, 'ada', ['SzUYHmX7hnR7KrLzU1tBrHilq', 'DyfpvKGZJvrtY1jjsYuMmLgz5']),
    dashboard('owner-unsaved-' + fraudProject.projectId, 'Fraud triage', fraudProject, 'ada', []),
    dashboard('Vc8bN3mK5jH2gF9dS4aP7lQwZ', 'Backbone comparison', visionProject, 'grace', ['Rk2mWq8ZtY4vBn6Hc1LpXs3Df']),
  );
}

module.exports = { addPanels };
