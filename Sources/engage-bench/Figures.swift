import Foundation

/// One line of the bench's table: a measurement next to the baseline measured in the same run, and their
/// ratio. Times differ from machine to machine and minute to minute; the ratio is the figure to compare.
struct Figure: Encodable {
    var section: String
    var name: String
    var value: Double
    var unit: String
    /// What the baseline is: another program, or engage doing less, measured alternately with `value`.
    var baseline: String
    var baselineValue: Double
    var baselineUnit: String
    var ratio: Double
    /// How to read the ratio: "× lua5.4", "of the ceiling".
    var ratioUnit: String
    /// The target, when an issue set one, and whether the median met it.
    var target: String?
    var met: Bool?
    /// The rounds the medians come from, and the lowest and highest ratio among them.
    var rounds: Int
    var ratioRange: [Double]?

    /// `value` and `baseline` as medians of alternating rounds; the ratio is the median of each round's own ratio.
    init(_ section: String, _ name: String, values: [Double], unit: String, baseline: String, baselineValues: [Double], baselineUnit: String? = nil,
         ratioUnit: String, ratios: [Double]? = nil, target: (text: String, met: (Double) -> Bool)? = nil) {
        let ratios = ratios ?? zip(values, baselineValues).map { $0 / max($1, .leastNonzeroMagnitude) }
        (self.section, self.name, self.unit, self.baseline, self.ratioUnit) = (section, name, unit, baseline, ratioUnit)
        value = median(values)
        baselineValue = median(baselineValues)
        self.baselineUnit = baselineUnit ?? unit
        ratio = median(ratios)
        rounds = ratios.count
        ratioRange = ratios.count > 1 ? [ratios.min()!, ratios.max()!] : nil
        self.target = target?.text
        met = target.map { $0.met(ratio) }
    }
}

func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// The figures as one table: a heading line per section, then a line per figure.
func table(_ figures: [Figure]) -> String {
    func number(_ value: Double, _ unit: String) -> String {
        let digits = value >= 100 ? 0 : value >= 10 ? 1 : 2
        return String(format: "%.\(digits)f", value) + " " + unit
    }
    func column(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
    var lines = [column("figure", 44) + column("measured", 18) + column("baseline (same run)", 52) + column("ratio", 26) + "target"]
    var section = ""
    for figure in figures {
        if figure.section != section {
            section = figure.section
            lines.append(section)
        }
        let range = figure.ratioRange.map { String(format: " (%.2f–%.2f)", $0[0], $0[1]) } ?? ""
        let verdict = figure.met.map { $0 ? "  met" : "  NOT MET" } ?? ""
        lines.append(
            column("  " + figure.name, 44) + column(number(figure.value, figure.unit), 18)
                + column(figure.baseline + " " + number(figure.baselineValue, figure.baselineUnit), 52)
                + column(String(format: "%.2f", figure.ratio) + " " + figure.ratioUnit + range, 26) + (figure.target ?? "") + verdict)
    }
    return lines.joined(separator: "\n")
}

/// What the JSON document says about where the figures were measured.
struct Machine: Encodable {
    var date: String
    var kernel: String
    var processor: String
    var cores: Int
    var memoryKilobytes: Int

    static func current() -> Machine {
        var names = utsname()
        uname(&names)
        let kernel = withUnsafeBytes(of: names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let model = cpuinfo.split(separator: "\n").first { $0.hasPrefix("model name") }?.split(separator: ":", maxSplits: 1).last
        let meminfo = (try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8)) ?? ""
        return Machine(
            date: Date().formatted(Date.ISO8601FormatStyle()), kernel: "Linux " + kernel,
            processor: model.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown",
            cores: ProcessInfo.processInfo.activeProcessorCount, memoryKilobytes: kilobytes("MemTotal:", in: meminfo) ?? 0)
    }
}

/// The kB figure of a `/proc/…/status` or `/proc/meminfo` line such as `VmRSS:   31512 kB`.
func kilobytes(_ field: String, in text: String) -> Int? {
    text.split(separator: "\n").first { $0.hasPrefix(field) }.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
