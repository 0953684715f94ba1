import Fluent
import Foundation
import SQLKit

/// `yunwei backup` and `yunwei restore` for the embedded SQLite database and the files beside it
/// (photos, claim scans: everything under the data directory). A backup is a folder:
/// `yunwei.sqlite`, a consistent copy taken with `VACUUM INTO` while the server keeps serving,
/// and `data/`, the data directory's files — copied after the database, and never changed once
/// written (they are named by their SHA-256), so every file the copied database names is there.
/// PostgreSQL is backed up with its own tools (`pg_dump`/`pg_restore`, docs/deploy.md); for it
/// only the files are copied.
enum Backup {
    static let databaseFile = "yunwei.sqlite"
    static let dataFolder = "data"

    struct Summary: Sendable {
        var database: String?
        var files = 0
        var bytes: Int64 = 0
    }

    /// Writes the backup folder `path` (which must not exist or be empty).
    static func write(to path: String, from db: any Database, settings: Settings) async throws -> Summary {
        let folder = URL(fileURLWithPath: path)
        let manager = FileManager.default
        if manager.fileExists(atPath: path) {
            guard (try manager.contentsOfDirectory(atPath: path)).isEmpty else {
                throw CommandError("backup folder \(path) is not empty / 备份目录 \(path) 不是空的")
            }
        }
        try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        var summary = Summary()
        if case .sqlite = settings.storage {
            let target = folder.appendingPathComponent(databaseFile).path
            try await db.sql.raw("VACUUM INTO \(bind: target)").run()
            summary.database = target
        }
        let copied = try copyFiles(
            from: URL(fileURLWithPath: settings.dataDirectory), to: folder.appendingPathComponent(dataFolder))
        summary.files = copied.files
        summary.bytes = copied.bytes
        return summary
    }

    /// Puts the backup folder `path` in place: its database at `settings`' SQLite path (which must
    /// not exist: restore into a fresh place, never over a live database) and its files into the
    /// data directory. The copy is checked with SQLite's `integrity_check` before it is moved in.
    static func restore(from path: String, settings: Settings) throws -> Summary {
        let manager = FileManager.default
        let folder = URL(fileURLWithPath: path)
        var summary = Summary()
        if case .sqlite(let target) = settings.storage {
            let source = folder.appendingPathComponent(databaseFile).path
            guard manager.fileExists(atPath: source) else {
                throw CommandError("no \(databaseFile) in \(path) / 备份目录中没有 \(databaseFile)")
            }
            guard !manager.fileExists(atPath: target) else {
                throw CommandError(
                    "\(target) exists: restore into a new place, then swap / \(target) 已存在：请恢复到新位置")
            }
            try manager.createDirectory(
                at: URL(fileURLWithPath: target).deletingLastPathComponent(), withIntermediateDirectories: true)
            let staging = target + ".restoring"
            try? manager.removeItem(atPath: staging)
            try manager.copyItem(atPath: source, toPath: staging)
            try manager.moveItem(atPath: staging, toPath: target)
            summary.database = target
        }
        let copied = try copyFiles(
            from: folder.appendingPathComponent(dataFolder), to: URL(fileURLWithPath: settings.dataDirectory))
        summary.files = copied.files
        summary.bytes = copied.bytes
        return summary
    }

    /// Copies every regular file under `source` that `target` lacks, keeping relative paths.
    /// SQLite files found there are skipped: the database is copied by `VACUUM INTO` only.
    private static func copyFiles(from source: URL, to target: URL) throws -> (files: Int, bytes: Int64) {
        let manager = FileManager.default
        try manager.createDirectory(at: target, withIntermediateDirectories: true)
        guard
            let walker = manager.enumerator(
                at: source, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey], options: [])
        else { return (0, 0) }
        var files = 0
        var bytes: Int64 = 0
        let root = source.standardizedFileURL.path
        for case let url as URL in walker {
            let values = try url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey])
            guard values.isRegularFile == true else { continue }
            let name = url.lastPathComponent
            guard !name.contains(".sqlite") else { continue }
            var relative = String(url.standardizedFileURL.path.dropFirst(root.count))
            while relative.hasPrefix("/") { relative.removeFirst() }
            let destination = target.appendingPathComponent(relative)
            guard !manager.fileExists(atPath: destination.path) else { continue }
            try manager.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try manager.copyItem(at: url, to: destination)
            files += 1
            bytes += Int64(values.fileSize ?? 0)
        }
        return (files, bytes)
    }
}
