import Foundation
import Testing
import YunweiDomain

private let now = Date(timeIntervalSince1970: 1_767_225_600)
private let hour: TimeInterval = 60 * 60
private let day: TimeInterval = 24 * hour

@Suite("Deadlines and the feedback window")
struct CaseDeadlineTests {
    @Test("a deadline is the category's hours after the start, counted on the clock")
    func deadline() {
        #expect(CaseDeadline.from(now, hours: 24) == now.addingTimeInterval(day))
        #expect(CaseDeadline.from(now, hours: 240) == now.addingTimeInterval(10 * day))
    }

    @Test("only a case still owed an answer can be overdue, and only after its deadline", arguments: CaseState.allCases)
    func overdue(state: CaseState) {
        let owed: Set<CaseState> = [.referred, .dispatched, .inProgress, .returned]
        let deadline = now.addingTimeInterval(-1)
        #expect(CaseDeadline.isOverdue(deadline: deadline, state: state, now: now) == owed.contains(state))
        #expect(!CaseDeadline.isOverdue(deadline: now, state: state, now: now), "at the deadline it is on time")
        #expect(!CaseDeadline.isOverdue(deadline: nil, state: state, now: now))
    }

    @Test("a resolved case was on time if it was resolved by its deadline")
    func onTime() {
        #expect(CaseDeadline.isOnTime(resolvedAt: now, deadline: now))
        #expect(!CaseDeadline.isOnTime(resolvedAt: now.addingTimeInterval(1), deadline: now))
        #expect(CaseDeadline.isOnTime(resolvedAt: now, deadline: nil))
    }

    @Test("the window is open for 7 days less a second; at 7 days the case closes by itself")
    func window() {
        let resolvedAt = now.addingTimeInterval(-7 * day)
        #expect(FeedbackWindow.days == 7)
        #expect(FeedbackWindow.end(resolvedAt: resolvedAt) == now)
        #expect(FeedbackWindow.isOpen(resolvedAt: resolvedAt, now: now.addingTimeInterval(-1)))
        #expect(!FeedbackWindow.shouldAutoClose(resolvedAt: resolvedAt, now: now.addingTimeInterval(-1)))
        #expect(!FeedbackWindow.isOpen(resolvedAt: resolvedAt, now: now))
        #expect(FeedbackWindow.shouldAutoClose(resolvedAt: resolvedAt, now: now))
        #expect(FeedbackWindow.autoCloseCutoff(now: now) == resolvedAt)
    }

    @Test("at every moment exactly one of reopen and auto-close holds")
    func windowIsAPartition() {
        for offset in stride(from: -2 * day, through: 9 * day, by: 3 * hour + 17) {
            let at = now.addingTimeInterval(offset)
            #expect(
                FeedbackWindow.isOpen(resolvedAt: now, now: at)
                    != FeedbackWindow.shouldAutoClose(resolvedAt: now, now: at))
        }
    }
}

@Suite("Distances and possible duplicates")
struct DuplicateCheckTests {
    /// 云岭县's county seat, near 30.86° N, 104.41° E.
    private let seat = GeoPoint(latitude: 30.86, longitude: 104.41)!
    private let village = UnitCode("510121100201")!

    /// A point `meters` north of `seat`: one degree of latitude is 2πR/360 metres.
    private func north(_ meters: Double) -> GeoPoint {
        GeoPoint(latitude: 30.86 + meters / (2 * .pi * Geo.earthRadiusMeters / 360), longitude: 104.41)!
    }

    private func sighting(
        _ point: GeoPoint?, category: String = "FAC-ROAD", village: UnitCode? = nil, state: CaseState = .reported,
        facility: Int64? = nil
    ) -> DuplicateCheck.Sighting {
        DuplicateCheck.Sighting(
            category: category, village: village ?? self.village, state: state, point: point, facilityID: facility)
    }

    @Test("haversine distances: zero, along a meridian, one degree of the equator, Chengdu to Chongqing")
    func distances() {
        #expect(Geo.distanceMeters(seat, seat) == 0)
        #expect(abs(Geo.distanceMeters(seat, north(150)) - 150) < 0.01)
        let chengdu = GeoPoint(latitude: 30.6586, longitude: 104.0647)!
        let chongqing = GeoPoint(latitude: 29.5630, longitude: 106.5516)!
        #expect(abs(Geo.distanceMeters(chengdu, chongqing) - 268_439) < 1)
        let equator = GeoPoint(latitude: 0, longitude: 0)!
        #expect(abs(Geo.distanceMeters(equator, GeoPoint(latitude: 0, longitude: 1)!) - 111_195.08) < 0.01)
        #expect(Geo.distanceMeters(chengdu, chongqing) == Geo.distanceMeters(chongqing, chengdu))
    }

    @Test("a point lies on the earth", arguments: [(91.0, 0.0), (-90.5, 0.0), (0.0, 180.5), (0.0, -181.0)])
    func invalidPoints(latitude: Double, longitude: Double) {
        #expect(GeoPoint(latitude: latitude, longitude: longitude) == nil)
    }

    @Test("within 200 m is a possible duplicate, beyond it is not")
    func radius() {
        let existing = sighting(seat, state: .dispatched)
        #expect(DuplicateCheck.isPossibleDuplicate(sighting(north(199)), of: existing))
        #expect(!DuplicateCheck.isPossibleDuplicate(sighting(north(201)), of: existing))
        #expect(DuplicateCheck.isPossibleDuplicate(sighting(north(450)), of: existing, radiusMeters: 500))
    }

    @Test("another subcategory, another village or a finished case is never a duplicate")
    func sameCategoryVillageAndOpen() {
        let existing = sighting(seat, state: .inProgress, facility: 3)
        #expect(!DuplicateCheck.isPossibleDuplicate(sighting(seat, category: "FAC-CANAL", facility: 3), of: existing))
        #expect(
            !DuplicateCheck.isPossibleDuplicate(
                sighting(seat, village: UnitCode("510121100202")!, facility: 3), of: existing))
        for state in CaseState.allCases {
            let earlier = sighting(seat, state: state)
            #expect(DuplicateCheck.isPossibleDuplicate(sighting(seat), of: earlier) == state.isOpen, "\(state)")
        }
    }

    @Test("the same facility is a possible duplicate however far apart the positions are, or without any")
    func sameFacility() {
        #expect(DuplicateCheck.isPossibleDuplicate(sighting(nil, facility: 3), of: sighting(seat, facility: 3)))
        #expect(DuplicateCheck.isPossibleDuplicate(sighting(north(900), facility: 3), of: sighting(seat, facility: 3)))
        #expect(!DuplicateCheck.isPossibleDuplicate(sighting(nil, facility: 3), of: sighting(seat, facility: 4)))
    }

    @Test("without positions distance decides nothing")
    func withoutPositions() {
        #expect(!DuplicateCheck.isPossibleDuplicate(sighting(nil), of: sighting(seat)))
        #expect(!DuplicateCheck.isPossibleDuplicate(sighting(seat), of: sighting(nil)))
        #expect(!DuplicateCheck.isPossibleDuplicate(sighting(nil), of: sighting(nil)))
    }
}

/// A seeded generator, so that the codes a test makes are the same on every run.
private struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("Query codes")
struct QueryCodeTests {
    private func codes(_ count: Int) -> [QueryCode] {
        var generator = SeededGenerator(state: 2026)
        return (0..<count).map { _ in QueryCode.make(using: &generator) }
    }

    @Test("ten characters without look-alikes, each code well formed")
    func shape() {
        #expect(QueryCode.alphabet.count == 31)
        for forbidden in "01OIL" { #expect(!QueryCode.alphabet.contains(forbidden)) }
        for code in codes(500) {
            #expect(code.rawValue.count == 10)
            #expect(code.rawValue.allSatisfy(QueryCode.alphabet.contains))
            #expect(QueryCode.isWellFormed(code.rawValue))
        }
        #expect(Set(codes(500)).count == 500)
    }

    @Test("a code typed in lower case, with spaces or dashes, or full-width, is the same code")
    func normalising() throws {
        let code = try #require(codes(1).first)
        let grouped = code.grouped
        #expect(grouped.count == 11 && grouped.contains("-"))
        let fullWidth = String(
            String.UnicodeScalarView(code.rawValue.unicodeScalars.map { Unicode.Scalar($0.value + 0xFEE0)! }))
        for typed in [
            code.rawValue.lowercased(), grouped, " " + grouped.lowercased() + " ", fullWidth, "\u{3000}" + grouped,
        ] {
            #expect(QueryCode(typed) == code, "\(typed)")
        }
    }

    @Test("every single mistyped character is recognised")
    func substitutions() {
        for code in codes(40) {
            let characters = Array(code.rawValue)
            for position in characters.indices {
                for replacement in QueryCode.alphabet where replacement != characters[position] {
                    var typed = characters
                    typed[position] = replacement
                    #expect(!QueryCode.isWellFormed(String(typed)))
                }
            }
        }
    }

    @Test("every two swapped characters are recognised")
    func transpositions() {
        for code in codes(200) {
            let characters = Array(code.rawValue)
            for i in characters.indices {
                for j in characters.indices where j > i && characters[i] != characters[j] {
                    var typed = characters
                    typed.swapAt(i, j)
                    #expect(!QueryCode.isWellFormed(String(typed)))
                }
            }
        }
    }

    @Test("the wrong length, a look-alike or a stray character is not a code")
    func malformed() throws {
        let code = try #require(codes(1).first).rawValue
        for typed in ["", String(code.dropLast()), code + "2", "O" + code.dropFirst(), code.dropLast() + "_", "查询码"] {
            #expect(!QueryCode.isWellFormed(typed), "\(typed)")
        }
    }
}

@Suite("Case statistics")
struct CaseStatisticsTests {
    private let district = CaseStatistics(
        collected: 186_726, resolved: 176_377, resolvedOnTime: 170_000, handlingSecondsTotal: 176_377 * 36 * 3600,
        handledCount: 176_377, feedbackGiven: 90_000, satisfied: 85_500, overdueNow: 120)

    @Test("the seed's district: 176,377 of 186,726 resolved is 94.5%")
    func seedFigures() {
        #expect(district.resolutionRate == 945)
        #expect(CaseStatistics.percentText(district.resolutionRate) == "94.5%")
        #expect(district.onTimeRate == 964)
        #expect(district.satisfactionRate == 950)
        #expect(district.averageHandlingHours == 36)
    }

    @Test("nothing to divide by gives no figure, never a crash")
    func zeroDenominators() {
        let empty = CaseStatistics.zero
        #expect(empty.resolutionRate == nil)
        #expect(empty.onTimeRate == nil)
        #expect(empty.satisfactionRate == nil)
        #expect(empty.averageHandlingHours == nil)
        #expect(CaseStatistics.percentText(nil) == "—")
    }

    @Test(
        "rates round half up in whole per-mille",
        arguments: [(1, 3, 333), (2, 3, 667), (1, 2000, 1), (1, 2001, 0), (5, 5, 1000)])
    func rounding(part: Int, whole: Int, perMille: Int) {
        #expect(CaseStatistics.perMille(part, of: whole) == perMille)
    }

    @Test("percentages show one decimal", arguments: [(0, "0.0%"), (5, "0.5%"), (945, "94.5%"), (1000, "100.0%")])
    func percentText(perMille: Int, text: String) {
        #expect(CaseStatistics.percentText(perMille) == text)
    }

    @Test("counts add up; the rate of a sum is computed from the summed counts")
    func sums() {
        let a = CaseStatistics(
            collected: 10, resolved: 9, resolvedOnTime: 9, handlingSecondsTotal: 9 * 3600, handledCount: 9,
            feedbackGiven: 2, satisfied: 2, overdueNow: 0)
        let b = CaseStatistics(
            collected: 990, resolved: 500, resolvedOnTime: 250, handlingSecondsTotal: 500 * 7200, handledCount: 500,
            feedbackGiven: 0, satisfied: 0, overdueNow: 4)
        let total = [a, b].reduce(.zero, +)
        #expect(total.collected == 1000)
        #expect(total.resolutionRate == 509)
        #expect(total.onTimeRate == 509)
        #expect(total.satisfactionRate == 1000)
        #expect(total.overdueNow == 4)
    }
}

@Suite("Photos")
struct PhotoCheckTests {
    private let jpeg = Data([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]) + Data("JFIF".utf8)
    private let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00])

    @Test("a photo is known by its first bytes, not by its name")
    func kinds() {
        #expect(PhotoCheck.kind(of: jpeg) == .jpeg)
        #expect(PhotoCheck.kind(of: png) == .png)
        #expect(PhotoCheck.kind(of: Data("GIF89a".utf8)) == nil)
        #expect(PhotoCheck.kind(of: Data("%PDF-1.7".utf8)) == nil)
        #expect(PhotoCheck.kind(of: Data([0xFF, 0xD8])) == nil)
        #expect(PhotoCheck.kind(of: Data()) == nil)
        #expect(PhotoCheck.kind(of: Data([0x89, 0x50, 0x4E, 0x47])) == nil)
        #expect(PhotoKind.jpeg.mediaType == "image/jpeg")
        #expect(PhotoKind.png.fileExtension == "png")
    }

    @Test("at most six photos of at most 5 MB each; every problem is reported")
    func limits() {
        #expect(PhotoCheck.maxBytes == 5_242_880)
        #expect(PhotoCheck.issues(for: Array(repeating: jpeg, count: 6)).isEmpty)
        let atLimit = jpeg + Data(count: PhotoCheck.maxBytes - jpeg.count)
        #expect(PhotoCheck.issues(for: [atLimit]).isEmpty)
        let issues = PhotoCheck.issues(for: [png, atLimit + Data([0]), Data("text".utf8), jpeg, jpeg, jpeg, jpeg])
        #expect(
            issues == [
                CaseIssue(field: "photos", key: "photo.error.too_many", args: ["max": "6"]),
                CaseIssue(field: "photos.2", key: "photo.error.too_large", args: ["number": "2", "max_mb": "5"]),
                CaseIssue(field: "photos.3", key: "photo.error.not_an_image", args: ["number": "3"]),
            ])
    }
}
