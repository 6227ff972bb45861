import Testing
@testable import NoteCoder

/// Level notation as real notes write it, read into levels and joints.
@Suite struct SpinalLevelsTests {
    func parse(_ text: String) -> SpinalLevels { SpinalLevels.parse(Array(text.utf8)) }

    @Test("segments written every usual way are one joint each")
    func segments() {
        #expect(parse("L4-5 and L5-S1").names == ["L4-L5", "L5-S1"])
        #expect(parse("L4-L5").jointCount == 1)
        #expect(parse("C7-T1").names == ["C7-T1"])
        // mts-1886: compact spelling without a hyphen.
        let compact = parse("L34, L45, L5S1")
        #expect(compact.jointCount == 3)
        #expect(compact.names == ["L3-L4", "L4-L5", "L5-S1"])
    }

    @Test("ranges of vertebrae count every level between the ends")
    func ranges() {
        let intercostal = parse("T6 through T9")
        #expect(intercostal.levelCount == 4)
        #expect(parse("L3 to L5").levelCount == 3)
        // A range of segments: L3-4, L4-5, L5-S1.
        #expect(parse("L3-4 to L5-S1").jointCount == 3)
        // A hyphen between non-adjacent vertebrae is a range, not one segment.
        #expect(parse("C3-C6").levelCount == 4)
    }

    @Test("medial branch nerves: two adjacent nerves supply one joint")
    func nervesToJoints() {
        let nerves = parse("L3, L4 and L5")
        #expect(nerves.levelCount == 3)
        #expect(nerves.jointCount == 2)
        #expect(parse("L3, 4 and 5").levelCount == 3)
        #expect(parse("L5").jointCount == 1)
    }

    @Test("nerves and the joints they supply, written together, are the same joints")
    func nervesBesideTheirJoints() {
        // Lumbar: the L2 and L3 medial branches supply L3-4, L3 and L4 supply L4-5.
        #expect(parse("Left L2, L3 and L4 medial branch blocks (left L3-L4 and L4-L5 facet joint nerves)").jointCount == 2)
        #expect(parse("L4-5 and L5-S1 facet joints (L3 and L4 medial branches and L5 dorsal rami)").jointCount == 2)
        // Neck: C3 and C4 supply C3-4.
        #expect(parse("Left C3, C4, C5, C6 medial branches (left C3-4, C4-5, C5-6 facet joints)").jointCount == 3)
        // Nerves that supply a joint the note does not name add it.
        #expect(parse("L2, L3 and L4 medial branches; L4-L5").jointCount == 2)
        #expect(parse("L2, L3 and L4 medial branches; L5-S1").jointCount == 3)
    }

    @Test("a thoracic vertebra of two digits is not a compact segment")
    func twoDigitThoracic() {
        #expect(parse("T12").names == ["T12"])
        #expect(parse("T11-12").names == ["T11-T12"])
    }

    @Test("words that are not levels read as nothing")
    func notLevels() {
        #expect(parse("a 25-gauge needle at 50 Hz").isEmpty)
        #expect(parse("***").isEmpty)
    }
}
