import UIKit

/// CSS transitions and `@keyframes` animations as the core resolves them into `set_style`
/// (docs/render-protocol.md, "Animations"), played with Core Animation on the view's opacity
/// and transform (translation, rotation, scale). The core fires the
/// `animation*`/`transitionend` events on its own clock; this only draws. Main thread.
///
/// Kotlin twin: `CssMotion` (android/src/main/kotlin/dev/miniapp/android/CssMotion.kt).
enum CssMotion {
    /// The layer animation key of what plays on a view.
    static let key = "miniapp.motion"

    /// Opacity and the transform's values (translation x/y, rotation in degrees, scale x/y).
    struct Values: Equatable {
        var opacity: CGFloat
        var transform: [CGFloat]

        func movesOpacity(from other: Values) -> Bool {
            return abs(opacity - other.opacity) > 1e-4
        }

        func movesTransform(from other: Values) -> Bool {
            return zip(transform, other.transform).contains { abs($0 - $1) > 1e-4 }
        }
    }

    /// The animation playing on `view` (an animation or a transition), if any.
    static func animationOf(_ view: UIView) -> CAAnimation? {
        return view.layer.animation(forKey: key)
    }

    /// The view's values as its style set them, before a new style is applied.
    static func snapshot(_ style: CssStyle?, alpha: CGFloat) -> Values {
        let transform = style.map { CssStyle.transformValues($0.transformText) } ?? [0, 0, 0, 1, 1]
        return Values(opacity: alpha, transform: transform)
    }

    /// After `next` was applied: starts its animations when they changed, or plays its
    /// transitions from `before` to the values just applied.
    static func play(_ view: UIView, previous: CssStyle?, next: CssStyle, before: Values) {
        let after = snapshot(next, alpha: view.alpha)
        if next.animationText != (previous?.animationText ?? "") {
            view.layer.removeAnimation(forKey: key)
            if let first = next.animation?.first, let animation = keyframes(first, base: after) {
                view.layer.add(animation, forKey: key)
                return
            }
        }
        guard let transitions = next.transition, previous != nil else { return }
        var parts: [CAAnimation] = []
        var duration: Double = 0
        var delay: Double = 0
        var timing = CAMediaTimingFunction(name: .default)
        if after.movesOpacity(from: before), let t = transitionFor(transitions, "opacity") {
            let a = CABasicAnimation(keyPath: "opacity")
            a.fromValue = before.opacity
            a.toValue = after.opacity
            parts.append(a)
            duration = max(duration, milliseconds(t["duration"]))
            delay = max(delay, milliseconds(t["delay"]))
            timing = timingFunction(t["timingFunction"] as? String ?? "ease")
        }
        if after.movesTransform(from: before), let t = transitionFor(transitions, "transform") {
            let a = CABasicAnimation(keyPath: "transform")
            a.fromValue = NSValue(caTransform3D: CATransform3DMakeAffineTransform(CssStyle.affineTransform(before.transform)))
            a.toValue = NSValue(caTransform3D: CATransform3DMakeAffineTransform(CssStyle.affineTransform(after.transform)))
            parts.append(a)
            duration = max(duration, milliseconds(t["duration"]))
            delay = max(delay, milliseconds(t["delay"]))
            timing = timingFunction(t["timingFunction"] as? String ?? "ease")
        }
        if parts.isEmpty || duration <= 0 { return }
        for part in parts {
            part.duration = duration / 1000
        }
        let group = CAAnimationGroup()
        group.animations = parts
        group.duration = duration / 1000
        group.timingFunction = timing
        // before the delay ends, the old values show (CSS `transition-delay`)
        group.beginTime = CACurrentMediaTime() + delay / 1000
        group.fillMode = .backwards
        view.layer.removeAnimation(forKey: key)
        view.layer.add(group, forKey: key)
    }

    /// The last transition entry naming `property` or `all`, as CSS picks it.
    private static func transitionFor(_ list: [[String: Any]], _ property: String) -> [String: Any]? {
        return list.last { ($0["property"] as? String) == property || ($0["property"] as? String) == "all" }
    }

    /// One animation's keyframes on opacity and transform; nil when they move nothing.
    static func keyframes(_ animation: [String: Any], base: Values) -> CAAnimation? {
        guard let frames = animation["keyframes"] as? [[String: Any]], !frames.isEmpty else { return nil }
        var offsets: [NSNumber] = []
        var opacities: [CGFloat] = []
        var transforms: [[CGFloat]] = []
        for frame in frames {
            let style = frame["style"] as? [String: Any] ?? [:]
            offsets.append(NSNumber(value: (frame["offset"] as? NSNumber)?.doubleValue ?? 0))
            if style.keys.contains("opacity") {
                opacities.append(CGFloat((style["opacity"] as? NSNumber)?.doubleValue ?? 1))
            } else {
                opacities.append(base.opacity)
            }
            if style.keys.contains("transform") {
                transforms.append(CssStyle.transformValues(style["transform"] as? String ?? ""))
            } else {
                transforms.append(base.transform)
            }
        }
        var parts: [CAAnimation] = []
        if opacities.contains(where: { abs($0 - base.opacity) > 1e-4 }) {
            let a = CAKeyframeAnimation(keyPath: "opacity")
            a.values = opacities
            a.keyTimes = offsets
            parts.append(a)
        }
        if transforms.contains(where: { t in zip(t, base.transform).contains { abs($0 - $1) > 1e-4 } }) {
            let a = CAKeyframeAnimation(keyPath: "transform")
            a.values = transforms.map { NSValue(caTransform3D: CATransform3DMakeAffineTransform(CssStyle.affineTransform($0))) }
            a.keyTimes = offsets
            parts.append(a)
        }
        if parts.isEmpty { return nil }
        let duration = milliseconds(animation["duration"]) / 1000
        let timing = timingFunction(animation["timingFunction"] as? String ?? "ease")
        for part in parts {
            part.duration = duration
            if let keyframe = part as? CAKeyframeAnimation {
                keyframe.timingFunctions = Array(repeating: timing, count: max(1, offsets.count - 1))
            }
        }
        let group = CAAnimationGroup()
        group.animations = parts
        group.duration = duration
        group.beginTime = CACurrentMediaTime() + max(0, milliseconds(animation["delay"])) / 1000
        if let count = animation["iterationCount"] as? NSNumber {
            group.repeatCount = Float(count.doubleValue)
        } else {
            group.repeatCount = Float.infinity
        }
        group.autoreverses = (animation["direction"] as? String ?? "").hasPrefix("alternate")
        return group
    }

    private static func milliseconds(_ value: Any?) -> Double {
        return (value as? NSNumber)?.doubleValue ?? 0
    }

    /// CSS timing functions as Core Animation timing functions.
    static func timingFunction(_ css: String) -> CAMediaTimingFunction {
        if css.hasPrefix("cubic-bezier("), let close = css.firstIndex(of: ")") {
            let inner = css[css.index(css.startIndex, offsetBy: 13)..<close]
            let points = inner.split(separator: ",").compactMap { Float($0.trimmingCharacters(in: .whitespaces)) }
            if points.count == 4 {
                return CAMediaTimingFunction(controlPoints: points[0], points[1], points[2], points[3])
            }
        }
        switch css {
        case "linear": return CAMediaTimingFunction(name: .linear)
        case "ease-in": return CAMediaTimingFunction(name: .easeIn)
        case "ease-out": return CAMediaTimingFunction(name: .easeOut)
        case "ease-in-out": return CAMediaTimingFunction(name: .easeInEaseOut)
        default: return CAMediaTimingFunction(controlPoints: 0.25, 0.1, 0.25, 1) // `ease`
        }
    }
}
