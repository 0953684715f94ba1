import Foundation
import NIOCore
import Vapor

/// Case photos on disk under `<data>/photos/ab/abcdef….jpg`, named by the SHA-256 of their
/// bytes: the same photo is stored once, a name can never point at other bytes, and the
/// database keeps only the hash.
struct PhotoStore: Sendable {
    let root: String

    init(dataDirectory: String) {
        root = dataDirectory.hasSuffix("/") ? dataDirectory + "photos" : dataDirectory + "/photos"
    }

    func path(for hash: String, contentType: String) -> String {
        "\(root)/\(hash.prefix(2))/\(hash).\(contentType == "image/png" ? "png" : "jpg")"
    }

    /// Writes the bytes (if not already there) and returns their hash. The file is written to a
    /// temporary name and renamed, so a crash never leaves half a photo under a real name.
    func save(_ bytes: Data, contentType: String) throws -> String {
        let hash = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        let target = path(for: hash, contentType: contentType)
        let manager = FileManager.default
        if manager.fileExists(atPath: target) { return hash }
        let folder = (target as NSString).deletingLastPathComponent
        try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temporary = folder + "/.\(hash).\(UUID().uuidString).tmp"
        try bytes.write(to: URL(fileURLWithPath: temporary))
        if rename(temporary, target) != 0 {
            try? manager.removeItem(atPath: temporary)
            if !manager.fileExists(atPath: target) { throw PhotoStoreError(path: target) }
        }
        return hash
    }
}

struct PhotoStoreError: Error, CustomStringConvertible {
    let path: String
    var description: String { "could not store photo at \(path)" }
}

extension Application {
    var photos: PhotoStore { PhotoStore(dataDirectory: settings.dataDirectory) }
}
