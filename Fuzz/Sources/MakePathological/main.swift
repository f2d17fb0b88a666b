import Foundation
import HamletTestSupport

// make-pathological NAME SCALE FILE: writes one pathological message; `make-pathological list` names them all.
let arguments = CommandLine.arguments
if arguments.count == 2 && arguments[1] == "list" {
    for testCase in PathologicalMessages.all { print("\(testCase.name)\t\(testCase.description)") }
    exit(0)
}
guard arguments.count == 4, let scale = Double(arguments[2]),
      let testCase = PathologicalMessages.all.first(where: { $0.name == arguments[1] })
else {
    FileHandle.standardError.write(Data("usage: make-pathological NAME SCALE FILE | list\n".utf8))
    exit(64)
}
try Data(testCase.make(scale)).write(to: URL(fileURLWithPath: arguments[3]))
