/// Finds the valid name a typo was meant to be: `Industy` → `Industry`, `Retial` → `Retail`.
public enum Suggestion {
    /// The candidate closest to `input`, when one is close enough to be a plausible typo: the same word in
    /// another case, a unique candidate that starts with the input, or a small edit distance (a swapped
    /// pair of letters counts as one edit).
    public static func nearest(to input: String, among candidates: [String]) -> String? {
        let lowered = input.lowercased()
        if let sameIgnoringCase = candidates.first(where: { $0.lowercased() == lowered }) { return sameIgnoringCase }
        let inputCharacters = Array(lowered)
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(inputCharacters, Array(candidate.lowercased()))
            if distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        if let best, best.distance <= allowedDistance(forLength: max(input.count, best.candidate.count)) {
            return best.candidate
        }
        if lowered.count >= 3 {
            let prefixed = candidates.filter { $0.lowercased().hasPrefix(lowered) }
            if prefixed.count == 1 { return prefixed[0] }
        }
        return nil
    }

    /// The suffix every "unknown name" message ends with: ` (did you mean 'Industry'?)` when a candidate is
    /// close to `input`, else nothing, so each message reads the same wherever engage writes it.
    public static func hint(for input: String, among candidates: [String]) -> String {
        nearest(to: input, among: candidates).map(didYouMean) ?? ""
    }

    /// ` (did you mean 'Industry'?)`: the suffix for a suggestion already chosen.
    public static func didYouMean(_ suggestion: String) -> String {
        " (did you mean '\(suggestion)'?)"
    }

    private static func allowedDistance(forLength length: Int) -> Int {
        switch length {
        case ..<3: 0
        case ..<6: 1
        case ..<12: 2
        default: 3
        }
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previousPrevious[j - 2] + 1)
                }
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }
}
