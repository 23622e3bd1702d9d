/**
 * The bucket every file passes through, laid out as tasks/file-in-flight/bucket-layout.ts says: raw/ (uploads, the
 * source of truth), staging/ (claim-check objects between states), rejected/ (row numbers and reasons), content/
 * (markers of loaded contents). Staging and rejected-row reports expire as the layout says; the rest is kept.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { REJECTED_EXPIRY_DAYS, REJECTED_PREFIX, STAGING_EXPIRY_DAYS, STAGING_PREFIX } from '../../tasks/file-in-flight/bucket-layout';


export class DataBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      // S3 server access logging delivers only to SSE-S3 buckets.
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket itself; logging it into itself would loop.',
    });

    this.bucket = new s3.Bucket(this, 'Bucket', {
      eventBridgeEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'data-bucket/',
      lifecycleRules: [
        { id: 'expire-staging', prefix: STAGING_PREFIX, expiration: Duration.days(STAGING_EXPIRY_DAYS) },
        { id: 'expire-rejected', prefix: REJECTED_PREFIX, expiration: Duration.days(REJECTED_EXPIRY_DAYS) },
        {
          id: 'tidy-versions',
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
          expiredObjectDeleteMarker: true,
        },
      ],
      // Raw uploads are the source of truth: a `cdk destroy` must not take them with it.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** ARN pattern of every object under a prefix. */
  objectsUnder(prefix: string): string {
    return this.bucket.arnForObjects(`${prefix}*`);
  }
}
