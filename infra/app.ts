/** The `cdk` entry point (cdk.json): `npx cdk synth`, `npx cdk deploy --outputs-file cdk-outputs.json`. */
import { buildApp } from './build-app';

buildApp().app.synth();
