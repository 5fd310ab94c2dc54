// Steps the end-to-end journeys share.

/** Binds the simulator's GitLab as alice with a personal access token, through Code Sources. */
export async function bindGitlabWithToken(s, gitlab, token) {
  await s.clickOn('[data-testid="nav-sources"]');
  await s.clickOn('[data-testid="bind-gitlab"]');
  await s.waitFor('[data-testid="bind-dialog"]');
  await s.fill('[data-testid="bind-dialog"] [data-testid="field-host"]', gitlab.base_url);
  await s.fill('[data-testid="bind-dialog"] [data-testid="field-username"]', "alice");
  await s.fill('[data-testid="bind-dialog"] [data-testid="field-token"]', token);
  await s.clickOn('[data-testid="bind-submit"]');
  await s.waitFor('[data-testid="toast"]');
}

/** The simulator's GitLab token that may use the API. */
export function gitlabApiToken(gitlab) {
  return gitlab.tokens.find((t) => t.scopes.includes("api")).value;
}
