import Foundation
import Testing
@testable import EdupipeSupport
@testable import EdupipeInput

/// A folder is listed name by name from glibc's buffer, which packs each
/// entry to its name's length: every name must come back whole, whatever
/// its length and bytes. (The read past that buffer this replaced is
/// caught under AddressSanitizer by the FuzzName harness's replay.)
@Suite struct FolderListingTests {
    @Test func everyNameOfABigFolderComesBackWhole() throws {
        let root = Fixtures.tempDirectory("listing")
        // Lengths 6 to 255 bytes (the system's limit), a third of them not
        // UTF-8: several buffers' worth of entries, ending at every offset.
        let names = (0..<3_000).map { i -> [UInt8] in
            Array(String(format: "%05d_", i).utf8) + [UInt8](repeating: i % 3 == 0 ? 0xB0 : UInt8(ascii: "x"), count: i % 250)
        }
        for n in names {
            let fd = SystemIO.withCString(Array(root.utf8) + [UInt8(ascii: "/")] + n) { open($0, O_CREAT | O_WRONLY, 0o600) }
            #expect(fd >= 0)
            close(fd)
        }
        let listed = try Inbox.entries(root)
        #expect(listed.count == names.count)
        #expect(Set(listed.map(\.raw.bytes)) == Set(names))
        #expect(listed.map(\.raw.bytes).max { $0.count < $1.count }?.count == 255)
        #expect(SystemIO.names(in: root)?.count == names.count)
    }
}
