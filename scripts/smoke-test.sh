#!/usr/bin/env bash
# The delivery pipeline's post-deploy check of one stage (infra/stacks/cafe-etl-pipeline-stack.ts), with the stage
# stack's outputs in the environment: upload one generated file with the project's CLI (`--target aws run`), which
# follows the execution the upload triggered and fails unless it SUCCEEDED, then count that file's transactions in
# the warehouse through the Data API (`--target aws query`) and compare with the rows generated.
# Runs as the stage's smoke-test role (SMOKE_TEST_ROLE_ARN), assumed from CodeBuild's container credentials; without
# that variable it uses whatever credentials the environment has (run by hand after a deploy).
set -euo pipefail
cd "$(dirname "$0")/.."

for name in BUCKET_NAME STATE_MACHINE_ARN FAILURE_QUEUE_URL STACK_REGION WORKGROUP_NAME DATABASE_NAME WAREHOUSE_SECRET_ARN COPY_ROLE_ARN; do
  if [ -z "${!name:-}" ]; then
    echo "smoke-test: $name is not set (the stage stack's outputs are passed in as environment variables)" >&2
    exit 2
  fi
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ -n "${SMOKE_TEST_ROLE_ARN:-}" ]; then
  # The AWS SDK assumes the role itself, from CodeBuild's own credentials (credential_source = EcsContainer).
  cat > "$work/aws-config" <<EOF
[profile smoke-test]
role_arn = ${SMOKE_TEST_ROLE_ARN}
credential_source = EcsContainer
role_session_name = cafe-etl-smoke-test
EOF
  export AWS_CONFIG_FILE="$work/aws-config" AWS_PROFILE=smoke-test
fi

# The outputs file `--target aws` reads, as `cdk deploy --outputs-file` would have written it.
node -e '
  const e = process.env;
  const outputs = { BucketName: e.BUCKET_NAME, StateMachineArn: e.STATE_MACHINE_ARN, FailureQueueUrl: e.FAILURE_QUEUE_URL,
    Region: e.STACK_REGION, WorkgroupName: e.WORKGROUP_NAME, DatabaseName: e.DATABASE_NAME,
    WarehouseSecretArn: e.WAREHOUSE_SECRET_ARN, CopyRoleArn: e.COPY_ROLE_ARN };
  require("fs").writeFileSync(process.argv[1], JSON.stringify({ CafeEtl: outputs }));
' "$work/cdk-outputs.json"
cli() { node bin/cafe-etl.cjs --target aws --aws-outputs "$work/cdk-outputs.json" --home "$work/home" "$@"; }

# Always the same content at the same key: a re-run replaces the file's own rows with the same rows, so the smoke test
# leaves one small file's rows in the warehouse however often it runs, under a branch of its own ("Smoke test", the
# standard layout's second column) rather than a real branch's name, so the trends can tell them apart.
ROWS=25
KEY="raw/smoke-test/smoke-test.csv"
node bin/cafe-etl.cjs --json generate --branches 1 --days 1 --rows "$ROWS" --bad-rows 0 --seed 15 --layout standard --out "$work/files" > "$work/generated.json"
generated="$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0].path)' "$work/generated.json")"
file="$work/smoke-test.csv"
sed -E 's/^([^,]*),[^,]*,/\1,Smoke test,/' "$generated" > "$file"

echo "smoke-test: uploading $ROWS rows to s3://$BUCKET_NAME/$KEY and following its execution"
cli run --key "$KEY" "$file"

counted="$(cli query --json "SELECT COUNT(*) AS transactions FROM cafe.transactions t JOIN cafe.loaded_files f ON f.file_id = t.file_id WHERE f.source_bucket = '$BUCKET_NAME' AND f.source_key = '$KEY'")"
transactions="$(node -e 'console.log(Number(JSON.parse(process.argv[1])[0].transactions))' "$counted")"
if [ "$transactions" != "$ROWS" ]; then
  echo "smoke-test: FAILED: the warehouse holds $transactions transactions of s3://$BUCKET_NAME/$KEY, not $ROWS" >&2
  exit 1
fi
echo "smoke-test: passed: the execution SUCCEEDED and the warehouse holds all $ROWS transactions of $KEY"
