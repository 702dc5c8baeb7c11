import Network
import UIKit
import XCTest

@testable import MiniAppKit

/// MiniAppKit on the iOS simulator, driving the campus example through libminiapp_ffi: the same
/// cases as the Android library's Robolectric tests, check for check.
///
/// Kotlin twin: `MiniAppViewTest` (android/src/test/kotlin/dev/miniapp/android/MiniAppViewTest.kt).
final class MiniAppViewTests: XCTestCase {
    /// The repository checkout this file is in (the tests read its example apps).
    static let repo = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let campus = MiniAppViewTests.repo.appendingPathComponent("examples/campus").path

    var window: UIWindow!
    var view: MiniAppView!
    var app: MiniApp?
    var logs: [String] = []
    let logLock = NSLock()

    override func setUp() {
        super.setUp()
        // in the test host's scene, so the host services find it as the key window
        if let scene = UIApplication.shared.connectedScenes.first as? UIWindowScene {
            window = UIWindow(windowScene: scene)
            window.frame = CGRect(x: 0, y: 0, width: 375, height: 667)
        } else {
            window = UIWindow(frame: CGRect(x: 0, y: 0, width: 375, height: 667))
        }
        let root = UIViewController()
        window.rootViewController = root
        window.makeKeyAndVisible()
        view = MiniAppView(frame: root.view.bounds)
        root.view.addSubview(view)
    }

    override func tearDown() {
        app?.close()
        app = nil
        window.isHidden = true
        window = nil
        super.tearDown()
    }

    private func record(_ level: String, _ message: String) {
        logLock.lock()
        logs.append("\(level) \(message)")
        logLock.unlock()
    }

    private func open(measureText: Bool = true) throws -> MiniApp {
        let options = MiniApp.Options(
            viewport: CGSize(width: 375, height: 667),
            clock: "virtual",
            measureText: measureText,
            log: { [weak self] level, message in self?.record(level, message) }
        )
        let opened = try MiniApp.open(view: view, dir: campus, options: options)
        app = opened
        return opened
    }

    /// Opens the shared test app `android/src/test/resources/apps/<name>` on a virtual clock.
    private func openTestApp(_ name: String, policyJson: String? = nil) throws -> MiniApp {
        let dir = MiniAppViewTests.repo.appendingPathComponent("android/src/test/resources/apps/\(name)").path
        let options = MiniApp.Options(viewport: CGSize(width: 375, height: 667), policyJson: policyJson, clock: "virtual")
        let opened = try MiniApp.open(view: view, dir: dir, options: options)
        app = opened
        return opened
    }

    /// Opens the test fixture app `tests/fixtures/<name>/app` on a virtual clock, its console
    /// output recorded.
    private func openFixture(_ name: String) throws -> MiniApp {
        let dir = MiniAppViewTests.repo.appendingPathComponent("tests/fixtures/\(name)/app").path
        let options = MiniApp.Options(
            viewport: CGSize(width: 375, height: 667),
            clock: "virtual",
            log: { [weak self] level, message in self?.record(level, message) }
        )
        let opened = try MiniApp.open(view: view, dir: dir, options: options)
        app = opened
        return opened
    }

    /// Runs the main run loop until `done` holds (frames arrive from the logic thread).
    private func settle(_ what: String, _ done: () -> Bool) {
        let end = Date(timeIntervalSinceNow: 10)
        while Date() < end {
            RunLoop.main.run(until: Date(timeIntervalSinceNow: 0.005))
            if done() { return }
        }
        XCTFail("timed out waiting for \(what); page text:\n\(view.visibleText())\nlogs: \(logs)")
    }

    private func node(_ app: MiniApp, _ selector: String) -> UIView? {
        guard let id = try? app.select(selector) else { return nil }
        return view.viewOf(id)
    }

    private func dumped(_ app: MiniApp) -> String {
        return (try? app.dump()) ?? ""
    }

    /// Runs the handler of an alert's action `index`, as a tap on it would.
    private func tapAction(_ alert: UIAlertController, _ index: Int) {
        typealias Handler = @convention(block) (UIAlertAction) -> Void
        let action = alert.actions[index]
        guard let block = action.value(forKey: "handler") else { return XCTFail("no handler") }
        let handler = unsafeBitCast(block as AnyObject, to: Handler.self)
        handler(action)
    }

    private func presentedAlert() -> UIAlertController? {
        return window.rootViewController?.presentedViewController as? UIAlertController
    }

    func testDrawsThePageWithNativeViewsAndAnswersTaps() throws {
        let app = try open()
        app.launch()
        settle("the first page") { view.visibleText().contains("Refreshed 0 times") }
        XCTAssertTrue(view.visibleText().contains("河畔大学 Riverside University"), view.visibleText())
        let first = view.applyStats

        // Text runs are labels in the core's font; elements sit at the core's frames.
        view.layoutIfNeeded()
        let title = findLabel(view, "河畔大学 Riverside University")
        XCTAssertEqual(title?.font.pointSize ?? 0, 18, accuracy: 0.01)
        let refresh = try XCTUnwrap(node(app, "#refresh"))
        let onScreen = refresh.convert(CGPoint.zero, to: nil)
        XCTAssertTrue(onScreen.x > 200 && onScreen.y > 150, "laid out at its frame: \(onScreen)")

        // A tap goes to the core; the page updates through the next frame.
        view.userTapped(refresh)
        settle("the tap's frame") { view.visibleText().contains("Refreshed 1 time") }
        let stats = view.applyStats
        print(String(
            format: "ios: first render %d ops in %d frames applied in %.1f ms; tap %d ops in %d frames applied in %.2f ms",
            first.ops, first.frames, first.seconds * 1000,
            stats.ops - first.ops, stats.frames - first.frames, (stats.seconds - first.seconds) * 1000
        ))

        // Back on the first page: the host should leave the mini program.
        XCTAssertFalse(app.back())

        // A card's `border-left: 4px solid transparent` paints nothing (each side on its own).
        let card = try XCTUnwrap(node(app, ".card") as? NodeView)
        let sides = try XCTUnwrap(card.sideBorders)
        XCTAssertEqual(sides.widths[0], 0)
        XCTAssertGreaterThan(sides.widths[3], 0)
        XCTAssertEqual(sides.colors[3].cgColor.alpha, 0)
        // the hero's `background: linear-gradient(135deg, #1f6feb, #4f8ff7)` is drawn
        let hero = try XCTUnwrap(node(app, ".hero") as? NodeView)
        let gradient = try XCTUnwrap(hero.gradient)
        XCTAssertEqual(gradient.angle, 135)
        XCTAssertEqual(gradient.colors.first, CssStyle.parseColor("#1f6feb"))
        XCTAssertTrue(gradient.layer.superlayer === hero.layer)

        // The page as UIKit draws it, attached to the test's results.
        view.layoutIfNeeded()
        let image = UIGraphicsImageRenderer(bounds: view.bounds).image { _ in
            view.drawHierarchy(in: view.bounds, afterScreenUpdates: true)
        }
        let attachment = XCTAttachment(image: image)
        attachment.name = "campus-ios"
        attachment.lifetime = .keepAlways
        add(attachment)

        // Closing the app stops its logic thread.
        app.close()
        settle("the app thread to stop") { app.isStopped }
    }

    func testNavigationTabsBackAndTyping() throws {
        let app = try open()
        app.launch()
        settle("the first page") { view.visibleText().contains("Refreshed 0 times") }
        XCTAssertEqual(view.titleBar.text, "校园服务 Campus")
        XCTAssertEqual(view.tabLabels(), ["News", "Timetable", "About"])
        XCTAssertFalse(view.tabBar.isHidden)

        // A card opens the detail page (a push); back returns.
        view.userTapped(try XCTUnwrap(node(app, "#item-3")))
        settle("the detail page") {
            dumped(app).contains("route=\"pages/detail/detail\"") && view.titleBar.text != "校园服务 Campus"
        }
        XCTAssertTrue(view.tabBar.isHidden)
        XCTAssertTrue(app.back())
        settle("back on the list") { view.titleBar.text == "校园服务 Campus" }

        // The tab bar switches tabs.
        (view.tabBar.arrangedSubviews[1] as? UIButton)?.sendActions(for: .touchUpInside)
        settle("the timetable") { dumped(app).contains("route=\"pages/schedule/schedule\"") }
        (view.tabBar.arrangedSubviews[0] as? UIButton)?.sendActions(for: .touchUpInside)
        settle("the list again") { view.visibleText().contains("Refreshed 0 times") }

        // Typing into a field reaches the page's data (model:value).
        view.userTapped(try XCTUnwrap(node(app, "#service-feedback")))
        settle("the feedback form") { node(app, "#fb-name") != nil }
        let name = try XCTUnwrap(node(app, "#fb-name") as? UITextField)
        name.text = "Ann"
        name.sendActions(for: .editingChanged)
        settle("the typed name") { dumped(app).contains("value=\"Ann\"") }

        // A UISlider for the slider (value 3 of 1..5), a radio button, then submit.
        let rating = try XCTUnwrap(node(app, "#fb-rating") as? UISlider)
        XCTAssertEqual(rating.maximumValue, 4)
        XCTAssertEqual(rating.value, 2)
        // The user drags the thumb to the end and lifts the finger.
        rating.value = 4
        rating.sendActions(for: .valueChanged)
        rating.sendActions(for: .touchUpInside)
        let phone = try XCTUnwrap(node(app, "#fb-phone") as? UIButton)
        phone.sendActions(for: .touchUpInside)
        settle("the radio") { dumped(app).contains("<radio id=\"fb-phone\" checked=\"true\"") }
        // The topic picker is a native action sheet.
        view.userTapped(try XCTUnwrap(node(app, "#fb-topic")))
        settle("the picker") { presentedAlert() != nil }
        let sheet = try XCTUnwrap(presentedAlert())
        tapAction(sheet, 2)
        sheet.dismiss(animated: false)
        settle("the picked topic") { !view.visibleText().contains("Teaching") }
        let message = try XCTUnwrap(node(app, "#fb-message") as? UITextView)
        message.text = "Great library"
        message.delegate?.textViewDidChange?(message)
        view.userTapped(try XCTUnwrap(node(app, "#fb-submit")))
        settle("the sent note") { view.visibleText().contains("Thanks, Ann!") && view.visibleText().contains("(5/5)") }
    }

    func testHostServicesShowToastsAndAnswerTheNetworkType() throws {
        let app = try open()
        app.launch()
        settle("the network type") {
            view.visibleText().contains("Network: ") && !view.visibleText().contains("Network: checking")
        }
        let known = ["wifi", "4g", "ethernet", "none", "unknown"].contains { view.visibleText().contains("Network: \($0)") }
        XCTAssertTrue(known, view.visibleText())
        view.userTapped(try XCTUnwrap(node(app, "#star-2")))
        settle("the toast") { findLabel(window, "Starred") != nil }

        // The clipboard is not granted by default: the call fails in the mini program with
        // WeChat's errMsg and never reaches the pasteboard.
        view.userTapped(try XCTUnwrap(node(app, "#item-3")))
        settle("the detail page") { node(app, "#copy-link") != nil }
        view.userTapped(try XCTUnwrap(node(app, "#copy-link")))
        settle("the refusal") { view.visibleText().contains("Copy failed: setClipboardData:fail no permission") }
    }

    func testRequestsGoOverHttpToTheAllowlistedUrl() throws {
        let server = try TinyHTTPServer(body: "{\"title\":\"From iOS\"}")
        defer { server.stop() }
        settle("the server") { server.port != nil }
        let policy = "{\"grant\":[\"network\",\"ui\",\"storage\"],\"network\":{\"allowInsecure\":true}}" // loopback
        let app = try openTestApp("network", policyJson: policy)
        let url = "http://127.0.0.1:\(server.port ?? 0)/news"
        let encoded = url.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? url
        app.launch(url: "pages/index/index?url=\(encoded)")
        settle("the response") { view.visibleText().contains("HTTP 200") && view.visibleText().contains("From iOS") }
    }

    func testNetworkImagesLoadAndReportTheirSize() throws {
        let png = UIGraphicsImageRenderer(size: CGSize(width: 64, height: 32), format: {
            let format = UIGraphicsImageRendererFormat()
            format.scale = 1
            return format
        }()).pngData { context in
            UIColor.red.setFill()
            context.fill(CGRect(x: 0, y: 0, width: 64, height: 32))
        }
        let server = try TinyHTTPServer(body: png, contentType: "image/png")
        defer { server.stop() }
        settle("the server") { server.port != nil }
        let app = try openTestApp("image")
        let url = "http://127.0.0.1:\(server.port ?? 0)/pic.png"
        let encoded = url.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? url
        app.launch(url: "pages/index/index?url=\(encoded)")
        settle("the image") { view.visibleText().contains("loaded 64x32") }
        let image = try XCTUnwrap(node(app, "#pic") as? UIImageView)
        XCTAssertEqual(image.image?.size.width, 64)
        // widthFix: the height follows the laid-out width at the image's 2:1 ratio
        settle("the widthFix frame") { image.node.map { $0.frame.width > 0 && $0.frame.height == $0.frame.width / 2 } == true }
    }

    func testIconsAreSymbolsInTheirTypesColor() throws {
        let app = try openFixture("builtin_content")
        app.launch()
        settle("the icon") { ((node(app, "icon") as? IconView)?.text ?? "").isEmpty == false }
        let icon = try XCTUnwrap(node(app, "icon") as? IconView)
        XCTAssertEqual(icon.text, "\u{2714}")
        XCTAssertEqual(icon.font.pointSize, 30, accuracy: 0.01) // size="30"
        XCTAssertEqual(icon.textColor, CssStyle.parseColor("#09BB07"))
    }

    func testSiblingsDrawInZIndexOrder() throws {
        let app = try openTestApp("zorder")
        app.launch()
        settle("the page") { view.visibleText().contains("under") }
        let box = try XCTUnwrap(node(app, "#box") as? NodeView)
        let ids = box.drawingOrder().map { box.subviews[$0].node?.id }
        // z-index -1, then auto (document order), then 2 on top
        XCTAssertEqual(ids, [try app.select("#under"), try app.select("#plain"), try app.select("#over")])
        // the layers draw in that order
        let z = ids.compactMap { id in id.flatMap { view.viewOf($0)?.layer.zPosition } }
        XCTAssertEqual(z, z.sorted())
    }

    func testCssAnimationsAndTransitionsPlayOnTheViews() throws {
        let app = try openTestApp("motion")
        app.launch()
        settle("the page") { view.visibleText().contains("fade") }
        // `pulse`: opacity 1 → 0.2 at half of 400 ms (linear) → 1, forever.
        let spin = try XCTUnwrap(node(app, "#spin"))
        let pulse = try XCTUnwrap(CssMotion.animationOf(spin) as? CAAnimationGroup)
        XCTAssertEqual(pulse.duration, 0.4, accuracy: 1e-6)
        XCTAssertEqual(pulse.repeatCount, Float.infinity)
        let opacity = try XCTUnwrap(pulse.animations?.first as? CAKeyframeAnimation)
        XCTAssertEqual(opacity.keyPath, "opacity")
        XCTAssertEqual((opacity.values as? [CGFloat]) ?? [], [1, 0.2, 1])
        XCTAssertEqual(opacity.keyTimes ?? [], [0, 0.5, 1])
        // a transitioned opacity change animates from the old value to the new one
        let fade = try XCTUnwrap(node(app, "#fade"))
        XCTAssertNil(CssMotion.animationOf(fade))
        XCTAssertEqual(fade.alpha, 1, accuracy: 0.001)
        let styled = fade.node?.style
        view.userTapped(fade)
        settle("the class change") { fade.node?.style !== styled }
        let transition = try XCTUnwrap(CssMotion.animationOf(fade) as? CAAnimationGroup)
        XCTAssertEqual(transition.duration, 0.3, accuracy: 1e-6)
        let change = try XCTUnwrap(transition.animations?.first as? CABasicAnimation)
        XCTAssertEqual(change.keyPath, "opacity")
        XCTAssertEqual(change.fromValue as? CGFloat, 1)
        XCTAssertEqual(change.toValue as? CGFloat ?? 0, 0.2, accuracy: 0.001)
        XCTAssertEqual(fade.alpha, 0.2, accuracy: 0.001) // where it ends
    }

    func testSwiperAndScrollViewAreNativeGestures() throws {
        let app = try openFixture("builtin_scroll_swiper")
        app.launch()
        settle("the swiper") { node(app, "#sw") is SwiperView }
        let swiper = try XCTUnwrap(node(app, "#sw") as? SwiperView)
        func showing() -> [String] {
            return swiper.subviews.filter { !$0.isHidden }.compactMap { item in
                (item.subviews.first as? UILabel)?.text
            }
        }
        settle("item A") { showing() == ["A"] }
        swiper.swipe(1) // what a leftward swipe does
        settle("item B") { showing() == ["B"] && swiper.current == 1 }
        app.advance(ms: 5000) // autoplay (interval 4000 after the swipe's 300 ms)
        settle("item C") { showing() == ["C"] }

        // The scroll-view moves its content under a drag and the core hears it (bindscroll).
        let list = try XCTUnwrap(node(app, "#list") as? ScrollNodeView)
        list.dragBy(dx: 0, dy: 150)
        XCTAssertEqual(list.offset.y, 150)
        settle("bindscroll") {
            logLock.lock()
            defer { logLock.unlock() }
            return logs.contains { $0.contains("scroll list 0 150") }
        }
        list.dragBy(dx: 0, dy: -1000)
        XCTAssertEqual(list.offset.y, 0) // not above the top

        // A fling keeps it moving after the finger left, slowing to a stop inside the content.
        list.fling(vx: 0, vy: 2000)
        var steps = 0
        while list.flingStep(seconds: 1.0 / 60) && steps < 600 {
            steps += 1
        }
        let stopped = list.offset.y
        XCTAssertGreaterThan(stopped, 150)
        settle("the fling's scroll events") {
            logLock.lock()
            defer { logLock.unlock() }
            return logs.contains { $0.contains("scroll list 0 \(Int(stopped))") }
        }
    }

    func testFieldsReportFocusBlurConfirmAndMultiColumnPickers() throws {
        let app = try openFixture("builtin_fields")
        app.launch()
        settle("the form") { node(app, "#name") is UITextField }
        let name = try XCTUnwrap(node(app, "#name") as? UITextField)
        func logged(_ text: String) -> Bool {
            logLock.lock()
            defer { logLock.unlock() }
            return logs.contains { $0.contains(text) }
        }
        name.becomeFirstResponder()
        view.textFieldDidBeginEditing(name) // what UIKit calls when the field takes focus
        settle("focus") { logged("focus name") }
        _ = view.textFieldShouldReturn(name)
        settle("confirm") { logged("confirm name") }
        view.textFieldDidEndEditing(name)
        settle("blur") { logged("blur name") }

        // multiSelector: one wheel per column; moving one is a column change, Done picks them all.
        view.userTapped(try XCTUnwrap(node(app, "#multi")))
        settle("the picker") { view.openMultiPicker != nil }
        let sheet = try XCTUnwrap(view.openMultiPicker)
        sheet.loadViewIfNeeded()
        XCTAssertEqual(sheet.picker.numberOfComponents, 2)
        XCTAssertEqual(sheet.picker.numberOfRows(inComponent: 1), 3)
        sheet.picker.selectRow(2, inComponent: 1, animated: false)
        sheet.pickerView(sheet.picker, didSelectRow: 2, inComponent: 1)
        settle("the column change") { logged("columnchange multi {\"column\":1,\"value\":2}") }
        sheet.perform(NSSelectorFromString("finish"))
        settle("the pick") { logged("change multi {\"value\":[0,2]}") }
        sheet.dismiss(animated: false)
        settle("the sheet gone") { window.rootViewController?.presentedViewController == nil }

        // region: province, city and district, picked as three names
        view.userTapped(try XCTUnwrap(node(app, "#region")))
        settle("the region picker") { presentedAlert() != nil }
        let region = try XCTUnwrap(presentedAlert())
        let names = ["广东省", "广州市", "海珠区"]
        for (field, name) in zip(region.textFields ?? [], names) {
            field.text = name
        }
        tapAction(region, 0)
        region.dismiss(animated: false)
        settle("the region") { logged("change region {\"value\":[\"广东省\",\"广州市\",\"海珠区\"]") }
    }

    func testActionSheetsAndVibration() throws {
        let app = try openTestApp("services")
        app.launch()
        settle("the page") { view.visibleText().contains("sheet: none") }
        view.userTapped(try XCTUnwrap(node(app, "#pick")))
        settle("the sheet") { presentedAlert() != nil }
        let sheet = try XCTUnwrap(presentedAlert())
        tapAction(sheet, 1)
        sheet.dismiss(animated: false)
        settle("the choice") { view.visibleText().contains("sheet: picked 1") }
        view.userTapped(try XCTUnwrap(node(app, "#buzz")))
        settle("the vibration") { view.visibleText().contains("vibrate: vibrated") }
    }

    func testUIKitMeasuresTheText() throws {
        let font = FontRecord(size: 16, lineHeight: 20, weight: 400, italic: false, letterSpacing: 0)
        let measurer = UIKitTextMeasurer()
        let one = try measurer.measure(text: "Riverside University", font: font, maxWidth: nil)
        XCTAssertGreaterThan(one.width, 0)
        XCTAssertEqual(one.lines, 1)
        XCTAssertEqual(one.height, 20, accuracy: 0.01)
        let wrapped = try measurer.measure(text: "Riverside University", font: font, maxWidth: one.width / 2)
        XCTAssertGreaterThan(wrapped.lines, 1)

        // Frames follow the host's fonts, not the headless formula.
        let measured = try open(measureText: true)
        measured.launch()
        settle("the first page") { view.visibleText().contains("Refreshed 0 times") }
        let withUIKit = dumped(measured).split(separator: "\n").first { $0.contains("\"Refreshed 0 times\"") }
        measured.close()
        let headlessView = MiniAppView(frame: view.frame)
        let headless = try MiniApp.open(
            view: headlessView,
            dir: campus,
            options: MiniApp.Options(viewport: CGSize(width: 375, height: 667), clock: "virtual", measureText: false)
        )
        headless.launch()
        settle("the headless page") { headlessView.visibleText().contains("Refreshed 0 times") }
        let withFormula = dumped(headless).split(separator: "\n").first { $0.contains("\"Refreshed 0 times\"") }
        headless.close()
        XCTAssertNotEqual(withFormula, withUIKit)
    }

    private func findLabel(_ root: UIView, _ text: String) -> UILabel? {
        if let label = root as? UILabel, label.text == text { return label }
        for child in root.subviews {
            if let found = findLabel(child, text) { return found }
        }
        return nil
    }
}

/// A one-response HTTP server on the loopback interface (Network framework), for the request
/// test.
final class TinyHTTPServer {
    private let listener: NWListener
    private let queue = DispatchQueue(label: "tiny-http")

    convenience init(body: String) throws {
        try self.init(body: Data(body.utf8), contentType: "application/json")
    }

    init(body: Data, contentType: String) throws {
        listener = try NWListener(using: .tcp, on: .any)
        let queue = self.queue
        listener.newConnectionHandler = { connection in
            connection.start(queue: queue)
            connection.receive(minimumIncompleteLength: 1, maximumLength: 65536) { _, _, _, _ in
                let head = "HTTP/1.1 200 OK\r\nContent-Type: \(contentType)\r\n"
                    + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
                connection.send(content: Data(head.utf8) + body, completion: .contentProcessed { _ in connection.cancel() })
            }
        }
        listener.start(queue: queue)
    }

    /// The port, once the listener is ready.
    var port: UInt16? {
        return listener.port?.rawValue
    }

    func stop() {
        listener.cancel()
    }
}
