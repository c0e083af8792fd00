/// Where segments are cut: at key frames near multiples of the target duration.
///
/// Pure: it sees key frame times, never packets. The segmenter cuts at the first key frame at or after
/// each planned time, so a key frame missing from an index only makes one segment longer.
public enum SegmentPlanner {
    /// Times within this of each other are the same instant (timestamps are rounded by time bases).
    static let tolerance = 0.001

    /// Cut times for copied video: walking through the key frames, each segment ends at the key frame
    /// whose distance from the segment start is nearest the target, never below half of it. The first
    /// segment starts at `start`; a last segment shorter than a quarter of the target joins the one before.
    public static func cuts(keyFrames: [Double], start: Double, end: Double, target: Double) -> [Double] {
        cuts(keyFrames: keyFrames, start: start, end: end, timeline: SegmentTimeline(target: target))
    }

    /// Cut times for copied video with each segment's own target from `timeline` (a fast start's first
    /// segments are shorter); the rules are those of `cuts(keyFrames:start:end:target:)`.
    public static func cuts(keyFrames: [Double], start: Double, end: Double, timeline: SegmentTimeline) -> [Double] {
        var cuts: [Double] = []
        var segmentStart = start
        var candidate: Double?
        var target = timeline.target(ofSegment: 0)
        for keyFrame in keyFrames where keyFrame > segmentStart + tolerance && keyFrame < end - tolerance {
            let elapsed = keyFrame - segmentStart
            if elapsed + tolerance < target {
                if elapsed + tolerance >= target / 2 { candidate = keyFrame }
                continue
            }
            // `keyFrame` is past the target: cut at it or at the key frame before it, whichever is nearer.
            if let earlier = candidate, target - (earlier - segmentStart) < elapsed - target {
                cuts.append(earlier)
                segmentStart = earlier
                candidate = nil
                target = timeline.target(ofSegment: cuts.count)
                let remaining = keyFrame - segmentStart
                if remaining + tolerance >= target {
                    cuts.append(keyFrame)
                    segmentStart = keyFrame
                    target = timeline.target(ofSegment: cuts.count)
                } else if remaining + tolerance >= target / 2 {
                    candidate = keyFrame
                }
            } else {
                cuts.append(keyFrame)
                segmentStart = keyFrame
                candidate = nil
                target = timeline.target(ofSegment: cuts.count)
            }
        }
        // The end of the video counts as one more key frame for the nearest-to-target choice.
        if let earlier = candidate, end - segmentStart >= target + tolerance,
            target - (earlier - segmentStart) < end - segmentStart - target
        {
            cuts.append(earlier)
        }
        if let last = cuts.last, end - last < target / 4 { cuts.removeLast() }
        return cuts
    }

    /// Cut times for re-encoded video, where Shoal places the key frames: every `target` seconds.
    public static func regularCuts(start: Double, end: Double, target: Double) -> [Double] {
        regularCuts(start: start, end: end, timeline: SegmentTimeline(target: target))
    }

    /// Cut times for re-encoded video at the timeline's boundaries (where the encoder forces key frames).
    public static func regularCuts(start: Double, end: Double, timeline: SegmentTimeline) -> [Double] {
        var cuts: [Double] = []
        var time = start + timeline.boundary(1)
        while time < end - timeline.target(ofSegment: cuts.count + 1) / 4 {
            cuts.append(time)
            time = start + timeline.boundary(cuts.count + 1)
        }
        return cuts
    }

    /// The longest stretch without a key frame, counting from the last key frame to `end`.
    public static func longestKeyFrameGap(keyFrames: [Double], end: Double) -> Double {
        guard var previous = keyFrames.first else { return end }
        var longest = 0.0
        for keyFrame in keyFrames.dropFirst() {
            longest = max(longest, keyFrame - previous)
            previous = keyFrame
        }
        return max(longest, end - previous)
    }
}
