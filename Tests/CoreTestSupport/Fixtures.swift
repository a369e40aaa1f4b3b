import OrderedJSON

/// Valid requests, each field filled with a plausible value; tests change one thing at a time.
public enum Fixtures {
    public static let leadInteraction: JSONValue = [
        "SourceType": "Event",
        "SourceId": "evt-2025-001",
        "SourceName": "AWS Summit Seattle",
        "Usecase": "Database migration",
        "InteractionDate": "2025-06-30T14:05:09.123456789Z",
        "CustomerAction": "Asked for a migration workshop",
        "BusinessProblem": "Runs 40 self-managed databases and wants managed services.",
        "Contact": [
            "BusinessTitle": "CTO",
            "Email": "jane.doe@acme.example",
            "FirstName": "Jane",
            "LastName": "Doe",
            "Phone": "+14155550100",
        ],
    ]

    public static let leadCustomer: JSONValue = [
        "Industry": "Retail",
        "CompanyName": "Acme Corp",
        "WebsiteUrl": "https://www.acme.example",
        "Address": [
            "City": "Seattle",
            "PostalCode": "98101",
            "StateOrRegion": "Washington",
            "CountryCode": "US",
        ],
        "AwsMaturity": "Early",
        "MarketSegment": "Large",
    ]

    /// CreateEngagementContext with a Lead payload.
    public static let createLeadContext: JSONValue = [
        "Catalog": "Sandbox",
        "EngagementIdentifier": "eng-0123456789abcd",
        "ClientToken": "3f6c2a10-6b0e-4c5e-9a55-6f1f8f1d2b7e",
        "Type": "Lead",
        "Payload": ["Lead": ["QualificationStatus": "Qualified", "Customer": leadCustomer, "Interactions": [leadInteraction]]],
    ]

    /// UpdateEngagementContext appending one interaction.
    public static let updateLeadContext: JSONValue = [
        "Catalog": "Sandbox",
        "EngagementIdentifier": "eng-0123456789abcd",
        "ContextIdentifier": "1",
        "EngagementLastModifiedAt": "2025-07-01T08:00:00.000001Z",
        "Type": "Lead",
        "Payload": ["Lead": ["Customer": leadCustomer, "Interaction": leadInteraction]],
    ]

    public static let customerProjectContext: JSONValue = [
        "Type": "CustomerProject",
        "Payload": [
            "CustomerProject": [
                "Customer": [
                    "Industry": "Healthcare",
                    "CompanyName": "Örebro Vård AB",
                    "WebsiteUrl": "orebrovard.example",
                    "CountryCode": "SE",
                ],
                "Project": [
                    "Title": "Imaging archive on S3",
                    "BusinessProblem": "Ten years of scans sit on tape and take days to restore.",
                    "TargetCompletionDate": "2026-03-31",
                ],
            ],
        ],
    ]

    /// CreateEngagement with one CustomerProject context.
    public static let createEngagement: JSONValue = [
        "Catalog": "Sandbox",
        "ClientToken": "c0ffee00-0000-4000-8000-000000000001",
        "Title": "Acme data platform",
        "Description": "Joint engagement for Acme's move to managed databases.",
        "Contexts": [customerProjectContext],
    ]

    public static let listEngagements: JSONValue = [
        "Catalog": "Sandbox",
        "ContextTypes": ["Lead"],
        "Sort": ["SortOrder": "DESCENDING", "SortBy": "CreatedDate"],
        "MaxResults": 20,
        "EngagementIdentifier": ["eng-0123456789abcd"],
    ]
}
