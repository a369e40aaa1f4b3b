import Foundation
import PropertyBased
import Testing

/// How hard the properties are pushed, from the environment so `Scripts/fuzz` can run them longer than the
/// suite does: `ENGAGE_FUZZ_ITERATIONS` sets the iterations of every property (the suite's own counts are
/// modest so the target stays quick), `ENGAGE_FUZZ_SEED` replays one failing case.
enum Fuzzing {
    /// The iterations for a property whose suite default is `suiteDefault`.
    static func iterations(_ suiteDefault: Int) -> Int {
        guard let text = ProcessInfo.processInfo.environment["ENGAGE_FUZZ_ITERATIONS"], let count = Int(text), count > 0 else {
            return suiteDefault
        }
        return count
    }

    /// The seed a failure printed (`.fixedSeed("…")`, the text between the quotes), when one is to be replayed.
    static var replayedSeed: String? {
        ProcessInfo.processInfo.environment["ENGAGE_FUZZ_SEED"].flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// Replays the seed in `ENGAGE_FUZZ_SEED` through PropertyBased's own `.fixedSeed` trait, so a failure is
/// reproduced without editing the test: `ENGAGE_FUZZ_SEED='…' Scripts/fuzz --filter NAME`. Without the
/// variable it changes nothing.
struct ReplaySeedTrait: TestTrait, TestScoping {
    func provideScope(for test: Test, testCase: Test.Case?, performing function: () async throws -> Void) async throws {
        guard let seed = Fuzzing.replayedSeed else {
            try await function()
            return
        }
        guard let state = Xoshiro(seed: seed)?.currentState else {
            Issue.record("ENGAGE_FUZZ_SEED is not a seed PropertyBased printed (44 characters of base64): \(seed)")
            return
        }
        try await FixedSeedTrait.fixedSeed(state.0, state.1, state.2, state.3).provideScope(for: test, testCase: testCase, performing: function)
    }
}

extension Trait where Self == ReplaySeedTrait {
    /// Replays `ENGAGE_FUZZ_SEED` when it is set.
    static var replayable: Self { ReplaySeedTrait() }
}

/// The random source PropertyBased hands a generator, as a concrete generator the standard library's
/// `random(in:using:)` takes.
struct Dice: RandomNumberGenerator {
    var source: any SeededRandomNumberGenerator

    mutating func next() -> UInt64 { source.next() }

    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &self) }

    mutating func pick<T>(_ choices: [T]) -> T { choices[int(0...choices.count - 1)] }
}

/// A generator from a function of the dice. Inputs are printed on failure and replayed from the seed;
/// they are not shrunk (the values are recursive and their validity depends on the whole).
func generator<T: Sendable>(_ make: @Sendable @escaping (inout Dice) -> T) -> Generator<T, Shrink.None<T>> {
    Generator(run: { rng in
        var dice = Dice(source: rng)
        defer { rng = dice.source }
        return make(&dice)
    })
}

/// Runs `body` on a thread with a 16 MB stack, as engage runs Lua (`ScriptEngine`): values nested to the
/// 512-level limit recurse deeper than a test thread's stack is guaranteed to allow.
func onLargeStack<T: Sendable>(_ body: @Sendable @escaping () -> T) async -> T {
    await withCheckedContinuation { continuation in
        let thread = Thread { continuation.resume(returning: body()) }
        thread.stackSize = 16 << 20
        thread.start()
    }
}
