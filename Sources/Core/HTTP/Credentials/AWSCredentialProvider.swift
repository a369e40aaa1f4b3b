/// Something that hands out AWS credentials to sign requests with: the environment, a profile of
/// `~/.aws/config`, STS, a `credential_process`, IAM Identity Center.
public protocol AWSCredentialProvider: Sendable { func credentials() async throws(ServiceError) -> AWSCredentials }
