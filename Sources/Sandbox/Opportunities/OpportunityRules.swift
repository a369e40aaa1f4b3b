import Core
import Foundation

/// The sandbox's business rules for opportunities, as tables: what each review status lets the partner
/// change, the members AWS locks, the documented rules on single members and what a submission needs.
/// docs/sandbox.md states each rule and where it comes from.
enum OpportunityRules {
    /// What an UpdateOpportunity (or an association) may change while the opportunity has a review status.
    enum Editing {
        case everything
        /// Nothing: the reason says why, for the error.
        case nothing(String)
        /// Only these member paths (list positions left out).
        case only(Set<String>, String)
        /// Everything but these member paths.
        case allBut(Set<String>, String)
    }

    /// The members the model's documentation of `LifeCycle.ReviewStatus` lists as editable in Action Required;
    /// its `Project.ExpectedMonthlyAWSRevenue` is the model's `Project.ExpectedCustomerSpend`.
    static let editableInActionRequired: Set<String> = [
        "Customer.Account.Address.City", "Customer.Account.Address.CountryCode", "Customer.Account.Address.PostalCode",
        "Customer.Account.Address.StateOrRegion", "Customer.Account.Address.StreetAddress", "Customer.Account.WebsiteUrl",
        "LifeCycle.TargetCloseDate", "Project.ExpectedCustomerSpend.Amount", "Project.ExpectedCustomerSpend.CurrencyCode",
        "Project.CustomerBusinessProblem", "PartnerOpportunityIdentifier",
    ]

    /// The members AWS's Partner Central guide says cannot change once AWS approved the opportunity.
    static let lockedWhenApproved: Set<String> = [
        "Customer.Account.Address.CountryCode", "Customer.Account.Address.PostalCode", "Customer.Account.Industry",
        "Customer.Account.WebsiteUrl", "Project.CustomerBusinessProblem", "PartnerOpportunityIdentifier", "Project.Title",
    ]

    /// The model's documentation of `LifeCycle.ReviewStatus`, status by status.
    static func editing(reviewStatus: String) -> Editing {
        switch reviewStatus {
        case "Submitted": .nothing("LifeCycle.ReviewStatus is Submitted: the opportunity is read-only until AWS's review sets Approved or Action Required")
        case "In review": .nothing("LifeCycle.ReviewStatus is In review: the opportunity is read-only while AWS validates it")
        case "Rejected": .nothing("LifeCycle.ReviewStatus is Rejected: a rejected opportunity is final and read-only")
        case "Action Required": .only(editableInActionRequired, "LifeCycle.ReviewStatus is Action Required: only the members AWS asks about may change")
        case "Approved": .allBut(lockedWhenApproved, "LifeCycle.ReviewStatus is Approved: AWS locks this member once it approved the opportunity")
        default: .everything
        }
    }

    /// Stages after which the opportunity is read-only (AWS's Partner Central guide: a launched or closed-lost
    /// opportunity cannot be updated).
    static let finalStages: Set<String> = ["Launched", "Closed Lost"]

    /// The issues of changing `changed` paths of an opportunity in `reviewStatus` at `stage`; empty when allowed.
    static func editingIssues(changed: [String], reviewStatus: String, stage: String?) -> [ValidationExceptionError] {
        guard !changed.isEmpty else { return [] }
        if let stage, finalStages.contains(stage) {
            return changed.map {
                ValidationExceptionError(fieldName: $0, message: "LifeCycle.Stage is \(stage): the opportunity is read-only", code: .invalidResourceState)
            }
        }
        switch editing(reviewStatus: reviewStatus) {
        case .everything:
            return []
        case .nothing(let reason):
            return changed.map { ValidationExceptionError(fieldName: $0, message: reason, code: .invalidResourceState) }
        case .only(let allowed, let reason):
            return changed.filter { !allowed.contains(OpportunityRecord.withoutPositions($0)) }
                .map { ValidationExceptionError(fieldName: $0, message: reason, code: .actionNotPermitted) }
        case .allBut(let locked, let reason):
            return changed.filter { path in
                let bare = OpportunityRecord.withoutPositions(path)
                return locked.contains { bare == $0 || bare.hasPrefix($0 + ".") || $0.hasPrefix(bare + ".") }
            }.map { ValidationExceptionError(fieldName: $0, message: reason, code: .actionNotPermitted) }
        }
    }

    /// The rules the model's documentation states on single members, checked on the record a write would
    /// store. `previous` is the stored record on an update: a TargetCloseDate already stored may stay in the past.
    static func memberIssues(_ record: JSONValue.Members, previous: JSONValue.Members?, today: String) -> [ValidationExceptionError] {
        var issues: [ValidationExceptionError] = []
        func refuse(_ field: String, _ message: String, _ code: ValidationExceptionErrorCode = .invalidValue) {
            issues.append(ValidationExceptionError(fieldName: field, message: message, code: code))
        }
        let object = JSONValue.object(record)
        let lifeCycle = object["LifeCycle"]
        if let close = lifeCycle?["TargetCloseDate"]?.stringValue, close < today,
            close != JSONValue.object(previous ?? [:])["LifeCycle"]?["TargetCloseDate"]?.stringValue {
            refuse("LifeCycle.TargetCloseDate", "\(close) is in the past; the target close date must be today (\(today)) or later")
        }
        if lifeCycle?["Stage"]?.stringValue == "Closed Lost", lifeCycle?["ClosedLostReason"] == nil {
            refuse("LifeCycle.ClosedLostReason", "is required when LifeCycle.Stage is Closed Lost", .requiredFieldMissing)
        }
        let industry = object["Customer"]?["Account"]?["Industry"]?.stringValue
        if object["NationalSecurity"]?.stringValue == "Yes", industry != "Government" {
            refuse("NationalSecurity", "may be Yes only when Customer.Account.Industry is Government (it is \(industry.map { "'\($0)'" } ?? "not given"))")
        }
        if let marketing = object["Marketing"], marketing["Source"]?.stringValue == "None" {
            for member in ["UseCases", "Channels", "AwsFundingUsed"] where marketing[member] != nil {
                refuse("Marketing.\(member)", "must be left out when Marketing.Source is None")
            }
        }
        for (index, spend) in (object["Project"]?["ExpectedCustomerSpend"]?.arrayValue ?? []).enumerated() {
            let at = "Project.ExpectedCustomerSpend[\(index)]"
            if let currency = spend["CurrencyCode"]?.stringValue, !["USD", "EUR"].contains(currency) {
                refuse("\(at).CurrencyCode", "'\(currency)' is not accepted; the service takes USD or EUR")
            }
            if let company = spend["TargetCompany"]?.stringValue, company != "AWS" {
                refuse("\(at).TargetCompany", "'\(company)' is not accepted; the only value is AWS")
            }
        }
        if let address = object["Customer"]?["Account"]?["Address"], address["CountryCode"]?.stringValue == "US",
            let state = address["StateOrRegion"]?.stringValue, !usStates.contains(state) {
            let hint = Suggestion.hint(for: state, among: Array(usStates))
            refuse("Customer.Account.Address.StateOrRegion", "'\(state)' is not a US state as the service writes them (its full name, e.g. New York)\(hint)")
        }
        return issues
    }

    /// The full names the model documents for `StateOrRegion`.
    static let usStates = Set(ServiceModel.documentedValueSet(named: "StateOrRegion")?.values ?? [])

    /// What a submission needs besides a solution (AWS's Partner Central guide lists them as required to
    /// submit an opportunity for co-selling).
    static let requiredToSubmit = [
        "Customer.Account.CompanyName", "Customer.Account.Address.CountryCode", "Customer.Account.Industry", "Customer.Account.WebsiteUrl",
        "Project.Title", "Project.CustomerBusinessProblem", "Project.ExpectedCustomerSpend", "LifeCycle.TargetCloseDate",
    ]

    /// The issues that keep `row` from being submitted.
    static func submissionIssues(_ row: OpportunityRow, solutions: Int) -> [ValidationExceptionError] {
        var issues: [ValidationExceptionError] = []
        if row.reviewStatus != "Pending Submission" {
            issues.append(ValidationExceptionError(
                fieldName: "LifeCycle.ReviewStatus", message: "is \(row.reviewStatus); only an opportunity in Pending Submission can be submitted",
                code: .invalidResourceState))
        }
        if let stage = row.stage, finalStages.contains(stage) {
            issues.append(ValidationExceptionError(fieldName: "LifeCycle.Stage", message: "is \(stage): the opportunity is read-only", code: .invalidResourceState))
        }
        let object = JSONValue.object(row.record)
        for path in requiredToSubmit {
            var value: JSONValue? = object
            for member in path.split(separator: ".") { value = value?[String(member)] }
            if value == nil || value == .null || value == .array([]) {
                issues.append(ValidationExceptionError(fieldName: path, message: "is required to submit the opportunity; update it first", code: .requiredFieldMissing))
            }
        }
        if solutions == 0 {
            issues.append(ValidationExceptionError(
                fieldName: "RelatedEntityIdentifiers.Solutions",
                message: "a submission needs at least one solution: associate one with AssociateOpportunity (ListSolutions names them)", code: .requiredFieldMissing))
        }
        return issues
    }

    /// The most entities of each type an opportunity may be associated with.
    static let associationLimits = ["Solutions": 10, "AwsProducts": 20, "AwsMarketplaceOffers": 1, "AwsMarketplaceOfferSets": 1]
}
