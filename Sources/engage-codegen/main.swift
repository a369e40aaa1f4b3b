import CodeGen
import Foundation

// Regenerates Sources/Core/Model from the committed service model. Run from the package root
// (Scripts/generate does), or pass the root as the only argument.
let root = URL(fileURLWithPath: CommandLine.arguments.dropFirst().first ?? FileManager.default.currentDirectoryPath)
do {
    let modelJSON = try String(contentsOf: root.appendingPathComponent(CodeGenerator.modelPath), encoding: .utf8)
    let paginatorsJSON = try String(contentsOf: root.appendingPathComponent(CodeGenerator.paginatorsPath), encoding: .utf8)
    let files = try CodeGenerator(modelJSON: modelJSON, paginatorsJSON: paginatorsJSON).generate()
    let output = root.appendingPathComponent(CodeGenerator.outputDirectory)
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    for file in files {
        try file.contents.write(to: output.appendingPathComponent(file.name), atomically: true, encoding: .utf8)
        print("wrote \(CodeGenerator.outputDirectory)/\(file.name)")
    }
} catch {
    FileHandle.standardError.write(Data("engage-codegen: \(error)\n".utf8))
    exit(1)
}
