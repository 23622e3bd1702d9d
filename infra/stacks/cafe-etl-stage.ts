/** One deployment of the app by the delivery pipeline: the CafeEtl stack in that stage's account and region. */
import { Stage, type StageProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { CafeEtlStack, type CafeEtlStackProps } from './cafe-etl-stack';

export const STAGE_STACK_ID = 'CafeEtl';

export interface CafeEtlStageProps extends StageProps {
  stack: Omit<CafeEtlStackProps, 'env'>;
}

export class CafeEtlStage extends Stage {
  readonly stack: CafeEtlStack;

  constructor(scope: Construct, id: string, props: CafeEtlStageProps) {
    super(scope, id, props);
    // Deployed as `<Stage>-CafeEtl`: its state machine, workgroup and dashboard are named after it, so both stages
    // fit in one account and region.
    this.stack = new CafeEtlStack(this, STAGE_STACK_ID, props.stack);
  }
}
