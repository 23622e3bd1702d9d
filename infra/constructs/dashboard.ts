/**
 * One dashboard: the native AWS/States execution metrics beside the pipeline's own per-state metrics
 * (namespace CafeEtl, dimension State, published by every task in Embedded Metric Format).
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export const METRICS_NAMESPACE = 'CafeEtl';
export const STATE_METRICS = ['Invocations', 'Errors', 'DurationMs', 'RowsIn', 'RowsOut', 'RowsRejected', 'BytesRead'] as const;

const PERIOD = Duration.minutes(5);

export class PipelineDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: { stateMachine: sfn.IStateMachine; dashboardName: string }) {
    super(scope, id);
    const sm = props.stateMachine;
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Executions (AWS/States)',
        width: 12,
        left: [
          sm.metricStarted({ period: PERIOD }),
          sm.metricSucceeded({ period: PERIOD }),
          sm.metricFailed({ period: PERIOD }),
          sm.metricTimedOut({ period: PERIOD }),
          sm.metricAborted({ period: PERIOD }),
        ],
      }),
      new cloudwatch.GraphWidget({
        title: 'Execution time (AWS/States, p50 / p90)',
        width: 12,
        left: [sm.metricTime({ period: PERIOD, statistic: 'p50' }), sm.metricTime({ period: PERIOD, statistic: 'p90' })],
      }),
    );
    // SEARCH draws one line per State value, whatever other dimensions (Powertools' `service`) ride along.
    this.dashboard.addWidgets(
      ...STATE_METRICS.map(
        (name) =>
          new cloudwatch.GraphWidget({
            title: `${name} by state (${METRICS_NAMESPACE})`,
            width: 8,
            left: [
              new cloudwatch.MathExpression({
                expression: `SEARCH('Namespace="${METRICS_NAMESPACE}" MetricName="${name}" State', '${name === 'DurationMs' ? 'Average' : 'Sum'}', ${PERIOD.toSeconds()})`,
                label: '',
                period: PERIOD,
              }),
            ],
          }),
      ),
    );
  }
}
