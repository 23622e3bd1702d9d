/**
 * The Standard state machine, loaded from statemachine.asl.json (the single source of truth, shared with the local
 * runner) with every `${Placeholder}` substituted. Standard, so failed executions can be re-driven. The one queue it
 * sends to is the load queue (Load's request and task token); its failures reach the failure queue through the
 * status-change rule (failure-notifications.ts), never from the state machine.
 */
import * as path from 'node:path';
import { ArnFormat, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
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
  /** Where Load sends each request with its task token (the batch loader's queue). */
  loadQueue: sqs.IQueue;
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
        LoadQueueUrl: props.loadQueue.queueUrl,
      },
      // Execution data would put file contents' pointers and error causes in logs; states carry no PII but
      // the history (kept by Step Functions itself) is the place to read inputs, not CloudWatch Logs.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });

    for (const fn of [props.plan, props.extract, props.transform]) {
      fn.grantInvoke(this.stateMachine);
      acknowledge(this.stateMachine, functionVersionsFinding(fn),
        'grantInvoke allows the function and its versions/aliases; the ASL invokes the unqualified ARN only.');
    }
    // sqs:SendMessage on the load queue only, the one action the sqs:sendMessage integration needs (SSE-SQS: no key to
    // grant); grantSendMessages would add GetQueueAttributes and GetQueueUrl, which nothing here calls.
    this.stateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.loadQueue.queueArn] }));
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

/** What answers a task token of this state machine: SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat. */
export const TASK_RESPONSE_ACTIONS = ['states:SendTaskSuccess', 'states:SendTaskFailure', 'states:SendTaskHeartbeat'];

/**
 * Lets `role` answer this state machine's task tokens and nothing else: the resource of these actions is the state
 * machine's ARN (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsstepfunctions.html).
 */
export function grantTaskResponse(pipeline: Pipeline, role: iam.IRole): void {
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: TASK_RESPONSE_ACTIONS, resources: [pipeline.stateMachine.stateMachineArn] }));
}
