/// An attribute value tied to a finding, with the words it came from.
public struct LinkedValue: Sendable, Equatable {
    public var value: Int
    public var range: Range<Int>
    /// The side written next to this value ("left shoulder"), for attributes the side binds to.
    public var side: String?
    /// Taken from elsewhere in the section or note, not from the mention's own sentence.
    public var inferred: Bool = false
    /// For numeric attributes: the number written (minutes).
    public var number: Int? = nil
    /// For level attributes: the levels these words name.
    public var levels: SpinalLevels? = nil
}

/// A concept affirmed in this note (present, current, the patient's), with its attributes.
///
/// Mentions of the same concept are merged, one finding per value of the concept's `per`
/// attribute (one per joint, one per nerve), because a coder codes the condition of each site
/// once, however often the note repeats it.
public struct Finding: Sendable {
    public var concept: Int
    public var mentions: [Int]
    /// The value of the concept's `per` attribute this finding is about, if it has one.
    public var site: LinkedValue?
    /// attribute id → values linked to the finding.
    public var values: [String: [LinkedValue]]
    /// The side: right, left, bilateral, or nil when none is documented for this finding.
    public var side: String?
    /// Sides the mentions disagreed on (a procedure said right in one place and left in another).
    public var conflictingSides: [String]
}
