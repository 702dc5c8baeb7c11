// Hosts get the core's types (HostEventRecord, HostServices, HostCallRecord…) with MiniAppKit.
@_exported import MiniAppBindings
import UIKit

/// A mini program running in a `MiniAppView`: opens the package, streams its frames to the
/// view on the main queue, and reports what the user and the host app do as host events.
///
/// ```swift
/// let view = MiniAppView(frame: window.bounds)
/// viewController.view = view
/// let app = try MiniApp.open(view: view, dir: packagePath)   // a folder with app.json
/// app.launch(url: "pages/detail/detail?id=3")
/// // sceneWillResignActive: app.pause(); sceneDidBecomeActive: app.resume()
/// // back button: if !app.back() { leave }; deinit or close: app.close()
/// ```
///
/// Kotlin twin: `MiniApp` (android/src/main/kotlin/dev/miniapp/android/MiniApp.kt).
public final class MiniApp {
    /// How the app is opened. Lengths are CSS px (points).
    public struct Options {
        /// The page area; default: the screen's size in points.
        public var viewport: CGSize?
        /// Capability groups the host grants (see the README's policy format).
        public var grant: [String] = ["storage", "ui", "device", "network"]
        /// A whole capability policy as JSON (domain lists, quotas, limits); replaces `grant`.
        public var policyJson: String?
        /// `"real"` (default) or `"virtual"` (tests: time moves only with `advance`).
        public var clock: String = "real"
        /// The host's services; default: `DefaultHostServices`.
        public var hostServices: HostServices?
        /// Measure text with UIKit's fonts (`UIKitTextMeasurer`); false: the headless formula.
        public var measureText: Bool = true
        /// Console output and uncaught errors; default: `NSLog`.
        public var log: ((_ level: String, _ message: String) -> Void)?

        public init(
            viewport: CGSize? = nil,
            grant: [String] = ["storage", "ui", "device", "network"],
            policyJson: String? = nil,
            clock: String = "real",
            hostServices: HostServices? = nil,
            measureText: Bool = true,
            log: ((_ level: String, _ message: String) -> Void)? = nil
        ) {
            self.viewport = viewport
            self.grant = grant
            self.policyJson = policyJson
            self.clock = clock
            self.hostServices = hostServices
            self.measureText = measureText
            self.log = log
        }
    }

    public let view: MiniAppView
    private let core: MiniAppBindings.MiniApp
    private let state: FrameState

    private init(view: MiniAppView, core: MiniAppBindings.MiniApp, state: FrameState) {
        self.view = view
        self.core = core
        self.state = state
    }

    /// Opens the mini program in `dir` (the folder with `app.json`, or a ZIP of it) into `view`.
    public static func open(view: MiniAppView, dir: String, options: Options = Options()) throws -> MiniApp {
        let size = options.viewport ?? UIScreen.main.bounds.size
        var policy: Any = ["grant": options.grant]
        if let text = options.policyJson,
           let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: []) {
            policy = parsed
        }
        let config: [String: Any] = [
            "clock": options.clock,
            "viewport": ["width": Double(size.width), "height": Double(size.height), "pixelRatio": Double(UIScreen.main.scale)],
            "policy": policy,
        ]
        let state = FrameState(view: view)
        let log = options.log ?? { level, message in NSLog("miniapp [%@] %@", level, message) }
        let core = try MiniAppBindings.MiniApp.open(
            dir: dir,
            configJson: MiniAppView.json(config),
            listener: state,
            host: options.hostServices ?? DefaultHostServices(),
            log: ClosureLogSink(log),
            measurer: options.measureText ? UIKitTextMeasurer() : nil
        )
        state.core = core
        let app = MiniApp(view: view, core: core, state: state)
        view.attachPackage(URL(fileURLWithPath: dir))
        view.onTap = { [weak app] node in app?.send(.tap(node: node)) }
        view.onUserAction = { [weak app] node, action in app?.send(.act(node: node, actionJson: action)) }
        view.onPageScroll = { [weak app] top, height in
            app?.send(.pageScroll(scrollTop: Double(top), scrollHeight: Double(height)))
        }
        view.onTabTap = { [weak app] index in app?.send(.tabTap(index: UInt32(index))) }
        return app
    }

    /// Starts at `url` (`pages/x/x?a=1`; nil: the entry page) from `scene`.
    public func launch(url: String? = nil, scene: UInt32 = 1001) {
        send(.launch(url: url, scene: scene))
    }

    /// Reports anything the host app did or saw (`HostEventRecord`).
    public func send(_ event: HostEventRecord) {
        guard !state.isClosed else { return }
        do {
            try core.send(event: event)
        } catch {
            NSLog("miniapp: %@", "\(error)")
        }
    }

    /// The scene went to the background: the mini program hides.
    public func pause() {
        send(.hide)
    }

    /// The scene is active again.
    public func resume(scene: UInt32 = 1001) {
        send(.show(scene: scene))
    }

    /// The back button: true when the mini program went back, false when the host should
    /// leave it.
    public func back() -> Bool {
        guard !state.isClosed else { return false }
        return (try? core.request(event: .back).handled) ?? false
    }

    /// The node matching a selector (`#id`, `.class`, tag…) on the current page.
    public func select(_ selector: String) throws -> UInt32 {
        return try core.select(selector: selector)
    }

    /// The current tree as indented text, each node with its frame (tools and tests).
    public func dump() throws -> String {
        return try core.dump()
    }

    /// Virtual time passes (apps opened with `clock: "virtual"`).
    public func advance(ms: Double) {
        send(.advance(ms: ms))
    }

    /// True once the app's logic thread has finished (after `close()`, or when it stopped).
    public var isStopped: Bool {
        return state.threadDone
    }

    /// Stops the mini program and frees it; returns at once.
    public func close() {
        guard !state.isClosed else { return }
        state.isClosed = true
        core.stop()
    }

    deinit {
        close()
    }
}

/// Receives the core's signals on its logic thread and applies frames on the main queue: one
/// `framesReady` per batch, the frames pulled there and applied in one pass.
private final class FrameState: FrameListener, @unchecked Sendable {
    weak var view: MiniAppView?
    weak var core: MiniAppBindings.MiniApp?
    /// Written and read on the main queue.
    var isClosed = false
    /// Set on the logic thread when it finishes (`closed()`), read anywhere.
    var threadDone: Bool {
        lock.lock()
        defer { lock.unlock() }
        return finished
    }
    private var finished = false
    private let lock = NSLock()

    init(view: MiniAppView) {
        self.view = view
    }

    func framesReady() throws {
        DispatchQueue.main.async { [weak self] in
            guard let self = self, !self.isClosed, let core = self.core, let view = self.view else { return }
            for frame in core.takeFrames() {
                view.apply(frame)
            }
        }
    }

    func commandFailed(detail: String) throws {
        NSLog("miniapp: command failed: %@", detail)
    }

    func closed() throws {
        lock.lock()
        finished = true
        lock.unlock()
    }
}

/// Console output and uncaught errors to a closure.
private final class ClosureLogSink: LogSink, @unchecked Sendable {
    private let write: (String, String) -> Void

    init(_ write: @escaping (String, String) -> Void) {
        self.write = write
    }

    func log(appId: String, level: String, message: String) throws {
        write(level, message)
    }
}
