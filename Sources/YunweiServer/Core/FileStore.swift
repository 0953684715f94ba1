import Foundation
import NIOCore
import Vapor

/// Uploaded files on disk under `<data>/<folder>/ab/abcdef….jpg`, named by the SHA-256 of their
/// bytes: the same file is stored once, a name can never point at other bytes, and the database
/// keeps only the hash and the content type. Case photos live in `photos`, claim scans in
/// `claim-scans`.
struct FileStore: Sendable {
    let root: String

    init(dataDirectory: String, folder: String) {
        root = dataDirectory.hasSuffix("/") ? dataDirectory + folder : dataDirectory + "/" + folder
    }

    func path(for hash: String, contentType: String) -> String {
        let ext =
            switch contentType {
            case "application/pdf": "pdf"
            case "image/png": "png"
            default: "jpg"
            }
        return "\(root)/\(hash.prefix(2))/\(hash).\(ext)"
    }

    /// Writes the bytes (if not already there) and returns their hash. The file is written to a
    /// temporary name and renamed, so a crash never leaves half a file under a real name.
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
            if !manager.fileExists(atPath: target) { throw FileStoreError(path: target) }
        }
        return hash
    }
}

struct FileStoreError: Error, CustomStringConvertible {
    let path: String
    var description: String { "could not store a file at \(path)" }
}

extension Application {
    /// Case photos.
    var photos: FileStore { FileStore(dataDirectory: settings.dataDirectory, folder: "photos") }
    /// The scans of claims' invoices and receipts.
    var claimScans: FileStore { FileStore(dataDirectory: settings.dataDirectory, folder: "claim-scans") }
}
