@testable import AWSTransport
import Core
import Testing

/// STS answers are read by engage's own small XML scanner: leaf elements by name, entities decoded, and
/// anything that is not well-formed XML refused.
@Suite(.tags(.unit)) struct STSDocumentTests {
    @Test func theCredentialsOfAnAssumeRoleAnswerAreRead() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleResult>
                <Credentials>
                  <AccessKeyId> ASIAEXAMPLE </AccessKeyId>
                  <SecretAccessKey>s/e+c=</SecretAccessKey>
                  <SessionToken>tok&#x41;&#66;&amp;</SessionToken>
                  <Expiration>2025-01-01T00:00:00Z</Expiration>
                </Credentials>
              </AssumeRoleResult>
              <!-- a comment -->
              <ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata>
            </AssumeRoleResponse>
            """
        let document = try #require(STSDocument(xml: Array(xml.utf8)))
        #expect(document["AccessKeyId"] == "ASIAEXAMPLE")
        #expect(document["SecretAccessKey"] == "s/e+c=")
        #expect(document["SessionToken"] == "tokAB&")
        #expect(document["Expiration"] == "2025-01-01T00:00:00Z")
        #expect(document["Credentials"] == nil, "an element with children is no leaf")
    }

    @Test func theCodeAndMessageOfAnErrorAnswerAreRead() throws {
        let xml = #"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User a &lt;b&gt; is not authorized</Message></Error><RequestId>r-1</RequestId></ErrorResponse>"#
        let document = try #require(STSDocument(xml: Array(xml.utf8)))
        #expect(document["Code"] == "AccessDenied")
        #expect(document["Message"] == "User a <b> is not authorized")
    }

    @Test(arguments: ["", "not xml", "<a><b>x</a></b>", "<a>", "<a>&bogus;</a>", "<a>x</a><b/>", "<a x=1>t</a>"])
    func whatIsNotWellFormedIsRefused(xml: String) {
        #expect(STSDocument(xml: Array(xml.utf8)) == nil)
    }
}
