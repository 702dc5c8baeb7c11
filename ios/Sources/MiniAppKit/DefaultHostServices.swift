import Foundation
import MiniAppBindings
import Network
import UIKit

/// What an iOS host app does for a mini program out of the box: toasts (a short-lived label
/// over the key window), modal dialogs and action sheets (`UIAlertController`s presented from
/// the `presenter`'s view controller), the clipboard, haptic vibration, keeping the screen on,
/// hiding the keyboard, the network type (from an `NWPathMonitor` kept running), the phone
/// dialer, and HTTP(S) for `request`, `downloadFile` and `uploadFile` on a `URLSession` that
/// refuses redirects (the core has already checked each URL against the capability policy's
/// domain lists, so exactly that URL is fetched). Every other call fails with a clear reason
/// through `unavailable(call:reply:)`; a host app subclasses this class (or writes its own
/// `HostServices`) for payments, login, location and the rest. Calls arrive on the app's logic
/// thread; UI work is posted to the main queue and the reply is given from there, transfers
/// reply from the session's queue. `cancel(appId:id:)` cancels the call's transfer in flight.
///
/// Kotlin twin: `DefaultHostServices` (android/src/main/kotlin/dev/miniapp/android/DefaultHostServices.kt).
open class DefaultHostServices: HostServices, @unchecked Sendable {
    /// Where alerts and action sheets are presented from (asked on the main thread).
    private let presenter: () -> UIViewController?
    /// `request`, `downloadFile` and `uploadFile`: no redirects, no cookies, no cache.
    private let session: URLSession
    private let pathMonitor = NWPathMonitor()
    private let pathLock = NSLock()
    /// The latest network path (guarded by `pathLock`); nil until the monitor reports.
    private var latestPath: NWPath?
    private let tasksLock = NSLock()
    /// Transfers in flight by call (guarded by `tasksLock`), for `cancel`.
    private var tasks: [HostTaskKey: URLSessionTask] = [:]
    /// The toast on screen (main thread only).
    private weak var toastView: UIView?

    /// - Parameter presenter: the view controller dialogs are presented from, asked on the main
    ///   thread each time one is shown; by default the key window's top-most controller. When it
    ///   answers nil, `showModal` and `showActionSheet` fail.
    public init(
        presenter: @escaping () -> UIViewController? = DefaultHostServices.topViewController
    ) {
        self.presenter = presenter
        let configuration = URLSessionConfiguration.default
        configuration.httpCookieAcceptPolicy = .never
        configuration.httpShouldSetCookies = false
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        self.session = URLSession(
            configuration: configuration,
            delegate: RedirectRefusingDelegate(),
            delegateQueue: nil
        )
        pathMonitor.pathUpdateHandler = { [weak self] path in
            self?.setLatestPath(path)
        }
        pathMonitor.start(queue: DispatchQueue(label: "dev.miniapp.host.network-path"))
    }

    deinit {
        pathMonitor.cancel()
        session.invalidateAndCancel()
    }

    /// The key window's root view controller, or the top-most controller it presents.
    public static func topViewController() -> UIViewController? {
        guard let window = DefaultHostServices.keyWindow() else { return nil }
        var top = window.rootViewController
        while let presented = top?.presentedViewController {
            top = presented
        }
        return top
    }

    open func call(call: HostCallRecord, reply: HostReply) throws {
        let args = parseArgs(call.argsJson)
        switch call.api {
        case "showToast":
            DispatchQueue.main.async { [weak self] in
                self?.showToast(args)
                try? reply.ok(resultJson: "{}")
            }
        case "hideToast", "showLoading", "hideLoading":
            try? reply.ok(resultJson: "{}")
        case "showModal":
            DispatchQueue.main.async { [weak self] in
                self?.showModal(args, reply: reply)
            }
        case "showActionSheet":
            DispatchQueue.main.async { [weak self] in
                self?.showActionSheet(args, reply: reply)
            }
        case "vibrateShort":
            DispatchQueue.main.async {
                let generator = UIImpactFeedbackGenerator(style: .light)
                generator.impactOccurred()
                try? reply.ok(resultJson: "{}")
            }
        case "vibrateLong":
            DispatchQueue.main.async {
                let generator = UINotificationFeedbackGenerator()
                generator.notificationOccurred(.warning)
                try? reply.ok(resultJson: "{}")
            }
        case "setKeepScreenOn":
            let keepScreenOn = boolValue(args["keepScreenOn"], fallback: false)
            DispatchQueue.main.async {
                UIApplication.shared.isIdleTimerDisabled = keepScreenOn
                try? reply.ok(resultJson: "{}")
            }
        case "hideKeyboard":
            DispatchQueue.main.async {
                _ = UIApplication.shared.sendAction(
                    #selector(UIResponder.resignFirstResponder), to: nil, from: nil, for: nil
                )
                try? reply.ok(resultJson: "{}")
            }
        case "setClipboardData":
            let data = stringValue(args["data"]) ?? ""
            DispatchQueue.main.async {
                UIPasteboard.general.string = data
                try? reply.ok(resultJson: "{}")
            }
        case "getClipboardData":
            DispatchQueue.main.async {
                let text = UIPasteboard.general.string ?? ""
                try? reply.ok(resultJson: json(["data": text]))
            }
        case "getNetworkType":
            try? reply.ok(resultJson: json(["networkType": networkType()]))
        case "makePhoneCall":
            let number = stringValue(args["phoneNumber"]) ?? ""
            DispatchQueue.main.async {
                DefaultHostServices.dial(number, reply: reply)
            }
        case "request":
            request(args, key: HostTaskKey(appId: call.appId, id: call.id), reply: reply)
        case "downloadFile":
            download(args, key: HostTaskKey(appId: call.appId, id: call.id), reply: reply)
        case "uploadFile":
            let key = HostTaskKey(appId: call.appId, id: call.id)
            // reading the file and building the body stay off the logic thread
            DispatchQueue.global(qos: .userInitiated).async { [weak self] in
                guard let self = self else {
                    reply.fail(reason: "the host services are gone")
                    return
                }
                self.upload(args, key: key, reply: reply)
            }
        default:
            unavailable(call: call, reply: reply)
        }
    }

    open func cancel(appId: String, id: UInt64) throws {
        let key = HostTaskKey(appId: appId, id: id)
        tasksLock.lock()
        let task = tasks.removeValue(forKey: key)
        tasksLock.unlock()
        task?.cancel()
    }

    /// What the default host cannot do: the call fails with this reason.
    open func unavailable(call: HostCallRecord, reply: HostReply) {
        reply.fail(reason: "\(call.api) is not available in this host app")
    }

    // MARK: - UI (main thread)

    /// A label over the key window that fades out after `duration` ms (1500 by default).
    private func showToast(_ args: [String: Any]) {
        toastView?.removeFromSuperview()
        let title = stringValue(args["title"]) ?? ""
        guard !title.isEmpty, let window = DefaultHostServices.keyWindow() else { return }
        var seconds: Double = 1.5
        if let duration = numberValue(args["duration"]), duration > 0 {
            seconds = duration / 1000.0
        }

        let container = UIView()
        container.backgroundColor = UIColor(white: 0.0, alpha: 0.75)
        container.layer.cornerRadius = 8.0
        container.clipsToBounds = true
        container.isUserInteractionEnabled = false
        container.translatesAutoresizingMaskIntoConstraints = false

        let label = UILabel()
        label.text = title
        label.textColor = UIColor.white
        label.font = UIFont.systemFont(ofSize: 15.0)
        label.numberOfLines = 0
        label.textAlignment = .center
        label.translatesAutoresizingMaskIntoConstraints = false

        container.addSubview(label)
        window.addSubview(container)
        NSLayoutConstraint.activate([
            label.leadingAnchor.constraint(equalTo: container.leadingAnchor, constant: 16.0),
            label.trailingAnchor.constraint(equalTo: container.trailingAnchor, constant: -16.0),
            label.topAnchor.constraint(equalTo: container.topAnchor, constant: 10.0),
            label.bottomAnchor.constraint(equalTo: container.bottomAnchor, constant: -10.0),
            container.centerXAnchor.constraint(equalTo: window.centerXAnchor),
            container.centerYAnchor.constraint(equalTo: window.centerYAnchor),
            container.widthAnchor.constraint(
                lessThanOrEqualTo: window.widthAnchor, multiplier: 0.8
            ),
        ])
        toastView = container

        UIView.animate(
            withDuration: 0.25,
            delay: seconds,
            options: [],
            animations: {
                container.alpha = 0.0
            },
            completion: { _ in
                container.removeFromSuperview()
            }
        )
    }

    /// A modal dialog: `{confirm, cancel}`.
    private func showModal(_ args: [String: Any], reply: HostReply) {
        guard let controller = presentingController() else {
            reply.fail(reason: "showModal needs a view controller to show a dialog")
            return
        }
        let title = stringValue(args["title"]) ?? ""
        let content = stringValue(args["content"]) ?? ""
        let alert = UIAlertController(
            title: title.isEmpty ? nil : title,
            message: content.isEmpty ? nil : content,
            preferredStyle: .alert
        )
        if boolValue(args["showCancel"], fallback: true) {
            let cancelText = nonEmpty(stringValue(args["cancelText"]), fallback: "Cancel")
            alert.addAction(UIAlertAction(title: cancelText, style: .cancel, handler: { _ in
                try? reply.ok(resultJson: "{\"confirm\":false,\"cancel\":true}")
            }))
        }
        let confirmText = nonEmpty(stringValue(args["confirmText"]), fallback: "OK")
        alert.addAction(UIAlertAction(title: confirmText, style: .default, handler: { _ in
            try? reply.ok(resultJson: "{\"confirm\":true,\"cancel\":false}")
        }))
        controller.present(alert, animated: true, completion: nil)
    }

    /// An action sheet: `{tapIndex}`, or WeChat's `cancel` failure when dismissed.
    private func showActionSheet(_ args: [String: Any], reply: HostReply) {
        guard let controller = presentingController() else {
            reply.fail(reason: "showActionSheet needs a view controller to show a dialog")
            return
        }
        var items: [String] = []
        if let list = args["itemList"] as? [Any] {
            for item in list {
                items.append(stringValue(item) ?? "")
            }
        }
        let alertText = stringValue(args["alertText"]) ?? ""
        let sheet = UIAlertController(
            title: alertText.isEmpty ? nil : alertText,
            message: nil,
            preferredStyle: .actionSheet
        )
        for (index, item) in items.enumerated() {
            sheet.addAction(UIAlertAction(title: item, style: .default, handler: { _ in
                try? reply.ok(resultJson: json(["tapIndex": index]))
            }))
        }
        // on iPad a tap outside the popover runs the cancel action too
        sheet.addAction(UIAlertAction(title: "Cancel", style: .cancel, handler: { _ in
            reply.fail(reason: "cancel")
        }))
        if let popover = sheet.popoverPresentationController {
            let view: UIView = controller.view
            popover.sourceView = view
            popover.sourceRect = CGRect(
                x: view.bounds.midX, y: view.bounds.midY, width: 0.0, height: 0.0
            )
            popover.permittedArrowDirections = []
        }
        controller.present(sheet, animated: true, completion: nil)
    }

    /// The presenter's controller, or the top-most one it presents (a dialog on top of a
    /// dialog), or nil.
    private func presentingController() -> UIViewController? {
        guard var top = presenter() else { return nil }
        while let presented = top.presentedViewController, !presented.isBeingDismissed {
            top = presented
        }
        return top
    }

    /// The phone app with `number` filled in; fails when nothing opens `tel:` (a simulator).
    private static func dial(_ number: String, reply: HostReply) {
        let digits = number.filter { !$0.isWhitespace }
        guard !digits.isEmpty, let url = URL(string: "tel:" + digits) else {
            reply.fail(reason: "no app can dial: \"\(number)\" is not a phone number")
            return
        }
        UIApplication.shared.open(url, options: [:], completionHandler: { opened in
            if opened {
                try? reply.ok(resultJson: "{}")
            } else {
                reply.fail(reason: "no app can dial: \(url.absoluteString)")
            }
        })
    }

    /// The key window of the foreground scene (or of any scene), or nil.
    private static func keyWindow() -> UIWindow? {
        var fallback: UIWindow?
        for scene in UIApplication.shared.connectedScenes {
            guard let windowScene = scene as? UIWindowScene else { continue }
            for window in windowScene.windows {
                if window.isKeyWindow {
                    return window
                }
                if fallback == nil && scene.activationState == .foregroundActive {
                    fallback = window
                }
            }
        }
        return fallback
    }

    // MARK: - Network type

    private func setLatestPath(_ path: NWPath) {
        pathLock.lock()
        latestPath = path
        pathLock.unlock()
    }

    /// `wifi`, `ethernet`, `4g` (any cellular), `none` or `unknown`.
    private func networkType() -> String {
        pathLock.lock()
        let path = latestPath
        pathLock.unlock()
        guard let current = path else { return "unknown" }
        if current.status != .satisfied { return "none" }
        if current.usesInterfaceType(.wifi) { return "wifi" }
        if current.usesInterfaceType(.wiredEthernet) { return "ethernet" }
        if current.usesInterfaceType(.cellular) { return "4g" }
        return "unknown"
    }

    // MARK: - Transfers

    /// `request`: `{statusCode, header, data, cookies}` with the body as text (the core parses
    /// JSON for `dataType: "json"`); an HTTP error status is a response, not a failure.
    private func request(_ args: [String: Any], key: HostTaskKey, reply: HostReply) {
        guard var request = makeRequest(args, reply: reply) else { return }
        var method = (stringValue(args["method"]) ?? "GET").uppercased()
        if method.isEmpty {
            method = "GET"
        }
        request.httpMethod = method
        let data = stringValue(args["data"]) ?? ""
        if !data.isEmpty && method != "GET" {
            request.httpBody = Data(data.utf8)
        }
        let task = session.dataTask(with: request, completionHandler: {
            [weak self] body, response, error in
            guard let http = finishTransfer(self, key, response, error, reply) else { return }
            var text = String(decoding: body ?? Data(), as: UTF8.self)
            let bom: Unicode.Scalar = "\u{FEFF}"
            if let first = text.unicodeScalars.first, first == bom {
                text.unicodeScalars.removeFirst()
            }
            let result: [String: Any] = [
                "statusCode": http.statusCode,
                "header": responseHeaders(http),
                "data": text,
                "cookies": [Any](),
            ]
            try? reply.ok(resultJson: json(result))
        })
        remember(task, key: key)
        task.resume()
    }

    /// `downloadFile`: the body goes to the `savePath` the core chose; `{statusCode}`.
    private func download(_ args: [String: Any], key: HostTaskKey, reply: HostReply) {
        guard let request = makeRequest(args, reply: reply) else { return }
        guard let savePath = stringValue(args["savePath"]), !savePath.isEmpty else {
            reply.fail(reason: "no savePath")
            return
        }
        let task = session.downloadTask(with: request, completionHandler: {
            [weak self] location, response, error in
            guard let http = finishTransfer(self, key, response, error, reply) else { return }
            if http.statusCode < 400 {
                guard let location = location else {
                    reply.fail(reason: "cannot save the download: no file was downloaded")
                    return
                }
                // the temporary file is deleted when this handler returns: move it now
                let destination = URL(fileURLWithPath: savePath)
                let manager = FileManager.default
                do {
                    if manager.fileExists(atPath: destination.path) {
                        try manager.removeItem(at: destination)
                    }
                    try manager.moveItem(at: location, to: destination)
                } catch {
                    reply.fail(reason: "cannot save the download: \(error.localizedDescription)")
                    return
                }
            }
            try? reply.ok(resultJson: json(["statusCode": http.statusCode]))
        })
        remember(task, key: key)
        task.resume()
    }

    /// `uploadFile`: the file as `multipart/form-data` (field `name` plus `formData`);
    /// `{statusCode, data}`.
    private func upload(_ args: [String: Any], key: HostTaskKey, reply: HostReply) {
        guard var request = makeRequest(args, reply: reply) else { return }
        guard let realPath = stringValue(args["realPath"]), !realPath.isEmpty else {
            reply.fail(reason: "no realPath")
            return
        }
        let fileURL = URL(fileURLWithPath: realPath)
        let fileData: Data
        do {
            fileData = try Data(contentsOf: fileURL)
        } catch {
            reply.fail(reason: error.localizedDescription)
            return
        }
        let boundary = "miniapp" + String(DispatchTime.now().uptimeNanoseconds)
        request.httpMethod = "POST"
        request.setValue(
            "multipart/form-data; boundary=\(boundary)", forHTTPHeaderField: "Content-Type"
        )

        var body = Data()
        if let form = args["formData"] as? [String: Any] {
            for name in form.keys.sorted() {
                appendLine("--\(boundary)", to: &body)
                appendLine("Content-Disposition: form-data; name=\"\(name)\"", to: &body)
                appendLine("", to: &body)
                appendLine(stringValue(form[name]) ?? "", to: &body)
            }
        }
        let field = stringValue(args["name"]) ?? ""
        let fileName = fileURL.lastPathComponent
        appendLine("--\(boundary)", to: &body)
        appendLine(
            "Content-Disposition: form-data; name=\"\(field)\"; filename=\"\(fileName)\"",
            to: &body
        )
        appendLine("Content-Type: application/octet-stream", to: &body)
        appendLine("", to: &body)
        body.append(fileData)
        appendLine("", to: &body)
        appendLine("--\(boundary)--", to: &body)

        let task = session.uploadTask(with: request, from: body, completionHandler: {
            [weak self] data, response, error in
            guard let http = finishTransfer(self, key, response, error, reply) else { return }
            let text = String(decoding: data ?? Data(), as: UTF8.self)
            try? reply.ok(resultJson: json(["statusCode": http.statusCode, "data": text]))
        })
        remember(task, key: key)
        task.resume()
    }

    /// A request for `url` (http or https only) with `timeout` ms (60000 by default) and the
    /// `header` fields; fails the call and answers nil when the URL is missing or unusable.
    private func makeRequest(_ args: [String: Any], reply: HostReply) -> URLRequest? {
        guard let text = stringValue(args["url"]), !text.isEmpty else {
            reply.fail(reason: "no url")
            return nil
        }
        guard let url = URL(string: text),
              let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https"
        else {
            reply.fail(reason: "not an http(s) url: \(text)")
            return nil
        }
        var timeout: Double = 60_000
        if let millis = numberValue(args["timeout"]), millis > 0 {
            timeout = millis
        }
        var request = URLRequest(
            url: url,
            cachePolicy: .reloadIgnoringLocalCacheData,
            timeoutInterval: timeout / 1000.0
        )
        if let header = args["header"] as? [String: Any] {
            for (name, value) in header {
                request.setValue(stringValue(value) ?? "", forHTTPHeaderField: name)
            }
        }
        return request
    }

    private func remember(_ task: URLSessionTask, key: HostTaskKey) {
        tasksLock.lock()
        tasks[key] = task
        tasksLock.unlock()
    }

    fileprivate func forgetTransfer(_ key: HostTaskKey) {
        tasksLock.lock()
        tasks.removeValue(forKey: key)
        tasksLock.unlock()
    }
}

/// Names one call's transfer: call ids are unique per app.
private struct HostTaskKey: Hashable {
    let appId: String
    let id: UInt64
}

/// Refuses every redirect, so a transfer never leaves the allowlisted URL: the 3xx response
/// itself completes the task (as `HttpURLConnection.instanceFollowRedirects = false` does).
private final class RedirectRefusingDelegate: NSObject, URLSessionTaskDelegate {
    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest,
        completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}

// MARK: - JSON helpers

/// The call's arguments as a JSON object (empty when they are not one).
private func parseArgs(_ text: String) -> [String: Any] {
    let data = Data(text.utf8)
    guard let object = try? JSONSerialization.jsonObject(with: data, options: []),
          let dictionary = object as? [String: Any]
    else {
        return [:]
    }
    return dictionary
}

/// `object` as JSON text (`{}` if it cannot be serialized).
private func json(_ object: [String: Any]) -> String {
    guard JSONSerialization.isValidJSONObject(object),
          let data = try? JSONSerialization.data(withJSONObject: object, options: []),
          let text = String(data: data, encoding: .utf8)
    else {
        return "{}"
    }
    return text
}

/// A JSON value as text, like `JSONObject.optString`: strings as they are, numbers and
/// booleans spelled out, objects and arrays as JSON; nil for a missing value or `null`.
private func stringValue(_ value: Any?) -> String? {
    guard let value = value else { return nil }
    if value is NSNull { return nil }
    if let text = value as? String { return text }
    if let number = value as? NSNumber {
        if CFGetTypeID(number) == CFBooleanGetTypeID() {
            return number.boolValue ? "true" : "false"
        }
        return number.stringValue
    }
    if JSONSerialization.isValidJSONObject(value),
       let data = try? JSONSerialization.data(withJSONObject: value, options: []),
       let text = String(data: data, encoding: .utf8) {
        return text
    }
    return "\(value)"
}

/// A JSON number (or a numeric string), or nil.
private func numberValue(_ value: Any?) -> Double? {
    guard let value = value else { return nil }
    if let number = value as? NSNumber {
        if CFGetTypeID(number) == CFBooleanGetTypeID() { return nil }
        return number.doubleValue
    }
    if let text = value as? String {
        return Double(text)
    }
    return nil
}

/// A JSON boolean (or `"true"` / `"false"`), else `fallback`, like `JSONObject.optBoolean`.
private func boolValue(_ value: Any?, fallback: Bool) -> Bool {
    guard let value = value else { return fallback }
    if let number = value as? NSNumber, CFGetTypeID(number) == CFBooleanGetTypeID() {
        return number.boolValue
    }
    if let text = value as? String {
        let lowered = text.lowercased()
        if lowered == "true" { return true }
        if lowered == "false" { return false }
    }
    return fallback
}

/// `text` unless it is missing or empty.
private func nonEmpty(_ text: String?, fallback: String) -> String {
    guard let value = text, !value.isEmpty else { return fallback }
    return value
}

/// Response headers with lower-cased names (repeated fields already joined with ", ").
private func responseHeaders(_ response: HTTPURLResponse) -> [String: Any] {
    var out: [String: Any] = [:]
    for (name, value) in response.allHeaderFields {
        guard let key = name as? String else { continue }
        if let text = value as? String {
            out[key.lowercased()] = text
        } else {
            out[key.lowercased()] = "\(value)"
        }
    }
    return out
}

/// Why a transfer failed, in WeChat's words where it has them (`abort`, `timeout`).
/// The end of a transfer: forgets it (for `cancel`) and fails the call on a transport error or
/// a response that is not HTTP; else the HTTP response (an error status is a response).
private func finishTransfer(
    _ services: DefaultHostServices?,
    _ key: HostTaskKey,
    _ response: URLResponse?,
    _ error: Error?,
    _ reply: HostReply
) -> HTTPURLResponse? {
    services?.forgetTransfer(key)
    if let error = error {
        reply.fail(reason: failureReason(error))
        return nil
    }
    guard let http = response as? HTTPURLResponse else {
        reply.fail(reason: "no HTTP response")
        return nil
    }
    return http
}

private func failureReason(_ error: Error) -> String {
    if let urlError = error as? URLError {
        if urlError.code == .cancelled { return "abort" }
        if urlError.code == .timedOut { return "timeout" }
    }
    return error.localizedDescription
}

/// Appends `text` and CRLF as UTF-8.
private func appendLine(_ text: String, to body: inout Data) {
    body.append(Data((text + "\r\n").utf8))
}
