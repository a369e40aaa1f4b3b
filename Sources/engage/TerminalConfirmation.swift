import Core
import Foundation

/// The y/N question before the first write to the AWS catalog, asked on the terminal.
enum TerminalConfirmation {
    /// `--yes` confirms; otherwise ask when standard input and standard error are a terminal, and refuse
    /// when they are not, since nobody could answer.
    static func choose(yes: Bool) -> WriteConfirmation {
        if yes { return .given }
        guard isatty(STDIN_FILENO) != 0, isatty(STDERR_FILENO) != 0 else {
            return .unavailable(reason: "there is no terminal to confirm it on; add --yes to allow writes to the AWS catalog")
        }
        return .ask { question in
            FileHandle.standardError.write(Data("\(question) [y/N] ".utf8))
            let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            return answer == "y" || answer == "yes"
        }
    }
}
