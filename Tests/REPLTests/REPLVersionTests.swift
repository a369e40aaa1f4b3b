import REPL
import Testing

@Suite struct REPLVersionTests {
    @Test func theVersionIsSemantic() {
        #expect(EngageVersion.text.split(separator: ".").count == 3)
    }
}
