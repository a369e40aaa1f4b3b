import Core
import Testing

/// The one retry policy the AWS transport and the Lua read-modify-write helpers share.
@Suite(.tags(.unit)) struct RetryPolicyTests {
    @Test func theLastErrorSaysHowManyAttemptsItTookAndKeepsItsFields() {
        let issue = ValidationExceptionError(fieldName: "Title", message: "too long", code: .invalidValue)
        let last = ServiceError(code: "ThrottlingException", message: "Rate exceeded", reason: .requestValidationFailed, errorList: [issue])
        let given = RetryPolicy.gaveUp(last, after: 3)
        #expect(given.code == "ThrottlingException")
        #expect(given.message == "Rate exceeded (gave up after 3 attempts)")
        #expect(given.reason == .requestValidationFailed)
        #expect(given.errorList == [issue])
    }

    @Test func aWaitIsNeverLongerThanTheBoundOfItsRetry() {
        let policy = RetryPolicy(maxAttempts: 8, baseDelay: .milliseconds(10), maxDelay: .milliseconds(500))
        #expect(policy.delay(beforeRetry: 1, random: 0.999) < .milliseconds(10))
        #expect(policy.delay(beforeRetry: 4, random: 0.5) == .milliseconds(40))
        #expect(policy.delay(beforeRetry: 12, random: 0.5) == .milliseconds(250))
    }
}
