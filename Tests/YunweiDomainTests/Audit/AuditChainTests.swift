import Foundation
import Testing
import YunweiDomain

/// A tiny stand-in for SHA-256: 64-bit FNV-1a as hex. Enough to tell texts apart in tests.
private func fnv(_ text: String) -> String {
    var value: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        value ^= UInt64(byte)
        value = value &* 0x0100_0000_01b3
    }
    let hex = String(value, radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
}

private let start = Date(timeIntervalSince1970: 1_735_689_600)  // 2025-01-01 00:00 UTC

private func draft(_ seq: Int64, action: String = "factors.edit") -> AuditEntry {
    AuditEntry(
        seq: seq, at: start.addingTimeInterval(Double(seq) * 61.5), actorID: 7, actorName: "王芳", action: action,
        entityType: "village_factors", entityID: "510121100201/2025",
        unitPath: "/510121000000/510121100000/510121100201/",
        before: #"{"population":1200}"#, after: #"{"population":\#(1200 + seq)}"#, prevHash: "", hash: "")
}

/// A trail of `count` records, chained properly.
private func trail(_ count: Int) -> [AuditEntry] {
    var entries: [AuditEntry] = []
    for seq in 1...Int64(count) {
        entries.append(AuditChain.seal(draft(seq), after: entries.last?.hash ?? AuditChain.genesisHash, hash: fnv))
    }
    return entries
}

/// Re-chains `entries` from `index` on, as someone covering their tracks would.
private func rehash(_ entries: inout [AuditEntry], from index: Int) {
    for i in index..<entries.count {
        if i > 0 { entries[i].prevHash = entries[i - 1].hash }
        entries[i].hash = fnv(AuditChain.canonical(entries[i]))
    }
}

@Suite("The audit chain")
struct AuditChainTests {
    @Test("an untouched trail is intact")
    func intact() {
        #expect(AuditChain.verify(trail(6), hash: fnv) == .intact(count: 6))
        #expect(AuditChain.verify([], hash: fnv) == .intact(count: 0))
    }

    @Test("sealing numbers the records from 1 and chains each to the one before, from 64 zeros")
    func sealing() {
        let entries = trail(3)
        #expect(entries.map(\.seq) == [1, 2, 3])
        #expect(entries[0].prevHash == String(repeating: "0", count: 64))
        #expect(AuditChain.genesisHash == entries[0].prevHash)
        #expect(entries[1].prevHash == entries[0].hash)
        #expect(entries[2].prevHash == entries[1].hash)
        #expect(entries.allSatisfy { $0.hash == fnv(AuditChain.canonical($0)) })
    }

    @Test("an edited record is reported as altered")
    func altered() {
        var entries = trail(5)
        entries[2].after = #"{"population":9999}"#
        #expect(AuditChain.verify(entries, hash: fnv) == .broken(seq: 3, reason: .altered))
    }

    @Test("changing who did it, or when, is an alteration too")
    func alteredActorOrTime() {
        var byActor = trail(4)
        byActor[1].actorID = 8
        #expect(AuditChain.verify(byActor, hash: fnv) == .broken(seq: 2, reason: .altered))
        var byTime = trail(4)
        byTime[3].at = byTime[3].at.addingTimeInterval(-3600)
        #expect(AuditChain.verify(byTime, hash: fnv) == .broken(seq: 4, reason: .altered))
    }

    @Test("a removed record is reported at the record after the gap")
    func deleted() {
        var entries = trail(5)
        entries.remove(at: 2)
        #expect(AuditChain.verify(entries, hash: fnv) == .broken(seq: 4, reason: .deleted))
    }

    @Test("a trail whose first record was removed is reported as deleted")
    func deletedFirst() {
        #expect(AuditChain.verify(Array(trail(3).dropFirst()), hash: fnv) == .broken(seq: 2, reason: .deleted))
    }

    @Test("a record slipped in under an existing number is reported as inserted")
    func insertedRepeat() {
        var entries = trail(4)
        let forged = AuditChain.seal(draft(3, action: "claim.approve"), after: entries[1].hash, hash: fnv)
        entries.insert(forged, at: 2)
        #expect(AuditChain.verify(entries, hash: fnv) == .broken(seq: 3, reason: .inserted))
    }

    @Test("a record whose number runs backwards is reported as inserted")
    func insertedOutOfOrder() {
        var entries = trail(4)
        entries.append(AuditChain.seal(draft(2, action: "claim.approve"), after: entries[0].hash, hash: fnv))
        #expect(AuditChain.verify(entries, hash: fnv) == .broken(seq: 2, reason: .inserted))
    }

    @Test("a record inserted and the rest renumbered is caught where the next record skips over it")
    func insertedAndRenumbered() {
        var entries = trail(4)
        let forged = AuditChain.seal(draft(3, action: "claim.approve"), after: entries[1].hash, hash: fnv)
        entries.insert(forged, at: 2)
        for i in 3..<entries.count { entries[i].seq += 1 }
        // Renumbering without re-hashing shows as an alteration …
        #expect(AuditChain.verify(entries, hash: fnv) == .broken(seq: 4, reason: .altered))
        // … and re-hashing each record alone still leaves the old links pointing past the forgery.
        for i in 3..<entries.count { entries[i].hash = fnv(AuditChain.canonical(entries[i])) }
        #expect(AuditChain.verify(entries, hash: fnv) == .broken(seq: 3, reason: .inserted))
    }

    @Test("a record rewritten with a fresh hash breaks the link from the record after it")
    func replacedRecord() {
        var entries = trail(5)
        entries[1].after = #"{"population":1}"#
        entries[1].hash = fnv(AuditChain.canonical(entries[1]))
        #expect(AuditChain.verify(entries, hash: fnv) == .broken(seq: 3, reason: .badLink))
    }

    @Test("a deletion covered by renumbering breaks a link")
    func deletedAndRenumbered() {
        var entries = trail(5)
        entries.remove(at: 2)
        for i in 2..<entries.count {
            entries[i].seq -= 1
            entries[i].hash = fnv(AuditChain.canonical(entries[i]))
        }
        #expect(AuditChain.verify(entries, hash: fnv) == .broken(seq: 3, reason: .badLink))
    }

    @Test("a first record that does not start from 64 zeros breaks the link")
    func badGenesis() {
        var entries = trail(2)
        entries[0].prevHash = String(repeating: "f", count: 64)
        entries[0].hash = fnv(AuditChain.canonical(entries[0]))
        #expect(AuditChain.verify(entries, hash: fnv) == .broken(seq: 1, reason: .badLink))
    }

    @Test("only a complete rewrite from the tampered record on escapes the chain alone")
    func fullRewrite() {
        var entries = trail(5)
        entries[1].after = #"{"population":1}"#
        rehash(&entries, from: 1)
        // Why the server also keeps the head hash elsewhere.
        #expect(AuditChain.verify(entries, hash: fnv) == .intact(count: 5))
    }

    @Test("the first broken record is the one reported")
    func firstBreakWins() {
        var entries = trail(8)
        entries[5].actorName = "李四"
        entries.remove(at: 3)
        entries[1].entityID = "x"
        #expect(AuditChain.verify(entries, hash: fnv) == .broken(seq: 2, reason: .altered))
        entries[1] = trail(8)[1]
        #expect(AuditChain.verify(entries, hash: fnv) == .broken(seq: 5, reason: .deleted))
    }

    @Test("a reason reads as the end of its catalog key")
    func reasonKeys() {
        let keys = AuditVerification.Reason.allCases.map { "audit.reason.\($0)" }
        #expect(
            keys == ["audit.reason.altered", "audit.reason.inserted", "audit.reason.deleted", "audit.reason.bad_link"])
    }
}

@Suite("The canonical form of an audit record")
struct AuditCanonicalTests {
    let entry = AuditEntry(
        seq: 12, at: Date(timeIntervalSince1970: 1_735_689_600.123), actorID: nil, actorName: "系统",
        action: "unit.create", entityType: "unit", entityID: "510121100201", unitPath: nil,
        before: nil, after: "{}", prevHash: "ab", hash: "ignored")

    @Test("every field but the hash, length-prefixed in UTF-8 bytes, nil as ~, time in milliseconds")
    func layout() {
        #expect(
            AuditChain.canonical(entry)
                == "audit/v1|2:12|13:1735689600123|~|6:系统|11:unit.create|4:unit|12:510121100201|~|~|2:{}|2:ab")
    }

    @Test("the hash itself is not part of what is hashed")
    func hashExcluded() {
        var other = entry
        other.hash = "different"
        #expect(AuditChain.canonical(other) == AuditChain.canonical(entry))
    }

    @Test("moving text between neighbouring fields changes the canonical form")
    func unambiguous() {
        var a = entry
        var b = entry
        a.entityType = "unit|4:x"
        a.entityID = "y"
        b.entityType = "unit"
        b.entityID = "x|1:y"
        #expect(AuditChain.canonical(a) != AuditChain.canonical(b))
        var empty = entry
        empty.unitPath = ""
        #expect(AuditChain.canonical(empty) != AuditChain.canonical(entry))
        var zeroActor = entry
        zeroActor.actorID = 0
        #expect(AuditChain.canonical(zeroActor) != AuditChain.canonical(entry))
    }

    @Test("a time that comes back from the database a microsecond off still verifies")
    func timeSurvivesStorage() {
        let sealed = AuditChain.seal(draft(1), after: AuditChain.genesisHash, hash: fnv)
        var stored = sealed
        stored.at = Date(
            timeIntervalSince1970: (sealed.at.timeIntervalSince1970 * 1_000_000).rounded() / 1_000_000 + 0.000_000_4)
        #expect(AuditChain.verify([stored], hash: fnv) == .intact(count: 1))
    }

    @Test("a sealed record's time is cut to the millisecond it is hashed with")
    func sealedTimeIsWholeMilliseconds() {
        var unsealed = draft(1)
        unsealed.at = Date(timeIntervalSince1970: 1_735_689_600.123_456_7)
        let sealed = AuditChain.seal(unsealed, after: AuditChain.genesisHash, hash: fnv)
        #expect(AuditChain.milliseconds(sealed.at) == 1_735_689_600_123)
        #expect(abs(sealed.at.timeIntervalSince1970 - 1_735_689_600.123) < 0.000_001)
    }

    @Test("an entry round-trips through JSON with its time intact")
    func codable() throws {
        let sealed = trail(1)[0]
        let back = try JSONDecoder().decode(AuditEntry.self, from: JSONEncoder().encode(sealed))
        #expect(AuditChain.verify([back], hash: fnv) == .intact(count: 1))
    }
}
