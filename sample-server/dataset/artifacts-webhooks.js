'use strict';
// Artifacts and webhook configs of the sample dataset.

const { hexId } = require('./random');

/** The artifact churn-dataset of ml-team's churn project, in two versions. */
function addArtifacts(data) {
  const churnProject = data.projects.find((p) => p.projectName === 'churn');
  data.artifacts.push({
    artifactId: hexId('artifact:ml-team/churn-dataset'),
    artifactName: 'churn-dataset',
    workspaceName: 'ml-team',
    projectId: churnProject.projectId,
    versions: [
      { versionId: hexId('artifact-version:churn-dataset/1.0.0'), version: '1.0.0', aliases: [], files: [
        { path: 'train.csv', content: Buffer.from('customer_id,tenure,monthly_charges,churn\n1,12,70.35,0\n2,2,99.65,1\n') },
        { path: 'README.md', content: Buffer.from('# churn-dataset 1.0.0\n') },
      ] },
      { versionId: hexId('artifact-version:churn-dataset/2.0.0'), version: '2.0.0', aliases: ['latest', 'production'], files: [
        { path: 'train.csv', content: Buffer.from('customer_id,tenure,monthly_charges,contract,churn\n1,12,70.35,monthly,0\n2,2,99.65,monthly,1\n3,60,20.1,two_year,0\n') },
        { path: 'test.csv', content: Buffer.from('customer_id,tenure,monthly_charges,contract,churn\n4,5,80.0,monthly,1\n') },
        { path: 'README.md', content: Buffer.from('# churn-dataset 2.0.0\n\nAdds the contract column.\n') },
      ] },
    ],
  });
}

/** The webhooks of each workspace: for every model (modelName null) or one. */
function addWebhooks(data) {
  data.webhooks['ml-team'] = [
    { modelName: null, webhookUrls: [{ url: 'https://hooks.example.com/comet/registry', header: { Authorization: 'secret_token', 'X-Team': 'ml-team' } }] },
    { modelName: 'churn-model', webhookUrls: [{ url: 'https://nodered.example.com/comet/registry', header: { Authorization: 'churn-hook-secret', Other: 'other_info' } }] },
  ];
  data.webhooks.research = [];
}

module.exports = { addArtifacts, addWebhooks };
