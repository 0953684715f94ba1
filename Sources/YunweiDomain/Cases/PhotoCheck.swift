import Foundation

/// The kinds of photo a case accepts: what every phone takes and every browser shows.
public enum PhotoKind: String, Sendable, CaseIterable, Codable {
    case jpeg
    case png

    /// The file extension the server stores the photo under.
    public var fileExtension: String { self == .jpeg ? "jpg" : "png" }

    /// The media type the server serves the photo with.
    public var mediaType: String { self == .jpeg ? "image/jpeg" : "image/png" }
}

/// What a case's photos must be: JPEG or PNG by their content, not by their name (a renamed file
/// is refused), at most 5 MB each and 6 per step.
public enum PhotoCheck {
    /// 5 MB, counted in MiB as phones and browsers count file sizes.
    public static let maxBytes = 5 * 1024 * 1024
    public static let maxPhotos = 6

    private static let jpegMagic: [UInt8] = [0xFF, 0xD8, 0xFF]
    private static let pngMagic: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The kind of image `data` is by its first bytes, or nil if it is neither JPEG nor PNG.
    public static func kind(of data: Data) -> PhotoKind? {
        if data.starts(with: jpegMagic) { return .jpeg }
        if data.starts(with: pngMagic) { return .png }
        return nil
    }

    /// Every problem with the photos of one upload, numbered from 1 as the person chose them:
    /// too many (`photo.error.too_many`), not an image (`photo.error.not_an_image`), too large
    /// (`photo.error.too_large`).
    public static func issues(for photos: [Data]) -> [CaseIssue] {
        var issues: [CaseIssue] = []
        if photos.count > maxPhotos {
            issues.append(CaseIssue(field: "photos", key: "photo.error.too_many", args: ["max": String(maxPhotos)]))
        }
        for (offset, photo) in photos.enumerated() {
            let number = String(offset + 1)
            if kind(of: photo) == nil {
                issues.append(
                    CaseIssue(field: "photos.\(number)", key: "photo.error.not_an_image", args: ["number": number]))
            } else if photo.count > maxBytes {
                issues.append(
                    CaseIssue(
                        field: "photos.\(number)", key: "photo.error.too_large",
                        args: ["number": number, "max_mb": String(maxBytes / 1024 / 1024)]))
            }
        }
        return issues
    }
}
