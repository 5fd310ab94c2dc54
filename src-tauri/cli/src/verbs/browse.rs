//! `codebind repos <id>` and `codebind orgs <id>`

use codebind_core::{Core, Error};

use crate::args::IdArgs;
use crate::output;

pub async fn repos(core: &Core, args: &IdArgs) -> Result<(), Error> {
    let repos = core.repos(&args.id).await?;
    if args.json {
        return output::json(&repos);
    }
    let rows: Vec<Vec<String>> = repos
        .iter()
        .map(|r| {
            let mut flags = vec![if r.private { "private" } else { "public" }];
            if r.in_subgroup {
                flags.push("subgroup: manual builds only");
            }
            vec![r.full_name.clone(), r.default_branch.clone().unwrap_or_default(), flags.join(", "), r.web_url.clone()]
        })
        .collect();
    output::table(&["REPOSITORY", "DEFAULT BRANCH", "FLAGS", "URL"], &rows);
    println!("{} repositories", repos.len());
    Ok(())
}

pub async fn orgs(core: &Core, args: &IdArgs) -> Result<(), Error> {
    let orgs = core.orgs(&args.id).await?;
    if args.json {
        return output::json(&orgs);
    }
    let rows: Vec<Vec<String>> = orgs
        .iter()
        .map(|o| {
            let access = serde_json::to_value(o.access).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            vec![o.login.clone(), o.kind.clone(), access, o.grant_url.clone().unwrap_or_default()]
        })
        .collect();
    output::table(&["LOGIN", "KIND", "ACCESS", "GRANT ACCESS AT"], &rows);
    Ok(())
}
