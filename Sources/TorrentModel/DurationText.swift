/// Seconds as people read them in messages and summaries: "4 s", "10.5 s", "20.000 s", "1:02:03".
public enum DurationText {
    /// To a tenth of a second, without a zero tenth: "4 s", "10.5 s".
    public static func seconds(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10) s" : "\(tenths / 10).\(tenths % 10) s"
    }

    /// To the millisecond: "20.000 s", "-0.250 s".
    public static func milliseconds(_ value: Double) -> String {
        let millis = Int((value * 1000).rounded())
        let sign = millis < 0 ? "-" : ""
        let magnitude = abs(millis)
        let fraction = String(magnitude % 1000)
        return "\(sign)\(magnitude / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction) s"
    }

    /// To the millisecond: "20.000 s", "-0.250 s".
    public static func milliseconds(_ duration: Duration) -> String { milliseconds(duration / .seconds(1)) }

    /// A clock reading, whole seconds: "0:20", "12:05", "1:02:03".
    public static func clock(_ value: Double) -> String {
        let total = max(0, Int(value.rounded(.down)))
        let (hours, minutes, seconds) = (total / 3600, total / 60 % 60, total % 60)
        let mm = minutes < 10 ? "0\(minutes)" : "\(minutes)"
        let ss = seconds < 10 ? "0\(seconds)" : "\(seconds)"
        return hours > 0 ? "\(hours):\(mm):\(ss)" : "\(minutes):\(ss)"
    }
}
