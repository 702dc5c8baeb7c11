import ObjectiveC
import UIKit

/// What the host keeps per node: its id, WXML tag, attributes, listened events, frame and
/// style. Main thread.
///
/// Kotlin twin: `NodeInfo` (android/src/main/kotlin/dev/miniapp/android/NodeLayout.kt).
final class NodeInfo {
    let id: UInt32
    let tag: String
    /// Attributes as the core sent them (JSON text).
    var attrs: [String: String] = [:]
    var listens: Set<String> = []
    /// Border box in CSS px (points), relative to the parent.
    var frame: CGRect = .zero
    var style: CssStyle?
    /// A text run's text (its label shows it with the run's style).
    var text: String = ""

    init(id: UInt32, tag: String) {
        self.id = id
        self.tag = tag
    }

    /// An attribute's value, parsed from its JSON text.
    func attr(_ name: String) -> Any? {
        guard let text = attrs[name] else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    /// An attribute as a number (a JSON number or a numeric string).
    func number(_ name: String, _ fallback: Double) -> Double {
        let value = attr(name)
        if let n = value as? NSNumber { return n.doubleValue }
        if let s = value as? String, let n = Double(s) { return n }
        return fallback
    }
}

private var nodeInfoKey: UInt8 = 0

extension UIView {
    /// The node this view draws (Android keeps it in `View.tag`).
    var node: NodeInfo? {
        get { return objc_getAssociatedObject(self, &nodeInfoKey) as? NodeInfo }
        set { objc_setAssociatedObject(self, &nodeInfoKey, newValue, .OBJC_ASSOCIATION_RETAIN_NONATOMIC) }
    }
}

/// An element's view: places each child exactly where the core's `set_frame` put it (the core
/// did the layout). Children are placed by center and bounds, so a CSS transform applies about
/// their center without moving their frame. Siblings draw in `z-index` order (document order
/// among equals) through their layers' `zPosition`; the subview order stays the document order.
///
/// Kotlin twin: `NodeLayout` (android/src/main/kotlin/dev/miniapp/android/NodeLayout.kt).
class NodeView: UIView {
    override init(frame: CGRect) {
        super.init(frame: frame)
        // CSS lets children overflow unless `overflow` says otherwise (CssStyle.applyClipping).
        clipsToBounds = false
    }

    required init?(coder: NSCoder) {
        return nil
    }

    /// Subview indices in drawing order: by `z-index`, then document order.
    func drawingOrder() -> [Int] {
        let indices = Array(subviews.indices)
        return indices.sorted { a, b in
            let za = subviews[a].node?.style?.zIndex ?? 0
            let zb = subviews[b].node?.style?.zIndex ?? 0
            return za == zb ? a < b : za < zb
        }
    }

    /// Gives each child's layer its drawing position (after a style or child change).
    func updateDrawingOrder() {
        for (position, index) in drawingOrder().enumerated() {
            subviews[index].layer.zPosition = CGFloat(position)
        }
    }

    /// Border sides that differ in width or color (drawn by `SideBorders`); nil when the
    /// layer's own uniform border is used.
    var sideBorders: SideBorders? {
        didSet {
            oldValue?.remove()
            setNeedsLayout()
        }
    }

    /// A `linear-gradient` background image, drawn over the background color.
    var gradient: CssGradient? {
        didSet {
            oldValue?.remove()
            setNeedsLayout()
        }
    }

    override func layoutSubviews() {
        super.layoutSubviews()
        gradient?.draw(in: layer)
        sideBorders?.draw(in: layer, above: gradient?.layer)
        for child in subviews {
            guard let f = child.node?.frame else { continue }
            child.bounds = CGRect(x: child.bounds.origin.x, y: child.bounds.origin.y, width: f.width, height: f.height)
            child.center = CGPoint(x: f.minX + f.width / 2, y: f.minY + f.height / 2)
        }
    }

    override func didAddSubview(_ subview: UIView) {
        super.didAddSubview(subview)
        updateDrawingOrder()
    }

    override var intrinsicContentSize: CGSize {
        return node?.frame.size ?? super.intrinsicContentSize
    }
}

/// The four border sides of a box, each in its own width and color, as CSS paints them: a band
/// between the outer and the inner edge, mitred at the corners, clipped to the rounded box by a
/// container layer (so the children are not clipped). A side of width 0 or a transparent color
/// paints nothing. Main thread.
///
/// Kotlin twin: `BoxDrawable` (android/src/main/kotlin/dev/miniapp/android/BoxDrawable.kt).
final class SideBorders {
    /// Top, right, bottom, left, in points.
    let widths: [CGFloat]
    let colors: [UIColor]
    private let container = CALayer()

    init(widths: [CGFloat], colors: [UIColor]) {
        self.widths = widths
        self.colors = colors
    }

    /// One width and one color on every side.
    var uniform: Bool {
        return widths.allSatisfy { $0 == widths[0] } && colors.allSatisfy { $0 == colors[0] }
    }

    /// Draws the sides over `layer`'s background (and over `above`, its gradient, if any),
    /// below its children.
    func draw(in layer: CALayer, above: CALayer?) {
        if container.superlayer !== layer {
            if let below = above, below.superlayer === layer {
                layer.insertSublayer(container, above: below)
            } else {
                layer.insertSublayer(container, at: 0)
            }
        }
        let b = layer.bounds
        container.frame = b
        container.cornerRadius = layer.cornerRadius
        container.maskedCorners = layer.maskedCorners
        container.masksToBounds = true
        container.sublayers?.forEach { $0.removeFromSuperlayer() }
        let (t, r, bo, l) = (widths[0], widths[1], widths[2], widths[3])
        let bands: [[CGPoint]] = [
            [CGPoint(x: 0, y: 0), CGPoint(x: b.width, y: 0), CGPoint(x: b.width - r, y: t), CGPoint(x: l, y: t)],
            [CGPoint(x: b.width, y: 0), CGPoint(x: b.width, y: b.height), CGPoint(x: b.width - r, y: b.height - bo), CGPoint(x: b.width - r, y: t)],
            [CGPoint(x: b.width, y: b.height), CGPoint(x: 0, y: b.height), CGPoint(x: l, y: b.height - bo), CGPoint(x: b.width - r, y: b.height - bo)],
            [CGPoint(x: 0, y: b.height), CGPoint(x: 0, y: 0), CGPoint(x: l, y: t), CGPoint(x: l, y: b.height - bo)],
        ]
        for (i, points) in bands.enumerated() where widths[i] > 0 && colors[i].cgColor.alpha > 0 {
            let path = UIBezierPath()
            path.move(to: points[0])
            for p in points.dropFirst() {
                path.addLine(to: p)
            }
            path.close()
            let side = CAShapeLayer()
            side.path = path.cgPath
            side.fillColor = colors[i].cgColor
            container.addSublayer(side)
        }
    }

    func remove() {
        container.removeFromSuperlayer()
    }
}

/// A `swiper`: its items are stacked at the same frame (the core's layout); the one at
/// `current` shows. A horizontal swipe asks the core for the next or previous item (a `swipe`
/// action; the core wraps or clamps, fires `change`, and sends `current` back).
///
/// Kotlin twin: `SwiperLayout` (android/src/main/kotlin/dev/miniapp/android/NodeLayout.kt).
final class SwiperView: NodeView {
    private let onSwipe: (Int) -> Void
    private(set) var current = 0

    init(onSwipe: @escaping (Int) -> Void) {
        self.onSwipe = onSwipe
        super.init(frame: .zero)
        clipsToBounds = true
        let left = UISwipeGestureRecognizer(target: self, action: #selector(swipedLeft))
        left.direction = .left
        let right = UISwipeGestureRecognizer(target: self, action: #selector(swipedRight))
        right.direction = .right
        addGestureRecognizer(left)
        addGestureRecognizer(right)
    }

    required init?(coder: NSCoder) {
        return nil
    }

    @objc private func swipedLeft() {
        swipe(1)
    }

    @objc private func swipedRight() {
        swipe(-1)
    }

    /// The user swiped by `delta` items (+1: next).
    func swipe(_ delta: Int) {
        onSwipe(current + delta)
    }

    /// Shows item `index` (the core's `current`).
    func show(_ index: Int) {
        current = index
        var item = 0
        for child in subviews where child.node?.tag == "swiper-item" {
            child.isHidden = item != index
            item += 1
        }
    }

    override func didAddSubview(_ subview: UIView) {
        super.didAddSubview(subview)
        show(current)
    }
}

/// A `scroll-view`: its content (laid out by the core, possibly taller or wider than it) moves
/// under a drag along the axes its `scroll-x`/`scroll-y` allow, within the content's extent;
/// each move goes to the core as a `scroll` action (it fires `bindscroll`, upper/lower events,
/// and may load more content). A `scroll_to` op scrolls it programmatically. The offset is the
/// bounds' origin, so the children keep the frames the core gave them.
///
/// Kotlin twin: `ScrollLayout` (android/src/main/kotlin/dev/miniapp/android/NodeLayout.kt).
final class ScrollNodeView: NodeView {
    private let axes: () -> (horizontal: Bool, vertical: Bool)
    private let onScrolled: (CGFloat, CGFloat) -> Void
    private var lastTranslation = CGPoint.zero

    init(axes: @escaping () -> (horizontal: Bool, vertical: Bool), onScrolled: @escaping (CGFloat, CGFloat) -> Void) {
        self.axes = axes
        self.onScrolled = onScrolled
        super.init(frame: .zero)
        clipsToBounds = true
        addGestureRecognizer(UIPanGestureRecognizer(target: self, action: #selector(panned(_:))))
    }

    required init?(coder: NSCoder) {
        return nil
    }

    @objc private func panned(_ pan: UIPanGestureRecognizer) {
        let translation = pan.translation(in: self)
        if pan.state == .began {
            lastTranslation = .zero
            stopFling()
        }
        // the finger moves the content the other way
        dragBy(dx: lastTranslation.x - translation.x, dy: lastTranslation.y - translation.y)
        lastTranslation = translation
        if pan.state == .ended {
            let velocity = pan.velocity(in: self)
            fling(vx: -velocity.x, vy: -velocity.y)
        }
    }

    private var flingLink: CADisplayLink?
    private var flingVelocity = CGPoint.zero
    private var flingTime: CFTimeInterval = 0

    /// Keeps the content moving after the finger left at (`vx`, `vy`) points/s, slowing down as
    /// UIKit's scroll views do (about 0.998 per millisecond), within the content's extent; each
    /// step is reported like a drag.
    func fling(vx: CGFloat, vy: CGFloat) {
        stopFling()
        flingVelocity = CGPoint(x: vx, y: vy)
        flingTime = CACurrentMediaTime()
        let link = CADisplayLink(target: self, selector: #selector(flingStep(_:)))
        link.add(to: .main, forMode: .common)
        flingLink = link
    }

    /// Advances a fling by `seconds` (the display link's step, and tests' way in); false when it
    /// has stopped.
    @discardableResult
    func flingStep(seconds: CFTimeInterval) -> Bool {
        let decay = pow(0.998, CGFloat(seconds * 1000))
        let before = bounds.origin
        dragBy(dx: flingVelocity.x * CGFloat(seconds), dy: flingVelocity.y * CGFloat(seconds))
        flingVelocity = CGPoint(x: flingVelocity.x * decay, y: flingVelocity.y * decay)
        let moving = abs(flingVelocity.x) > 5 || abs(flingVelocity.y) > 5
        return moving && bounds.origin != before
    }

    @objc private func flingStep(_ link: CADisplayLink) {
        let now = link.timestamp
        let seconds = max(0, now - flingTime)
        flingTime = now
        if !flingStep(seconds: seconds) {
            stopFling()
        }
    }

    private func stopFling() {
        flingLink?.invalidate()
        flingLink = nil
    }

    /// The current scroll offset in CSS px.
    var offset: CGPoint {
        return bounds.origin
    }

    /// Moves the content by (`dx`, `dy`) CSS px, as a drag does; reports where it stopped.
    func dragBy(dx: CGFloat, dy: CGFloat) {
        let allowed = axes()
        var right: CGFloat = 0
        var bottom: CGFloat = 0
        for child in subviews {
            guard let f = child.node?.frame else { continue }
            right = max(right, f.maxX)
            bottom = max(bottom, f.maxY)
        }
        guard let own = node?.frame else { return }
        let x = allowed.horizontal ? min(max(0, bounds.origin.x + dx), max(0, right - own.width)) : bounds.origin.x
        let y = allowed.vertical ? min(max(0, bounds.origin.y + dy), max(0, bottom - own.height)) : bounds.origin.y
        scroll(to: CGPoint(x: x, y: y))
        onScrolled(x, y)
    }

    /// Shows the content from `point` (CSS px).
    func scroll(to point: CGPoint) {
        bounds = CGRect(origin: point, size: bounds.size)
    }
}
