/// Seconds as people read them in messages: "4 s", "10.5 s", "1:02:03".
enum DurationText {
    static func seconds(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10) s" : "\(tenths / 10).\(tenths % 10) s"
    }

    static func clock(_ value: Double) -> String {
        let total = max(0, Int(value.rounded(.down)))
        let (hours, minutes, seconds) = (total / 3600, total / 60 % 60, total % 60)
        let mm = minutes < 10 ? "0\(minutes)" : "\(minutes)"
        let ss = seconds < 10 ? "0\(seconds)" : "\(seconds)"
        return hours > 0 ? "\(hours):\(mm):\(ss)" : "\(minutes):\(ss)"
    }
}
