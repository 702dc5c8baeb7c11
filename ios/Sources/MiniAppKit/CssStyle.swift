import UIKit

/// A node's resolved visual style as the core sends it in `set_style` (docs/render-protocol.md,
/// "Styles and frames"), applied to a UIKit view. Lengths are CSS px, which are iOS points: no
/// scaling. Only what the core resolved is applied: the host never runs CSS. Main thread.
///
/// Kotlin twin: `CssStyle` (android/src/main/kotlin/dev/miniapp/android/CssStyle.kt).
final class CssStyle {
    private let style: [String: Any]

    init(json: String) {
        let data = Data(json.utf8)
        let parsed = try? JSONSerialization.jsonObject(with: data, options: [])
        style = parsed as? [String: Any] ?? [:]
    }

    /// False for `display: none`.
    var displayed: Bool {
        return string("display") != "none"
    }

    /// CSS `z-index` (0 when auto): siblings draw and take touches in this order.
    var zIndex: Int {
        return (style["zIndex"] as? NSNumber)?.intValue ?? 0
    }

    /// `transition` entries (`[{property, duration, timingFunction, delay}]`), if any.
    var transition: [[String: Any]]? {
        return style["transition"] as? [[String: Any]]
    }

    /// `animation` entries with resolved keyframes, if any.
    var animation: [[String: Any]]? {
        return style["animation"] as? [[String: Any]]
    }

    /// The resolved `transform` text (empty: none).
    var transformText: String {
        return string("transform")
    }

    /// The `animation` value as text, to tell whether it changed.
    var animationText: String {
        guard let value = style["animation"] else { return "" }
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Background color, corner radii and border; opacity and visibility.
    func applyBox(_ view: UIView) {
        view.backgroundColor = color("backgroundColor")
        (view as? NodeView)?.gradient = CssGradient.parse(string("backgroundImage"))
        let radii = floats("borderRadius") ?? []
        let largest = radii.max() ?? 0
        view.layer.cornerRadius = CGFloat(largest)
        if largest > 0 && radii.count == 4 {
            // top-left, top-right, bottom-right, bottom-left
            var corners: CACornerMask = []
            if radii[0] > 0 { corners.insert(.layerMinXMinYCorner) }
            if radii[1] > 0 { corners.insert(.layerMaxXMinYCorner) }
            if radii[2] > 0 { corners.insert(.layerMaxXMaxYCorner) }
            if radii[3] > 0 { corners.insert(.layerMinXMaxYCorner) }
            view.layer.maskedCorners = corners
        }
        let widths = (floats("borderWidth") ?? [0, 0, 0, 0]).map { CGFloat($0) }
        let names = style["borderColor"] as? [String] ?? []
        let colors = (0..<4).map { i in i < names.count ? CssStyle.parseColor(names[i]) ?? .black : .black }
        let sides = SideBorders(widths: widths.count == 4 ? widths : [0, 0, 0, 0], colors: colors)
        if sides.uniform {
            // one width and color all round: the layer's own border
            view.layer.borderWidth = sides.widths[0]
            view.layer.borderColor = sides.colors[0].cgColor
            (view as? NodeView)?.sideBorders = nil
        } else if let node = view as? NodeView {
            // `border-left: 4px solid transparent` and the like: each side on its own
            view.layer.borderWidth = 0
            node.sideBorders = sides
        } else {
            let visible = (0..<4).filter { sides.widths[$0] > 0 && sides.colors[$0].cgColor.alpha > 0 }
            view.layer.borderWidth = visible.map { sides.widths[$0] }.max() ?? 0
            view.layer.borderColor = visible.first.map { sides.colors[$0].cgColor }
        }
        if let opacity = style["opacity"] as? NSNumber {
            view.alpha = CGFloat(opacity.doubleValue)
        } else {
            view.alpha = 1
        }
        view.isHidden = !displayed || string("visibility") == "hidden"
    }

    /// `overflow: hidden` (or scroll/auto) clips the children, to the rounded corners too; CSS
    /// lets them overflow otherwise.
    func applyClipping(_ view: UIView) {
        let overflow = style["overflow"] as? [String] ?? []
        view.clipsToBounds = overflow.contains { $0 != "visible" }
    }

    /// The resolved CSS transform (`translate`, `translateX/Y`, `rotate`, `scale`, `scaleX/Y`),
    /// about the view's center as CSS's default origin (the parent places views by their
    /// center and bounds, so the transform never moves the frame the core computed).
    func applyTransform(_ view: UIView) {
        view.transform = CssStyle.affineTransform(CssStyle.transformValues(string("transform")))
    }

    /// Font, color, alignment, line height, decoration and clamping of a text run.
    func applyText(_ label: UILabel, text: String) {
        let size = CGFloat((style["fontSize"] as? NSNumber)?.doubleValue ?? 16)
        let weight = (style["fontWeight"] as? NSNumber)?.doubleValue ?? 400
        let fontStyle = string("fontStyle")
        label.font = CssStyle.font(size: size, weight: weight, italic: fontStyle == "italic" || fontStyle == "oblique")
        label.textColor = color("color") ?? UIColor.black
        let clamp = (style["lineClamp"] as? NSNumber)?.intValue ?? 0
        let oneLine = string("textOverflow") == "ellipsis" && string("whiteSpace") == "nowrap"
        if clamp > 0 {
            label.numberOfLines = clamp
        } else if oneLine {
            label.numberOfLines = 1
        } else {
            label.numberOfLines = 0
        }
        label.lineBreakMode = (clamp > 0 || oneLine) ? .byTruncatingTail : .byWordWrapping
        let paragraph = NSMutableParagraphStyle()
        if let lineHeight = style["lineHeight"] as? NSNumber {
            paragraph.minimumLineHeight = CGFloat(lineHeight.doubleValue)
            paragraph.maximumLineHeight = CGFloat(lineHeight.doubleValue)
        }
        paragraph.lineBreakMode = label.lineBreakMode
        switch string("textAlign") {
        case "center": paragraph.alignment = .center
        case "right", "end": paragraph.alignment = .right
        case "justify": paragraph.alignment = .justified
        default: paragraph.alignment = .left
        }
        var attributes: [NSAttributedString.Key: Any] = [
            .font: label.font as Any,
            .foregroundColor: label.textColor as Any,
            .paragraphStyle: paragraph,
        ]
        let decoration = string("textDecoration")
        if decoration.contains("underline") {
            attributes[.underlineStyle] = NSUnderlineStyle.single.rawValue
        }
        if decoration.contains("line-through") {
            attributes[.strikethroughStyle] = NSUnderlineStyle.single.rawValue
        }
        if let spacing = style["letterSpacing"] as? NSNumber {
            attributes[.kern] = CGFloat(spacing.doubleValue)
        }
        label.attributedText = NSAttributedString(string: text, attributes: attributes)
    }

    private func string(_ key: String) -> String {
        return style[key] as? String ?? ""
    }

    private func color(_ key: String) -> UIColor? {
        let text = string(key)
        return text.isEmpty ? nil : CssStyle.parseColor(text)
    }

    private func floats(_ key: String) -> [Float]? {
        guard let values = style[key] as? [NSNumber] else { return nil }
        return values.map { $0.floatValue }
    }

    /// The system font at a CSS weight (100…900) and style.
    static func font(size: CGFloat, weight: Double, italic: Bool) -> UIFont {
        let uiWeight: UIFont.Weight
        switch weight {
        case ..<150: uiWeight = .ultraLight
        case ..<250: uiWeight = .thin
        case ..<350: uiWeight = .light
        case ..<450: uiWeight = .regular
        case ..<550: uiWeight = .medium
        case ..<650: uiWeight = .semibold
        case ..<750: uiWeight = .bold
        case ..<850: uiWeight = .heavy
        default: uiWeight = .black
        }
        let base = UIFont.systemFont(ofSize: size, weight: uiWeight)
        if italic, let descriptor = base.fontDescriptor.withSymbolicTraits(.traitItalic) {
            return UIFont(descriptor: descriptor, size: size)
        }
        return base
    }

    /// A resolved CSS transform as translation x, y (CSS px), rotation (degrees), scale x, y.
    static func transformValues(_ text: String) -> [CGFloat] {
        var tx: CGFloat = 0
        var ty: CGFloat = 0
        var rotation: CGFloat = 0
        var sx: CGFloat = 1
        var sy: CGFloat = 1
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "("), let close = rest[open...].firstIndex(of: ")") {
            let name = rest[..<open].trimmingCharacters(in: CharacterSet(charactersIn: " ,"))
            let args = rest[rest.index(after: open)..<close].split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            rest = rest[rest.index(after: close)...]
            func length(_ i: Int) -> CGFloat {
                guard i < args.count else { return 0 }
                let value = args[i].hasSuffix("px") ? String(args[i].dropLast(2)) : args[i]
                return CGFloat(Double(value) ?? 0)
            }
            func number(_ i: Int, _ fallback: CGFloat) -> CGFloat {
                guard i < args.count, let value = Double(args[i]) else { return fallback }
                return CGFloat(value)
            }
            switch name {
            case "translate":
                tx += length(0)
                ty += length(1)
            case "translateX":
                tx += length(0)
            case "translateY":
                ty += length(0)
            case "rotate":
                rotation += args.isEmpty ? 0 : degrees(args[0])
            case "scale":
                sx *= number(0, 1)
                sy *= number(1, number(0, 1))
            case "scaleX":
                sx *= number(0, 1)
            case "scaleY":
                sy *= number(0, 1)
            default:
                break
            }
        }
        return [tx, ty, rotation, sx, sy]
    }

    /// An angle (`45deg`, `0.5turn`, `1rad`, or plain degrees) in degrees.
    private static func degrees(_ angle: String) -> CGFloat {
        if angle.hasSuffix("deg") {
            return CGFloat(Double(angle.dropLast(3)) ?? 0)
        }
        if angle.hasSuffix("turn") {
            return CGFloat((Double(angle.dropLast(4)) ?? 0) * 360)
        }
        if angle.hasSuffix("rad") {
            return CGFloat((Double(angle.dropLast(3)) ?? 0) * 180 / Double.pi)
        }
        return CGFloat(Double(angle) ?? 0)
    }

    /// Translation, rotation and scale values as one affine transform (in that order, as CSS
    /// applies `translate() rotate() scale()`).
    static func affineTransform(_ values: [CGFloat]) -> CGAffineTransform {
        return CGAffineTransform(translationX: values[0], y: values[1])
            .rotated(by: values[2] * CGFloat.pi / 180)
            .scaledBy(x: values[3], y: values[4])
    }

    /// `#rrggbbaa` (the core's form) or `#rrggbb` as a UIColor.
    static func parseColor(_ text: String) -> UIColor? {
        let hex = text.hasPrefix("#") ? String(text.dropFirst()) : text
        guard let value = UInt64(hex, radix: 16) else { return nil }
        switch hex.count {
        case 8:
            return UIColor(
                red: CGFloat((value >> 24) & 0xff) / 255,
                green: CGFloat((value >> 16) & 0xff) / 255,
                blue: CGFloat((value >> 8) & 0xff) / 255,
                alpha: CGFloat(value & 0xff) / 255
            )
        case 6:
            return UIColor(
                red: CGFloat((value >> 16) & 0xff) / 255,
                green: CGFloat((value >> 8) & 0xff) / 255,
                blue: CGFloat(value & 0xff) / 255,
                alpha: 1
            )
        default:
            return nil
        }
    }
}
