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
        case "EngagementArn", "OpportunityArn", "ResourceArn", "ResourceSnapshotArn", "ResourceSnapshotJobArn", "TaskArn": "an ARN (arn:...)"
        case "AwsAccount": "an AWS account id: 12 digits"
        case "CatalogIdentifier": "a catalog name made of letters, such as AWS or Sandbox"
        case "Amount", "MonetaryValueAmountString", "MonetaryAmount": "an amount: a whole number with at most 2 decimals and no leading zero, such as 1500.50"
        case "ContextIdentifier": "a context id: a whole number from 1, such as 1"
        case "Date": "a date written YYYY-MM-DD, such as 2026-03-31"
        case "DunsNumber": "a DUNS number: 9 digits"
        case "EngagementInvitationArnOrIdentifier": "an invitation id (engi- and 13 lowercase letters or digits) or an invitation ARN"
        case "EstimationUrl": "an AWS Pricing Calculator estimate link: https://calculator.aws/#/estimate?id= and 32 to 64 hex digits"
        case "AwsMarketplaceOfferIdentifier": "an AWS Marketplace offer ARN: arn:aws:aws-marketplace:REGION:ACCOUNT:AWSMarketplace/Offer/ID"
        case "AwsMarketplaceOfferSetIdentifier":
            "an AWS Marketplace offer set ARN: arn:aws:aws-marketplace:REGION:ACCOUNT:AWSMarketplace/OfferSet/offerset-ID"
        case "EngagementInvitationArn": "an invitation ARN: arn:aws:partnercentral::ACCOUNT:CATALOG/engagement-invitation/engi-ID"
        case "EngagementInvitationIdentifier": "an invitation id: engi- and 13 lowercase letters or digits"
        case "RejectionReasonString": "1 to 80 characters of text, without control characters or line breaks"
        case "ResourceSnapshotJobRoleArn": "an IAM role ARN: arn:aws:iam::ACCOUNT:role/NAME"
        case "ResourceTemplateName": "a template name of 3 to 80 letters or digits"
        case "SolutionArn": "a solution id: S- and 1 to 19 digits, such as S-1234567"
        case "TaskIdentifier": "a task id: task- and 13 lowercase letters or digits"
        case "OpportunityIdentifier", "ResourceIdentifier": "an opportunity id: O and 1 to 19 digits, such as O1234567"
        case "ResourceSnapshotJobIdentifier": "a snapshot job id: job- and 13 lowercase letters or digits"
        case "ResourceSnapshotJobRoleIdentifier": "an IAM role name or role ARN (arn:aws:iam::ACCOUNT:role/NAME)"
        case "SenderContactEmail": "an email address of at most 80 characters, such as jane@example.com"
        case "SolutionIdentifier": "a solution id: S- and 1 to 19 digits, such as S-1234567"
        case "TagKey": "a tag key of 1 to 128 letters, digits, spaces and _ . : / = + - @"
        case "TagValue": "a tag value of at most 256 letters, digits, spaces and _ . : / = + - @"
        case "TaggableResourceArn": "the ARN of a Partner Central resource: arn:aws:partnercentral:REGION:ACCOUNT:catalog/CATALOG/TYPE/ID"
        case "TaskArnOrIdentifier": "a task id (task- and 13 lowercase letters or digits) or a task ARN"
        default: nil
        }
    }
}
