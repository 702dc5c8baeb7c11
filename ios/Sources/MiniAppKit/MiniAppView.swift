import MiniAppBindings
import UIKit

/// Draws a mini program with native UIKit views, from the render protocol's ops alone
/// (docs/render-protocol.md): every element becomes a `NodeView` (or, for built-ins with a
/// native twin, a `UIImageView`, `UITextField`, `UITextView`, `UISwitch`, `UISlider` or
/// `UIProgressView`), every text run a `UILabel`, placed at the frame the core computed. Each
/// page scrolls in its own `UIScrollView`; only the top page is shown, under a navigation bar
/// drawn from its `window` attribute and above the tab bar drawn from the root's `tabBar`
/// attribute. User input goes back to the core as host events through `MiniApp`.
///
/// Main thread only: `apply(_:)` is called by `MiniApp` after it pulled the frames.
///
/// Kotlin twin: `MiniAppView` (android/src/main/kotlin/dev/miniapp/android/MiniAppView.kt).
public final class MiniAppView: UIView, UIGestureRecognizerDelegate, UITextFieldDelegate, UITextViewDelegate {
    static let root: UInt32 = 1

    private var nodes: [UInt32: UIView] = [:]
    /// Pages in stack order (the last shows) and the scroll view each lives in.
    private var pageOrder: [UInt32] = []
    private var pageScrolls: [UInt32: UIScrollView] = [:]
    private var pageWindows: [UInt32: [String: Any]] = [:]
    private var packageDir: URL?
    private var applying = false
    /// The soft keyboard's height in points (0: hidden).
    private var keyboardHeight: CGFloat = 0
    /// The open multi-column picker: its columns follow `range` when the page changes it.
    private weak var multiPicker: MultiColumnSheet?
    private var multiPickerNode: UInt32?

    /// The navigation bar: the top page's title on its bar color.
    public let titleBar = UILabel()
    private let pageArea = UIView()
    /// The tab bar: one button per `tabBar.list` item, shown on tab pages.
    public let tabBar = UIStackView()

    var onTap: (UInt32) -> Void = { _ in }
    var onUserAction: (UInt32, String) -> Void = { _, _ in }
    var onPageScroll: (CGFloat, CGFloat) -> Void = { _, _ in }
    var onTabTap: (Int) -> Void = { _ in }
    /// Presents pickers; default: the window's top view controller.
    var presenter: () -> UIViewController? = { nil }

    /// Frames and ops applied so far, and the time spent applying them (diagnostics).
    public struct ApplyStats {
        public var frames = 0
        public var ops = 0
        public var seconds: Double = 0
    }

    public private(set) var applyStats = ApplyStats()

    public override init(frame: CGRect) {
        super.init(frame: frame)
        backgroundColor = .white
        titleBar.textAlignment = .center
        titleBar.font = UIFont.boldSystemFont(ofSize: 17)
        tabBar.axis = .horizontal
        tabBar.distribution = .fillEqually
        tabBar.isHidden = true
        addSubview(titleBar)
        addSubview(pageArea)
        addSubview(tabBar)
        let tap = UITapGestureRecognizer(target: self, action: #selector(tapped(_:)))
        tap.cancelsTouchesInView = false
        tap.delegate = self
        pageArea.addGestureRecognizer(tap)
        presenter = { [weak self] in self?.topViewController() }
        let center = NotificationCenter.default
        center.addObserver(self, selector: #selector(keyboardChanged(_:)), name: UIResponder.keyboardWillChangeFrameNotification, object: nil)
        center.addObserver(self, selector: #selector(keyboardChanged(_:)), name: UIResponder.keyboardWillHideNotification, object: nil)
    }

    public required init?(coder: NSCoder) {
        return nil
    }

    public override func layoutSubviews() {
        super.layoutSubviews()
        let top = safeAreaInsets.top
        let titleHeight: CGFloat = titleBar.isHidden ? 0 : 44
        let tabHeight: CGFloat = tabBar.isHidden ? 0 : 50 + safeAreaInsets.bottom
        titleBar.frame = CGRect(x: 0, y: top, width: bounds.width, height: titleHeight)
        tabBar.frame = CGRect(x: 0, y: bounds.height - tabHeight, width: bounds.width, height: tabHeight)
        pageArea.frame = CGRect(x: 0, y: top + titleHeight, width: bounds.width, height: bounds.height - top - titleHeight - tabHeight)
        for scroll in pageScrolls.values {
            scroll.frame = pageArea.bounds
        }
    }

    func attachPackage(_ dir: URL) {
        packageDir = dir
    }

    /// The view drawing node `id`, if it exists.
    public func viewOf(_ id: UInt32) -> UIView? {
        return nodes[id]
    }

    /// The text of the visible page, runs in document order, one per line (for tests and tools).
    public func visibleText() -> String {
        guard let top = pageOrder.last, let page = pageScrolls[top] else { return "" }
        var out = ""
        func walk(_ view: UIView) {
            if view.isHidden { return }
            if let label = view as? UILabel, view.node?.tag == "#text" {
                out += (label.text ?? "") + "\n"
            }
            for child in view.subviews {
                walk(child)
            }
        }
        walk(page)
        return out
    }

    /// The tab bar's labels, in order (for tests and tools).
    public func tabLabels() -> [String] {
        return tabBar.arrangedSubviews.compactMap { ($0 as? UIButton)?.title(for: .normal) }
    }

    /// Applies one frame's ops in order.
    public func apply(_ frame: FrameBatch) {
        let start = CACurrentMediaTime()
        applying = true
        for op in frame.ops {
            applyOp(op)
        }
        applying = false
        setNeedsLayout()
        applyStats.frames += 1
        applyStats.ops += frame.ops.count
        applyStats.seconds += CACurrentMediaTime() - start
    }

    private func applyOp(_ op: RenderOpRecord) {
        switch op {
        case let .create(id, tag):
            nodes[id] = createElement(id, tag)
        case let .createText(id, text):
            let label = UILabel()
            let info = NodeInfo(id: id, tag: "#text")
            info.text = text
            label.node = info
            label.text = text
            label.numberOfLines = 0
            nodes[id] = label
        case let .insert(parent, id, before):
            insert(parent, id, before)
        case let .remove(_, id):
            detach(id)
        case let .release(id):
            detach(id)
            nodes[id] = nil
        case let .setText(id, text):
            guard let label = nodes[id] as? UILabel, let info = label.node else { return }
            info.text = text
            if let style = info.style {
                style.applyText(label, text: text)
            } else {
                label.text = text
            }
        case let .setAttr(id, name, valueJson):
            setAttr(id, name, valueJson)
        case let .listen(id, event, on):
            guard let info = nodes[id]?.node else { return }
            if on {
                info.listens.insert(event)
            } else {
                info.listens.remove(event)
            }
        case let .setStyle(id, styleJson):
            guard let view = nodes[id], let info = view.node else { return }
            let style = CssStyle(json: styleJson)
            let previous = info.style
            let before = CssMotion.snapshot(previous, alpha: view.alpha)
            info.style = style
            style.applyBox(view)
            style.applyTransform(view)
            CssMotion.play(view, previous: previous, next: style, before: before)
            if view is NodeView {
                style.applyClipping(view)
            }
            (view.superview as? NodeView)?.updateDrawingOrder() // z-index may reorder the siblings
            if let swiper = view.superview as? SwiperView {
                swiper.show(swiper.current) // only the current item shows
            }
            if let label = view as? UILabel, !(label is IconView) {
                style.applyText(label, text: info.text)
            }
            if let scroll = pageScrolls[id] {
                scroll.isHidden = !style.displayed || pageOrder.last != id
            }
        case let .setFrame(id, x, y, width, height):
            guard let view = nodes[id], let info = view.node else { return }
            info.frame = CGRect(x: CGFloat(x), y: CGFloat(y), width: CGFloat(width), height: CGFloat(height))
            view.superview?.setNeedsLayout()
            if let scroll = pageScrolls[id] {
                // a page: its frame is the scrolled content's size
                scroll.contentSize = CGSize(width: CGFloat(width), height: CGFloat(height))
                view.frame = info.frame
            }
        case let .scrollTo(id, left, top, animated):
            let point = CGPoint(x: CGFloat(left), y: CGFloat(top))
            if let scroll = pageScrolls[id] {
                scroll.setContentOffset(point, animated: animated)
            } else if let view = nodes[id] as? ScrollNodeView {
                view.scroll(to: point)
            }
        }
    }

    private func createElement(_ id: UInt32, _ tag: String) -> UIView {
        let info = NodeInfo(id: id, tag: tag)
        let view: UIView
        switch tag {
        case "image":
            let image = UIImageView()
            image.contentMode = .scaleToFill
            image.clipsToBounds = true
            view = image
        case "input":
            let field = UITextField()
            field.borderStyle = .none
            field.delegate = self
            field.addTarget(self, action: #selector(fieldChanged(_:)), for: .editingChanged)
            view = field
        case "textarea":
            let area = UITextView()
            area.textContainerInset = .zero
            area.textContainer.lineFragmentPadding = 0
            area.backgroundColor = .clear
            area.delegate = self
            view = area
        case "switch":
            let toggle = UISwitch()
            toggle.addTarget(self, action: #selector(controlTapped(_:)), for: .valueChanged)
            view = toggle
        case "checkbox", "radio":
            // the core toggles them on a tap and sends `checked` back
            let button = UIButton(type: .system)
            button.setImage(UIImage(systemName: tag == "checkbox" ? "square" : "circle"), for: .normal)
            button.setImage(UIImage(systemName: tag == "checkbox" ? "checkmark.square.fill" : "largecircle.fill.circle"), for: .selected)
            button.addTarget(self, action: #selector(controlTapped(_:)), for: .touchUpInside)
            view = button
        case "slider":
            let slider = UISlider()
            slider.minimumValue = 0
            slider.addTarget(self, action: #selector(sliderMoved(_:)), for: .valueChanged)
            slider.addTarget(self, action: #selector(sliderReleased(_:)), for: [.touchUpInside, .touchUpOutside])
            view = slider
        case "icon":
            view = IconView()
        case "progress":
            view = UIProgressView(progressViewStyle: .default)
        case "scroll-view":
            view = ScrollNodeView(
                axes: { (horizontal: info.attr("scroll-x") as? Bool == true, vertical: info.attr("scroll-y") as? Bool == true) },
                onScrolled: { [weak self] left, top in
                    self?.onUserAction(id, MiniAppView.json(["action": "scroll", "left": Double(left), "top": Double(top)]))
                }
            )
        case "swiper":
            view = SwiperView(onSwipe: { [weak self] target in
                self?.onUserAction(id, MiniAppView.json(["action": "swipe", "current": target]))
            })
        default:
            view = NodeView(frame: .zero)
        }
        view.node = info
        return view
    }

    private func insert(_ parentId: UInt32, _ id: UInt32, _ before: UInt32?) {
        guard let child = nodes[id] else { return }
        detach(id)
        if parentId == MiniAppView.root {
            // A page: its own scroll view; only the last page shows.
            let scroll = UIScrollView(frame: pageArea.bounds)
            scroll.alwaysBounceVertical = true
            scroll.delegate = self
            if let f = child.node?.frame {
                child.frame = f
                scroll.contentSize = f.size
            }
            scroll.addSubview(child)
            pageScrolls[id] = scroll
            pageOrder.append(id)
            pageArea.addSubview(scroll)
            showTopPage()
            return
        }
        guard let parent = nodes[parentId] else { return }
        if let b = before, let sibling = nodes[b], sibling.superview === parent, let index = parent.subviews.firstIndex(of: sibling) {
            parent.insertSubview(child, at: index)
        } else {
            parent.addSubview(child)
        }
    }

    private func detach(_ id: UInt32) {
        if let scroll = pageScrolls.removeValue(forKey: id) {
            scroll.subviews.forEach { $0.removeFromSuperview() }
            scroll.removeFromSuperview()
            pageOrder.removeAll { $0 == id }
            pageWindows[id] = nil
            showTopPage()
            return
        }
        nodes[id]?.removeFromSuperview()
    }

    private func showTopPage() {
        let top = pageOrder.last
        for (id, scroll) in pageScrolls {
            scroll.isHidden = id != top || !(nodes[id]?.node?.style?.displayed ?? true)
        }
        if let top = top, let window = pageWindows[top] {
            drawTitleBar(window)
        }
    }

    /// The navigation bar from a page's `window`: title, bar color, text style; none when custom.
    private func drawTitleBar(_ window: [String: Any]) {
        titleBar.isHidden = window["navigationStyle"] as? String == "custom"
        titleBar.text = window["navigationBarTitleText"] as? String ?? ""
        titleBar.backgroundColor = CssStyle.parseColor(window["navigationBarBackgroundColor"] as? String ?? "#000000")
        titleBar.textColor = window["navigationBarTextStyle"] as? String == "black" ? .black : .white
        setNeedsLayout()
    }

    /// The tab bar from the root's `tabBar`: labels in `color`/`selectedColor`; hidden off tab pages.
    private func drawTabBar(_ bar: [String: Any]) {
        guard let list = bar["list"] as? [[String: Any]] else { return }
        let selected = (bar["selectedIndex"] as? NSNumber)?.intValue ?? -1
        let visible = bar["visible"] as? Bool ?? true
        let custom = bar["custom"] as? Bool ?? false
        tabBar.isHidden = !(visible && !custom && selected >= 0)
        tabBar.backgroundColor = CssStyle.parseColor(bar["backgroundColor"] as? String ?? "#ffffff")
        tabBar.arrangedSubviews.forEach { $0.removeFromSuperview() }
        for (index, item) in list.enumerated() {
            let button = UIButton(type: .system)
            button.setTitle(item["text"] as? String ?? "", for: .normal)
            let color = index == selected ? bar["selectedColor"] as? String : bar["color"] as? String
            button.setTitleColor(color.flatMap { CssStyle.parseColor($0) } ?? .darkGray, for: .normal)
            button.tag = index
            button.addTarget(self, action: #selector(tabTapped(_:)), for: .touchUpInside)
            tabBar.addArrangedSubview(button)
        }
        setNeedsLayout()
    }

    private func setAttr(_ id: UInt32, _ name: String, _ valueJson: String?) {
        let value = valueJson.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8), options: [.fragmentsAllowed]) }
        if id == MiniAppView.root && name == "tabBar" {
            if let bar = value as? [String: Any] {
                drawTabBar(bar)
            }
            return
        }
        if name == "window", let window = value as? [String: Any] {
            pageWindows[id] = window
            if pageOrder.last == id {
                drawTitleBar(window)
            }
        }
        guard let view = nodes[id], let info = view.node else { return }
        info.attrs[name] = valueJson
        switch (view, name) {
        case let (field as UITextField, "value"):
            let text = MiniAppView.text(value)
            if field.text != text { field.text = text }
        case let (field as UITextField, "placeholder"):
            field.placeholder = MiniAppView.text(value)
        case let (field as UITextField, "password"):
            field.isSecureTextEntry = value as? Bool == true
        case let (area as UITextView, "value"):
            let text = MiniAppView.text(value)
            if area.text != text { area.text = text }
        case let (toggle as UISwitch, "checked"):
            toggle.isOn = value as? Bool == true
        case let (button as UIButton, "checked"):
            button.isSelected = value as? Bool == true
        case let (slider as UISlider, _) where ["min", "max", "step", "value"].contains(name):
            syncSlider(slider, info)
        case let (bar as UIProgressView, "percent"):
            bar.progress = Float(info.number("percent", 0) / 100)
        case let (swiper as SwiperView, "current"):
            swiper.show(Int(info.number("current", 0)))
        case let (icon as IconView, _) where ["type", "size", "color"].contains(name):
            icon.show(type: info.attr("type") as? String, size: info.attr("size"), color: info.attr("color") as? String)
        case let (image as UIImageView, "src"):
            loadImage(image, id, value as? String)
        case let (image as UIImageView, "mode"):
            image.contentMode = MiniAppView.contentMode(value as? String)
        default:
            break
        }
        if name == "range", let sheet = multiPicker, multiPickerNode == id {
            sheet.update(columns: columnsOf(info))
        }
    }

    /// Package images (`/pages/x.png`) load from the package folder; their natural size goes
    /// back to the core (`widthFix`/`heightFix` images size themselves from it).
    private func loadImage(_ view: UIImageView, _ id: UInt32, _ src: String?) {
        guard let src = src, !src.isEmpty else { return }
        if src.hasPrefix("http://") || src.hasPrefix("https://") {
            loadRemoteImage(view, id, src)
            return
        }
        guard let dir = packageDir, !src.contains("://") else { return }
        let relative = src.hasPrefix("/") ? String(src.dropFirst()) : src
        showImage(view, id, src, UIImage(contentsOfFile: dir.appendingPathComponent(relative).path))
    }

    /// Network images (`https://…`), as WeChat loads them: from any origin (image loads are not
    /// under the request allowlist), off the main thread, shown if `src` has not changed since.
    private func loadRemoteImage(_ view: UIImageView, _ id: UInt32, _ src: String) {
        guard let url = URL(string: src) else {
            onUserAction(id, MiniAppView.json(["action": "error", "message": "bad image URL \(src)"]))
            return
        }
        var request = URLRequest(url: url)
        request.timeoutInterval = 15
        URLSession.shared.dataTask(with: request) { [weak self, weak view] data, response, _ in
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            let image = status < 400 ? data.flatMap { UIImage(data: $0) } : nil
            DispatchQueue.main.async {
                guard let self = self, let view = view else { return }
                if MiniAppView.text(view.node?.attr("src")) == src {
                    self.showImage(view, id, src, image)
                }
            }
        }.resume()
    }

    private func showImage(_ view: UIImageView, _ id: UInt32, _ src: String, _ image: UIImage?) {
        guard let image = image else {
            onUserAction(id, MiniAppView.json(["action": "error", "message": "cannot decode \(src)"]))
            return
        }
        view.image = image
        let width = Int(image.size.width * image.scale)
        let height = Int(image.size.height * image.scale)
        onUserAction(id, MiniAppView.json(["action": "load", "width": width, "height": height]))
    }

    /// A slider's range as (min, max, step): the UISlider counts steps from `min`.
    private func sliderRange(_ info: NodeInfo) -> (min: Double, max: Double, step: Double) {
        let step = info.number("step", 1)
        return (info.number("min", 0), info.number("max", 100), step > 0 ? step : 1)
    }

    private func syncSlider(_ slider: UISlider, _ info: NodeInfo) {
        let range = sliderRange(info)
        slider.maximumValue = Float(max(1, ((range.max - range.min) / range.step).rounded(.down)))
        slider.value = Float(((info.number("value", range.min) - range.min) / range.step).rounded(.down))
    }

    private func slide(_ info: NodeInfo, _ steps: Float, done: Bool) -> String {
        let range = sliderRange(info)
        let value = range.min + Double(steps.rounded()) * range.step
        return MiniAppView.json(["action": "slide", "value": value, "done": done])
    }

    // MARK: user input

    /// Every element takes taps: the innermost element under the finger (drawn on top, by
    /// `z-index`) gets it, text runs pass it to their element, and the core bubbles the event
    /// from there with WeChat's semantics, so ancestors with `bindtap` hear it too. Built-ins
    /// with a native control take their own touches.
    @objc private func tapped(_ recognizer: UITapGestureRecognizer) {
        guard let top = pageOrder.last, let page = pageScrolls[top] else { return }
        if let target = element(at: recognizer.location(in: page), in: page) {
            userTapped(target)
        }
    }

    /// What a tap on `view` does (the tap recognizer's target, and tests' way in).
    func userTapped(_ view: UIView) {
        guard let info = view.node else { return }
        if info.tag == "picker" {
            showPicker(info)
        } else if let field = view as? UITextField {
            field.becomeFirstResponder()
        } else {
            onTap(info.id)
        }
    }

    /// The innermost visible element at `point` (in `view`'s coordinates), topmost first.
    private func element(at point: CGPoint, in view: UIView) -> UIView? {
        let children: [UIView]
        if let v = view as? NodeView {
            children = v.drawingOrder().reversed().map { v.subviews[$0] }
        } else {
            children = Array(view.subviews.reversed())
        }
        for child in children where !child.isHidden && child.alpha > 0.01 {
            let inner = child.convert(point, from: view)
            let clipped = child.clipsToBounds && !child.bounds.contains(inner)
            if clipped { continue }
            if let hit = element(at: inner, in: child) {
                return hit
            }
        }
        guard let info = view.node, info.tag != "#text", view.bounds.contains(point) else { return nil }
        return view
    }

    public func gestureRecognizer(_ gestureRecognizer: UIGestureRecognizer, shouldReceive touch: UITouch) -> Bool {
        // native controls and fields take their own touches
        return !(touch.view is UIControl || touch.view is UITextView)
    }

    @objc private func controlTapped(_ control: UIControl) {
        guard !applying, let info = control.node else { return }
        onTap(info.id)
    }

    @objc private func fieldChanged(_ field: UITextField) {
        guard !applying, let info = field.node else { return }
        onUserAction(info.id, MiniAppView.json(["action": "type", "text": field.text ?? ""]))
    }

    public func textViewDidChange(_ textView: UITextView) {
        guard !applying, let info = textView.node else { return }
        onUserAction(info.id, MiniAppView.json(["action": "type", "text": textView.text ?? ""]))
    }

    public func textFieldDidBeginEditing(_ textField: UITextField) {
        focused(textField, true)
    }

    public func textFieldDidEndEditing(_ textField: UITextField) {
        focused(textField, false)
    }

    public func textViewDidBeginEditing(_ textView: UITextView) {
        focused(textView, true)
    }

    public func textViewDidEndEditing(_ textView: UITextView) {
        focused(textView, false)
    }

    /// Focus (with the keyboard's height when known, CSS px) and blur.
    private func focused(_ view: UIView, _ on: Bool) {
        guard !applying, let info = view.node else { return }
        let action: [String: Any] = on ? ["action": "focus", "height": Double(keyboardHeight)] : ["action": "blur"]
        onUserAction(info.id, MiniAppView.json(action))
    }

    /// The keyboard's frame changed: the focused field hears its new height.
    @objc private func keyboardChanged(_ note: Notification) {
        guard let end = note.userInfo?[UIResponder.keyboardFrameEndUserInfoKey] as? CGRect else { return }
        let height = note.name == UIResponder.keyboardWillHideNotification ? 0 : end.height
        guard height != keyboardHeight else { return }
        keyboardHeight = height
        let duration = (note.userInfo?[UIResponder.keyboardAnimationDurationUserInfoKey] as? NSNumber)?.doubleValue ?? 0
        if let field = nodes.values.first(where: { $0.isFirstResponder }), let info = field.node {
            onUserAction(info.id, MiniAppView.json(["action": "keyboardHeight", "height": Double(height), "duration": duration * 1000]))
        }
    }

    public func textFieldShouldReturn(_ textField: UITextField) -> Bool {
        if let info = textField.node {
            onUserAction(info.id, MiniAppView.json(["action": "confirm"]))
        }
        textField.resignFirstResponder()
        return true
    }

    @objc private func sliderMoved(_ slider: UISlider) {
        guard !applying, let info = slider.node else { return }
        onUserAction(info.id, slide(info, slider.value, done: false))
    }

    @objc private func sliderReleased(_ slider: UISlider) {
        guard let info = slider.node else { return }
        onUserAction(info.id, slide(info, slider.value, done: true))
    }

    @objc private func tabTapped(_ button: UIButton) {
        onTabTap(button.tag)
    }

    /// A `picker` opens a native picker; the choice goes back as a `pick` action (cancel as
    /// `pickCancel`). Selector, date and time modes.
    private func showPicker(_ info: NodeInfo) {
        guard info.attr("disabled") as? Bool != true, let controller = presenter() else { return }
        let id = info.id
        let pick: (Any) -> Void = { [weak self] value in
            self?.onUserAction(id, MiniAppView.json(["action": "pick", "value": value]))
        }
        let cancel: () -> Void = { [weak self] in
            self?.onUserAction(id, MiniAppView.json(["action": "pickCancel"]))
        }
        let mode = info.attr("mode") as? String ?? "selector"
        switch mode {
        case "date", "time":
            let sheet = DatePickerSheet(mode: mode, value: info.attr("value") as? String ?? "", onPick: pick, onCancel: cancel)
            controller.present(sheet, animated: true)
        case "selector":
            guard let range = info.attr("range") as? [Any] else { return }
            let key = info.attr("range-key") as? String
            let alert = UIAlertController(title: nil, message: nil, preferredStyle: .actionSheet)
            for (index, item) in range.enumerated() {
                let label: String
                if let object = item as? [String: Any], let key = key {
                    label = MiniAppView.text(object[key])
                } else {
                    label = MiniAppView.text(item)
                }
                alert.addAction(UIAlertAction(title: label, style: .default) { _ in pick(index) })
            }
            alert.addAction(UIAlertAction(title: "Cancel", style: .cancel) { _ in cancel() })
            alert.popoverPresentationController?.sourceView = nodes[id] ?? self
            controller.present(alert, animated: true)
        case "multiSelector":
            let columns = columnsOf(info)
            guard !columns.isEmpty else { return }
            let current = (info.attr("value") as? [NSNumber])?.map { $0.intValue } ?? []
            let sheet = MultiColumnSheet(
                columns: columns,
                selected: current,
                onColumn: { [weak self] column, row in
                    self?.onUserAction(id, MiniAppView.json(["action": "pickColumn", "column": column, "index": row]))
                },
                onPick: { rows in pick(rows) },
                onCancel: cancel
            )
            multiPicker = sheet
            multiPickerNode = id
            controller.present(sheet, animated: true)
        case "region":
            // no region database on the device: province, city and district typed into three
            // fields (prefilled from `value`), picked as `[province, city, district]`
            let current = info.attr("value") as? [Any] ?? []
            let alert = UIAlertController(title: nil, message: nil, preferredStyle: .alert)
            for (index, hint) in ["Province", "City", "District"].enumerated() {
                alert.addTextField { field in
                    field.placeholder = hint
                    field.text = index < current.count ? MiniAppView.text(current[index]) : ""
                }
            }
            alert.addAction(UIAlertAction(title: "OK", style: .default) { [weak alert] _ in
                pick((alert?.textFields ?? []).map { $0.text ?? "" })
            })
            alert.addAction(UIAlertAction(title: "Cancel", style: .cancel) { _ in cancel() })
            controller.present(alert, animated: true)
        default:
            onTap(id)
        }
    }

    /// The labels of each column of a multiSelector's `range` (arrays of strings, or of objects
    /// shown by `range-key`).
    private func columnsOf(_ info: NodeInfo) -> [[String]] {
        guard let range = info.attr("range") as? [Any] else { return [] }
        let key = info.attr("range-key") as? String
        return range.map { column in
            (column as? [Any] ?? []).map { item in
                if let object = item as? [String: Any], let key = key {
                    return MiniAppView.text(object[key])
                }
                return MiniAppView.text(item)
            }
        }
    }

    /// The open multi-column picker (tests and tools).
    var openMultiPicker: MultiColumnSheet? {
        return multiPicker
    }

    private func topViewController() -> UIViewController? {
        var top = window?.rootViewController
        while let presented = top?.presentedViewController {
            top = presented
        }
        return top
    }

    // MARK: helpers

    static func json(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A JSON value as display text (strings as they are, numbers without a trailing `.0`).
    static func text(_ value: Any?) -> String {
        guard let value = value else { return "" }
        if let s = value as? String { return s }
        if let n = value as? NSNumber { return n.stringValue }
        return "\(value)"
    }

    static func contentMode(_ mode: String?) -> UIView.ContentMode {
        switch mode {
        case "aspectFit": return .scaleAspectFit
        case "aspectFill": return .scaleAspectFill
        case "center": return .center
        case "top left": return .topLeft
        default: return .scaleToFill
        }
    }
}

// UIScrollViewDelegate (through UITextViewDelegate): the pages' scroll views report here.
extension MiniAppView {
    public func scrollViewDidScroll(_ scrollView: UIScrollView) {
        guard !applying, let top = pageOrder.last, pageScrolls[top] === scrollView else { return }
        onPageScroll(scrollView.contentOffset.y, scrollView.contentSize.height)
    }
}

/// A picker in a half-height sheet with Cancel and Done above it; subclasses give the picker
/// view and what Done reports.
class PickerSheet: UIViewController {
    private let onCancel: () -> Void

    init(onCancel: @escaping () -> Void) {
        self.onCancel = onCancel
        super.init(nibName: nil, bundle: nil)
        if let sheet = sheetPresentationController {
            sheet.detents = [.medium()]
        }
    }

    required init?(coder: NSCoder) {
        return nil
    }

    /// The picker the sheet shows.
    var content: UIView {
        return UIView()
    }

    /// Done was tapped: report the choice.
    func done() {}

    override func viewDidLoad() {
        super.viewDidLoad()
        view.backgroundColor = .systemBackground
        let done = UIButton(type: .system)
        done.setTitle("Done", for: .normal)
        done.addTarget(self, action: #selector(finish), for: .touchUpInside)
        let cancel = UIButton(type: .system)
        cancel.setTitle("Cancel", for: .normal)
        cancel.addTarget(self, action: #selector(dismissWithoutPick), for: .touchUpInside)
        let buttons = UIStackView(arrangedSubviews: [cancel, done])
        buttons.distribution = .equalSpacing
        let stack = UIStackView(arrangedSubviews: [buttons, content])
        stack.axis = .vertical
        stack.translatesAutoresizingMaskIntoConstraints = false
        view.addSubview(stack)
        NSLayoutConstraint.activate([
            stack.leadingAnchor.constraint(equalTo: view.leadingAnchor, constant: 16),
            stack.trailingAnchor.constraint(equalTo: view.trailingAnchor, constant: -16),
            stack.topAnchor.constraint(equalTo: view.topAnchor, constant: 12),
        ])
    }

    @objc func finish() {
        done()
        dismiss(animated: true)
    }

    @objc func dismissWithoutPick() {
        onCancel()
        dismiss(animated: true)
    }
}

/// A date (`YYYY-MM-DD`) or time (`HH:mm`) picker in a sheet.
final class DatePickerSheet: PickerSheet {
    private let picker = UIDatePicker()
    private let formatter = DateFormatter()
    private let onPick: (Any) -> Void

    init(mode: String, value: String, onPick: @escaping (Any) -> Void, onCancel: @escaping () -> Void) {
        self.onPick = onPick
        super.init(onCancel: onCancel)
        picker.datePickerMode = mode == "time" ? .time : .date
        picker.preferredDatePickerStyle = .wheels
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = mode == "time" ? "HH:mm" : "yyyy-MM-dd"
        if let date = formatter.date(from: value) {
            picker.date = date
        }
    }

    required init?(coder: NSCoder) {
        return nil
    }

    override var content: UIView {
        return picker
    }

    override func done() {
        onPick(formatter.string(from: picker.date))
    }
}

/// A multiSelector: one wheel per column in a sheet; each wheel move goes to the core as a
/// `pickColumn` action, Done as a `pick` of every column's row.
final class MultiColumnSheet: PickerSheet, UIPickerViewDataSource, UIPickerViewDelegate {
    let picker = UIPickerView()
    private var columns: [[String]]
    private let initial: [Int]
    private let onColumn: (Int, Int) -> Void
    private let onPick: ([Int]) -> Void

    init(
        columns: [[String]],
        selected: [Int],
        onColumn: @escaping (Int, Int) -> Void,
        onPick: @escaping ([Int]) -> Void,
        onCancel: @escaping () -> Void
    ) {
        self.columns = columns
        self.initial = selected
        self.onColumn = onColumn
        self.onPick = onPick
        super.init(onCancel: onCancel)
        picker.dataSource = self
        picker.delegate = self
    }

    required init?(coder: NSCoder) {
        return nil
    }

    override var content: UIView {
        return picker
    }

    override func viewDidLoad() {
        super.viewDidLoad()
        for (column, row) in initial.enumerated() where column < columns.count && row < columns[column].count {
            picker.selectRow(row, inComponent: column, animated: false)
        }
    }

    override func done() {
        onPick((0..<columns.count).map { picker.selectedRow(inComponent: $0) })
    }

    /// The page changed the columns (after a column change): the wheels show the new labels.
    func update(columns: [[String]]) {
        self.columns = columns
        picker.reloadAllComponents()
    }

    func numberOfComponents(in pickerView: UIPickerView) -> Int {
        return columns.count
    }

    func pickerView(_ pickerView: UIPickerView, numberOfRowsInComponent component: Int) -> Int {
        return columns[component].count
    }

    func pickerView(_ pickerView: UIPickerView, titleForRow row: Int, forComponent component: Int) -> String? {
        return columns[component][row]
    }

    func pickerView(_ pickerView: UIPickerView, didSelectRow row: Int, inComponent component: Int) {
        onColumn(component, row)
    }
}

/// WeChat's `icon`: its `type` as a symbol in the type's color (or `color`), `size` points tall.
///
/// Kotlin twin: `IconView` (android/src/main/kotlin/dev/miniapp/android/MiniAppView.kt).
final class IconView: UILabel {
    /// Each type's symbol and WeChat's default color for it.
    static let glyphs: [String: (String, String)] = [
        "success": ("\u{2714}", "#09BB07"),
        "success_no_circle": ("\u{2713}", "#09BB07"),
        "info": ("\u{2139}", "#10AEFF"),
        "warn": ("\u{26A0}", "#F76260"),
        "waiting": ("\u{25F7}", "#10AEFF"),
        "cancel": ("\u{2716}", "#F43530"),
        "download": ("\u{2B07}", "#09BB07"),
        "search": ("\u{2315}", "#B2B2B2"),
        "clear": ("\u{2297}", "#B2B2B2"),
    ]

    /// Draws `type` at `size` (CSS px, default 23) in `color` (default: the type's own).
    func show(type: String?, size: Any?, color: String?) {
        let (glyph, tint) = IconView.glyphs[type ?? ""] ?? ("", "#000000")
        text = glyph
        textAlignment = .center
        var points: CGFloat = 23
        if let n = size as? NSNumber {
            points = CGFloat(n.doubleValue)
        } else if let s = size as? String, let n = Double(s.hasSuffix("px") ? String(s.dropLast(2)) : s) {
            points = CGFloat(n)
        }
        font = UIFont.systemFont(ofSize: points)
        let custom = color.flatMap { $0.isEmpty ? nil : CssStyle.parseColor($0) }
        textColor = custom ?? CssStyle.parseColor(tint) ?? .black
    }
}
