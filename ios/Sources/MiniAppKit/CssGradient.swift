import UIKit

/// A CSS `linear-gradient(...)` as the core resolves it into `backgroundImage` (angle in `deg`,
/// color stops with `%` positions: `linear-gradient(135deg, rgb(31, 111, 235) 0%, …)`), drawn by
/// a `CAGradientLayer` under the element's content. Other images (`url()`, radial gradients)
/// are not drawn. Main thread.
///
/// Kotlin twin: `CssGradient` (android/src/main/kotlin/dev/miniapp/android/CssGradient.kt).
final class CssGradient {
    let angle: CGFloat
    let colors: [UIColor]
    let positions: [CGFloat]
    let layer = CAGradientLayer()

    init(angle: CGFloat, colors: [UIColor], positions: [CGFloat]) {
        self.angle = angle
        self.colors = colors
        self.positions = positions
    }

    /// The first linear gradient of a `backgroundImage` value, or nil.
    static func parse(_ text: String) -> CssGradient? {
        guard let open = text.range(of: "linear-gradient(") else { return nil }
        guard let body = inner(text[open.upperBound...]) else { return nil }
        var args = splitTopLevel(body)
        guard !args.isEmpty else { return nil }
        var angle: CGFloat = 180
        if args[0].hasSuffix("deg") {
            angle = CGFloat(Double(args[0].dropLast(3).trimmingCharacters(in: .whitespaces)) ?? 180)
            args.removeFirst()
        }
        var colors: [UIColor] = []
        var positions: [CGFloat] = []
        for (i, stop) in args.enumerated() {
            var colorText = stop
            var position: CGFloat?
            if stop.hasSuffix("%"), !stop.hasSuffix(")"), let cut = stop.lastIndex(of: " ") {
                colorText = String(stop[..<cut]).trimmingCharacters(in: .whitespaces)
                position = Double(stop[stop.index(after: cut)...].dropLast()).map { CGFloat($0) / 100 }
            }
            guard let color = parseCssColor(colorText) else { return nil }
            colors.append(color)
            positions.append(position ?? (args.count > 1 ? CGFloat(i) / CGFloat(args.count - 1) : 0))
        }
        return colors.count < 2 ? nil : CssGradient(angle: angle, colors: colors, positions: positions)
    }

    /// Lays the gradient over `bounds` along CSS's gradient line: through the center at `angle`
    /// (0deg up, 90deg right), long enough to reach the far corners.
    func draw(in host: CALayer) {
        if layer.superlayer !== host {
            host.insertSublayer(layer, at: 0)
        }
        let b = host.bounds
        layer.frame = b
        layer.cornerRadius = host.cornerRadius
        layer.maskedCorners = host.maskedCorners
        layer.colors = colors.map { $0.cgColor }
        layer.locations = positions.map { NSNumber(value: Double($0)) }
        let rad = angle * CGFloat.pi / 180
        let dx = sin(rad)
        let dy = -cos(rad)
        let half = (abs(b.width * dx) + abs(b.height * dy)) / 2
        let w = max(b.width, 1)
        let h = max(b.height, 1)
        layer.startPoint = CGPoint(x: 0.5 - dx * half / w, y: 0.5 - dy * half / h)
        layer.endPoint = CGPoint(x: 0.5 + dx * half / w, y: 0.5 + dy * half / h)
    }

    func remove() {
        layer.removeFromSuperlayer()
    }

    /// The text inside the parentheses opened just before `text`.
    private static func inner(_ text: Substring) -> String? {
        var depth = 1
        for index in text.indices {
            if text[index] == "(" {
                depth += 1
            } else if text[index] == ")" {
                depth -= 1
                if depth == 0 { return String(text[..<index]) }
            }
        }
        return nil
    }

    /// Splits at commas outside parentheses.
    private static func splitTopLevel(_ text: String) -> [String] {
        var out: [String] = []
        var depth = 0
        var current = ""
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if character == "," && depth == 0 {
                out.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        out.append(current.trimmingCharacters(in: .whitespaces))
        return out.filter { !$0.isEmpty }
    }

    /// A CSS color: `#rgb`, `#rrggbb`, `#rrggbbaa`, `rgb()`/`rgba()`, `transparent` or a basic name.
    static func parseCssColor(_ text: String) -> UIColor? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t == "transparent" { return .clear }
        if t.hasPrefix("#") {
            let hex = String(t.dropFirst())
            if hex.count == 3 {
                return CssStyle.parseColor("#" + hex.map { "\($0)\($0)" }.joined())
            }
            return CssStyle.parseColor(t)
        }
        if t.hasPrefix("rgb"), let open = t.firstIndex(of: "("), let close = t.firstIndex(of: ")") {
            let parts = t[t.index(after: open)..<close]
                .split(whereSeparator: { $0 == "," || $0 == " " || $0 == "/" })
                .map { String($0) }
            guard parts.count >= 3 else { return nil }
            func channel(_ s: String) -> CGFloat {
                if s.hasSuffix("%") { return CGFloat(Double(s.dropLast()) ?? 0) / 100 }
                return CGFloat(Double(s) ?? 0) / 255
            }
            var alpha: CGFloat = 1
            if parts.count > 3 {
                let a = parts[3]
                alpha = a.hasSuffix("%") ? CGFloat(Double(a.dropLast()) ?? 100) / 100 : CGFloat(Double(a) ?? 1)
            }
            return UIColor(red: channel(parts[0]), green: channel(parts[1]), blue: channel(parts[2]), alpha: alpha)
        }
        let names: [String: String] = [
            "black": "#000000", "white": "#ffffff", "red": "#ff0000", "green": "#008000", "blue": "#0000ff",
            "yellow": "#ffff00", "orange": "#ffa500", "purple": "#800080", "gray": "#808080", "grey": "#808080",
            "silver": "#c0c0c0", "pink": "#ffc0cb", "cyan": "#00ffff", "magenta": "#ff00ff", "navy": "#000080",
            "teal": "#008080", "maroon": "#800000", "olive": "#808000", "lime": "#00ff00", "aqua": "#00ffff",
        ]
        return names[t.lowercased()].flatMap { CssStyle.parseColor($0) }
    }
}
