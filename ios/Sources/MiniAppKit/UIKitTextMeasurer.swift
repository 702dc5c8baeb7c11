import Foundation
import MiniAppBindings
import UIKit

/// Measures text with iOS's own text stack (an `NSAttributedString` measured with
/// `boundingRect(with:options:context:)` and laid out by a TextKit 1 `NSLayoutManager` to count
/// its lines), so the core lays pages out with the fonts the device draws them in. Sizes are in
/// CSS px, which are iOS points: no scaling. The font is the system font (or `familyName`) at
/// the CSS weight (100…900 mapped to `UIFont.Weight`), italic when asked, with the letter
/// spacing as kerning. Called on the app's logic thread, not the main thread: `UIFont`,
/// `NSAttributedString` measurement and a TextKit 1 layout manager owned by one call are safe
/// off the main thread. The core caches answers per (text, font, width).
///
/// Kotlin twin: `AndroidTextMeasurer` (android/src/main/kotlin/dev/miniapp/android/AndroidTextMeasurer.kt).
public final class UIKitTextMeasurer: TextMeasurer, @unchecked Sendable {
    /// A font family to use instead of the system font (nil: the system font).
    private let familyName: String?

    /// - Parameter familyName: a font family installed in the app (for example "PingFang SC");
    ///   nil measures with the system font.
    public init(familyName: String? = nil) {
        self.familyName = familyName
    }

    public func measure(text: String, font: FontRecord, maxWidth: Float?) throws
        -> TextMetricsRecord
    {
        let lineHeight = font.lineHeight
        if !(font.size > 0) {
            // nothing to draw with: one empty line per `\n`
            let lines = max(1, text.components(separatedBy: "\n").count)
            return TextMetricsRecord(
                width: 0,
                height: Float(lines) * lineHeight,
                baseline: lineHeight / 2,
                lines: UInt32(lines)
            )
        }

        let size = CGFloat(font.size)
        let uiFont = makeFont(size: size, weight: font.weight, italic: font.italic)
        var attributes: [NSAttributedString.Key: Any] = [.font: uiFont]
        if font.letterSpacing != 0 && font.letterSpacing.isFinite {
            attributes[.kern] = NSNumber(value: Double(font.letterSpacing))
        }
        let attributed = NSAttributedString(string: text, attributes: attributes)

        // as Android rounds the wrap width up, so a run measured at its own width still fits
        var wrapWidth = CGFloat.greatestFiniteMagnitude
        if let limit = maxWidth, limit.isFinite {
            wrapWidth = max(1, ceil(CGFloat(limit)))
        }

        let bounds = attributed.boundingRect(
            with: CGSize(width: wrapWidth, height: CGFloat.greatestFiniteMagnitude),
            options: [.usesLineFragmentOrigin, .usesFontLeading],
            context: nil
        )

        let storage = NSTextStorage(attributedString: attributed)
        let layoutManager = NSLayoutManager()
        let container = NSTextContainer(
            size: CGSize(width: wrapWidth, height: CGFloat.greatestFiniteMagnitude)
        )
        container.lineFragmentPadding = 0
        container.maximumNumberOfLines = 0
        layoutManager.addTextContainer(container)
        storage.addLayoutManager(layoutManager)

        let glyphRange = layoutManager.glyphRange(for: container)
        var lineCount = 0
        var widest: CGFloat = 0
        layoutManager.enumerateLineFragments(forGlyphRange: glyphRange) {
            _, usedRect, _, _, _ in
            lineCount += 1
            if usedRect.width > widest {
                widest = usedRect.width
            }
        }
        // a trailing `\n` starts one more (empty) line, as on Android
        if layoutManager.extraLineFragmentTextContainer != nil {
            lineCount += 1
        }
        let lines = max(1, lineCount)

        var width = bounds.width
        if !width.isFinite || width < 0 {
            width = widest
        }
        let glyphs = uiFont.ascender - uiFont.descender // descender is negative
        let baseline = (CGFloat(lineHeight) - glyphs) / 2 + uiFont.ascender
        return TextMetricsRecord(
            width: Float(width),
            height: Float(lines) * lineHeight,
            baseline: Float(baseline),
            lines: UInt32(lines)
        )
    }

    /// The font at `size` points: the CSS `weight` mapped to `UIFont.Weight`, italic if asked.
    private func makeFont(size: CGFloat, weight: Float, italic: Bool) -> UIFont {
        let uiWeight = UIKitTextMeasurer.fontWeight(weight)
        var font = UIFont.systemFont(ofSize: size, weight: uiWeight)
        if let family = familyName, !family.isEmpty {
            let traits: [UIFontDescriptor.TraitKey: Any] = [.weight: uiWeight.rawValue]
            let descriptor = UIFontDescriptor(fontAttributes: [
                .family: family,
                .traits: traits,
            ])
            font = UIFont(descriptor: descriptor, size: size)
        }
        if italic {
            let descriptor = font.fontDescriptor
            let symbolic = descriptor.symbolicTraits.union(.traitItalic)
            if let italicDescriptor = descriptor.withSymbolicTraits(symbolic) {
                font = UIFont(descriptor: italicDescriptor, size: size)
            }
        }
        return font
    }

    /// CSS `font-weight` (100…900) as the nearest `UIFont.Weight`.
    private static func fontWeight(_ weight: Float) -> UIFont.Weight {
        if weight < 150 { return .ultraLight }
        if weight < 250 { return .thin }
        if weight < 350 { return .light }
        if weight < 450 { return .regular }
        if weight < 550 { return .medium }
        if weight < 650 { return .semibold }
        if weight < 750 { return .bold }
        if weight < 850 { return .heavy }
        return .black
    }
}
