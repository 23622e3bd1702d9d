/**
 * The Standard state machine, loaded from statemachine.asl.json (the single source of truth, shared with the local
 * runner) with every `${Placeholder}` substituted. Standard, so failed executions can be re-driven. It touches no
 * queue: its failures reach the failure queue through the status-change rule (failure-notifications.ts).
 */
import * as path from 'node:path';
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledge, functionVersionsFinding, stackArnWildcardFinding } from './nag';
import { REPO_ROOT } from './task-function';

export const ASL_PATH = path.join(REPO_ROOT, 'statemachine.asl.json');

export interface PipelineProps {
  plan: lambda.IFunction;
  extract: lambda.IFunction;
  transform: lambda.IFunction;
  load: lambda.IFunction;
}

export class Pipeline extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  readonly stateMachineName: string;

  constructor(scope: Construct, id: string, props: PipelineProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // A known name lets the role allow the Distributed Map's child executions without a dependency cycle.
    const stateMachineName = `${stack.stackName}-pipeline`;
    this.stateMachineName = stateMachineName;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      // The /aws/vendedlogs/ prefix keeps CloudWatch Logs' resource policy small however many machines log.
      logGroupName: `/aws/vendedlogs/states/${stateMachineName}`,
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromFile(ASL_PATH),
      definitionSubstitutions: {
        PlanFunctionArn: props.plan.functionArn,
        ExtractFunctionArn: props.extract.functionArn,
        TransformFunctionArn: props.transform.functionArn,
        LoadFunctionArn: props.load.functionArn,
      },
      // Execution data would put file contents' pointers and error causes in logs; states carry no PII but
      // the history (kept by Step Functions itself) is the place to read inputs, not CloudWatch Logs.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });

    for (const fn of [props.plan, props.extract, props.transform, props.load]) {
      fn.grantInvoke(this.stateMachine);
      acknowledge(this.stateMachine, functionVersionsFinding(fn),
        'grantInvoke allows the function and its versions/aliases; the ASL invokes the unqualified ARN only.');
    }
    acknowledge(this.stateMachine, 'AwsSolutions-IAM5[Resource::*]',
      'Logging to CloudWatch Logs (logs:CreateLogDelivery and friends) and X-Ray tracing accept only "*".');
    // The Distributed Map runs each chunk as a child execution of this same state machine, and re-driving a
    // parent re-drives its map run's failed children.
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['states:StartExecution'],
        resources: [
          stack.formatArn({
            service: 'states',
            resource: 'stateMachine',
            resourceName: stateMachineName,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    this.stateMachine.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['states:DescribeExecution', 'states:StopExecution', 'states:RedriveExecution'],
        resources: [this.childExecutionsArn],
      }),
    );
    acknowledge(this.stateMachine, stackArnWildcardFinding(this, 'states', `execution:${stateMachineName}/*`),
      "The Distributed Map's child executions have generated names; the wildcard is limited to this machine's own.");
  }

  /** Every child execution of this machine's map runs: `execution:<name>/<map run label>:<id>`. */
  get childExecutionsArn(): string {
    return Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${this.stateMachineName}/*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }
}
