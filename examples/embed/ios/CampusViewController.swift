// A whole iOS host: one view controller showing a mini program with native views.
// The library is ios/ (MiniAppView, MiniApp); the sample app (ios/Sample) shows it, and
// ios/Tests/MiniAppKitTests/CampusViewControllerTests.swift runs it on the simulator.
import MiniAppKit
import UIKit

final class CampusViewController: UIViewController {
    private let packagePath: String
    private let page: String?
    private var app: MiniApp?

    /// `packagePath`: a folder holding app.json (in the app bundle, or downloaded by the host).
    init(packagePath: String, page: String? = nil) {
        self.packagePath = packagePath
        self.page = page
        super.init(nibName: nil, bundle: nil)
    }

    required init?(coder: NSCoder) {
        return nil
    }

    override func loadView() {
        view = MiniAppView(frame: UIScreen.main.bounds)
    }

    override func viewDidLoad() {
        super.viewDidLoad()
        guard let miniView = view as? MiniAppView else { return }
        do {
            // Grants, host services (toasts, dialogs, clipboard…) and UIKit's text measurement
            // come with the defaults of MiniApp.Options.
            app = try MiniApp.open(view: miniView, dir: packagePath)
            app?.launch(url: page)
        } catch {
            NSLog("cannot open the mini program: %@", "\(error)")
        }
        let names: [Notification.Name] = [UIApplication.willResignActiveNotification, UIApplication.didBecomeActiveNotification]
        for name in names {
            NotificationCenter.default.addObserver(self, selector: #selector(activityChanged(_:)), name: name, object: nil)
        }
    }

    @objc private func activityChanged(_ note: Notification) {
        if note.name == UIApplication.willResignActiveNotification {
            app?.pause()
        } else {
            app?.resume()
        }
    }

    /// The host's back control: the first page leaves the mini program.
    @objc func goBack() {
        if app?.back() == false {
            navigationController?.popViewController(animated: true)
        }
    }

    override func viewWillTransition(to size: CGSize, with coordinator: UIViewControllerTransitionCoordinator) {
        super.viewWillTransition(to: size, with: coordinator)
        app?.send(.resize(width: Double(size.width), height: Double(size.height), safeArea: nil))
    }

    deinit {
        app?.close()
    }
}
