/// What a value of a pattern-constrained shape looks like, in words, for validation messages. Shapes
/// missing here are described by their pattern.
enum FormatDescription {
    static func of(shape name: String) -> String? {
        switch name {
        case "Email": "an email address of at most 80 characters, such as jane@example.com"
        case "PhoneNumber": "a phone number in E.164 form: + and up to 15 digits, such as +14155550100"
        case "CompanyWebsiteUrl": "a website address of 4 to 255 characters, such as https://www.example.com"
        case "EngagementCustomerProjectDetailsTargetCompletionDateString": "a date written YYYY-MM-DD, such as 2026-03-31"
        case "EngagementIdentifier": "an engagement id: eng- and 14 lowercase letters or digits"
        case "EngagementArnOrIdentifier": "an engagement id (eng- and 14 lowercase letters or digits) or an engagement ARN"
        case "EngagementArn": "an ARN (arn:...)"
        case "AwsAccount": "an AWS account id: 12 digits"
        case "CatalogIdentifier": "a catalog name made of letters, such as AWS or Sandbox"
        default: nil
        }
    }
}
