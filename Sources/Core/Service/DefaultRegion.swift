/// The AWS region engage uses when none is given (no `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION` or
/// profile setting), as the AWS CLI does for this service; the region the sandbox's ARNs name by default.
public let defaultRegion = "us-east-1"
